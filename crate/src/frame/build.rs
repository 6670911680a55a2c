//! Typing the columns while the CSV streams past ([`FrameBuilder`]), so that the frame never
//! holds the file's text: a column stays a `Vec<f64>` while every cell reads as a number and
//! becomes a factor (codes into interned levels) at its first cell that does not.
//!
//! The result is the same as typing the whole text column at once: the cells seen before the
//! switch are written again from their values and [`Style`]s (or kept verbatim when their
//! spelling would not survive formatting), and levels are sorted into R's order at the end.

use super::cells::{compare_levels, parse_number, trim, Missing};
use super::number::{read_number, write_plain, Style, STYLE_MISSING, STYLE_VERBATIM};
use super::{Column, DataError, Frame, ReadOptions, TextColumn, MISSING_CODE};
use crate::csv::{reserve_total, CsvReader, Record, RowSink};
use std::collections::{HashMap, TryReserveError};

/// Reads a CSV file fed in chunks into a [`Frame`]: [`FrameBuilder::push`] each chunk, then
/// [`FrameBuilder::finish`]. Only the typed columns and the unfinished last record are held.
#[derive(Debug)]
pub struct FrameBuilder {
    reader: CsvReader,
    columns: Columns,
    /// The file's size, when the caller knows it ([`FrameBuilder::expect_bytes`]).
    sizing: Option<Sizing>,
}

/// What the columns are sized by: the file's size and the rows made room for so far.
#[derive(Debug)]
struct Sizing {
    total: u64,
    reserved: usize,
}

/// Rows (or bytes) to see before estimating the bytes per row from them.
const ESTIMATE_AFTER_ROWS: usize = 64;
const ESTIMATE_AFTER_BYTES: u64 = 1 << 16;

impl FrameBuilder {
    /// A builder reading with `options`.
    pub fn new(options: &ReadOptions) -> FrameBuilder {
        FrameBuilder {
            reader: CsvReader::new(&options.csv),
            columns: Columns {
                missing: Missing::new(&options.na),
                decimal_comma: false,
                columns: Vec::new(),
            },
            sizing: None,
        }
    }

    /// Tells the builder that the whole file is `total` bytes long. Once the first rows show
    /// how many bytes a row takes, every column (and the line numbers) is given room for the
    /// rows expected, with a little to spare, instead of growing by doubling: in wasm each
    /// doubling of a large column copies it and leaves the old block behind as a hole, so
    /// without the hint reading takes about 1.4 times the memory of the data it keeps. A wrong
    /// size changes only the memory used, never the frame.
    pub fn expect_bytes(&mut self, total: u64) {
        self.sizing = Some(Sizing { total, reserved: 0 });
    }

    /// Reads the next chunk of the file (any size; records may span chunks).
    pub fn push(&mut self, chunk: &[u8]) {
        self.reader.push(chunk, &mut self.columns);
        self.reserve();
    }

    /// Makes room for the rows the file is expected to hold (see [`FrameBuilder::expect_bytes`])
    /// when the room left would not take the rest of the file.
    fn reserve(&mut self) {
        let Some(sizing) = &mut self.sizing else {
            return;
        };
        let (rows, bytes) = (self.reader.rows_read(), self.reader.bytes_read());
        if bytes > sizing.total {
            // The file is longer than the caller said: ordinary growth from here on.
            self.sizing = None;
            return;
        }
        if rows == 0 || (rows < ESTIMATE_AFTER_ROWS && bytes < ESTIMATE_AFTER_BYTES) {
            return;
        }
        // The bytes read include the header and a part of the next row, so this slightly
        // overestimates the bytes per row. The spare (2%, more when the room has to grow
        // again: rows grew longer further down) is given back in `finish`.
        let per_row = bytes as f64 / rows as f64;
        let rest = ((sizing.total - bytes) as f64 / per_row) as usize;
        if sizing.reserved >= rows.saturating_add(rest) {
            return;
        }
        let spare = (rest / 50 + ESTIMATE_AFTER_ROWS).max(sizing.reserved / 8);
        let target = rows.saturating_add(rest).saturating_add(spare);
        match self.columns.reserve_rows(target) {
            Ok(()) => sizing.reserved = target,
            // Far more than memory holds (a wrong size): let the columns grow as they fill.
            Err(_) => self.sizing = None,
        }
    }

