//! Reading a cell as a number quickly, and remembering how it was written.
//!
//! Most cells are plain decimals (`3`, `-2.4627`, `0,5`). For those the value is computed
//! directly: when the digits form an integer `m <= 2^53` and there are `d <= 22` decimals,
//! `m / 10^d` in one IEEE division is the correctly rounded value (Clinger's fast path), which
//! is what Rust's `f64` parser returns too. Everything else goes through
//! [`parse_number`](super::cells::parse_number).
//!
//! A column is typed while it streams past, so a column that turns out to be text after
//! 10,000 numbers must still recover the text of those cells for its levels. Storing the text
//! would double the memory; instead each cell keeps a one-byte [`Style`]: a plain decimal with
//! `m < 2^52` is rewritten exactly by formatting the value with its `d` decimals, and the rare
//! other spellings (`+2`, `1e3`, `007`, `.5`) are kept verbatim by the caller. While every
//! present cell of a column has the same style, the caller keeps that one style, not one a cell.

use super::cells::parse_number;

/// How a numeric cell was written, enough to write it again.
pub(crate) type Style = u8;
/// The cell was missing.
pub(crate) const STYLE_MISSING: Style = 0xFF;
/// The cell's text is kept verbatim beside the column.
pub(crate) const STYLE_VERBATIM: Style = 0xFE;
/// Flag on a plain style: the decimal separator was a comma.
const COMMA: Style = 0x40;

const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A trimmed cell read as a number: the value, how it was written, and whether a decimal
/// comma was used. `None` when the cell is not a number. Values and acceptance are those of
/// [`parse_number`].
pub(crate) fn read_number(cell: &str, decimal_comma: bool) -> Option<(f64, Style, bool)> {
    if let Some(fast) = plain_decimal(cell.as_bytes(), decimal_comma) {
        return Some(fast);
    }
    parse_number(cell, decimal_comma).map(|(v, comma)| (v, STYLE_VERBATIM, comma))
}

/// `[+-]digits[(.|,)digits]` with a small enough mantissa, or `None`.
fn plain_decimal(bytes: &[u8], decimal_comma: bool) -> Option<(f64, Style, bool)> {
    let (negative, plus, digits) = match bytes.first()? {
        b'-' => (true, false, bytes.get(1..)?),
        b'+' => (false, true, bytes.get(1..)?),
        _ => (false, false, bytes),
    };
    let (mantissa, int_digits) = digits_value(digits, 0);
    let rest = digits.get(int_digits..).unwrap_or(&[]);
    let (mantissa, frac_digits, separator) = match rest.first() {
        None => (mantissa, 0, None),
        Some(&b) if b == b'.' || (b == b',' && decimal_comma) => {
            let fraction = rest.get(1..).unwrap_or(&[]);
            let (mantissa, frac_digits) = digits_value(fraction, mantissa);
            if frac_digits == 0 || frac_digits != fraction.len() {
                return None;
            }
            (mantissa, frac_digits, Some(b))
        }
        Some(_) => return None,
    };
    // 19 digits always fit in u64; longer numbers are left to the full parser.
    if int_digits == 0 || int_digits + frac_digits > 19 {
        return None;
    }
    if mantissa > 1 << 53 || frac_digits >= POWERS_OF_TEN.len() {
        return None;
    }
    // Exact: both operands are exactly representable and one division rounds once.
    #[allow(clippy::cast_precision_loss)]
    let magnitude = mantissa as f64 / POWERS_OF_TEN.get(frac_digits).copied()?;
    let value = if negative { -magnitude } else { magnitude };
    let comma = separator == Some(b',');
    let leading_zero = int_digits > 1 && digits.first() == Some(&b'0');
    let style = if plus || leading_zero || mantissa >= 1 << 52 {
        STYLE_VERBATIM
    } else {
        // frac_digits <= 22 fits below the COMMA flag.
        frac_digits as Style | if comma { COMMA } else { 0 }
    };
    Some((value, style, comma))
}

/// Reads the leading ASCII digits of `bytes` onto `mantissa`: the new mantissa and how many
/// digits there were (the mantissa wraps past 19 digits; the caller rejects those).
fn digits_value(bytes: &[u8], mut mantissa: u64) -> (u64, usize) {
    let mut n = 0;
    for &b in bytes {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(digit));
        n += 1;
    }
    (mantissa, n)
}

/// Writes a cell again from its value and a plain [`Style`] (not missing or verbatim).
pub(crate) fn write_plain(value: f64, style: Style, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    let decimals = usize::from(style & !COMMA);
    // Writing into a String cannot fail.
    let _ = write!(out, "{value:.decimals$}");
    if style & COMMA != 0 {
        *out = out.replace('.', ",");
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

    use super::*;

    fn rewritten(cell: &str, comma: bool) -> Option<String> {
        let (value, style, _) = read_number(cell, comma)?;
        if style == STYLE_VERBATIM {
            return None;
        }
        let mut out = String::new();
        write_plain(value, style, &mut out);
        Some(out)
    }

    #[test]
    fn fast_values_match_the_full_parser() {
        for cell in [
            "0",
            "-0",
            "3",
            "-2.4627",
            "3.8980",
            "0.1",
            "0.3",
            "123456789.123456",
            "9007199254740992",
            "0.000000000000000000001",
            "+2",
            "007",
            "1.7976931348623157",
            "4503599627370495.5",
        ] {
            let (fast, _, _) = read_number(cell, false).unwrap();
            let full: f64 = cell.parse().unwrap();
            assert_eq!(fast.to_bits(), full.to_bits(), "{cell}");
        }
        let (v, _, comma) = read_number("-0,25", true).unwrap();
        assert_eq!((v, comma), (-0.25, true));
        assert!(read_number("1,5", false).is_none());
        assert!(read_number("1.2.3", false).is_none());
        assert!(read_number("1,2,3", true).is_none());
        assert!(read_number("-", false).is_none());
        // The slow path still reads what Rust reads.
        assert_eq!(read_number("1e3", false).unwrap().0, 1000.0);
        assert_eq!(read_number(".5", false).unwrap().0, 0.5);
        assert_eq!(read_number("5.", false).unwrap().0, 5.0);
        assert!(read_number("-Inf", false).unwrap().0.is_infinite());
    }

    #[test]
    fn plain_cells_are_written_back_exactly() {
        for cell in [
            "0",
            "-0",
            "-0.00",
            "3.8980",
            "12",
            "0.0702",
            "4503599627370495",
            "99.5",
        ] {
            assert_eq!(rewritten(cell, false).as_deref(), Some(cell));
        }
        assert_eq!(rewritten("-99,50", true).as_deref(), Some("-99,50"));
        // Spellings that formatting would change are kept verbatim instead.
        for cell in [
            "+2",
            "007",
            "1e3",
            ".5",
            "5.",
            "4503599627370496",
            "12345678901234567890",
        ] {
            assert_eq!(rewritten(cell, false), None, "{cell}");
        }
    }
}
