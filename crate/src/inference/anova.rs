//! Omnibus F tests of every fixed-effects term: lmerTest 3.1-3's `anova(m, type = 3)`.
//!
//! The hypotheses are lmerTest's type III contrasts (`get_contrasts_type3`): the coefficients of
//! the "complete" design (every factor coded by all its levels) expressed in X's coefficients,
//! each term's columns made orthogonal (over those coefficients) to the terms that contain it,
//! highest-order terms first. They do not depend on the contrast coding. A model with one term
//! gets lmerTest's type I contrast instead (the Doolittle factor of X'X), as lmerTest does.
//!
//! The denominators follow the fit's df method: Satterthwaite as lmerTest's `contestMD` (one
//! Satterthwaite df per eigen-direction of the contrast's covariance, combined by
//! `get_Fstat_ddf`), Kenward-Roger as pbkrtest's scaled F, residual and between-within with the
//! term's residual or containment df and the plain Wald F.

use super::kenward_roger::KenwardRoger;
use super::satterthwaite::VarparCovariance;
use crate::design::{CompleteDesign, Design, TermVariables};
use crate::formula::ModelSpec;
use nalgebra::{DMatrix, SymmetricEigen};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

/// One row of the type III table.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AnovaRow {
    /// The term as R labels it (`arm`, `arm:x`).
    pub term: String,
    pub num_df: f64,
    pub den_df: f64,
    pub f: f64,
    pub p: f64,
}

/// The hypothesis L beta = 0 of one term.
#[derive(Debug, Clone, PartialEq)]
pub struct Hypothesis {
    pub term: String,
    /// One row per tested direction, one column per coefficient.
    pub l: DMatrix<f64>,
    /// The X columns of the term.
    pub columns: Vec<usize>,
}

/// R's `zapsmall(x)` (7 digits): rounds to the decimals that keep 7 significant digits of the
/// largest value, so that round-off noise becomes exact zeros.
fn zapsmall(m: &mut DMatrix<f64>) {
    let mx = m.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    if mx <= 0.0 || !mx.is_finite() {
        return;
    }
    let digits = (7.0 - mx.log10().ceil()).max(0.0);
    let scale = 10f64.powf(digits);
    m.iter_mut().for_each(|v| *v = (*v * scale).round() / scale);
}

/// lmerTest's `term_contain`: `a`'s coded variables (a 1 in R's factors matrix) are a proper
/// subset of `b`'s, with the same numeric ones. A variable coded 2 does not count, so that in
/// `y ~ x:z + f:z` lmerTest takes `x:z` (no coded variable) as contained in `f:z`: that is
/// lmerTest's hypothesis, so it is lagmix's too.
fn contained(a: &TermVariables, b: &TermVariables) -> bool {
    let subset = a.coded.iter().all(|v| b.coded.contains(v));
    let more = b.coded.iter().any(|v| !a.coded.contains(v));
    let same_numerics = a.numerics.iter().all(|v| b.numerics.contains(v))
        && b.numerics.iter().all(|v| a.numerics.contains(v));
    subset && more && same_numerics
}

/// The residuals of the columns of `y` regressed on the columns of `a` (least squares, by the
/// pseudo-inverse, so that a rank-deficient `a` is fine, as with `lm.fit`).
fn residuals(a: &DMatrix<f64>, y: &DMatrix<f64>) -> DMatrix<f64> {
    let svd = a.clone().svd(true, true);
    let tol = 1e-7 * svd.singular_values.iter().fold(0.0f64, |m, v| m.max(*v));
    match svd.pseudo_inverse(tol) {
        Ok(pinv) => y - a * (pinv * y),
        Err(_) => y.clone(),
    }
}

