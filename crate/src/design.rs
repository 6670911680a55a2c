//! [`ModelSpec`] + data -> [`Design`]: the response, X (fixed effects, named as lme4 names them)
//! and the random-effects terms, over the complete rows.
//!
//! Every variable of the model is evaluated on the whole panel first (lags and person means need
//! all rows, see [`crate::transform`]); then, as lme4's `na.omit`, only rows where every model
//! variable and grouping column is present are used. Factors keep only the levels present in
//! those rows (lme4 drops unused levels), X is coded as R's `model.matrix` codes it
//! (`columns.rs`), and columns that are linear combinations of earlier ones are dropped with a
//! warning, as lme4 does. Each random-effects term is Z_i of Bates et al. (2015, JSS 67(1),
//! section 2.2): a grouping factor (refs into its levels) and a small model matrix per row.
//!
//! X and the Z_i are not stored: each column is a product of the used variables
//! ([`ModelMatrix`], `matrix.rs`), computed when the model forms its cross-products, so the
//! design holds the variables once (at a million rows every stored column would be 8 MB).

mod codes;
mod columns;
mod errors;
mod evaluate;
mod export;
mod grouping;
mod matrix;
#[cfg(test)]
mod tests;
mod type3;

pub use errors::DesignError;
pub use export::{csv_line, derived_csv, write_derived_csv, write_derived_csv_with_outputs};
pub(crate) use matrix::ColumnSums;
pub use matrix::{ModelData, ModelMatrix, BLOCK_ROWS};
pub use type3::{CompleteDesign, TermVariables};

use crate::formula::{ModelSpec, RandomTerm};
use crate::frame::{Frame, Panel, MISSING_CODE};
use crate::transform::Variable;
use columns::{aliased_columns, model_columns};
use evaluate::{evaluate_model, model_exprs, random_text, Evaluated};
use matrix::UsedVariable;
use std::borrow::Cow;

/// Most fixed-effect columns lagmix holds: X'X and R_X are dense matrices whose memory grows
/// with the square, and whose factorisation with the cube, of that number; at 2,000 a matrix is
/// 32 MB and a fit still takes seconds. (Random effects have no such limit: see
/// [`crate::model::MAX_DENSE_BYTES`].)
pub const MAX_DENSE: usize = 2000;

/// One random-effects term over the used rows (Z_i in Bates et al. 2015, as MixedModels.jl's ReMat).
#[derive(Debug, Clone, PartialEq)]
pub struct RandomEffectsTerm {
    /// Grouping factor name as lme4 prints it.
    pub group: String,
    /// Levels of the grouping factor present in the used rows.
    pub levels: Vec<String>,
    /// Level index of each used row.
    pub refs: Vec<u32>,
    /// The term's model-matrix columns (`(Intercept)`, `within(x)`), over [`Design::data`].
    pub z: ModelMatrix,
}

impl RandomEffectsTerm {
    /// Number of columns per level (q_i).
    pub fn q(&self) -> usize {
        self.z.ncols()
    }

    /// Column names (`(Intercept)`, `within(x)`).
    pub fn names(&self) -> &[String] {
        &self.z.names
    }
}

/// The design over the complete rows.
#[derive(Debug, Clone)]
pub struct Design {
    /// Response name (normalized formula text).
    pub response: String,
    /// The response over the used rows.
    pub y: Vec<f64>,
    /// The model's variables over the used rows, which X and the Z_i are products of.
    pub data: ModelData,
    /// The fixed-effects model matrix (n x p), aliased columns already removed; its names are
    /// lme4's (`(Intercept)`, `SexMale`, `a:b`).
    pub x: ModelMatrix,
    /// Random-effects terms in formula order (after `||` and `/` expansion).
    pub random: Vec<RandomEffectsTerm>,
    /// Rows in the frame.
    pub total_rows: usize,
    /// For each variable with missing values among the frame's rows: (variable name, rows missing).
    pub missing_by_variable: Vec<(String, usize)>,
    /// Plain-words warnings (aliased columns dropped, ...).
    pub warnings: Vec<String>,
    /// Rows complete for this model but left out because another model it is compared with
    /// misses a variable there (every compared model is fitted to the same rows).
    pub left_out_to_match: usize,
    /// The panel's id and time over the used rows, kept only when asked for (a residual
    /// correlation within person needs each row's occasion).
    pub occasions: Option<PanelTime>,
}

