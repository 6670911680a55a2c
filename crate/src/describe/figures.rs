//! The compact data the page draws its figures from, never the whole data set: per-occasion
//! means with their 95% confidence intervals, the trajectories of (a stated sample of) persons,
//! and the within-person and between-person association of a predictor and an outcome.
//!
//! - The CI of a mean is the t interval `M ± t(.975, n - 1) SD / sqrt(n)` (R's `t.test`).
//! - The within-person association pairs `within(x)` with `within(y)` on the rows where both are
//!   observed, each the value minus the person's mean of all observed values (lagmix's
//!   `within()`); the between-person association pairs the person means. Both are the raw
//!   associations: the model's slopes are partial ones, which the page says when it draws them.
//! - Samples are deterministic (evenly spaced persons in id order, evenly spaced rows), so the
//!   same file always gives the same figure.

use super::{describe, DescribeError};
use crate::frame::{Column, Frame, Panel};
use crate::transform::{person_of, suggest_column};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Most persons drawn as trajectories: more lines than this are a grey mass.
pub const MAX_TRAJECTORIES: usize = 100;
/// Most points of the within-person scatter: enough to show its shape, and few enough to draw
/// without holding up the page.
pub const MAX_POINTS: usize = 2000;

/// One occasion's mean with its 95% CI (none for fewer than two observations).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OccasionMean {
    pub time: f64,
    pub n: usize,
    pub mean: Option<f64>,
    pub ci_lower: Option<f64>,
    pub ci_upper: Option<f64>,
}

/// One person's observed values in time order.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Trajectory {
    pub person: String,
    pub times: Vec<f64>,
    pub values: Vec<f64>,
}

/// What the figures of one variable need.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VariableFigure {
    pub variable: String,
    pub means: Vec<OccasionMean>,
    /// The sampled persons' trajectories (persons with no observed value are left out).
    pub trajectories: Vec<Trajectory>,
}

/// The within- and between-person association of `x` and `y`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Association {
    pub x: String,
    pub y: String,
    /// (within(x), within(y)) of evenly spaced rows where both are observed.
    pub within: Vec<[f64; 2]>,
    /// Rows where both are observed (the sample's population).
    pub within_rows: usize,
    /// (mean x, mean y) of every person with both means.
    pub between: Vec<[f64; 2]>,
}

/// Everything the page's figures are drawn from.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FigureData {
    pub id: String,
    pub time: String,
    pub persons: usize,
    /// Persons whose trajectories are included (all of them up to [`MAX_TRAJECTORIES`]).
    pub sampled_persons: usize,
    pub variables: Vec<VariableFigure>,
    pub association: Option<Association>,
}

/// The figure data of `variables`, and of the association of `association = (x, y)`.
/// Errors: as [`describe`] (no panel, unknown or text columns).
pub fn figure_data(
    frame: &Frame,
    panel: &Panel,
    variables: &[String],
    association: Option<(&str, &str)>,
) -> Result<FigureData, DescribeError> {
    let description = describe(frame, panel, variables)?;
    let times = panel.time(frame);
    let sample = sampled_persons(panel.persons.len());
    let mut figures = Vec::with_capacity(description.variables.len());
    for v in &description.variables {
        let values = numeric(frame, &v.variable)?;
        figures.push(VariableFigure {
            variable: v.variable.clone(),
            means: v
                .occasions
                .iter()
                .map(|o| occasion_mean(o.time, o.n, o.mean, o.sd))
                .collect(),
            trajectories: trajectories(panel, times, values, &sample),
        });
    }
    let association = match association {
        Some((x, y)) => Some(associate(
            panel,
            x,
            numeric(frame, x)?,
            y,
            numeric(frame, y)?,
        )),
        None => None,
    };
    Ok(FigureData {
        id: description.id,
        time: description.time,
        persons: description.persons,
        sampled_persons: sample.iter().filter(|&&s| s).count(),
        variables: figures,
        association,
    })
}

