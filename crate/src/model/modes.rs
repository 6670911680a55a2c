//! The conditional modes of the random effects at the current factor (Bates et al. 2015,
//! eq. 30): the spherical u solves L_Z' u = c_Z - L_XZ' beta by block back-substitution, and
//! b = Λ u. The narrow view of the fit that the outputs per group (conditional modes, fitted
//! values) build on.

use super::block::Block;
use super::structure::at;
use super::LinearMixedModel;
use nalgebra::{DMatrixView, DMatrixViewMut};

impl LinearMixedModel {
    /// The spherical random effects u, one vector per term in the model's order, level after
    /// level (q values each).
    pub fn spherical_modes(&self) -> Vec<Vec<f64>> {
        let k = self.terms.len();
        let p = self.p;
        let beta = self.centred_beta();
        let blocks = &self.l.blocks;
        // Right-hand sides from the [X y] rows of L: row p is c_Z, rows 0..p are L_XZ.
        let mut u: Vec<Vec<f64>> = (0..k)
            .map(|j| {
                let l = &blocks[at(k, j)];
                (0..self.l.dims[j].size())
                    .map(|c| l.get(p, c) - (0..p).map(|a| l.get(a, c) * beta[a]).sum::<f64>())
                    .collect()
            })
            .collect();
        for j in (0..k).rev() {
            let mut v = std::mem::take(&mut u[j]);
            for (i, ui) in u.iter().enumerate().take(k).skip(j + 1) {
                blocks[at(i, j)].subtract_transposed_product(ui, &mut v);
            }
            blocks[at(j, j)].solve_transposed(&mut v);
            u[j] = v;
        }
        u
    }

    /// The conditional modes b = Λ u (lme4's `ranef`), one vector per term in the model's
    /// order, level after level (the term's q columns for each level).
    pub fn conditional_modes(&self) -> Vec<Vec<f64>> {
        let mut modes = self.spherical_modes();
        for (i, b) in modes.iter_mut().enumerate() {
            let q = self.terms[i].q();
            let lambda = self.lambda(i);
            for level in b.chunks_exact_mut(q) {
                let u = level.to_vec();
                for (r, value) in level.iter_mut().enumerate() {
                    *value = (0..=r).map(|c| lambda[c * q + r] * u[c]).sum();
                }
            }
        }
        modes
    }
}

/// The two block operations of the back-substitution.
impl Block {
    /// out -= B' u for this off-diagonal block B (u over its rows, out over its columns; a
    /// dense block's columns are `q_cols` per level).
    fn subtract_transposed_product(&self, u: &[f64], out: &mut [f64]) {
        match self {
            Block::Sparse {
                q_rows,
                q_cols,
                col_start,
                row_level,
                values,
            } => {
                let size = q_rows * q_cols;
                for g in 0..col_start.len() - 1 {
                    for e in col_start[g]..col_start[g + 1] {
                        let rows = &u[row_level[e] as usize * q_rows..][..*q_rows];
                        let block = &values[e * size..(e + 1) * size];
                        for (c, column) in block.chunks_exact(*q_rows).enumerate() {
                            out[g * q_cols + c] -=
                                column.iter().zip(rows).map(|(a, b)| a * b).sum::<f64>();
                        }
                    }
                }
            }
            Block::Dense { nrows, values, .. } => {
                for (o, column) in out.iter_mut().zip(values.chunks_exact(*nrows)) {
                    *o -= column.iter().zip(u).map(|(a, b)| a * b).sum::<f64>();
                }
            }
            Block::Diagonal(_) | Block::UniformBlockDiagonal { .. } => {}
        }
    }

    /// v := L⁻ᵀ v for this factored diagonal block L.
    fn solve_transposed(&self, v: &mut [f64]) {
        match self {
            Block::Diagonal(d) => v.iter_mut().zip(d).for_each(|(x, d)| *x /= d),
            Block::UniformBlockDiagonal { q, values } => {
                for (l, x) in values.chunks_exact(q * q).zip(v.chunks_exact_mut(*q)) {
                    for i in (0..*q).rev() {
                        let s: f64 = (i + 1..*q).map(|k| l[i * q + k] * x[k]).sum();
                        x[i] = (x[i] - s) / l[i * q + i];
                    }
                }
            }
            Block::Dense { nrows, values, .. } => {
                let l = DMatrixView::from_slice(values, *nrows, *nrows);
                let mut x = DMatrixViewMut::from_slice(v, *nrows, 1);
                let solved = l.tr_solve_lower_triangular_mut(&mut x);
                debug_assert!(solved, "the diagonal of a factor is positive");
            }
            Block::Sparse { .. } => {}
        }
    }
}
