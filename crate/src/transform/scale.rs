//! `scale()` and `poly()`: transformations computed from every observed value of x, like the
//! panel functions, before any row missing another model variable is dropped (R evaluates them
//! on the whole data in `model.frame`, before `na.omit`).
//!
//! - `scale(x, center = TRUE, scale = TRUE)` as R's `scale.default`: subtract the mean of the
//!   observed x (or the given number), then divide by sqrt(sum(v^2) / (n - 1)) of the centred
//!   observed values v (the SD when centred; the root mean square when `center = FALSE`), or by
//!   the given number.
//! - `poly(x, k)`: R's orthogonal polynomials. Column j is what remains of (x - mean)^j after
//!   projecting out the lower powers (the constant included), scaled to length 1: R computes
//!   it as Q diag(R) of the QR decomposition of the powers, which does not depend on QR's sign
//!   choices. Here the columns come from the three-term (Stieltjes) recurrence, each
//!   re-orthogonalised once against the earlier ones, which is as accurate as QR for the small
//!   degrees models use. `poly(x, k, raw = TRUE)` is x, x^2, ..., x^k.
//!
//! R's `poly()` refuses a missing x; lagmix builds the basis over the observed values, leaves
//! it missing where x is, and says so in a warning.

use super::{arith::arithmetic, mean, TransformError, Variable};
use crate::formula::{Argument, Expr, Function};
use crate::frame::{Frame, Panel};

/// `scale(x, ...)` of the values `x` (already evaluated): see the module docs.
///
/// Errors: an x without spread (every observed value equal), which R scales to NaN.
pub(super) fn scale(
    expr: &Expr,
    args: &[Argument],
    mut x: Vec<f64>,
    frame: &Frame,
) -> Result<Vec<f64>, TransformError> {
    fn observed(x: &[f64]) -> impl Iterator<Item = f64> + Clone + '_ {
        x.iter().copied().filter(|v| !v.is_nan())
    }
    let setting = |formal| match Expr::argument(Function::Scale, args, formal) {
        None => Some(None),
        Some(Expr::Logical(true, _)) => Some(None),
        Some(Expr::Logical(false, _)) => None,
        Some(e) => Some(crate::formula::constant(e)),
    };
    if let Some(given) = setting("center") {
        let center = given.unwrap_or_else(|| mean(observed(&x)));
        x.iter_mut().for_each(|v| *v -= center);
    }
    if let Some(given) = setting("scale") {
        let n = observed(&x).count();
        // R divides by max(1, n - 1).
        let root_mean_square = || {
            (observed(&x).map(|v| v * v).sum::<f64>() / n.max(2).saturating_sub(1) as f64).sqrt()
        };
        let divisor = given.unwrap_or_else(root_mean_square);
        if n > 0 && !(divisor.is_finite() && divisor > 0.0) {
            return Err(TransformError::Domain {
                expression: expr.name(),
                term: expr.name(),
                problem: "x has no spread to divide by (every observed value is the same)".into(),
                rows: n,
                line: first_observed_line(&x, frame),
                value: format!(
                    "{} = {}",
                    Expr::argument(Function::Scale, args, "x").map_or_else(String::new, Expr::name),
                    observed(&x).next().map_or("NA".into(), super::r_number)
                ),
            });
        }
        x.iter_mut().for_each(|v| *v /= divisor);
    }
    Ok(x)
}

fn first_observed_line(x: &[f64], frame: &Frame) -> u32 {
    let row = x.iter().position(|v| !v.is_nan()).unwrap_or(0);
    frame.row_lines.get(row).unwrap_or(0)
}

/// The columns of `poly(x, k)` (or of `poly(x, k, raw = TRUE)`), with a warning when x is
/// missing on some rows.
///
/// Errors: a text x, and a degree not below the number of distinct observed values (as R).
pub(super) fn poly(
    expr: &Expr,
    args: &[Argument],
    frame: &Frame,
    panel: &Panel,
) -> Result<(Vec<Variable>, Vec<String>), TransformError> {
    let x_expr = Expr::argument(Function::Poly, args, "x").unwrap_or(expr);
    let x = arithmetic(x_expr, frame, panel).map_err(|e| match e {
        TransformError::NotNumeric { argument, .. } => TransformError::NotNumeric {
            function: expr.name(),
            argument,
        },
        other => other,
    })?;
    let degree = expr.columns();
    let raw = matches!(
        Expr::argument(Function::Poly, args, "raw"),
        Some(Expr::Logical(true, _))
    );
    let observed = x.iter().filter(|v| !v.is_nan()).count();
    let mut warnings = Vec::new();
    let missing = x.len() - observed;
    if missing > 0 {
        warnings.push(format!(
            "{} is missing on {missing} of {} rows: R's poly() refuses missing values; lagmix \
             builds the polynomial basis over the {observed} rows where {} is observed and \
             leaves it missing on the others",
            x_expr.name(),
            x.len(),
            x_expr.name()
        ));
    }
    let columns = if raw {
        (1..=degree)
            .map(|j| x.iter().map(|&v| libm::pow(v, j as f64)).collect())
            .collect()
    } else {
        let distinct = distinct_up_to(&x, degree + 1);
        if degree >= distinct {
            return Err(TransformError::PolyDegree {
                expression: expr.name(),
                degree,
                distinct,
            });
        }
        orthogonal(&x, degree)
    };
    Ok((
        columns.into_iter().map(Variable::Numeric).collect(),
        warnings,
    ))
}

