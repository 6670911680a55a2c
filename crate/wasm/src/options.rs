//! Options as the page passes them (plain JS objects, camelCase), mapped onto the core's
//! [`DataOptions`] and [`ModelOptions`]. Unknown keys are rejected (see `Keys`) so a typo (`formla`) is an
//! error instead of a silently ignored setting.

use lagmix::csv::CsvOptions;
use lagmix::frame::ReadOptions;
use lagmix::{DataOptions, DfMethod, ModelOptions, ResidualStructure};
use serde::Deserialize;
use wasm_bindgen::JsError;

/// The keys an options object may have, for the unknown-key check in `options_from_js`.
pub trait Keys {
    const KEYS: &'static [&'static str];
}

impl Keys for DataOptionsJs {
    const KEYS: &'static [&'static str] = &["id", "time", "na", "delimiter"];
}
impl Keys for ModelOptionsJs {
    const KEYS: &'static [&'static str] = &["formula", "reml", "df", "correlation"];
}
impl Keys for FitOptionsJs {
    const KEYS: &'static [&'static str] = &[
        "formula",
        "reml",
        "df",
        "correlation",
        "id",
        "time",
        "na",
        "delimiter",
    ];
}
impl Keys for DescribeOptionsJs {
    const KEYS: &'static [&'static str] = &["variables", "id", "time", "na", "delimiter"];
}

/// Missing-value codes: `["-99", "999"]` or `"-99, 999"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum NaCodes {
    List(Vec<String>),
    Text(String),
}

impl Default for NaCodes {
    fn default() -> Self {
        NaCodes::List(Vec::new())
    }
}

impl NaCodes {
    fn to_vec(&self) -> Vec<String> {
        let all: Vec<String> = match self {
            NaCodes::List(codes) => codes.clone(),
            NaCodes::Text(text) => text.split(',').map(str::to_string).collect(),
        };
        let trimmed = all.iter().map(|c| c.trim().to_string());
        trimmed.filter(|c| !c.is_empty()).collect()
    }
}

/// `{id, time, na, delimiter}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DataOptionsJs {
    pub id: Option<String>,
    pub time: Option<String>,
    pub na: NaCodes,
    /// `","`, `";"`, `"\t"` or `"tab"`; absent or empty: detected from the header line.
    pub delimiter: Option<String>,
}

impl DataOptionsJs {
    /// The core's options. Errors: a delimiter that is not one character.
    pub fn to_core(&self) -> Result<DataOptions, JsError> {
        let delimiter = match self.delimiter.as_deref() {
            None | Some("") => None,
            Some("tab") | Some("\\t") => Some(b'\t'),
            Some(d) if d.len() == 1 => Some(d.as_bytes()[0]),
            Some(d) => {
                let msg = format!("the delimiter must be one character such as , or ; (got {d:?})");
                return Err(JsError::new(&msg));
            }
        };
        let blank = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
        Ok(DataOptions {
            read: ReadOptions {
                csv: CsvOptions { delimiter },
                na: self.na.to_vec(),
            },
            id: blank(&self.id),
            time: blank(&self.time),
        })
    }
}

/// `{formula, reml, df, correlation}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ModelOptionsJs {
    pub formula: String,
    /// REML when absent.
    pub reml: Option<bool>,
    /// `"satterthwaite"` (when absent; `"between-within"` with a correlation),
    /// `"kenward-roger"`, `"residual"` or `"between-within"`.
    pub df: Option<String>,
    /// `"ar1"`, `"car1"` or absent / `"none"`: residual correlation within person.
    pub correlation: Option<String>,
}

impl ModelOptionsJs {
    /// The core's options. Errors: an unknown df method.
    pub fn to_core(&self) -> Result<ModelOptions, JsError> {
        let correlation = self.correlation.as_deref().unwrap_or("none");
        let Some(correlation) = ResidualStructure::parse(correlation) else {
            let msg =
                format!("unknown correlation {correlation:?}: use \"ar1\", \"car1\" or \"none\"");
            return Err(JsError::new(&msg));
        };
        let default_df = match correlation {
            ResidualStructure::Identity => "satterthwaite",
            _ => "between-within",
        };
        let df = match self.df.as_deref().unwrap_or(default_df) {
            "satterthwaite" | "" => DfMethod::Satterthwaite,
            "residual" => DfMethod::Residual,
            "between-within" => DfMethod::BetweenWithin,
            "kenward-roger" => DfMethod::KenwardRoger,
            other => {
                let msg = format!(
                    "unknown df method {other:?}: use \"satterthwaite\", \"kenward-roger\", \"residual\" or \"between-within\""
                );
                return Err(JsError::new(&msg));
            }
        };
        Ok(ModelOptions {
            formula: self.formula.clone(),
            reml: self.reml.unwrap_or(true),
            df,
            correlation,
        })
    }
}

/// The free `fit` function's options: data and model options in one object.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FitOptionsJs {
    pub formula: String,
    pub reml: Option<bool>,
    pub df: Option<String>,
    pub correlation: Option<String>,
    pub id: Option<String>,
    pub time: Option<String>,
    pub na: NaCodes,
    pub delimiter: Option<String>,
}

impl FitOptionsJs {
    /// Splits into data and model options.
    pub fn split(self) -> (DataOptionsJs, ModelOptionsJs) {
        let data = DataOptionsJs {
            id: self.id,
            time: self.time,
            na: self.na,
            delimiter: self.delimiter,
        };
        let model = ModelOptionsJs {
            formula: self.formula,
            reml: self.reml,
            df: self.df,
            correlation: self.correlation,
        };
        (data, model)
    }
}

/// The free `describe` function's options: data options plus `variables`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DescribeOptionsJs {
    pub variables: Vec<String>,
    pub id: Option<String>,
    pub time: Option<String>,
    pub na: NaCodes,
    pub delimiter: Option<String>,
}

impl DescribeOptionsJs {
    /// The data options part.
    pub fn data(&self) -> DataOptionsJs {
        DataOptionsJs {
            id: self.id.clone(),
            time: self.time.clone(),
            na: self.na.clone(),
            delimiter: self.delimiter.clone(),
        }
    }
}
