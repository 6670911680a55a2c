//! The fit result as users and the JSON output see it (`lagmix fit --json`, wasm `fit`).

use serde::Serialize;

/// One row of the fixed-effects table.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FixedEffect {
    pub term: String,
    pub estimate: f64,
    pub se: f64,
    pub df: f64,
    pub t: f64,
    pub p: f64,
    pub ci_lower: f64,
    pub ci_upper: f64,
}

/// One row of lme4's `as.data.frame(VarCorr(m))`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VarCorrRow {
    pub group: String,
    pub var1: Option<String>,
    pub var2: Option<String>,
    pub vcov: f64,
    pub sdcor: f64,
}

/// A grouping factor and its number of levels.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GroupInfo {
    pub name: String,
    pub levels: usize,
}

/// Why rows were left out of the model.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MissingCount {
    pub variable: String,
    pub rows: usize,
}

/// The optimizer's provenance (MixedModels.jl's OptSummary).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Optimization {
    pub optimizer: String,
    pub initial_theta: Vec<f64>,
    pub final_theta: Vec<f64>,
    pub evaluations: usize,
    pub objective: f64,
    pub converged: bool,
    pub message: String,
}

/// The residual correlation within person, as fitted (nlme's `corAR1` / `corCAR1`).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ResidualCorrelation {
    /// `ar1` or `car1`.
    pub structure: String,
    /// The correlation of residuals one time unit apart (phi^|t - s| for times t and s).
    pub phi: f64,
    /// The time column the lags are measured in.
    pub time: String,
    /// True when phi sits at its lower bound 0 (CAR(1)): no correlation beyond the random effects.
    pub at_boundary: bool,
    /// The outer search's provenance: how phi was found and how many passes over the data it took.
    pub optimizer: String,
    pub lower: f64,
    pub upper: f64,
    pub evaluations: usize,
}

/// Everything a fit reports.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FitResult {
    pub formula: String,
    pub response: String,
    pub method: String,
    pub df_method: String,
    pub nobs: usize,
    pub total_rows: usize,
    pub dropped_rows: usize,
    pub missing_by_variable: Vec<MissingCount>,
    pub groups: Vec<GroupInfo>,
    pub fixed: Vec<FixedEffect>,
    pub varcorr: Vec<VarCorrRow>,
    pub reml_criterion: Option<f64>,
    pub log_lik: f64,
    pub aic: f64,
    pub bic: f64,
    pub deviance: f64,
    /// Intra-class correlation, for a model whose only random effect is one random intercept.
    pub icc: Option<f64>,
    pub sigma: f64,
    pub theta: Vec<f64>,
    pub singular: bool,
    pub converged: bool,
    pub optimization: Optimization,
    /// Covariance matrix of the fixed effects, row-major p x p.
    pub vcov: Vec<Vec<f64>>,
    pub warnings: Vec<String>,
    /// The residual correlation within person; None (null) for independent residuals.
    pub residual_correlation: Option<ResidualCorrelation>,
}
