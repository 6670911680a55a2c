//! The one pass over the data: the blocks of A = [Z X y]'[Z X y] (Bates et al. 2015, eq. 18),
//! each in the kind its structure calls for (see [`super::structure`]), with X and y centred
//! (see [`Centering`]).
//!
//! The pass is two steps so that a transformation of the rows can sit between them: the rows of
//! [Z X y] are produced block by block ([`RowBlock`]), then added to the cross-products
//! ([`CrossProducts::add_rows`]). A residual correlation structure, for one, transforms each
//! person's rows before they are added ([`Whitening`], the within-person transform of
//! [`super::residual`]).

use super::block::Block;
use super::centering::Centering;
use super::residual::{whiten_block, Occasions};
use super::structure::{at, Dim};
use super::ModelError;
use crate::design::{ModelData, ModelMatrix, RandomEffectsTerm, BLOCK_ROWS};
use std::collections::HashMap;

/// Consecutive rows of [Z X y]: the level of each row in each term, each term's Z columns and
/// the centred X and y columns, all column-major over the `len` rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct RowBlock {
    /// Number of rows.
    pub len: usize,
    /// Per term, the level index of each row.
    pub refs: Vec<Vec<u32>>,
    /// Per term, its q columns of Z (len x q).
    pub z: Vec<Vec<f64>>,
    /// The p columns of X, then y (len x (p + 1)), centred.
    pub xy: Vec<f64>,
}

/// Produces the rows of [Z X y] in blocks of at most [`BLOCK_ROWS`] and hands each to `visit`.
/// Errors: a random-effects column that is not finite (or what `visit` returns).
pub(crate) fn for_each_row_block(
    terms: &[RandomEffectsTerm],
    x: &ModelMatrix,
    data: &ModelData,
    y: &[f64],
    centering: &Centering,
    mut visit: impl FnMut(&mut RowBlock) -> Result<(), ModelError>,
) -> Result<(), ModelError> {
    let p = x.ncols();
    let mut rows = RowBlock {
        len: 0,
        refs: vec![Vec::new(); terms.len()],
        z: terms
            .iter()
            .map(|t| vec![0.0; BLOCK_ROWS * t.q()])
            .collect(),
        xy: vec![0.0; BLOCK_ROWS * (p + 1)],
    };
    let mut start = 0;
    while start < y.len() {
        let len = BLOCK_ROWS.min(y.len() - start);
        rows.len = len;
        rows.xy.resize(len * (p + 1), 0.0);
        x.block_into(data, start, len, &mut rows.xy[..len * p]);
        for (column, shift) in rows.xy.chunks_exact_mut(len).zip(&centering.x_shift) {
            column.iter_mut().for_each(|c| *c -= shift);
        }
        for (c, v) in rows.xy[len * p..].iter_mut().zip(&y[start..start + len]) {
            *c = v - centering.y_shift;
        }
        for (k, t) in terms.iter().enumerate() {
            rows.z[k].resize(len * t.q(), 0.0);
            t.z.block_into(data, start, len, &mut rows.z[k]);
            if rows.z[k].iter().any(|v| !v.is_finite()) {
                return Err(ModelError::NotFinite {
                    what: format!("a random slope for `{}`", t.group),
                });
            }
            rows.refs[k].clear();
            rows.refs[k].extend_from_slice(&t.refs[start..start + len]);
        }
        visit(&mut rows)?;
        start += len;
    }
    Ok(())
}

/// The within-person transform at one phi, applied to the row blocks in order (rows sorted by
/// person and time; every term grouped by the person, so a whitened row stays in its levels).
pub(crate) struct Whitening<'a> {
    occasions: &'a Occasions,
    phi: f64,
    /// First row of the next block.
    start: usize,
    /// The transform's coefficients for one block.
    weight: Vec<f64>,
    scale: Vec<f64>,
    /// Each column's last untransformed value of the block before ([X y], then each term's Z).
    xy_carry: Vec<f64>,
    z_carry: Vec<Vec<f64>>,
}

