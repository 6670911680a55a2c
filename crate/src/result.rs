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

/// Nakagawa's R² of a linear mixed model as `performance::r2_nakagawa` 0.10.2 computes it (see
/// `crate::inference::r2` for its choices).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct R2 {
    /// Variance explained by the fixed effects: var_f / (var_f + var_r + sigma²), or
    /// var_f / (var_f + sigma²) when the random-effect variance is left out (singular fit).
    pub marginal: f64,
    /// Variance explained by fixed and random effects; None for a singular fit.
    pub conditional: Option<f64>,
    /// Variance of the fixed part X beta over the rows used (denominator n - 1).
    pub var_fixed: f64,
    /// Random-effect variance over the rows used; None for a singular fit.
    pub var_random: Option<f64>,
    /// sigma².
    pub var_residual: f64,
    /// Random slopes left out of var_random because X has no column of that name
    /// (`Days | Subject`).
    pub slopes_left_out: Vec<String>,
    /// Why the conditional R² is missing, in plain words; None when it is given.
    pub note: Option<String>,
}

/// One part of the variance decomposition: a grouping factor (or `Residual`), the variance it
/// adds over the rows used and its share of the total.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VarianceShare {
    pub group: String,
    pub variance: f64,
    pub share: f64,
}

/// The conditional modes of one random-effects term (lme4's `ranef`) with their conditional
/// covariances (`condVar`), in lme4's order of levels.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RandomEffects {
    /// Grouping factor as lme4 prints it (`Subject`, `cask:batch`; both terms of `(x || g)` are `g`).
    pub group: String,
    /// The term's columns (`(Intercept)`, `Days`).
    pub terms: Vec<String>,
    /// Levels of the grouping factor.
    pub levels: Vec<String>,
    /// Conditional modes, level by level: level g's values for `terms` start at g * terms.len().
    pub modes: Vec<f64>,
    /// Conditional covariance of each level's modes: a terms.len()² block per level, row-major
    /// (symmetric).
    pub cond_var: Vec<f64>,
}

impl RandomEffects {
    /// Number of columns per level.
    pub fn q(&self) -> usize {
        self.terms.len()
    }

    /// Conditional SD of term column `c` at level `g` (`condsd` of lme4's data frame).
    pub fn cond_sd(&self, g: usize, c: usize) -> f64 {
        let q = self.q();
        self.cond_var[g * q * q + c * q + c].sqrt()
    }
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
    /// lmerTest's `anova(m, type = 3)`: one F test per fixed-effects term, in R's term order,
    /// with the denominators of `df_method` (Kenward-Roger: pbkrtest's scaled F).
    pub anova: Vec<crate::inference::anova::AnovaRow>,
    pub varcorr: Vec<VarCorrRow>,
    pub reml_criterion: Option<f64>,
    pub log_lik: f64,
    pub aic: f64,
    pub bic: f64,
    pub deviance: f64,
    /// Parameters counted by logLik, AIC and BIC: fixed effects, theta and the residual variance.
    pub npar: usize,
    /// Intra-class correlation, for a model whose only random effect is one random intercept.
    pub icc: Option<f64>,
    pub sigma: f64,
    pub theta: Vec<f64>,
    pub singular: bool,
    pub converged: bool,
    pub optimization: Optimization,
    /// Covariance matrix of the fixed effects, row-major p x p.
    pub vcov: Vec<Vec<f64>>,
    /// Nakagawa's marginal and conditional R².
    pub r2: R2,
    /// Share of each grouping factor's variance and of the residual variance.
    pub variance_shares: Vec<VarianceShare>,
    /// Conditional modes and their covariances per random-effects term, in the model's term
    /// order. Not in the JSON (it grows with the number of groups): the random-effects CSV
    /// ([`crate::report::random_effects_csv`]) and the binding give them.
    #[serde(skip)]
    pub random_effects: Vec<RandomEffects>,
    pub warnings: Vec<String>,
    /// The residual correlation within person; None (null) for independent residuals.
    pub residual_correlation: Option<ResidualCorrelation>,
}
