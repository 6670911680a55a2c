//! Panel functions of a variable: `within`, `between`, `center`, `lag`, `lead`, `factor`,
//! evaluated over the whole panel before any row is dropped.
//!
//! For person i at time t, with x observed on some of that person's rows:
//!
//! - `between(x)` is the person mean `m_i` of all of person i's observed x. It is a person-level
//!   variable, so it is given on **every** row of the person, also rows where x itself is
//!   missing; it is missing only when the person has no observed x (or the row has no person).
//! - `within(x) = x_it - m_i`, missing where x_it is missing. `within(x) + between(x) = x`.
//! - `center(x) = x_it - m`, m the grand mean of all observed x.
//! - `lag(x, k)` is the same person's x at time `t - k`, `lead(x, k)` at `t + k`. They are matched
//!   by the *value* of the time column, not by row order: when week 2 was not measured, the lag at
//!   week 3 is missing, never week 1's value. Rows may come in any order. A row without a person
//!   or a time has no lag (also for k = 0).
//! - `factor(x)` of a numeric x has the sorted distinct values as levels, labelled as R prints
//!   them; of a text column it is that column's factor.
//!
//! Why the whole panel: a lagged model in R computes `lag(x)` and person means on the complete
//! data and only then drops incomplete rows (lme4's `na.omit`). Computing them after the drop would
//! change the person means and turn a missed week into a spurious lag, so the numbers would no
//! longer agree with the analysis researchers compare against.
//!
//! Functions nest by evaluating the inside first over the whole panel: `lag(within(x))` is the
//! earlier row's `within(x)`, and `within(lag(x))` centres the lagged values on each person's mean
//! of the lagged values.
//!
//! R's arithmetic (`I(week^2)`, `log(x)`, ..., `arith.rs`) is elementwise and refuses values a
//! function cannot take; `scale()` and `poly()` (`scale.rs`) are computed from every observed
//! value, over the whole panel like the panel functions, as R computes them before `na.omit`.

mod arith;
mod error;
mod levels;
mod scale;
mod shift;
mod suggest;
mod typos;

pub use error::TransformError;
pub use typos::check_numbers_column;

pub use levels::{factor_from_numbers, r_number};
pub use suggest::suggest_column;

use crate::formula::{Expr, Function};
use crate::frame::{Column, Frame, Panel, MISSING_CODE};
use std::borrow::Cow;

/// An evaluated variable, one value per row of the frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Variable {
    /// NaN = missing.
    Numeric(Vec<f64>),
    /// Codes into levels (R's order); `frame::MISSING_CODE` = missing.
    Factor {
        codes: Vec<u32>,
        levels: Vec<String>,
    },
}

impl Variable {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Variable::Numeric(values) => values.len(),
            Variable::Factor { codes, .. } => codes.len(),
        }
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when `row` is missing (or out of range).
    pub fn is_missing(&self, row: usize) -> bool {
        match self {
            Variable::Numeric(values) => values.get(row).is_none_or(|v| v.is_nan()),
            Variable::Factor { codes, .. } => codes.get(row).is_none_or(|&c| c == MISSING_CODE),
        }
    }
}

/// Evaluates `expr` on every row of `frame`, over the whole panel (see the module docs).
///
/// Errors: an unknown column (with the nearest name as a suggestion), `within`/`between`/
/// `lag`/`lead` without a person column, `lag`/`lead` without a time column or with fractional
/// times, and `within`/`between`/`center` of a text variable.
pub fn evaluate(expr: &Expr, frame: &Frame, panel: &Panel) -> Result<Variable, TransformError> {
    evaluate_part(expr, frame, panel).map_err(|e| e.in_term(expr))
}

