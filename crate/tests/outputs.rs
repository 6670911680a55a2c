//! The outputs per row and per group of a fit on a small hand-made panel: what must hold whatever
//! the numbers (lme4's values are checked in golden.rs): fitted + residual = y, the rows used are
//! the complete ones, a fit of another model is refused, and the derived data keep their own
//! `fitted` column.

use lagmix::{DataOptions, Dataset, ModelOptions};

const PANEL: &str = "id,week,x,y,fitted\n\
    a,1,0.5,1.2,9\na,2,1.5,2.0,9\na,3,,2.9,9\nb,1,0.1,0.4,9\nb,2,1.0,1.9,9\nb,3,2.2,2.2,9\n\
    c,1,0.3,1.9,9\nc,2,1.1,2.8,9\nc,3,2.5,3.1,9\nd,1,0.9,0.2,9\nd,2,1.7,1.0,9\nd,3,2.0,1.5,9\n";

fn dataset() -> Dataset {
    let options = DataOptions {
        id: Some("id".into()),
        time: Some("week".into()),
        ..DataOptions::default()
    };
    Dataset::parse(PANEL.as_bytes(), &options).expect("the panel parses")
}

#[test]
fn fitted_plus_residual_is_the_response_on_the_complete_rows() {
    let data = dataset();
    let model = ModelOptions::new("y ~ x + (1 | id)");
    let fit = data.fit(&model).expect("the model fits");
    let outputs = data.fitted_values(&model, &fit).expect("fitted values");
    // Row 3 (0-based 2) has no x.
    assert_eq!(outputs.rows, vec![0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    let y = [1.2, 2.0, 0.4, 1.9, 2.2, 1.9, 2.8, 3.1, 0.2, 1.0, 1.5];
    for ((f, r), y) in outputs.fitted.iter().zip(&outputs.residuals).zip(y) {
        assert!((f + r - y).abs() < 1e-12);
    }
    // The normal equations of the penalized least squares: with an intercept in X the
    // conditional residuals sum to 0 (X'(y - Xb - Zb) = 0), and then so do the modes of a
    // random intercept (Z'(y - Xb - Zb) = b sigma²/tau², summed over the levels).
    let residuals: f64 = outputs.residuals.iter().sum();
    assert!(residuals.abs() < 1e-8, "sum of the residuals {residuals}");
    let modes: f64 = fit.random_effects[0].modes.iter().sum();
    assert!(modes.abs() < 1e-8, "sum of the modes {modes}");
    assert_eq!(fit.random_effects[0].levels, ["a", "b", "c", "d"]);
}

#[test]
fn a_fit_of_another_model_is_refused() {
    let data = dataset();
    let fit = data
        .fit(&ModelOptions::new("y ~ x + (1 | id)"))
        .expect("fits");
    let other = ModelOptions::new("y ~ 1 + (1 | id)");
    let error = data.fitted_values(&other, &fit).expect_err("another model");
    assert!(error.to_string().contains("does not belong"), "{error}");
}

#[test]
fn the_derived_data_name_their_fitted_column_apart_from_the_data_s_own() {
    let data = dataset();
    let model = ModelOptions::new("y ~ x + (1 | id)");
    let fit = data.fit(&model).expect("fits");
    let outputs = data.fitted_values(&model, &fit).expect("fitted values");
    let spec = lagmix::formula::parse_formula(&model.formula).expect("formula");
    let mut text = String::new();
    lagmix::design::write_derived_csv_with_outputs(
        &spec,
        &data.frame,
        &data.panel,
        Some(&outputs),
        usize::MAX,
        &mut |block| text.push_str(&block),
    )
    .expect("derived data");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "id,week,y,x,.fitted,.residual");
    assert!(lines[3].ends_with(",,"), "the row without x: {}", lines[3]);
    assert!(!lines[1].ends_with(",,"));
}
