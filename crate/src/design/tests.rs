//! Designs on a small panel, checked against what R's model.matrix and lme4 give.

use super::*;
use crate::formula::parse_formula;
/// The panel, as a file would bring it. With y and x in the model the used rows are
/// 0 1 3 5 6 7 8 9 (n = 8); z = 2x; `one` has a single level; `site` is a numeric group.
const DATA: &str = "\
id,week,y,sex,x,z,arm,school,site,rowid,one,clinic
A,1,1,Female,1,2,ctl,s1,10,0,k,k
A,2,2,Female,2,4,ctl,s1,10,1,k,k
A,3,NA,Female,3,6,ctl,s1,10,2,k,k
B,1,4,Male,1,2,wait,s1,2,3,k,m
B,2,5,Male,NA,NA,wait,s1,2,4,k,m
B,3,3,Male,2,4,wait,s1,2,5,k,m
C,1,2.5,Male,4,8,ctl,s2,10,6,k,k
C,2,3.5,Male,1,2,ctl,s2,10,7,k,k
D,1,6,Female,2,4,wait,s2,2,8,NA,NA
D,2,1.5,Female,5,10,wait,s2,2,9,k,m
";

fn data() -> (Frame, Panel) {
    let frame =
        Frame::from_csv(DATA.as_bytes(), &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    let panel = Panel::new(&frame, Some("id"), Some("week")).unwrap_or_else(|e| panic!("{e}"));
    (frame, panel)
}

fn design(formula: &str) -> Result<Design, DesignError> {
    let (frame, panel) = data();
    let spec = parse_formula(formula).unwrap_or_else(|e| panic!("{e}"));
    build_design(&spec, &frame, &panel)
}

fn ok(formula: &str) -> Design {
    design(formula).unwrap_or_else(|e| panic!("{formula}: {e}"))
}

fn column(d: &Design, name: &str) -> Vec<f64> {
    let j = d
        .fixed_names()
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", d.fixed_names()));
    d.x.column(&d.data, j)
}

#[test]
fn factor_naming_and_missing_rows() {
    let d = ok("y ~ sex + x + (1 | id)");
    assert_eq!(d.total_rows, 10);
    assert_eq!(
        d.missing_by_variable,
        [("y".to_string(), 1), ("x".to_string(), 1)]
    );
    assert_eq!(d.fixed_names(), ["(Intercept)", "sexMale", "x"]);
    assert_eq!(
        column(&d, "sexMale"),
        [0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0]
    );
    assert_eq!(column(&d, "x"), [1.0, 2.0, 1.0, 2.0, 4.0, 1.0, 2.0, 5.0]);
    assert_eq!(d.y, [1.0, 2.0, 4.0, 3.0, 2.5, 3.5, 6.0, 1.5]);
    assert_eq!(d.response, "y");
    assert!(d.warnings.is_empty());
    let id = &d.random[0];
    assert_eq!((id.group.as_str(), id.levels.len()), ("id", 4));
    assert_eq!(id.refs, [0, 0, 1, 1, 2, 2, 3, 3]);
    assert_eq!(id.names(), ["(Intercept)"]);
    assert_eq!(id.z.column(&d.data, 0), vec![1.0; 8]);
}

#[test]
fn interactions_in_r_column_order() {
    let d = ok("y ~ sex*arm + factor(week)");
    assert_eq!(
        d.fixed_names(),
        [
            "(Intercept)",
            "sexMale",
            "armwait",
            "factor(week)2",
            "factor(week)3",
            "sexMale:armwait"
        ]
    );
    // x is not in the model, so only row 2 (y missing) is dropped; B is Male and wait
    assert_eq!(d.y, [1.0, 2.0, 4.0, 5.0, 3.0, 2.5, 3.5, 6.0, 1.5]);
    assert_eq!(
        column(&d, "sexMale:armwait"),
        [0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    );
    assert_eq!(
        ok("y ~ x*arm").fixed_names(),
        ["(Intercept)", "x", "armwait", "x:armwait"]
    );
}

#[test]
fn factor_interaction_without_main_effects_is_fully_coded_then_aliased() {
    // R: y ~ sex:arm gives all four indicator products (first factor fastest); with the
    // intercept the last is aliased and dropped.
    let d = ok("y ~ sex:arm");
    assert_eq!(
        d.fixed_names(),
        [
            "(Intercept)",
            "sexFemale:armctl",
            "sexMale:armctl",
            "sexFemale:armwait"
        ]
    );
    assert_eq!(d.warnings.len(), 1);
    assert!(
        d.warnings[0].contains("`sexMale:armwait`"),
        "{}",
        d.warnings[0]
    );
    assert_eq!(ok("y ~ 0 + sex").fixed_names(), ["sexFemale", "sexMale"]);
}

#[test]
fn aliased_column_dropped_with_warning() {
    let d = ok("y ~ x + z + (1 | id)");
    assert_eq!(d.fixed_names(), ["(Intercept)", "x"]);
    assert_eq!(d.x.ncols(), 2);
    assert!(d.warnings[0].contains("rank deficient, so 1 column was dropped: `z`"));
}

#[test]
fn nested_and_crossed_grouping_levels() {
    let d = ok("y ~ x + (1 | school/id) + (1 | sex:arm)");
    let groups: Vec<&str> = d.random.iter().map(|r| r.group.as_str()).collect();
    assert_eq!(groups, ["id:school", "school", "sex:arm"]);
    assert_eq!(d.random[0].levels, ["A:s1", "B:s1", "C:s2", "D:s2"]);
    assert_eq!(d.random[1].levels, ["s1", "s2"]);
    assert_eq!(d.random[1].refs, [0, 0, 0, 0, 1, 1, 1, 1]);
    assert_eq!(
        d.random[2].levels,
        ["Female:ctl", "Female:wait", "Male:ctl", "Male:wait"]
    );
    assert_eq!(d.random[2].refs, [0, 0, 3, 3, 2, 2, 1, 1]);
    // a numeric grouping column is a factor with numerically sorted levels
    assert_eq!(ok("y ~ x + (1 | site)").random[0].levels, ["2", "10"]);
}

#[test]
fn random_slopes_column_major() {
    let d = ok("y ~ x + (x | school) + (0 + arm | school)");
    let n = d.y.len();
    let z = |t: usize, c: usize| d.random[t].z.column(&d.data, c)[..3].to_vec();
    assert_eq!(d.random[0].names(), ["(Intercept)", "x"]);
    assert_eq!(d.random[0].q(), 2);
    assert_eq!(n, 8);
    assert_eq!(z(0, 0), [1.0, 1.0, 1.0]);
    assert_eq!(z(0, 1), [1.0, 2.0, 1.0]);
    assert_eq!(d.random[1].names(), ["armctl", "armwait"]);
    assert_eq!(z(1, 0), [1.0, 1.0, 0.0]);
    assert_eq!(z(1, 1), [0.0, 0.0, 1.0]);
}

#[test]
fn grouping_columns_count_as_model_variables() {
    let d = ok("y ~ x + (1 | clinic)");
    assert_eq!(d.y, [1.0, 2.0, 4.0, 3.0, 2.5, 3.5, 1.5]);
    assert_eq!(
        d.missing_by_variable,
        [
            ("y".to_string(), 1),
            ("x".to_string(), 1),
            ("clinic".to_string(), 1)
        ]
    );
    assert_eq!(d.random[0].levels, ["k", "m"]);
    assert_eq!(d.random[0].refs, [0, 0, 1, 1, 0, 0, 1]);
}

#[test]
fn errors_in_plain_words() {
    let err = |f: &str| design(f).err().unwrap_or_else(|| panic!("{f} built"));
    let e = err("y ~ sx + (1 | id)");
    assert_eq!(
        e,
        DesignError::UnknownColumn {
            name: "sx".into(),
            suggestion: Some("sex".into()),
            term: "sx".into()
        }
    );
    assert!(e.to_string().contains("did you mean `sex`?"));
    let e = err("y ~ lag(idd) + (1 | id)");
    assert!(
        e.to_string()
            .contains("(used in `lag(idd)`); did you mean `id`?"),
        "{e}"
    );
    assert!(
        matches!(err("y ~ x + (1 | idd)"), DesignError::UnknownColumn { term, .. } if term == "(1 | idd)")
    );

    assert!(err("sex ~ x")
        .to_string()
        .starts_with("the response `sex` is text"));
    let e = err("lead(y, 5) ~ x");
    assert!(matches!(e, DesignError::NoCompleteRows { .. }));
    assert!(e.to_string().starts_with("no row has all of: lead(y, 5), x (of 10 rows; lead(y, 5) is missing in 10; x is missing in 1)"), "{e}");

    // 8 distinct y values: intercept + 7 contrasts = 8 fixed effects for 8 rows (x is aliased)
    assert_eq!(
        err("y ~ factor(y) + x"),
        DesignError::TooFewObservations { n: 8, p: 8 }
    );
    assert!(matches!(
        err("y ~ x + (1 | rowid)"),
        DesignError::GroupingLevelsNotFewer {
            levels: 8,
            n: 8,
            ..
        }
    ));
    assert!(err("y ~ x + (1 | rowid)")
        .to_string()
        .contains("as many levels as rows"));
    assert!(matches!(
        err("y ~ x + (x + arm | id)"),
        DesignError::TooManyRandomEffects {
            effects: 12,
            n: 8,
            ..
        }
    ));
    assert!(matches!(
        err("y ~ one + x"),
        DesignError::SingleLevel { .. }
    ));
    // only row 5 (B, Male) has both y and the two-week lag
    assert_eq!(
        err("y ~ lag(x, 2) + sex"),
        DesignError::SingleLevel {
            variable: "sex".into(),
            level: "Male".into()
        }
    );
    assert!(matches!(
        err("y ~ x + (1 | one)"),
        DesignError::GroupingTooFewLevels { levels: 1, .. }
    ));
    assert!(matches!(err("y ~ within(sex)"), DesignError::Transform(_)));
}

#[test]
fn derived_csv_has_every_variable_on_every_row() {
    let (frame, panel) = data();
    let spec =
        parse_formula("y ~ lag(x, 2) + sex + (1 | school)").unwrap_or_else(|e| panic!("{e}"));
    let csv = derived_csv(&spec, &frame, &panel).unwrap_or_else(|e| panic!("{e}"));
    let expected = "id,week,y,\"lag(x, 2)\",sex,school\n\
                    A,1,1,,Female,s1\n\
                    A,2,2,,Female,s1\n\
                    A,3,,1,Female,s1\n\
                    B,1,4,,Male,s1\n\
                    B,2,5,,Male,s1\n\
                    B,3,3,1,Male,s1\n\
                    C,1,2.5,,Male,s2\n\
                    C,2,3.5,,Male,s2\n\
                    D,1,6,,Female,s2\n\
                    D,2,1.5,,Female,s2\n";
    assert_eq!(csv, expected);
    // In blocks of whole lines: a block ends at the first line end past 20 bytes.
    let mut blocks = Vec::new();
    write_derived_csv(&spec, &frame, &panel, 20, &mut |b| blocks.push(b))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(blocks.concat(), expected);
    assert_eq!(
        blocks[0],
        "id,week,y,\"lag(x, 2)\",sex,school\nA,1,1,,Female,s1\n"
    );
    assert!(blocks.iter().all(|b| b.ends_with('\n')), "{blocks:?}");
}

#[test]
fn a_constant_outcome_is_an_error_naming_its_value() {
    let bytes = b"id,x,y\n1,1,3\n1,2,3\n2,1,3\n2,5,3\n3,2,3\n3,1,NA\n";
    let frame = Frame::from_csv(bytes, &Default::default()).expect("a valid CSV");
    let panel = Panel::new(&frame, Some("id"), None).expect("a panel");
    let spec = parse_formula("y ~ x + (1 | id)").expect("a formula");
    let e = build_design(&spec, &frame, &panel).err();
    assert_eq!(
        e,
        Some(DesignError::ConstantResponse {
            name: "y".into(),
            value: 3.0,
            n: 5
        })
    );
    assert!(e
        .map(|e| e.to_string())
        .unwrap_or_default()
        .starts_with("the outcome `y` has the same value (3) in all 5 rows used"));
}

#[test]
fn consuming_the_data_set_gives_the_same_design() {
    // Plain columns are moved out of the frame at their last use: a column used plainly and
    // inside a transform, as a variable and as a group, or twice as a group must still be read
    // whole wherever it is used.
    for formula in [
        "y ~ x + within(x) + between(x) + (x | school)",
        "y ~ lag(y) + sex + (1 | id)",
        "y ~ school + x + (1 | school) + (1 | school:id)",
        "y ~ x + (1 | site) + (0 + x | site)",
        "week ~ lead(week) + (1 | id)",
        "lead(within(y)) ~ within(y) + within(x) + (1 | school)",
        "y ~ within(x) + x + (1 | school)",
        "y ~ lag(x) + week + (1 | school)",
        "y ~ within(site) + lag(y) + (1 | site)",
    ] {
        let (frame, panel) = data();
        let spec = parse_formula(formula).unwrap_or_else(|e| panic!("{e}"));
        let kept = build_design(&spec, &frame, &panel).unwrap_or_else(|e| panic!("{e}"));
        let consumed =
            build_design_consuming(&spec, frame, panel).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kept.y, consumed.y, "{formula}");
        assert_eq!(kept.data, consumed.data, "{formula}");
        assert_eq!(kept.x, consumed.x, "{formula}");
        assert_eq!(kept.random, consumed.random, "{formula}");
        assert_eq!(kept.warnings, consumed.warnings, "{formula}");
        assert_eq!(kept.missing_by_variable, consumed.missing_by_variable);
    }
    // ... and errors still come in formula order.
    let (frame, panel) = data();
    let spec =
        parse_formula("y ~ nosuch + within(alsonot) + (1 | id)").unwrap_or_else(|e| panic!("{e}"));
    let err = build_design_consuming(&spec, frame, panel)
        .err()
        .map(|e| e.to_string());
    assert!(err.as_deref().unwrap_or("").contains("nosuch"), "{err:?}");
}
