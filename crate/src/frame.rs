//! Typed columns, missing values and factors ([`Frame`]); the panel of persons and occasions
//! ([`Panel`]).
//!
//! OWNER: data helper. Interface fixed; implementation to be written.

use crate::csv::CsvOptions;

/// Code of a missing cell in a [`TextColumn`].
pub const MISSING_CODE: u32 = u32::MAX;

/// Options for turning bytes into a frame.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub csv: CsvOptions,
    /// Extra missing-value codes given by the user (`--na -99,999`), compared as text and,
    /// for numeric columns, as numbers.
    pub na: Vec<String>,
}

/// A text column as an R factor: codes into `levels`, levels sorted as R sorts them.
#[derive(Debug, Clone, PartialEq)]
pub struct TextColumn {
    pub codes: Vec<u32>,
    pub levels: Vec<String>,
}

/// A typed column. Missing numeric cells are NaN.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Numeric(Vec<f64>),
    Text(TextColumn),
}

/// The data set: named typed columns of equal length.
#[derive(Debug, Clone)]
pub struct Frame {
    pub names: Vec<String>,
    pub columns: Vec<Column>,
    /// 1-based physical line number of each row in the file.
    pub row_lines: Vec<u32>,
    pub delimiter: u8,
    pub decimal_comma: bool,
}

/// What can go wrong typing the table or building the panel.
#[derive(Debug, Clone, PartialEq)]
pub enum DataError {
    Csv(crate::csv::CsvError),
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}
impl std::error::Error for DataError {}

impl Frame {
    /// Reads and types a CSV file.
    pub fn from_csv(_bytes: &[u8], _options: &ReadOptions) -> Result<Frame, DataError> {
        Err(DataError::Csv(crate::csv::CsvError::Empty))
    }
    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.row_lines.len()
    }
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| &self.columns[i])
    }
}

/// Persons and occasions: which person each row belongs to and at which time.
#[derive(Debug, Clone)]
pub struct Panel {
    pub id_name: Option<String>,
    pub time_name: Option<String>,
    /// Person index of each row (`MISSING_CODE` when the id cell is missing); empty without id.
    pub person: Vec<u32>,
    /// Person labels, indexed by `person`.
    pub persons: Vec<String>,
    /// Time of each row (NaN when missing); empty without time.
    pub time: Vec<f64>,
}

impl Panel {
    /// Builds the panel from the id and time columns. Errors: unknown column, non-numeric time,
    /// two rows with the same id and time (naming both lines).
    pub fn new(_frame: &Frame, id: Option<&str>, time: Option<&str>) -> Result<Panel, DataError> {
        Ok(Panel {
            id_name: id.map(str::to_string),
            time_name: time.map(str::to_string),
            person: vec![],
            persons: vec![],
            time: vec![],
        })
    }
}
