//! Typing, missing values, level order and panel checks on small hand-written files.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use super::*;
use crate::csv::CsvError;

fn frame(text: &str) -> Frame {
    Frame::from_csv(text.as_bytes(), &ReadOptions::default()).unwrap()
}

fn frame_na(text: &str, na: &[&str]) -> Frame {
    let options = ReadOptions {
        na: na.iter().map(|s| s.to_string()).collect(),
        ..ReadOptions::default()
    };
    Frame::from_csv(text.as_bytes(), &options).unwrap()
}

fn numbers(frame: &Frame, name: &str) -> Vec<String> {
    // NaN != NaN, so compare printed values.
    frame
        .numeric(name)
        .unwrap()
        .iter()
        .map(|v| v.to_string())
        .collect()
}

fn text<'a>(frame: &'a Frame, name: &str) -> &'a TextColumn {
    match frame.column(name) {
        Some(Column::Text(t)) => t,
        other => panic!("{name} is not text: {other:?}"),
    }
}

const M: u32 = MISSING_CODE;

#[test]
fn numeric_and_text_columns() {
    let f = frame("id,x,y\nP1, 1.5 ,+2\nP2,-3e2,.5\n");
    assert_eq!(f.nrows(), 2);
    assert_eq!(f.numeric("x").unwrap(), [1.5, -300.0]);
    assert_eq!(f.numeric("y").unwrap(), [2.0, 0.5]);
    assert_eq!(text(&f, "id").levels, ["P1", "P2"]);
    assert_eq!(text(&f, "id").codes, [0, 1]);
    assert!(!f.decimal_comma);
}

#[test]
fn missing_tokens() {
    let f = frame("x,g\n1,a\n,\n NA ,NA\nNaN,.\n.,b\nnan, \n7,a\n");
    assert_eq!(
        numbers(&f, "x"),
        ["1", "NaN", "NaN", "NaN", "NaN", "NaN", "7"]
    );
    assert_eq!(text(&f, "g").codes, [0, M, M, M, 1, M, 0]);
    assert_eq!(text(&f, "g").levels, ["a", "b"]);
}

#[test]
fn user_missing_codes_match_as_text_and_as_numbers() {
    let f = frame_na("x,g\n-99,a\n-99.0,-99\n3,b\n", &["-99"]);
    assert_eq!(numbers(&f, "x"), ["NaN", "NaN", "3"]);
    assert_eq!(text(&f, "g").codes, [0, M, 1]);
    // In a semicolon file "-99,0" is the number -99 too.
    let f = frame_na("x;y\n-99,0;1,5\n2;-99\n", &["-99"]);
    assert_eq!(numbers(&f, "x"), ["NaN", "2"]);
    assert_eq!(numbers(&f, "y"), ["1.5", "NaN"]);
    // Text codes work on text columns.
    let f = frame_na("g\nmissing\nA\n", &["missing"]);
    assert_eq!(text(&f, "g").codes, [M, 0]);
}

#[test]
fn semicolon_files_accept_decimal_commas() {
    let f = frame("a;b;c\n1,5;2;x\n-0,25;3;y\n");
    assert_eq!(f.numeric("a").unwrap(), [1.5, -0.25]);
    assert_eq!(f.numeric("b").unwrap(), [2.0, 3.0]);
    assert!(f.decimal_comma);
    // "1.234,5" (thousands point) is not a number.
    let f = frame("a;b\n1.234,5;1\n");
    assert!(matches!(f.column("a"), Some(Column::Text(_))));
    assert!(!f.decimal_comma);
}

#[test]
fn comma_files_keep_quoted_thousands_as_text() {
    let f = frame("a,b\n\"1,234\",1\n");
    assert_eq!(text(&f, "a").levels, ["1,234"]);
    let err = f.numeric("a").unwrap_err();
    assert_eq!(
        err,
        DataError::NotNumeric {
            column: "a".into(),
            line: 2,
            value: "1,234".into()
        }
    );
}

