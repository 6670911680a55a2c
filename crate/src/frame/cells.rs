//! The rules for reading a cell: missing-value tokens, numbers (with an optional decimal comma),
//! and the order of factor levels (R's).

use std::cmp::Ordering;

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
    #[inline]
    pub(crate) fn is_missing_text(&self, cell: &str) -> bool {
        // No built-in token starts with a digit; this is the common case of a number.
        let builtin = match cell.as_bytes().first() {
            None => true,
            Some(b'0'..=b'9') => false,
            Some(_) => cell == "NA" || cell == "." || cell.eq_ignore_ascii_case("nan"),
        };
        builtin || self.codes.iter().any(|c| c == cell)
    }

    /// Missing by its value: equal to a user code that is a number (`-99` matches `-99.0`).
    pub(crate) fn is_missing_number(&self, value: f64) -> bool {
        self.numbers.contains(&value)
    }

    /// True when some user code is a number (then text cells must be read as numbers too).
    pub(crate) fn has_numbers(&self) -> bool {
        !self.numbers.is_empty()
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

/// `cell` without surrounding whitespace (Unicode's, as `str::trim`), checking the two ends
/// first because almost no cell has any.
pub(crate) fn trim(cell: &str) -> &str {
    let bytes = cell.as_bytes();
    let plain = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x80);
    if plain(bytes.first()) && plain(bytes.last()) {
        cell
    } else {
        cell.trim()
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
