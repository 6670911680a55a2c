//! What the data look like before any model: the panel's shape ([`PanelSummary`]) and each
//! column's type and missingness ([`ColumnInfo`]), shown in the browser's data view so a
//! researcher can check that the file was read as intended (id and time chosen, numbers parsed
//! as numbers, the expected number of persons and weeks).

use crate::frame::{Column, Frame, Panel, MISSING_CODE};
use crate::transform::person_of;
use serde::Serialize;

/// The shape of the panel.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PanelSummary {
    /// Rows in the frame.
    pub rows: usize,
    /// Name of the person column, if chosen.
    pub id: Option<String>,
    /// Name of the time column, if chosen.
    pub time: Option<String>,
    /// Distinct persons (0 without a person column).
    pub persons: usize,
    /// Sorted distinct non-missing times (empty without a time column).
    pub occasions: Vec<f64>,
    /// Fewest rows of any person (None without a person column or persons).
    pub rows_per_person_min: Option<usize>,
    /// Most rows of any person (None without a person column or persons).
    pub rows_per_person_max: Option<usize>,
    /// Rows whose person cell is empty (0 without a person column).
    pub rows_without_person: usize,
    /// Rows whose time cell is empty (0 without a time column).
    pub rows_without_time: usize,
}

/// The shape of the panel: rows, persons, occasions, rows per person.
pub fn panel_summary(frame: &Frame, panel: &Panel) -> PanelSummary {
    let rows = frame.nrows();
    let mut per_person = vec![0usize; panel.persons.len()];
    let mut rows_without_person = 0;
    if panel.id_name.is_some() {
        for row in 0..rows {
            match person_of(panel, row) {
                Some(p) => per_person[p] += 1,
                None => rows_without_person += 1,
            }
        }
    }
    let (mut occasions, mut rows_without_time) = (Vec::new(), 0);
    if panel.time_name.is_some() {
        let times = panel.time(frame);
        rows_without_time = (0..rows)
            .filter(|&row| times.get(row).is_none_or(|t| t.is_nan()))
            .count();
        occasions = super::distinct_times(panel, times, false);
    }
    PanelSummary {
        rows,
        id: panel.id_name.clone(),
        time: panel.time_name.clone(),
        persons: panel.persons.len(),
        occasions,
        rows_per_person_min: per_person.iter().copied().min(),
        rows_per_person_max: per_person.iter().copied().max(),
        rows_without_person,
        rows_without_time,
    }
}

/// Whether a column was read as numbers or as text.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    Numeric,
    Text,
}

/// One column as it was read.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ColumnInfo {
    pub name: String,
    pub kind: ColumnKind,
    /// Empty cells.
    pub missing: usize,
    /// Distinct values of a text column (None for numbers).
    pub levels: Option<usize>,
    /// Smallest observed number (None for text or when nothing is observed).
    pub min: Option<f64>,
    /// Largest observed number (None for text or when nothing is observed).
    pub max: Option<f64>,
}

/// Name, type, missing count and levels or range of every column, in file order.
pub fn column_info(frame: &Frame) -> Vec<ColumnInfo> {
    frame
        .names
        .iter()
        .zip(&frame.columns)
        .map(|(name, column)| match column {
            Column::Numeric(values) => {
                let observed = values.iter().copied().filter(|v| !v.is_nan());
                ColumnInfo {
                    name: name.clone(),
                    kind: ColumnKind::Numeric,
                    missing: values.iter().filter(|v| v.is_nan()).count(),
                    levels: None,
                    min: observed.clone().min_by(f64::total_cmp),
                    max: observed.max_by(f64::total_cmp),
                }
            }
            Column::Text(text) => ColumnInfo {
                name: name.clone(),
                kind: ColumnKind::Text,
                missing: text.codes.iter().filter(|&&c| c == MISSING_CODE).count(),
                levels: Some(text.levels.len()),
                min: None,
                max: None,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::TextColumn;

    fn data() -> (Frame, Panel) {
        // Person A has 3 rows, B 1, and one row has no person; one row has no time.
        let person = vec![0, 0, 1, 0, MISSING_CODE];
        let time = vec![1.0, 2.0, 1.0, f64::NAN, 3.0];
        let frame = Frame {
            names: vec!["id".into(), "week".into(), "spin".into()],
            columns: vec![
                Column::Text(TextColumn {
                    codes: person.clone(),
                    levels: vec!["A".into(), "B".into()],
                }),
                Column::Numeric(time.clone()),
                Column::Numeric(vec![3.5, f64::NAN, -1.0, 7.0, f64::NAN]),
            ],
            row_lines: (2..7).collect(),
            delimiter: b',',
            decimal_comma: false,
        };
        let panel = Panel::for_tests(person, &["A", "B"]);
        (frame, panel)
    }

    #[test]
    fn summary_counts_persons_occasions_and_rows() {
        let (frame, panel) = data();
        assert_eq!(
            panel_summary(&frame, &panel),
            PanelSummary {
                rows: 5,
                id: Some("id".into()),
                time: Some("week".into()),
                persons: 2,
                occasions: vec![1.0, 2.0, 3.0],
                rows_per_person_min: Some(1),
                rows_per_person_max: Some(3),
                rows_without_person: 1,
                rows_without_time: 1,
            }
        );
    }

    #[test]
    fn summary_without_a_panel_has_only_rows() {
        let (frame, _) = data();
        let panel = Panel {
            id_name: None,
            time_name: None,
            person: vec![],
            persons: vec![],
        };
        let summary = panel_summary(&frame, &panel);
        assert_eq!(summary.rows, 5);
        assert_eq!(summary.persons, 0);
        assert!(summary.occasions.is_empty());
        assert_eq!(summary.rows_per_person_max, None);
        assert_eq!(summary.rows_without_person, 0);
    }

    #[test]
    fn column_info_reports_type_missing_and_levels() {
        let (frame, _) = data();
        let info = column_info(&frame);
        assert_eq!(info.len(), 3);
        assert_eq!(info[0].kind, ColumnKind::Text);
        assert_eq!(info[0].missing, 1);
        assert_eq!(info[0].levels, Some(2));
        assert_eq!(info[2].kind, ColumnKind::Numeric);
        assert_eq!(info[2].missing, 2);
        assert_eq!((info[2].min, info[2].max), (Some(-1.0), Some(7.0)));
        let json = serde_json::to_string(&info[2]).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"name":"spin","kind":"numeric","missing":2,"levels":null,"min":-1.0,"max":7.0}"#
        );
    }
}
