//! What can go wrong reading an SPSS file, in words a researcher can act on.

use std::fmt;

/// What can go wrong reading an SPSS .sav or .zsav file.
#[derive(Debug, Clone, PartialEq)]
pub enum SavError {
    /// The file does not start with `$FL2` or `$FL3`.
    NotSav,
    /// The 176-byte header is damaged (layout code, case size).
    BadHeader { detail: &'static str },
    /// The file ends inside a record (or the data); `offset` is where reading stopped.
    Truncated { offset: usize, what: &'static str },
    /// A record type this reader does not know, at `offset`.
    UnknownRecord { record: i32, offset: usize },
    /// A dictionary record is inconsistent.
    BadRecord { offset: usize, detail: String },
    /// The compression code is not 0, 1 or 2.
    UnknownCompression { code: i32 },
    /// More cells than the cap.
    TooManyCells { limit: usize },
    /// A .zsav block cannot be decompressed.
    BadZlib { block: usize },
    /// The file declares no variables.
    NoVariables,
    /// The file holds no cases.
    NoCases,
}

impl fmt::Display for SavError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SavError::NotSav => write!(
                f,
                "this is not an SPSS data file (.sav or .zsav files start with \"$FL2\" or \
                 \"$FL3\"); a portable .por file must be saved again as .sav in SPSS"
            ),
            SavError::BadHeader { detail } => write!(
                f,
                "the SPSS file's header is damaged ({detail}); save the file again in SPSS \
                 or export it as CSV"
            ),
            SavError::Truncated { offset, what } => write!(
                f,
                "the SPSS file ends too early (at byte {offset}, in {what}); was it fully \
                 downloaded? Save it again in SPSS or export it as CSV"
            ),
            SavError::UnknownRecord { record, offset } => write!(
                f,
                "the SPSS file is damaged: byte {offset} should start a dictionary record, \
                 but holds record type {record}"
            ),
            SavError::BadRecord { offset, detail } => write!(
                f,
                "the SPSS file is damaged: the dictionary record at byte {offset} {detail}"
            ),
            SavError::UnknownCompression { code } => write!(
                f,
                "the SPSS file uses compression code {code}, which lagmix does not know \
                 (0 none, 1 bytecode, 2 zlib); save it again in SPSS"
            ),
            SavError::TooManyCells { limit } => write!(
                f,
                "the SPSS file has more than {limit} values, more than lagmix reads from an \
                 SPSS file; export it as CSV (lagmix streams CSV files of any size)"
            ),
            SavError::BadZlib { block } => write!(
                f,
                "the .zsav file is damaged: its compressed block {block} cannot be unpacked"
            ),
            SavError::NoVariables => write!(f, "the SPSS file declares no variables"),
            SavError::NoCases => write!(f, "the SPSS file holds no cases (no data rows)"),
        }
    }
}

impl std::error::Error for SavError {}
