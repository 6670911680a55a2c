//! A stand-in for a core function another helper is adding:
//! `lagmix::design::derived_csv(spec, frame, panel)`. When it lands on main, call it from
//! `Analysis::derived_csv` (`Ok(lagmix::design::derived_csv(..)?)`) and delete the stand-in.
//!
//! `preview` stays here: it only renders cells as text for the page, no statistics.

use lagmix::formula::ModelSpec;
use lagmix::frame::{Column, Frame, Panel};
use serde::Serialize;
use wasm_bindgen::JsError;

/// Stand-in for `lagmix::design::derived_csv`: not available until the core has it.
pub fn derived_csv(_spec: &ModelSpec, _frame: &Frame, _panel: &Panel) -> Result<String, JsError> {
    Err(JsError::new(
        "the derived data export is not available in this build yet",
    ))
}

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
