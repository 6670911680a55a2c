//! Dates, and the reading of a workbook's cells; the files themselves are tested in
//! crate/tests/formats.rs.

use super::*;

#[test]
fn civil_days_match_the_unix_calendar() {
    assert_eq!(days_from_civil(1970, 1, 1), 0);
    assert_eq!(days_from_civil(2024, 1, 8), 19_730);
    assert_eq!(days_from_civil(1900, 3, 1), -25_508);
    assert_eq!(days_from_civil(2000, 2, 29), 11_016);
}

#[test]
fn iso_dates_and_times() {
    assert_eq!(iso_to_days("2024-01-08"), Some(19_730.0));
    assert_eq!(iso_to_days("2024-01-08T12:00:00"), Some(19_730.5));
    assert_eq!(iso_to_days("not a date"), None);
    assert_eq!(iso_to_days("2024-13-01"), None);
}

#[test]
fn excel_serials_become_days_since_1970() {
    use calamine::{ExcelDateTime, ExcelDateTimeType};
    // 45299 is 2024-01-08 in the 1900 system; 43837 in the 1904 system.
    let date = ExcelDateTime::new(45_299.25, ExcelDateTimeType::DateTime, false);
    assert_eq!(serial_to_days(&date), 19_730.25);
    let date = ExcelDateTime::new(43_837.0, ExcelDateTimeType::DateTime, true);
    assert_eq!(serial_to_days(&date), 19_730.0);
}

#[test]
fn cells_of_every_kind() {
    let mut grid = Grid::default();
    let cells = [
        Data::String("name".into()),
        Data::Int(3),
        Data::Bool(true),
        Data::Error(calamine::CellErrorType::Div0),
        Data::DurationIso("PT1H".into()),
        Data::Empty,
    ];
    for (column, value) in cells.iter().enumerate() {
        grid.push_data(0, column as u32, value)
            .expect("under the cap");
    }
    assert_eq!(grid.error_cells, 1);
    let e = grid.into_table("S").expect_err("header only");
    assert!(e.to_string().contains("no data rows"), "{e}");
}

#[test]
fn a_hand_built_xls_reads_and_a_far_cell_is_refused_before_calamine() {
    use super::testing::{compound_file, number, small_sheet, workbook};
    let cells = small_sheet();
    let book = read_workbook(&compound_file(&workbook(&[("data", cells.clone())])), None)
        .expect("calamine reads the hand-built file");
    assert_eq!(
        (book.kind, book.sheet.as_str()),
        (WorkbookKind::Xls, "data")
    );
    assert_eq!(book.table.names, ["id", "y"]);
    // Calamine would lay out 65,536 x 65,536 cells (about 137 GB) for this sheet.
    let far = [cells, vec![number(65_535, 65_535, 3.0)]].concat();
    let e = read_workbook(&compound_file(&workbook(&[("data", far)])), None).expect_err("refused");
    assert!(matches!(e, WorkbookError::SheetTooLarge { .. }), "{e}");
}

#[test]
fn the_catalogue_file_is_the_one_these_builders_make() {
    use super::testing::{compound_file, label, number, workbook};
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/catalogue/far_cells.xls"
    );
    let committed =
        std::fs::read(path).expect("tests/reference/make_hostile_workbooks.py wrote it");
    let mut cells = vec![label(0, 0, "id"), label(0, 1, "week"), label(0, 2, "y")];
    for (row, week, y) in [(1, 0.0, 2.5), (2, 1.0, 3.0)] {
        cells.extend([number(row, 0, 1.0), number(row, 1, week), number(row, 2, y)]);
    }
    cells.push(number(65_535, 65_535, 1.0));
    assert_eq!(compound_file(&workbook(&[("data", cells)])), committed);
}
