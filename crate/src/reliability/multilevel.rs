//! Within- and between-person alpha (Geldhof, Preacher & Zyphur, 2014, Psychological Methods
//! 19(1), 72-91): alpha of the within-person and of the between-person item covariance matrix
//! of a two-level saturated model, estimated by maximum likelihood as lavaan estimates it
//! (`sem(model, cluster = "id")`, complete rows only, as lavaan's default listwise deletion).
//!
//! The model: row j of person i is `y_ij = mu + b_i + w_ij` with `b_i ~ N(0, Sigma_B)` and
//! `w_ij ~ N(0, Sigma_W)`, persons with any number of rows. Not the covariance of person means:
//! that is `Sigma_B + Sigma_W / n_i`, biased upwards by the within-person part.
//!
//! The maximum is found by EM (Dempster, Laird & Rubin 1977; the random-effects form of
//! Raudenbush & Bryk, ch. 14): person i's `c_i = mu + b_i` has the posterior covariance
//! `V_i = (Sigma_B^-1 + n_i Sigma_W^-1)^-1` and mean `m_i = V_i (Sigma_B^-1 mu + n_i Sigma_W^-1
//! ybar_i)`; the M step averages `m_i`, `(m_i - mu)(m_i - mu)' + V_i` over persons and
//! `S_i + n_i ((ybar_i - m_i)(ybar_i - m_i)' + V_i)` over rows (`S_i` the person's scatter
//! around `ybar_i`). EM keeps both matrices positive definite; lavaan does not constrain them,
//! so when its between-person matrix is not positive definite the two differ (a boundary
//! estimate). So EM only brings the estimates close; a quasi-Newton polish (BFGS on the mean
//! and the free elements of both matrices, with the analytic gradient below) then finds the
//! unconstrained maximum as lavaan does, wherever `Sigma_W` and every `Sigma_W + n_i Sigma_B`
//! stay positive definite.
//!
//! The gradient of the log-likelihood (with `M_i = Sigma_W + n_i Sigma_B`, `d_i = ybar_i - mu`,
//! `q_i = M_i^-1 d_i`): for `mu`, `sum n_i q_i`; for `Sigma_B`, `sum n_i (n_i q_i q_i' - M_i^-1)
//! / 2`; for `Sigma_W`, `sum ((n_i q_i q_i' - M_i^-1) - (n_i - 1) W^-1 + W^-1 S_i W^-1) / 2`
//! (each off-diagonal element counted twice, as it appears twice in the matrix).
//!
//! The log-likelihood of a person (for the convergence check and the result) uses
//! `|I (x) Sigma_W + J (x) Sigma_B| = |Sigma_W|^(n-1) |Sigma_W + n Sigma_B|`.

use super::alpha::raw_alpha;
use super::bfgs::{self, Objective};
use super::{ItemSet, ReliabilityError};
use crate::frame::MISSING_CODE;
use nalgebra::{DMatrix, DVector};
use serde::Serialize;

/// Most items for within/between alpha: the quasi-Newton polish keeps a dense matrix over the
/// k + k(k + 1) parameters (at 30 items 960, 7 MB; at 100 items it would be 800 MB).
pub const MAX_MULTILEVEL_ITEMS: usize = 30;
/// Most EM iterations before the quasi-Newton polish.
const MAX_EM_ITERATIONS: usize = 200;
/// Stop EM when the log-likelihood grows by less than this (relative) in an iteration.
const EM_TOLERANCE: f64 = 1e-10;
/// The quasi-Newton polish stops when no element of the gradient of the log-likelihood per row
/// exceeds this.
const GRADIENT_TOLERANCE: f64 = 1e-9;

/// The two-level estimates and the alphas computed from them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MultilevelAlpha {
    /// Alpha of the within-person covariance matrix.
    pub alpha_within: f64,
    /// Alpha of the between-person covariance matrix.
    pub alpha_between: f64,
    /// Complete rows used and the persons they come from.
    pub nobs: usize,
    pub persons: usize,
    /// Within- and between-person covariance matrices, row by row, in the order of the items.
    pub within_covariance: Vec<Vec<f64>>,
    pub between_covariance: Vec<Vec<f64>>,
    /// The grand means of the items.
    pub mean: Vec<f64>,
    /// Maximised log-likelihood (lavaan's `logl`).
    pub log_lik: f64,
    /// EM iterations and whether it converged.
    pub iterations: usize,
    pub converged: bool,
}

/// One person's complete rows, summarised.
struct Cluster {
    n: f64,
    mean: DVector<f64>,
    scatter: DMatrix<f64>,
}

