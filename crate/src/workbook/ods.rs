//! A scan of an .ods file's content.xml before calamine reads it, bounding what calamine 0.38's
//! OpenDocument reader allocates.
//!
//! calamine reads every sheet (`table:table`) when it opens the file. In each row it pushes one
//! cell per column a `table:table-cell` repeats (`table:number-columns-repeated`, up to 16,384
//! columns), cloning the cell's text and formula for each, and then lays the sheet out as a
//! dense grid over the non-empty cells' bounding box, each row repeated as often as
//! `table:number-rows-repeated` says (its own cap is 100 million cells, about 3 GB). A 2 KB file
//! of a few thousand rows each holding one number repeated over 16,384 columns made it allocate
//! gigabytes and abort; a `text:s text:c="2000000000"` (that many spaces) asks for 2 GB of text.
//! So the XML is read here with the same parser and settings and the same rules, and refused
//! when a sheet's explicit cells, its laid-out grid or its text pass the caps. calamine also
//! loops forever when the content ends inside a table or a comment (`office:annotation`): such
//! a file is refused as damaged.
//!
//! Where calamine would stop with an error it allocates nothing more, so the scan stops there
//! too; where this scan cannot tell whether calamine keeps a cell (a value type without a
//! value), it counts it, which only makes the check stricter.

use super::limits::{MAX_BOOK_CELLS, MAX_CELLS, MAX_PART_BYTES, MAX_TEXT_BYTES};
use super::WorkbookError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use std::io::{BufRead, BufReader, Cursor, Read};

/// calamine's cap on the columns of one row.
const MAX_COLUMNS: u64 = 16_384;
/// calamine's cap on the rows of one sheet (repeats included).
const MAX_ROWS: u64 = 1_048_576;

type XmlReader<R> = quick_xml::Reader<R>;

/// Where calamine stops with an error (`Err(Stop::Error)`: it allocates nothing more) or loops
/// forever (`Err(Stop::Refuse(..))`).
enum Stop {
    Error,
    Refuse(WorkbookError),
}

type Scan<T> = Result<T, Stop>;

/// One row as calamine reads it.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Row {
    /// Its repeats (capped as calamine caps them).
    repeats: u64,
    /// The cells calamine pushes for it (empty cells after the last non-empty one are not).
    pushed: u64,
    /// The first and last column holding a value or a formula.
    columns: Option<(u64, u64)>,
    /// Bytes of text and formulas pushed (each repeat clones them).
    text: u64,
}

/// What calamine allocates for one sheet.
#[derive(Debug, Default, PartialEq)]
struct Sheet {
    rows: Vec<Row>,
}

/// Errors: a sheet or the workbook past the caps, a content.xml that decompresses to more than
/// [`MAX_PART_BYTES`] or on which calamine would loop forever. A file without content.xml, or
/// one calamine cannot open, is left to calamine, which says so.
pub fn check(bytes: &[u8]) -> Result<(), WorkbookError> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(part) = archive.by_name("content.xml") else {
        return Ok(());
    };
    let mut reader = XmlReader::from_reader(BufReader::new(part.take(MAX_PART_BYTES + 1)));
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let outcome = read_content(&mut reader);
    if reader.into_inner().into_inner().limit() == 0 {
        return Err(WorkbookError::PartTooLarge {
            part: "content.xml".to_string(),
            bytes: MAX_PART_BYTES + 1,
        });
    }
    match outcome {
        Err(Stop::Refuse(e)) => Err(e),
        _ => Ok(()),
    }
}

/// The document's tables, each checked as it ends (calamine's `parse_content`).
fn read_content<R: BufRead>(reader: &mut XmlReader<R>) -> Scan<()> {
    let mut buf = Vec::new();
    let mut book_cells: u64 = 0;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            // calamine reads only tables with a name; reading the others too is stricter.
            Ok(Event::Start(e)) if e.name() == QName("table:table") => {
                let raw = attribute(&e, "table:name").ok().flatten().unwrap_or("");
                let name = decoded(raw).unwrap_or_else(|_| raw.to_string());
                let (sheet, ended) = read_table(reader);
                let cells = refuse_large(&name, &sheet).map_err(Stop::Refuse)?;
                book_cells = book_cells.saturating_add(cells);
                if book_cells > MAX_BOOK_CELLS as u64 {
                    return Err(Stop::Refuse(WorkbookError::BookTooLarge {
                        cells: book_cells,
                        limit: MAX_BOOK_CELLS,
                    }));
                }
                ended?;
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => (),
        }
    }
}

/// The attributes of an element as calamine's `RawAttrIter` reads them: `key="value"` pairs
/// (either quote), until the first malformed one (`Err`: calamine stops there).
fn raw_attributes(raw: &str) -> impl Iterator<Item = Result<(&str, &str), ()>> + '_ {
    let bytes = raw.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        if at >= bytes.len() {
            return None;
        }
        let key_start = at;
        let Some(eq) = raw[at..].find('=').map(|i| at + i) else {
            at = bytes.len();
            return Some(Err(()));
        };
        let key = raw[key_start..eq].trim_ascii_end();
        at = eq + 1;
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        let quote = match bytes.get(at) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                at = bytes.len();
                return Some(Err(()));
            }
        };
        let value_start = at + 1;
        let value_end = bytes[value_start..]
            .iter()
            .position(|&b| b == quote)
            .map_or(bytes.len(), |i| value_start + i);
        at = (value_end + 1).min(bytes.len());
        Some(Ok((key, &raw[value_start..value_end])))
    })
}

