//! # lagmix: linear mixed models for repeated-measures panels
//!
//! The pipeline, one module per stage (each stage's errors are its own enum, gathered in
//! [`Error`]):
//!
//! ```text
//!  CSV bytes ──csv──> Table (raw text columns, line numbers)
//!            ──frame──> Frame (numeric / factor columns, missing) + Panel (id, time)
//!  workbook bytes ──workbook──> CellTable (typed cells: numbers stay numbers) ──frame──> Frame
//!  SPSS bytes ──sav──> variables (labels, levels, user-missing) ──> CellTable ──frame──> Frame
//!  (import: recognises the format from the first bytes and picks the reader)
//!  formula text ──formula──> ModelSpec (response, fixed terms, random terms)
//!  ModelSpec + Frame + Panel ──transform──> variables (within/between/lag/lead, I(), log(),
//!                                            scale(), poly(): on the full panel)
//!                            ──design──> Design (y and the variables over the complete rows;
//!                                         X and each Z_i as products of them, never stored)
//!  Design ──model──> LinearMixedModel (cross-products once, as typed blocks: diagonal, block
//!                                      diagonal, sparse, dense; set_theta -> update_l -> objective)
//!            (a residual AR(1) / CAR(1) within person, model/residual.rs: the rows whitened
//!             between reading them and adding their products, once per phi)
//!         ──fit──> optimum theta (bounded trust-region Newton steps; provenance recorded;
//!                  with a correlation, Brent's search over phi around it, fit/phi.rs)
//!         ──inference──> FitResult (beta, SE, Satterthwaite / Kenward-Roger / residual /
//!                        between-within df, type III F tests, VarCorr, R² and variance shares,
//!                        conditional modes with condVar)
//!  FitResult + Dataset ──inference::fitted_values──> fitted values and residuals per row (no refit)
//!  Frame + Panel ──describe──> Description (per-occasion n, M, SD, change)
//! ```
//!
//! The core is pure: no files, no clock, no printing, no wasm. `crate/cli` and `crate/wasm` are the
//! only places that talk to the outside.

// Also set by the workspace lints; repeated here so the crate keeps it when built on its own.
#![forbid(unsafe_code)]

pub mod csv;
pub mod describe;
pub mod design;
pub mod error;
pub mod fit;
pub mod formula;
pub mod frame;
pub mod import;
pub mod inference;
pub mod model;
pub mod reliability;
pub mod report;
pub mod reshape;
pub mod result;
pub mod sav;
pub mod transform;
pub mod workbook;

pub use describe::Description;
pub use error::Error;
pub use inference::DfMethod;
pub use model::residual::ResidualStructure;
pub use result::FitResult;

use frame::{Frame, Panel, ReadOptions};
use inference::compare::{CompareError, Comparison};

/// How to read a data set and which columns identify persons and occasions.
#[derive(Debug, Clone, Default)]
pub struct DataOptions {
    pub read: ReadOptions,
    pub id: Option<String>,
    pub time: Option<String>,
}

/// What model to fit and how to test it.
#[derive(Debug, Clone)]
pub struct ModelOptions {
    pub formula: String,
    /// REML (true, the default) or ML.
    pub reml: bool,
    pub df: DfMethod,
    /// Residual correlation within person (`Identity`: independent residuals, as lme4).
    pub correlation: ResidualStructure,
}

impl ModelOptions {
    /// REML with Satterthwaite df, lmerTest's defaults.
    pub fn new(formula: &str) -> ModelOptions {
        ModelOptions {
            formula: formula.to_string(),
            reml: true,
            df: DfMethod::Satterthwaite,
            correlation: ResidualStructure::Identity,
        }
    }

    /// With a residual correlation within person, and nlme's between-within df (Satterthwaite
    /// df are not available with one).
    pub fn with_correlation(mut self, correlation: ResidualStructure) -> ModelOptions {
        self.correlation = correlation;
        if correlation != ResidualStructure::Identity {
            self.df = DfMethod::BetweenWithin;
        }
        self
    }
}

/// A parsed data set with its panel, ready for any number of fits.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub frame: Frame,
    pub panel: Panel,
}

