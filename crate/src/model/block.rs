//! One block of the blocked matrices A = [Z X y]'[Z X y] and L (its Cholesky factor), typed by
//! its structure as MixedModels.jl types them (Bates et al. 2015, section 3.5; MixedModels.jl's
//! `Diagonal`, `UniformBlockDiagonal`, `BlockedSparse`, `Matrix`).
//!
//! Rows and columns of a block belong to a "block dimension": a random-effects term (levels x q
//! scalar rows, level-major) or the [X y] columns (one level of p + 1). Every operation of the
//! blocked Cholesky is one `match` on the kind of block here; the algorithm in
//! [`super::factor`] never looks inside a block.

use super::blocks::small_cholesky;
use super::crossed::{subtract_sparse_product, ScalarSparse};
use super::dense::{dense_cholesky, subtract_block_product, subtract_dense_product};

/// A block whose kind follows the structure of the cross-products it holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// A diagonal block of a scalar term (one value per level): Z'Z of `(1 | g)`, and its factor
    /// as long as no crossing fills it in.
    Diagonal(Vec<f64>),
    /// A diagonal block of a vector-valued term: one q x q block per level (column-major,
    /// level after level).
    UniformBlockDiagonal { q: usize, values: Vec<f64> },
    /// An off-diagonal block between two terms, sparse by levels: column level g holds the
    /// entries `col_start[g]..col_start[g + 1]`, entry e the (q_rows x q_cols, column-major)
    /// block at row level `row_level[e]`, values from `e * q_rows * q_cols`. A nested factor
    /// (each level of the column term inside one level of the row term) has one entry per
    /// column level and no fill-in ever leaves that pattern.
    Sparse {
        q_rows: usize,
        q_cols: usize,
        col_start: Vec<usize>,
        row_level: Vec<u32>,
        values: Vec<f64>,
    },
    /// Dense, column-major: the [X y] rows, and where crossed factors fill the factor in.
    Dense {
        nrows: usize,
        ncols: usize,
        values: Vec<f64>,
    },
}

impl Default for Block {
    fn default() -> Self {
        Block::Dense {
            nrows: 0,
            ncols: 0,
            values: Vec::new(),
        }
    }
}

impl Block {
    /// A dense block of zeros.
    pub(crate) fn dense(nrows: usize, ncols: usize) -> Block {
        Block::Dense {
            nrows,
            ncols,
            values: vec![0.0; nrows * ncols],
        }
    }

    /// A block-diagonal block of zeros with `levels` blocks of q x q (Diagonal when q = 1).
    pub(crate) fn block_diagonal(q: usize, levels: usize) -> Block {
        if q == 1 {
            Block::Diagonal(vec![0.0; levels])
        } else {
            Block::UniformBlockDiagonal {
                q,
                values: vec![0.0; q * q * levels],
            }
        }
    }

    fn stored_values(&self) -> &[f64] {
        match self {
            Block::Diagonal(values)
            | Block::UniformBlockDiagonal { values, .. }
            | Block::Sparse { values, .. }
            | Block::Dense { values, .. } => values,
        }
    }

    fn values_mut(&mut self) -> &mut [f64] {
        match self {
            Block::Diagonal(values)
            | Block::UniformBlockDiagonal { values, .. }
            | Block::Sparse { values, .. }
            | Block::Dense { values, .. } => values,
        }
    }

    /// Copies `other`'s values when it has the same kind and pattern (L's blocks that keep A's
    /// pattern); returns false, changing nothing, otherwise.
    pub(crate) fn copy_same_pattern(&mut self, other: &Block) -> bool {
        let same = match (&*self, other) {
            (Block::Diagonal(a), Block::Diagonal(b)) => a.len() == b.len(),
            (
                Block::UniformBlockDiagonal { q, values },
                Block::UniformBlockDiagonal { q: q2, values: v2 },
            ) => q == q2 && values.len() == v2.len(),
            (
                Block::Sparse {
                    col_start, values, ..
                },
                Block::Sparse {
                    col_start: c2,
                    values: v2,
                    ..
                },
            ) => col_start.len() == c2.len() && values.len() == v2.len(),
            (
                Block::Dense { nrows, values, .. },
                Block::Dense {
                    nrows: n2,
                    values: v2,
                    ..
                },
            ) => nrows == n2 && values.len() == v2.len(),
            _ => false,
        };
        if same {
            self.values_mut().copy_from_slice(other.stored_values());
        }
        same
    }

