use super::*;
use crate::csv::{read_csv, CsvOptions};

fn table(csv: &str) -> Table {
    read_csv(csv.as_bytes(), &CsvOptions::default()).expect("test CSV reads")
}

fn long(csv: &str, options: &ReshapeOptions) -> String {
    write_csv(&reshape(&table(csv), options).expect("reshapes").table)
}

const WIDE: &str = "\
id,sex,spin_1,spin_2,spin_3,wai_1,wai_3
a,f,10,12,,3,4
b,m,,,,,
c,f,8,,7,2,
";

#[test]
fn stubs_detected_other_columns_carried_missing_occasions_empty() {
    let options = ReshapeOptions::new("id", "week");
    let out = reshape(&table(WIDE), &options).expect("reshapes");
    assert_eq!(
        write_csv(&out.table),
        "id,week,sex,spin,wai\n\
         a,1,f,10,3\na,2,f,12,\na,3,f,,4\n\
         c,1,f,8,2\nc,3,f,7,\n"
    );
    assert_eq!(out.summary.occasions, [1.0, 2.0, 3.0]);
    assert_eq!(out.summary.carried, ["sex"]);
    assert_eq!(out.summary.empty_rows_dropped, 4);
    // Line numbers point into the wide file.
    assert_eq!(
        out.table.row_lines.iter().collect::<Vec<_>>(),
        [2, 2, 2, 4, 4]
    );
    let kept = ReshapeOptions {
        keep_empty: true,
        ..options
    };
    let out = reshape(&table(WIDE), &kept).expect("reshapes");
    assert_eq!(out.summary.rows, 9);
}

#[test]
fn separators_and_suffixes() {
    let empty = ReshapeOptions {
        sep: String::new(),
        ..ReshapeOptions::new("id", "t")
    };
    assert_eq!(long("id,x1,x2\n1,5,6\n", &empty), "id,t,x\n1,1,5\n1,2,6\n");
    let dot = ReshapeOptions {
        sep: ".".to_string(),
        ..ReshapeOptions::new("id", "t")
    };
    assert_eq!(
        long("id,spin.w1,spin.w10,age\n1,5,6,30\n", &dot),
        "id,t,age,spin\n1,1,30,5\n1,10,30,6\n"
    );
    let stubs = ReshapeOptions {
        stubs: Some(vec!["sf36".to_string()]),
        ..ReshapeOptions::new("id", "t")
    };
    assert_eq!(
        long("id,sf36_1,sf36_2,x_1,x_2\n1,5,6,7,8\n", &stubs),
        "id,t,x_1,x_2,sf36\n1,1,7,8,5\n1,2,7,8,6\n"
    );
}

#[test]
fn two_numbers_need_a_pattern() {
    let csv = "id,spin1_w1,spin1_w2,spin2_w1,spin2_w2,wai_1,wai_2\n1,1,2,3,4,5,6\n";
    let out = reshape(&table(csv), &ReshapeOptions::new("id", "week")).expect("reshapes");
    assert_eq!(out.summary.carried.len(), 4);
    assert!(
        out.summary.warnings[0].contains("spin1_w1"),
        "{:?}",
        out.summary.warnings
    );
    let pattern = ReshapeOptions {
        pattern: Some(r"(?P<stub>spin\d+)_w(?P<occasion>\d+)".to_string()),
        ..ReshapeOptions::new("id", "week")
    };
    assert_eq!(
        long(csv, &pattern),
        "id,week,wai_1,wai_2,spin1,spin2\n1,1,5,6,1,3\n1,2,5,6,2,4\n"
    );
}

