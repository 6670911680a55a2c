//! `lag` and `lead`: the same person's value k time units earlier or later, matched by the value
//! of the time column through a (person, time) -> row index, so a missed occasion gives a missing
//! value instead of a neighbouring row's value, and rows may come in any order.
//!
//! The index groups the rows by person (a counting sort, O(n)) and orders each person's few
//! rows by time (already so in nearly every file); a lookup is a binary search within one
//! person's rows. This is several times faster and smaller than a hash map of a million keys.

use super::{person_of, TransformError, Variable};
use crate::formula::Expr;
use crate::frame::{Frame, Panel, MISSING_CODE};

/// Largest whole time value we index: beyond 2^53 doubles are not all whole numbers apart.
const MAX_TIME: f64 = 9_007_199_254_740_992.0;

/// Where each row sits in the panel, and which row holds each (person, time).
pub(super) struct TimeIndex {
    /// (person, whole time) of each row; None when person or time is missing.
    keys: Vec<Option<(u32, i64)>>,
    /// Rows with person and time, grouped by person (person p's are `starts[p]..starts[p + 1]`)
    /// and ordered by (time, row) within a person.
    times: Vec<i64>,
    rows: Vec<u32>,
    starts: Vec<usize>,
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
        let mut counts = vec![0usize; panel.persons.len() + 1];
        let times = panel.time(frame);
        for row in 0..n {
            let time = times.get(row).copied().unwrap_or(f64::NAN);
            if time.is_nan() {
                keys.push(None);
                continue;
            }
            if time.fract() != 0.0 || time.abs() > MAX_TIME {
                return Err(TransformError::TimeNotWhole {
                    function: function.name(),
                    time: time_name.clone(),
                    line: frame.row_lines.get(row).unwrap_or(0),
                    value: time,
                });
            }
            // Whole and within +-2^53, so the conversion is exact.
            let key = person_of(panel, row).map(|p| (p as u32, time as i64));
            if let Some(count) = key.and_then(|(p, _)| counts.get_mut(p as usize + 1)) {
                *count += 1;
            }
            keys.push(key);
        }
        Ok(TimeIndex::group(keys, counts))
    }

    /// Groups the keyed rows by person; `counts[p + 1]` is the number of person p's rows.
    fn group(keys: Vec<Option<(u32, i64)>>, mut counts: Vec<usize>) -> TimeIndex {
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let starts = counts.clone();
        let total = counts.last().copied().unwrap_or(0);
        let mut entries = vec![(0i64, 0u32); total];
        for (row, key) in keys.iter().enumerate() {
            let Some((p, time)) = *key else { continue };
            let (Some(next), Ok(row)) = (counts.get_mut(p as usize), u32::try_from(row)) else {
                continue;
            };
            if let Some(entry) = entries.get_mut(*next) {
                *entry = (time, row);
            }
            *next += 1;
        }
        // Rows went in in file order, so a person's rows need sorting only when the file does
        // not list that person's occasions in time order. Panel::new rejects a repeated
        // (person, time); should one get here anyway, the earlier row comes first and wins.
        for window in starts.windows(2) {
            if let Some(group) = entries.get_mut(window[0]..window[1]) {
                if !group.is_sorted() {
                    group.sort_unstable();
                }
            }
        }
        let (times, rows) = entries.into_iter().unzip();
        TimeIndex {
            keys,
            times,
            rows,
            starts,
        }
    }

    /// The first row of `person` at `time`, if any.
    fn row_at(&self, person: u32, time: i64) -> Option<usize> {
        let p = person as usize;
        let range = *self.starts.get(p)?..*self.starts.get(p + 1)?;
        let times = self.times.get(range.clone())?;
        let i = times.partition_point(|&t| t < time);
        if times.get(i) != Some(&time) {
            return None;
        }
        self.rows.get(range.start + i).map(|&r| r as usize)
    }

    /// For each row, the row of the same person at time t + `offset`, if there is one.
    fn source_rows(&self, offset: i64) -> impl Iterator<Item = Option<usize>> + '_ {
        self.keys.iter().map(move |key| {
            let (person, time) = (*key)?;
            let target = time.checked_add(offset)?;
            self.row_at(person, target)
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
