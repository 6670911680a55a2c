//! What the fixed-effect t and F tests need from the fit's df method: lmerTest's Satterthwaite
//! varpar covariance, pbkrtest's Kenward-Roger pieces, or one fixed df per coefficient.

use super::anova::Denominator;
use super::kenward_roger::{kenward_roger, KenwardRoger};
use super::satterthwaite::{coefficient_df, varpar_covariance, VarparCovariance};
use super::DfMethod;
use crate::model::LinearMixedModel;
use crate::Error;
use nalgebra::DMatrix;

/// What the fixed-effect t and F tests need from the df method.
pub(super) enum Tests {
    Satterthwaite(VarparCovariance),
    KenwardRoger(KenwardRoger),
    /// One fixed df per coefficient (residual, between-within).
    PerCoefficient(Vec<f64>),
}

/// The df method's pieces at the optimum (the model's theta): lmerTest's Satterthwaite varpar
/// covariance (with a warning when the curvature of the likelihood says the fit may not have
/// converged), pbkrtest's Kenward-Roger, or the residual / containment df. Errors: Kenward-Roger
/// on a model too large for its dense treatment.
pub(super) fn fixed_effect_tests(
    model: &mut LinearMixedModel,
    method: DfMethod,
    bw_df: Option<Vec<f64>>,
    sigma: f64,
    reml: bool,
    warnings: &mut Vec<String>,
) -> Result<Tests, Error> {
    let (n, p) = (model.nobs, model.p);
    Ok(match method {
        DfMethod::Residual => Tests::PerCoefficient(vec![(n - p) as f64; p]),
        DfMethod::BetweenWithin => {
            Tests::PerCoefficient(bw_df.unwrap_or_else(|| vec![f64::NAN; p]))
        }
        DfMethod::KenwardRoger => Tests::KenwardRoger(kenward_roger(model, sigma)?),
        DfMethod::Satterthwaite => {
            let theta = model.theta().to_vec();
            let vc = varpar_covariance(model, &theta, sigma, reml);
            if vc.negative_eigenvalues > 0 {
                warnings.push(format!(
                    "The curvature of the likelihood is negative in {} direction(s) at the \
                     estimates: the fit may not have converged, and the Satterthwaite df are \
                     unreliable.",
                    vc.negative_eigenvalues
                ));
            }
            Tests::Satterthwaite(vc)
        }
    })
}

impl Tests {
    /// The covariance of beta for the coefficient table (Kenward-Roger's adjusted one) and each
    /// coefficient's df; `cov_beta` is the unadjusted covariance.
    pub(super) fn coefficient_tests(&self, cov_beta: &DMatrix<f64>) -> (DMatrix<f64>, Vec<f64>) {
        let p = cov_beta.nrows();
        match self {
            Tests::Satterthwaite(vc) => (
                cov_beta.clone(),
                (0..p).map(|k| coefficient_df(vc, cov_beta, k)).collect(),
            ),
            Tests::KenwardRoger(kr) => (
                kr.adjusted_covariance(),
                (0..p).map(|k| kr.coefficient_df(k)).collect(),
            ),
            Tests::PerCoefficient(dfs) => (cov_beta.clone(), dfs.clone()),
        }
    }

    /// The denominators of the F tests.
    pub(super) fn denominator<'a>(&'a self, cov_beta: &'a DMatrix<f64>) -> Denominator<'a> {
        match self {
            Tests::Satterthwaite(vc) => Denominator::Satterthwaite(vc, cov_beta),
            Tests::KenwardRoger(kr) => Denominator::KenwardRoger(kr),
            Tests::PerCoefficient(dfs) => Denominator::PerCoefficient(dfs, cov_beta),
        }
    }
}
