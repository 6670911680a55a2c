//! What lmerTest's type III hypotheses need from the design (`get_rdX`, `containment`,
//! `term2colX` in lmerTest 3.1-3): which variables each term is made of, and the "complete"
//! model matrix in which every factor of every term is coded by indicators for all its levels,
//! with its cross-products with X. The statistics are in `crate::inference::anova`.

use super::matrix::{ModelData, ModelMatrix, Part, UsedVariable};
use super::Design;
use nalgebra::DMatrix;

/// The variables of one model term.
#[derive(Debug, Clone, PartialEq)]
pub struct TermVariables {
    /// The term's 1-based index (R's `assign`).
    pub term: usize,
    /// Its variables (indices into the model data), in the term's order.
    pub variables: Vec<usize>,
    /// Those with a 1 in R's `attr(terms, "factors")` (the term without the variable is the
    /// intercept or spanned by an earlier term); a variable whose margin is missing has a 2.
    /// lmerTest's `term_contain` compares these only, numeric or not.
    pub coded: Vec<usize>,
    /// The coded variables that are numeric.
    pub numerics: Vec<usize>,
}

/// The complete ("rank-deficient") model matrix and its cross-products with X.
#[derive(Debug, Clone)]
pub struct CompleteDesign {
    /// X'X (uncentred), p x p.
    pub xtx: DMatrix<f64>,
    /// X' X_complete, p x r.
    pub xt_complete: DMatrix<f64>,
    /// For each X column, the complete column that is the same product of variables.
    pub x_in_complete: Vec<Option<usize>>,
}

impl Design {
    /// The variables of every term that has a column in X, in term order.
    pub fn term_variables(&self) -> Vec<TermVariables> {
        let mut terms: Vec<TermVariables> = Vec::new();
        for (col, &term) in self.x.assign().iter().enumerate() {
            if term == 0 || terms.iter().any(|t| t.term == term) {
                continue;
            }
            let variables: Vec<usize> = self.x.parts(col).iter().map(|p| p.variable()).collect();
            // R's rule for the factors matrix, as `columns.rs` applies it to factors.
            let coded: Vec<usize> = variables
                .iter()
                .copied()
                .filter(|&v| {
                    let rest: Vec<usize> = variables.iter().copied().filter(|&w| w != v).collect();
                    rest.is_empty()
                        || terms
                            .iter()
                            .any(|earlier| rest.iter().all(|r| earlier.variables.contains(r)))
                })
                .collect();
            let numerics = coded
                .iter()
                .copied()
                .filter(|&v| matches!(self.data.variable(v), Some(UsedVariable::Numeric(_))))
                .collect();
            terms.push(TermVariables {
                term,
                variables,
                coded,
                numerics,
            });
        }
        terms
    }

    /// True when some X column involves a factor.
    pub fn has_factor_columns(&self) -> bool {
        (0..self.x.ncols()).any(|c| {
            self.x
                .parts(c)
                .iter()
                .any(|p| matches!(p, Part::Indicator { .. }))
        })
    }

    /// The complete model matrix (lmerTest's `get_rdX`: an intercept if X has one, then for each
    /// term every product of its numeric variables and all levels of its factors) with X'X and
    /// X' X_complete, from one pass over the rows.
    pub fn complete_design(&self) -> CompleteDesign {
        let mut complete = ModelMatrix::default();
        if self.x.assign().contains(&0) {
            complete.push(String::new(), Vec::new());
        }
        for t in self.term_variables() {
            let mut products: Vec<Vec<Part>> = vec![Vec::new()];
            for &v in &t.variables {
                let choices: Vec<Part> = match self.data.variable(v) {
                    Some(UsedVariable::Factor { levels, .. }) => (0..levels.len())
                        .map(|l| Part::Indicator {
                            variable: v,
                            level: u32::try_from(l).unwrap_or(u32::MAX),
                        })
                        .collect(),
                    _ => vec![Part::Numeric(v)],
                };
                // Earlier variables vary fastest, as in R's model.matrix.
                products = choices
                    .iter()
                    .flat_map(|c| {
                        products.iter().map(move |p| {
                            let mut p = p.clone();
                            p.push(*c);
                            p
                        })
                    })
                    .collect();
            }
            for product in products {
                complete.push_in_term(String::new(), product, t.term);
            }
        }
        let x_in_complete = (0..self.x.ncols())
            .map(|c| (0..complete.ncols()).find(|&k| complete.parts(k) == self.x.parts(c)))
            .collect();
        let (xtx, xt_complete) = cross_products(&self.x, &complete, &self.data);
        CompleteDesign {
            xtx,
            xt_complete,
            x_in_complete,
        }
    }
}

/// X'X and X'C over the rows of `data`, block by block.
fn cross_products(
    x: &ModelMatrix,
    c: &ModelMatrix,
    data: &ModelData,
) -> (DMatrix<f64>, DMatrix<f64>) {
    let (p, r) = (x.ncols(), c.ncols());
    let mut xtx = DMatrix::zeros(p, p);
    let mut xtc = DMatrix::zeros(p, r);
    let mut cblock = vec![0.0; super::BLOCK_ROWS * r];
    let mut start = 0;
    x.for_each_block(data, |len, xb| {
        let cb = &mut cblock[..len * r];
        c.block_into(data, start, len, cb);
        for (i, xi) in xb.chunks_exact(len).enumerate() {
            for (j, xj) in xb.chunks_exact(len).enumerate() {
                xtx[(i, j)] += xi.iter().zip(xj).map(|(a, b)| a * b).sum::<f64>();
            }
            for (k, ck) in cb.chunks_exact(len).enumerate() {
                xtc[(i, k)] += xi.iter().zip(ck).map(|(a, b)| a * b).sum::<f64>();
            }
        }
        start += len;
    });
    (xtx, xtc)
}
