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
            (None, Block::Diagonal(t)) => {
                let (rows, lv, 1) = left.nested_entries()? else {
                    return None;
                };
                for (g, &r) in rows.iter().enumerate() {
                    let b = &lv[g * q..(g + 1) * q];
                    t[r as usize] -= b.iter().map(|x| x * x).sum::<f64>();
                }
                Some(())
            }
            (None, Block::UniformBlockDiagonal { q: qt, values: t }) => {
                let (rows, lv, q_rows) = left.nested_entries()?;
                if q_rows != *qt {
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