/// The panel's columns over the used rows, for a model whose residuals depend on the occasion.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelTime {
    /// The id column's name (the grouping factor the correlation is within).
    pub id: String,
    /// The time column's name.
    pub time: String,
    /// The time of each used row.
    pub values: Vec<f64>,
}

impl Design {
    /// Names of X's columns as lme4 prints them.
    pub fn fixed_names(&self) -> &[String] {
        &self.x.names
    }
}

/// Builds the design for `spec` over the complete rows of `frame`.
///
/// Errors: unknown columns (with the nearest name), transform errors, a text response, no
/// complete row, a factor with one level, fewer observations than fixed effects, and grouping
/// factors lme4 refuses (fewer than 2 levels, as many levels as observations, more random
/// effects than observations).
pub fn build_design(spec: &ModelSpec, frame: &Frame, panel: &Panel) -> Result<Design, DesignError> {
    build_borrowed(spec, frame, panel, None, None)
}

/// As [`build_design`], and keeps each used row's time (the design's `occasions`): rows without
/// a time are not used. Errors: as [`build_design`]; without an id and time column the
/// design has no occasions.
pub fn build_panel_design(
    spec: &ModelSpec,
    frame: &Frame,
    panel: &Panel,
) -> Result<Design, DesignError> {
    build_borrowed(spec, frame, panel, None, panel_time(frame, panel))
}

/// As [`build_design`], with the frame row (0-based) of each row of the design: for the outputs
/// per row (fitted values, residuals), which belong to rows of the data set.
pub fn build_design_with_rows(
    spec: &ModelSpec,
    frame: &Frame,
    panel: &Panel,
) -> Result<(Design, Vec<usize>), DesignError> {
    let evaluated = evaluate_borrowed(spec, frame, panel)?;
    let (used, _) = used_rows(spec, &evaluated, frame.nrows());
    let rows = (0..used.len()).filter(|&r| used[r]).collect();
    Ok((assemble(spec, evaluated, frame.nrows(), None, None)?, rows))
}

/// The design over a borrowed frame, over the rows `shared` marks too (when given), keeping
/// the occasions `time` (when given).
fn build_borrowed(
    spec: &ModelSpec,
    frame: &Frame,
    panel: &Panel,
    shared: Option<&[bool]>,
    time: Option<PanelTime>,
) -> Result<Design, DesignError> {
    let evaluated = evaluate_borrowed(spec, frame, panel)?;
    assemble(spec, evaluated, frame.nrows(), shared, time)
}

/// The panel's id and time names with the time over all frame rows, when both are given.
fn panel_time(frame: &Frame, panel: &Panel) -> Option<PanelTime> {
    Some(PanelTime {
        id: panel.id_name.clone()?,
        time: panel.time_name.clone()?,
        values: panel.time(frame).to_vec(),
    })
}

/// The model's variables over a borrowed frame, with the warnings about suspicious codes.
fn evaluate_borrowed(
    spec: &ModelSpec,
    frame: &Frame,
    panel: &Panel,
) -> Result<Evaluated, DesignError> {
    let warnings = codes::suspicious_codes(&model_exprs(spec), frame);
    let mut evaluated = evaluate_model(spec, &mut Cow::Borrowed(frame), panel)?;
    evaluated.warnings.extend(warnings);
    Ok(evaluated)
}

/// The frame rows where every variable and grouping column of `spec` is present: the rows lme4
/// would fit it to. Errors: as [`build_design`] for unknown columns and transforms.
pub fn complete_rows(
    spec: &ModelSpec,
    frame: &Frame,
    panel: &Panel,
) -> Result<Vec<bool>, DesignError> {
    let evaluated = evaluate_model(spec, &mut Cow::Borrowed(frame), panel)?;
    Ok(used_rows(spec, &evaluated, frame.nrows()).0)
}

