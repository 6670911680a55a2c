//! From a design to everything a result reports: the fit (REML or ML), fixed-effect t tests with
//! Satterthwaite, Kenward-Roger, residual or between-within df, lmerTest's type III F test of
//! every term with the same df method, VarCorr in lme4's layout, fit statistics and warnings in
//! plain words.

pub mod anova;
pub mod compare;
pub mod df;
pub mod effect;
mod fixed_tests;
pub mod kenward_roger;
mod r2;
mod ranef;
pub mod satterthwaite;
mod varcorr;
mod warnings;

use crate::design::Design;
use crate::fit::{fit_correlated, fit_model, OptSummary, PhiSearch};
use crate::formula::ModelSpec;
use crate::model::residual::{ResidualError, ResidualStructure};
use crate::model::{theta_len, LinearMixedModel, ModelError};
use crate::result::{
    FitResult, FixedEffect, GroupInfo, MissingCount, Optimization, ResidualCorrelation, VarCorrRow,
};
use crate::{Error, ModelOptions};
use anova::{anova_table, type3_hypotheses};
use df::{between_within_df, response_constant_within, t_test};
use fixed_tests::fixed_effect_tests;
use nalgebra::DMatrix;
pub use ranef::fitted_values;
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
    if options.correlation != ResidualStructure::Identity
        && !matches!(options.df, DfMethod::Residual | DfMethod::BetweenWithin)
    {
        return Err(ModelError::Correlation(ResidualError::DfMethod {
            structure: options.correlation.name(),
            method: options.df.name(),
        })
        .into());
    }
    if options.df == DfMethod::KenwardRoger && !options.reml {
        return Err(ModelError::KenwardRogerNeedsReml.into());
    }
    // Containment df, the type III hypotheses and the outcome check read the rows, which the
    // model gives up.
    let (hypotheses, cells_warning) = type3_hypotheses(spec, &design);
    let bw_df = (options.df == DfMethod::BetweenWithin).then(|| between_within_df(&design));
    let total_rows = design.total_rows;
    let response = design.response.clone();
    let missing_by_variable = missing_counts(&design);
    let left_out_to_match = design.left_out_to_match;
    let mut warnings = design.warnings.clone();
    warnings.extend(cells_warning);
    for group in response_constant_within(&design) {
        warnings.push(constant_response_warning(&design.response, &group));
    }
    let reml = options.reml;
    let structure = options.correlation;
    let time = design.occasions.as_ref().map(|o| o.time.clone());
    let mut model = LinearMixedModel::with_correlation(design, structure)?;
    if options.df == DfMethod::KenwardRoger {
        // Refused before the fit rather than after it.
        model.check_random_blocks()?;
    }
    let (opt, phi_search) = fit_theta_and_phi(&mut model, reml, structure)?;
    let theta = opt.final_theta.clone();
    let (n, p) = (model.nobs, model.p);
    let criterion = model.objective(reml);
    let sigma = model.sigma(reml);
    let cov_beta = model.unscaled_cov_beta() * (sigma * sigma);
    let singular = is_singular(&model, &theta);
    // Read at the optimum's factor, before the Satterthwaite derivatives move theta.
    let explained = r2::variance_explained(&model, &model.beta(), sigma);
    warnings.extend(explained.warnings);

    let beta = model.beta();
    let tests = fixed_effect_tests(&mut model, options.df, bw_df, sigma, reml, &mut warnings)?;
    // The last batch of evaluations is done: the threads' copies of the factor go before the
    // random effects' conditional covariances are laid out (the model is at the optimum again).
    model.release_spares();
    let random_effects = ranef::random_effects(&model, sigma);
    let (table_cov, dfs) = tests.coefficient_tests(&cov_beta);
    let to_rows = |m: &DMatrix<f64>| {
        (0..p)
            .map(|i| (0..p).map(|j| m[(i, j)]).collect())
            .collect()
    };
    let vcov_adjusted = (options.df == DfMethod::KenwardRoger).then(|| to_rows(&table_cov));
    let denominator = tests.denominator(&cov_beta);
    let anova = anova_table(&hypotheses, &beta, &denominator);
    let fixed = fixed_effects(&model.fixed_names, &beta, &table_cov, &dfs);
    // phi is a parameter of the likelihood as theta and sigma are (nlme counts it so).
    let npar = p + theta.len() + 1 + usize::from(phi_search.is_some());
    let n_par = npar as f64;
    let varcorr_rows = varcorr(&model, sigma);
    let icc = intercept_icc(&model, &theta, &varcorr_rows, sigma);
    let dropped_rows = total_rows - n;
    if dropped_rows > 0 {
        warnings.insert(
            0,
            dropped_rows_warning(
                dropped_rows,
                total_rows,
                &missing_by_variable,
                left_out_to_match,
            ),
        );
    }
    if singular {
        warnings.push(SINGULAR_FIT_WARNING.to_string());
    }
    if let Some(search) = phi_search.as_ref().filter(|s| s.at_boundary) {
        warnings.push(format!(
            "The residual autocorrelation phi is at its boundary {}: beyond what the random \
             effects explain, residuals of one person are not correlated over time in these \
             data, and the model is the one without a correlation structure.",
            search.lower
        ));
    }
    if let Some(search) = phi_search.as_ref().filter(|s| s.phi.abs() > 0.999) {
        warnings.push(format!(
            "The residual autocorrelation phi = {:.4} is at the edge of its range: residuals of one \
             person hardly change from occasion to occasion beyond the random effects (a trend \
             over time that the fixed or random effects do not capture can look like this). \
             Treat phi and the variance estimates with caution.",
            search.phi
        ));
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
        npar,
        icc,
        sigma,
        theta: theta.clone(),
        singular,
        converged: opt.converged,
        optimization: Optimization {
            optimizer: crate::fit::OPTIMIZER.into(),
            initial_theta: opt.initial.clone(),
            final_theta: theta,
            evaluations: opt.evaluations,
            objective: opt.objective,
            converged: opt.converged,
            message: opt.message.clone(),
        },
        vcov: to_rows(&cov_beta),
        vcov_adjusted,
        r2: explained.r2,
        variance_shares: explained.shares,
        random_effects,
        warnings,
        residual_correlation: phi_search.map(|search| ResidualCorrelation {
            structure: structure.name().into(),
            phi: search.phi,
            time: time.unwrap_or_default(),
            at_boundary: search.at_boundary,
            optimizer:
                "Brent's bounded one-dimensional search over phi, theta optimised at each phi"
                    .into(),
            lower: search.lower,
            upper: search.upper,
            evaluations: search.evaluations,
        }),
    })
}

/// The optimum over theta, and with a residual correlation over phi too (one pass over the data
/// per phi tried).
fn fit_theta_and_phi(
    model: &mut LinearMixedModel,
    reml: bool,
    structure: ResidualStructure,
) -> Result<(OptSummary, Option<PhiSearch>), ModelError> {
    if structure == ResidualStructure::Identity {
        return Ok((fit_model(model, reml), None));
    }
    let closed_lower = structure == ResidualStructure::Car1;
    let (opt, search) = fit_correlated(model, reml, structure.phi_bounds(), closed_lower)?;
    Ok((opt, Some(search)))
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
    for t in model.terms.iter() {
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
