//! The residual structure within person: independent residuals (lme4's model), or a first-order
//! autoregressive correlation over the person's occasions, as nlme's `corAR1(form = ~ time | id)`
//! (integer times) and `corCAR1(form = ~ time | id)` (real times) define it: residuals at times
//! t and s of one person correlate phi^|t - s|.
//!
//! Such a correlation matrix R has an explicit inverse square root. The residuals of an AR(1)
//! process observed at increasing times are Markov, so with d_k = t_k - t_{k-1}
//! ```text
//!   e'_1 = e_1,   e'_k = (e_k - phi^d_k e_{k-1}) / sqrt(1 - phi^(2 d_k))
//! ```
//! are independent with unit variance, and log|R| = sum over k >= 2 of log(1 - phi^(2 d_k)).
//! Applied to every row of `[Z X y]` (all within person, so Z keeps its block structure when the
//! only grouping factor is the person), the transform turns the model into an ordinary one, whose
//! profiled criterion plus log|R| is the criterion of the correlated model (the density of y is
//! that of the transformed y times the transform's Jacobian, |R|^(-1/2)).

use super::ModelError;
use crate::frame::{Frame, Panel};
use std::fmt;

/// How the residuals of one person are correlated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResidualStructure {
    /// Independent residuals (every model without `--correlation`).
    #[default]
    Identity,
    /// nlme's `corAR1(form = ~ time | id)`: integer times, gaps count (phi^2 across a missed week).
    Ar1,
    /// nlme's `corCAR1(form = ~ time | id)`: any real times, phi the correlation per time unit.
    Car1,
}

impl ResidualStructure {
    /// The name used in options and output: `ar1`, `car1` (`none` for independent residuals).
    pub fn name(self) -> &'static str {
        match self {
            ResidualStructure::Identity => "none",
            ResidualStructure::Ar1 => "ar1",
            ResidualStructure::Car1 => "car1",
        }
    }

    /// Parses `ar1`, `car1` or `none` (case-insensitive; `corAR1` and `corCAR1` too).
    pub fn parse(text: &str) -> Option<ResidualStructure> {
        match text.trim().to_ascii_lowercase().as_str() {
            "none" | "identity" | "" => Some(ResidualStructure::Identity),
            "ar1" | "corar1" | "ar(1)" => Some(ResidualStructure::Ar1),
            "car1" | "corcar1" | "car(1)" => Some(ResidualStructure::Car1),
            _ => None,
        }
    }

    /// The interval phi is searched in: inside (-1, 1) for AR(1), [0, 1) for CAR(1) (nlme's
    /// ranges; phi = 1 would make R singular).
    pub fn phi_bounds(self) -> (f64, f64) {
        match self {
            ResidualStructure::Identity => (0.0, 0.0),
            ResidualStructure::Ar1 => (-PHI_LIMIT, PHI_LIMIT),
            ResidualStructure::Car1 => (0.0, PHI_LIMIT),
        }
    }
}

/// How close to +-1 phi may come: beyond this, 1 - phi^2 loses most of its digits.
const PHI_LIMIT: f64 = 0.9999;

/// Checks that the panel can carry `structure`: an id and a time column, and for AR(1) whole
/// times (nlme would silently use them; a fractional week is more likely a mistake, or a case
/// for CAR(1)). Errors: [`ResidualError::NeedsPanel`], [`ResidualError::FractionalTime`]
/// naming the first line.
pub fn check_panel(
    frame: &Frame,
    panel: &Panel,
    structure: ResidualStructure,
) -> Result<(), ModelError> {
    let error = ModelError::Correlation;
    let missing = match (&panel.id_name, &panel.time_name) {
        (None, None) => Some("id and time"),
        (None, Some(_)) => Some("id"),
        (Some(_), None) => Some("time"),
        (Some(_), Some(_)) => None,
    };
    if let Some(missing) = missing {
        return Err(error(ResidualError::NeedsPanel {
            structure: structure.name(),
            missing,
        }));
    }
    if structure == ResidualStructure::Ar1 {
        let times = panel.time(frame);
        if let Some(row) = times.iter().position(|t| t.is_finite() && t.fract() != 0.0) {
            return Err(error(ResidualError::FractionalTime {
                time: panel.time_name.clone().unwrap_or_default(),
                value: times[row],
                line: frame.row_lines.get(row).unwrap_or(0),
            }));
        }
    }
    Ok(())
}

