//! Model-matrix columns for a list of terms, coded and named as R's `model.matrix` does.
//!
//! A numeric variable is one column. A factor is coded by treatment contrasts (one indicator per
//! level but the first) when the term without it is already spanned by an earlier term (or is
//! the intercept); otherwise by indicators for every level. This is R's rule (Chambers & Hastie
//! 1992, "Statistical Models in S", section 2.4.1): `~ a + a:f` codes f by contrasts, `~ x:f`
//! (no main effect of f, no `x`) by indicators for all levels. Without an intercept the first
//! factor of the first term that has one gets all its levels, so `~ 0 + f` estimates one mean
//! per level. Interaction columns are products, the first factor varying fastest.

use super::DesignError;
use crate::formula::Term;

/// A model variable over the used rows, factors reduced to the levels that occur in them.
#[derive(Debug, Clone)]
pub(crate) enum UsedVariable {
    Numeric(Vec<f64>),
    Factor {
        codes: Vec<usize>,
        levels: Vec<String>,
    },
}

/// Named model-matrix columns over the used rows, stored column-major in one buffer (so that
/// X is never held twice: at a million rows each column is 8 MB).
#[derive(Debug, Clone, Default)]
pub(crate) struct Columns {
    pub names: Vec<String>,
    /// Column j is `values[j * n..(j + 1) * n]`.
    pub values: Vec<f64>,
    pub n: usize,
}

impl Columns {
    /// Column `j`.
    pub fn column(&self, j: usize) -> &[f64] {
        &self.values[j * self.n..(j + 1) * self.n]
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    fn push(&mut self, name: String, values: &[f64]) {
        self.names.push(name);
        // Exactly one column more, not double: X is the largest thing the design holds.
        self.values.reserve_exact(values.len());
        self.values.extend_from_slice(values);
    }

    /// Removes the columns at `indices` (ascending), moving the others down in place.
    pub fn remove(&mut self, indices: &[usize]) {
        let n = self.n;
        let mut kept = 0;
        for j in 0..self.names.len() {
            if indices.contains(&j) {
                continue;
            }
            if kept != j {
                self.values.copy_within(j * n..(j + 1) * n, kept * n);
                self.names.swap(kept, j);
            }
            kept += 1;
        }
        self.names.truncate(kept);
        self.values.truncate(kept * n);
    }
}

/// How one variable of one term enters the model matrix.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Coding {
    Numeric,
    Contrasts,
    Indicators,
}

/// The columns (name, values over the used rows) of `intercept` + `terms`, in R's order.
///
/// `lookup` gives each variable (by expression name) over the used rows. Errors: a factor with a
/// single level among the used rows (it has no contrast to estimate).
pub(crate) fn model_columns<'v>(
    intercept: bool,
    terms: &[Term],
    n: usize,
    lookup: &dyn Fn(&str) -> Option<&'v UsedVariable>,
) -> Result<Columns, DesignError> {
    let term_names: Vec<Vec<String>> = terms
        .iter()
        .map(|t| t.factors.iter().map(|e| e.name()).collect())
        .collect();
    let mut columns = Columns {
        n,
        ..Columns::default()
    };
    if intercept {
        columns.push("(Intercept)".to_string(), &vec![1.0; n]);
    }
    let mut full_coding_pending = !intercept;
    for (i, names) in term_names.iter().enumerate() {
        let mut parts: Vec<(String, Vec<f64>)> = Vec::new();
        for (j, name) in names.iter().enumerate() {
            let variable = lookup(name).ok_or_else(|| DesignError::Internal {
                message: format!("variable `{name}` was not evaluated"),
            })?;
            let coding = match variable {
                UsedVariable::Numeric(_) => Coding::Numeric,
                UsedVariable::Factor { .. } if full_coding_pending => {
                    full_coding_pending = false;
                    Coding::Indicators
                }
                UsedVariable::Factor { .. } => {
                    let rest: Vec<&String> = names.iter().filter(|m| *m != name).collect();
                    let spanned = rest.is_empty()
                        || term_names[..i]
                            .iter()
                            .any(|earlier| rest.iter().all(|r| earlier.contains(r)));
                    if spanned {
                        Coding::Contrasts
                    } else {
                        Coding::Indicators
                    }
                }
            };
            let component = component_columns(name, variable, coding)?;
            if j == 0 {
                parts = component;
                continue;
            }
            let mut next = Vec::with_capacity(parts.len() * component.len());
            // Later factors vary slowest: the outer loop runs over the new component.
            for (c_name, c_values) in &component {
                for (p_name, p_values) in &parts {
                    let label = format!("{p_name}:{c_name}");
                    let values = p_values.iter().zip(c_values).map(|(a, b)| a * b).collect();
                    next.push((label, values));
                }
            }
            parts = next;
        }
        for (name, values) in parts {
            columns.push(name, &values);
        }
    }
    Ok(columns)
}

fn component_columns(
    name: &str,
    variable: &UsedVariable,
    coding: Coding,
) -> Result<Vec<(String, Vec<f64>)>, DesignError> {
    match variable {
        UsedVariable::Numeric(values) => Ok(vec![(name.to_string(), values.clone())]),
        UsedVariable::Factor { codes, levels } => {
            if levels.len() < 2 {
                return Err(DesignError::SingleLevel {
                    variable: name.to_string(),
                    level: levels.first().cloned().unwrap_or_default(),
                });
            }
            let first = usize::from(coding == Coding::Contrasts);
            Ok(levels
                .iter()
                .enumerate()
                .skip(first)
                .map(|(l, label)| {
                    let values = codes.iter().map(|&c| f64::from(u8::from(c == l))).collect();
                    (format!("{name}{label}"), values)
                })
                .collect())
        }
    }
}

