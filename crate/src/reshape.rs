//! Wide to long: one row per person with `spin_1 ... spin_11` -> one row per person and
//! occasion with a `spin` column and an occasion column holding the number (what R's
//! `reshape(direction = "long")` and tidyr's `pivot_longer(names_pattern = ...)` do).
//!
//! Works on the raw [`Table`] of any reader (CSV, Excel, SPSS), so cells are copied as
//! written and the long table is typed afterwards exactly as a long file would be. Pure: the
//! long table comes back as a [`Table`] (and as CSV text through [`write_csv`]). A workbook's
//! or SPSS file's typed cells are reshaped as they are ([`reshape_cells`]: numbers stay
//! numbers, SPSS factors keep their levels in code order), by the same plan ([`WideTable`]);
//! [`long_labels`] carries SPSS variable labels over to the long columns.
//!
//! Which columns are repeated measures ([`names`]): `stub<sep><number>` (`spin_1`; `spin1` with an
//! empty separator; `spin.w1`, a suffix whose numeric part is the occasion), or whatever a
//! user's pattern with the named groups `stub` and `occasion` matches (`spin3_w2`: item 3 in
//! week 2 needs one, since either number could be the occasion). Every other column is
//! carried to each of the person's rows. A person's occasion is written when any stub has an
//! answer there; rows where every stub is missing are kept only when asked.

mod cells;
mod frame;
mod labels;
mod names;
#[cfg(test)]
mod tests;
mod write;

pub use cells::reshape_cells;
pub use frame::{long_from_cells, long_from_csv, LongData};
pub use labels::{long_labels, ColumnLabel};
pub use names::{detect_wide, detect_wide_frame, WideGuess};
pub use write::write_csv;

use crate::csv::{RawColumn, RowLines, Table};
use crate::frame::format_number;
use names::Layout;
use serde::Serialize;
use std::fmt;

/// What to reshape and how.
#[derive(Debug, Clone, PartialEq)]
pub struct ReshapeOptions {
    /// The person column (carried to every row; must not repeat).
    pub id: String,
    /// The name of the new occasion column.
    pub time: String,
    /// Between stub and occasion (`_` by default; may be empty or `.`).
    pub sep: String,
    /// The stubs; None detects them (stubs with two or more occasions).
    pub stubs: Option<Vec<String>>,
    /// A regular expression with named groups `stub` and `occasion`, matched to whole names.
    pub pattern: Option<String>,
    /// Keep occasions where every stub is missing.
    pub keep_empty: bool,
}

impl ReshapeOptions {
    /// The defaults for `id` and the occasion column `time`: `_`, detected stubs.
    pub fn new(id: &str, time: &str) -> ReshapeOptions {
        ReshapeOptions {
            id: id.to_string(),
            time: time.to_string(),
            sep: "_".to_string(),
            stubs: None,
            pattern: None,
            keep_empty: false,
        }
    }
}

/// The long table and what was done.
#[derive(Debug, Clone)]
pub struct Reshaped {
    /// id, occasion, the carried columns, then one column per stub.
    pub table: Table,
    /// What became of the columns, for the user.
    pub summary: ReshapeSummary,
}

/// What the reshape did, in numbers and warnings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReshapeSummary {
    /// The stubs (new long columns) with the wide columns each came from.
    pub stubs: Vec<StubSummary>,
    /// Columns carried to every row (person-level).
    pub carried: Vec<String>,
    /// The occasions, sorted.
    pub occasions: Vec<f64>,
    /// Persons (wide rows) and long rows written.
    pub persons: usize,
    pub rows: usize,
    /// Occasions dropped because every stub was missing there.
    pub empty_rows_dropped: usize,
    /// Things to check (names with two numbers carried as person-level columns).
    pub warnings: Vec<String>,
}

/// One stub and its wide columns, by occasion.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StubSummary {
    pub stub: String,
    pub columns: Vec<String>,
    /// The occasion of each of `columns`.
    pub occasions: Vec<f64>,
}

/// What can go wrong reshaping.
#[derive(Debug, Clone, PartialEq)]
pub enum ReshapeError {
    /// The id column does not exist.
    UnknownId {
        name: String,
        suggestion: Option<String>,
    },
    /// A person's id is missing or appears twice.
    MissingId { column: String, line: u32 },
    RepeatedId {
        column: String,
        id: String,
        first_line: u32,
        second_line: u32,
    },
    /// The occasion column's name is empty or already used.
    BadTimeName { name: String },
    /// A given stub has no columns `stub<sep><number>`.
    UnknownStub { stub: String, sep: String },
    /// No repeated-measures columns at all.
    NoStubs { sep: String },
    /// Two columns give the same stub and occasion.
    DuplicateOccasion {
        stub: String,
        occasion: f64,
        first: String,
        second: String,
    },
    /// The pattern is not a valid regular expression, lacks a named group, or matched an
    /// occasion that is not a number.
    BadPattern { pattern: String, reason: String },
    /// The long table would hold more than [`MAX_LONG_CELLS`] cells (every person-level
    /// column is repeated on each of a person's rows).
    TooLarge { rows: usize, columns: usize },
}

