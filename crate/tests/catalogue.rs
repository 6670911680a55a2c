//! The catalogue of bad and awkward inputs (issue 5, "Nothing breaks it"): each case states the
//! exact outcome a researcher should see, either an error naming the line / column / term and
//! what was expected, or a result with a named warning. Big inputs are generated here.

use lagmix::{fit_csv, DataOptions, Dataset, FitResult, ModelOptions};

/// A small good panel: 6 persons x 4 weeks, x varies within persons, y depends on x.
fn rows() -> Vec<[String; 4]> {
    let mut out = Vec::new();
    for id in 1..=6 {
        for week in 0..4 {
            let x = 3.0 + ((id * 7 + week * 3) % 5) as f64 * 0.5;
            let y = 1.0 + 0.5 * x + id as f64 * 0.3 + ((id * 5 + week * 11) % 7) as f64 * 0.2;
            out.push([
                id.to_string(),
                week.to_string(),
                format!("{x}"),
                format!("{y:.2}"),
            ]);
        }
    }
    out
}

fn csv_of(rows: &[[String; 4]]) -> String {
    let mut text = String::from("id,week,x,y\n");
    for r in rows {
        text.push_str(&r.join(","));
        text.push('\n');
    }
    text
}

/// The good panel with cell (row, column) replaced; data row `row` is on line `row + 2`.
fn with_cell(row: usize, column: usize, value: &str) -> String {
    let mut r = rows();
    r[row][column] = value.to_string();
    csv_of(&r)
}

fn good() -> String {
    csv_of(&rows())
}

fn panel() -> DataOptions {
    DataOptions {
        id: Some("id".into()),
        time: Some("week".into()),
        ..DataOptions::default()
    }
}

fn fit(bytes: &[u8], formula: &str) -> Result<FitResult, String> {
    fit_csv(bytes, &panel(), &ModelOptions::new(formula)).map_err(|e| e.to_string())
}

/// Asserts an error whose message contains every needle.
fn fails(bytes: &[u8], formula: &str, needles: &[&str]) {
    match fit(bytes, formula) {
        Ok(r) => panic!("expected an error, got a fit: {:?}", r.fixed),
        Err(message) => {
            for needle in needles {
                assert!(
                    message.contains(needle),
                    "expected {needle:?} in: {message}"
                );
            }
        }
    }
}

/// Asserts a fit whose warnings contain every needle; returns it.
fn warns(bytes: &[u8], formula: &str, needles: &[&str]) -> FitResult {
    let r = fit(bytes, formula).unwrap_or_else(|e| panic!("expected a fit, got: {e}"));
    let all = r.warnings.join("\n");
    for needle in needles {
        assert!(
            all.contains(needle),
            "expected {needle:?} in warnings: {all}"
        );
    }
    r
}

const F: &str = "y ~ x + (1 | id)";

fn slope(r: &FitResult) -> f64 {
    r.fixed
        .iter()
        .find(|f| f.term == "x")
        .map_or(f64::NAN, |f| f.estimate)
}

// ---- the file itself -------------------------------------------------------------------

#[test]
fn ragged_row_names_the_line_and_the_counts() {
    let mut text = good();
    text = text.replacen("2,0,", "2,0,,", 1); // line 6 gets a fifth field
    fails(text.as_bytes(), F, &["line 6", "5 fields", "header has 4"]);
}

#[test]
fn unclosed_quote_names_line_and_column() {
    fails(
        with_cell(5, 2, "\"5.1").as_bytes(),
        F,
        &["line 7, column 3", "never closed"],
    );
}

#[test]
fn quote_inside_a_number_is_a_typo_not_a_category() {
    fails(
        with_cell(5, 2, "5\"1").as_bytes(),
        F,
        &[
            "line 7",
            "column \"x\"",
            "\"5\"1\" is not a number",
            "factor(x)",
        ],
    );
}

#[test]
fn quoted_fields_and_header_read_as_plain() {
    let quoted: String = good()
        .lines()
        .map(|l| {
            l.split(',')
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(",")
                + "\n"
        })
        .collect();
    let a = fit(quoted.as_bytes(), F).expect("fits");
    let b = fit(good().as_bytes(), F).expect("fits");
    assert_eq!(slope(&a), slope(&b));
}

