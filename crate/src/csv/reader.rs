//! The streaming reader: bytes in chunks of any size -> header and rows handed to a
//! [`RowSink`], with every check of [`read_csv`](super::read_csv) and the same errors.
//!
//! csv-core does the record parsing (in `parse.rs`); its state and the unfinished last record
//! of a chunk are all that is kept between chunks, so a caller can feed a large file piece by
//! piece without holding it whole. Errors are collected, not returned at
//! once, because a later NUL byte outranks an earlier malformed row (a binary file should be
//! called binary, not ragged); [`CsvReader::finish`] reports the one that matters.

use super::parse::{LineCounter, Parser, Row, Step};
use super::{check_names, detect, CsvError, CsvOptions, RowLines};

/// How many leading bytes to keep for the signature, BOM and UTF-16 checks.
const HEAD: usize = 4096 + 3;

/// Receives the header and the data rows as the reader finds them.
pub trait RowSink {
    /// Called once, before any row, with the names of the named columns and the delimiter.
    fn header(&mut self, names: &[String], delimiter: u8);
    /// One data row; `record.get(i)` is the raw (unquoted, untrimmed) cell of column `i`.
    fn row(&mut self, record: &Record<'_>);
}

/// The cells of one record, borrowed from csv-core's output buffer.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// The unescaped fields back to back.
    text: &'a str,
    /// The end offset of each field in `text`.
    ends: &'a [usize],
}

impl<'a> Record<'a> {
    /// Number of fields in the record.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    /// True when the record has no fields (never for a record handed to a sink).
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    /// Field `i`; "" past the end (rows may stop before trailing unnamed columns).
    pub fn get(&self, i: usize) -> &'a str {
        let start = match i.checked_sub(1) {
            Some(previous) => self.ends.get(previous).copied().unwrap_or(0),
            None => 0,
        };
        self.ends
            .get(i)
            .and_then(|&end| self.text.get(start..end))
            .unwrap_or("")
    }
}

/// What the reader learned about the file besides the cells.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Column names from the header (named columns only), trimmed.
    pub names: Vec<String>,
    /// 1-based physical line on which each data row starts.
    pub row_lines: RowLines,
    /// The delimiter used (given or detected).
    pub delimiter: u8,
}

/// A CSV reader fed in chunks: [`CsvReader::push`] each chunk, then [`CsvReader::finish`].
#[derive(Debug)]
pub struct CsvReader {
    delimiter: Option<u8>,
    /// The first bytes of the input, for the checks that look at the start of the file.
    head: Vec<u8>,
    /// csv-core and its bookkeeping, once the delimiter is known.
    parser: Option<Parser>,
    /// Input held before parsing starts: the first line, when the delimiter is detected
    /// from it, and at least the first 6 bytes (a byte-order mark may follow another).
    pending: Vec<u8>,
    /// Do not look at `pending` again before it holds this many bytes.
    retry_at: usize,
    /// Line of the first NUL byte, once seen.
    nul_line: Option<u32>,
    /// Some byte after the first three is not ASCII whitespace (see [`CsvReader::is_blank`]).
    printing: bool,
    /// Total bytes pushed so far.
    fed: usize,
    /// The first parse error; after it only NUL bytes are looked for.
    error: Option<CsvError>,
    /// The physical line of the next byte, once csv-core no longer reads (after an error).
    after_error: LineCounter,
    rows: Rows,
}

impl CsvReader {
    /// A reader for `options`; nothing is read yet.
    pub fn new(options: &CsvOptions) -> CsvReader {
        CsvReader {
            delimiter: options.delimiter,
            head: Vec::new(),
            parser: None,
            pending: Vec::new(),
            retry_at: 0,
            nul_line: None,
            printing: false,
            fed: 0,
            error: None,
            after_error: LineCounter::new(1),
            rows: Rows::default(),
        }
    }

    /// Data rows read so far.
    pub fn rows_read(&self) -> usize {
        self.rows.row_lines.len()
    }

    /// Bytes pushed so far.
    pub fn bytes_read(&self) -> u64 {
        self.fed as u64
    }

