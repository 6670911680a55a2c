//! Descriptives per occasion (the reference study's Table 1) and a summary of the panel and its
//! columns for the browser's data view.
//!
//! The table treats the data as the design the study planned: every person at every occasion.
//! Occasions are the sorted distinct times of the rows that have both a person and a time; rows
//! without either are outside the design and not counted. For a variable x at occasion t:
//!
//! - `n`, mean and SD (denominator n - 1; none when n < 2) of the observed x,
//! - `missing = persons - n`: a person with no row at all for t counts as missing, just like a
//!   person whose row has an empty cell, because both are a planned measurement not obtained,
//! - change: `|x_t - x_(t-1)|` over the persons observed at both t and t - 1 time units. Like
//!   `lag`, this is gap-aware: when nobody was measured at t - 1, or a person skipped it, that
//!   person's change at t is not computed (it is not the change since an earlier occasion).
//!
//! Over all occasions, `missing` sums the cells and `missing_percent` is relative to
//! persons x occasions (the study: "146 measurements, 7.3%").

mod figures;
mod summary;

pub use figures::{
    figure_data, Association, FigureData, OccasionMean, Trajectory, VariableFigure, MAX_POINTS,
    MAX_TRAJECTORIES,
};
pub use summary::{column_info, panel_summary, ColumnInfo, ColumnKind, PanelSummary};

use crate::frame::{distinct_sorted, Column, Frame, Panel};
use crate::transform::{person_of, suggest_column};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// Per-occasion descriptives of one variable.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OccasionStats {
    /// The occasion (a value of the time column).
    pub time: f64,
    /// Persons observed at this occasion.
    pub n: usize,
    pub mean: Option<f64>,
    /// Standard deviation with denominator n - 1; None when n < 2.
    pub sd: Option<f64>,
    /// Persons not observed (no row, or an empty cell).
    pub missing: usize,
    /// 100 * missing / persons.
    pub missing_percent: f64,
    /// Within-person |x_t - x_{t-1}| (gap-aware) at this occasion.
    pub change_n: usize,
    pub change_mean: Option<f64>,
    pub change_sd: Option<f64>,
}

/// Descriptives of one variable.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VariableDescription {
    pub variable: String,
    /// Observed values over all occasions.
    pub n: usize,
    pub mean: Option<f64>,
    /// Standard deviation with denominator n - 1; None when n < 2.
    pub sd: Option<f64>,
    /// Missing measurements summed over occasions.
    pub missing: usize,
    /// 100 * missing / cells.
    pub missing_percent: f64,
    /// Planned measurements: persons x occasions.
    pub cells: usize,
    pub occasions: Vec<OccasionStats>,
}

/// `lagmix describe` output.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Description {
    /// Name of the person column.
    pub id: String,
    /// Name of the time column.
    pub time: String,
    pub persons: usize,
    /// Sorted distinct times of the rows with a person and a time.
    pub occasions: Vec<f64>,
    pub variables: Vec<VariableDescription>,
}

/// Errors of describe.
#[derive(Debug, Clone, PartialEq)]
pub enum DescribeError {
    /// No column of that name; `suggestion` is the closest column name, if any is close.
    UnknownColumn {
        name: String,
        suggestion: Option<String>,
    },
    /// The column is text; means and SDs need numbers.
    NotNumeric { name: String },
    /// The person column, the time column, or both were not chosen.
    NeedsPanel {
        id_missing: bool,
        time_missing: bool,
    },
}

impl fmt::Display for DescribeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DescribeError::UnknownColumn { name, suggestion } => {
                write!(f, "there is no column '{name}' in the data")?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean '{s}'?"),
                    None => Ok(()),
                }
            }
            DescribeError::NotNumeric { name } => write!(
                f,
                "'{name}' is text (a categorical variable); the table of means and SDs per \
                 occasion needs a numeric variable"
            ),
            DescribeError::NeedsPanel {
                id_missing,
                time_missing,
            } => {
                let needed = match (id_missing, time_missing) {
                    (true, true) => "the person column (--id) and the time column (--time)",
                    (true, false) => "the person column: choose it with --id",
                    _ => "the time column: choose it with --time",
                };
                write!(
                    f,
                    "the table per occasion counts every person at every occasion, so it needs \
                     {needed}"
                )
            }
        }
    }
}
impl std::error::Error for DescribeError {}

