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
    /// Crossed grouping factors whose dense blocks of the Cholesky factor would not fit in
    /// memory: `bytes` needed, `limit` allowed, `crossed` the terms that fill in.
    TooLarge {
        bytes: u128,
        limit: u128,
        crossed: String,
        fixed: usize,
    },
    /// The same random-effects term (grouping factor and columns) written twice.
    RepeatedTerm { group: String, columns: String },
    /// The criterion could not be evaluated at the starting values.
    Degenerate { message: String },
    /// Outputs per row were asked of a fit of another model or data set (`what` differs).
    FitDoesNotMatch { what: String },
    /// The fitted effect of `term` cannot be drawn (`reason` says why).
    EffectNotDrawable { term: String, reason: String },
    /// Kenward-Roger was asked for an ML fit.
    KenwardRogerNeedsReml,
    /// Kenward-Roger with several random-effects terms and a connected block of random effects
    /// (levels linked by shared observations) larger than its dense treatment takes:
    /// `random_effects` in the largest block, `limit` allowed.
    KenwardRogerTooLarge { random_effects: usize, limit: usize },
    /// Kenward-Roger over `blocks` connected blocks of random effects (`random_effects` in all,
    /// up to `largest` in one) whose dense treatment together would take too long.
    KenwardRogerTooMuchWork {
        blocks: usize,
        largest: usize,
        random_effects: usize,
    },
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
                bytes,
                limit,
                crossed,
                fixed,
            } => {
                write!(
                f,
                "this model's crossed grouping factors make the dense part of its Cholesky factor \
                 {:.1} GB ({} with the {fixed} fixed effects), more than the {:.1} GB lagmix \
                 allows: that memory grows with the square, and each evaluation's time with the \
                 cube, of the random effects of crossed factors ({crossed}). Nested factors cost \
                 nothing like this: check whether a factor's levels repeat across groups of \
                 another (give them unique codes if they are nested), or drop a term",
                *bytes as f64 / 1e9,
                if crossed.is_empty() { "the fixed effects" } else { "the crossed terms" },
                *limit as f64 / 1e9,
            )
            }
            ModelError::RepeatedTerm { group, columns } => write!(
                f,
                "the random-effects term ({columns} | {group}) appears more than once: a repeated \
                 term such as `(1 | id) + (1 | id)` adds nothing to the model (its variances \
                 cannot be told apart); write each term once"
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
                "Kenward-Roger works on one dense matrix per connected block of random effects \
                 (levels of the grouping factors linked by shared observations, such as a person \
                 with their days); this model's largest block has {random_effects} random \
                 effects, more than the {limit} it takes (its time grows with the cube of that \
                 number, and crossed factors link almost everything into one block): choose \
                 Satterthwaite df, which handles this model and which lmerTest uses by default"
            ),
            ModelError::KenwardRogerTooMuchWork {
                blocks,
                largest,
                random_effects,
            } => write!(
                f,
                "Kenward-Roger works on one dense matrix per connected block of random effects \
                 (levels of the grouping factors linked by shared observations); this model has \
                 {blocks} blocks with {random_effects} random effects in all and up to {largest} \
                 in one, which together would take too long (the time of a block grows with the \
                 cube of its size): choose Satterthwaite df, which handles this model and which \
                 lmerTest uses by default"
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