#[test]
fn infinite_values_are_errors() {
    let err = Frame::from_csv(b"id,x\n1,2\n2,-Inf\n3,inf\n", &ReadOptions::default()).unwrap_err();
    assert_eq!(
        err,
        DataError::InfiniteValue {
            column: "x".into(),
            line: 3,
            value: "-Inf".into()
        }
    );
    assert!(err.to_string().contains("mark it as missing"));
    // In a text column "Inf" is just a label.
    let f = frame("g\nInf\nabc\n");
    assert_eq!(text(&f, "g").levels, ["abc", "Inf"]);
}

#[test]
fn levels_sort_as_r_does() {
    // R: sort(c("b", "A", "a", "B")) gives "a" "A" "b" "B".
    let f = frame("g\nb\nA\na\nB\nb\n");
    let g = text(&f, "g");
    assert_eq!(g.levels, ["a", "A", "b", "B"]);
    assert_eq!(g.codes, [2, 1, 0, 3, 2]);
    let mut words = vec![
        "control",
        "Treatment",
        "Control",
        "10",
        "9",
        "ab",
        "Ab",
        "aB",
    ];
    words.sort_by(|a, b| compare_levels(a, b));
    assert_eq!(
        words,
        [
            "10",
            "9",
            "ab",
            "aB",
            "Ab",
            "control",
            "Control",
            "Treatment"
        ]
    );
}

#[test]
fn csv_errors_pass_through() {
    let err = Frame::from_csv(b"", &ReadOptions::default()).unwrap_err();
    assert_eq!(err, DataError::Csv(CsvError::Empty));
    assert_eq!(err.to_string(), CsvError::Empty.to_string());
}

#[test]
fn unknown_columns_get_suggestions() {
    let f = frame("id,week,Anxiety,score\n1,1,2,3\n");
    let err = f.column_index("weke").unwrap_err();
    assert_eq!(
        err,
        DataError::UnknownColumn {
            name: "weke".into(),
            suggestion: Some("week".into())
        }
    );
    assert!(err.to_string().contains("did you mean \"week\""));
    assert_eq!(suggest("anxiety", &f.names), Some("Anxiety".into()));
    assert_eq!(suggest("anx", &f.names), Some("Anxiety".into()));
    assert_eq!(suggest("mood", &f.names), None);
    assert_eq!(f.column_index("score").unwrap(), 3);
}

#[test]
fn panel_with_text_ids() {
    let f = frame("id,week,y\nP2,1,3\nP1,1,4\nP2,2,5\n,3,6\nP1,,7\n");
    let p = Panel::new(&f, Some("id"), Some("week")).unwrap();
    assert_eq!(p.persons, ["P1", "P2"]);
    assert_eq!(p.person, [1, 0, 1, M, 0]);
    assert_eq!(p.time(&f)[..4], [1.0, 1.0, 2.0, 3.0]);
    assert!(p.time(&f)[4].is_nan());
    assert_eq!(p.id_name.as_deref(), Some("id"));
}

#[test]
fn panel_with_numeric_ids_labels_them_as_written() {
    let f = frame("id,t\n12,0\n1.5,0\n12,1\n3,0\n");
    let p = Panel::new(&f, Some("id"), Some("t")).unwrap();
    assert_eq!(p.persons, ["1.5", "3", "12"]);
    assert_eq!(p.person, [2, 0, 2, 1]);
}

#[test]
fn panel_without_id_or_time() {
    let f = frame("id,t\n1,0\n");
    let p = Panel::new(&f, None, None).unwrap();
    assert!(p.person.is_empty() && p.persons.is_empty() && p.time(&f).is_empty());
    let p = Panel::new(&f, Some("id"), None).unwrap();
    assert_eq!(p.person, [0]);
    assert!(p.time(&f).is_empty());
}

