//! Any data file lagmix reads -> a [`Frame`] and a note of what was read ([`SourceInfo`]).
//!
//! The format is recognised from the first bytes, never from the file name: `PK\3\4` (a zip
//! archive: .xlsx, .xlsm, .ods), the compound-file signature (.xls), `$FL2`/`$FL3` (SPSS .sav,
//! .zsav); anything else is read as CSV. Workbooks and SPSS files become a
//! [`CellTable`](crate::frame::CellTable) typed by the CSV reader's rules, so nothing after this
//! point knows which format the data came from.

use crate::csv::{read_csv, CsvOptions, RawColumn, Table};
use crate::frame::{Cell, CellTable, Frame, ReadOptions, SourceColumn, MISSING_CODE};
use crate::sav::{self, Measure, SavFile, SavValues};
use crate::workbook::{self, WorkbookKind};
use crate::Error;
use serde::Serialize;

/// The formats lagmix reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    /// A workbook: the kind is known once the archive's parts are listed.
    Workbook,
    Sav,
}

/// The format of `bytes`, from their first bytes.
pub fn detect_format(bytes: &[u8]) -> FileFormat {
    if workbook::looks_like_workbook(bytes) {
        FileFormat::Workbook
    } else if sav::looks_like_sav(bytes) {
        FileFormat::Sav
    } else {
        FileFormat::Csv
    }
}

/// What to read from a workbook or SPSS file (ignored for CSV).
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The sheet to read; the first worksheet when `None`.
    pub sheet: Option<String>,
    /// SPSS variables to read as factors of their value labels whatever their level.
    pub factors: Vec<String>,
    /// SPSS variables to keep numeric whatever their level.
    pub numeric: Vec<String>,
}

/// What was read, for the page and the CLI to say.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SourceInfo {
    /// "csv", "xlsx", "xls", "ods" or "sav".
    pub format: &'static str,
    /// The workbook's worksheets (empty for other formats).
    pub sheets: Vec<String>,
    /// The sheet read.
    pub sheet: Option<String>,
    pub rows: usize,
    pub columns: usize,
    /// Per SPSS variable: label, level, value labels (empty for other formats).
    pub variables: Vec<VariableInfo>,
    /// Things the user should know about the reading, in plain words.
    pub notes: Vec<String>,
}

/// An SPSS variable as the page shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VariableInfo {
    pub name: String,
    pub label: Option<String>,
    pub measure: Measure,
    pub value_labels: Vec<ValueLabel>,
    /// True when the variable was read as a factor of its value labels.
    pub factor: bool,
    /// Cells made missing by the variable's user-missing codes.
    pub user_missing: usize,
    pub numeric: bool,
}

/// One value label.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ValueLabel {
    pub value: f64,
    pub label: String,
}

/// Reads `bytes` in whichever format they are. Errors: the format's errors
/// ([`crate::csv::CsvError`] inside [`crate::frame::DataError`], [`workbook::WorkbookError`],
/// [`sav::SavError`]) and the typing's.
pub fn read_frame(
    bytes: &[u8],
    read: &ReadOptions,
    import: &ImportOptions,
) -> Result<(Frame, SourceInfo), Error> {
    if detect_format(bytes) == FileFormat::Csv {
        let frame = Frame::from_csv(bytes, read)?;
        let info = info("csv", &frame.names, frame.nrows());
        return Ok((frame, info));
    }
    let (table, info) = read_cells(bytes, import)?;
    Ok((Frame::from_cells(table, read)?, info))
}

/// Reads `bytes` in whichever format they are as raw text columns, the CSV reader's [`Table`]
/// (for `lagmix reshape`, which works on the cells as written): a workbook's or SPSS file's
/// numbers are written in the shortest form that reads back as the same number, labels as
/// their text, missing cells empty. Errors: as [`read_frame`].
pub fn read_table(
    bytes: &[u8],
    csv: &CsvOptions,
    import: &ImportOptions,
) -> Result<(Table, SourceInfo), Error> {
    if detect_format(bytes) == FileFormat::Csv {
        let table = read_csv(bytes, csv)?;
        let info = info("csv", &table.names, table.nrows());
        return Ok((table, info));
    }
    let (cells, info) = read_cells(bytes, import)?;
    Ok((text_table(cells), info))
}

