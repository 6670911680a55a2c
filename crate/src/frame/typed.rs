//! Typing a table whose cells already carry a type ([`CellTable`]): spreadsheets and SPSS files
//! hold numbers as numbers, so they reach the frame without a round trip through text.
//!
//! The rules are the CSV reader's, so that the same data give the same frame whatever the file
//! format: a column is numeric when every present cell is a number (a text cell that reads as
//! a number counts, as it would in a CSV file); otherwise it is a factor whose levels are sorted
//! as R sorts strings, the numbers in it written as [`format_number`] writes them (`3`, `2.5`).
//! Missing: [`Cell::Missing`], NaN, and text or numbers matching the missing-value rule of
//! [`ReadOptions::na`] (`NA`, `.`, the user's codes).

use super::cells::{compare_levels, parse_number, trim, Missing};
use super::{format_number, Column, DataError, Frame, ReadOptions, TextColumn, MISSING_CODE};
use crate::csv::RowLines;
use std::collections::HashMap;

/// One cell as a spreadsheet or statistics file stores it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// An empty cell (or SPSS's system-missing value).
    Missing,
    /// A number, exactly as stored.
    Number(f64),
    /// Text (trimmed when typed).
    Text(String),
}

/// A column handed over by a reader that knows more than the cells: either plain cells, typed
/// by the CSV rules, or an already-built factor (SPSS value labels, levels ordered by code).
#[derive(Debug, Clone, PartialEq)]
pub enum SourceColumn {
    /// Cells to type as a CSV column would be typed.
    Cells(Vec<Cell>),
    /// A factor built by the reader; its level order is kept (not re-sorted).
    Factor(TextColumn),
}

/// Named columns of typed cells with the row number of each row in the source (for messages:
/// a spreadsheet's row number, or the line the row would have in a CSV export).
#[derive(Debug, Clone)]
pub struct CellTable {
    /// Column names, unique and non-empty (the reader checks).
    pub names: Vec<String>,
    /// One column per name, all of the same length.
    pub columns: Vec<SourceColumn>,
    /// Row number in the source of each row.
    pub row_lines: RowLines,
}

impl Frame {
    /// Types a [`CellTable`]. Errors: [`DataError::InfiniteValue`] for an infinite number in an
    /// otherwise numeric column.
    pub fn from_cells(table: CellTable, options: &ReadOptions) -> Result<Frame, DataError> {
        let missing = Missing::new(&options.na);
        let mut columns = Vec::with_capacity(table.columns.len());
        for (column, name) in table.columns.into_iter().zip(&table.names) {
            columns.push(match column {
                SourceColumn::Factor(factor) => Column::Text(factor),
                SourceColumn::Cells(cells) => {
                    type_cells(&cells, &missing).map_err(|(row, value)| {
                        DataError::InfiniteValue {
                            column: name.clone(),
                            line: table.row_lines.get(row).unwrap_or(0),
                            value,
                        }
                    })?
                }
            });
        }
        Ok(Frame {
            names: table.names,
            columns,
            row_lines: table.row_lines,
            delimiter: b',',
            decimal_comma: false,
        })
    }
}

/// A cell as a number, missing (`Some(NaN)`), or `None` when it is text that is not a number.
fn as_number(cell: &Cell, missing: &Missing) -> Option<f64> {
    match cell {
        Cell::Missing => Some(f64::NAN),
        Cell::Number(v) if v.is_nan() || missing.is_missing_number(*v) => Some(f64::NAN),
        Cell::Number(v) => Some(*v),
        Cell::Text(text) => {
            let text = trim(text);
            if missing.is_missing_text(text) {
                return Some(f64::NAN);
            }
            let (v, _) = parse_number(text, false)?;
            Some(if missing.is_missing_number(v) {
                f64::NAN
            } else {
                v
            })
        }
    }
}