impl Dataset {
    /// Reads and types CSV bytes and builds the panel. Errors: any [`csv::CsvError`] or
    /// [`frame::DataError`].
    pub fn parse(bytes: &[u8], options: &DataOptions) -> Result<Dataset, Error> {
        Dataset::from_frame(Frame::from_csv(bytes, &options.read)?, options)
    }

    /// Reads bytes in any format lagmix knows (CSV, .xlsx/.xlsm/.xls/.ods, SPSS .sav/.zsav,
    /// recognised from the first bytes) and builds the panel; also says what was read.
    /// Errors: the format's reading errors and [`frame::DataError`].
    pub fn import(
        bytes: &[u8],
        options: &DataOptions,
        import: &import::ImportOptions,
    ) -> Result<(Dataset, import::SourceInfo), Error> {
        let (frame, info) = import::read_frame(bytes, &options.read, import)?;
        Ok((Dataset::from_frame(frame, options)?, info))
    }

    /// Builds the panel over a frame already read (for example chunk by chunk with
    /// [`frame::FrameBuilder`], so that a large file never has to be in memory whole). Errors:
    /// [`frame::DataError`] for the id and time columns.
    pub fn from_frame(frame: Frame, options: &DataOptions) -> Result<Dataset, Error> {
        let panel = Panel::new(&frame, options.id.as_deref(), options.time.as_deref())?;
        Ok(Dataset { frame, panel })
    }

    /// Fits a linear mixed model. Errors: formula, transform, design and model errors.
    pub fn fit(&self, options: &ModelOptions) -> Result<FitResult, Error> {
        let spec = formula::parse_formula(&options.formula)?;
        let design = self.design(&spec, options)?;
        inference::fit_and_infer(&spec, design, options)
    }

    /// The design of `spec` over this data set, with each row's occasion when `options` ask for
    /// a residual correlation. Errors: design errors; for a correlation, a missing id or time
    /// column and (AR(1)) a time that is not a whole number.
    pub fn design(
        &self,
        spec: &formula::ModelSpec,
        options: &ModelOptions,
    ) -> Result<design::Design, Error> {
        if options.correlation == ResidualStructure::Identity {
            return Ok(design::build_design(spec, &self.frame, &self.panel)?);
        }
        model::residual::check_panel(&self.frame, &self.panel, options.correlation)?;
        Ok(design::build_panel_design(spec, &self.frame, &self.panel)?)
    }

    /// Fits one model and frees the data set as soon as the model's variables are evaluated
    /// (for a one-shot fit on a large file: less memory at the peak). Errors: as [`Dataset::fit`].
    pub fn into_fit(self, options: &ModelOptions) -> Result<FitResult, Error> {
        let spec = formula::parse_formula(&options.formula)?;
        let design = if options.correlation == ResidualStructure::Identity {
            design::build_design_consuming(&spec, self.frame, self.panel)?
        } else {
            model::residual::check_panel(&self.frame, &self.panel, options.correlation)?;
            design::build_panel_design_consuming(&spec, self.frame, self.panel)?
        };
        inference::fit_and_infer(&spec, design, options)
    }

    /// Fits `models` to the rows complete for every one of them and tests them against each
    /// other as lme4's `anova(m0, m1, ...)`. With `refit` (lme4's default) REML models are
    /// fitted by ML for the comparison; without it their REML fits are compared, which needs the
    /// same fixed effects. Returns the comparison and the fits, in the order given. Errors: any
    /// formula, design or model error, and [`inference::compare::CompareError`].
    pub fn compare(
        &self,
        models: &[ModelOptions],
        refit: bool,
    ) -> Result<(Comparison, Vec<FitResult>), Error> {
        let specs = models
            .iter()
            .map(|m| formula::parse_formula(&m.formula))
            .collect::<Result<Vec<_>, _>>()?;
        let own_rows = specs
            .iter()
            .map(|spec| design::complete_rows(spec, &self.frame, &self.panel))
            .collect::<Result<Vec<_>, _>>()?;
        let shared: Vec<bool> = (0..self.frame.nrows())
            .map(|r| own_rows.iter().all(|rows| rows[r]))
            .collect();
        let reml = !refit && models.iter().all(|m| m.reml);
        if !refit && !reml && models.iter().any(|m| m.reml) {
            return Err(CompareError::MixedMethods.into());
        }
        let mut fits = Vec::with_capacity(models.len());
        for (spec, options) in specs.iter().zip(models) {
            let correlated = options.correlation != ResidualStructure::Identity;
            let design =
                design::build_design_on_rows(spec, &self.frame, &self.panel, &shared, correlated)?;
            let options = ModelOptions {
                reml,
                ..options.clone()
            };
            fits.push(inference::fit_and_infer(spec, design, &options)?);
        }
        let mut comparison = inference::compare::likelihood_ratio_tests(&fits, reml)?;
        comparison
            .warnings
            .splice(0..0, compare_notes(models, &own_rows, &shared, refit));
        Ok((comparison, fits))
    }

