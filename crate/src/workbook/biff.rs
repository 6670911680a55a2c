//! A scan of an .xls Workbook stream's BIFF records ([MS-XLS] 2.1.4) before calamine parses it,
//! bounding what calamine 0.38 allocates for each sheet.
//!
//! calamine reads every sheet when it opens an .xls file. For each sheet (a `BoundSheet8`
//! record in the workbook globals gives the substream's position) it collects the cells of the
//! records listed in [`cell_positions`] and lays them out with `Range::from_sparse`: a dense grid
//! spanning the cells' bounding box, so two cells far apart (A1 and a cell in row 65,536 and
//! column 65,536) reserve billions of slots (9 GB for the file fuzzing found). The cells of its
//! FORMULA records get a second grid of their own (the formula texts), and a DIMENSIONS record
//! makes it reserve room for the rows times columns it declares. An allocation that fails
//! aborts (it cannot be caught), so those sizes are computed here exactly as calamine will
//! compute them and a sheet past [`MAX_CELLS`] is refused, as is a workbook whose sheets
//! together pass [`MAX_BOOK_CELLS`]. A LABELSST cell is a copy of a shared string, so the
//! copies' bytes are bounded too ([`MAX_TEXT_BYTES`], from the string lengths in `sst.rs`), and
//! records calamine reads past the end of without checking (it would panic: a trap in wasm)
//! are refused as damaged.
//!
//! The records are walked as calamine walks them: the globals up to their EOF record, then
//! each sheet from its position up to its own EOF, skipping substreams nested in it (embedded
//! charts). CONTINUE records (0x003C) need no care: calamine attaches them to the record before
//! them and reads no cell from them, and the record boundaries are the same either way. Where
//! calamine would stop with an error (a record too short for its fields) it allocates nothing
//! more; counting such a record anyway only makes this check stricter on a damaged file.

use super::limits::{MAX_BOOK_CELLS, MAX_CELLS, MAX_TEXT_BYTES};
use super::WorkbookError;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUND_SHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const FORMULA: u16 = 0x0006;
/// A formula's text result, which calamine places at the last FORMULA record's cell.
const STRING: u16 = 0x0207;
const MULRK: u16 = 0x00BD;
const LABELSST: u16 = 0x00FD;
const SST: u16 = 0x00FC;
const CODEPAGE: u16 = 0x0042;
const CONTINUE: u16 = 0x003C;
const MERGE_CELLS: u16 = 0x00E5;

mod sst;

/// One record: where it starts in the stream, its type and its data.
struct Record<'a> {
    offset: usize,
    typ: u16,
    data: &'a [u8],
}

/// The records of `stream` from byte `at` on; a record running past the stream's end is an
/// error (calamine stops there too).
struct Records<'a> {
    stream: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, WorkbookError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.stream.get(self.at..).filter(|r| !r.is_empty())?;
        let offset = self.at;
        self.at = self.stream.len();
        let past_end = || WorkbookError::DamagedContent {
            kind: ".xls",
            detail: format!("the record at byte {offset} of its Workbook stream runs past its end"),
        };
        let [t0, t1, l0, l1, ..] = *rest else {
            return Some(Err(past_end()));
        };
        let len = usize::from(u16::from_le_bytes([l0, l1]));
        let Some(data) = rest.get(4..4 + len) else {
            return Some(Err(past_end()));
        };
        self.at = offset + 4 + len;
        Some(Ok(Record {
            offset,
            typ: u16::from_le_bytes([t0, t1]),
            data,
        }))
    }
}

fn records(stream: &[u8], at: usize) -> Records<'_> {
    Records { stream, at }
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*data.get(at)?, *data.get(at + 1)?]))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The smallest rectangle holding a set of cells, as `Range::from_sparse` computes it.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Span {
    /// (first row, last row, first column, last column), 0-based; `None` for no cell.
    bounds: Option<(u32, u32, u32, u32)>,
}

impl Span {
    fn include(&mut self, row: u32, column: u32) {
        let (r0, r1, c0, c1) = self.bounds.unwrap_or((row, row, column, column));
        self.bounds = Some((r0.min(row), r1.max(row), c0.min(column), c1.max(column)));
    }

    /// Rows and columns of the rectangle.
    fn size(&self) -> (u64, u64) {
        self.bounds.map_or((0, 0), |(r0, r1, c0, c1)| {
            (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1)
        })
    }

    fn cells(&self) -> u64 {
        let (rows, columns) = self.size();
        rows * columns
    }
}