/// The typed column, or the row and text of the first infinite value of a numeric column.
fn type_cells(cells: &[Cell], missing: &Missing) -> Result<Column, (usize, String)> {
    let mut values = Vec::with_capacity(cells.len());
    for cell in cells {
        match as_number(cell, missing) {
            Some(v) => values.push(v),
            None => return Ok(Column::Text(factor(cells, missing))),
        }
    }
    if let Some(row) = values.iter().position(|v| v.is_infinite()) {
        let text = match cells.get(row) {
            Some(Cell::Text(t)) => t.trim().to_string(),
            _ => format_number(values[row]),
        };
        return Err((row, text));
    }
    Ok(Column::Numeric(values))
}

/// The cells as a factor, levels in R's order.
fn factor(cells: &[Cell], missing: &Missing) -> TextColumn {
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut codes = Vec::with_capacity(cells.len());
    for cell in cells {
        let text = match cell {
            Cell::Text(t) if !missing.is_missing_text(trim(t)) => trim(t).to_string(),
            Cell::Number(v) if !v.is_nan() && !missing.is_missing_number(*v) => format_number(*v),
            _ => {
                codes.push(MISSING_CODE);
                continue;
            }
        };
        let next = u32::try_from(index.len()).unwrap_or(MISSING_CODE - 1);
        codes.push(*index.entry(text).or_insert(next));
    }
    let mut levels: Vec<(String, u32)> = index.into_iter().collect();
    levels.sort_by(|a, b| compare_levels(&a.0, &b.0));
    let mut new_code = vec![MISSING_CODE; levels.len()];
    for (rank, (_, old)) in levels.iter().enumerate() {
        if let Some(slot) = new_code.get_mut(*old as usize) {
            *slot = u32::try_from(rank).unwrap_or(MISSING_CODE - 1);
        }
    }
    for code in codes.iter_mut().filter(|c| **c != MISSING_CODE) {
        *code = new_code
            .get(*code as usize)
            .copied()
            .unwrap_or(MISSING_CODE);
    }
    TextColumn {
        codes,
        levels: levels.into_iter().map(|(level, _)| level).collect(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

    use super::*;

    fn table(columns: Vec<Vec<Cell>>) -> CellTable {
        let rows = columns.first().map_or(0, Vec::len);
        CellTable {
            names: (0..columns.len()).map(|i| format!("c{i}")).collect(),
            columns: columns.into_iter().map(SourceColumn::Cells).collect(),
            row_lines: (0..rows as u32).map(|r| r + 2).collect(),
        }
    }

    #[test]
    fn cells_type_as_the_same_csv_would() {
        let t = table(vec![
            vec![Cell::Number(0.1), Cell::Missing, Cell::Text(" 2.5 ".into())],
            vec![
                Cell::Number(3.0),
                Cell::Text("b".into()),
                Cell::Text("NA".into()),
            ],
        ]);
        let options = ReadOptions::default();
        let frame = Frame::from_cells(t.clone(), &options).unwrap();
        assert_eq!(frame.numeric("c0").unwrap()[0].to_bits(), 0.1f64.to_bits());
        assert!(frame.numeric("c0").unwrap()[1].is_nan());
        let csv = "c0,c1\n0.1,3\n,b\n 2.5 ,NA\n";
        let from_csv = Frame::from_csv(csv.as_bytes(), &options).unwrap();
        // Debug text: NaN (missing) is not equal to itself.
        assert_eq!(
            format!("{:?}", frame.columns),
            format!("{:?}", from_csv.columns)
        );
        assert_eq!(frame.row_lines, from_csv.row_lines);
    }

    #[test]
    fn user_codes_and_infinities() {
        let options = ReadOptions {
            na: vec!["-99".into()],
            ..ReadOptions::default()
        };
        let t = table(vec![vec![Cell::Number(-99.0), Cell::Number(1.0)]]);
        let frame = Frame::from_cells(t, &options).unwrap();
        assert!(frame.numeric("c0").unwrap()[0].is_nan());
        let t = table(vec![vec![Cell::Number(1.0), Cell::Number(f64::INFINITY)]]);
        let e = Frame::from_cells(t, &options).unwrap_err();
        assert!(
            matches!(e, DataError::InfiniteValue { line: 3, .. }),
            "{e:?}"
        );
    }
}
