//! The binding of issue 11's items and reshape steps: wide-file detection and reshaping over the
//! raw bytes, alpha and scale scores over the loaded data set. Thin: options in, core out.

use crate::options::DataOptionsJs;
use crate::{options_from_js, to_js, Analysis};
use lagmix::csv::{read_csv, CsvOptions};
use lagmix::reliability::{self, ItemOptions, ScoreKind, ScoreRule};
use lagmix::reshape::{self, ReshapeOptions};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// `{delimiter}` for reading the raw table.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TableOptionsJs {
    pub delimiter: Option<String>,
}

/// `{id, time, sep, stubs, pattern, keepEmpty, delimiter, labels}` (`labels`: the wide
/// columns' variable labels, `[{name, label}]`, carried over to the long columns).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReshapeOptionsJs {
    pub id: String,
    pub time: String,
    pub sep: Option<String>,
    pub stubs: Option<Vec<String>>,
    pub pattern: Option<String>,
    pub keep_empty: bool,
    pub delimiter: Option<String>,
    pub labels: Vec<reshape::ColumnLabel>,
}

/// `{items, reverse, min, max, withinBetween}` and, for a score, `{name, kind, maxMissing}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ItemOptionsJs {
    pub items: Vec<String>,
    pub reverse: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub within_between: bool,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub max_missing: Option<f64>,
}

impl crate::options::Keys for TableOptionsJs {
    const KEYS: &'static [&'static str] = &["delimiter", "na"];
}
impl crate::options::Keys for ReshapeOptionsJs {
    const KEYS: &'static [&'static str] = &[
        "id",
        "time",
        "sep",
        "stubs",
        "pattern",
        "keepEmpty",
        "delimiter",
        "labels",
    ];
}
impl crate::options::Keys for ItemOptionsJs {
    const KEYS: &'static [&'static str] = &[
        "items",
        "reverse",
        "min",
        "max",
        "withinBetween",
        "name",
        "kind",
        "maxMissing",
    ];
}

fn csv_options(delimiter: &Option<String>) -> CsvOptions {
    let delimiter = match delimiter.as_deref() {
        Some("tab") => Some(b'\t'),
        Some(d) if d.len() == 1 => Some(d.as_bytes()[0]),
        _ => None,
    };
    CsvOptions { delimiter }
}

impl ReshapeOptionsJs {
    fn to_core(&self) -> ReshapeOptions {
        let mut options = ReshapeOptions::new(&self.id, &self.time);
        options.sep = self.sep.clone().unwrap_or(options.sep);
        options.stubs = self.stubs.clone().filter(|s| !s.is_empty());
        options.pattern = self.pattern.clone().filter(|p| !p.trim().is_empty());
        options.keep_empty = self.keep_empty;
        options
    }
}

/// The reshape a data set was made by, kept with it: what it did, the long columns' labels,
/// and the long table as CSV (the page's download).
pub struct LongSource {
    summary: reshape::ReshapeSummary,
    labels: Vec<reshape::ColumnLabel>,
    csv: String,
}

/// What [`Analysis::reshape_summary`] returns.
#[derive(Serialize)]
struct ReshapeInfoJs<'a> {
    summary: &'a reshape::ReshapeSummary,
    labels: &'a [reshape::ColumnLabel],
}

impl ItemOptionsJs {
    fn to_core(&self) -> ItemOptions {
        ItemOptions {
            items: self.items.clone(),
            reverse: self.reverse.clone(),
            range: self.min.zip(self.max),
        }
    }
}

/// The long table as CSV text and what the reshape did.
#[derive(Serialize)]
struct ReshapedJs {
    csv: String,
    summary: reshape::ReshapeSummary,
}

/// A guess that the file is wide (`WideGuess`), or null. Never throws on a file it cannot
/// read as CSV: that file is simply not offered a reshape.
#[wasm_bindgen(js_name = detectWide, unchecked_return_type = "WideGuess | null")]
pub fn detect_wide(
    bytes: &[u8],
    #[wasm_bindgen(unchecked_param_type = "{delimiter?: string}")] options: JsValue,
) -> Result<JsValue, JsError> {
    let options: TableOptionsJs = options_from_js(options)?;
    match read_csv(bytes, &csv_options(&options.delimiter)) {
        Ok(table) => to_js(&reshape::detect_wide(&table)),
        Err(_) => Ok(JsValue::NULL),
    }
}

/// Reshapes a wide CSV file to long: `{csv, summary}`. Throws the core's message.
#[wasm_bindgen(js_name = reshapeWide, unchecked_return_type = "{csv: string, summary: ReshapeSummary}")]
pub fn reshape_wide(
    bytes: &[u8],
    #[wasm_bindgen(unchecked_param_type = "ReshapeOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let js: ReshapeOptionsJs = options_from_js(options)?;
    let table = read_csv(bytes, &csv_options(&js.delimiter)).map_err(lagmix::Error::from)?;
    let long = reshape::reshape(&table, &js.to_core()).map_err(lagmix::Error::from)?;
    let csv = reshape::write_csv(&long.table);
    to_js(&ReshapedJs {
        csv,
        summary: long.summary,
    })
}

