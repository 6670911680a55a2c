//! The blocked Cholesky factor L of Λ'[Z X y]'[Z X y]Λ + diag(I, 0) for a given theta
//! (Bates et al. 2015, eqs. 18 and 24-28; MixedModels.jl's `updateL!`): scale and inflate A
//! block by block, then a left-looking Cholesky over the blocks, whose three operations (rank
//! update, Cholesky of a diagonal block, right division) each dispatch on the kinds of blocks.

use super::block::{Block, RankBuffers};
use super::structure::{at, Dim};

/// The blocks of L and the buffers update_l reuses.
#[derive(Debug, Clone)]
pub(crate) struct BlockedFactor {
    /// L's blocks in the lower-triangular layout of [`at`], over `dims`.
    pub blocks: Vec<Block>,
    pub dims: Vec<Dim>,
}

impl BlockedFactor {
    /// Refactors for the Λ blocks `lambdas` (one q x q lower-triangular factor per term,
    /// column-major) from the cross-products `a` (same layout), keeping the block rows before
    /// term `from` as they are. Returns false when some diagonal block is not positive definite.
    ///
    /// L[i, j] (i >= j) depends on Λ of the terms up to i only (A's block scaled by Λ_i and Λ_j,
    /// less products of blocks to its left in rows i and j), so when only terms from `from` on
    /// have a new Λ since the last successful update, the rows before `from` still hold. A
    /// finite-difference step in the last term of a crossed model then skips the dense block of
    /// the terms before it (InstEval: the 1,128-lecturer Cholesky, when only dept:service moves).
    // Kept out of line: inlined into its callers (which became generic over the batches of
    // `parallel`), its loops ran about 10% slower for the same instructions (measured on the
    // 250-person EMA slope model, 23 -> 20 ms with this attribute).
    #[inline(never)]
    pub(crate) fn update(&mut self, a: &[Block], lambdas: &[Vec<f64>], from: usize) -> bool {
        let k = self.dims.len() - 1;
        for i in from..=k {
            for j in 0..=i {
                let (r, c) = (self.dims[i], self.dims[j]);
                let lam_r = lambdas.get(i).map(Vec::as_slice);
                let lam_c = lambdas.get(j).map(Vec::as_slice);
                let target = &mut self.blocks[at(i, j)];
                scale_into(target, &a[at(i, j)], (r.q, lam_r), (c.q, lam_c));
                if i == j && i < k {
                    add_identity(target);
                }
            }
        }
        let mut ok = true;
        let mut buffers = RankBuffers::default();
        for j in 0..=k {
            for h in 0..j {
                let shared = (self.dims[h].levels, self.dims[h].q);
                for i in j.max(from)..=k {
                    let mut target = std::mem::take(&mut self.blocks[at(i, j)]);
                    let right = (i != j).then(|| &self.blocks[at(j, h)]);
                    ok &= target.rank_update(&self.blocks[at(i, h)], right, shared, &mut buffers);
                    self.blocks[at(i, j)] = target;
                }
            }
            if j >= from {
                ok &= self.blocks[at(j, j)].cholesky();
            }
            if !ok {
                return false;
            }
            for i in (j + 1).max(from)..=k {
                let mut target = std::mem::take(&mut self.blocks[at(i, j)]);
                target.solve_right_transposed(&self.blocks[at(j, j)]);
                self.blocks[at(i, j)] = target;
            }
        }
        ok
    }

    /// About the floating-point work of an update from term `from` on (see [`Self::update`]): a
    /// pass over every stored value of the block rows it recomputes, and m³/3 for the Cholesky
    /// of each dense diagonal block among them. What decides whether an evaluation is worth a
    /// thread, and which thread a point goes to ([`super::parallel`]).
    pub(crate) fn work_from(&self, from: usize) -> f64 {
        let k = self.dims.len() - 1;
        let mut work = 0.0;
        for i in from..=k {
            for j in 0..=i {
                work += match &self.blocks[at(i, j)] {
                    Block::Diagonal(values)
                    | Block::UniformBlockDiagonal { values, .. }
                    | Block::Sparse { values, .. } => values.len() as f64,
                    Block::Dense { nrows, values, .. } => {
                        let cholesky = if i == j {
                            (*nrows as f64).powi(3) / 3.0
                        } else {
                            0.0
                        };
                        values.len() as f64 + cholesky
                    }
                };
            }
        }
        work
    }
}

