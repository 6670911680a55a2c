//! A [`CellTable`] as bytes and back, without loss: the page reads workbooks and SPSS files in a
//! second wasm module, loaded only when such a file is opened (the readers more than double the
//! main module), and hands the typed cells to the main module in this form. Numbers travel as
//! their IEEE bits, never as text.
//!
//! Layout (little-endian): `LGXT`, version u32 = 1, columns u32, rows u32, the rows' line
//! numbers (u32 each), then per column its name and either `0` and one tagged cell per row
//! (0 missing, 1 number f64, 2 text) or `1`, the levels and one u32 code per row (a factor).
//! Texts are a u32 length and UTF-8 bytes.

use super::{Cell, CellTable, SourceColumn, TextColumn};
use std::fmt;

const MAGIC: &[u8; 4] = b"LGXT";
const VERSION: u32 = 1;

/// The bytes are not a table written by [`encode_table`] (a bug, or a mismatch of the two
/// modules' versions).
#[derive(Debug, Clone, PartialEq)]
pub struct TransferError {
    /// Where decoding stopped.
    pub offset: usize,
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the file reader's table is damaged at byte {} (are both parts of the page the same \
             version? reload the page)",
            self.offset
        )
    }
}

impl std::error::Error for TransferError {}

/// Writes `table` as bytes.
pub fn encode_table(table: &CellTable) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    let u32_of = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let rows = table.row_lines.len();
    for n in [VERSION, u32_of(table.names.len()), u32_of(rows)] {
        out.extend_from_slice(&n.to_le_bytes());
    }
    for line in table.row_lines.iter() {
        out.extend_from_slice(&line.to_le_bytes());
    }
    for (name, column) in table.names.iter().zip(&table.columns) {
        put_text(&mut out, name);
        match column {
            SourceColumn::Cells(cells) => {
                out.push(0);
                for cell in cells {
                    match cell {
                        Cell::Missing => out.push(0),
                        Cell::Number(v) => {
                            out.push(1);
                            out.extend_from_slice(&v.to_le_bytes());
                        }
                        Cell::Text(t) => {
                            out.push(2);
                            put_text(&mut out, t);
                        }
                    }
                }
            }
            SourceColumn::Factor(factor) => {
                out.push(1);
                out.extend_from_slice(&u32_of(factor.levels.len()).to_le_bytes());
                for level in &factor.levels {
                    put_text(&mut out, level);
                }
                for code in &factor.codes {
                    out.extend_from_slice(&code.to_le_bytes());
                }
            }
        }
    }
    out
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(&u32::try_from(text.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
}

/// Reads bytes written by [`encode_table`]. Errors: [`TransferError`] where they stop making
/// sense (counts are checked against the bytes left before anything is allocated).
pub fn decode_table(bytes: &[u8]) -> Result<CellTable, TransferError> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(4)? != MAGIC || r.u32()? != VERSION {
        return Err(TransferError { offset: 0 });
    }
    let columns = r.count(5)?;
    let rows = r.count(4)?;
    let mut row_lines = crate::csv::RowLines::default();
    for _ in 0..rows {
        row_lines.push(r.u32()?);
    }
    let mut table = CellTable {
        names: Vec::with_capacity(columns),
        columns: Vec::with_capacity(columns),
        row_lines,
    };
    for _ in 0..columns {
        table.names.push(r.text()?);
        let column = match r.take(1)?.first() {
            Some(0) => SourceColumn::Cells(r.cells(rows)?),
            Some(1) => {
                let n = r.count(4)?;
                let levels = (0..n).map(|_| r.text()).collect::<Result<_, _>>()?;
                r.check(rows, 4)?;
                let codes = (0..rows).map(|_| r.u32()).collect::<Result<_, _>>()?;
                SourceColumn::Factor(TextColumn { codes, levels })
            }
            _ => return Err(TransferError { offset: r.at }),
        };
        table.columns.push(column);
    }
    Ok(table)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], TransferError> {
        let error = TransferError { offset: self.at };
        let end = self.at.checked_add(n).ok_or(error.clone())?;
        let slice = self.bytes.get(self.at..end).ok_or(error)?;
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, TransferError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Errors unless `n` items of at least `unit` bytes fit in the bytes left.
    fn check(&self, n: usize, unit: usize) -> Result<(), TransferError> {
        if n.saturating_mul(unit) > self.bytes.len() - self.at {
            return Err(TransferError { offset: self.at });
        }
        Ok(())
    }

    /// A count of items of at least `unit` bytes each.
    fn count(&mut self, unit: usize) -> Result<usize, TransferError> {
        let n = self.u32()? as usize;
        self.check(n, unit)?;
        Ok(n)
    }

    fn text(&mut self) -> Result<String, TransferError> {
        let n = self.count(1)?;
        let at = self.at;
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| TransferError { offset: at })
    }

    fn cells(&mut self, rows: usize) -> Result<Vec<Cell>, TransferError> {
        self.check(rows, 1)?;
        let mut cells = Vec::with_capacity(rows);
        for _ in 0..rows {
            let cell = match self.take(1)?.first() {
                Some(0) => Cell::Missing,
                Some(1) => {
                    let b = self.take(8)?;
                    let mut a = [0u8; 8];
                    a.copy_from_slice(b);
                    Cell::Number(f64::from_le_bytes(a))
                }
                Some(2) => Cell::Text(self.text()?),
                _ => return Err(TransferError { offset: self.at }),
            };
            cells.push(cell);
        }
        Ok(cells)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

    use super::*;

    #[test]
    fn tables_round_trip_bit_for_bit() {
        let table = CellTable {
            names: vec!["x".into(), "g".into()],
            columns: vec![
                SourceColumn::Cells(vec![
                    Cell::Number(0.1 + 0.2),
                    Cell::Missing,
                    Cell::Text("Grüße".into()),
                ]),
                SourceColumn::Factor(TextColumn {
                    codes: vec![1, super::super::MISSING_CODE, 0],
                    levels: vec!["b".into(), "a".into()],
                }),
            ],
            row_lines: [2, 3, 7].into_iter().collect(),
        };
        let bytes = encode_table(&table);
        let back = decode_table(&bytes).unwrap();
        assert_eq!(back.names, table.names);
        assert_eq!(back.columns, table.columns);
        assert_eq!(back.row_lines, table.row_lines);
        for end in 0..bytes.len() {
            assert!(decode_table(&bytes[..end]).is_err(), "cut at {end}");
        }
        let mut huge = bytes.clone();
        huge[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode_table(&huge).is_err());
    }
}
