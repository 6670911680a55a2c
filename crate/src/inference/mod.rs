//! From a design to everything a result reports: the fit (REML or ML), fixed-effect tests with
//! Satterthwaite, residual or between-within df, VarCorr in lme4's layout, fit statistics and
//! warnings in plain words.

pub mod anova;
pub mod df;
pub mod kenward_roger;
pub mod satterthwaite;
mod varcorr;
mod warnings;

use crate::design::Design;
use crate::fit::fit_model;
use crate::formula::ModelSpec;
use crate::model::ModelError;
use crate::model::{theta_len, LinearMixedModel};
use crate::result::{FitResult, FixedEffect, GroupInfo, MissingCount, Optimization, VarCorrRow};
use crate::{Error, ModelOptions};
use anova::{anova_table, type3_hypotheses, Denominator};
use df::{between_within_df, response_constant_within, t_test};
use kenward_roger::kenward_roger;
use nalgebra::DMatrix;
use satterthwaite::{coefficient_df, varpar_covariance, VarparCovariance};
use varcorr::varcorr;
use warnings::{constant_response_warning, dropped_rows_warning, SINGULAR_FIT_WARNING};

/// How denominator degrees of freedom are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DfMethod {
    /// lmerTest's Satterthwaite approximation (the default).
    Satterthwaite,
    /// n - rank(X), for every coefficient.
    Residual,
    /// nlme / SAS containment ("between-within").
    BetweenWithin,
    /// Kenward-Roger as pbkrtest computes it (REML only): adjusted standard errors and df.
    KenwardRoger,
}

impl DfMethod {
    /// The name used in options and output: `satterthwaite`, `residual`, `between-within`.
    pub fn name(self) -> &'static str {
        match self {
            DfMethod::Satterthwaite => "satterthwaite",
            DfMethod::Residual => "residual",
            DfMethod::BetweenWithin => "between-within",
            DfMethod::KenwardRoger => "kenward-roger",
        }
    }

    /// Parses a df method name (case-insensitive).
    pub fn parse(text: &str) -> Option<DfMethod> {
        match text.trim().to_ascii_lowercase().as_str() {
            "satterthwaite" | "satt" => Some(DfMethod::Satterthwaite),
            "residual" | "resid" => Some(DfMethod::Residual),
            "between-within" | "betweenwithin" | "between_within" | "containment" => {
                Some(DfMethod::BetweenWithin)
            }
            "kenward-roger" | "kenwardroger" | "kenward_roger" | "kr" => {
                Some(DfMethod::KenwardRoger)
            }
            _ => None,
        }
    }
}

/// Tolerance of lme4's `isSingular`.
const SINGULAR_TOL: f64 = 1e-4;

/// True when some diagonal element of Λ is (nearly) zero: lme4's `isSingular`.
fn is_singular(model: &LinearMixedModel, theta: &[f64]) -> bool {
    theta
        .iter()
        .zip(&model.lower)
        .any(|(&t, &lb)| lb == 0.0 && t < SINGULAR_TOL)
}

