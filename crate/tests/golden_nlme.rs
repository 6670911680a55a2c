//! Residual correlation structures against nlme 3.1-162: every case in tests/fixtures-nlme/
//! (written by tests/reference/nlme_correlation.R) through the whole pipeline.
//!
//! Tolerances (issue 10): estimates within 2e-3 standard errors, standard errors within 0.3%,
//! phi within 3e-3 (absolute: nlme drives a phi at its bound 0 to about 1e-8), sigma and the
//! random-effects SDs within 0.5%, their correlation within 3e-3, logLik, AIC and BIC (lme4's
//! convention, recorded by the script next to nlme's own) within 0.01; between-within df and the
//! numbers of rows and groups exactly.

use lagmix::{DataOptions, DfMethod, ModelOptions, ResidualStructure};
use serde_json::Value;
mod common;

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn options(spec: &Value) -> (DataOptions, ModelOptions) {
    let text = |k: &str| spec.get(k).and_then(Value::as_str).map(str::to_string);
    let data = DataOptions {
        id: text("id"),
        time: text("time"),
        ..DataOptions::default()
    };
    let structure = ResidualStructure::parse(&text("correlation").unwrap_or_default())
        .expect("known correlation structure");
    let mut model =
        ModelOptions::new(&text("formula").expect("formula")).with_correlation(structure);
    model.reml = spec["reml"].as_bool().unwrap_or(true);
    model.df = DfMethod::parse(&text("df").unwrap_or_default()).expect("known df method");
    (data, model)
}

fn compare(case: &str, got: &lagmix::FitResult, want: &Value, failures: &mut Vec<String>) {
    let mut close = |what: &str, g: f64, w: f64, tol: f64| {
        // A NaN difference fails too.
        let within = (g - w).abs() <= tol;
        if !within {
            failures.push(format!(
                "{case}: {what}: got {g}, nlme {w} (tolerance {tol})"
            ));
        }
    };
    close("nobs", got.nobs as f64, num(&want["nobs"]), 0.0);
    close(
        "groups",
        got.groups[0].levels as f64,
        num(&want["groups"]),
        0.0,
    );
    let fixed = want["fixed"].as_array().cloned().unwrap_or_default();
    close(
        "fixed effects",
        got.fixed.len() as f64,
        fixed.len() as f64,
        0.0,
    );
    for (g, w) in got.fixed.iter().zip(&fixed) {
        let se = num(&w["se"]);
        close(
            &format!("estimate of {}", g.term),
            g.estimate,
            num(&w["estimate"]),
            2e-3 * se,
        );
        close(&format!("SE of {}", g.term), g.se, se, 3e-3 * se);
        close(&format!("df of {}", g.term), g.df, num(&w["df"]), 0.0);
        let p = num(&w["p"]);
        close(&format!("p of {}", g.term), g.p, p, 1e-4 + 1e-2 * p);
    }
    let rc = got.residual_correlation.as_ref();
    close(
        "phi",
        rc.map_or(f64::NAN, |r| r.phi),
        num(&want["phi"]),
        3e-3,
    );
    let sigma = num(&want["sigma"]);
    close("sigma", got.sigma, sigma, 5e-3 * sigma);
    let sds: Vec<f64> = got
        .varcorr
        .iter()
        .filter(|r| r.var2.is_none() && r.group != "Residual")
        .map(|r| r.sdcor)
        .collect();
    let want_sds = want["randomSd"].as_array().cloned().unwrap_or_default();
    close("random SDs", sds.len() as f64, want_sds.len() as f64, 0.0);
    for (g, w) in sds.iter().zip(&want_sds) {
        let sd = num(&w["sd"]);
        close(&format!("SD of {}", w["term"]), *g, sd, 5e-3 * sd);
    }
    if let Some(r) = want["randomCorrelation"].as_f64() {
        let got_r = got
            .varcorr
            .iter()
            .find(|r| r.var2.is_some())
            .map_or(f64::NAN, |r| r.sdcor);
        close("random-effects correlation", got_r, r, 3e-3);
    }
    close("logLik", got.log_lik, num(&want["logLik"]), 0.01);
    close("AIC", got.aic, num(&want["aic"]), 0.01);
    close("BIC", got.bic, num(&want["bic"]), 0.01);
}

