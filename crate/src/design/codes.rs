//! Values that look like missing-value codes used as numbers.
//!
//! SPSS and REDCap exports mark a missing answer with codes such as -99 or 999. When the user has
//! not declared them (`--na -99`), they are ordinary numbers to lagmix, and a single -99 in a
//! 0-68 symptom scale moves every estimate. We cannot know it is a code, so the fit goes on,
//! but a researcher wants to be told.

use crate::formula::Expr;
use crate::frame::{Column, Frame};
use crate::transform::r_number;

/// Codes commonly used for missing answers.
const USUAL_CODES: [f64; 8] = [-9.0, -99.0, -999.0, -9999.0, 99.0, 999.0, 9999.0, 99999.0];

/// The data columns read as numbers inside `expr` (not inside `factor()`).
fn numeric_columns<'e>(expr: &'e Expr, out: &mut Vec<&'e str>) {
    match expr {
        Expr::Column(name) => out.push(name),
        Expr::Factor(_) => {}
        other => {
            for e in other.children() {
                numeric_columns(e, out);
            }
        }
    }
}

/// One warning per column of `exprs` holding a usual missing-value code far outside the range
/// of its other values (beyond the other values' range again on that side).
pub(crate) fn suspicious_codes(exprs: &[&Expr], frame: &Frame) -> Vec<String> {
    let mut columns = Vec::new();
    for e in exprs {
        numeric_columns(e, &mut columns);
    }
    columns.sort_unstable();
    columns.dedup();
    let mut warnings = Vec::new();
    for name in columns {
        let Some(Column::Numeric(values)) = frame.column(name) else {
            continue;
        };
        // One pass finds the codes that occur at all (nearly always none); only those are
        // counted and compared with the column's range.
        let mut present = [false; USUAL_CODES.len()];
        for &v in values.iter().filter(|v| v.abs() >= 9.0) {
            if let Some(i) = USUAL_CODES.iter().position(|&c| c == v) {
                present[i] = true;
            }
        }
        for (code, _) in USUAL_CODES.iter().copied().zip(present).filter(|(_, p)| *p) {
            let rows = values.iter().filter(|&&v| v == code).count();
            let others = values.iter().filter(|v| !v.is_nan() && **v != code);
            let (lo, hi) = others.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
            // No other value at all (lo = +inf, hi = -inf): nothing to compare with.
            if lo > hi {
                continue;
            }
            let range = hi - lo;
            let far = if code < lo {
                code < lo - range.max(1.0)
            } else {
                code > hi + range.max(1.0)
            };
            if far {
                let c = r_number(code);
                warnings.push(format!(
                    "`{name}` has the value {c} in {rows} row{}, far outside its other values ({} to {}). If {c} marks a \
                     missing answer, declare it as a missing-value code (--na {c}, or \"Extra missing-value codes\" on \
                     the page): lagmix has used it as a number.",
                    if rows == 1 { "" } else { "s" },
                    r_number(lo),
                    r_number(hi)
                ));
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(values: Vec<f64>) -> Frame {
        Frame {
            names: vec!["spin".into()],
            row_lines: (2..2 + values.len() as u32).collect(),
            columns: vec![Column::Numeric(values)],
            delimiter: b',',
            decimal_comma: false,
        }
    }

    #[test]
    fn a_code_far_below_the_scale_is_named() {
        let f = frame(vec![10.0, 30.0, -99.0, 68.0, 0.0, -99.0]);
        let e = Expr::Lag(Box::new(Expr::Column("spin".into())), 1);
        let w = suspicious_codes(&[&e], &f);
        assert_eq!(w.len(), 1);
        assert!(
            w[0].starts_with(
                "`spin` has the value -99 in 2 rows, far outside its other values (0 to 68)"
            ),
            "{}",
            w[0]
        );
    }

    #[test]
    fn a_code_inside_the_scale_or_inside_factor_is_not() {
        let f = frame(vec![-150.0, 30.0, -99.0, 68.0]);
        assert!(suspicious_codes(&[&Expr::Column("spin".into())], &f).is_empty());
        let f = frame(vec![10.0, 30.0, -99.0, 68.0]);
        let e = Expr::Factor(Box::new(Expr::Column("spin".into())));
        assert!(suspicious_codes(&[&e], &f).is_empty());
    }
}
