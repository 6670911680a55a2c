//! The errors of every stage, gathered for callers that run the whole pipeline.

use std::fmt;

/// Any error of the pipeline. Each message is written for a researcher: it names the line,
/// column or term and what was expected.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    Csv(crate::csv::CsvError),
    Data(crate::frame::DataError),
    Formula(crate::formula::FormulaError),
    Transform(crate::transform::TransformError),
    Design(crate::design::DesignError),
    Describe(crate::describe::DescribeError),
    Model(crate::model::ModelError),
    Compare(crate::inference::compare::CompareError),
    Reliability(crate::reliability::ReliabilityError),
    Reshape(crate::reshape::ReshapeError),
    Workbook(crate::workbook::WorkbookError),
    Sav(crate::sav::SavError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Csv(e) => e.fmt(f),
            Error::Data(e) => e.fmt(f),
            Error::Formula(e) => e.fmt(f),
            Error::Transform(e) => e.fmt(f),
            Error::Design(e) => e.fmt(f),
            Error::Describe(e) => e.fmt(f),
            Error::Model(e) => e.fmt(f),
            Error::Compare(e) => e.fmt(f),
            Error::Reliability(e) => e.fmt(f),
            Error::Reshape(e) => e.fmt(f),
            Error::Workbook(e) => e.fmt(f),
            Error::Sav(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

macro_rules! from_stage_error {
    ($($variant:ident($ty:ty)),*) => {
        $(impl From<$ty> for Error {
            fn from(e: $ty) -> Error {
                Error::$variant(e)
            }
        })*
    };
}

from_stage_error!(
    Csv(crate::csv::CsvError),
    Data(crate::frame::DataError),
    Formula(crate::formula::FormulaError),
    Transform(crate::transform::TransformError),
    Design(crate::design::DesignError),
    Describe(crate::describe::DescribeError),
    Model(crate::model::ModelError),
    Compare(crate::inference::compare::CompareError),
    Reliability(crate::reliability::ReliabilityError),
    Reshape(crate::reshape::ReshapeError),
    Workbook(crate::workbook::WorkbookError),
    Sav(crate::sav::SavError)
);
