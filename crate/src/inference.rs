//! From a design to everything a result reports: the fit (REML or ML), fixed-effect tests with
//! Satterthwaite, residual or between-within df, VarCorr in lme4's layout, fit statistics and
//! warnings in plain words.

use crate::design::{Design, ModelData, ModelMatrix};
use crate::fit::fit_model;
use crate::formula::ModelSpec;
use crate::model::{theta_len, LinearMixedModel};
use crate::result::{FitResult, FixedEffect, GroupInfo, MissingCount, Optimization, VarCorrRow};
use crate::satterthwaite::{coefficient_df, varpar_covariance};
use crate::{Error, ModelOptions};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// How denominator degrees of freedom are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DfMethod {
    /// lmerTest's Satterthwaite approximation (the default).
    Satterthwaite,
    /// n - rank(X), for every coefficient.
    Residual,
    /// nlme / SAS containment ("between-within").
    BetweenWithin,
}

impl DfMethod {
    /// The name used in options and output: `satterthwaite`, `residual`, `between-within`.
    pub fn name(self) -> &'static str {
        match self {
            DfMethod::Satterthwaite => "satterthwaite",
            DfMethod::Residual => "residual",
            DfMethod::BetweenWithin => "between-within",
        }
    }

    /// Parses a df method name (case-insensitive; `kenward-roger` is not offered).
    pub fn parse(text: &str) -> Option<DfMethod> {
        match text.trim().to_ascii_lowercase().as_str() {
            "satterthwaite" | "satt" => Some(DfMethod::Satterthwaite),
            "residual" | "resid" => Some(DfMethod::Residual),
            "between-within" | "betweenwithin" | "between_within" | "containment" => {
                Some(DfMethod::BetweenWithin)
            }
            _ => None,
        }
    }
}

/// Tolerance of lme4's `isSingular`.
const SINGULAR_TOL: f64 = 1e-4;

/// Two-sided p value and 95% CI half-width for t with `df` degrees of freedom.
fn t_test(t: f64, df: f64) -> (f64, f64) {
    if df.is_nan() || df <= 0.0 || t.is_nan() {
        return (f64::NAN, f64::NAN);
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(dist) => (2.0 * dist.cdf(-t.abs()), dist.inverse_cdf(0.975)),
        Err(_) => (f64::NAN, f64::NAN),
    }
}

/// Whether `values` (one per row) take a single value within every group of `refs` (`differs`
/// says when a value differs from its group's first), and whether some group has two rows.
fn constant_within_groups(
    values: impl Iterator<Item = f64>,
    refs: &[u32],
    levels: usize,
    differs: impl Fn(f64, f64) -> bool,
) -> (bool, bool) {
    let mut first = vec![f64::NAN; levels];
    let mut repeated = false;
    for (&g, v) in refs.iter().zip(values) {
        let f = &mut first[g as usize];
        if f.is_nan() {
            *f = v;
        } else if differs(v, *f) {
            return (false, true);
        } else {
            repeated = true;
        }
    }
    (true, repeated)
}

/// True when X column `col` takes one value within every group of `refs`.
fn constant_within(
    x: &ModelMatrix,
    data: &ModelData,
    col: usize,
    refs: &[u32],
    levels: usize,
) -> bool {
    let values = (0..data.nrows()).map(|r| x.value(data, r, col));
    constant_within_groups(values, refs, levels, |v, f| {
        (v - f).abs() > 1e-10 * (1.0 + f.abs())
    })
    .0
}

/// Between-within (containment) df as nlme assigns them: grouping levels from the outermost
/// (fewest groups) inwards; each fixed column belongs to the outermost level within whose groups
/// it is constant (or at which it has a random slope), else to the residual level. Level i has
/// df = N_i - N_(i-1) - p_i; the intercept is counted at the top and reported with the residual
/// level's df.
fn between_within_df(design: &Design) -> Vec<f64> {
    let mut groups: Vec<&crate::design::RandomEffectsTerm> = Vec::new();
    for t in &design.random {
        if !groups.iter().any(|g| g.group == t.group) {
            groups.push(t);
        }
    }
    groups.sort_by_key(|t| t.levels.len());
    let n_levels = groups.len();
    let p = design.x.ncols();
    let mut level_of = vec![n_levels + 1; p];
    for (j, name) in design.fixed_names().iter().enumerate() {
        if name == "(Intercept)" {
            level_of[j] = 0;
            continue;
        }
        for (i, g) in groups.iter().enumerate() {
            let has_slope = design
                .random
                .iter()
                .any(|t| t.group == g.group && t.names().iter().any(|s| s == name));
            if has_slope || constant_within(&design.x, &design.data, j, &g.refs, g.levels.len()) {
                level_of[j] = i + 1;
                break;
            }
        }
    }
    let mut counts: Vec<f64> = vec![1.0];
    counts.extend(groups.iter().map(|g| g.levels.len() as f64));
    counts.push(design.y.len() as f64);
    let level_df: Vec<f64> = (1..counts.len())
        .map(|i| counts[i] - counts[i - 1] - level_of.iter().filter(|&&l| l == i).count() as f64)
        .collect();
    level_of
        .iter()
        .map(|&l| {
            if l == 0 {
                level_df[n_levels]
            } else {
                level_df[l - 1]
            }
        })
        .collect()
}

