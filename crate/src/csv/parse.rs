//! Records from input chunks with csv-core, plus what csv-core does not say: the physical line
//! where each record starts, the raw bytes it came from, and where an unclosed quote opened.
//!
//! csv-core (quoting and `""` escapes on, `\r`, `\n` and `\r\n` all ending a record) does every
//! record split and unescape; its state carries over between chunks, so a record may span any
//! number of them. It copies each record's unescaped fields into one output buffer that is
//! reused for every record.
//!
//! csv-core counts only `\n`; a CR-only file needs the lone `\r`s counted too. They are counted
//! only in chunks that contain a `\r` at all, so LF files pay nothing for it.

use super::detect::UTF8_BOM;
use csv_core::{ReadFieldResult, ReadRecordResult, Reader, ReaderBuilder};

/// One step of [`Parser::next`].
#[derive(Debug)]
pub(crate) enum Step<'a> {
    /// A complete record.
    Row(Row<'a>),
    /// The chunk is used up inside (or before) a record: push more input.
    NeedMore,
    /// No records are left.
    End,
    /// The input ended inside a quoted field that opened on `line` in 1-based field `column`.
    Unclosed { line: u32, column: usize },
}

/// A record as csv-core returned it.
#[derive(Debug)]
pub(crate) struct Row<'a> {
    /// The unescaped field bytes, back to back.
    pub(crate) bytes: &'a [u8],
    /// The end offset of each field in `bytes`.
    pub(crate) ends: &'a [usize],
    /// The record's bytes in the file, from its first byte (quotes and terminator included).
    pub(crate) raw: &'a [u8],
    /// The 1-based physical line of the record's first byte.
    pub(crate) line: u32,
}

/// A csv-core reader with the bookkeeping around it.
#[derive(Debug)]
pub(crate) struct Parser {
    csv: Reader,
    delimiter: u8,
    /// csv-core has not been called yet (its first call strips a UTF-8 byte-order mark).
    first: bool,
    out: Vec<u8>,
    nout: usize,
    ends: Vec<usize>,
    nend: usize,
    /// Lone `\r` line breaks so far (a `\r` counts when read and is taken back when a `\n`
    /// follows it), so that `csv.line() + lone_cr` is the physical line of the next byte.
    lone_cr: i64,
    after_cr: bool,
    /// The current input holds a `\r`.
    input_has_cr: bool,
    /// The physical line of the current record's first byte, once read.
    start: Option<u32>,
    /// Where the current record's bytes begin in the current input.
    from: usize,
    /// The current record's bytes from earlier inputs.
    raw: Vec<u8>,
    /// The last step returned a record: its buffers are cleared on the next call.
    returned: bool,
}

impl Parser {
    /// A parser for fields separated by `delimiter`, at the start of the file.
    pub(crate) fn new(delimiter: u8) -> Parser {
        Parser {
            csv: builder(delimiter).build(),
            delimiter,
            first: true,
            out: vec![0; 1 << 12],
            nout: 0,
            ends: vec![0; 64],
            nend: 0,
            lone_cr: 0,
            after_cr: false,
            input_has_cr: false,
            start: None,
            from: 0,
            raw: Vec::new(),
            returned: false,
        }
    }

    /// The 1-based physical line of the next unread byte.
    pub(crate) fn line(&self) -> u32 {
        let line = i64::try_from(self.csv.line()).unwrap_or(i64::MAX) + self.lone_cr;
        u32::try_from(line.max(1)).unwrap_or(u32::MAX)
    }

    /// A counter for the bytes after the last one read, for when csv-core stops reading.
    pub(crate) fn line_counter(&self) -> LineCounter {
        LineCounter {
            line: self.line(),
            after_cr: self.after_cr,
        }
    }

    /// Announces a new input chunk; [`Parser::next`] then reads it from `pos` 0.
    pub(crate) fn begin(&mut self, input: &[u8]) {
        self.input_has_cr = input.contains(&b'\r');
        self.from = 0;
    }

