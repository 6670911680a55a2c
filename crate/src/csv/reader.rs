//! The streaming reader: bytes in chunks of any size -> header and rows handed to a
//! [`RowSink`], with every check of [`read_csv`](super::read_csv) and the same errors.
//!
//! Only the unfinished last record of a chunk is kept between chunks, so a caller can feed a
//! large file piece by piece without holding it whole. Errors are collected, not returned at
//! once, because a later NUL byte outranks an earlier malformed row (a binary file should be
//! called binary, not ragged); [`CsvReader::finish`] reports the one that matters.

use super::scan::{scan_record, special_bytes, LineCounter, Scanned};
use super::{check_names, detect, CsvError, CsvOptions};

/// How many leading bytes to keep for the signature, BOM and UTF-16 checks.
const HEAD: usize = 4096 + 3;

/// Receives the header and the data rows as the reader finds them.
pub trait RowSink {
    /// Called once, before any row, with the names of the named columns and the delimiter.
    fn header(&mut self, names: &[String], delimiter: u8);
    /// One data row; `record.get(i)` is the raw (unquoted, untrimmed) cell of column `i`.
    fn row(&mut self, record: &Record<'_>);
}

/// The cells of one record, borrowed from the input or from the unescaping buffer.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    text: &'a str,
    fields: &'a [(usize, usize)],
}

impl<'a> Record<'a> {
    /// Number of fields in the record.
    pub fn len(&self) -> usize {
        self.fields.len()
    }
    /// True when the record has no fields (never for a record handed to a sink).
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
    /// Field `i`; "" past the end (rows may stop before trailing unnamed columns).
    pub fn get(&self, i: usize) -> &'a str {
        self.fields
            .get(i)
            .and_then(|&(start, end)| self.text.get(start..end))
            .unwrap_or("")
    }
}

/// What the reader learned about the file besides the cells.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Column names from the header (named columns only), trimmed.
    pub names: Vec<String>,
    /// 1-based physical line on which each data row starts.
    pub row_lines: Vec<u32>,
    /// The delimiter used (given or detected).
    pub delimiter: u8,
}

/// A CSV reader fed in chunks: [`CsvReader::push`] each chunk, then [`CsvReader::finish`].
#[derive(Debug)]
pub struct CsvReader {
    delimiter: Option<u8>,
    special: [bool; 256],
    /// The first bytes of the input, for the checks that look at the start of the file.
    head: Vec<u8>,
    /// The byte-order mark and the signatures have been looked at.
    started: bool,
    /// Unconsumed input: the start of a record that the last chunk ended inside.
    pending: Vec<u8>,
    /// Do not scan `pending` again before it holds this many bytes.
    retry_at: usize,
    /// The physical line of the first unconsumed byte.
    line: u32,
    /// Line of the first NUL byte, once seen.
    nul_line: Option<u32>,
    /// Some byte after the first three is not ASCII whitespace (see [`CsvReader::is_blank`]).
    printing: bool,
    /// Total bytes pushed so far.
    fed: usize,
    /// The first parse error; after it only NUL bytes are looked for.
    error: Option<CsvError>,
    after_error: LineCounter,
    names: Option<Vec<String>>,
    named: usize,
    /// Per trailing unnamed column: the first line where it holds a value.
    unnamed_values: Vec<Option<u32>>,
    row_lines: Vec<u32>,
    fields: Vec<(usize, usize)>,
    scratch: Vec<u8>,
}