/// As [`build_design`] (or [`build_panel_design`] when `with_occasions`), over the rows that are
/// complete for this model and marked in `shared` (the rows complete for every model of a
/// comparison, see [`complete_rows`]).
pub fn build_design_on_rows(
    spec: &ModelSpec,
    frame: &Frame,
    panel: &Panel,
    shared: &[bool],
    with_occasions: bool,
) -> Result<Design, DesignError> {
    let time = if with_occasions {
        panel_time(frame, panel)
    } else {
        None
    };
    build_borrowed(spec, frame, panel, Some(shared), time)
}

/// The rows where every model variable and grouping column is present (lme4's `na.omit`), and
/// the number of rows missing per variable (each variable once).
fn used_rows(
    spec: &ModelSpec,
    evaluated: &Evaluated,
    total_rows: usize,
) -> (Vec<bool>, Vec<(String, usize)>) {
    let mut missing_by_variable: Vec<(String, usize)> = Vec::new();
    let mut used = vec![true; total_rows];
    for (name, variable) in evaluated.variables.iter().chain(&evaluated.groups) {
        let missing = mark_missing(variable, &mut used);
        // poly()'s columns are missing together: the poly() names them.
        let name = basis_owner(spec, name);
        if missing > 0 && missing_by_variable.iter().all(|(n, _)| *n != name) {
            missing_by_variable.push((name, missing));
        }
    }
    (used, missing_by_variable)
}

/// As [`build_design`], but consumes the data set: plain columns move into the design instead of
/// being copied, and the rest is freed once the model's variables are evaluated. A one-shot fit
/// (the CLI) then never holds the data set and the design at the same time.
pub fn build_design_consuming(
    spec: &ModelSpec,
    frame: Frame,
    panel: Panel,
) -> Result<Design, DesignError> {
    build_consuming(spec, frame, panel, None)
}

/// As [`build_design_consuming`], keeping the occasions as [`build_panel_design`] does.
pub fn build_panel_design_consuming(
    spec: &ModelSpec,
    frame: Frame,
    panel: Panel,
) -> Result<Design, DesignError> {
    // A copy before the columns are consumed: a transform or the model may take the time column.
    let time = panel_time(&frame, &panel);
    build_consuming(spec, frame, panel, time)
}

fn build_consuming(
    spec: &ModelSpec,
    frame: Frame,
    panel: Panel,
    time: Option<PanelTime>,
) -> Result<Design, DesignError> {
    let warnings = codes::suspicious_codes(&model_exprs(spec), &frame);
    let total_rows = frame.nrows();
    let mut evaluated = evaluate_model(spec, &mut Cow::Owned(frame), &panel)?;
    evaluated.warnings.extend(warnings);
    drop(panel);
    assemble(spec, evaluated, total_rows, None, time)
}

