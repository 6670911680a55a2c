//! Arithmetic, scale() and poly() on the small panel of `tests.rs`, computed by hand, with
//! expressions parsed from formula text as a user writes them.

use super::tests::{data, values};
use super::*;
use crate::formula::parse_formula;

const NA: f64 = f64::NAN;

/// The first fixed term's variable of `y ~ <term>` (or the response of `<term> ~ 1`).
fn expr(term: &str) -> Expr {
    let spec = parse_formula(&format!("spin ~ {term}")).unwrap_or_else(|e| panic!("{e}"));
    spec.terms[0].factors[0].clone()
}

fn numbers(term: &str) -> Vec<f64> {
    let (frame, panel) = data();
    values(&evaluate(&expr(term), &frame, &panel).unwrap_or_else(|e| panic!("{term}: {e}")))
}

fn close(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!(
            (g.is_nan() && w.is_nan()) || (g - w).abs() < 1e-12,
            "{got:?} vs {want:?}"
        );
    }
}

#[test]
fn arithmetic_is_elementwise_and_missing_stays_missing() {
    // spin: 4, 1, 5, 2, NA, 9, NA, 3
    close(
        &numbers("I(spin^2 - 1)"),
        &[15.0, 0.0, 24.0, 3.0, NA, 80.0, NA, 8.0],
    );
    close(
        &numbers("I((spin + 1)/2)"),
        &[2.5, 1.0, 3.0, 1.5, NA, 5.0, NA, 2.0],
    );
    close(
        &numbers("log(spin, 2)"),
        &[2.0, 0.0, 5f64.log2(), 1.0, NA, 9f64.log2(), NA, 3f64.log2()],
    );
    close(&numbers("sqrt(abs(-spin))")[..2], &[2.0, 1.0]);
    // within(log(spin)): log then person-centred; A's mean of logs is (0 + ln 5) / 2.
    let w = numbers("within(log(spin))");
    assert!((w[1] - (0.0 - 5f64.ln() / 2.0)).abs() < 1e-12);
    // I(lag(spin)^2): B's week 2 lags to week 1 (2).
    assert_eq!(numbers("I(lag(spin)^2)")[0], 4.0);
}

#[test]
fn scale_uses_every_observed_value() {
    // Six observed values, mean 4, sum of squares about the mean 0+9+1+4+25+1 = 40, sd sqrt(40/5).
    let sd = (40.0f64 / 5.0).sqrt();
    let z = numbers("scale(spin)");
    close(
        &z,
        &[
            0.0,
            -3.0 / sd,
            1.0 / sd,
            -2.0 / sd,
            NA,
            5.0 / sd,
            NA,
            -1.0 / sd,
        ],
    );
    close(
        &numbers("scale(spin, scale = FALSE)"),
        &[0.0, -3.0, 1.0, -2.0, NA, 5.0, NA, -1.0],
    );
    // center = FALSE divides by the root mean square sqrt(sum x^2 / (n - 1)) = sqrt(136 / 5).
    let rms = (136.0f64 / 5.0).sqrt();
    assert!((numbers("scale(spin, center = FALSE)")[0] - 4.0 / rms).abs() < 1e-12);
    close(
        &numbers("scale(spin, center = 1, scale = 2)")[..2],
        &[1.5, 0.0],
    );
}

#[test]
fn poly_columns_are_orthonormal_over_the_observed_rows() {
    let (frame, panel) = data();
    let (columns, warnings) =
        evaluate_columns(&expr("poly(spin, 2)"), &frame, &panel).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(columns.len(), 2);
    assert!(
        warnings[0].contains("spin is missing on 2 of 8 rows"),
        "{warnings:?}"
    );
    let (a, b) = (values(&columns[0]), values(&columns[1]));
    let observed = |v: &[f64]| {
        v.iter()
            .copied()
            .filter(|x| !x.is_nan())
            .collect::<Vec<_>>()
    };
    let (a, b) = (observed(&a), observed(&b));
    let dot = |u: &[f64], v: &[f64]| u.iter().zip(v).map(|(x, y)| x * y).sum::<f64>();
    assert!((dot(&a, &a) - 1.0).abs() < 1e-12, "{a:?}");
    assert!((dot(&b, &b) - 1.0).abs() < 1e-12);
    assert!(dot(&a, &b).abs() < 1e-12);
    assert!(a.iter().sum::<f64>().abs() < 1e-12);
    // The first column is the centred x scaled to length 1 (sqrt 40): 4 -> 0, 9 -> 5 / sqrt 40.
    assert!((a[4] - 5.0 / 40f64.sqrt()).abs() < 1e-12, "{a:?}");
    let (raw, _) = evaluate_columns(&expr("poly(spin, 2, raw = TRUE)"), &frame, &panel)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(values(&raw[1])[0], 16.0);
}

#[test]
fn text_in_arithmetic_and_values_out_of_domain_are_errors() {
    let (frame, panel) = data();
    let fails = |term: &str| match evaluate_columns(&expr(term), &frame, &panel) {
        Err(e) => e.to_string(),
        Ok(v) => panic!("{term}: expected an error, got {v:?}"),
    };
    assert!(fails("I(group * 2)").contains("'group' is text"));
    assert!(fails("poly(group, 2)").contains("'group' is text"));
    let e = fails("log(spin - 2)");
    assert!(
        e.contains("`log(spin - 2)` cannot be computed on 2 rows"),
        "{e}"
    );
    assert!(e.contains("line 3, with spin - 2 = -1"), "{e}");
    assert!(fails("I(1/(spin - 4))").contains("division by zero"));
    assert!(fails("poly(spin, 6)").contains("has only 6"));
}