    /// Reads on from `input[*pos]` to the end of the next record. `eof` says that nothing
    /// follows `input` (then an unfinished record is complete).
    pub(crate) fn next<'a>(&'a mut self, input: &'a [u8], pos: &mut usize, eof: bool) -> Step<'a> {
        if self.returned {
            self.returned = false;
            (self.nout, self.nend, self.start) = (0, 0, None);
            self.raw.clear();
            self.from = *pos;
        }
        loop {
            let rest = input.get(*pos..).unwrap_or(&[]);
            if rest.is_empty() && !eof {
                return self.need_more(input);
            }
            if self.nout == self.out.len() {
                self.out.resize(self.out.len() * 2, 0);
            }
            if self.nend == self.ends.len() {
                self.ends.resize(self.ends.len() * 2, 0);
            }
            let line_before = self.line();
            let out = self.out.get_mut(self.nout..).unwrap_or(&mut []);
            let ends = self.ends.get_mut(self.nend..).unwrap_or(&mut []);
            let (result, nin, nout, nend) = self.csv.read_record(rest, out, ends);
            let bom = if std::mem::take(&mut self.first) && rest.len() >= 3 {
                usize::from(rest.starts_with(UTF8_BOM)) * UTF8_BOM.len()
            } else {
                0
            };
            let read = rest.get(bom..nin).unwrap_or(&[]);
            self.note_read(read, *pos + bom, line_before);
            *pos += nin;
            self.nout += nout;
            self.nend += nend;
            match result {
                ReadRecordResult::InputEmpty if !eof => return self.need_more(input),
                ReadRecordResult::InputEmpty
                | ReadRecordResult::OutputFull
                | ReadRecordResult::OutputEndsFull => {}
                ReadRecordResult::End => return Step::End,
                ReadRecordResult::Record => {
                    self.returned = true;
                    let line = self.start.unwrap_or(line_before);
                    let raw = if self.raw.is_empty() {
                        input.get(self.from..*pos).unwrap_or(&[])
                    } else {
                        self.raw
                            .extend_from_slice(input.get(self.from..*pos).unwrap_or(&[]));
                        &self.raw
                    };
                    // Only a record ended by the end of the file (not by a line break) can
                    // be inside a quoted field.
                    if rest.is_empty() {
                        if let Some((breaks, column)) = unclosed_quote(raw, self.delimiter) {
                            return Step::Unclosed {
                                line: line.saturating_add(breaks),
                                column,
                            };
                        }
                    }
                    return Step::Row(Row {
                        bytes: self.out.get(..self.nout).unwrap_or(&[]),
                        ends: self.ends.get(..self.nend).unwrap_or(&[]),
                        raw,
                        line,
                    });
                }
            }
        }
    }

    /// Keeps the bytes of a record that the input ended inside.
    fn need_more<'a>(&mut self, input: &[u8]) -> Step<'a> {
        if self.start.is_some() {
            self.raw
                .extend_from_slice(input.get(self.from..).unwrap_or(&[]));
        }
        self.from = 0;
        Step::NeedMore
    }

    /// Counts the lone `\r`s in `read` (csv-core has just read it, from `input[at]` on) and
    /// notes where the current record starts: at its first byte that is not a line break
    /// (csv-core skips blank lines and the `\n` of a `\r\n` before a record).
    fn note_read(&mut self, read: &[u8], at: usize, line_before: u32) {
        if self.start.is_some() {
            self.count_cr(read);
            return;
        }
        if read.first().is_some_and(|&b| b != b'\r' && b != b'\n') {
            // The usual case: the record starts right after the previous one.
            self.start = Some(line_before);
            self.from = at;
            self.count_cr(read);
            return;
        }
        let lead = read
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let (breaks, body) = read.split_at(lead.min(read.len()));
        let lone_before = self.lone_cr;
        self.count_cr(breaks);
        if !body.is_empty() {
            let lf = breaks.iter().filter(|&&b| b == b'\n').count();
            let lf = i64::try_from(lf).unwrap_or(i64::MAX);
            let line = i64::from(line_before) + lf + self.lone_cr - lone_before;
            self.start = Some(u32::try_from(line).unwrap_or(u32::MAX));
            self.from = at + lead;
            self.count_cr(body);
        }
    }

