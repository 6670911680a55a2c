//! Grouping factors of random-effects terms over the used rows.
//!
//! lme4 turns the grouping expression into a factor and drops levels that no used row has. A
//! single column keeps its factor order (numbers ascending, text in R's sort order); crossed
//! groups `b:a` combine levels as R's `:` on factors does, the first column varying slowest, and
//! label them `b1:a1`.

use crate::transform::Variable;
use std::collections::BTreeMap;

/// The levels present among `rows` and each row's index into them.
pub(crate) fn group_levels(columns: &[&Variable], rows: &[usize]) -> (Vec<String>, Vec<u32>) {
    // A row's key is its tuple of level codes; BTreeMap orders tuples lexicographically, which is
    // the first-slowest order of R's interaction levels.
    let keys: Vec<Vec<u32>> = rows
        .iter()
        .map(|&row| {
            columns
                .iter()
                .map(|c| match c {
                    Variable::Factor { codes, .. } => codes.get(row).copied().unwrap_or(0),
                    Variable::Numeric(_) => 0,
                })
                .collect()
        })
        .collect();
    let mut index: BTreeMap<&Vec<u32>, u32> = keys.iter().map(|k| (k, 0)).collect();
    let mut levels = Vec::with_capacity(index.len());
    for (position, (key, slot)) in index.iter_mut().enumerate() {
        *slot = u32::try_from(position).unwrap_or(u32::MAX);
        let labels: Vec<&str> = key
            .iter()
            .zip(columns)
            .map(|(&code, c)| match c {
                Variable::Factor { levels, .. } => {
                    levels.get(code as usize).map_or("", String::as_str)
                }
                Variable::Numeric(_) => "",
            })
            .collect();
        levels.push(labels.join(":"));
    }
    let refs = keys
        .iter()
        .map(|k| index.get(k).copied().unwrap_or(0))
        .collect();
    (levels, refs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factor(codes: &[u32], levels: &[&str]) -> Variable {
        Variable::Factor {
            codes: codes.to_vec(),
            levels: levels.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn single_column_drops_unused_levels_and_keeps_order() {
        let g = factor(&[2, 0, 2, 3], &["1", "2", "10", "11"]);
        let (levels, refs) = group_levels(&[&g], &[0, 1, 2]);
        assert_eq!(levels, ["1", "10"]);
        assert_eq!(refs, [1, 0, 1]);
    }

    #[test]
    fn crossed_levels_first_column_slowest() {
        let b = factor(&[1, 0, 1, 0, 1], &["x", "y"]);
        let a = factor(&[0, 0, 1, 1, 0], &["p", "q"]);
        let (levels, refs) = group_levels(&[&b, &a], &[0, 1, 2, 3, 4]);
        assert_eq!(levels, ["x:p", "x:q", "y:p", "y:q"]);
        assert_eq!(refs, [2, 0, 3, 1, 2]);
    }
}
