//! The reshape of typed cells ([`CellTable`]: a workbook or SPSS file), so that a wide
//! workbook reaches the frame without a round trip through text: numbers stay the numbers
//! stored, and an SPSS factor keeps its levels in the order of their codes.

use super::{plan, Plan, ReshapeError, ReshapeOptions, ReshapeSummary, WideTable};
use crate::frame::{format_number, Cell, CellTable, SourceColumn, TextColumn, MISSING_CODE};
use std::borrow::Cow;

impl WideTable for CellTable {
    fn names(&self) -> &[String] {
        &self.names
    }
    fn nrows(&self) -> usize {
        self.row_lines.len()
    }
    fn line(&self, row: usize) -> u32 {
        self.row_lines.get(row).unwrap_or(0)
    }
    fn is_missing(&self, column: usize, row: usize) -> bool {
        match &self.columns[column] {
            SourceColumn::Cells(cells) => match &cells[row] {
                Cell::Missing => true,
                Cell::Number(x) => x.is_nan(),
                Cell::Text(text) => super::is_missing(text),
            },
            SourceColumn::Factor(factor) => factor.codes[row] == MISSING_CODE,
        }
    }
    fn text(&self, column: usize, row: usize) -> Cow<'_, str> {
        match &self.columns[column] {
            SourceColumn::Cells(cells) => match &cells[row] {
                Cell::Missing => Cow::Borrowed(""),
                Cell::Number(x) => Cow::Owned(format_number(*x)),
                Cell::Text(text) => Cow::Borrowed(text.trim()),
            },
            SourceColumn::Factor(factor) => level(factor, factor.codes[row])
                .map_or(Cow::Borrowed(""), |l| Cow::Borrowed(l.as_str())),
        }
    }
}

fn level(factor: &TextColumn, code: u32) -> Option<&String> {
    (code != MISSING_CODE)
        .then(|| factor.levels.get(code as usize))
        .flatten()
}

/// Reshapes a wide table of typed cells to long (see [`super::reshape`]): the long table,
/// typed afterwards by [`crate::frame::Frame::from_cells`] as a long workbook would be, and
/// what was done. A long column whose wide columns are all factors with the same levels (SPSS
/// value labels) stays that factor; factors with different levels become their labels' text
/// (typed as a CSV column is). Errors: see [`ReshapeError`].
pub fn reshape_cells(
    table: &CellTable,
    options: &ReshapeOptions,
) -> Result<(CellTable, ReshapeSummary), ReshapeError> {
    let plan = plan(table, options)?;
    let columns = (0..plan.names.len())
        .map(|k| long_column(table, &plan, k))
        .collect();
    let row_lines = plan.row_lines(table);
    let long = CellTable {
        names: plan.names,
        columns,
        row_lines,
    };
    Ok((long, plan.summary))
}

/// Long column `k`: the occasion numbers (k = 1), or the cells its wide columns hold.
fn long_column(table: &CellTable, plan: &Plan, k: usize) -> SourceColumn {
    if k == 1 {
        let occasion = |&(_, o): &(usize, usize)| Cell::Number(plan.occasions[o]);
        return SourceColumn::Cells(plan.rows.iter().map(occasion).collect());
    }
    let wide: Vec<usize> = (0..plan.occasions.len())
        .filter_map(|o| plan.source(k, o))
        .collect();
    if let Some(levels) = shared_levels(table, &wide) {
        let code = |&(row, o): &(usize, usize)| match plan.source(k, o) {
            Some(c) => match &table.columns[c] {
                SourceColumn::Factor(f) => f.codes[row],
                SourceColumn::Cells(_) => MISSING_CODE,
            },
            None => MISSING_CODE,
        };
        return SourceColumn::Factor(TextColumn {
            codes: plan.rows.iter().map(code).collect(),
            levels,
        });
    }
    let cell = |&(row, o): &(usize, usize)| match plan.source(k, o) {
        Some(c) => match &table.columns[c] {
            SourceColumn::Cells(cells) => cells[row].clone(),
            SourceColumn::Factor(f) => {
                level(f, f.codes[row]).map_or(Cell::Missing, |l| Cell::Text(l.clone()))
            }
        },
        None => Cell::Missing,
    };
    SourceColumn::Cells(plan.rows.iter().map(cell).collect())
}

/// The levels when every one of the wide `columns` is a factor with the same levels.
fn shared_levels(table: &CellTable, columns: &[usize]) -> Option<Vec<String>> {
    let mut levels: Option<&Vec<String>> = None;
    for &c in columns {
        let SourceColumn::Factor(factor) = &table.columns[c] else {
            return None;
        };
        match levels {
            Some(first) if first != &factor.levels => return None,
            _ => levels = Some(&factor.levels),
        }
    }
    levels.cloned()
}
