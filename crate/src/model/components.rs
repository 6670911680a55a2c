//! The connected components of the random effects: the blocks over which Z'Z, and so the
//! marginal covariance V = I + Z Λ Λ' Z', is block diagonal.
//!
//! Take the levels of all random-effects terms as the nodes of a graph and join two levels (of
//! different terms) when some observation has both, that is, when their entry of an off-diagonal
//! block of A = Z'Z is stored. A term's own diagonal block never joins two of its levels (an
//! observation has one level per term). Two random effects in different components share no
//! observation, directly or through a chain of others, so Z'Z has no entry between them and,
//! ordering the rows of V by component, V is block diagonal too.
//!
//! For nested designs every person with its days is one component; for crossed designs
//! (InstEval's students by lecturers) there is typically one; partially crossed designs fall in
//! between. An entry of A that is stored but numerically zero (a slope column that happens to be
//! 0 on the shared rows) joins its levels anyway: that only makes a component larger than it
//! needs to be, never wrong.

use super::block::Block;
use super::structure::{at, Dim};

/// The components, each a list of levels ("nodes": term i's level g is node `start[i] + g`).
#[derive(Debug, Clone)]
pub(crate) struct Components {
    /// First node of each term, then the number of nodes.
    term_start: Vec<usize>,
    /// Columns per level of each term.
    q: Vec<usize>,
    /// The nodes, component by component; within one, by term, then by level.
    members: Vec<u32>,
    /// Where each component starts in `members`, then `members.len()`.
    start: Vec<usize>,
    /// The component of each node.
    component: Vec<u32>,
    /// The first column of each node in its component's block.
    offset: Vec<u32>,
    /// Random effects (scalar columns) of each component.
    sizes: Vec<usize>,
}

impl Components {
    /// Finds the components from the stored entries of A's off-diagonal blocks between terms
    /// (`a` in the layout of [`at`], `dims` the terms). Components come in the order of their
    /// first node (of the first term, lme4's order), so the output does not depend on how the
    /// union-find happened to link them.
    pub(crate) fn new(a: &[Block], dims: &[Dim]) -> Components {
        let k = dims.len();
        let mut term_start = Vec::with_capacity(k + 1);
        let mut nodes = 0;
        for d in dims {
            term_start.push(nodes);
            nodes += d.levels;
        }
        term_start.push(nodes);
        let mut sets = DisjointSets::new(nodes);
        for j in 0..k {
            for i in j + 1..k {
                let block = &a[at(i, j)];
                for g in 0..dims[j].levels {
                    for_each_block_in_column(block, g, (dims[i].q, dims[j].q), |h, _, _| {
                        sets.union(term_start[j] + g, term_start[i] + h);
                    });
                }
            }
        }
        let mut component = vec![u32::MAX; nodes];
        let mut id_of_root = vec![u32::MAX; nodes];
        let mut sizes: Vec<usize> = Vec::new();
        for (node, slot) in component.iter_mut().enumerate() {
            let root = sets.find(node);
            if id_of_root[root] == u32::MAX {
                id_of_root[root] = sizes.len() as u32;
                sizes.push(0);
            }
            *slot = id_of_root[root];
            sizes[*slot as usize] += 1;
        }
        let mut start = Vec::with_capacity(sizes.len() + 1);
        let mut at_member = 0;
        for s in &sizes {
            start.push(at_member);
            at_member += s;
        }
        start.push(at_member);
        // A counting sort by component; visiting nodes in order keeps term, then level order.
        let mut next = start[..sizes.len()].to_vec();
        let mut members = vec![0u32; nodes];
        for (node, &c) in component.iter().enumerate() {
            members[next[c as usize]] = node as u32;
            next[c as usize] += 1;
        }
        let mut components = Components {
            term_start,
            q: dims.iter().map(|d| d.q).collect(),
            members,
            start,
            component,
            offset: vec![0; nodes],
            sizes: Vec::with_capacity(sizes.len()),
        };
        components.lay_out();
        components
    }

    /// The columns of every node in its component, and the components' sizes.
    fn lay_out(&mut self) {
        for c in 0..self.len() {
            let mut column = 0;
            for &node in &self.members[self.start[c]..self.start[c + 1]] {
                self.offset[node as usize] = column as u32;
                column += self.q[self.term_level(node).0];
            }
            self.sizes.push(column);
        }
    }

    /// Number of components.
    pub(crate) fn len(&self) -> usize {
        self.start.len() - 1
    }

    /// The nodes of component `c` (by term, then level).
    pub(crate) fn members(&self, c: usize) -> &[u32] {
        &self.members[self.start[c]..self.start[c + 1]]
    }

    /// The component of term `i`'s level `g`.
    pub(crate) fn component_of(&self, i: usize, g: usize) -> usize {
        self.component[self.term_start[i] + g] as usize
    }

