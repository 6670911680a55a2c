//! The text summary of a fit, laid out like lmerTest's `print(summary(m))` so that users can put
//! it next to R output, followed by what R leaves out: why rows were dropped, the warnings in
//! plain words and one APA line per effect.

use super::table::{Align, TextTable};
use super::{apa_sentence, column_decimals, fixed};
use crate::result::{FitResult, FixedEffect, ResidualCorrelation, VarCorrRow};

/// Warnings are wrapped to this many characters so they read in an 80-100 column terminal.
pub(super) const WRAP_WIDTH: usize = 92;

/// The whole summary of `fit` as text, one section per block, ending in a newline.
///
/// The APA lines list the predictors in table order and the intercept last: the predictors are
/// what a study reports, but the intercept is kept (not hidden) because with centred predictors
/// it is a meaningful mean and readers sometimes need it.
pub fn summary_text(fit: &FitResult) -> String {
    let reml = is_reml(fit);
    let mut out = String::new();
    out.push_str(&format!(
        "Linear mixed model fit by {}. t-tests use {}\n",
        if reml { "REML" } else { "maximum likelihood" },
        df_wording(&fit.df_method)
    ));
    out.push_str(&format!("Formula: {}\n\n", fit.formula));
    if let Some(criterion) = fit.reml_criterion.filter(|_| reml) {
        out.push_str(&format!(
            "REML criterion at convergence: {}\n\n",
            fixed(criterion, 1)
        ));
    }
    out.push_str(&fit_statistics(fit, reml));
    out.push('\n');
    out.push_str("Random effects:\n");
    out.push_str(&random_effects_table(&fit.varcorr));
    out.push_str(&observations_line(fit));
    if let Some(icc) = fit.icc {
        out.push_str(&format!(
            "Intra-class correlation (ICC): {} (share of the variance that lies between groups)\n",
            fixed(icc, 3)
        ));
    }
    out.push_str(&super::variance::variance_explained_text(fit));
    if let Some(rc) = &fit.residual_correlation {
        out.push_str(&residual_correlation_line(rc));
    }
    out.push_str(&dropped_rows(fit));
    out.push_str("\nFixed effects:\n");
    out.push_str(&fixed_effects_table(&fit.fixed));
    out.push_str(&super::anova_table::anova_block(fit));
    out.push_str("---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1\n");
    out.push('\n');
    out.push_str(&optimizer_line(fit));
    if !fit.warnings.is_empty() {
        out.push_str("\nWarnings:\n");
        for warning in &fit.warnings {
            out.push_str(&wrap(warning, WRAP_WIDTH, "  - ", "    "));
        }
    }
    if !fit.fixed.is_empty() {
        out.push_str("\nAPA-style results:\n");
        if let Some(rc) = &fit.residual_correlation {
            out.push_str(&format!("  {}\n", residual_correlation_apa(rc)));
        }
        for effect in apa_order(&fit.fixed) {
            out.push_str(&format!("  {}\n", apa_sentence(&effect.term, effect)));
        }
    }
    out
}

/// "AR(1)" or "continuous-time AR(1)".
fn structure_name(rc: &ResidualCorrelation) -> &'static str {
    if rc.structure == "car1" {
        "continuous-time AR(1)"
    } else {
        "AR(1)"
    }
}

/// The structure and phi, with what phi means for lags of one and two time units.
fn residual_correlation_line(rc: &ResidualCorrelation) -> String {
    format!(
        "Residual correlation: {} within person over `{}`, phi = {} (residuals 1 and 2 units \
         of `{}` apart correlate {} and {})\n",
        structure_name(rc),
        rc.time,
        fixed(rc.phi, 3),
        rc.time,
        fixed(rc.phi, 2),
        fixed(rc.phi * rc.phi, 2),
    )
}

/// The sentence a methods section needs: which structure, and phi in APA style.
fn residual_correlation_apa(rc: &ResidualCorrelation) -> String {
    let phi = fixed(rc.phi, 2);
    let phi = match phi.strip_prefix('-') {
        Some(rest) => format!("-{}", rest.trim_start_matches('0')),
        None => phi.trim_start_matches('0').to_string(),
    };
    format!(
        "Residuals within person were modelled as {} over {} (phi = {phi}).",
        structure_name(rc),
        rc.time
    )
}

/// REML unless the method says maximum likelihood (the result stores it as text).
fn is_reml(fit: &FitResult) -> bool {
    let method = fit.method.to_ascii_lowercase();
    if method.contains("reml") {
        true
    } else if method == "ml" || method.contains("maximum") {
        false
    } else {
        fit.reml_criterion.is_some()
    }
}

