//! Workbook bytes (.xlsx, .xlsm, .xls, .ods) -> the [`CellTable`] of one sheet, read with
//! calamine (pure Rust; builds for wasm32).
//!
//! What is read: the first worksheet unless a sheet is named; its first non-empty row is the
//! header and every later non-empty row a data row (see `grid.rs`). Cells keep their type:
//! numbers stay numbers (never written as text and read again), text stays text, empty cells
//! are missing, and formula cells give the value Excel or LibreOffice cached when the file was
//! last saved (a file written by a program that does not compute formulas has none: those
//! cells are empty). Dates and date-times become numbers: days since 1970-01-01 with the time
//! of day as a fraction, as R's `as.numeric()` gives for a `Date`; time-only cells and
//! durations are fractions of a day. TRUE/FALSE cells become the text `TRUE`/`FALSE`, as they
//! would be in a CSV export; cells holding an error value (`#DIV/0!`, `#N/A`) are missing and
//! counted in [`Workbook::error_cells`].
//!
//! Hostile files are bounded before anything large is allocated (see `limits.rs`): the zip
//! directory's sizes are checked against caps before calamine decompresses a part, and an
//! .xlsx sheet is streamed cell by cell with a cap on the number of cells. calamine's .xls
//! and .ods readers lay out every sheet as a dense grid when they open the file: the grids'
//! sizes are computed from the Workbook stream's records or content.xml and capped before they
//! run (`cfb.rs`, `biff.rs`, `ods.rs`).

mod biff;
mod cfb;
mod error;
mod grid;
mod limits;
mod ods;

pub use error::WorkbookError;
pub use grid::cell_name;
pub use limits::{WorkbookKind, CFB_MAGIC, MAX_CELLS, ZIP_MAGIC};

use crate::frame::{Cell, CellTable};
use calamine::{Data, Ods, Range, Reader, SheetType, Xls, Xlsx};
use grid::Grid;
use std::io::Cursor;

/// One sheet of a workbook, read.
#[derive(Debug, Clone)]
pub struct Workbook {
    /// The kind of file.
    pub kind: WorkbookKind,
    /// The worksheets' names, in the workbook's order.
    pub sheets: Vec<String>,
    /// The sheet read.
    pub sheet: String,
    /// Its header names and typed cells, with the sheet's row numbers.
    pub table: CellTable,
    /// Cells holding an error value (read as missing).
    pub error_cells: usize,
}

/// Days from 0000-03-01 (proleptic Gregorian) to 1970-01-01, for [`days_from_civil`].
const UNIX_EPOCH_DAYS: i64 = 719_468;

/// True when `bytes` start like a workbook (a zip archive or a compound file).
pub fn looks_like_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(&ZIP_MAGIC) || bytes.starts_with(&CFB_MAGIC)
}

/// Reads sheet `sheet` (or the first worksheet) of the workbook in `bytes`. Errors: see
/// [`WorkbookError`]; each names the sheet and cell where it can.
pub fn read_workbook(bytes: &[u8], sheet: Option<&str>) -> Result<Workbook, WorkbookError> {
    let kind = limits::check(bytes)?;
    let cursor = Cursor::new(bytes);
    // calamine can panic on crafted files (its .xls formula parser indexes past a record's end,
    // found by fuzz/workbook_reader): natively that becomes this message; in wasm a panic
    // traps, and the page restarts its worker.
    let guarded = std::panic::catch_unwind(|| read_sheet(kind, cursor, sheet));
    let (sheets, name, grid) = guarded.map_err(|_| WorkbookError::Unreadable {
        kind: kind.extension(),
        message: "the reader stopped on a part of the file it cannot handle".to_string(),
    })??;
    let error_cells = grid.error_cells;
    let table = grid.into_table(&name)?;
    Ok(Workbook {
        kind,
        sheets,
        sheet: name,
        table,
        error_cells,
    })
}

/// The sheets' names, the sheet chosen and its cells.
fn read_sheet(
    kind: WorkbookKind,
    cursor: Cursor<&[u8]>,
    sheet: Option<&str>,
) -> Result<(Vec<String>, String, Grid), WorkbookError> {
    let unreadable = |e: calamine::Error| WorkbookError::Unreadable {
        kind: kind.extension(),
        message: e.to_string(),
    };
    Ok(match kind {
        WorkbookKind::Xlsx => {
            let mut book: Xlsx<_> = calamine::open_workbook_from_rs(cursor)
                .map_err(|e| unreadable(calamine::Error::Xlsx(e)))?;
            let (sheets, name) = choose_sheet(&book, sheet)?;
            let grid = xlsx_grid(&mut book, &name).map_err(unreadable)?;
            (sheets, name, grid?)
        }
        WorkbookKind::Xls => {
            let mut book: Xls<_> = calamine::open_workbook_from_rs(cursor)
                .map_err(|e| unreadable(calamine::Error::Xls(e)))?;
            let (sheets, name) = choose_sheet(&book, sheet)?;
            let merged = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
            let range = book
                .worksheet_range(&name)
                .map_err(|e| unreadable(e.into()))?;
            let mut grid = range_grid(&range)?;
            grid.merged = merged.iter().map(|d| (d.start, d.end)).collect();
            (sheets, name, grid)
        }
        WorkbookKind::Ods => {
            let mut book: Ods<_> = calamine::open_workbook_from_rs(cursor)
                .map_err(|e| unreadable(calamine::Error::Ods(e)))?;
            let (sheets, name) = choose_sheet(&book, sheet)?;
            let range = book
                .worksheet_range(&name)
                .map_err(|e| unreadable(e.into()))?;
            (sheets, name, range_grid(&range)?)
        }
    })
}

