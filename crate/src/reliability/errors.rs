//! What can go wrong reading questionnaire items, in words a researcher can act on.

use crate::frame::format_number;
use std::fmt;

/// What can go wrong reading the items or estimating their reliability.
#[derive(Debug, Clone, PartialEq)]
pub enum ReliabilityError {
    /// Fewer than two items: alpha needs at least two.
    TooFewItems { items: Vec<String> },
    /// The same item listed twice.
    DuplicateItem { item: String },
    /// No column has this name.
    UnknownItem {
        item: String,
        suggestion: Option<String>,
    },
    /// A reverse-keyed name that is not among the items.
    ReverseNotAnItem {
        item: String,
        suggestion: Option<String>,
    },
    /// The item's column holds text; `detail` names the first such cell.
    NotNumeric { item: String, detail: String },
    /// The item has no answer in any row.
    NoAnswers { item: String },
    /// The declared range is empty or reversed.
    BadRange { min: f64, max: f64 },
    /// An answer outside the declared range.
    OutOfRange {
        item: String,
        line: u32,
        value: f64,
        min: f64,
        max: f64,
    },
    /// Every answer to the item is the same: it has no variance.
    NoVariance { item: String },
    /// Two items are never answered in the same row, so their covariance is unknown.
    NoCommonRows { first: String, second: String },
    /// Within/between alpha needs the person column.
    UnknownId {
        name: String,
        suggestion: Option<String>,
    },
    /// Within/between alpha needs persons with two or more complete rows, and two persons.
    TooFewRepeated { persons: usize, rows: usize },
    /// More items than a computation takes.
    TooManyItems {
        items: usize,
        max: usize,
        what: &'static str,
    },
    /// A score column name that is empty or already taken.
    BadScoreName { name: String },
    /// The share of items allowed missing is not in [0, 1].
    BadMissingShare { share: f64 },
}

impl fmt::Display for ReliabilityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ReliabilityError as E;
        let did_you_mean = |s: &Option<String>| match s {
            Some(s) => format!("; did you mean \"{s}\"?"),
            None => String::new(),
        };
        match self {
            E::TooFewItems { items } => write!(
                f,
                "reliability needs at least two items, but {} given ({}); list the item \
                 columns, e.g. --items q1,q2,q3",
                match items.len() {
                    0 => "none was".to_string(),
                    n => format!("{n} was"),
                },
                items.join(", ")
            ),
            E::DuplicateItem { item } => write!(f, "item \"{item}\" is listed twice"),
            E::UnknownItem { item, suggestion } => write!(
                f,
                "item \"{item}\" is not a column of the data{}",
                did_you_mean(suggestion)
            ),
            E::ReverseNotAnItem { item, suggestion } => write!(
                f,
                "\"{item}\" is to be reverse-keyed but is not among the items{}",
                did_you_mean(suggestion)
            ),
            E::NotNumeric { item, detail } => write!(
                f,
                "item \"{item}\" must hold numbers (answers such as 1 to 5): {detail}"
            ),
            E::NoAnswers { item } => write!(f, "item \"{item}\" has no answer in any row"),
            E::BadRange { min, max } => write!(
                f,
                "the answer range {} to {} is empty: --min must be below --max",
                format_number(*min),
                format_number(*max)
            ),
            E::OutOfRange {
                item,
                line,
                value,
                min,
                max,
            } => write!(
                f,
                "line {line}: item \"{item}\" has the answer {}, outside the declared range \
                 {} to {}; correct it, mark it missing, or declare the range the scale uses",
                format_number(*value),
                format_number(*min),
                format_number(*max)
            ),
            E::NoVariance { item } => write!(
                f,
                "item \"{item}\" has the same answer in every row (no variance): it cannot \
                 enter alpha; leave it out"
            ),
            E::NoCommonRows { first, second } => write!(
                f,
                "items \"{first}\" and \"{second}\" are answered together in fewer than two \
                 rows, so their covariance is unknown"
            ),
            E::UnknownId { name, suggestion } => write!(
                f,
                "the person column \"{name}\" is not a column of the data{}",
                did_you_mean(suggestion)
            ),
            E::TooFewRepeated { persons, rows } => write!(
                f,
                "within- and between-person alpha need at least two persons and at least one \
                 person with two or more complete rows; the {rows} complete row(s) come from \
                 {persons} person(s)"
            ),
            E::TooManyItems { items, max, what } => write!(
                f,
                "{what} takes at most {max} items, but {items} were given; choose the items of \
                 one scale"
            ),
            E::BadScoreName { name } if name.trim().is_empty() => {
                write!(f, "the score column needs a name")
            }
            E::BadScoreName { name } => write!(
                f,
                "a column \"{name}\" already exists: choose another name for the score"
            ),
            E::BadMissingShare { share } => write!(
                f,
                "the share of items allowed missing must be between 0 and 1, not {}",
                format_number(*share)
            ),
        }
    }
}

impl std::error::Error for ReliabilityError {}
