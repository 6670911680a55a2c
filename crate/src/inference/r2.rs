//! Variance explained: Nakagawa's marginal and conditional R² (Nakagawa & Schielzeth 2013,
//! Johnson 2014 for random slopes; Nakagawa, Johnson & Schielzeth 2017) exactly as
//! `performance::r2_nakagawa` 0.10.2 (with insight 0.19.0's `get_variance`) computes it for a
//! linear mixed model, and the share of the variance at each level of a multilevel design.
//!
//! R² = var_f / (var_f + var_r + σ²) (marginal) and (var_f + var_r) / (var_f + var_r + σ²)
//! (conditional), with, over the n rows used:
//! - var_f = the sample variance (denominator n - 1) of X β: β' S β / (n - 1), S the scatter of X;
//! - var_r = Σ_k mean_i z_ik' Σ_k z_ik = Σ_k tr(Σ_k Z_k'Z_k) / n: a random slope enters through
//!   the values its variable takes in the rows, so no pass over the data is needed. performance's
//!   choices, kept here: z_ik takes the columns of X named as the term's columns, so a slope with
//!   no fixed effect of its name is left out (with a warning); only the first term of each
//!   grouping factor counts (insight looks the variances up by the names of `ranef()`, one per
//!   grouping factor, so the second term of `(x || g)`, VarCorr's `g.1`, is not found);
//! - σ² the residual variance.
//!
//! When some diagonal element of theta is below 1e-5 (performance's tolerance, not lme4's 1e-4)
//! performance gives no conditional R² and a marginal R² of var_f / (var_f + σ²).
//!
//! The variance shares are lagmix's own (performance has none for several grouping factors): per
//! grouping factor the variance its terms add over the rows used, tr(σ² Λ_k Λ_k' Z_k'Z_k) / n with
//! the term's own Z_k (every term and every slope counts: a slope's variance at the observed
//! values of its variable, as in var_r), and σ², each as a share of their sum. For random
//! intercepts alone these are the familiar τ²_k / (Σ τ² + σ²) of experience-sampling papers.

use crate::model::LinearMixedModel;
use crate::result::{VarianceShare, R2};

/// performance's singularity tolerance on theta (`r2_nakagawa(tolerance = 1e-5)`).
const PERFORMANCE_SINGULAR_TOL: f64 = 1e-5;

/// R², the variance shares and the warnings that go with them.
pub(super) struct VarianceExplained {
    pub r2: R2,
    pub shares: Vec<VarianceShare>,
    pub warnings: Vec<String>,
}

/// Computes R² and the variance shares at the model's current factor. `beta` are the
/// fixed-effect estimates in X's column order, `sigma` the residual SD.
pub(super) fn variance_explained(
    model: &LinearMixedModel,
    beta: &[f64],
    sigma: f64,
) -> VarianceExplained {
    let n = model.nobs as f64;
    let s2 = sigma * sigma;
    let scatter = model.fixed_scatter();
    let b = nalgebra::DVector::from_column_slice(beta);
    let var_fixed = (b.transpose() * &scatter * &b)[(0, 0)] / (n - 1.0);
    let mut warnings = Vec::new();
    let mut slopes_left_out = Vec::new();
    let mut var_random = 0.0;
    let mut seen: Vec<&str> = Vec::new();
    for (k, term) in model.terms.iter().enumerate() {
        if seen.contains(&term.group.as_str()) {
            warnings.push(format!(
                "R² counts only the first random-effects term of `{}`: performance::r2_nakagawa \
                 0.10.2, whose numbers lagmix reproduces, does not find the variance of a second \
                 term of the same grouping factor (as in `(x || {0})`), so the conditional R² \
                 leaves out the variance of {}.",
                term.group,
                names_list(term.names()),
            ));
            continue;
        }
        seen.push(&term.group);
        let keep: Vec<bool> = term
            .names()
            .iter()
            .map(|c| c == "(Intercept)" || model.fixed_names.contains(c))
            .collect();
        for (c, _) in keep.iter().enumerate().filter(|(_, &kept)| !kept) {
            let slope = format!("{} | {}", term.names()[c], term.group);
            warnings.push(format!(
                "The random slope `{slope}` has no fixed effect of the same name, so R² leaves \
                 its variance out of the random-effect variance (as performance::r2_nakagawa \
                 does). A random slope is usually fitted together with its fixed effect: \
                 consider adding `{}` to the fixed part.",
                term.names()[c]
            ));
            slopes_left_out.push(slope);
        }
        var_random += s2 * term_variance(model, k, &keep) / n;
    }
    let singular = model
        .theta()
        .iter()
        .zip(&model.lower)
        .any(|(&t, &lb)| lb == 0.0 && t.abs() < PERFORMANCE_SINGULAR_TOL);
    let r2 = if singular {
        warnings.push(SINGULAR_R2_NOTE.into());
        R2 {
            marginal: var_fixed / (var_fixed + s2),
            conditional: None,
            var_fixed,
            var_random: None,
            var_residual: s2,
            slopes_left_out,
            note: Some(SINGULAR_R2_NOTE.into()),
        }
    } else {
        let total = var_fixed + var_random + s2;
        R2 {
            marginal: var_fixed / total,
            conditional: Some((var_fixed + var_random) / total),
            var_fixed,
            var_random: Some(var_random),
            var_residual: s2,
            slopes_left_out,
            note: None,
        }
    };
    VarianceExplained {
        r2,
        shares: variance_shares(model, s2),
        warnings,
    }
}

/// Why a singular fit has no conditional R².
const SINGULAR_R2_NOTE: &str = "No conditional R²: a random-effect variance is estimated at \
    (nearly) zero, a singular fit. As performance::r2_nakagawa does, the random-effect variance \
    is then left out, and the marginal R² is the fixed effects' share of the fixed plus residual \
    variance.";

/// tr(Λ_k Λ_k' Z_k'Z_k) over the columns in `keep` (the random variance of term k summed over
/// the rows, relative to σ²).
fn term_variance(model: &LinearMixedModel, k: usize, keep: &[bool]) -> f64 {
    let q = model.terms[k].q();
    let sigma = model.relative_covariance(k);
    let gram = model.term_gram(k);
    let mut trace = 0.0;
    for a in (0..q).filter(|&a| keep[a]) {
        for b in (0..q).filter(|&b| keep[b]) {
            trace += sigma[b * q + a] * gram[a * q + b];
        }
    }
    trace
}

/// Each grouping factor's variance over the rows used (all its terms and columns) and σ², as
/// shares of their sum, grouping factors in the model's order.
fn variance_shares(model: &LinearMixedModel, s2: f64) -> Vec<VarianceShare> {
    let n = model.nobs as f64;
    let mut parts: Vec<(String, f64)> = Vec::new();
    for (k, term) in model.terms.iter().enumerate() {
        let v = s2 * term_variance(model, k, &vec![true; term.q()]) / n;
        match parts.iter_mut().find(|(g, _)| *g == term.group) {
            Some((_, total)) => *total += v,
            None => parts.push((term.group.clone(), v)),
        }
    }
    parts.push(("Residual".into(), s2));
    let total: f64 = parts.iter().map(|(_, v)| v).sum();
    parts
        .into_iter()
        .map(|(group, variance)| VarianceShare {
            group,
            variance,
            share: variance / total,
        })
        .collect()
}

/// `a`, `a` and `b`, `a, b` and `c`, each in backticks.
fn names_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}
