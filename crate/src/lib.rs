//! # lagmix: linear mixed models for repeated-measures panels
//!
//! The pipeline, one module per stage (each stage's errors are its own enum, gathered in
//! [`Error`]):
//!
//! ```text
//!  CSV bytes ──csv──> Table (raw text columns, line numbers)
//!            ──frame──> Frame (numeric / factor columns, missing) + Panel (id, time)
//!  formula text ──formula──> ModelSpec (response, fixed terms, random terms)
//!  ModelSpec + Frame + Panel ──transform──> variables (within/between/lag/lead on the full panel)
//!                            ──design──> Design (y and the variables over the complete rows;
//!                                         X and each Z_i as products of them, never stored)
//!  Design ──model──> LinearMixedModel (cross-products once, as typed blocks: diagonal, block
//!                                      diagonal, sparse, dense; set_theta -> update_l -> objective)
//!         ──fit──> optimum theta (bounded Nelder-Mead, then Newton steps; provenance recorded)
//!         ──inference──> FitResult (beta, SE, Satterthwaite / residual / between-within df, VarCorr)
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
pub mod inference;
pub mod model;
pub mod report;
pub mod result;
pub mod transform;

pub use describe::Description;
pub use error::Error;
pub use inference::DfMethod;
pub use result::FitResult;

use frame::{Frame, Panel, ReadOptions};

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
}

impl ModelOptions {
    /// REML with Satterthwaite df, lmerTest's defaults.
    pub fn new(formula: &str) -> ModelOptions {
        ModelOptions {
            formula: formula.to_string(),
            reml: true,
            df: DfMethod::Satterthwaite,
        }
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
        let design = design::build_design(&spec, &self.frame, &self.panel)?;
        inference::fit_and_infer(&spec, design, options)
    }

    /// Fits one model and frees the data set as soon as the model's variables are evaluated
    /// (for a one-shot fit on a large file: less memory at the peak). Errors: as [`Dataset::fit`].
    pub fn into_fit(self, options: &ModelOptions) -> Result<FitResult, Error> {
        let spec = formula::parse_formula(&options.formula)?;
        let design = design::build_design_consuming(&spec, self.frame, self.panel)?;
        inference::fit_and_infer(&spec, design, options)
    }

    /// Per-occasion descriptives of `variables` (needs id and time).
    pub fn describe(&self, variables: &[String]) -> Result<Description, Error> {
        Ok(describe::describe(&self.frame, &self.panel, variables)?)
    }
}

/// Reads `bytes` and fits one model: the whole of `lagmix fit`.
pub fn fit_csv(bytes: &[u8], data: &DataOptions, model: &ModelOptions) -> Result<FitResult, Error> {
    Dataset::parse(bytes, data)?.into_fit(model)
}