/// What calamine will allocate for one sheet.
#[derive(Debug, Default, PartialEq)]
struct Extent {
    /// The value cells' rectangle.
    values: Span,
    /// The formula cells' rectangle.
    formulas: Span,
    /// The cells collected before they are laid out (duplicates included).
    collected: u64,
    /// The largest rows x columns a DIMENSIONS record declares (calamine reserves it).
    declared: (u64, u64),
    /// An upper bound on the bytes of shared strings copied into LABELSST cells.
    text: u64,
}

/// Errors: a record past the stream's end, a sheet starting past it, a sheet or the workbook
/// past the caps (see the module header).
pub fn check(stream: &[u8]) -> Result<(), WorkbookError> {
    let globals = read_globals(stream)?;
    let mut total: u64 = 0;
    let mut text: u64 = 0;
    for (position, name) in globals.sheets {
        if position > stream.len() {
            return Err(WorkbookError::DamagedContent {
                kind: ".xls",
                detail: format!("sheet \"{name}\" starts past the end of its Workbook stream"),
            });
        }
        let extent = sheet_extent(stream, position, &globals.strings)?;
        refuse_large(&name, &extent)?;
        text = text.saturating_add(extent.text);
        if text > MAX_TEXT_BYTES as u64 {
            return Err(WorkbookError::TooMuchText {
                limit: MAX_TEXT_BYTES,
            });
        }
        total = total.saturating_add(extent.values.cells() + extent.formulas.cells());
        if total > MAX_BOOK_CELLS as u64 {
            return Err(WorkbookError::BookTooLarge {
                cells: total,
                limit: MAX_BOOK_CELLS,
            });
        }
    }
    Ok(())
}

/// Errors: [`WorkbookError::SheetTooLarge`] when a rectangle calamine lays out or reserves
/// passes [`MAX_CELLS`], [`WorkbookError::TooManyCells`] for more cell records than that.
fn refuse_large(sheet: &str, extent: &Extent) -> Result<(), WorkbookError> {
    let too_large = |(rows, columns): (u64, u64), declared: bool| WorkbookError::SheetTooLarge {
        sheet: sheet.to_string(),
        rows,
        columns,
        limit: MAX_CELLS,
        declared,
    };
    let limit = MAX_CELLS as u64;
    if extent.values.cells() > limit {
        return Err(too_large(extent.values.size(), false));
    }
    if extent.formulas.cells() > limit {
        return Err(too_large(extent.formulas.size(), false));
    }
    if extent.declared.0.saturating_mul(extent.declared.1) > limit {
        return Err(too_large(extent.declared, true));
    }
    if extent.collected > limit {
        return Err(WorkbookError::TooManyCells { limit: MAX_CELLS });
    }
    Ok(())
}

/// What the workbook globals tell about the sheets.
#[derive(Debug, Default)]
struct Globals {
    /// The position and name of every sheet the globals list (calamine lays out every one of
    /// them, whatever its type).
    sheets: Vec<(usize, String)>,
    /// An upper bound on the UTF-8 bytes of each shared string.
    strings: Vec<u64>,
}

/// The globals up to their EOF record. Errors: a record past the stream's end, a BOF or
/// BoundSheet8 record or a shared string table too short for the fields calamine reads without
/// checking (it would panic). When calamine would fail on the shared strings (it then lays out
/// no sheet), no sheet is returned.
fn read_globals(stream: &[u8]) -> Result<Globals, WorkbookError> {
    let too_short = |r: &Record| WorkbookError::DamagedContent {
        kind: ".xls",
        detail: format!(
            "the record at byte {} of its Workbook stream is cut",
            r.offset
        ),
    };
    let mut biff8 = true;
    // UTF-8 bytes per character: 3 for UTF-16 (code page 1200, calamine's default), at most 6
    // for a legacy code page (each byte of a 16-bit unit decoded on its own).
    let mut bytes_per_character = 3;
    let mut globals = Globals::default();
    for record in records(stream, 0) {
        let r = record?;
        if panics_on(r.typ, r.data) {
            return Err(too_short(&r));
        }
        match r.typ {
            BOF => biff8 = is_biff8(r.data).ok_or_else(|| too_short(&r))?,
            CODEPAGE => {
                bytes_per_character = if u16_at(r.data, 0) == Some(1200) {
                    3
                } else {
                    6
                }
            }
            BOUND_SHEET if r.data.len() < 6 => return Err(too_short(&r)),
            BOUND_SHEET => {
                let position = u32_at(r.data, 0).unwrap_or(u32::MAX) as usize;
                globals
                    .sheets
                    .push((position, sheet_name(&r.data[6..], biff8)));
            }
            SST => {
                let pieces = continues(stream, r.offset + 4 + r.data.len());
                match sst::string_lengths(r.data, pieces) {
                    Ok(lengths) => {
                        globals.strings = lengths.iter().map(|n| n * bytes_per_character).collect()
                    }
                    Err(sst::Fault::Error) => return Ok(Globals::default()),
                    Err(sst::Fault::Panic) => return Err(too_short(&r)),
                }
            }
            EOF => break,
            _ => (),
        }
    }
    Ok(globals)
}

