//! One block of the blocked matrices A = [Z X y]'[Z X y] and L (its Cholesky factor), typed by
//! its structure as MixedModels.jl types them (Bates et al. 2015, section 3.5; MixedModels.jl's
//! `Diagonal`, `UniformBlockDiagonal`, `BlockedSparse`, `Matrix`).
//!
//! Rows and columns of a block belong to a "block dimension": a random-effects term (levels x q
//! scalar rows, level-major) or the [X y] columns (one level of p + 1). Every operation of the
//! blocked Cholesky is one `match` on the kind of block here; the algorithm in
//! [`super::factor`] never looks inside a block.

use super::blocks::small_cholesky;

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

    fn values_mut(&mut self) -> &mut [f64] {
        match self {
            Block::Diagonal(values)
            | Block::UniformBlockDiagonal { values, .. }
            | Block::Sparse { values, .. }
            | Block::Dense { values, .. } => values,
        }
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

    /// Adds `v` at scalar position (r, c), `q_rows`/`q_cols` the scalar sizes of a level.
    /// Returns false outside the pattern.
    fn add_at(&mut self, r: usize, c: usize, v: f64) -> bool {
        match self {
            Block::Dense { nrows, values, .. } => {
                values[c * *nrows + r] += v;
                true
            }
            Block::Diagonal(values) => {
                values[c] += v;
                r == c
            }
            Block::UniformBlockDiagonal { q, values } => {
                let (g, i, j) = (c / *q, r % *q, c % *q);
                values[g * *q * *q + j * *q + i] += v;
                r / *q == g
            }
            Block::Sparse {
                q_rows,
                q_cols,
                col_start,
                row_level,
                values,
            } => {
                let (g, i, j) = (c / *q_cols, r % *q_rows, c % *q_cols);
                let level = (r / *q_rows) as u32;
                match (col_start[g]..col_start[g + 1]).find(|&e| row_level[e] == level) {
                    Some(e) => {
                        values[e * *q_rows * *q_cols + j * *q_rows + i] += v;
                        true
                    }
                    None => false,
                }
            }
        }
    }

    /// The nonzeros (scalar row, value) of scalar column `c`, into `out`.
    pub(crate) fn column_entries(&self, c: usize, out: &mut Vec<(usize, f64)>) {
        out.clear();
        match self {
            Block::Dense { nrows, values, .. } => {
                let column = &values[c * *nrows..(c + 1) * *nrows];
                out.extend(column.iter().copied().enumerate());
            }
            Block::Diagonal(values) => out.push((c, values[c])),
            Block::UniformBlockDiagonal { q, values } => {
                let g = c / *q;
                let start = g * *q * *q + (c % *q) * *q;
                out.extend((0..*q).map(|i| (g * *q + i, values[start + i])));
            }
            Block::Sparse {
                q_rows,
                q_cols,
                col_start,
                row_level,
                values,
            } => {
                let (g, j) = (c / *q_cols, c % *q_cols);
                for e in col_start[g]..col_start[g + 1] {
                    let start = e * *q_rows * *q_cols + j * *q_rows;
                    let base = row_level[e] as usize * *q_rows;
                    out.extend((0..*q_rows).map(|i| (base + i, values[start + i])));
                }
            }
        }
    }

    /// Subtracts `left * right'` from this block (`lower_only`: a diagonal block, of which only
    /// the lower triangle is kept), column by column of the shared dimension of `ncols`
    /// scalar columns. Returns false when the product falls outside this block's pattern.
    pub(crate) fn rank_update(
        &mut self,
        left: &Block,
        right: Option<&Block>,
        ncols: usize,
        buffers: &mut (Vec<(usize, f64)>, Vec<(usize, f64)>),
    ) -> bool {
        let mut ok = true;
        let (a, b) = buffers;
        for c in 0..ncols {
            left.column_entries(c, a);
            match right {
                Some(right) => right.column_entries(c, b),
                None => {
                    b.clear();
                    b.extend_from_slice(a);
                }
            }
            if let Block::Dense { nrows, values, .. } = self {
                // The common case written out: no pattern to search.
                for &(rj, vj) in b.iter() {
                    if vj == 0.0 {
                        continue;
                    }
                    let column = &mut values[rj * *nrows..(rj + 1) * *nrows];
                    for &(ri, vi) in a.iter() {
                        if right.is_some() || ri >= rj {
                            column[ri] -= vi * vj;
                        }
                    }
                }
                continue;
            }
            for &(rj, vj) in b.iter() {
                for &(ri, vi) in a.iter() {
                    if right.is_some() || ri >= rj {
                        ok &= self.add_at(ri, rj, -vi * vj);
                    }
                }
            }
        }
        ok
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
                .fold(true, |ok, b| small_cholesky(b, *q) && ok),
            Block::Dense { nrows, values, .. } => dense_cholesky(values, *nrows),
            Block::Sparse { .. } => false,
        }
    }

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
                // Column c of X: (B[:, c] - sum over k < c of L[c, k] X[:, k]) / L[c, c].
                let n = *nrows;
                for c in 0..*m {
                    let (done, rest) = values.split_at_mut(c * n);
                    let column = &mut rest[..n];
                    for k in 0..c {
                        let f = lv[k * m + c];
                        if f != 0.0 {
                            for (x, y) in column.iter_mut().zip(&done[k * n..(k + 1) * n]) {
                                *x -= f * y;
                            }
                        }
                    }
                    let d = 1.0 / lv[c * m + c];
                    column.iter_mut().for_each(|x| *x *= d);
                }
            }
            (this, l) => {
                let (q, factors): (usize, &[f64]) = match l {
                    Block::Diagonal(v) => (1, v),
                    Block::UniformBlockDiagonal { q, values } => (*q, values),
                    _ => return,
                };
                let (rows, per_level) = match this {
                    Block::Sparse { q_rows, .. } => (*q_rows, None),
                    Block::Dense { nrows, .. } => (*nrows, Some(*nrows * q)),
                    _ => return,
                };
                let col_levels: Vec<usize> = match &*this {
                    Block::Sparse { col_start, .. } => col_start
                        .windows(2)
                        .enumerate()
                        .flat_map(|(g, w)| std::iter::repeat(g).take(w[1] - w[0]))
                        .collect(),
                    _ => Vec::new(),
                };
                let size = per_level.unwrap_or(rows * q);
                for (e, b) in this.values_mut().chunks_exact_mut(size).enumerate() {
                    let g = if per_level.is_some() {
                        e
                    } else {
                        col_levels[e]
                    };
                    solve_small_right(b, rows, &factors[g * q * q..(g + 1) * q * q], q);
                }
            }
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

    /// Entry (r, c) of a dense block (0 for other kinds outside their pattern).
    pub(crate) fn get(&self, r: usize, c: usize) -> f64 {
        let mut column = Vec::new();
        self.column_entries(c, &mut column);
        column
            .iter()
            .find(|&&(i, _)| i == r)
            .map_or(0.0, |&(_, v)| v)
    }
}

