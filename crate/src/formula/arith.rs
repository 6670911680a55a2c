//! R's arithmetic inside a formula: `I(expr)` with `+ - * / ^` and parentheses over columns and
//! numbers, the functions `log` (with a base), `log2`, `log10`, `log1p`, `exp`, `sqrt`, `abs`,
//! `scale` and `poly`, as syntax trees become [`Expr`]s.
//!
//! Inside `I()` and the arguments of a function the operators are arithmetic, as in R: the
//! formula algebra (`+` adds terms, `^` crosses them) stops at the call. The arguments of
//! `scale()` and `poly()` are checked here, so that evaluation only meets what it can compute;
//! `poly()` makes several columns and so stands only as a term of its own (or in an
//! interaction), never inside another expression.

use super::expr::{Argument, Arith, Expr, Function};
use super::syntax::{deparse, Kind, Node, Op};
use super::terms::Interpreter;
use super::FormulaError;

/// Highest degree `poly()` takes: beyond it the basis is numerically meaningless for any panel.
const MAX_DEGREE: f64 = 20.0;

impl Interpreter<'_> {
    /// An arithmetic expression (inside `I()`, a function's argument, or the response).
    pub(super) fn arith(&self, node: &Node) -> Result<Expr, FormulaError> {
        let operator = |op: Op| match op {
            Op::Plus => Some(Arith::Add),
            Op::Minus => Some(Arith::Subtract),
            Op::Star => Some(Arith::Multiply),
            Op::Slash => Some(Arith::Divide),
            Op::Caret => Some(Arith::Power),
            _ => None,
        };
        match &node.kind {
            Kind::Number(n) => match n.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(Expr::Number(v)),
                _ => Err(self.error(node, format!("`{n}` is not a number R would read"))),
            },
            Kind::Paren(inner) => Ok(Expr::Paren(Box::new(self.arith(inner)?))),
            Kind::Unary(op, e) => match operator(*op) {
                Some(op) => Ok(Expr::Unary(op, Box::new(self.arith(e)?))),
                None => Err(self.not_arithmetic(node, *op)),
            },
            Kind::Binary(op, l, r) => match operator(*op) {
                Some(op) => Ok(Expr::Binary(
                    op,
                    Box::new(self.arith(l)?),
                    Box::new(self.arith(r)?),
                )),
                None => Err(self.not_arithmetic(node, *op)),
            },
            Kind::Call(f, _) if f == "poly" => Err(self.error(
                node,
                "poly() makes several columns, so it can only be a term of its own \
                 (`y ~ poly(x, 2)`), not part of another expression"
                    .into(),
            )),
            Kind::Named(name, _) => Err(self.error(
                node,
                format!("`{name} = ...` names an argument, which only a function call has"),
            )),
            _ => self.expr(node),
        }
    }

    fn not_arithmetic(&self, node: &Node, op: Op) -> FormulaError {
        let text = match op {
            Op::Colon => ":",
            Op::Bar => "|",
            Op::DoubleBar => "||",
            _ => "~",
        };
        self.error(
            node,
            format!(
                "`{text}` is not arithmetic: inside I() and functions such as log() only \
                 + - * / ^ and parentheses combine columns and numbers (in `{}`)",
                deparse(node)
            ),
        )
    }

    /// `I(expr)`.
    pub(super) fn identity(&self, node: &Node, args: &[Node]) -> Result<Expr, FormulaError> {
        match args {
            [inner] if !matches!(inner.kind, Kind::Named(..)) => {
                Ok(Expr::Identity(Box::new(self.arith(inner)?)))
            }
            _ => Err(self.error(
                node,
                "I() takes one expression, e.g. `I(week^2)` or `I(week - 1)`".into(),
            )),
        }
    }

    /// `log(x)`, `scale(x, scale = FALSE)`, `poly(x, 2)`, ...: arguments matched to R's formals
    /// and checked.
    pub(super) fn function(
        &self,
        node: &Node,
        function: Function,
        args: &[Node],
    ) -> Result<Expr, FormulaError> {
        let f = function.r_name();
        let (formals, positional) = function.formals();
        let mut written: Vec<(Option<String>, &Node)> = Vec::with_capacity(args.len());
        for arg in args {
            let Kind::Named(name, value) = &arg.kind else {
                written.push((None, arg));
                continue;
            };
            if !formals.contains(&name.as_str()) {
                return Err(self.error(
                    arg,
                    format!(
                        "{f}() has no argument `{name}`: its arguments are {}",
                        formals.join(", ")
                    ),
                ));
            }
            if written.iter().any(|(n, _)| n.as_ref() == Some(name)) {
                return Err(self.error(arg, format!("`{name}` is given twice")));
            }
            written.push((Some(name.clone()), value));
        }
        // As R matches them: names first, then the unnamed in order to the free formals.
        let named: Vec<Option<String>> = written.iter().map(|(n, _)| n.clone()).collect();
        let mut free = formals[..positional]
            .iter()
            .filter(|x| named.iter().all(|n| n.as_deref() != Some(**x)));
        let mut arguments = Vec::with_capacity(written.len());
        for (name, value) in written {
            let formal = match &name {
                Some(n) => n.as_str(),
                None => *free.next().ok_or_else(|| {
                    self.error(
                        value,
                        match (positional, function) {
                            (1, _) => format!("{f}() takes one variable: `{f}(x)`"),
                            (_, Function::Poly) => format!(
                                "{f}() takes at most 2 arguments without names (x, degree); \
                                 write the others with their names, e.g. `poly(x, 2, raw = TRUE)`"
                            ),
                            _ => format!(
                                "{f}() takes at most {positional} arguments ({})",
                                formals.join(", ")
                            ),
                        },
                    )
                })?,
            };
            let value = if formal == "x" {
                self.arith(value)?
            } else {
                self.constant(value)?
            };
            arguments.push(Argument { name, value });
        }
        let Some(x) = Expr::argument(function, &arguments, "x") else {
            return Err(self.error(node, format!("{f}() needs a variable: `{f}(x)`")));
        };
        if matches!(x, Expr::Logical(..)) {
            return Err(self.error(node, format!("{f}() needs a variable, not `{}`", x.name())));
        }
        self.check_arguments(node, function, &arguments)?;
        Ok(Expr::Call(function, arguments))
    }

    /// A constant argument: a number (possibly negative) or `TRUE`/`FALSE`/`T`/`F`.
    fn constant(&self, node: &Node) -> Result<Expr, FormulaError> {
        match &node.kind {
            Kind::Name(n) if matches!(n.as_str(), "TRUE" | "FALSE" | "T" | "F") => {
                Ok(Expr::Logical(n.starts_with('T'), n.clone()))
            }
            Kind::Number(_) => self.arith(node),
            Kind::Unary(Op::Minus, e) if matches!(e.kind, Kind::Number(_)) => self.arith(node),
            _ => Err(self.error(
                node,
                format!(
                    "expected a number or TRUE/FALSE here, not `{}`",
                    deparse(node)
                ),
            )),
        }
    }

    /// What each function's extra arguments may be.
    fn check_arguments(
        &self,
        node: &Node,
        function: Function,
        arguments: &[Argument],
    ) -> Result<(), FormulaError> {
        let get = |formal| Expr::argument(function, arguments, formal);
        let fail = |message: String| Err(self.error(node, message));
        match function {
            Function::Log => match get("base") {
                None => Ok(()),
                Some(Expr::Number(b)) if *b > 0.0 && *b != 1.0 => Ok(()),
                Some(b) => fail(format!(
                    "log()'s base must be a positive number other than 1, not `{}`",
                    b.name()
                )),
            },
            Function::Scale => {
                for formal in ["center", "scale"] {
                    if let Some(Expr::Logical(..)) | None = get(formal) {
                        continue;
                    }
                    if formal == "scale" && number(get(formal)).is_some_and(|s| s == 0.0) {
                        return fail("scale() cannot divide by a scale of 0".into());
                    }
                    if number(get(formal)).is_none() {
                        return fail(format!(
                            "scale()'s {formal} must be TRUE, FALSE or a number"
                        ));
                    }
                }
                Ok(())
            }
            Function::Poly => {
                let degree = match get("degree") {
                    None => 1.0,
                    Some(d) => number(Some(d)).unwrap_or(0.0),
                };
                if !(1.0..=MAX_DEGREE).contains(&degree) || degree.fract() != 0.0 {
                    return fail(format!(
                        "poly()'s degree must be a whole number from 1 to {MAX_DEGREE}, e.g. `poly(x, 2)`"
                    ));
                }
                match get("raw") {
                    None | Some(Expr::Logical(..)) => Ok(()),
                    Some(_) => fail("poly()'s raw must be TRUE or FALSE".into()),
                }
            }
            _ => match arguments.len() {
                1 => Ok(()),
                _ => fail(format!("{}() takes one variable", function.r_name())),
            },
        }
    }
}

