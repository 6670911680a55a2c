//! Descriptives per occasion (the reference study's Table 1) and a summary of the panel.
//!
//! OWNER: panel helper. Interface fixed; implementation to be written.

use crate::frame::{Frame, Panel};
use serde::Serialize;

/// Per-occasion descriptives of one variable.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OccasionStats {
    pub time: f64,
    pub n: usize,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub missing: usize,
    pub missing_percent: f64,
    /// Within-person |x_t - x_{t-1}| (gap-aware) at this occasion.
    pub change_n: usize,
    pub change_mean: Option<f64>,
    pub change_sd: Option<f64>,
}

/// Descriptives of one variable.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VariableDescription {
    pub variable: String,
    pub n: usize,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub missing: usize,
    pub missing_percent: f64,
    pub occasions: Vec<OccasionStats>,
}

/// `lagmix describe` output.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Description {
    pub id: String,
    pub time: String,
    pub persons: usize,
    pub occasions: Vec<f64>,
    pub variables: Vec<VariableDescription>,
}

/// Errors of describe.
#[derive(Debug, Clone, PartialEq)]
pub enum DescribeError {
    UnknownColumn {
        name: String,
        suggestion: Option<String>,
    },
}

impl std::fmt::Display for DescribeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}
impl std::error::Error for DescribeError {}

/// Per-occasion table for `variables`.
pub fn describe(
    _frame: &Frame,
    _panel: &Panel,
    _variables: &[String],
) -> Result<Description, DescribeError> {
    Err(DescribeError::UnknownColumn {
        name: String::new(),
        suggestion: None,
    })
}
