//! CSV bytes -> [`Table`] of raw text columns, read in one pass (see [`CsvReader`] for
//! chunked input).
//!
//! What is computed: the header names, one raw (unquoted, untrimmed) text cell per column and
//! data row, the 1-based physical line where each row starts, and the delimiter. The later
//! stages type the cells; this stage only finds them and says clearly when the bytes are not a
//! CSV file it can read.
//!
//! The records themselves are parsed by csv-core (`csv_core::Reader`, quoting and `""`
//! escapes on): fields in double quotes may contain the delimiter, `""` and line breaks, and
//! `\r`, `\n` and `\r\n` all end a record. Around csv-core this module adds what it does not
//! do: the encoding checks (UTF-8 validation, UTF-16, NUL bytes, spreadsheet signatures),
//! delimiter detection from the header line, skipping a UTF-8 byte-order mark, physical line
//! numbers, blank lines, and the line and column where an unclosed quote opened.
//!
//! The first non-blank line is the header; every later non-blank line is a data row. Every row
//! remembers the physical line on which it starts, so that later stages can say "line 14" and
//! the researcher finds the row in a text editor even when a quoted field spans several lines.
//!
//! Cells are stored back to back in one `String` per column with their end offsets (no
//! allocation per cell), so a file takes about its own size plus 8 bytes per cell in memory.
//!
//! Blank lines are skipped: empty lines (csv-core drops them) and lines holding only spaces or
//! tabs with no quotes. A single-column file must therefore write a missing value as `NA` or
//! `""`, not as a blank line.

mod detect;
mod error;
mod parse;
mod reader;
#[cfg(test)]
mod tests;

pub use error::CsvError;
mod lines;

pub use lines::RowLines;
pub(crate) use reader::reserve_total;
pub use reader::{CsvReader, Record, RowSink, Shape};

/// How to read the bytes.
#[derive(Debug, Clone, Default)]
pub struct CsvOptions {
    /// Field delimiter; `None` detects it among `,` `;` and tab from the header line.
    pub delimiter: Option<u8>,
}

/// One column's raw cells, stored compactly: all cell texts back to back.
#[derive(Debug, Clone, Default)]
pub struct RawColumn {
    text: String,
    ends: Vec<usize>,
}

impl RawColumn {
    /// An empty column.
    pub fn new() -> RawColumn {
        RawColumn::default()
    }
    /// A column holding `cells` in order (handy for building test data).
    pub fn from_cells<'a>(cells: impl IntoIterator<Item = &'a str>) -> RawColumn {
        let mut column = RawColumn::new();
        for cell in cells {
            column.push(cell);
        }
        column
    }
    /// Appends one cell.
    pub fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends.push(self.text.len());
    }
    /// The raw (unquoted) text of `row`. Panics if `row >= self.len()`.
    pub fn get(&self, row: usize) -> &str {
        let start = if row == 0 { 0 } else { self.ends[row - 1] };
        &self.text[start..self.ends[row]]
    }
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    /// True when the column has no cells.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    /// The cells in row order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(start, end)| self.text.get(start..end).unwrap_or(""))
    }
}

/// The file as read: header names and one raw column per header field.
#[derive(Debug, Clone)]
pub struct Table {
    /// Column names from the header line, surrounding whitespace trimmed.
    pub names: Vec<String>,
    /// One raw column per name, each with one cell per data row.
    pub columns: Vec<RawColumn>,
    /// 1-based physical line number where each data row starts (for error messages).
    pub row_lines: RowLines,
    /// The delimiter used (given or detected).
    pub delimiter: u8,
}

impl Table {
    /// Number of data rows.
    pub fn nrows(&self) -> usize {
        self.row_lines.len()
    }
}

/// Reads CSV bytes into a [`Table`]. Errors: empty file, header without data rows, ragged row,
/// unclosed quote, invalid UTF-8, UTF-16, binary data, duplicate or empty column names (see
/// [`CsvError`]); each names the line and column.
pub fn read_csv(bytes: &[u8], options: &CsvOptions) -> Result<Table, CsvError> {
    let mut reader = CsvReader::new(options);
    let mut sink = TableSink::default();
    reader.push(bytes, &mut sink);
    let shape = reader.finish(&mut sink)?;
    Ok(Table {
        names: shape.names,
        columns: sink.columns,
        row_lines: shape.row_lines,
        delimiter: shape.delimiter,
    })
}

/// Keeps every cell as text.
#[derive(Default)]
struct TableSink {
    columns: Vec<RawColumn>,
}

impl RowSink for TableSink {
    fn header(&mut self, names: &[String], _delimiter: u8) {
        self.columns = vec![RawColumn::new(); names.len()];
    }
    fn row(&mut self, record: &Record<'_>) {
        for (i, column) in self.columns.iter_mut().enumerate() {
            column.push(record.get(i));
        }
    }
}

/// Errors for empty names among the named columns and for duplicate names.
fn check_names(names: &[String]) -> Result<(), CsvError> {
    let mut seen = std::collections::HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            return Err(CsvError::EmptyName { column: i + 1 });
        }
        if let Some(first) = seen.insert(name.as_str(), i + 1) {
            return Err(CsvError::DuplicateName {
                name: name.clone(),
                first,
                second: i + 1,
            });
        }
    }
    Ok(())
}
