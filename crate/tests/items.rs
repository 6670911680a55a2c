//! Reliability cases in tests/items/ (written by tests/reference/items_reference.R) against
//! psych 2.2.9 (`alpha`) and lavaan 0.6-14 (two-level saturated model, `cluster = "id"`).
//!
//! Tolerances: alpha, standardized alpha, average r, r.drop and alpha if dropped 1e-4
//! (absolute); within- and between-person covariances, alphas and log-likelihood 1e-3
//! (lavaan stops its optimizer at its own tolerance); nobs, complete rows, per-item n exact.

use lagmix::frame::Panel;
use lagmix::reliability::{reliability, ItemOptions};
use lagmix::Dataset;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/items");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/items exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.join("expected.json").exists())
        .collect();
    cases.sort();
    cases
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("valid JSON")
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn close(failures: &mut Vec<String>, what: &str, got: f64, want: &Value, tol: f64) {
    let want = want.as_f64().unwrap_or(f64::NAN);
    if (got - want).abs().is_nan() || (got - want).abs() > tol {
        failures.push(format!("{what}: got {got}, R {want} (tolerance {tol})"));
    }
}

fn run(case: &Path) -> Vec<String> {
    let spec = json(&case.join("spec.json"));
    let want = json(&case.join("expected.json"));
    let bytes = std::fs::read(case.join("data.csv")).expect("data.csv");
    let data = Dataset::parse(&bytes, &Default::default()).expect("data reads");
    let id = spec["id"].as_str();
    let panel = Panel::new(&data.frame, id, None).expect("panel");
    let options = ItemOptions {
        items: strings(&spec["items"]),
        reverse: strings(&spec["reverse"]),
        range: spec["min"].as_f64().zip(spec["max"].as_f64()),
    };
    let got = reliability(&data.frame, &panel, &options).expect("reliability");
    let mut f = Vec::new();
    if let Some(m) = &got.multilevel {
        let tol = 1e-3;
        close(
            &mut f,
            "alphaWithin",
            m.alpha_within,
            &want["alphaWithin"],
            tol,
        );
        close(
            &mut f,
            "alphaBetween",
            m.alpha_between,
            &want["alphaBetween"],
            tol,
        );
        close(&mut f, "logLik", m.log_lik, &want["logLik"], tol);
        for (name, got, want) in [
            ("within", &m.within_covariance, &want["withinCov"]),
            ("between", &m.between_covariance, &want["betweenCov"]),
        ] {
            for (i, row) in got.iter().enumerate() {
                for (j, x) in row.iter().enumerate() {
                    close(&mut f, &format!("{name}[{i}][{j}]"), *x, &want[i][j], tol);
                }
            }
        }
        if Some(m.nobs as u64) != want["nobs"].as_u64() {
            f.push(format!("nobs {} vs {}", m.nobs, want["nobs"]));
        }
        if !m.converged {
            f.push("the two-level fit did not converge".to_string());
        }
        if Some(m.persons as u64) != want["clusters"].as_u64() {
            f.push(format!("clusters {} vs {}", m.persons, want["clusters"]));
        }
        return f;
    }
    let tol = 1e-4;
    close(&mut f, "alpha", got.alpha, &want["alpha"], tol);
    close(&mut f, "stdAlpha", got.std_alpha, &want["stdAlpha"], tol);
    close(&mut f, "averageR", got.average_r, &want["averageR"], tol);
    for (item, w) in got
        .items
        .iter()
        .zip(want["items"].as_array().expect("items"))
    {
        let name = &item.item;
        close(
            &mut f,
            &format!("{name} rDrop"),
            item.r_drop,
            &w["rDrop"],
            tol,
        );
        close(
            &mut f,
            &format!("{name} alphaIfDropped"),
            item.alpha_if_dropped,
            &w["alphaIfDropped"],
            tol,
        );
        close(
            &mut f,
            &format!("{name} stdAlphaIfDropped"),
            item.std_alpha_if_dropped,
            &w["stdAlphaIfDropped"],
            tol,
        );
        if Some(item.n as u64) != w["n"].as_u64() {
            f.push(format!("{name} n {} vs {}", item.n, w["n"]));
        }
    }
    for (what, got, want) in [
        ("nobs", got.nobs, &want["nobs"]),
        ("completeRows", got.complete_rows, &want["completeRows"]),
    ] {
        if Some(got as u64) != want.as_u64() {
            f.push(format!("{what} {got} vs {want}"));
        }
    }
    let r_warned = !strings(&want["warnings"]).is_empty();
    if r_warned == got.warnings.is_empty() {
        f.push(format!(
            "warnings: psych {:?}, lagmix {:?}",
            want["warnings"], got.warnings
        ));
    }
    f
}

#[test]
fn reliability_matches_psych_and_lavaan() {
    let cases = cases();
    assert!(
        cases.len() >= 6,
        "expected the reliability cases, found {}",
        cases.len()
    );
    let mut all = Vec::new();
    for case in &cases {
        let name = case
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        all.extend(run(case).into_iter().map(|m| format!("{name}: {m}")));
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

#[test]
fn the_json_has_the_documented_fields() {
    let case = cases()
        .into_iter()
        .find(|c| c.ends_with("alpha_two_items"))
        .expect("case");
    let bytes = std::fs::read(case.join("data.csv")).expect("data.csv");
    let data = Dataset::parse(&bytes, &Default::default()).expect("data reads");
    let options = ItemOptions {
        items: vec!["p".into(), "q".into()],
        ..ItemOptions::default()
    };
    let got = reliability(&data.frame, &data.panel, &options).expect("alpha");
    let json = serde_json::to_value(&got).expect("serializes");
    for key in [
        "nobs",
        "completeRows",
        "alpha",
        "stdAlpha",
        "averageR",
        "items",
        "warnings",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    for key in ["item", "rDrop", "alphaIfDropped"] {
        assert!(json["items"][0].get(key).is_some(), "missing items[].{key}");
    }
    assert!(json["multilevel"].is_null());
}