#[test]
fn byte_order_mark_is_ignored() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(good().as_bytes());
    let r = fit(&bytes, F).expect("the BOM does not end up in the first column name");
    assert_eq!(slope(&r), slope(&fit(good().as_bytes(), F).expect("fits")));
}

#[test]
fn utf16_file_says_save_as_utf8() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in good().encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    fails(&bytes, F, &["UTF-16", "UTF-8"]);
}

#[test]
fn latin1_byte_names_line_column_and_byte() {
    let mut bytes = good().into_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let at = text.match_indices('\n').nth(2).map_or(0, |(i, _)| i) + 1; // start of line 4
    bytes.splice(at..at, [b'P', 0xE9]);
    fails(&bytes, F, &["line 4, column 1", "0xE9", "Latin-1"]);
}

#[test]
fn crlf_and_cr_only_line_endings_read_the_same() {
    let base = slope(&fit(good().as_bytes(), F).expect("fits"));
    for ending in ["\r\n", "\r"] {
        let text = good().replace('\n', ending);
        assert_eq!(
            slope(&fit(text.as_bytes(), F).expect("fits")),
            base,
            "{ending:?}"
        );
    }
}

#[test]
fn semicolons_with_decimal_commas_read_as_numbers() {
    let text = good().replace(',', ";").replace('.', ",");
    let base = slope(&fit(good().as_bytes(), F).expect("fits"));
    assert!((slope(&fit(text.as_bytes(), F).expect("fits")) - base).abs() < 1e-12);
}

#[test]
fn thousands_separator_is_named() {
    fails(
        with_cell(5, 2, "\"1,234.5\"").as_bytes(),
        F,
        &["line 7", "\"1,234.5\"", "thousands separators"],
    );
    // Unquoted, the comma splits the cell: a ragged row on that line.
    fails(
        with_cell(5, 2, "1,234.5").as_bytes(),
        F,
        &["line 7", "5 fields"],
    );
    let semicolons = good().replace(',', ";").replace('.', ",");
    let mut lines: Vec<String> = semicolons.lines().map(String::from).collect();
    lines[7] = "2;2;1.234,5;3,1".into();
    fails(
        (lines.join("\n") + "\n").as_bytes(),
        F,
        &["line 8", "\"1.234,5\"", "thousands separators"],
    );
}

#[test]
fn empty_file_and_blank_lines() {
    fails(b"", F, &["the file is empty"]);
    fails(b"\n\n\r\n", F, &["the file is empty"]);
}

#[test]
fn header_only() {
    fails(
        b"id,week,x,y\n",
        F,
        &["header line (4 columns) but no data rows"],
    );
}

#[test]
fn duplicate_and_empty_column_names() {
    let dup = good().replacen("id,week,x,y", "id,week,x,x", 1);
    fails(
        dup.as_bytes(),
        F,
        &["two columns named \"x\"", "columns 3 and 4"],
    );
    let empty = good().replacen("id,week,x,y", "id,week,,y", 1);
    fails(empty.as_bytes(), F, &["column 3 has no name"]);
}

#[test]
fn ten_thousand_columns_fit_on_the_ones_named() {
    let mut text = String::from("id,week,x,y");
    for j in 0..9_996 {
        text.push_str(&format!(",v{j}"));
    }
    text.push('\n');
    for r in rows() {
        text.push_str(&r.join(","));
        text.push_str(&",1".repeat(9_996));
        text.push('\n');
    }
    let r = fit(text.as_bytes(), F).expect("fits");
    assert_eq!(slope(&r), slope(&fit(good().as_bytes(), F).expect("fits")));
    fails(
        text.as_bytes(),
        "y ~ v9995x + (1 | id)",
        &["no column `v9995x`", "did you mean `v9995`?"],
    );
}

