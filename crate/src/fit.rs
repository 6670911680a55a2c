//! Minimising the profiled criterion over theta.
//!
//! theta has few elements (three for a correlated random slope) and, once the cross-products are
//! formed, each evaluation is cheap. A bounded Nelder-Mead simplex (lme4's `Nelder_Mead` is the
//! same family) finds the basin without derivatives and is hard to fool, but crawls at the end;
//! Newton steps on central finite-difference quadratics, with the bounds as an active set, then
//! converge in a few dozen evaluations. Where Newton cannot certify the optimum (indefinite
//! curvature), the simplex is restarted from the best point with tight tolerances instead.
//! Last, a check of the boundary: a variance that wants to be zero is set to exactly zero when
//! that is no worse, as BOBYQA in lme4 lands there. The record of the run ([`OptSummary`]) is
//! part of every result.

mod phi;

use crate::model::LinearMixedModel;
use nalgebra::DMatrix;
pub use phi::{fit_correlated, PhiSearch};

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

/// `f(x)`, counted in `evals`; NaN (a failed factorisation) reads as +inf, worse than anything.
fn counted<F: FnMut(&[f64]) -> f64>(f: &mut F, x: &[f64], evals: &mut usize) -> f64 {
    *evals += 1;
    let v = f(x);
    if v.is_nan() {
        f64::INFINITY
    } else {
        v
    }
}

fn project(x: &mut [f64], lower: &[f64]) {
    for (xi, &lb) in x.iter_mut().zip(lower) {
        if *xi < lb {
            *xi = lb;
        }
    }
}

/// One Nelder-Mead run from `start` with initial step `step`. Returns (best x, best f, evals,
/// converged).
fn nelder_mead<F: FnMut(&[f64]) -> f64>(
    f: &mut F,
    start: &[f64],
    lower: &[f64],
    step: f64,
    settings: &NelderMeadSettings,
    budget: usize,
) -> (Vec<f64>, f64, usize, bool) {
    let n = start.len();
    let mut evals = 0;
    let mut eval = |x: &[f64], evals: &mut usize| counted(f, x, evals);
    let mut simplex: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
    simplex.push(start.to_vec());
    for i in 0..n {
        let mut x = start.to_vec();
        // Step away from a lower bound, never onto the wrong side of it.
        x[i] += if x[i] - step < lower[i] || i % 2 == 0 {
            step
        } else {
            -step
        };
        project(&mut x, lower);
        simplex.push(x);
    }
    let mut values: Vec<f64> = simplex.iter().map(|x| eval(x, &mut evals)).collect();
    let mut converged = false;
    while evals < budget {
        // Order the vertices best to worst.
        let mut order: Vec<usize> = (0..=n).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        simplex = order.iter().map(|&i| simplex[i].clone()).collect();
        values = order.iter().map(|&i| values[i]).collect();
        let spread_f = (values[n] - values[0]).abs();
        let spread_x = (1..=n)
            .flat_map(|i| (0..n).map(move |j| (i, j)))
            .map(|(i, j)| (simplex[i][j] - simplex[0][j]).abs())
            .fold(0.0, f64::max);
        if spread_f <= settings.f_tol * (1.0 + values[0].abs()) && spread_x <= settings.x_tol {
            converged = true;
            break;
        }
        let centroid: Vec<f64> = (0..n)
            .map(|j| simplex[..n].iter().map(|x| x[j]).sum::<f64>() / n as f64)
            .collect();
        let along = |t: f64| -> Vec<f64> {
            let mut x: Vec<f64> = (0..n)
                .map(|j| centroid[j] + t * (simplex[n][j] - centroid[j]))
                .collect();
            project(&mut x, lower);
            x
        };
        let xr = along(-1.0);
        let fr = eval(&xr, &mut evals);
        if fr < values[0] {
            let xe = along(-2.0);
            let fe = eval(&xe, &mut evals);
            if fe < fr {
                simplex[n] = xe;
                values[n] = fe;
            } else {
                simplex[n] = xr;
                values[n] = fr;
            }
        } else if fr < values[n - 1] {
            simplex[n] = xr;
            values[n] = fr;
        } else {
            let (xc, fc) = if fr < values[n] {
                let xc = along(-0.5);
                let fc = eval(&xc, &mut evals);
                (xc, fc)
            } else {
                let xc = along(0.5);
                let fc = eval(&xc, &mut evals);
                (xc, fc)
            };
            if fc < values[n].min(fr) {
                simplex[n] = xc;
                values[n] = fc;
            } else {
                // Shrink towards the best vertex.
                for i in 1..=n {
                    let mut x: Vec<f64> = (0..n)
                        .map(|j| simplex[0][j] + 0.5 * (simplex[i][j] - simplex[0][j]))
                        .collect();
                    project(&mut x, lower);
                    values[i] = eval(&x, &mut evals);
                    simplex[i] = x;
                }
            }
        }
    }
    let best = (0..=n)
        .min_by(|&a, &b| values[a].total_cmp(&values[b]))
        .unwrap_or(0);
    (simplex[best].clone(), values[best], evals, converged)
}

