//! Variable labels (SPSS) carried from the wide columns to the long ones: the id and the
//! person-level columns keep theirs; a stub takes the label its wide columns share once the
//! occasion's number is taken out of each (`"SPIN, week 3"` -> `"SPIN, week"`), and none
//! when they say different things (a made-up label would be worse than none).

use super::ReshapeSummary;
use crate::frame::format_number;
use serde::{Deserialize, Serialize};

/// A column's label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnLabel {
    pub name: String,
    pub label: String,
}

/// The labels of the long columns of `summary` (a reshape with person column `id`) from the
/// `wide` columns' labels. Columns without a label are left out.
pub fn long_labels(summary: &ReshapeSummary, id: &str, wide: &[ColumnLabel]) -> Vec<ColumnLabel> {
    let label_of = |name: &str| {
        wide.iter()
            .find(|l| l.name == name)
            .map(|l| l.label.as_str())
            .filter(|l| !l.trim().is_empty())
    };
    let mut out = Vec::new();
    for name in std::iter::once(id).chain(summary.carried.iter().map(String::as_str)) {
        if let Some(label) = label_of(name) {
            out.push(ColumnLabel {
                name: name.to_string(),
                label: label.to_string(),
            });
        }
    }
    for stub in &summary.stubs {
        let mut shared: Option<String> = None;
        let mut agree = true;
        for (column, &occasion) in stub.columns.iter().zip(&stub.occasions) {
            let Some(label) = label_of(column) else {
                continue;
            };
            let label = without_occasion(label, occasion);
            match &shared {
                Some(first) if first != &label => agree = false,
                _ => shared = Some(label),
            }
        }
        if let Some(label) = shared.filter(|l| agree && !l.is_empty()) {
            out.push(ColumnLabel {
                name: stub.stub.clone(),
                label,
            });
        }
    }
    out
}

/// `label` with every whole run of digits equal to the occasion's number taken out, then
/// tidied (spaces, empty brackets, dangling punctuation).
fn without_occasion(label: &str, occasion: f64) -> String {
    let number = format_number(occasion);
    let mut out = String::new();
    let mut rest = label;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let run = rest[start..]
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .map_or(rest.len(), |end| start + end);
        let digits = rest[start..run].trim_end_matches('.');
        let run = start + digits.len();
        out.push_str(&rest[..start]);
        if digits != number {
            out.push_str(digits);
        }
        rest = &rest[run..];
    }
    out.push_str(rest);
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let out = out.replace(" )", ")").replace("( ", "(").replace(" ]", "]");
    let out = out.replace("()", "").replace("[]", "");
    let dangling = |c: char| c.is_whitespace() || ",;:-_#–—".contains(c);
    out.trim_matches(dangling).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reshape::StubSummary;

    fn summary() -> ReshapeSummary {
        ReshapeSummary {
            stubs: vec![
                StubSummary {
                    stub: "spin".into(),
                    columns: vec!["spin_1".into(), "spin_2".into(), "spin_10".into()],
                    occasions: vec![1.0, 2.0, 10.0],
                },
                StubSummary {
                    stub: "mood".into(),
                    columns: vec!["mood_1".into(), "mood_2".into()],
                    occasions: vec![1.0, 2.0],
                },
            ],
            carried: vec!["group".into(), "age".into()],
            occasions: vec![1.0, 2.0, 10.0],
            persons: 1,
            rows: 3,
            empty_rows_dropped: 0,
            warnings: vec![],
        }
    }

    fn label(name: &str, label: &str) -> ColumnLabel {
        ColumnLabel {
            name: name.into(),
            label: label.into(),
        }
    }

    #[test]
    fn stubs_take_the_shared_label_without_the_occasion() {
        let wide = [
            label("id", "person"),
            label("group", "randomised group"),
            label("spin_1", "SPIN total, week 1"),
            label("spin_2", "SPIN total, week 2"),
            label("spin_10", "SPIN total, week 10"),
            label("mood_1", "mood at 1 of 5 visits"),
            label("mood_2", "a different text"),
        ];
        let long = long_labels(&summary(), "id", &wide);
        let expected = [
            label("id", "person"),
            label("group", "randomised group"),
            label("spin", "SPIN total, week"),
        ];
        assert_eq!(long, expected);
    }

    #[test]
    fn occasion_digits_only_as_whole_numbers() {
        assert_eq!(
            without_occasion("item 12 at week 1", 1.0),
            "item 12 at week"
        );
        assert_eq!(without_occasion("SPIN (week 3)", 3.0), "SPIN (week)");
        assert_eq!(
            without_occasion("score 2.5, wave 2", 2.0),
            "score 2.5, wave"
        );
    }
}