/// Within- and between-person alpha of `items`, persons given by `person` (a code per row,
/// [`MISSING_CODE`] for a missing id). Errors: fewer than two persons with complete rows, or no
/// person with two complete rows.
pub fn multilevel_alpha(
    items: &ItemSet,
    person: &[u32],
) -> Result<MultilevelAlpha, ReliabilityError> {
    if items.len() > MAX_MULTILEVEL_ITEMS {
        return Err(ReliabilityError::TooManyItems {
            items: items.len(),
            max: MAX_MULTILEVEL_ITEMS,
            what: "within- and between-person alpha",
        });
    }
    let clusters = clusters(items, person);
    let nobs: f64 = clusters.iter().map(|c| c.n).sum();
    if clusters.len() < 2 || clusters.iter().all(|c| c.n < 2.0) {
        return Err(ReliabilityError::TooFewRepeated {
            persons: clusters.len(),
            rows: nobs as usize,
        });
    }
    let (estimate, em_iterations) = em(&clusters, nobs);
    let objective = TwoLevel {
        clusters: &clusters,
        k: items.len(),
        nobs,
    };
    let polished = bfgs::minimise(
        &objective,
        objective.pack(&estimate),
        GRADIENT_TOLERANCE,
        1000,
    );
    let (estimate, iterations, converged) = match polished {
        Some(m) => (
            objective.unpack(&m.x),
            em_iterations + m.iterations,
            m.converged,
        ),
        None => (estimate, em_iterations, false),
    };
    let log_lik = estimate.log_lik(&clusters);
    let rows = |m: &DMatrix<f64>| m.row_iter().map(|r| r.iter().copied().collect()).collect();
    Ok(MultilevelAlpha {
        alpha_within: raw_alpha(&estimate.within),
        alpha_between: raw_alpha(&estimate.between),
        nobs: nobs as usize,
        persons: clusters.len(),
        within_covariance: rows(&estimate.within),
        between_covariance: rows(&estimate.between),
        mean: estimate.mean.iter().copied().collect(),
        log_lik,
        iterations,
        converged,
    })
}

/// EM from the starting values: the estimate and the iterations used.
fn em(clusters: &[Cluster], nobs: f64) -> (Estimate, usize) {
    let mut estimate = start(clusters, nobs);
    let mut log_lik = estimate.log_lik(clusters);
    for iteration in 1..=MAX_EM_ITERATIONS {
        let Some(next) = estimate.em_step(clusters, nobs) else {
            return (estimate, iteration);
        };
        let next_log_lik = next.log_lik(clusters);
        estimate = next;
        let gain = next_log_lik - log_lik;
        log_lik = next_log_lik;
        if gain.abs() < EM_TOLERANCE * (1.0 + log_lik.abs()) {
            return (estimate, iteration);
        }
    }
    (estimate, MAX_EM_ITERATIONS)
}

/// The complete rows grouped by person (in order of first appearance), as counts, means and
/// scatter matrices.
fn clusters(items: &ItemSet, person: &[u32]) -> Vec<Cluster> {
    let k = items.len();
    let mut index: std::collections::HashMap<u32, usize> = Default::default();
    let mut rows: Vec<Vec<usize>> = Vec::new();
    for row in 0..items.nrows() {
        let code = person.get(row).copied().unwrap_or(MISSING_CODE);
        if code == MISSING_CODE || !items.is_complete(row) {
            continue;
        }
        let next = rows.len();
        let slot = *index.entry(code).or_insert(next);
        if slot == next {
            rows.push(Vec::new());
        }
        rows[slot].push(row);
    }
    rows.into_iter()
        .map(|rows| {
            let y = |row: usize| DVector::from_fn(k, |j, _| items.values[j][row]);
            let n = rows.len() as f64;
            let mean = rows.iter().map(|&r| y(r)).sum::<DVector<f64>>() / n;
            let mut scatter = DMatrix::zeros(k, k);
            for &r in &rows {
                let d = y(r) - &mean;
                scatter += &d * d.transpose();
            }
            Cluster { n, mean, scatter }
        })
        .collect()
}

/// The parameters: grand mean, within- and between-person covariance.
struct Estimate {
    mean: DVector<f64>,
    within: DMatrix<f64>,
    between: DMatrix<f64>,
}

/// Starting values: the pooled within-person covariance, and half the covariance of the person
/// means (plus a little on the diagonal, so that it is positive definite).
fn start(clusters: &[Cluster], nobs: f64) -> Estimate {
    let k = clusters[0].mean.len();
    let persons = clusters.len() as f64;
    let scatter: DMatrix<f64> = clusters.iter().map(|c| &c.scatter).sum();
    let within = scatter / (nobs - persons).max(1.0);
    let mean = clusters.iter().map(|c| &c.mean).sum::<DVector<f64>>() / persons;
    let mut between = DMatrix::zeros(k, k);
    for c in clusters {
        let d = &c.mean - &mean;
        between += &d * d.transpose();
    }
    between /= 2.0 * persons;
    for j in 0..k {
        between[(j, j)] += 0.1 * within[(j, j)];
    }
    Estimate {
        mean,
        within,
        between,
    }
}

