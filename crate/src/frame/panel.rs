//! The panel: person index and time of every row, with the one-row-per-occasion check that
//! lag and lead (computed later, per person along time) depend on.

use super::{distinct_sorted, format_number, Column, DataError, Frame, Panel, MISSING_CODE};

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
        };
        if let (Some(id), Some(time)) = (id, time) {
            panel.check_one_row_per_occasion(frame, times, id, time)?;
        }
        Ok(panel)
    }

    /// Time of each row (NaN when missing), read from `frame`'s time column rather than kept
    /// as a copy (8 bytes a row); empty without a time column. `frame` is the frame the panel
    /// was built from.
    pub fn time<'a>(&self, frame: &'a Frame) -> &'a [f64] {
        match self
            .time_name
            .as_deref()
            .and_then(|name| frame.column(name))
        {
            Some(Column::Numeric(values)) => values,
            _ => &[],
        }
    }

    fn check_one_row_per_occasion(
        &self,
        frame: &Frame,
        times: &[f64],
        id: &str,
        time: &str,
    ) -> Result<(), DataError> {
        if self.occasions_are_ordered(times) {
            return Ok(());
        }
        let Some((first, second)) = first_duplicate(&self.person, times) else {
            return Ok(());
        };
        let line = |r: usize| frame.row_lines.get(r).unwrap_or(0);
        let p = self.person.get(second).copied().unwrap_or(MISSING_CODE);
        Err(DataError::DuplicateOccasion {
            id_column: id.to_string(),
            id: self.persons.get(p as usize).cloned().unwrap_or_default(),
            time_column: time.to_string(),
            time: times.get(second).copied().unwrap_or(f64::NAN),
            first_line: line(first),
            second_line: line(second),
        })
    }

    /// True when each person's rows (with id and time) are consecutive and in increasing
    /// time, as in nearly every long-format file: then no occasion can repeat, and the check
    /// costs one pass and a flag per person.
    fn occasions_are_ordered(&self, times: &[f64]) -> bool {
        let mut started = vec![false; self.persons.len()];
        let mut previous: Option<(u32, f64)> = None;
        for (&p, &t) in self.person.iter().zip(times) {
            if p == MISSING_CODE || t.is_nan() {
                continue;
            }
            match previous {
                Some((q, s)) if q == p => {
                    if t <= s {
                        return false;
                    }
                }
                _ => match started.get_mut(p as usize) {
                    Some(flag) if !*flag => *flag = true,
                    _ => return false,
                },
            }
            previous = Some((p, t));
        }
        true
    }
}

/// The first row (in file order) that repeats an earlier row's person and time, with that
/// earlier row: rows sorted by (person, time, row) put each repeat right after its first.
fn first_duplicate(person: &[u32], time: &[f64]) -> Option<(usize, usize)> {
    let mut keys: Vec<(u32, u64, u32)> = person
        .iter()
        .zip(time)
        .enumerate()
        .filter(|(_, (&p, t))| p != MISSING_CODE && !t.is_nan())
        // +0.0 folds -0 into 0 so that they are one occasion.
        .filter_map(|(row, (&p, &t))| Some((p, (t + 0.0).to_bits(), u32::try_from(row).ok()?)))
        .collect();
    keys.sort_unstable();
    keys.windows(2)
        .filter_map(|pair| match pair {
            [a, b] if (a.0, a.1) == (b.0, b.1) => Some((a.2 as usize, b.2 as usize)),
            _ => None,
        })
        .min_by_key(|&(_, second)| second)
}

/// Person codes of a numeric id column: distinct values in increasing order, labelled as
/// written (`12`, not `12.0`).
fn numeric_persons(values: &[f64]) -> (Vec<u32>, Vec<String>) {
    let distinct = distinct_sorted(values.iter().copied());
    // Ids repeat on consecutive rows: look a value up only when it changes.
    let mut last = (f64::NAN, MISSING_CODE);
    let codes = values
        .iter()
        .map(|&v| {
            if v.is_nan() {
                return MISSING_CODE;
            }
            if (v + 0.0).to_bits() != (last.0 + 0.0).to_bits() {
                let code = distinct
                    .binary_search_by(|d| d.total_cmp(&(v + 0.0)))
                    .ok()
                    .and_then(|i| u32::try_from(i).ok())
                    .unwrap_or(MISSING_CODE);
                last = (v, code);
            }
            last.1
        })
        .collect();
    (codes, distinct.into_iter().map(format_number).collect())
}

#[cfg(test)]
impl Panel {
    /// An `id` / `week` panel built by hand, for the unit tests of the later stages: `person`
    /// indexes `persons`; the times are the frame's `week` column.
    pub(crate) fn for_tests<S: ToString>(person: Vec<u32>, persons: &[S]) -> Panel {
        Panel {
            id_name: Some("id".into()),
            time_name: Some("week".into()),
            person,
            persons: persons.iter().map(ToString::to_string).collect(),
        }
    }
}
