//! The model's cross-products as diagonal blocks of Z'Z with their rows of Z'X, for methods that
//! need the marginal covariance V = sigma² (I + Z Λ Λ' Z') rather than the profiled criterion
//! (Kenward-Roger). This is the one place such methods read the model's storage.
//!
//! Z'Z is block diagonal over the connected components of the random effects (see
//! [`super::components`]), and so is V over the rows of each component, so every quantity of
//! V⁻¹ splits into per-component pieces. With a single random-effects term every level is a
//! component; nested factors give one component per top-level group (a person with its days);
//! crossed factors typically give one large component. Each component is handed over as one
//! dense block, whose cost grows with the cube of its size.

use super::components::{for_each_block_in_column, Components};
use super::structure::{at, Dim};
use super::{LinearMixedModel, ModelError};
use nalgebra::DMatrix;

/// Most random effects in one connected block of a model with several terms: the methods that
/// use it do a few dense products and a factorisation of that size per block. Kenward-Roger on
/// one crossed block of 2,000 takes about 1 s and 230 MB natively, 5 s in the page's wasm (of
/// 2,500: 2 s and 10 s); the time grows with the cube of the size.
pub const MAX_COMPONENT_RANDOM: usize = 2000;

/// Most dense work over all blocks, as the sum of their sizes cubed, in units of the largest
/// block allowed: a few times the worst single block.
const MAX_WORK_BLOCKS: f64 = 10.0;
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
    /// diagonal over these blocks. Every block lists every term (with no levels when a term
    /// has none in it). Errors: with several terms, a connected block of more than
    /// [`MAX_COMPONENT_RANDOM`] random effects, or blocks that together would take too long.
    pub fn for_each_random_block(
        &self,
        mut visit: impl FnMut(&RandomBlock),
    ) -> Result<(), ModelError> {
        let k = self.terms.len();
        if k == 1 {
            self.for_each_level_block(&mut visit);
            return Ok(());
        }
        let components = Components::new(&self.a, &self.l.dims[..k]);
        check_work(components.sizes())?;
        let lambdas: Vec<Vec<f64>> = (0..k).map(|i| self.lambda(i)).collect();
        for c in 0..components.len() {
            visit(&self.component_block(&components, c, &lambdas));
        }
        Ok(())
    }

    /// Whether [`LinearMixedModel::for_each_random_block`] would take this model: its
    /// components depend on the data alone, so this can refuse before the fit. Errors: as
    /// that method's.
    pub fn check_random_blocks(&self) -> Result<(), ModelError> {
        let k = self.terms.len();
        if k == 1 {
            return Ok(());
        }
        check_work(Components::new(&self.a, &self.l.dims[..k]).sizes())
    }

    /// The blocks of a single term: one per level.
    fn for_each_level_block(&self, visit: &mut impl FnMut(&RandomBlock)) {
        let Dim { levels, q } = self.l.dims[0];
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
        let xz = &self.a[at(1, 0)];
        for g in 0..levels {
            for c in 0..q {
                for r in 0..q {
                    block.ztz[(r, c)] = a.get(g * q + r, g * q + c);
                }
                for f in 0..self.p {
                    block.ztx[(c, f)] = xz.get(f, g * q + c);
                }
            }
            visit(&block);
        }
    }

    /// The dense block of component `c`, its levels term by term (`lambdas` per term).
    fn component_block(
        &self,
        components: &Components,
        c: usize,
        lambdas: &[Vec<f64>],
    ) -> RandomBlock {
        let k = self.terms.len();
        let dims = &self.l.dims;
        let members = components.members(c);
        let size = components.sizes()[c];
        let mut terms: Vec<BlockTerm> = (0..k)
            .map(|i| BlockTerm {
                term: i,
                offset: 0,
                levels: 0,
                q: dims[i].q,
            })
            .collect();
        for &node in members {
            terms[components.term_level(node).0].levels += 1;
        }
        for i in 1..k {
            terms[i].offset = terms[i - 1].offset + terms[i - 1].levels * terms[i - 1].q;
        }
        let mut ztz = DMatrix::zeros(size, size);
        let mut ztx = DMatrix::zeros(size, self.p);
        let mut lambda = DMatrix::zeros(size, size);
        for &node in members {
            let (j, g) = components.term_level(node);
            let o = components.offset_of(j, g);
            let qj = dims[j].q;
            // Column level g of A's blocks in block column j: the diagonal block, then the rows
            // of the later terms (all in this component, by construction).
            for (i, dim) in dims.iter().enumerate().take(k).skip(j) {
                let qi = dim.q;
                for_each_block_in_column(
                    &self.a[at(i, j)],
                    g,
                    (qi, qj),
                    |h, values, (start, stride)| {
                        debug_assert_eq!(components.component_of(i, h), c);
                        let row = if i == j {
                            o
                        } else {
                            components.offset_of(i, h)
                        };
                        for col in 0..qj {
                            for r in 0..qi {
                                let v = values[start + col * stride + r];
                                ztz[(row + r, o + col)] = v;
                                ztz[(o + col, row + r)] = v;
                            }
                        }
                    },
                );
            }
            let xz = &self.a[at(k, j)];
            for col in 0..qj {
                for f in 0..self.p {
                    ztx[(o + col, f)] = xz.get(f, g * qj + col);
                }
                for r in 0..qj {
                    lambda[(o + r, o + col)] = lambdas[j][col * qj + r];
                }
            }
        }
        RandomBlock {
            ztz,
            ztx,
            lambda,
            terms,
        }
    }

    /// All random effects of a model with several terms as one dense block, whatever its
    /// components: what [`LinearMixedModel::for_each_random_block`] must agree with.
    #[cfg(test)]
    pub(crate) fn as_one_random_block(&self) -> RandomBlock {
        let k = self.terms.len();
        let dims = &self.l.dims;
        let xz = |j: usize, c: usize, f: usize| self.a[at(k, j)].get(f, c);
        let offsets: Vec<usize> = dims[..k]
            .iter()
            .scan(0, |start, d| {
                let at = *start;
                *start += d.size();
                Some(at)
            })
            .collect();
        let total = offsets[k - 1] + dims[k - 1].size();
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
            let lam = self.lambda(i);
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
        RandomBlock {
            ztz,
            ztx,
            lambda,
            terms,
        }
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

/// Refuses components whose dense treatment would take too long: one larger than
/// [`MAX_COMPONENT_RANDOM`], or all of them together more than [`MAX_WORK_BLOCKS`] times the
/// largest allowed (the work of a block grows with the cube of its size).
fn check_work(sizes: &[usize]) -> Result<(), ModelError> {
    let largest = sizes.iter().copied().max().unwrap_or(0);
    if largest > MAX_COMPONENT_RANDOM {
        return Err(ModelError::KenwardRogerTooLarge {
            random_effects: largest,
            limit: MAX_COMPONENT_RANDOM,
        });
    }
    let cube = |s: usize| (s as f64).powi(3);
    let work: f64 = sizes.iter().map(|&s| cube(s)).sum();
    if work > MAX_WORK_BLOCKS * cube(MAX_COMPONENT_RANDOM) {
        return Err(ModelError::KenwardRogerTooMuchWork {
            blocks: sizes.len(),
            largest,
            random_effects: sizes.iter().sum(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_block_and_the_total_work_are_limited() {
        assert_eq!(check_work(&[15; 10_000]), Ok(()));
        assert_eq!(check_work(&[MAX_COMPONENT_RANDOM, 3]), Ok(()));
        assert_eq!(
            check_work(&[3, MAX_COMPONENT_RANDOM + 1]),
            Err(ModelError::KenwardRogerTooLarge {
                random_effects: MAX_COMPONENT_RANDOM + 1,
                limit: MAX_COMPONENT_RANDOM,
            })
        );
        // Thirty blocks of 1,500: each allowed, together 13 times the largest allowed.
        assert_eq!(
            check_work(&[1500; 30]),
            Err(ModelError::KenwardRogerTooMuchWork {
                blocks: 30,
                largest: 1500,
                random_effects: 45_000,
            })
        );
    }
}