#[test]
fn one_megabyte_field() {
    let big = "a".repeat(1 << 20);
    let mut text = good().replacen("id,week,x,y", "id,week,x,y,note", 1);
    text = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l}\n")
            } else if i == 3 {
                format!("{l},{big}\n")
            } else {
                format!("{l},\n")
            }
        })
        .collect();
    let r = fit(text.as_bytes(), F).expect("the unused big text column does not matter");
    assert_eq!(r.nobs, 24);
    // As a number it is the one non-number of the column: an error that does not print 1 MB.
    let as_x = with_cell(2, 2, &big);
    match fit(as_x.as_bytes(), F) {
        Ok(_) => panic!("a 1 MB word as x fits"),
        Err(m) => assert!(
            m.contains("line 4") && m.contains("column \"x\""),
            "{}",
            &m[..200.min(m.len())]
        ),
    }
}

#[test]
fn nul_bytes_and_binary_garbage_are_not_text() {
    fails(
        with_cell(5, 2, "5\x001").as_bytes(),
        F,
        &["line 7", "NUL bytes"],
    );
    let garbage: Vec<u8> = (0..4000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let message = fit(&garbage, F)
        .map(|r| r.nobs)
        .expect_err("garbage is an error");
    assert!(
        message.contains("not") && (message.contains("text") || message.contains("UTF-8")),
        "{message}"
    );
    let mut xlsx = b"PK\x03\x04".to_vec();
    xlsx.extend(&garbage);
    fails(&xlsx, F, &["Excel workbook", "CSV UTF-8"]);
}

// ---- the values ---------------------------------------------------------------------------

#[test]
fn inf_and_minus_inf_are_errors_naming_the_cell() {
    fails(
        with_cell(5, 2, "Inf").as_bytes(),
        F,
        &["line 7, column \"x\"", "\"Inf\" is an infinite value"],
    );
    fails(
        with_cell(6, 3, "-Inf").as_bytes(),
        F,
        &["line 8, column \"y\"", "\"-Inf\""],
    );
}

#[test]
fn nan_is_missing_and_the_row_is_counted() {
    let r = warns(
        with_cell(5, 2, "NaN").as_bytes(),
        F,
        &["1 of 24 rows were left out", "x missing in 1"],
    );
    assert_eq!(r.nobs, 23);
}

#[test]
fn user_missing_codes() {
    let text = with_cell(5, 2, "-99");
    let mut options = panel();
    options.read.na = vec!["-99".into()];
    let r = fit_csv(text.as_bytes(), &options, &ModelOptions::new(F)).expect("fits");
    assert_eq!(r.nobs, 23);
    assert!(r.warnings.join(" ").contains("x missing in 1"));
    // A word as missing code without --na: an error that says how to declare it.
    fails(
        with_cell(5, 2, "missing").as_bytes(),
        F,
        &["line 7", "\"missing\" marks a missing value"],
    );
}

#[test]
fn id_with_mixed_types_is_a_label() {
    // "P2" is its own person: ids are labels, so numbers and text may mix.
    let r = fit(with_cell(5, 0, "P2").as_bytes(), F).expect("fits");
    assert_eq!(r.groups[0].levels, 7);
}

#[test]
fn duplicate_person_and_time_names_both_lines() {
    fails(
        with_cell(5, 1, "0").as_bytes(),
        F,
        &["line 7", "person \"2\" has two rows for week = 0", "line 6"],
    );
}

#[test]
fn text_time_names_the_line() {
    fails(
        with_cell(5, 1, "week2").as_bytes(),
        "y ~ lag(x) + (1 | id)",
        &[
            "line 7",
            "time column \"week\" must hold numbers",
            "\"week2\"",
        ],
    );
}

#[test]
fn fractional_time_with_lag_names_the_line() {
    let text = with_cell(5, 1, "1.5");
    fails(
        text.as_bytes(),
        "y ~ lag(x) + (1 | id)",
        &["lag(x)", "line 7 has week = 1.5", "whole-number times"],
    );
    // Without lag or lead a fractional time is fine.
    assert!(fit(text.as_bytes(), F).is_ok());
}

#[test]
fn all_missing_column() {
    let text: String = good()
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{l},{}\n", if i == 0 { "z" } else { "NA" }))
        .collect();
    fails(
        text.as_bytes(),
        "y ~ z + (1 | id)",
        &["no row has all of", "z is missing in 24"],
    );
}

// ---- the design ---------------------------------------------------------------------------

#[test]
fn one_person_only() {
    let text = csv_of(&rows()[..4]);
    fails(
        text.as_bytes(),
        F,
        &["`id`", "1 level", "at least 2 groups"],
    );
}

#[test]
fn every_person_observed_once() {
    let once: Vec<[String; 4]> = rows().into_iter().filter(|r| r[1] == "0").collect();
    fails(
        csv_of(&once).as_bytes(),
        F,
        &["as many levels as rows", "single observation", "(1 | id)"],
    );
}

#[test]
fn some_persons_observed_once_still_fit() {
    let mut r = rows();
    r.retain(|row| row[1] == "0" || (row[0] != "5" && row[0] != "6"));
    let fit = fit(csv_of(&r).as_bytes(), F).expect("persons with one row contribute to the fit");
    assert_eq!(fit.nobs, 18);
}

#[test]
fn outcome_constant_overall_is_an_error() {
    let mut r = rows();
    for row in &mut r {
        row[3] = "3".into();
    }
    fails(
        csv_of(&r).as_bytes(),
        F,
        &["outcome `y` has the same value (3) in all 24 rows"],
    );
}

#[test]
fn outcome_constant_within_every_person_warns() {
    let mut r = rows();
    for row in &mut r {
        row[3] = row[0].clone();
    }
    warns(csv_of(&r).as_bytes(), F, &["does not vary within id"]);
}

#[test]
fn within_and_between_of_a_time_invariant_x_drop_the_aliased_column() {
    let mut r = rows();
    for row in &mut r {
        row[2] = format!("{}", row[0].parse::<f64>().unwrap_or(0.0) * 1.5);
    }
    let fit = warns(
        csv_of(&r).as_bytes(),
        "y ~ within(x) + between(x) + (1 | id)",
        &["rank deficient", "dropped: `within(x)`"],
    );
    assert!(fit.fixed.iter().all(|f| f.term != "within(x)"));
}

#[test]
fn rank_deficient_factor_codings() {
    // f2 is f1 renamed: its column is dropped and named.
    let text: String = good()
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let odd = l
                .split(',')
                .next()
                .and_then(|id| id.parse::<u32>().ok())
                .is_some_and(|id| id % 2 == 1);
            match (i, odd) {
                (0, _) => format!("{l},f1,f2\n"),
                (_, true) => format!("{l},a,c\n"),
                (_, false) => format!("{l},b,d\n"),
            }
        })
        .collect();
    warns(
        text.as_bytes(),
        "y ~ f1 + f2 + (1 | id)",
        &["1 column was dropped: `f2d`"],
    );
}

