//! What lmerTest's type III hypotheses need from the design (`get_rdX`, `containment`,
//! `term2colX` in lmerTest 3.1-3): which variables each term is made of, and the "complete"
//! model matrix in which every factor of every term is coded by indicators for all its levels,
//! with its cross-products with X. The statistics are in `crate::inference::anova`.

use super::matrix::{ModelData, ModelMatrix, Part, UsedVariable};
use super::Design;
use nalgebra::DMatrix;

/// One factor of a term (an expression such as `arm` or `within(x)`): the variables its parts
/// come from over the term's columns (one for a plain variable; an expression that is coded by
/// several numeric variables, one per column, has several).
pub type TermFactor = Vec<usize>;

/// The factors of one model term.
#[derive(Debug, Clone, PartialEq)]
pub struct TermVariables {
    /// The term's 1-based index (R's `assign`).
    pub term: usize,
    /// Its factors, in the term's order.
    pub variables: Vec<TermFactor>,
    /// Those with a 1 in R's `attr(terms, "factors")` (the term without the factor is the
    /// intercept or spanned by an earlier term); a factor whose margin is missing has a 2.
    /// lmerTest's `term_contain` compares these only, numeric or not.
    pub coded: Vec<TermFactor>,
    /// The coded factors that are numeric.
    pub numerics: Vec<TermFactor>,
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
    /// The combinations of factor levels (`control:u`) of complete columns that are zero on
    /// every row used: cells without data (lmerTest's "Missing cells" message).
    pub missing_cells: Vec<String>,
}

impl Design {
    /// The X columns of every term, with the term's factors, in term order.
    fn term_columns(&self) -> Vec<(TermVariables, Vec<usize>)> {
        let mut terms: Vec<(TermVariables, Vec<usize>)> = Vec::new();
        for (col, &term) in self.x.assign().iter().enumerate() {
            if term == 0 {
                continue;
            }
            let parts = self.x.parts(col);
            match terms.iter_mut().find(|(t, _)| t.term == term) {
                Some((t, columns)) => {
                    columns.push(col);
                    for (factor, part) in t.variables.iter_mut().zip(parts) {
                        if !factor.contains(&part.variable()) {
                            factor.push(part.variable());
                            factor.sort_unstable();
                        }
                    }
                }
                None => {
                    let variables = parts.iter().map(|p| vec![p.variable()]).collect();
                    let t = TermVariables {
                        term,
                        variables,
                        coded: Vec::new(),
                        numerics: Vec::new(),
                    };
                    terms.push((t, vec![col]));
                }
            }
        }
        // R's rule for the factors matrix, as `columns.rs` applies it to factors.
        for i in 0..terms.len() {
            let factors = terms[i].0.variables.clone();
            let coded: Vec<TermFactor> = factors
                .iter()
                .filter(|&f| {
                    let rest: Vec<&TermFactor> = factors.iter().filter(|g| *g != f).collect();
                    rest.is_empty()
                        || terms[..i]
                            .iter()
                            .any(|(earlier, _)| rest.iter().all(|r| earlier.variables.contains(r)))
                })
                .cloned()
                .collect();
            let is_numeric =
                |v: &usize| matches!(self.data.variable(*v), Some(UsedVariable::Numeric(_)));
            terms[i].0.numerics = coded
                .iter()
                .filter(|f| f.iter().all(is_numeric))
                .cloned()
                .collect();
            terms[i].0.coded = coded;
        }
        terms
    }

    /// The factors of every term that has a column in X, in term order.
    pub fn term_variables(&self) -> Vec<TermVariables> {
        self.term_columns().into_iter().map(|(t, _)| t).collect()
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
        for (t, columns) in self.term_columns() {
            // Per factor of the term, the parts it takes over the term's columns, a factor
            // variable with all its levels.
            let mut choices: Vec<Vec<Part>> = vec![Vec::new(); t.variables.len()];
            for &col in &columns {
                for (choice, &part) in choices.iter_mut().zip(self.x.parts(col)) {
                    for expanded in self.all_levels(part) {
                        if !choice.contains(&expanded) {
                            choice.push(expanded);
                        }
                    }
                }
            }
            let mut products: Vec<Vec<Part>> = vec![Vec::new()];
            for choice in &choices {
                // Earlier factors vary fastest, as in R's model.matrix.
                products = choice
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
        let (xtx, xt_complete, nonzero) = cross_products(&self.x, &complete, &self.data);
        let missing_cells = (0..complete.ncols())
            .filter(|&k| !nonzero[k])
            .map(|k| self.cell_label(complete.parts(k)))
            .collect();
        CompleteDesign {
            xtx,
            xt_complete,
            x_in_complete,
            missing_cells,
        }
    }
}

impl Design {
    /// The factor levels of a product, joined by `:` (numeric parts left out).
    fn cell_label(&self, parts: &[Part]) -> String {
        let labels: Vec<&str> = parts
            .iter()
            .filter_map(|&part| match (part, self.data.variable(part.variable())) {
                (Part::Indicator { level, .. }, Some(UsedVariable::Factor { levels, .. })) => {
                    levels.get(level as usize).map(String::as_str)
                }
                _ => None,
            })
            .collect();
        labels.join(":")
    }

    /// `part`, or for an indicator of a factor the indicators of all its levels.
    fn all_levels(&self, part: Part) -> Vec<Part> {
        match (part, self.data.variable(part.variable())) {
            (Part::Indicator { variable, .. }, Some(UsedVariable::Factor { levels, .. })) => (0
                ..levels.len())
                .map(|l| Part::Indicator {
                    variable,
                    level: u32::try_from(l).unwrap_or(u32::MAX),
                })
                .collect(),
            _ => vec![part],
        }
    }
}

/// X'X and X'C over the rows of `data`, block by block, and whether each column of C has a
/// nonzero value.
fn cross_products(
    x: &ModelMatrix,
    c: &ModelMatrix,
    data: &ModelData,
) -> (DMatrix<f64>, DMatrix<f64>, Vec<bool>) {
    let (p, r) = (x.ncols(), c.ncols());
    let mut xtx = DMatrix::zeros(p, p);
    let mut xtc = DMatrix::zeros(p, r);
    let mut nonzero = vec![false; r];
    let mut cblock = vec![0.0; super::BLOCK_ROWS * r];
    let mut start = 0;
    x.for_each_block(data, |len, xb| {
        let cb = &mut cblock[..len * r];
        c.block_into(data, start, len, cb);
        for (k, ck) in cb.chunks_exact(len).enumerate() {
            nonzero[k] |= ck.iter().any(|&v| v != 0.0);
        }
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
    (xtx, xtc, nonzero)
}
