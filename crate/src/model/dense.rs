//! The dense kernels of the blocked factor: products and triangular solves of small blocks, and
//! the blocked Cholesky of a dense diagonal block (where crossed factors fill the factor in).

use nalgebra::{DMatrix, DMatrixView, DMatrixViewMut};

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
    // Down the shared dimension once (each of T's entries still takes its products in order):
    // L and R are read once however long they are (the [X y] rows of a 140,000-level term).
    for (lc, rc) in left.chunks_exact(rows_l).zip(right.chunks_exact(rows_r)) {
        for (b, &f) in rc.iter().enumerate() {
            let column = &mut target[start + b * stride..start + b * stride + rows_l];
            for (t, x) in column.iter_mut().zip(lc) {
                *t -= x * f;
            }
        }
    }
}

/// T -= L R' for dense column-major T (`rows_t` rows), L (`rows_t` rows) and R (T's columns as
/// rows), all levels of the shared term at once: one matrix product where the general path would
/// take one small product per level (the [X y] rows of a 140,000-level term).
pub(super) fn subtract_dense_product(t: &mut [f64], rows_t: usize, l: &[f64], r: &[f64]) {
    if rows_t == 0 || t.is_empty() {
        return;
    }
    let cols_t = t.len() / rows_t;
    let shared = l.len() / rows_t;
    if rows_t < PRODUCT_MIN || cols_t < PRODUCT_MIN || shared < PRODUCT_MIN {
        // The small-block kernel, T in cache: the [X y] rows times themselves, where nalgebra's
        // product would fall back to strided scalar loops, and every small block, so that it is
        // the same arithmetic natively and in wasm (the product kernel uses fused multiply-adds
        // natively; a last-bit difference sends the optimizer elsewhere by 1e-9).
        subtract_block_product(t, (0, rows_t), (l, rows_t), (r, cols_t));
        return;
    }
    let left = DMatrixView::from_slice(l, rows_t, shared);
    let right = DMatrixView::from_slice(r, cols_t, shared);
    DMatrixViewMut::from_slice(t, rows_t, cols_t).gemm(-1.0, &left, &right.transpose(), 1.0);
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

/// The smallest dimension at which the matrix-product kernel is used. Below it, scalar loops do
/// the same work at no loss, and the results are bit for bit those of the page's wasm build
/// (the kernel contracts products into fused multiply-adds on x86, rounding differently).
const PRODUCT_MIN: usize = 65;

/// Columns per outer panel of the blocked dense Cholesky: the trailing matrix is updated by
/// products with an inner dimension this wide, long enough for the matrix-product kernel to run
/// near its peak, while the panel (128 columns of a 1,000-level block, 1 MB) stays in cache.
const OUTER_PANEL: usize = 128;

/// Columns per inner panel: the panel itself is factored by the same scheme, its columns updated
/// a product at a time, so that only 32-column strips are left to the scalar loop.
const INNER_PANEL: usize = 32;

/// Cholesky of a dense symmetric matrix (n x n column-major, lower triangle read and written;
/// the strict upper triangle is set to zero), blocked right-looking on two levels: factor a strip
/// of columns by the scalar loop, subtract its product from the rest of its panel, then the
/// panel's product from the trailing lower triangle. The products are nalgebra's (matrixmultiply's
/// kernel): the time of a crossed model with a thousand-level factor is these products. Returns
/// false when the matrix is not positive definite.
pub(super) fn dense_cholesky(a: &mut [f64], n: usize) -> bool {
    if n < PRODUCT_MIN {
        // Small blocks by the scalar loop alone: the same arithmetic natively and in wasm.
        if !unblocked_cholesky(a, n, 0, n) {
            return false;
        }
        for j in 0..n {
            a[j * n..j * n + j].iter_mut().for_each(|x| *x = 0.0);
        }
        return true;
    }
    let mut k0 = 0;
    while k0 < n {
        let k1 = (k0 + OUTER_PANEL).min(n);
        let mut j0 = k0;
        while j0 < k1 {
            let j1 = (j0 + INNER_PANEL).min(k1);
            if !unblocked_cholesky(a, n, j0, j1 - j0) {
                return false;
            }
            subtract_panel_product(a, n, (j0, j1), (j1, k1), INNER_PANEL);
            j0 = j1;
        }
        subtract_panel_product(a, n, (k0, k1), (k1, n), OUTER_PANEL);
        k0 = k1;
    }
    for j in 0..n {
        a[j * n..j * n + j].iter_mut().for_each(|x| *x = 0.0);
    }
    true
}

/// The lower trapezoid of columns `c0..c1` (rows `c0..n`) of an n x n column-major matrix minus
/// L P', P the factored columns `k0..k1` (k1 <= c0) in those rows: one matrix product per
/// `width` columns, which skips most of the upper triangle.
fn subtract_panel_product(
    a: &mut [f64],
    n: usize,
    (k0, k1): (usize, usize),
    (c0, c1): (usize, usize),
    width: usize,
) {
    if c0 >= c1 {
        return;
    }
    // Column-major: the factored columns lie before column c0, the updated ones from it on.
    let (done, rest) = a.split_at_mut(c0 * n);
    let factored = DMatrixView::from_slice(&done[k0 * n..], n, k1 - k0);
    let mut target = DMatrixViewMut::from_slice(&mut rest[..(c1 - c0) * n], n, c1 - c0);
    let mut s = c0;
    while s < c1 {
        let w = width.min(c1 - s);
        let left = factored.view((s, 0), (n - s, k1 - k0));
        let right = factored.view((s, 0), (w, k1 - k0));
        target
            .view_mut((s, s - c0), (n - s, w))
            .gemm(-1.0, &left, &right.transpose(), 1.0);
        s += w;
    }
}

/// B := B L⁻ᵀ for a `rows x m` column-major B and an m x m lower-triangular L (the right division
/// of an [X y] or crossed block by a dense factor).
///
/// A few rows (the [X y] block): X L' = B is L X' = B', one forward substitution per row of B
/// down L's contiguous columns (nalgebra's), fastest while L stays in cache. More rows (a crossed
/// term below a crossed term): blocked like [`dense_cholesky`], a strip of B's columns solved
/// against its diagonal block of L by the scalar loop and its product with L's rows below
/// subtracted from the rest of B by a matrix product, so that L is read once. Measured at m =
/// 1,128: 3 rows 0.3 ms against 3.7 ms blocked; 28 rows 2.7 ms blocked against 7.7 ms.
pub(super) fn solve_dense_right(b: &mut [f64], rows: usize, l: &[f64], m: usize) {
    let lower = DMatrixView::from_slice(l, m, m);
    if rows < 8 {
        let mut xt = DMatrixViewMut::from_slice(b, rows, m).transpose();
        let solved = lower.solve_lower_triangular_mut(&mut xt);
        debug_assert!(solved, "the diagonal of a factor is positive");
        DMatrixViewMut::from_slice(b, rows, m).copy_from(&xt.transpose());
        return;
    }
    let mut k0 = 0;
    while k0 < m {
        let k1 = (k0 + OUTER_PANEL).min(m);
        for c in k0..k1 {
            let (done, rest) = b.split_at_mut(c * rows);
            let column = &mut rest[..rows];
            for j in k0..c {
                let f = l[j * m + c];
                if f != 0.0 {
                    let solved = &done[j * rows..(j + 1) * rows];
                    column.iter_mut().zip(solved).for_each(|(x, y)| *x -= f * y);
                }
            }
            let inv = 1.0 / l[c * m + c];
            column.iter_mut().for_each(|x| *x *= inv);
        }
        if k1 < m {
            let (done, rest) = b.split_at_mut(k1 * rows);
            let solved = DMatrixView::from_slice(&done[k0 * rows..], rows, k1 - k0);
            let mut target = DMatrixViewMut::from_slice(rest, rows, m - k1);
            let below = lower.view((k1, k0), (m - k1, k1 - k0));
            target.gemm(-1.0, &solved, &below.transpose(), 1.0);
        }
        k0 = k1;
    }
}

/// L⁻¹ for an m x m lower-triangular L (column-major): the transpose of I L⁻ᵀ, the right
/// division of the identity by [`solve_dense_right`], blocked (InstEval's 1,128 lecturers: 25 ms
/// against 140 ms by substitution). Below [`PRODUCT_MIN`] nalgebra's substitution, so that small
/// models keep the same bits natively and in wasm.
pub(super) fn lower_inverse(l: &[f64], m: usize) -> Vec<f64> {
    let lower = DMatrixView::from_slice(l, m, m);
    if m < PRODUCT_MIN {
        return match lower.solve_lower_triangular(&DMatrix::identity(m, m)) {
            Some(inverse) => inverse.as_slice().to_vec(),
            None => vec![f64::NAN; m * m],
        };
    }
    let mut b = DMatrix::<f64>::identity(m, m);
    solve_dense_right(b.as_mut_slice(), m, l, m);
    // I L⁻ᵀ is upper triangular with exact zeros below its diagonal (they are sums of zeros).
    b.transpose().as_slice().to_vec()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A well-conditioned symmetric positive-definite n x n matrix, column-major: G G' + n I.
    fn spd(n: usize) -> Vec<f64> {
        let g: Vec<f64> = (0..n * 7)
            .map(|i| ((i * 37 % 101) as f64 / 50.0) - 1.0)
            .collect();
        let mut a = vec![0.0; n * n];
        for j in 0..n {
            for i in 0..n {
                let dot: f64 = (0..7).map(|t| g[i * 7 + t] * g[j * 7 + t]).sum();
                a[j * n + i] = dot + if i == j { n as f64 } else { 0.0 };
            }
        }
        a
    }

    #[test]
    fn lower_inverse_inverts_below_and_above_the_product_size() {
        for n in [3, 64, 65, 130, 300] {
            let mut l = spd(n);
            assert!(dense_cholesky(&mut l, n));
            let w = lower_inverse(&l, n);
            for j in 0..n {
                for i in 0..n {
                    if i < j {
                        assert_eq!(w[j * n + i], 0.0, "n = {n}: above the diagonal");
                    }
                    let lw: f64 = (0..n).map(|k| l[k * n + i] * w[j * n + k]).sum();
                    let expected = if i == j { 1.0 } else { 0.0 };
                    assert!((lw - expected).abs() < 1e-12, "n = {n} at ({i}, {j}): {lw}");
                }
            }
        }
    }

    #[test]
    fn blocked_cholesky_reproduces_the_matrix_across_panel_edges() {
        // Sizes below, at and across both panel widths.
        for n in [1, 5, 32, 33, 127, 128, 129, 300] {
            let a = spd(n);
            let mut l = a.clone();
            assert!(dense_cholesky(&mut l, n));
            for j in 0..n {
                for i in 0..n {
                    let llt: f64 = (0..n).map(|k| l[k * n + i] * l[k * n + j]).sum();
                    assert!(
                        (llt - a[j * n + i]).abs() < 1e-9 * n as f64,
                        "n = {n} at ({i}, {j})"
                    );
                    if i < j {
                        assert_eq!(l[j * n + i], 0.0);
                    }
                }
            }
        }
    }

    #[test]
    fn dense_product_is_the_same_at_small_and_large_shapes() {
        for (rows, cols, shared) in [(3, 3, 50), (3, 28, 40), (28, 3, 40), (9, 12, 30)] {
            let l: Vec<f64> = (0..rows * shared).map(|i| (i % 7) as f64 - 3.0).collect();
            let r: Vec<f64> = (0..cols * shared).map(|i| (i % 5) as f64 * 0.5).collect();
            let mut t = vec![1.0; rows * cols];
            subtract_dense_product(&mut t, rows, &l, &r);
            for j in 0..cols {
                for i in 0..rows {
                    let p: f64 = (0..shared).map(|k| l[k * rows + i] * r[k * cols + j]).sum();
                    assert!((t[j * rows + i] - (1.0 - p)).abs() < 1e-9);
                }
            }
        }
    }

    #[test]
    fn blocked_cholesky_refuses_an_indefinite_matrix() {
        let n = 200;
        let mut a = spd(n);
        a[150 * n + 150] = -1.0;
        assert!(!dense_cholesky(&mut a, n));
    }

    #[test]
    fn right_division_by_a_dense_factor_solves_x_l_transposed_equals_b() {
        for (rows, m) in [(3, 40), (3, 300), (28, 300), (9, 129)] {
            let mut l = spd(m);
            assert!(dense_cholesky(&mut l, m));
            let b: Vec<f64> = (0..rows * m)
                .map(|i| ((i * 13 % 29) as f64) - 14.0)
                .collect();
            let mut x = b.clone();
            solve_dense_right(&mut x, rows, &l, m);
            // (X L')[r, c] = sum_k X[r, k] L[c, k].
            for c in 0..m {
                for r in 0..rows {
                    let v: f64 = (0..m).map(|k| x[k * rows + r] * l[k * m + c]).sum();
                    assert!(
                        (v - b[c * rows + r]).abs() < 1e-9,
                        "{rows} x {m} at ({r}, {c})"
                    );
                }
            }
        }
    }
}
