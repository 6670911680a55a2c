//! The streaming typing with and without a size hint: same frame, less room.

use super::*;

/// `rows` rows of an id, a week and a number; the ids get longer further down.
fn file(rows: usize) -> String {
    let mut text = String::from("id,week,x\n");
    for row in 0..rows {
        text.push_str(&format!("P{},{},{}.5\n", row / 10, row % 10, row % 7));
    }
    text
}

fn read(text: &str, hint: Option<u64>, chunk: usize) -> Frame {
    let mut builder = FrameBuilder::new(&ReadOptions::default());
    if let Some(total) = hint {
        builder.expect_bytes(total);
    }
    for piece in text.as_bytes().chunks(chunk) {
        builder.push(piece);
    }
    builder.finish().unwrap_or_else(|e| panic!("{e}"))
}

fn capacity(builder: &FrameBuilder, column: usize) -> usize {
    match builder.columns.columns.get(column) {
        Some(ColumnBuilder::Numeric(numeric)) => numeric.values.capacity(),
        Some(ColumnBuilder::Text(text)) => text.codes.capacity(),
        None => 0,
    }
}

#[test]
fn a_wrong_size_changes_nothing_but_memory() {
    let text = file(3_000);
    let plain = read(&text, None, 1000);
    let len = text.len() as u64;
    for hint in [0, 10, len / 3, len, 10 * len, u64::MAX] {
        for chunk in [7, 1000, 1 << 20] {
            let frame = read(&text, Some(hint), chunk);
            assert_eq!(frame.names, plain.names);
            assert_eq!(frame.columns, plain.columns, "hint {hint}, chunk {chunk}");
            assert_eq!(frame.row_lines, plain.row_lines);
            assert!(frame.columns.iter().all(|c| match c {
                Column::Numeric(v) => v.capacity() == 3_000,
                Column::Text(t) => t.codes.capacity() == 3_000,
            }));
        }
    }
}

#[test]
fn the_columns_are_sized_once_from_the_first_rows() {
    // Rows of one length: the first chunk shows the bytes per row exactly.
    let mut text = String::from("id,week,x\n");
    for row in 0..20_000 {
        text.push_str(&format!("P{:05},{},{}.5\n", row / 10, row % 10, row % 7));
    }
    let mut builder = FrameBuilder::new(&ReadOptions::default());
    builder.expect_bytes(text.len() as u64);
    let mut capacities = Vec::new();
    for piece in text.as_bytes().chunks(4096) {
        builder.push(piece);
        capacities.push((capacity(&builder, 0), capacity(&builder, 2)));
    }
    // After the first chunk the room is there for every row, and does not change again.
    let (ids, xs) = capacities[1];
    assert!((20_000..=20_600).contains(&ids), "{ids}");
    assert!((20_000..=20_600).contains(&xs), "{xs}");
    assert!(capacities[1..].iter().all(|&c| c == (ids, xs)));
    assert!(builder.reader.rows_read() == 20_000);
    let frame = builder.finish().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(frame.nrows(), 20_000);
}

#[test]
fn a_column_turned_text_keeps_its_room() {
    // x reads as numbers for 1,000 rows, then a word turns it into a factor.
    let mut text = String::from("x\n");
    for row in 0..1_000 {
        text.push_str(&format!("{row:04}\n"));
    }
    text.push_str("none\n");
    let mut builder = FrameBuilder::new(&ReadOptions::default());
    builder.expect_bytes(text.len() as u64);
    for piece in text.as_bytes().chunks(512) {
        builder.push(piece);
    }
    assert!(matches!(builder.columns.columns[0], ColumnBuilder::Text(_)));
    assert!((1_001..=1_100).contains(&capacity(&builder, 0)));
    let frame = builder.finish().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(frame.nrows(), 1_001);
}

#[test]
fn styles_are_kept_per_cell_only_once_they_differ() {
    let mut builder = FrameBuilder::new(&ReadOptions::default());
    builder.push(b"a,b\n1.50,1\nNA,2\n2.25,\n,3.5\n");
    let mixed: Vec<(bool, usize)> = builder
        .columns
        .columns
        .iter()
        .map(|c| match c {
            ColumnBuilder::Numeric(n) => (n.mixed_styles, n.styles.len()),
            ColumnBuilder::Text(_) => (true, usize::MAX),
        })
        .collect();
    // a: every number with two decimals; b: "3.5" is written unlike "1" and "2".
    assert_eq!(mixed, [(false, 0), (true, 4)]);
    // Both ways give back the cells' spelling when a word turns the column into text.
    builder.push(b"x,y\n");
    let frame = builder.finish().unwrap_or_else(|e| panic!("{e}"));
    let text = |i: usize| match &frame.columns[i] {
        Column::Text(t) => t.clone(),
        Column::Numeric(_) => panic!("column {i} is numeric"),
    };
    const M: u32 = MISSING_CODE;
    assert_eq!(text(0).levels, ["1.50", "2.25", "x"]);
    assert_eq!(text(0).codes, [0, M, 1, M, 2]);
    assert_eq!(text(1).levels, ["1", "2", "3.5", "y"]);
    assert_eq!(text(1).codes, [0, 1, M, 2, 3]);
}