/// The header's description of the df method, from the result's `df_method` text.
fn df_wording(df_method: &str) -> String {
    let method = df_method.to_ascii_lowercase();
    if method.contains("satter") {
        "Satterthwaite's method".to_string()
    } else if method.contains("kenward") {
        "Kenward-Roger's method (adjusted standard errors and df)".to_string()
    } else if method.contains("resid") {
        "residual degrees of freedom (observations minus fixed effects)".to_string()
    } else if method.contains("between") {
        "between-within degrees of freedom".to_string()
    } else {
        format!("{df_method} degrees of freedom")
    }
}

/// AIC, BIC, logLik and deviance in one small table. Under REML these come from the REML
/// criterion, so they can only compare models with the same fixed effects; the note says so.
fn fit_statistics(fit: &FitResult, reml: bool) -> String {
    let mut table = TextTable::new(vec![Align::Right; 4]);
    table.push(vec![
        "AIC".into(),
        "BIC".into(),
        "logLik".into(),
        "deviance".into(),
    ]);
    table.push(vec![
        fixed(fit.aic, 1),
        fixed(fit.bic, 1),
        fixed(fit.log_lik, 1),
        fixed(fit.deviance, 1),
    ]);
    let mut out = table.indent(1).render();
    if reml {
        out.push_str(
            "(REML values: to compare models with different fixed effects, refit with --ml)\n",
        );
    }
    out
}

/// lme4's VarCorr layout: per group its variances with standard deviations, the correlations of
/// each term with the earlier terms of its group in the `Corr` columns, the residual last.
fn random_effects_table(varcorr: &[VarCorrRow]) -> String {
    let variances: Vec<&VarCorrRow> = varcorr.iter().filter(|r| r.var2.is_none()).collect();
    let vcov: Vec<f64> = variances.iter().map(|r| r.vcov).collect();
    let sdcor: Vec<f64> = variances.iter().map(|r| r.sdcor).collect();
    let var_decimals = column_decimals(&vcov, 4, 0, 6);
    let sd_decimals = column_decimals(&sdcor, 4, 0, 6);
    let max_corr = max_terms_per_group(&variances).saturating_sub(1);

    let mut align = vec![Align::Left, Align::Left, Align::Right, Align::Right];
    align.extend(std::iter::repeat_n(Align::Right, max_corr));
    let mut table = TextTable::new(align).indent(1);
    let mut header: Vec<String> = vec![
        "Groups".into(),
        "Name".into(),
        "Variance".into(),
        "Std.Dev.".into(),
    ];
    if max_corr > 0 {
        header.push("Corr".into());
    }
    table.push(header);

    let mut previous_group: Option<&str> = None;
    let mut earlier_terms: Vec<&str> = Vec::new();
    for row in &variances {
        if previous_group != Some(row.group.as_str()) {
            earlier_terms.clear();
        }
        let name = row.var1.as_deref().unwrap_or("");
        let mut cells = vec![
            if previous_group == Some(row.group.as_str()) {
                String::new()
            } else {
                row.group.clone()
            },
            name.to_string(),
            fixed(row.vcov, var_decimals),
            fixed(row.sdcor, sd_decimals),
        ];
        for earlier in &earlier_terms {
            let corr = varcorr.iter().find(|r| {
                r.group == row.group
                    && r.var1.as_deref() == Some(*earlier)
                    && r.var2.as_deref() == Some(name)
            });
            cells.push(corr.map_or_else(|| "NA".to_string(), |r| fixed(r.sdcor, 2)));
        }
        table.push(cells);
        earlier_terms.push(name);
        previous_group = Some(row.group.as_str());
    }
    table.render()
}

/// The largest number of variance rows any one group has.
fn max_terms_per_group(variances: &[&VarCorrRow]) -> usize {
    let mut best = 0;
    let mut run = 0;
    let mut previous: Option<&str> = None;
    for row in variances {
        run = if previous == Some(row.group.as_str()) {
            run + 1
        } else {
            1
        };
        best = best.max(run);
        previous = Some(row.group.as_str());
    }
    best
}

/// `Number of obs: 1461, groups: id, 182` (groups joined by `; ` as lme4 does).
fn observations_line(fit: &FitResult) -> String {
    let groups: Vec<String> = fit
        .groups
        .iter()
        .map(|g| format!("{}, {}", g.name, g.levels))
        .collect();
    if groups.is_empty() {
        format!("Number of obs: {}\n", fit.nobs)
    } else {
        format!(
            "Number of obs: {}, groups: {}\n",
            fit.nobs,
            groups.join("; ")
        )
    }
}

