//! The content scan on hand-written content.xml, in a zip archive with nothing else (calamine
//! would want a manifest too; the scan does not).

use super::*;
use std::io::Write;

fn ods(tables: &str) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content><office:body>\
         <office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("content.xml", options).expect("a zip entry");
    zip.write_all(content.as_bytes()).expect("written");
    zip.finish().expect("a zip").into_inner()
}

fn table(name: &str, rows: &str) -> String {
    format!("<table:table table:name=\"{name}\">{rows}</table:table>")
}

const NUMBER: &str = "<table:table-cell office:value-type=\"float\" office:value=\"1\"";

#[test]
fn an_ordinary_sheet_with_libreoffice_s_trailing_repeats_passes() {
    let row = format!(
        "<table:table-row>{NUMBER}/>{NUMBER}/><table:table-cell \
         table:number-columns-repeated=\"1022\"/></table:table-row>"
    );
    let tail = "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell \
                table:number-columns-repeated=\"1024\"/></table:table-row>";
    let text = "<table:table-cell office:value-type=\"string\"><text:p>a<text:s \
                text:c=\"3\"/>b</text:p></table:table-cell>";
    let rows = format!(
        "{}<table:table-row>{text}</table:table-row>{tail}",
        row.repeat(3000)
    );
    assert_eq!(check(&ods(&table("data", &rows))), Ok(()));
}

#[test]
fn a_row_repeated_over_every_column_is_refused_naming_the_sheet() {
    let wide = format!(
        "<table:table-row>{NUMBER} table:number-columns-repeated=\"16384\"/></table:table-row>"
    );
    let e = check(&ods(&table("data", &wide.repeat(400)))).expect_err("6.5 million cells");
    let message = e.to_string();
    assert!(
        message.contains("sheet \"data\" spans 400 rows x 16384 columns"),
        "{message}"
    );
    // The same through row repeats, and through two cells far apart.
    let repeated = wide.replace(
        "<table:table-row>",
        "<table:table-row table:number-rows-repeated=\"400\">",
    );
    assert!(matches!(
        check(&ods(&table("r", &repeated))),
        Err(WorkbookError::SheetTooLarge { rows: 400, .. })
    ));
    let far = format!(
        "<table:table-row>{NUMBER}/></table:table-row><table:table-row \
         table:number-rows-repeated=\"5000\"><table:table-cell/></table:table-row>\
         <table:table-row><table:table-cell table:number-columns-repeated=\"16000\"/>{NUMBER}/>\
         </table:table-row>"
    );
    let e = check(&ods(&table("far", &far))).expect_err("5002 x 16001");
    assert!(e.to_string().contains("5002 rows x 16001 columns"), "{e}");
}

#[test]
fn cells_pushed_left_of_far_right_values_count_too() {
    // Each row pushes 16,000 empty cells before its value: 400 x 16,001 cells read, though
    // the grid of values is one column wide.
    let row = format!(
        "<table:table-row><table:table-cell table:number-columns-repeated=\"16000\"/>{NUMBER}/>\
         </table:table-row>"
    );
    let e = check(&ods(&table("data", &row.repeat(400)))).expect_err("6.4 million cells");
    assert!(matches!(e, WorkbookError::TooManyCells { .. }), "{e:?}");
}

#[test]
fn huge_runs_of_spaces_and_repeated_text_are_refused() {
    let spaces = "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>\
                  <text:s text:c=\"2000000000\"/></text:p></table:table-cell></table:table-row>";
    assert!(matches!(
        check(&ods(&table("s", spaces))),
        Err(WorkbookError::TooMuchText { .. })
    ));
    let text = format!(
        "<table:table-row><table:table-cell office:value-type=\"string\" \
         table:number-columns-repeated=\"16384\"><text:p>{}</text:p></table:table-cell>\
         </table:table-row>",
        "x".repeat(20_000)
    );
    let e = check(&ods(&table("t", &text))).expect_err("16384 copies of 20 KB");
    assert!(e.to_string().contains("more than 256 MB of text"), "{e}");
}

#[test]
fn content_on_which_calamine_loops_forever_is_refused() {
    let open =
        format!("<table:table table:name=\"a\"><table:table-row>{NUMBER}/></table:table-row>");
    let e = check(&ods(&open)).expect_err("never closed");
    assert!(e.to_string().contains("never closed"), "{e}");
    let comment = "<table:table table:name=\"a\"><table:table-row><table:table-cell \
                   office:value-type=\"string\"><office:annotation><text:p>note";
    assert!(matches!(
        check(&ods(comment)),
        Err(WorkbookError::DamagedContent { .. })
    ));
}

#[test]
fn the_sheets_of_a_workbook_are_bounded_together() {
    let row = format!(
        "<table:table-row table:number-rows-repeated=\"250\">{NUMBER} \
         table:number-columns-repeated=\"16000\"/></table:table-row>"
    );
    let one = table("a", &row);
    assert_eq!(check(&ods(&one.repeat(2))), Ok(()));
    let e = check(&ods(&one.repeat(3))).expect_err("3 x 4 million cells");
    assert!(
        matches!(
            e,
            WorkbookError::BookTooLarge {
                cells: 12_000_000,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn attributes_are_read_as_calamine_reads_them() {
    let pairs: Vec<_> = raw_attributes(" a=\"1\" b = '2'  c=\"x").collect();
    assert_eq!(pairs, [Ok(("a", "1")), Ok(("b", "2")), Ok(("c", "x"))]);
    assert_eq!(raw_attributes("a").collect::<Vec<_>>(), [Err(())]);
    assert_eq!(raw_attributes("a=1").collect::<Vec<_>>(), [Err(())]);
}
