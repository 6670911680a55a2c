//! A [`Table`] as CSV text (RFC 4180 quoting), for `lagmix reshape -o` and the page's download.

use crate::csv::Table;

/// The table as CSV with the table's own delimiter (cells hold the text as read, so a file
/// with `;` and decimal commas stays one). Cells holding the delimiter, a quote or a line break
/// are quoted, quotes doubled. Lines end with `\n`.
pub fn write_csv(table: &Table) -> String {
    let delimiter = char::from(table.delimiter);
    let mut out = String::new();
    write_record(&mut out, delimiter, table.names.iter().map(String::as_str));
    for row in 0..table.nrows() {
        write_record(
            &mut out,
            delimiter,
            table.columns.iter().map(|c| c.get(row)),
        );
    }
    out
}

fn write_record<'a>(out: &mut String, delimiter: char, cells: impl Iterator<Item = &'a str>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        if cell.contains([delimiter, '"', '\n', '\r'])
            || cell.starts_with(' ')
            || cell.ends_with(' ')
        {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push('\n');
}