    /// Reads the next chunk of the file, handing complete rows to `sink`. Errors are kept for
    /// [`CsvReader::finish`]; after one, rows are no longer handed on.
    pub fn push(&mut self, chunk: &[u8], sink: &mut impl RowSink) {
        if self.head.len() < HEAD {
            let take = chunk.len().min(HEAD - self.head.len());
            self.head
                .extend_from_slice(chunk.get(..take).unwrap_or(&[]));
        }
        if !self.printing {
            let skip = 3usize.saturating_sub(self.fed);
            let rest = chunk.get(skip..).unwrap_or(&[]);
            self.printing = !rest.iter().all(u8::is_ascii_whitespace);
        }
        self.fed = self.fed.saturating_add(chunk.len());
        if self.nul_line.is_some() {
            return;
        }
        if let Some(nul) = find_nul(chunk) {
            let mut counter = self.line_counter();
            counter.feed(&self.pending);
            counter.feed(chunk.get(..nul).unwrap_or(&[]));
            self.nul_line = Some(counter.line);
            self.pending = Vec::new();
            return;
        }
        if self.error.is_some() {
            self.after_error.feed(chunk);
            return;
        }
        if self.parser.is_some() {
            self.parse(chunk, false, sink);
            return;
        }
        if self.pending.is_empty() {
            // Usually the first chunk holds the first line: no copy.
            match self.start(chunk, false) {
                Some(used) => self.parse(chunk.get(used..).unwrap_or(&[]), false, sink),
                None => self.pending.extend_from_slice(chunk),
            }
            return;
        }
        self.pending.extend_from_slice(chunk);
        if self.pending.len() < self.retry_at {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        match self.start(&pending, false) {
            Some(used) => self.parse(pending.get(used..).unwrap_or(&[]), false, sink),
            None => {
                // A header line that goes on over many chunks (a quote opened in it and never
                // closed) is looked at again only when its bytes have doubled: linear time.
                self.retry_at = if pending.len() > 1 << 16 {
                    pending.len() * 2
                } else {
                    0
                };
                self.pending = pending;
            }
        }
    }

    /// Reads what is left and reports the file's shape, or the error that matters most:
    /// a wrong encoding or binary data first, then the first malformed row, then a file
    /// without header or rows, then values in an unnamed column.
    pub fn finish(mut self, sink: &mut impl RowSink) -> Result<Shape, CsvError> {
        if self.error.is_none() && self.nul_line.is_none() {
            if self.parser.is_some() {
                self.parse(&[], true, sink);
            } else {
                let pending = std::mem::take(&mut self.pending);
                if let Some(used) = self.start(&pending, true) {
                    self.parse(pending.get(used..).unwrap_or(&[]), true, sink);
                }
            }
        }
        if let Some(error) = detect::signature_error(&self.head) {
            return Err(error);
        }
        if self.is_blank() {
            return Err(CsvError::Empty);
        }
        if let Some(line) = self.nul_line {
            let body = self
                .head
                .strip_prefix(detect::UTF8_BOM)
                .unwrap_or(&self.head);
            return Err(if detect::looks_like_utf16(body) {
                CsvError::Utf16
            } else {
                CsvError::NotText { line, excel: false }
            });
        }
        if let Some(error) = self.error {
            return Err(error);
        }
        let rows = self.rows;
        let Some(mut names) = rows.names else {
            return Err(CsvError::Empty);
        };
        if rows.row_lines.is_empty() {
            return Err(CsvError::NoRows {
                columns: rows.named,
            });
        }
        let unnamed = rows.unnamed_values.iter().enumerate();
        if let Some((i, line)) = unnamed.filter_map(|(i, l)| l.map(|l| (i, l))).next() {
            return Err(CsvError::UnnamedColumn {
                column: rows.named + i + 1,
                line,
            });
        }
        names.truncate(rows.named);
        Ok(Shape {
            names,
            row_lines: rows.row_lines,
            delimiter: self.delimiter.unwrap_or(b','),
        })
    }

    /// True when the file (after a byte-order mark) holds nothing but ASCII whitespace.
    fn is_blank(&self) -> bool {
        let start = self.head.get(..3).unwrap_or(&self.head);
        !self.printing && (start == detect::UTF8_BOM || start.iter().all(u8::is_ascii_whitespace))
    }

    /// The line counter for bytes not yet read.
    fn line_counter(&self) -> LineCounter {
        match &self.parser {
            _ if self.error.is_some() => self.after_error.clone(),
            Some(parser) => parser.line_counter(),
            None => LineCounter::new(1),
        }
    }

    /// Looks at the start of the file: a signature that says it is not UTF-8 text, a
    /// byte-order mark, and (unless given) the delimiter. Returns where csv-core should start
    /// reading, or `None` to wait for more input (or after an error).
    fn start(&mut self, buf: &[u8], eof: bool) -> Option<usize> {
        if buf.len() < 6 && !eof {
            return None;
        }
        if let Some(error) = detect::signature_error(buf) {
            self.error = Some(error);
            return None;
        }
        // csv-core skips a second mark itself (its own byte-order-mark handling).
        let pos = if buf.starts_with(detect::UTF8_BOM) {
            detect::UTF8_BOM.len()
        } else {
            0
        };
        let delimiter = match self.delimiter {
            Some(d) => d,
            None => {
                let body = buf.get(pos..).unwrap_or(&[]);
                if !eof && !detect::first_line_complete(body) {
                    return None;
                }
                detect::detect_delimiter(body)
            }
        };
        self.delimiter = Some(delimiter);
        self.parser = Some(Parser::new(delimiter));
        Some(pos)
    }

    /// Reads the records in `input` with csv-core; the record that `input` ends inside is
    /// continued by the next call (or, with `eof`, is the end of the file).
    fn parse(&mut self, input: &[u8], eof: bool, sink: &mut impl RowSink) {
        let Some(parser) = self.parser.as_mut() else {
            return;
        };
        let delimiter = self.delimiter.unwrap_or(b',');
        parser.begin(input);
        let mut pos = 0;
        loop {
            let result = match parser.next(input, &mut pos, eof) {
                Step::NeedMore | Step::End => return,
                Step::Unclosed { line, column } => Err(CsvError::UnclosedQuote { line, column }),
                Step::Row(row) => self.rows.take(&row, delimiter, sink),
            };
            if let Err(error) = result {
                self.error = Some(error);
                self.after_error = parser.line_counter();
                self.after_error.feed(input.get(pos..).unwrap_or(&[]));
                return;
            }
        }
    }
}

/// The header and the checks on each data row.
#[derive(Debug, Default)]
struct Rows {
    names: Option<Vec<String>>,
    named: usize,
    /// Per trailing unnamed column: the first line where it holds a value.
    unnamed_values: Vec<Option<u32>>,
    row_lines: RowLines,
}

impl Rows {
    /// Checks one record and hands it on: the header, or a data row.
    fn take(
        &mut self,
        row: &Row<'_>,
        delimiter: u8,
        sink: &mut impl RowSink,
    ) -> Result<(), CsvError> {
        let line = row.line;
        let text = std::str::from_utf8(row.bytes).map_err(|e| {
            let at = e.valid_up_to();
            CsvError::InvalidUtf8 {
                line,
                column: 1 + row.ends.iter().take_while(|&&end| end <= at).count(),
                byte: row.bytes.get(at).copied().unwrap_or(0),
            }
        })?;
        let record = Record {
            text,
            ends: row.ends,
        };
        // A line of spaces is blank; `""` or `" "` is a record with one empty cell.
        if record.len() == 1 && record.get(0).trim().is_empty() && !row.raw.contains(&b'"') {
            return Ok(());
        }
        let Some(names) = &self.names else {
            return self.take_header(&record, delimiter, sink);
        };
        let (ncols, found) = (names.len(), record.len());
        // Rows that stop before the trailing unnamed columns are accepted, as R does.
        if found > ncols || found < self.named {
            return Err(CsvError::Ragged {
                line,
                expected: ncols,
                found,
                delimiter,
            });
        }
        for (i, first) in self.unnamed_values.iter_mut().enumerate() {
            if first.is_none() && !record.get(self.named + i).trim().is_empty() {
                *first = Some(line);
            }
        }
        sink.row(&record);
        self.row_lines.push(line);
        Ok(())
    }

