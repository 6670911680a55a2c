//! The first rows of the data as text, for the page's preview: cells rendered, no statistics.

use lagmix::frame::{Column, Frame};
use serde::Serialize;

/// The header and the first `rows` rows as text (missing cells empty), for the data preview.
#[derive(Debug, Serialize)]
pub struct Preview {
    pub names: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The first `rows` rows of `frame` as text.
pub fn preview(frame: &Frame, rows: usize) -> Preview {
    let cell = |column: &Column, row: usize| match column {
        Column::Numeric(v) => v.get(row).filter(|x| !x.is_nan()).map(f64::to_string),
        Column::Text(t) => t
            .codes
            .get(row)
            .and_then(|&c| t.levels.get(c as usize))
            .cloned(),
    };
    let row = |r| {
        frame
            .columns
            .iter()
            .map(|c| cell(c, r).unwrap_or_default())
            .collect()
    };
    Preview {
        names: frame.names.clone(),
        rows: (0..frame.nrows().min(rows)).map(row).collect(),
    }
}
