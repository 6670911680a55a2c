//! The bounded Nelder-Mead simplex: the fallback where the trust-region search cannot certify
//! the optimum. A simplex needs no derivatives and is hard to fool (lme4's `Nelder_Mead` is the
//! same family), but crawls near the optimum; a point outside the bounds is projected onto them.

use super::{counted, Criterion, NelderMeadSettings};

fn project(x: &mut [f64], lower: &[f64]) {
    for (xi, &lb) in x.iter_mut().zip(lower) {
        if *xi < lb {
            *xi = lb;
        }
    }
}

/// One Nelder-Mead run from `start` with initial step `step`. Returns (best x, best f, evals,
/// converged).
pub(super) fn nelder_mead<F: Criterion>(
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
