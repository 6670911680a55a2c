//! A model with residuals correlated within person: the rows are sorted by person and time and
//! kept, so that a new phi can whiten them and form the cross-products again (one pass over the
//! data per phi; the theta evaluations in between cost what they cost without a correlation).

use super::cross_products::{cross_products, CrossProducts, Whitening};
use super::residual::{permute, sort_order, Occasions, ResidualError, ResidualStructure};
use super::{LinearMixedModel, ModelError};
use crate::design::{Design, ModelData, ModelMatrix};

/// The rows of a correlated model, sorted by person and time.
#[derive(Debug, Clone)]
pub(super) struct CorrelatedRows {
    pub structure: ResidualStructure,
    pub occasions: Occasions,
    /// The phi the cross-products were last formed for.
    pub phi: f64,
    pub data: ModelData,
    pub y: Vec<f64>,
    pub x: ModelMatrix,
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
        let CrossProducts { a11, a21, a22 } = cross_products(
            &self.terms,
            &self.rest_offsets,
            self.q_rest,
            &rows.x,
            &rows.data,
            &rows.y,
            &self.centering,
            Some(Whitening {
                occasions: &rows.occasions,
                phi,
            }),
        )?;
        rows.phi = phi;
        self.logdet_r = rows.occasions.logdet(phi);
        self.a11 = a11;
        self.a21 = a21;
        self.a22 = a22;
        self.factored_theta = None;
        Ok(())
    }
}