/// Reference: lme4 1.1-31 (lmerTest 3.1-3), R code:
/// `d <- read.csv("big_response.csv"); m <- lmer(y ~ x + (1 | id), data = d, REML = TRUE)`;
/// `summary(m)$coefficients; as.data.frame(VarCorr(m))` (lme4 warned about convergence).
#[test]
fn a_response_near_1e9_with_a_tiny_spread_matches_lme4() {
    let text = "id,week,x,y\n1,0,4.6,1000000001.97\n1,1,2.3,999999999.74\n1,2,0.9,999999999.53\n\
1,3,2.6,999999999.97\n2,0,0.5,999999999.19\n2,1,4.0,1000000001.57\n2,2,3.5,1000000002.44\n\
2,3,4.8,1000000002.21\n3,0,0.8,999999999.28\n3,1,0.1,999999999.26\n3,2,1.0,999999999.94\n\
3,3,1.2,1000000000.64\n4,0,2.2,1000000001.82\n4,1,3.2,1000000001.58\n4,2,2.5,1000000001.38\n\
4,3,1.4,1000000000.54\n5,0,4.2,1000000005.14\n5,1,3.5,1000000004.60\n5,2,1.4,1000000003.81\n\
5,3,0.4,1000000002.93\n6,0,4.2,1000000000.76\n6,1,4.2,1000000002.54\n6,2,0.0,999999999.47\n\
6,3,2.3,1000000001.64\n";
    let r = fit(text.as_bytes(), F).expect("fits");
    let close = |a: f64, b: f64, tol: f64, what: &str| {
        assert!((a - b).abs() < tol, "{what}: {a} vs lme4 {b}")
    };
    close(r.fixed[0].estimate, 999_999_999.919_756, 1e-3, "intercept");
    close(r.fixed[1].estimate, 0.607_091_659_718_341, 1e-4, "slope");
    close(r.fixed[1].se, 0.086_977_289_890_857_7, 1e-4, "SE slope");
    close(r.fixed[0].se, 0.608_780_357_935_884, 1e-3, "SE intercept");
    close(r.varcorr[0].vcov, 1.899_170_613_314_11, 1e-3, "id variance");
    close(r.sigma, 0.562_663_755_135_818, 1e-4, "sigma");
    close(r.fixed[1].df, 17.461_456_886_715_4, 1e-2, "df slope");
}

