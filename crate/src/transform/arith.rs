//! R's arithmetic on variables: `I()` with `+ - * / ^`, `log` (natural or with a base), `log2`,
//! `log10`, `log1p`, `exp`, `sqrt`, `abs`, elementwise on every row of the frame.
//!
//! A missing value stays missing. A value the function cannot take (the log of 0 or of a
//! negative number, the square root of a negative number, a division by zero, a result too
//! large for a double) is an error naming the expression, the number of rows and the first
//! line: R would give NaN or Inf with at most a warning, and lme4 would then drop those rows
//! without saying so (NaN) or stop with an obscure message (Inf), so the model would be fitted
//! to other rows than the researcher thinks.

use super::{evaluate, scale::scale, TransformError, Variable};
use crate::formula::{Arith, Expr, Function};
use crate::frame::{Column, Frame, Panel};
use std::borrow::Cow;

/// An operand: a number written in the formula, or one value per frame row (a plain column
/// is read where it lies in the frame: at a million rows a copy is 8 MB for nothing).
enum Values<'f> {
    Constant(f64),
    Rows(Cow<'f, [f64]>),
}

impl<'f> Values<'f> {
    fn into_rows(self, n: usize) -> Cow<'f, [f64]> {
        match self {
            Values::Rows(values) => values,
            Values::Constant(v) => Cow::Owned(vec![v; n]),
        }
    }

    fn at(&self, row: usize) -> f64 {
        match self {
            Values::Constant(v) => *v,
            Values::Rows(values) => values.get(row).copied().unwrap_or(f64::NAN),
        }
    }
}

/// The values of an arithmetic expression (or a call such as `log(x)`) on every row.
///
/// Errors: a text variable in arithmetic, and the domain errors of the module docs.
pub(super) fn arithmetic<'f>(
    expr: &Expr,
    frame: &'f Frame,
    panel: &Panel,
) -> Result<Cow<'f, [f64]>, TransformError> {
    Ok(values(expr, expr, frame, panel)?.into_rows(frame.nrows()))
}

/// `expr`'s values; `context` is the whole arithmetic expression (named when `expr` is text).
fn values<'f>(
    expr: &Expr,
    context: &Expr,
    frame: &'f Frame,
    panel: &Panel,
) -> Result<Values<'f>, TransformError> {
    let map = |inner: &Expr, f: &dyn Fn(f64) -> f64| -> Result<Values<'f>, TransformError> {
        let x = values(inner, context, frame, panel)?;
        let out = match &x {
            Values::Constant(v) => Values::Constant(f(*v)),
            Values::Rows(v) => Values::Rows(v.iter().map(|&v| f(v)).collect()),
        };
        check_domain(expr, &[(inner, &x)], &out, frame)?;
        Ok(out)
    };
    match expr {
        Expr::Number(v) => Ok(Values::Constant(*v)),
        Expr::Paren(inner) | Expr::Identity(inner) | Expr::Unary(Arith::Add, inner) => {
            values(inner, context, frame, panel)
        }
        Expr::Unary(_, inner) => map(inner, &|v| -v),
        Expr::Binary(op, l, r) => {
            let (left, right) = (&**l, &**r);
            let l = values(left, context, frame, panel)?;
            let r = values(right, context, frame, panel)?;
            let apply = |a: f64, b: f64| match op {
                Arith::Add => a + b,
                Arith::Subtract => a - b,
                Arith::Multiply => a * b,
                Arith::Divide => a / b,
                Arith::Power => power(a, b),
            };
            let out = match (&l, &r) {
                (Values::Constant(a), Values::Constant(b)) => Values::Constant(apply(*a, *b)),
                _ => Values::Rows(
                    (0..frame.nrows())
                        .map(|i| apply(l.at(i), r.at(i)))
                        .collect(),
                ),
            };
            check_domain(expr, &[(left, &l), (right, &r)], &out, frame)?;
            Ok(out)
        }
        Expr::Call(Function::Scale, args) => {
            let x = Expr::argument(Function::Scale, args, "x").unwrap_or(expr);
            let x = values(x, context, frame, panel)?.into_rows(frame.nrows());
            Ok(Values::Rows(Cow::Owned(scale(
                expr,
                args,
                x.into_owned(),
                frame,
            )?)))
        }
        Expr::Call(function, args) => {
            let x = Expr::argument(*function, args, "x").unwrap_or(expr);
            let base = match Expr::argument(*function, args, "base") {
                Some(Expr::Number(b)) => Some(libm::log(*b)),
                _ => None,
            };
            // libm's functions, not the platform's (glibc natively, another port in wasm),
            // whose last bits differ: the browser and the CLI must give the same numbers.
            let f: &dyn Fn(f64) -> f64 = match function {
                Function::Log => &|v: f64| match base {
                    Some(b) => libm::log(v) / b,
                    None => libm::log(v),
                },
                Function::Log2 => &libm::log2,
                Function::Log10 => &libm::log10,
                Function::Log1p => &libm::log1p,
                Function::Exp => &libm::exp,
                Function::Sqrt => &f64::sqrt,
                _ => &f64::abs,
            };
            map(x, f)
        }
        _ => {
            if let Expr::Column(name) = expr {
                if let Some(Column::Numeric(values)) = frame.column(name) {
                    return Ok(Values::Rows(Cow::Borrowed(values)));
                }
            }
            match evaluate(expr, frame, panel)? {
                Variable::Numeric(values) => Ok(Values::Rows(Cow::Owned(values))),
                Variable::Factor { .. } => Err(TransformError::NotNumeric {
                    function: context.name(),
                    argument: expr.name(),
                }),
            }
        }
    }
}