/// The model-matrix columns of `expr` (several for `poly(x, k)`, see [`Expr::column_names`])
/// on every row, with warnings (poly() over a partly missing x).
///
/// Errors: as [`evaluate`], and a `poly()` degree not below the number of distinct values.
pub fn evaluate_columns(
    expr: &Expr,
    frame: &Frame,
    panel: &Panel,
) -> Result<(Vec<Variable>, Vec<String>), TransformError> {
    match expr {
        Expr::Call(Function::Poly, args) => {
            scale::poly(expr, args, frame, panel).map_err(|e| e.in_term(expr))
        }
        _ => Ok((vec![evaluate(expr, frame, panel)?], Vec::new())),
    }
}

/// Checks that the person and time columns that `exprs` need are given, before any is
/// evaluated: when a lag needs both and neither is given, one error names both.
///
/// Errors: [`TransformError::NeedsIdAndTime`], [`TransformError::NeedsId`],
/// [`TransformError::NeedsTime`], naming the first expression that needs the column.
pub fn check_panel_roles(exprs: &[&Expr], panel: &Panel) -> Result<(), TransformError> {
    let function = |wanted: fn(&Expr) -> bool| exprs.iter().find(|e| wanted(e)).map(|e| e.name());
    let shifted = function(Expr::shifts);
    let personal = function(Expr::needs_person);
    match (panel.id_name.is_some(), panel.time_name.is_some()) {
        (false, false) if shifted.is_some() => Err(TransformError::NeedsIdAndTime {
            function: shifted.unwrap_or_default(),
        }),
        (false, _) if personal.is_some() => Err(TransformError::NeedsId {
            function: personal.unwrap_or_default(),
        }),
        (_, false) if shifted.is_some() => Err(TransformError::NeedsTime {
            function: shifted.unwrap_or_default(),
        }),
        _ => Ok(()),
    }
}

impl TransformError {
    /// A domain error names the model variable it happened in.
    fn in_term(self, expr: &Expr) -> TransformError {
        match self {
            TransformError::Domain {
                expression,
                problem,
                rows,
                line,
                value,
                ..
            } => TransformError::Domain {
                expression,
                term: expr.name(),
                problem,
                rows,
                line,
                value,
            },
            other => other,
        }
    }
}

fn evaluate_part(expr: &Expr, frame: &Frame, panel: &Panel) -> Result<Variable, TransformError> {
    match expr {
        Expr::Column(name) => column(name, frame),
        Expr::Within(inner) => {
            let x = numeric_argument(expr, inner, frame, panel)?;
            needs_id(expr, panel)?;
            let means = person_means(&x, panel);
            let within = x
                .iter()
                .enumerate()
                .map(|(row, &v)| v - person_value(&means, panel, row))
                .collect();
            Ok(Variable::Numeric(within))
        }
        Expr::Between(inner) => {
            let x = numeric_argument(expr, inner, frame, panel)?;
            needs_id(expr, panel)?;
            let means = person_means(&x, panel);
            let between = (0..x.len())
                .map(|row| person_value(&means, panel, row))
                .collect();
            Ok(Variable::Numeric(between))
        }
        Expr::Center(inner) => {
            let x = numeric_argument(expr, inner, frame, panel)?;
            let grand = mean(x.iter().copied().filter(|v| !v.is_nan()));
            Ok(Variable::Numeric(x.iter().map(|v| v - grand).collect()))
        }
        Expr::Lag(inner, k) => {
            let x = evaluate(inner, frame, panel)?;
            let index = shift::TimeIndex::new(expr, frame, panel)?;
            Ok(index.shift(&x, -i64::from(*k)))
        }
        Expr::Lead(inner, k) => {
            let x = evaluate(inner, frame, panel)?;
            let index = shift::TimeIndex::new(expr, frame, panel)?;
            Ok(index.shift(&x, i64::from(*k)))
        }
        Expr::Factor(inner) => match evaluate_part(inner, frame, panel)? {
            Variable::Numeric(values) => Ok(factor_from_numbers(&values)),
            factor => Ok(factor),
        },
        // Only evaluate_columns gives all of poly()'s columns; parsing keeps poly() out of
        // other expressions, so this is the first column of a poly() evaluated on its own.
        Expr::Call(Function::Poly, args) => {
            let (mut columns, _) = scale::poly(expr, args, frame, panel)?;
            Ok(columns.swap_remove(0))
        }
        _ => Ok(Variable::Numeric(
            arith::arithmetic(expr, frame, panel)?.into_owned(),
        )),
    }
}

