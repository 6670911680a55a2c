//! The linear mixed model as a penalized least-squares problem (Bates et al. 2015, JSS 67(1),
//! sections 3.1-3.6), organised as MixedModels.jl organises it.
//!
//! The random-effects terms are sorted by decreasing number of levels (lme4's order). The first
//! term's Z'Z is block diagonal (one q1 x q1 block per level); everything else, the other terms'
//! Z columns, X and y, forms the dense "rest" of the augmented system `[Z X y]`. The cross-products
//! of `[Z X y]` are accumulated in one pass over the data ([`LinearMixedModel::new`]); after that, a
//! deviance evaluation ([`LinearMixedModel::set_theta`] -> [`LinearMixedModel::update_l`] ->
//! [`LinearMixedModel::objective`]) costs nothing that grows with the number of observations.
//!
//! The blocked Cholesky factor of
//! ```text
//!   [ Λ'Z'ZΛ + I   Λ'Z'X   Λ'Z'y ]
//!   [ X'ZΛ         X'X     X'y   ]
//!   [ y'ZΛ         y'X     y'y   ]
//! ```
//! holds everything the profiled criterion needs: log|L_Z|², R_X (the X block) and the penalized
//! residual sum of squares (the square of the last diagonal element).
//!
//! With a residual correlation within person ([`residual`]), the rows of `[Z X y]` are whitened
//! before their cross-products are formed: for one random-effects term and a few distinct time
//! steps the products are split by step once (`lagged.rs`) and any phi is a weighted sum of them;
//! otherwise the model keeps the rows and a new phi ([`LinearMixedModel::set_phi`]) is the only
//! thing that passes over the data again.

mod blocks;
mod centering;
mod conditional;
mod correlated;
mod cross_products;
mod error;
mod lagged;
mod random_blocks;
pub mod residual;

pub use blocks::theta_len;
use blocks::update_small_levels;
pub(crate) use blocks::{lambda_block, small_cholesky};
use centering::Centering;
use correlated::CorrelatedRows;
use cross_products::{cross_products, CrossProducts};
pub use error::ModelError;
pub use random_blocks::{BlockTerm, RandomBlock};
use residual::{Occasions, ResidualStructure};

use crate::design::{Design, RandomEffectsTerm, MAX_DENSE};
use nalgebra::DMatrix;

/// The natural logarithm used by the criterion: libm's, a pure-Rust implementation, rather than
/// the platform's (glibc natively, another libm in wasm), whose last bits differ. The optimizer
/// compares criterion values, so one differing bit can send the native and browser builds down
/// different (equally valid) paths; with one logarithm they give the same numbers.
fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// A linear mixed model ready for repeated evaluation of its criterion.
#[derive(Debug, Clone)]
pub struct LinearMixedModel {
    /// Random-effects terms in lme4's order (decreasing number of levels).
    pub terms: Vec<RandomEffectsTerm>,
    pub fixed_names: Vec<String>,
    pub nobs: usize,
    /// Number of fixed effects (columns of X).
    pub p: usize,
    /// Offset of each term's segment in theta.
    pub theta_offsets: Vec<usize>,
    /// Lower bounds of theta: 0 on diagonals of Λ, -inf elsewhere.
    pub lower: Vec<f64>,
    /// Offset in the rest block of each term after the first (0 for the first).
    rest_offsets: Vec<usize>,
    /// Rows of the rest block that belong to Z (terms 2..k).
    q_rest: usize,
    /// Z1'Z1 as l1 blocks of q1 x q1 (column-major).
    a11: Vec<f64>,
    /// [Z_rest X y]' Z1, stored level by level: block g (m x q1, column-major) starts at
    /// g * m * q1, so that one level's work touches one contiguous piece of memory.
    a21: Vec<f64>,
    /// [Z_rest X y]' [Z_rest X y], m x m.
    a22: DMatrix<f64>,
    theta: Vec<f64>,
    l11: Vec<f64>,
    /// L21 in the layout of a21.
    l21: Vec<f64>,
    l22: DMatrix<f64>,
    /// False when the last update_l met a matrix that was not positive definite.
    factor_ok: bool,
    /// The theta the factor was last computed for: the Satterthwaite derivatives and the end of
    /// the fit ask again for a theta already factored (a step in sigma alone, the optimum).
    factored_theta: Option<Vec<f64>>,
    /// Centering applied before the cross-products were formed (see [`Centering`]).
    centering: Centering,
    /// The rows, kept for a residual correlation (the cross-products change with phi).
    correlated: Option<Box<CorrelatedRows>>,
    /// log|R| at the current phi (0 for independent residuals).
    logdet_r: f64,
}

