//! The linear mixed model as a penalized least-squares problem (Bates et al. 2015, JSS 67(1),
//! sections 3.1-3.6), organised as MixedModels.jl organises it.
//!
//! The random-effects terms are sorted by decreasing number of levels (lme4's order, which is
//! also the order in which nested factors cause no fill-in). The cross-products of `[Z X y]`
//! are accumulated in one pass over the data ([`LinearMixedModel::new`]) as blocks, one per pair
//! of terms and [X y], each of the kind its structure calls for ([`structure`]): diagonal or
//! block diagonal for a term with itself, sparse between terms, dense for [X y] and where
//! crossed factors fill the factor in. After that, a deviance evaluation
//! ([`LinearMixedModel::set_theta`] -> [`LinearMixedModel::update_l`] ->
//! [`LinearMixedModel::objective`]) costs nothing that grows with the number of observations,
//! and nothing that grows with the square of the levels of a nested factor.
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
//! between reading them and adding their cross-products: the model keeps the rows, and a new phi
//! ([`LinearMixedModel::set_phi`]) is the only thing that passes over the data again.

mod block;
mod blocks;
mod centering;
mod components;
mod conditional;
mod correlated;
mod cross_products;
mod crossed;
mod dense;
mod division;
mod error;
mod factor;
mod modes;
mod nested;
mod parallel;
mod random_blocks;
pub mod residual;
mod structure;

pub(crate) use blocks::lambda_block;
pub use blocks::theta_len;
use centering::Centering;
use correlated::CorrelatedRows;
use cross_products::{for_each_row_block, CrossProducts};
pub use error::ModelError;
use factor::BlockedFactor;
pub use random_blocks::{BlockTerm, RandomBlock};
use residual::{Occasions, ResidualStructure};
use structure::{at, dense_size, factor_kinds, nested_in_factor, parent_levels, Dim};

use crate::design::{Design, RandomEffectsTerm};
use nalgebra::DMatrix;
use std::sync::Arc;

/// Most memory the dense blocks of L may take: beyond it a fit would exhaust the memory of a
/// browser tab (and take hours, the Cholesky of an m x m block costing m³/3 per evaluation).
pub const MAX_DENSE_BYTES: u128 = 1 << 30;

/// The natural logarithm used by the criterion: libm's, a pure-Rust implementation, rather than
/// the platform's (glibc natively, another libm in wasm), whose last bits differ. The optimizer
/// compares criterion values, so one differing bit can send the native and browser builds down
/// different (equally valid) paths; with one logarithm they give the same numbers.
fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// The parts of the factor at one theta that the deviance at any sigma needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeviancePieces {
    /// log |L_Z|².
    pub logdet_l: f64,
    /// log |R_X|².
    pub logdet_rx: f64,
    /// Penalized residual sum of squares.
    pub pwrss: f64,
    /// log |R| of the residual correlation at the current phi (0 for independent residuals).
    pub logdet_r: f64,
}

impl DeviancePieces {
    /// `log|L|² + pwrss / sigma² + n log(2 pi sigma²)`, plus for REML
    /// `log|R_X|² - p log(2 pi sigma²)` (lmerTest's `devfun_vp`).
    pub fn deviance(&self, sigma: f64, nobs: usize, p: usize, reml: bool) -> f64 {
        let s2 = sigma * sigma;
        let log2pis2 = ln(2.0 * std::f64::consts::PI * s2);
        let mut dev = self.logdet_r + self.logdet_l + self.pwrss / s2 + nobs as f64 * log2pis2;
        if reml {
            dev += self.logdet_rx - p as f64 * log2pis2;
        }
        dev
    }
}

/// A linear mixed model ready for repeated evaluation of its criterion.
///
/// What an evaluation only reads (the terms' rows, the cross-products) is shared, so that the
/// copies [`parallel`] evaluates on own nothing but their factor.
#[derive(Debug)]
pub struct LinearMixedModel {
    /// Random-effects terms in lme4's order (decreasing number of levels).
    pub terms: Arc<Vec<RandomEffectsTerm>>,
    pub fixed_names: Vec<String>,
    pub nobs: usize,
    /// Number of fixed effects (columns of X).
    pub p: usize,
    /// Offset of each term's segment in theta.
    pub theta_offsets: Vec<usize>,
    /// Lower bounds of theta: 0 on diagonals of Λ, -inf elsewhere.
    pub lower: Vec<f64>,
    /// The blocks of A = [Z X y]'[Z X y] (X and y centred), lower-triangular layout over the
    /// terms and then [X y].
    a: Arc<Vec<block::Block>>,
    /// The blocked Cholesky factor at `factored_theta`.
    l: BlockedFactor,
    theta: Vec<f64>,
    /// False when the last update_l met a matrix that was not positive definite.
    factor_ok: bool,
    /// The theta the factor was last computed for: the Satterthwaite derivatives and the end of
    /// the fit ask again for a theta already factored (a step in sigma alone, the optimum).
    factored_theta: Option<Vec<f64>>,
    /// Centering applied before the cross-products were formed (see [`Centering`]).
    centering: Centering,
    /// For every pair of terms i > j, the levels of term i that term j's levels lie in when
    /// nested: the layout of the cross-products, kept to form them again at another phi.
    parents: Arc<Vec<Vec<Option<Vec<u32>>>>>,
    /// The rows, kept for a residual correlation (the cross-products change with phi).
    correlated: Option<Box<CorrelatedRows>>,
    /// log|R| at the current phi (0 for independent residuals).
    logdet_r: f64,
    /// How many threads may evaluate a batch of thetas (see [`parallel`]).
    threads: usize,
    /// Copies that evaluate batches beside this model, kept between batches (their factors are
    /// the memory a thread needs); dropped when the cross-products change.
    spares: Vec<LinearMixedModel>,
}

