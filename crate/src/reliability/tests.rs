use super::*;
use crate::frame::{Frame, Panel, ReadOptions};

fn frame(csv: &str) -> Frame {
    Frame::from_csv(csv.as_bytes(), &ReadOptions::default()).expect("test CSV reads")
}

fn options(items: &[&str], reverse: &[&str], range: Option<(f64, f64)>) -> ItemOptions {
    ItemOptions {
        items: items.iter().map(|s| s.to_string()).collect(),
        reverse: reverse.iter().map(|s| s.to_string()).collect(),
        range,
    }
}

const DATA: &str = "id,q1,q2,q3,note\n1,1,2,5,a\n2,2,2,4,b\n3,3,4,2,c\n4,5,4,1,d\n5,4,,2,e\n";

fn error(items: &[&str], reverse: &[&str], range: Option<(f64, f64)>) -> String {
    let f = frame(DATA);
    match ItemSet::from_frame(&f, &options(items, reverse, range)) {
        Ok(_) => panic!("expected an error for {items:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_items_are_named() {
    assert!(error(&["q1"], &[], None).contains("at least two items"));
    assert!(error(&["q1", "q4"], &[], None).contains("\"q4\""));
    assert!(error(&["q1", "Q2"], &[], None).contains("did you mean \"q2\""));
    assert!(error(&["q1", "note"], &[], None).contains("item \"note\" must hold numbers"));
    assert!(error(&["q1", "q2"], &["q3"], None).contains("\"q3\" is to be reverse-keyed"));
    assert!(error(&["q1", "q1"], &[], None).contains("listed twice"));
    let out = error(&["q1", "q3"], &[], Some((1.0, 4.0)));
    assert!(
        out.contains("line 5") && out.contains("\"q1\"") && out.contains('5'),
        "{out}"
    );
    assert!(error(&["q1", "q2"], &[], Some((5.0, 1.0))).contains("empty"));
}

#[test]
fn reverse_keying_uses_the_declared_range_and_keeps_alpha() {
    let f = frame(DATA);
    let declared =
        ItemSet::from_frame(&f, &options(&["q1", "q2", "q3"], &["q3"], Some((1.0, 7.0))))
            .expect("items");
    // 1 + 7 - 5 = 3: the declared range, not the observed 1..5.
    assert_eq!(declared.values[2][0], 3.0);
    let observed =
        ItemSet::from_frame(&f, &options(&["q1", "q2", "q3"], &["q3"], None)).expect("items");
    assert_eq!(observed.values[2][0], 1.0);
    let a = alpha(&declared).expect("alpha");
    let b = alpha(&observed).expect("alpha");
    assert!(
        (a.alpha - b.alpha).abs() < 1e-12 && a.alpha > 0.8,
        "{}",
        a.alpha
    );
    assert!(a.warnings.is_empty());
    // Not declaring the reversed item: psych's warning names it.
    let c =
        alpha(&ItemSet::from_frame(&f, &options(&["q1", "q2", "q3"], &[], None)).expect("items"))
            .expect("alpha");
    assert!(
        c.warnings.iter().any(|w| w.contains("q3")),
        "{:?}",
        c.warnings
    );
}

#[test]
fn alpha_by_hand_on_complete_data() {
    // Two items: var(x) = 1, var(y) = 2.5, cov = 1.25, so alpha = 2 * (1 - 3.5 / 6).
    let f = frame("x,y\n1,1\n-1,0\n0,-1\n1,2\n-1,-2\n");
    let items = ItemSet::from_frame(&f, &options(&["x", "y"], &[], None)).expect("items");
    let a = alpha(&items).expect("alpha");
    let cx = 4.0 / 4.0;
    let cy = 10.0 / 4.0;
    let cxy = 5.0 / 4.0;
    let want = 2.0 * (1.0 - (cx + cy) / (cx + cy + 2.0 * cxy));
    assert!((a.alpha - want).abs() < 1e-12, "{} vs {want}", a.alpha);
    assert_eq!(a.items[0].alpha_if_dropped, cxy / cy);
    assert_eq!((a.nobs, a.complete_rows), (5, 5));
}

#[test]
fn no_variance_is_an_error_naming_the_item() {
    let f = frame("a,b\n1,3\n2,3\n3,3\n");
    let items = ItemSet::from_frame(&f, &options(&["a", "b"], &[], None)).expect("items");
    let e = alpha(&items).expect_err("no variance");
    assert!(e.to_string().contains("\"b\""), "{e}");
}

#[test]
fn scores_follow_the_missing_rule() {
    let f = frame("a,b,c,d,e\n1,2,3,4,5\n1,,3,4,5\n1,,,4,5\n");
    let items = ItemSet::from_frame(
        &f,
        &options(&["a", "b", "c", "d", "e"], &["e"], Some((1.0, 5.0))),
    )
    .expect("items");
    let mean = scale_score(&items, &ScoreRule::default());
    assert_eq!(mean[0], (1.0 + 2.0 + 3.0 + 4.0 + 1.0) / 5.0);
    assert_eq!(mean[1], (1.0 + 3.0 + 4.0 + 1.0) / 4.0);
    assert!(mean[2].is_nan(), "2 of 5 missing is more than 20%");
    let sum = ScoreRule {
        kind: ScoreKind::Sum,
        max_missing: 0.4,
    };
    let sums = scale_score(&items, &sum);
    assert_eq!(sums[1], 9.0 / 4.0 * 5.0);
    assert_eq!(sums[2], 6.0 / 3.0 * 5.0);
    assert!(sum.describe(5).contains("at most 2 of the 5 items (40%)"));
    assert_eq!(ScoreRule::default().allowed_missing(10), 2);
    assert!(ScoreRule {
        kind: ScoreKind::Mean,
        max_missing: 1.5
    }
    .check()
    .is_err());
}

#[test]
fn a_score_becomes_a_column() {
    let mut f = frame(DATA);
    let items = ItemSet::from_frame(&f, &options(&["q1", "q2"], &[], None)).expect("items");
    let score = scale_score(&items, &ScoreRule::default());
    add_score(&mut f, "total", score.clone(), false).expect("new name");
    assert!(matches!(f.column("total"), Some(Column::Numeric(v)) if v.len() == 5));
    assert!(add_score(&mut f, "q1", score.clone(), false).is_err());
    assert!(add_score(&mut f, " ", score.clone(), false).is_err());
    add_score(&mut f, "total", score, true).expect("replace allowed");
}

#[test]
fn multilevel_needs_repeated_rows() {
    let f = frame("id,a,b\n1,1,2\n2,2,3\n3,3,3\n");
    let panel = Panel::new(&f, Some("id"), None).expect("panel");
    let out = reliability(&f, &panel, &options(&["a", "b"], &[], None)).expect("alpha");
    assert!(out.multilevel.is_none());
    assert!(out
        .warnings
        .iter()
        .any(|w| w.contains("within- and between-person")));
}

#[test]
fn too_many_items_are_refused_before_any_work() {
    let names: Vec<String> = (0..31).map(|i| format!("q{i}")).collect();
    let header = names.join(",");
    let row = |v: usize| {
        (0..31)
            .map(|i| ((i * v) % 5 + 1).to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let csv = format!(
        "id,{header}\n1,{}\n1,{}\n2,{}\n2,{}\n",
        row(1),
        row(2),
        row(3),
        row(4)
    );
    let f = frame(&csv);
    let panel = Panel::new(&f, Some("id"), None).expect("panel");
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let items = ItemSet::from_frame(&f, &options(&refs, &[], None)).expect("items");
    let e = multilevel_alpha(&items, &panel.person).expect_err("31 items");
    assert!(e.to_string().contains("at most 30 items"), "{e}");
    let many: Vec<String> = (0..1001).map(|i| format!("x{i}")).collect();
    let too_many = ItemOptions {
        items: many,
        ..ItemOptions::default()
    };
    let e = ItemSet::from_frame(&f, &too_many).expect_err("1001 items");
    assert!(e.to_string().contains("at most 1000 items"), "{e}");
}
