//! Questionnaire items: Cronbach's alpha as `psych::alpha` 2.2.9 computes it ([`alpha`]),
//! within- and between-person alpha from a two-level saturated model ([`multilevel`]), and scale
//! scores as new columns ([`scores`]).
//!
//! The items are numeric columns of the [`Frame`]; reverse-keyed items are scored
//! `min + max - x` with the declared range (psych flips with the observed range; alpha, the
//! correlations and the covariances are the same either way, only the scores differ). Without a
//! declared range the observed range of all items is used, as psych does, and the result says so.

pub mod alpha;
mod bfgs;
mod errors;
pub mod multilevel;
pub mod scores;
#[cfg(test)]
mod tests;

pub use alpha::{alpha, Alpha, ItemStatistics};
pub use errors::ReliabilityError;
pub use multilevel::{multilevel_alpha, MultilevelAlpha};
pub use scores::{add_score, scale_score, ScoreKind, ScoreRule};

use crate::frame::{suggest, Column, Frame};

/// Most items in one scale: alpha if dropped is O(k^3) over all items, and the covariance matrix
/// k^2 numbers (1000 items: 8 MB, seconds), beyond any questionnaire.
pub const MAX_ITEMS: usize = 1000;

/// Which columns are the items, which are reverse-keyed, and the answer range.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemOptions {
    /// The item columns, in the order to report them (at least two).
    pub items: Vec<String>,
    /// Items scored `min + max - x` (each must be among `items`).
    pub reverse: Vec<String>,
    /// The declared answer range `(min, max)`: values outside are errors.
    pub range: Option<(f64, f64)>,
}

/// The items read from a frame, reverse-keyed: one column of values per item (NaN = missing).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemSet {
    /// Item names, as given.
    pub names: Vec<String>,
    /// Whether each item was reverse-keyed.
    pub reversed: Vec<bool>,
    /// The keyed values, one vector per item, one value per row of the frame.
    pub values: Vec<Vec<f64>>,
    /// The range used for reverse-keying: the declared one or, without it, the observed one.
    pub range: (f64, f64),
    /// True when `range` was declared (false: observed, as psych does).
    pub range_declared: bool,
}

impl ItemSet {
    /// Reads the items from `frame`. Errors: fewer than two items, an item named twice, an
    /// unknown or non-numeric item, a reverse-keyed name that is not an item, an empty or
    /// reversed range, a value outside the declared range (naming item, line and value), an item
    /// without any answer.
    pub fn from_frame(frame: &Frame, options: &ItemOptions) -> Result<ItemSet, ReliabilityError> {
        if options.items.len() > MAX_ITEMS {
            return Err(ReliabilityError::TooManyItems {
                items: options.items.len(),
                max: MAX_ITEMS,
                what: "a scale",
            });
        }
        check_names(frame, options)?;
        if let Some((min, max)) = options.range {
            if min.is_nan() || max.is_nan() || min >= max {
                return Err(ReliabilityError::BadRange { min, max });
            }
        }
        let mut values = Vec::with_capacity(options.items.len());
        for name in &options.items {
            let column = read_item(frame, name)?;
            if let Some(range) = options.range {
                check_range(frame, name, &column, range)?;
            }
            values.push(column);
        }
        let range = match options.range {
            Some(range) => range,
            None => observed_range(&values),
        };
        let reversed: Vec<bool> = options
            .items
            .iter()
            .map(|name| options.reverse.contains(name))
            .collect();
        for (column, &flip) in values.iter_mut().zip(&reversed) {
            if flip {
                column.iter_mut().for_each(|x| *x = range.0 + range.1 - *x);
            }
        }
        Ok(ItemSet {
            names: options.items.clone(),
            reversed,
            values,
            range,
            range_declared: options.range.is_some(),
        })
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when there are no items (never for a set built by [`ItemSet::from_frame`]).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.values.first().map_or(0, Vec::len)
    }

    /// True when row `row` has an answer to every item.
    pub fn is_complete(&self, row: usize) -> bool {
        self.values
            .iter()
            .all(|column| column.get(row).is_some_and(|x| !x.is_nan()))
    }
}