#[test]
fn errors_name_what_is_wrong() {
    let error = |csv: &str, options: &ReshapeOptions| {
        reshape(&table(csv), options)
            .expect_err("fails")
            .to_string()
    };
    let basic = ReshapeOptions::new("id", "week");
    assert!(error("id,x_1,x_2\n1,1,2\n1,3,4\n", &basic).contains("line 3"));
    assert!(error("id,x_1,x_2\n,1,2\n", &basic).contains("line 2"));
    assert!(error("ID,x_1,x_2\n1,1,2\n", &basic).contains("did you mean \"ID\""));
    assert!(error("id,x_1,x_01\n1,1,2\n", &basic).contains("\"x_1\" and \"x_01\""));
    assert!(error("id,a,b\n1,1,2\n", &basic).contains("no repeated-measures"));
    assert!(error("id,week,x_1,x_2\n1,1,1,2\n", &basic).contains("clash"));
    let stubs = ReshapeOptions {
        stubs: Some(vec!["y".to_string()]),
        ..basic.clone()
    };
    assert!(error("id,x_1,x_2\n1,1,2\n", &stubs).contains("\"y_<number>\""));
    let bad = ReshapeOptions {
        pattern: Some("(?P<stub>x)_(\\d+)".to_string()),
        ..basic
    };
    assert!(error("id,x_1,x_2\n1,1,2\n", &bad).contains("(?P<occasion>"));
}

#[test]
fn wide_files_are_detected_and_long_ones_are_not() {
    let guess = detect_wide(&table(WIDE)).expect("wide");
    assert_eq!(guess.id, "id");
    assert_eq!(guess.stubs, ["spin", "wai"]);
    assert_eq!((guess.stub_columns, guess.occasions), (5, 3));
    assert_eq!(guess.time, "time");
    let long_file = "id,week,spin\n1,1,3\n1,2,4\n2,1,5\n";
    assert!(detect_wide(&table(long_file)).is_none());
    let typed = |csv: &str| {
        crate::frame::Frame::from_csv(csv.as_bytes(), &Default::default()).expect("reads")
    };
    assert_eq!(detect_wide_frame(&typed(WIDE)), Some(guess));
    assert!(detect_wide_frame(&typed(long_file)).is_none());
    // Text ids, one repeated: not wide.
    let repeated = "pid,x_1,x_2,x_3\na,1,2,3\nb,1,2,3\na,4,5,6\n";
    assert!(detect_wide_frame(&typed(repeated)).is_none());
}

#[test]
fn round_trip_long_wide_long() {
    // Long -> wide by hand -> back: the same rows (empty occasions dropped).
    let long_csv = "id,week,age,y,z\n1,0,30,1.5,2\n1,1,30,,3\n2,0,41,4,5\n2,2,41,6,\n";
    let wide = "id,age,y_0,y_1,y_2,z_0,z_1,z_2\n1,30,1.5,,,2,3,\n2,41,4,,6,5,,\n";
    assert_eq!(long(wide, &ReshapeOptions::new("id", "week")), long_csv);
}

#[test]
fn a_semicolon_file_stays_one_with_its_decimal_commas() {
    let out = long(
        "id;x_1;x_2;note\n1;1,5;2;\"a;b\"\n",
        &ReshapeOptions::new("id", "t"),
    );
    assert_eq!(out, "id;t;note;x\n1;1;\"a;b\";1,5\n1;2;\"a;b\";2\n");
}

#[test]
fn hostile_patterns_are_errors() {
    let csv = "id,x_1,x_2\n1,1,2\n";
    for pattern in [
        format!(
            "{}(?P<stub>x)_(?P<occasion>\\d){}",
            "(".repeat(2000),
            ")".repeat(2000)
        ),
        "(?P<stub>(x{1000}){1000})_(?P<occasion>\\d)".to_string(),
    ] {
        let options = ReshapeOptions {
            pattern: Some(pattern),
            ..ReshapeOptions::new("id", "t")
        };
        let e = reshape(&table(csv), &options).expect_err("refused");
        assert!(e.to_string().contains("cannot be used"), "{e}");
    }
}