/// The value of a constant argument (`2`, `-1.5`), if it is a number.
pub(crate) fn constant(e: &Expr) -> Option<f64> {
    match e {
        Expr::Number(v) => Some(*v),
        Expr::Unary(Arith::Subtract, inner) => constant(inner).map(|v| -v),
        _ => None,
    }
}

fn number(e: Option<&Expr>) -> Option<f64> {
    constant(e?)
}

#[cfg(test)]
mod tests {
    use crate::formula::{parse_formula, Expr, FormulaError, ModelSpec};

    fn spec(text: &str) -> ModelSpec {
        parse_formula(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn names(text: &str) -> Vec<String> {
        spec(text).terms.iter().map(|t| t.name()).collect()
    }

    fn fails(text: &str, needle: &str) {
        match parse_formula(text) {
            Ok(s) => panic!("{text} parsed as {s:?}"),
            Err(e) => assert!(e.to_string().contains(needle), "{text}: {e}"),
        }
    }

    #[test]
    fn names_are_rs_deparse() {
        assert_eq!(names("y ~ I(Days-1)"), ["I(Days - 1)"]);
        assert_eq!(names("y ~ log(x,2)"), ["log(x, 2)"]);
        assert_eq!(names("y ~ I(Time^2.0)"), ["I(Time^2)"]);
        assert_eq!(
            names("y ~ I(x*1e-5) + I(x+1e6) + I(.5*x)"),
            ["I(x * 1e-05)", "I(x + 1e+06)", "I(0.5 * x)"]
        );
        assert_eq!(
            names("y ~ I(a/b) + I(2*-x) + I(x^-1) + I((a+b)^2)"),
            ["I(a/b)", "I(2 * -x)", "I(x^-1)", "I((a + b)^2)"]
        );
        assert_eq!(
            names("y ~ scale(x,scale=F) + poly(x,2,raw=TRUE) + log(x, base=10)"),
            [
                "scale(x, scale = F)",
                "poly(x, 2, raw = TRUE)",
                "log(x, base = 10)"
            ]
        );
        assert_eq!(
            names("y ~ within(log(wai)) + log(lead(spin) + 1) + I(within(x)^2)"),
            ["within(log(wai))", "log(lead(spin) + 1)", "I(within(x)^2)"]
        );
        // Interactions in R's order: variables by first appearance.
        assert_eq!(
            names("y ~ b + a + I(a^2) + a:b + log(b):I(a^2)"),
            ["b", "a", "I(a^2)", "b:a", "I(a^2):log(b)"]
        );
        let s = spec("log(y) ~ poly(age, 2) * sex + (I(age - 10) | id)");
        assert_eq!(s.response.name(), "log(y)");
        assert_eq!(
            s.terms[0].factors[0].column_names(),
            ["poly(age, 2)1", "poly(age, 2)2"]
        );
        assert_eq!(s.random[0].terms[0].name(), "I(age - 10)");
        assert_eq!(
            spec("y ~ poly(x, 1)").terms[0].factors[0].column_names(),
            ["poly(x, 1)"]
        );
        assert_eq!(spec("y ~ I(x^2)").text, "y ~ I(x^2)");
        assert!(matches!(
            spec("y ~ I(x - 1)").terms[0].factors[0],
            Expr::Identity(_)
        ));
    }

    #[test]
    fn a_power_of_one_variable_is_refused_crossing_stays() {
        match parse_formula("y ~ x^2 + (1 | id)") {
            Err(FormulaError::PowerOfOneVariable { position: 4, .. }) => {}
            other => panic!("{other:?}"),
        }
        fails("y ~ x^2", "for the square write `I(x^2)`");
        fails("y ~ log(x)^3", "write `I(log(x)^3)`");
        assert_eq!(names("y ~ (a + b)^2"), ["a", "b", "a:b"]);
        assert_eq!(names("y ~ x^1"), ["x"]);
    }

    #[test]
    fn bad_arithmetic_names_the_problem() {
        fails("y ~ I(a:b)", "`:` is not arithmetic");
        fails("y ~ I(x, 2)", "I() takes one expression");
        fails(
            "y ~ log(x, base = 1)",
            "base must be a positive number other than 1",
        );
        fails("y ~ log(x, x)", "expected a number or TRUE/FALSE");
        fails("y ~ scale(x, ctr = TRUE)", "scale() has no argument `ctr`");
        fails(
            "y ~ scale(x, center = 1, center = 2)",
            "`center` is given twice",
        );
        fails(
            "y ~ poly(x, 0)",
            "degree must be a whole number from 1 to 20",
        );
        fails("y ~ poly(x, 2.5)", "degree must be a whole number");
        fails("y ~ poly(x, 2, TRUE)", "at most 2 arguments without names");
        fails("y ~ poly(x, 2, raw = 1)", "raw must be TRUE or FALSE");
        fails("y ~ I(poly(x, 2))", "poly() makes several columns");
        fails("poly(y, 2) ~ x", "poly() makes several columns");
        fails("y ~ sqrt(x, 2)", "sqrt() takes one variable: `sqrt(x)`");
        fails(
            "y ~ log(x, 2, 3)",
            "log() takes at most 2 arguments (x, base)",
        );
        fails("y ~ exp()", "exp() needs a variable");
        fails("y ~ within(x = 1)", "within() takes one variable");
        fails("y ~ Log(x)", "unknown function `Log` (did you mean `log`?)");
        fails("y ~ sqr(x)", "(did you mean `sqrt`?)");
    }
}
