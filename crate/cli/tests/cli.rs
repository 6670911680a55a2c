//! The `lagmix` binary end to end: exit codes, messages on stderr, and (with the core pipeline)
//! text and JSON output on the shared fixtures in `tests/fixtures`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// Runs the binary with `args`, feeding `stdin` to it.
fn lagmix_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lagmix"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the lagmix binary built by cargo can be started");
    if let Some(mut input) = child.stdin.take() {
        // The binary may exit before reading (argument errors): a broken pipe here is fine.
        let _ = input.write_all(stdin);
    }
    child
        .wait_with_output()
        .expect("waiting for the lagmix child process succeeds")
}

fn lagmix(args: &[&str]) -> Output {
    lagmix_with_stdin(args, b"")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts a user error: exit status 2, one `error: ` message containing `needle`, no panic.
fn assert_user_error(output: &Output, needle: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "stderr: {err}");
    assert!(err.starts_with("error: "), "stderr: {err}");
    assert!(err.contains(needle), "expected {needle:?} in stderr: {err}");
    assert!(!err.contains("panicked"), "stderr: {err}");
    assert!(output.stdout.is_empty(), "stdout: {}", stdout(output));
}

fn fixture(case: &str) -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "tests",
        "fixtures",
        case,
    ]
    .iter()
    .collect();
    path.join("data.csv").to_string_lossy().into_owned()
}

const TRIAL_FORMULA: &str =
    "lead(within(spin)) ~ within(spin) + within(wai) + between(wai) + (1 | id)";

#[test]
fn no_arguments_is_an_error() {
    assert_user_error(&lagmix(&[]), "no command given");
}

#[test]
fn unknown_command_and_option_point_to_help() {
    assert_user_error(&lagmix(&["fitt", "d.csv"]), "lagmix --help");
    let output = lagmix(&["fit", "d.csv", "--formla", "y ~ x"]);
    assert_user_error(&output, "did you mean '--formula'?");
    assert_user_error(&output, "lagmix fit --help");
    assert_user_error(
        &lagmix(&["describe", "d.csv", "--ml"]),
        "unknown option '--ml'",
    );
}

#[test]
fn missing_formula_says_how_to_give_one() {
    assert_user_error(&lagmix(&["fit", "d.csv"]), "add --formula");
    assert_user_error(
        &lagmix(&["fit", "d.csv", "--formula", "  "]),
        "add --formula",
    );
    assert_user_error(
        &lagmix(&["fit", "d.csv", "--formula"]),
        "'--formula' needs a value",
    );
}

#[test]
fn bad_option_values_name_the_choices() {
    assert_user_error(
        &lagmix(&["fit", "d.csv", "--formula", "y ~ x", "--df", "roger"]),
        "satterthwaite, kenward-roger, residual or between-within",
    );
    assert_user_error(
        &lagmix(&["fit", "d.csv", "--formula", "y ~ x", "--delimiter", ":"]),
        "--delimiter",
    );
}

#[test]
fn describe_needs_panel_columns_and_variables() {
    assert_user_error(
        &lagmix(&["describe", "d.csv", "spin"]),
        "--id COLUMN --time COLUMN",
    );
    assert_user_error(
        &lagmix(&["describe", "d.csv", "--id", "id", "--time", "week"]),
        "no variables given",
    );
}

#[test]
fn unreadable_files_are_user_errors() {
    assert_user_error(
        &lagmix(&["fit", "/no/such/dir/data.csv", "--formula", "y ~ x"]),
        "there is no such file",
    );
    let dir = env!("CARGO_MANIFEST_DIR");
    assert_user_error(
        &lagmix(&["fit", dir, "--formula", "y ~ x"]),
        "is a directory",
    );
}

