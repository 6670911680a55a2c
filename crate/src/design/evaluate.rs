//! The model's variables evaluated on every frame row: the response, each term's variables and
//! the grouping columns (lags and person means need all rows, see [`crate::transform`]).
//!
//! When the design may consume the data set (a one-shot fit), a plain column such as the
//! response or the id is moved out of the frame at its last use instead of copied: at a million
//! rows each copy is 4-8 MB, held while the frame still is.

use super::DesignError;
use crate::formula::{Expr, ModelSpec, RandomTerm};
use crate::frame::{Column, Frame, Panel};
use crate::transform::{
    check_numbers_column, check_panel_roles, evaluate_columns, factor_from_numbers, r_number,
    TransformError, Variable,
};
use std::borrow::Cow;

/// The model's variables evaluated on every frame row.
pub(crate) struct Evaluated {
    /// Response first, then fixed and random-slope variables in order of first use, by name.
    pub variables: Vec<(String, Variable)>,
    /// Grouping columns as factors, by column name.
    pub groups: Vec<(String, Variable)>,
    pub warnings: Vec<String>,
}

/// The random term as it reads after expansion, for messages: `(1 + x | id)`.
pub(super) fn random_text(term: &RandomTerm) -> String {
    let mut parts = vec![if term.intercept { "1" } else { "0" }.to_string()];
    parts.extend(term.terms.iter().map(|t| t.name()));
    format!("({} | {})", parts.join(" + "), term.group_name)
}

fn evaluate_in(
    expr: &Expr,
    context: &str,
    frame: &Frame,
    panel: &Panel,
) -> Result<(Vec<Variable>, Vec<String>), DesignError> {
    evaluate_columns(expr, frame, panel).map_err(|e| match e {
        TransformError::UnknownColumn { name, suggestion } => DesignError::UnknownColumn {
            name,
            suggestion,
            term: context.to_string(),
        },
        other => DesignError::Transform(other),
    })
}

/// The response and every variable of the fixed and random terms, in order of use.
pub(super) fn model_exprs(spec: &ModelSpec) -> Vec<&Expr> {
    let mut exprs: Vec<&Expr> = vec![&spec.response];
    let random_terms = spec.random.iter().flat_map(|r| &r.terms);
    for term in spec.terms.iter().chain(random_terms) {
        exprs.extend(&term.factors);
    }
    exprs
}

/// Column `name` of an owned frame, an empty column left in its place.
fn take_column(frame: &mut Frame, name: &str) -> Option<Column> {
    let index = frame.column_index(name).ok()?;
    let column = frame.columns.get_mut(index)?;
    Some(std::mem::replace(column, Column::Numeric(Vec::new())))
}

/// Column `name` as a variable: moved out of an owned frame when `last_use`, copied otherwise.
fn take_or_copy(
    frame: &mut Cow<'_, Frame>,
    name: &str,
    last_use: bool,
    context: &str,
    panel: &Panel,
) -> Result<Variable, DesignError> {
    if let (Cow::Owned(owned), true) = (&mut *frame, last_use) {
        match take_column(owned, name) {
            Some(Column::Numeric(values)) => return Ok(Variable::Numeric(values)),
            Some(Column::Text(text)) => {
                return Ok(Variable::Factor {
                    codes: text.codes,
                    levels: text.levels,
                })
            }
            None => {}
        }
    }
    let (mut columns, _) = evaluate_in(&Expr::Column(name.to_string()), context, frame, panel)?;
    columns.pop().ok_or_else(|| DesignError::Internal {
        message: format!("column `{name}` gave no values"),
    })
}

/// The frame columns `expr` reads: its columns, and for `lag` and `lead` the time column.
fn columns_read<'e>(expr: &'e Expr, panel: &'e Panel, out: &mut Vec<&'e str>) {
    match expr {
        Expr::Column(name) => out.push(name),
        other => {
            if let Expr::Lag(..) | Expr::Lead(..) = other {
                out.extend(panel.time_name.as_deref());
            }
            for inner in other.children() {
                columns_read(inner, panel, out);
            }
        }
    }
}