impl<'a> Whitening<'a> {
    /// The transform at `phi` for rows with `occasions`, `p` fixed effects and `terms`.
    pub(crate) fn new(
        occasions: &'a Occasions,
        phi: f64,
        p: usize,
        terms: &[RandomEffectsTerm],
    ) -> Whitening<'a> {
        Whitening {
            occasions,
            phi,
            start: 0,
            weight: vec![0.0; BLOCK_ROWS],
            scale: vec![0.0; BLOCK_ROWS],
            xy_carry: vec![0.0; p + 1],
            z_carry: terms.iter().map(|t| vec![0.0; t.q()]).collect(),
        }
    }

    /// Whitens the next block of rows in place.
    pub(crate) fn apply(&mut self, rows: &mut RowBlock) {
        let len = rows.len;
        let (weight, scale) = (&mut self.weight[..len], &mut self.scale[..len]);
        self.occasions
            .coefficients(self.phi, self.start, weight, scale);
        whiten_block(&mut rows.xy, len, &mut self.xy_carry, weight, scale);
        for (z, carry) in rows.z.iter_mut().zip(&mut self.z_carry) {
            whiten_block(z, len, carry, weight, scale);
        }
        self.start += len;
    }
}

/// Z_i'Z_j of two terms while it is accumulated.
enum PairSums {
    /// Term j nested in term i: one q_i x q_j block per level of j, at its parent level.
    Nested { parent: Vec<u32>, values: Vec<f64> },
    /// Crossed: one block per pair of levels that occurs together, in order of appearance.
    Crossed {
        index: HashMap<(u32, u32), usize>,
        keys: Vec<(u32, u32)>,
        values: Vec<f64>,
    },
}

/// The cross-products while they are accumulated.
pub(crate) struct CrossProducts {
    dims: Vec<Dim>,
    /// Z_j'Z_j per term (diagonal or block diagonal).
    diagonal: Vec<Block>,
    /// pairs[i][j] for terms i > j.
    pairs: Vec<Vec<Option<PairSums>>>,
    /// [X y]'Z_j per term, (p + 1) x (levels q_j), column-major.
    xy_z: Vec<Vec<f64>>,
    /// [X y]'[X y], lower triangle, column-major.
    xy_xy: Vec<f64>,
}

