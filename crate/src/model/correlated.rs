//! A model with residuals correlated within person: the rows are sorted by person and time and
//! kept, so that a new phi can whiten them and form the cross-products again (one pass per phi,
//! the whitening sitting between reading the rows and adding their products). The theta
//! evaluations in between cost what they cost without a correlation.
//!
//! (Before the typed blocks, a model with one term and a few distinct time steps split its
//! products by step once, so that a phi cost no pass; that shortcut was written for the old
//! layout and is not carried over: every phi is a pass here.)

use super::cross_products::{for_each_row_block, CrossProducts, Whitening};
use super::residual::{permute, sort_order, Occasions, ResidualError, ResidualStructure};
use super::{LinearMixedModel, ModelError};
use crate::design::{Design, ModelData, ModelMatrix, RandomEffectsTerm};
use std::sync::Arc;

/// The rows a correlated model keeps, sorted by person and time: one pass per phi.
#[derive(Debug, Clone)]
pub(super) struct PhiSource {
    data: ModelData,
    y: Vec<f64>,
    x: ModelMatrix,
}

/// The residual structure of a correlated model and what it needs for a new phi.
#[derive(Debug, Clone)]
pub(super) struct CorrelatedRows {
    pub structure: ResidualStructure,
    /// The phi the cross-products were last formed for.
    pub phi: f64,
    /// The rows' time steps (log|R| at any phi, and the transform of the rows).
    pub occasions: Occasions,
    pub source: PhiSource,
}

impl CorrelatedRows {
    /// The rows of a model with a residual correlation; without one, the data are in the
    /// cross-products and are freed here (at a million rows they are worth freeing).
    pub fn keep_or_free(
        residual: Option<(ResidualStructure, Occasions)>,
        data: ModelData,
        y: Vec<f64>,
        x: &ModelMatrix,
        terms: &mut [RandomEffectsTerm],
    ) -> Option<Box<CorrelatedRows>> {
        let Some((structure, occasions)) = residual else {
            drop(data);
            drop(y);
            for t in terms.iter_mut() {
                t.refs = Vec::new();
            }
            return None;
        };
        // The refs stay: every pass reads the rows' levels again.
        let source = PhiSource {
            data,
            y,
            x: x.clone(),
        };
        Some(Box::new(CorrelatedRows {
            structure,
            phi: 0.0,
            occasions,
            source,
        }))
    }
}

impl LinearMixedModel {
    /// A model whose residuals within each person follow `structure` (phi = 0 until
    /// [`LinearMixedModel::set_phi`]); `Identity` is [`LinearMixedModel::new`]. Errors: as
    /// [`LinearMixedModel::new`]; a design without the panel's id and time, and random effects
    /// grouped by anything other than the person (the transform would mix groups).
    pub fn with_correlation(
        mut design: Design,
        structure: ResidualStructure,
    ) -> Result<LinearMixedModel, ModelError> {
        if structure == ResidualStructure::Identity {
            return LinearMixedModel::new(design);
        }
        let Some(mut occasions) = design.occasions.take() else {
            return Err(ModelError::Correlation(ResidualError::NeedsPanel {
                structure: structure.name(),
                missing: "id and time",
            }));
        };
        let groups: Vec<String> = design.random.iter().map(|t| t.group.clone()).collect();
        if groups.is_empty() || groups.iter().any(|g| *g != occasions.id) {
            let mut distinct: Vec<String> = Vec::new();
            for g in groups {
                if !distinct.contains(&g) {
                    distinct.push(g);
                }
            }
            return Err(ModelError::Correlation(ResidualError::Grouping {
                structure: structure.name(),
                id: occasions.id,
                groups: distinct,
            }));
        }
        // Every term is grouped by the person, so any term's refs say whose row it is.
        let person = &design.random[0].refs;
        if let Some(order) = sort_order(person, &occasions.values) {
            design.data.reorder(&order);
            permute(&mut design.y, &order);
            permute(&mut occasions.values, &order);
            for t in &mut design.random {
                permute(&mut t.refs, &order);
            }
        }
        let steps = Occasions::new(&design.random[0].refs, &occasions.values);
        drop(occasions);
        LinearMixedModel::build(design, Some((structure, steps)))
    }

    /// The residual structure (`Identity` without a correlation).
    pub fn residual_structure(&self) -> ResidualStructure {
        self.correlated
            .as_ref()
            .map_or(ResidualStructure::Identity, |c| c.structure)
    }

    /// phi of the current cross-products; None without a correlation.
    pub fn phi(&self) -> Option<f64> {
        self.correlated.as_ref().map(|c| c.phi)
    }

