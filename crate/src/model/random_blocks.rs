//! The model's cross-products as diagonal blocks of Z'Z with their rows of Z'X, for methods that
//! need the marginal covariance V = sigma² (I + Z Λ Λ' Z') rather than the profiled criterion
//! (Kenward-Roger). This is the one place such methods read the model's storage.
//!
//! With a single random-effects term, Z'Z is block diagonal (one q x q block per level) and V is
//! block diagonal over the levels' rows, so every quantity of V⁻¹ splits into per-level pieces.
//! With several terms the levels are coupled, and the blocks are one dense matrix over all
//! random effects.

use super::structure::{at, Dim};
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
        let k = self.terms.len();
        let dims = &self.l.dims;
        let xz = |j: usize, c: usize, f: usize| self.a[at(k, j)].get(f, c);
        if k == 1 {
            let Dim { levels, q } = dims[0];
            let mut block = RandomBlock {
                ztz: DMatrix::zeros(q, q),
                ztx: DMatrix::zeros(q, self.p),
                lambda: DMatrix::from_vec(q, q, self.lambda(0)),
                terms: vec![BlockTerm {
                    term: 0,
                    offset: 0,
                    levels: 1,
                    q,
                }],
            };
            let a = &self.a[at(0, 0)];
            for g in 0..levels {
                for c in 0..q {
                    for r in 0..q {
                        block.ztz[(r, c)] = a.get(g * q + r, g * q + c);
                    }
                    for f in 0..self.p {
                        block.ztx[(c, f)] = xz(0, g * q + c, f);
                    }
                }
                visit(&block);
            }
            return Ok(());
        }
        let offsets: Vec<usize> = dims[..k]
            .iter()
            .scan(0, |start, d| {
                let at = *start;
                *start += d.size();
                Some(at)
            })
            .collect();
        let total = offsets[k - 1] + dims[k - 1].size();
        if total > MAX_DENSE_RANDOM {
            return Err(ModelError::KenwardRogerTooLarge {
                random_effects: total,
                limit: MAX_DENSE_RANDOM,
            });
        }
        let mut ztz = DMatrix::zeros(total, total);
        let mut ztx = DMatrix::zeros(total, self.p);
        let mut lambda = DMatrix::zeros(total, total);
        let mut terms = Vec::with_capacity(k);
        for i in 0..k {
            let (oi, si) = (offsets[i], dims[i].size());
            // A's blocks below the diagonal, mirrored; the diagonal blocks hold both triangles.
            for j in 0..=i {
                let a = &self.a[at(i, j)];
                for c in 0..dims[j].size() {
                    for r in 0..si {
                        let v = a.get(r, c);
                        ztz[(oi + r, offsets[j] + c)] = v;
                        ztz[(offsets[j] + c, oi + r)] = v;
                    }
                }
            }
            for r in 0..si {
                for f in 0..self.p {
                    ztx[(oi + r, f)] = xz(i, r, f);
                }
            }
            let Dim { levels, q } = dims[i];
            let off = self.theta_offsets[i];
            let lam = lambda_block(&self.theta[off..off + theta_len(q)], q);
            for g in 0..levels {
                let at = oi + g * q;
                for c in 0..q {
                    for r in 0..q {
                        lambda[(at + r, at + c)] = lam[c * q + r];
                    }
                }
            }
            terms.push(BlockTerm {
                term: i,
                offset: oi,
                levels,
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
        let a = &self.a[at(self.terms.len(), self.terms.len())];
        DMatrix::from_fn(self.p, self.p, |i, j| a.get(i, j))
    }

    /// T with beta = T beta_centred (+ a constant): a contrast L of beta is L T of the centred
    /// coefficients, and a covariance C of the centred ones is T C T' of beta.
    pub fn centring_transform(&self) -> DMatrix<f64> {
        self.centering.transform(self.p)
    }
}
