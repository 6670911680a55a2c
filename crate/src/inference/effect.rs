//! The fitted effect of one predictor: the model's prediction X β over the predictor's observed
//! range with a pointwise 95% confidence band, the other columns of X held at their means over
//! the rows used (Fox & Weisberg's effect displays; emmeans' reference grid at the means).
//!
//! Holding a factor's dummy columns at their means averages the prediction over the factor's
//! levels in proportion to how often each occurs among the rows used: emmeans'
//! `weights = "proportional"` (its default weights every level equally). An interaction column
//! with the predictor, `x:z`, moves with x as x times the mean of `z`, which is what emmeans
//! does for a numeric z held at its mean. The band is `fit ± t(0.975, df) · se`, with
//! `se² = xᵀ V x` from the fit's covariance of β (`FitResult::vcov`; under Kenward-Roger the
//! adjusted one, `FitResult::vcov_adjusted`, as pbkrtest's `vcovAdj`) and the df of the
//! predictor's own coefficient (emmeans computes a df per grid point; for a single slope
//! moving along its own column they agree where the band is widest).

use crate::design::Design;
use crate::model::ModelError;
use crate::result::FitResult;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Points along the predictor's range: enough for a smooth band, few enough to send.
pub const EFFECT_POINTS: usize = 41;

/// A column of X held fixed while the predictor moves, and the value it is held at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeldColumn {
    pub name: String,
    pub value: f64,
}

/// The fitted effect of [`EffectCurve::term`] over its range.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EffectCurve {
    /// The predictor: a column of X as lme4 names it (`within(wai)`).
    pub term: String,
    /// The outcome as the result names it.
    pub response: String,
    /// The predictor's values, evenly spaced from its smallest to its largest among the rows used.
    pub x: Vec<f64>,
    /// The prediction at each x.
    pub fit: Vec<f64>,
    /// Its standard error, from the fit's covariance of β.
    pub se: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    /// The df of the band's t quantile (the predictor's coefficient's df).
    pub df: f64,
    /// The other columns of X at their means (the intercept at 1).
    pub held: Vec<HeldColumn>,
    /// Interaction columns that move with the predictor (x times the others' means).
    pub interactions: Vec<String>,
    /// Columns that are factor levels or other non-numeric parts are averaged in proportion:
    /// always "proportional" (emmeans' `weights = "proportional"`).
    pub weights: &'static str,
}

/// The fitted effect of `term` (a column of `design.x`) for `fit`, the fit of `design`.
/// Errors: [`ModelError::FitDoesNotMatch`] for a fit of another model;
/// [`ModelError::EffectNotDrawable`] for the intercept, a name that is not a column, a column
/// that does not vary, or an interaction with a part that is not a column of its own.
pub fn effect_curve(
    design: &Design,
    fit: &FitResult,
    term: &str,
) -> Result<EffectCurve, ModelError> {
    let names = &design.x.names;
    // Under Kenward-Roger the band uses the adjusted covariance, as the SEs of the table do.
    let vcov = fit.vcov_adjusted.as_ref().unwrap_or(&fit.vcov);
    if names.iter().ne(fit.fixed.iter().map(|f| &f.term)) || vcov.len() != names.len() {
        return Err(ModelError::FitDoesNotMatch {
            what: "the fixed effects".into(),
        });
    }
    let refuse = |reason: String| ModelError::EffectNotDrawable {
        term: term.into(),
        reason,
    };
    let col = names.iter().position(|n| n == term).ok_or_else(|| {
        refuse(format!(
            "it is not a fixed effect of the model (they are: {})",
            names.join(", ")
        ))
    })?;
    if term == "(Intercept)" {
        return Err(refuse(
            "the intercept does not vary; choose a predictor".into(),
        ));
    }
    let n = design.data.nrows().max(1) as f64;
    let means: Vec<f64> = design
        .x
        .column_sums(&design.data)
        .sums
        .iter()
        .map(|s| s / n)
        .collect();
    let (lo, hi) = range(&design.x.column(&design.data, col));
    if hi <= lo {
        return Err(refuse("it takes a single value on the rows used".into()));
    }
    let moving = moving_columns(names, &means, col, term).map_err(refuse)?;
    let effect = &fit.fixed[col];
    let quantile = StudentsT::new(0.0, 1.0, effect.df)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(f64::NAN);
    let beta: Vec<f64> = fit.fixed.iter().map(|f| f.estimate).collect();
    let steps = (EFFECT_POINTS - 1) as f64;
    let x: Vec<f64> = (0..EFFECT_POINTS)
        .map(|i| lo + (hi - lo) * i as f64 / steps)
        .collect();
    let mut curve = EffectCurve {
        term: term.into(),
        response: fit.response.clone(),
        x: x.clone(),
        fit: Vec::new(),
        se: Vec::new(),
        lower: Vec::new(),
        upper: Vec::new(),
        df: effect.df,
        held: Vec::new(),
        interactions: Vec::new(),
        weights: "proportional",
    };
    for &v in &x {
        let row: Vec<f64> = (0..names.len())
            .map(|j| moving[j].map_or(means[j], |factor| v * factor))
            .collect();
        let fitted = dot(&row, &beta);
        let se = quadratic_form(vcov, &row).max(0.0).sqrt();
        curve.fit.push(fitted);
        curve.se.push(se);
        curve.lower.push(fitted - quantile * se);
        curve.upper.push(fitted + quantile * se);
    }
    for (j, name) in names.iter().enumerate() {
        match moving[j] {
            None => curve.held.push(HeldColumn {
                name: name.clone(),
                value: means[j],
            }),
            Some(_) if j != col => curve.interactions.push(name.clone()),
            Some(_) => {}
        }
    }
    Ok(curve)
}

/// For each column of X, `Some(factor)` when it moves with the predictor as `x * factor` (the
/// predictor itself: 1; an interaction `x:z`: the product of the other parts' means), `None`
/// when it is held at its mean.
fn moving_columns(
    names: &[String],
    means: &[f64],
    col: usize,
    term: &str,
) -> Result<Vec<Option<f64>>, String> {
    let mean_of = |part: &str| names.iter().position(|n| n == part).map(|j| means[j]);
    names
        .iter()
        .enumerate()
        .map(|(j, name)| {
            if j == col {
                return Ok(Some(1.0));
            }
            let parts: Vec<&str> = name.split(':').collect();
            if parts.len() < 2 || !parts.contains(&term) {
                return Ok(None);
            }
            parts
                .iter()
                .filter(|p| **p != term)
                .map(|p| {
                    mean_of(p).ok_or_else(|| {
                        format!("its interaction `{name}` has the part `{p}`, which is not a column of its own to hold at its mean")
                    })
                })
                .product::<Result<f64, String>>()
                .map(Some)
        })
        .collect()
}

/// Smallest and largest finite value.
fn range(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// xᵀ V x.
fn quadratic_form(v: &[Vec<f64>], x: &[f64]) -> f64 {
    v.iter().zip(x).map(|(row, xi)| xi * dot(row, x)).sum()
}