/// The raw value of attribute `key` (calamine's `raw_attr`: a malformed attribute before it
/// stops calamine).
fn attribute<'e>(e: &'e BytesStart, key: &str) -> Scan<Option<&'e str>> {
    for pair in raw_attributes(e.attributes_raw()) {
        let (k, v) = pair.map_err(|()| Stop::Error)?;
        if k == key {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// An attribute's value with its entities replaced (calamine's `decode_attr`).
fn decoded(raw: &str) -> Scan<String> {
    quick_xml::escape::unescape(raw)
        .map(|v| v.into_owned())
        .map_err(|_| Stop::Error)
}

/// A count attribute as calamine parses it (a bad one stops it; rows' counts have their
/// entities replaced first, columns' do not); 1 when absent.
fn count<T: std::str::FromStr>(e: &BytesStart, key: &str, decode: bool) -> Scan<Option<T>> {
    let Some(raw) = attribute(e, key)? else {
        return Ok(None);
    };
    let text = if decode {
        decoded(raw)?
    } else {
        raw.to_string()
    };
    text.parse::<T>().map(Some).map_err(|_| Stop::Error)
}

/// The rows of a table up to its end (calamine's `read_table`), and how the table ended.
fn read_table<R: BufRead>(reader: &mut XmlReader<R>) -> (Sheet, Scan<()>) {
    let mut sheet = Sheet::default();
    let mut buf = Vec::new();
    let mut total_rows: u64 = 0;
    loop {
        let ended = match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name() == QName("table:table-row") => {
                match count(&e, "table:number-rows-repeated", true) {
                    Ok(wanted) => {
                        let wanted: u64 = wanted.unwrap_or(1);
                        let repeats = wanted.min(MAX_ROWS.saturating_sub(total_rows));
                        total_rows += repeats;
                        match read_row(reader) {
                            Ok(row) => {
                                sheet.rows.push(Row { repeats, ..row });
                                None
                            }
                            Err(stop) => Some(Err(stop)),
                        }
                    }
                    Err(stop) => Some(Err(stop)),
                }
            }
            Ok(Event::End(e)) if e.name() == QName("table:table") => Some(Ok(())),
            Ok(Event::Eof) => Some(Err(loops_forever("a sheet (table:table) is never closed"))),
            Err(_) => Some(Err(Stop::Error)),
            _ => None,
        };
        if let Some(ended) = ended {
            return (sheet, ended);
        }
        buf.clear();
    }
}

fn loops_forever(detail: &str) -> Stop {
    Stop::Refuse(WorkbookError::DamagedContent {
        kind: ".ods",
        detail: detail.to_string(),
    })
}

/// The cells of one row (calamine's `read_row`): an empty cell's columns are pushed only when a
/// non-empty cell follows it in the row, and no row passes 16,384 columns.
fn read_row<R: BufRead>(reader: &mut XmlReader<R>) -> Scan<Row> {
    let mut row = Row::default();
    let mut deferred = 0;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e))
                if e.name() == QName("table:table-cell")
                    || e.name() == QName("table:covered-table-cell") =>
            {
                let wanted: u64 = count(&e, "table:number-columns-repeated", false)?.unwrap_or(1);
                let e = e.into_owned();
                let cell = read_cell(reader, &e)?;
                row.pushed += deferred.min(MAX_COLUMNS - row.pushed);
                let repeats = wanted.min(MAX_COLUMNS - row.pushed);
                match cell {
                    None => deferred = repeats,
                    Some(text) => {
                        deferred = 0;
                        if repeats > 0 {
                            let (first, _) = row.columns.unwrap_or((row.pushed, 0));
                            row.columns = Some((first, row.pushed + repeats - 1));
                        }
                        row.pushed += repeats;
                        row.text = row.text.saturating_add(text.saturating_mul(repeats));
                    }
                }
            }
            Ok(Event::End(e)) if e.name() == QName("table:table-row") => return Ok(row),
            _ => return Err(Stop::Error),
        }
        buf.clear();
    }
}

