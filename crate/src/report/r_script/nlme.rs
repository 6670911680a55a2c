//! The R script of a model with a residual correlation within person: lme4 cannot fit one, so
//! the script fits it as lagmix matches it, with nlme's `lme(..., correlation =
//! corAR1(form = ~ time | id))` (or `corCAR1`), whose containment df are lagmix's between-within.

use super::{formula_expr, r_name, r_string, term_text, Derived, TABLE_TAIL};
use crate::formula::ModelSpec;
use crate::inference::DfMethod;
use crate::model::residual::ResidualStructure;
use crate::ModelOptions;

/// The lines that fit `spec` with nlme into `model` and leave lagmix's table in
/// `fixed_effects`; a `stop()` with the reason where nlme's random part cannot say the same
/// model (several random-effects terms).
pub(super) fn nlme_fit(
    spec: &ModelSpec,
    options: &ModelOptions,
    time: &str,
    derived: &mut Derived,
) -> String {
    let response = formula_expr(&spec.response, derived);
    let mut fixed = vec![if spec.intercept { "1" } else { "0" }.to_string()];
    fixed.extend(spec.terms.iter().map(|t| term_text(t, derived)));
    let [term] = spec.random.as_slice() else {
        return "\nstop(\"this model has several random-effects terms; nlme's lme() needs them as one \
                pdBlocked structure, which this script does not write: fit it in lagmix\")\n"
            .to_string();
    };
    let mut random = vec![if term.intercept { "1" } else { "0" }.to_string()];
    random.extend(term.terms.iter().map(|t| term_text(t, derived)));
    let group = term
        .grouping
        .iter()
        .map(|g| r_name(g))
        .collect::<Vec<_>>()
        .join(":");
    let structure = match options.correlation {
        ResidualStructure::Car1 => "corCAR1",
        _ => "corAR1",
    };
    let df = match options.df {
        DfMethod::Residual => "rep(nobs(model) - nrow(tt), nrow(tt))",
        // nlme's own df with a correlation structure are its containment df.
        _ => "tt[, \"DF\"]",
    };
    format!(
        "\n# Residuals within person correlated over {time} as lagmix fits them: nlme's {structure}.\n\
         model <- nlme::lme({response} ~ {fixed},\n                   random = ~ {random} | {group},\n                   \
         correlation = nlme::{structure}(form = ~ {time_name} | {group}),\n                   \
         data = data, method = {method}, na.action = na.omit)\n\
         print(summary(model))\n\
         tt <- summary(model)$tTable\n\
         coefs <- cbind(Estimate = tt[, \"Value\"], \"Std. Error\" = tt[, \"Std.Error\"], \"t value\" = tt[, \"t-value\"])\n\
         df <- {df}\n{TABLE_TAIL}",
        fixed = fixed.join(" + "),
        random = random.join(" + "),
        time_name = r_name(time),
        method = r_string(if options.reml { "REML" } else { "ML" }),
    )
}
