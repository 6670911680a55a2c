//! The variance-explained lines of the summary (Nakagawa's R², the shares per level) and the
//! random-effects table as CSV.

use super::fixed;
use crate::design::csv_line;
use crate::result::FitResult;
use crate::transform::r_number;

/// The R² line and, for several grouping factors, the variance shares, each ending in a newline.
pub(super) fn variance_explained_text(fit: &FitResult) -> String {
    let r2 = &fit.r2;
    let mut out = match r2.conditional {
        Some(conditional) => format!(
            "R² (Nakagawa): marginal {} (fixed effects), conditional {} (fixed and random effects)\n",
            fixed(r2.marginal, 3),
            fixed(conditional, 3)
        ),
        None => format!(
            "R² (Nakagawa): marginal {} (fixed effects); no conditional R² (singular fit, see the \
             warnings)\n",
            fixed(r2.marginal, 3),
        ),
    };
    if fit.variance_shares.len() > 2 {
        let parts: Vec<String> = fit
            .variance_shares
            .iter()
            .map(|s| format!("{} {}%", s.group, fixed(100.0 * s.share, 1)))
            .collect();
        out.push_str(&format!(
            "Variance shares (over the rows used, slopes included): {}\n",
            parts.join(", ")
        ));
    }
    out
}

/// The conditional modes as lme4's `as.data.frame(ranef(m, condVar = TRUE))` lays them out:
/// columns grpvar, term, grp, condval, condsd; grouping factors in the model's order, then
/// each factor's terms (all columns of all its random-effects terms), then the levels. Numbers
/// as R writes them (15 significant digits).
pub fn random_effects_csv(fit: &FitResult) -> String {
    let mut out = String::new();
    csv_line(
        &mut out,
        ["grpvar", "term", "grp", "condval", "condsd"]
            .map(String::from)
            .into_iter(),
    );
    let mut groups: Vec<&str> = Vec::new();
    for r in &fit.random_effects {
        if !groups.contains(&r.group.as_str()) {
            groups.push(&r.group);
        }
    }
    for group in groups {
        for r in fit.random_effects.iter().filter(|r| r.group == group) {
            for (c, term) in r.terms.iter().enumerate() {
                for (g, level) in r.levels.iter().enumerate() {
                    let fields = [
                        group.to_string(),
                        term.clone(),
                        level.clone(),
                        r_number(r.modes[g * r.q() + c]),
                        r_number(r.cond_sd(g, c)),
                    ];
                    csv_line(&mut out, fields.into_iter());
                }
            }
        }
    }
    out
}
