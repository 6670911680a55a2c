//! The rank updates from a nested factor's block of L: where each level of the inner term lies in
//! one level of the outer (days within persons), L[outer, inner] has one block per inner level,
//! so the outer term's diagonal block and the [X y] rows are downdated by one small product per
//! inner level, at a position known without a search. The general path (level lists, a lookup
//! of the target block per product) costs several times the arithmetic there, and a 700,000-row
//! three-level panel has 140,000 inner levels per evaluation.

use super::block::Block;
use super::dense::subtract_block_product;

impl Block {
    /// A sparse block with exactly one entry per column level (a nested factor's pattern): its
    /// row levels (one per column level), values and rows per entry.
    fn nested_entries(&self) -> Option<(&[u32], &[f64], usize)> {
        match self {
            Block::Sparse {
                q_rows,
                col_start,
                row_level,
                values,
                ..
            } if col_start.iter().enumerate().all(|(g, &s)| s == g) => {
                Some((row_level.as_slice(), values.as_slice(), *q_rows))
            }
            _ => None,
        }
    }

    /// T -= L R' (R = L when `right` is None, T a diagonal block) level by level of a shared
    /// nested term with `q` columns per level, when L (diagonal block) or R (the [X y] rows) is a
    /// nested sparse block and T is a diagonal, block-diagonal or dense block. None when the
    /// blocks are of other kinds (the caller takes the general path).
    pub(super) fn nested_rank_update(
        &mut self,
        left: &Block,
        right: Option<&Block>,
        q: usize,
    ) -> Option<()> {
        match (right, &mut *self) {
            // A scalar term's diagonal block is the block-diagonal one with 1 x 1 blocks.
            (None, Block::Diagonal(t)) => downdate_diagonal(t, 1, left, q),
            (None, Block::UniformBlockDiagonal { q: q_t, values: t }) => {
                downdate_diagonal(t, *q_t, left, q)
            }
            (
                Some(r),
                Block::Dense {
                    nrows, values: t, ..
                },
            ) => {
                let Block::Dense { values: lv, .. } = left else {
                    return None;
                };
                let (rows, rv, q_rows) = r.nested_entries()?;
                let (n, size) = (*nrows, q_rows * q);
                for (g, &c) in rows.iter().enumerate() {
                    let l = &lv[g * q * n..(g + 1) * q * n];
                    let b = &rv[g * size..(g + 1) * size];
                    subtract_block_product(t, (c as usize * q_rows * n, n), (l, n), (b, q_rows));
                }
                Some(())
            }
            _ => None,
        }
    }
}

/// T -= B B' level by level of a nested term with `q` columns per level, T the outer term's
/// diagonal blocks (q_t x q_t each, column-major) and B its nested sparse block `left`.
fn downdate_diagonal(t: &mut [f64], q_t: usize, left: &Block, q: usize) -> Option<()> {
    let (rows, lv, q_rows) = left.nested_entries()?;
    if q_rows != q_t {
        return None;
    }
    let size = q_rows * q;
    for (g, &r) in rows.iter().enumerate() {
        let b = &lv[g * size..(g + 1) * size];
        let start = r as usize * q_rows * q_rows;
        subtract_block_product(t, (start, q_rows), (b, q_rows), (b, q_rows));
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three inner levels of a scalar term in two outer levels (0, 1, 1), rows per entry `q_rows`.
    fn nested(q_rows: usize) -> Block {
        Block::Sparse {
            q_rows,
            q_cols: 1,
            col_start: vec![0, 1, 2, 3],
            row_level: vec![0, 1, 1],
            values: (0..3 * q_rows).map(|i| i as f64 + 1.0).collect(),
        }
    }

    #[test]
    fn downdates_the_outer_diagonal_block_once_per_inner_level() {
        let mut t = Block::Diagonal(vec![100.0, 100.0]);
        assert!(t.nested_rank_update(&nested(1), None, 1).is_some());
        // Level 0 holds 1; level 1 holds 2 and 3.
        assert_eq!(t, Block::Diagonal(vec![99.0, 100.0 - 4.0 - 9.0]));

        let mut t = Block::block_diagonal(2, 2);
        assert!(t.nested_rank_update(&nested(2), None, 1).is_some());
        // Entries (1, 2), (3, 4), (5, 6): outer level 1 gets (3, 4)(3, 4)' + (5, 6)(5, 6)'.
        let Block::UniformBlockDiagonal { values, .. } = t else {
            unreachable!()
        };
        assert_eq!(
            values,
            vec![-1.0, -2.0, -2.0, -4.0, -34.0, -42.0, -42.0, -52.0]
        );
    }

    #[test]
    fn downdates_the_xy_rows_against_the_outer_term() {
        // [X y] rows: 2 rows, one column per inner level.
        let left = Block::Dense {
            nrows: 2,
            ncols: 3,
            values: vec![1.0, 0.0, 0.0, 1.0, 2.0, 2.0],
        };
        let mut t = Block::dense(2, 2);
        assert!(t.nested_rank_update(&left, Some(&nested(1)), 1).is_some());
        let Block::Dense { values, .. } = t else {
            unreachable!()
        };
        // Column 0 (outer level 0): -(1, 0) * 1; column 1: -(0, 1) * 2 - (2, 2) * 3.
        assert_eq!(values, vec![-1.0, 0.0, -6.0, -8.0]);
    }

    #[test]
    fn leaves_other_patterns_to_the_general_path() {
        let crossed = Block::Sparse {
            q_rows: 1,
            q_cols: 1,
            col_start: vec![0, 2, 3],
            row_level: vec![0, 1, 1],
            values: vec![1.0, 2.0, 3.0],
        };
        let mut t = Block::Diagonal(vec![0.0, 0.0]);
        assert!(t.nested_rank_update(&crossed, None, 1).is_none());
    }
}
