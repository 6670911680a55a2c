//! Likelihood-ratio tests between models fitted to the same rows: lme4's `anova(m0, m1, ...)`.
//!
//! As lme4 does, the models are put in order of their number of parameters (a stable order: ties
//! stay as given), and each model is tested against the one before it: chi-square = twice the
//! gain in log-likelihood (never negative), df = the difference in parameters. lme4 refits REML
//! fits by ML first (REML likelihoods of models with different fixed effects are not
//! comparable); the caller decides that and passes the fits. lme4 does not check that the models
//! are nested; here the check is made from the parameters of each model and a pair that is not
//! nested is said to be so.

use crate::result::FitResult;
use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};
use std::fmt;

/// One model of a comparison, as a row of lme4's anova table.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ComparedModel {
    pub formula: String,
    /// Fixed effects, variance parameters and the residual variance.
    pub npar: usize,
    pub aic: f64,
    pub bic: f64,
    pub log_lik: f64,
    /// -2 log-likelihood (the REML criterion for REML fits).
    pub deviance: f64,
}

/// The test of one model against the model before it (in npar order).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LikelihoodRatioTest {
    pub chisq: f64,
    pub df: usize,
    /// None (lme4's NA) when the models have the same number of parameters.
    pub p: Option<f64>,
    /// Whether the smaller model's fixed effects and variance parameters are all in the larger
    /// model, so that the chi-square reference distribution applies.
    pub nested: bool,
}

/// lme4's `anova(m0, m1, ...)` table with the tests of successive models.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// `ML` (refitted, lme4's default) or `REML` (`--no-refit`).
    pub method: String,
    /// Rows every model was fitted to.
    pub nobs: usize,
    /// In npar order.
    pub models: Vec<ComparedModel>,
    /// `tests[i]` compares `models[i]` with `models[i + 1]`.
    pub tests: Vec<LikelihoodRatioTest>,
    /// The order the models were given in, for each entry of `models` (0-based).
    pub given_order: Vec<usize>,
    pub warnings: Vec<String>,
}

/// Why models cannot be compared.
#[derive(Debug, Clone, PartialEq)]
pub enum CompareError {
    /// Fewer than two models.
    TooFewModels { given: usize },
    /// REML fits whose fixed effects differ (`--no-refit`).
    RemlFixedEffectsDiffer { first: String, other: String },
    /// Some models by REML, others by ML, and no refit.
    MixedMethods,
}

impl fmt::Display for CompareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompareError::TooFewModels { given } => write!(
                f,
                "a comparison needs at least two models, but {given} {} given: repeat --formula \
                 for each model",
                if *given == 1 { "was" } else { "were" }
            ),
            CompareError::RemlFixedEffectsDiffer { first, other } => write!(
                f,
                "the models '{first}' and '{other}' have different fixed effects, so their REML \
                 likelihoods cannot be compared (REML removes the fixed effects from the \
                 likelihood): compare them refitted by ML (leave out --no-refit)"
            ),
            CompareError::MixedMethods => write!(
                f,
                "some models are fitted by REML and others by ML: without a refit they must all be \
                 fitted the same way"
            ),
        }
    }
}

impl std::error::Error for CompareError {}

/// A random-effect variance or covariance by name: grouping factor, first and second variable.
type VarianceParameter<'a> = (String, Option<&'a str>, Option<&'a str>);

/// The parameters a model estimates, by name, for the nesting check: fixed-effect columns and
/// random-effect variances and covariances.
fn parameters(fit: &FitResult) -> (Vec<&str>, Vec<VarianceParameter<'_>>) {
    let fixed = fit.fixed.iter().map(|f| f.term.as_str()).collect();
    let mut random: Vec<VarianceParameter<'_>> = fit
        .varcorr
        .iter()
        .filter(|row| row.group != "Residual")
        .map(|row| {
            (
                base_group(&row.group, fit),
                row.var1.as_deref(),
                row.var2.as_deref(),
            )
        })
        .collect();
    // The residual autocorrelation is one more variance parameter (its null value, 0, is
    // inside the range of an AR(1)'s phi, so the chi-square test applies to it).
    if let Some(rc) = &fit.residual_correlation {
        random.push(("Residual".into(), Some(rc.structure.as_str()), Some("phi")));
    }
    (fixed, random)
}

/// The grouping factor of a VarCorr group: lme4 names the second term of one factor `g.1`.
fn base_group(group: &str, fit: &FitResult) -> String {
    if fit.groups.iter().any(|g| g.name == group) {
        return group.to_string();
    }
    match group.rsplit_once('.') {
        Some((base, k)) if k.chars().all(|c| c.is_ascii_digit()) => base.to_string(),
        _ => group.to_string(),
    }
}

