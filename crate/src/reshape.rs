//! Wide to long: one row per person with `spin_1 ... spin_11` -> one row per person and
//! occasion with a `spin` column and an occasion column holding the number (what R's
//! `reshape(direction = "long")` and tidyr's `pivot_longer(names_pattern = ...)` do).
//!
//! Works on the raw [`Table`] of any reader (CSV, Excel, SPSS), so cells are copied as
//! written and the long table is typed afterwards exactly as a long file would be. Pure: the
//! long table comes back as a [`Table`] (and as CSV text through [`write_csv`]).
//!
//! Which columns are repeated measures ([`names`]): `stub<sep><number>` (`spin_1`; `spin1` with an
//! empty separator; `spin.w1`, a suffix whose numeric part is the occasion), or whatever a
//! user's pattern with the named groups `stub` and `occasion` matches (`spin3_w2`: item 3 in
//! week 2 needs one, since either number could be the occasion). Every other column is
//! carried to each of the person's rows. A person's occasion is written when any stub has an
//! answer there; rows where every stub is missing are kept only when asked.

mod names;
#[cfg(test)]
mod tests;
mod write;

pub use names::{detect_wide, detect_wide_frame, WideGuess};
pub use write::write_csv;

use crate::csv::{RawColumn, RowLines, Table};
use crate::frame::format_number;
use names::{Layout, Stub};
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
}

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
        }
    }
}

impl std::error::Error for ReshapeError {}

/// Reshapes a wide table to long. Errors: see [`ReshapeError`].
pub fn reshape(table: &Table, options: &ReshapeOptions) -> Result<Reshaped, ReshapeError> {
    let id = table
        .names
        .iter()
        .position(|n| n == &options.id)
        .ok_or_else(|| ReshapeError::UnknownId {
            name: options.id.clone(),
            suggestion: crate::frame::suggest(&options.id, &table.names),
        })?;
    check_ids(table, id, &options.id)?;
    let layout = Layout::new(&table.names, Some(id), options)?;
    let time = options.time.trim();
    let taken = |name: &str| name == time;
    if time.is_empty()
        || taken(&table.names[id])
        || layout.carried.iter().any(|&c| taken(&table.names[c]))
        || layout.stubs.iter().any(|s| taken(&s.name))
    {
        return Err(ReshapeError::BadTimeName {
            name: options.time.clone(),
        });
    }
    Ok(build_long(table, id, time, &layout, options.keep_empty))
}

/// Errors for a missing or repeated id.
fn check_ids(table: &Table, id: usize, name: &str) -> Result<(), ReshapeError> {
    let line = |row: usize| table.row_lines.get(row).unwrap_or(0);
    let mut seen = std::collections::HashMap::new();
    for (row, cell) in table.columns[id].iter().enumerate() {
        let cell = cell.trim();
        if is_missing(cell) {
            return Err(ReshapeError::MissingId {
                column: name.to_string(),
                line: line(row),
            });
        }
        if let Some(first) = seen.insert(cell, row) {
            return Err(ReshapeError::RepeatedId {
                column: name.to_string(),
                id: cell.to_string(),
                first_line: line(first),
                second_line: line(row),
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

fn build_long(table: &Table, id: usize, time: &str, layout: &Layout, keep_empty: bool) -> Reshaped {
    let carried: Vec<usize> = layout.carried.clone();
    let mut names = vec![table.names[id].clone(), time.to_string()];
    names.extend(carried.iter().map(|&c| table.names[c].clone()));
    names.extend(layout.stubs.iter().map(|s| s.name.clone()));
    let mut columns = vec![RawColumn::new(); names.len()];
    let mut lines = RowLines::default();
    let occasion_text: Vec<String> = layout.occasions.iter().map(|&o| format_number(o)).collect();
    let mut dropped = 0;
    for row in 0..table.nrows() {
        for (o, text) in occasion_text.iter().enumerate() {
            let cells: Vec<&str> = layout
                .stubs
                .iter()
                .map(|s| stub_cell(table, s, o, row))
                .collect();
            if !keep_empty && cells.iter().all(|c| is_missing(c)) {
                dropped += 1;
                continue;
            }
            columns[0].push(table.columns[id].get(row));
            columns[1].push(text);
            for (k, &c) in carried.iter().enumerate() {
                columns[2 + k].push(table.columns[c].get(row));
            }
            for (k, cell) in cells.into_iter().enumerate() {
                columns[2 + carried.len() + k].push(cell);
            }
            lines.push(table.row_lines.get(row).unwrap_or(0));
        }
    }
    let summary = ReshapeSummary {
        stubs: layout
            .stubs
            .iter()
            .map(|s| s.summary(&table.names))
            .collect(),
        carried: carried.iter().map(|&c| table.names[c].clone()).collect(),
        occasions: layout.occasions.clone(),
        persons: table.nrows(),
        rows: lines.len(),
        empty_rows_dropped: dropped,
        warnings: layout.warnings.clone(),
    };
    Reshaped {
        table: Table {
            names,
            columns,
            row_lines: lines,
            delimiter: table.delimiter,
        },
        summary,
    }
}

/// The stub's cell at occasion index `o` of `row`: empty when the stub has no column there.
fn stub_cell<'a>(table: &'a Table, stub: &Stub, o: usize, row: usize) -> &'a str {
    match stub.columns.get(o).copied().flatten() {
        Some(c) => table.columns[c].get(row),
        None => "",
    }
}