#[test]
fn a_predictor_near_1e9_with_a_tiny_spread_is_dropped_as_lme4_does() {
    let text: String = good()
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l},big\n")
            } else {
                format!("{l},{}\n", 1e9 + i as f64 * 0.01)
            }
        })
        .collect();
    warns(text.as_bytes(), "y ~ big + (1 | id)", &["dropped: `big`"]);
}

#[test]
fn more_random_effects_than_observations() {
    let two: Vec<[String; 4]> = rows()
        .into_iter()
        .filter(|r| r[1] == "0" || r[1] == "1")
        .collect();
    fails(
        csv_of(&two).as_bytes(),
        "y ~ x + (1 + x | id)",
        &[
            "`(1 + x | id)` has 12 random effects for 12 rows",
            "fewer random slopes",
        ],
    );
}

#[test]
fn continuous_numeric_grouping_variable() {
    let text: String = good()
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l},g\n")
            } else {
                format!("{l},{}\n", 0.5 + (i % 5) as f64 * 0.25)
            }
        })
        .collect();
    warns(
        text.as_bytes(),
        "y ~ x + (1 | g)",
        &["grouping column `g` holds non-whole numbers"],
    );
}

// ---- the formula --------------------------------------------------------------------------

#[test]
fn formula_errors_point_at_the_term() {
    let g = good();
    let g = g.as_bytes();
    fails(
        g,
        "y ~ logit(x) + (1 | id)",
        &[
            "unknown function `logit`",
            "within, between",
            "I, log, log2",
            "\n    y ~ logit(x) + (1 | id)\n        ^",
        ],
    );
    fails(g, "y ~ foo(x) + (1 | id)", &["unknown function `foo`"]);
    fails(
        g,
        "y ~ (x + (1 | id)",
        &["this `(` is never closed", "\n        ^"],
    );
    fails(g, "y ~ x + (1 | id))", &["this `)` has no matching `(`"]);
    fails(
        g,
        "y ~ x + (x)",
        &["random term `(x)` has no grouping factor", "(x | id)"],
    );
    fails(g, "y ~ x + (1 | )", &["nothing follows `|`", "(1 | id)"]);
    fails(
        g,
        "y ~ x + (1 | ID)",
        &["no column `ID`", "(1 | ID)", "did you mean `id`?"],
    );
    fails(
        g,
        "Y ~ x + (1 | id)",
        &["no column `Y`", "did you mean `y`?"],
    );
    fails(g, "y x + (1 | id)", &["missing `~`"]);
    fails(g, "~ x + (1 | id)", &["needs a response"]);
    fails(g, "y ~ x +", &["the formula ends where a variable"]);
    fails(
        g,
        "y ~ lag(x, -1) + (1 | id)",
        &["whole number >= 0", "`-1`"],
    );
    fails(g, "y ~ x", &["random"]);
    fails(g, "", &["empty"]);
}

#[test]
fn within_of_a_text_column_is_an_error() {
    let text: String = good()
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l},arm\n")
            } else {
                format!("{l},{}\n", ["ctl", "cbt"][i % 2])
            }
        })
        .collect();
    fails(
        text.as_bytes(),
        "y ~ within(arm) + (1 | id)",
        &["within(arm) needs numbers", "'arm' is text"],
    );
    fails(
        text.as_bytes(),
        "arm ~ x + (1 | id)",
        &["the response `arm` is text"],
    );
}

