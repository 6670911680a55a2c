//! From raw cell text to typed values: missing-value tokens, numbers (with an optional decimal
//! comma), and factor levels in R's order.

use super::{TextColumn, MISSING_CODE};
use crate::csv::RawColumn;
use std::cmp::Ordering;
use std::collections::HashMap;

/// The missing-value rule: built-in tokens plus the user's codes, compared as text and as numbers.
#[derive(Debug, Clone, Default)]
pub(crate) struct Missing {
    codes: Vec<String>,
    numbers: Vec<f64>,
}

impl Missing {
    /// `na` are the user's extra codes (e.g. `-99`); surrounding whitespace is ignored.
    pub(crate) fn new(na: &[String]) -> Missing {
        let codes: Vec<String> = na.iter().map(|c| c.trim().to_string()).collect();
        let numbers = codes
            .iter()
            .filter_map(|c| parse_number(c, true).map(|(v, _)| v))
            .filter(|v| v.is_finite())
            .collect();
        Missing { codes, numbers }
    }

    /// Missing by its text: empty or blank, `NA`, `NaN` (any case), `.`, or a user code.
    /// `cell` must already be trimmed.
    pub(crate) fn is_missing_text(&self, cell: &str) -> bool {
        cell.is_empty()
            || cell == "NA"
            || cell == "."
            || cell.eq_ignore_ascii_case("nan")
            || self.codes.iter().any(|c| c == cell)
    }

    /// Missing by its value: equal to a user code that is a number (`-99` matches `-99.0`).
    pub(crate) fn is_missing_number(&self, value: f64) -> bool {
        self.numbers.contains(&value)
    }
}

/// Parses a trimmed cell as a number; `decimal_comma` also accepts `1,5` (one comma, no point).
/// Returns the value and whether a decimal comma was used. Infinite values are returned for
/// the caller to reject with a line number; NaN spellings give `None` (the missing-value
/// tokens of [`Missing`] decide about those).
pub(crate) fn parse_number(cell: &str, decimal_comma: bool) -> Option<(f64, bool)> {
    let first = cell.as_bytes().first()?;
    // Rust also reads "inf", "infinity" and "nan"; only the infinities are wanted here (to
    // reject them clearly), and a number must start like one.
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.' | b'i' | b'I')) {
        return None;
    }
    if let Ok(v) = cell.parse::<f64>() {
        return (!v.is_nan()).then_some((v, false));
    }
    if !decimal_comma || cell.contains('.') || cell.bytes().filter(|&b| b == b',').count() != 1 {
        return None;
    }
    let mut buffer = [0u8; 64];
    let bytes = cell.as_bytes();
    let target = buffer.get_mut(..bytes.len())?;
    for (t, &b) in target.iter_mut().zip(bytes) {
        *t = if b == b',' { b'.' } else { b };
    }
    let text = std::str::from_utf8(target).ok()?;
    let v = text.parse::<f64>().ok()?;
    (!v.is_nan()).then_some((v, true))
}

/// A raw column typed: numbers when every non-missing cell is a number, otherwise a factor.
pub(crate) enum Typed {
    Numeric {
        values: Vec<f64>,
        decimal_comma: bool,
        /// Row of the first infinite value, which the caller turns into an error.
        first_infinite: Option<usize>,
    },
    Text(TextColumn),
}

/// Types one column. `decimal_comma` says whether `1,5` may be read as 1.5 (semicolon files).
pub(crate) fn type_column(raw: &RawColumn, missing: &Missing, decimal_comma: bool) -> Typed {
    let mut values = Vec::with_capacity(raw.len());
    let mut used_comma = false;
    let mut first_infinite = None;
    for cell in raw.iter() {
        let cell = cell.trim();
        if missing.is_missing_text(cell) {
            values.push(f64::NAN);
            continue;
        }
        match parse_number(cell, decimal_comma) {
            Some((v, _)) if missing.is_missing_number(v) => values.push(f64::NAN),
            Some((v, comma)) => {
                used_comma |= comma;
                if v.is_infinite() && first_infinite.is_none() {
                    first_infinite = Some(values.len());
                }
                values.push(v);
            }
            None => return Typed::Text(text_column(raw, missing, decimal_comma)),
        }
    }
    Typed::Numeric {
        values,
        decimal_comma: used_comma,
        first_infinite,
    }
}

/// Builds the factor: trimmed cell texts as levels in R's order, codes per row.
fn text_column(raw: &RawColumn, missing: &Missing, decimal_comma: bool) -> TextColumn {
    let mut index: HashMap<&str, u32> = HashMap::new();
    let mut first_seen: Vec<&str> = Vec::new();
    let mut codes = Vec::with_capacity(raw.len());
    let mut last: Option<(&str, u32)> = None;
    for cell in raw.iter() {
        let cell = cell.trim();
        let is_missing = missing.is_missing_text(cell)
            || (!missing.numbers.is_empty()
                && parse_number(cell, decimal_comma)
                    .is_some_and(|(v, _)| missing.is_missing_number(v)));
        if is_missing {
            codes.push(MISSING_CODE);
            continue;
        }
        // Panel files repeat the id (and often the group) on consecutive rows: skip the hash.
        if let Some(&(last_cell, last_code)) = last.as_ref() {
            if last_cell == cell {
                codes.push(last_code);
                continue;
            }
        }
        let code = *index.entry(cell).or_insert_with(|| {
            first_seen.push(cell);
            // A column has fewer than 2^32 - 1 distinct cells: rows are counted in u32 lines.
            u32::try_from(first_seen.len() - 1).unwrap_or(MISSING_CODE - 1)
        });
        last = Some((cell, code));
        codes.push(code);
    }
    let mut order: Vec<usize> = (0..first_seen.len()).collect();
    order.sort_by(|&a, &b| compare_levels(first_seen[a], first_seen[b]));
    let mut new_code = vec![0u32; first_seen.len()];
    for (rank, &old) in order.iter().enumerate() {
        new_code[old] = u32::try_from(rank).unwrap_or(MISSING_CODE - 1);
    }
    for code in codes.iter_mut().filter(|c| **c != MISSING_CODE) {
        *code = new_code
            .get(*code as usize)
            .copied()
            .unwrap_or(MISSING_CODE);
    }
    TextColumn {
        codes,
        levels: order.iter().map(|&i| first_seen[i].to_string()).collect(),
    }
}

/// Orders factor levels as R's `sort()` does in an English locale, so that factor levels, the
/// reference level and coefficient names match R: letters compare case-insensitively first,
/// and strings equal but for case put lowercase first (`b A a B` -> `a A b B`). Unlike glibc's
/// collation, punctuation and spaces are not ignored at the first level; strings that differ
/// only there are rare as level names.
pub fn compare_levels(a: &str, b: &str) -> Ordering {
    let folded_a = a.chars().flat_map(char::to_lowercase);
    let folded_b = b.chars().flat_map(char::to_lowercase);
    folded_a.cmp(folded_b).then_with(|| {
        for (ca, cb) in a.chars().zip(b.chars()) {
            if ca != cb {
                return match (ca.is_lowercase(), cb.is_lowercase()) {
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    _ => ca.cmp(&cb),
                };
            }
        }
        a.cmp(b)
    })
}
