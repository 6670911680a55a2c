//! Kenward-Roger's adjusted covariance of beta and denominator df (Kenward & Roger 1997,
//! Biometrics 53(3); as pbkrtest 0.5.2 computes them in `vcovAdj` and `.KR_adjust`, which
//! lmerTest's `summary(m, ddf = "Kenward-Roger")` and `anova` report).
//!
//! The covariance parameters are pbkrtest's: every variance and covariance element of each
//! random-effects term's covariance matrix, plus sigma². Sigma = sum_r gamma_r G_r is linear in
//! them (G_r = Z E_r Z' with E_r the indicator of element r over the term's levels, and I for
//! sigma²), so the second-derivative term of Kenward-Roger vanishes. KR is not invariant to the
//! parametrisation: lme4's theta would give other numbers.
//!
//! With Sigma⁻¹ = sigma⁻² (I - Z F Z'), F = Λ (Λ'Z'ZΛ + I)⁻¹ Λ', and U = I - Z'Z F (so that
//! Z'Sigma⁻¹ = sigma⁻² U Z'), everything reduces to the blocks of Z'Z, Z'X and X'X:
//! Z'V⁻¹Z = U Z'Z, Z'V⁻¹X = U Z'X, Z'V⁻²Z = U Z'Z U', X'V⁻¹X = X'X - X'ZFZ'X, and so on
//! (V = Sigma / sigma²). No n x n matrix is formed: Z'Z is block diagonal over the connected
//! components of the random effects (each level with one grouping factor, each person with their
//! days for nested factors; see [`LinearMixedModel::for_each_random_block`]) and the work is per
//! component.

mod algebra;

use crate::model::{LinearMixedModel, ModelError, RandomBlock};
use algebra::{add_identity, lower_inverse, times_lambda, trace_of_square};
use nalgebra::{DMatrix, SymmetricEigen};

/// The pieces of Kenward-Roger at the REML optimum, in the centred coefficients of the model.
#[derive(Debug, Clone)]
pub struct KenwardRoger {
    /// Φ = cov(beta) = (X' Sigma⁻¹ X)⁻¹.
    phi: DMatrix<f64>,
    /// Φ_A = Φ + 2 Φ U Φ, the adjusted covariance.
    phi_adjusted: DMatrix<f64>,
    /// P_r = -X' Sigma⁻¹ G_r Sigma⁻¹ X, one per covariance parameter.
    p: Vec<DMatrix<f64>>,
    /// W = 2 times the inverse of pbkrtest's information matrix.
    w: DMatrix<f64>,
    /// beta = T beta_centred (+ a constant).
    t: DMatrix<f64>,
}

/// One covariance parameter as the (row, column) pairs of its indicator E_r within a block.
type Pairs = Vec<(usize, usize)>;

/// The indicators E_r of the parameters of the terms in `block`, in pbkrtest's order within each
/// term (lower triangle, column by column); an off-diagonal element enters twice (E_r symmetric).
fn block_parameters(block: &RandomBlock) -> Vec<Pairs> {
    let mut params = Vec::new();
    for t in &block.terms {
        for j in 0..t.q {
            for i in j..t.q {
                let mut pairs = Vec::with_capacity(2 * t.levels);
                for g in 0..t.levels {
                    let (a, b) = (t.offset + g * t.q + i, t.offset + g * t.q + j);
                    pairs.push((a, b));
                    if a != b {
                        pairs.push((b, a));
                    }
                }
                params.push(pairs);
            }
        }
    }
    params
}

/// E M for the indicator `pairs` (rows of M moved where E puts them).
fn apply_indicator(pairs: &Pairs, m: &DMatrix<f64>) -> DMatrix<f64> {
    let mut out = DMatrix::zeros(m.nrows(), m.ncols());
    for &(a, b) in pairs {
        for j in 0..m.ncols() {
            out[(a, j)] += m[(b, j)];
        }
    }
    out
}

