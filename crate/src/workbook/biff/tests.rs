//! The scan on hand-built Workbook streams (see `../testing.rs`).

use super::*;
use crate::workbook::testing::{bof, eof, number, record, small_sheet, workbook};

fn sheet_error(records: Vec<Vec<u8>>) -> WorkbookError {
    check(&workbook(&[("data", records)])).expect_err("refused")
}

#[test]
fn a_small_sheet_passes() {
    let cells = small_sheet();
    assert_eq!(check(&workbook(&[("data", cells)])), Ok(()));
    // The globals of a workbook with one sheet "d" take 37 bytes.
    let extent =
        sheet_extent(&workbook(&[("d", vec![number(2, 3, 1.0)])]), 37, &[]).expect("scans");
    assert_eq!(extent.values.size(), (1, 1));
}

#[test]
fn two_cells_far_apart_are_refused_naming_the_sheet_and_the_span() {
    let e = sheet_error(vec![number(0, 0, 1.0), number(65_535, 65_535, 2.0)]);
    assert!(
        matches!(&e, WorkbookError::SheetTooLarge { sheet, rows: 65_536, columns: 65_536, .. } if sheet == "data"),
        "{e:?}"
    );
    let message = e.to_string();
    for needle in [
        "sheet \"data\"",
        "65536 rows x 65536 columns",
        "5000000 cells",
    ] {
        assert!(message.contains(needle), "{message}");
    }
    // Just inside the cap: 5000 rows x 1000 columns.
    let cells = vec![number(0, 0, 1.0), number(4_999, 999, 2.0)];
    assert_eq!(check(&workbook(&[("data", cells)])), Ok(()));
}