/// Per-occasion table for `variables` (see the module docs); an empty list describes every
/// numeric column other than the id and time columns.
///
/// Errors: no id or time column chosen, an unknown column (with the nearest name), a text column.
pub fn describe(
    frame: &Frame,
    panel: &Panel,
    variables: &[String],
) -> Result<Description, DescribeError> {
    let (Some(id), Some(time)) = (&panel.id_name, &panel.time_name) else {
        return Err(DescribeError::NeedsPanel {
            id_missing: panel.id_name.is_none(),
            time_missing: panel.time_name.is_none(),
        });
    };
    let chosen: Vec<String> = if variables.is_empty() {
        frame
            .names
            .iter()
            .zip(&frame.columns)
            .filter(|(name, column)| {
                matches!(column, Column::Numeric(_)) && *name != id && *name != time
            })
            .map(|(name, _)| name.clone())
            .collect()
    } else {
        variables.to_vec()
    };
    let mut columns = Vec::with_capacity(chosen.len());
    for name in &chosen {
        match frame.column(name) {
            Some(Column::Numeric(values)) => columns.push((name, values)),
            Some(Column::Text(_)) => return Err(DescribeError::NotNumeric { name: name.clone() }),
            None => {
                return Err(DescribeError::UnknownColumn {
                    name: name.clone(),
                    suggestion: suggest_column(name, &frame.names),
                })
            }
        }
    }
    let cells = Cells::new(frame, panel);
    Ok(Description {
        id: id.clone(),
        time: time.clone(),
        persons: panel.persons.len(),
        occasions: cells.occasions.clone(),
        variables: cells.describe(&columns, panel.persons.len()),
    })
}

/// The design's cells: which row holds each (person, occasion). Nothing here is as long as the
/// data: the rows are walked again for each variable instead of being listed once, so that
/// describing a million rows needs only the grid (a few megabytes) beside the frame.
struct Cells<'a> {
    panel: &'a Panel,
    times: &'a [f64],
    rows: usize,
    occasions: Vec<f64>,
    /// Occasion of each occasion's predecessor (t - 1 time units), if that is an occasion.
    previous: Vec<Option<usize>>,
    /// Row of each (person, occasion): the first row of the cell.
    row_of: CellIndex,
}

/// Row of each (person, occasion): a persons x occasions grid when that is not much larger
/// than the data (weekly panels), a hash map otherwise (experience sampling with many distinct
/// times). At a million rows the grid is a few megabytes where the map was tens.
enum CellIndex {
    Grid { occasions: usize, rows: Vec<u32> },
    Map(HashMap<(usize, usize), usize>),
}

impl CellIndex {
    const EMPTY: u32 = u32::MAX;

    fn new(persons: usize, occasions: usize, rows: usize) -> CellIndex {
        match persons.checked_mul(occasions) {
            Some(cells) if cells <= 4 * rows.max(1024) && rows < Self::EMPTY as usize => {
                CellIndex::Grid {
                    occasions,
                    rows: vec![Self::EMPTY; cells],
                }
            }
            _ => CellIndex::Map(HashMap::with_capacity(rows)),
        }
    }

    fn get(&self, person: usize, occasion: usize) -> Option<usize> {
        match self {
            CellIndex::Grid { occasions, rows } => rows
                .get(person * occasions + occasion)
                .filter(|&&r| r != Self::EMPTY)
                .map(|&r| r as usize),
            CellIndex::Map(map) => map.get(&(person, occasion)).copied(),
        }
    }

    /// Records `row` for the cell unless it has one.
    fn insert(&mut self, person: usize, occasion: usize, row: usize) {
        match self {
            CellIndex::Grid { occasions, rows } => {
                if let Some(slot) = rows.get_mut(person * *occasions + occasion) {
                    if *slot == Self::EMPTY {
                        *slot = row as u32;
                    }
                }
            }
            CellIndex::Map(map) => {
                map.entry((person, occasion)).or_insert(row);
            }
        }
    }
}

