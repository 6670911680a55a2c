//! Unit tests of the model's algebra on small hand-computed cases.

use super::blocks::small_cholesky;
use super::*;

#[test]
fn small_cholesky_factors_a_known_matrix() {
    // [[4, 2], [2, 3]] = L L' with L = [[2, 0], [1, sqrt(2)]]
    let mut a = vec![4.0, 2.0, 2.0, 3.0];
    assert!(small_cholesky(&mut a, 2));
    assert!((a[0] - 2.0).abs() < 1e-12);
    assert!((a[1] - 1.0).abs() < 1e-12);
    assert_eq!(a[2], 0.0);
    assert!((a[3] - 2f64.sqrt()).abs() < 1e-12);
    let mut not_pd = vec![1.0, 2.0, 2.0, 1.0];
    assert!(!small_cholesky(&mut not_pd, 2));
}

#[test]
fn lambda_is_filled_column_by_column() {
    let l = lambda_block(&[1.0, 2.0, 3.0], 2);
    assert_eq!(l, vec![1.0, 2.0, 0.0, 3.0]);
}

#[test]
fn a_response_near_1e9_fits_as_well_as_one_near_0() {
    // The same data shifted by 1e9: only the intercept may change (by exactly 1e9).
    let rows = [
        (1, 0.0, 1.0),
        (1, 1.0, 2.5),
        (1, 2.0, 2.9),
        (2, 0.0, 3.1),
        (2, 1.0, 3.0),
        (2, 2.0, 4.8),
        (3, 0.0, 0.2),
        (3, 1.0, 1.9),
        (3, 2.0, 1.7),
        (4, 0.0, 2.2),
        (4, 1.0, 3.9),
        (4, 2.0, 3.6),
    ];
    let csv = |shift: f64| {
        let mut text = String::from("id,x,y\n");
        for (id, x, y) in rows {
            text.push_str(&format!("{id},{x},{}\n", y + shift));
        }
        text
    };
    let model = crate::ModelOptions::new("y ~ x + (1 | id)");
    let options = crate::DataOptions::default();
    let small = crate::fit_csv(csv(0.0).as_bytes(), &options, &model).expect("fits");
    let large = crate::fit_csv(csv(1e9).as_bytes(), &options, &model).expect("fits");
    assert!((large.fixed[0].estimate - small.fixed[0].estimate - 1e9).abs() < 1e-5);
    assert!((large.fixed[1].estimate - small.fixed[1].estimate).abs() < 1e-6);
    assert!(
        (large.sigma - small.sigma).abs() < 1e-6,
        "{} {}",
        large.sigma,
        small.sigma
    );
    assert!((large.fixed[1].se - small.fixed[1].se).abs() < 1e-6);
}

/// A crossed design with three scalar terms (rater x item, and rater:session nested in rater).
fn crossed_model() -> LinearMixedModel {
    let mut csv = String::from("id,time,rater,item,session,y\n");
    let mut row = 0;
    for rater in 0..6 {
        for item in 0..5 {
            if (rater + item) % 4 == 3 {
                continue;
            }
            for session in 0..2 {
                let y = ((row * 37 % 23) as f64) * 0.3 + rater as f64 * 0.5 - item as f64 * 0.2;
                csv.push_str(&format!("{row},1,{rater},{item},{session},{y}\n"));
                row += 1;
            }
        }
    }
    let options = crate::DataOptions {
        id: Some("id".into()),
        time: Some("time".into()),
        ..Default::default()
    };
    let data = crate::Dataset::parse(csv.as_bytes(), &options).expect("data");
    let formula = "y ~ 1 + (1 | rater) + (1 | item) + (1 | rater:session)";
    let spec = crate::formula::parse_formula(formula).expect("formula");
    let design =
        crate::design::build_panel_design(&spec, &data.frame, &data.panel).expect("design");
    LinearMixedModel::new(design).expect("model")
}

#[test]
fn refactoring_from_the_first_changed_term_matches_a_fresh_factor() {
    // Steps that change only later terms reuse the earlier block rows: every criterion must be
    // the one a fresh model computes at the same theta, bit for bit.
    let steps = [
        vec![0.8, 0.5, 0.3],
        vec![0.8, 0.5, 0.9],
        vec![0.8, 1.4, 0.9],
        vec![0.8, 1.4, 0.2],
        vec![0.1, 1.4, 0.2],
        vec![0.1, 0.0, 0.2],
        vec![0.1, 0.0, 0.7],
    ];
    let mut reused = crossed_model();
    for theta in &steps {
        let value = reused.criterion(theta, true);
        let fresh = crossed_model().criterion(theta, true);
        assert_eq!(value.to_bits(), fresh.to_bits(), "theta {theta:?}");
    }
}
