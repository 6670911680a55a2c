//! The "Type III tests of fixed effects" block of the summary, laid out like lmerTest's
//! `print(anova(m))`, with a heading that says which denominator df the F tests use.

use super::fixed;
use super::summary::{stars, table_p};
use super::table::{Align, TextTable};
use crate::result::FitResult;

/// Which denominators the F tests use, in words (lmerTest has only the first two).
fn denominator_wording(df_method: &str) -> &'static str {
    let method = df_method.to_ascii_lowercase();
    if method.contains("kenward") {
        "Kenward-Roger's method (pbkrtest's scaled F)"
    } else if method.contains("resid") {
        "the residual df (observations minus fixed effects) and the Wald F"
    } else if method.contains("between") {
        "each term's between-within (containment) df and the Wald F"
    } else {
        "Satterthwaite's method"
    }
}

/// The block, or nothing when the model has no fixed-effects term besides the intercept.
pub(super) fn anova_block(fit: &FitResult) -> String {
    if fit.anova.is_empty() {
        return String::new();
    }
    let mut align = vec![Align::Right; 6];
    align[0] = Align::Left;
    align[5] = Align::Left;
    let mut table = TextTable::new(align);
    table.push(
        ["", "NumDF", "DenDF", "F value", "Pr(>F)", ""]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    );
    for row in &fit.anova {
        table.push(vec![
            row.term.clone(),
            fixed(row.num_df, 0),
            fixed(row.den_df, 2),
            fixed(row.f, 4),
            table_p(row.p),
            stars(row.p).to_string(),
        ]);
    }
    format!(
        "\nType III tests of fixed effects, F tests with {}:\n{}",
        denominator_wording(&fit.df_method),
        table.render()
    )
}
