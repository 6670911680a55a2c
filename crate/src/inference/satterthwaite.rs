//! Satterthwaite denominator degrees of freedom as lmerTest computes them (Kuznetsova,
//! Brockhoff & Christensen 2017, JSS 82(13), section 3.3).
//!
//! The variance parameters are `varpar = (theta, sigma)`. Their asymptotic covariance is
//! `A = 2 H⁻¹`, H the Hessian of the deviance in varpar at the optimum (inverted over its positive
//! eigenvalues). For a coefficient k with variance v = cov(beta)_kk and gradient g_i = d v / d
//! varpar_i, df = 2 v² / (g' A g).
//!
//! The derivatives are numerical, with Richardson extrapolation as in R's numDeriv (the same steps
//! lmerTest takes), but on our cross-product blocks, so each evaluation costs nothing that grows
//! with the number of observations. At a boundary (a diagonal theta of 0) the deviance is
//! symmetric in that theta, so its derivatives vanish, exactly as in lmerTest.

use crate::model::{DeviancePieces, LinearMixedModel};
use nalgebra::{DMatrix, SymmetricEigen};
use std::collections::hash_map::{Entry, HashMap};

/// numDeriv's step settings.
#[derive(Debug, Clone, Copy)]
struct Richardson {
    /// Relative step.
    d: f64,
    /// Absolute step for coordinates near zero.
    eps: f64,
    /// Number of halvings.
    r: usize,
}

/// Coordinates closer to zero than this get the absolute step (numDeriv's zero.tol).
fn zero_tol() -> f64 {
    (f64::EPSILON / 7e-7).sqrt()
}

fn initial_steps(x: &[f64], s: Richardson) -> Vec<f64> {
    x.iter()
        .map(|&xi| (s.d * xi).abs() + if xi.abs() < zero_tol() { s.eps } else { 0.0 })
        .collect()
}

/// Richardson extrapolation of a sequence of estimates taken with halving steps.
fn extrapolate(mut a: Vec<Vec<f64>>) -> Vec<f64> {
    let r = a.len();
    for m in 1..r {
        let w = 4f64.powi(m as i32);
        for k in 0..r - m {
            let next = a[k + 1].clone();
            for (ak, nk) in a[k].iter_mut().zip(next) {
                *ak = (nk * w - *ak) / (w - 1.0);
            }
        }
    }
    a.swap_remove(0)
}

/// Jacobian of a vector-valued f at x: column i is d f / d x_i.
fn jacobian<F: FnMut(&[f64]) -> Vec<f64>>(f: &mut F, x: &[f64], s: Richardson) -> Vec<Vec<f64>> {
    let h0 = initial_steps(x, s);
    (0..x.len())
        .map(|i| {
            let mut h = h0[i];
            let mut approx = Vec::with_capacity(s.r);
            for _ in 0..s.r {
                let mut xp = x.to_vec();
                xp[i] += h;
                let mut xm = x.to_vec();
                xm[i] -= h;
                let (fp, fm) = (f(&xp), f(&xm));
                approx.push(
                    fp.iter()
                        .zip(&fm)
                        .map(|(a, b)| (a - b) / (2.0 * h))
                        .collect(),
                );
                h /= 2.0;
            }
            extrapolate(approx)
        })
        .collect()
}

/// Hessian of a scalar f at x (numDeriv's genD).
fn hessian<F: FnMut(&[f64]) -> f64>(f: &mut F, x: &[f64], s: Richardson) -> DMatrix<f64> {
    let n = x.len();
    let f0 = f(x);
    let h0 = initial_steps(x, s);
    let mut hess = DMatrix::zeros(n, n);
    for i in 0..n {
        let mut h = h0.clone();
        let mut approx = Vec::with_capacity(s.r);
        for _ in 0..s.r {
            let mut xp = x.to_vec();
            xp[i] += h[i];
            let mut xm = x.to_vec();
            xm[i] -= h[i];
            approx.push(vec![(f(&xp) - 2.0 * f0 + f(&xm)) / (h[i] * h[i])]);
            h.iter_mut().for_each(|v| *v /= 2.0);
        }
        hess[(i, i)] = extrapolate(approx)[0];
    }
    for i in 0..n {
        for j in 0..i {
            let mut h = h0.clone();
            let mut approx = Vec::with_capacity(s.r);
            for _ in 0..s.r {
                let mut xp = x.to_vec();
                xp[i] += h[i];
                xp[j] += h[j];
                let mut xm = x.to_vec();
                xm[i] -= h[i];
                xm[j] -= h[j];
                let v = (f(&xp) - 2.0 * f0 + f(&xm)
                    - hess[(i, i)] * h[i] * h[i]
                    - hess[(j, j)] * h[j] * h[j])
                    / (2.0 * h[i] * h[j]);
                approx.push(vec![v]);
                h.iter_mut().for_each(|v| *v /= 2.0);
            }
            let v = extrapolate(approx)[0];
            hess[(i, j)] = v;
            hess[(j, i)] = v;
        }
    }
    hess
}

/// The pieces of the Satterthwaite approximation at the optimum.
#[derive(Debug, Clone)]
pub struct VarparCovariance {
    /// A = 2 H⁻¹ over varpar = (theta, sigma).
    pub a: DMatrix<f64>,
    /// d cov(beta) / d varpar_i, one p x p matrix per varpar.
    pub jacobians: Vec<DMatrix<f64>>,
    /// Eigenvalues of H that are negative or near zero (lmerTest warns about them).
    pub negative_eigenvalues: usize,
    pub zero_eigenvalues: usize,
}

