//! The R script of every golden fixture (`report::r_script`), run with Rscript beside the
//! fixture's data file, reproduces lagmix's fixed effects: estimates within 1e-3 SE, SE and df
//! within 0.2%, the same terms in the same order (R's names for derived columns aside); the
//! script of every comparison (`report::r_script_compare`) reproduces its npar, logLik and
//! chi-square (2e-3).
//!
//! Needs R with lme4 and lmerTest (`npm test` installs Debian's r-cran-lmertest through
//! scripts/setup.sh). Cases where lme4 itself does not converge (trial_between) are skipped,
//! as in the golden test.

use lagmix::frame::ReadOptions;
use lagmix::report::{r_script, r_script_compare, ScriptData};
use lagmix::{formula, DataOptions, Dataset, DfMethod, ModelOptions};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("expected.json").exists())
        .collect();
    cases.sort();
    cases
}

/// The test reads the fit script's last object, `fixed_effects`, as JSON.
const FIT_TRAILER: &str =
    "\ncat(\"\\n@@JSON@@\", jsonlite::toJSON(list(terms = rownames(fixed_effects), \
    estimate = fixed_effects$estimate, se = fixed_effects$se, df = fixed_effects$df), \
    digits = NA), \"\\n\")\n";

/// ... and the comparison script's `comparison` (lme4's anova table).
const COMPARE_TRAILER: &str =
    "\ncat(\"\\n@@JSON@@\", jsonlite::toJSON(list(npar = comparison$npar, \
    logLik = comparison$logLik, chisq = comparison$Chisq), digits = NA), \"\\n\")\n";

