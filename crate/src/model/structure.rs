//! The structure of the blocked factor, read from the data before any arithmetic: which
//! grouping factors are nested in which (each level of the inner factor inside one level of the
//! outer), and from that the kind of every block of L (Bates et al. 2015, section 3.5: the
//! terms are ordered so that a nested factor causes no fill-in).
//!
//! Blocks are indexed by "block dimensions": the random-effects terms in the model's order, then
//! the [X y] columns as one last dimension with a single level. L[i, j] (i >= j) is
//! - for a term's diagonal block: diagonal / block diagonal as long as every block to its left
//!   in its row is nested (their downdates stay within levels), dense otherwise;
//! - for an off-diagonal block between terms: sparse with the pattern of Z_i'Z_j in the first
//!   block column (no fill can reach it), and further right while the pattern is nested and the
//!   blocks it is updated from are nested too; dense otherwise;
//! - dense in the [X y] rows.

use super::block::Block;

/// Rows (or columns) of one block dimension: `levels` levels of `q` scalar columns each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dim {
    pub levels: usize,
    pub q: usize,
}

impl Dim {
    /// Scalar size.
    pub(crate) fn size(self) -> usize {
        self.levels * self.q
    }
}

/// Position of block (i, j), i >= j, in the lower-triangular list of blocks.
pub(crate) fn at(i: usize, j: usize) -> usize {
    debug_assert!(i >= j);
    i * (i + 1) / 2 + j
}

/// The level of `outer` that each level of `inner` lies in, or None when some level of `inner`
/// meets two levels of `outer` (the factors cross). One pass over the rows' level indices.
pub(crate) fn parent_levels(inner: &[u32], inner_levels: usize, outer: &[u32]) -> Option<Vec<u32>> {
    const UNSEEN: u32 = u32::MAX;
    let mut parent = vec![UNSEEN; inner_levels];
    for (&g, &h) in inner.iter().zip(outer) {
        let p = parent.get_mut(g as usize)?;
        if *p == UNSEEN {
            *p = h;
        } else if *p != h {
            return None;
        }
    }
    Some(parent)
}

/// For terms i > j, whether L[i, j] keeps the nested pattern of A[i, j]: the factors are nested
/// and every product L[i, h] L[j, h]' subtracted from it (h < j) is nested on both sides, so it
/// lands on the one block per column the pattern has. `nested[i][j]` says whether term j's factor
/// lies within term i's; the result has the same layout.
pub(crate) fn nested_in_factor(nested: &[Vec<bool>]) -> Vec<Vec<bool>> {
    let k = nested.len();
    let mut kept = vec![vec![false; k]; k];
    for j in 0..k {
        for i in j + 1..k {
            kept[i][j] = nested[i][j] && (0..j).all(|h| kept[i][h] && kept[j][h]);
        }
    }
    kept
}

/// The kinds of L's blocks: `Some` with zeros for a diagonal, block-diagonal or dense block,
/// `None` for a sparse block, which takes the pattern of A's block when the factor is first
/// filled. `kept` is [`nested_in_factor`]'s table over the terms; `dims` are the terms, then
/// [X y].
pub(crate) fn factor_kinds(dims: &[Dim], kept: &[Vec<bool>]) -> Vec<Option<Block>> {
    let k = dims.len() - 1;
    let mut blocks = Vec::with_capacity(at(k, k) + 1);
    for i in 0..=k {
        for j in 0..=i {
            let (r, c) = (dims[i], dims[j]);
            blocks.push(match kind(kept, k, i, j) {
                Kind::BlockDiagonal => Some(Block::block_diagonal(c.q, c.levels)),
                Kind::Sparse => None,
                Kind::Dense => Some(Block::dense(r.size(), c.size())),
            });
        }
    }
    blocks
}

/// What L[i, j] is, before its values.
enum Kind {
    BlockDiagonal,
    Sparse,
    Dense,
}

fn kind(kept: &[Vec<bool>], k: usize, i: usize, j: usize) -> Kind {
    if i == k {
        Kind::Dense
    } else if i == j {
        if (0..j).all(|h| kept[j][h]) {
            Kind::BlockDiagonal
        } else {
            Kind::Dense
        }
    } else if j == 0 || kept[i][j] {
        Kind::Sparse
    } else {
        Kind::Dense
    }
}

/// The number of f64 the dense blocks of L would hold (the memory that grows with the square of
/// the levels of crossed factors).
pub(crate) fn dense_size(dims: &[Dim], kept: &[Vec<bool>]) -> u128 {
    let k = dims.len() - 1;
    let mut total: u128 = 0;
    for i in 0..=k {
        for j in 0..=i {
            if let Kind::Dense = kind(kept, k, i, j) {
                total += dims[i].size() as u128 * dims[j].size() as u128;
            }
        }
    }
    total
}
