//! `lag` and `lead`: the same person's value k time units earlier or later, matched by the value
//! of the time column through a (person, time) -> row index, so a missed occasion gives a missing
//! value instead of a neighbouring row's value, and rows may come in any order.
//!
//! Building the index is O(n) expected time (one hash insert per row), so a million-row panel
//! costs a fraction of a second.

use super::{person_of, TransformError, Variable};
use crate::formula::Expr;
use crate::frame::{Frame, Panel, MISSING_CODE};
use std::collections::HashMap;

/// Largest whole time value we index: beyond 2^53 doubles are not all whole numbers apart.
const MAX_TIME: f64 = 9_007_199_254_740_992.0;

/// Where each row sits in the panel, and which row holds each (person, time).
pub(super) struct TimeIndex {
    /// (person, whole time) of each row; None when person or time is missing.
    keys: Vec<Option<(u32, i64)>>,
    rows: HashMap<(u32, i64), usize>,
}

impl TimeIndex {
    /// Indexes the panel for `function` (the lag/lead call, named in errors). Errors: no person
    /// column, no time column, or a non-missing time that is not a whole number.
    pub(super) fn new(
        function: &Expr,
        frame: &Frame,
        panel: &Panel,
    ) -> Result<TimeIndex, TransformError> {
        if panel.id_name.is_none() {
            return Err(TransformError::NeedsId {
                function: function.name(),
            });
        }
        let Some(time_name) = &panel.time_name else {
            return Err(TransformError::NeedsTime {
                function: function.name(),
            });
        };
        let n = frame.nrows();
        let mut keys = Vec::with_capacity(n);
        let mut rows = HashMap::with_capacity(n);
        for row in 0..n {
            let time = panel.time.get(row).copied().unwrap_or(f64::NAN);
            if time.is_nan() {
                keys.push(None);
                continue;
            }
            if time.fract() != 0.0 || time.abs() > MAX_TIME {
                return Err(TransformError::TimeNotWhole {
                    function: function.name(),
                    time: time_name.clone(),
                    line: frame.row_lines.get(row).copied().unwrap_or(0),
                    value: time,
                });
            }
            // Whole and within +-2^53, so the conversion is exact.
            let key = person_of(panel, row).map(|p| (p as u32, time as i64));
            if let Some(key) = key {
                // Panel::new rejects a repeated (person, time); should one get here anyway, the
                // first row wins, so the result does not depend on hash order.
                rows.entry(key).or_insert(row);
            }
            keys.push(key);
        }
        Ok(TimeIndex { keys, rows })
    }

    /// For each row, the row of the same person at time t + `offset`, if there is one.
    fn source_rows(&self, offset: i64) -> impl Iterator<Item = Option<usize>> + '_ {
        self.keys.iter().map(move |key| {
            let (person, time) = (*key)?;
            let target = time.checked_add(offset)?;
            self.rows.get(&(person, target)).copied()
        })
    }

    /// `x` moved by `offset` time units within each person: offset -k is `lag(x, k)`, +k is
    /// `lead(x, k)`. Missing where there is no such occasion.
    pub(super) fn shift(&self, x: &Variable, offset: i64) -> Variable {
        match x {
            Variable::Numeric(values) => Variable::Numeric(
                self.source_rows(offset)
                    .map(|source| source.and_then(|r| values.get(r).copied()))
                    .map(|v| v.unwrap_or(f64::NAN))
                    .collect(),
            ),
            Variable::Factor { codes, levels } => Variable::Factor {
                codes: self
                    .source_rows(offset)
                    .map(|source| source.and_then(|r| codes.get(r).copied()))
                    .map(|c| c.unwrap_or(MISSING_CODE))
                    .collect(),
                levels: levels.clone(),
            },
        }
    }
}