/// Each person's mean of the observed (non-NaN) `values`, indexed like `panel.persons`; NaN for
/// a person with no observed value. Rows without a person are ignored.
pub fn person_means(values: &[f64], panel: &Panel) -> Vec<f64> {
    let persons = panel.persons.len();
    let mut sum = vec![0.0; persons];
    let mut count = vec![0usize; persons];
    for (row, &v) in values.iter().enumerate() {
        if let (false, Some(p)) = (v.is_nan(), person_of(panel, row)) {
            sum[p] += v;
            count[p] += 1;
        }
    }
    let mut means: Vec<f64> = sum
        .iter()
        .zip(&count)
        .map(|(&s, &c)| if c == 0 { f64::NAN } else { s / c as f64 })
        .collect();
    // A second pass removes most of the rounding error of the first, as R's mean() does; person
    // means feed every within-person effect, so their accuracy shows up in the estimates.
    let mut correction = vec![0.0; persons];
    for (row, &v) in values.iter().enumerate() {
        if let (false, Some(p)) = (v.is_nan(), person_of(panel, row)) {
            correction[p] += v - means[p];
        }
    }
    for ((m, c), &n) in means.iter_mut().zip(&correction).zip(&count) {
        if n > 0 {
            *m += c / n as f64;
        }
    }
    means
}

/// Person index of `row`, or None when the id cell is missing (or the panel has no id).
pub(crate) fn person_of(panel: &Panel, row: usize) -> Option<usize> {
    // MISSING_CODE is never below the number of persons, so one comparison covers both cases.
    let p = usize::try_from(*panel.person.get(row)?).ok()?;
    (p < panel.persons.len()).then_some(p)
}

/// Mean of the values (NaN when there are none), with R's second-pass refinement.
pub(crate) fn mean(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let (sum, n) = values
        .clone()
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        return f64::NAN;
    }
    let first = sum / n as f64;
    first + values.map(|v| v - first).sum::<f64>() / n as f64
}

fn person_value(means: &[f64], panel: &Panel, row: usize) -> f64 {
    person_of(panel, row).map_or(f64::NAN, |p| means[p])
}

fn column(name: &str, frame: &Frame) -> Result<Variable, TransformError> {
    match frame.column(name) {
        Some(Column::Numeric(values)) => Ok(Variable::Numeric(values.clone())),
        Some(Column::Text(text)) => Ok(Variable::Factor {
            codes: text.codes.clone(),
            levels: text.levels.clone(),
        }),
        None => Err(TransformError::UnknownColumn {
            name: name.to_string(),
            suggestion: suggest_column(name, &frame.names),
        }),
    }
}

/// The values of `inner` for `within`, `between` or `center`: a plain numeric column is read
/// where it lies in the frame, not copied (at a million rows a copy is 8 MB for nothing).
fn numeric_argument<'f>(
    expr: &Expr,
    inner: &Expr,
    frame: &'f Frame,
    panel: &Panel,
) -> Result<Cow<'f, [f64]>, TransformError> {
    if let Expr::Column(name) = inner {
        if let Some(Column::Numeric(values)) = frame.column(name) {
            return Ok(Cow::Borrowed(values));
        }
    }
    match evaluate(inner, frame, panel)? {
        Variable::Numeric(values) => Ok(Cow::Owned(values)),
        Variable::Factor { .. } => Err(TransformError::NotNumeric {
            function: expr.name(),
            argument: inner.name(),
        }),
    }
}

fn needs_id(expr: &Expr, panel: &Panel) -> Result<(), TransformError> {
    match panel.id_name {
        Some(_) => Ok(()),
        None => Err(TransformError::NeedsId {
            function: expr.name(),
        }),
    }
}

#[cfg(test)]
mod arith_tests;
#[cfg(test)]
mod tests;