    /// The fitted value and conditional residual of every row `fit` used, without fitting again:
    /// the model's variables are evaluated again and combined with the fit's estimates and
    /// conditional modes in one pass over the rows. `options` must be those `fit` came from.
    /// Errors: as [`Dataset::fit`] for the formula and the design;
    /// [`model::ModelError::FitDoesNotMatch`] for a `fit` of another model or data set.
    pub fn fitted_values(
        &self,
        options: &ModelOptions,
        fit: &FitResult,
    ) -> Result<RowOutputs, Error> {
        let spec = formula::parse_formula(&options.formula)?;
        let (design, rows) = design::build_design_with_rows(&spec, &self.frame, &self.panel)?;
        let fitted = inference::fitted_values(&design, fit)?;
        let residuals = design.y.iter().zip(&fitted).map(|(y, f)| y - f).collect();
        Ok(RowOutputs {
            rows,
            fitted,
            residuals,
        })
    }

    /// The fitted effect of the predictor `term` for `fit` (of `options`): the prediction over
    /// its range with a 95% band, the other predictors at their means
    /// ([`inference::effect::effect_curve`]). Errors: as [`Dataset::fitted_values`], and
    /// [`model::ModelError::EffectNotDrawable`].
    pub fn effect_curve(
        &self,
        options: &ModelOptions,
        fit: &FitResult,
        term: &str,
    ) -> Result<inference::effect::EffectCurve, Error> {
        let spec = formula::parse_formula(&options.formula)?;
        let design = design::build_design(&spec, &self.frame, &self.panel)?;
        Ok(inference::effect::effect_curve(&design, fit, term)?)
    }

    /// Per-occasion descriptives of `variables` (needs id and time).
    pub fn describe(&self, variables: &[String]) -> Result<Description, Error> {
        Ok(describe::describe(&self.frame, &self.panel, variables)?)
    }
}

/// What a comparison's reader must know first: that REML fits were refitted by ML, and which
/// models would have used more rows on their own.
fn compare_notes(
    models: &[ModelOptions],
    own_rows: &[Vec<bool>],
    shared: &[bool],
    refit: bool,
) -> Vec<String> {
    let mut notes = Vec::new();
    if refit && models.iter().any(|m| m.reml) {
        notes.push(
            "The models were refitted by ML (instead of REML) for the comparison, as lme4's anova() \
             does: REML likelihoods of models with different fixed effects cannot be compared."
                .to_string(),
        );
    }
    let n_shared = shared.iter().filter(|&&s| s).count();
    for (options, rows) in models.iter().zip(own_rows) {
        let alone = rows.iter().filter(|&&r| r).count();
        if alone > n_shared {
            notes.push(format!(
                "'{}' alone would use {alone} rows; every model was fitted to the {n_shared} rows complete \
                 for all of them, so that their likelihoods are comparable (lme4 stops with an error here).",
                options.formula
            ));
        }
    }
    notes
}

/// The outputs per row of a fit (lme4's `fitted` and `residuals`), one entry per row used.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowOutputs {
    /// The 0-based row of the data set (data rows, header not counted) of each entry.
    pub rows: Vec<usize>,
    /// X beta + Z b.
    pub fitted: Vec<f64>,
    /// y - fitted (conditional residuals).
    pub residuals: Vec<f64>,
}

/// Reads `bytes` and fits one model: the whole of `lagmix fit`.
pub fn fit_csv(bytes: &[u8], data: &DataOptions, model: &ModelOptions) -> Result<FitResult, Error> {
    Dataset::parse(bytes, data)?.into_fit(model)
}
