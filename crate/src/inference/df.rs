//! Denominator degrees of freedom that need no derivatives (residual, nlme's between-within
//! containment), the t test they feed, and the check that the outcome varies within groups.

use crate::design::{Design, ModelData, ModelMatrix};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Two-sided p value and 95% CI half-width for t with `df` degrees of freedom.
pub(super) fn t_test(t: f64, df: f64) -> (f64, f64) {
    if df.is_nan() || df <= 0.0 || t.is_nan() {
        return (f64::NAN, f64::NAN);
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(dist) => (2.0 * dist.cdf(-t.abs()), dist.inverse_cdf(0.975)),
        Err(_) => (f64::NAN, f64::NAN),
    }
}

/// Whether `values` (one per row) take a single value within every group of `refs` (`differs`
/// says when a value differs from its group's first), and whether some group has two rows.
fn constant_within_groups(
    values: impl Iterator<Item = f64>,
    refs: &[u32],
    levels: usize,
    differs: impl Fn(f64, f64) -> bool,
) -> (bool, bool) {
    let mut first = vec![f64::NAN; levels];
    let mut repeated = false;
    for (&g, v) in refs.iter().zip(values) {
        let f = &mut first[g as usize];
        if f.is_nan() {
            *f = v;
        } else if differs(v, *f) {
            return (false, true);
        } else {
            repeated = true;
        }
    }
    (true, repeated)
}

/// True when X column `col` takes one value within every group of `refs`.
fn constant_within(
    x: &ModelMatrix,
    data: &ModelData,
    col: usize,
    refs: &[u32],
    levels: usize,
) -> bool {
    let values = (0..data.nrows()).map(|r| x.value(data, r, col));
    constant_within_groups(values, refs, levels, |v, f| {
        (v - f).abs() > 1e-10 * (1.0 + f.abs())
    })
    .0
}

/// Between-within (containment) df as nlme assigns them: grouping levels from the outermost
/// (fewest groups) inwards; each fixed column belongs to the outermost level within whose groups
/// it is constant, else to the residual level. Level i has df = N_i - N_(i-1) - p_i; the
/// intercept is counted at the top and reported with the residual level's df. A random slope
/// does not move its variable to the group's level: nlme 3.1-162 gives `x` the residual level's
/// df in `lme(y ~ x, random = ~ 1 + x | id)` (fixture `ar1_slope` in tests/fixtures-nlme).
pub(super) fn between_within_df(design: &Design) -> Vec<f64> {
    let mut groups: Vec<&crate::design::RandomEffectsTerm> = Vec::new();
    for t in &design.random {
        if !groups.iter().any(|g| g.group == t.group) {
            groups.push(t);
        }
    }
    groups.sort_by_key(|t| t.levels.len());
    let n_levels = groups.len();
    let p = design.x.ncols();
    let mut level_of = vec![n_levels + 1; p];
    for (j, name) in design.fixed_names().iter().enumerate() {
        if name == "(Intercept)" {
            level_of[j] = 0;
            continue;
        }
        for (i, g) in groups.iter().enumerate() {
            if constant_within(&design.x, &design.data, j, &g.refs, g.levels.len()) {
                level_of[j] = i + 1;
                break;
            }
        }
    }
    let mut counts: Vec<f64> = vec![1.0];
    counts.extend(groups.iter().map(|g| g.levels.len() as f64));
    counts.push(design.y.len() as f64);
    let level_df: Vec<f64> = (1..counts.len())
        .map(|i| counts[i] - counts[i - 1] - level_of.iter().filter(|&&l| l == i).count() as f64)
        .collect();
    level_of
        .iter()
        .map(|&l| {
            if l == 0 {
                level_df[n_levels]
            } else {
                level_df[l - 1]
            }
        })
        .collect()
}

/// The grouping factors within whose every group the response takes a single value, among those
/// where some group has at least two rows.
pub(super) fn response_constant_within(design: &Design) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    // Differences are judged against the outcome's own spread, not its magnitude: 1e9 +- 0.5
    // varies.
    let (lo, hi) = design
        .y
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &y| {
            (lo.min(y), hi.max(y))
        });
    let tolerance = 1e-9 * (hi - lo);
    for t in &design.random {
        if names.contains(&t.group) {
            continue;
        }
        let (constant, repeated) =
            constant_within_groups(design.y.iter().copied(), &t.refs, t.levels.len(), |y, f| {
                (y - f).abs() > tolerance
            });
        if constant && repeated {
            names.push(t.group.clone());
        }
    }
    names
}