/// True for a workbook-globals record too short for the fields calamine reads from it without
/// checking (FILEPASS, CODEPAGE, DATEMODE, EXTERNSHEET: 2 bytes; a defined name (LBL): 14
/// bytes and its formula's length): calamine would panic, which traps the wasm instance.
fn panics_on(typ: u16, data: &[u8]) -> bool {
    match typ {
        0x002F | 0x0042 | 0x0022 | 0x0017 => data.len() < 2,
        0x0018 => data.len() < 14 || usize::from(u16_at(data, 4).unwrap_or(0)) > data.len(),
        _ => false,
    }
}

/// True for a MERGECELLS record (0x00E5) shorter than its count of 8-byte ranges: calamine
/// would read past its end and panic.
fn merge_cells_cut(data: &[u8]) -> bool {
    u16_at(data, 0).is_none_or(|count| data.len() < 2 + 8 * usize::from(count))
}

/// The data of the CONTINUE records calamine attaches to the record ending at byte `at`.
fn continues(stream: &[u8], mut at: usize) -> Vec<&[u8]> {
    let mut pieces = Vec::new();
    while stream.len().saturating_sub(at) > 4 && u16_at(stream, at) == Some(CONTINUE) {
        let len = usize::from(u16_at(stream, at + 2).unwrap_or(0));
        let Some(piece) = stream.get(at + 4..at + 4 + len) else {
            break;
        };
        pieces.push(piece);
        at += 4 + len;
    }
    pieces
}

/// Whether a BOF record opens a BIFF8 stream, as calamine decides; `None` when too short.
fn is_biff8(data: &[u8]) -> Option<bool> {
    let version = u16_at(data, 0)?;
    let kind = u16_at(data, 2).unwrap_or(0);
    Some(match version {
        0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500 => false,
        0 => kind != 0x1000,
        _ => true,
    })
}

/// A sheet's name (a ShortXLUnicodeString), for messages: UTF-16 or Latin-1 in BIFF8, the
/// code page's bytes before (read as Latin-1 here).
fn sheet_name(data: &[u8], biff8: bool) -> String {
    let count = usize::from(data.first().copied().unwrap_or(0));
    let name: String = match (biff8, data.get(1).map(|flags| flags & 1)) {
        (true, Some(1)) => {
            let units = data[2..].chunks_exact(2).take(count);
            char::decode_utf16(units.map(|b| u16::from_le_bytes([b[0], b[1]])))
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect()
        }
        (true, _) => data
            .iter()
            .skip(2)
            .take(count)
            .map(|&b| char::from(b))
            .collect(),
        (false, _) => data
            .iter()
            .skip(1)
            .take(count)
            .map(|&b| char::from(b))
            .collect(),
    };
    name.replace('\0', "")
}

/// The cells calamine collects from the sheet starting at byte `at`, up to the sheet's EOF
/// (substreams nested in it are skipped, as calamine skips them).
fn sheet_extent(stream: &[u8], at: usize, strings: &[u64]) -> Result<Extent, WorkbookError> {
    let mut extent = Extent::default();
    let mut formula_cell = (0, 0);
    let mut seen_bof = false;
    let mut depth = 0usize;
    for record in records(stream, at) {
        let r = record?;
        if depth > 0 {
            match r.typ {
                BOF => depth += 1,
                EOF => depth -= 1,
                _ => (),
            }
            continue;
        }
        match r.typ {
            MERGE_CELLS if merge_cells_cut(r.data) => {
                return Err(WorkbookError::DamagedContent {
                    kind: ".xls",
                    detail: format!(
                        "the record at byte {} of its Workbook stream is cut",
                        r.offset
                    ),
                })
            }
            BOF if seen_bof => depth += 1,
            BOF => seen_bof = true,
            EOF => break,
            DIMENSIONS => {
                if let Some((rows, columns)) = declared_size(r.data) {
                    if rows * columns > extent.declared.0 * extent.declared.1 {
                        extent.declared = (rows, columns);
                    }
                }
            }
            FORMULA if r.data.len() >= 20 => {
                let field = |at| u32::from(u16::from_le_bytes([r.data[at], r.data[at + 1]]));
                formula_cell = (field(0), field(2));
                extent.formulas.include(formula_cell.0, formula_cell.1);
                // A text result comes in the STRING record that follows; calamine places
                // nothing here for it.
                let text_result = r.data[6] == 0 && r.data[12] == 0xFF && r.data[13] == 0xFF;
                if !text_result {
                    extent.values.include(formula_cell.0, formula_cell.1);
                    extent.collected += 1;
                }
            }
            LABELSST => {
                let index = u32_at(r.data, 6).map_or(usize::MAX, |i| i as usize);
                let length = strings.get(index).copied().unwrap_or(0);
                extent.text = extent.text.saturating_add(length);
                cells(&mut extent, r.typ, r.data);
            }
            STRING => {
                extent.values.include(formula_cell.0, formula_cell.1);
                extent.collected += 1;
            }
            _ => cells(&mut extent, r.typ, r.data),
        }
    }
    Ok(extent)
}

