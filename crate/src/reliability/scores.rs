//! Scale scores: the mean or the sum of a person-occasion's answers after reverse-keying, with
//! a stated rule for missing answers, added to the frame as a numeric column that formulas can
//! use like any other.
//!
//! The default rule is the usual one for questionnaires: when at most 20% of the items are
//! missing, the mean of the answered items (for a sum, that mean times the number of items:
//! the sum prorated); otherwise the score is missing.

use super::{ItemSet, ReliabilityError};
use crate::frame::{Column, Frame};
use serde::Serialize;

/// Mean or sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ScoreKind {
    Mean,
    Sum,
}

/// How a score is formed and when it is missing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreRule {
    /// Mean or (prorated) sum.
    pub kind: ScoreKind,
    /// The largest share of the items that may be missing (0.2: at most 20%).
    pub max_missing: f64,
}

impl Default for ScoreRule {
    fn default() -> ScoreRule {
        ScoreRule {
            kind: ScoreKind::Mean,
            max_missing: 0.2,
        }
    }
}

impl ScoreRule {
    /// Errors: a share outside [0, 1].
    pub fn check(&self) -> Result<(), ReliabilityError> {
        if (0.0..=1.0).contains(&self.max_missing) {
            Ok(())
        } else {
            Err(ReliabilityError::BadMissingShare {
                share: self.max_missing,
            })
        }
    }

    /// The most items that may be missing out of `items`.
    pub fn allowed_missing(&self, items: usize) -> usize {
        // A small allowance so that 20% of 10 items is 2, not 1 by rounding.
        (self.max_missing * items as f64 + 1e-9).floor() as usize
    }

    /// The rule in words, for the output.
    pub fn describe(&self, items: usize) -> String {
        let allowed = self.allowed_missing(items);
        let what = match self.kind {
            ScoreKind::Mean => "the mean of the answered items".to_string(),
            ScoreKind::Sum => format!(
                "the sum of the items, prorated (the mean of the answered items times {items})"
            ),
        };
        format!(
            "score = {what} (reverse-keyed items flipped) when at most {allowed} of the \
             {items} items ({}%) are missing; else missing",
            format_share(self.max_missing)
        )
    }
}

fn format_share(share: f64) -> String {
    let percent = (share * 1000.0).round() / 10.0;
    crate::frame::format_number(percent)
}

/// The score of every row (NaN where the rule says missing).
pub fn scale_score(items: &ItemSet, rule: &ScoreRule) -> Vec<f64> {
    let k = items.len();
    let allowed = rule.allowed_missing(k);
    (0..items.nrows())
        .map(|row| {
            let answers = items.values.iter().map(|column| column[row]);
            let (count, sum) = answers
                .filter(|x| !x.is_nan())
                .fold((0usize, 0.0), |(n, s), x| (n + 1, s + x));
            if count == 0 || k - count > allowed {
                return f64::NAN;
            }
            let mean = sum / count as f64;
            match rule.kind {
                ScoreKind::Mean => mean,
                ScoreKind::Sum => mean * k as f64,
            }
        })
        .collect()
}

/// Adds `values` to `frame` as the numeric column `name`. Errors: an empty name, or a name
/// already taken (`replace` allows replacing a column of that name, as when the user forms the
/// score again with other items).
pub fn add_score(
    frame: &mut Frame,
    name: &str,
    values: Vec<f64>,
    replace: bool,
) -> Result<(), ReliabilityError> {
    let name = name.trim();
    let bad = || ReliabilityError::BadScoreName {
        name: name.to_string(),
    };
    if name.is_empty() || values.len() != frame.nrows() {
        return Err(bad());
    }
    match frame.names.iter().position(|n| n == name) {
        Some(_) if !replace => Err(bad()),
        Some(index) => {
            frame.columns[index] = Column::Numeric(values);
            Ok(())
        }
        None => {
            frame.names.push(name.to_string());
            frame.columns.push(Column::Numeric(values));
            Ok(())
        }
    }
}