/// target = Λ_r' a Λ_c, a's blocks scattered into the target's kind (Λ = I where None).
fn scale_into(
    target: &mut Block,
    a: &Block,
    (q_r, lam_r): (usize, Option<&[f64]>),
    (q_c, lam_c): (usize, Option<&[f64]>),
) {
    // A dense block of A is an [X y] row: one row level of all its rows.
    let rows = match a {
        Block::Dense { nrows, .. } => *nrows,
        _ => q_r,
    };
    if target.copy_same_pattern(a) {
        // The usual case, and the one that runs over every level: scale in place.
        let size = rows * q_c;
        match (lam_r, lam_c) {
            (Some(r), Some(c)) if q_r == 1 && q_c == 1 => {
                let f = r[0] * c[0];
                target.blocks_mut(1).for_each(|b| b[0] *= f);
            }
            _ => target.blocks_mut(size).for_each(|b| {
                if let Some(lam) = lam_c {
                    right_multiply_lower(b, rows, lam, q_c);
                }
                if let Some(lam) = lam_r {
                    left_multiply_lower_transposed(b, rows, lam);
                }
            }),
        }
        return;
    }
    target.zero();
    let mut scaled = vec![0.0; rows * q_c];
    a.for_each_block(rows, q_c, |entry, row, col, b| {
        scaled.copy_from_slice(b);
        if let Some(lam) = lam_c {
            right_multiply_lower(&mut scaled, rows, lam, q_c);
        }
        if let Some(lam) = lam_r {
            left_multiply_lower_transposed(&mut scaled, rows, lam);
        }
        // The pattern of L's blocks holds A's (see `super::structure`).
        let inside = target.add_block(entry, (row, col), (rows, q_c), &scaled);
        debug_assert!(inside, "L's pattern holds A's");
    });
}

/// B := B Λ for a `rows x q` column-major B and a lower-triangular Λ.
fn right_multiply_lower(b: &mut [f64], rows: usize, lam: &[f64], q: usize) {
    if q == 1 {
        b.iter_mut().for_each(|v| *v *= lam[0]);
        return;
    }
    // Column c of BΛ is sum over t >= c of Λ[t, c] B[:, t]: in place, left column first.
    for c in 0..q {
        for r in 0..rows {
            b[c * rows + r] = (c..q).map(|t| b[t * rows + r] * lam[c * q + t]).sum();
        }
    }
}

/// B := Λ' B for a `q x cols` column-major B (q = its rows) and a lower-triangular Λ.
fn left_multiply_lower_transposed(b: &mut [f64], q: usize, lam: &[f64]) {
    if q == 1 {
        b.iter_mut().for_each(|v| *v *= lam[0]);
        return;
    }
    // Row r of Λ'B is sum over t >= r of Λ[t, r] B[t, :]: in place, top row first.
    for column in b.chunks_exact_mut(q) {
        for r in 0..q {
            column[r] = (r..q).map(|t| lam[r * q + t] * column[t]).sum();
        }
    }
}

/// Adds the identity to a diagonal block.
fn add_identity(block: &mut Block) {
    match block {
        Block::Diagonal(values) => values.iter_mut().for_each(|v| *v += 1.0),
        Block::UniformBlockDiagonal { q, values } => {
            for b in values.chunks_exact_mut(*q * *q) {
                for i in 0..*q {
                    b[i * *q + i] += 1.0;
                }
            }
        }
        Block::Dense { nrows, values, .. } => {
            for i in 0..*nrows {
                values[i * *nrows + i] += 1.0;
            }
        }
        Block::Sparse { .. } => {}
    }
}
