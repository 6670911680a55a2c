//! A bounded trust-region Newton method on finite-difference quadratics.
//!
//! At the current point the gradient and Hessian come from central differences (one-sided where
//! a bound is closer than the difference step), costing 2k + k(k - 1)/2 evaluations for k
//! parameters. The step minimises that quadratic within a ball of radius `radius` (Moré and
//! Sorensen 1983, "Computing a trust region step": s = -(H + lambda I)^-1 g with the smallest
//! lambda >= 0 that keeps H + lambda I positive semidefinite and the step inside the ball, by the
//! eigen-decomposition of H, which is cheap for a handful of variance parameters). Indefinite
//! curvature, far from the optimum, then still gives a descent step, and a trial that fails
//! costs one evaluation: the radius shrinks and the same quadratic is used again. The bounds are
//! an active set: a coordinate at its bound whose gradient pushes outwards stays there, and one
//! the step would carry across its bound is fixed exactly at it and the rest solved again, so a
//! variance that wants to be zero lands on zero (as BOBYQA's steps do in lme4). Newton's
//! quadratic convergence near the optimum is what saves evaluations over a simplex (Nocedal and
//! Wright 2006, ch. 4).

use super::{counted, counted_batch, Criterion};
use nalgebra::{DMatrix, DVector, SymmetricEigen};

/// Where the search ended.
pub(super) struct Outcome {
    pub x: Vec<f64>,
    pub f: f64,
    pub evaluations: usize,
    /// True when a full Newton step, small against the scale of every coordinate, was the last
    /// one taken (or failed only by rounding): the point is the optimum to about the square of
    /// that step.
    pub converged: bool,
}

/// A full Newton step below this fraction of a coordinate's scale ends the search: the error
/// left after it is of the order of its square (and of the Hessian's finite-difference error
/// times the step), far below what the golden tolerances can see.
const STEP_TOL: f64 = 1e-3;

/// The minimum over t of the parabola with p(0) = 0, p'(0) = slope and p(1) = change, when
/// it curves upwards and descends at 0.
fn parabola_minimum(slope: f64, change: f64) -> Option<f64> {
    let curvature = change - slope;
    (slope < 0.0 && curvature > 0.0).then(|| -slope / (2.0 * curvature))
}

/// The scale of a coordinate: theta elements are relative standard deviations of order one, and
/// one near zero is still measured against 0.05 (a variance of 0.25% of the residual variance).
fn scale(xi: f64) -> f64 {
    xi.abs().max(0.05)
}

/// The gradient and Hessian of f at x by finite differences (None when a value is not finite).
struct Quadratic {
    g: DVector<f64>,
    h: DMatrix<f64>,
    /// The trust region's scaling: ||D s|| <= radius with D_i the square root of the
    /// curvature along coordinate i, relative to the largest (and at least `MIN_SCALING`).
    d: Vec<f64>,
}

/// The smallest relative scaling: a coordinate whose curvature is near zero may step at most
/// this many times further than the most curved one.
const MIN_SCALING: f64 = 1e-2;

/// The trust region's scaling. Without it the coordinate with the steepest slope takes the
/// whole radius and a weakly identified variance (few levels, a flat criterion) waits at its
/// start until the others have converged; scaled by curvature each moves about as far as its
/// own quadratic asks (Moré 1983; Nocedal and Wright 2006, sec. 4.5).
fn scaling(h: &DMatrix<f64>) -> Vec<f64> {
    let root: Vec<f64> = (0..h.nrows()).map(|i| h[(i, i)].abs().sqrt()).collect();
    let largest = root.iter().copied().fold(0.0, f64::max);
    if largest.is_nan() || largest <= 0.0 {
        return vec![1.0; root.len()];
    }
    root.iter()
        .map(|r| (r / largest).max(MIN_SCALING))
        .collect()
}

