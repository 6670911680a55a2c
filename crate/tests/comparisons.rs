//! Every case in tests/comparisons/ through `Dataset::compare`, against lme4 1.1-31's
//! `anova(m0, m1, ...)` (nlme 3.1-162's `anova(lme0, lme1)` for a residual AR(1) against
//! independent residuals) as tests/reference/compare_reference.R recorded it.
//!
//! Tolerances (issue 9): chi-square, logLik, deviance, AIC and BIC within 2e-3 (absolute), p
//! within 2% (relative; below 1e-12 absolute), npar, df, model order and nobs equal.

use lagmix::{DataOptions, Dataset, ModelOptions, ResidualStructure};
use serde_json::Value;
use std::path::Path;

fn cases() -> Vec<(String, Value, Value, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/comparisons");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/comparisons exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("expected.json").exists())
        .map(|p| {
            let read = |f: &str| std::fs::read(p.join(f)).expect("fixture file");
            let json = |f: &str| serde_json::from_slice(&read(f)).expect("valid JSON");
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (
                name,
                json("spec.json"),
                json("expected.json"),
                read("data.csv"),
            )
        })
        .collect();
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    cases
}

fn close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol
}

#[test]
fn comparisons_match_lme4_anova() {
    let cases = cases();
    assert!(cases.len() >= 3, "the comparison fixtures are missing");
    let mut failures = Vec::new();
    for (case, spec, expected, data) in cases {
        let text = |k: &str| spec.get(k).and_then(Value::as_str).map(str::to_string);
        let options = DataOptions {
            id: text("id"),
            time: text("time"),
            ..DataOptions::default()
        };
        let dataset = Dataset::parse(&data, &options).expect("fixture data read");
        let reml = spec["reml"].as_bool().unwrap_or(true);
        let correlation = |i: usize| {
            spec["correlations"][i]
                .as_str()
                .map_or(ResidualStructure::Identity, |c| {
                    ResidualStructure::parse(c).expect("a known correlation")
                })
        };
        let models: Vec<ModelOptions> = spec["formulas"]
            .as_array()
            .expect("formulas")
            .iter()
            .enumerate()
            .map(|(i, f)| {
                ModelOptions {
                    reml,
                    ..ModelOptions::new(f.as_str().expect("formula text"))
                }
                .with_correlation(correlation(i))
            })
            .collect();
        let refit = spec["refit"].as_bool().unwrap_or(true);
        let (comparison, fits) = dataset.compare(&models, refit).expect("comparison runs");
        let mut fail = |what: String| failures.push(format!("{case}: {what}"));
        if comparison.nobs as u64 != expected["nobs"].as_u64().unwrap() {
            fail(format!("nobs {} vs {}", comparison.nobs, expected["nobs"]));
        }
        assert!(fits.iter().all(|f| f.nobs == comparison.nobs));
        for (got, want) in comparison
            .models
            .iter()
            .zip(expected["models"].as_array().unwrap())
        {
            if got.formula != want["formula"].as_str().unwrap() {
                fail(format!(
                    "order: {} where lme4 has {}",
                    got.formula, want["formula"]
                ));
            }
            if got.npar as u64 != want["npar"].as_u64().unwrap() {
                fail(format!("{}: npar {}", got.formula, got.npar));
            }
            for (name, value) in [
                ("aic", got.aic),
                ("bic", got.bic),
                ("logLik", got.log_lik),
                ("deviance", got.deviance),
            ] {
                // nlme's REML BIC uses log(N - p), lagmix's lme4's log(N): not recorded there.
                let Some(want) = want[name].as_f64() else {
                    continue;
                };
                if !close(value, want, 2e-3) {
                    fail(format!("{}: {name} {value} vs lme4 {want}", got.formula));
                }
            }
        }
        for (i, (got, want)) in comparison
            .tests
            .iter()
            .zip(expected["tests"].as_array().unwrap())
            .enumerate()
        {
            if got.df as u64 != want["df"].as_u64().unwrap() {
                fail(format!("test {i}: df {}", got.df));
            }
            if !close(got.chisq, want["chisq"].as_f64().unwrap(), 2e-3) {
                fail(format!(
                    "test {i}: chisq {} vs {}",
                    got.chisq, want["chisq"]
                ));
            }
            match want["p"].as_f64() {
                None => {
                    if got.p.is_some() {
                        fail(format!("test {i}: p {:?} where lme4 has none", got.p));
                    }
                }
                Some(p) => {
                    let got_p = got.p.unwrap_or(f64::NAN);
                    if !(close(got_p, p, 0.02 * p) || close(got_p, p, 1e-12)) {
                        fail(format!("test {i}: p {got_p} vs {p}"));
                    }
                }
            }
        }
        if comparison.tests.len() != expected["tests"].as_array().unwrap().len() {
            fail("number of tests".into());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A trial case's data (id and week as the panel) and its formulas, by REML.
fn trial_case(name: &str) -> (Dataset, Vec<ModelOptions>) {
    let (_, spec, _, data) = cases().into_iter().find(|c| c.0 == name).expect("the case");
    let options = DataOptions {
        id: Some("id".into()),
        time: Some("week".into()),
        ..DataOptions::default()
    };
    let dataset = Dataset::parse(&data, &options).unwrap();
    let models: Vec<ModelOptions> = spec["formulas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| ModelOptions::new(f.as_str().unwrap()))
        .collect();
    (dataset, models)
}

#[test]
fn the_notes_say_what_was_done() {
    let (dataset, models) = trial_case("fixed_ml");
    let (comparison, fits) = dataset.compare(&models, true).unwrap();
    let notes = comparison.warnings.join("\n");
    assert!(notes.contains("refitted by ML"), "{notes}");
    assert!(
        notes.contains("'spin ~ week + (1 | id)' alone would use"),
        "{notes}"
    );
    assert!(
        fits[0].warnings[0].contains("complete for this model but not for another model"),
        "{}",
        fits[0].warnings[0]
    );
    // REML fits with different fixed effects are refused with the reason.
    let error = dataset.compare(&models, false).unwrap_err().to_string();
    assert!(
        error.contains("different fixed effects") && error.contains("leave out --no-refit"),
        "{error}"
    );
    let error = dataset.compare(&models[..1], true).unwrap_err().to_string();
    assert!(error.contains("at least two models"), "{error}");
}

#[test]
fn pairs_that_are_not_nested_are_marked() {
    let (dataset, models) = trial_case("lagged_not_nested");
    let (comparison, _) = dataset.compare(&models, true).unwrap();
    let nested: Vec<bool> = comparison.tests.iter().map(|t| t.nested).collect();
    assert_eq!(nested, [false, true]);
    assert_eq!(comparison.given_order, [0, 1, 2]);
    assert!(comparison
        .warnings
        .iter()
        .any(|w| w.contains("are not nested")));
}