/// Errors for too few items, duplicates, unknown items and reverse keys that are not items.
fn check_names(frame: &Frame, options: &ItemOptions) -> Result<(), ReliabilityError> {
    if options.items.len() < 2 {
        return Err(ReliabilityError::TooFewItems {
            items: options.items.clone(),
        });
    }
    for (i, name) in options.items.iter().enumerate() {
        if options.items[..i].contains(name) {
            return Err(ReliabilityError::DuplicateItem { item: name.clone() });
        }
        if frame.column(name).is_none() {
            return Err(ReliabilityError::UnknownItem {
                item: name.clone(),
                suggestion: suggest(name, &frame.names),
            });
        }
    }
    match options
        .reverse
        .iter()
        .find(|name| !options.items.contains(name))
    {
        Some(name) => Err(ReliabilityError::ReverseNotAnItem {
            item: name.clone(),
            suggestion: suggest(name, &options.items),
        }),
        None => Ok(()),
    }
}

/// The item's values; errors for a text column (naming the first cell that is not a number)
/// and for an item nobody answered.
fn read_item(frame: &Frame, name: &str) -> Result<Vec<f64>, ReliabilityError> {
    let values = match frame.column(name) {
        Some(Column::Numeric(values)) => values.clone(),
        _ => {
            let error = frame.numeric(name).err();
            return Err(ReliabilityError::NotNumeric {
                item: name.to_string(),
                detail: error.map(|e| e.to_string()).unwrap_or_default(),
            });
        }
    };
    if values.iter().all(|x| x.is_nan()) {
        return Err(ReliabilityError::NoAnswers {
            item: name.to_string(),
        });
    }
    Ok(values)
}

/// Error for the first value of `values` outside `[min, max]`.
fn check_range(
    frame: &Frame,
    name: &str,
    values: &[f64],
    (min, max): (f64, f64),
) -> Result<(), ReliabilityError> {
    match values.iter().position(|&x| x < min || x > max) {
        Some(row) => Err(ReliabilityError::OutOfRange {
            item: name.to_string(),
            line: frame.row_lines.get(row).unwrap_or(0),
            value: values[row],
            min,
            max,
        }),
        None => Ok(()),
    }
}

/// The smallest and largest answer over all items (psych's range for reverse-keying).
fn observed_range(values: &[Vec<f64>]) -> (f64, f64) {
    let answers = || values.iter().flatten().copied().filter(|x| !x.is_nan());
    let min = answers().fold(f64::INFINITY, f64::min);
    let max = answers().fold(f64::NEG_INFINITY, f64::max);
    (min, max)
}

/// Alpha of the items and, when the panel has a person column, within- and between-person
/// alpha as well (a warning instead when those cannot be estimated, e.g. one row per person).
/// Errors: those of [`ItemSet::from_frame`] and [`alpha()`].
pub fn reliability(
    frame: &Frame,
    panel: &crate::frame::Panel,
    options: &ItemOptions,
) -> Result<Alpha, ReliabilityError> {
    let items = ItemSet::from_frame(frame, options)?;
    let mut result = alpha(&items)?;
    if panel.id_name.is_some() {
        match multilevel_alpha(&items, &panel.person) {
            Ok(multilevel) => {
                if !multilevel.converged {
                    result.warnings.push(format!(
                        "the two-level estimates did not converge ({} iterations): treat \
                         within- and between-person alpha with caution",
                        multilevel.iterations
                    ));
                }
                result.multilevel = Some(multilevel);
            }
            Err(e) => result
                .warnings
                .push(format!("no within- and between-person alpha: {e}")),
        }
    }
    Ok(result)
}

/// The item names with `prefix*` expanded to the columns starting with `prefix`, in file order
/// (`wai_*` -> `wai_1, wai_2, ...`); other names are kept as given. A prefix matching nothing is
/// kept as written so that the error names it.
pub fn expand_items(frame: &Frame, names: &[String]) -> Vec<String> {
    let mut items = Vec::new();
    for name in names {
        match name.strip_suffix('*') {
            Some(prefix) if frame.names.iter().any(|n| n.starts_with(prefix)) => items.extend(
                frame
                    .names
                    .iter()
                    .filter(|n| n.starts_with(prefix))
                    .cloned(),
            ),
            _ => items.push(name.clone()),
        }
    }
    items
}
