//! The one pass over the data: the cross-products of `[Z X y]` in the blocked layout of
//! [`super::LinearMixedModel`] (Z1'Z1 as per-level blocks, `[Z_rest X y]'Z1` level by level, the
//! dense rest), with X and y centred (see [`Centering`]) and, for a residual correlation, every
//! row whitened by the within-person transform of [`super::residual`].

use super::centering::Centering;
use super::residual::{whiten_block, Occasions};
use super::ModelError;
use crate::design::{ModelData, ModelMatrix, RandomEffectsTerm, BLOCK_ROWS};
use nalgebra::DMatrix;

/// The cross-products of `[Z X y]`, as the model stores them.
#[derive(Debug, Clone)]
pub(super) struct CrossProducts {
    /// Z1'Z1 as l1 blocks of q1 x q1 (column-major).
    pub a11: Vec<f64>,
    /// [Z_rest X y]' Z1, level by level (block g, m x q1 column-major, starts at g * m * q1).
    pub a21: Vec<f64>,
    /// [Z_rest X y]' [Z_rest X y], m x m, both triangles.
    pub a22: DMatrix<f64>,
}

/// The within-person transform at one phi, over rows sorted by person and time.
#[derive(Clone, Copy)]
pub(super) struct Whitening<'a> {
    pub occasions: &'a Occasions,
    pub phi: f64,
}

/// Accumulates the cross-products row by row. `terms` are in the model's order, `rest_offsets`
/// and `q_rest` place terms 2.. in the rest block; with `whitening`, the rows of `[Z X y]` are
/// transformed first (every term's grouping factor must be the person). Errors: a random-effects
/// column that is not finite.
#[allow(clippy::too_many_arguments)]
pub(super) fn cross_products(
    terms: &[RandomEffectsTerm],
    rest_offsets: &[usize],
    q_rest: usize,
    x: &ModelMatrix,
    data: &ModelData,
    y: &[f64],
    centering: &Centering,
    whitening: Option<Whitening>,
) -> Result<CrossProducts, ModelError> {
    let m = q_rest + x.ncols() + 1;
    let first = &terms[0];
    let q1 = first.q();
    let l1 = first.levels.len();
    let mut a11 = vec![0.0; q1 * q1 * l1];
    let mut a21 = vec![0.0; m * q1 * l1];
    let mut a22 = DMatrix::zeros(m, m);
    // The nonzeros of one row of [Z_rest X y]: (index in the rest block, value).
    let mut w: Vec<(usize, f64)> = Vec::with_capacity(m);
    // X and the Z_i are products of the model's variables, computed here block by block (the
    // one place that reads them whole, see `crate::design::ModelMatrix`).
    let p = x.ncols();
    let mut z_blocks: Vec<Vec<f64>> = terms
        .iter()
        .map(|t| vec![0.0; BLOCK_ROWS * t.q()])
        .collect();
    let mut z1 = vec![0.0; q1];
    // The rows of [X y] centred, column-major per block: their cross-products are dot products
    // of whole columns (fast, and no entry of a22 waits on the one before), while the row loop
    // below handles what involves Z.
    let mut xy_block = vec![0.0; BLOCK_ROWS * (p + 1)];
    // The transform's coefficients for one block, and each column's last row of the block before.
    let (mut weight, mut scale) = (vec![0.0; BLOCK_ROWS], vec![0.0; BLOCK_ROWS]);
    let mut xy_carry = vec![0.0; p + 1];
    let mut z_carry: Vec<Vec<f64>> = terms.iter().map(|t| vec![0.0; t.q()]).collect();
    let mut start = 0;
    while start < y.len() {
        let len = BLOCK_ROWS.min(y.len() - start);
        let xy = &mut xy_block[..len * (p + 1)];
        x.block_into(data, start, len, &mut xy[..len * p]);
        for (column, shift) in xy.chunks_exact_mut(len).zip(&centering.x_shift) {
            for c in column.iter_mut() {
                *c -= shift;
            }
        }
        if let (Some(column), Some(ys)) =
            (xy.chunks_exact_mut(len).nth(p), y.get(start..start + len))
        {
            for (c, v) in column.iter_mut().zip(ys) {
                *c = v - centering.y_shift;
            }
        }
        if let Some(whiten) = whitening {
            let (weight, scale) = (&mut weight[..len], &mut scale[..len]);
            whiten
                .occasions
                .coefficients(whiten.phi, start, weight, scale);
            whiten_block(xy, len, &mut xy_carry, weight, scale);
        }
        let a22_values = a22.as_mut_slice();
        for (a, column_a) in xy.chunks_exact(len).enumerate() {
            for (b, column_b) in xy.chunks_exact(len).enumerate().take(a + 1) {
                let dot: f64 = column_a.iter().zip(column_b).map(|(u, v)| u * v).sum();
                a22_values[(q_rest + b) * m + q_rest + a] += dot;
            }
        }
        for (t, z) in terms.iter().zip(&mut z_blocks) {
            let z = &mut z[..len * t.q()];
            t.z.block_into(data, start, len, z);
            if z.iter().any(|v| !v.is_finite()) {
                return Err(ModelError::NotFinite {
                    what: format!("a random slope for `{}`", t.group),
                });
            }
        }
        if whitening.is_some() {
            let (weight, scale) = (&weight[..len], &scale[..len]);
            for (z, carry) in z_blocks.iter_mut().zip(&mut z_carry) {
                let q = carry.len();
                whiten_block(&mut z[..len * q], len, carry, weight, scale);
            }
        }
        for i in 0..len {
            let r = start + i;
            w.clear();
            for (k, t) in terms.iter().enumerate().skip(1) {
                let base = rest_offsets[k] + t.refs[r] as usize * t.q();
                let z = &z_blocks[k];
                w.extend((0..t.q()).map(|c| (base + c, z[c * len + i])));
            }
            let n_rest = w.len();
            w.extend((0..=p).map(|j| (q_rest + j, xy[j * len + i])));
            for (c, z) in z1.iter_mut().enumerate() {
                *z = z_blocks[0][c * len + i];
            }
            let g = first.refs[r] as usize;
            let block = &mut a11[g * q1 * q1..(g + 1) * q1 * q1];
            for j in 0..q1 {
                for i in 0..q1 {
                    block[j * q1 + i] += z1[i] * z1[j];
                }
            }
            let a21_g = &mut a21[g * m * q1..(g + 1) * m * q1];
            // w is in increasing index order (terms, then X, then y), so the lower triangle's
            // partners of entry `at` are the entries up to it; those of X and y with each other
            // were added above.
            let a22 = a22.as_mut_slice();
            for (at, &(i, wi)) in w.iter().enumerate() {
                for (c, &zc) in z1.iter().enumerate() {
                    a21_g[c * m + i] += wi * zc;
                }
                for &(j, wj) in &w[..(at + 1).min(n_rest)] {
                    a22[j * m + i] += wi * wj;
                }
            }
        }
        start += len;
    }
    // Only the lower triangle was accumulated.
    for j in 0..m {
        for i in 0..j {
            a22[(i, j)] = a22[(j, i)];
        }
    }
    Ok(CrossProducts { a11, a21, a22 })
}
