//! SPSS system files (.sav, and .zsav with zlib blocks) -> variables with their labels,
//! measurement levels and values, and from those a [`CellTable`] like the CSV reader's.
//!
//! A small reader of the format documented in the GNU PSPP manual (appendix "System File
//! Format"), written here rather than taken from crates.io: the pure-Rust candidate, ambers,
//! depends on arrow and rayon (a thread pool, which wasm32-unknown-unknown cannot start), far
//! more than the page should load for a few hundred lines of parsing.
//!
//! What is read: numeric variables as numbers; SPSS's system-missing value and the user-missing
//! values each variable declares (up to three codes, or a range with an optional code) as
//! missing; string variables as text (trailing spaces removed; user-missing codes missing; very
//! long strings of record 7.14 joined from their segments); variable labels, value labels of
//! numeric variables, measurement levels (record 7.11), long names (7.13) and the character
//! encoding (7.20, or the code page of record 7.3; Windows-1252 when neither is given).
//!
//! Into a table ([`SavFile::into_table`]): a numeric variable with value labels whose level is
//! nominal becomes a factor whose levels are its labels in the order of their codes (as
//! `haven::as_factor` makes them; a code without a label is its own level); ordinal and scale
//! variables stay numeric (Likert items must stay numbers for scores), their labels kept for
//! display. The caller may ask for either treatment per variable. Row `r` of the table reports
//! as line `r + 2`, the line it would have in a CSV export with a header.

mod data;
mod dictionary;
mod error;
#[cfg(test)]
mod tests;
mod variables;

pub use data::MAX_VALUES;
pub use error::SavError;
pub use variables::{Measure, SavValues, SavVariable};

use crate::frame::{format_number, Cell, CellTable, SourceColumn, TextColumn, MISSING_CODE};
use dictionary::Bytes;

/// An SPSS file, read.
#[derive(Debug, Clone)]
pub struct SavFile {
    /// The variables in file order.
    pub variables: Vec<SavVariable>,
    /// Number of cases (rows).
    pub cases: usize,
    /// The file label, trimmed.
    pub file_label: String,
    /// Document lines (record 6), trimmed.
    pub documents: Vec<String>,
    /// The character encoding the text was decoded with.
    pub encoding: String,
    /// "none", "bytecode" or "zlib".
    pub compression: &'static str,
}

/// True when `bytes` start like an SPSS system file.
pub fn looks_like_sav(bytes: &[u8]) -> bool {
    bytes.starts_with(b"$FL2") || bytes.starts_with(b"$FL3")
}

/// Reads an SPSS .sav or .zsav file. Errors: see [`SavError`] (not SPSS, damaged header,
/// truncated records or data, a cap reached).
pub fn read_sav(bytes: &[u8]) -> Result<SavFile, SavError> {
    let mut reader = Bytes::new(bytes);
    let dictionary = dictionary::read_dictionary(&mut reader)?;
    let slots = data::read_slots(&mut reader, &dictionary)?;
    let cases = slots.len() / dictionary.case_slots.max(1);
    if cases == 0 {
        return Err(SavError::NoCases);
    }
    let file = variables::assemble(&dictionary, &reader, &slots, cases);
    Ok(file)
}

impl SavFile {
    /// The variable called `name`.
    pub fn variable(&self, name: &str) -> Option<&SavVariable> {
        self.variables.iter().find(|v| v.name == name)
    }

    /// The table the rest of lagmix reads. `as_factor` says per variable whether a labelled
    /// numeric variable becomes a factor; [`SavVariable::factor_by_default`] is the rule in the
    /// module header.
    pub fn into_table(self, as_factor: &dyn Fn(&SavVariable) -> bool) -> CellTable {
        let names = self.variables.iter().map(|v| v.name.clone()).collect();
        let columns = self
            .variables
            .into_iter()
            .map(|v| {
                let factor = as_factor(&v) && !v.value_labels.is_empty();
                match v.values {
                    SavValues::Numeric(values) if factor => {
                        SourceColumn::Factor(labelled_factor(&values, &v.value_labels))
                    }
                    SavValues::Numeric(values) => {
                        SourceColumn::Cells(values.into_iter().map(Cell::Number).collect())
                    }
                    SavValues::Text(texts) => SourceColumn::Cells(
                        texts
                            .into_iter()
                            .map(|t| {
                                if t.is_empty() {
                                    Cell::Missing
                                } else {
                                    Cell::Text(t)
                                }
                            })
                            .collect(),
                    ),
                }
            })
            .collect();
        let rows = u32::try_from(self.cases).unwrap_or(u32::MAX - 2);
        CellTable {
            names,
            columns,
            row_lines: (0..rows).map(|r| r.saturating_add(2)).collect(),
        }
    }
}

/// A factor over the codes in `values`: one level per labelled code and per unlabelled code that
/// occurs, ordered by code; a level is the code's label (or the code written as a number). Two
/// codes with the same label keep apart as `label (code)`. `labels` are sorted by code (see
/// [`SavVariable::value_labels`]); lookups are binary searches and counts a hash map, so that a
/// crafted file with many labels costs n log n, not n squared.
fn labelled_factor(values: &[f64], labels: &[(f64, String)]) -> TextColumn {
    let mut codes: Vec<f64> = labels.iter().map(|(code, _)| *code).collect();
    codes.extend(values.iter().copied().filter(|v| !v.is_nan()));
    codes.sort_by(f64::total_cmp);
    codes.dedup();
    let label_of = |code: f64| {
        labels
            .binary_search_by(|(c, _)| c.total_cmp(&code))
            .ok()
            .and_then(|i| labels.get(i))
            .map(|(_, l)| l.clone())
    };
    let mut levels: Vec<String> = codes
        .iter()
        .map(|&c| label_of(c).unwrap_or_else(|| format_number(c)))
        .collect();
    let mut uses: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for level in &levels {
        *uses.entry(level.as_str()).or_insert(0) += 1;
    }
    let shared: Vec<bool> = levels
        .iter()
        .map(|l| uses.get(l.as_str()) > Some(&1))
        .collect();
    for ((level, shared), code) in levels.iter_mut().zip(shared).zip(&codes) {
        if shared {
            *level = format!("{level} ({})", format_number(*code));
        }
    }
    let index = |v: f64| {
        codes
            .binary_search_by(|c| c.total_cmp(&v))
            .ok()
            .and_then(|i| u32::try_from(i).ok())
            .unwrap_or(MISSING_CODE)
    };
    TextColumn {
        codes: values
            .iter()
            .map(|&v| if v.is_nan() { MISSING_CODE } else { index(v) })
            .collect(),
        levels,
    }
}