/// lmerTest's `doolittle(x)$L`: unit lower triangular with x = L U, entries below 1e-6 zeroed.
fn doolittle_l(x: &DMatrix<f64>) -> DMatrix<f64> {
    let n = x.nrows();
    let eps = 1e-6;
    let mut l = DMatrix::identity(n, n);
    let mut u = DMatrix::zeros(n, n);
    for i in 0..n {
        for j in 0..n {
            u[(i, j)] = x[(i, j)] - (0..i).map(|k| l[(i, k)] * u[(k, j)]).sum::<f64>();
        }
        for j in i + 1..n {
            let v = x[(j, i)] - (0..i).map(|k| l[(j, k)] * u[(k, i)]).sum::<f64>();
            l[(j, i)] = if u[(i, i)].abs() < eps {
                0.0
            } else {
                v / u[(i, i)]
            };
        }
    }
    l.iter_mut().for_each(|v| {
        if v.abs() < eps {
            *v = 0.0
        }
    });
    l
}

/// The type III hypotheses of every term of `spec` that has a column in X, in R's term order,
/// and a warning when some combination of factor levels has no rows.
pub fn type3_hypotheses(spec: &ModelSpec, design: &Design) -> (Vec<Hypothesis>, Option<String>) {
    let terms = design.term_variables();
    let p = design.x.ncols();
    let columns_of =
        |term: usize| -> Vec<usize> { (0..p).filter(|&c| design.x.assign()[c] == term).collect() };
    let name_of = |term: usize| {
        spec.terms
            .get(term - 1)
            .map(|t| t.name())
            .unwrap_or_default()
    };
    let single_term = p <= 1 || terms.len() <= 1;
    let needs_pass = design.has_factor_columns()
        || (single_term && terms.iter().any(|t| columns_of(t.term).len() > 1));
    // Without factors the complete design is X itself and no term contains another (their
    // numeric variables differ): each term tests its own coefficients.
    let mut warning = None;
    let l_sel = if !needs_pass {
        DMatrix::identity(p, p)
    } else {
        let cd = design.complete_design();
        if !cd.missing_cells.is_empty() {
            warning = Some(format!(
                "No rows for the combination(s) of factor levels {}: the type III F tests \
                 compare only the cells that have data; interpret them with care.",
                cd.missing_cells.join(", ")
            ));
        }
        if !single_term {
            complete_contrasts(&cd, &terms, &columns_of)
        } else if p == 1 {
            DMatrix::identity(1, 1)
        } else {
            doolittle_l(&cd.xtx)
        }
    };
    let hypotheses = terms
        .iter()
        .map(|t| {
            let columns = columns_of(t.term);
            let mut rows: Vec<Vec<f64>> = columns
                .iter()
                .map(|&k| (0..p).map(|j| l_sel[(j, k)]).collect())
                .collect();
            rows.retain(|r| r.iter().map(|v| v.abs()).sum::<f64>() > 1e-8);
            let l = DMatrix::from_fn(rows.len(), p, |i, j| rows[i][j]);
            Hypothesis {
                term: name_of(t.term),
                l,
                columns,
            }
        })
        .collect::<Vec<_>>();
    // A term none of whose columns is left (all aliased) is listed last with nothing to test,
    // as lmerTest lists it (NA).
    let mut hypotheses = hypotheses;
    for term in &spec.terms {
        let name = term.name();
        if !hypotheses.iter().any(|h| h.term == name) {
            hypotheses.push(Hypothesis {
                term: name,
                l: DMatrix::zeros(0, p),
                columns: Vec::new(),
            });
        }
    }
    (hypotheses, warning)
}

/// lmerTest's `extract_contrasts_type3`: returns the p x p matrix whose column k, for X column k
/// of a term, is that column's type III contrast.
fn complete_contrasts(
    cd: &CompleteDesign,
    terms: &[TermVariables],
    columns_of: &dyn Fn(usize) -> Vec<usize>,
) -> DMatrix<f64> {
    let p = cd.xtx.nrows();
    // ginv(X) X_complete = (X'X)⁻¹ X' X_complete for a full-rank X; L is its transpose
    // (one row per complete column, one column per X column).
    let coef = match cd.xtx.clone().cholesky() {
        Some(ch) => ch.solve(&cd.xt_complete),
        None => return DMatrix::from_element(p, p, f64::NAN),
    };
    let mut l = coef.transpose();
    zapsmall(&mut l);
    let mut order: Vec<&TermVariables> = terms.iter().collect();
    order.sort_by_key(|t| std::cmp::Reverse(t.variables.len()));
    for t in order {
        let containing: Vec<usize> = terms
            .iter()
            .filter(|b| contained(t, b))
            .flat_map(|b| columns_of(b.term))
            .collect();
        if containing.is_empty() {
            continue;
        }
        let own = columns_of(t.term);
        let a = l.select_columns(&containing);
        let y = l.select_columns(&own);
        let mut r = residuals(&a, &y);
        zapsmall(&mut r);
        for (i, &c) in own.iter().enumerate() {
            l.set_column(c, &r.column(i));
        }
    }
    DMatrix::from_fn(p, p, |j, k| match cd.x_in_complete[j] {
        Some(row) => l[(row, k)],
        None => f64::NAN,
    })
}

