//! Minimising the profiled criterion over theta.
//!
//! theta has few elements (three for a correlated random slope, six for three correlated
//! terms), but an evaluation of a crossed model costs a dense Cholesky, so the number of
//! evaluations decides the time. A bounded trust-region Newton method on finite-difference
//! quadratics ([`trust`]) goes from the start to the optimum in a handful of steps: far from it
//! the trust radius keeps indefinite curvature harmless, near it Newton converges
//! quadratically. Where it cannot certify the optimum, a bounded Nelder-Mead simplex
//! ([`simplex`]) is restarted from the best point with tight tolerances, and the trust region
//! then tried again from the simplex's best point. Last, a check of the boundary: a variance
//! that wants to be zero is set to exactly zero when that is no worse, as BOBYQA in lme4 lands
//! there. The record of the run ([`OptSummary`]) is part of every result.
//!
//! The finite-difference stencil of each step is one batch ([`Criterion::values`]): its points
//! do not depend on each other's values, so a model evaluates them over several threads natively
//! and in the order that reuses most of its factor, with the same bits as one by one.

mod phi;
mod simplex;
mod trust;

use crate::model::LinearMixedModel;
pub use phi::{fit_correlated, PhiSearch};
use simplex::nelder_mead;
use trust::trust_region;

/// The method, as the result's provenance names it.
pub const OPTIMIZER: &str =
    "bounded trust-region Newton on finite differences (Nelder-Mead as the fallback)";

/// The optimizer's provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct OptSummary {
    pub initial: Vec<f64>,
    pub final_theta: Vec<f64>,
    pub objective: f64,
    pub evaluations: usize,
    pub converged: bool,
    pub message: String,
}

/// Settings of the simplex search.
#[derive(Debug, Clone)]
pub struct NelderMeadSettings {
    /// Stop when the criterion differs by less than this across the simplex.
    pub f_tol: f64,
    /// ... and the simplex is smaller than this in every coordinate.
    pub x_tol: f64,
    pub max_evaluations: usize,
}

impl Default for NelderMeadSettings {
    fn default() -> Self {
        NelderMeadSettings {
            f_tol: 1e-11,
            x_tol: 1e-9,
            max_evaluations: 20_000,
        }
    }
}

/// The function the optimizer minimises: at one point, or at a batch of points that do not
/// depend on each other's values (a finite-difference stencil), which a model evaluates over
/// several threads ([`LinearMixedModel::at_each`]).
pub trait Criterion {
    fn value(&mut self, x: &[f64]) -> f64;

    fn values(&mut self, xs: &[Vec<f64>]) -> Vec<f64> {
        xs.iter().map(|x| self.value(x)).collect()
    }
}

impl<F: FnMut(&[f64]) -> f64> Criterion for F {
    fn value(&mut self, x: &[f64]) -> f64 {
        self(x)
    }
}

/// A model's profiled criterion (REML or ML) over theta.
pub struct Profiled<'m> {
    pub model: &'m mut LinearMixedModel,
    pub reml: bool,
}

impl Criterion for Profiled<'_> {
    fn value(&mut self, theta: &[f64]) -> f64 {
        self.model.criterion(theta, self.reml)
    }

    fn values(&mut self, thetas: &[Vec<f64>]) -> Vec<f64> {
        let reml = self.reml;
        self.model.at_each(thetas, |m| m.objective(reml))
    }
}

/// NaN (a failed factorisation) reads as +inf, worse than anything.
fn finite_or_worst(v: f64) -> f64 {
    if v.is_nan() {
        f64::INFINITY
    } else {
        v
    }
}

/// `f(x)`, counted in `evals`.
fn counted<C: Criterion>(f: &mut C, x: &[f64], evals: &mut usize) -> f64 {
    *evals += 1;
    finite_or_worst(f.value(x))
}

/// f at each of `xs`, counted in `evals`.
fn counted_batch<C: Criterion>(f: &mut C, xs: &[Vec<f64>], evals: &mut usize) -> Vec<f64> {
    *evals += xs.len();
    f.values(xs).into_iter().map(finite_or_worst).collect()
}

/// The trust radius the search starts with: half the scale of a theta element, so that a first
/// step on a poor quadratic cannot leave the region of plausible values.
const INITIAL_RADIUS: f64 = 0.5;

/// Minimises `f` over `x >= lower` from `start`: the trust region, the simplex where it fails,
/// then the boundary check described in the module documentation.
pub fn minimize<C: Criterion>(
    mut f: C,
    start: &[f64],
    lower: &[f64],
    settings: &NelderMeadSettings,
) -> OptSummary {
    let budget = settings.max_evaluations;
    let mut evaluations = 0;
    let f_start = counted(&mut f, start, &mut evaluations);
    let outcome = trust_region(&mut f, start, f_start, lower, INITIAL_RADIUS, budget - 1);
    evaluations += outcome.evaluations;
    let (mut x, mut fx, mut converged) = (outcome.x, outcome.f, outcome.converged);
    // The fallback: a simplex restarted from the best point with the tight tolerances (it can
    // collapse early, hence the restarts with smaller steps), each followed by the trust region
    // from its best point, which certifies the optimum when the simplex reached its basin.
    let mut step = 0.1;
    for _ in 0..4 {
        if converged || evaluations >= budget {
            break;
        }
        let (x2, f2, used, _) =
            nelder_mead(&mut f, &x, lower, step, settings, budget - evaluations);
        evaluations += used;
        let improved = f2 < fx - 1e-10 * (1.0 + fx.abs());
        if f2 <= fx {
            x = x2;
            fx = f2;
        }
        let polished = trust_region(
            &mut f,
            &x,
            fx,
            lower,
            step,
            budget.saturating_sub(evaluations),
        );
        evaluations += polished.evaluations;
        if polished.f <= fx {
            x = polished.x;
            fx = polished.f;
        }
        converged = polished.converged;
        if !improved {
            break;
        }
        step *= 0.1;
    }
    // The boundary: try each bounded coordinate that is close to its bound exactly at the bound.
    for i in 0..x.len() {
        if lower[i].is_finite() && x[i] > lower[i] && x[i] - lower[i] < 1e-3 {
            let mut trial = x.clone();
            trial[i] = lower[i];
            let ft = counted(&mut f, &trial, &mut evaluations);
            if ft <= fx + 1e-12 * (1.0 + fx.abs()) {
                x = trial;
                fx = ft.min(fx);
            }
        }
    }
    let message = if converged {
        "converged: a small Newton step within the trust region, projected gradient ~0".to_string()
    } else {
        format!("stopped after {evaluations} evaluations without meeting the tolerance")
    };
    OptSummary {
        initial: start.to_vec(),
        final_theta: x,
        objective: fx,
        evaluations,
        converged,
        message,
    }
}

/// Fits `model` by REML or ML; leaves the model at the optimum.
pub fn fit_model(model: &mut LinearMixedModel, reml: bool) -> OptSummary {
    let start = model.initial_theta();
    let lower = model.lower.clone();
    let summary = minimize(
        Profiled {
            model: &mut *model,
            reml,
        },
        &start,
        &lower,
        &NelderMeadSettings::default(),
    );
    model.criterion(&summary.final_theta, reml);
    summary
}

#[cfg(test)]
mod tests;