/// Sums over the blocks of Z'Z, before the powers of sigma are applied.
struct Sums {
    /// X'ZFZ'X.
    xzfzx: DMatrix<f64>,
    /// -2 X'ZFZ'X + X'ZFZ'ZFZ'X (X'V⁻²X - X'X).
    v2: DMatrix<f64>,
    /// X'V⁻¹Z F Z'V⁻¹X (X'V⁻²X - X'V⁻³X).
    v3: DMatrix<f64>,
    /// tr(V⁻²) - n.
    trace_v2: f64,
    /// X'V⁻¹ G_r V⁻¹ X per random-effects parameter.
    p: Vec<DMatrix<f64>>,
    /// X'V⁻¹ G_r V⁻¹ G_s V⁻¹ X (r <= s; s = the last for sigma²), row-major over (r, s).
    q: Vec<DMatrix<f64>>,
    /// tr(V⁻¹ G_r V⁻¹ G_s).
    k: DMatrix<f64>,
}

impl Sums {
    fn new(n_re: usize, p: usize) -> Sums {
        let g = n_re + 1;
        Sums {
            xzfzx: DMatrix::zeros(p, p),
            v2: DMatrix::zeros(p, p),
            v3: DMatrix::zeros(p, p),
            trace_v2: 0.0,
            p: vec![DMatrix::zeros(p, p); n_re],
            q: vec![DMatrix::zeros(p, p); g * g],
            k: DMatrix::zeros(g, g),
        }
    }

    /// Adds one block's share. Every block lists every random-effects term (a term may have no
    /// levels in it), so `params` are all the parameters.
    fn add(&mut self, block: &RandomBlock, params: &[Pairs]) -> Option<()> {
        let g = self.k.nrows();
        let res = g - 1;
        let s = &block.ztz;
        let r = &block.ztx;
        // F = Λ K⁻¹ Λ' = W'W with K = Λ'Z'ZΛ + I = L L' and W = L⁻¹ Λ'; the intermediate
        // matrices go before the next ones are made (a large block's memory is a few of them).
        let f = {
            let mut kmat = times_lambda(&times_lambda(s, block, false).transpose(), block, false);
            add_identity(&mut kmat);
            let l_inv = lower_inverse(&kmat.cholesky()?.unpack());
            let w = times_lambda(&l_inv, block, true);
            w.transpose() * &w
        };
        let fs = &f * s;
        let mut u = -fs.transpose();
        add_identity(&mut u);
        let c = &u * s;
        let rt = &u * r;
        let r2 = &u * &rt;
        // Only elements of C U' are needed: (C U')[(j, i)] = C[j, .] . U[i, .].
        let d2 = |j: usize, i: usize| c.row(j).dot(&u.row(i));
        let fr = &f * r;
        let rfr = r.transpose() * &fr;
        self.xzfzx += &rfr;
        self.v2 += fr.transpose() * s * &fr - 2.0 * &rfr;
        self.v3 += rt.transpose() * &f * &rt;
        self.trace_v2 += -2.0 * fs.trace() + trace_of_square(&fs);
        let e_rt: Vec<DMatrix<f64>> = params.iter().map(|e| apply_indicator(e, &rt)).collect();
        for (a, ea) in params.iter().enumerate() {
            self.p[a] += rt.transpose() * &e_rt[a];
            self.q[a * g + res] += e_rt[a].transpose() * &r2;
            self.k[(a, res)] += ea.iter().map(|&(i, j)| d2(j, i)).sum::<f64>();
        }
        for (b, eb) in params.iter().enumerate() {
            let c_eb = &c * &e_rt[b];
            for (a, ea) in params.iter().enumerate().take(b + 1) {
                self.q[a * g + b] += e_rt[a].transpose() * &c_eb;
                let mut trace = 0.0;
                for &(i, j) in ea {
                    for &(k, l) in eb {
                        trace += c[(j, k)] * c[(l, i)];
                    }
                }
                self.k[(a, b)] += trace;
            }
        }
        Some(())
    }
}