/// Indices of columns that are (numerically) linear combinations of earlier ones, as R's
/// `qr(X, tol = 1e-7)` finds them for lme4: a column is aliased when what remains of it after
/// projecting out the earlier kept columns is shorter than 1e-7 of its length.
///
/// The projections are read off a Cholesky factorisation of the columns' cross-products, in
/// column order, so no copy of X is needed. When there is an all-ones column, the others are
/// centred first: projecting out the intercept is exactly centring, and it keeps values such
/// as 1e9 + small spread from cancelling in the cross-products.
pub(crate) fn aliased_columns(columns: &Columns) -> Vec<usize> {
    const TOLERANCE: f64 = 1e-7;
    let p = columns.len();
    let n = columns.n as f64;
    let has_intercept = (0..p).any(|j| columns.column(j).iter().all(|&x| x == 1.0));
    let means: Vec<f64> = (0..p)
        .map(|j| columns.column(j))
        .map(|v| {
            let constant_one = v.iter().all(|&x| x == 1.0);
            if has_intercept && !constant_one && n > 0.0 {
                v.iter().sum::<f64>() / n
            } else {
                0.0
            }
        })
        .collect();
    // Cross-products of the (centred) columns, and each raw column's squared length.
    let mut cross = vec![0.0; p * p];
    for j in 0..p {
        for k in 0..=j {
            let (vj, vk) = (columns.column(j), columns.column(k));
            let s: f64 = vj
                .iter()
                .zip(vk)
                .map(|(a, b)| (a - means[j]) * (b - means[k]))
                .sum();
            cross[j * p + k] = s;
            cross[k * p + j] = s;
        }
    }
    let raw_length2: Vec<f64> = (0..p)
        .map(|j| cross[j * p + j] + n * means[j] * means[j])
        .collect();
    // Column-order Cholesky over the kept columns; l[j][k] for kept k.
    let mut l = vec![0.0; p * p];
    let mut kept: Vec<usize> = Vec::new();
    let mut aliased = Vec::new();
    for j in 0..p {
        for &k in &kept {
            let s: f64 = kept
                .iter()
                .take_while(|&&m| m < k)
                .map(|&m| l[j * p + m] * l[k * p + m])
                .sum();
            l[j * p + k] = (cross[j * p + k] - s) / l[k * p + k];
        }
        let remaining2 = cross[j * p + j]
            - kept
                .iter()
                .map(|&m| l[j * p + m] * l[j * p + m])
                .sum::<f64>();
        let remaining = remaining2.max(0.0).sqrt();
        if raw_length2[j] == 0.0 || remaining < TOLERANCE * raw_length2[j].sqrt() {
            aliased.push(j);
        } else {
            l[j * p + j] = remaining;
            kept.push(j);
        }
    }
    aliased
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::Expr;

    fn term(names: &[&str]) -> Term {
        Term {
            factors: names.iter().map(|n| Expr::Column(n.to_string())).collect(),
        }
    }

    /// f: a a b c (levels a, b, c); x: 1 2 3 4.
    fn names_of(intercept: bool, terms: &[Term]) -> Vec<String> {
        let f = UsedVariable::Factor {
            codes: vec![0, 0, 1, 2],
            levels: vec!["a".into(), "b".into(), "c".into()],
        };
        let x = UsedVariable::Numeric(vec![1.0, 2.0, 3.0, 4.0]);
        let lookup = |name: &str| match name {
            "f" => Some(&f),
            "x" => Some(&x),
            _ => None,
        };
        model_columns(intercept, terms, 4, &lookup)
            .unwrap_or_else(|e| panic!("{e}"))
            .names
    }

    #[test]
    fn r_coding_rule() {
        assert_eq!(names_of(true, &[term(&["f"])]), ["(Intercept)", "fb", "fc"]);
        assert_eq!(names_of(false, &[term(&["f"])]), ["fa", "fb", "fc"]);
        assert_eq!(
            names_of(true, &[term(&["x"]), term(&["x", "f"])]),
            ["(Intercept)", "x", "x:fb", "x:fc"]
        );
        // no main effect of x: f inside x:f gets all its levels
        assert_eq!(
            names_of(true, &[term(&["f", "x"])]),
            ["(Intercept)", "fa:x", "fb:x", "fc:x"]
        );
        assert_eq!(
            names_of(false, &[term(&["x"]), term(&["f"])]),
            ["x", "fa", "fb", "fc"]
        );
    }

    #[test]
    fn aliased_columns_are_the_later_ones() {
        let mut cols = Columns {
            n: 4,
            ..Columns::default()
        };
        for (j, v) in [
            [1.0, 1.0, 1.0, 1.0],
            [1.0, 2.0, 3.0, 4.0],
            [0.0, 0.0, 0.0, 0.0],
            [3.0, 5.0, 7.0, 9.0], // 1 + 2x
            [1.0, 4.0, 9.0, 16.0],
        ]
        .iter()
        .enumerate()
        {
            cols.push(format!("c{j}"), v);
        }
        assert_eq!(aliased_columns(&cols), vec![2, 3]);
        cols.remove(&[2, 3]);
        assert_eq!(cols.names, ["c0", "c1", "c4"]);
        assert_eq!(cols.column(2), [1.0, 4.0, 9.0, 16.0]);
    }
}
