//! CSV bytes -> [`Table`] of raw text columns, with csv-core.
//!
//! OWNER: data helper. Interface fixed; implementation to be written.

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
    /// The raw (unquoted) text of `row`.
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
}

/// The file as read: header names and one raw column per header field.
#[derive(Debug, Clone)]
pub struct Table {
    pub names: Vec<String>,
    pub columns: Vec<RawColumn>,
    /// 1-based physical line number where each data row starts (for error messages).
    pub row_lines: Vec<u32>,
    /// The delimiter used (given or detected).
    pub delimiter: u8,
}

/// What can go wrong reading the bytes.
#[derive(Debug, Clone, PartialEq)]
pub enum CsvError {
    Empty,
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}
impl std::error::Error for CsvError {}

/// Reads CSV bytes into a [`Table`].
pub fn read_csv(_bytes: &[u8], _options: &CsvOptions) -> Result<Table, CsvError> {
    Err(CsvError::Empty)
}