impl CsvReader {
    /// A reader for `options`; nothing is read yet.
    pub fn new(options: &CsvOptions) -> CsvReader {
        CsvReader {
            delimiter: options.delimiter,
            special: special_bytes(options.delimiter.unwrap_or(b',')),
            head: Vec::new(),
            started: false,
            pending: Vec::new(),
            retry_at: 0,
            line: 1,
            nul_line: None,
            printing: false,
            fed: 0,
            error: None,
            after_error: LineCounter::new(1),
            names: None,
            named: 0,
            unnamed_values: Vec::new(),
            row_lines: Vec::new(),
            fields: Vec::with_capacity(64),
            scratch: Vec::new(),
        }
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
            let before = chunk.get(..nul).unwrap_or(&[]);
            let counter = if self.error.is_some() {
                &mut self.after_error
            } else {
                self.after_error = LineCounter::new(self.line);
                self.after_error.feed(&self.pending);
                &mut self.after_error
            };
            counter.feed(before);
            self.nul_line = Some(counter.line);
            self.pending = Vec::new();
            return;
        }
        if self.error.is_some() {
            self.after_error.feed(chunk);
            return;
        }
        if self.pending.is_empty() {
            let used = self.consume(chunk, false, sink);
            self.pending
                .extend_from_slice(chunk.get(used..).unwrap_or(&[]));
        } else {
            self.pending.extend_from_slice(chunk);
            if self.pending.len() < self.retry_at {
                return;
            }
            let mut pending = std::mem::take(&mut self.pending);
            let used = self.consume(&pending, false, sink);
            pending.drain(..used.min(pending.len()));
            self.pending = pending;
        }
        // A record that stays unfinished over many chunks (an unclosed quote swallowing the
        // file) is scanned again only when its bytes have doubled: linear time, not quadratic.
        self.retry_at = if self.pending.len() > 1 << 16 {
            self.pending.len() * 2
        } else {
            0
        };
    }

    /// Reads what is left and reports the file's shape, or the error that matters most:
    /// a wrong encoding or binary data first, then the first malformed row, then a file
    /// without header or rows, then values in an unnamed column.
    pub fn finish(mut self, sink: &mut impl RowSink) -> Result<Shape, CsvError> {
        if self.error.is_none() && self.nul_line.is_none() {
            let pending = std::mem::take(&mut self.pending);
            self.consume(&pending, true, sink);
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
        let Some(mut names) = self.names else {
            return Err(CsvError::Empty);
        };
        if self.row_lines.is_empty() {
            return Err(CsvError::NoRows {
                columns: self.named,
            });
        }
        let unnamed = self.unnamed_values.iter().enumerate();
        if let Some((i, line)) = unnamed.filter_map(|(i, l)| l.map(|l| (i, l))).next() {
            return Err(CsvError::UnnamedColumn {
                column: self.named + i + 1,
                line,
            });
        }
        names.truncate(self.named);
        Ok(Shape {
            names,
            row_lines: self.row_lines,
            delimiter: self.delimiter.unwrap_or(b','),
        })
    }

    /// True when the file (after a byte-order mark) holds nothing but ASCII whitespace.
    fn is_blank(&self) -> bool {
        let start = self.head.get(..3).unwrap_or(&self.head);
        !self.printing && (start == detect::UTF8_BOM || start.iter().all(u8::is_ascii_whitespace))
    }

    /// Reads the complete records at the start of `buf` and returns how many bytes they
    /// took; the rest waits for more input (or, with `eof`, is the end of the file).
    fn consume(&mut self, buf: &[u8], eof: bool, sink: &mut impl RowSink) -> usize {
        let mut pos = 0;
        if !self.started {
            if buf.len() < 6 && !eof {
                return 0;
            }
            if let Some(error) = detect::signature_error(buf) {
                self.error = Some(error);
                return buf.len();
            }
            // A second mark is skipped too: csv-core, which this reader replaces, skipped one
            // after the one removed before parsing.
            for _ in 0..2 {
                if buf
                    .get(pos..)
                    .is_some_and(|b| b.starts_with(detect::UTF8_BOM))
                {
                    pos += detect::UTF8_BOM.len();
                }
            }
            self.started = true;
        }
        let delimiter = match self.delimiter {
            Some(d) => d,
            None => {
                let body = buf.get(pos..).unwrap_or(&[]);
                if !eof && !detect::first_line_complete(body) {
                    return pos;
                }
                let d = detect::detect_delimiter(body);
                self.delimiter = Some(d);
                self.special = special_bytes(d);
                d
            }
        };
        // One validation of the whole buffer is much cheaper than one per record; a record
        // past the first invalid byte is validated alone, to say where.
        let valid = match std::str::from_utf8(buf) {
            Ok(text) => text,
            Err(e) => buf
                .get(..e.valid_up_to())
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or(""),
        };
        loop {
            // Blank lines before a record are skipped; csv-core does the same.
            while let Some(&b) = buf.get(pos).filter(|&&b| b == b'\r' || b == b'\n') {
                if b == b'\r' && buf.get(pos + 1).is_none() && !eof {
                    return pos;
                }
                pos += if b == b'\r' && buf.get(pos + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                self.line = self.line.saturating_add(1);
            }
            if pos >= buf.len() {
                return pos;
            }
            let mut fields = std::mem::take(&mut self.fields);
            let mut scratch = std::mem::take(&mut self.scratch);
            let scanned = scan_record(
                buf,
                pos,
                eof,
                delimiter,
                &self.special,
                &mut fields,
                &mut scratch,
            );
            let result = match scanned {
                Scanned::NeedMore => None,
                Scanned::Unclosed { breaks, column } => Some(Err(CsvError::UnclosedQuote {
                    line: self.line.saturating_add(breaks),
                    column,
                })),
                Scanned::Record {
                    text_end,
                    next,
                    breaks,
                    quoted,
                } => {
                    let start_line = self.line;
                    self.line = self.line.saturating_add(breaks);
                    let bytes = if quoted {
                        scratch.as_slice()
                    } else {
                        buf.get(pos..text_end).unwrap_or(&[])
                    };
                    // Record ends are ASCII bytes, so a valid prefix slices at char boundaries.
                    let text = match valid.get(pos..text_end) {
                        Some(text) if !quoted => Ok(text),
                        _ => std::str::from_utf8(bytes),
                    };
                    pos = next;
                    Some(self.take_record(text, bytes, &fields, quoted, start_line, sink))
                }
            };
            self.fields = fields;
            self.scratch = scratch;
            match result {
                None => return pos,
                Some(Ok(())) => {}
                Some(Err(error)) => {
                    self.error = Some(error);
                    self.after_error = LineCounter::new(self.line);
                    self.after_error.feed(buf.get(pos..).unwrap_or(&[]));
                    return buf.len();
                }
            }
        }
    }

    /// Checks one record and hands it on: the header, or a data row.
    fn take_record(
        &mut self,
        text: Result<&str, std::str::Utf8Error>,
        bytes: &[u8],
        fields: &[(usize, usize)],
        quoted: bool,
        line: u32,
        sink: &mut impl RowSink,
    ) -> Result<(), CsvError> {
        let text = text.map_err(|e| {
            let at = e.valid_up_to();
            CsvError::InvalidUtf8 {
                line,
                column: 1 + fields.iter().take_while(|&&(_, end)| end <= at).count(),
                byte: bytes.get(at).copied().unwrap_or(0),
            }
        })?;
        let record = Record { text, fields };
        // A line of spaces is blank; `""` or `" "` is a record with one empty cell.
        if !quoted && record.len() == 1 && record.get(0).trim().is_empty() {
            return Ok(());
        }
        let Some(names) = &self.names else {
            return self.take_header(&record, sink);
        };
        let (ncols, found) = (names.len(), record.len());
        // Rows that stop before the trailing unnamed columns are accepted, as R does.
        if found > ncols || found < self.named {
            return Err(CsvError::Ragged {
                line,
                expected: ncols,
                found,
                delimiter: self.delimiter.unwrap_or(b','),
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
        sink.header(
            names.get(..named).unwrap_or(&[]),
            self.delimiter.unwrap_or(b','),
        );
        self.named = named;
        self.unnamed_values = vec![None; names.len() - named];
        self.names = Some(names);
        Ok(())
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