impl LinearMixedModel {
    /// Accumulates the cross-products of `[Z X y]` in one pass over the design. Errors: no
    /// random-effects term, too few rows, a grouping factor with one level or as many random
    /// effects as rows, non-finite data, crossed factors whose dense blocks would exhaust memory.
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
        check_levels(&random, n)?;
        let (theta_offsets, lower) = theta_layout(&random);
        let mut dims: Vec<Dim> = random
            .iter()
            .map(|t| Dim {
                levels: t.levels.len(),
                q: t.q(),
            })
            .collect();
        dims.push(Dim {
            levels: 1,
            q: p + 1,
        });
        let parents = nesting(&random);
        let nested: Vec<Vec<bool>> = parents
            .iter()
            .map(|row| row.iter().map(Option::is_some).collect())
            .collect();
        let kept = nested_in_factor(&nested);
        check_memory(&random, &dims, &kept, p)?;
        let mut sums = CrossProducts::new(&dims, parents.clone());
        for_each_row_block(&random, &x, &data, &y, &centering, |rows| {
            sums.add_rows(rows);
            Ok(())
        })?;
        let a = Arc::new(sums.into_blocks());
        let correlated = CorrelatedRows::keep_or_free(residual, data, y, &x, &mut random);
        let blocks = factor_kinds(&dims, &kept)
            .into_iter()
            .enumerate()
            .map(|(e, kind)| kind.unwrap_or_else(|| a[e].clone()))
            .collect();
        let theta: Vec<f64> = lower
            .iter()
            .map(|&lb| if lb == 0.0 { 1.0 } else { 0.0 })
            .collect();
        let mut model = LinearMixedModel {
            l: BlockedFactor { blocks, dims },
            a,
            terms: Arc::new(random),
            fixed_names: x.names,
            nobs: n,
            p,
            theta_offsets,
            lower,
            theta: theta.clone(),
            factor_ok: false,
            factored_theta: None,
            centering,
            parents: Arc::new(parents),
            correlated,
            logdet_r: 0.0,
            threads: parallel::available_threads(),
            spares: Vec::new(),
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

    /// Updates the blocked Cholesky factor for the current theta (see [`factor`]).
    pub fn update_l(&mut self) {
        if self.factored_theta.as_deref() == Some(self.theta.as_slice()) {
            return;
        }
        let from = self.first_changed_term();
        let lambdas: Vec<Vec<f64>> = (0..self.terms.len()).map(|i| self.lambda(i)).collect();
        self.factor_ok = self.l.update(&self.a, &lambdas, from);
        self.factored_theta = Some(self.theta.clone());
    }

    /// The first term whose theta differs from the last successful factorisation's (0 when
    /// there is none): the factor's block rows before it still hold.
    fn first_changed_term(&self) -> usize {
        let Some(previous) = self.factored() else {
            return 0;
        };
        self.first_difference(previous, &self.theta).unwrap_or(0)
    }

    /// The theta the factor holds (None when the last factorisation failed).
    fn factored(&self) -> Option<&[f64]> {
        self.factored_theta.as_deref().filter(|_| self.factor_ok)
    }

    /// The first term whose segments of two thetas differ (None when they are equal).
    fn first_difference(&self, a: &[f64], b: &[f64]) -> Option<usize> {
        (0..self.terms.len()).find(|&i| {
            let off = self.theta_offsets[i];
            let len = theta_len(self.terms[i].q());
            a[off..off + len] != b[off..off + len]
        })
    }

    /// The [X y] block of L: R_X' and r_Xy' in its rows, sqrt(pwrss) last.
    fn l_xy(&self) -> &block::Block {
        let k = self.terms.len();
        &self.l.blocks[at(k, k)]
    }

    /// log |L_Z|² (the log-determinant of Λ'Z'ZΛ + I).
    pub fn logdet_l(&self) -> f64 {
        // One logarithm per few levels instead of one per level: the diagonal of L_Z is >= 1
        // (Cholesky of I + a positive semi-definite matrix), so short products neither
        // underflow nor, in practice, overflow; a product that does falls back to logarithms.
        let mut s = 0.0;
        for j in 0..self.terms.len() {
            let diagonal = self.l.blocks[at(j, j)].diagonal();
            let mut product = 1.0;
            let mut part = 0.0;
            for (k, d) in diagonal.iter().enumerate() {
                product *= d;
                if k % 8 == 7 {
                    part += if product.is_finite() && product > 0.0 {
                        ln(product)
                    } else {
                        f64::NAN
                    };
                    product = 1.0;
                }
            }
            part += ln(product);
            if part.is_nan() {
                part = diagonal.iter().map(|&d| ln(d)).sum();
            }
            s += 2.0 * part;
        }
        s
    }

    /// log |R_X|².
    pub fn logdet_rx(&self) -> f64 {
        let l = self.l_xy();
        (0..self.p).map(|j| 2.0 * ln(l.get(j, j))).sum()
    }

    /// Penalized residual sum of squares at the conditional estimates.
    pub fn pwrss(&self) -> f64 {
        let d = self.l_xy().get(self.p, self.p);
        d * d
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
        self.pieces().deviance(sigma, self.nobs, self.p, reml)
    }

    /// What the deviance at (the current theta, any sigma) needs of the factor.
    pub fn pieces(&self) -> DeviancePieces {
        DeviancePieces {
            logdet_l: self.logdet_l(),
            logdet_rx: self.logdet_rx(),
            pwrss: self.pwrss(),
            logdet_r: self.logdet_r,
        }
    }

    /// R_X (upper triangular, p x p) at the current factor: the transpose of L's X block.
    fn rx(&self) -> DMatrix<f64> {
        let l = self.l_xy();
        DMatrix::from_fn(self.p, self.p, |i, j| l.get(j, i))
    }

    /// The fixed-effects estimates at the current factor: R_X beta = r_Xy.
    pub fn beta(&self) -> Vec<f64> {
        self.centring().beta(&self.centred_beta())
    }

    /// beta of the centred X columns the factor was formed from.
    fn centred_beta(&self) -> Vec<f64> {
        let l = self.l_xy();
        let rhs = nalgebra::DVector::from_fn(self.p, |j, _| l.get(self.p, j));
        match self.rx().solve_upper_triangular(&rhs) {
            Some(b) => b.as_slice().to_vec(),
            None => vec![f64::NAN; self.p],
        }
    }

    fn centring(&self) -> &Centering {
        &self.centering
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

/// Refuses grouping factors lme4 refuses (one level, or as many random effects as rows) and a
/// term written twice.
fn check_levels(random: &[RandomEffectsTerm], n: usize) -> Result<(), ModelError> {
    for (k, t) in random.iter().enumerate() {
        if random[..k]
            .iter()
            .any(|s| s.group == t.group && s.names() == t.names())
        {
            let columns = t
                .names()
                .iter()
                .map(|c| if c == "(Intercept)" { "1" } else { c.as_str() })
                .collect::<Vec<_>>()
                .join(" + ");
            return Err(ModelError::RepeatedTerm {
                group: t.group.clone(),
                columns,
            });
        }
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
    Ok(())
}

/// Where each term's segment of theta starts, and the lower bounds of theta (0 on the diagonals
/// of Λ, -inf elsewhere).
fn theta_layout(random: &[RandomEffectsTerm]) -> (Vec<usize>, Vec<f64>) {
    let mut offsets = Vec::with_capacity(random.len());
    let mut lower = Vec::new();
    for t in random {
        offsets.push(lower.len());
        for j in 0..t.q() {
            for i in j..t.q() {
                lower.push(if i == j { 0.0 } else { f64::NEG_INFINITY });
            }
        }
    }
    (offsets, lower)
}

/// For every pair of terms i > j (in the model's order), the level of term i that each level of
/// term j lies in, when term j's factor is nested in term i's.
fn nesting(random: &[RandomEffectsTerm]) -> Vec<Vec<Option<Vec<u32>>>> {
    (0..random.len())
        .map(|i| {
            (0..random.len())
                .map(|j| {
                    let (inner, outer) = (&random[j], &random[i]);
                    (j < i)
                        .then(|| parent_levels(&inner.refs, inner.levels.len(), &outer.refs))
                        .flatten()
                })
                .collect()
        })
        .collect()
}

/// Refuses a model whose dense blocks of L would not fit in memory, naming the size.
fn check_memory(
    random: &[RandomEffectsTerm],
    dims: &[Dim],
    kept: &[Vec<bool>],
    p: usize,
) -> Result<(), ModelError> {
    let bytes = dense_size(dims, kept) * 8;
    if bytes <= MAX_DENSE_BYTES {
        return Ok(());
    }
    // The largest crossed term fills in: name it and its random effects.
    let dense_terms: Vec<String> = (1..random.len())
        .filter(|&j| (0..j).any(|h| !kept[j][h]))
        .map(|j| format!("`{}` ({} random effects)", random[j].group, dims[j].size()))
        .collect();
    Err(ModelError::TooLarge {
        bytes,
        limit: MAX_DENSE_BYTES,
        crossed: dense_terms.join(", "),
        fixed: p,
    })
}

#[cfg(test)]
mod tests;