#[test]
fn lag_without_time_column() {
    let options = DataOptions {
        id: Some("id".into()),
        ..DataOptions::default()
    };
    let e = fit_csv(
        good().as_bytes(),
        &options,
        &ModelOptions::new("y ~ lag(x) + (1 | id)"),
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(e.contains("lag(x) needs the time column"), "{e}");
}

#[test]
fn unknown_id_column_suggests_the_nearest() {
    let options = DataOptions {
        id: Some("ID".into()),
        time: Some("week".into()),
        ..DataOptions::default()
    };
    let e = Dataset::parse(good().as_bytes(), &options)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains("no column \"ID\"") && e.contains("did you mean \"id\"?"),
        "{e}"
    );
}

#[test]
fn describe_of_a_text_column_and_of_an_unknown_one() {
    let data = Dataset::parse(with_cell(5, 2, "abc").as_bytes(), &panel()).expect("parses");
    let e = data
        .describe(&["x".into()])
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("x"), "{e}");
    let e = data
        .describe(&["nope".into()])
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("nope"), "{e}");
}

#[test]
fn blank_trailing_lines_and_padded_cells_read_cleanly() {
    let padded: String = good()
        .lines()
        .map(|l| {
            l.split(',')
                .map(|c| format!(" {c} "))
                .collect::<Vec<_>>()
                .join(",")
                + "\n"
        })
        .collect();
    let base = slope(&fit(good().as_bytes(), F).expect("fits"));
    assert_eq!(
        slope(&fit((padded + "\n\n").as_bytes(), F).expect("fits")),
        base
    );
}

#[test]
fn repeated_terms_and_too_many_fixed_effects_are_refused_before_any_memory_is_taken() {
    // 150 copies of (1 | id) on the reference study's 182 persons needed a dense block of
    // 27,000 x 27,000 numbers (6 GB): natively the process grew to 20 GB, in the browser the
    // engine aborted. Identical factors are nested in each other, so the blocked factor needs
    // no dense block now; the repeated term itself is refused (crossed factors too large for
    // memory are refused in tests/blocked.rs).
    let mut text = String::from("id,week,x,y\n");
    for id in 0..100 {
        for week in 0..3 {
            text.push_str(&format!(
                "{id},{week},{},{}\n",
                (id + week) % 4,
                (id * 7 + week) % 11
            ));
        }
    }
    let terms = vec!["(1 | id)"; 30].join(" + ");
    fails(
        text.as_bytes(),
        &format!("y ~ x + {terms}"),
        &["(1 | id) appears more than once", "(1 | id) + (1 | id)"],
    );
    // A categorical fixed effect with thousands of levels: one column per level.
    let mut text = String::from("id,week,x,y\n");
    for id in 0..2100 {
        for week in 0..2 {
            text.push_str(&format!(
                "{id},{week},{},{}\n",
                week + id % 3,
                (id * 7 + week) % 11
            ));
        }
    }
    fails(
        text.as_bytes(),
        "y ~ factor(id) + (1 | week)",
        &["fixed effects have 2100 columns", "2000", "(1 | variable)"],
    );
}

