//! The fitted-effect curve (`Dataset::effect_curve`) against emmeans
//! (tests/reference/effect_reference.R): the prediction over the predictor's range with the other
//! predictors at their means and a factor averaged over its levels in proportion, and its
//! standard error from vcov (under Kenward-Roger pbkrtest's adjusted vcov), to 1e-5 relative (the fits agree with lme4 to about 1e-6); and the
//! refusals in plain words.

use lagmix::inference::DfMethod;
use lagmix::{DataOptions, Dataset, ModelOptions};
use serde_json::Value;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn dataset(fixture: &str) -> Dataset {
    let dir = root().join("tests/fixtures").join(fixture);
    let spec: Value =
        serde_json::from_slice(&std::fs::read(dir.join("spec.json")).unwrap()).unwrap();
    let options = DataOptions {
        id: spec["id"].as_str().map(String::from),
        time: spec["time"].as_str().map(String::from),
        ..DataOptions::default()
    };
    Dataset::parse(&std::fs::read(dir.join("data.csv")).unwrap(), &options).unwrap()
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn assert_close(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= 1e-5 * (1.0 + w.abs()),
            "{what}[{i}]: {g} vs emmeans {w}"
        );
    }
}

#[test]
fn effect_curves_match_emmeans_with_proportional_weights() {
    let path = root().join("tests/effects/expected.json");
    let want: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    for case in want["cases"].as_array().unwrap() {
        let data = dataset(case["fixture"].as_str().unwrap());
        let mut options = ModelOptions::new(case["formula"].as_str().unwrap());
        if case["df"] == "kenward-roger" {
            options.df = DfMethod::KenwardRoger;
        }
        let fit = data.fit(&options).unwrap();
        assert_eq!(
            fit.vcov_adjusted.is_some(),
            options.df == DfMethod::KenwardRoger
        );
        let curve = data
            .effect_curve(&options, &fit, case["term"].as_str().unwrap())
            .unwrap();
        let name = case["fixture"].as_str().unwrap();
        assert_close(&curve.x, &numbers(&case["x"]), &format!("{name} x"));
        assert_close(&curve.fit, &numbers(&case["fit"]), &format!("{name} fit"));
        assert_close(&curve.se, &numbers(&case["se"]), &format!("{name} se"));
        let effect = fit.fixed.iter().find(|e| e.term == curve.term).unwrap();
        assert_eq!(curve.df, effect.df);
        for i in 0..curve.x.len() {
            assert!(curve.lower[i] < curve.fit[i] && curve.fit[i] < curve.upper[i]);
        }
    }
}

#[test]
fn the_interaction_moves_with_the_predictor_and_the_factor_is_held() {
    let data = dataset("interaction_factor");
    let options = ModelOptions::new("y ~ arm * x + (1 | id)");
    let fit = data.fit(&options).unwrap();
    let curve = data.effect_curve(&options, &fit, "x").unwrap();
    assert_eq!(curve.weights, "proportional");
    assert!(
        curve.interactions.iter().all(|n| n.ends_with(":x")),
        "{:?}",
        curve.interactions
    );
    assert_eq!(curve.interactions.len(), 2);
    let held: Vec<&str> = curve.held.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(held.len(), 3, "{held:?}");
    assert!(curve.held.iter().all(|h| (0.0..=1.0).contains(&h.value)));
}

#[test]
fn the_intercept_and_unknown_terms_are_refused_by_name() {
    let data = dataset("factor_orthodont");
    let options = ModelOptions::new("distance ~ age + Sex + (1 | Subject)");
    let fit = data.fit(&options).unwrap();
    let intercept = data
        .effect_curve(&options, &fit, "(Intercept)")
        .unwrap_err()
        .to_string();
    assert!(intercept.contains("intercept"), "{intercept}");
    let unknown = data
        .effect_curve(&options, &fit, "height")
        .unwrap_err()
        .to_string();
    assert!(
        unknown.contains("`height`") && unknown.contains("SexMale"),
        "{unknown}"
    );
    let other = ModelOptions::new("distance ~ age + (1 | Subject)");
    let wrong = data
        .effect_curve(&other, &fit, "age")
        .unwrap_err()
        .to_string();
    assert!(wrong.contains("does not belong"), "{wrong}");
}
