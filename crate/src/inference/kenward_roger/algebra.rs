//! The dense algebra of one block of Kenward-Roger, shaped so that the work of a large block
//! (a crossed design's one component of up to 2,000 random effects) is matrix products, which
//! run near the machine's peak, rather than column-by-column triangular solves.

use crate::model::RandomBlock;
use nalgebra::DMatrix;

/// Below this size a triangular inverse is done directly (products would not pay).
const DIRECT_INVERSE: usize = 64;

/// `m Λ` (or `m Λ'` when `transpose`), with Λ the block's relative covariance factor: block
/// diagonal with one q x q block per level, so the product costs m² q, not m³.
pub(super) fn times_lambda(m: &DMatrix<f64>, block: &RandomBlock, transpose: bool) -> DMatrix<f64> {
    let lam = &block.lambda;
    let mut out = DMatrix::zeros(m.nrows(), m.ncols());
    for t in &block.terms {
        for g in 0..t.levels {
            let o = t.offset + g * t.q;
            for c in 0..t.q {
                let mut column = out.column_mut(o + c);
                for r in 0..t.q {
                    let v = if transpose {
                        lam[(o + c, o + r)]
                    } else {
                        lam[(o + r, o + c)]
                    };
                    if v != 0.0 {
                        column.axpy(v, &m.column(o + r), 1.0);
                    }
                }
            }
        }
    }
    out
}

/// The inverse of a lower-triangular matrix, by halves: [[A, 0], [B, C]]⁻¹ is
/// [[A⁻¹, 0], [-C⁻¹ B A⁻¹, C⁻¹]], so all but the small diagonal pieces is products.
pub(super) fn lower_inverse(l: &DMatrix<f64>) -> DMatrix<f64> {
    let n = l.nrows();
    if n <= DIRECT_INVERSE {
        return direct_lower_inverse(l);
    }
    let h = n / 2;
    let a_inv = lower_inverse(&l.view((0, 0), (h, h)).into_owned());
    let c_inv = lower_inverse(&l.view((h, h), (n - h, n - h)).into_owned());
    let b = l.view((h, 0), (n - h, h));
    let lower_left = -(&c_inv * (b * &a_inv));
    let mut out = DMatrix::zeros(n, n);
    out.view_mut((0, 0), (h, h)).copy_from(&a_inv);
    out.view_mut((h, h), (n - h, n - h)).copy_from(&c_inv);
    out.view_mut((h, 0), (n - h, h)).copy_from(&lower_left);
    out
}

/// Forward substitution against the identity, column by column.
fn direct_lower_inverse(l: &DMatrix<f64>) -> DMatrix<f64> {
    let n = l.nrows();
    let mut x = DMatrix::zeros(n, n);
    for j in 0..n {
        x[(j, j)] = 1.0 / l[(j, j)];
        for i in j + 1..n {
            let mut s = 0.0;
            for k in j..i {
                s += l[(i, k)] * x[(k, j)];
            }
            x[(i, j)] = -s / l[(i, i)];
        }
    }
    x
}

/// A + I in place.
pub(super) fn add_identity(a: &mut DMatrix<f64>) {
    for i in 0..a.nrows().min(a.ncols()) {
        a[(i, i)] += 1.0;
    }
}

/// tr(A A) without the product.
pub(super) fn trace_of_square(a: &DMatrix<f64>) -> f64 {
    let n = a.nrows();
    let mut trace = 0.0;
    for j in 0..n {
        for i in 0..n {
            trace += a[(i, j)] * a[(j, i)];
        }
    }
    trace
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inverse_by_halves_is_the_inverse() {
        let n = 150;
        let l = DMatrix::from_fn(n, n, |i, j| {
            if i < j {
                0.0
            } else if i == j {
                2.0 + (i % 7) as f64 * 0.3
            } else {
                (((i * 31 + j * 17) % 13) as f64 - 6.0) / 40.0
            }
        });
        let product = &l * lower_inverse(&l);
        let error = (product - DMatrix::<f64>::identity(n, n)).abs().max();
        assert!(error < 1e-12, "{error}");
    }
}