impl LinearMixedModel {
    /// Accumulates the cross-products of `[Z X y]` in one pass over the design. Errors: no
    /// random-effects term, too few rows, a grouping factor with one level or as many random
    /// effects as rows, non-finite data.
    pub fn new(design: Design) -> Result<LinearMixedModel, ModelError> {
        LinearMixedModel::build(design, None)
    }

    /// As [`LinearMixedModel::new`]; with a residual correlation, the rows are those of the
    /// design sorted by person and time and `occasions` holds their time steps.
    fn build(
        design: Design,
        residual: Option<(ResidualStructure, Occasions)>,
    ) -> Result<LinearMixedModel, ModelError> {
        let Design {
            y,
            data,
            x,
            mut random,
            ..
        } = design;
        let n = y.len();
        let p = x.ncols();
        if random.is_empty() {
            return Err(ModelError::NoRandomEffects);
        }
        if n <= p {
            return Err(ModelError::TooFewObservations {
                nobs: n,
                needed: p + 1,
                what: format!("a model with {p} fixed effects"),
            });
        }
        if y.iter().any(|v| !v.is_finite()) {
            return Err(ModelError::NotFinite {
                what: "the response".into(),
            });
        }
        let centering = Centering::new(&x, &data, &y).ok_or_else(|| ModelError::NotFinite {
            what: "a fixed-effects predictor".into(),
        })?;
        // lme4's order: decreasing number of levels, ties as written (a stable sort).
        random.sort_by_key(|t| std::cmp::Reverse(t.levels.len()));
        for t in &random {
            if t.levels.len() < 2 {
                return Err(ModelError::OneLevel {
                    group: t.group.clone(),
                });
            }
            let n_re = t.levels.len() * t.q();
            if t.levels.len() >= n || n_re >= n {
                return Err(ModelError::TooManyLevels {
                    group: t.group.clone(),
                    random_effects: n_re,
                    nobs: n,
                });
            }
        }
        let mut theta_offsets = Vec::with_capacity(random.len());
        let mut lower = Vec::new();
        for t in &random {
            theta_offsets.push(lower.len());
            for j in 0..t.q() {
                for i in j..t.q() {
                    lower.push(if i == j { 0.0 } else { f64::NEG_INFINITY });
                }
            }
        }
        let mut rest_offsets = vec![0];
        let mut q_rest = 0;
        for t in &random[1..] {
            rest_offsets.push(q_rest);
            q_rest += t.q() * t.levels.len();
        }
        if q_rest + p > MAX_DENSE {
            return Err(ModelError::TooLarge {
                random_effects: q_rest,
                fixed: p,
                limit: MAX_DENSE,
            });
        }
        let m = q_rest + p + 1;
        let q1 = random[0].q();
        let l1 = random[0].levels.len();
        let CrossProducts { a11, a21, a22 } = cross_products(
            &random,
            &rest_offsets,
            q_rest,
            &x,
            &data,
            &y,
            &centering,
            None,
        )?;
        let correlated =
            CorrelatedRows::keep_or_free(residual, data, y, &x, &mut random, &centering);
        let theta: Vec<f64> = lower
            .iter()
            .map(|&lb| if lb == 0.0 { 1.0 } else { 0.0 })
            .collect();
        let mut model = LinearMixedModel {
            l11: vec![0.0; a11.len()],
            l21: vec![0.0; m * q1 * l1],
            l22: DMatrix::zeros(m, m),
            terms: random,
            fixed_names: x.names,
            nobs: n,
            p,
            theta_offsets,
            lower,
            rest_offsets,
            q_rest,
            a11,
            a21,
            a22,
            theta: theta.clone(),
            factor_ok: false,
            factored_theta: None,
            centering,
            correlated,
            logdet_r: 0.0,
        };
        model.set_theta(&theta);
        model.update_l();
        if !model.factor_ok || !model.objective(true).is_finite() {
            return Err(ModelError::Degenerate {
                message:
                    "the criterion is not finite at the starting values (is the response constant?)"
                        .into(),
            });
        }
        Ok(model)
    }