/// A numeric column by name (describe has checked the variables; the association's are new).
fn numeric<'f>(frame: &'f Frame, name: &str) -> Result<&'f [f64], DescribeError> {
    match frame.column(name) {
        Some(Column::Numeric(values)) => Ok(values),
        Some(Column::Text(_)) => Err(DescribeError::NotNumeric { name: name.into() }),
        None => Err(DescribeError::UnknownColumn {
            name: name.into(),
            suggestion: suggest_column(name, &frame.names),
        }),
    }
}

/// The mean and its t-based 95% CI.
fn occasion_mean(time: f64, n: usize, mean: Option<f64>, sd: Option<f64>) -> OccasionMean {
    let half = match (sd, StudentsT::new(0.0, 1.0, n.saturating_sub(1) as f64)) {
        (Some(sd), Ok(t)) if n >= 2 => Some(t.inverse_cdf(0.975) * sd / (n as f64).sqrt()),
        _ => None,
    };
    OccasionMean {
        time,
        n,
        mean,
        ci_lower: mean.zip(half).map(|(m, h)| m - h),
        ci_upper: mean.zip(half).map(|(m, h)| m + h),
    }
}

/// Which persons are drawn: all up to [`MAX_TRAJECTORIES`], else evenly spaced ones in id order.
fn sampled_persons(persons: usize) -> Vec<bool> {
    let mut sample = vec![persons <= MAX_TRAJECTORIES; persons];
    if persons > MAX_TRAJECTORIES {
        for k in 0..MAX_TRAJECTORIES {
            sample[k * persons / MAX_TRAJECTORIES] = true;
        }
    }
    sample
}

/// The observed values of the sampled persons, each sorted by time.
fn trajectories(panel: &Panel, times: &[f64], values: &[f64], sample: &[bool]) -> Vec<Trajectory> {
    let mut points: Vec<Vec<(f64, f64)>> = vec![Vec::new(); panel.persons.len()];
    for (row, (&t, &v)) in times.iter().zip(values).enumerate() {
        match person_of(panel, row) {
            Some(p) if sample[p] && !t.is_nan() && !v.is_nan() => points[p].push((t, v)),
            _ => {}
        }
    }
    points
        .into_iter()
        .enumerate()
        .filter(|(_, pts)| !pts.is_empty())
        .map(|(p, mut pts)| {
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            Trajectory {
                person: panel.persons[p].clone(),
                times: pts.iter().map(|&(t, _)| t).collect(),
                values: pts.iter().map(|&(_, v)| v).collect(),
            }
        })
        .collect()
}

/// Each person's mean of the observed values (None for a person with none).
fn person_means(panel: &Panel, values: &[f64]) -> Vec<Option<f64>> {
    let mut sums = vec![(0.0, 0usize); panel.persons.len()];
    for (row, &v) in values.iter().enumerate() {
        if let (Some(p), false) = (person_of(panel, row), v.is_nan()) {
            sums[p].0 += v;
            sums[p].1 += 1;
        }
    }
    sums.into_iter()
        .map(|(s, n)| (n > 0).then(|| s / n as f64))
        .collect()
}

/// The within-person scatter (sampled) and the between-person scatter of `x` and `y`.
fn associate(panel: &Panel, x: &str, xs: &[f64], y: &str, ys: &[f64]) -> Association {
    let (mx, my) = (person_means(panel, xs), person_means(panel, ys));
    let deviations: Vec<[f64; 2]> = (0..xs.len().min(ys.len()))
        .filter_map(|row| {
            let p = person_of(panel, row)?;
            let (vx, vy) = (xs[row], ys[row]);
            if vx.is_nan() || vy.is_nan() {
                return None;
            }
            Some([vx - mx[p]?, vy - my[p]?])
        })
        .collect();
    let within_rows = deviations.len();
    let step = within_rows.div_ceil(MAX_POINTS).max(1);
    Association {
        x: x.into(),
        y: y.into(),
        within: deviations.into_iter().step_by(step).collect(),
        within_rows,
        between: mx
            .iter()
            .zip(&my)
            .filter_map(|(a, b)| Some([(*a)?, (*b)?]))
            .collect(),
    }
}