/// Upper tail of F(ndf, ddf) at f.
fn f_upper(f: f64, ndf: f64, ddf: f64) -> f64 {
    if !(f.is_finite() && ndf > 0.0 && ddf > 0.0) {
        return f64::NAN;
    }
    match FisherSnedecor::new(ndf, ddf) {
        Ok(d) => d.sf(f),
        Err(_) => f64::NAN,
    }
}

/// The denominator information of the fit's df method.
pub enum Denominator<'a> {
    /// lmerTest's Satterthwaite: the varpar covariance and Jacobians, with cov(beta).
    Satterthwaite(&'a VarparCovariance, &'a DMatrix<f64>),
    /// pbkrtest's Kenward-Roger.
    KenwardRoger(&'a KenwardRoger),
    /// A fixed df per coefficient (residual, between-within), with cov(beta).
    PerCoefficient(&'a [f64], &'a DMatrix<f64>),
}

fn quadratic_form(l: &DMatrix<f64>, m: &DMatrix<f64>) -> DMatrix<f64> {
    l * m * l.transpose()
}

/// lmerTest's one-row Satterthwaite df: 2 v² / (g' A g).
fn satterthwaite_1d(vc: &VarparCovariance, l: &DMatrix<f64>, v: f64) -> f64 {
    let g = DMatrix::from_iterator(
        vc.jacobians.len(),
        1,
        vc.jacobians.iter().map(|j| quadratic_form(l, j)[(0, 0)]),
    );
    2.0 * v * v / (g.transpose() * &vc.a * &g)[(0, 0)]
}

/// lmerTest's `get_Fstat_ddf`.
fn combine_ddf(nu: &[f64]) -> f64 {
    if nu.len() == 1 {
        return nu[0];
    }
    if nu.windows(2).all(|w| (w[1] - w[0]).abs() < 1e-8) {
        return nu.iter().sum::<f64>() / nu.len() as f64;
    }
    if nu.iter().any(|&v| v <= 2.0) {
        return 2.0;
    }
    let e: f64 = nu.iter().map(|v| v / (v - 2.0)).sum();
    2.0 * e / (e - nu.len() as f64)
}

/// lmerTest's `contestMD` with Satterthwaite df: (F, ndf, ddf).
fn satterthwaite_test(
    vc: &VarparCovariance,
    cov: &DMatrix<f64>,
    l: &DMatrix<f64>,
    beta: &DMatrix<f64>,
) -> (f64, f64, f64) {
    let eig = SymmetricEigen::new(quadratic_form(l, cov));
    let mut idx: Vec<usize> = (0..eig.eigenvalues.len()).collect();
    idx.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
    let d0 = eig.eigenvalues[idx[0]];
    let tol = (f64::EPSILON.sqrt() * d0).max(0.0);
    let pos: Vec<usize> = idx
        .into_iter()
        .filter(|&i| eig.eigenvalues[i] > tol)
        .collect();
    let q = pos.len();
    if q == 0 {
        return (f64::NAN, 0.0, f64::NAN);
    }
    let mut f = 0.0;
    let mut nu = Vec::with_capacity(q);
    for &i in &pos {
        let v = eig.eigenvectors.column(i);
        let ptl = DMatrix::from_fn(1, l.ncols(), |_, j| v.dot(&l.column(j)));
        let d = eig.eigenvalues[i];
        let est = (&ptl * beta)[(0, 0)];
        f += est * est / d;
        nu.push(satterthwaite_1d(vc, &ptl, d));
    }
    (f / q as f64, q as f64, combine_ddf(&nu))
}