    /// The first column of term `i`'s level `g` in its component's block.
    pub(crate) fn offset_of(&self, i: usize, g: usize) -> usize {
        self.offset[self.term_start[i] + g] as usize
    }

    /// The term and level of a node.
    pub(crate) fn term_level(&self, node: u32) -> (usize, usize) {
        let node = node as usize;
        let i = self.term_start.partition_point(|&s| s <= node) - 1;
        (i, node - self.term_start[i])
    }

    /// Random effects (scalar columns of Z) in each component.
    pub(crate) fn sizes(&self) -> &[usize] {
        &self.sizes
    }
}

/// Calls `visit(row_level, values, (start, stride))` for every stored `q_rows x q_cols` block of
/// column level `g` of `block`, whose element (r, c) is `values[start + c * stride + r]`. A
/// dense block is visited at the row levels where it is not zero.
pub(crate) fn for_each_block_in_column(
    block: &Block,
    g: usize,
    (q_rows, q_cols): (usize, usize),
    mut visit: impl FnMut(usize, &[f64], (usize, usize)),
) {
    match block {
        Block::Diagonal(values) => visit(g, values, (g, 1)),
        Block::UniformBlockDiagonal { q, values } => visit(g, values, (g * q * q, *q)),
        Block::Sparse {
            col_start,
            row_level,
            values,
            ..
        } => {
            let entries = col_start[g]..col_start[g + 1];
            for (e, &h) in entries.clone().zip(&row_level[entries]) {
                visit(h as usize, values, (e * q_rows * q_cols, q_rows));
            }
        }
        Block::Dense { nrows, values, .. } => {
            for h in 0..nrows / q_rows {
                let start = g * q_cols * nrows + h * q_rows;
                let nonzero = (0..q_cols).any(|c| {
                    let column = start + c * nrows;
                    values[column..column + q_rows].iter().any(|&v| v != 0.0)
                });
                if nonzero {
                    visit(h, values, (start, *nrows));
                }
            }
        }
    }
}

/// Union-find with path halving and union by size.
struct DisjointSets {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl DisjointSets {
    fn new(n: usize) -> DisjointSets {
        DisjointSets {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] as usize != x {
            let grandparent = self.parent[self.parent[x] as usize];
            self.parent[x] = grandparent;
            x = grandparent as usize;
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a as u32;
        self.size[a] += self.size[b];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sparse scalar block with the given (row level, column level) entries, column-sorted.
    fn sparse(cols: usize, entries: &[(u32, usize)]) -> Block {
        let mut col_start = vec![0; cols + 1];
        for &(_, g) in entries {
            col_start[g + 1] += 1;
        }
        for g in 0..cols {
            col_start[g + 1] += col_start[g];
        }
        Block::Sparse {
            q_rows: 1,
            q_cols: 1,
            col_start,
            row_level: entries.iter().map(|e| e.0).collect(),
            values: vec![1.0; entries.len()],
        }
    }

    #[test]
    fn levels_linked_through_a_chain_form_one_component() {
        // Term 0 has 5 levels, term 1 has 3: 0-a, 1-a, 1-b, 2-b join {0, 1, 2, a, b};
        // 3-c and 4-c join {3, 4, c}.
        let dims = [Dim { levels: 5, q: 1 }, Dim { levels: 3, q: 1 }];
        let a = vec![
            Block::Diagonal(vec![1.0; 5]),
            sparse(5, &[(0, 0), (0, 1), (1, 1), (1, 2), (2, 3), (2, 4)]),
            Block::Diagonal(vec![1.0; 3]),
        ];
        let c = Components::new(&a, &dims);
        assert_eq!(c.len(), 2);
        assert_eq!(c.members(0), &[0, 1, 2, 5, 6]);
        assert_eq!(c.members(1), &[3, 4, 7]);
        assert_eq!(c.term_level(6), (1, 1));
        assert_eq!(c.component_of(1, 2), 1);
        assert_eq!(c.sizes(), &[5, 3]);
        assert_eq!(c.offset_of(1, 1), 4);
    }

    #[test]
    fn a_dense_block_joins_only_where_it_is_not_zero() {
        // Term 1 (q = 2, 2 levels) by term 0 (q = 1, 2 levels): only (level 1, level 0) set.
        let dims = [Dim { levels: 2, q: 1 }, Dim { levels: 2, q: 2 }];
        let mut values = vec![0.0; 4 * 2];
        values[3] = 0.5;
        let a = vec![
            Block::Diagonal(vec![1.0; 2]),
            Block::Dense {
                nrows: 4,
                ncols: 2,
                values,
            },
            Block::block_diagonal(2, 2),
        ];
        let c = Components::new(&a, &dims);
        assert_eq!(c.len(), 3);
        assert_eq!(c.members(0), &[0, 3]);
        assert_eq!(c.members(1), &[1]);
        assert_eq!(c.members(2), &[2]);
        assert_eq!(c.sizes(), &[3, 1, 2]);
        assert_eq!(c.offset_of(1, 1), 1);
    }
}