/// The number of distinct observed values of `x`, counted up to `limit` (a few: the degree).
fn distinct_up_to(x: &[f64], limit: usize) -> usize {
    let mut seen: Vec<f64> = Vec::with_capacity(limit);
    for &v in x.iter().filter(|v| !v.is_nan()) {
        if !seen.contains(&v) {
            seen.push(v);
            if seen.len() >= limit {
                break;
            }
        }
    }
    seen.len()
}

/// R's orthogonal polynomial basis of degree `degree` over the observed values of `x`, on the
/// rows of `x` (missing where x is). Holds degree + 2 vectors of the observed values at most:
/// at a million rows each is 8 MB.
fn orthogonal(x: &[f64], degree: usize) -> Vec<Vec<f64>> {
    let center = mean(x.iter().copied().filter(|v| !v.is_nan()));
    let c: Vec<f64> = x
        .iter()
        .filter(|v| !v.is_nan())
        .map(|v| v - center)
        .collect();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(u, v)| u * v).sum::<f64>();
    // basis[0] is the constant; each later one the recurrence's next polynomial.
    let mut basis: Vec<Vec<f64>> = vec![vec![1.0; c.len()]];
    let mut norms = vec![c.len() as f64];
    for j in 0..degree {
        let current = &basis[j];
        let alpha = c.iter().zip(current).map(|(x, p)| x * p * p).sum::<f64>() / norms[j];
        let mut next: Vec<f64> = c
            .iter()
            .zip(current)
            .map(|(x, p)| (x - alpha) * p)
            .collect();
        if j > 0 {
            let beta = norms[j] / norms[j - 1];
            for (n, p) in next.iter_mut().zip(&basis[j - 1]) {
                *n -= beta * p;
            }
        }
        // Once more against every earlier column: the recurrence alone drifts from
        // orthogonality when x clusters, and R's QR does not.
        for (k, earlier) in basis.iter().enumerate() {
            let coefficient = dot(&next, earlier) / norms[k];
            for (n, e) in next.iter_mut().zip(earlier) {
                *n -= coefficient * e;
            }
        }
        norms.push(dot(&next, &next));
        basis.push(next);
    }
    drop(c);
    let complete = x.len() == basis[0].len();
    basis.remove(0);
    basis
        .into_iter()
        .zip(&norms[1..])
        .map(|(mut column, norm)| {
            let length = norm.sqrt();
            column.iter_mut().for_each(|p| *p /= length);
            if complete {
                return column;
            }
            let mut values = column.into_iter();
            x.iter()
                .map(|v| match v.is_nan() {
                    false => values.next().unwrap_or(f64::NAN),
                    true => f64::NAN,
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orthogonal_polynomials_are_rs() {
        // R: poly(c(1, 2, 4, 7, 11), 3)
        let x = [1.0, 2.0, 4.0, 7.0, 11.0];
        let columns = orthogonal(&x, 3);
        let r = [
            [-0.4923660, -0.3692745, -0.1230915, 0.2461830, 0.7385489],
            [0.47599730, 0.07933288, -0.44955300, -0.58177447, 0.47599730],
            [-0.4403855, 0.3302891, 0.5504819, -0.6055301, 0.1651446],
        ];
        for (got, want) in columns.iter().zip(&r) {
            for (g, w) in got.iter().zip(want) {
                assert!((g - w).abs() < 1e-7, "{g} vs {w}");
            }
        }
    }

    #[test]
    fn missing_x_stays_missing_in_the_basis() {
        let x = [1.0, f64::NAN, 2.0, 4.0, 7.0, 11.0];
        let columns = orthogonal(&x, 1);
        assert!(columns[0][1].is_nan());
        for (got, want) in [columns[0][0], columns[0][2], columns[0][5]]
            .iter()
            .zip([-0.4923660, -0.3692745, 0.7385489])
        {
            assert!((got - want).abs() < 1e-7, "{got} vs {want}");
        }
    }
}
