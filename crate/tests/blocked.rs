//! Properties of models with several grouping factors (the blocked Cholesky of issue 14), on the
//! nested, crossed and partially crossed golden data sets:
//!
//! - relabelling the levels of a grouping factor, or shuffling the rows, leaves the fit unchanged;
//! - the order in which the random-effects terms are written does not matter (lme4 sorts them
//!   by their number of levels, and so does the output);
//! - a nested factor written `(1 | a/b)`, `(1 | a) + (1 | a:b)`, or `(1 | a) + (1 | b)` with
//!   globally unique `b` codes is the same model.
//!
//! Equalities are up to what the optimizer promises (see tests/properties.rs): estimates within
//! 1e-5 SE, SEs, sigma and variances 1e-4 relative, df 1e-3 relative, criterion 1e-6 absolute.

use lagmix::{DataOptions, FitResult, ModelOptions};
use std::path::Path;

/// A fixture's CSV as a header and rows of cells (these files have no quoted cells).
fn table(case: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(case)
        .join("data.csv");
    let text = std::fs::read_to_string(path).expect("fixture data");
    let mut lines = text.lines();
    let split = |l: &str| l.split(',').map(str::to_string).collect::<Vec<_>>();
    let header = split(lines.next().expect("header"));
    (header, lines.map(split).collect())
}

fn csv(header: &[String], rows: &[Vec<String>]) -> String {
    let mut text = header.join(",");
    text.push('\n');
    for r in rows {
        text.push_str(&r.join(","));
        text.push('\n');
    }
    text
}

fn fit(text: &str, formula: &str) -> FitResult {
    lagmix::fit_csv(
        text.as_bytes(),
        &DataOptions::default(),
        &ModelOptions::new(formula),
    )
    .unwrap_or_else(|e| panic!("{formula}: {e}"))
}

/// A deterministic shuffle (a linear congruential generator: the test needs no randomness, only
/// an order that is not the file's).
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed;
    for i in (1..items.len()).rev() {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        items.swap(i, (state >> 33) as usize % (i + 1));
    }
}

fn assert_same_fit(a: &FitResult, b: &FitResult, what: &str) {
    let rel = |x: f64, y: f64, tol: f64| (x - y).abs() <= tol * x.abs().max(y.abs()).max(1e-12);
    assert!(
        (a.deviance - b.deviance).abs() < 1e-6,
        "{what}: criterion {} vs {}",
        a.deviance,
        b.deviance
    );
    assert!(rel(a.sigma, b.sigma, 1e-4), "{what}: sigma");
    assert_eq!(a.fixed.len(), b.fixed.len(), "{what}: fixed effects");
    for (x, y) in a.fixed.iter().zip(&b.fixed) {
        assert_eq!(x.term, y.term, "{what}");
        assert!(
            (x.estimate - y.estimate).abs() < 1e-5 * x.se,
            "{what}: {} estimate {} vs {}",
            x.term,
            x.estimate,
            y.estimate
        );
        assert!(rel(x.se, y.se, 1e-4), "{what}: {} se", x.term);
        assert!(
            rel(x.df, y.df, 1e-3),
            "{what}: {} df {} vs {}",
            x.term,
            x.df,
            y.df
        );
    }
    let variances = |r: &FitResult| -> Vec<f64> {
        r.varcorr
            .iter()
            .filter(|v| v.var2.is_none())
            .map(|v| v.vcov)
            .collect()
    };
    for (x, y) in variances(a).iter().zip(variances(b)) {
        assert!(
            (x - y).abs() <= 1e-4 * x.abs().max(y.abs()) + 1e-8,
            "{what}: variance {x} vs {y}"
        );
    }
}

#[test]
fn shuffled_rows_and_relabelled_levels_give_the_same_fit() {
    for (case, formula, column) in [
        (
            "ema_nested_slope",
            "mood ~ stress + (stress | person) + (1 | person:day)",
            0,
        ),
        (
            "ema_stimulus",
            "mood ~ stress + (1 | person/day) + (1 | stimulus)",
            5,
        ),
        (
            "partially_crossed",
            "score ~ x + (1 | student) + (1 | rater)",
            1,
        ),
    ] {
        let (header, rows) = table(case);
        let base = fit(&csv(&header, &rows), formula);
        let mut shuffled = rows.clone();
        shuffle(&mut shuffled, 14);
        assert_same_fit(&base, &fit(&csv(&header, &shuffled), formula), case);
        // New labels in another sort order: the level order changes, the model does not.
        let relabelled: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r[column] = format!("L{}", r[column].chars().rev().collect::<String>());
                r
            })
            .collect();
        assert_same_fit(&base, &fit(&csv(&header, &relabelled), formula), case);
    }
}