#[test]
fn every_correlation_fixture_matches_nlme() {
    let cases = common::fixture_cases("fixtures-nlme");
    assert!(
        cases.len() >= 5,
        "expected the nlme cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for (case, dir) in &cases {
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).expect("fixture file");
        let spec: Value = serde_json::from_str(&read("spec.json")).expect("spec.json");
        let want: Value = serde_json::from_str(&read("expected.json")).expect("expected.json");
        let (data, model) = options(&spec);
        match lagmix::fit_csv(read("data.csv").as_bytes(), &data, &model) {
            Ok(got) => compare(case, &got, &want, &mut failures),
            Err(e) => failures.push(format!("{case}: lagmix failed: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches with nlme:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A small panel: 6 persons at weeks 1..5 (`hours` with fractions), one person with one row.
fn panel_csv() -> String {
    let mut csv = String::from("id,week,hours,site,x,y\n");
    for i in 0..6 {
        for w in 1..=5 {
            let x = ((i * 7 + w * 3) % 5) as f64;
            let y = x * 0.5 + (i as f64) + ((i * 3 + w * 5) % 7) as f64 * 0.3;
            csv.push_str(&format!("P{i},{w},{}.5,s{},{x},{y}\n", w * 2, i % 2));
        }
    }
    csv.push_str("Q,1,1.5,s0,1,2.5\n");
    csv
}

fn fit_with(
    correlation: &str,
    formula: &str,
    id: bool,
    time: &str,
) -> Result<lagmix::FitResult, String> {
    let data = DataOptions {
        id: id.then(|| "id".to_string()),
        time: Some(time.to_string()),
        ..DataOptions::default()
    };
    let structure = ResidualStructure::parse(correlation).expect("known structure");
    let model = ModelOptions::new(formula).with_correlation(structure);
    lagmix::fit_csv(panel_csv().as_bytes(), &data, &model).map_err(|e| e.to_string())
}

#[test]
fn bad_requests_get_clear_errors() {
    let err = |r: Result<lagmix::FitResult, String>| r.expect_err("an error");
    let e = err(fit_with("ar1", "y ~ x + (1 | id)", true, "hours"));
    assert!(
        e.contains("line 2") && e.contains("2.5") && e.contains("car1"),
        "{e}"
    );
    let e = err(fit_with("ar1", "y ~ x + (1 | site)", false, "week"));
    assert!(e.contains("--id"), "{e}");
    let e = err(fit_with("car1", "y ~ x + (1 | site)", true, "week"));
    assert!(
        e.contains("`site`") && e.contains("not supported yet"),
        "{e}"
    );
    let e = err(fit_with(
        "car1",
        "y ~ x + (1 | id) + (1 | site)",
        true,
        "week",
    ));
    assert!(e.contains("`id`, `site`"), "{e}");
    let mut model = ModelOptions::new("y ~ x + (1 | id)").with_correlation(ResidualStructure::Ar1);
    model.df = DfMethod::Satterthwaite;
    let data = DataOptions {
        id: Some("id".into()),
        time: Some("week".into()),
        ..DataOptions::default()
    };
    let e = lagmix::fit_csv(panel_csv().as_bytes(), &data, &model).expect_err("refused");
    assert!(
        e.to_string().contains("Satterthwaite df are not available"),
        "{e}"
    );
}

#[test]
fn a_person_with_one_row_and_real_times_fit() {
    // Q has one row: nothing to correlate there, and no error.
    let fit = fit_with("car1", "y ~ x + (1 | id)", true, "hours").expect("car1 fits");
    let rc = fit.residual_correlation.expect("a correlation");
    assert_eq!((rc.structure.as_str(), rc.time.as_str()), ("car1", "hours"));
    assert!((0.0..1.0).contains(&rc.phi));
    assert_eq!(fit.df_method, "between-within");
    // On whole times ar1 and car1 are the same model (nlme: corAR1 = corCAR1 there).
    let ar1 = fit_with("ar1", "y ~ x + (1 | id)", true, "week").expect("ar1 fits");
    let car1 = fit_with("car1", "y ~ x + (1 | id)", true, "week").expect("car1 fits");
    let phi = |f: &lagmix::FitResult| f.residual_correlation.as_ref().map_or(f64::NAN, |r| r.phi);
    let (a, c) = (phi(&ar1), phi(&car1));
    if a >= 0.0 {
        assert!((a - c).abs() < 1e-3, "{a} vs {c}");
        assert!((ar1.log_lik - car1.log_lik).abs() < 1e-6);
    }
}

#[test]
fn row_order_does_not_change_the_fit() {
    // The ar1_slope rows as the script shuffled them, and sorted by person and time (then the
    // model needs no reordering of its own): the same numbers.
    let (_, dir) = common::fixture_cases("fixtures-nlme")
        .into_iter()
        .find(|(name, _)| name == "ar1_slope")
        .expect("the ar1_slope fixture");
    let text = std::fs::read_to_string(dir.join("data.csv")).expect("data.csv");
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    let key = |line: &&str| {
        let cells: Vec<&str> = line.split(',').collect();
        let time: f64 = cells[1].parse().unwrap_or(f64::NAN);
        (cells[0].to_string(), (time * 100.0) as i64)
    };
    lines.sort_by_key(key);
    let sorted = format!("{header}\n{}\n", lines.join("\n"));
    let data = DataOptions {
        id: Some("id".into()),
        time: Some("time".into()),
        ..DataOptions::default()
    };
    let model = ModelOptions::new("y ~ x + (1 + x | id)").with_correlation(ResidualStructure::Ar1);
    let shuffled = lagmix::fit_csv(text.as_bytes(), &data, &model).expect("shuffled fit");
    let sorted = lagmix::fit_csv(sorted.as_bytes(), &data, &model).expect("sorted fit");
    let phi = |f: &lagmix::FitResult| f.residual_correlation.as_ref().map_or(f64::NAN, |r| r.phi);
    assert!((phi(&shuffled) - phi(&sorted)).abs() < 1e-6);
    assert!((shuffled.log_lik - sorted.log_lik).abs() < 1e-8);
    for (a, b) in shuffled.fixed.iter().zip(&sorted.fixed) {
        assert!(
            (a.estimate - b.estimate).abs() < 1e-6 * a.se,
            "{a:?} vs {b:?}"
        );
    }
}
