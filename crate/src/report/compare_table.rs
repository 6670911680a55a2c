//! The text of a model comparison, laid out like lme4's `print(anova(m0, m1, ...))`: the models
//! named m1, m2, ... in npar order, their information criteria, and the chi-square test of each
//! model against the one above it; then the notes in plain words.

use super::summary::{stars, table_p, wrap, WRAP_WIDTH};
use super::table::{Align, TextTable};
use super::{fixed, format_p};
use crate::inference::compare::Comparison;

/// The comparison as text, ending in a newline.
pub fn compare_text(comparison: &Comparison) -> String {
    let mut out = format!(
        "Likelihood-ratio tests of {} models fitted by {} to the same {} rows\n\nModels:\n",
        comparison.models.len(),
        if comparison.method == "REML" {
            "REML (no refit)"
        } else {
            "maximum likelihood"
        },
        comparison.nobs
    );
    for (i, model) in comparison.models.iter().enumerate() {
        out.push_str(&format!("m{}: {}\n", i + 1, model.formula));
    }
    out.push('\n');
    out.push_str(&anova_table(comparison));
    out.push_str("---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1\n");
    if !comparison.warnings.is_empty() {
        out.push_str("\nNotes:\n");
        for warning in &comparison.warnings {
            out.push_str(&wrap(warning, WRAP_WIDTH, "  - ", "    "));
        }
    }
    out.push_str("\nAPA-style results:\n");
    for (i, test) in comparison.tests.iter().enumerate() {
        if let (Some(p), true) = (test.p, test.nested) {
            out.push_str(&format!(
                "  m{} vs m{}: chi2({}) = {}, {}\n",
                i + 2,
                i + 1,
                test.df,
                fixed(test.chisq, 2),
                format_p(p)
            ));
        }
    }
    out
}

/// lme4's table: npar, AIC, BIC, logLik, deviance, Chisq, Df, Pr(>Chisq).
fn anova_table(comparison: &Comparison) -> String {
    let mut table = TextTable::new(vec![
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Left,
    ]);
    table.push(
        [
            "",
            "npar",
            "AIC",
            "BIC",
            "logLik",
            "deviance",
            "Chisq",
            "Df",
            "Pr(>Chisq)",
            "",
        ]
        .map(String::from)
        .to_vec(),
    );
    for (i, model) in comparison.models.iter().enumerate() {
        let mut row = vec![
            format!("m{}", i + 1),
            model.npar.to_string(),
            fixed(model.aic, 2),
            fixed(model.bic, 2),
            fixed(model.log_lik, 2),
            fixed(model.deviance, 2),
        ];
        match i.checked_sub(1).and_then(|t| comparison.tests.get(t)) {
            Some(test) => row.extend([
                fixed(test.chisq, 4),
                test.df.to_string(),
                test.p.map_or("NA".to_string(), table_p),
                test.p.map_or("", stars).to_string(),
            ]),
            None => row.extend(["", "", "", ""].map(String::from)),
        }
        table.push(row);
    }
    table.render()
}