/// The grouping factors within whose every group the response takes a single value, among those
/// where some group has at least two rows.
fn response_constant_within(design: &Design) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    // Differences are judged against the outcome's own spread, not its magnitude: 1e9 +- 0.5
    // varies.
    let (lo, hi) = design
        .y
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &y| {
            (lo.min(y), hi.max(y))
        });
    let tolerance = 1e-9 * (hi - lo);
    for t in &design.random {
        if names.contains(&t.group) {
            continue;
        }
        let (constant, repeated) =
            constant_within_groups(design.y.iter().copied(), &t.refs, t.levels.len(), |y, f| {
                (y - f).abs() > tolerance
            });
        if constant && repeated {
            names.push(t.group.clone());
        }
    }
    names
}

/// VarCorr rows in lme4's `as.data.frame(VarCorr(m))` layout.
fn varcorr(model: &LinearMixedModel, sigma: f64) -> Vec<VarCorrRow> {
    let mut rows = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (k, term) in model.terms.iter().enumerate() {
        let q = term.q();
        let lambda = model.lambda(k);
        // Covariance = sigma² Λ Λ'.
        let cov = |i: usize, j: usize| -> f64 {
            sigma
                * sigma
                * (0..q)
                    .map(|c| lambda[c * q + i] * lambda[c * q + j])
                    .sum::<f64>()
        };
        let repeats = seen.iter().filter(|s| **s == term.group).count();
        seen.push(term.group.clone());
        let group = if repeats == 0 {
            term.group.clone()
        } else {
            format!("{}.{}", term.group, repeats)
        };
        for i in 0..q {
            let v = cov(i, i);
            rows.push(VarCorrRow {
                group: group.clone(),
                var1: Some(term.names()[i].clone()),
                var2: None,
                vcov: v,
                sdcor: v.sqrt(),
            });
        }
        for i in 0..q {
            for j in i + 1..q {
                let c = cov(i, j);
                let r = c / (cov(i, i) * cov(j, j)).sqrt();
                rows.push(VarCorrRow {
                    group: group.clone(),
                    var1: Some(term.names()[i].clone()),
                    var2: Some(term.names()[j].clone()),
                    vcov: c,
                    sdcor: r,
                });
            }
        }
    }
    rows.push(VarCorrRow {
        group: "Residual".into(),
        var1: None,
        var2: None,
        vcov: sigma * sigma,
        sdcor: sigma,
    });
    rows
}

/// True when some diagonal element of Λ is (nearly) zero: lme4's `isSingular`.
fn is_singular(model: &LinearMixedModel, theta: &[f64]) -> bool {
    theta
        .iter()
        .zip(&model.lower)
        .any(|(&t, &lb)| lb == 0.0 && t < SINGULAR_TOL)
}

