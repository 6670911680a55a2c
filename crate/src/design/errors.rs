//! What can go wrong building the design, in words for the researcher.

use crate::transform::TransformError;
use std::fmt;

/// What can go wrong building the design.
#[derive(Debug, Clone, PartialEq)]
pub enum DesignError {
    /// Evaluating a variable failed (missing id/time column, within() of text, ...).
    Transform(TransformError),
    /// The formula names a column the data does not have; `term` is where it was used.
    UnknownColumn {
        name: String,
        suggestion: Option<String>,
        term: String,
    },
    /// The response has the same value in every used row: there is no variance to model.
    ConstantResponse { name: String, value: f64, n: usize },
    /// The response is a text column; `example` is one of its values.
    TextResponse { name: String, example: String },
    /// No row has every model variable; `missing` counts missing rows per variable.
    NoCompleteRows {
        variables: Vec<String>,
        missing: Vec<(String, usize)>,
        total_rows: usize,
    },
    /// A factor has a single level among the used rows.
    SingleLevel { variable: String, level: String },
    /// n observations cannot estimate p fixed effects (n <= p).
    TooFewObservations { n: usize, p: usize },
    /// More fixed-effect columns than lagmix holds in its dense blocks (a factor with thousands
    /// of levels as a fixed effect, say).
    TooManyFixedEffects { p: usize, limit: usize },
    /// A grouping factor has fewer than 2 levels among the used rows.
    GroupingTooFewLevels {
        term: String,
        group: String,
        levels: usize,
    },
    /// A grouping factor has as many levels as used rows (lme4: must be < observations).
    GroupingLevelsNotFewer {
        term: String,
        group: String,
        levels: usize,
        n: usize,
    },
    /// A random term has as many random effects (levels x columns) as observations or more.
    TooManyRandomEffects {
        term: String,
        effects: usize,
        n: usize,
    },
    /// A broken invariant of lagmix itself (a bug, not a data problem).
    Internal { message: String },
}

impl From<TransformError> for DesignError {
    fn from(e: TransformError) -> DesignError {
        DesignError::Transform(e)
    }
}

impl fmt::Display for DesignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DesignError::Transform(e) => e.fmt(f),
            DesignError::UnknownColumn {
                name,
                suggestion,
                term,
            } => {
                write!(f, "there is no column `{name}` in the data")?;
                if term != name {
                    write!(f, " (used in `{term}`)")?;
                }
                match suggestion {
                    Some(s) => write!(f, "; did you mean `{s}`?"),
                    None => write!(f, "; column names must match the file's header exactly"),
                }
            }
            DesignError::ConstantResponse { name, value, n } => write!(
                f,
                "the outcome `{name}` has the same value ({}) in all {n} rows used, so there is \
                 no variation for the model to explain; check that the right column is the \
                 outcome (left of `~`) and that its values were read correctly",
                crate::frame::format_number(*value)
            ),
            DesignError::TextResponse { name, example } => write!(
                f,
                "the response `{name}` is text (values such as `{example}`), but the outcome of a \
                 linear mixed model must be a number; check that the column holds only numbers \
                 and missing-value codes"
            ),
            DesignError::NoCompleteRows {
                variables,
                missing,
                total_rows,
            } => {
                write!(
                    f,
                    "no row has all of: {} (of {total_rows} rows",
                    variables.join(", ")
                )?;
                for (name, count) in missing {
                    write!(f, "; {name} is missing in {count}")?;
                }
                write!(f, ")")?;
                if variables
                    .iter()
                    .any(|v| v.starts_with("lag(") || v.starts_with("lead("))
                {
                    write!(
                        f,
                        ". A lag or lead is missing where the neighbouring occasion was not measured."
                    )?;
                }
                Ok(())
            }
            DesignError::SingleLevel { variable, level } => write!(
                f,
                "`{variable}` has only one value (`{level}`) in the rows used, so there is no \
                 difference between its categories to estimate; remove it from the formula or \
                 check its missing values"
            ),
            DesignError::TooManyFixedEffects { p, limit } => write!(
                f,
                "the fixed effects have {p} columns (a categorical variable with many levels gets \
                 one column per level), more than the {limit} lagmix can estimate: time and memory \
                 grow with the square of that number. If the variable identifies persons or other \
                 groups, model it as a random effect, `(1 | variable)`, instead"
            ),
            DesignError::TooFewObservations { n, p } => write!(
                f,
                "only {n} complete rows for {p} fixed effects: a model needs more rows than \
                 fixed effects; simplify the formula or check the missing values"
            ),
            DesignError::GroupingTooFewLevels {
                term,
                group,
                levels,
            } => write!(
                f,
                "the grouping factor `{group}` of `{term}` has {levels} level in the rows used; \
                 random effects need at least 2 groups"
            ),
            DesignError::GroupingLevelsNotFewer {
                term,
                group,
                levels,
                n,
            } => write!(
                f,
                "`{group}` has as many levels as rows ({levels} groups in {n} rows used), so \
                 every group has a single observation and `{term}` cannot be told apart from the \
                 residual; check that `{group}` identifies persons rather than rows (lme4: the \
                 number of levels of each grouping factor must be < number of observations)"
            ),
            DesignError::TooManyRandomEffects { term, effects, n } => write!(
                f,
                "`{term}` has {effects} random effects for {n} rows used: with as many random \
                 effects as observations their variances cannot be told apart from the residual \
                 variance; use fewer random slopes (e.g. `(1 | id)`)"
            ),
            DesignError::Internal { message } => {
                write!(f, "internal error in lagmix (please report it): {message}")
            }
        }
    }
}

impl std::error::Error for DesignError {}