/// 2 times the inverse of `ie2`, or of its Moore-Penrose inverse when its smallest eigenvalue
/// in absolute value is below 1e-10 (pbkrtest's rule).
fn twice_inverse(ie2: &DMatrix<f64>) -> DMatrix<f64> {
    let eig = SymmetricEigen::new(ie2.clone());
    let max = eig.eigenvalues.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let singular = eig.eigenvalues.iter().any(|v| v.abs() <= 1e-10);
    // MASS::ginv drops singular values below sqrt(eps) times the largest.
    let tol = if singular {
        f64::EPSILON.sqrt() * max
    } else {
        0.0
    };
    let mut w = DMatrix::zeros(ie2.nrows(), ie2.ncols());
    for (i, &ev) in eig.eigenvalues.iter().enumerate() {
        if ev.abs() > tol {
            let v = eig.eigenvectors.column(i);
            w += (v * v.transpose()) * (2.0 / ev);
        }
    }
    w
}

/// Computes Kenward-Roger's pieces for the model at its REML optimum (theta current, residual
/// SD `sigma`). Errors: with several random-effects terms, connected blocks of random effects
/// too large for the dense treatment; a covariance matrix that cannot be factored.
pub fn kenward_roger(model: &LinearMixedModel, sigma: f64) -> Result<KenwardRoger, ModelError> {
    kenward_roger_over(model, sigma, |visit| model.for_each_random_block(visit))
}

/// [`kenward_roger`] over the blocks of Z'Z that `blocks` hands to its visitor (every block
/// lists every term, so the parameters line up across blocks).
fn kenward_roger_over(
    model: &LinearMixedModel,
    sigma: f64,
    blocks: impl FnOnce(&mut dyn FnMut(&RandomBlock)) -> Result<(), ModelError>,
) -> Result<KenwardRoger, ModelError> {
    let n_re: usize = model
        .terms
        .iter()
        .map(|t| crate::model::theta_len(t.q()))
        .sum();
    let p = model.p;
    let mut sums = Sums::new(n_re, p);
    let mut failed = false;
    // The blocks of a single term all have the same layout (one level); components of several
    // terms have their own numbers of levels, so their indicators are built per block.
    let mut params: Option<(Vec<usize>, Vec<Pairs>)> = None;
    blocks(&mut |block: &RandomBlock| {
        let levels: Vec<usize> = block.terms.iter().map(|t| t.levels).collect();
        if params.as_ref().is_none_or(|(l, _)| *l != levels) {
            params = Some((levels, block_parameters(block)));
        }
        let (_, params) = params.as_ref().expect("parameters were just built");
        failed |= sums.add(block, params).is_none();
    })?;
    if failed {
        return Err(ModelError::Degenerate {
            message: "Kenward-Roger: a block of the random-effects covariance is not positive \
                      definite"
                .into(),
        });
    }
    let g = n_re + 1;
    let res = n_re;
    let xtx = model.centred_xtx();
    let (s2, s4, s6) = (sigma * sigma, sigma.powi(4), sigma.powi(6));
    let xvx = &xtx - &sums.xzfzx;
    let xv2x = &xtx + &sums.v2;
    let xv3x = &xv2x - &sums.v3;
    let phi = match xvx.cholesky() {
        Some(ch) => ch.inverse() * s2,
        None => {
            return Err(ModelError::Degenerate {
                message: "Kenward-Roger: X' V⁻¹ X is not positive definite".into(),
            })
        }
    };
    let mut pm: Vec<DMatrix<f64>> = sums.p.iter().map(|m| m * (-1.0 / s4)).collect();
    pm.push(&xv2x * (-1.0 / s4));
    sums.q[res * g + res] = xv3x;
    sums.k[(res, res)] = model.nobs as f64 + sums.trace_v2;
    let q = |i: usize, j: usize| -> DMatrix<f64> {
        let (a, b) = (i.min(j), i.max(j));
        let m = &sums.q[a * g + b] / s6;
        if i <= j {
            m
        } else {
            m.transpose()
        }
    };
    let k = |i: usize, j: usize| sums.k[(i.min(j), i.max(j))] / s4;
    let mut ie2 = DMatrix::zeros(g, g);
    for i in 0..g {
        let phi_pi = &phi * &pm[i];
        for j in i..g {
            let v = k(i, j) - 2.0 * phi.component_mul(&q(i, j)).sum()
                + phi_pi.component_mul(&(&pm[j] * &phi)).sum();
            ie2[(i, j)] = v;
            ie2[(j, i)] = v;
        }
    }
    let w = twice_inverse(&ie2);
    let mut u = DMatrix::zeros(p, p);
    for i in 0..g {
        for j in 0..g {
            u += (q(i, j) - &pm[i] * &phi * &pm[j]) * w[(i, j)];
        }
    }
    let phi_adjusted = &phi + (&phi * u * &phi) * 2.0;
    Ok(KenwardRoger {
        phi,
        phi_adjusted,
        p: pm,
        w,
        t: model.centring_transform(),
    })
}

