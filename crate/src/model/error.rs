//! What can go wrong setting up or evaluating the model, in words for the researcher.

use std::fmt;

/// What can go wrong setting up or evaluating the model.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelError {
    /// The formula has no `( ... | group)` term.
    NoRandomEffects,
    /// Fewer complete rows than needed.
    TooFewObservations {
        nobs: usize,
        needed: usize,
        what: String,
    },
    /// A grouping factor with a single level among the complete rows.
    OneLevel { group: String },
    /// As many levels (or random effects) as observations: variances are not identifiable.
    TooManyLevels {
        group: String,
        random_effects: usize,
        nobs: usize,
    },
    /// The response or a predictor holds a value that is not finite.
    NotFinite { what: String },
    /// Too many random effects after the first term's, with the fixed effects, for the dense
    /// block they share.
    TooLarge {
        random_effects: usize,
        fixed: usize,
        limit: usize,
    },
    /// The criterion could not be evaluated at the starting values.
    Degenerate { message: String },
    /// Outputs per row were asked of a fit of another model or data set (`what` differs).
    FitDoesNotMatch { what: String },
    /// The fitted effect of `term` cannot be drawn (`reason` says why).
    EffectNotDrawable { term: String, reason: String },
    /// Kenward-Roger was asked for an ML fit.
    KenwardRogerNeedsReml,
    /// Kenward-Roger with several random-effects terms and more random effects than its dense
    /// treatment takes.
    KenwardRogerTooLarge { random_effects: usize, limit: usize },
    /// A residual correlation structure that cannot be fitted as asked.
    Correlation(super::residual::ResidualError),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::NoRandomEffects => write!(
                f,
                "the formula has no random-effects term such as `(1 | id)`: a mixed model needs at \
                 least one; for a model without random effects use ordinary regression"
            ),
            ModelError::TooFewObservations { nobs, needed, what } => write!(
                f,
                "only {nobs} complete rows, but {what} needs at least {needed}"
            ),
            ModelError::OneLevel { group } => write!(
                f,
                "grouping factor `{group}` has only one level among the complete rows: a random \
                 effect needs at least two groups (persons)"
            ),
            ModelError::TooManyLevels {
                group,
                random_effects,
                nobs,
            } => write!(
                f,
                "the random-effects term for `{group}` has {random_effects} random effects but \
                 there are only {nobs} complete rows: with (nearly) one row per group the \
                 group variance cannot be told apart from the residual variance. Check that \
                 `{group}` identifies persons (not rows), or drop random slopes"
            ),
            ModelError::NotFinite { what } => write!(f, "{what} holds a value that is not finite"),
            ModelError::TooLarge {
                random_effects,
                fixed,
                limit,
            } => write!(
                f,
                "the random-effects terms after the first have {random_effects} random effects \
                 in all, which with the {fixed} fixed effects is more than the {limit} lagmix \
                 holds together: their matrix grows with the square of that number, so memory and \
                 time would run out. Crossed random effects with this many levels need a sparse \
                 method (lme4); or drop a term: a repeated term such as `(1 | id) + (1 | id)` \
                 adds nothing"
            ),
            ModelError::KenwardRogerNeedsReml => write!(
                f,
                "Kenward-Roger df are defined for REML fits only (they adjust the REML \
                 covariance of the fixed effects): fit by REML, or choose Satterthwaite, \
                 residual or between-within df for an ML fit"
            ),
            ModelError::KenwardRogerTooLarge {
                random_effects,
                limit,
            } => write!(
                f,
                "Kenward-Roger with several random-effects terms works on one dense matrix over \
                 all {random_effects} random effects, more than the {limit} it takes (its time \
                 grows with the cube of that number): choose Satterthwaite df, which lmerTest \
                 also uses by default, or a model with one grouping factor"
            ),
            ModelError::Degenerate { message } => {
                write!(f, "the model cannot be fitted: {message}")
            }
            ModelError::FitDoesNotMatch { what } => write!(
                f,
                "the fit does not belong to this model and data set ({what} differ): fit the \
                 model again before asking for its fitted values"
            ),
            ModelError::Correlation(e) => e.fmt(f),
            ModelError::EffectNotDrawable { term, reason } => {
                write!(f, "the fitted effect of `{term}` cannot be drawn: {reason}")
            }
        }
    }
}

impl std::error::Error for ModelError {}