/// The most cells a long table may hold: every carried column is copied to each occasion, so
/// a wide file far below the readers' limits can ask for billions of cells; checked before the
/// long table is allocated.
pub const MAX_LONG_CELLS: usize = 50_000_000;

impl fmt::Display for ReshapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ReshapeError as E;
        match self {
            E::UnknownId {
                name,
                suggestion: Some(s),
            } => write!(
                f,
                "there is no column \"{name}\" for the person id; did you mean \"{s}\"?"
            ),
            E::UnknownId { name, .. } => {
                write!(f, "there is no column \"{name}\" for the person id")
            }
            E::MissingId { column, line } => write!(
                f,
                "line {line}: the person id (\"{column}\") is empty; every row of a wide file \
                 is one person and needs an id"
            ),
            E::RepeatedId {
                column,
                id,
                first_line,
                second_line,
            } => write!(
                f,
                "line {second_line}: person \"{id}\" (column \"{column}\") appears again (first \
                 on line {first_line}); a wide file has one row per person; if the file is \
                 already long (one row per occasion), it needs no reshaping"
            ),
            E::BadTimeName { name } if name.trim().is_empty() => {
                write!(f, "the occasion column needs a name (--time NAME)")
            }
            E::BadTimeName { name } => write!(
                f,
                "the occasion column \"{name}\" would clash with a column of the same name; \
                 choose another --time name"
            ),
            E::UnknownStub { stub, sep } => write!(
                f,
                "no columns are named \"{stub}{sep}<number>\" (for example \"{stub}{sep}1\"); \
                 check the stub and the separator (--sep)"
            ),
            E::NoStubs { sep } => write!(
                f,
                "no repeated-measures columns found: expected names such as \"spin{sep}1\", \
                 \"spin{sep}2\" (a stub, the separator \"{sep}\", a number); set --sep, \
                 --stubs or --pattern"
            ),
            E::DuplicateOccasion {
                stub,
                occasion,
                first,
                second,
            } => write!(
                f,
                "columns \"{first}\" and \"{second}\" are both {stub} at occasion {}; rename \
                 one of them",
                format_number(*occasion)
            ),
            E::BadPattern { pattern, reason } => {
                write!(f, "the pattern \"{pattern}\" cannot be used: {reason}")
            }
            E::TooLarge { rows, columns } => write!(
                f,
                "the long table would have {rows} rows × {columns} columns, more than the \
                 {MAX_LONG_CELLS} cells lagmix reshapes at once; reshape fewer stubs (--stubs) \
                 or leave out person-level columns you do not need"
            ),
        }
    }
}

impl std::error::Error for ReshapeError {}

/// What the reshape reads of a wide table, whichever reader made it: the CSV reader's text
/// [`Table`] or a workbook's or SPSS file's typed [`CellTable`](crate::frame::CellTable). The
/// plan (which cells go to which long row) is made from this alone, so every format is
/// reshaped by the same rules.
pub trait WideTable {
    /// The column names, in file order.
    fn names(&self) -> &[String];
    /// The number of wide rows (persons).
    fn nrows(&self) -> usize;
    /// The row's line (or spreadsheet row) in the file, for messages.
    fn line(&self, row: usize) -> u32;
    /// True when the cell is missing (empty, `NA`, `NaN`, `.`, or a missing code).
    fn is_missing(&self, column: usize, row: usize) -> bool;
    /// The cell as text, to tell persons apart and name them in messages.
    fn text(&self, column: usize, row: usize) -> std::borrow::Cow<'_, str>;
}

impl WideTable for Table {
    fn names(&self) -> &[String] {
        &self.names
    }
    fn nrows(&self) -> usize {
        Table::nrows(self)
    }
    fn line(&self, row: usize) -> u32 {
        self.row_lines.get(row).unwrap_or(0)
    }
    fn is_missing(&self, column: usize, row: usize) -> bool {
        is_missing(self.columns[column].get(row))
    }
    fn text(&self, column: usize, row: usize) -> std::borrow::Cow<'_, str> {
        self.columns[column].get(row).trim().into()
    }
}

/// Which wide cell goes where: the long columns by the wide column they take at each occasion,
/// and the long rows as (wide row, occasion index).
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// The long column names: id, occasion, carried, stubs.
    pub names: Vec<String>,
    /// Per long column except the occasion (index 1): the wide column at each occasion.
    pub sources: Vec<Vec<Option<usize>>>,
    /// The long rows: the wide row and the occasion index.
    pub rows: Vec<(usize, usize)>,
    pub occasions: Vec<f64>,
    pub summary: ReshapeSummary,
}