    fn count_cr(&mut self, bytes: &[u8]) {
        let Some(&first) = bytes.first() else {
            return;
        };
        if !self.input_has_cr {
            if self.after_cr && first == b'\n' {
                self.lone_cr -= 1;
            }
            self.after_cr = false;
            return;
        }
        for &b in bytes {
            if b == b'\r' {
                self.lone_cr += 1;
            } else if b == b'\n' && self.after_cr {
                self.lone_cr -= 1;
            }
            self.after_cr = b == b'\r';
        }
    }
}

/// csv-core set up as this reader needs it (most of these are its defaults, spelled out
/// because the error messages rely on them).
fn builder(delimiter: u8) -> ReaderBuilder {
    let mut builder = ReaderBuilder::new();
    builder
        .delimiter(delimiter)
        .quote(b'"')
        .quoting(true)
        .double_quote(true)
        .escape(None)
        .comment(None)
        .terminator(csv_core::Terminator::CRLF);
    builder
}

/// For the bytes of a record that the end of the file completed: when they end inside a quoted
/// field, the line breaks before its opening quote and its 1-based column. csv-core re-reads
/// them field by field; a record still open after a `\n` is inside quotes.
fn unclosed_quote(raw: &[u8], delimiter: u8) -> Option<(u32, usize)> {
    let mut csv = builder(delimiter).build();
    let mut sink = [0u8; 256];
    // A line break first, which csv-core skips as a blank line, so that a byte-order mark
    // at the start of `raw` is data, as it was in the file.
    let mut input = b"\n".as_slice();
    let mut second = Some(raw);
    let (mut column, mut field_start, mut offset) = (1usize, 0usize, 0usize);
    loop {
        let (result, nin, _) = csv.read_field(input, &mut sink);
        input = input.get(nin..).unwrap_or(&[]);
        if second.is_none() {
            offset += nin;
        }
        match result {
            ReadFieldResult::OutputFull => {}
            ReadFieldResult::InputEmpty => match second.take() {
                Some(raw) => input = raw,
                None => break,
            },
            ReadFieldResult::Field { record_end: false } => {
                column += 1;
                field_start = offset;
            }
            ReadFieldResult::Field { record_end: true } | ReadFieldResult::End => return None,
        }
    }
    if raw.get(field_start) != Some(&b'"') {
        return None;
    }
    // The closing test: a line break ends the record unless the field is still quoted.
    let (result, _, _) = csv.read_field(b"\n", &mut sink);
    if matches!(result, ReadFieldResult::Field { .. }) {
        return None;
    }
    let mut counter = LineCounter::new(0);
    counter.feed(raw.get(..field_start).unwrap_or(&[]));
    Some((counter.line, column))
}

/// Counts physical lines over bytes that csv-core does not read (after an error): each `\n`,
/// and each `\r` not followed by `\n`, even when a `\r\n` is split between two chunks.
#[derive(Debug, Clone)]
pub(crate) struct LineCounter {
    /// The 1-based line of the next byte.
    pub(crate) line: u32,
    after_cr: bool,
}

impl LineCounter {
    /// A counter whose next byte is on `line`.
    pub(crate) fn new(line: u32) -> LineCounter {
        LineCounter {
            line,
            after_cr: false,
        }
    }

    /// Counts the breaks in `bytes`.
    pub(crate) fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if b == b'\r' || (b == b'\n' && !self.after_cr) {
                self.line = self.line.saturating_add(1);
            }
            self.after_cr = b == b'\r';
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

    use super::*;

    /// A record's fields, line and raw bytes.
    type Found = (Vec<String>, u32, Vec<u8>);