/// How many rows were left out, on one line under the number of observations. Which variables
/// were missing in them is the first warning, printed once, below.
fn dropped_rows(fit: &FitResult) -> String {
    if fit.dropped_rows == 0 {
        return String::new();
    }
    format!(
        "Rows left out: {} of {} (missing values: see Warnings)\n",
        fit.dropped_rows, fit.total_rows
    )
}

/// The coefficient table with significance stars and 95% confidence intervals.
fn fixed_effects_table(fixed_effects: &[FixedEffect]) -> String {
    let ses: Vec<f64> = fixed_effects.iter().map(|e| e.se).collect();
    let decimals = column_decimals(&ses, 4, 1, 6);
    let lowers: Vec<String> = fixed_effects
        .iter()
        .map(|e| fixed(e.ci_lower, decimals))
        .collect();
    let uppers: Vec<String> = fixed_effects
        .iter()
        .map(|e| fixed(e.ci_upper, decimals))
        .collect();
    let lower_width = lowers.iter().map(|s| s.chars().count()).max().unwrap_or(0);
    let upper_width = uppers.iter().map(|s| s.chars().count()).max().unwrap_or(0);

    let mut align = vec![Align::Right; 8];
    align[0] = Align::Left;
    align[6] = Align::Left;
    align[7] = Align::Left;
    let mut table = TextTable::new(align);
    table.push(
        [
            "",
            "Estimate",
            "Std. Error",
            "df",
            "t value",
            "Pr(>|t|)",
            "",
            "95% CI",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    );
    for ((effect, lower), upper) in fixed_effects.iter().zip(&lowers).zip(&uppers) {
        table.push(vec![
            effect.term.clone(),
            fixed(effect.estimate, decimals),
            fixed(effect.se, decimals),
            fixed(effect.df, 1),
            fixed(effect.t, 3),
            table_p(effect.p),
            stars(effect.p).to_string(),
            format!("[{lower:>lower_width$}, {upper:>upper_width$}]"),
        ]);
    }
    table.render()
}

/// p as R's summary tables print it: `< 2e-16`, `3.26e-06` below 1e-4, else 3 significant digits.
pub(super) fn table_p(p: f64) -> String {
    if p.is_nan() {
        "NA".to_string()
    } else if p < 2e-16 {
        "< 2e-16".to_string()
    } else if p < 1e-4 {
        scientific(p, 2)
    } else {
        fixed(p, column_decimals(&[p], 3, 0, 6))
    }
}

/// `3.26e-06`: R's two-digit exponent, which is easier to compare with R output than Rust's `e-6`.
fn scientific(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$e}");
    match text.split_once('e') {
        Some((mantissa, exponent)) => {
            let (sign, digits) = match exponent.strip_prefix('-') {
                Some(d) => ("-", d),
                None => ("+", exponent),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => text,
    }
}

/// R's significance stars.
pub(super) fn stars(p: f64) -> &'static str {
    match p {
        p if p < 0.001 => "***",
        p if p < 0.01 => "**",
        p if p < 0.05 => "*",
        p if p < 0.1 => ".",
        _ => "",
    }
}

/// How the optimizer ended, so a failed or long search is visible next to the numbers.
fn optimizer_line(fit: &FitResult) -> String {
    let opt = &fit.optimization;
    let status = if fit.converged && opt.converged {
        "converged".to_string()
    } else if opt.message.is_empty() {
        "did NOT converge".to_string()
    } else {
        format!("did NOT converge ({})", opt.message)
    };
    format!(
        "Optimizer: {}, {} evaluations, {status}\n",
        opt.optimizer, opt.evaluations
    )
}

/// `text` broken at spaces into lines of at most `width` characters (a longer word stays whole),
/// the first line starting with `first`, the others with `rest`.
pub(super) fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        let length = line.chars().count();
        if !empty && length + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line = rest.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The predictors in table order, the intercept last.
fn apa_order(fixed_effects: &[FixedEffect]) -> Vec<&FixedEffect> {
    let (intercept, predictors): (Vec<&FixedEffect>, Vec<&FixedEffect>) =
        fixed_effects.iter().partition(|e| e.term == "(Intercept)");
    predictors.into_iter().chain(intercept).collect()
}

#[cfg(test)]
mod tests;
