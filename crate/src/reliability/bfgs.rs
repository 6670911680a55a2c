//! A small BFGS minimiser (Nocedal & Wright 2006, algorithm 6.1, with a backtracking Armijo
//! line search): enough for the few dozen parameters of a two-level saturated model, started
//! close to the optimum by EM.

use nalgebra::{DMatrix, DVector};

/// The objective: value and gradient at `x`, or None where it is undefined (outside the
/// region where the covariance matrices are positive definite).
pub(super) trait Objective {
    fn value_and_gradient(&self, x: &DVector<f64>) -> Option<(f64, DVector<f64>)>;
}

/// The minimum found, iterations used, and whether the gradient vanished.
pub(super) struct Minimum {
    pub x: DVector<f64>,
    pub iterations: usize,
    pub converged: bool,
}

/// Minimises `objective` from `start` (where it must be defined) until the largest gradient
/// element is below `tolerance` or `max_iterations` pass.
pub(super) fn minimise(
    objective: &impl Objective,
    start: DVector<f64>,
    tolerance: f64,
    max_iterations: usize,
) -> Option<Minimum> {
    let n = start.len();
    let mut x = start;
    let (mut value, mut gradient) = objective.value_and_gradient(&x)?;
    let mut inverse_hessian = DMatrix::<f64>::identity(n, n);
    let mut first = true;
    for iteration in 0..max_iterations {
        if gradient.amax() < tolerance {
            return Some(Minimum {
                x,
                iterations: iteration,
                converged: true,
            });
        }
        let mut direction = -(&inverse_hessian * &gradient);
        if direction.dot(&gradient) >= 0.0 {
            // Not a descent direction (rounding): restart from steepest descent.
            inverse_hessian = DMatrix::identity(n, n);
            direction = -gradient.clone();
        }
        let Some((step, next_value, next_gradient)) =
            line_search(objective, &x, value, &gradient, &direction)
        else {
            return Some(Minimum {
                x,
                iterations: iteration,
                converged: false,
            });
        };
        let s = &direction * step;
        let y = &next_gradient - &gradient;
        let sy = s.dot(&y);
        if sy > 1e-300 {
            if first {
                // Scale the first guess of the inverse Hessian (N&W eq. 6.20).
                inverse_hessian *= sy / y.dot(&y);
                first = false;
            }
            let rho = 1.0 / sy;
            let identity = DMatrix::<f64>::identity(n, n);
            let left = &identity - &s * y.transpose() * rho;
            let right = &identity - &y * s.transpose() * rho;
            inverse_hessian = &left * &inverse_hessian * &right + &s * s.transpose() * rho;
        }
        x += s;
        let decrease = value - next_value;
        value = next_value;
        gradient = next_gradient;
        if decrease <= 1e-15 * (1.0 + value.abs()) {
            // No progress left in double precision: converged if the gradient is small.
            let converged = gradient.amax() < tolerance.sqrt();
            return Some(Minimum {
                x,
                iterations: iteration + 1,
                converged,
            });
        }
    }
    Some(Minimum {
        x,
        iterations: max_iterations,
        converged: gradient.amax() < tolerance,
    })
}

/// Halves the step from 1 until the Armijo condition holds inside the defined region.
fn line_search(
    objective: &impl Objective,
    x: &DVector<f64>,
    value: f64,
    gradient: &DVector<f64>,
    direction: &DVector<f64>,
) -> Option<(f64, f64, DVector<f64>)> {
    let slope = gradient.dot(direction);
    let mut step = 1.0;
    for _ in 0..40 {
        let trial = x + direction * step;
        if let Some((v, g)) = objective.value_and_gradient(&trial) {
            if v <= value + 1e-4 * step * slope {
                return Some((step, v, g));
            }
        }
        step *= 0.5;
    }
    None
}
