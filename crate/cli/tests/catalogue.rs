//! The catalogue of bad inputs (tests/catalogue/*.csv) through the `lagmix` binary: each is a
//! result (exit 0) or a user error (exit 2, `error: ` and the message on stderr), never a panic
//! (exit 101).

use std::path::PathBuf;
use std::process::{Command, Output};

fn case(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "..", "tests", "catalogue"]
        .iter()
        .collect();
    path.join(format!("{name}.csv"))
        .to_string_lossy()
        .into_owned()
}

fn fit(name: &str, formula: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lagmix"))
        .args([
            "fit",
            &case(name),
            "--formula",
            formula,
            "--id",
            "id",
            "--time",
            "week",
        ])
        .output()
        .expect("the lagmix binary built by cargo can be started")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_error(name: &str, formula: &str, needles: &[&str]) {
    let output = fit(name, formula);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{name}: {err}");
    assert!(err.starts_with("error: "), "{name}: {err}");
    for needle in needles {
        assert!(err.contains(needle), "{name}: expected {needle:?} in {err}");
    }
    assert!(output.stdout.is_empty(), "{name}");
}

fn assert_warning(name: &str, formula: &str, needle: &str) {
    let output = fit(name, formula);
    let out = String::from_utf8_lossy(&output.stdout).replace("\n    ", " ");
    assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
    assert!(out.contains(needle), "{name}: expected {needle:?} in {out}");
}

const F: &str = "y ~ x + (1 | id)";

#[test]
fn file_errors_exit_2_with_the_line() {
    assert_error("ragged", F, &["line 5", "3 fields", "header has 4"]);
    assert_error("unclosed_quote", F, &["line 7, column 3"]);
    assert_error("quotes_inside", F, &["line 7", "\"5\"1\" is not a number"]);
    assert_error("utf16", F, &["UTF-16"]);
    assert_error("latin1", F, &["line 6, column 5", "0xE9"]);
    assert_error("empty", F, &["the file is empty"]);
    assert_error("header_only", F, &["no data rows"]);
    assert_error("dup_names", F, &["two columns named \"x\""]);
    assert_error("nul", F, &["line 7", "NUL bytes"]);
    assert_error("inf", F, &["line 7, column \"x\"", "infinite"]);
    assert_error("dup_time", F, &["line 7", "two rows for week = 0"]);
    assert_error(
        "time_frac",
        "y ~ lag(x) + (1 | id)",
        &["line 7 has week = 1.5"],
    );
    assert_error("one_person", F, &["1 level"]);
}

#[test]
fn formula_errors_exit_2_with_a_caret() {
    assert_error(
        "good",
        "y ~ logit(x) + (1 | id)",
        &["unknown function `logit`", "\n        ^"],
    );
    assert_error(
        "good",
        "y ~ x^2 + (1 | id)",
        &["write `I(x^2)`", "\n        ^"],
    );
    assert_error("good", "y ~ x + (1 | )", &["nothing follows `|`"]);
    assert_error("good", "y ~ (x + (1 | id)", &["never closed"]);
}

#[test]
fn awkward_files_fit_with_named_warnings() {
    assert_warning("cr_only", F, "Fixed effects:");
    assert_warning("semicolon_comma", F, "Fixed effects:");
    assert_warning("constant_within", F, "does not vary within id");
    assert_warning(
        "time_invariant_x",
        "y ~ within(x) + between(x) + (1 | id)",
        "dropped: `within(x)`",
    );
}

/// Every catalogue file with a few formulas: exit 0 or 2, never a panic.
#[test]
fn no_case_panics() {
    let dir: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "..", "tests", "catalogue"]
        .iter()
        .collect();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/catalogue exists")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".csv")
                .map(String::from)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 15, "{names:?}");
    for name in &names {
        for formula in [
            F,
            "y ~ lag(x) + within(x) + between(x) + (1 + x | id)",
            "y ~ factor(week) * x + (1 | id) + (1 | week)",
            "lead(y, 2) ~ lag(y, 3) + (x || id)",
        ] {
            let output = fit(name, formula);
            let code = output.status.code();
            assert!(
                code == Some(0) || code == Some(2),
                "{name} with {formula}: exit {code:?}, stderr {}",
                stderr(&output)
            );
            assert!(!stderr(&output).contains("panicked"), "{name}");
        }
    }
}