#[test]
fn typed_cells_reshape_as_their_text_does_and_factors_keep_their_order() {
    use crate::frame::{Cell, CellTable, Column, Frame, ReadOptions, SourceColumn, TextColumn};
    // The SPSS way: group is a factor whose levels are in code order (not alphabetical), and
    // mood_1, mood_2 share their value labels.
    let factor = |codes: &[u32], levels: &[&str]| {
        SourceColumn::Factor(TextColumn {
            codes: codes.to_vec(),
            levels: levels.iter().map(|l| l.to_string()).collect(),
        })
    };
    let n = |x: f64| Cell::Number(x);
    let cells = CellTable {
        names: ["id", "group", "spin_1", "spin_2", "mood_1", "mood_2"]
            .map(String::from)
            .to_vec(),
        columns: vec![
            SourceColumn::Cells(vec![n(1.0), n(2.0)]),
            factor(&[0, 1], &["waitlist", "cbt"]),
            SourceColumn::Cells(vec![n(0.1), Cell::Missing]),
            SourceColumn::Cells(vec![n(2.5), Cell::Missing]),
            factor(&[1, crate::frame::MISSING_CODE], &["low", "high"]),
            factor(&[0, crate::frame::MISSING_CODE], &["low", "high"]),
        ],
        row_lines: [2u32, 3].into_iter().collect(),
    };
    let options = ReshapeOptions::new("id", "week");
    let (long, summary) = reshape_cells(&cells, &options).expect("reshapes");
    assert_eq!(summary.rows, 2, "person 2 has no answers: dropped");
    assert_eq!(summary.stubs[0].occasions, [1.0, 2.0]);
    let frame = Frame::from_cells(long, &ReadOptions::default()).expect("types");
    assert_eq!(frame.names, ["id", "week", "group", "spin", "mood"]);
    assert_eq!(
        frame.numeric("spin").expect("numeric")[0].to_bits(),
        0.1f64.to_bits()
    );
    match &frame.columns[2] {
        Column::Text(t) => assert_eq!(t.levels, ["waitlist", "cbt"]),
        other => panic!("group should stay a factor: {other:?}"),
    }
    match &frame.columns[4] {
        Column::Text(t) => assert_eq!(
            (t.levels.as_slice(), t.codes.as_slice()),
            (&["low".to_string(), "high".to_string()][..], &[1, 0][..])
        ),
        other => panic!("mood should stay a factor: {other:?}"),
    }
    // The numbers as a CSV file gives them: the same numeric columns.
    let text = "id,spin_1,spin_2\n1,0.1,2.5\n2,,\n";
    let from_text = reshape(&table(text), &options).expect("reshapes");
    let csv = Frame::from_csv(
        write_csv(&from_text.table).as_bytes(),
        &ReadOptions::default(),
    )
    .expect("types");
    assert_eq!(
        csv.numeric("spin").expect("numeric"),
        frame.numeric("spin").expect("numeric")
    );
    let lines = |l: &crate::csv::RowLines| l.iter().collect::<Vec<_>>();
    assert_eq!(lines(&from_text.table.row_lines), lines(&frame.row_lines));
}

#[test]
fn a_long_table_beyond_the_cell_limit_is_refused_before_it_is_built() {
    // 1,000 persons × 1,000 occasions × (id, occasion, 49 carried columns, the stub) = 52
    // million cells: the wide file has 1 million stub cells.
    let persons = 1000;
    let mut names = vec!["id".to_string()];
    names.extend((0..49).map(|c| format!("age{c}x")));
    names.extend((1..=1000).map(|o| format!("s_{o}")));
    let ids: Vec<String> = (0..persons).map(|p| p.to_string()).collect();
    let mut columns = vec![crate::csv::RawColumn::from_cells(
        ids.iter().map(String::as_str),
    )];
    columns.extend(
        (1..names.len()).map(|_| crate::csv::RawColumn::from_cells((0..persons).map(|_| "1"))),
    );
    let table = Table {
        names,
        columns,
        row_lines: (2..persons as u32 + 2).collect(),
        delimiter: b',',
    };
    let e = reshape(&table, &ReshapeOptions::new("id", "week")).expect_err("too large");
    assert_eq!(
        e,
        ReshapeError::TooLarge {
            rows: 1_000_000,
            columns: 52
        }
    );
    assert!(e.to_string().contains("1000000 rows × 52 columns"), "{e}");
}