fn finite_differences<C: Criterion>(
    f: &mut C,
    x: &[f64],
    fx: f64,
    lower: &[f64],
    evals: &mut usize,
) -> Option<Quadratic> {
    let k = x.len();
    let at = |steps: &[(usize, f64)]| {
        let mut y = x.to_vec();
        for &(i, s) in steps {
            y[i] += s;
        }
        y
    };
    let h: Vec<f64> = x.iter().map(|&xi| 1e-4 * scale(xi)).collect();
    // Near the bound both points of a coordinate lie inside (x + h, x + 2h: second-order
    // one-sided differences); elsewhere x + h and x - h.
    let central: Vec<bool> = (0..k).map(|i| x[i] - h[i] >= lower[i]).collect();
    // Off-diagonal curvature from one more point per pair (forward differences, whose
    // first-order error only bends the step; the gradient that decides where the search stops
    // is central): k(k - 1)/2 evaluations instead of 2k(k - 1). They are not carried over
    // from the previous point: in a narrow curved valley stale cross terms shorten the Newton
    // step, and a short step would then pass for convergence.
    let pairs: Vec<(usize, usize)> = (0..k).flat_map(|i| (0..i).map(move |j| (i, j))).collect();
    // The whole stencil is one batch: its points do not depend on each other's values.
    let mut points = Vec::with_capacity(2 * k + pairs.len());
    for i in 0..k {
        points.push(at(&[(i, h[i])]));
        let other = if central[i] { -h[i] } else { 2.0 * h[i] };
        points.push(at(&[(i, other)]));
    }
    points.extend(pairs.iter().map(|&(i, j)| at(&[(i, h[i]), (j, h[j])])));
    let values = counted_batch(f, &points, evals);
    let mut g = DVector::zeros(k);
    let mut hess = DMatrix::zeros(k, k);
    let f_plus: Vec<f64> = (0..k).map(|i| values[2 * i]).collect();
    for i in 0..k {
        let (fp, other) = (values[2 * i], values[2 * i + 1]);
        if central[i] {
            g[i] = (fp - other) / (2.0 * h[i]);
            hess[(i, i)] = (fp - 2.0 * fx + other) / (h[i] * h[i]);
        } else {
            g[i] = (-3.0 * fx + 4.0 * fp - other) / (2.0 * h[i]);
            hess[(i, i)] = (fx - 2.0 * fp + other) / (h[i] * h[i]);
        }
    }
    for (&(i, j), &fij) in pairs.iter().zip(&values[2 * k..]) {
        let v = (fij - f_plus[i] - f_plus[j] + fx) / (h[i] * h[j]);
        hess[(i, j)] = v;
        hess[(j, i)] = v;
    }
    let finite = g.iter().chain(hess.iter()).all(|v| v.is_finite());
    finite.then(|| Quadratic {
        d: scaling(&hess),
        g,
        h: hess,
    })
}