/// Runs the script in a fresh folder holding the data file; returns the JSON the trailer prints.
fn run_script(script: &str, trailer: &str, data: &Path, file_name: &str, case: &str) -> Value {
    let dir = std::env::temp_dir().join(format!("lagmix-r-script-{}-{case}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::copy(data, dir.join(file_name)).expect("copy data");
    std::fs::write(dir.join("model.R"), format!("{script}{trailer}")).expect("write script");
    let output = Command::new("Rscript")
        .arg("model.R")
        .current_dir(&dir)
        .output()
        .expect("Rscript not found: install R with lme4 and lmerTest (Debian: apt-get install r-cran-lmertest r-cran-jsonlite; npm test does it)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{case}: the R script failed:\n{}\n{script}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json = stdout.split("@@JSON@@").nth(1).expect("the trailer's JSON");
    let _ = std::fs::remove_dir_all(&dir);
    serde_json::from_str(json.trim()).expect("valid JSON from R")
}

/// The differences between lagmix's fit of one fixture and its R script's (empty when they
/// agree); None for a case that is skipped.
fn check_case(dir: &Path) -> Option<Vec<String>> {
    let case = dir.file_name().unwrap().to_string_lossy().to_string();
    if case == "trial_between" {
        return None;
    }
    let spec: Value =
        serde_json::from_slice(&std::fs::read(dir.join("spec.json")).unwrap()).unwrap();
    let text = |k: &str| spec.get(k).and_then(Value::as_str).map(str::to_string);
    let data_path = dir.join(text("data").unwrap_or_else(|| "data.csv".into()));
    let file_name = data_path.file_name().unwrap().to_string_lossy().to_string();
    let na: Vec<String> = spec["na"].as_array().map_or(Vec::new(), |a| {
        a.iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    });
    let data = DataOptions {
        read: ReadOptions {
            na: na.clone(),
            ..ReadOptions::default()
        },
        id: text("id"),
        time: text("time"),
    };
    let mut model = ModelOptions::new(&text("formula").unwrap());
    model.reml = spec["reml"].as_bool().unwrap_or(true);
    model.df = DfMethod::parse(&text("df").unwrap()).unwrap();
    let bytes = std::fs::read(&data_path).unwrap();
    let dataset = Dataset::parse(&bytes, &data).unwrap();
    let parsed = formula::parse_formula(&model.formula).unwrap();
    let script_data = ScriptData {
        file_name: &file_name,
        na: &na,
        id: data.id.as_deref(),
        time: data.time.as_deref(),
    };
    let script = r_script(&parsed, &model, &script_data, &dataset.frame);
    let fit = dataset.fit(&model).unwrap();
    let r = run_script(&script, FIT_TRAILER, &data_path, &file_name, &case);
    let column = |k: &str| -> Vec<f64> {
        r[k].as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap_or(f64::NAN))
            .collect()
    };
    let (estimate, se, df) = (column("estimate"), column("se"), column("df"));
    if estimate.len() != fit.fixed.len() {
        return Some(vec![format!(
            "{case}: R has {} coefficients, lagmix {}",
            estimate.len(),
            fit.fixed.len()
        )]);
    }
    let rel = |a: f64, b: f64| (a - b).abs() <= 2e-3 * b.abs().max(1e-12);
    Some(
        fit.fixed
            .iter()
            .enumerate()
            .filter(|(k, f)| {
                (f.estimate - estimate[*k]).abs() > 1e-3 * f.se
                    || !rel(f.se, se[*k])
                    || !rel(f.df, df[*k])
            })
            .map(|(k, f)| {
                format!(
                    "{case}: {}: lagmix {} ({}, df {}) vs the script {} ({}, df {})",
                    f.term, f.estimate, f.se, f.df, estimate[k], se[k], df[k]
                )
            })
            .collect(),
    )
}

#[test]
fn r_scripts_of_the_golden_fixtures_reproduce_lagmix() {
    let cases = fixtures();
    // Two at a time: each Rscript spends most of a second loading lme4.
    let results: Vec<Option<Vec<String>>> = std::thread::scope(|scope| {
        let half = cases.len().div_ceil(2);
        let handles: Vec<_> = cases
            .chunks(half)
            .map(|chunk| {
                scope.spawn(move || chunk.iter().map(|d| check_case(d)).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a case panicked"))
            .collect()
    });
    let ran = results.iter().flatten().count();
    let failures: Vec<String> = results.into_iter().flatten().flatten().collect();
    assert!(ran >= 20, "only {ran} scripts ran");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn r_scripts_of_the_comparisons_reproduce_lagmix_compare() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/comparisons");
    let mut ran = 0;
    for entry in std::fs::read_dir(&dir)
        .expect("tests/comparisons")
        .filter_map(Result::ok)
    {
        let case_dir = entry.path();
        let case = case_dir.file_name().unwrap().to_string_lossy().to_string();
        let spec: Value =
            serde_json::from_slice(&std::fs::read(case_dir.join("spec.json")).unwrap()).unwrap();
        let text = |k: &str| spec.get(k).and_then(Value::as_str).map(str::to_string);
        let data = DataOptions {
            id: text("id"),
            time: text("time"),
            ..DataOptions::default()
        };
        let data_path = case_dir.join("data.csv");
        let dataset = Dataset::parse(&std::fs::read(&data_path).unwrap(), &data).unwrap();
        let reml = spec["reml"].as_bool().unwrap_or(true);
        let refit = spec["refit"].as_bool().unwrap_or(true);
        let models: Vec<ModelOptions> = spec["formulas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| ModelOptions {
                reml,
                ..ModelOptions::new(f.as_str().unwrap())
            })
            .collect();
        let specs: Vec<_> = models
            .iter()
            .map(|m| formula::parse_formula(&m.formula).unwrap())
            .collect();
        let script_data = ScriptData {
            file_name: "data.csv",
            na: &[],
            id: data.id.as_deref(),
            time: data.time.as_deref(),
        };
        let script = r_script_compare(&specs, &models, refit, &script_data, &dataset.frame);
        let (comparison, _) = dataset.compare(&models, refit).unwrap();
        let r = run_script(&script, COMPARE_TRAILER, &data_path, "data.csv", &case);
        ran += 1;
        for (i, model) in comparison.models.iter().enumerate() {
            assert_eq!(r["npar"][i].as_u64(), Some(model.npar as u64), "{case}");
            let ll = r["logLik"][i].as_f64().unwrap();
            assert!(
                (ll - model.log_lik).abs() < 2e-3,
                "{case}: logLik {} vs R {ll}",
                model.log_lik
            );
        }
        for (i, test) in comparison.tests.iter().enumerate() {
            let chisq = r["chisq"][i + 1].as_f64().unwrap();
            assert!(
                (chisq - test.chisq).abs() < 2e-3,
                "{case}: chisq {} vs R {chisq}",
                test.chisq
            );
        }
    }
    assert!(ran >= 3);
}