#[test]
fn empty_stdin_is_a_data_error_not_a_panic() {
    let output = lagmix_with_stdin(&["fit", "-", "--formula", "y ~ x"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("error: "));
    assert!(!stderr(&output).contains("panicked"));
}

#[cfg(unix)]
#[test]
fn non_utf8_argument_is_an_error() {
    use std::os::unix::ffi::OsStrExt;
    let output = Command::new(env!("CARGO_BIN_EXE_lagmix"))
        .arg("fit")
        .arg(std::ffi::OsStr::from_bytes(b"data\xff.csv"))
        .output()
        .expect("the lagmix binary built by cargo can be started");
    assert_user_error(&output, "not valid UTF-8");
}

#[test]
fn help_and_version_succeed() {
    let output = lagmix(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("lagmix fit DATA.csv --formula FORMULA"));
    let output = lagmix(&["fit", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("--df METHOD"));
    let output = lagmix(&["help", "describe"]);
    assert!(stdout(&output).contains("Usage: lagmix describe"));
    let output = lagmix(&["--version"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        format!("lagmix {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn unknown_column_in_formula_is_a_user_error() {
    let path = fixture("trial_within");
    let output = lagmix(&[
        "fit",
        &path,
        "--formula",
        "spin ~ nosuchcolumn + (1 | id)",
        "--id",
        "id",
        "--time",
        "week",
    ]);
    assert_user_error(&output, "nosuchcolumn");
}

// The tests below run the whole core pipeline on the shared fixtures.

#[test]
fn fit_prints_the_summary_with_apa_lines() {
    let path = fixture("trial_within");
    let output = lagmix(&[
        "fit",
        &path,
        "--formula",
        TRIAL_FORMULA,
        "--id",
        "id",
        "--time",
        "week",
        "--df",
        "residual",
    ]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("Linear mixed model fit by REML. t-tests use residual degrees of freedom")
    );
    assert!(
        text.contains("Number of obs: 1546, groups: id, 182\n"),
        "{text}"
    );
    // expected.json: B = -0.11202, SE = 0.019746, df = 1542, t = -5.6729.
    assert!(
        text.contains("within(wai): B = -0.112, SE = 0.020, t(1542) = -5.67, p < .001"),
        "{text}"
    );
}

/// The estimate of `term` in a JSON fit result.
fn estimate(json: &serde_json::Value, term: &str) -> Option<f64> {
    json["fixed"]
        .as_array()?
        .iter()
        .find(|e| e["term"] == term)?["estimate"]
        .as_f64()
}

#[test]
fn fit_json_matches_the_reference() {
    let path = fixture("trial_within");
    let output = lagmix(&[
        "fit",
        &path,
        "--formula",
        TRIAL_FORMULA,
        "--id",
        "id",
        "--time",
        "week",
        "--df",
        "residual",
        "--json",
    ]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("--json prints valid JSON");
    assert_eq!(json["nobs"], 1546);
    let b = estimate(&json, "within(wai)").unwrap_or(f64::NAN);
    assert!((b - -0.112020696743852).abs() < 1e-5, "within(wai) = {b}");
}

#[test]
fn fit_reads_stdin_with_a_given_delimiter() {
    let path = fixture("excel_semicolon");
    let bytes = std::fs::read(path).expect("the excel_semicolon fixture is readable");
    let output = lagmix_with_stdin(
        &[
            "fit",
            "-",
            "--formula",
            "wert ~ woche + geschlecht + (1 | id)",
            "--delimiter",
            ";",
            "--json",
        ],
        &bytes,
    );
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("--json prints valid JSON");
    assert!(estimate(&json, "woche").is_some(), "{json}");
}

#[test]
fn na_codes_are_missing() {
    let path = fixture("na_codes");
    let args = [
        "fit",
        path.as_str(),
        "--formula",
        "y ~ x + group + (1 | id)",
        "--json",
    ];
    let without: serde_json::Value =
        serde_json::from_slice(&lagmix(&args).stdout).unwrap_or_default();
    let mut with_na = args.to_vec();
    with_na.extend(["--na", "-99"]);
    let output = lagmix(&with_na);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let with: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("--json prints valid JSON");
    // Without --na, -99 is a number in x (and a level of group): more rows are used.
    assert_ne!(with["nobs"], without["nobs"]);
    assert!(with["droppedRows"].as_u64().unwrap_or(0) > 0);
}

#[test]
fn describe_prints_table_one() {
    let path = fixture("trial_within");
    let output = lagmix(&[
        "describe", &path, "--id", "id", "--time", "week", "spin", "wai",
    ]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("Descriptives by occasion: 182 persons (id), 11 occasions (week)"),
        "{text}"
    );
    assert!(text.contains("  spin: n = "), "{text}");

    let output = lagmix(&[
        "describe", &path, "--id", "id", "--time", "week", "spin", "--json",
    ]);
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("--json prints valid JSON");
    assert_eq!(json["persons"], 182);
    assert_eq!(json["variables"][0]["variable"], "spin");
}

#[test]
fn describe_unknown_variable_is_a_user_error() {
    let path = fixture("trial_within");
    let output = lagmix(&["describe", &path, "--id", "id", "--time", "week", "spni"]);
    assert_user_error(&output, "spni");
}

#[test]
fn compare_prints_lme4s_anova_table_and_json() {
    let data = fixture("slopes_sleepstudy");
    let models = [
        "--formula",
        "Reaction ~ Days + (Days | Subject)",
        "--formula",
        "Reaction ~ Days + (1 | Subject)",
    ];
    let mut args = vec!["compare", data.as_str(), "--no-refit"];
    args.extend(models);
    let out = lagmix(&args);
    assert!(out.status.success(), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("m1: Reaction ~ Days + (1 | Subject)"),
        "{text}"
    );
    assert!(
        text.contains("Pr(>Chisq)") && text.contains("m2 vs m1: chi2(2) = "),
        "{text}"
    );
    args.push("--json");
    let out = lagmix(&args);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert_eq!(json["models"][0]["npar"], 4);
    assert_eq!(json["tests"][0]["df"], 2);
    assert!(json["tests"][0]["chisq"].as_f64().unwrap() > 0.0);
    for key in ["formula", "npar", "aic", "bic", "logLik", "deviance"] {
        assert!(json["models"][1].get(key).is_some(), "{key}");
    }
}

#[test]
fn compare_errors_say_what_to_type() {
    let data = fixture("slopes_sleepstudy");
    let out = lagmix(&[
        "compare",
        &data,
        "--formula",
        "Reaction ~ Days + (1 | Subject)",
    ]);
    assert_user_error(&out, "needs at least two models");
    let out = lagmix(&[
        "fit",
        &data,
        "--formula",
        "Reaction ~ Days + (1 | Subject)",
        "--formula",
        "Reaction ~ 1 + (1 | Subject)",
    ]);
    assert_user_error(&out, "lagmix compare DATA.csv --formula F0 --formula F1");
    let out = lagmix(&[
        "compare",
        &data,
        "--no-refit",
        "--formula",
        "Reaction ~ Days + (1 | Subject)",
        "--formula",
        "Reaction ~ 1 + (1 | Subject)",
    ]);
    assert_user_error(&out, "different fixed effects");
}

#[test]
fn fit_writes_the_random_effects_and_the_derived_data_with_fitted_values() {
    let dir = std::env::temp_dir().join(format!("lagmix-cli-outputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let ranef = dir.join("ranef.csv");
    let derived = dir.join("derived.csv");
    let out = lagmix(&[
        "fit",
        &fixture("lag_gaps_unsorted"),
        "--formula",
        "y ~ lag(y) + x + (1 | id)",
        "--id",
        "id",
        "--time",
        "week",
        "--random-effects",
        &ranef.to_string_lossy(),
        "--derived-data",
        &derived.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert!(stdout(&out).contains("R² (Nakagawa): marginal"));
    let modes = std::fs::read_to_string(&ranef).expect("ranef.csv written");
    let want =
        std::fs::read_to_string(fixture("lag_gaps_unsorted").replace("data.csv", "ranef.csv"))
            .expect("the reference ranef.csv");
    // The same groups and levels in lme4's order (the numbers are checked in the golden tests).
    let keys = |text: &str| -> Vec<String> {
        text.lines()
            .skip(1)
            .map(|l| {
                l.replace('"', "")
                    .split(',')
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect()
    };
    assert_eq!(keys(&modes), keys(&want));
    let derived = std::fs::read_to_string(&derived).expect("derived data written");
    let header = derived.lines().next().unwrap_or_default();
    assert!(header.ends_with(",fitted,residual"), "{header}");
    let with_fitted = derived
        .lines()
        .skip(1)
        .filter(|l| !l.ends_with(",,"))
        .count();
    let want_rows =
        std::fs::read_to_string(fixture("lag_gaps_unsorted").replace("data.csv", "fitted.csv"))
            .expect("the reference fitted.csv")
            .lines()
            .count()
            - 1;
    assert_eq!(with_fitted, want_rows);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_output_file_that_cannot_be_created_is_a_clear_error() {
    let out = lagmix(&[
        "fit",
        &fixture("ri_sleepstudy"),
        "--formula",
        "Reaction ~ Days + (1 | Subject)",
        "--random-effects",
        "/nonexistent-directory/ranef.csv",
    ]);
    assert_user_error(&out, "cannot create /nonexistent-directory/ranef.csv");
}

fn formats(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "..", "tests", name]
        .iter()
        .collect();
    path.to_string_lossy().into_owned()
}

#[test]
fn workbooks_and_spss_files_fit_like_the_csv_and_say_what_was_read() {
    let args = |file: &str, wai: &str| {
        let formula = format!("spin ~ within({wai}) + group + (1 | id)");
        let output = lagmix(&[
            "fit",
            &formats(file),
            "--id",
            "id",
            "--time",
            "week",
            "--formula",
            &formula,
            "--json",
        ]);
        assert_eq!(output.status.code(), Some(0), "{file}: {}", stderr(&output));
        output
    };
    let csv = args("formats/trial.csv", "wai");
    let xlsx = args("formats/trial.xlsx", "wai");
    assert!(
        stderr(&xlsx).contains("read sheet \"trial\""),
        "{}",
        stderr(&xlsx)
    );
    assert!(stderr(&xlsx).contains("1922 rows, 9 columns"));
    assert!(stderr(&csv).is_empty(), "{}", stderr(&csv));
    let sav = args("formats/trial.zsav", "working_alliance_wai");
    let estimates = |o: &Output| -> Vec<f64> {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        v["fixed"]
            .as_array()
            .expect("fixed")
            .iter()
            .map(|f| f["estimate"].as_f64().unwrap_or(f64::NAN))
            .collect()
    };
    assert_eq!(estimates(&csv), estimates(&xlsx));
    let (a, b) = (estimates(&csv), estimates(&sav));
    assert!(
        a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-12),
        "{a:?} {b:?}"
    );
}

#[test]
fn sheets_and_bad_files_are_user_errors() {
    let out = lagmix(&[
        "fit",
        &formats("formats/trial.ods"),
        "--sheet",
        "nope",
        "--formula",
        "y ~ 1",
    ]);
    assert_user_error(&out, "no sheet \"nope\"");
    // The crafted .xls and .ods would make calamine reserve gigabytes: refused first, exit 2.
    for (file, needle) in [
        ("truncated.xlsx", "damaged or incomplete"),
        ("far_cells.xls", "spans 65536 rows x 65536 columns"),
        ("wide_rows.ods", "spans 400 rows x 16384 columns"),
    ] {
        let path = formats(&format!("catalogue/{file}"));
        let out = lagmix(&["fit", &path, "--formula", "y ~ 1"]);
        assert_user_error(&out, needle);
    }
    let out = lagmix(&[
        "describe",
        &formats("catalogue/bad_header.sav"),
        "--id",
        "id",
        "--time",
        "w",
        "y",
    ]);
    assert_user_error(&out, "header is damaged");
}

#[test]
fn ar1_residuals_are_fitted_and_reported() {
    // `lagmix fit` of an nlme fixture with y ~ x + (1 | id), id and time, and `extra`.
    let fit = |case: &str, extra: &[&str]| {
        let data = fixture(&format!("../fixtures-nlme/{case}"));
        let mut args = vec!["fit", &data, "--formula", "y ~ x + (1 | id)", "--id", "id"];
        args.extend(extra);
        lagmix(&args)
    };
    let output = fit("ar1_gaps_reml", &["--time", "time", "--correlation", "ar1"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(text.contains("between-within degrees of freedom"), "{text}");
    assert!(
        text.contains("Residual correlation: AR(1) within person over `time`, phi = 0.54"),
        "{text}"
    );
    assert!(
        text.contains("modelled as AR(1) over time (phi = .54)."),
        "{text}"
    );
    // Satterthwaite is refused; fractional times want car1; a correlation needs --time.
    let refused = fit(
        "ar1_gaps_reml",
        &[
            "--time",
            "time",
            "--correlation",
            "ar1",
            "--df",
            "satterthwaite",
        ],
    );
    assert_user_error(
        &refused,
        "not available with the residual correlation `ar1`",
    );
    let fractional = fit(
        "car1_irregular",
        &["--time", "time", "--correlation", "ar1"],
    );
    assert_user_error(&fractional, "use `car1`");
    let no_time = fit("ar1_gaps_reml", &["--correlation", "car1"]);
    assert_user_error(&no_time, "give the time column");
}

#[test]
fn reshape_and_reliability_read_workbooks_as_the_csv() {
    let wide = |file: &str| {
        let out = lagmix(&["reshape", &formats(file), "--id", "id", "--time", "week"]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr(&out));
        stdout(&out)
    };
    let from_csv = wide("formats/wide.csv");
    assert!(
        from_csv.starts_with("id,week,age,spin,wai\n1,1,34,41,50\n"),
        "{from_csv}"
    );
    assert_eq!(wide("formats/wide.xlsx"), from_csv);
    let alpha = |file: &str| {
        let out = lagmix(&[
            "reliability",
            &formats(file),
            "--items",
            "spin,wai",
            "--json",
        ]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr(&out));
        stdout(&out)
    };
    assert_eq!(alpha("formats/trial.xlsx"), alpha("formats/trial.csv"));
    assert_eq!(alpha("formats/trial.ods"), alpha("formats/trial.csv"));
}
