//! Warnings in plain words about the data and the fit (they do not stop a fit).

use crate::result::MissingCount;

/// A singular fit, said so that a psychology student knows what it means and what to consider.
pub(super) const SINGULAR_FIT_WARNING: &str =
    "Singular fit: at least one random-effect variance is estimated as zero (or a correlation as +/-1). \
     The data show no detectable differences between groups in that effect beyond what the residual \
     variance explains. The fixed effects are still estimated, but consider simplifying the random \
     effects (for example dropping a random slope) and report the zero variance.";

/// An outcome with a single value within every `group`: the residual variance cannot be told
/// from the group variance.
pub(super) fn constant_response_warning(response: &str, group: &str) -> String {
    format!(
        "The outcome {response} does not vary within {group}: each {group} has a single value, so the residual \
         (within-{group}) variance is zero and the model cannot separate it from the {group} variance. \
         The estimates below are numerical artefacts (lme4 fails to converge on such data too), and \
         within-{group} predictors cannot explain an outcome that does not change. This is a \
         question about differences between {group}s: analyse one row per {group} (for example a regression of the \
         person means), or choose an outcome that varies over time."
    )
}

/// Rows left out because a model variable is missing there, with the count per variable, and
/// those left out only so that every compared model uses the same rows.
pub(super) fn dropped_rows_warning(
    dropped_rows: usize,
    total_rows: usize,
    missing: &[MissingCount],
    left_out_to_match: usize,
) -> String {
    let reasons: Vec<String> = missing
        .iter()
        .filter(|m| m.rows > 0)
        .map(|m| format!("{} missing in {}", m.variable, m.rows))
        .collect();
    let mut text = if reasons.is_empty() {
        format!("{dropped_rows} of {total_rows} rows were left out")
    } else {
        format!(
            "{dropped_rows} of {total_rows} rows were left out because a variable of the model is missing there \
             (no imputation): {}",
            reasons.join(", ")
        )
    };
    if left_out_to_match > 0 {
        text.push_str(&format!(
            "{}{left_out_to_match} of them complete for this model but not for another model it is compared \
             with (all compared models use the same rows)",
            if reasons.is_empty() { ": " } else { "; " }
        ));
    }
    text.push('.');
    text
}
