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

mod codes;
mod columns;
mod errors;
mod export;
mod grouping;
#[cfg(test)]
mod tests;

pub use errors::DesignError;
pub use export::derived_csv;

use crate::formula::{Expr, ModelSpec, RandomTerm};
use crate::frame::{Frame, Panel};
use crate::transform::{
    check_numbers_column, evaluate, factor_from_numbers, r_number, TransformError, Variable,
};
use columns::{aliased_columns, model_columns, UsedVariable};
use nalgebra::DMatrix;

/// One random-effects term over the used rows (Z_i in Bates et al. 2015, as MixedModels.jl's ReMat).
#[derive(Debug, Clone, PartialEq)]
pub struct RandomEffectsTerm {
    /// Grouping factor name as lme4 prints it.
    pub group: String,
    /// Levels of the grouping factor present in the used rows.
    pub levels: Vec<String>,
    /// Level index of each used row.
    pub refs: Vec<u32>,
    /// Column names (`(Intercept)`, `within(x)`).
    pub names: Vec<String>,
    /// Column-major n x q: column c (`z[c * n..(c + 1) * n]`) is the term's c-th model-matrix
    /// column over the used rows (laid out as X is, so it is built without a copy).
    pub z: Vec<f64>,
}

impl RandomEffectsTerm {
    /// Number of columns per level (q_i).
    pub fn q(&self) -> usize {
        self.names.len()
    }
}

/// The design over the complete rows.
#[derive(Debug, Clone)]
pub struct Design {
    /// Response name (normalized formula text).
    pub response: String,
    /// The response over the used rows.
    pub y: Vec<f64>,
    /// n x p fixed-effects model matrix, aliased columns already removed.
    pub x: DMatrix<f64>,
    /// Names of X's columns as lme4 prints them (`(Intercept)`, `SexMale`, `a:b`).
    pub fixed_names: Vec<String>,
    /// Random-effects terms in formula order (after `||` and `/` expansion).
    pub random: Vec<RandomEffectsTerm>,
    /// Frame row index of each used row.
    pub used_rows: Vec<usize>,
    /// Rows in the frame.
    pub total_rows: usize,
    /// For each variable with missing values among the frame's rows: (variable name, rows missing).
    pub missing_by_variable: Vec<(String, usize)>,
    /// Plain-words warnings (aliased columns dropped, ...).
    pub warnings: Vec<String>,
}

/// The model's variables evaluated on every frame row.
pub(crate) struct Evaluated {
    /// Response first, then fixed and random-slope variables in order of first use, by name.
    pub variables: Vec<(String, Variable)>,
    /// Grouping columns as factors, by column name.
    pub groups: Vec<(String, Variable)>,
    pub warnings: Vec<String>,
}

/// The random term as it reads after expansion, for messages: `(1 + x | id)`.
fn random_text(term: &RandomTerm) -> String {
    let mut parts = vec![if term.intercept { "1" } else { "0" }.to_string()];
    parts.extend(term.terms.iter().map(|t| t.name()));
    format!("({} | {})", parts.join(" + "), term.group_name)
}

fn evaluate_in(
    expr: &Expr,
    context: &str,
    frame: &Frame,
    panel: &Panel,
) -> Result<Variable, DesignError> {
    evaluate(expr, frame, panel).map_err(|e| match e {
        TransformError::UnknownColumn { name, suggestion } => DesignError::UnknownColumn {
            name,
            suggestion,
            term: context.to_string(),
        },
        other => DesignError::Transform(other),
    })
}

/// The response and every variable of the fixed and random terms, in order of use.
fn model_exprs(spec: &ModelSpec) -> Vec<&Expr> {
    let mut exprs: Vec<&Expr> = vec![&spec.response];
    let random_terms = spec.random.iter().flat_map(|r| &r.terms);
    for term in spec.terms.iter().chain(random_terms) {
        exprs.extend(&term.factors);
    }
    exprs
}

