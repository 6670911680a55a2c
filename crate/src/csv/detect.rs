//! Byte-level checks around the csv-core parser: encoding and binary sniffing, delimiter
//! detection, physical line counting and the unclosed-quote scan.
//!
//! csv-core never reports an error ("it prefers *a* parse over *no* parse"), so everything a
//! researcher needs to hear about a malformed file is found here, before or beside the parse.

use super::CsvError;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Checks that `bytes` look like UTF-8 text and returns them without a UTF-8 byte-order mark.
/// Errors: [`CsvError::Empty`], [`CsvError::Utf16`], [`CsvError::NotText`].
pub(crate) fn text_body(bytes: &[u8]) -> Result<&[u8], CsvError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(CsvError::Utf16);
    }
    // xlsx is a zip archive; xls is an OLE compound document.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(CsvError::NotText {
            line: 1,
            excel: true,
        });
    }
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(CsvError::Empty);
    }
    if let Some(nul) = body.iter().position(|&b| b == 0) {
        if looks_like_utf16(body) {
            return Err(CsvError::Utf16);
        }
        return Err(CsvError::NotText {
            line: 1 + count_line_breaks(body, 0, nul),
            excel: false,
        });
    }
    Ok(body)
}

/// UTF-16 text of mostly ASCII characters has a NUL in every other byte: at odd positions for
/// little-endian, even for big-endian, and none at the other parity.
fn looks_like_utf16(body: &[u8]) -> bool {
    let sample = body.get(..body.len().min(4096)).unwrap_or(body);
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in sample.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    let half = sample.len() / 2;
    let mostly = |n: usize| half >= 4 && n * 10 >= half * 6;
    (mostly(odd) && even == 0) || (mostly(even) && odd == 0)
}

/// The delimiter among `,` `;` and tab that occurs most often outside quotes on the first
/// non-blank line; comma on ties and when none occurs (a single-column file).
pub(crate) fn detect_delimiter(body: &[u8]) -> u8 {
    let (mut comma, mut semicolon, mut tab) = (0usize, 0usize, 0usize);
    let mut in_quotes = false;
    let start = body
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(body.len());
    for &b in body.iter().skip(start) {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\r' | b'\n' if !in_quotes => break,
            b',' if !in_quotes => comma += 1,
            b';' if !in_quotes => semicolon += 1,
            b'\t' if !in_quotes => tab += 1,
            _ => {}
        }
    }
    if comma >= semicolon && comma >= tab {
        b','
    } else if semicolon >= tab {
        b';'
    } else {
        b'\t'
    }
}

/// Number of line breaks in `bytes[from..to]`: each `\n`, and each `\r` not followed by `\n`
/// (so CRLF, LF and old Mac CR-only files count alike). Looks one byte past `to` so that a
/// CRLF split between two ranges is counted exactly once.
pub(crate) fn count_line_breaks(bytes: &[u8], from: usize, to: usize) -> u32 {
    let Some(range) = bytes.get(from..to) else {
        return 0;
    };
    let mut n = 0u32;
    for (i, &b) in range.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(from + i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

/// Where a quoted field opened in `record` is still open at the end: `(line offset from the
/// start of `record`, 1-based column)`, or `None` when every quote is closed. Mirrors
/// csv-core's rules: a quote opens a quoted field only at the start of a field, `""` inside
/// is an escaped quote, and text after the closing quote belongs to the field unquoted.
pub(crate) fn unclosed_quote(record: &[u8], delimiter: u8) -> Option<(u32, usize)> {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let mut column = 1usize;
    let mut open_at = (0usize, 1usize);
    for (i, &b) in record.iter().enumerate() {
        let terminator = b == b'\r' || b == b'\n';
        state = match state {
            State::FieldStart | State::Unquoted | State::QuoteInQuoted if b == delimiter => {
                column += 1;
                State::FieldStart
            }
            State::FieldStart | State::Unquoted | State::QuoteInQuoted if terminator => {
                column = 1;
                State::FieldStart
            }
            State::FieldStart if b == b'"' => {
                open_at = (i, column);
                State::Quoted
            }
            State::FieldStart | State::Unquoted => State::Unquoted,
            State::Quoted if b == b'"' => State::QuoteInQuoted,
            State::Quoted | State::QuoteInQuoted if b == b'"' => State::Quoted,
            State::Quoted => State::Quoted,
            State::QuoteInQuoted => State::Unquoted,
        };
    }
    (state == State::Quoted).then(|| (count_line_breaks(record, 0, open_at.0), open_at.1))
}
