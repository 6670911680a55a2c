//! The per-group and per-row outputs of a fit: the conditional modes with their conditional
//! covariances (lme4's `ranef(m, condVar = TRUE)`), and the fitted values X β + Z b with the
//! conditional residuals y - fitted (lme4's `fitted` and `residuals`).
//!
//! The modes come from the factor at the optimum (see `crate::model`), so they cost nothing that
//! grows with the rows. The model frees the rows once it has their cross-products; the fitted
//! values are one more pass over a design's rows ([`fitted_values`]), for a design built again
//! from the data set (the variables, not the fit, are computed again).

use crate::design::{Design, BLOCK_ROWS};
use crate::model::{LinearMixedModel, ModelError};
use crate::result::{FitResult, RandomEffects};

/// The conditional modes and covariances of every term at the model's current factor, in the
/// model's term order.
pub(super) fn random_effects(model: &LinearMixedModel, sigma: f64) -> Vec<RandomEffects> {
    let modes = model.conditional_modes();
    let covariances = model.conditional_covariances(sigma);
    model
        .terms
        .iter()
        .zip(modes)
        .zip(covariances)
        .map(|((term, modes), cond_var)| RandomEffects {
            group: term.group.clone(),
            terms: term.names().to_vec(),
            levels: term.levels.clone(),
            modes,
            // Each block is symmetric, so its column-major layout is also the row-major one.
            cond_var,
        })
        .collect()
}

/// The fitted value X β + Σ_k Z_k b_k of every row of `design` (the rows the fit used, in data
/// order); the conditional residual of row i is `design.y[i] - fitted[i]`. Errors: `fit` is not
/// a fit of this design (other fixed effects, grouping factors or levels).
pub fn fitted_values(design: &Design, fit: &FitResult) -> Result<Vec<f64>, ModelError> {
    let mismatch = |what: &str| ModelError::FitDoesNotMatch { what: what.into() };
    let beta: Vec<f64> = fit.fixed.iter().map(|f| f.estimate).collect();
    if design.x.names != fit.fixed.iter().map(|f| f.term.clone()).collect::<Vec<_>>() {
        return Err(mismatch("the fixed effects"));
    }
    // The model's order of terms: decreasing number of levels, ties as written.
    let mut terms: Vec<_> = design.random.iter().collect();
    terms.sort_by_key(|t| std::cmp::Reverse(t.levels.len()));
    let matches = terms.len() == fit.random_effects.len()
        && terms.iter().zip(&fit.random_effects).all(|(t, r)| {
            t.group == r.group && t.levels == r.levels && t.names() == r.terms.as_slice()
        });
    if !matches {
        return Err(mismatch("the random effects"));
    }
    let n = design.y.len();
    let p = beta.len();
    let mut fitted = Vec::with_capacity(n);
    let mut x_block = vec![0.0; BLOCK_ROWS * p];
    let mut z_block = Vec::new();
    let mut start = 0;
    while start < n {
        let len = BLOCK_ROWS.min(n - start);
        let x = &mut x_block[..len * p];
        design.x.block_into(&design.data, start, len, x);
        let mut values: Vec<f64> = (0..len)
            .map(|i| (0..p).map(|j| x[j * len + i] * beta[j]).sum())
            .collect();
        for (t, effects) in terms.iter().zip(&fit.random_effects) {
            let q = t.q();
            z_block.resize(len * q, 0.0);
            t.z.block_into(&design.data, start, len, &mut z_block);
            for (i, v) in values.iter_mut().enumerate() {
                let b = &effects.modes[t.refs[start + i] as usize * q..][..q];
                *v += (0..q).map(|c| z_block[c * len + i] * b[c]).sum::<f64>();
            }
        }
        fitted.extend(values);
        start += len;
    }
    Ok(fitted)
}