/// The F test of every hypothesis with the fit's denominators; `beta` in the original
/// coefficients.
pub fn anova_table(hypotheses: &[Hypothesis], beta: &[f64], den: &Denominator) -> Vec<AnovaRow> {
    let b = DMatrix::from_column_slice(beta.len(), 1, beta);
    hypotheses
        .iter()
        .map(|h| {
            // A term whose columns were all dropped as aliased has nothing to test: lmerTest
            // lists it with NA, and so does lagmix (NaN; null in JSON).
            if h.l.nrows() == 0 {
                return AnovaRow {
                    term: h.term.clone(),
                    num_df: f64::NAN,
                    den_df: f64::NAN,
                    f: f64::NAN,
                    p: f64::NAN,
                };
            }
            let (f, ndf, ddf) = match den {
                Denominator::Satterthwaite(vc, cov) => satterthwaite_test(vc, cov, &h.l, &b),
                Denominator::KenwardRoger(kr) => {
                    let t = kr.test(&h.l, beta);
                    (t.f, t.ndf, t.ddf)
                }
                Denominator::PerCoefficient(dfs, cov) => {
                    let lb = &h.l * &b;
                    let wald = quadratic_form(&h.l, cov)
                        .try_inverse()
                        .map_or(f64::NAN, |inv| (lb.transpose() * inv * &lb)[(0, 0)]);
                    let q = h.l.nrows() as f64;
                    // The term's containment level is its innermost column's: the largest df.
                    let ddf = h.columns.iter().map(|&c| dfs[c]).fold(f64::NAN, f64::max);
                    (wald / q, q, ddf)
                }
            };
            AnovaRow {
                term: h.term.clone(),
                num_df: ndf,
                den_df: ddf,
                f,
                p: f_upper(f, ndf, ddf),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ddf_of_equal_and_unequal_directions() {
        assert_eq!(combine_ddf(&[10.0]), 10.0);
        assert!((combine_ddf(&[7.0, 7.0]) - 7.0).abs() < 1e-12);
        // E = 10/8 + 20/18, 2E / (E - 2)
        let e = 10.0 / 8.0 + 20.0 / 18.0;
        assert!((combine_ddf(&[10.0, 20.0]) - 2.0 * e / (e - 2.0)).abs() < 1e-12);
        assert_eq!(combine_ddf(&[1.5, 20.0]), 2.0);
    }

    #[test]
    fn a_cell_without_rows_is_named_in_a_warning() {
        let mut csv = String::from("id,a,b,y\n");
        let cells = [("p", "v"), ("q", "u"), ("q", "v"), ("r", "u"), ("r", "v")];
        for i in 0..40 {
            let (a, b) = cells[i % cells.len()];
            let y = (i % 7) as f64 * 0.3 + (i % 4) as f64 + if a == "q" { 1.0 } else { 0.0 };
            csv.push_str(&format!("g{},{a},{b},{y}\n", i % 8));
        }
        let fit = crate::fit_csv(
            csv.as_bytes(),
            &crate::DataOptions::default(),
            &crate::ModelOptions::new("y ~ a * b + (1 | id)"),
        )
        .expect("fits");
        assert!(
            fit.warnings.iter().any(|w| w.contains("levels p:u")),
            "{:?}",
            fit.warnings
        );
        let terms: Vec<&str> = fit.anova.iter().map(|r| r.term.as_str()).collect();
        assert_eq!(terms, ["a", "b", "a:b"]);
        assert_eq!(fit.anova[2].num_df, 1.0);
    }

    #[test]
    fn doolittle_of_a_small_matrix() {
        let x = DMatrix::from_row_slice(2, 2, &[4.0, 2.0, 2.0, 3.0]);
        let l = doolittle_l(&x);
        assert_eq!(l[(1, 0)], 0.5);
        assert_eq!(l[(0, 1)], 0.0);
    }
}
