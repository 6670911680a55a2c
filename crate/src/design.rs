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

pub use errors::DesignError;
pub use export::{derived_csv, write_derived_csv};
pub(crate) use matrix::ColumnSums;
pub use matrix::{ModelData, ModelMatrix, BLOCK_ROWS};

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
    let warnings = codes::suspicious_codes(&model_exprs(spec), frame);
    let mut evaluated = evaluate_model(spec, &mut Cow::Borrowed(frame), panel)?;
    evaluated.warnings.extend(warnings);
    assemble(spec, evaluated, frame.nrows())
}

/// As [`build_design`], but consumes the data set: plain columns move into the design instead of
/// being copied, and the rest is freed once the model's variables are evaluated. A one-shot fit
/// (the CLI) then never holds the data set and the design at the same time.
pub fn build_design_consuming(
    spec: &ModelSpec,
    frame: Frame,
    panel: Panel,
) -> Result<Design, DesignError> {
    let warnings = codes::suspicious_codes(&model_exprs(spec), &frame);
    let total_rows = frame.nrows();
    let mut evaluated = evaluate_model(spec, &mut Cow::Owned(frame), &panel)?;
    evaluated.warnings.extend(warnings);
    drop(panel);
    assemble(spec, evaluated, total_rows)
}

/// The design from the evaluated variables (no data set needed any more).
fn assemble(
    spec: &ModelSpec,
    evaluated: Evaluated,
    total_rows: usize,
) -> Result<Design, DesignError> {
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
    let mut missing_by_variable: Vec<(String, usize)> = Vec::new();
    let mut used = vec![true; total_rows];
    for (name, variable) in &all {
        let missing = mark_missing(variable, &mut used);
        if missing > 0 && missing_by_variable.iter().all(|(n, _)| n != name) {
            missing_by_variable.push((name.clone(), missing));
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
    })
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