    /// The stored values as consecutive blocks of `size` (one per level of a diagonal block,
    /// per entry of a sparse one, per column level of a dense one when `size` says so).
    pub(crate) fn blocks_mut(&mut self, size: usize) -> std::slice::ChunksExactMut<'_, f64> {
        self.values_mut().chunks_exact_mut(size)
    }

    /// Sets every stored value to zero, keeping the pattern.
    pub(crate) fn zero(&mut self) {
        self.values_mut().fill(0.0);
    }

    /// Calls `visit(entry, row_level, col_level, block)` for every stored block of
    /// `q_rows x q_cols` (the caller's dimensions: a dense block is visited as blocks of
    /// `nrows x q_cols`, one per column level, when `q_rows` is its number of rows).
    pub(crate) fn for_each_block(
        &self,
        q_rows: usize,
        q_cols: usize,
        mut visit: impl FnMut(usize, usize, usize, &[f64]),
    ) {
        match self {
            Block::Diagonal(values) => {
                for (g, v) in values.iter().enumerate() {
                    visit(g, g, g, std::slice::from_ref(v));
                }
            }
            Block::UniformBlockDiagonal { q, values } => {
                for (g, b) in values.chunks_exact(q * q).enumerate() {
                    visit(g, g, g, b);
                }
            }
            Block::Sparse {
                col_start,
                row_level,
                values,
                q_rows,
                q_cols,
            } => {
                let size = q_rows * q_cols;
                for g in 0..col_start.len() - 1 {
                    for e in col_start[g]..col_start[g + 1] {
                        visit(
                            e,
                            row_level[e] as usize,
                            g,
                            &values[e * size..(e + 1) * size],
                        );
                    }
                }
            }
            Block::Dense { nrows, values, .. } => {
                // Only a dense block with one row level (the [X y] rows) is ever visited.
                debug_assert_eq!(*nrows, q_rows);
                for (g, b) in values.chunks_exact(nrows * q_cols).enumerate() {
                    visit(g, 0, g, b);
                }
            }
        }
    }

    /// Adds a `q_rows x q_cols` block at (row level, column level); `entry` is where the
    /// same-pattern source stored it (a sparse target with the source's pattern uses it).
    /// Returns false when the block lies outside the pattern (fill-in a kind cannot hold).
    pub(crate) fn add_block(
        &mut self,
        entry: usize,
        (row, col): (usize, usize),
        (q_rows, q_cols): (usize, usize),
        b: &[f64],
    ) -> bool {
        match self {
            Block::Dense { nrows, values, .. } => {
                for c in 0..q_cols {
                    let start = (col * q_cols + c) * *nrows + row * q_rows;
                    for (v, x) in values[start..start + q_rows]
                        .iter_mut()
                        .zip(&b[c * q_rows..(c + 1) * q_rows])
                    {
                        *v += x;
                    }
                }
                true
            }
            Block::Sparse {
                col_start,
                row_level,
                values,
                ..
            } => {
                let size = q_rows * q_cols;
                let at = if row_level.get(entry) == Some(&(row as u32))
                    && (col_start[col]..col_start[col + 1]).contains(&entry)
                {
                    Some(entry)
                } else {
                    (col_start[col]..col_start[col + 1]).find(|&e| row_level[e] as usize == row)
                };
                let Some(e) = at else { return false };
                for (v, x) in values[e * size..(e + 1) * size].iter_mut().zip(b) {
                    *v += x;
                }
                true
            }
            Block::Diagonal(values) => {
                values[col] += b[0];
                row == col
            }
            Block::UniformBlockDiagonal { q, values } => {
                let size = *q * *q;
                for (v, x) in values[col * size..(col + 1) * size].iter_mut().zip(b) {
                    *v += x;
                }
                row == col
            }
        }
    }

    /// The stored blocks of column level `g` (of `q_cols` scalar columns) as (row level, rows,
    /// offset of the rows x q_cols column-major block in the values), into `out`. A dense block
    /// is one row level of all its rows.
    fn level_entries(&self, g: usize, q_cols: usize, out: &mut Vec<(usize, usize, usize)>) {
        out.clear();
        match self {
            Block::Sparse {
                q_rows,
                col_start,
                row_level,
                ..
            } => {
                let size = q_rows * q_cols;
                out.extend(
                    (col_start[g]..col_start[g + 1])
                        .map(|e| (row_level[e] as usize, *q_rows, e * size)),
                );
            }
            Block::Dense { nrows, .. } => out.push((0, *nrows, g * q_cols * nrows)),
            Block::Diagonal(_) => out.push((g, 1, g)),
            Block::UniformBlockDiagonal { q, .. } => out.push((g, *q, g * q * q)),
        }
    }

    /// Where the (rows x cols) block at (row level, column level) starts and the stride between
    /// its columns, or None outside the pattern.
    fn block_at(&self, row: usize, col: usize, rows: usize, cols: usize) -> Option<(usize, usize)> {
        match self {
            Block::Dense { nrows, .. } => Some((col * cols * nrows + row * rows, *nrows)),
            Block::Diagonal(_) => (row == col).then_some((col, 1)),
            Block::UniformBlockDiagonal { q, .. } => (row == col).then_some((col * q * q, *q)),
            Block::Sparse {
                col_start,
                row_level,
                q_rows,
                q_cols,
                ..
            } => (col_start[col]..col_start[col + 1])
                .find(|&e| row_level[e] as usize == row)
                .map(|e| (e * q_rows * q_cols, *q_rows)),
        }
    }

    /// Subtracts `left * right'` from this block (`right` None: `left * left'`), level by level
    /// of the shared dimension (`levels` levels of `q` scalar columns): MixedModels.jl's
    /// `rankUpdate!` and the off-diagonal update of its `updateL!`. Returns false when the
    /// product falls outside this block's pattern (which the choice of kinds rules out).
    pub(crate) fn rank_update(
        &mut self,
        left: &Block,
        right: Option<&Block>,
        (levels, q): (usize, usize),
        buffers: &mut RankBuffers,
    ) -> bool {
        if self.nested_rank_update(left, right, q).is_some() {
            return true;
        }
        let right_block = right.unwrap_or(left);
        if let (
            Block::Dense { nrows, values, .. },
            Block::Dense { values: lv, .. },
            Block::Dense { values: rv, .. },
        ) = (&mut *self, left, right_block)
        {
            // Dense by dense (the [X y] rows, crossed blocks): one matrix product.
            subtract_dense_product(values, *nrows, lv, rv);
            return true;
        }
        if let (Block::Dense { nrows, values, .. }, Some(l), Some(r)) = (
            &mut *self,
            left.scalar_sparse(),
            right_block.scalar_sparse(),
        ) {
            // Crossed scalar terms (InstEval's students by lecturers) filling a dense block.
            subtract_sparse_product(values, *nrows, (&l, &r), right.is_none());
            return true;
        }
        let mut ok = true;
        let (le, re) = (&mut buffers.left, &mut buffers.right);
        let (lv, rv) = (left.stored_values(), right_block.stored_values());
        for g in 0..levels {
            // Nested factors and the [X y] rows have one block per level: no lists needed.
            if let (Some(l), Some(r)) = (left.single_entry(g, q), right_block.single_entry(g, q)) {
                ok &= self.subtract_product(l, r, lv, rv, q);
                continue;
            }
            left.level_entries(g, q, le);
            right_block.level_entries(g, q, re);
            if let Block::Dense { nrows, values, .. } = self {
                // Crossed factors filling a dense block (scalar ones took the sparse path
                // above): many small products per level. In a diagonal block only the lower
                // triangle is needed.
                for &(rr, rows_r, ro) in re.iter() {
                    for &(rl, rows_l, lo) in le.iter() {
                        if right.is_none() && rl < rr {
                            continue;
                        }
                        let start = rr * rows_r * *nrows + rl * rows_l;
                        let l = &lv[lo..lo + rows_l * q];
                        let r = &rv[ro..ro + rows_r * q];
                        subtract_block_product(values, (start, *nrows), (l, rows_l), (r, rows_r));
                    }
                }
                continue;
            }
            for &r in re.iter() {
                for &l in le.iter() {
                    ok &= self.subtract_product(l, r, lv, rv, q);
                }
            }
        }
        ok
    }

    /// A sparse block of one value per entry (between scalar terms), as slices.
    fn scalar_sparse(&self) -> Option<ScalarSparse<'_>> {
        match self {
            Block::Sparse {
                q_rows: 1,
                q_cols: 1,
                col_start,
                row_level,
                values,
            } => Some(ScalarSparse {
                col_start,
                row_level,
                values,
            }),
            _ => None,
        }
    }

    /// The one stored block of column level `g`, when there is exactly one (see
    /// [`Block::level_entries`]).
    fn single_entry(&self, g: usize, q_cols: usize) -> Option<(usize, usize, usize)> {
        match self {
            Block::Sparse {
                q_rows,
                col_start,
                row_level,
                ..
            } => (col_start[g + 1] == col_start[g] + 1).then(|| {
                let e = col_start[g];
                (row_level[e] as usize, *q_rows, e * q_rows * q_cols)
            }),
            Block::Dense { nrows, .. } => Some((0, *nrows, g * q_cols * nrows)),
            Block::Diagonal(_) => Some((g, 1, g)),
            Block::UniformBlockDiagonal { q, .. } => Some((g, *q, g * q * q)),
        }
    }

    /// T -= L R' for the blocks L = (row level, rows, offset) of `lv` and R of `rv`, both with
    /// q columns, T the block of this one at (L's row level, R's row level). False when T lies
    /// outside the pattern.
    fn subtract_product(
        &mut self,
        (rl, rows_l, lo): (usize, usize, usize),
        (rr, rows_r, ro): (usize, usize, usize),
        lv: &[f64],
        rv: &[f64],
        q: usize,
    ) -> bool {
        let Some((start, stride)) = self.block_at(rl, rr, rows_l, rows_r) else {
            return false;
        };
        let left = &lv[lo..lo + rows_l * q];
        let right = &rv[ro..ro + rows_r * q];
        subtract_block_product(
            self.values_mut(),
            (start, stride),
            (left, rows_l),
            (right, rows_r),
        );
        true
    }

    /// Cholesky factor of a diagonal block in place (lower triangle). Returns false when the
    /// block is not positive definite.
    pub(crate) fn cholesky(&mut self) -> bool {
        match self {
            Block::Diagonal(values) => values.iter_mut().fold(true, |ok, v| {
                let pd = *v > 0.0 && v.is_finite();
                *v = v.sqrt();
                ok && pd
            }),
            Block::UniformBlockDiagonal { q, values } => values
                .chunks_exact_mut(*q * *q)
                .all(|b| small_cholesky(b, *q)),
            Block::Dense { nrows, values, .. } => dense_cholesky(values, *nrows),
            Block::Sparse { .. } => false,
        }
    }

    /// The diagonal of a factored diagonal block, in order.
    pub(crate) fn diagonal(&self) -> Vec<f64> {
        match self {
            Block::Diagonal(values) => values.clone(),
            Block::UniformBlockDiagonal { q, values } => values
                .chunks_exact(q * q)
                .flat_map(|b| (0..*q).map(move |i| b[i * q + i]))
                .collect(),
            Block::Dense { nrows, values, .. } => {
                (0..*nrows).map(|i| values[i * nrows + i]).collect()
            }
            Block::Sparse { .. } => Vec::new(),
        }
    }

    /// Entry (r, c) in scalar rows and columns (0 outside the pattern).
    pub(crate) fn get(&self, r: usize, c: usize) -> f64 {
        match self {
            Block::Dense { nrows, values, .. } => values[c * nrows + r],
            Block::Diagonal(values) => {
                if r == c {
                    values[c]
                } else {
                    0.0
                }
            }
            Block::UniformBlockDiagonal { q, values } => {
                if r / q == c / q {
                    values[(c / q) * q * q + (c % q) * q + r % q]
                } else {
                    0.0
                }
            }
            Block::Sparse {
                q_rows,
                q_cols,
                col_start,
                row_level,
                values,
            } => {
                let (g, level) = (c / q_cols, (r / q_rows) as u32);
                (col_start[g]..col_start[g + 1])
                    .find(|&e| row_level[e] == level)
                    .map_or(0.0, |e| {
                        values[e * q_rows * q_cols + (c % q_cols) * q_rows + r % q_rows]
                    })
            }
        }
    }
}

/// Reused lists of the blocks of one column level (see [`Block::rank_update`]).
#[derive(Debug, Default)]
pub(crate) struct RankBuffers {
    left: Vec<(usize, usize, usize)>,
    right: Vec<(usize, usize, usize)>,
}