/// The worksheets' names and the one to read. Errors: no worksheet, an unknown name.
fn choose_sheet<RS: std::io::Read + std::io::Seek, R: Reader<RS>>(
    book: &R,
    wanted: Option<&str>,
) -> Result<(Vec<String>, String), WorkbookError> {
    let sheets: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let name = match wanted {
        Some(name) if sheets.iter().any(|s| s == name) => name.to_string(),
        Some(name) => {
            return Err(WorkbookError::UnknownSheet {
                name: name.to_string(),
                sheets,
            })
        }
        None => sheets.first().cloned().ok_or(WorkbookError::NoSheets)?,
    };
    Ok((sheets, name))
}

/// Streams an .xlsx sheet's cells into a grid (the cell cap applies as they come). The outer
/// error is calamine's, the inner one the cap.
fn xlsx_grid(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
) -> Result<Result<Grid, WorkbookError>, calamine::Error> {
    let mut grid = Grid::default();
    if let Ok(regions) = book.merge_cells_by_sheet_name(name) {
        grid.merged = regions.iter().map(|d| (d.start, d.end)).collect();
    }
    let mut reader = book.worksheet_cells_reader(name)?;
    while let Some(cell) = reader.next_cell()? {
        let (row, column) = cell.get_position();
        let value = Data::from(cell.get_value().clone());
        if let Err(e) = grid.push_data(row, column, &value) {
            return Ok(Err(e));
        }
    }
    Ok(Ok(grid))
}

/// The used cells of a sheet calamine has read whole.
fn range_grid(range: &Range<Data>) -> Result<Grid, WorkbookError> {
    let mut grid = Grid::default();
    let (row0, column0) = range.start().unwrap_or((0, 0));
    for (row, column, value) in range.used_cells() {
        let (row, column) = (row as u32 + row0, column as u32 + column0);
        grid.push_data(row, column, value)?;
    }
    Ok(grid)
}

impl Grid {
    /// Adds one calamine cell (see the module header for how each kind is read).
    fn push_data(&mut self, row: u32, column: u32, value: &Data) -> Result<(), WorkbookError> {
        let cell = match value {
            Data::Empty => Cell::Missing,
            Data::Int(v) => Cell::Number(*v as f64),
            Data::Float(v) => Cell::Number(*v),
            Data::String(s) => Cell::Text(s.clone()),
            Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.to_string()),
            Data::DateTime(d) if d.is_duration() => Cell::Number(d.as_f64()),
            Data::DateTime(d) => Cell::Number(serial_to_days(d)),
            Data::DateTimeIso(s) => {
                iso_to_days(s).map_or_else(|| Cell::Text(s.clone()), Cell::Number)
            }
            Data::DurationIso(s) => Cell::Text(s.clone()),
            Data::Error(_) => {
                self.error_cells += 1;
                Cell::Missing
            }
        };
        self.push(row, column, cell)
    }
}

/// An Excel date serial (1900 or 1904 system) as days since 1970-01-01; the time of day as a
/// fraction. Serials before 1900-03-01 carry Excel's phantom 1900-02-29 and come out a day off,
/// as in every reader that converts through calendar dates.
fn serial_to_days(d: &calamine::ExcelDateTime) -> f64 {
    let (year, month, day, ..) = d.to_ymd_hms_milli();
    let days = days_from_civil(i64::from(year), i64::from(month), i64::from(day));
    days as f64 + d.as_f64().rem_euclid(1.0)
}

/// `YYYY-MM-DD` or `YYYY-MM-DDThh:mm[:ss[.f]]` (OpenDocument's dates) as days since 1970-01-01.
fn iso_to_days(text: &str) -> Option<f64> {
    let (date, time) = match text.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut fraction = 0.0;
    if let Some(time) = time {
        let mut hms = time.splitn(3, ':').map(|p| p.parse::<f64>().ok());
        let hours = hms.next()??;
        let minutes = hms.next().flatten().unwrap_or(0.0);
        let seconds = hms.next().flatten().unwrap_or(0.0);
        fraction = (hours * 3600.0 + minutes * 60.0 + seconds) / 86_400.0;
    }
    Some(days_from_civil(year, month, day) as f64 + fraction)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let m = (month + 9) % 12;
    let day_of_year = (153 * m + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - UNIX_EPOCH_DAYS
}

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