    /// Fields, line and raw bytes of each record of `text` fed in chunks of `size`, or the
    /// unclosed quote's line and column.
    fn records(text: &[u8], size: usize) -> Result<Vec<Found>, (u32, usize)> {
        let mut parser = Parser::new(b',');
        let mut found = Vec::new();
        let chunks = text.chunks(size).map(|c| (c, false));
        for (chunk, eof) in chunks.chain([(&[][..], true)]) {
            parser.begin(chunk);
            let mut pos = 0;
            loop {
                match parser.next(chunk, &mut pos, eof) {
                    Step::NeedMore | Step::End => break,
                    Step::Unclosed { line, column } => return Err((line, column)),
                    Step::Row(row) => {
                        let mut start = 0;
                        let fields = row.ends.iter().map(|&end| {
                            let field = &row.bytes[start..end];
                            start = end;
                            String::from_utf8(field.to_vec()).unwrap()
                        });
                        found.push((fields.collect(), row.line, row.raw.to_vec()));
                    }
                }
            }
        }
        Ok(found)
    }

    fn row(fields: &[&str], line: u32, raw: &[u8]) -> Found {
        let fields = fields.iter().map(|f| f.to_string()).collect();
        (fields, line, raw.to_vec())
    }

    #[test]
    fn records_lines_and_raw_bytes_in_any_chunking() {
        // (A byte-order mark is not here: csv-core strips one only when its first input
        // holds all three bytes, which the reader ensures and a chunk of 1 does not.)
        let text = b"a,\"b\r\nc\"\r\n\r\nx,\"say \"\"hi\"\"\"y\rlast";
        let expected = vec![
            row(&["a", "b\r\nc"], 1, b"a,\"b\r\nc\"\r"),
            row(&["x", "say \"hi\"y"], 4, b"x,\"say \"\"hi\"\"\"y\r"),
            row(&["last"], 5, b"last"),
        ];
        for size in [1, 2, 3, 7, 100] {
            assert_eq!(records(text, size).unwrap(), expected, "chunks of {size}");
        }
    }

    #[test]
    fn blank_lines_before_a_record_move_its_line() {
        let text = b"\n\r\n\ra\n\n\nb";
        for size in [1, 4, 100] {
            let rows = records(text, size).unwrap();
            assert_eq!(rows, [row(&["a"], 4, b"a\n"), row(&["b"], 7, b"b")]);
        }
    }

    #[test]
    fn unclosed_quote_names_where_it_opened() {
        for size in [1, 3, 100] {
            assert_eq!(records(b"h\n1,\"open\nstill", size), Err((2, 2)));
            // Line breaks in an earlier quoted field come before the opening quote.
            assert_eq!(records(b"\"a\nb\",\"c\n", size), Err((2, 2)));
            assert_eq!(records(b"x\n\"a\"\"", size), Err((2, 1)));
        }
        // A closed quote followed by text, and a quote inside an unquoted field, are data.
        assert_eq!(unclosed_quote(b"\"a\"b", b','), None);
        assert_eq!(unclosed_quote(b"5\"6,7", b','), None);
        assert_eq!(unclosed_quote(b"1,\"x", b','), Some((0, 2)));
        assert_eq!(unclosed_quote(b"1;\"x", b';'), Some((0, 2)));
    }

    #[test]
    fn long_records_grow_the_buffers() {
        let text: Vec<u8> = std::iter::repeat_n(b"abcdefgh,".as_slice(), 1000)
            .flatten()
            .copied()
            .collect();
        let rows = records(&text, 4096).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0.len(), 1001);
        assert_eq!(rows[0].0[999], "abcdefgh");
    }

    #[test]
    fn line_counter_sees_a_split_crlf_once() {
        let mut counter = LineCounter::new(1);
        counter.feed(b"a\r");
        counter.feed(b"\nb\rc\n\n");
        assert_eq!(counter.line, 5);
    }
}
