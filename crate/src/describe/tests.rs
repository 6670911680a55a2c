//! Table 1 of a small panel, computed by hand.

use super::*;

/// Persons A, B, C; weeks 1, 2, 3, 5 (nobody in week 4). Rows out of order:
///
/// week | A  | B       | C
///   1  | 2  | 6       | (no row)
///   2  | 4  | 3       | 8
///   3  | NA | 5       | 10
///   5  | 1  | (no row)| 7
///
/// plus a row of B without a time (x = 100) and a row without a person (x = 50), which are
/// outside the design.
const DATA: &str = "\
id,week,spin,group
C,3,10,a
A,1,2,a
B,2,3,a
A,5,1,a
B,NA,100,a
C,2,8,a
A,3,NA,a
B,1,6,a
NA,1,50,a
A,2,4,a
C,5,7,a
B,3,5,a
";

fn data() -> (Frame, Panel) {
    let frame =
        Frame::from_csv(DATA.as_bytes(), &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    let panel = Panel::new(&frame, Some("id"), Some("week")).unwrap_or_else(|e| panic!("{e}"));
    (frame, panel)
}

fn close(got: Option<f64>, expected: Option<f64>) -> bool {
    match (got, expected) {
        (Some(g), Some(e)) => (g - e).abs() < 1e-12,
        (None, None) => true,
        _ => false,
    }
}

fn spin() -> VariableDescription {
    let (frame, panel) = data();
    match describe(&frame, &panel, &["spin".to_string()]) {
        Ok(mut d) => {
            assert_eq!(d.persons, 3);
            assert_eq!(d.occasions, vec![1.0, 2.0, 3.0, 5.0]);
            assert_eq!(d.variables.len(), 1);
            d.variables.remove(0)
        }
        Err(e) => panic!("describe failed: {e}"),
    }
}

#[test]
fn occasions_count_every_person_at_every_occasion() {
    let d = spin();
    // (time, n, mean, sd, missing)
    let expected = [
        (1.0, 2, Some(4.0), Some(8f64.sqrt()), 1),
        (2.0, 3, Some(5.0), Some(7f64.sqrt()), 0),
        (3.0, 2, Some(7.5), Some(12.5f64.sqrt()), 1),
        (5.0, 2, Some(4.0), Some(18f64.sqrt()), 1),
    ];
    for (o, (time, n, mean, sd, missing)) in d.occasions.iter().zip(expected) {
        assert_eq!((o.time, o.n, o.missing), (time, n, missing), "week {time}");
        assert!(close(o.mean, mean), "week {time} mean {:?}", o.mean);
        assert!(close(o.sd, sd), "week {time} sd {:?}", o.sd);
        let percent = 100.0 * missing as f64 / 3.0;
        assert!((o.missing_percent - percent).abs() < 1e-12);
    }
}

#[test]
fn change_pairs_each_person_with_the_week_before() {
    let d = spin();
    // (change_n, mean, sd): week 2: A |4-2| = 2, B |3-6| = 3; week 3: B 2, C 2 (A missing);
    // week 5: week 4 was not measured, so no change, although C has weeks 3 and 5.
    let expected = [
        (0, None, None),
        (2, Some(2.5), Some(0.5f64.sqrt())),
        (2, Some(2.0), Some(0.0)),
        (0, None, None),
    ];
    for (o, (n, mean, sd)) in d.occasions.iter().zip(expected) {
        assert_eq!(o.change_n, n, "week {}", o.time);
        assert!(close(o.change_mean, mean), "week {}", o.time);
        assert!(close(o.change_sd, sd), "week {}", o.time);
    }
}

#[test]
fn overall_statistics_cover_the_design_cells() {
    let d = spin();
    // Observed: 2, 6, 4, 3, 8, 5, 10, 1, 7 (not the 100 without a time, nor the 50 without a
    // person): sum 46, sum of squares 304, so SS = 304 - 46^2 / 9 = 620 / 9.
    assert_eq!(d.n, 9);
    assert!(close(d.mean, Some(46.0 / 9.0)));
    assert!(close(d.sd, Some((620.0f64 / 9.0 / 8.0).sqrt())));
    assert_eq!((d.missing, d.cells), (3, 12));
    assert!((d.missing_percent - 25.0).abs() < 1e-12);
}

#[test]
fn fractional_occasions_pair_with_one_unit_earlier() {
    let (mut frame, panel) = data();
    // Shift every time by 0.1: t - 1 must still find the occasion despite rounding.
    let Column::Numeric(week) = &mut frame.columns[1] else {
        panic!("week is numeric")
    };
    week.iter_mut().for_each(|t| *t += 0.1);
    let Ok(d) = describe(&frame, &panel, &["spin".to_string()]) else {
        panic!("describe failed")
    };
    let changes: Vec<usize> = d.variables[0]
        .occasions
        .iter()
        .map(|o| o.change_n)
        .collect();
    assert_eq!(changes, vec![0, 2, 2, 0]);
}

#[test]
fn no_variables_means_every_numeric_column_but_id_and_time() {
    let (frame, panel) = data();
    let Ok(d) = describe(&frame, &panel, &[]) else {
        panic!("describe failed")
    };
    let names: Vec<&str> = d.variables.iter().map(|v| v.variable.as_str()).collect();
    assert_eq!(names, vec!["spin"]);
    assert_eq!((d.id.as_str(), d.time.as_str()), ("id", "week"));
}

#[test]
fn errors_name_the_problem() {
    let (frame, mut panel) = data();
    assert_eq!(
        describe(&frame, &panel, &["spn".to_string()]),
        Err(DescribeError::UnknownColumn {
            name: "spn".into(),
            suggestion: Some("spin".into()),
        })
    );
    let text = describe(&frame, &panel, &["group".to_string()]);
    assert_eq!(
        text,
        Err(DescribeError::NotNumeric {
            name: "group".into()
        })
    );
    panel.time_name = None;
    let error = describe(&frame, &panel, &["spin".to_string()]);
    assert_eq!(
        error,
        Err(DescribeError::NeedsPanel {
            id_missing: false,
            time_missing: true
        })
    );
    let Err(error) = error else { panic!() };
    assert!(error.to_string().ends_with("choose it with --time"));
}

#[test]
fn serializes_in_camel_case() {
    let d = spin();
    let json = serde_json::to_value(&d.occasions[1]).unwrap_or_default();
    assert_eq!(json["missingPercent"], 0.0);
    assert_eq!(json["changeN"], 2);
    assert_eq!(json["changeMean"], 2.5);
}

#[test]
fn row_order_does_not_change_the_table() {
    // The rows are located by stepping through the occasions when sorted by time within
    // person, and by searching otherwise; both must find the same cells. Whole numbers keep
    // the sums exact in any order.
    let mut lines: Vec<String> = Vec::new();
    for person in ["A", "B", "C"] {
        for week in [0, 1, 2, 4, 5] {
            if (person, week) != ("B", 2) {
                lines.push(format!("{person},{week},{}", (week * 7 + person.len()) % 5));
            }
        }
    }
    let table = |rows: &[String]| {
        let text = format!("id,week,x\n{}\n", rows.join("\n"));
        let frame =
            Frame::from_csv(text.as_bytes(), &Default::default()).unwrap_or_else(|e| panic!("{e}"));
        let panel = Panel::new(&frame, Some("id"), Some("week")).unwrap_or_else(|e| panic!("{e}"));
        describe(&frame, &panel, &[]).unwrap_or_else(|e| panic!("{e}"))
    };
    let sorted = table(&lines);
    assert_eq!(sorted.occasions, [0.0, 1.0, 2.0, 4.0, 5.0]);
    assert_eq!(sorted.variables[0].occasions[2].n, 2);
    lines.reverse();
    assert_eq!(table(&lines), sorted);
    lines.sort_by_key(|line| line.split(',').nth(1).map(str::to_string));
    assert_eq!(table(&lines), sorted);
}