#[wasm_bindgen]
impl Analysis {
    /// The long data set of a wide CSV file (`bytes`) reshaped by `reshape` (`ReshapeOptions`),
    /// typed as the long CSV file would be. Throws the reader's, the reshape's and the roles'
    /// messages.
    #[wasm_bindgen(js_name = fromWide)]
    pub fn from_wide(
        bytes: &[u8],
        #[wasm_bindgen(unchecked_param_type = "ReshapeOptions")] reshape: JsValue,
        #[wasm_bindgen(unchecked_param_type = "DataOptions | undefined")] options: JsValue,
    ) -> Result<Analysis, JsError> {
        let js: ReshapeOptionsJs = options_from_js(reshape)?;
        let data = options_from_js::<DataOptionsJs>(options)?.to_core()?;
        let long = reshape::long_from_csv(bytes, &data.read, &js.to_core())?;
        Analysis::from_long(long, &data, &js)
    }

    /// As [`Analysis::from_wide`], for a workbook's or SPSS file's cells from the readers
    /// module (`readFile(...).table`): numbers and SPSS factors are kept as read.
    #[wasm_bindgen(js_name = fromWideCells)]
    pub fn from_wide_cells(
        table: &[u8],
        #[wasm_bindgen(unchecked_param_type = "ReshapeOptions")] reshape: JsValue,
        #[wasm_bindgen(unchecked_param_type = "DataOptions | undefined")] options: JsValue,
    ) -> Result<Analysis, JsError> {
        let js: ReshapeOptionsJs = options_from_js(reshape)?;
        let data = options_from_js::<DataOptionsJs>(options)?.to_core()?;
        let wide = lagmix::frame::decode_table(table)?;
        let long = reshape::long_from_cells(&wide, &data.read, &js.to_core())?;
        Analysis::from_long(long, &data, &js)
    }

    fn from_long(
        long: reshape::LongData,
        data: &lagmix::DataOptions,
        js: &ReshapeOptionsJs,
    ) -> Result<Analysis, JsError> {
        let labels = reshape::long_labels(&long.summary, &js.id, &js.labels);
        let mut analysis = Analysis::of(lagmix::Dataset::from_frame(long.frame, data)?);
        analysis.long = Some(LongSource {
            summary: long.summary,
            labels,
            csv: long.csv,
        });
        Ok(analysis)
    }

    /// What the reshape did (`{summary: ReshapeSummary, labels: [{name, label}]}`), or null
    /// when the data were not reshaped.
    #[wasm_bindgen(js_name = reshapeSummary, unchecked_return_type = "{summary: ReshapeSummary, labels: {name: string, label: string}[]} | null")]
    pub fn reshape_summary(&self) -> Result<JsValue, JsError> {
        let info = self.long.as_ref().map(|l| ReshapeInfoJs {
            summary: &l.summary,
            labels: &l.labels,
        });
        to_js(&info)
    }

    /// The reshaped long table as CSV text ("" when the data were not reshaped).
    #[wasm_bindgen(js_name = longCsv)]
    pub fn long_csv(&self) -> String {
        self.long.as_ref().map_or(String::new(), |l| l.csv.clone())
    }

    /// A guess that the loaded data are wide (`WideGuess`), or null; from the typed columns, so
    /// the file is not read again.
    #[wasm_bindgen(js_name = wideGuess, unchecked_return_type = "WideGuess | null")]
    pub fn wide_guess(&self) -> Result<JsValue, JsError> {
        to_js(&reshape::detect_wide_frame(&self.dataset.frame))
    }

    /// Cronbach's alpha of `options.items` (`Alpha`); with `withinBetween` and a person column
    /// set, within- and between-person alpha too.
    #[wasm_bindgen(unchecked_return_type = "Alpha")]
    pub fn reliability(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ItemOptions")] options: JsValue,
    ) -> Result<JsValue, JsError> {
        let js: ItemOptionsJs = options_from_js(options)?;
        let frame = &self.dataset.frame;
        let no_panel = lagmix::frame::Panel::new(frame, None, None).map_err(lagmix::Error::from)?;
        let panel = if js.within_between {
            &self.dataset.panel
        } else {
            &no_panel
        };
        let result =
            reliability::reliability(frame, panel, &js.to_core()).map_err(lagmix::Error::from)?;
        to_js(&result)
    }

    /// Adds the scale score of `options.items` as the numeric column `options.name` (replacing
    /// a score of that name), returns the rule in words.
    #[wasm_bindgen(js_name = addScore)]
    pub fn add_score(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ItemOptions")] options: JsValue,
    ) -> Result<String, JsError> {
        let js: ItemOptionsJs = options_from_js(options)?;
        let items = reliability::ItemSet::from_frame(&self.dataset.frame, &js.to_core())
            .map_err(lagmix::Error::from)?;
        let rule = ScoreRule {
            kind: match js.kind.as_deref() {
                Some("sum") => ScoreKind::Sum,
                _ => ScoreKind::Mean,
            },
            max_missing: js.max_missing.unwrap_or(0.2),
        };
        rule.check().map_err(lagmix::Error::from)?;
        let scores = reliability::scale_score(&items, &rule);
        let name = js.name.unwrap_or_default();
        if js.items.iter().any(|i| i == name.trim()) {
            let e = reliability::ReliabilityError::BadScoreName { name };
            return Err(lagmix::Error::from(e).into());
        }
        reliability::add_score(&mut self.dataset.frame, &name, scores, true)
            .map_err(lagmix::Error::from)?;
        Ok(rule.describe(items.len()))
    }
}
