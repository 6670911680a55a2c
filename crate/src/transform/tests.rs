//! Hand-computed cases on a small panel whose rows are out of order, with a missed week, missing
//! values, a person without any observed value and a row without a person.

use super::*;

const NA: f64 = f64::NAN;
const M: u32 = MISSING_CODE;

/// row | person | week | spin | group
///  0  |   B    |  2   |  4   |  b
///  1  |   A    |  1   |  1   |  a
///  2  |   A    |  3   |  5   |  b      (A was not seen in week 2)
///  3  |   B    |  1   |  2   |  a
///  4  |   A    |  4   |  NA  |  NA
///  5  |   B    |  3   |  9   |  a
///  6  |   C    |  1   |  NA  |  b      (C never has spin)
///  7  |   NA   |  1   |  3   |  a
///
/// Person means of spin: A (1 + 5) / 2 = 3, B (4 + 2 + 9) / 3 = 5, C none. Grand mean 24 / 6 = 4.
const DATA: &str = "\
id,week,spin,group
B,2,4,b
A,1,1,a
A,3,5,b
B,1,2,a
A,4,NA,NA
B,3,9,a
C,1,NA,b
NA,1,3,a
";

pub(super) fn data() -> (Frame, Panel) {
    let frame =
        Frame::from_csv(DATA.as_bytes(), &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    let panel = Panel::new(&frame, Some("id"), Some("week")).unwrap_or_else(|e| panic!("{e}"));
    (frame, panel)
}

fn col(name: &str) -> Expr {
    Expr::Column(name.into())
}
fn lag(e: Expr, k: u32) -> Expr {
    Expr::Lag(Box::new(e), k)
}
fn lead(e: Expr, k: u32) -> Expr {
    Expr::Lead(Box::new(e), k)
}
fn within(e: Expr) -> Expr {
    Expr::Within(Box::new(e))
}
fn between(e: Expr) -> Expr {
    Expr::Between(Box::new(e))
}

/// The error's text; fails the test when there is no error.
fn message<T: std::fmt::Debug>(result: Result<T, TransformError>) -> String {
    match result {
        Err(e) => e.to_string(),
        Ok(v) => panic!("expected an error, got {v:?}"),
    }
}

/// The values of a numeric variable (fails the test for a factor).
pub(super) fn values(variable: &Variable) -> Vec<f64> {
    match variable {
        Variable::Numeric(v) => v.clone(),
        other => panic!("expected numbers, got {other:?}"),
    }
}

fn numeric(expr: &Expr, frame: &Frame, panel: &Panel) -> Vec<f64> {
    match evaluate(expr, frame, panel) {
        Ok(Variable::Numeric(v)) => v,
        other => panic!("{}: expected numbers, got {other:?}", expr.name()),
    }
}

/// Equal to 1e-12, NaN only where NaN is expected.
fn assert_values(expr: Expr, expected: &[f64]) {
    let (frame, panel) = data();
    let got = numeric(&expr, &frame, &panel);
    assert_eq!(got.len(), expected.len(), "{}", expr.name());
    for (row, (g, e)) in got.iter().zip(expected).enumerate() {
        let same = (g.is_nan() && e.is_nan()) || (g - e).abs() < 1e-12;
        assert!(same, "{} row {row}: got {g}, expected {e}", expr.name());
    }
}

#[test]
fn columns_keep_their_type() {
    assert_values(col("spin"), &[4.0, 1.0, 5.0, 2.0, NA, 9.0, NA, 3.0]);
    let (frame, panel) = data();
    let group = evaluate(&col("group"), &frame, &panel);
    assert_eq!(
        group,
        Ok(Variable::Factor {
            codes: vec![1, 0, 1, 0, M, 0, 1, 0],
            levels: vec!["a".into(), "b".into()],
        })
    );
}

#[test]
fn within_and_between_use_all_observed_values_of_the_person() {
    assert_values(
        within(col("spin")),
        &[-1.0, -2.0, 2.0, -3.0, NA, 4.0, NA, NA],
    );
    // Row 4 has no spin but is A's row: between is A's mean there too.
    assert_values(
        between(col("spin")),
        &[5.0, 3.0, 3.0, 5.0, 3.0, 5.0, NA, NA],
    );
}

#[test]
fn center_subtracts_the_grand_mean() {
    let center = Expr::Center(Box::new(col("spin")));
    assert_values(center, &[0.0, -3.0, 1.0, -2.0, NA, 5.0, NA, -1.0]);
}

#[test]
fn lag_is_matched_by_time_not_by_row_order() {
    // Row 2 is A's week 3; A's week 2 is missing, so its lag is missing (not week 1's 1).
    assert_values(lag(col("spin"), 1), &[2.0, NA, NA, NA, 5.0, 4.0, NA, NA]);
    assert_values(lag(col("spin"), 2), &[NA, NA, 1.0, NA, NA, 2.0, NA, NA]);
    assert_values(lead(col("spin"), 1), &[9.0, NA, NA, 4.0, NA, NA, NA, NA]);
    // k = 0 is the value itself wherever the row has a person and a time.
    assert_values(lag(col("spin"), 0), &[4.0, 1.0, 5.0, 2.0, NA, 9.0, NA, NA]);
}

#[test]
fn nested_functions_evaluate_the_inside_over_the_whole_panel() {
    // within(spin) = [-1, -2, 2, -3, NA, 4, NA, NA], then each row takes the earlier week's.
    assert_values(
        lag(within(col("spin")), 1),
        &[-3.0, NA, NA, NA, 2.0, -1.0, NA, NA],
    );
    // lag(spin) = [2, NA, NA, NA, 5, 4, NA, NA]; person means of the lags: A 5, B (2 + 4) / 2 = 3.
    assert_values(
        within(lag(col("spin"), 1)),
        &[-1.0, NA, NA, NA, 0.0, 1.0, NA, NA],
    );
    assert_values(
        between(lag(col("spin"), 1)),
        &[3.0, 5.0, 5.0, 3.0, 5.0, 3.0, NA, NA],
    );
}

#[test]
fn lag_of_a_factor_moves_its_codes() {
    let (frame, panel) = data();
    assert_eq!(
        evaluate(&lag(col("group"), 1), &frame, &panel),
        Ok(Variable::Factor {
            codes: vec![0, M, M, M, 1, 1, M, M],
            levels: vec!["a".into(), "b".into()],
        })
    );
}

#[test]
fn factor_of_a_numeric_column_has_r_level_labels() {
    let (frame, panel) = data();
    let week = Expr::Factor(Box::new(col("week")));
    assert_eq!(
        evaluate(&week, &frame, &panel),
        Ok(Variable::Factor {
            codes: vec![1, 0, 2, 0, 3, 2, 0, 0],
            levels: vec!["1".into(), "2".into(), "3".into(), "4".into()],
        })
    );
    let group = Expr::Factor(Box::new(col("group")));
    assert_eq!(
        evaluate(&group, &frame, &panel),
        evaluate(&col("group"), &frame, &panel)
    );
}

#[test]
fn unknown_column_suggests_the_nearest_name() {
    let (frame, panel) = data();
    let error = evaluate(&lag(col("spn"), 1), &frame, &panel);
    assert_eq!(
        error,
        Err(TransformError::UnknownColumn {
            name: "spn".into(),
            suggestion: Some("spin".into()),
        })
    );
    let text = message(error);
    assert_eq!(
        text,
        "there is no column 'spn' in the data; did you mean 'spin'?"
    );
}

#[test]
fn panel_functions_say_which_column_they_need() {
    let (frame, mut panel) = data();
    panel.time_name = None;
    let error = evaluate(&lag(col("spin"), 1), &frame, &panel).map(|_| ());
    assert_eq!(
        error,
        Err(TransformError::NeedsTime {
            function: "lag(spin)".into()
        })
    );
    assert!(message(error).starts_with("lag(spin) needs the time column"));
    // Within needs no time.
    assert!(evaluate(&within(col("spin")), &frame, &panel).is_ok());

    panel.id_name = None;
    let error = evaluate(&within(col("spin")), &frame, &panel).map(|_| ());
    assert_eq!(
        error,
        Err(TransformError::NeedsId {
            function: "within(spin)".into()
        })
    );
    assert!(message(error).ends_with("choose it with --id"));
    assert!(evaluate(&Expr::Center(Box::new(col("spin"))), &frame, &panel).is_ok());
    // Neither column: a lag names both at once, also when checked before evaluating.
    let lagged = lag(col("spin"), 1);
    let both = Err(TransformError::NeedsIdAndTime {
        function: "lag(spin)".into(),
    });
    assert_eq!(evaluate(&lagged, &frame, &panel).map(|_| ()), both);
    let within_first = within(col("spin"));
    assert_eq!(check_panel_roles(&[&within_first, &lagged], &panel), both);
    assert!(message(both).contains("choose them with --id and --time"));
}

#[test]
fn text_variables_cannot_be_centred() {
    let (frame, panel) = data();
    let error = evaluate(&within(col("group")), &frame, &panel);
    assert_eq!(
        error,
        Err(TransformError::NotNumeric {
            function: "within(group)".into(),
            argument: "group".into(),
        })
    );
}

#[test]
fn fractional_times_are_rejected_for_lag_with_their_line() {
    let (mut frame, panel) = data();
    let Column::Numeric(week) = &mut frame.columns[1] else {
        panic!("week is numeric")
    };
    week[5] = 2.5;
    let error = evaluate(&lead(col("spin"), 2), &frame, &panel).map(|_| ());
    assert_eq!(
        error,
        Err(TransformError::TimeNotWhole {
            function: "lead(spin, 2)".into(),
            time: "week".into(),
            line: 7,
            value: 2.5,
        })
    );
    assert!(message(error).contains("line 7 has week = 2.5"));
    // Person means do not care about the time.
    assert!(evaluate(&between(col("spin")), &frame, &panel).is_ok());
}

#[test]
fn lag_on_a_large_shuffled_panel() {
    // 20,000 persons x 10 weeks, rows in a scrambled order; x = 100 * person + week.
    let (persons, weeks) = (20_000u32, 10u32);
    let n = (persons * weeks) as usize;
    let order: Vec<usize> = (0..n).map(|i| (i * 7_919) % n).collect();
    let person: Vec<u32> = order.iter().map(|&i| i as u32 / weeks).collect();
    let week: Vec<f64> = order.iter().map(|&i| f64::from(i as u32 % weeks)).collect();
    let x: Vec<f64> = person
        .iter()
        .zip(&week)
        .map(|(&p, &w)| 100.0 * f64::from(p) + w)
        .collect();
    let frame = Frame {
        names: vec!["x".into(), "week".into()],
        columns: vec![Column::Numeric(x.clone()), Column::Numeric(week.clone())],
        row_lines: (0..n as u32).collect(),
        delimiter: b',',
        decimal_comma: false,
    };
    let panel = Panel::for_tests(
        person,
        &(0..persons).map(|p| p.to_string()).collect::<Vec<_>>(),
    );
    let lagged = numeric(&lag(col("x"), 1), &frame, &panel);
    for row in 0..n {
        if week[row] == 0.0 {
            assert!(lagged[row].is_nan());
        } else {
            assert_eq!(lagged[row], x[row] - 1.0);
        }
    }
}
