//! `factor(x)` of a numeric variable, with level labels written as R writes numbers, so that
//! coefficient names (`factor(week)2`, `factor(dose)0.5`) read exactly as in lme4's output.
//!
//! R's `factor()` takes the sorted unique values as levels and labels them with `as.character`,
//! which writes 15 significant digits and picks fixed or scientific notation, whichever is
//! narrower (fixed on a tie): 2 -> "2", 2.5 -> "2.5", 0.1 + 0.2 -> "0.3", 1e5 -> "1e+05",
//! 0.0001 -> "1e-04", 123456 -> "123456".

use super::Variable;
use crate::frame::MISSING_CODE;

/// `x` written as R's `as.character` writes a double (see the module docs).
pub fn r_number(x: f64) -> String {
    if x.is_nan() {
        return "NA".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Inf" } else { "-Inf" }.to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let scientific = format!("{:.14e}", x.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let sign = if x < 0.0 { "-" } else { "" };
    let nd = digits.len() as i64;

    let fixed_width = if exponent >= 0 {
        nd.max(exponent + 1) + i64::from(nd > exponent + 1)
    } else {
        1 + (-exponent) + nd
    };
    let exponent_width = if exponent.abs() >= 100 { 5 } else { 4 };
    let scientific_width = nd + i64::from(nd > 1) + exponent_width;

    if fixed_width <= scientific_width {
        let body = if exponent >= 0 {
            let whole = (exponent + 1) as usize;
            if digits.len() > whole {
                format!("{}.{}", &digits[..whole], &digits[whole..])
            } else {
                format!("{digits:0<whole$}")
            }
        } else {
            format!("0.{}{digits}", "0".repeat((-exponent - 1) as usize))
        };
        format!("{sign}{body}")
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let point = if rest.is_empty() { "" } else { "." };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{sign}{first}{point}{rest}e{exponent_sign}{:02}",
            exponent.abs()
        )
    }
}

/// A numeric variable as a factor: levels are the sorted distinct values, labelled by
/// [`r_number`]; NaN becomes missing. Values that R would print alike (they differ beyond 15
/// digits) share one level, as R merges duplicated labels.
pub fn factor_from_numbers(values: &[f64]) -> Variable {
    let mut distinct: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let mut levels: Vec<String> = Vec::new();
    // Level index of each distinct value; equal labels are adjacent because labels are monotone.
    let mut level_of = Vec::with_capacity(distinct.len());
    for &v in &distinct {
        let label = r_number(v);
        if levels.last() != Some(&label) {
            levels.push(label);
        }
        level_of.push((levels.len() - 1) as u32);
    }
    let codes = values
        .iter()
        .map(|v| {
            distinct
                .binary_search_by(|d| d.total_cmp(v))
                .ok()
                .and_then(|i| level_of.get(i).copied())
                .unwrap_or(MISSING_CODE)
        })
        .collect();
    Variable::Factor { codes, levels }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_r_writes_them() {
        let cases = [
            (1.0, "1"),
            (2.5, "2.5"),
            (-3.0, "-3"),
            (0.1 + 0.2, "0.3"),
            (100000.0, "1e+05"),
            (123456.0, "123456"),
            (0.0001, "1e-04"),
            (0.001, "0.001"),
            (0.00012, "0.00012"),
            (1234.5678, "1234.5678"),
            (1e100, "1e+100"),
            (-1.5e-10, "-1.5e-10"),
            (10.0, "10"),
            (-0.0, "0"),
            (1.0 / 3.0, "0.333333333333333"),
        ];
        for (x, expected) in cases {
            assert_eq!(r_number(x), expected, "{x}");
        }
    }

    #[test]
    fn numeric_factor_levels_are_sorted_numerically() {
        // As strings "10" would sort before "2"; R sorts the numbers.
        let f = factor_from_numbers(&[2.0, 10.0, f64::NAN, 2.5, 2.0]);
        assert_eq!(
            f,
            Variable::Factor {
                codes: vec![0, 2, MISSING_CODE, 1, 0],
                levels: vec!["2".into(), "2.5".into(), "10".into()],
            }
        );
    }

    #[test]
    fn values_printed_alike_share_a_level() {
        let f = factor_from_numbers(&[0.3, 0.1 + 0.2, 1.0]);
        assert_eq!(
            f,
            Variable::Factor {
                codes: vec![0, 0, 1],
                levels: vec!["0.3".into(), "1".into()],
            }
        );
    }
}
