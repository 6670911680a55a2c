//! Byte-level checks beside the csv-core record parser: encoding and binary sniffing, and
//! delimiter detection from the header line.

use super::CsvError;

/// The UTF-8 byte-order mark that Excel writes at the start of "CSV UTF-8" files.
pub(crate) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The error for a file whose first bytes say it is not UTF-8 text: a UTF-16 byte-order mark
/// ([`CsvError::Utf16`]) or a spreadsheet signature ([`CsvError::NotText`]).
pub(crate) fn signature_error(start: &[u8]) -> Option<CsvError> {
    if start.starts_with(b"\xFF\xFE") || start.starts_with(b"\xFE\xFF") {
        return Some(CsvError::Utf16);
    }
    // xlsx is a zip archive; xls is an OLE compound document.
    if start.starts_with(b"PK\x03\x04") || start.starts_with(b"\xD0\xCF\x11\xE0") {
        return Some(CsvError::NotText {
            line: 1,
            excel: true,
        });
    }
    None
}

/// UTF-16 text of mostly ASCII characters has a NUL in every other byte: at odd positions for
/// little-endian, even for big-endian, and none at the other parity.
pub(crate) fn looks_like_utf16(body: &[u8]) -> bool {
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

/// The first non-blank line of `body` up to its first line break outside quotes, and whether
/// that break was found (false: the line may go on in bytes not yet read).
fn first_line(body: &[u8]) -> (&[u8], bool) {
    let start = body
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(body.len());
    let line = &body[start..];
    let mut in_quotes = false;
    for (i, &b) in line.iter().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\r' | b'\n' if !in_quotes => return (&line[..i], true),
            _ => {}
        }
    }
    (line, false)
}

/// The delimiter among `,` `;` and tab that occurs most often outside quotes on the first
/// non-blank line; comma on ties and when none occurs (a single-column file).
pub(crate) fn detect_delimiter(body: &[u8]) -> u8 {
    let (mut comma, mut semicolon, mut tab) = (0usize, 0usize, 0usize);
    let mut in_quotes = false;
    for &b in first_line(body).0 {
        match b {
            b'"' => in_quotes = !in_quotes,
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

/// True when `body` holds its first non-blank line up to an unquoted line break, which is
/// all that [`detect_delimiter`] looks at.
pub(crate) fn first_line_complete(body: &[u8]) -> bool {
    first_line(body).1
}