/// The distinct non-missing `times` of the panel (of rows with a person, when `with_person`),
/// sorted; -0 counts as 0.
pub(crate) fn distinct_times(panel: &Panel, times: &[f64], with_person: bool) -> Vec<f64> {
    let rows = times.iter().enumerate();
    let present = rows.filter(|&(row, _)| !with_person || person_of(panel, row).is_some());
    distinct_sorted(present.map(|(_, &t)| t))
}

impl<'a> Cells<'a> {
    fn new(frame: &'a Frame, panel: &'a Panel) -> Cells<'a> {
        let times = panel.time(frame);
        let occasions = distinct_times(panel, times, true);
        let previous = occasions
            .iter()
            .map(|&t| find_occasion(&occasions, t - 1.0))
            .collect();
        let rows = frame.nrows();
        let mut row_of = CellIndex::new(panel.persons.len(), occasions.len(), rows);
        for (row, person, occasion) in located(panel, times, &occasions, rows) {
            // Panel::new refuses a repeated (person, time); were one here, its first row counts.
            row_of.insert(person, occasion, row);
        }
        Cells {
            panel,
            times,
            rows,
            occasions,
            previous,
            row_of,
        }
    }

    /// (row, person, occasion) of every row with a person and a time, in row order.
    fn located(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        located(self.panel, self.times, &self.occasions, self.rows)
    }

    /// Calls `visit(row, occasion, before)` for each of the design's cells, in row order, with
    /// the row of the same person one time unit earlier, if there is one.
    fn for_each_cell(&self, mut visit: impl FnMut(usize, usize, Option<usize>)) {
        for (row, person, occasion) in self.located() {
            if self.row_of.get(person, occasion) != Some(row) {
                continue;
            }
            let before = self.previous[occasion].and_then(|p| self.row_of.get(person, p));
            visit(row, occasion, before);
        }
    }

    /// The descriptives of every `(name, values)`. Means and SDs take three passes over the
    /// rows (sum, R's correction of the mean, squared deviations) rather than lists of the
    /// values, the same sums in the same order; each pass serves all the variables, so the
    /// cells are located three times, not three times per variable.
    fn describe(
        &self,
        columns: &[(&String, &Vec<f64>)],
        persons: usize,
    ) -> Vec<VariableDescription> {
        let mut sums: Vec<VariableMoments> = columns
            .iter()
            .map(|_| VariableMoments::new(self.occasions.len()))
            .collect();
        for pass in [Pass::Sum, Pass::Correction, Pass::Squares] {
            self.for_each_cell(|row, occasion, before| {
                for ((_, values), moments) in columns.iter().zip(&mut sums) {
                    let observed = |row: usize| values.get(row).copied().filter(|v| !v.is_nan());
                    let Some(x) = observed(row) else { continue };
                    moments.at[occasion].add(pass, x);
                    moments.all.add(pass, x);
                    if let Some(b) = before.and_then(observed) {
                        moments.change[occasion].add(pass, (x - b).abs());
                    }
                }
            });
            for moments in &mut sums {
                moments.end(pass);
            }
        }
        columns
            .iter()
            .zip(sums)
            .map(|((name, _), moments)| self.variable(name, &moments, persons))
            .collect()
    }

    fn variable(
        &self,
        name: &str,
        moments: &VariableMoments,
        persons: usize,
    ) -> VariableDescription {
        let VariableMoments { at, change, all } = moments;
        let occasions: Vec<OccasionStats> = self
            .occasions
            .iter()
            .zip(at.iter().zip(change.iter()))
            .map(|(&time, (values, changes))| {
                let (mean, sd) = values.mean_sd();
                let (change_mean, change_sd) = changes.mean_sd();
                let missing = persons.saturating_sub(values.n);
                OccasionStats {
                    time,
                    n: values.n,
                    mean,
                    sd,
                    missing,
                    missing_percent: percent(missing, persons),
                    change_n: changes.n,
                    change_mean,
                    change_sd,
                }
            })
            .collect();
        let (mean, sd) = all.mean_sd();
        let missing = occasions.iter().map(|o| o.missing).sum();
        let cells = persons * self.occasions.len();
        VariableDescription {
            variable: name.to_string(),
            n: all.n,
            mean,
            sd,
            missing,
            missing_percent: percent(missing, cells),
            cells,
            occasions,
        }
    }
}