/// Adds the cells of a record to the sheet's extent.
fn cells(extent: &mut Extent, typ: u16, data: &[u8]) {
    for (row, column) in cell_positions(typ, data) {
        extent.values.include(row, column);
        extent.collected += 1;
    }
}

/// The cells calamine 0.38 turns a record into (its `parse_workbook`; re-check this list when
/// calamine is upgraded): NUMBER, LABEL, RSTRING, BOOLERR, RK and LABELSST hold one cell, MULRK
/// a run of cells in one row. BLANK (0x0201) and MULBLANK (0x00BE) are not read by calamine
/// (empty cells), so they do not widen its grid and are not counted.
fn cell_positions(typ: u16, data: &[u8]) -> impl Iterator<Item = (u32, u32)> {
    const NUMBER: u16 = 0x0203;
    const LABEL: u16 = 0x0204;
    const RSTRING: u16 = 0x00D6;
    const BOOLERR: u16 = 0x0205;
    const RK: u16 = 0x027E;
    let row = u16_at(data, 0).map(u32::from);
    let first = u16_at(data, 2).map(u32::from);
    let (row, first, count) = match (typ, row, first) {
        (NUMBER | LABEL | RSTRING | BOOLERR | RK | LABELSST, Some(r), Some(c)) => (r, c, 1),
        (MULRK, Some(r), Some(c)) => (r, c, mulrk_count(data)),
        _ => (0, 0, 0),
    };
    (first..first + count).map(move |column| (row, column))
}

/// The number of cells of a MULRK record (6 bytes each between the row and first column and
/// the last column), 0 when calamine would refuse its length. calamine counts the columns in
/// 16-bit arithmetic, which wraps in a release build.
fn mulrk_count(data: &[u8]) -> u32 {
    let (Some(first), Some(last)) = (u16_at(data, 2), data.len().checked_sub(2)) else {
        return 0;
    };
    let last = u16_at(data, last).unwrap_or(0);
    let count = last.wrapping_sub(first).wrapping_add(1);
    if data.len() >= 6 && data.len() == 6 + 6 * usize::from(count) {
        u32::from(count)
    } else {
        0
    }
}

/// The rows x columns calamine reserves for a DIMENSIONS record (10 bytes in BIFF5, 14 or 16
/// in BIFF8), in its 32-bit arithmetic (a last row before the first wraps to about 2^32 rows);
/// `None` for another length (calamine refuses it).
fn declared_size(data: &[u8]) -> Option<(u64, u64)> {
    let (first_row, last_row, first_column, last_column) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0)?),
            u32::from(u16_at(data, 2)?),
            u32::from(u16_at(data, 4)?),
            u32::from(u16_at(data, 6)?),
        ),
        14 | 16 => (
            u32_at(data, 0)?,
            u32_at(data, 4)?,
            u32::from(u16_at(data, 8)?),
            u32::from(u16_at(data, 10)?),
        ),
        _ => return None,
    };
    // calamine: a first column past 0xFF or after the last is read as 0.
    let first_column = if first_column > 0xFF || last_column < first_column {
        0
    } else {
        first_column
    };
    if last_row < 1 || last_column < 1 {
        return Some((1, 1));
    }
    let span = |first: u32, last: u32| u64::from((last - 1).wrapping_sub(first).wrapping_add(1));
    Some((span(first_row, last_row), span(first_column, last_column)))
}

#[cfg(test)]
mod tests;