/// `a^b` as R computes it (a square as a product), with libm's pow: `1^b` and `a^0` are 1
/// even for a missing operand, as in R.
fn power(a: f64, b: f64) -> f64 {
    if b == 2.0 {
        a * a
    } else {
        libm::pow(a, b)
    }
}

/// Errors when a row with every operand present has a result that is not a finite number.
fn check_domain(
    expr: &Expr,
    operands: &[(&Expr, &Values)],
    out: &Values,
    frame: &Frame,
) -> Result<(), TransformError> {
    let bad = |row: usize| {
        let result = out.at(row);
        !result.is_finite() && operands.iter().all(|(_, o)| !o.at(row).is_nan())
    };
    let rows = match out {
        Values::Constant(_) => usize::from(bad(0)) * frame.nrows().max(1),
        Values::Rows(values) => (0..values.len()).filter(|&r| bad(r)).count(),
    };
    if rows == 0 {
        return Ok(());
    }
    let first = (0..frame.nrows()).find(|&r| bad(r)).unwrap_or(0);
    let inputs: Vec<f64> = operands.iter().map(|(_, o)| o.at(first)).collect();
    // The operands that vary by row, with their values there: `x = 0`.
    let shown: Vec<String> = operands
        .iter()
        .filter(|(e, _)| !matches!(e, Expr::Number(_)))
        .map(|(e, o)| format!("{} = {}", e.name(), super::r_number(o.at(first))))
        .collect();
    Err(TransformError::Domain {
        expression: expr.name(),
        term: expr.name(),
        problem: problem(expr, &inputs),
        rows,
        line: frame.row_lines.get(first).unwrap_or(0),
        value: shown.join(" and "),
    })
}

/// What went wrong, in words, for the operands of the first bad row.
fn problem(expr: &Expr, inputs: &[f64]) -> String {
    let too_large = "the result is too large to be a number (above 1.8e308)".to_string();
    match (expr, inputs) {
        (Expr::Call(Function::Log | Function::Log2 | Function::Log10, _), [x]) if *x <= 0.0 => {
            "the logarithm is defined only for numbers above 0".into()
        }
        (Expr::Call(Function::Log1p, _), [x]) if *x <= -1.0 => {
            "log1p(x) = log(1 + x) is defined only for x above -1".into()
        }
        (Expr::Call(Function::Sqrt, _), [x]) if *x < 0.0 => {
            "the square root is defined only for numbers at or above 0".into()
        }
        (Expr::Binary(Arith::Divide, ..), [_, b]) if *b == 0.0 => "a division by zero".into(),
        (Expr::Binary(Arith::Power, ..), [a, b]) if *a < 0.0 && b.fract() != 0.0 => {
            "a negative number to a fractional power is not a real number".into()
        }
        (Expr::Binary(Arith::Power, ..), [a, b]) if *a == 0.0 && *b < 0.0 => {
            "0 to a negative power is a division by zero".into()
        }
        _ => too_large,
    }
}
