//! A wide file straight to the typed long [`Frame`] the model steps use, for the page: the
//! same frame a long file with these rows would give (a CSV file's cells are typed after the
//! reshape, exactly as `lagmix reshape` + reading its output; a workbook's or SPSS file's typed
//! cells keep their numbers and factors), with the long table as CSV for the user to keep.

use super::{reshape, reshape_cells, write_csv, ReshapeOptions, ReshapeSummary};
use crate::csv::read_csv;
use crate::frame::{CellTable, Frame, ReadOptions};
use crate::Error;

/// The long data of a reshape.
#[derive(Debug, Clone)]
pub struct LongData {
    pub frame: Frame,
    pub summary: ReshapeSummary,
    /// The long table as CSV text.
    pub csv: String,
}

/// Reshapes a wide CSV file. Errors: the CSV reader's, [`super::ReshapeError`], the typing's.
pub fn long_from_csv(
    bytes: &[u8],
    read: &ReadOptions,
    options: &ReshapeOptions,
) -> Result<LongData, Error> {
    let wide = read_csv(bytes, &read.csv).map_err(crate::frame::DataError::from)?;
    let long = reshape(&wide, options)?;
    let csv = write_csv(&long.table);
    // Typed from the text written, so the frame is the long CSV file's to the last bit.
    let frame = Frame::from_csv(csv.as_bytes(), read)?;
    Ok(LongData {
        frame,
        summary: long.summary,
        csv,
    })
}

/// Reshapes a workbook's or SPSS file's typed cells. Errors: [`super::ReshapeError`], the
/// typing's.
pub fn long_from_cells(
    wide: &CellTable,
    read: &ReadOptions,
    options: &ReshapeOptions,
) -> Result<LongData, Error> {
    let (long, summary) = reshape_cells(wide, options)?;
    let csv = write_csv(&crate::import::text_table(long.clone()));
    let frame = Frame::from_cells(long, read)?;
    Ok(LongData {
        frame,
        summary,
        csv,
    })
}