    /// Forms the cross-products of the rows whitened at `phi` (one pass over the data) and
    /// log|R|; the factor is recomputed at the next [`LinearMixedModel::update_l`]. Does nothing
    /// without a correlation or when phi is unchanged. Errors: a non-finite value met in the pass.
    pub fn set_phi(&mut self, phi: f64) -> Result<(), ModelError> {
        let Some(rows) = self.correlated.as_deref_mut() else {
            return Ok(());
        };
        if rows.phi == phi {
            return Ok(());
        }
        let PhiSource { data, y, x } = &rows.source;
        let mut sums = CrossProducts::new(&self.l.dims, self.parents.as_ref().clone());
        let mut whitening = Whitening::new(&rows.occasions, phi, x.ncols(), &self.terms);
        for_each_row_block(&self.terms, x, data, y, &self.centering, |block| {
            whitening.apply(block);
            sums.add_rows(block);
            Ok(())
        })?;
        rows.phi = phi;
        self.logdet_r = rows.occasions.logdet(phi);
        self.a = Arc::new(sums.into_blocks());
        self.factored_theta = None;
        self.spares.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::{DMatrix, DVector};

    /// Three persons, rows out of order, a gap (A misses week 3) and a person with one row (C).
    const ROWS: [(&str, f64, f64, f64); 9] = [
        ("B", 2.0, 0.5, 2.0),
        ("A", 1.0, 1.0, 1.2),
        ("A", 4.0, 0.0, 2.9),
        ("B", 1.0, 2.0, 3.1),
        ("A", 2.0, 3.0, 2.2),
        ("C", 1.0, 1.5, 0.4),
        ("B", 3.0, 1.0, 2.6),
        ("D", 1.0, 0.2, 1.0),
        ("D", 2.0, 2.5, 1.9),
    ];

    fn model(structure: ResidualStructure) -> LinearMixedModel {
        model_of("y ~ x + (1 | id)", structure)
    }

    fn model_of(formula: &str, structure: ResidualStructure) -> LinearMixedModel {
        let mut csv = String::from("id,week,x,y\n");
        for (id, week, x, y) in ROWS {
            csv.push_str(&format!("{id},{week},{x},{y}\n"));
        }
        let options = crate::DataOptions {
            id: Some("id".into()),
            time: Some("week".into()),
            ..Default::default()
        };
        let data = crate::Dataset::parse(csv.as_bytes(), &options).expect("data");
        let spec = crate::formula::parse_formula(formula).expect("formula");
        let design =
            crate::design::build_panel_design(&spec, &data.frame, &data.panel).expect("design");
        LinearMixedModel::with_correlation(design, structure).expect("model")
    }

    /// The criterion from V = theta² Z Z' + R written out densely, rows in file order.
    fn dense_criterion(theta: f64, phi: f64, reml: bool) -> f64 {
        dense_criterion_with_slope(theta, 0.0, phi, reml)
    }

    /// As [`dense_criterion`] with an uncorrelated random slope of x (SD `slope` relative).
    fn dense_criterion_with_slope(theta: f64, slope: f64, phi: f64, reml: bool) -> f64 {
        let n = ROWS.len();
        let v = DMatrix::from_fn(n, n, |i, j| {
            let (a, b) = (ROWS[i], ROWS[j]);
            if a.0 != b.0 {
                0.0
            } else {
                theta * theta + slope * slope * a.2 * b.2 + phi.powf((a.1 - b.1).abs())
            }
        });
        let x = DMatrix::from_fn(n, 2, |i, j| if j == 0 { 1.0 } else { ROWS[i].2 });
        let y = DVector::from_iterator(n, ROWS.iter().map(|r| r.3));
        let vinv = v.clone().try_inverse().expect("V is invertible");
        let xtvx = x.transpose() * &vinv * &x;
        let beta = xtvx.clone().try_inverse().expect("X'V^-1X") * x.transpose() * &vinv * &y;
        let r = &y - &x * beta;
        let q = (r.transpose() * &vinv * &r)[(0, 0)];
        let two_pi = 2.0 * std::f64::consts::PI;
        if reml {
            let dof = (n - 2) as f64;
            v.determinant().ln() + xtvx.determinant().ln() + dof * (1.0 + (two_pi * q / dof).ln())
        } else {
            let n = n as f64;
            v.determinant().ln() + n * (1.0 + (two_pi * q / n).ln())
        }
    }

    #[test]
    fn whitened_criterion_equals_the_dense_likelihood() {
        for structure in [ResidualStructure::Ar1, ResidualStructure::Car1] {
            let mut m = model(structure);
            for (theta, phi) in [(0.8, 0.6), (1.3, 0.05), (0.4, 0.0)] {
                m.set_phi(phi).expect("a pass");
                for reml in [true, false] {
                    let got = m.criterion(&[theta], reml);
                    let want = dense_criterion(theta, phi, reml);
                    assert!(
                        (got - want).abs() < 1e-9,
                        "{theta} {phi} {reml}: {got} vs {want}"
                    );
                }
            }
        }
        // Two terms of the person: both whitened in the pass for each phi.
        let mut m = model_of("y ~ x + (1 | id) + (0 + x | id)", ResidualStructure::Ar1);
        for (theta, slope, phi) in [(0.8, 0.5, 0.6), (0.3, 1.1, -0.2)] {
            m.set_phi(phi).expect("a pass");
            for reml in [true, false] {
                let got = m.criterion(&[theta, slope], reml);
                let want = dense_criterion_with_slope(theta, slope, phi, reml);
                assert!((got - want).abs() < 1e-9, "{phi} {reml}: {got} vs {want}");
            }
        }
        // Negative phi (AR(1) only): residuals one week apart correlate negatively.
        let mut m = model(ResidualStructure::Ar1);
        m.set_phi(-0.45).expect("a pass");
        let (got, want) = (m.criterion(&[0.7], true), dense_criterion(0.7, -0.45, true));
        assert!((got - want).abs() < 1e-9, "{got} vs {want}");
    }

    #[test]
    fn only_the_person_may_group_the_random_effects() {
        let mut csv = String::from("id,week,site,y\n");
        for (k, (id, week, _, y)) in ROWS.iter().enumerate() {
            csv.push_str(&format!("{id},{week},s{},{y}\n", k % 2));
        }
        let options = crate::DataOptions {
            id: Some("id".into()),
            time: Some("week".into()),
            ..Default::default()
        };
        let data = crate::Dataset::parse(csv.as_bytes(), &options).expect("data");
        let spec = crate::formula::parse_formula("y ~ 1 + (1 | site)").expect("formula");
        let design =
            crate::design::build_panel_design(&spec, &data.frame, &data.panel).expect("design");
        let err = LinearMixedModel::with_correlation(design, ResidualStructure::Ar1)
            .expect_err("site is not the person");
        assert!(err.to_string().contains("grouping factors `site`"), "{err}");
    }
}
