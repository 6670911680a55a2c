//! What the factor says about the random effects beyond their modes (`modes.rs`), and the
//! cross-products that a decomposition of the variance needs: the conditional covariances of the
//! modes (lme4's `condVar`), each term's Z_k'Z_k and the scatter of X.
//!
//! lme4's `condVar` is σ² Λ (L_Z L_Z')^-1 Λ' per level, with L_Z the factor of Λ'Z'ZΛ + I alone
//! (conditional on the estimated beta): the Z rows and columns of the blocked factor. The block
//! of (L_Z L_Z')^-1 = L_Z^-T L_Z^-1 for a level g is X'X with X = L_Z^-1 E_g, E_g the level's
//! unit columns. X is found by a forward substitution over the blocks that skips what is zero:
//! it starts at the level's own term, a nested factor reaches one level of each term it lies in,
//! and only a crossed factor (a dense block of L) spreads it over all of a term's levels, where
//! the dense block's inverse, formed once, turns the solve into a sum of a few of its columns.

use super::block::Block;
use super::dense::lower_inverse;
use super::structure::{at, Dim};
use super::LinearMixedModel;
use nalgebra::DMatrix;

impl LinearMixedModel {
    /// The conditional covariance of each level's b given the data (at the estimated beta and
    /// the current theta), σ² Λ (L_Z L_Z')^-1_gg Λ' as lme4's `condVar`: one vector per term,
    /// level by level, each a q x q column-major block.
    pub fn conditional_covariances(&self, sigma: f64) -> Vec<Vec<f64>> {
        let k = self.terms.len();
        let dims = &self.l.dims[..k];
        let blocks = &self.l.blocks;
        // The inverse of every dense diagonal block (crossed factors), formed once.
        let inverses: Vec<Option<DMatrix<f64>>> = (0..k)
            .map(|i| match &blocks[at(i, i)] {
                Block::Dense { nrows, values, .. } => Some(DMatrix::from_vec(
                    *nrows,
                    *nrows,
                    lower_inverse(values, *nrows),
                )),
                _ => None,
            })
            .collect();
        // Levels are independent: natively they are shared out between threads, in ranges.
        let mut out: Vec<Vec<f64>> = (0..k)
            .map(|j| {
                self.over_ranges(dims[j].levels, |levels| {
                    let q = dims[j].q;
                    let mut x: Vec<Columns> = dims.iter().map(|&d| Columns::new(d, q)).collect();
                    let mut term = Vec::with_capacity(levels.len() * q * q);
                    for g in levels {
                        term.extend(level_block(blocks, &inverses, &mut x, j, g));
                    }
                    term
                })
            })
            .collect();
        for (i, term) in out.iter_mut().enumerate() {
            let q = self.terms[i].q();
            let lambda = DMatrix::from_vec(q, q, self.lambda(i));
            for level in term.chunks_exact_mut(q * q) {
                let v = DMatrix::from_column_slice(q, q, level);
                let scaled = &lambda * v * lambda.transpose() * (sigma * sigma);
                level.copy_from_slice(scaled.as_slice());
            }
        }
        out
    }

    /// Z_k'Z_k of term k summed over its levels: q x q, column-major (Z is never centred).
    pub fn term_gram(&self, k: usize) -> Vec<f64> {
        let Dim { levels, q } = self.l.dims[k];
        let a = &self.a[at(k, k)];
        let mut gram = vec![0.0; q * q];
        for g in 0..levels {
            for b in 0..q {
                for r in 0..q {
                    gram[b * q + r] += a.get(g * q + r, g * q + b);
                }
            }
        }
        gram
    }

    /// The scatter matrix of X about its column means, Σ (x - x̄)(x - x̄)' (p x p), from the
    /// centred cross-products: Σ (x - s)(x - s)' - n (x̄ - s)(x̄ - s)' for the shift s.
    pub fn fixed_scatter(&self) -> DMatrix<f64> {
        let n = self.nobs as f64;
        let d: Vec<f64> = self
            .centering
            .x_mean
            .iter()
            .zip(&self.centering.x_shift)
            .map(|(mean, shift)| mean - shift)
            .collect();
        self.centred_xtx() - DMatrix::from_fn(self.p, self.p, |i, j| n * d[i] * d[j])
    }

    /// Σ_k = Λ_k Λ_k' of term k (the relative covariance: times σ² it is the term's covariance),
    /// q x q column-major.
    pub fn relative_covariance(&self, k: usize) -> Vec<f64> {
        let q = self.terms[k].q();
        let lambda = DMatrix::from_vec(q, q, self.lambda(k));
        (&lambda * lambda.transpose()).as_slice().to_vec()
    }
}

/// (L_Z L_Z')^-1 for level g of term j (q x q, column-major): X'X for X = L_Z^-1 E_g, found by
/// the forward substitution over the blocks in `x` (scratch, left zeroed).
fn level_block(
    blocks: &[Block],
    inverses: &[Option<DMatrix<f64>>],
    x: &mut [Columns],
    j: usize,
    g: usize,
) -> Vec<f64> {
    let k = x.len();
    let q = x[j].ncols;
    for c in 0..q {
        x[j].set(g, c, c, 1.0);
    }
    for i in j..k {
        let (done, rest) = x.split_at_mut(i);
        for (h, xh) in done.iter().enumerate().skip(j) {
            rest[0].subtract_product(&blocks[at(i, h)], xh);
        }
        rest[0].solve(&blocks[at(i, i)], inverses[i].as_ref());
    }
    let mut v = vec![0.0; q * q];
    for xi in &mut x[j..] {
        xi.add_gram(&mut v);
        xi.clear();
    }
    v
}