/// Whether every parameter of `small` is a parameter of `large`.
fn nested_in(small: &FitResult, large: &FitResult) -> bool {
    let (small_fixed, small_random) = parameters(small);
    let (large_fixed, large_random) = parameters(large);
    small_fixed.iter().all(|f| large_fixed.contains(f))
        && small_random.iter().all(|r| large_random.contains(r))
}

/// Whether two fits have the same fixed-effect columns.
fn same_fixed_effects(a: &FitResult, b: &FitResult) -> bool {
    let (fa, _) = parameters(a);
    let (fb, _) = parameters(b);
    fa.len() == fb.len() && fa.iter().all(|f| fb.contains(f))
}

/// Whether `large` has a random-effect variance that `small` lacks (a variance whose test
/// against zero is on the boundary of its range).
fn adds_variance(small: &FitResult, large: &FitResult) -> bool {
    let (_, rs) = parameters(small);
    let (_, rl) = parameters(large);
    rl.iter().any(|r| r.2.is_none() && !rs.contains(r))
}

/// Upper tail of the chi-square distribution, as R's `pchisq(x, df, lower.tail = FALSE)`; no p
/// value (lme4's NA) for models with the same number of parameters.
fn chisq_upper(x: f64, df: usize) -> Option<f64> {
    let dist = ChiSquared::new(df as f64).ok().filter(|_| df > 0)?;
    Some(dist.sf(x))
}

/// lme4's anova table of `fits` (fitted to the same rows, all by ML or, when `reml`, all by
/// REML). Errors: fewer than two models; REML fits with different fixed effects.
pub fn likelihood_ratio_tests(fits: &[FitResult], reml: bool) -> Result<Comparison, CompareError> {
    if fits.len() < 2 {
        return Err(CompareError::TooFewModels { given: fits.len() });
    }
    if reml {
        if let Some(other) = fits[1..].iter().find(|f| !same_fixed_effects(&fits[0], f)) {
            return Err(CompareError::RemlFixedEffectsDiffer {
                first: fits[0].formula.clone(),
                other: other.formula.clone(),
            });
        }
    }
    let mut order: Vec<usize> = (0..fits.len()).collect();
    order.sort_by_key(|&i| fits[i].npar);
    let mut warnings = Vec::new();
    let tests: Vec<LikelihoodRatioTest> = order
        .windows(2)
        .map(|pair| {
            let (small, large) = (&fits[pair[0]], &fits[pair[1]]);
            let chisq = 2.0 * (large.log_lik - small.log_lik).max(0.0);
            let df = large.npar - small.npar;
            let nested = nested_in(small, large);
            warnings.extend(pair_warnings(small, large, df, nested));
            LikelihoodRatioTest {
                chisq,
                df,
                p: chisq_upper(chisq, df),
                nested,
            }
        })
        .collect();
    let models = order
        .iter()
        .map(|&i| {
            let f = &fits[i];
            ComparedModel {
                formula: f.formula.clone(),
                npar: f.npar,
                aic: f.aic,
                bic: f.bic,
                log_lik: f.log_lik,
                deviance: -2.0 * f.log_lik,
            }
        })
        .collect();
    Ok(Comparison {
        method: if reml { "REML" } else { "ML" }.into(),
        nobs: fits[0].nobs,
        models,
        tests,
        given_order: order,
        warnings,
    })
}

/// What a reader must know about the test of `small` against `large`.
fn pair_warnings(small: &FitResult, large: &FitResult, df: usize, nested: bool) -> Vec<String> {
    let mut warnings = Vec::new();
    let pair = format!("'{}' and '{}'", small.formula, large.formula);
    if !nested {
        warnings.push(format!(
            "The models {pair} are not nested (the smaller one has parameters the larger one \
             lacks), so the chi-square test does not apply to them: compare them by AIC and BIC \
             only (smaller is better)."
        ));
    } else if df == 0 {
        warnings.push(format!(
            "The models {pair} have the same number of parameters, so there is nothing to test: \
             compare them by AIC and BIC."
        ));
    }
    if nested && df > 0 && adds_variance(small, large) {
        warnings.push(format!(
            "The test of {pair} includes variance parameters: a variance tested against zero lies on \
             the boundary of its range, where the chi-square p-value is conservative (too large; \
             halving it is a common correction for one variance)."
        ));
    }
    warnings
}
