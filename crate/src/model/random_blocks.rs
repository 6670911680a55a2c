//! The model's cross-products as diagonal blocks of Z'Z with their rows of Z'X, for methods that
//! need the marginal covariance V = sigma² (I + Z Λ Λ' Z') rather than the profiled criterion
//! (Kenward-Roger). This is the one place such methods read the model's storage.
//!
//! With a single random-effects term, Z'Z is block diagonal (one q x q block per level) and V is
//! block diagonal over the levels' rows, so every quantity of V⁻¹ splits into per-level pieces.
//! With several terms the levels are coupled, and the blocks are one dense matrix over all
//! random effects.

use super::{lambda_block, theta_len, LinearMixedModel, ModelError};
use nalgebra::DMatrix;

/// Most random effects in the one dense block of a model with several terms: the methods that
/// use it do a few dense products and a factorisation of that size (about a second at 1,000).
pub const MAX_DENSE_RANDOM: usize = 1000;

/// Where one random-effects term's columns sit in a [`RandomBlock`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlockTerm {
    /// Index of the term in the model's order.
    pub term: usize,
    /// First column of the term in the block.
    pub offset: usize,
    /// Levels of the term in the block (columns: `levels * q`, level by level).
    pub levels: usize,
    /// Columns per level.
    pub q: usize,
}

/// One diagonal block of the random-effects cross-products, with X centred as the model centres
/// it (see [`LinearMixedModel::centring_transform`]).
#[derive(Debug, Clone)]
pub struct RandomBlock {
    /// Z_b' Z_b.
    pub ztz: DMatrix<f64>,
    /// Z_b' X.
    pub ztx: DMatrix<f64>,
    /// The relative covariance factor Λ_b of these random effects at the current theta.
    pub lambda: DMatrix<f64>,
    /// The terms whose columns make up the block.
    pub terms: Vec<BlockTerm>,
}

impl LinearMixedModel {
    /// Calls `visit` for every diagonal block of Z'Z (see the module docs); Z'Z is block
    /// diagonal over these blocks. Errors: with several terms, more random effects than
    /// [`MAX_DENSE_RANDOM`].
    pub fn for_each_random_block(
        &self,
        mut visit: impl FnMut(&RandomBlock),
    ) -> Result<(), ModelError> {
        let first = &self.terms[0];
        let (q1, l1) = (first.q(), first.levels.len());
        let m = self.l22.nrows();
        if self.terms.len() == 1 {
            let lam = DMatrix::from_vec(q1, q1, self.lambda(0));
            let mut block = RandomBlock {
                ztz: DMatrix::zeros(q1, q1),
                ztx: DMatrix::zeros(q1, self.p),
                lambda: lam,
                terms: vec![BlockTerm {
                    term: 0,
                    offset: 0,
                    levels: 1,
                    q: q1,
                }],
            };
            for g in 0..l1 {
                block
                    .ztz
                    .as_mut_slice()
                    .copy_from_slice(&self.a11[g * q1 * q1..(g + 1) * q1 * q1]);
                let a21 = &self.a21[g * m * q1..(g + 1) * m * q1];
                for c in 0..q1 {
                    for j in 0..self.p {
                        block.ztx[(c, j)] = a21[c * m + self.q_rest + j];
                    }
                }
                visit(&block);
            }
            return Ok(());
        }
        let total = l1 * q1 + self.q_rest;
        if total > MAX_DENSE_RANDOM {
            return Err(ModelError::KenwardRogerTooLarge {
                random_effects: total,
                limit: MAX_DENSE_RANDOM,
            });
        }
        let mut ztz = DMatrix::zeros(total, total);
        let mut ztx = DMatrix::zeros(total, self.p);
        let base = l1 * q1;
        for g in 0..l1 {
            let a11 = &self.a11[g * q1 * q1..(g + 1) * q1 * q1];
            let a21 = &self.a21[g * m * q1..(g + 1) * m * q1];
            for c in 0..q1 {
                for r in 0..q1 {
                    ztz[(g * q1 + r, g * q1 + c)] = a11[c * q1 + r];
                }
                for i in 0..self.q_rest {
                    ztz[(base + i, g * q1 + c)] = a21[c * m + i];
                    ztz[(g * q1 + c, base + i)] = a21[c * m + i];
                }
                for j in 0..self.p {
                    ztx[(g * q1 + c, j)] = a21[c * m + self.q_rest + j];
                }
            }
        }
        for i in 0..self.q_rest {
            for k in 0..self.q_rest {
                ztz[(base + i, base + k)] = self.a22[(i, k)];
            }
            for j in 0..self.p {
                ztx[(base + i, j)] = self.a22[(i, self.q_rest + j)];
            }
        }
        let mut lambda = DMatrix::zeros(total, total);
        let mut terms = Vec::with_capacity(self.terms.len());
        for (k, t) in self.terms.iter().enumerate() {
            let q = t.q();
            let offset = if k == 0 {
                0
            } else {
                base + self.rest_offsets[k]
            };
            let off = self.theta_offsets[k];
            let lam = lambda_block(&self.theta[off..off + theta_len(q)], q);
            for g in 0..t.levels.len() {
                let at = offset + g * q;
                for c in 0..q {
                    for r in 0..q {
                        lambda[(at + r, at + c)] = lam[c * q + r];
                    }
                }
            }
            terms.push(BlockTerm {
                term: k,
                offset,
                levels: t.levels.len(),
                q,
            });
        }
        visit(&RandomBlock {
            ztz,
            ztx,
            lambda,
            terms,
        });
        Ok(())
    }

    /// X'X of the centred X (p x p).
    pub fn centred_xtx(&self) -> DMatrix<f64> {
        let o = self.q_rest;
        self.a22.view((o, o), (self.p, self.p)).into_owned()
    }

    /// T with beta = T beta_centred (+ a constant): a contrast L of beta is L T of the centred
    /// coefficients, and a covariance C of the centred ones is T C T' of beta.
    pub fn centring_transform(&self) -> DMatrix<f64> {
        self.centering.transform(self.p)
    }
}