    /// The starting values lme4 uses: 1 on the diagonals of Λ, 0 elsewhere.
    pub fn initial_theta(&self) -> Vec<f64> {
        self.lower
            .iter()
            .map(|&lb| if lb == 0.0 { 1.0 } else { 0.0 })
            .collect()
    }

    /// Current theta.
    pub fn theta(&self) -> &[f64] {
        &self.theta
    }

    /// Sets theta (no bounds are imposed: derivatives are taken on both sides of 0).
    pub fn set_theta(&mut self, theta: &[f64]) {
        self.theta.clear();
        self.theta.extend_from_slice(theta);
    }

    /// The Λ factor of term `i` at the current theta.
    pub fn lambda(&self, i: usize) -> Vec<f64> {
        let q = self.terms[i].q();
        let off = self.theta_offsets[i];
        lambda_block(&self.theta[off..off + theta_len(q)], q)
    }

    /// Multiplies the rows of a column (length m, rest-block rows) that belong to Z terms by Λ'.
    fn scale_rest_column(&self, col: &mut [f64], lambdas: &[Vec<f64>]) {
        for (k, t) in self.terms.iter().enumerate().skip(1) {
            let q = t.q();
            let lam = &lambdas[k];
            for g in 0..t.levels.len() {
                let v = &mut col[self.rest_offsets[k] + g * q..self.rest_offsets[k] + (g + 1) * q];
                // (Λ' v)_i = sum over j >= i of Λ[j, i] v_j: in place, top row first.
                for i in 0..q {
                    v[i] = (i..q).map(|j| lam[i * q + j] * v[j]).sum();
                }
            }
        }
    }

