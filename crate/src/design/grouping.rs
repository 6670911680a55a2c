//! Grouping factors of random-effects terms over the used rows.
//!
//! lme4 turns the grouping expression into a factor and drops levels that no used row has. A
//! single column keeps its factor order (numbers ascending, text in R's sort order); crossed
//! groups `b:a` combine levels as R's `:` on factors does, the first column varying slowest, and
//! label them `b1:a1`.

use crate::transform::Variable;
use std::collections::HashMap;

/// The levels of a factor that occur in `codes`, in the factor's order (lme4 drops unused
/// levels), and the new code of each old one.
pub(super) fn present_levels(
    codes: impl Iterator<Item = u32>,
    levels: Vec<String>,
) -> (Vec<String>, Vec<u32>) {
    let mut present = vec![false; levels.len()];
    for c in codes {
        if let Some(p) = present.get_mut(c as usize) {
            *p = true;
        }
    }
    let mut new_code = vec![0u32; levels.len()];
    let mut kept = Vec::new();
    for (code, label) in levels.into_iter().enumerate() {
        if present[code] {
            new_code[code] = u32::try_from(kept.len()).unwrap_or(u32::MAX);
            kept.push(label);
        }
    }
    (kept, new_code)
}

/// The levels present among the first `n` rows of `columns` (the used rows) and each row's
/// index into them.
pub(crate) fn group_levels(columns: &[&Variable], n: usize) -> (Vec<String>, Vec<u32>) {
    let codes = |c: &Variable, row: usize| match c {
        Variable::Factor { codes, .. } => codes.get(row).copied().unwrap_or(0),
        Variable::Numeric(_) => 0,
    };
    let labels = |c: &Variable| -> Vec<String> {
        match c {
            Variable::Factor { levels, .. } => levels.clone(),
            Variable::Numeric(_) => vec![String::new()],
        }
    };
    if let [single] = columns {
        // One column, the usual `(1 | id)`: keep the factor's order and drop absent levels,
        // in two linear passes.
        let (levels, new_code) =
            present_levels((0..n).map(|row| codes(single, row)), labels(single));
        let refs = (0..n)
            .map(|row| {
                new_code
                    .get(codes(single, row) as usize)
                    .copied()
                    .unwrap_or(0)
            })
            .collect();
        return (levels, refs);
    }
    // Several columns: a row's key is its tuple of level codes, and the levels are the distinct
    // keys in lexicographic order (the first-slowest order of R's interaction levels). The keys
    // are one flat array, not a vector per row, and only the distinct keys are sorted: a map
    // built from all rows (a BTreeMap collected from them sorts every row's key with scratch of
    // the same size) was the peak of the whole fit at 200,000 rows of `(1 | person/day)`.
    let width = columns.len();
    if width == 0 {
        return (vec![String::new()], vec![0; n]);
    }
    let flat: Vec<u32> = (0..n)
        .flat_map(|row| columns.iter().map(move |c| codes(c, row)))
        .collect();
    // Each row's key numbered in order of first appearance, then the numbers ranked by key.
    let mut seen: HashMap<&[u32], u32> = HashMap::new();
    let mut distinct: Vec<&[u32]> = Vec::new();
    let first_seen: Vec<u32> = flat
        .chunks_exact(width)
        .map(|key| {
            *seen.entry(key).or_insert_with(|| {
                distinct.push(key);
                u32::try_from(distinct.len() - 1).unwrap_or(u32::MAX)
            })
        })
        .collect();
    drop(seen);
    let mut order: Vec<u32> = (0..distinct.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| distinct[a as usize].cmp(distinct[b as usize]));
    let mut rank = vec![0u32; distinct.len()];
    for (position, &id) in order.iter().enumerate() {
        rank[id as usize] = u32::try_from(position).unwrap_or(u32::MAX);
    }
    let column_labels: Vec<Vec<String>> = columns.iter().map(|c| labels(c)).collect();
    let levels = order
        .iter()
        .map(|&id| {
            let parts: Vec<&str> = distinct[id as usize]
                .iter()
                .zip(&column_labels)
                .map(|(&code, l)| l.get(code as usize).map_or("", String::as_str))
                .collect();
            parts.join(":")
        })
        .collect();
    let refs = first_seen.iter().map(|&id| rank[id as usize]).collect();
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
        let (levels, refs) = group_levels(&[&g], 3);
        assert_eq!(levels, ["1", "10"]);
        assert_eq!(refs, [1, 0, 1]);
    }

    #[test]
    fn crossed_levels_first_column_slowest() {
        let b = factor(&[1, 0, 1, 0, 1], &["x", "y"]);
        let a = factor(&[0, 0, 1, 1, 0], &["p", "q"]);
        let (levels, refs) = group_levels(&[&b, &a], 5);
        assert_eq!(levels, ["x:p", "x:q", "y:p", "y:q"]);
        assert_eq!(refs, [2, 0, 3, 1, 2]);
    }
}