    /// The frame. Errors: any [`crate::csv::CsvError`] (wrapped), and
    /// [`DataError::InfiniteValue`] for `Inf` in an otherwise numeric column.
    pub fn finish(mut self) -> Result<Frame, DataError> {
        let shape = self.reader.finish(&mut self.columns)?;
        let mut decimal_comma = false;
        let mut columns = Vec::with_capacity(self.columns.columns.len());
        for (column, name) in self.columns.columns.into_iter().zip(&shape.names) {
            match column {
                ColumnBuilder::Numeric(numeric) => {
                    if let Some((row, value)) = numeric.first_infinite {
                        return Err(DataError::InfiniteValue {
                            column: name.clone(),
                            line: shape.row_lines.get(row).unwrap_or(0),
                            value,
                        });
                    }
                    decimal_comma |= numeric.used_comma;
                    let mut values = numeric.values;
                    values.shrink_to_fit();
                    columns.push(Column::Numeric(values));
                }
                ColumnBuilder::Text(text) => columns.push(Column::Text(text.finish())),
            }
        }
        let row_lines = shape.row_lines;
        Ok(Frame {
            names: shape.names,
            columns,
            row_lines,
            delimiter: shape.delimiter,
            decimal_comma,
        })
    }
}

/// The columns being typed, and the rules they are typed by.
#[derive(Debug)]
struct Columns {
    missing: Missing,
    /// Whether `1,5` may be read as 1.5 (semicolon files); set with the header.
    decimal_comma: bool,
    columns: Vec<ColumnBuilder>,
}

impl Columns {
    /// Makes room for `rows` rows in all in every column.
    fn reserve_rows(&mut self, rows: usize) -> Result<(), TryReserveError> {
        for column in &mut self.columns {
            match column {
                ColumnBuilder::Numeric(numeric) => {
                    reserve_total(&mut numeric.values, rows)?;
                    if numeric.mixed_styles {
                        reserve_total(&mut numeric.styles, rows)?;
                    }
                }
                ColumnBuilder::Text(text) => reserve_total(&mut text.codes, rows)?,
            }
        }
        Ok(())
    }
}

impl RowSink for Columns {
    fn header(&mut self, names: &[String], delimiter: u8) {
        self.decimal_comma = delimiter == b';';
        self.columns = names
            .iter()
            .map(|_| ColumnBuilder::Numeric(NumericBuilder::default()))
            .collect();
    }

    fn row(&mut self, record: &Record<'_>) {
        for (i, column) in self.columns.iter_mut().enumerate() {
            column.push(trim(record.get(i)), &self.missing, self.decimal_comma);
        }
    }
}

#[derive(Debug)]
enum ColumnBuilder {
    Numeric(NumericBuilder),
    Text(TextBuilder),
}

/// A column in which every cell so far was a number or missing.
#[derive(Debug, Default)]
struct NumericBuilder {
    values: Vec<f64>,
    /// The [`Style`] of each cell, once two present cells differ in style (or a present
    /// cell reads as NaN); until then empty, and a cell's style is [`STYLE_MISSING`] for NaN
    /// and `common_style` otherwise. Most columns write every number alike (`1`, `2`, ... or
    /// four decimals), so this saves a byte a cell while the file streams past.
    styles: Vec<Style>,
    mixed_styles: bool,
    common_style: Option<Style>,
    /// Texts of the cells with [`STYLE_VERBATIM`], back to back, and their end offsets.
    verbatim: String,
    verbatim_ends: Vec<usize>,
    used_comma: bool,
    first_infinite: Option<(usize, String)>,
}

impl ColumnBuilder {
    /// Adds one trimmed cell.
    fn push(&mut self, cell: &str, missing: &Missing, decimal_comma: bool) {
        let numeric = match self {
            ColumnBuilder::Text(text) => return text.push(cell, missing, decimal_comma),
            ColumnBuilder::Numeric(numeric) => numeric,
        };
        if missing.is_missing_text(cell) {
            numeric.push(f64::NAN, STYLE_MISSING);
            return;
        }
        match read_number(cell, decimal_comma) {
            Some((v, _, _)) if missing.is_missing_number(v) => {
                numeric.push(f64::NAN, STYLE_MISSING);
            }
            Some((v, style, comma)) => {
                numeric.used_comma |= comma;
                if v.is_infinite() && numeric.first_infinite.is_none() {
                    numeric.first_infinite = Some((numeric.values.len(), cell.to_string()));
                }
                if style == STYLE_VERBATIM {
                    numeric.verbatim.push_str(cell);
                    numeric.verbatim_ends.push(numeric.verbatim.len());
                }
                numeric.push(v, style);
            }
            None => {
                let mut text = TextBuilder::from_numeric(std::mem::take(numeric));
                text.push(cell, missing, decimal_comma);
                *self = ColumnBuilder::Text(text);
            }
        }
    }
}

impl NumericBuilder {
    /// Adds a value written in `style` ([`STYLE_MISSING`] for a missing cell).
    fn push(&mut self, value: f64, style: Style) {
        if !self.mixed_styles && style != STYLE_MISSING {
            let common = *self.common_style.get_or_insert(style);
            if common != style || value.is_nan() {
                self.mix_styles();
            }
        }
        self.values.push(value);
        if self.mixed_styles {
            self.styles.push(style);
        }
    }

