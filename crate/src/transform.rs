//! within / between / center / lag / lead / factor, evaluated over the whole panel before any
//! row is dropped.
//!
//! OWNER: panel helper. Interface fixed; implementation to be written.

use crate::formula::Expr;
use crate::frame::{Frame, Panel};

/// An evaluated variable, one value per row of the frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Variable {
    /// NaN = missing.
    Numeric(Vec<f64>),
    /// Codes into levels (R's order); `frame::MISSING_CODE` = missing.
    Factor {
        codes: Vec<u32>,
        levels: Vec<String>,
    },
}

/// What can go wrong evaluating an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum TransformError {
    UnknownColumn {
        name: String,
        suggestion: Option<String>,
    },
}

impl std::fmt::Display for TransformError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}
impl std::error::Error for TransformError {}

/// Evaluates `expr` on every row of `frame`.
pub fn evaluate(expr: &Expr, _frame: &Frame, _panel: &Panel) -> Result<Variable, TransformError> {
    Err(TransformError::UnknownColumn {
        name: expr.name(),
        suggestion: None,
    })
}
