//! One record at a time from a byte buffer, with the quoting rules of RFC 4180 as csv-core
//! applies them: a quote opens a quoted field only at the start of a field, `""` inside is an
//! escaped quote, text after the closing quote belongs to the field unquoted, and `\r`, `\n` and
//! `\r\n` all end a record.
//!
//! Records without any quote (nearly all of them in real data) are split in place: their
//! fields are byte ranges of the input, so no byte is copied. Only a record holding a quote is
//! unescaped into a scratch buffer.

/// How a scan of one record ended.
#[derive(Debug, PartialEq)]
pub(crate) enum Scanned {
    /// A complete record. Its text is `buf[start..text_end]` (no quote in it: field ranges are
    /// relative to `start`) or, when `quoted`, the scratch buffer. The next record's bytes
    /// begin at `next`; `breaks` line breaks were passed, the terminator included.
    Record {
        text_end: usize,
        next: usize,
        breaks: u32,
        quoted: bool,
    },
    /// The buffer ends inside the record (or right after a `\r`): more input is needed.
    NeedMore,
    /// The input ended inside a quoted field opened `breaks` line breaks after the record's
    /// start, in 1-based field `column`.
    Unclosed { breaks: u32, column: usize },
}

/// Bytes that end an unquoted run: the delimiter, the line breaks and the quote.
pub(crate) fn special_bytes(delimiter: u8) -> [bool; 256] {
    let mut special = [false; 256];
    for b in [delimiter, b'\r', b'\n', b'"'] {
        special[usize::from(b)] = true;
    }
    special
}

/// Scans the record starting at `buf[start]` (not a line break). `eof` says that nothing
/// follows `buf`; `special` is [`special_bytes`] of `delimiter`. `fields` receives one
/// `(start, end)` range per field.
pub(crate) fn scan_record(
    buf: &[u8],
    start: usize,
    eof: bool,
    delimiter: u8,
    special: &[bool; 256],
    fields: &mut Vec<(usize, usize)>,
    scratch: &mut Vec<u8>,
) -> Scanned {
    fields.clear();
    let mut i = start;
    let mut field_start = start;
    loop {
        let rest = buf.get(i..).unwrap_or(&[]);
        i += rest
            .iter()
            .position(|&b| special[usize::from(b)])
            .unwrap_or(rest.len());
        let Some(&b) = buf.get(i) else {
            if !eof {
                return Scanned::NeedMore;
            }
            fields.push((field_start - start, i - start));
            return Scanned::Record {
                text_end: i,
                next: i,
                breaks: 0,
                quoted: false,
            };
        };
        if b == b'"' {
            return scan_quoted(buf, start, eof, delimiter, fields, scratch);
        }
        fields.push((field_start - start, i - start));
        if b == b'\r' || b == b'\n' {
            return match terminator_end(buf, i, eof) {
                Some(next) => Scanned::Record {
                    text_end: i,
                    next,
                    breaks: 1,
                    quoted: false,
                },
                None => Scanned::NeedMore,
            };
        }
        i += 1;
        field_start = i;
    }
}

/// Where the line break at `buf[i]` ends: after `\n`, after `\r\n`, or after a lone `\r`.
/// `None` when `buf` ends right after a `\r` and more input may bring its `\n`.
fn terminator_end(buf: &[u8], i: usize, eof: bool) -> Option<usize> {
    if buf.get(i) != Some(&b'\r') {
        return Some(i + 1);
    }
    match buf.get(i + 1) {
        Some(b'\n') => Some(i + 2),
        Some(_) => Some(i + 1),
        None if eof => Some(i + 1),
        None => None,
    }
}

