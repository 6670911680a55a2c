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

mod summary;

pub use summary::{column_info, panel_summary, ColumnInfo, ColumnKind, PanelSummary};

use crate::frame::{Column, Frame, Panel};
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
        variables: columns
            .into_iter()
            .map(|(name, values)| cells.describe(name, values, panel.persons.len()))
            .collect(),
    })
}

/// The design's cells: which rows hold which (person, occasion).
struct Cells {
    occasions: Vec<f64>,
    /// Occasion of each occasion's predecessor (t - 1 time units), if that is an occasion.
    previous: Vec<Option<usize>>,
    /// (row, person, occasion) of every row with a person and a time, first row of a cell only.
    rows: Vec<(usize, usize, usize)>,
    /// Row of each (person, occasion).
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

    /// Records `row` for the cell unless it has one; true when it was recorded.
    fn insert(&mut self, person: usize, occasion: usize, row: usize) -> bool {
        match self {
            CellIndex::Grid { occasions, rows } => {
                match rows.get_mut(person * *occasions + occasion) {
                    Some(slot) if *slot == Self::EMPTY => {
                        *slot = row as u32;
                        true
                    }
                    _ => false,
                }
            }
            CellIndex::Map(map) => match map.entry((person, occasion)) {
                std::collections::hash_map::Entry::Vacant(cell) => {
                    cell.insert(row);
                    true
                }
                std::collections::hash_map::Entry::Occupied(_) => false,
            },
        }
    }
}

/// The distinct non-missing times of the panel (of rows with a person, when `with_person`),
/// sorted; -0 counts as 0.
pub(crate) fn distinct_times(panel: &Panel, with_person: bool) -> Vec<f64> {
    // Occasions are few; the data are often sorted by time within person, so checking the last
    // time seen first makes this one cheap pass.
    let mut seen: std::collections::HashSet<u64> = std::collections::HashSet::new();
    let mut last = f64::NAN;
    for (row, &t) in panel.time.iter().enumerate() {
        let t = t + 0.0;
        if !t.is_nan() && t != last && (!with_person || person_of(panel, row).is_some()) {
            seen.insert(t.to_bits());
            last = t;
        }
    }
    let mut occasions: Vec<f64> = seen.into_iter().map(f64::from_bits).collect();
    occasions.sort_by(f64::total_cmp);
    occasions
}

impl Cells {
    fn new(frame: &Frame, panel: &Panel) -> Cells {
        let occasions = distinct_times(panel, true);
        let previous = occasions
            .iter()
            .map(|&t| find_occasion(&occasions, t - 1.0))
            .collect();
        let mut rows = Vec::with_capacity(frame.nrows());
        let mut row_of = CellIndex::new(panel.persons.len(), occasions.len(), frame.nrows());
        let mut last: Option<(f64, usize)> = None;
        for row in 0..frame.nrows() {
            let Some(person) = person_of(panel, row) else {
                continue;
            };
            // Adding 0 turns -0 into 0, so the two are one occasion.
            let t = panel.time.get(row).copied().unwrap_or(f64::NAN) + 0.0;
            if t.is_nan() {
                continue;
            }
            let occasion = match last {
                Some((lt, o)) if lt == t => o,
                _ => match find_occasion(&occasions, t) {
                    Some(o) => o,
                    None => continue,
                },
            };
            last = Some((t, occasion));
            // Panel::new refuses a repeated (person, time); were one here, its first row counts.
            if row_of.insert(person, occasion, row) {
                rows.push((row, person, occasion));
            }
        }
        Cells {
            occasions,
            previous,
            rows,
            row_of,
        }
    }

    fn describe(&self, name: &str, values: &[f64], persons: usize) -> VariableDescription {
        let observed = |row: usize| values.get(row).copied().filter(|v| !v.is_nan());
        let mut at = vec![Vec::new(); self.occasions.len()];
        let mut change = vec![Vec::new(); self.occasions.len()];
        let mut all = Vec::new();
        for &(row, person, occasion) in &self.rows {
            let Some(x) = observed(row) else { continue };
            at[occasion].push(x);
            all.push(x);
            let before = self.previous[occasion]
                .and_then(|p| self.row_of.get(person, p))
                .and_then(observed);
            if let Some(before) = before {
                change[occasion].push((x - before).abs());
            }
        }
        let occasions: Vec<OccasionStats> = self
            .occasions
            .iter()
            .zip(at.iter().zip(&change))
            .map(|(&time, (values, changes))| {
                let (mean, sd) = mean_sd(values);
                let (change_mean, change_sd) = mean_sd(changes);
                let missing = persons.saturating_sub(values.len());
                OccasionStats {
                    time,
                    n: values.len(),
                    mean,
                    sd,
                    missing,
                    missing_percent: percent(missing, persons),
                    change_n: changes.len(),
                    change_mean,
                    change_sd,
                }
            })
            .collect();
        let (mean, sd) = mean_sd(&all);
        let missing = occasions.iter().map(|o| o.missing).sum();
        let cells = persons * self.occasions.len();
        VariableDescription {
            variable: name.to_string(),
            n: all.len(),
            mean,
            sd,
            missing,
            missing_percent: percent(missing, cells),
            cells,
            occasions,
        }
    }
}

/// Index of the occasion equal to `t`, allowing for rounding in `t - 1` of fractional times.
fn find_occasion(occasions: &[f64], t: f64) -> Option<usize> {
    let tolerance = 1e-9 * t.abs().max(1.0);
    let i = occasions.partition_point(|&o| o < t - tolerance);
    occasions
        .get(i)
        .filter(|&&o| (o - t).abs() <= tolerance)
        .map(|_| i)
}

/// Mean (None when empty) and SD with denominator n - 1 (None when n < 2), two-pass.
fn mean_sd(values: &[f64]) -> (Option<f64>, Option<f64>) {
    let n = values.len();
    if n == 0 {
        return (None, None);
    }
    let mean = crate::transform::mean(values.iter().copied());
    if n < 2 {
        return (Some(mean), None);
    }
    let squares: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
    (Some(mean), Some((squares / (n - 1) as f64).sqrt()))
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
