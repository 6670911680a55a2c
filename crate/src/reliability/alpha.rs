//! Cronbach's alpha exactly as `psych::alpha` 2.2.9 computes it from raw data.
//!
//! psych works on `C = cov(x, use = "pairwise")`: each covariance over the rows where both items
//! are answered, with the means of those rows (R's pairwise-complete covariance), each variance
//! over all answers to the item. From C (after reverse-keying, which flips signs):
//! - raw alpha `(1 - tr(C) / sum(C)) * n / (n - 1)`;
//! - standardized alpha `(1 - n / sum(R)) * n / (n - 1)` with `R = cov2cor(C)`, and the average
//!   inter-item correlation `(sum(R) - n) / (n (n - 1))`;
//! - per item, alpha if dropped (the same on C without the item; with two items psych reports
//!   `C12 / C22` and `C12 / C11`) and `r.drop`, the item's correlation with the sum of the
//!   others: `(sum(C[, i]) - C[i, i]) / sqrt(C[i, i] * sum(C[-i, -i]))`.
//!
//! psych warns when an item loads negatively on the first principal component of the
//! correlations (an item probably reverse-keyed but not declared); so do we, after the keys.

use super::{ItemSet, MultilevelAlpha, ReliabilityError};
use nalgebra::DMatrix;
use serde::Serialize;

/// Alpha and the item statistics of one item set.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Alpha {
    /// Rows of the data (psych's `nsub`: every row, answered or not).
    pub nobs: usize,
    /// Rows answering every item.
    pub complete_rows: usize,
    /// Raw alpha from the pairwise-complete covariances.
    pub alpha: f64,
    /// Standardized alpha, from the correlations.
    pub std_alpha: f64,
    /// Average inter-item correlation.
    pub average_r: f64,
    /// Per item, in the order given.
    pub items: Vec<ItemStatistics>,
    /// The reverse-keyed items.
    pub reversed: Vec<String>,
    /// The range used for reverse-keying, `[min, max]`.
    pub range: [f64; 2],
    /// True when the range was declared; false when it is the observed one.
    pub range_declared: bool,
    /// Within- and between-person alpha, when a person column was given.
    pub multilevel: Option<MultilevelAlpha>,
    /// Things to know that do not stop the computation (a negatively correlated item).
    pub warnings: Vec<String>,
}

/// One item's statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemStatistics {
    /// The item's name.
    pub item: String,
    /// Rows answering the item.
    pub n: usize,
    /// Mean and standard deviation of the (keyed) answers.
    pub mean: f64,
    pub sd: f64,
    /// Corrected item-total correlation: with the sum of the other items.
    pub r_drop: f64,
    /// Raw alpha of the other items.
    pub alpha_if_dropped: f64,
    /// Standardized alpha of the other items.
    pub std_alpha_if_dropped: f64,
    /// True when the item was reverse-keyed.
    pub reversed: bool,
}

/// Alpha of `items`. Errors: an item without variance, two items never answered together.
pub fn alpha(items: &ItemSet) -> Result<Alpha, ReliabilityError> {
    let c = pairwise_covariance(items)?;
    let r = cov2cor(&c);
    let total = alpha_of(&c, &r);
    let n = items.len();
    let statistics = (0..n)
        .map(|i| {
            let (alpha_if_dropped, std_alpha_if_dropped) = alpha_without(&c, &r, i);
            let answers: Vec<f64> = answered(&items.values[i]).collect();
            ItemStatistics {
                item: items.names[i].clone(),
                n: answers.len(),
                mean: answers.iter().sum::<f64>() / answers.len() as f64,
                sd: c[(i, i)].sqrt(),
                r_drop: r_drop(&c, i),
                alpha_if_dropped,
                std_alpha_if_dropped,
                reversed: items.reversed[i],
            }
        })
        .collect();
    let nrows = items.nrows();
    Ok(Alpha {
        nobs: nrows,
        complete_rows: (0..nrows).filter(|&row| items.is_complete(row)).count(),
        alpha: total.raw,
        std_alpha: total.standardized,
        average_r: total.average_r,
        items: statistics,
        reversed: items
            .names
            .iter()
            .zip(&items.reversed)
            .filter(|(_, &flip)| flip)
            .map(|(name, _)| name.clone())
            .collect(),
        range: [items.range.0, items.range.1],
        range_declared: items.range_declared,
        multilevel: None,
        warnings: negative_loading_warning(&items.names, &r)
            .into_iter()
            .collect(),
    })
}

fn answered(values: &[f64]) -> impl Iterator<Item = f64> + '_ {
    values.iter().copied().filter(|x| !x.is_nan())
}

