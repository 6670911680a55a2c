//! The random-effects variances and correlations in lme4's `as.data.frame(VarCorr(m))` layout.

use crate::model::LinearMixedModel;
use crate::result::VarCorrRow;

/// VarCorr rows in lme4's `as.data.frame(VarCorr(m))` layout.
pub(super) fn varcorr(model: &LinearMixedModel, sigma: f64) -> Vec<VarCorrRow> {
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
