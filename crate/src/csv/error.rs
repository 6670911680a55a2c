//! What can go wrong reading CSV bytes, in words a researcher can act on.

use std::fmt;

/// What can go wrong reading the bytes. Lines are 1-based physical lines of the file; columns
/// are 1-based field positions.
#[derive(Debug, Clone, PartialEq)]
pub enum CsvError {
    /// No bytes at all, or only whitespace (and perhaps a byte-order mark).
    Empty,
    /// A header line but no data rows after it.
    NoRows {
        /// Number of fields in the header.
        columns: usize,
    },
    /// A data row with a different number of fields than the header.
    Ragged {
        line: u32,
        expected: usize,
        found: usize,
        delimiter: u8,
    },
    /// A quoted field that is still open at the end of the file.
    UnclosedQuote { line: u32, column: usize },
    /// Bytes that are not UTF-8 text (usually a Latin-1 / Windows-1252 file).
    InvalidUtf8 { line: u32, column: usize, byte: u8 },
    /// The file is UTF-16 text (byte-order mark or NUL bytes between the letters).
    Utf16,
    /// NUL bytes or a spreadsheet signature: not a text file at all.
    NotText {
        line: u32,
        /// The bytes start like an Excel workbook (.xlsx or .xls).
        excel: bool,
    },
    /// Two header fields with the same name.
    DuplicateName {
        name: String,
        first: usize,
        second: usize,
    },
    /// A header field that is empty (only allowed for trailing, all-empty columns).
    EmptyName { column: usize },
    /// A trailing header field that is empty although the column has values.
    UnnamedColumn { column: usize, line: u32 },
}

/// How to name a delimiter in a message.
pub(crate) fn delimiter_name(delimiter: u8) -> String {
    match delimiter {
        b',' => "commas".to_string(),
        b';' => "semicolons".to_string(),
        b'\t' => "tabs".to_string(),
        other => format!("'{}'", char::from(other)),
    }
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvError::Empty => write!(f, "the file is empty: expected a header line with column names and at least one data row"),
            CsvError::NoRows { columns } => write!(
                f,
                "the file has a header line ({columns} column{}) but no data rows below it",
                if *columns == 1 { "" } else { "s" }
            ),
            CsvError::Ragged { line, expected, found, delimiter } => write!(
                f,
                "line {line}: this row has {found} field{} but the header has {expected} \
                 (fields separated by {}); look for a missing or extra separator, or a value \
                 containing the separator that should be in double quotes",
                if *found == 1 { "" } else { "s" },
                delimiter_name(*delimiter)
            ),
            CsvError::UnclosedQuote { line, column } => write!(
                f,
                "line {line}, column {column}: a double quote (\") opens a quoted value that is \
                 never closed before the end of the file; add the closing quote or remove the \
                 opening one"
            ),
            CsvError::InvalidUtf8 { line, column, byte } => write!(
                f,
                "line {line}, column {column}: the text is not valid UTF-8 (byte 0x{byte:02X}); \
                 the file was probably saved as Latin-1 / Windows-1252 (older Excel does this). \
                 Save it as \"CSV UTF-8\" and load it again"
            ),
            CsvError::Utf16 => write!(
                f,
                "the file is saved as UTF-16 (\"Unicode text\"); save as UTF-8 CSV and load it again"
            ),
            CsvError::NotText { line, excel: true } => write!(
                f,
                "the file looks like an Excel workbook, not a text CSV file (binary data on line \
                 {line}); in Excel use \"Save As\" -> \"CSV UTF-8\" and load that file"
            ),
            CsvError::NotText { line, excel: false } => write!(
                f,
                "line {line}: the file contains NUL bytes and does not look like a text CSV file; \
                 export the data as CSV (UTF-8) and load that file"
            ),
            CsvError::DuplicateName { name, first, second } => write!(
                f,
                "the header has two columns named \"{name}\" (columns {first} and {second}); \
                 rename one so that every column name is unique"
            ),
            CsvError::EmptyName { column } => write!(
                f,
                "column {column} has no name in the header line; give every column a name"
            ),
            CsvError::UnnamedColumn { column, line } => write!(
                f,
                "column {column} has no name in the header line but has values (e.g. line \
                 {line}); give it a name, or delete the stray values"
            ),
        }
    }
}

impl std::error::Error for CsvError {}