/// Typed cells as the CSV reader's text [`Table`] (`,`-separated): numbers in the shortest
/// form that reads back as the same number, factor labels as their text, missing cells empty.
pub fn text_table(cells: CellTable) -> Table {
    let columns = cells.columns.iter().map(text_column).collect();
    Table {
        names: cells.names,
        columns,
        row_lines: cells.row_lines,
        delimiter: b',',
    }
}

/// A reader's column as text cells.
fn text_column(column: &SourceColumn) -> RawColumn {
    let mut raw = RawColumn::new();
    match column {
        SourceColumn::Cells(cells) => {
            for cell in cells {
                match cell {
                    Cell::Missing => raw.push(""),
                    // Rust's shortest representation that parses back to the same f64.
                    Cell::Number(x) => raw.push(&x.to_string()),
                    Cell::Text(text) => raw.push(text),
                }
            }
        }
        SourceColumn::Factor(factor) => {
            for &code in &factor.codes {
                match factor
                    .levels
                    .get(code as usize)
                    .filter(|_| code != MISSING_CODE)
                {
                    Some(level) => raw.push(level),
                    None => raw.push(""),
                }
            }
        }
    }
    raw
}

/// Reads a workbook or SPSS file into its typed cells, not yet typed into a frame (the page's
/// readers module hands these to the main module, see [`crate::frame::encode_table`]). Errors:
/// [`workbook::WorkbookError`] (also for bytes that are neither format), [`sav::SavError`].
pub fn read_cells(bytes: &[u8], import: &ImportOptions) -> Result<(CellTable, SourceInfo), Error> {
    if detect_format(bytes) == FileFormat::Sav {
        let file = sav::read_sav(bytes)?;
        let variables = variable_info(&file, import);
        let table = file.into_table(&|v| wants_factor(v, import));
        let mut info = info("sav", &table.names, table.row_lines.len());
        info.variables = variables;
        return Ok((table, info));
    }
    let book = workbook::read_workbook(bytes, import.sheet.as_deref())?;
    let mut info = info(
        kind_name(book.kind),
        &book.table.names,
        book.table.row_lines.len(),
    );
    info.sheets = book.sheets;
    info.sheet = Some(book.sheet);
    if book.error_cells > 0 {
        info.notes.push(format!(
            "{} cells hold an error value (such as #DIV/0! or #N/A) and were read as missing",
            book.error_cells
        ));
    }
    Ok((book.table, info))
}

fn kind_name(kind: WorkbookKind) -> &'static str {
    match kind {
        WorkbookKind::Xlsx => "xlsx",
        WorkbookKind::Xls => "xls",
        WorkbookKind::Ods => "ods",
    }
}

fn info(format: &'static str, names: &[String], rows: usize) -> SourceInfo {
    SourceInfo {
        format,
        sheets: Vec::new(),
        sheet: None,
        rows,
        columns: names.len(),
        variables: Vec::new(),
        notes: Vec::new(),
    }
}

/// The user's choice for the variable, else the default rule.
fn wants_factor(variable: &sav::SavVariable, import: &ImportOptions) -> bool {
    if import.numeric.contains(&variable.name) {
        false
    } else if import.factors.contains(&variable.name) {
        !variable.value_labels.is_empty()
    } else {
        variable.factor_by_default()
    }
}

fn variable_info(file: &SavFile, import: &ImportOptions) -> Vec<VariableInfo> {
    file.variables
        .iter()
        .map(|v| VariableInfo {
            name: v.name.clone(),
            label: v.label.clone().filter(|l| !l.is_empty()),
            measure: v.measure,
            value_labels: v
                .value_labels
                .iter()
                .map(|(value, label)| ValueLabel {
                    value: *value,
                    label: label.clone(),
                })
                .collect(),
            factor: wants_factor(v, import) && matches!(v.values, SavValues::Numeric(_)),
            user_missing: v.user_missing,
            numeric: matches!(v.values, SavValues::Numeric(_)),
        })
        .collect()
}