    /// Updates the blocked Cholesky factor for the current theta. Per level g of the first term:
    /// L11_g = chol(Λ1' A11_g Λ1 + I), L21_g = (S A21_g Λ1) L11_g^-T with S = diag(Λ_rest', I),
    /// and L21_g L21_g' is accumulated; then L22 = chol(S A22 S' + I_Zrest - Σ L21_g L21_g').
    pub fn update_l(&mut self) {
        if self.factored_theta.as_deref() == Some(self.theta.as_slice()) {
            return;
        }
        let lambdas: Vec<Vec<f64>> = (0..self.terms.len()).map(|i| self.lambda(i)).collect();
        let q1 = self.terms[0].q();
        let l1 = self.terms[0].levels.len();
        let m = self.l22.nrows();
        let lam1 = &lambdas[0];
        let has_rest_terms = self.terms.len() > 1;
        let mut ok = true;
        let mut tmp = vec![0.0; q1 * q1];
        let mut row = vec![0.0; q1];
        // Lower triangle of Σ L21_g L21_g', column-major m x m.
        let mut downdate = vec![0.0; m * m];
        let mut l21 = std::mem::take(&mut self.l21);
        l21.copy_from_slice(&self.a21);
        if q1 <= 2 && !has_rest_terms {
            // The common models, a random intercept or an intercept and one slope per person,
            // written out: the same algebra as the general loop below, without its index work.
            ok &= update_small_levels(
                &self.a11,
                &mut self.l11,
                &mut l21,
                &mut downdate,
                lam1,
                q1,
                m,
            );
        } else {
            for g in 0..l1 {
                let a = &self.a11[g * q1 * q1..(g + 1) * q1 * q1];
                // tmp = A Λ1, then L = Λ1' tmp + I.
                for j in 0..q1 {
                    for i in 0..q1 {
                        tmp[j * q1 + i] = (j..q1).map(|k| a[k * q1 + i] * lam1[j * q1 + k]).sum();
                    }
                }
                let l = &mut self.l11[g * q1 * q1..(g + 1) * q1 * q1];
                for j in 0..q1 {
                    for i in 0..q1 {
                        l[j * q1 + i] = (i..q1)
                            .map(|k| lam1[i * q1 + k] * tmp[j * q1 + k])
                            .sum::<f64>()
                            + if i == j { 1.0 } else { 0.0 };
                    }
                }
                ok &= small_cholesky(l, q1);
                let l = &self.l11[g * q1 * q1..(g + 1) * q1 * q1];
                let block = &mut l21[g * m * q1..(g + 1) * m * q1];
                if has_rest_terms {
                    for c in 0..q1 {
                        self.scale_rest_column(&mut block[c * m..(c + 1) * m], &lambdas);
                    }
                }
                for r in 0..m {
                    // (C Λ1)[r, c] = sum over k >= c of C[r, k] Λ1[k, c]
                    for (c, rc) in row.iter_mut().enumerate() {
                        *rc = (c..q1).map(|k| block[k * m + r] * lam1[c * q1 + k]).sum();
                    }
                    // Solve L11_g x = row (forward substitution): x is row r of L21_g.
                    for c in 0..q1 {
                        let s: f64 = (0..c).map(|k| l[k * q1 + c] * block[k * m + r]).sum();
                        block[c * m + r] = (row[c] - s) / l[c * q1 + c];
                    }
                }
                for c in 0..q1 {
                    let col = &block[c * m..(c + 1) * m];
                    for j in 0..m {
                        let cj = col[j];
                        if cj != 0.0 {
                            let d = &mut downdate[j * m..(j + 1) * m];
                            for i in j..m {
                                d[i] += col[i] * cj;
                            }
                        }
                    }
                }
            }
        }
        self.l21 = l21;
        let mut l22 = self.a22.clone();
        if has_rest_terms {
            for j in 0..m {
                self.scale_rest_column(l22.column_mut(j).as_mut_slice(), &lambdas);
            }
            l22.transpose_mut();
            for j in 0..m {
                self.scale_rest_column(l22.column_mut(j).as_mut_slice(), &lambdas);
            }
        }
        for j in 0..m {
            for i in j..m {
                let v = l22[(i, j)] - downdate[j * m + i]
                    + if i == j && i < self.q_rest { 1.0 } else { 0.0 };
                l22[(i, j)] = v;
                l22[(j, i)] = v;
            }
        }
        match l22.cholesky() {
            Some(ch) => self.l22 = ch.unpack(),
            None => {
                ok = false;
                self.l22.fill(f64::NAN);
            }
        }
        self.factor_ok = ok;
        self.factored_theta = Some(self.theta.clone());
    }

    /// log |L_Z|² (the log-determinant of Λ'Z'ZΛ + I).
    pub fn logdet_l(&self) -> f64 {
        let q1 = self.terms[0].q();
        // One logarithm per few levels instead of one per level: the diagonal of L11 is >= 1
        // (Cholesky of I + a positive semi-definite matrix), so short products neither
        // underflow nor, in practice, overflow; a product that does falls back to logarithms.
        let diagonal = self
            .l11
            .chunks_exact(q1 * q1)
            .flat_map(|l| (0..q1).map(move |c| l[c * q1 + c]));
        let mut s = 0.0;
        let mut product = 1.0;
        for (k, d) in diagonal.enumerate() {
            product *= d;
            if k % 8 == 7 {
                s += if product.is_finite() && product > 0.0 {
                    ln(product)
                } else {
                    f64::NAN
                };
                product = 1.0;
            }
        }
        s += ln(product);
        if s.is_nan() {
            s = self
                .l11
                .chunks_exact(q1 * q1)
                .flat_map(|l| (0..q1).map(move |c| ln(l[c * q1 + c])))
                .sum();
        }
        s *= 2.0;
        for i in 0..self.q_rest {
            s += 2.0 * ln(self.l22[(i, i)]);
        }
        s
    }

