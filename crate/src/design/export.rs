//! The derived data ("export derived data" in the browser): every model variable as evaluated on
//! the whole panel, so a researcher can check a lag or a person mean by hand or refit in R.

use super::evaluate::evaluate_model;
use super::DesignError;
use crate::formula::ModelSpec;
use crate::frame::{Column, Frame, Panel};
use crate::transform::{r_number, Variable};
use crate::RowOutputs;
use std::borrow::Cow;

/// CSV text (comma-separated, `"`-quoted where needed, empty cell = missing) with the id and
/// time columns and every evaluated model variable, named by its expression (`lag(within(x))`),
/// one row per frame row in frame order. Numbers are written as R writes them (15 significant
/// digits).
///
/// Errors: as [`super::build_design`] for evaluating the variables (unknown columns, transform
/// errors); missing values and too few rows are not errors here.
pub fn derived_csv(spec: &ModelSpec, frame: &Frame, panel: &Panel) -> Result<String, DesignError> {
    let mut out = String::new();
    write_derived_csv(spec, frame, panel, usize::MAX, &mut |block| {
        out.push_str(&block)
    })?;
    Ok(out)
}

/// As [`derived_csv`], handed to `sink` in blocks of whole lines of about `block_bytes` each,
/// so that a million-row export never needs the whole text in one piece (the browser assembles
/// the blocks into a file).
pub fn write_derived_csv(
    spec: &ModelSpec,
    frame: &Frame,
    panel: &Panel,
    block_bytes: usize,
    sink: &mut dyn FnMut(String),
) -> Result<(), DesignError> {
    write_derived_csv_with_outputs(spec, frame, panel, None, block_bytes, sink)
}

/// As [`write_derived_csv`], with two more columns when `outputs` are given: `fitted` and
/// `residual` of a fit of this model (empty in the rows the fit did not use; named `.fitted` and
/// `.residual` when the data already have columns of those names).
pub fn write_derived_csv_with_outputs(
    spec: &ModelSpec,
    frame: &Frame,
    panel: &Panel,
    outputs: Option<&RowOutputs>,
    block_bytes: usize,
    sink: &mut dyn FnMut(String),
) -> Result<(), DesignError> {
    let evaluated = evaluate_model(spec, &mut Cow::Borrowed(frame), panel)?;
    let mut header: Vec<String> = Vec::new();
    let mut cells: Vec<Box<dyn Fn(usize) -> String + '_>> = Vec::new();
    for name in [&panel.id_name, &panel.time_name].into_iter().flatten() {
        if let Some(column) = frame.column(name) {
            header.push(name.clone());
            cells.push(Box::new(move |row| column_cell(column, row)));
        }
    }
    let variables = evaluated.variables.iter().chain(&evaluated.groups);
    for (name, variable) in variables {
        if !header.contains(name) {
            header.push(name.clone());
            cells.push(Box::new(move |row| variable_cell(variable, row)));
        }
    }
    if let Some(outputs) = outputs {
        let columns: [(&str, &[f64]); 2] = [
            ("fitted", &outputs.fitted),
            ("residual", &outputs.residuals),
        ];
        // Both or neither renamed, so that the pair stays recognisable.
        let taken = columns
            .iter()
            .any(|(name, _)| header.iter().any(|h| h == name) || frame.column(name).is_some());
        for (name, values) in columns {
            header.push(if taken {
                format!(".{name}")
            } else {
                name.into()
            });
            cells.push(Box::new(move |row| {
                let at = outputs.rows.binary_search(&row).ok();
                number_cell(at.and_then(|i| values.get(i).copied()))
            }));
        }
    }
    let mut out = String::new();
    csv_line(&mut out, header.iter().cloned());
    for row in 0..frame.nrows() {
        csv_line(&mut out, cells.iter().map(|cell| cell(row)));
        if out.len() >= block_bytes {
            sink(std::mem::take(&mut out));
        }
    }
    if !out.is_empty() {
        sink(out);
    }
    Ok(())
}

fn number_cell(value: Option<f64>) -> String {
    match value {
        Some(v) if !v.is_nan() => r_number(v),
        _ => String::new(),
    }
}

fn label_cell(code: Option<u32>, levels: &[String]) -> String {
    code.and_then(|c| levels.get(c as usize))
        .cloned()
        .unwrap_or_default()
}

fn column_cell(column: &Column, row: usize) -> String {
    match column {
        Column::Numeric(values) => number_cell(values.get(row).copied()),
        Column::Text(text) => label_cell(text.codes.get(row).copied(), &text.levels),
    }
}

fn variable_cell(variable: &Variable, row: usize) -> String {
    match variable {
        Variable::Numeric(values) => number_cell(values.get(row).copied()),
        Variable::Factor { codes, levels } => label_cell(codes.get(row).copied(), levels),
    }
}

/// Appends one CSV line: fields comma-separated, quoted where a reader would misread them.
pub fn csv_line(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        let needs_quotes = field.contains([',', '"', '\n', '\r'])
            || field.starts_with(' ')
            || field.ends_with(' ');
        if needs_quotes {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push('\n');
}
