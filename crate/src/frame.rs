//! Typed columns, missing values and factors ([`Frame`]); the panel of persons and occasions
//! ([`Panel`]).
//!
//! A column is numeric when every non-missing cell reads as a number, as in R's `read.csv`;
//! otherwise it is a factor whose levels are sorted as R sorts strings, so that reference
//! levels and coefficient names come out as lme4 prints them.
//!
//! Missing cells: empty or blank, `NA`, `NaN` (any case), `.` (SPSS and Stata), and the user's
//! codes from [`ReadOptions::na`], compared as text and, when both are numbers, as numbers
//! (`-99` also matches `-99.0` and `-99,0`). Cells are trimmed of surrounding whitespace.
//!
//! Columns are typed while the file streams past ([`FrameBuilder`], which also takes the file in
//! chunks): the frame holds 8 bytes per numeric cell and 4 per text cell, never the file's text.
//!
//! Numbers are read with Rust's `f64` parser (leading `+`, scientific notation); in
//! semicolon-separated files a decimal comma (`1,5`) is accepted too, as European Excel writes
//! it. Infinite values are an error: a model cannot use them and they are almost always a
//! spreadsheet artefact.

mod build;
mod cells;
mod distinct;
mod error;
mod number;
mod panel;
#[cfg(test)]
mod tests;
mod transfer;
mod typed;

pub use build::FrameBuilder;
pub use cells::compare_levels;
pub(crate) use distinct::distinct_sorted;
pub use error::{format_number, DataError};
pub use transfer::{decode_table, encode_table, TransferError};
pub use typed::{Cell, CellTable, SourceColumn};

use crate::csv::{CsvOptions, RowLines};

/// Bytes handed to the [`FrameBuilder`] at a time by [`Frame::from_csv`].
const CHUNK: usize = 1 << 16;

/// Code of a missing cell in a [`TextColumn`].
pub const MISSING_CODE: u32 = u32::MAX;

/// Options for turning bytes into a frame.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// How to split the bytes into cells.
    pub csv: CsvOptions,
    /// Extra missing-value codes given by the user (`--na -99,999`), compared as text and,
    /// for numeric columns, as numbers.
    pub na: Vec<String>,
}

/// A text column as an R factor: codes into `levels`, levels sorted as R sorts them
/// (see [`compare_levels`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TextColumn {
    /// Level index of each row; [`MISSING_CODE`] for a missing cell.
    pub codes: Vec<u32>,
    /// The distinct non-missing cell texts, trimmed, in R's order.
    pub levels: Vec<String>,
}

/// A typed column. Missing numeric cells are NaN.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Numeric(Vec<f64>),
    Text(TextColumn),
}

/// The data set: named typed columns of equal length.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Column names from the header.
    pub names: Vec<String>,
    /// One typed column per name.
    pub columns: Vec<Column>,
    /// 1-based physical line number of each row in the file.
    pub row_lines: RowLines,
    /// The delimiter the file was read with.
    pub delimiter: u8,
    /// True when some numeric cell was written with a decimal comma.
    pub decimal_comma: bool,
}

impl Frame {
    /// Reads and types a CSV file. Errors: any [`crate::csv::CsvError`] (wrapped), and
    /// [`DataError::InfiniteValue`] for `Inf` in an otherwise numeric column.
    pub fn from_csv(bytes: &[u8], options: &ReadOptions) -> Result<Frame, DataError> {
        let mut builder = FrameBuilder::new(options);
        builder.expect_bytes(bytes.len() as u64);
        // In pieces, so that the columns are sized after the first rows (see expect_bytes).
        for chunk in bytes.chunks(CHUNK) {
            builder.push(chunk);
        }
        builder.finish()
    }

    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.row_lines.len()
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.names
            .iter()
            .position(|n| n == name)
            .and_then(|i| self.columns.get(i))
    }

    /// Index of the column called `name`. Errors: [`DataError::UnknownColumn`] with the nearest
    /// existing name as a suggestion.
    pub fn column_index(&self, name: &str) -> Result<usize, DataError> {
        self.names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| DataError::UnknownColumn {
                name: name.to_string(),
                suggestion: suggest(name, &self.names),
            })
    }

    /// The values of numeric column `name` (NaN = missing). Errors: unknown column, or
    /// [`DataError::NotNumeric`] naming the first row whose cell is not a number.
    pub fn numeric(&self, name: &str) -> Result<&[f64], DataError> {
        let index = self.column_index(name)?;
        match self.columns.get(index) {
            Some(Column::Numeric(values)) => Ok(values),
            Some(Column::Text(text)) => {
                let (line, value) = self.first_non_numeric(text);
                Err(DataError::NotNumeric {
                    column: name.to_string(),
                    line,
                    value,
                })
            }
            None => Err(DataError::UnknownColumn {
                name: name.to_string(),
                suggestion: None,
            }),
        }
    }

    /// Line and text of the first cell of a text column that is not a number (the reason the
    /// column is text).
    fn first_non_numeric(&self, text: &TextColumn) -> (u32, String) {
        let comma = self.delimiter == b';';
        let bad_level = |code: u32| {
            text.levels
                .get(code as usize)
                .filter(|level| cells::parse_number(level, comma).is_none())
        };
        text.codes
            .iter()
            .zip(self.row_lines.iter())
            .find_map(|(&code, line)| bad_level(code).map(|level| (line, level.clone())))
            .unwrap_or((0, String::new()))
    }
}

/// The candidate nearest to `name`, to suggest after a typo: a case-insensitive match first,
/// then the smallest edit distance (case-insensitive) if it is at most a third of the name's
/// length (at least 1), then a candidate that starts with `name` (3 or more characters).
pub fn suggest<S: AsRef<str>>(name: &str, candidates: &[S]) -> Option<String> {
    let lower = name.to_lowercase();
    let names = || candidates.iter().map(AsRef::as_ref);
    if let Some(exact) = names().find(|c| c.to_lowercase() == lower) {
        return Some(exact.to_string());
    }
    let limit = (lower.chars().count() / 3).max(1);
    let nearest = names()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d);
    if let Some((_, c)) = nearest {
        return Some(c.to_string());
    }
    if lower.chars().count() >= 3 {
        return names()
            .find(|c| c.to_lowercase().starts_with(&lower))
            .map(str::to_string);
    }
    None
}

/// Edit distance between two strings in characters, counting a swap of two neighbours as one
/// edit (optimal string alignment): "weke" is one typo away from "week".
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    // d[i * width + j]: distance between the first i chars of a and the first j of b.
    let mut d: Vec<usize> = vec![0; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        if let Some(first) = row.first_mut() {
            *first = i;
        }
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let same = a[i - 1] == b[j - 1];
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + usize::from(!same));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d.last().copied().unwrap_or(0)
}

/// Persons and occasions: which person each row belongs to and at which time.
///
/// The times are not copied: [`Panel::time`] reads them from the frame's time column.
///
/// Persons are sorted as R sorts the levels of `factor(id)` (numbers numerically, text by
/// [`compare_levels`]), so random effects come out in the order lme4 prints them.
#[derive(Debug, Clone)]
pub struct Panel {
    /// The id column's name, if any.
    pub id_name: Option<String>,
    /// The time column's name, if any.
    pub time_name: Option<String>,
    /// Person index of each row (`MISSING_CODE` when the id cell is missing); empty without id.
    pub person: Vec<u32>,
    /// Person labels, indexed by `person`.
    pub persons: Vec<String>,
}