/// Plans the reshape of any wide table. Errors: see [`ReshapeError`].
pub(crate) fn plan(table: &impl WideTable, options: &ReshapeOptions) -> Result<Plan, ReshapeError> {
    let names = table.names();
    let id =
        names
            .iter()
            .position(|n| n == &options.id)
            .ok_or_else(|| ReshapeError::UnknownId {
                name: options.id.clone(),
                suggestion: crate::frame::suggest(&options.id, names),
            })?;
    check_ids(table, id, &options.id)?;
    let layout = Layout::new(names, Some(id), options)?;
    let time = options.time.trim();
    let taken = |name: &str| name == time;
    if time.is_empty()
        || taken(&names[id])
        || layout.carried.iter().any(|&c| taken(&names[c]))
        || layout.stubs.iter().any(|s| taken(&s.name))
    {
        return Err(ReshapeError::BadTimeName {
            name: options.time.clone(),
        });
    }
    let plan = make_plan(table, id, time, &layout, options.keep_empty);
    if plan.rows.len().saturating_mul(plan.names.len()) > MAX_LONG_CELLS {
        return Err(ReshapeError::TooLarge {
            rows: plan.rows.len(),
            columns: plan.names.len(),
        });
    }
    Ok(plan)
}

/// Reshapes a wide text table (a CSV file) to long. Errors: see [`ReshapeError`].
pub fn reshape(table: &Table, options: &ReshapeOptions) -> Result<Reshaped, ReshapeError> {
    let plan = plan(table, options)?;
    let occasion_text: Vec<String> = plan.occasions.iter().map(|&o| format_number(o)).collect();
    let mut columns = vec![RawColumn::new(); plan.names.len()];
    for (k, column) in columns.iter_mut().enumerate() {
        for &(row, o) in &plan.rows {
            match k {
                1 => column.push(&occasion_text[o]),
                _ => match plan.source(k, o) {
                    Some(c) => column.push(table.columns[c].get(row)),
                    None => column.push(""),
                },
            }
        }
    }
    let row_lines = plan.row_lines(table);
    Ok(Reshaped {
        table: Table {
            names: plan.names,
            columns,
            row_lines,
            delimiter: table.delimiter,
        },
        summary: plan.summary,
    })
}

impl Plan {
    /// The wide column long column `k` (not the occasion) takes at occasion index `o`.
    pub fn source(&self, k: usize, o: usize) -> Option<usize> {
        let sources = if k == 0 {
            &self.sources[0]
        } else {
            &self.sources[k - 1]
        };
        sources.get(o).copied().flatten()
    }

    /// The wide file's line of every long row.
    pub fn row_lines(&self, table: &impl WideTable) -> RowLines {
        let mut lines = RowLines::default();
        for &(row, _) in &self.rows {
            lines.push(table.line(row));
        }
        lines
    }
}

/// Errors for a missing or repeated id.
fn check_ids(table: &impl WideTable, id: usize, name: &str) -> Result<(), ReshapeError> {
    let mut seen = std::collections::HashMap::new();
    for row in 0..table.nrows() {
        if table.is_missing(id, row) {
            return Err(ReshapeError::MissingId {
                column: name.to_string(),
                line: table.line(row),
            });
        }
        if let Some(first) = seen.insert(table.text(id, row), row) {
            return Err(ReshapeError::RepeatedId {
                column: name.to_string(),
                id: table.text(id, row).into_owned(),
                first_line: table.line(first),
                second_line: table.line(row),
            });
        }
    }
    Ok(())
}

/// A missing cell as the frame reads it (empty, `NA`, `NaN`, `.`).
fn is_missing(cell: &str) -> bool {
    let cell = cell.trim();
    cell.is_empty() || cell == "NA" || cell == "." || cell.eq_ignore_ascii_case("nan")
}

fn make_plan(
    table: &impl WideTable,
    id: usize,
    time: &str,
    layout: &Layout,
    keep_empty: bool,
) -> Plan {
    let names = table.names();
    let n = layout.occasions.len();
    let mut long_names = vec![names[id].clone(), time.to_string()];
    long_names.extend(layout.carried.iter().map(|&c| names[c].clone()));
    long_names.extend(layout.stubs.iter().map(|s| s.name.clone()));
    let mut sources = vec![vec![Some(id); n]];
    sources.extend(layout.carried.iter().map(|&c| vec![Some(c); n]));
    sources.extend(layout.stubs.iter().map(|s| s.columns.clone()));
    let mut rows = Vec::new();
    let mut dropped = 0;
    for row in 0..table.nrows() {
        for o in 0..n {
            let empty = layout
                .stubs
                .iter()
                .all(|s| s.columns[o].is_none_or(|c| table.is_missing(c, row)));
            if empty && !keep_empty {
                dropped += 1;
            } else {
                rows.push((row, o));
            }
        }
    }
    let summary = ReshapeSummary {
        stubs: layout
            .stubs
            .iter()
            .map(|s| s.summary(names, &layout.occasions))
            .collect(),
        carried: layout.carried.iter().map(|&c| names[c].clone()).collect(),
        occasions: layout.occasions.clone(),
        persons: table.nrows(),
        rows: rows.len(),
        empty_rows_dropped: dropped,
        warnings: layout.warnings.clone(),
    };
    Plan {
        names: long_names,
        sources,
        rows,
        occasions: layout.occasions.clone(),
        summary,
    }
}