/// Fits the model in `design` and computes everything the result reports: the fit, the fixed
/// effects with the chosen df, the variance components and the warnings.
pub fn fit_and_infer(
    spec: &ModelSpec,
    design: Design,
    options: &ModelOptions,
) -> Result<FitResult, Error> {
    if options.df == DfMethod::KenwardRoger && !options.reml {
        return Err(ModelError::KenwardRogerNeedsReml.into());
    }
    // Containment df, the type III hypotheses and the outcome check read the rows, which the
    // model gives up.
    let hypotheses = type3_hypotheses(spec, &design);
    let bw_df = (options.df == DfMethod::BetweenWithin).then(|| between_within_df(&design));
    let total_rows = design.total_rows;
    let response = design.response.clone();
    let missing_by_variable = missing_counts(&design);
    let mut warnings = design.warnings.clone();
    for group in response_constant_within(&design) {
        warnings.push(constant_response_warning(&design.response, &group));
    }
    let reml = options.reml;
    let mut model = LinearMixedModel::new(design)?;
    let opt = fit_model(&mut model, reml);
    let theta = opt.final_theta.clone();
    let (n, p) = (model.nobs, model.p);
    let criterion = model.objective(reml);
    let sigma = model.sigma(reml);
    let cov_beta = model.unscaled_cov_beta() * (sigma * sigma);
    let singular = is_singular(&model, &theta);

    let beta = model.beta();
    let tests = fixed_effect_tests(&mut model, options.df, bw_df, sigma, reml, &mut warnings)?;
    let (table_cov, dfs) = match &tests {
        Tests::Satterthwaite(vc) => (
            cov_beta.clone(),
            (0..p).map(|k| coefficient_df(vc, &cov_beta, k)).collect(),
        ),
        Tests::KenwardRoger(kr) => (
            kr.adjusted_covariance(),
            (0..p).map(|k| kr.coefficient_df(k)).collect(),
        ),
        Tests::PerCoefficient(dfs) => (cov_beta.clone(), dfs.clone()),
    };
    let denominator = match &tests {
        Tests::Satterthwaite(vc) => Denominator::Satterthwaite(vc, &cov_beta),
        Tests::KenwardRoger(kr) => Denominator::KenwardRoger(kr),
        Tests::PerCoefficient(dfs) => Denominator::PerCoefficient(dfs, &cov_beta),
    };
    let anova = anova_table(&hypotheses, &beta, &denominator);
    let fixed = fixed_effects(&model.fixed_names, &beta, &table_cov, &dfs);
    let n_par = (p + theta.len() + 1) as f64;
    let varcorr_rows = varcorr(&model, sigma);
    let icc = intercept_icc(&model, &theta, &varcorr_rows, sigma);
    let dropped_rows = total_rows - n;
    if dropped_rows > 0 {
        warnings.insert(
            0,
            dropped_rows_warning(dropped_rows, total_rows, &missing_by_variable),
        );
    }
    if singular {
        warnings.push(SINGULAR_FIT_WARNING.to_string());
    }
    if !opt.converged {
        warnings.push(format!(
            "The optimizer did not converge: {}. Treat the estimates with caution.",
            opt.message
        ));
    }
    Ok(FitResult {
        formula: spec.text.clone(),
        response,
        method: if reml { "REML" } else { "ML" }.into(),
        df_method: options.df.name().into(),
        nobs: n,
        total_rows,
        dropped_rows,
        missing_by_variable,
        groups: grouping_factors(&model),
        fixed,
        anova,
        varcorr: varcorr_rows,
        reml_criterion: if reml { Some(criterion) } else { None },
        log_lik: -criterion / 2.0,
        aic: criterion + 2.0 * n_par,
        bic: criterion + n_par * (n as f64).ln(),
        deviance: criterion,
        icc,
        sigma,
        theta: theta.clone(),
        singular,
        converged: opt.converged,
        optimization: Optimization {
            optimizer: "bounded Nelder-Mead, then Newton steps on finite differences".into(),
            initial_theta: opt.initial.clone(),
            final_theta: theta,
            evaluations: opt.evaluations,
            objective: opt.objective,
            converged: opt.converged,
            message: opt.message.clone(),
        },
        vcov: (0..p)
            .map(|i| (0..p).map(|j| cov_beta[(i, j)]).collect())
            .collect(),
        warnings,
    })
}

/// Rows missing per model variable, as the design counted them.
fn missing_counts(design: &Design) -> Vec<MissingCount> {
    design
        .missing_by_variable
        .iter()
        .map(|(variable, rows)| MissingCount {
            variable: variable.clone(),
            rows: *rows,
        })
        .collect()
}

/// What the fixed-effect t and F tests need from the df method.
enum Tests {
    Satterthwaite(VarparCovariance),
    KenwardRoger(kenward_roger::KenwardRoger),
    /// One fixed df per coefficient (residual, between-within).
    PerCoefficient(Vec<f64>),
}

/// The df method's pieces at the optimum (the model's theta): lmerTest's Satterthwaite varpar
/// covariance (with a warning when the curvature of the likelihood says the fit may not have
/// converged), pbkrtest's Kenward-Roger, or the residual / containment df. Errors: Kenward-Roger
/// on a model too large for its dense treatment.
fn fixed_effect_tests(
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

/// The fixed-effects table: B, SE, df, t, p and the 95% CI of every coefficient.
fn fixed_effects(
    names: &[String],
    beta: &[f64],
    cov_beta: &DMatrix<f64>,
    dfs: &[f64],
) -> Vec<FixedEffect> {
    (0..beta.len())
        .map(|k| {
            let se = cov_beta[(k, k)].sqrt();
            let t = beta[k] / se;
            let (pval, q) = t_test(t, dfs[k]);
            FixedEffect {
                term: names[k].clone(),
                estimate: beta[k],
                se,
                df: dfs[k],
                t,
                p: pval,
                ci_lower: beta[k] - q * se,
                ci_upper: beta[k] + q * se,
            }
        })
        .collect()
}

/// Each grouping factor once, in the model's term order, with its number of levels.
fn grouping_factors(model: &LinearMixedModel) -> Vec<GroupInfo> {
    let mut groups: Vec<GroupInfo> = Vec::new();
    for t in &model.terms {
        if !groups.iter().any(|g| g.name == t.group) {
            groups.push(GroupInfo {
                name: t.group.clone(),
                levels: t.levels.len(),
            });
        }
    }
    groups
}

/// The intra-class correlation tau² / (tau² + sigma²), defined here only for a model whose one
/// random effect is a random intercept.
fn intercept_icc(
    model: &LinearMixedModel,
    theta: &[f64],
    varcorr_rows: &[VarCorrRow],
    sigma: f64,
) -> Option<f64> {
    let one_intercept =
        model.terms.len() == 1 && model.terms[0].q() == 1 && theta_len(1) == theta.len();
    one_intercept.then(|| {
        let tau2 = varcorr_rows[0].vcov;
        tau2 / (tau2 + sigma * sigma)
    })
}
