//! What can go wrong typing the table or building the panel, in words a researcher can act on.

use crate::csv::CsvError;
use std::fmt;

/// What can go wrong typing the table or building the panel.
#[derive(Debug, Clone, PartialEq)]
pub enum DataError {
    /// The bytes could not be read as CSV.
    Csv(CsvError),
    /// No column has this name; `suggestion` is the nearest existing name, if any is close.
    UnknownColumn {
        name: String,
        suggestion: Option<String>,
    },
    /// The time column holds a value that is not a number.
    TimeNotNumeric {
        column: String,
        line: u32,
        value: String,
    },
    /// A column used as a number holds a value that is not a number.
    NotNumeric {
        column: String,
        line: u32,
        value: String,
    },
    /// Two rows for the same person at the same time.
    DuplicateOccasion {
        id_column: String,
        id: String,
        time_column: String,
        time: f64,
        first_line: u32,
        second_line: u32,
    },
    /// A numeric cell holds an infinite value (`Inf`, `-Inf`, or a number too large for f64).
    InfiniteValue {
        column: String,
        line: u32,
        value: String,
    },
}

impl From<CsvError> for DataError {
    fn from(e: CsvError) -> DataError {
        DataError::Csv(e)
    }
}

/// A number as a researcher would write it: `3` not `3.0`, `1.5`, `-2`.
pub fn format_number(value: f64) -> String {
    // `-0` would look like a typo in a message.
    format!("{}", value + 0.0)
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::Csv(e) => e.fmt(f),
            DataError::UnknownColumn {
                name,
                suggestion: Some(s),
            } => write!(
                f,
                "there is no column \"{name}\" in the data; did you mean \"{s}\"?"
            ),
            DataError::UnknownColumn {
                name,
                suggestion: None,
            } => write!(
                f,
                "there is no column \"{name}\" in the data (names must match the header line \
                 exactly, including upper and lower case)"
            ),
            DataError::TimeNotNumeric {
                column,
                line,
                value,
            } => write!(
                f,
                "line {line}: the time column \"{column}\" must hold numbers, but this row has \
                 \"{value}\"; code occasions as numbers (e.g. 0, 1, 2) and leave unknown times \
                 empty or NA"
            ),
            DataError::NotNumeric {
                column,
                line,
                value,
            } => write!(
                f,
                "line {line}: column \"{column}\" must hold numbers, but this row has \
                 \"{value}\"; correct the value, or leave the cell empty (or NA) if it is missing"
            ),
            DataError::DuplicateOccasion {
                id_column,
                id,
                time_column,
                time,
                first_line,
                second_line,
            } => write!(
                f,
                "line {second_line}: person \"{id}\" has two rows for {time_column} = {} (the \
                 other is line {first_line}); each person ({id_column}) may have one row per \
                 occasion",
                format_number(*time)
            ),
            DataError::InfiniteValue {
                column,
                line,
                value,
            } => write!(
                f,
                "line {line}, column \"{column}\": \"{value}\" is an infinite value; lagmix \
                 cannot use it; mark it as missing (empty cell or NA) or correct it"
            ),
        }
    }
}

impl std::error::Error for DataError {}
