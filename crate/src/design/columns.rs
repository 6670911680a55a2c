//! Model-matrix columns for a list of terms, coded and named as R's `model.matrix` does.
//!
//! A numeric variable is one column. A factor is coded by treatment contrasts (one indicator per
//! level but the first) when the term without it is already spanned by an earlier term (or is
//! the intercept); otherwise by indicators for every level. This is R's rule (Chambers & Hastie
//! 1992, "Statistical Models in S", section 2.4.1): `~ a + a:f` codes f by contrasts, `~ x:f`
//! (no main effect of f, no `x`) by indicators for all levels. Without an intercept the first
//! factor of the first term that has one gets all its levels, so `~ 0 + f` estimates one mean
//! per level. Interaction columns are products, the first factor varying fastest.

use super::matrix::{ColumnSums, ModelData, ModelMatrix, Part, UsedVariable};
use super::DesignError;
use crate::formula::{Expr, Term};

/// How one variable of one term enters the model matrix.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Coding {
    Numeric,
    Contrasts,
    Indicators,
}

/// The columns (name, product of variables) of `intercept` + `terms`, in R's order.
///
/// `lookup` gives each variable (by expression name) over the used rows, with its index in the
/// [`ModelData`]. Errors: a factor with a single level among the used rows (it has no contrast
/// to estimate).
pub(crate) fn model_columns<'v>(
    intercept: bool,
    terms: &[Term],
    lookup: &dyn Fn(&str) -> Option<(usize, &'v UsedVariable)>,
) -> Result<ModelMatrix, DesignError> {
    let term_names: Vec<Vec<String>> = terms
        .iter()
        .map(|t| t.factors.iter().map(|e| e.name()).collect())
        .collect();
    let mut columns = ModelMatrix::default();
    if intercept {
        columns.push("(Intercept)".to_string(), Vec::new());
    }
    let mut full_coding_pending = !intercept;
    for (i, names) in term_names.iter().enumerate() {
        let mut parts: Vec<(String, Vec<Part>)> = Vec::new();
        for (j, name) in names.iter().enumerate() {
            // A poly(x, k)'s columns are looked up by their own names (`poly(x, 2)1`).
            let first = terms[i].factors.get(j).map(Expr::column_names);
            let key = first.as_ref().and_then(|c| c.first()).unwrap_or(name);
            let (index, variable) = lookup(key).ok_or_else(|| DesignError::Internal {
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
            let component = match terms[i].factors.get(j).map(Expr::column_names) {
                // poly(x, k): k numeric columns, each its own variable.
                Some(basis) if basis.len() > 1 => basis
                    .into_iter()
                    .map(|column| {
                        let (index, _) = lookup(&column).ok_or_else(|| DesignError::Internal {
                            message: format!("variable `{column}` was not evaluated"),
                        })?;
                        Ok((column, Part::Numeric(index)))
                    })
                    .collect::<Result<Vec<_>, DesignError>>()?,
                _ => component_columns(name, index, variable, coding)?,
            };
            if j == 0 {
                parts = component
                    .into_iter()
                    .map(|(name, part)| (name, vec![part]))
                    .collect();
                continue;
            }
            let mut next = Vec::with_capacity(parts.len() * component.len());
            // Later factors vary slowest: the outer loop runs over the new component.
            for (c_name, c_part) in &component {
                for (p_name, p_parts) in &parts {
                    let mut product = p_parts.clone();
                    product.push(*c_part);
                    next.push((format!("{p_name}:{c_name}"), product));
                }
            }
            parts = next;
        }
        for (name, product) in parts {
            columns.push_in_term(name, product, i + 1);
        }
    }
    Ok(columns)
}

fn component_columns(
    name: &str,
    index: usize,
    variable: &UsedVariable,
    coding: Coding,
) -> Result<Vec<(String, Part)>, DesignError> {
    match variable {
        UsedVariable::Numeric(_) => Ok(vec![(name.to_string(), Part::Numeric(index))]),
        UsedVariable::Factor { levels, .. } => {
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
                    let level = u32::try_from(l).unwrap_or(u32::MAX);
                    let part = Part::Indicator {
                        variable: index,
                        level,
                    };
                    (format!("{name}{label}"), part)
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
pub(crate) fn aliased_columns(columns: &ModelMatrix, data: &ModelData) -> Vec<usize> {
    const TOLERANCE: f64 = 1e-7;
    let p = columns.ncols();
    let ColumnSums { sums, all_ones, .. } = columns.column_sums(data);
    let has_intercept = all_ones.iter().any(|&ones| ones);
    let n = data.nrows() as f64;
    let means: Vec<f64> = (0..p)
        .map(|j| {
            if has_intercept && !all_ones[j] && n > 0.0 {
                sums[j] / n
            } else {
                0.0
            }
        })
        .collect();
    // Cross-products of the (centred) columns, and each raw column's squared length.
    let mut cross = vec![0.0; p * p];
    let mut row = vec![0.0; p];
    columns.for_each_block(data, |len, block| {
        for i in 0..len {
            for (j, value) in row.iter_mut().enumerate() {
                *value = block[j * len + i] - means[j];
            }
            for j in 0..p {
                for k in 0..=j {
                    cross[j * p + k] += row[j] * row[k];
                }
            }
        }
    });
    for j in 0..p {
        for k in 0..j {
            cross[k * p + j] = cross[j * p + k];
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
            "f" => Some((0, &f)),
            "x" => Some((1, &x)),
            _ => None,
        };
        model_columns(intercept, terms, &lookup)
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
        let data = ModelData::new(
            4,
            [
                [1.0, 2.0, 3.0, 4.0],
                [0.0, 0.0, 0.0, 0.0],
                [3.0, 5.0, 7.0, 9.0], // 1 + 2x
            ]
            .iter()
            .map(|v| UsedVariable::Numeric(v.to_vec()))
            .collect(),
        );
        let mut cols = ModelMatrix::default();
        cols.push("c0".into(), vec![]);
        for j in 0..3 {
            cols.push(format!("c{}", j + 1), vec![Part::Numeric(j)]);
        }
        cols.push("c4".into(), vec![Part::Numeric(0), Part::Numeric(0)]);
        assert_eq!(aliased_columns(&cols, &data), vec![2, 3]);
        cols.remove(&[2, 3]);
        assert_eq!(cols.names, ["c0", "c1", "c4"]);
        assert_eq!(cols.column(&data, 2), [1.0, 4.0, 9.0, 16.0]);
    }
}
