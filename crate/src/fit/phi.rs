//! The outer search over phi for a model with a residual correlation.
//!
//! For a given phi the cross-products of the whitened rows are formed once
//! ([`LinearMixedModel::set_phi`]: a weighted sum of products split by time step, or one pass
//! over the data); the profiled criterion is then minimised over theta as for any other model.
//! The best criterion over theta is a smooth function of phi alone, minimised by Brent's bounded
//! one-dimensional search (golden sections with parabolic steps, Brent 1973, ch. 5; R's
//! `optimize` is the same method), so the data are read at most once per phi tried, never once
//! per theta. Each inner search starts from the best theta so far: neighbouring phi have
//! neighbouring optima, and the inner search then needs few steps.

use super::{minimize, NelderMeadSettings, OptSummary, Profiled};
use crate::model::{LinearMixedModel, ModelError};

/// What the outer search did (part of the fit's provenance).
#[derive(Debug, Clone, PartialEq)]
pub struct PhiSearch {
    pub phi: f64,
    /// The interval searched.
    pub lower: f64,
    pub upper: f64,
    /// phi values tried: one pass over the data each.
    pub evaluations: usize,
    /// True when phi is at the interval's closed lower end (0 for CAR(1)).
    pub at_boundary: bool,
}

/// Absolute tolerance on phi: far below what the data can tell apart (its standard error is
/// of order 1 / sqrt(n)), and each step costs a pass over the data.
const PHI_TOL: f64 = 1e-5;

/// The profiled criterion as a function of phi, with the record of its evaluations.
struct Profile {
    reml: bool,
    theta_lower: Vec<f64>,
    /// The best theta at the last phi: the next inner search starts there.
    best_theta: Vec<f64>,
    evaluations: usize,
    inner_evaluations: usize,
    failure: Option<ModelError>,
}

impl Profile {
    /// min over theta of the criterion at `phi` (the inner search leaves its theta in
    /// `best_theta`).
    fn at(&mut self, model: &mut LinearMixedModel, phi: f64) -> OptSummary {
        self.evaluations += 1;
        if let Err(e) = model.set_phi(phi) {
            self.failure = Some(e);
        }
        let reml = self.reml;
        let opt = minimize(
            Profiled {
                model: &mut *model,
                reml,
            },
            &self.best_theta,
            &self.theta_lower,
            &NelderMeadSettings::default(),
        );
        self.inner_evaluations += opt.evaluations;
        if opt.objective.is_finite() && self.failure.is_none() {
            self.best_theta.clone_from(&opt.final_theta);
        }
        opt
    }

    fn value(&mut self, model: &mut LinearMixedModel, phi: f64) -> f64 {
        let opt = self.at(model, phi);
        if self.failure.is_some() {
            f64::INFINITY
        } else {
            opt.objective
        }
    }
}

/// Fits theta and phi by REML or ML; leaves the model at the optimum. `closed_lower` says whether
/// phi may equal `lower` (CAR(1): phi = 0 is independence). Errors: a non-finite value in a pass.
pub fn fit_correlated(
    model: &mut LinearMixedModel,
    reml: bool,
    (lower, upper): (f64, f64),
    closed_lower: bool,
) -> Result<(OptSummary, PhiSearch), ModelError> {
    let start = model.initial_theta();
    let mut profile = Profile {
        reml,
        theta_lower: model.lower.clone(),
        best_theta: start.clone(),
        evaluations: 0,
        inner_evaluations: 0,
        failure: None,
    };
    let (mut phi, value) = brent(|phi| profile.value(model, phi), lower, upper, PHI_TOL);
    let mut at_boundary = false;
    if closed_lower && phi - lower < 1e-3 && profile.value(model, lower) <= value {
        phi = lower;
        at_boundary = true;
    }
    if let Some(e) = profile.failure.take() {
        return Err(e);
    }
    // The inner search at the chosen phi, from the best theta found, is the recorded one.
    let mut summary = profile.at(model, phi);
    model.criterion(&summary.final_theta, reml);
    summary.initial = start;
    summary.evaluations = profile.inner_evaluations;
    Ok((
        summary,
        PhiSearch {
            phi,
            lower,
            upper,
            evaluations: profile.evaluations,
            at_boundary,
        },
    ))
}

/// Brent's minimisation of `f` on (a, b) to absolute tolerance `tol`: (x, f(x)).
fn brent<F: FnMut(f64) -> f64>(mut f: F, mut a: f64, mut b: f64, tol: f64) -> (f64, f64) {
    let golden = 0.5 * (3.0 - 5f64.sqrt());
    let eps = f64::EPSILON.sqrt();
    let mut x = a + golden * (b - a);
    let (mut w, mut v) = (x, x);
    let mut fx = f(x);
    let (mut fw, mut fv) = (fx, fx);
    let (mut d, mut e) = (0.0f64, 0.0f64);
    for _ in 0..200 {
        let middle = 0.5 * (a + b);
        let tol1 = eps * x.abs() + tol / 3.0;
        let tol2 = 2.0 * tol1;
        if (x - middle).abs() <= tol2 - 0.5 * (b - a) {
            break;
        }
        let mut golden_step = true;
        if e.abs() > tol1 {
            // A parabola through (v, w, x), taken when it falls well inside the bracket.
            let r = (x - w) * (fx - fv);
            let mut q = (x - v) * (fx - fw);
            let mut p = (x - v) * q - (x - w) * r;
            q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            } else {
                q = -q;
            }
            let previous = e;
            e = d;
            if p.abs() < (0.5 * q * previous).abs() && p > q * (a - x) && p < q * (b - x) {
                d = p / q;
                let u = x + d;
                if u - a < tol2 || b - u < tol2 {
                    d = tol1.copysign(middle - x);
                }
                golden_step = false;
            }
        }
        if golden_step {
            e = if x < middle { b - x } else { a - x };
            d = golden * e;
        }
        let u = x + if d.abs() >= tol1 { d } else { tol1.copysign(d) };
        let fu = f(u);
        if fu <= fx {
            if u < x {
                b = x;
            } else {
                a = x;
            }
            (v, fv, w, fw, x, fx) = (w, fw, x, fx, u, fu);
        } else {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if fu <= fw || w == x {
                (v, fv, w, fw) = (w, fw, u, fu);
            } else if fu <= fv || v == x || v == w {
                (v, fv) = (u, fu);
            }
        }
    }
    (x, fx)
}

#[cfg(test)]
mod tests {
    use super::brent;

    #[test]
    fn brent_finds_a_minimum_inside_and_near_an_end() {
        let mut calls = 0;
        let (x, fx) = brent(
            |x| {
                calls += 1;
                (x - 0.43).powi(2) + 1.0
            },
            -1.0,
            1.0,
            1e-6,
        );
        assert!((x - 0.43).abs() < 1e-5 && (fx - 1.0).abs() < 1e-10, "{x}");
        assert!(calls < 30, "{calls} evaluations");
        let (x, _) = brent(|x| x, 0.0, 1.0, 1e-6);
        assert!(x < 1e-5, "{x}");
    }
}