/// What `.KR_adjust` reports for a hypothesis L beta = 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KrTest {
    /// Number of rows of L (its rank, for the full-rank contrasts lagmix builds).
    pub ndf: f64,
    /// Denominator df.
    pub ddf: f64,
    /// The Wald F from the adjusted covariance, times pbkrtest's scaling factor.
    pub f: f64,
}

/// pbkrtest's `.divZero`: x / y, but 1 when both are (nearly) zero.
fn div_zero(x: f64, y: f64) -> f64 {
    if x.abs() < 1e-14 && y.abs() < 1e-14 {
        1.0
    } else {
        x / y
    }
}

impl KenwardRoger {
    /// The adjusted covariance of beta (pbkrtest's `vcovAdj`), in the original coefficients.
    pub fn adjusted_covariance(&self) -> DMatrix<f64> {
        &self.t * &self.phi_adjusted * self.t.transpose()
    }

    /// The test of L beta = 0 (`l` has one row per hypothesis, in the original coefficients;
    /// `beta` the estimates): pbkrtest's `.KR_adjust` (`Lb_ddf` for a single row).
    pub fn test(&self, l: &DMatrix<f64>, beta: &[f64]) -> KrTest {
        let q = l.nrows() as f64;
        let lc = l * &self.t;
        let nan = KrTest {
            ndf: q,
            ddf: f64::NAN,
            f: f64::NAN,
        };
        let Some(middle) = (&lc * &self.phi * lc.transpose()).try_inverse() else {
            return nan;
        };
        let theta_phi = lc.transpose() * middle * &lc * &self.phi;
        let u: Vec<DMatrix<f64>> = self
            .p
            .iter()
            .map(|pi| &theta_phi * pi * &self.phi)
            .collect();
        let (mut a1, mut a2) = (0.0, 0.0);
        for i in 0..u.len() {
            for j in i..u.len() {
                let e = if i == j { 1.0 } else { 2.0 };
                a1 += e * self.w[(i, j)] * u[i].trace() * u[j].trace();
                a2 += e * self.w[(i, j)] * (&u[i] * &u[j]).trace();
            }
        }
        let b = (a1 + 6.0 * a2) / (2.0 * q);
        let g = ((q + 1.0) * a1 - (q + 4.0) * a2) / ((q + 2.0) * a2);
        let denom = 3.0 * q + 2.0 * (1.0 - g);
        let (c1, c2, c3) = (g / denom, (q - g) / denom, (q + 2.0 - g) / denom);
        let mut v0 = 1.0 + c1 * b;
        let v1 = 1.0 - c2 * b;
        let v2 = 1.0 - c3 * b;
        if v0.abs() < 1e-10 {
            v0 = 0.0;
        }
        let rho = div_zero(1.0 - a2 / q, v1).powi(2) * v0 / v2 / q;
        let ddf = 4.0 + (q + 2.0) / (q * rho - 1.0);
        let scaling = if (ddf - 2.0).abs() < 1e-2 {
            1.0
        } else {
            ddf * (1.0 - a2 / q) / (ddf - 2.0)
        };
        let lb = l * DMatrix::from_column_slice(beta.len(), 1, beta);
        let adjusted = l * self.adjusted_covariance() * l.transpose();
        let wald = match adjusted.try_inverse() {
            Some(inv) => (lb.transpose() * inv * &lb)[(0, 0)],
            None => return nan,
        };
        KrTest {
            ndf: q,
            ddf,
            f: scaling * wald / q,
        }
    }

