//! The right division of an off-diagonal block of L by the factored diagonal block of its
//! column dimension, B := B L⁻ᵀ (the `rdiv!` of MixedModels.jl), by the kinds of both blocks: a
//! dense factor (crossed terms) by the blocked kernel of [`super::dense`], a diagonal or
//! block-diagonal one level by level.

use super::block::Block;
use super::dense::{solve_dense_right, solve_small_right};

impl Block {
    /// Replaces this off-diagonal block B by B L⁻ᵀ, L the factored diagonal block of its
    /// column dimension (the `rdiv!` of MixedModels.jl).
    pub(crate) fn solve_right_transposed(&mut self, l: &Block) {
        match (self, l) {
            (
                Block::Dense { nrows, values, .. },
                Block::Dense {
                    nrows: m,
                    values: lv,
                    ..
                },
            ) => {
                solve_dense_right(values, *nrows, lv, *m);
            }
            (this, l) => {
                let (q, factors): (usize, &[f64]) = match l {
                    Block::Diagonal(v) => (1, v),
                    Block::UniformBlockDiagonal { q, values } => (*q, values),
                    _ => return,
                };
                match this {
                    Block::Sparse {
                        col_start,
                        values,
                        q_rows,
                        ..
                    } => {
                        let (rows, size) = (*q_rows, *q_rows * q);
                        for g in 0..col_start.len() - 1 {
                            let l = &factors[g * q * q..(g + 1) * q * q];
                            let level = &mut values[col_start[g] * size..col_start[g + 1] * size];
                            if q == 1 {
                                // A scalar term: one division per level, no call per entry.
                                let inv = 1.0 / l[0];
                                level.iter_mut().for_each(|x| *x *= inv);
                                continue;
                            }
                            for b in level.chunks_exact_mut(size) {
                                solve_small_right(b, rows, l, q);
                            }
                        }
                    }
                    Block::Dense { nrows, values, .. } if q == 1 => {
                        for (b, &d) in values.chunks_exact_mut(*nrows).zip(factors) {
                            let inv = 1.0 / d;
                            b.iter_mut().for_each(|x| *x *= inv);
                        }
                    }
                    Block::Dense { nrows, values, .. } => {
                        for (g, b) in values.chunks_exact_mut(*nrows * q).enumerate() {
                            solve_small_right(b, *nrows, &factors[g * q * q..(g + 1) * q * q], q);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}
