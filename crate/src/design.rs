//! [`ModelSpec`] + data -> [`Design`]: the response, X (fixed effects, named as lme4 names them)
//! and the random-effects terms, over the complete rows.
//!
//! OWNER: formula helper. Interface fixed; implementation to be written.

use crate::formula::ModelSpec;
use crate::frame::{Frame, Panel};
use nalgebra::DMatrix;

/// One random-effects term over the used rows (Z_i in Bates et al. 2015, as MixedModels.jl's ReMat).
#[derive(Debug, Clone, PartialEq)]
pub struct RandomEffectsTerm {
    /// Grouping factor name as lme4 prints it.
    pub group: String,
    /// Levels of the grouping factor present in the used rows.
    pub levels: Vec<String>,
    /// Level index of each used row.
    pub refs: Vec<u32>,
    /// Column names (`(Intercept)`, `within(x)`).
    pub names: Vec<String>,
    /// Row-major n x q: the term's model-matrix row for each used row.
    pub z: Vec<f64>,
}

impl RandomEffectsTerm {
    /// Number of columns per level (q_i).
    pub fn q(&self) -> usize {
        self.names.len()
    }
}

/// The design over the complete rows.
#[derive(Debug, Clone)]
pub struct Design {
    /// Response name (normalized formula text).
    pub response: String,
    pub y: Vec<f64>,
    /// n x p fixed-effects model matrix, aliased columns already removed.
    pub x: DMatrix<f64>,
    pub fixed_names: Vec<String>,
    /// Random-effects terms in formula order (after `||` and `/` expansion).
    pub random: Vec<RandomEffectsTerm>,
    /// Frame row index of each used row.
    pub used_rows: Vec<usize>,
    /// Rows in the frame.
    pub total_rows: usize,
    /// For each variable with missing values among the frame's rows: (variable name, rows missing).
    pub missing_by_variable: Vec<(String, usize)>,
    /// Plain-words warnings (aliased columns dropped, ...).
    pub warnings: Vec<String>,
}

/// What can go wrong building the design.
#[derive(Debug, Clone, PartialEq)]
pub enum DesignError {
    Transform(crate::transform::TransformError),
}

impl std::fmt::Display for DesignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}
impl std::error::Error for DesignError {}

/// Builds the design for `spec` over the complete rows of `frame`.
pub fn build_design(
    spec: &ModelSpec,
    _frame: &Frame,
    _panel: &Panel,
) -> Result<Design, DesignError> {
    Err(DesignError::Transform(
        crate::transform::TransformError::UnknownColumn {
            name: spec.text.clone(),
            suggestion: None,
        },
    ))
}
