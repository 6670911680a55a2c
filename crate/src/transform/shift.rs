//! `lag` and `lead`: the same person's value k time units earlier or later, matched by the value
//! of the time column through a (person, time) -> row index, so a missed occasion gives a missing
//! value instead of a neighbouring row's value, and rows may come in any order.
//!
//! The index is one row number per row: the rows grouped by person (a counting sort, O(n)) and
//! ordered by time within a person (already so in nearly every file). A lookup first tries the
//! row as far down the file as the time is ahead (in a file sorted by person and time, with
//! no gap, that is the row), then a binary search within the person's rows.

use super::{person_of, TransformError, Variable};
use crate::formula::Expr;
use crate::frame::{Frame, Panel, MISSING_CODE};

/// Largest whole time value we index: beyond 2^53 doubles are not all whole numbers apart.
const MAX_TIME: f64 = 9_007_199_254_740_992.0;

/// Which row holds each (person, time).
pub(super) struct TimeIndex<'a> {
    panel: &'a Panel,
    /// The time of each row (whole numbers or NaN: checked when the index is built).
    times: &'a [f64],
    /// Rows with person and time, grouped by person (person p's are `starts[p]..starts[p + 1]`)
    /// and ordered by (time, row) within a person.
    rows: Vec<u32>,
    starts: Vec<usize>,
}

impl<'a> TimeIndex<'a> {
    /// Indexes the panel for `function` (the lag/lead call, named in errors). Errors: no person
    /// column, no time column, or a non-missing time that is not a whole number.
    pub(super) fn new(
        function: &Expr,
        frame: &'a Frame,
        panel: &'a Panel,
    ) -> Result<TimeIndex<'a>, TransformError> {
        if panel.id_name.is_none() {
            let function = function.name();
            return Err(match panel.time_name {
                Some(_) => TransformError::NeedsId { function },
                None => TransformError::NeedsIdAndTime { function },
            });
        }
        let Some(time_name) = &panel.time_name else {
            return Err(TransformError::NeedsTime {
                function: function.name(),
            });
        };
        let times = panel.time(frame);
        let mut counts = vec![0usize; panel.persons.len() + 1];
        for (row, &time) in times.iter().enumerate() {
            if time.is_nan() {
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
            if let Some(count) = person_of(panel, row).and_then(|p| counts.get_mut(p + 1)) {
                *count += 1;
            }
        }
        Ok(TimeIndex::group(panel, times, counts))
    }

    /// Groups the keyed rows by person; `counts[p + 1]` is the number of person p's rows.
    fn group(panel: &'a Panel, times: &'a [f64], mut counts: Vec<usize>) -> TimeIndex<'a> {
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let starts = counts.clone();
        let mut rows = vec![0u32; counts.last().copied().unwrap_or(0)];
        for (row, &time) in times.iter().enumerate() {
            let Some(p) = person_of(panel, row).filter(|_| !time.is_nan()) else {
                continue;
            };
            let (Some(next), Ok(row)) = (counts.get_mut(p), u32::try_from(row)) else {
                continue;
            };
            if let Some(slot) = rows.get_mut(*next) {
                *slot = row;
            }
            *next += 1;
        }
        let mut index = TimeIndex {
            panel,
            times,
            rows,
            starts,
        };
        // Rows went in in file order, so a person's rows need sorting only when the file does
        // not list that person's occasions in time order. Panel::new rejects a repeated
        // (person, time); should one get here anyway, the earlier row comes first and wins.
        let times = index.times;
        let key = |&row: &u32| (whole_time(times, row as usize), row);
        for window in index.starts.windows(2) {
            if let Some(group) = index.rows.get_mut(window[0]..window[1]) {
                if !group.is_sorted_by_key(key) {
                    group.sort_unstable_by_key(key);
                }
            }
        }
        index
    }

    /// The first row of `person` at `time`, if any; `guess` is tried first.
    fn row_at(&self, person: usize, time: i64, guess: Option<usize>) -> Option<usize> {
        let at = |row: usize| whole_time(self.times, row) == Some(time);
        if let Some(row) = guess.filter(|&g| person_of(self.panel, g) == Some(person) && at(g)) {
            return Some(row);
        }
        let range = *self.starts.get(person)?..*self.starts.get(person + 1)?;
        let rows = self.rows.get(range)?;
        let i = rows.partition_point(|&r| whole_time(self.times, r as usize) < Some(time));
        rows.get(i).map(|&r| r as usize).filter(|&r| at(r))
    }

    /// For each row, the row of the same person at time t + `offset`, if there is one.
    fn source_rows(&self, offset: i64) -> impl Iterator<Item = Option<usize>> + '_ {
        (0..self.times.len()).map(move |row| {
            let person = person_of(self.panel, row)?;
            let target = whole_time(self.times, row)?.checked_add(offset)?;
            let guess = isize::try_from(offset)
                .ok()
                .and_then(|step| row.checked_add_signed(step));
            self.row_at(person, target, guess)
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

/// The time of `row` as a whole number (the index checked that every present time is one).
fn whole_time(times: &[f64], row: usize) -> Option<i64> {
    // Whole and within +-2^53, so the conversion is exact.
    times.get(row).filter(|t| !t.is_nan()).map(|&t| t as i64)
}