/// The minimiser of g's + s'Hs/2 over ||s|| <= radius, and whether it is the Newton step
/// (lambda = 0, H positive definite).
fn ball_step(g: &DVector<f64>, h: &DMatrix<f64>, radius: f64) -> (DVector<f64>, bool) {
    let eigen = SymmetricEigen::new(h.clone());
    let gamma = eigen.eigenvectors.transpose() * g;
    let mu = &eigen.eigenvalues;
    let (smallest, mu_min) = mu
        .iter()
        .copied()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("a model has at least one parameter");
    // Components along eigenvectors with mu + lambda = 0 and no gradient are left out: the
    // "hard case" below adds them.
    let step = |lambda: f64| -> DVector<f64> {
        let coefficients = DVector::from_iterator(
            g.len(),
            gamma.iter().zip(mu.iter()).map(
                |(&c, &m)| {
                    if c == 0.0 {
                        0.0
                    } else {
                        -c / (m + lambda)
                    }
                },
            ),
        );
        &eigen.eigenvectors * coefficients
    };
    if mu_min > 0.0 {
        let newton = step(0.0);
        if newton.norm() <= radius {
            return (newton, true);
        }
    }
    let floor = (-mu_min).max(0.0);
    let at_floor = step(floor);
    if at_floor.iter().all(|v| v.is_finite()) && at_floor.norm() <= radius {
        // The hard case (no gradient along the most negative curvature): move along that
        // eigenvector to the edge of the ball.
        let rest = (radius * radius - at_floor.norm_squared()).max(0.0).sqrt();
        let direction = eigen.eigenvectors.column(smallest).into_owned();
        let sign = if direction.dot(g) > 0.0 { -1.0 } else { 1.0 };
        return (at_floor + direction * (sign * rest), false);
    }
    // ||s(lambda)|| falls from infinity at the floor to at most the radius at the upper end.
    let (mut lo, mut hi) = (floor, floor + g.norm() / radius);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if step(mid).norm() > radius {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (step(hi), false)
}

/// A trial step from x: s, with `fixed[i]` when x_i + s_i is exactly the bound.
struct Step {
    s: Vec<f64>,
    fixed: Vec<bool>,
    newton: bool,
}

/// The trust-region step with the bounds as an active set (see the module documentation).
///
/// Two candidates, the better on the quadratic kept: coordinates at their bound with the
/// gradient pushing outwards held there, and all coordinates free with the part of the step
/// that would cross the bound from a coordinate already on it turned inwards. The second is
/// what a variance at zero needs when the criterion is even in it (a scalar term's theta): the
/// gradient there is zero up to rounding, and only negative curvature says that the optimum is
/// inside.
fn bounded_step(q: &Quadratic, x: &[f64], lower: &[f64], radius: f64) -> Step {
    let k = x.len();
    let pushed_out: Vec<bool> = (0..k).map(|i| x[i] <= lower[i] && q.g[i] > 0.0).collect();
    let held = active_set_step(q, x, lower, radius, pushed_out, false);
    if !(0..k).any(|i| x[i] <= lower[i]) {
        return held;
    }
    let turned = active_set_step(q, x, lower, radius, vec![false; k], true);
    if predicted_decrease(q, &turned.s) > predicted_decrease(q, &held.s) {
        turned
    } else {
        held
    }
}

/// The ball step on the coordinates not `fixed`; a coordinate the step carries across its bound
/// is fixed exactly on it (or, with `reflect` and the coordinate on its bound already, the step
/// along it turned inwards) and the others solved again.
fn active_set_step(
    q: &Quadratic,
    x: &[f64],
    lower: &[f64],
    radius: f64,
    mut fixed: Vec<bool>,
    reflect: bool,
) -> Step {
    let k = x.len();
    let mut s = vec![0.0; k];
    let mut newton = false;
    for _ in 0..=k {
        let free: Vec<usize> = (0..k).filter(|&i| !fixed[i]).collect();
        let used: f64 = (0..k)
            .filter(|&i| fixed[i])
            .map(|i| (q.d[i] * s[i]).powi(2))
            .sum();
        if free.is_empty() || used >= radius * radius {
            newton = false;
            break;
        }
        // The quadratic in the scaled free coordinates y = D s.
        let hf = DMatrix::from_fn(free.len(), free.len(), |a, b| {
            let (i, j) = (free[a], free[b]);
            q.h[(i, j)] / (q.d[i] * q.d[j])
        });
        let gf = DVector::from_fn(free.len(), |a, _| {
            let i = free[a];
            let g = q.g[i]
                + (0..k)
                    .filter(|&j| fixed[j])
                    .map(|j| q.h[(i, j)] * s[j])
                    .sum::<f64>();
            g / q.d[i]
        });
        let (p, is_newton) = ball_step(&gf, &hf, (radius * radius - used).sqrt());
        newton = is_newton;
        let mut crossed = false;
        for (a, &i) in free.iter().enumerate() {
            s[i] = p[a] / q.d[i];
            if x[i] + s[i] < lower[i] {
                s[i] = if reflect && x[i] <= lower[i] {
                    -s[i]
                } else {
                    lower[i] - x[i]
                };
                fixed[i] = true;
                crossed = true;
            }
        }
        if !crossed {
            break;
        }
    }
    Step { s, fixed, newton }
}

/// The decrease the quadratic predicts for step s.
fn predicted_decrease(q: &Quadratic, s: &[f64]) -> f64 {
    let s = DVector::from_column_slice(s);
    -(q.g.dot(&s) + 0.5 * s.dot(&(&q.h * &s)))
}

/// Minimises f over x >= lower from x0 (f(x0) = f0) within `budget` evaluations, starting with a
/// trust radius of `radius`.
pub(super) fn trust_region<C: Criterion>(
    f: &mut C,
    x0: &[f64],
    f0: f64,
    lower: &[f64],
    mut radius: f64,
    budget: usize,
) -> Outcome {
    let mut x = x0.to_vec();
    let mut fx = f0;
    let mut evals = 0;
    let done = |x: Vec<f64>, f: f64, evaluations: usize, converged: bool| Outcome {
        x,
        f,
        evaluations,
        converged,
    };
    let Some(mut q) = finite_differences(f, &x, fx, lower, &mut evals) else {
        return done(x, fx, evals, false);
    };
    while evals < budget {
        let step = bounded_step(&q, &x, lower, radius);
        let predicted = predicted_decrease(&q, &step.s);
        if predicted.is_nan() || predicted <= 0.0 {
            // Nothing to gain on the quadratic: a stationary point of the bounded problem
            // (certified when the curvature on the free coordinates is positive).
            return done(
                x,
                fx,
                evals,
                step.newton || step.s.iter().all(|&v| v == 0.0),
            );
        }
        let trial: Vec<f64> = (0..x.len())
            .map(|i| {
                if step.fixed[i] && x[i] + step.s[i] <= lower[i] {
                    lower[i]
                } else {
                    x[i] + step.s[i]
                }
            })
            .collect();
        let ft = counted(f, &trial, &mut evals);
        let small = step
            .s
            .iter()
            .zip(&x)
            .all(|(&si, &xi)| si.abs() <= STEP_TOL * scale(xi));
        let length = (0..x.len())
            .map(|i| (q.d[i] * step.s[i]).powi(2))
            .sum::<f64>()
            .sqrt();
        let ratio = (fx - ft) / predicted;
        // Where the quadratic was poor, the parabola through f(x), its slope along s and
        // f(x + s) says how far along s to go (Dennis and Schnabel 1983, sec. 6.4).
        let slope = q.g.dot(&DVector::from_column_slice(&step.s));
        let along = parabola_minimum(slope, ft - fx);
        if ft < fx && ratio > 1e-4 {
            let old = std::mem::replace(&mut x, trial);
            fx = ft;
            if step.newton && small {
                return done(x, fx, evals, true);
            }
            if ratio > 0.75 && length > 0.8 * radius {
                radius *= 2.0;
            } else if ratio < 0.25 {
                radius = 0.25 * length;
                // A step that overshot (often onto a bound, when the criterion is even in a
                // variance and turns down towards zero): the parabola's minimum on the
                // segment is tried too.
                if let Some(t) = along.filter(|t| (0.1..=0.9).contains(t)) {
                    let inside: Vec<f64> = (0..x.len()).map(|i| old[i] + t * step.s[i]).collect();
                    let fi = counted(f, &inside, &mut evals);
                    if fi < fx {
                        x = inside;
                        fx = fi;
                        radius = radius.max(t * length);
                    }
                }
            }
            match finite_differences(f, &x, fx, lower, &mut evals) {
                Some(mut next) => {
                    // The scaling never loosens (Moré 1983): a coordinate once seen strongly
                    // curved keeps its short steps, so that a point of momentarily flat
                    // curvature cannot send it across the whole range in one step.
                    for (d, &previous) in next.d.iter_mut().zip(&q.d) {
                        *d = d.max(previous);
                    }
                    q = next
                }
                None => return done(x, fx, evals, false),
            }
        } else {
            if step.newton && small {
                // A small Newton step that does not lower the criterion: the optimum up to
                // rounding.
                return done(x, fx, evals, true);
            }
            radius = along.unwrap_or(0.25).clamp(0.1, 0.5) * length;
            if radius < 1e-12 {
                return done(x, fx, evals, false);
            }
        }
    }
    done(x, fx, evals, false)
}