#[test]
fn duplicate_occasions_name_both_lines() {
    let f = frame("id,week\nP07,1\nP07,3\nP08,3\n\nP07,3\n");
    let err = Panel::new(&f, Some("id"), Some("week")).unwrap_err();
    assert_eq!(
        err,
        DataError::DuplicateOccasion {
            id_column: "id".into(),
            id: "P07".into(),
            time_column: "week".into(),
            time: 3.0,
            first_line: 3,
            second_line: 6
        }
    );
    let message = err.to_string();
    assert!(
        message
            .starts_with("line 6: person \"P07\" has two rows for week = 3 (the other is line 3)"),
        "{message}"
    );
    // Missing ids and missing times never collide.
    let f = frame("id,week\n,1\n,1\nA,\nA,\n");
    assert!(Panel::new(&f, Some("id"), Some("week")).is_ok());
}

#[test]
fn duplicate_occasions_in_unsorted_files() {
    // Unsorted but without repeats: accepted.
    let f = frame("id,week\nB,2\nA,1\nB,1\nA,2\n");
    assert!(Panel::new(&f, Some("id"), Some("week")).is_ok());
    // Two repeats: the one whose second row comes first in the file is reported (B at line 5),
    // with the earlier row of that pair.
    let f = frame("id,week\nA,1\nB,1\nB,2\nB,1\nA,1\n");
    let err = Panel::new(&f, Some("id"), Some("week")).unwrap_err();
    assert!(
        matches!(err, DataError::DuplicateOccasion { ref id, first_line: 3, second_line: 5, .. } if id == "B"),
        "{err:?}"
    );
    // -0 and 0 are one occasion, also when the rows are in order.
    let f = frame("id,week\n1,-0\n1,0\n");
    let err = Panel::new(&f, Some("id"), Some("week")).unwrap_err();
    assert!(
        err.to_string().contains("week = 0 (the other is line 2)"),
        "{err}"
    );
    // Numeric ids, runs of the same id.
    let f = frame("id,week\n10,1\n10,2\n9,1\n9,2\n10,2\n");
    let err = Panel::new(&f, Some("id"), Some("week")).unwrap_err();
    assert!(
        err.to_string().starts_with("line 6: person \"10\""),
        "{err}"
    );
}

#[test]
fn time_must_be_numeric() {
    let f = frame("id,week\n1,1\n1,baseline\n2,NA\n");
    let err = Panel::new(&f, Some("id"), Some("week")).unwrap_err();
    assert_eq!(
        err,
        DataError::TimeNotNumeric {
            column: "week".into(),
            line: 3,
            value: "baseline".into()
        }
    );
    let err = Panel::new(&f, Some("ID"), Some("week")).unwrap_err();
    assert!(matches!(err, DataError::UnknownColumn { suggestion: Some(ref s), .. } if s == "id"));
}

#[test]
fn edit_distance_counts_swaps_as_one() {
    assert_eq!(super::edit_distance("weke", "week"), 1);
    assert_eq!(super::edit_distance("kitten", "sitting"), 3);
    assert_eq!(super::edit_distance("", "abc"), 3);
    assert_eq!(super::edit_distance("abc", ""), 3);
    assert_eq!(super::edit_distance("same", "same"), 0);
}

#[test]
fn numbers_before_the_first_text_cell_keep_their_spelling_as_levels() {
    let f = frame("g\n1.50\n+2\n-0\n1e3\nNA\n007\nabc\n1.50\n");
    let g = text(&f, "g");
    assert_eq!(g.levels, ["+2", "-0", "007", "1.50", "1e3", "abc"]);
    assert_eq!(g.codes, [3, 0, 1, 4, M, 2, 5, 3]);
    let f = frame("g;h\n1,50;1\n-0,0;2\nx;3\n");
    assert_eq!(text(&f, "g").levels, ["-0,0", "1,50", "x"]);
    // Only columns that stay numeric count for the decimal comma.
    assert!(!f.decimal_comma);
    // An infinite value before the text is a label, not an error.
    let f = frame("g\n2\n-Inf\nx\n");
    assert_eq!(text(&f, "g").levels, ["-Inf", "2", "x"]);
}