/// The design from the evaluated variables (no data set needed any more), over the complete rows
/// that `shared` (when given) also marks.
fn assemble(
    spec: &ModelSpec,
    evaluated: Evaluated,
    total_rows: usize,
    shared: Option<&[bool]>,
    occasions: Option<PanelTime>,
) -> Result<Design, DesignError> {
    let (mut used, mut missing_by_variable) = used_rows(spec, &evaluated, total_rows);
    let Evaluated {
        variables,
        groups,
        mut warnings,
    } = evaluated;
    let response = spec.response.name();
    if let Some((_, Variable::Factor { levels, .. })) = variables.first() {
        return Err(DesignError::TextResponse {
            name: response,
            example: levels.first().cloned().unwrap_or_default(),
        });
    }

    let all: Vec<&(String, Variable)> = variables.iter().chain(&groups).collect();
    // A row without a time has no place in its person's series (nlme's na.omit over `~ time | id`).
    let occasions = occasions.map(|mut occasions| {
        let time = Variable::Numeric(std::mem::take(&mut occasions.values));
        let missing = mark_missing(&time, &mut used);
        if missing > 0
            && missing_by_variable
                .iter()
                .all(|(n, _)| *n != occasions.time)
        {
            missing_by_variable.push((occasions.time.clone(), missing));
        }
        (occasions, time)
    });
    let complete_alone = used.iter().filter(|&&u| u).count();
    if let Some(shared) = shared {
        for (u, &s) in used.iter_mut().zip(shared) {
            *u &= s;
        }
    }
    let n = used.iter().filter(|&&u| u).count();
    if n == 0 {
        return Err(DesignError::NoCompleteRows {
            variables: all.iter().map(|(name, _)| name.clone()).collect(),
            missing: missing_by_variable,
            total_rows,
        });
    }

    // Each variable is cut down to the used rows in place: at a million rows a copy would be
    // megabytes per variable.
    let mut names = Vec::with_capacity(variables.len());
    let mut used_variables = Vec::with_capacity(variables.len());
    for (name, variable) in variables {
        names.push(name);
        used_variables.push(restrict(variable, &used));
    }
    let groups: Vec<(String, Variable)> = groups
        .into_iter()
        .map(|(name, variable)| (name, keep_rows(variable, &used)))
        .collect();
    let occasions = occasions.map(|(occasions, time)| match keep_rows(time, &used) {
        Variable::Numeric(values) => PanelTime {
            values,
            ..occasions
        },
        Variable::Factor { .. } => occasions,
    });
    drop(used);
    // The response leaves the data unless a term uses it too (`y ~ lag(y)` does not: that is
    // another variable).
    let response_is_predictor = model_exprs(spec)[1..].iter().any(|e| e.name() == response);
    let y = match used_variables.first_mut() {
        Some(UsedVariable::Numeric(values)) if response_is_predictor => values.clone(),
        Some(UsedVariable::Numeric(values)) => std::mem::take(values),
        _ => {
            return Err(DesignError::Internal {
                message: "the response was not evaluated as numbers".into(),
            })
        }
    };
    // With one row the other checks say more (a single level, too few rows).
    if n > 1 && y.iter().all(|&v| v == y[0]) {
        return Err(DesignError::ConstantResponse {
            name: response,
            value: y[0],
            n,
        });
    }
    let data = ModelData::new(n, used_variables);
    let lookup = |name: &str| {
        let index = names.iter().position(|n| n == name)?;
        Some((index, data.variable(index)?))
    };

    let mut x = model_columns(spec.intercept, &spec.terms, &lookup)?;
    if x.ncols() > MAX_DENSE {
        return Err(DesignError::TooManyFixedEffects {
            p: x.ncols(),
            limit: MAX_DENSE,
        });
    }
    let aliased = aliased_columns(&x, &data);
    if !aliased.is_empty() {
        let names: Vec<String> = aliased
            .iter()
            .map(|&j| format!("`{}`", x.names[j]))
            .collect();
        warnings.push(format!(
            "the fixed-effects model matrix is rank deficient, so {} {} dropped: {}. {} a combination of the columns before {} (for example a variable that is constant within the rows used, or equal to another variable), so {} effect cannot be estimated separately.",
            names.len(),
            if names.len() == 1 { "column was" } else { "columns were" },
            names.join(", "),
            if names.len() == 1 { "It is" } else { "Each is" },
            if names.len() == 1 { "it" } else { "them" },
            if names.len() == 1 { "its" } else { "their" },
        ));
        x.remove(&aliased);
    }
    let p = x.ncols();
    if n <= p {
        return Err(DesignError::TooFewObservations { n, p });
    }
    let mut random = Vec::with_capacity(spec.random.len());
    for term in &spec.random {
        random.push(random_term(term, &groups, n, &lookup)?);
    }

    Ok(Design {
        response,
        y,
        data,
        x,
        random,
        total_rows,
        missing_by_variable,
        warnings,
        left_out_to_match: complete_alone - n,
        occasions,
    })
}