/// R's `cov(x, use = "pairwise")`. Errors: an item without variance, a pair with fewer than
/// two common rows.
fn pairwise_covariance(items: &ItemSet) -> Result<DMatrix<f64>, ReliabilityError> {
    let n = items.len();
    let mut c = DMatrix::zeros(n, n);
    for i in 0..n {
        for j in 0..=i {
            let value = covariance(&items.values[i], &items.values[j]).ok_or_else(|| {
                ReliabilityError::NoCommonRows {
                    first: items.names[j].clone(),
                    second: items.names[i].clone(),
                }
            })?;
            c[(i, j)] = value;
            c[(j, i)] = value;
        }
        if c[(i, i)].is_nan() || c[(i, i)] <= 0.0 {
            return Err(ReliabilityError::NoVariance {
                item: items.names[i].clone(),
            });
        }
    }
    Ok(c)
}

/// Covariance over the rows where both are present, around those rows' means (two passes, as
/// R, for accuracy); None with fewer than two such rows.
pub(crate) fn covariance(x: &[f64], y: &[f64]) -> Option<f64> {
    let pairs = || x.iter().zip(y).filter(|(a, b)| !a.is_nan() && !b.is_nan());
    let count = pairs().count();
    if count < 2 {
        return None;
    }
    let (sum_x, sum_y) = pairs().fold((0.0, 0.0), |(sx, sy), (a, b)| (sx + a, sy + b));
    let (mean_x, mean_y) = (sum_x / count as f64, sum_y / count as f64);
    let cross: f64 = pairs().map(|(a, b)| (a - mean_x) * (b - mean_y)).sum();
    Some(cross / (count - 1) as f64)
}

/// R's `cov2cor`.
pub(crate) fn cov2cor(c: &DMatrix<f64>) -> DMatrix<f64> {
    let sd: Vec<f64> = (0..c.nrows()).map(|i| c[(i, i)].sqrt()).collect();
    DMatrix::from_fn(c.nrows(), c.ncols(), |i, j| c[(i, j)] / (sd[i] * sd[j]))
}

/// psych's `alpha.1`: raw and standardized alpha and the average correlation.
struct AlphaOf {
    raw: f64,
    standardized: f64,
    average_r: f64,
}

fn alpha_of(c: &DMatrix<f64>, r: &DMatrix<f64>) -> AlphaOf {
    let n = c.nrows() as f64;
    let sum_r = r.sum();
    AlphaOf {
        raw: raw_alpha(c),
        standardized: (1.0 - n / sum_r) * n / (n - 1.0),
        average_r: (sum_r - n) / (n * (n - 1.0)),
    }
}

/// `(1 - tr(C) / sum(C)) * n / (n - 1)`: alpha of a covariance matrix (also used for the
/// within- and between-person matrices).
pub(crate) fn raw_alpha(c: &DMatrix<f64>) -> f64 {
    let n = c.nrows() as f64;
    (1.0 - c.trace() / c.sum()) * n / (n - 1.0)
}

/// Raw and standardized alpha without item `i`; psych's two-item special case.
fn alpha_without(c: &DMatrix<f64>, r: &DMatrix<f64>, i: usize) -> (f64, f64) {
    if c.nrows() == 2 {
        let other = 1 - i;
        return (c[(0, 1)] / c[(other, other)], r[(0, 1)]);
    }
    let c = c.clone().remove_row(i).remove_column(i);
    let r = r.clone().remove_row(i).remove_column(i);
    let dropped = alpha_of(&c, &r);
    (dropped.raw, dropped.standardized)
}

/// The item's correlation with the sum of the other items, from the covariances.
fn r_drop(c: &DMatrix<f64>, i: usize) -> f64 {
    let with_others = c.column(i).sum() - c[(i, i)];
    let others = c.sum() - 2.0 * c.column(i).sum() + c[(i, i)];
    with_others / (c[(i, i)] * others).sqrt()
}

/// psych's check: loadings on the first principal component of R (signed so that they sum to
/// a positive number), and a warning naming the items that load negatively.
fn negative_loading_warning(names: &[String], r: &DMatrix<f64>) -> Option<String> {
    let eigen = r.clone().symmetric_eigen();
    let first = eigen.eigenvalues.imax();
    let mut loadings: Vec<f64> = eigen.eigenvectors.column(first).iter().copied().collect();
    if loadings.iter().sum::<f64>() < 0.0 {
        loadings.iter_mut().for_each(|x| *x = -*x);
    }
    let negative: Vec<&str> = names
        .iter()
        .zip(&loadings)
        .filter(|(_, &l)| l < 0.0)
        .map(|(name, _)| name.as_str())
        .collect();
    if negative.is_empty() {
        return None;
    }
    Some(format!(
        "some items ({}) correlate negatively with the total scale: they are probably \
         reverse-keyed; if so, declare them reversed (--reverse) and alpha will be computed again",
        negative.join(", ")
    ))
}
