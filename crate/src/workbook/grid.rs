//! The non-empty cells of a sheet -> a [`CellTable`]: the first non-empty row is the header,
//! the columns span from the leftmost to the rightmost non-empty cell, every later non-empty
//! row is a data row (empty rows are skipped, as blank lines in a CSV file are).

use super::limits::{MAX_CELLS, MAX_TEXT_BYTES};
use super::WorkbookError;
use crate::frame::{format_number, Cell, CellTable, SourceColumn};
use std::collections::HashMap;

/// The cells of one sheet as they are read, with the bound on their number.
#[derive(Debug, Default)]
pub struct Grid {
    /// (row, column, value) of each non-empty cell, 0-based, in any order.
    cells: Vec<(u32, u32, Cell)>,
    /// Merged regions of the sheet ((first row, first column), (last row, last column)).
    pub merged: Vec<((u32, u32), (u32, u32))>,
    /// Cells holding an error value, read as missing.
    pub error_cells: usize,
    /// Bytes of text in `cells`: a shared string is copied into every cell that refers to it,
    /// so a few bytes of sheet can ask for a long string many times.
    text_bytes: usize,
}

/// Excel's name of a column: 0 -> A, 25 -> Z, 26 -> AA.
pub fn column_letters(column: u32) -> String {
    let mut n = u64::from(column) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// `C7` for row 6, column 2 (0-based).
pub fn cell_name(row: u32, column: u32) -> String {
    format!("{}{}", column_letters(column), u64::from(row) + 1)
}

impl Grid {
    /// Adds one cell; empty cells are not stored. Errors: more than [`MAX_CELLS`] cells or
    /// [`MAX_TEXT_BYTES`] of text.
    pub fn push(&mut self, row: u32, column: u32, cell: Cell) -> Result<(), WorkbookError> {
        if cell == Cell::Missing {
            return Ok(());
        }
        if self.cells.len() >= MAX_CELLS {
            return Err(WorkbookError::TooManyCells { limit: MAX_CELLS });
        }
        if let Cell::Text(text) = &cell {
            self.text_bytes = self.text_bytes.saturating_add(text.len());
            if self.text_bytes > MAX_TEXT_BYTES {
                return Err(WorkbookError::TooMuchText {
                    limit: MAX_TEXT_BYTES,
                });
            }
        }
        self.cells.push((row, column, cell));
        Ok(())
    }

    /// The table of the sheet called `sheet`. Errors: no cells, a header without data rows, an
    /// empty or merged header cell, a header name twice, more than [`MAX_CELLS`] cells in the
    /// data's rectangle.
    pub fn into_table(mut self, sheet: &str) -> Result<CellTable, WorkbookError> {
        self.cells.sort_by_key(|&(row, column, _)| (row, column));
        let Some(&(header_row, _, _)) = self.cells.first() else {
            return Err(WorkbookError::EmptySheet {
                sheet: sheet.to_string(),
            });
        };
        let first = self.cells.iter().map(|c| c.1).min().unwrap_or(0);
        let last = self.cells.iter().map(|c| c.1).max().unwrap_or(0);
        let width = (last - first + 1) as usize;
        let header_end = self.cells.partition_point(|c| c.0 == header_row);
        let mut rows: Vec<u32> = self.cells[header_end..].iter().map(|c| c.0).collect();
        rows.dedup();
        if rows.is_empty() {
            return Err(WorkbookError::NoData {
                sheet: sheet.to_string(),
                row: header_row + 1,
            });
        }
        if width.saturating_mul(rows.len()) > MAX_CELLS {
            return Err(WorkbookError::TooManyCells { limit: MAX_CELLS });
        }
        let names = self.header(sheet, header_row, first, last, header_end)?;
        let mut columns = vec![vec![Cell::Missing; rows.len()]; width];
        let mut row_index = 0;
        for (row, column, cell) in self.cells.drain(header_end..) {
            while rows.get(row_index).is_some_and(|&r| r < row) {
                row_index += 1;
            }
            if let Some(slot) = columns
                .get_mut((column - first) as usize)
                .and_then(|c| c.get_mut(row_index))
            {
                *slot = cell;
            }
        }
        Ok(CellTable {
            names,
            columns: columns.into_iter().map(SourceColumn::Cells).collect(),
            row_lines: rows.iter().map(|&r| r.saturating_add(1)).collect(),
        })
    }

    /// The header names of columns `first..=last` from the cells of `row` (the first
    /// `header_end` sorted cells).
    fn header(
        &self,
        sheet: &str,
        row: u32,
        first: u32,
        last: u32,
        header_end: usize,
    ) -> Result<Vec<String>, WorkbookError> {
        // Sorted by column: one pass, and a map for the names seen (a crafted sheet may be
        // millions of columns wide).
        let mut header = self.cells[..header_end].iter().peekable();
        let mut names: Vec<String> = Vec::with_capacity((last - first + 1) as usize);
        let mut seen: HashMap<String, u32> = HashMap::new();
        for column in first..=last {
            let text = header.next_if(|c| c.1 == column).map(|c| match &c.2 {
                Cell::Text(t) => t.trim().to_string(),
                Cell::Number(v) => format_number(*v),
                Cell::Missing => String::new(),
            });
            let cell = cell_name(row, column);
            let name = text.filter(|t| !t.is_empty()).ok_or_else(|| {
                let merged = self.merged.iter().any(|&((r0, c0), (r1, c1))| {
                    (r0..=r1).contains(&row) && (c0..=c1).contains(&column)
                });
                WorkbookError::EmptyHeader {
                    sheet: sheet.to_string(),
                    cell: cell.clone(),
                    merged,
                }
            })?;
            if let Some(&earlier) = seen.get(&name) {
                return Err(WorkbookError::DuplicateHeader {
                    sheet: sheet.to_string(),
                    name,
                    first: cell_name(row, earlier),
                    second: cell,
                });
            }
            seen.insert(name.clone(), column);
            names.push(name);
        }
        Ok(names)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

    use super::*;

    fn grid(cells: &[(u32, u32, Cell)]) -> Grid {
        let mut grid = Grid::default();
        for (r, c, cell) in cells {
            grid.push(*r, *c, cell.clone()).unwrap();
        }
        grid
    }

    #[test]
    fn letters() {
        let names: Vec<String> = [0, 25, 26, 701, 702, 16383]
            .iter()
            .map(|&c| column_letters(c))
            .collect();
        assert_eq!(names, ["A", "Z", "AA", "ZZ", "AAA", "XFD"]);
        assert_eq!(cell_name(6, 2), "C7");
    }

    #[test]
    fn header_below_and_right_of_a1_and_gaps() {
        let t = |s: &str| Cell::Text(s.to_string());
        let g = grid(&[
            (4, 3, Cell::Number(1.0)),
            (2, 1, t("id")),
            (2, 3, t("y")),
            (2, 2, t("week")),
            (3, 1, t("a")),
            (6, 2, Cell::Number(2.0)),
        ]);
        let table = g.into_table("S").unwrap();
        assert_eq!(table.names, ["id", "week", "y"]);
        assert_eq!(table.row_lines.iter().collect::<Vec<_>>(), [4, 5, 7]);
        let SourceColumn::Cells(y) = &table.columns[2] else {
            panic!("cells")
        };
        assert_eq!(y, &[Cell::Missing, Cell::Number(1.0), Cell::Missing]);
    }

    #[test]
    fn header_errors_name_the_cell() {
        let t = |s: &str| Cell::Text(s.to_string());
        let e = grid(&[(0, 0, t("id")), (0, 2, t("y")), (1, 1, Cell::Number(1.0))])
            .into_table("S")
            .unwrap_err();
        assert!(e.to_string().contains("cell B1"), "{e}");
        let mut merged = grid(&[(0, 0, t("id")), (0, 2, t("y")), (1, 1, Cell::Number(1.0))]);
        merged.merged.push(((0, 0), (0, 1)));
        let e = merged.into_table("S").unwrap_err();
        assert!(e.to_string().contains("merged"), "{e}");
        let e = grid(&[(0, 0, t("id"))]).into_table("S").unwrap_err();
        assert!(e.to_string().contains("no data rows"), "{e}");
        let e = grid(&[]).into_table("S").unwrap_err();
        assert!(e.to_string().contains("empty"), "{e}");
        // A long shared string in every cell.
        let mut long = Grid::default();
        let text = Cell::Text("x".repeat(1 << 20));
        let e = (0..300).try_for_each(|r| long.push(r, 0, text.clone()));
        assert!(matches!(e, Err(WorkbookError::TooMuchText { .. })), "{e:?}");
        // A crafted far cell: the rectangle is refused before it is allocated.
        let e = grid(&[(0, 0, t("id")), (1, 3_000_000_000, Cell::Number(1.0))])
            .into_table("S")
            .unwrap_err();
        assert!(matches!(e, WorkbookError::TooManyCells { .. }), "{e}");
        let e = grid(&[(0, 0, t("a")), (0, 1, t("a")), (1, 0, t("x"))])
            .into_table("S")
            .unwrap_err();
        assert!(e.to_string().contains("A1 and B1"), "{e}");
    }
}