/// Issue 9: arithmetic in formulas. Values a function cannot take are errors naming the term and
/// the number of rows, never NaN, Inf or silently dropped rows.
#[test]
fn arithmetic_domain_errors_name_the_term_and_the_rows() {
    // x is 3..5; rows 0 and 1 (lines 2 and 3) get x = 0 and -1.
    let mut r = rows();
    r[0][2] = "0".into();
    r[1][2] = "-1".into();
    let bad = csv_of(&r);
    let bad = bad.as_bytes();
    fails(
        bad,
        "y ~ log(x) + (1 | id)",
        &[
            "`log(x)` cannot be computed on 2 rows",
            "only for numbers above 0",
            "line 2",
            "x = 0",
        ],
    );
    fails(
        bad,
        "y ~ within(log(x)) + (1 | id)",
        &["`log(x)` (in the term `within(log(x))`)", "2 rows"],
    );
    fails(
        bad,
        "y ~ sqrt(x) + (1 | id)",
        &["`sqrt(x)`", "1 row:", "line 3"],
    );
    fails(
        bad,
        "y ~ I(1/x) + (1 | id)",
        &["`1/x`", "in the term `I(1/x)`", "division by zero", "1 row"],
    );
    fails(
        bad,
        "log1p(x - 1) ~ week + (1 | id)",
        &["`log1p(x - 1)`", "above -1", "2 rows"],
    );
    fails(
        bad,
        "y ~ I(x^0.5) + (1 | id)",
        &["negative number to a fractional power", "1 row"],
    );
    fails(
        good().as_bytes(),
        "y ~ exp(x * 1000) + (1 | id)",
        &["too large", "24 rows"],
    );
    fails(
        good().as_bytes(),
        "y ~ scale(week * 0) + (1 | id)",
        &["no spread", "24 rows"],
    );
    fails(
        good().as_bytes(),
        "y ~ poly(week, 4) + (1 | id)",
        &["`poly(week, 4)`", "only 4"],
    );
    fails(
        good().as_bytes(),
        "y ~ log(id2) + (1 | id)",
        &["no column `id2`"],
    );
}

#[test]
fn a_power_outside_i_is_refused_with_the_fix() {
    fails(
        good().as_bytes(),
        "y ~ week^2 + (1 | id)",
        &[
            "`week^2`",
            "means just `week`",
            "write `I(week^2)`",
            "\n        ^",
        ],
    );
}

#[test]
fn poly_over_a_partly_missing_x_warns_and_fits() {
    let r = warns(
        with_cell(3, 2, "").as_bytes(),
        "y ~ poly(x, 2) + (1 | id)",
        &[
            "R's poly() refuses missing values",
            "23 rows where x is observed",
        ],
    );
    assert_eq!(r.fixed.len(), 3);
    assert_eq!(r.fixed[1].term, "poly(x, 2)1");
}

#[test]
fn a_lag_without_id_and_time_names_both_in_one_message() {
    let none = DataOptions::default();
    let e = fit_csv(
        good().as_bytes(),
        &none,
        &ModelOptions::new("y ~ within(x) + lag(x) + (1 | id)"),
    )
    .map(|r| r.fixed.len())
    .map_err(|e| e.to_string());
    let e = e.expect_err("no panel columns");
    assert!(e.contains("lag(x) needs the person column"), "{e}");
    assert!(e.contains("and the time column"), "{e}");
    assert!(e.contains("--id and --time"), "{e}");
}

#[test]
fn kenward_roger_over_a_crossed_block_too_large_names_its_size_and_satterthwaite() {
    // 2,100 students each rated by 3 of 40 raters: partially crossed factors that link all
    // 2,140 random effects into one connected block, over Kenward-Roger's dense limit (2,000).
    let mut text = String::from("student,rater,x,score\n");
    for s in 0..2100 {
        for k in 0..3 {
            let r = (s * 7 + k * 13) % 40;
            let x = ((s * 31 + k * 17) % 19) as f64 / 4.0 - 2.0;
            let score = 50.0 + 2.0 * x + (s % 7) as f64 * 0.5 + (r % 5) as f64 * 0.8;
            text.push_str(&format!(
                "s{s},r{r},{x},{:.2}\n",
                score + ((s * k) % 11) as f64 * 0.3
            ));
        }
    }
    let mut options = ModelOptions::new("score ~ x + (1 | student) + (1 | rater)");
    options.df = lagmix::DfMethod::KenwardRoger;
    let message = fit_csv(text.as_bytes(), &DataOptions::default(), &options)
        .map(|_| ())
        .expect_err("one block of 2,140 random effects is refused")
        .to_string();
    for needle in [
        "2140 random effects",
        "2000",
        "Satterthwaite",
        "connected block",
    ] {
        assert!(
            message.contains(needle),
            "expected {needle:?} in: {message}"
        );
    }
    // The same model with Satterthwaite df fits.
    options.df = lagmix::DfMethod::Satterthwaite;
    fit_csv(text.as_bytes(), &DataOptions::default(), &options).expect("Satterthwaite fits");
}