/// Some columns of L_Z^-1 restricted to one term's rows, with the levels that are not zero.
struct Columns {
    dim: Dim,
    /// Column c's values over the term's scalar rows at `c * dim.size()`.
    values: Vec<f64>,
    ncols: usize,
    /// Levels that may be nonzero, each once (`marked` says which).
    touched: Vec<usize>,
    marked: Vec<bool>,
}

impl Columns {
    fn new(dim: Dim, ncols: usize) -> Columns {
        Columns {
            dim,
            values: vec![0.0; dim.size() * ncols],
            ncols,
            touched: Vec::new(),
            marked: vec![false; dim.levels],
        }
    }

    fn touch(&mut self, level: usize) {
        if !self.marked[level] {
            self.marked[level] = true;
            self.touched.push(level);
        }
    }

    fn touch_all(&mut self) {
        for g in 0..self.dim.levels {
            self.touch(g);
        }
    }

    /// Sets row r of level g in column c.
    fn set(&mut self, g: usize, r: usize, c: usize, v: f64) {
        self.touch(g);
        self.values[c * self.dim.size() + g * self.dim.q + r] = v;
    }

    /// self -= B x for the off-diagonal block B of L between this term (rows) and x's term.
    fn subtract_product(&mut self, b: &Block, x: &Columns) {
        let (size, xsize) = (self.dim.size(), x.dim.size());
        let qx = x.dim.q;
        for &h in &x.touched {
            match b {
                Block::Sparse {
                    q_rows,
                    q_cols,
                    col_start,
                    row_level,
                    values,
                } => {
                    let bs = q_rows * q_cols;
                    for e in col_start[h]..col_start[h + 1] {
                        let g = row_level[e] as usize;
                        self.touch(g);
                        let block = &values[e * bs..(e + 1) * bs];
                        for c in 0..self.ncols {
                            let xc = &x.values[c * xsize + h * q_cols..][..*q_cols];
                            let out = &mut self.values[c * size + g * q_rows..][..*q_rows];
                            for (column, &xv) in block.chunks_exact(*q_rows).zip(xc) {
                                out.iter_mut().zip(column).for_each(|(o, v)| *o -= v * xv);
                            }
                        }
                    }
                }
                Block::Dense { nrows, values, .. } => {
                    for c in 0..self.ncols {
                        for s in 0..qx {
                            let xv = x.values[c * xsize + h * qx + s];
                            if xv == 0.0 {
                                continue;
                            }
                            let column = &values[(h * qx + s) * nrows..][..*nrows];
                            let out = &mut self.values[c * size..(c + 1) * size];
                            out.iter_mut().zip(column).for_each(|(o, v)| *o -= v * xv);
                        }
                    }
                    self.touch_all();
                }
                Block::Diagonal(_) | Block::UniformBlockDiagonal { .. } => {}
            }
        }
    }

    /// self := L⁻¹ self for the factored diagonal block L of this term (`inverse` for a dense one).
    fn solve(&mut self, l: &Block, inverse: Option<&DMatrix<f64>>) {
        let size = self.dim.size();
        match l {
            Block::Diagonal(d) => {
                for c in 0..self.ncols {
                    for &g in &self.touched {
                        self.values[c * size + g] /= d[g];
                    }
                }
            }
            Block::UniformBlockDiagonal { q, values } => {
                for c in 0..self.ncols {
                    for &g in &self.touched {
                        let l = &values[g * q * q..(g + 1) * q * q];
                        let x = &mut self.values[c * size + g * q..][..*q];
                        for r in 0..*q {
                            let s: f64 = (0..r).map(|k| l[k * q + r] * x[k]).sum();
                            x[r] = (x[r] - s) / l[r * q + r];
                        }
                    }
                }
            }
            Block::Dense { .. } => {
                let Some(w) = inverse else { return };
                for c in 0..self.ncols {
                    let x = &mut self.values[c * size..(c + 1) * size];
                    let mut y = vec![0.0; size];
                    for (col, &xv) in x.iter().enumerate() {
                        if xv != 0.0 {
                            // W is lower triangular: column col is zero above row col.
                            let w = &w.as_slice()[col * size..(col + 1) * size];
                            for r in col..size {
                                y[r] += w[r] * xv;
                            }
                        }
                    }
                    x.copy_from_slice(&y);
                }
                self.touch_all();
            }
            Block::Sparse { .. } => {}
        }
    }

    /// v += X'X over the touched levels (ncols x ncols, column-major).
    fn add_gram(&self, v: &mut [f64]) {
        let (size, q) = (self.dim.size(), self.dim.q);
        for b in 0..self.ncols {
            for a in 0..self.ncols {
                let mut s = 0.0;
                for &g in &self.touched {
                    let xa = &self.values[a * size + g * q..][..q];
                    let xb = &self.values[b * size + g * q..][..q];
                    s += xa.iter().zip(xb).map(|(u, w)| u * w).sum::<f64>();
                }
                v[b * self.ncols + a] += s;
            }
        }
    }

    /// Zeros the touched levels.
    fn clear(&mut self) {
        let (size, q) = (self.dim.size(), self.dim.q);
        for &g in &self.touched {
            for c in 0..self.ncols {
                self.values[c * size + g * q..][..q].fill(0.0);
            }
            self.marked[g] = false;
        }
        self.touched.clear();
    }
}