/// Evaluates the response, every term's variables and the grouping columns on all frame rows.
/// Errors come in the order of the formula. An owned frame gives up each column after its last
/// use: a transform's input is freed once no later variable reads it, and a plain column is
/// moved out rather than copied.
pub(crate) fn evaluate_model(
    spec: &ModelSpec,
    frame: &mut Cow<'_, Frame>,
    panel: &Panel,
) -> Result<Evaluated, DesignError> {
    let mut exprs: Vec<&Expr> = Vec::new();
    for expr in model_exprs(spec) {
        if exprs.iter().all(|e| e.name() != expr.name()) {
            exprs.push(expr);
        }
    }
    check_panel_roles(&exprs, panel).map_err(DesignError::Transform)?;
    let mut group_columns: Vec<(&String, &RandomTerm)> = Vec::new();
    for term in &spec.random {
        for column in &term.grouping {
            if group_columns.iter().all(|(c, _)| *c != column) {
                group_columns.push((column, term));
            }
        }
    }
    // Transforms first (in order, so that errors come in formula order; plain columns are
    // checked at their place), then plain columns, then grouping columns.
    let mut slots: Vec<(String, Option<Variable>)> = Vec::with_capacity(exprs.len());
    let mut warnings = Vec::new();
    for (i, expr) in exprs.iter().enumerate() {
        let name = expr.name();
        check_numbers_column(expr, frame).map_err(DesignError::Transform)?;
        let variable = match expr {
            Expr::Column(column) => {
                frame
                    .column_index(column)
                    .map_err(|_| DesignError::UnknownColumn {
                        name: column.clone(),
                        suggestion: crate::transform::suggest_column(column, &frame.names),
                        term: name.clone(),
                    })?;
                None
            }
            _ => {
                let (mut columns, notes) = evaluate_in(expr, &name, frame, panel)?;
                warnings.extend(notes);
                if let Cow::Owned(owned) = frame {
                    // Still to read: the later transforms, and the plain columns and grouping
                    // columns, which are all taken after the transforms.
                    let mut later = Vec::new();
                    for e in &exprs[i + 1..] {
                        columns_read(e, panel, &mut later);
                    }
                    for e in &exprs[..i] {
                        if let Expr::Column(column) = e {
                            later.push(column);
                        }
                    }
                    later.extend(group_columns.iter().map(|(c, _)| c.as_str()));
                    let mut read = Vec::new();
                    columns_read(expr, panel, &mut read);
                    for column in read.into_iter().filter(|c| !later.contains(c)) {
                        take_column(owned, column);
                    }
                }
                // poly(x, k): one variable per column, named as R names them.
                let last = columns.pop();
                for (column, variable) in expr.column_names().into_iter().zip(columns) {
                    slots.push((column, Some(variable)));
                }
                last
            }
        };
        let name = expr.column_names().pop().unwrap_or(name);
        slots.push((name, variable));
    }
    // A plain column that is also a grouping column is copied here and taken there.
    let mut variables = Vec::with_capacity(slots.len());
    for (name, evaluated) in slots {
        let variable = match evaluated {
            Some(variable) => variable,
            None => {
                let last = group_columns.iter().all(|(c, _)| **c != name);
                take_or_copy(frame, &name, last, &name, panel)?
            }
        };
        variables.push((name, variable));
    }
    let mut groups: Vec<(String, Variable)> = Vec::new();
    for (column, term) in group_columns {
        let variable = match take_or_copy(frame, column, true, &random_text(term), panel)? {
            Variable::Numeric(values) => {
                if let Some(v) = values.iter().find(|v| v.fract() != 0.0 && v.is_finite()) {
                    warnings.push(format!(
                        "the grouping column `{column}` holds non-whole numbers such as {}; each distinct value is treated as its own group",
                        r_number(*v)
                    ));
                }
                factor_from_numbers(&values)
            }
            factor => factor,
        };
        groups.push((column.clone(), variable));
    }
    Ok(Evaluated {
        variables,
        groups,
        warnings,
    })
}