    fn take_header(
        &mut self,
        record: &Record<'_>,
        delimiter: u8,
        sink: &mut impl RowSink,
    ) -> Result<(), CsvError> {
        let names: Vec<String> = (0..record.len())
            .map(|i| record.get(i).trim().to_string())
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
        check_names(names.get(..named).unwrap_or(&[]))?;
        sink.header(names.get(..named).unwrap_or(&[]), delimiter);
        self.named = named;
        self.unnamed_values = vec![None; names.len() - named];
        self.names = Some(names);
        Ok(())
    }
}

/// Makes room in `values` for `total` elements in all, exactly: a vector filled to a known
/// length then holds no spare half, and in wasm no copy is left behind as a hole by doubling.
pub(crate) fn reserve_total<T>(
    values: &mut Vec<T>,
    total: usize,
) -> Result<(), std::collections::TryReserveError> {
    match total.checked_sub(values.len()) {
        Some(more) if values.capacity() < total => values.try_reserve_exact(more),
        _ => Ok(()),
    }
}

/// Position of the first NUL byte (`contains` is a fast word-at-a-time search).
fn find_nul(bytes: &[u8]) -> Option<usize> {
    if bytes.contains(&0) {
        bytes.iter().position(|&b| b == 0)
    } else {
        None
    }
}