/// Fits the model in `design` and computes everything the result reports.
pub fn fit_and_infer(
    spec: &ModelSpec,
    design: Design,
    options: &ModelOptions,
) -> Result<FitResult, Error> {
    let bw_df = if options.df == DfMethod::BetweenWithin {
        Some(between_within_df(&design))
    } else {
        None
    };
    let total_rows = design.total_rows;
    let response = design.response.clone();
    let missing_by_variable: Vec<MissingCount> = design
        .missing_by_variable
        .iter()
        .map(|(variable, rows)| MissingCount {
            variable: variable.clone(),
            rows: *rows,
        })
        .collect();
    let mut warnings = design.warnings.clone();
    for group in response_constant_within(&design) {
        warnings.push(format!(
            "The outcome {} does not vary within {group}: each {group} has a single value, so the residual \
             (within-{group}) variance is zero and the model cannot separate it from the {group} variance. \
             The estimates below are numerical artefacts (lme4 fails to converge on such data too), and \
             within-{group} predictors cannot explain an outcome that does not change. This is a \
             question about differences between {group}s: analyse one row per {group} (for example a regression of the \
             person means), or choose an outcome that varies over time.",
            design.response
        ));
    }
    let reml = options.reml;
    let mut model = LinearMixedModel::new(design)?;
    let opt = fit_model(&mut model, reml);
    let theta = opt.final_theta.clone();
    let n = model.nobs;
    let p = model.p;
    let criterion = model.objective(reml);
    let sigma = model.sigma(reml);
    let beta = model.beta();
    let cov_beta = model.unscaled_cov_beta() * (sigma * sigma);
    let singular = is_singular(&model, &theta);

    let dfs: Vec<f64> = match options.df {
        DfMethod::Residual => vec![(n - p) as f64; p],
        DfMethod::BetweenWithin => bw_df.unwrap_or_else(|| vec![f64::NAN; p]),
        DfMethod::Satterthwaite => {
            let vc = varpar_covariance(&mut model, &theta, sigma, reml);
            if vc.negative_eigenvalues > 0 {
                warnings.push(format!(
                    "The curvature of the likelihood is negative in {} direction(s) at the estimates: \
                     the fit may not have converged, and the Satterthwaite df are unreliable.",
                    vc.negative_eigenvalues
                ));
            }
            (0..p).map(|k| coefficient_df(&vc, &cov_beta, k)).collect()
        }
    };
    let fixed: Vec<FixedEffect> = (0..p)
        .map(|k| {
            let se = cov_beta[(k, k)].sqrt();
            let t = beta[k] / se;
            let (pval, q) = t_test(t, dfs[k]);
            FixedEffect {
                term: model.fixed_names[k].clone(),
                estimate: beta[k],
                se,
                df: dfs[k],
                t,
                p: pval,
                ci_lower: beta[k] - q * se,
                ci_upper: beta[k] + q * se,
            }
        })
        .collect();

    let n_par = (p + theta.len() + 1) as f64;
    let log_lik = -criterion / 2.0;
    let mut groups: Vec<GroupInfo> = Vec::new();
    for t in &model.terms {
        if !groups.iter().any(|g| g.name == t.group) {
            groups.push(GroupInfo {
                name: t.group.clone(),
                levels: t.levels.len(),
            });
        }
    }
    let varcorr_rows = varcorr(&model, sigma);
    let icc = if model.terms.len() == 1 && model.terms[0].q() == 1 && theta_len(1) == theta.len() {
        let tau2 = varcorr_rows[0].vcov;
        Some(tau2 / (tau2 + sigma * sigma))
    } else {
        None
    };
    let dropped_rows = total_rows - n;
    if dropped_rows > 0 {
        let reasons: Vec<String> = missing_by_variable
            .iter()
            .filter(|m| m.rows > 0)
            .map(|m| format!("{} missing in {}", m.variable, m.rows))
            .collect();
        warnings.insert(
            0,
            format!(
                "{dropped_rows} of {total_rows} rows were left out because a variable of the model is missing there \
                 (no imputation): {}.",
                reasons.join(", ")
            ),
        );
    }
    if singular {
        warnings.push(
            "Singular fit: at least one random-effect variance is estimated as zero (or a correlation as +/-1). \
             The data show no detectable differences between groups in that effect beyond what the residual \
             variance explains. The fixed effects are still estimated, but consider simplifying the random \
             effects (for example dropping a random slope) and report the zero variance."
                .to_string(),
        );
    }
    if !opt.converged {
        warnings.push(format!(
            "The optimizer did not converge: {}. Treat the estimates with caution.",
            opt.message
        ));
    }
    let vcov = (0..p)
        .map(|i| (0..p).map(|j| cov_beta[(i, j)]).collect())
        .collect();
    Ok(FitResult {
        formula: spec.text.clone(),
        response,
        method: if reml { "REML" } else { "ML" }.into(),
        df_method: options.df.name().into(),
        nobs: n,
        total_rows,
        dropped_rows,
        missing_by_variable,
        groups,
        fixed,
        varcorr: varcorr_rows,
        reml_criterion: if reml { Some(criterion) } else { None },
        log_lik,
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
        vcov,
        warnings,
    })
}
