//! "Did you mean ...?" for a mistyped column name: the same name in another case first, else the
//! nearest name by edit distance, if it is near enough to be a plausible typo.

/// The column in `names` that `name` most plausibly meant, if any: an exact match ignoring case,
/// else the name with the fewest single-character edits (case ignored), allowing about one edit
/// per three characters. Ties go to the first column.
pub fn suggest_column(name: &str, names: &[String]) -> Option<String> {
    let wanted = name.to_lowercase();
    if let Some(same) = names.iter().find(|n| n.to_lowercase() == wanted) {
        return Some(same.clone());
    }
    let wanted: Vec<char> = wanted.chars().collect();
    let allowed = (wanted.len() / 3).max(1);
    let mut best: Option<(usize, &String)> = None;
    for candidate in names {
        let chars: Vec<char> = candidate.to_lowercase().chars().collect();
        let distance = edit_distance(&wanted, &chars);
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, n)| n.clone())
}

/// Levenshtein distance (insertions, deletions, substitutions), one row of the table at a time.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        ["id", "week", "spin", "alliance", "Session"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn case_insensitive_match_comes_first() {
        assert_eq!(
            suggest_column("session", &names()),
            Some("Session".to_string())
        );
        assert_eq!(suggest_column("SPIN", &names()), Some("spin".to_string()));
    }

    #[test]
    fn nearest_name_within_a_typo() {
        assert_eq!(suggest_column("spn", &names()), Some("spin".to_string()));
        assert_eq!(
            suggest_column("aliance", &names()),
            Some("alliance".to_string())
        );
        assert_eq!(suggest_column("wek", &names()), Some("week".to_string()));
    }

    #[test]
    fn no_suggestion_for_an_unrelated_name() {
        assert_eq!(suggest_column("depression", &names()), None);
        assert_eq!(suggest_column("xyz", &names()), None);
    }

    #[test]
    fn edit_distance_counts_edits() {
        let d = |a: &str, b: &str| {
            edit_distance(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("abc", "abc"), 0);
    }
}
