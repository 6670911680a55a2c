//! The dense kernels of the blocked factor: products and triangular solves of small blocks, and
//! the blocked Cholesky of a dense diagonal block (where crossed factors fill the factor in).

use nalgebra::{DMatrix, DMatrixViewMut};

/// T -= L R' for L (`rows_l` x q) and R (`rows_r` x q), column-major, T starting at `start`
/// of `target` with `stride` between its columns.
pub(super) fn subtract_block_product(
    target: &mut [f64],
    (start, stride): (usize, usize),
    (left, rows_l): (&[f64], usize),
    (right, rows_r): (&[f64], usize),
) {
    if rows_l == 1 && rows_r == 1 {
        // Scalar terms crossed with scalar terms: one product per pair of levels.
        target[start] -= left.iter().zip(right).map(|(a, b)| a * b).sum::<f64>();
        return;
    }
    for b in 0..rows_r {
        let column = &mut target[start + b * stride..start + b * stride + rows_l];
        for (lc, rc) in left.chunks_exact(rows_l).zip(right.chunks_exact(rows_r)) {
            let f = rc[b];
            for (t, x) in column.iter_mut().zip(lc) {
                *t -= x * f;
            }
        }
    }
}

/// B := B L⁻ᵀ for a `rows x q` column-major B and a q x q lower-triangular L.
pub(super) fn solve_small_right(b: &mut [f64], rows: usize, l: &[f64], q: usize) {
    if q == 1 {
        let d = 1.0 / l[0];
        b.iter_mut().for_each(|x| *x *= d);
        return;
    }
    for c in 0..q {
        let d = 1.0 / l[c * q + c];
        for r in 0..rows {
            let s: f64 = (0..c).map(|k| l[k * q + c] * b[k * rows + r]).sum();
            b[c * rows + r] = (b[c * rows + r] - s) * d;
        }
    }
}

/// Columns per panel of the blocked dense Cholesky: a panel of 64 columns of a 1,000-level
/// block stays in cache while the trailing matrix is updated by a matrix product.
const PANEL: usize = 64;

/// Cholesky of a dense symmetric matrix (n x n column-major, lower triangle read and written;
/// the strict upper triangle is set to zero), blocked: factor a panel of columns, solve the rows
/// below it, and subtract its product from the trailing lower triangle with a matrix product
/// (nalgebra's, matrixmultiply's kernel: the time of a crossed model with a thousand-level
/// factor is this product). Returns false when the matrix is not positive definite.
pub(super) fn dense_cholesky(a: &mut [f64], n: usize) -> bool {
    let mut panel = DMatrix::<f64>::zeros(0, 0);
    let mut k0 = 0;
    while k0 < n {
        let kb = PANEL.min(n - k0);
        if !unblocked_cholesky(a, n, k0, kb) {
            return false;
        }
        let below = n - k0 - kb;
        if below > 0 {
            // The panel's rows below its diagonal block, L21 = A21 L11⁻ᵀ, copied out once.
            panel.resize_mut(below, kb, 0.0);
            for c in 0..kb {
                let start = (k0 + c) * n + k0 + kb;
                panel
                    .column_mut(c)
                    .copy_from_slice(&a[start..start + below]);
            }
            let mut whole = DMatrixViewMut::from_slice(a, n, n);
            // Lower trapezoid of A22 -= L21 L21', a column block at a time.
            let mut c0 = 0;
            while c0 < below {
                let cb = PANEL.min(below - c0);
                let rows = below - c0;
                let left = panel.view((c0, 0), (rows, kb));
                let right = panel.view((c0, 0), (cb, kb));
                let mut target = whole.view_mut((k0 + kb + c0, k0 + kb + c0), (rows, cb));
                target.gemm(-1.0, &left, &right.transpose(), 1.0);
                c0 += cb;
            }
        }
        k0 += kb;
    }
    for j in 0..n {
        a[j * n..j * n + j].iter_mut().for_each(|x| *x = 0.0);
    }
    true
}

/// Left-looking Cholesky of the `kb` columns from `k0` of a dense n x n matrix whose earlier
/// columns' updates were already subtracted, rows down to n (the panel's diagonal block and the
/// rows below it).
fn unblocked_cholesky(a: &mut [f64], n: usize, k0: usize, kb: usize) -> bool {
    for j in k0..k0 + kb {
        let (done, rest) = a.split_at_mut(j * n);
        let column = &mut rest[..n];
        for k in k0..j {
            let f = done[k * n + j];
            if f != 0.0 {
                for (x, y) in column[j..].iter_mut().zip(&done[k * n + j..(k + 1) * n]) {
                    *x -= f * y;
                }
            }
        }
        let d = column[j];
        if d.is_nan() || d <= 0.0 || !d.is_finite() {
            return false;
        }
        let d = d.sqrt();
        column[j] = d;
        let inv = 1.0 / d;
        column[j + 1..].iter_mut().for_each(|x| *x *= inv);
    }
    true
}