    /// log |R_X|².
    pub fn logdet_rx(&self) -> f64 {
        (0..self.p)
            .map(|j| 2.0 * ln(self.l22[(self.q_rest + j, self.q_rest + j)]))
            .sum()
    }

    /// Penalized residual sum of squares at the conditional estimates.
    pub fn pwrss(&self) -> f64 {
        let m = self.l22.nrows();
        self.l22[(m - 1, m - 1)] * self.l22[(m - 1, m - 1)]
    }

    /// The profiled criterion at the current factor: REML criterion or ML deviance
    /// (Bates et al. 2015, eqs. 34 and 41); +inf when the factor failed.
    pub fn objective(&self, reml: bool) -> f64 {
        if !self.factor_ok {
            return f64::INFINITY;
        }
        let n = self.nobs as f64;
        let p = self.p as f64;
        let pwrss = self.pwrss();
        let v = self.logdet_r
            + if reml {
                let dof = n - p;
                self.logdet_l()
                    + self.logdet_rx()
                    + dof * (1.0 + ln(2.0 * std::f64::consts::PI * pwrss / dof))
            } else {
                self.logdet_l() + n * (1.0 + ln(2.0 * std::f64::consts::PI * pwrss / n))
            };
        if v.is_nan() {
            f64::INFINITY
        } else {
            v
        }
    }

    /// Sets theta, refactors and returns the criterion: the function the optimizer sees.
    pub fn criterion(&mut self, theta: &[f64], reml: bool) -> f64 {
        self.set_theta(theta);
        self.update_l();
        self.objective(reml)
    }

    /// The deviance at arbitrary (theta, sigma), not profiled over sigma: lmerTest's function of
    /// the variance parameters, whose Hessian gives their asymptotic covariance.
    pub fn deviance_at(&mut self, theta: &[f64], sigma: f64, reml: bool) -> f64 {
        self.set_theta(theta);
        self.update_l();
        let s2 = sigma * sigma;
        let n = self.nobs as f64;
        let log2pis2 = ln(2.0 * std::f64::consts::PI * s2);
        let mut dev = self.logdet_r + self.logdet_l() + self.pwrss() / s2 + n * log2pis2;
        if reml {
            dev += self.logdet_rx() - self.p as f64 * log2pis2;
        }
        dev
    }

    /// R_X (upper triangular, p x p) at the current factor: the transpose of L's X block.
    fn rx(&self) -> DMatrix<f64> {
        let o = self.q_rest;
        self.l22.view((o, o), (self.p, self.p)).transpose()
    }

    /// The fixed-effects estimates at the current factor: R_X beta = r_Xy.
    pub fn beta(&self) -> Vec<f64> {
        let m = self.l22.nrows();
        let rhs = self
            .l22
            .view((m - 1, self.q_rest), (1, self.p))
            .transpose()
            .into_owned();
        let rx = self.rx();
        match rx.solve_upper_triangular(&rhs) {
            Some(b) => self.centering.beta(b.as_slice()),
            None => vec![f64::NAN; self.p],
        }
    }

    /// (R_X' R_X)^-1, so that cov(beta) = sigma² times this.
    pub fn unscaled_cov_beta(&self) -> DMatrix<f64> {
        let rx = self.rx();
        let eye = DMatrix::identity(self.p, self.p);
        match rx.solve_upper_triangular(&eye) {
            Some(rxi) => self.centering.covariance(&rxi * rxi.transpose()),
            None => DMatrix::from_element(self.p, self.p, f64::NAN),
        }
    }

    /// Residual SD at the current factor (REML: pwrss / (n - p); ML: pwrss / n).
    pub fn sigma(&self, reml: bool) -> f64 {
        let dof = if reml { self.nobs - self.p } else { self.nobs };
        (self.pwrss() / dof as f64).sqrt()
    }
}

#[cfg(test)]
mod tests;