/// The slow path for a record holding a quote: a byte-by-byte state machine that unescapes
/// the fields into `scratch`.
fn scan_quoted(
    buf: &[u8],
    start: usize,
    eof: bool,
    delimiter: u8,
    fields: &mut Vec<(usize, usize)>,
    scratch: &mut Vec<u8>,
) -> Scanned {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    fields.clear();
    scratch.clear();
    let mut state = State::FieldStart;
    let mut breaks = 0u32;
    let mut open = (0u32, 1usize);
    let mut after_cr = false;
    let mut i = start;
    while let Some(&b) = buf.get(i) {
        let terminator = b == b'\r' || b == b'\n';
        if state != State::Quoted && (b == delimiter || terminator) {
            fields.push((field_start(fields), scratch.len()));
            if terminator {
                return match terminator_end(buf, i, eof) {
                    Some(next) => Scanned::Record {
                        text_end: i,
                        next,
                        breaks: breaks + 1,
                        quoted: true,
                    },
                    None => Scanned::NeedMore,
                };
            }
            state = State::FieldStart;
            i += 1;
            continue;
        }
        state = match state {
            State::FieldStart if b == b'"' => {
                open = (breaks, fields.len() + 1);
                State::Quoted
            }
            State::Quoted if b == b'"' => State::QuoteInQuoted,
            State::QuoteInQuoted if b == b'"' => {
                scratch.push(b'"');
                State::Quoted
            }
            State::Quoted => {
                // Line breaks inside quotes are data; they still move the physical line.
                if b == b'\n' && !after_cr || b == b'\r' {
                    breaks += 1;
                }
                scratch.push(b);
                State::Quoted
            }
            State::FieldStart | State::Unquoted | State::QuoteInQuoted => {
                scratch.push(b);
                State::Unquoted
            }
        };
        after_cr = b == b'\r';
        i += 1;
    }
    if !eof {
        return Scanned::NeedMore;
    }
    if state == State::Quoted {
        return Scanned::Unclosed {
            breaks: open.0,
            column: open.1,
        };
    }
    fields.push((field_start(fields), scratch.len()));
    Scanned::Record {
        text_end: i,
        next: i,
        breaks,
        quoted: true,
    }
}

/// Where the next field starts in the scratch buffer: where the previous one ended.
fn field_start(fields: &[(usize, usize)]) -> usize {
    fields.last().map_or(0, |&(_, end)| end)
}

/// Counts physical lines across buffers: each `\n`, and each `\r` not followed by `\n`, even
/// when a `\r\n` is split between two buffers.
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
    use super::*;

    fn scan(buf: &[u8], eof: bool) -> (Scanned, Vec<(usize, usize)>, Vec<u8>) {
        let (mut fields, mut scratch) = (Vec::new(), Vec::new());
        let special = special_bytes(b',');
        let scanned = scan_record(buf, 0, eof, b',', &special, &mut fields, &mut scratch);
        (scanned, fields, scratch)
    }

    #[test]
    fn unquoted_records_are_ranges_of_the_input() {
        let (scanned, fields, _) = scan(b"ab,,c\r\nx", false);
        let record = Scanned::Record {
            text_end: 5,
            next: 7,
            breaks: 1,
            quoted: false,
        };
        assert_eq!(scanned, record);
        assert_eq!(fields, [(0, 2), (3, 3), (4, 5)]);
        // A record at the end of the input is complete only at the end of the file.
        assert_eq!(scan(b"ab,c", false).0, Scanned::NeedMore);
        assert!(matches!(
            scan(b"ab,c", true).0,
            Scanned::Record { next: 4, .. }
        ));
        // After a final \r, the next byte may be its \n.
        assert_eq!(scan(b"ab\r", false).0, Scanned::NeedMore);
        assert!(matches!(
            scan(b"ab\r", true).0,
            Scanned::Record { next: 3, .. }
        ));
    }

    #[test]
    fn quoted_records_are_unescaped_and_count_their_lines() {
        let (scanned, fields, scratch) = scan(b"\"a\r\nb\",\"say \"\"hi\"\"\"x\nz", false);
        assert!(matches!(
            scanned,
            Scanned::Record {
                breaks: 2,
                quoted: true,
                ..
            }
        ));
        assert_eq!(scratch, b"a\r\nbsay \"hi\"x");
        assert_eq!(fields, [(0, 4), (4, 13)]);
        let (scanned, _, _) = scan(b"1,\"open\nstill", true);
        assert_eq!(
            scanned,
            Scanned::Unclosed {
                breaks: 0,
                column: 2
            }
        );
        assert_eq!(scan(b"1,\"open\nstill", false).0, Scanned::NeedMore);
    }

    #[test]
    fn line_counter_sees_a_split_crlf_once() {
        let mut counter = LineCounter::new(1);
        counter.feed(b"a\r");
        counter.feed(b"\nb\rc\n\n");
        assert_eq!(counter.line, 5);
    }
}
