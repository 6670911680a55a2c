//! Fixed-effect tests (Satterthwaite, residual, between-within df), VarCorr, fit statistics.
//! OWNER: lead.

use crate::design::Design;
use crate::formula::ModelSpec;
use crate::{Error, FitResult, ModelOptions};

/// How denominator degrees of freedom are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DfMethod {
    /// lmerTest's Satterthwaite approximation (the default).
    Satterthwaite,
    /// n - rank(X).
    Residual,
    /// nlme / SAS containment ("between-within").
    BetweenWithin,
}

/// Fits the model in `design` and computes everything the result reports.
pub fn fit_and_infer(
    _spec: &ModelSpec,
    _design: Design,
    _options: &ModelOptions,
) -> Result<FitResult, Error> {
    Err(Error::Model(crate::model::ModelError::NoObservations))
}