/// The model variable a column belongs to: `poly(x, 2)` for `poly(x, 2)1`, else the name.
fn basis_owner(spec: &ModelSpec, column: &str) -> String {
    model_exprs(spec)
        .into_iter()
        .find(|e| e.columns() > 1 && e.column_names().iter().any(|c| c == column))
        .map_or_else(|| column.to_string(), |e| e.name())
}

/// Clears `used` where `variable` is missing (a row it does not reach counts as missing) and
/// returns the number of rows where it is.
fn mark_missing(variable: &Variable, used: &mut [bool]) -> usize {
    let reached = variable.len().min(used.len());
    let mut missing = used.len() - reached;
    used[reached..].fill(false);
    let mut mark = |is_missing: bool, u: &mut bool| {
        if is_missing {
            *u = false;
            missing += 1;
        }
    };
    match variable {
        Variable::Numeric(values) => {
            for (v, u) in values.iter().zip(used.iter_mut()) {
                mark(v.is_nan(), u);
            }
        }
        Variable::Factor { codes, .. } => {
            for (&c, u) in codes.iter().zip(used.iter_mut()) {
                mark(c == MISSING_CODE, u);
            }
        }
    }
    missing
}

/// `values` without the rows where `used` is false, moved down in place (the rows kept are in
/// order, so each moves to an index at or before its own) and the spare capacity released.
fn keep_used<T: Copy>(mut values: Vec<T>, used: &[bool]) -> Vec<T> {
    let mut kept = 0;
    for (r, &keep) in used.iter().enumerate() {
        if keep {
            if let Some(&v) = values.get(r) {
                values[kept] = v;
                kept += 1;
            }
        }
    }
    values.truncate(kept);
    values.shrink_to_fit();
    values
}

/// A variable over the used rows, levels as before.
fn keep_rows(variable: Variable, used: &[bool]) -> Variable {
    match variable {
        Variable::Numeric(values) => Variable::Numeric(keep_used(values, used)),
        Variable::Factor { codes, levels } => Variable::Factor {
            codes: keep_used(codes, used),
            levels,
        },
    }
}

/// A variable over the used rows; a factor keeps only the levels that occur there, in order.
fn restrict(variable: Variable, used: &[bool]) -> UsedVariable {
    match keep_rows(variable, used) {
        Variable::Numeric(values) => UsedVariable::Numeric(values),
        Variable::Factor { mut codes, levels } => {
            let (kept, new_code) = grouping::present_levels(codes.iter().copied(), levels);
            for c in &mut codes {
                *c = new_code.get(*c as usize).copied().unwrap_or(0);
            }
            UsedVariable::Factor {
                codes,
                levels: kept,
            }
        }
    }
}

fn random_term<'v>(
    term: &RandomTerm,
    groups: &[(String, Variable)],
    n: usize,
    lookup: &dyn Fn(&str) -> Option<(usize, &'v UsedVariable)>,
) -> Result<RandomEffectsTerm, DesignError> {
    let columns: Vec<&Variable> = term
        .grouping
        .iter()
        .filter_map(|g| groups.iter().find(|(name, _)| name == g).map(|(_, v)| v))
        .collect();
    let (levels, refs) = grouping::group_levels(&columns, n);
    let text = random_text(term);
    if levels.len() < 2 {
        return Err(DesignError::GroupingTooFewLevels {
            term: text,
            group: term.group_name.clone(),
            levels: levels.len(),
        });
    }
    if levels.len() >= n {
        return Err(DesignError::GroupingLevelsNotFewer {
            term: text,
            group: term.group_name.clone(),
            levels: levels.len(),
            n,
        });
    }
    let z = model_columns(term.intercept, &term.terms, lookup)?;
    let q = z.ncols();
    if levels.len() * q >= n {
        return Err(DesignError::TooManyRandomEffects {
            term: text,
            effects: levels.len() * q,
            n,
        });
    }
    Ok(RandomEffectsTerm {
        group: term.group_name.clone(),
        levels,
        refs,
        z,
    })
}