/// B := B L⁻ᵀ for a `rows x q` column-major B and a q x q lower-triangular L.
fn solve_small_right(b: &mut [f64], rows: usize, l: &[f64], q: usize) {
    for c in 0..q {
        let d = 1.0 / l[c * q + c];
        for r in 0..rows {
            let s: f64 = (0..c).map(|k| l[k * q + c] * b[k * rows + r]).sum();
            b[c * rows + r] = (b[c * rows + r] - s) * d;
        }
    }
}

/// Cholesky of a dense symmetric matrix (n x n column-major, lower triangle read and written),
/// left-looking by column; the strict upper triangle is set to zero. Returns false when the
/// matrix is not positive definite.
fn dense_cholesky(a: &mut [f64], n: usize) -> bool {
    for j in 0..n {
        let (done, rest) = a.split_at_mut(j * n);
        let column = &mut rest[..n];
        for k in 0..j {
            let f = done[k * n + j];
            if f != 0.0 {
                for (x, y) in column[j..].iter_mut().zip(&done[k * n + j..(k + 1) * n]) {
                    *x -= f * y;
                }
            }
        }
        let d = column[j];
        if d.is_nan() || d <= 0.0 || !d.is_finite() {
            return false;
        }
        let d = d.sqrt();
        column[j] = d;
        let inv = 1.0 / d;
        column[j + 1..].iter_mut().for_each(|x| *x *= inv);
        column[..j].iter_mut().for_each(|x| *x = 0.0);
    }
    true
}