/// The time step from each row to the previous occasion of the same person, rows sorted by
/// person and time; +inf on a person's first row (phi^inf = 0: the row is left as it is).
/// Single precision: the model keeps them for every row (4 MB at a million rows instead of 8), and
/// a step is exact in it for whole times below 2^24 and within 6e-8 of itself otherwise, far
/// below what changes phi^d.
#[derive(Debug, Clone, PartialEq)]
pub struct Occasions {
    steps: Vec<f32>,
}

impl Occasions {
    /// The steps of rows already sorted by `person` and then increasing `time`.
    pub fn new(person: &[u32], time: &[f64]) -> Occasions {
        let steps = (0..person.len())
            .map(|r| match r.checked_sub(1) {
                Some(prev) if person[prev] == person[r] => (time[r] - time[prev]) as f32,
                _ => f32::INFINITY,
            })
            .collect();
        Occasions { steps }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// True without rows.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// log|R| at `phi`: the sum of log(1 - phi^(2d)) over rows that follow an occasion.
    pub fn logdet(&self, phi: f64) -> f64 {
        self.steps
            .iter()
            .filter(|d| d.is_finite())
            .map(|&d| {
                let a = phi_power(phi, f64::from(d));
                libm::log1p(-a * a)
            })
            .sum()
    }

    /// The time step of row `r` (+inf on a person's first row).
    pub fn step(&self, r: usize) -> f64 {
        self.steps.get(r).map_or(f64::INFINITY, |&d| f64::from(d))
    }

    /// The distinct steps in order of first appearance, or None when there are more than `limit`.
    pub fn distinct_steps(&self, limit: usize) -> Option<Vec<f64>> {
        let mut distinct: Vec<f64> = Vec::new();
        for &d in &self.steps {
            let d = f64::from(d);
            if !distinct.contains(&d) {
                if distinct.len() == limit {
                    return None;
                }
                distinct.push(d);
            }
        }
        Some(distinct)
    }

    /// The transform's coefficients (a, c) of rows `start..start + a.len()`:
    /// row' = c * (row - a * previous row).
    pub fn coefficients(&self, phi: f64, start: usize, a: &mut [f64], c: &mut [f64]) {
        // Steps repeat (weekly data: nearly all 1), so the power and root are computed only
        // when the step changes.
        let mut last = (f64::NAN, 0.0, 1.0);
        for ((&d, a), c) in self.steps[start..].iter().zip(a).zip(c) {
            let d = f64::from(d);
            if d != last.0 {
                let (power, scale) = coefficients_at(phi, d);
                last = (d, power, scale);
            }
            (*a, *c) = (last.1, last.2);
        }
    }
}

/// The transform's coefficients (a, c) for one step: row' = c * (row - a * previous row).
pub fn coefficients_at(phi: f64, d: f64) -> (f64, f64) {
    let a = phi_power(phi, d);
    (a, 1.0 / libm::sqrt(1.0 - a * a))
}

/// phi^d for a time step d > 0 (0 for d = inf); libm's pow, so that native and wasm agree.
fn phi_power(phi: f64, d: f64) -> f64 {
    if d.is_infinite() {
        0.0
    } else if d == 1.0 {
        phi
    } else {
        libm::pow(phi, d)
    }
}

/// Transforms a block of `len` rows of several columns (column-major, column j at
/// `columns[j * len..]`) in place: row i becomes c_i (row_i - a_i row_{i-1}). `carry` holds each
/// column's last untransformed value of the block before (the previous row of the block's first
/// row) and receives this block's.
pub fn whiten_block(columns: &mut [f64], len: usize, carry: &mut [f64], a: &[f64], c: &[f64]) {
    if len == 0 {
        return;
    }
    for (column, previous) in columns.chunks_exact_mut(len).zip(carry.iter_mut()) {
        let last = column[len - 1];
        // Backwards, so that each row still sees its predecessor untransformed.
        for i in (1..len).rev() {
            column[i] = c[i] * (column[i] - a[i] * column[i - 1]);
        }
        column[0] = c[0] * (column[0] - a[0] * *previous);
        *previous = last;
    }
}

/// The order that sorts rows by person and then time (stable), or None when they already are.
pub fn sort_order(person: &[u32], time: &[f64]) -> Option<Vec<u32>> {
    let sorted = person
        .windows(2)
        .zip(time.windows(2))
        .all(|(p, t)| p[0] < p[1] || (p[0] == p[1] && t[0] < t[1]));
    if sorted {
        return None;
    }
    let mut order: Vec<u32> = (0..person.len() as u32).collect();
    order.sort_by(|&i, &j| {
        let (i, j) = (i as usize, j as usize);
        person[i].cmp(&person[j]).then(time[i].total_cmp(&time[j]))
    });
    Some(order)
}

/// `values` in `order` (one transient copy).
pub fn permute<T: Copy>(values: &mut Vec<T>, order: &[u32]) {
    let permuted: Vec<T> = order.iter().map(|&i| values[i as usize]).collect();
    *values = permuted;
}

/// Why a residual correlation structure cannot be fitted as asked.
#[derive(Debug, Clone, PartialEq)]
pub enum ResidualError {
    /// A correlation needs to know persons and occasions.
    NeedsPanel {
        structure: &'static str,
        missing: &'static str,
    },
    /// ar1 with a time that is not a whole number.
    FractionalTime { time: String, value: f64, line: u32 },
    /// Grouping factors other than the person, or none.
    Grouping {
        structure: &'static str,
        id: String,
        groups: Vec<String>,
    },
    /// A df method not available with a correlation structure.
    DfMethod {
        structure: &'static str,
        method: &'static str,
    },
}

impl fmt::Display for ResidualError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResidualError::NeedsPanel { structure, missing } => write!(
                f,
                "the residual correlation `{structure}` is defined over each person's occasions: \
                 give the {missing} column (--id for persons, --time for occasions)"
            ),
            ResidualError::FractionalTime { time, value, line } => write!(
                f,
                "line {line}: the time column `{time}` holds {value}, not a whole number: `ar1` \
                 counts occasions in whole steps (a missed week is a gap of 2). For times such \
                 as hours or days with fractions use `car1`, the continuous-time AR(1)"
            ),
            ResidualError::Grouping {
                structure,
                id,
                groups,
            } => write!(
                f,
                "the residual correlation `{structure}` is fitted within the person (`{id}`), so \
                 the random effects must be grouped by `{id}` alone; this model has {}. Other or \
                 more grouping factors with a correlation structure are not supported yet",
                if groups.is_empty() {
                    "no grouping factor".to_string()
                } else {
                    format!("grouping factors {}", quoted(groups))
                }
            ),
            ResidualError::DfMethod { structure, method } => {
                // Satterthwaite is a name; the option values are lower case.
                let mut name = method.to_string();
                if let Some(first) = name.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                write!(
                    f,
                    "{name} df are not available with the residual correlation `{structure}` \
                     yet: use between-within (nlme's containment df, the default with a \
                     correlation) or residual df"
                )
            }
        }
    }
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl std::error::Error for ResidualError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two persons: A at weeks 1, 2, 4 (a gap), B at weeks 1, 2. phi = 0.5.
    fn panel() -> (Vec<u32>, Vec<f64>) {
        (vec![0, 0, 0, 1, 1], vec![1.0, 2.0, 4.0, 1.0, 2.0])
    }

    #[test]
    fn transform_on_a_panel_with_a_gap_by_hand() {
        let (person, time) = panel();
        let occasions = Occasions::new(&person, &time);
        assert_eq!(
            occasions.steps,
            [f32::INFINITY, 1.0, 2.0, f32::INFINITY, 1.0]
        );
        let (mut a, mut c) = (vec![0.0; 5], vec![0.0; 5]);
        occasions.coefficients(0.5, 0, &mut a, &mut c);
        // Column e = (1, 2, 3, 4, 5), split into blocks of 2 + 3 rows to check the carry.
        let mut column = vec![1.0, 2.0, 3.0, 4.0, 5.0];
        let mut carry = [0.0];
        let (first, second) = column.split_at_mut(2);
        whiten_block(first, 2, &mut carry, &a[..2], &c[..2]);
        whiten_block(second, 3, &mut carry, &a[2..], &c[2..]);
        // By hand: e'1 = 1; e'2 = (2 - 0.5) / sqrt(0.75); e'3 = (3 - 0.25 * 2) / sqrt(1 - 1/16);
        // B starts again: e'4 = 4; e'5 = (5 - 0.5 * 4) / sqrt(0.75).
        let want = [
            1.0,
            1.5 / 0.75f64.sqrt(),
            2.5 / (15.0f64 / 16.0).sqrt(),
            4.0,
            3.0 / 0.75f64.sqrt(),
        ];
        for (g, w) in column.iter().zip(want) {
            assert!((g - w).abs() < 1e-14, "{column:?} vs {want:?}");
        }
        // log|R| = 2 log(0.75) + log(15/16).
        let want = 2.0 * 0.75f64.ln() + (15.0f64 / 16.0).ln();
        assert!((occasions.logdet(0.5) - want).abs() < 1e-14);
    }

    #[test]
    fn transform_whitens_the_correlation_matrix() {
        // T R T' = I for person A's correlation phi^|t - s| at weeks 1, 2, 4.
        let t = [1.0, 2.0, 4.0];
        let phi: f64 = -0.6;
        let occasions = Occasions::new(&[0, 0, 0], &t);
        let (mut a, mut c) = (vec![0.0; 3], vec![0.0; 3]);
        occasions.coefficients(phi, 0, &mut a, &mut c);
        let mut r: Vec<f64> = (0..9)
            .map(|k| phi.powf((t[k % 3] - t[k / 3]).abs()))
            .collect();
        // Columns of R transformed (T R), then rows of the transpose (T R T').
        let mut carry = [0.0; 3];
        whiten_block(&mut r, 3, &mut carry, &a, &c);
        let mut rt: Vec<f64> = (0..9).map(|k| r[(k % 3) * 3 + k / 3]).collect();
        let mut carry = [0.0; 3];
        whiten_block(&mut rt, 3, &mut carry, &a, &c);
        for (k, v) in rt.iter().enumerate() {
            let want = if k % 4 == 0 { 1.0 } else { 0.0 };
            assert!((v - want).abs() < 1e-12, "{rt:?}");
        }
        // And log|R| is the log-determinant of R.
        let r = nalgebra::DMatrix::from_fn(3, 3, |i, j| phi.powf((t[i] - t[j]).abs()));
        assert!((occasions.logdet(phi) - r.determinant().ln()).abs() < 1e-12);
    }

    #[test]
    fn sorting_by_person_and_time() {
        assert_eq!(sort_order(&[0, 0, 1], &[1.0, 2.0, 1.0]), None);
        let order = sort_order(&[1, 0, 0, 1], &[1.0, 3.0, 2.0, 0.5]).expect("unsorted");
        assert_eq!(order, [2, 1, 3, 0]);
        let mut v = vec!['a', 'b', 'c', 'd'];
        permute(&mut v, &order);
        assert_eq!(v, ['c', 'b', 'd', 'a']);
    }

    #[test]
    fn names_and_bounds() {
        assert_eq!(
            ResidualStructure::parse("AR1"),
            Some(ResidualStructure::Ar1)
        );
        assert_eq!(
            ResidualStructure::parse("corCAR1"),
            Some(ResidualStructure::Car1)
        );
        assert_eq!(ResidualStructure::parse("arma"), None);
        assert_eq!(ResidualStructure::Car1.phi_bounds().0, 0.0);
    }
}
