//! What can go wrong reading a workbook, in words a researcher can act on.

use std::fmt;

/// What can go wrong reading a workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkbookError {
    /// The bytes are neither a zip archive nor a compound (.xls) file.
    NotAWorkbook,
    /// A zip archive without a workbook in it.
    ZipNotWorkbook,
    /// The archive's directory is cut short or damaged.
    Damaged,
    /// calamine could not read the workbook (its message).
    Unreadable { kind: &'static str, message: String },
    /// A part would decompress to more than the cap.
    PartTooLarge { part: String, bytes: u64 },
    /// More cells than the cap.
    TooManyCells { limit: usize },
    /// More bytes of text in a sheet's cells than the cap.
    TooMuchText { limit: usize },
    /// An .xls file's compound-file tables or BIFF records, or an .ods file's content, are
    /// damaged (what is wrong).
    DamagedContent { kind: &'static str, detail: String },
    /// An .xls or .ods sheet whose cells span (or whose DIMENSIONS record declares) a rectangle of
    /// more cells than the cap: the reader would lay out the whole rectangle.
    SheetTooLarge {
        sheet: String,
        rows: u64,
        columns: u64,
        limit: usize,
        declared: bool,
    },
    /// The sheets of an .xls or .ods workbook together span more cells than the cap (those
    /// readers lay out every sheet at once).
    BookTooLarge { cells: u64, limit: usize },
    /// No sheet has this name.
    UnknownSheet { name: String, sheets: Vec<String> },
    /// The workbook has no worksheet.
    NoSheets,
    /// The sheet has no non-empty cell.
    EmptySheet { sheet: String },
    /// The sheet has a header row (1-based) but nothing under it.
    NoData { sheet: String, row: u32 },
    /// A header cell between named columns is empty (or part of a merged region).
    EmptyHeader {
        sheet: String,
        cell: String,
        merged: bool,
    },
    /// Two header cells hold the same name.
    DuplicateHeader {
        sheet: String,
        name: String,
        first: String,
        second: String,
    },
}

impl fmt::Display for WorkbookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkbookError::NotAWorkbook => write!(
                f,
                "this file is not an Excel or OpenDocument workbook (.xlsx, .xlsm, .xls, .ods)"
            ),
            WorkbookError::ZipNotWorkbook => write!(
                f,
                "this file is a zip archive but holds no workbook (no xl/workbook.xml or \
                 content.xml); open it in Excel or LibreOffice and save it as .xlsx or CSV"
            ),
            WorkbookError::Damaged => write!(
                f,
                "the workbook is damaged or incomplete (its zip directory cannot be read); \
                 was the file fully downloaded? Save it again from Excel or LibreOffice"
            ),
            WorkbookError::Unreadable { kind, message } => write!(
                f,
                "the {kind} workbook cannot be read ({message}); it may be damaged or \
                 incomplete: save it again from Excel or LibreOffice, or export the sheet as CSV"
            ),
            WorkbookError::PartTooLarge { part, bytes } if *bytes == u64::MAX => write!(
                f,
                "the workbook is too large to read here ({part}); export the sheet as CSV"
            ),
            WorkbookError::PartTooLarge { part, bytes } => write!(
                f,
                "the workbook part \"{part}\" would unpack to {} MB, more than lagmix reads \
                 from a workbook ({} MB per part, {} MB in all), or far more than its packed \
                 size suggests; export the sheet as CSV",
                bytes >> 20,
                super::limits::MAX_PART_BYTES >> 20,
                super::limits::MAX_TOTAL_BYTES >> 20
            ),
            WorkbookError::TooManyCells { limit } => write!(
                f,
                "the sheet has more than {limit} cells, more than lagmix reads from a \
                 workbook; export the sheet as CSV (lagmix streams CSV files of any size)"
            ),
            WorkbookError::TooMuchText { limit } => write!(
                f,
                "the sheet's cells hold more than {} MB of text, more than lagmix reads from a \
                 workbook; export the sheet as CSV (lagmix streams CSV files of any size)",
                limit >> 20
            ),
            WorkbookError::DamagedContent { kind, detail } => write!(
                f,
                "the {kind} workbook is damaged or incomplete ({detail}); was the file fully \
                 downloaded? Save it again from Excel or LibreOffice"
            ),
            WorkbookError::SheetTooLarge {
                sheet,
                rows,
                columns,
                limit,
                declared,
            } => write!(
                f,
                "sheet \"{sheet}\" {} {rows} rows x {columns} columns ({} cells), more than \
                 lagmix reads from a workbook ({limit} cells); export the sheet as CSV (lagmix \
                 streams CSV files of any size)",
                if *declared { "declares" } else { "spans" },
                rows.saturating_mul(*columns)
            ),
            WorkbookError::BookTooLarge { cells, limit } => write!(
                f,
                "the sheets of this workbook together span {cells} cells, more than lagmix reads \
                 from one workbook ({limit} cells; every sheet of an .xls or .ods file is read \
                 at once); save the sheet you need alone, or export it as CSV"
            ),
            WorkbookError::UnknownSheet { name, sheets } => write!(
                f,
                "there is no sheet \"{name}\" in the workbook; its sheets are: {}",
                quoted_list(sheets)
            ),
            WorkbookError::NoSheets => write!(f, "the workbook has no worksheet"),
            WorkbookError::EmptySheet { sheet } => write!(
                f,
                "sheet \"{sheet}\" is empty; choose the sheet that holds the data"
            ),
            WorkbookError::NoData { sheet, row } => write!(
                f,
                "sheet \"{sheet}\" has a header in row {row} but no data rows below it"
            ),
            WorkbookError::EmptyHeader {
                sheet,
                cell,
                merged,
            } => {
                write!(f, "sheet \"{sheet}\", cell {cell}: the header cell is ")?;
                if *merged {
                    write!(f, "part of merged cells")?;
                } else {
                    write!(f, "empty")?;
                }
                write!(
                    f,
                    "; every column needs its own name in the first non-empty row (unmerge \
                     the header cells and name each column)"
                )
            }
            WorkbookError::DuplicateHeader {
                sheet,
                name,
                first,
                second,
            } => write!(
                f,
                "sheet \"{sheet}\": cells {first} and {second} both name a column \"{name}\"; \
                 each column needs a different name"
            ),
        }
    }
}

/// `"a", "b"`.
fn quoted_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    quoted.join(", ")
}

impl std::error::Error for WorkbookError {}