/// One variable's moments: per occasion, of the changes per occasion, and over all cells.
struct VariableMoments {
    at: Vec<Moments>,
    change: Vec<Moments>,
    all: Moments,
}

impl VariableMoments {
    fn new(occasions: usize) -> VariableMoments {
        VariableMoments {
            at: vec![Moments::default(); occasions],
            change: vec![Moments::default(); occasions],
            all: Moments::default(),
        }
    }

    fn end(&mut self, pass: Pass) {
        let VariableMoments { at, change, all } = self;
        for moments in at.iter_mut().chain(change.iter_mut()).chain([all]) {
            moments.end(pass);
        }
    }
}

/// The three passes over the values of a mean and SD.
#[derive(Debug, Clone, Copy)]
enum Pass {
    Sum,
    Correction,
    Squares,
}

/// Mean and SD of values seen in three passes, computed as [`crate::transform::mean`] and a
/// two-pass SD compute them over a slice: the sum, then R's second-pass correction of the
/// mean, then the squared deviations from the corrected mean.
#[derive(Debug, Clone, Copy, Default)]
struct Moments {
    n: usize,
    sum: f64,
    /// The sum's mean after the first pass; the corrected mean after the second.
    mean: f64,
    correction: f64,
    squares: f64,
}

impl Moments {
    fn add(&mut self, pass: Pass, x: f64) {
        match pass {
            Pass::Sum => {
                self.n += 1;
                self.sum += x;
            }
            Pass::Correction => self.correction += x - self.mean,
            Pass::Squares => self.squares += (x - self.mean).powi(2),
        }
    }

    /// Ends a pass: the next one needs the mean so far.
    fn end(&mut self, pass: Pass) {
        let n = self.n as f64;
        match pass {
            Pass::Sum => self.mean = self.sum / n,
            Pass::Correction => self.mean += self.correction / n,
            Pass::Squares => {}
        }
    }

    /// Mean (None when empty) and SD with denominator n - 1 (None when n < 2).
    fn mean_sd(&self) -> (Option<f64>, Option<f64>) {
        match self.n {
            0 => (None, None),
            1 => (Some(self.mean), None),
            n => (
                Some(self.mean),
                Some((self.squares / (n - 1) as f64).sqrt()),
            ),
        }
    }
}

/// (row, person, occasion) of every one of the first `rows` rows with a person and a time
/// among `occasions`, in row order.
fn located<'a>(
    panel: &'a Panel,
    times: &'a [f64],
    occasions: &'a [f64],
    rows: usize,
) -> impl Iterator<Item = (usize, usize, usize)> + 'a {
    // Rows come in runs of one time (sorted by person within time) or step through the
    // occasions one by one (sorted by time within person): the occasion of the row before and
    // the one after it are tried before a search.
    let mut last: Option<(f64, usize)> = None;
    (0..rows).filter_map(move |row| {
        let person = person_of(panel, row)?;
        // Adding 0 turns -0 into 0, so the two are one occasion.
        let t = times.get(row).copied().unwrap_or(f64::NAN) + 0.0;
        if t.is_nan() {
            return None;
        }
        let occasion = match last {
            Some((lt, o)) if lt == t => o,
            // The next occasion, when the search would find it too: equal to t, and the one
            // before it outside the search's tolerance.
            Some((_, o))
                if occasions.get(o + 1) == Some(&t)
                    && occasions[o] < t - OCCASION_TOLERANCE * t.abs().max(1.0) =>
            {
                o + 1
            }
            _ => find_occasion(occasions, t)?,
        };
        last = Some((t, occasion));
        Some((row, person, occasion))
    })
}

/// Relative tolerance when a time is looked up among the occasions.
const OCCASION_TOLERANCE: f64 = 1e-9;

/// Index of the occasion equal to `t`, allowing for rounding in `t - 1` of fractional times.
fn find_occasion(occasions: &[f64], t: f64) -> Option<usize> {
    let tolerance = OCCASION_TOLERANCE * t.abs().max(1.0);
    let i = occasions.partition_point(|&o| o < t - tolerance);
    occasions
        .get(i)
        .filter(|&&o| (o - t).abs() <= tolerance)
        .map(|_| i)
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests;
