//! CSV bytes -> [`Table`] of raw text columns, with csv-core.
//!
//! The first non-blank line is the header; every later non-blank line is a data row. Quoting
//! follows RFC 4180 (fields in double quotes may contain the delimiter, `""` and line breaks).
//! CRLF, LF and CR-only line endings are all accepted (csv-core's default terminator treats
//! `\r`, `\n` and `\r\n` alike), and a UTF-8 byte-order mark is skipped.
//!
//! Every row remembers the physical line on which it starts, so that later stages can say
//! "line 14" and the researcher finds the row in a text editor even when a quoted field spans
//! several lines.
//!
//! Cells are stored back to back in one `String` per column with their end offsets (no
//! allocation per cell), so a file takes about its own size plus 8 bytes per cell in memory.
//!
//! Blank lines are skipped: empty lines (csv-core drops them) and lines holding only spaces or
//! tabs with no quotes. A single-column file must therefore write a missing value as `NA` or
//! `""`, not as a blank line.

mod detect;
mod error;
#[cfg(test)]
mod tests;

pub use error::CsvError;

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

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
    pub row_lines: Vec<u32>,
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
    let body = detect::text_body(bytes)?;
    let delimiter = options
        .delimiter
        .unwrap_or_else(|| detect::detect_delimiter(body));
    let mut records = Records::new(body, delimiter);
    if !records.next_record()? {
        return Err(CsvError::Empty);
    }
    let mut names: Vec<String> = (0..records.nfields)
        .map(|i| records.field(i).trim().to_string())
        .collect();
    // Excel writes a trailing delimiter after the last column; those unnamed columns are
    // dropped at the end if they hold nothing.
    let named = names
        .iter()
        .rposition(|n| !n.is_empty())
        .map_or(0, |i| i + 1);
    if named == 0 {
        return Err(CsvError::EmptyName { column: 1 });
    }
    check_names(&names[..named])?;

    let ncols = names.len();
    let mut columns = vec![RawColumn::new(); ncols];
    let mut row_lines = Vec::new();
    while records.next_record()? {
        let found = records.nfields;
        // Rows that stop before the trailing unnamed columns are accepted, as R does.
        if found > ncols || found < named {
            return Err(CsvError::Ragged {
                line: records.start_line,
                expected: ncols,
                found,
                delimiter,
            });
        }
        for (i, column) in columns.iter_mut().enumerate() {
            column.push(if i < found { records.field(i) } else { "" });
        }
        row_lines.push(records.start_line);
    }
    if row_lines.is_empty() {
        return Err(CsvError::NoRows { columns: named });
    }
    for (i, column) in columns.iter().enumerate().skip(named) {
        if let Some(row) = column.iter().position(|c| !c.trim().is_empty()) {
            return Err(CsvError::UnnamedColumn {
                column: i + 1,
                line: row_lines.get(row).copied().unwrap_or(0),
            });
        }
    }
    names.truncate(named);
    columns.truncate(named);
    Ok(Table {
        names,
        columns,
        row_lines,
        delimiter,
    })
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

/// The parser's position in the input and the record last read (its fields as UTF-8 text).
struct Records<'a> {
    input: &'a [u8],
    delimiter: u8,
    reader: Reader,
    /// Byte offset of the next unread input byte, and the physical line it is on.
    pos: usize,
    line: u32,
    /// Unescaped field bytes of the current record and their end offsets.
    out: Vec<u8>,
    ends: Vec<usize>,
    text: String,
    nfields: usize,
    /// Byte offset and physical line where the current record starts.
    record_start: usize,
    start_line: u32,
}

impl<'a> Records<'a> {
    fn new(input: &'a [u8], delimiter: u8) -> Records<'a> {
        Records {
            input,
            delimiter,
            reader: ReaderBuilder::new().delimiter(delimiter).build(),
            pos: 0,
            line: 1,
            out: vec![0; 4096],
            ends: vec![0; 64],
            text: String::new(),
            nfields: 0,
            record_start: 0,
            start_line: 1,
        }
    }

    /// Reads the next non-blank record; `false` at the end of the input.
    fn next_record(&mut self) -> Result<bool, CsvError> {
        loop {
            if !self.read_one()? {
                return Ok(false);
            }
            let blank = self.nfields == 1 && self.field(0).trim().is_empty();
            if !blank || self.raw_record().contains(&b'"') {
                return Ok(true);
            }
        }
    }

    /// The input bytes of the current record, from its first byte.
    fn raw_record(&self) -> &[u8] {
        self.input.get(self.record_start..self.pos).unwrap_or(&[])
    }

    /// Field `i` of the current record ("" if out of range).
    fn field(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0)
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.text.get(start..end).unwrap_or("")
    }

    fn read_one(&mut self) -> Result<bool, CsvError> {
        let begin = self.pos;
        let (mut nout, mut nend) = (0usize, 0usize);
        loop {
            let input = self.input.get(self.pos..).unwrap_or(&[]);
            let out = self.out.get_mut(nout..).unwrap_or(&mut []);
            let ends = self.ends.get_mut(nend..).unwrap_or(&mut []);
            let (result, nin, o, e) = self.reader.read_record(input, out, ends);
            self.pos += nin;
            nout += o;
            nend += e;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.out.resize(self.out.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => break,
                ReadRecordResult::End => return Ok(false),
            }
        }
        // csv-core skips blank lines (and the LF of a CRLF) before a record; the record starts
        // at its first byte that is not a line break.
        let leading = self
            .input
            .get(begin..self.pos)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        self.record_start = begin + leading;
        self.start_line =
            self.line + detect::count_line_breaks(self.input, begin, self.record_start);
        self.line += detect::count_line_breaks(self.input, begin, self.pos);
        self.nfields = nend;
        if self.pos >= self.input.len() {
            // An unclosed quote swallows the rest of the file into the last record.
            if let Some((offset, column)) =
                detect::unclosed_quote(self.raw_record(), self.delimiter)
            {
                return Err(CsvError::UnclosedQuote {
                    line: self.start_line + offset,
                    column,
                });
            }
        }
        let bytes = self.out.get(..nout).unwrap_or(&[]);
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                self.text.clear();
                self.text.push_str(text);
            }
            Err(e) => {
                let at = e.valid_up_to();
                let column = 1 + self
                    .ends
                    .get(..nend)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|&&end| end <= at)
                    .count();
                return Err(CsvError::InvalidUtf8 {
                    line: self.start_line,
                    column,
                    byte: bytes.get(at).copied().unwrap_or(0),
                });
            }
        }
        Ok(true)
    }
}