    /// Writes out the style of every cell so far, as from here on they differ.
    fn mix_styles(&mut self) {
        let mut styles = Vec::with_capacity(self.values.capacity());
        styles.extend((0..self.values.len()).map(|row| self.style(row)));
        self.styles = styles;
        self.mixed_styles = true;
    }

    /// The style of the cell in `row`.
    fn style(&self, row: usize) -> Style {
        match (self.mixed_styles, self.values.get(row)) {
            (true, _) => self.styles.get(row).copied().unwrap_or(STYLE_MISSING),
            (false, Some(v)) if !v.is_nan() => self.common_style.unwrap_or(STYLE_MISSING),
            _ => STYLE_MISSING,
        }
    }
}

/// A factor being built: codes in order of first appearance, re-sorted at the end.
#[derive(Debug, Default)]
struct TextBuilder {
    codes: Vec<u32>,
    index: HashMap<String, u32>,
    /// The last non-missing cell and its code: panel files repeat the id (and often the group)
    /// on consecutive rows, and comparing is cheaper than hashing.
    last: Option<(String, u32)>,
}

impl TextBuilder {
    /// The factor of the cells typed so far as numbers, written again as text.
    fn from_numeric(numeric: NumericBuilder) -> TextBuilder {
        let mut text = TextBuilder {
            codes: Vec::with_capacity(numeric.values.capacity()),
            ..TextBuilder::default()
        };
        let mut verbatim_start = 0;
        let mut verbatim_ends = numeric.verbatim_ends.iter();
        let mut cell = String::new();
        for (row, &value) in numeric.values.iter().enumerate() {
            let style = numeric.style(row);
            if style == STYLE_MISSING {
                text.codes.push(MISSING_CODE);
                continue;
            }
            if style == STYLE_VERBATIM {
                let end = verbatim_ends.next().copied().unwrap_or(verbatim_start);
                cell.clear();
                cell.push_str(numeric.verbatim.get(verbatim_start..end).unwrap_or(""));
                verbatim_start = end;
            } else {
                write_plain(value, style, &mut cell);
            }
            // Known not missing: the numeric typing already checked.
            text.push_present(&cell);
        }
        text
    }

    /// Adds one trimmed cell.
    fn push(&mut self, cell: &str, missing: &Missing, decimal_comma: bool) {
        let is_missing = missing.is_missing_text(cell)
            || (missing.has_numbers()
                && parse_number(cell, decimal_comma)
                    .is_some_and(|(v, _)| missing.is_missing_number(v)));
        if is_missing {
            self.codes.push(MISSING_CODE);
        } else {
            self.push_present(cell);
        }
    }

    fn push_present(&mut self, cell: &str) {
        if let Some((last_cell, last_code)) = &self.last {
            if last_cell == cell {
                self.codes.push(*last_code);
                return;
            }
        }
        let code = match self.index.get(cell) {
            Some(&code) => code,
            None => {
                // A column has fewer than 2^32 - 1 distinct cells: rows are counted in u32 lines.
                let code = u32::try_from(self.index.len()).unwrap_or(MISSING_CODE - 1);
                self.index.insert(cell.to_string(), code);
                code
            }
        };
        match &mut self.last {
            Some((last_cell, last_code)) => {
                last_cell.clear();
                last_cell.push_str(cell);
                *last_code = code;
            }
            None => self.last = Some((cell.to_string(), code)),
        }
        self.codes.push(code);
    }

    /// Levels in R's order and the codes remapped to them.
    fn finish(self) -> TextColumn {
        let mut first_seen = vec![String::new(); self.index.len()];
        for (level, code) in self.index {
            if let Some(slot) = first_seen.get_mut(code as usize) {
                *slot = level;
            }
        }
        let mut order: Vec<usize> = (0..first_seen.len()).collect();
        order.sort_by(|&a, &b| compare_levels(&first_seen[a], &first_seen[b]));
        let mut new_code = vec![0u32; first_seen.len()];
        for (rank, &old) in order.iter().enumerate() {
            new_code[old] = u32::try_from(rank).unwrap_or(MISSING_CODE - 1);
        }
        let mut codes = self.codes;
        for code in codes.iter_mut().filter(|c| **c != MISSING_CODE) {
            *code = new_code
                .get(*code as usize)
                .copied()
                .unwrap_or(MISSING_CODE);
        }
        codes.shrink_to_fit();
        let mut levels: Vec<Option<String>> = first_seen.into_iter().map(Some).collect();
        TextColumn {
            codes,
            levels: order
                .iter()
                .map(|&i| levels.get_mut(i).and_then(Option::take).unwrap_or_default())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests;