/// Computes A and the Jacobians at `theta`, `sigma`; leaves the model at theta.
pub fn varpar_covariance(
    model: &mut LinearMixedModel,
    theta: &[f64],
    sigma: f64,
    reml: bool,
) -> VarparCovariance {
    let mut varpar = theta.to_vec();
    varpar.push(sigma);
    let k = varpar.len();
    let p = model.p;
    let (hessian_steps, jacobian_steps) = (
        Richardson {
            d: 0.01,
            eps: 1e-4,
            r: 2,
        },
        Richardson {
            d: 1e-4,
            eps: 1e-4,
            r: 2,
        },
    );
    // Both derivatives need the factor at a few dozen thetas, which depend on the steps alone:
    // a first run of each scheme on a stand-in lists them, they are factored as one batch (over
    // several threads natively), and the schemes run again on the results. The Hessian's steps
    // in (theta_i, sigma) share their theta with the steps in theta_i alone, so each theta is
    // factored once.
    let mut wanted: Vec<Vec<f64>> = Vec::new();
    hessian(
        &mut |vp: &[f64]| {
            wanted.push(vp[..k - 1].to_vec());
            0.0
        },
        &varpar,
        hessian_steps,
    );
    jacobian(
        &mut |vp: &[f64]| {
            wanted.push(vp[..k - 1].to_vec());
            vec![0.0; p * p]
        },
        &varpar,
        jacobian_steps,
    );
    let key = |t: &[f64]| -> Vec<u64> { t.iter().map(|v| v.to_bits()).collect() };
    let mut index: HashMap<Vec<u64>, usize> = HashMap::new();
    // Each distinct theta once, numbered in order of first request.
    wanted.retain(|t| {
        let next = index.len();
        match index.entry(key(t)) {
            Entry::Vacant(slot) => {
                slot.insert(next);
                true
            }
            Entry::Occupied(_) => false,
        }
    });
    let factored: Vec<(DeviancePieces, DMatrix<f64>)> =
        model.at_each(&wanted, |m| (m.pieces(), m.unscaled_cov_beta()));
    let at = |vp: &[f64]| &factored[index[&key(&vp[..k - 1])]];
    let nobs = model.nobs;
    let mut deviance = |vp: &[f64]| at(vp).0.deviance(vp[k - 1], nobs, p, reml);
    let h = hessian(&mut deviance, &varpar, hessian_steps);
    let tol = 1e-8;
    let eig = SymmetricEigen::new(h);
    let mut a = DMatrix::zeros(k, k);
    let (mut negative, mut zero) = (0, 0);
    for (idx, &ev) in eig.eigenvalues.iter().enumerate() {
        if ev < -tol {
            negative += 1;
        } else if ev <= tol {
            zero += 1;
        } else {
            let v = eig.eigenvectors.column(idx);
            a += (v * v.transpose()) * (2.0 / ev);
        }
    }
    let mut cov_beta = |vp: &[f64]| -> Vec<f64> {
        let s2 = vp[k - 1] * vp[k - 1];
        at(vp).1.iter().map(|v| v * s2).collect()
    };
    let jac = jacobian(&mut cov_beta, &varpar, jacobian_steps);
    let jacobians = jac
        .into_iter()
        .map(|col| DMatrix::from_vec(p, p, col))
        .collect();
    model.set_theta(theta);
    model.update_l();
    VarparCovariance {
        a,
        jacobians,
        negative_eigenvalues: negative,
        zero_eigenvalues: zero,
    }
}

/// Satterthwaite df for coefficient `k` given cov(beta).
pub fn coefficient_df(vc: &VarparCovariance, cov_beta: &DMatrix<f64>, k: usize) -> f64 {
    let v = cov_beta[(k, k)];
    let g: Vec<f64> = vc.jacobians.iter().map(|j| j[(k, k)]).collect();
    let n = g.len();
    let mut gag = 0.0;
    for i in 0..n {
        for j in 0..n {
            gag += g[i] * vc.a[(i, j)] * g[j];
        }
    }
    2.0 * v * v / gag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hessian_of_a_quadratic_is_exact() {
        let mut f = |x: &[f64]| 3.0 * x[0] * x[0] + 2.0 * x[0] * x[1] + 5.0 * x[1] * x[1];
        let h = hessian(
            &mut f,
            &[0.7, -1.3],
            Richardson {
                d: 0.1,
                eps: 1e-4,
                r: 4,
            },
        );
        assert!((h[(0, 0)] - 6.0).abs() < 1e-6);
        assert!((h[(0, 1)] - 2.0).abs() < 1e-6);
        assert!((h[(1, 1)] - 10.0).abs() < 1e-6);
    }

    #[test]
    fn jacobian_of_a_smooth_map() {
        let mut f = |x: &[f64]| vec![x[0].exp(), x[0] * x[1]];
        let j = jacobian(
            &mut f,
            &[0.5, 2.0],
            Richardson {
                d: 1e-4,
                eps: 1e-4,
                r: 4,
            },
        );
        assert!((j[0][0] - 0.5f64.exp()).abs() < 1e-9);
        assert!((j[0][1] - 2.0).abs() < 1e-9);
        assert!((j[1][1] - 0.5).abs() < 1e-9);
    }
}