/// Newton steps from `x0` on central finite-difference gradients and Hessians, with a halving
/// line search and the bounds as an active set (a coordinate at its bound whose gradient pushes
/// outwards stays there). Only improvements are taken. Returns (x, f(x), evaluations, converged):
/// converged when the step no longer lowers the criterion beyond rounding and the projected
/// gradient is small.
fn newton_polish<F: FnMut(&[f64]) -> f64>(
    f: &mut F,
    x0: &[f64],
    f0: f64,
    lower: &[f64],
) -> (Vec<f64>, f64, usize, bool) {
    let k = x0.len();
    let mut x = x0.to_vec();
    let mut fx = f0;
    let mut evals = 0;
    let mut eval = |x: &[f64], evals: &mut usize| counted(f, x, evals);
    for _ in 0..10 {
        let h: Vec<f64> = x.iter().map(|xi| 1e-4 * xi.abs().max(0.05)).collect();
        let at = |x: &[f64], steps: &[(usize, f64)]| {
            let mut y = x.to_vec();
            for &(i, s) in steps {
                y[i] += s;
            }
            y
        };
        let mut g = vec![0.0; k];
        let mut hess = DMatrix::zeros(k, k);
        let mut f_plus = vec![0.0; k];
        for i in 0..k {
            let fp = eval(&at(&x, &[(i, h[i])]), &mut evals);
            f_plus[i] = fp;
            let fm = eval(&at(&x, &[(i, -h[i])]), &mut evals);
            g[i] = (fp - fm) / (2.0 * h[i]);
            hess[(i, i)] = (fp - 2.0 * fx + fm) / (h[i] * h[i]);
        }
        // Off-diagonal curvature from one more point per pair (forward differences, whose
        // first-order error only bends the step direction; the gradient that decides
        // convergence is central): k(k - 1)/2 evaluations instead of 2k(k - 1).
        for i in 0..k {
            for j in 0..i {
                let fpp = eval(&at(&x, &[(i, h[i]), (j, h[j])]), &mut evals);
                let v = (fpp - f_plus[i] - f_plus[j] + fx) / (h[i] * h[j]);
                hess[(i, j)] = v;
                hess[(j, i)] = v;
            }
        }
        if g.iter().chain(hess.iter()).any(|v| !v.is_finite()) {
            return (x, fx, evals, false);
        }
        // Active set: at the bound and pushed outwards.
        let free: Vec<usize> = (0..k)
            .filter(|&i| !(x[i] <= lower[i] && g[i] > 0.0))
            .collect();
        let projected_gradient = free.iter().map(|&i| g[i].abs()).fold(0.0, f64::max);
        if free.is_empty() || projected_gradient < 1e-7 * (1.0 + fx.abs()) {
            return (x, fx, evals, true);
        }
        let hf = DMatrix::from_fn(free.len(), free.len(), |a, b| hess[(free[a], free[b])]);
        let gf = nalgebra::DVector::from_iterator(free.len(), free.iter().map(|&i| -g[i]));
        let Some(direction) = hf.cholesky().map(|c| c.solve(&gf)) else {
            return (x, fx, evals, false);
        };
        let mut t = 1.0;
        let mut accepted = false;
        for _ in 0..12 {
            let mut trial = x.clone();
            for (a, &i) in free.iter().enumerate() {
                trial[i] += t * direction[a];
            }
            project(&mut trial, lower);
            let ft = eval(&trial, &mut evals);
            if ft < fx {
                let gain = fx - ft;
                x = trial;
                fx = ft;
                accepted = true;
                if gain < 1e-10 * (1.0 + fx.abs()) {
                    return (x, fx, evals, true);
                }
                break;
            }
            t *= 0.5;
        }
        if !accepted {
            // No descent along the Newton direction: at the optimum up to rounding when the
            // gradient is small, otherwise the curvature was misleading.
            return (x, fx, evals, projected_gradient < 1e-4 * (1.0 + fx.abs()));
        }
    }
    (x, fx, evals, false)
}