/// Evaluates the response, every term's variables and the grouping columns on all frame rows.
pub(crate) fn evaluate_model(
    spec: &ModelSpec,
    frame: &Frame,
    panel: &Panel,
) -> Result<Evaluated, DesignError> {
    let mut variables: Vec<(String, Variable)> = Vec::new();
    for expr in model_exprs(spec) {
        let name = expr.name();
        if variables.iter().all(|(n, _)| *n != name) {
            check_numbers_column(expr, frame).map_err(DesignError::Transform)?;
            let variable = evaluate_in(expr, &name, frame, panel)?;
            variables.push((name, variable));
        }
    }
    let mut groups: Vec<(String, Variable)> = Vec::new();
    let mut warnings = Vec::new();
    for term in &spec.random {
        for column in &term.grouping {
            if groups.iter().any(|(n, _)| n == column) {
                continue;
            }
            let expr = Expr::Column(column.clone());
            let variable = match evaluate_in(&expr, &random_text(term), frame, panel)? {
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
    }
    Ok(Evaluated {
        variables,
        groups,
        warnings,
    })
}

/// Builds the design for `spec` over the complete rows of `frame`.
///
/// Errors: unknown columns (with the nearest name), transform errors, a text response, no
/// complete row, a factor with one level, fewer observations than fixed effects, and grouping
/// factors lme4 refuses (fewer than 2 levels, as many levels as observations, more random
/// effects than observations).
pub fn build_design(spec: &ModelSpec, frame: &Frame, panel: &Panel) -> Result<Design, DesignError> {
    let mut evaluated = evaluate_model(spec, frame, panel)?;
    evaluated
        .warnings
        .extend(codes::suspicious_codes(&model_exprs(spec), frame));
    assemble(spec, evaluated, frame.nrows())
}

/// As [`build_design`], but frees the data set once the model's variables are evaluated: a
/// one-shot fit (the CLI) then never holds the data set and the design at the same time, which
/// at a million rows is the difference between ~4x and ~7x the file's size in memory.
pub fn build_design_consuming(
    spec: &ModelSpec,
    frame: Frame,
    panel: Panel,
) -> Result<Design, DesignError> {
    let mut evaluated = evaluate_model(spec, &frame, &panel)?;
    evaluated
        .warnings
        .extend(codes::suspicious_codes(&model_exprs(spec), &frame));
    let total_rows = frame.nrows();
    drop(frame);
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
    for (name, variable) in &all {
        let missing = (0..total_rows).filter(|&r| variable.is_missing(r)).count();
        if missing > 0 && missing_by_variable.iter().all(|(n, _)| n != name) {
            missing_by_variable.push((name.clone(), missing));
        }
    }
    let complete = |r: &usize| all.iter().all(|(_, v)| !v.is_missing(*r));
    let mut used_rows: Vec<usize> = Vec::with_capacity((0..total_rows).filter(complete).count());
    used_rows.extend((0..total_rows).filter(complete));
    let n = used_rows.len();
    if n == 0 {
        return Err(DesignError::NoCompleteRows {
            variables: all.iter().map(|(name, _)| name.clone()).collect(),
            missing: missing_by_variable,
            total_rows,
        });
    }

    // Each variable over all rows is dropped as soon as its used-rows copy exists: at a million
    // rows every copy is megabytes.
    let used: Vec<(String, UsedVariable)> = variables
        .into_iter()
        .map(|(name, v)| {
            let restricted = restrict(&v, &used_rows);
            (name, restricted)
        })
        .collect();
    let lookup = |name: &str| used.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    let y = match used.first() {
        Some((_, UsedVariable::Numeric(values))) => values.clone(),
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

    let mut fixed = model_columns(spec.intercept, &spec.terms, n, &lookup)?;
    let aliased = aliased_columns(&fixed);
    if !aliased.is_empty() {
        let names: Vec<String> = aliased
            .iter()
            .map(|&j| format!("`{}`", fixed.names[j]))
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
        fixed.remove(&aliased);
    }
    let p = fixed.len();
    if n <= p {
        return Err(DesignError::TooFewObservations { n, p });
    }
    let fixed_names = fixed.names;
    // The column-major buffer becomes X without a copy.
    let x = DMatrix::from_vec(n, p, fixed.values);
    let mut random = Vec::with_capacity(spec.random.len());
    for term in &spec.random {
        random.push(random_term(term, &groups, &used_rows, &lookup)?);
    }

    Ok(Design {
        response,
        y,
        x,
        fixed_names,
        random,
        used_rows,
        total_rows,
        missing_by_variable,
        warnings,
    })
}

/// A variable over the used rows; a factor keeps only the levels that occur there, in order.
fn restrict(variable: &Variable, rows: &[usize]) -> UsedVariable {
    match variable {
        // Collected with exact capacity (not grown by doubling): at a million rows each spare
        // megabyte counts.
        Variable::Numeric(values) => {
            let mut used = Vec::with_capacity(rows.len());
            used.extend(
                rows.iter()
                    .map(|&r| values.get(r).copied().unwrap_or(f64::NAN)),
            );
            UsedVariable::Numeric(used)
        }
        Variable::Factor { codes, levels } => {
            let codes: Vec<usize> = rows
                .iter()
                .map(|&r| codes.get(r).map_or(0, |&c| c as usize))
                .collect();
            let mut present = vec![false; levels.len()];
            for &c in &codes {
                if let Some(p) = present.get_mut(c) {
                    *p = true;
                }
            }
            let mut new_code = vec![0; levels.len()];
            let mut kept = Vec::new();
            for (l, label) in levels.iter().enumerate() {
                if present[l] {
                    new_code[l] = kept.len();
                    kept.push(label.clone());
                }
            }
            UsedVariable::Factor {
                codes: codes
                    .iter()
                    .map(|&c| new_code.get(c).copied().unwrap_or(0))
                    .collect(),
                levels: kept,
            }
        }
    }
}

fn random_term<'v>(
    term: &RandomTerm,
    groups: &[(String, Variable)],
    used_rows: &[usize],
    lookup: &dyn Fn(&str) -> Option<&'v UsedVariable>,
) -> Result<RandomEffectsTerm, DesignError> {
    let n = used_rows.len();
    let columns: Vec<&Variable> = term
        .grouping
        .iter()
        .filter_map(|g| groups.iter().find(|(name, _)| name == g).map(|(_, v)| v))
        .collect();
    let (levels, refs) = grouping::group_levels(&columns, used_rows);
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
    let model = model_columns(term.intercept, &term.terms, n, lookup)?;
    let q = model.len();
    if levels.len() * q >= n {
        return Err(DesignError::TooManyRandomEffects {
            term: text,
            effects: levels.len() * q,
            n,
        });
    }
    let z = model.values;
    Ok(RandomEffectsTerm {
        group: term.group_name.clone(),
        levels,
        refs,
        names: model.names,
        z,
    })
}