impl Estimate {
    /// One EM step; None when a matrix stops being positive definite (numerically).
    fn em_step(&self, clusters: &[Cluster], nobs: f64) -> Option<Estimate> {
        let k = self.mean.len();
        let within_inverse = self.within.clone().cholesky()?.inverse();
        let between_inverse = self.between.clone().cholesky()?.inverse();
        let prior = &between_inverse * &self.mean;
        let mut posterior = Vec::with_capacity(clusters.len());
        for c in clusters {
            let precision = &between_inverse + &within_inverse * c.n;
            let v = precision.cholesky()?.inverse();
            let m = &v * (&prior + &within_inverse * &c.mean * c.n);
            posterior.push((m, v));
        }
        let persons = clusters.len() as f64;
        let mean = posterior.iter().map(|(m, _)| m).sum::<DVector<f64>>() / persons;
        let mut between = DMatrix::zeros(k, k);
        let mut within = DMatrix::zeros(k, k);
        for (c, (m, v)) in clusters.iter().zip(&posterior) {
            let d = m - &mean;
            between += &d * d.transpose() + v;
            let e = &c.mean - m;
            within += &c.scatter + (&e * e.transpose() + v) * c.n;
        }
        Some(Estimate {
            mean,
            within: symmetric(within / nobs),
            between: symmetric(between / persons),
        })
    }

    /// The log-likelihood of all complete rows (with lavaan's constants).
    fn log_lik(&self, clusters: &[Cluster]) -> f64 {
        let k = self.mean.len() as f64;
        let Some(within) = self.within.clone().cholesky() else {
            return f64::NEG_INFINITY;
        };
        let log_det_within = 2.0 * within.l().diagonal().iter().map(|x| x.ln()).sum::<f64>();
        let within_inverse = within.inverse();
        let mut total = 0.0;
        for c in clusters {
            let Some(m) = (&self.within + &self.between * c.n).cholesky() else {
                return f64::NEG_INFINITY;
            };
            let log_det_m = 2.0 * m.l().diagonal().iter().map(|x| x.ln()).sum::<f64>();
            let d = &c.mean - &self.mean;
            let quadratic = c.n * d.dot(&m.solve(&d));
            let trace = (&within_inverse * &c.scatter).trace();
            total += -0.5
                * (c.n * k * (2.0 * std::f64::consts::PI).ln()
                    + (c.n - 1.0) * log_det_within
                    + log_det_m
                    + trace
                    + quadratic);
        }
        total
    }
}

/// `(A + A') / 2`: keeps a matrix exactly symmetric against rounding.
fn symmetric(a: DMatrix<f64>) -> DMatrix<f64> {
    (&a + a.transpose()) * 0.5
}

/// Minus the log-likelihood per row, over the mean and the lower triangles of both matrices.
struct TwoLevel<'a> {
    clusters: &'a [Cluster],
    k: usize,
    nobs: f64,
}

impl TwoLevel<'_> {
    fn pack(&self, e: &Estimate) -> DVector<f64> {
        let mut x: Vec<f64> = e.mean.iter().copied().collect();
        for m in [&e.within, &e.between] {
            x.extend(lower_triangle(self.k).map(|(i, j)| m[(i, j)]));
        }
        DVector::from_vec(x)
    }

    fn unpack(&self, x: &DVector<f64>) -> Estimate {
        let k = self.k;
        let half = k * (k + 1) / 2;
        let matrix = |offset: usize| {
            let mut m = DMatrix::zeros(k, k);
            for (t, (i, j)) in lower_triangle(k).enumerate() {
                m[(i, j)] = x[offset + t];
                m[(j, i)] = x[offset + t];
            }
            m
        };
        Estimate {
            mean: x.rows(0, k).into_owned(),
            within: matrix(k),
            between: matrix(k + half),
        }
    }
}

/// (row, column) of the lower triangle, row by row.
fn lower_triangle(k: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..k).flat_map(|i| (0..=i).map(move |j| (i, j)))
}

impl Objective for TwoLevel<'_> {
    fn value_and_gradient(&self, x: &DVector<f64>) -> Option<(f64, DVector<f64>)> {
        let e = self.unpack(x);
        let k = self.k;
        let within_inverse = e.within.clone().cholesky()?.inverse();
        let mut g_mean = DVector::zeros(k);
        let mut g_within = DMatrix::zeros(k, k);
        let mut g_between = DMatrix::zeros(k, k);
        let mut persons = 0.0;
        for c in self.clusters {
            let m_inverse = (&e.within + &e.between * c.n).cholesky()?.inverse();
            let q = &m_inverse * (&c.mean - &e.mean);
            let term = (&q * q.transpose() * c.n - &m_inverse) * 0.5;
            g_mean += &q * c.n;
            g_within += &term + &within_inverse * &c.scatter * &within_inverse * 0.5;
            g_between += term * c.n;
            persons += 1.0;
        }
        g_within -= &within_inverse * (0.5 * (self.nobs - persons));
        let log_lik = e.log_lik(self.clusters);
        if !log_lik.is_finite() {
            return None;
        }
        let mut gradient: Vec<f64> = g_mean.iter().copied().collect();
        for g in [&g_within, &g_between] {
            gradient.extend(lower_triangle(k).map(|(i, j)| {
                if i == j {
                    g[(i, j)]
                } else {
                    2.0 * g[(i, j)]
                }
            }));
        }
        let gradient = DVector::from_vec(gradient) * (-1.0 / self.nobs);
        Some((-log_lik / self.nobs, gradient))
    }
}