/// Minimises `f` over `x >= lower` from `start`: Nelder-Mead with restarts, then the boundary
/// check described in the module documentation.
pub fn minimize<F: FnMut(&[f64]) -> f64>(
    mut f: F,
    start: &[f64],
    lower: &[f64],
    settings: &NelderMeadSettings,
) -> OptSummary {
    let mut evaluations = 0;
    // A simplex finds the basin reliably but crawls at the end; Newton steps on a
    // finite-difference quadratic finish the job in a few dozen evaluations. The simplex stops
    // early (1e-2 in theta): each Newton step costs 2k + k(k - 1)/2 evaluations, while the
    // simplex spends several times that per digit once it is near the optimum, and a model with
    // many variance parameters (or many levels) pays for every evaluation.
    let rough = NelderMeadSettings {
        f_tol: 1e-6,
        x_tol: 1e-2,
        max_evaluations: settings.max_evaluations,
    };
    let (mut x, mut fx, used, _) =
        nelder_mead(&mut f, start, lower, 0.25, &rough, settings.max_evaluations);
    evaluations += used;
    let (x_newton, f_newton, used, mut converged) = newton_polish(&mut f, &x, fx, lower);
    evaluations += used;
    if f_newton <= fx {
        x = x_newton;
        fx = f_newton;
    }
    // Where Newton could not certify the optimum (an indefinite curvature, say), restart the
    // simplex from the best point with the tight tolerances: a simplex can collapse early.
    let mut step = 1e-3;
    for _ in 0..6 {
        if converged || evaluations >= settings.max_evaluations {
            break;
        }
        let (x2, f2, used, conv2) = nelder_mead(
            &mut f,
            &x,
            lower,
            step,
            settings,
            settings.max_evaluations - evaluations,
        );
        evaluations += used;
        let improved = f2 < fx - 1e-10 * (1.0 + fx.abs());
        if f2 <= fx {
            x = x2;
            fx = f2;
            converged = conv2;
        }
        if !improved {
            break;
        }
        step *= 0.5;
    }
    // The boundary: try each bounded coordinate that is close to its bound exactly at the bound.
    for i in 0..x.len() {
        if lower[i].is_finite() && x[i] - lower[i] < 1e-3 {
            let mut trial = x.clone();
            trial[i] = lower[i];
            let ft = f(&trial);
            evaluations += 1;
            if ft <= fx + 1e-12 * (1.0 + fx.abs()) {
                x = trial;
                fx = ft.min(fx);
            }
        }
    }
    let message = if converged {
        "converged: no step lowers the criterion and its projected gradient is ~0".to_string()
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
        |theta| model.criterion(theta, reml),
        &start,
        &lower,
        &NelderMeadSettings::default(),
    );
    model.criterion(&summary.final_theta, reml);
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_an_interior_minimum() {
        let f = |x: &[f64]| (x[0] - 1.5).powi(2) + 10.0 * (x[1] + 0.3).powi(2) + 2.0;
        let s = minimize(
            f,
            &[1.0, 0.0],
            &[0.0, f64::NEG_INFINITY],
            &NelderMeadSettings::default(),
        );
        assert!((s.final_theta[0] - 1.5).abs() < 1e-5, "{:?}", s);
        assert!((s.final_theta[1] + 0.3).abs() < 1e-5, "{:?}", s);
        assert!((s.objective - 2.0).abs() < 1e-10);
        assert!(s.converged);
    }

    #[test]
    fn lands_exactly_on_the_boundary() {
        let f = |x: &[f64]| (x[0] + 0.5).powi(2);
        let s = minimize(f, &[1.0], &[0.0], &NelderMeadSettings::default());
        assert_eq!(s.final_theta[0], 0.0);
    }
}
