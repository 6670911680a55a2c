//! Stand-ins for core functions that other helpers are adding:
//! `lagmix::describe::column_info(frame)`, `lagmix::describe::panel_summary(frame, panel)` and
//! `lagmix::design::derived_csv(spec, frame, panel)`. When they land on main, replace each body
//! with a call to the core function (or delete this module and import them directly).
//!
//! `preview` stays here: it only renders cells as text for the page, no statistics.

use lagmix::formula::ModelSpec;
use lagmix::frame::{Column, Frame, Panel, MISSING_CODE};
use serde::Serialize;
use wasm_bindgen::JsError;

/// One column as the data step shows it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnInfo {
    pub name: String,
    /// `"numeric"` or `"text"`.
    pub kind: &'static str,
    pub missing: usize,
    /// Number of distinct values of a text column.
    pub levels: Option<usize>,
}

/// Stand-in for `lagmix::describe::column_info`.
pub fn column_info(frame: &Frame) -> Vec<ColumnInfo> {
    let info = |(name, column): (&String, &Column)| match column {
        Column::Numeric(v) => ColumnInfo {
            name: name.clone(),
            kind: "numeric",
            missing: v.iter().filter(|x| x.is_nan()).count(),
            levels: None,
        },
        Column::Text(t) => ColumnInfo {
            name: name.clone(),
            kind: "text",
            missing: t.codes.iter().filter(|&&c| c == MISSING_CODE).count(),
            levels: Some(t.levels.len()),
        },
    };
    frame.names.iter().zip(&frame.columns).map(info).collect()
}

/// Stand-in for `lagmix::describe::panel_summary`: not available until the core has it.
pub fn panel_summary(_frame: &Frame, _panel: &Panel) -> Result<ColumnInfo, JsError> {
    Err(JsError::new(
        "the panel summary is not available in this build yet",
    ))
}

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
