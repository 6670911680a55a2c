//! The whitened cross-products as a function of phi without a pass over the data, for a model
//! whose one random-effects term is grouped by the person.
//!
//! Row k of `[Z X y]` whitened is c_k (u_k - a_k u_{k-1}) with a_k = phi^d_k and
//! c_k² = 1 / (1 - a_k²), so the cross-products are
//! ```text
//!   sum over k of c_k² (u_k u_k' - a_k (u_k u_{k-1}' + u_{k-1} u_k') + a_k² u_{k-1} u_{k-1}')
//! ```
//! Rows with the same time step d share a_k and c_k: accumulating the three products per
//! distinct step once makes every phi a weighted sum of them. Weekly data have a handful of
//! distinct steps (1, and the gaps); the rows themselves can then be freed. With many distinct
//! steps (real times) or more than one random-effects term the model keeps the rows instead
//! (`super::correlated`).

use super::centering::Centering;
use super::cross_products::CrossProducts;
use super::residual::Occasions;
use crate::design::{ModelData, ModelMatrix, RandomEffectsTerm, BLOCK_ROWS};
use nalgebra::DMatrix;

/// Most distinct time steps for which the products are split by step (each step holds three
/// copies of the cross-products).
pub(super) const MAX_STEPS: usize = 16;

/// The lag-0, cross-lag and lag-1 products of the rows, per distinct time step.
#[derive(Debug, Clone)]
pub(super) struct LaggedProducts {
    /// The distinct steps (+inf: a person's first occasion).
    steps: Vec<f64>,
    /// Per step: sum of u_k u_k', of u_k u_{k-1}' + u_{k-1} u_k', of u_{k-1} u_{k-1}'.
    parts: Vec<[CrossProducts; 3]>,
}

fn zeros(l1: usize, q1: usize, m: usize) -> CrossProducts {
    CrossProducts {
        a11: vec![0.0; q1 * q1 * l1],
        a21: vec![0.0; m * q1 * l1],
        a22: DMatrix::zeros(m, m),
    }
}

/// Adds the outer product of the rows (z, w) and (zp, wp) of level `g` into `out`:
/// a11_g += z zp', a21_g += w zp', a22 += w wp' (both triangles).
fn add_outer(
    out: &mut CrossProducts,
    g: usize,
    (z, w): (&[f64], &[f64]),
    (zp, wp): (&[f64], &[f64]),
) {
    let (q1, m) = (z.len(), w.len());
    let a11 = &mut out.a11[g * q1 * q1..(g + 1) * q1 * q1];
    for j in 0..q1 {
        for i in 0..q1 {
            a11[j * q1 + i] += z[i] * zp[j];
        }
    }
    let a21 = &mut out.a21[g * m * q1..(g + 1) * m * q1];
    for c in 0..q1 {
        for i in 0..m {
            a21[c * m + i] += w[i] * zp[c];
        }
    }
    let a22 = out.a22.as_mut_slice();
    for j in 0..m {
        for i in 0..m {
            a22[j * m + i] += w[i] * wp[j];
        }
    }
}

impl LaggedProducts {
    /// The products of the rows (sorted by person and time, `occasions` their steps), or None
    /// when there are more than [`MAX_STEPS`] distinct steps or more than one term.
    pub(super) fn new(
        terms: &[RandomEffectsTerm],
        x: &ModelMatrix,
        data: &ModelData,
        y: &[f64],
        centering: &Centering,
        occasions: &Occasions,
    ) -> Option<LaggedProducts> {
        let [term] = terms else { return None };
        let steps = occasions.distinct_steps(MAX_STEPS)?;
        let (q1, l1, p) = (term.q(), term.levels.len(), x.ncols());
        let m = p + 1;
        let mut parts: Vec<[CrossProducts; 3]> = steps
            .iter()
            .map(|_| [zeros(l1, q1, m), zeros(l1, q1, m), zeros(l1, q1, m)])
            .collect();
        let mut xy = vec![0.0; BLOCK_ROWS * m];
        let mut zb = vec![0.0; BLOCK_ROWS * q1];
        // This row and the previous one, as (z, w).
        let (mut z, mut w) = (vec![0.0; q1], vec![0.0; m]);
        let (mut zp, mut wp) = (vec![0.0; q1], vec![0.0; m]);
        let mut start = 0;
        while start < y.len() {
            let len = BLOCK_ROWS.min(y.len() - start);
            x.block_into(data, start, len, &mut xy[..len * p]);
            term.z.block_into(data, start, len, &mut zb[..len * q1]);
            for i in 0..len {
                let r = start + i;
                for c in 0..q1 {
                    z[c] = zb[c * len + i];
                }
                for j in 0..p {
                    w[j] = xy[j * len + i] - centering.x_shift[j];
                }
                w[p] = y[r] - centering.y_shift;
                let d = occasions.step(r);
                let s = steps
                    .iter()
                    .position(|&t| t == d || (t.is_nan() && d.is_nan()))?;
                let g = term.refs[r] as usize;
                let [lag0, cross, lag1] = &mut parts[s];
                add_outer(lag0, g, (&z, &w), (&z, &w));
                if d.is_finite() {
                    add_outer(cross, g, (&z, &w), (&zp, &wp));
                    add_outer(cross, g, (&zp, &wp), (&z, &w));
                    add_outer(lag1, g, (&zp, &wp), (&zp, &wp));
                }
                std::mem::swap(&mut z, &mut zp);
                std::mem::swap(&mut w, &mut wp);
            }
            start += len;
        }
        Some(LaggedProducts { steps, parts })
    }

    /// The cross-products of the rows whitened at `phi`.
    pub(super) fn at(&self, phi: f64) -> CrossProducts {
        let [first, ..] = &self.parts[0];
        let (n11, n21, m) = (first.a11.len(), first.a21.len(), first.a22.nrows());
        let mut out = CrossProducts {
            a11: vec![0.0; n11],
            a21: vec![0.0; n21],
            a22: DMatrix::zeros(m, m),
        };
        for (&d, [lag0, cross, lag1]) in self.steps.iter().zip(&self.parts) {
            let (a, c) = super::residual::coefficients_at(phi, d);
            let (w0, w1, w2) = (c * c, -c * c * a, c * c * a * a);
            let mix = |out: &mut [f64], l0: &[f64], l1c: &[f64], l2: &[f64]| {
                for (((o, &u), &v), &t) in out.iter_mut().zip(l0).zip(l1c).zip(l2) {
                    *o += w0 * u + w1 * v + w2 * t;
                }
            };
            mix(&mut out.a11, &lag0.a11, &cross.a11, &lag1.a11);
            mix(&mut out.a21, &lag0.a21, &cross.a21, &lag1.a21);
            mix(
                out.a22.as_mut_slice(),
                lag0.a22.as_slice(),
                cross.a22.as_slice(),
                lag1.a22.as_slice(),
            );
        }
        out
    }
}
