//! Centring of X and y before the cross-products are formed (see [`Centering`]).

use crate::design::{ColumnSums, ModelData, ModelMatrix};
use nalgebra::DMatrix;

/// With an intercept in X, the other X columns and y are centred before their cross-products
/// are formed, and the estimates are mapped back. The model is the same (the column space of X
/// does not change), but values such as 1e9 +- 1 no longer lose every significant digit to
/// cancellation in X'X and y'y. Z is never shifted: a shifted random slope is another model.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Centering {
    /// Index of the all-ones column of X, if any.
    intercept: Option<usize>,
    /// Mean subtracted from each X column (0 for the intercept and without one).
    pub(super) x_shift: Vec<f64>,
    /// Mean subtracted from y (0 without an intercept).
    pub(super) y_shift: f64,
    /// Mean of each X column over the rows (the variance of the fixed part needs it when X has
    /// no intercept and nothing was subtracted).
    pub(super) x_mean: Vec<f64>,
}

impl Centering {
    /// The centring of X and y, from one pass over X's rows; None when a value of X is not
    /// finite (that pass is the model's check of X).
    pub(super) fn new(x: &ModelMatrix, data: &ModelData, y: &[f64]) -> Option<Centering> {
        let p = x.ncols();
        let ColumnSums {
            sums,
            all_ones,
            finite,
        } = x.column_sums(data);
        if !finite {
            return None;
        }
        let n = y.len() as f64;
        let intercept = all_ones.iter().position(|&ones| ones);
        let x_mean: Vec<f64> = sums.iter().map(|s| s / n).collect();
        Some(match intercept {
            None => Centering {
                intercept,
                x_shift: vec![0.0; p],
                y_shift: 0.0,
                x_mean,
            },
            Some(i) => Centering {
                intercept,
                x_shift: (0..p)
                    .map(|j| if j == i { 0.0 } else { x_mean[j] })
                    .collect(),
                y_shift: y.iter().sum::<f64>() / n,
                x_mean,
            },
        })
    }

    /// beta of the original columns from beta of the centred ones.
    pub(super) fn beta(&self, centred: &[f64]) -> Vec<f64> {
        let mut beta = centred.to_vec();
        if let Some(i) = self.intercept {
            beta[i] += self.y_shift
                - centred
                    .iter()
                    .zip(&self.x_shift)
                    .map(|(b, s)| b * s)
                    .sum::<f64>();
        }
        beta
    }

    /// T with beta = T beta_centred (+ a constant), p x p.
    pub(super) fn transform(&self, p: usize) -> DMatrix<f64> {
        let mut t = DMatrix::identity(p, p);
        if let Some(i) = self.intercept {
            for j in 0..p {
                if j != i {
                    t[(i, j)] = -self.x_shift[j];
                }
            }
        }
        t
    }

    /// T C T' where beta = T beta_centred (+ a constant).
    pub(super) fn covariance(&self, centred: DMatrix<f64>) -> DMatrix<f64> {
        match self.intercept {
            None => centred,
            Some(_) => {
                let t = self.transform(centred.nrows());
                &t * centred * t.transpose()
            }
        }
    }
}
