//! LinearMixedModel: cross-product blocks once, then set_theta -> update_l -> objective.
//! OWNER: lead.

/// What can go wrong setting up or evaluating the model.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelError {
    NoObservations,
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}
impl std::error::Error for ModelError {}
