//! Kenward-Roger over the connected components of the random effects equals Kenward-Roger over
//! one dense block of all of them (the treatment used before components), on designs small
//! enough for the one block: nested (one component per person) and partially crossed with two
//! components. The two differ only in the order of sums, so they agree to rounding.

use super::{kenward_roger, kenward_roger_over, KenwardRoger};
use crate::model::LinearMixedModel;
use nalgebra::DMatrix;

/// The model of `formula` on `csv` (no panel roles), at `theta`.
fn model_at(csv: &str, formula: &str, theta: &[f64]) -> LinearMixedModel {
    let data = crate::Dataset::parse(csv.as_bytes(), &crate::DataOptions::default())
        .expect("test data parse");
    let spec = crate::formula::parse_formula(formula).expect("formula");
    let design = crate::design::build_design(&spec, &data.frame, &data.panel).expect("design");
    let mut model = LinearMixedModel::new(design).expect("model");
    model.set_theta(theta);
    model
}

/// Prompts in days in persons: `persons` x 4 days x 3 prompts, a deterministic mood.
fn ema(persons: usize) -> String {
    let mut csv = String::from("person,day,stress,mood\n");
    let mut row = 0usize;
    for person in 0..persons {
        for day in 0..4 {
            for _ in 0..3 {
                // Unbalanced: some persons miss a prompt on day 2.
                row += 1;
                if day == 2 && person % 3 == 1 && row % 2 == 0 {
                    continue;
                }
                let stress = ((row * 37 % 29) as f64 - 14.0) / 7.0;
                let wobble = ((row * 53 % 31) as f64 - 15.0) / 10.0;
                let mood = 3.0 + 0.3 * (person % 5) as f64 - 0.2 * day as f64 * (person % 2) as f64
                    + (-0.4 + 0.05 * (person % 4) as f64) * stress
                    + wobble;
                csv.push_str(&format!("p{person},{day},{stress:.3},{mood:.3}\n"));
            }
        }
    }
    csv
}

/// The partially crossed golden data set with the raters of students s01..s30 renamed, so the
/// students and raters fall into two disconnected halves, each partially crossed.
fn two_halves() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/partially_crossed/data.csv"
    );
    let text = std::fs::read_to_string(path).expect("fixture data");
    let mut lines = text.lines();
    let mut csv = format!("{}\n", lines.next().expect("header"));
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let student: usize = cells[0][1..].parse().expect("student code s01..s60");
        let rater = if student <= 30 {
            format!("a{}", cells[1])
        } else {
            cells[1].to_string()
        };
        csv.push_str(&format!("{},{rater},{}\n", cells[0], cells[2..].join(",")));
    }
    csv
}

fn assert_close(what: &str, a: &DMatrix<f64>, b: &DMatrix<f64>) {
    let scale = b.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for (x, y) in a.iter().zip(b.iter()) {
        assert!(
            (x - y).abs() <= 1e-10 * scale,
            "{what}: {x} vs {y} (scale {scale})"
        );
    }
}

fn assert_same(components: &KenwardRoger, one: &KenwardRoger) {
    assert_close("phi", &components.phi, &one.phi);
    assert_close("phi_adjusted", &components.phi_adjusted, &one.phi_adjusted);
    assert_close("w", &components.w, &one.w);
    for (a, b) in components.p.iter().zip(&one.p) {
        assert_close("P", a, b);
    }
    for k in 0..components.t.nrows() {
        let (a, b) = (components.coefficient_df(k), one.coefficient_df(k));
        assert!((a - b).abs() <= 1e-9 * b.abs(), "df {k}: {a} vs {b}");
    }
}

/// Kenward-Roger both ways, after checking that the model has `blocks` components.
fn check(model: &LinearMixedModel, blocks: usize, sigma: f64) {
    let mut count = 0;
    model
        .for_each_random_block(|_| count += 1)
        .expect("small components");
    assert_eq!(count, blocks);
    let components = kenward_roger(model, sigma).expect("KR over components");
    let one = kenward_roger_over(model, sigma, |visit| {
        visit(&model.as_one_random_block());
        Ok(())
    })
    .expect("KR over one block");
    assert_same(&components, &one);
}

#[test]
fn nested_intercepts_give_one_component_per_person() {
    let model = model_at(&ema(12), "mood ~ stress + (1 | person/day)", &[0.6, 0.9]);
    check(&model, 12, 1.1);
}

#[test]
fn a_person_slope_with_nested_days_gives_one_component_per_person() {
    let formula = "mood ~ stress + (stress | person) + (1 | person:day)";
    let model = model_at(&ema(10), formula, &[0.5, 0.8, 0.2, 0.3]);
    check(&model, 10, 0.9);
}

#[test]
fn partially_crossed_halves_give_two_components() {
    let model = model_at(
        &two_halves(),
        "score ~ x + (1 | student) + (1 | rater)",
        &[1.2, 0.7],
    );
    check(&model, 2, 4.0);
}