    /// The df of coefficient `k` (lmerTest's `get_KR1D`, pbkrtest's `Lb_ddf`).
    pub fn coefficient_df(&self, k: usize) -> f64 {
        let p = self.t.nrows();
        let mut l = DMatrix::zeros(1, p);
        l[(0, k)] = 1.0;
        self.test(&l, &vec![0.0; p]).ddf
    }
}

#[cfg(test)]
mod component_tests;

#[cfg(test)]
mod tests {
    use crate::{fit_csv, DataOptions, DfMethod, ModelOptions};

    /// A balanced panel: 6 persons x 4 occasions, y depends on t, with a person effect.
    fn balanced() -> String {
        let mut csv = String::from("id,t,y\n");
        let person = [0.3, -1.2, 0.8, 2.1, -0.4, -1.5];
        let noise = [0.2, -0.5, 0.1, 0.4, -0.3, 0.6, -0.1, 0.25];
        for (i, u) in person.iter().enumerate() {
            for t in 0..4 {
                let y = 1.0 + 0.5 * t as f64 + u + noise[(i * 4 + t) % 8] * (1.0 + i as f64 / 5.0);
                csv.push_str(&format!("p{i},{t},{y}\n"));
            }
        }
        csv
    }

    fn fit(csv: &str, reml: bool, df: DfMethod) -> Result<crate::FitResult, crate::Error> {
        let mut options = ModelOptions::new("y ~ t + (1 | id)");
        options.reml = reml;
        options.df = df;
        fit_csv(csv.as_bytes(), &DataOptions::default(), &options)
    }

    #[test]
    fn balanced_data_keep_their_standard_errors() {
        // With balanced data and a random intercept the adjustment vanishes (Kenward & Roger
        // 1997): the SEs equal the unadjusted ones and the slope's df is the within df.
        let kr = fit(&balanced(), true, DfMethod::KenwardRoger).expect("fits");
        let plain = fit(&balanced(), true, DfMethod::Residual).expect("fits");
        for (a, b) in kr.fixed.iter().zip(&plain.fixed) {
            assert!((a.se - b.se).abs() < 1e-8 * b.se, "{} {}", a.se, b.se);
        }
        // 24 rows - 6 persons - 1 slope = 17 within df.
        assert!((kr.fixed[1].df - 17.0).abs() < 1e-6, "{}", kr.fixed[1].df);
        assert_eq!(kr.df_method, "kenward-roger");
        assert_eq!(kr.anova.len(), 1);
        assert!((kr.anova[0].f - kr.fixed[1].t.powi(2)).abs() < 1e-8 * kr.anova[0].f);
    }

    #[test]
    fn maximum_likelihood_is_refused_with_a_reason() {
        let err = fit(&balanced(), false, DfMethod::KenwardRoger).expect_err("ML is refused");
        let text = err.to_string();
        assert!(text.contains("REML"), "{text}");
        assert!(text.contains("Kenward-Roger"), "{text}");
    }
}