#[test]
fn frame_builder_reads_chunks_like_whole_bytes() {
    let csv = "id;week;score;group\nP2;1;1,5;a\nP1;1;NA;b\nP2;2;3;7\n\"P3\";3;-0,25;a\n";
    let whole = frame(csv);
    for size in [1, 2, 3, 7, 100] {
        let mut builder = FrameBuilder::new(&ReadOptions::default());
        for chunk in csv.as_bytes().chunks(size) {
            builder.push(chunk);
        }
        let f = builder.finish().unwrap();
        assert_eq!(f.names, whole.names);
        assert_eq!(f.row_lines, whole.row_lines);
        assert_eq!(f.columns[0], whole.columns[0]);
        assert_eq!(f.columns[3], whole.columns[3]);
        assert_eq!(numbers(&f, "score"), ["1.5", "NaN", "3", "-0.25"]);
        assert!(f.decimal_comma);
    }
    assert_eq!(text(&whole, "group").levels, ["7", "a", "b"]);
    let mut builder = FrameBuilder::new(&ReadOptions::default());
    builder.push(b"x\n1\n");
    builder.push(b"inf\n");
    assert!(matches!(
        builder.finish(),
        Err(DataError::InfiniteValue { line: 3, .. })
    ));
}

/// Not a benchmark: a guard against accidentally quadratic reading. 200,000 rows of a
/// realistic panel (5 MB) must come through with the right shape and line numbers.
#[test]
#[ignore = "slow in debug builds; run with --ignored"]
fn large_panel_reads_linearly() {
    let mut csv = String::from("id,week,group,score,alliance\n");
    for row in 0..200_000u32 {
        let person = row / 10;
        let week = row % 10;
        csv.push_str(&format!(
            "P{person:05},{week},{},{}.{},{}\n",
            if person % 2 == 0 {
                "control"
            } else {
                "therapy"
            },
            row % 37,
            row % 10,
            if row % 13 == 0 {
                "NA".to_string()
            } else {
                (row % 7).to_string()
            }
        ));
    }
    let start = std::time::Instant::now();
    let table = crate::csv::read_csv(csv.as_bytes(), &Default::default()).unwrap();
    eprintln!("read_csv: {:?}", start.elapsed());
    assert_eq!(table.nrows(), 200_000);
    let start = std::time::Instant::now();
    let f = Frame::from_csv(csv.as_bytes(), &ReadOptions::default()).unwrap();
    let p = Panel::new(&f, Some("id"), Some("week")).unwrap();
    eprintln!("{} bytes in {:?}", csv.len(), start.elapsed());
    assert_eq!(f.nrows(), 200_000);
    assert_eq!(f.row_lines.get(199_999), Some(200_001));
    assert_eq!(p.persons.len(), 20_000);
    assert_eq!(text(&f, "group").levels, ["control", "therapy"]);
}

#[test]
#[ignore = "prints the messages for proofreading"]
fn print_messages() {
    for input in [
        &b""[..],
        b"a,b\n",
        b"a,b\n1,2,3\n",
        b"a,b\n1,\"2\n",
        b"a,b\n1,\xE9\n",
        b"\xFF\xFEa",
        b"a\0b",
        b"PK\x03\x04",
        b"a,a\n1,2\n",
        b"a,,b\n1,2,3\n",
        b"a,b,\n1,2,3\n",
        b"a,b\n1,Inf\n",
    ] {
        eprintln!(
            "{}",
            Frame::from_csv(input, &ReadOptions::default()).unwrap_err()
        );
    }
    let f = frame("id,week\nP07,3\nP07,3\n");
    eprintln!("{}", Panel::new(&f, Some("id"), Some("week")).unwrap_err());
    eprintln!("{}", Panel::new(&f, Some("Id"), Some("wk")).unwrap_err());
    eprintln!("{}", Panel::new(&f, Some("id"), Some("id")).unwrap_err());
    eprintln!("{}", Panel::new(&f, Some("xyz"), None).unwrap_err());
}
