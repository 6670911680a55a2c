//! Minimising the profiled criterion over theta.
//!
//! theta has few elements (three for a correlated random slope) and, once the cross-products are
//! formed, each evaluation is cheap, so a derivative-free method that is hard to fool is the right
//! tool: a bounded Nelder-Mead simplex (lme4's `Nelder_Mead` is the same family), restarted from
//! its own optimum until a restart no longer improves the criterion, then a check of the boundary:
//! a variance that wants to be zero is set to exactly zero when that is no worse, as BOBYQA in
//! lme4 lands there. The record of the run ([`OptSummary`]) is part of every result.

use crate::model::LinearMixedModel;

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
    let mut eval = |x: &[f64], evals: &mut usize| {
        *evals += 1;
        let v = f(x);
        if v.is_nan() {
            f64::INFINITY
        } else {
            v
        }
    };
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

/// Minimises `f` over `x >= lower` from `start`: Nelder-Mead with restarts, then the boundary
/// check described in the module documentation.
pub fn minimize<F: FnMut(&[f64]) -> f64>(
    mut f: F,
    start: &[f64],
    lower: &[f64],
    settings: &NelderMeadSettings,
) -> OptSummary {
    let mut evaluations = 0;
    let (mut x, mut fx, used, mut converged) = nelder_mead(
        &mut f,
        start,
        lower,
        0.25,
        settings,
        settings.max_evaluations,
    );
    evaluations += used;
    // Restart from the optimum: a simplex can collapse before reaching the minimum.
    let mut step = 1e-3;
    for _ in 0..6 {
        if evaluations >= settings.max_evaluations {
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
        "converged: the criterion changed by less than the tolerance across the simplex".to_string()
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