impl CrossProducts {
    /// Zero cross-products for `dims` (the terms, then [X y]); `parents[i][j]` (terms i > j) is
    /// the level of term i that each level of term j lies in, when j is nested in i.
    pub(crate) fn new(dims: &[Dim], parents: Vec<Vec<Option<Vec<u32>>>>) -> CrossProducts {
        let k = dims.len() - 1;
        let m = dims[k].q;
        let pairs = parents
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                row.into_iter()
                    .enumerate()
                    .map(|(j, parent)| {
                        (j < i).then(|| match parent {
                            Some(parent) => PairSums::Nested {
                                values: vec![0.0; dims[i].q * dims[j].q * parent.len()],
                                parent,
                            },
                            None => PairSums::Crossed {
                                index: HashMap::new(),
                                keys: Vec::new(),
                                values: Vec::new(),
                            },
                        })
                    })
                    .collect()
            })
            .collect();
        CrossProducts {
            diagonal: dims[..k]
                .iter()
                .map(|d| Block::block_diagonal(d.q, d.levels))
                .collect(),
            pairs,
            xy_z: dims[..k].iter().map(|d| vec![0.0; m * d.size()]).collect(),
            xy_xy: vec![0.0; m * m],
            dims: dims.to_vec(),
        }
    }

    /// Adds the cross-products of a block of rows.
    pub(crate) fn add_rows(&mut self, rows: &RowBlock) {
        let len = rows.len;
        let k = self.dims.len() - 1;
        let m = self.dims[k].q;
        // [X y]'[X y] as dot products of whole columns: fast, and no sum waits on another.
        let columns: Vec<&[f64]> = rows.xy.chunks_exact(len).collect();
        for (a, ca) in columns.iter().enumerate() {
            for (b, cb) in columns.iter().enumerate().take(a + 1) {
                self.xy_xy[b * m + a] += ca.iter().zip(*cb).map(|(u, v)| u * v).sum::<f64>();
            }
        }
        for j in 0..k {
            let q = self.dims[j].q;
            let z = &rows.z[j];
            for (r, &g) in rows.refs[j].iter().enumerate() {
                let g = g as usize;
                let zr = |c: usize| z[c * len + r];
                match &mut self.diagonal[j] {
                    Block::Diagonal(values) => values[g] += zr(0) * zr(0),
                    Block::UniformBlockDiagonal { values, .. } => {
                        let b = &mut values[g * q * q..(g + 1) * q * q];
                        for c in 0..q {
                            for i in 0..q {
                                b[c * q + i] += zr(i) * zr(c);
                            }
                        }
                    }
                    _ => {}
                }
                let xz = &mut self.xy_z[j][g * q * m..(g + 1) * q * m];
                for c in 0..q {
                    let zc = zr(c);
                    for (i, v) in xz[c * m..(c + 1) * m].iter_mut().enumerate() {
                        *v += columns[i][r] * zc;
                    }
                }
            }
            for i in j + 1..k {
                let qi = self.dims[i].q;
                let size = qi * q;
                let zi = &rows.z[i];
                let Some(pair) = &mut self.pairs[i][j] else {
                    continue;
                };
                for r in 0..len {
                    let (g, h) = (rows.refs[j][r], rows.refs[i][r]);
                    let block = match pair {
                        PairSums::Nested { values, .. } => {
                            &mut values[g as usize * size..(g as usize + 1) * size]
                        }
                        PairSums::Crossed {
                            index,
                            keys,
                            values,
                        } => {
                            let e = *index.entry((g, h)).or_insert_with(|| {
                                keys.push((g, h));
                                values.resize(values.len() + size, 0.0);
                                keys.len() - 1
                            });
                            &mut values[e * size..(e + 1) * size]
                        }
                    };
                    for c in 0..q {
                        for a in 0..qi {
                            block[c * qi + a] += zi[a * len + r] * z[c * len + r];
                        }
                    }
                }
            }
        }
    }

    /// The blocks of A in the lower-triangular layout of [`at`].
    pub(crate) fn into_blocks(self) -> Vec<Block> {
        let k = self.dims.len() - 1;
        let m = self.dims[k].q;
        let mut blocks = vec![Block::default(); at(k, k) + 1];
        let mut xy_xy = self.xy_xy;
        for a in 0..m {
            for b in 0..a {
                xy_xy[a * m + b] = xy_xy[b * m + a];
            }
        }
        blocks[at(k, k)] = Block::Dense {
            nrows: m,
            ncols: m,
            values: xy_xy,
        };
        for (j, (diagonal, xz)) in self.diagonal.into_iter().zip(self.xy_z).enumerate() {
            blocks[at(j, j)] = diagonal;
            blocks[at(k, j)] = Block::Dense {
                nrows: m,
                ncols: self.dims[j].size(),
                values: xz,
            };
        }
        for (i, row) in self.pairs.into_iter().enumerate() {
            for (j, pair) in row.into_iter().enumerate() {
                if let Some(pair) = pair {
                    blocks[at(i, j)] = sparse_block(pair, self.dims[i], self.dims[j]);
                }
            }
        }
        blocks
    }
}

/// A finished pair as a sparse block, column levels in order, row levels sorted within each.
fn sparse_block(pair: PairSums, rows: Dim, cols: Dim) -> Block {
    let (q_rows, q_cols) = (rows.q, cols.q);
    match pair {
        PairSums::Nested { parent, values } => Block::Sparse {
            q_rows,
            q_cols,
            col_start: (0..=parent.len()).collect(),
            row_level: parent,
            values,
        },
        PairSums::Crossed { keys, values, .. } => {
            let size = q_rows * q_cols;
            let mut order: Vec<usize> = (0..keys.len()).collect();
            order.sort_unstable_by_key(|&e| keys[e]);
            let mut col_start = vec![0; cols.levels + 1];
            for &(g, _) in &keys {
                col_start[g as usize + 1] += 1;
            }
            for g in 0..cols.levels {
                col_start[g + 1] += col_start[g];
            }
            let mut sorted = Vec::with_capacity(values.len());
            for &e in &order {
                sorted.extend_from_slice(&values[e * size..(e + 1) * size]);
            }
            Block::Sparse {
                q_rows,
                q_cols,
                col_start,
                row_level: order.iter().map(|&e| keys[e].1).collect(),
                values: sorted,
            }
        }
    }
}