/// A cell (calamine's `get_datatype`): `None` when it holds no value and no formula, else the
/// bytes of its text and formula. Its content is read (a text cell without a string value) or
/// skipped to its end, as calamine does.
fn read_cell<R: BufRead>(reader: &mut XmlReader<R>, e: &BytesStart) -> Scan<Option<u64>> {
    let mut value: Option<u64> = None;
    let mut empty_string = false;
    let mut is_string = false;
    let mut is_error = false;
    let mut formula = 0;
    for pair in raw_attributes(e.attributes_raw()) {
        let (key, raw) = pair.map_err(|()| Stop::Error)?;
        let len = raw.len() as u64;
        match key {
            "office:value" | "office:boolean-value" if value.is_none() => value = Some(0),
            "office:string-value" | "office:date-value" | "office:time-value"
                if value.is_none() =>
            {
                value = Some(len);
                empty_string = key == "office:string-value" && raw.is_empty();
            }
            "office:value-type" if value.is_none() => is_string = raw == "string",
            "calcext:value-type" => is_error = raw == "error",
            "table:formula" => formula = len,
            _ => (),
        }
    }
    if (value.is_none() && is_string) || (is_error && empty_string) {
        let text = read_text(reader)?;
        return Ok(Some(text + formula));
    }
    let mut skip = Vec::new();
    reader
        .read_to_end_into(e.name(), &mut skip)
        .map_err(|_| Stop::Error)?;
    Ok(match value {
        None if formula == 0 => None,
        _ => Some(value.unwrap_or(0) + formula),
    })
}

/// The bytes of a text cell's content up to the cell's end: its text, one byte per paragraph,
/// tab and line break, and the spaces `text:s` asks for (a count calamine reads as an `i32`).
fn read_text<R: BufRead>(reader: &mut XmlReader<R>) -> Scan<u64> {
    let mut bytes: u64 = 0;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Text(t)) => bytes += t.len() as u64,
            Ok(Event::GeneralRef(r)) => bytes += r.len() as u64 + 4,
            Ok(Event::End(e))
                if e.name() == QName("table:table-cell")
                    || e.name() == QName("table:covered-table-cell") =>
            {
                return Ok(bytes);
            }
            Ok(Event::Start(e)) if e.name() == QName("office:annotation") => {
                skip_annotation(reader)?
            }
            Ok(Event::Start(e)) if e.name() == QName("text:s") => {
                let spaces: i32 = count(&e, "text:c", true)?.unwrap_or(1);
                bytes += spaces.max(0) as u64;
            }
            Ok(Event::Start(e))
                if matches!(e.name().0, "text:p" | "text:tab" | "text:line-break") =>
            {
                bytes += 1
            }
            Ok(Event::Eof) | Err(_) => return Err(Stop::Error),
            _ => (),
        }
        if bytes > MAX_TEXT_BYTES as u64 {
            return Err(Stop::Refuse(WorkbookError::TooMuchText {
                limit: MAX_TEXT_BYTES,
            }));
        }
        buf.clear();
    }
}

/// Skips a comment; calamine loops forever when the content ends inside one.
fn skip_annotation<R: BufRead>(reader: &mut XmlReader<R>) -> Scan<()> {
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::End(e)) if e.name() == QName("office:annotation") => return Ok(()),
            Ok(Event::Eof) => return Err(loops_forever("a comment is never closed")),
            Err(_) => return Err(Stop::Error),
            _ => (),
        }
        buf.clear();
    }
}

/// The cells calamine lays out for a sheet (counted towards the workbook's cap). Errors:
/// [`WorkbookError::SheetTooLarge`] for a grid past [`MAX_CELLS`] (the rows between the first
/// and last non-empty one, with their repeats, times the columns between the first and last
/// non-empty column), [`WorkbookError::TooManyCells`] for more cells pushed than that, and
/// [`WorkbookError::TooMuchText`] for more text than [`MAX_TEXT_BYTES`].
fn refuse_large(name: &str, sheet: &Sheet) -> Result<u64, WorkbookError> {
    let pushed: u64 = sheet.rows.iter().map(|r| r.pushed).sum();
    let mut text: u64 = sheet
        .rows
        .iter()
        .map(|r| r.text)
        .fold(0, u64::saturating_add);
    let first = sheet.rows.iter().position(|r| r.columns.is_some());
    let last = sheet.rows.iter().rposition(|r| r.columns.is_some());
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(0);
    };
    let span = &sheet.rows[first..=last];
    let column0 = span.iter().filter_map(|r| r.columns).map(|c| c.0).min();
    let column1 = span.iter().filter_map(|r| r.columns).map(|c| c.1).max();
    let columns = column1.unwrap_or(0) + 1 - column0.unwrap_or(0);
    // Each repeat of a row is a copy (the explicit rows reserve room too, even when a row
    // says it repeats 0 times).
    let rows: u64 = span
        .iter()
        .map(|r| r.repeats)
        .sum::<u64>()
        .max(span.len() as u64);
    for r in span {
        text = text.saturating_add(r.text.saturating_mul(r.repeats));
    }
    let cells = rows.saturating_mul(columns);
    if cells > MAX_CELLS as u64 {
        return Err(WorkbookError::SheetTooLarge {
            sheet: name.to_string(),
            rows,
            columns,
            limit: MAX_CELLS,
            declared: false,
        });
    }
    if pushed > MAX_CELLS as u64 {
        return Err(WorkbookError::TooManyCells { limit: MAX_CELLS });
    }
    if text > MAX_TEXT_BYTES as u64 {
        return Err(WorkbookError::TooMuchText {
            limit: MAX_TEXT_BYTES,
        });
    }
    Ok(cells)
}

#[cfg(test)]
mod tests;