#[test]
fn mulrk_runs_formulas_and_their_text_results_widen_the_grid() {
    // MULRK: row 2, columns 10..=12, then the last column.
    let mut mulrk = [2u16.to_le_bytes(), 10u16.to_le_bytes()].concat();
    mulrk.extend([0u8; 18]);
    mulrk.extend(12u16.to_le_bytes());
    assert_eq!(cell_positions(MULRK, &mulrk).count(), 3);
    let far = |row: u16, column: u16, text: bool| {
        let mut d = [row.to_le_bytes(), column.to_le_bytes(), [0, 0]].concat();
        d.extend(if text {
            [0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
        } else {
            [0; 8]
        });
        d.extend([0u8; 6]);
        record(FORMULA, &d)
    };
    let e = sheet_error(vec![record(MULRK, &mulrk), far(60_000, 200, false)]);
    assert!(
        matches!(e, WorkbookError::SheetTooLarge { rows: 59_999, .. }),
        "{e:?}"
    );
    // A text result is placed by the STRING record that follows.
    let text = record(STRING, &[1, 0, 0, b'a']);
    let cells = vec![number(0, 0, 1.0), far(60_000, 200, true)];
    assert_eq!(check(&workbook(&[("d", cells.clone())])), Ok(()));
    let e = sheet_error([cells, vec![text.clone()]].concat());
    assert!(matches!(e, WorkbookError::SheetTooLarge { .. }), "{e:?}");
    let extent = sheet_extent(&workbook(&[("d", vec![text])]), 37, &[]).expect("scans");
    assert_eq!(
        extent.values.size(),
        (1, 1),
        "a STRING before any formula sits at A1"
    );
}

#[test]
fn blank_cells_and_charts_inside_a_sheet_do_not_count() {
    let blank = record(0x0201, &[0xFF, 0xFF, 0xFF, 0xFF, 0, 0]);
    let chart = [bof(0x20), number(65_535, 65_535, 1.0), eof()].concat();
    let cells = vec![number(0, 0, 1.0), blank, chart];
    assert_eq!(check(&workbook(&[("data", cells)])), Ok(()));
}

#[test]
fn a_declared_size_past_the_cap_is_refused() {
    let dimensions = |first: u32, last: u32, columns: u16| {
        let mut d = [first.to_le_bytes(), last.to_le_bytes()].concat();
        d.extend([0, 0]);
        d.extend(columns.to_le_bytes());
        d.extend([0, 0]);
        record(DIMENSIONS, &d)
    };
    assert_eq!(
        check(&workbook(&[("d", vec![dimensions(0, 1923, 9)])])),
        Ok(())
    );
    let e = sheet_error(vec![dimensions(0, 1_000_000, 256)]);
    assert!(
        e.to_string()
            .contains("declares 1000000 rows x 256 columns"),
        "{e}"
    );
    // A last row before the first wraps in calamine's 32-bit arithmetic.
    let e = sheet_error(vec![dimensions(10, 5, 3)]);
    assert!(
        matches!(e, WorkbookError::SheetTooLarge { declared: true, .. }),
        "{e:?}"
    );
}

#[test]
fn the_sheets_of_a_workbook_are_bounded_together() {
    let big = || vec![number(0, 0, 1.0), number(1_999, 1_000, 2.0)];
    let sheets = [
        ("a", big()),
        ("b", big()),
        ("c", big()),
        ("d", big()),
        ("e", big()),
    ];
    assert_eq!(check(&workbook(&sheets[..4])), Ok(()));
    let e = check(&workbook(&sheets)).expect_err("5 x 2,002,000 cells");
    assert!(
        e.to_string().contains("together span 10010000 cells"),
        "{e}"
    );
    // The same sheet listed many times is laid out as many times.
    let mut stream = workbook(&[("a", big())]);
    let bound = stream[20..33].to_vec();
    for _ in 0..5 {
        stream.splice(20..20, bound.iter().copied());
    }
    let position = (stream.len() - big().concat().len() - 24) as u32;
    for sheet in 0..6 {
        let at = 24 + 13 * sheet;
        stream[at..at + 4].copy_from_slice(&position.to_le_bytes());
    }
    assert!(matches!(
        check(&stream),
        Err(WorkbookError::BookTooLarge { .. })
    ));
}

#[test]
fn records_cut_by_the_stream_end_are_refused() {
    let stream = workbook(&[("data", vec![number(0, 0, 1.0)])]);
    for cut in [stream.len() - 3, stream.len() - 9, 2, 21] {
        let e = check(&stream[..cut]).expect_err("cut");
        assert!(e.to_string().contains("runs past its end"), "{cut}: {e}");
    }
    let mut stream = stream;
    stream[24..28].copy_from_slice(&[0xFF; 4]); // the sheet's position
    let e = check(&stream).expect_err("past the end");
    assert!(e.to_string().contains("starts past the end"), "{e}");
    let short_bound_sheet = [bof(5), record(BOUND_SHEET, &[1, 2, 3]), eof()].concat();
    assert!(matches!(
        check(&short_bound_sheet),
        Err(WorkbookError::DamagedContent { .. })
    ));
}

#[test]
fn sheet_names_in_unicode_and_latin1() {
    assert_eq!(sheet_name(&[2, 1, b'a', 0, 0x3B, 0x04], true), "aл");
    assert_eq!(sheet_name(&[3, 0, b'W', 0xFC, b'x'], true), "Wüx");
    assert_eq!(sheet_name(&[2, b'a', b'b'], false), "ab");
}

#[test]
fn a_long_shared_string_named_by_many_cells_is_refused() {
    // An SST of one 60,000-character string (3 bytes each in UTF-8 at most), then 2,000
    // LABELSST cells naming it: 360 MB of copies from 28 KB of records.
    let mut sst = vec![0; 8];
    sst.extend([0x60, 0xEA, 0]);
    sst.extend(vec![b'x'; 8000]);
    let mut more = vec![0u8];
    more.extend(vec![b'x'; 52_000]);
    let label = |row: u16| {
        let d = [row.to_le_bytes(), [0, 0], [0, 0], [0, 0], [0, 0]].concat();
        record(LABELSST, &d)
    };
    let mut stream = workbook(&[("data", (0..2000).map(label).collect())]);
    // The SST record and its CONTINUE go after the BOF (the sheet's position moves with them).
    let table = [record(SST, &sst), record(CONTINUE, &more)].concat();
    stream.splice(20..20, table.iter().copied());
    let position = u32::from_le_bytes([stream[24 + table.len()], stream[25 + table.len()], 0, 0]);
    let moved = (position as usize + table.len()) as u32;
    let at = 24 + table.len();
    stream[at..at + 4].copy_from_slice(&moved.to_le_bytes());
    let e = check(&stream).expect_err("360 MB of text");
    assert!(matches!(e, WorkbookError::TooMuchText { .. }), "{e:?}");
    let fewer = stream.len() - 14 * 1500 - 4;
    stream.splice(fewer..stream.len() - 4, std::iter::empty());
    assert_eq!(check(&stream), Ok(()), "500 copies: 90 MB");
}

#[test]
fn records_calamine_would_read_past_the_end_of_are_refused() {
    let cut = |typ: u16, data: &[u8], in_sheet: bool| {
        let stream = if in_sheet {
            workbook(&[("data", vec![record(typ, data)])])
        } else {
            [bof(5), record(typ, data), eof()].concat()
        };
        matches!(check(&stream), Err(WorkbookError::DamagedContent { .. }))
    };
    assert!(cut(CODEPAGE, &[1], false));
    assert!(!cut(CODEPAGE, &[0xB0, 0x04], false));
    assert!(cut(0x0018, &[0; 13], false));
    assert!(cut(MERGE_CELLS, &[2, 0, 0, 0, 0, 0, 0, 0, 0, 0], true));
    assert!(!cut(MERGE_CELLS, &[1, 0, 0, 0, 1, 0, 0, 0, 1, 0], true));
}