#[test]
fn the_order_of_the_terms_does_not_matter() {
    let (header, rows) = table("ema_stimulus");
    let text = csv(&header, &rows);
    let a = fit(&text, "mood ~ stress + (1 | person/day) + (1 | stimulus)");
    let b = fit(
        &text,
        "mood ~ stress + (1 | stimulus) + (1 | person:day) + (1 | person)",
    );
    assert_same_fit(&a, &b, "term order");
    // Terms by decreasing number of levels whatever the order written (`person:day` keeps the
    // name it was written with, as in lme4).
    let groups = |r: &FitResult| r.groups.iter().map(|g| g.name.clone()).collect::<Vec<_>>();
    assert_eq!(groups(&a), ["day:person", "person", "stimulus"]);
    assert_eq!(groups(&b), ["person:day", "person", "stimulus"]);
    let (header, rows) = table("partially_crossed");
    let text = csv(&header, &rows);
    assert_same_fit(
        &fit(&text, "score ~ x + (1 | student) + (1 | rater)"),
        &fit(&text, "score ~ x + (1 | rater) + (1 | student)"),
        "crossed term order",
    );
}

#[test]
fn a_nested_factor_is_the_same_model_however_it_is_written() {
    let (mut header, rows) = table("ema_nested");
    let text = csv(&header, &rows);
    let slash = fit(&text, "mood ~ stress + (1 | person/day)");
    let colon = fit(&text, "mood ~ stress + (1 | person) + (1 | person:day)");
    assert_same_fit(&slash, &colon, "(1 | a/b) vs (1 | a) + (1 | a:b)");
    // Day codes unique across persons: day alone is then nested in person.
    header.push("pday".into());
    let unique: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.push(format!("{}-{}", r[0], r[1]));
            r
        })
        .collect();
    let coded = fit(
        &csv(&header, &unique),
        "mood ~ stress + (1 | person) + (1 | pday)",
    );
    assert_same_fit(&slash, &coded, "(1 | a/b) vs unique b codes");
}

#[test]
fn crossed_factors_too_large_for_memory_are_refused_with_the_size() {
    // 3,000 x 3,000 fully crossed levels would need a 72 MB dense block: allowed. The refusal
    // is for sizes beyond the limit; build one cheaply with two factors of 12,000 levels
    // crossed along a diagonal band (each row level meets two column levels).
    let mut text = String::from("a,b,y\n");
    for i in 0..12_000 {
        for (k, shift) in [(0, 0), (1, 1)] {
            let y = ((i * 7 + k * 3) % 11) as f64 / 3.0;
            text.push_str(&format!("a{i},b{},{y}\n", (i + shift) % 12_000));
        }
    }
    text.push_str("a0,b5,1.0\n");
    let err = lagmix::fit_csv(
        text.as_bytes(),
        &DataOptions::default(),
        &ModelOptions::new("y ~ 1 + (1 | a) + (1 | b)"),
    )
    .expect_err("a 12,000 x 12,000 dense block is refused");
    let message = err.to_string();
    assert!(message.contains("GB"), "{message}");
    assert!(
        message.contains("`b`") || message.contains("`a`"),
        "{message}"
    );
}

#[test]
fn conditional_modes_match_lme4_ranef() {
    // lme4 1.1-31: d <- read.csv("tests/fixtures/ema_stimulus/data.csv");
    // ranef(lmer(mood ~ stress + (1 | person/day) + (1 | stimulus), d)), to 10 digits.
    let expected = [
        (0, "1:p1", -0.3370666450),
        (0, "1:p10", 0.3564519357),
        (1, "p1", -0.59272244868),
        (1, "p10", -0.09169575405),
        (2, "img1", 0.1945084217),
        (2, "img10", -0.3717353312),
    ];
    let (header, rows) = table("ema_stimulus");
    let text = csv(&header, &rows);
    let data = lagmix::Dataset::parse(text.as_bytes(), &DataOptions::default()).expect("data");
    let spec = lagmix::formula::parse_formula("mood ~ stress + (1 | person/day) + (1 | stimulus)")
        .expect("formula");
    let design = lagmix::design::build_design(&spec, &data.frame, &data.panel).expect("design");
    let mut model = lagmix::model::LinearMixedModel::new(design).expect("model");
    lagmix::fit::fit_model(&mut model, true);
    let modes = model.conditional_modes();
    for (term, level, want) in expected {
        let at = model.terms[term]
            .levels
            .iter()
            .position(|l| l == level)
            .unwrap_or_else(|| panic!("level {level} of term {term}"));
        let got = modes[term][at];
        assert!((got - want).abs() < 1e-4, "{level}: {got} vs lme4 {want}");
    }
}
