//! The panel: person index and time of every row, with the one-row-per-occasion check that
//! lag and lead (computed later, per person along time) depend on.

use super::{format_number, Column, DataError, Frame, Panel, MISSING_CODE};
use std::collections::HashMap;

impl Panel {
    /// Builds the panel from the id and time columns. The id column may be numeric or text
    /// (labels as written: `12`, `1.5`, `P07`); time must be numeric. Rows with a missing id
    /// or time are kept (their person is `MISSING_CODE`, their time NaN). Errors: unknown
    /// column, non-numeric time (naming the first offending line), two rows with the same id
    /// and time (naming both lines).
    pub fn new(frame: &Frame, id: Option<&str>, time: Option<&str>) -> Result<Panel, DataError> {
        let (person, persons) = match id {
            Some(name) => match frame.columns.get(frame.column_index(name)?) {
                Some(Column::Text(text)) => (text.codes.clone(), text.levels.clone()),
                Some(Column::Numeric(values)) => numeric_persons(values),
                None => (Vec::new(), Vec::new()),
            },
            None => (Vec::new(), Vec::new()),
        };
        let times = match time {
            Some(name) => frame.numeric(name).map_err(|e| match e {
                DataError::NotNumeric {
                    column,
                    line,
                    value,
                } => DataError::TimeNotNumeric {
                    column,
                    line,
                    value,
                },
                other => other,
            })?,
            None => &[],
        };
        let panel = Panel {
            id_name: id.map(str::to_string),
            time_name: time.map(str::to_string),
            person,
            persons,
            time: times.to_vec(),
        };
        if let (Some(id), Some(time)) = (id, time) {
            panel.check_one_row_per_occasion(frame, id, time)?;
        }
        Ok(panel)
    }

    fn check_one_row_per_occasion(
        &self,
        frame: &Frame,
        id: &str,
        time: &str,
    ) -> Result<(), DataError> {
        let mut seen: HashMap<(u32, u64), usize> = HashMap::with_capacity(self.person.len());
        for (row, (&p, &t)) in self.person.iter().zip(&self.time).enumerate() {
            if p == MISSING_CODE || t.is_nan() {
                continue;
            }
            // +0.0 folds -0 into 0 so that they are one occasion.
            if let Some(first) = seen.insert((p, (t + 0.0).to_bits()), row) {
                let line = |r: usize| frame.row_lines.get(r).copied().unwrap_or(0);
                return Err(DataError::DuplicateOccasion {
                    id_column: id.to_string(),
                    id: self.persons.get(p as usize).cloned().unwrap_or_default(),
                    time_column: time.to_string(),
                    time: t,
                    first_line: line(first),
                    second_line: line(row),
                });
            }
        }
        Ok(())
    }
}

/// Person codes of a numeric id column: distinct values in increasing order, labelled as
/// written (`12`, not `12.0`).
fn numeric_persons(values: &[f64]) -> (Vec<u32>, Vec<String>) {
    let mut distinct: Vec<f64> = values
        .iter()
        .filter(|v| !v.is_nan())
        .map(|v| v + 0.0)
        .collect();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let codes = values
        .iter()
        .map(|v| {
            if v.is_nan() {
                return MISSING_CODE;
            }
            distinct
                .binary_search_by(|d| d.total_cmp(&(v + 0.0)))
                .ok()
                .and_then(|i| u32::try_from(i).ok())
                .unwrap_or(MISSING_CODE)
        })
        .collect();
    (codes, distinct.into_iter().map(format_number).collect())
}
