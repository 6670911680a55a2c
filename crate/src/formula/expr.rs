//! Variable expressions: a column, panel functions of one, and R's arithmetic (`I(week^2)`,
//! `log(x, 2)`, `scale(x)`, `poly(x, 2)`), with their names as R deparses them.
//!
//! lme4 names a coefficient by R's `deparse()` of the expression, not by what the user typed:
//! `I(Days-1)` prints `I(Days - 1)`, `log(x,2)` prints `log(x, 2)`, `I(Time^2.0)` prints
//! `I(Time^2)`. [`Expr::name`] follows deparse's rules: spaces around `+`, `-` and `*` (and `=`
//! of a named argument), none around `/` and `^`, parentheses as written, numbers with 15
//! significant digits in fixed or scientific notation whichever is narrower (`1e-05`, `1e+06`).

use crate::transform::r_number;

/// A function of R's arithmetic that lagmix evaluates (beyond the panel functions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// `log(x)` natural, `log(x, base)`.
    Log,
    /// `log2(x)`.
    Log2,
    /// `log10(x)`.
    Log10,
    /// `log1p(x)` = log(1 + x), accurate for small x.
    Log1p,
    /// `exp(x)`.
    Exp,
    /// `sqrt(x)`.
    Sqrt,
    /// `abs(x)`.
    Abs,
    /// `scale(x, center = TRUE, scale = TRUE)`: z-scores over every observed x.
    Scale,
    /// `poly(x, degree, raw = FALSE)`: R's orthogonal (or raw) polynomial basis, one column per
    /// degree.
    Poly,
}

impl Function {
    /// Every function, for looking one up by its R name.
    pub const ALL: [Function; 9] = [
        Function::Log,
        Function::Log2,
        Function::Log10,
        Function::Log1p,
        Function::Exp,
        Function::Sqrt,
        Function::Abs,
        Function::Scale,
        Function::Poly,
    ];

    /// The function's R name.
    pub fn r_name(self) -> &'static str {
        match self {
            Function::Log => "log",
            Function::Log2 => "log2",
            Function::Log10 => "log10",
            Function::Log1p => "log1p",
            Function::Exp => "exp",
            Function::Sqrt => "sqrt",
            Function::Abs => "abs",
            Function::Scale => "scale",
            Function::Poly => "poly",
        }
    }

    /// The function called `name` in R, if lagmix knows it.
    pub fn from_r_name(name: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.r_name() == name)
    }

    /// R's formal arguments, in order, and how many may be given by position (poly's `raw`
    /// follows R's `...`, so R only takes it by name).
    pub fn formals(self) -> (&'static [&'static str], usize) {
        match self {
            Function::Log => (&["x", "base"], 2),
            Function::Scale => (&["x", "center", "scale"], 3),
            Function::Poly => (&["x", "degree", "raw"], 2),
            _ => (&["x"], 1),
        }
    }
}

/// An arithmetic operator, as inside `I()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arith {
    /// `+`
    Add,
    /// `-`
    Subtract,
    /// `*`
    Multiply,
    /// `/`
    Divide,
    /// `^`
    Power,
}

impl Arith {
    /// The operator as R deparses it, with its spacing.
    fn spaced(self) -> &'static str {
        match self {
            Arith::Add => " + ",
            Arith::Subtract => " - ",
            Arith::Multiply => " * ",
            Arith::Divide => "/",
            Arith::Power => "^",
        }
    }
}

/// One argument of a call as written: `2` or `base = 2`.
#[derive(Debug, Clone, PartialEq)]
pub struct Argument {
    /// The argument's name when given as `name = value`.
    pub name: Option<String>,
    /// The value.
    pub value: Expr,
}

/// A variable expression: a column, possibly wrapped in panel functions and arithmetic.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A column of the data, by name.
    Column(String),
    /// x minus the person's mean of all observed x.
    Within(Box<Expr>),
    /// The person's mean of all observed x.
    Between(Box<Expr>),
    /// x minus the grand mean of all observed x.
    Center(Box<Expr>),
    /// The same person's value at time t - k.
    Lag(Box<Expr>, u32),
    /// The same person's value at time t + k.
    Lead(Box<Expr>, u32),
    /// A numeric or text column treated as a factor.
    Factor(Box<Expr>),
    /// A number in arithmetic (`1` in `I(week - 1)`).
    Number(f64),
    /// `TRUE`/`FALSE` (or `T`/`F`) as written, an argument of `scale()` or `poly()`.
    Logical(bool, String),
    /// Parentheses inside arithmetic, kept because R's names keep them: `I((a + b)^2)`.
    Paren(Box<Expr>),
    /// `-x` (or `+x`).
    Unary(Arith, Box<Expr>),
    /// `a + b`, `a - b`, `a * b`, `a/b`, `a^b`.
    Binary(Arith, Box<Expr>, Box<Expr>),
    /// `I(expr)`: the arithmetic inside, protected from formula algebra.
    Identity(Box<Expr>),
    /// `log(x)`, `scale(x, scale = FALSE)`, `poly(x, 2)`: the arguments as written.
    Call(Function, Vec<Argument>),
}

impl Expr {
    /// The name lme4 gives the variable (R's deparse): `lag(within(spin))`, `lag(x, 2)`,
    /// `I(week - 1)`, `log(x, 2)`, `poly(x, 2)` (whose columns add the degree, `poly(x, 2)1`).
    pub fn name(&self) -> String {
        match self {
            Expr::Column(c) => c.clone(),
            Expr::Within(e) => format!("within({})", e.name()),
            Expr::Between(e) => format!("between({})", e.name()),
            Expr::Center(e) => format!("center({})", e.name()),
            Expr::Lag(e, 1) => format!("lag({})", e.name()),
            Expr::Lag(e, k) => format!("lag({}, {k})", e.name()),
            Expr::Lead(e, 1) => format!("lead({})", e.name()),
            Expr::Lead(e, k) => format!("lead({}, {k})", e.name()),
            Expr::Factor(e) => format!("factor({})", e.name()),
            Expr::Number(v) => r_number(*v),
            Expr::Logical(_, text) => text.clone(),
            Expr::Paren(e) => format!("({})", e.name()),
            Expr::Unary(op, e) => format!("{}{}", op.spaced().trim(), e.name()),
            Expr::Binary(op, l, r) => format!("{}{}{}", l.name(), op.spaced(), r.name()),
            Expr::Identity(e) => format!("I({})", e.name()),
            Expr::Call(f, args) => {
                let args: Vec<String> = args
                    .iter()
                    .map(|a| match &a.name {
                        Some(n) => format!("{n} = {}", a.value.name()),
                        None => a.value.name(),
                    })
                    .collect();
                format!("{}({})", f.r_name(), args.join(", "))
            }
        }
    }

    /// The expressions this one is computed from (its arguments).
    pub fn children(&self) -> Vec<&Expr> {
        match self {
            Expr::Column(_) | Expr::Number(_) | Expr::Logical(..) => Vec::new(),
            Expr::Within(e)
            | Expr::Between(e)
            | Expr::Center(e)
            | Expr::Lag(e, _)
            | Expr::Lead(e, _)
            | Expr::Factor(e)
            | Expr::Paren(e)
            | Expr::Unary(_, e)
            | Expr::Identity(e) => vec![e],
            Expr::Binary(_, l, r) => vec![l, r],
            Expr::Call(_, args) => args.iter().map(|a| &a.value).collect(),
        }
    }

    /// True when `lag`/`lead` occurs in the expression (they need the time column).
    pub fn shifts(&self) -> bool {
        matches!(self, Expr::Lag(..) | Expr::Lead(..)) || self.children().iter().any(|e| e.shifts())
    }

    /// True when a panel function that needs the person column occurs in the expression.
    pub fn needs_person(&self) -> bool {
        matches!(self, Expr::Within(_) | Expr::Between(_))
            || self.shifts()
            || self.children().iter().any(|e| e.needs_person())
    }

    /// The argument of call `args` matched to `formal` as R matches them: by exact name first,
    /// then the unnamed ones in order to the formals not named. None when not given.
    pub fn argument<'a>(
        function: Function,
        args: &'a [Argument],
        formal: &str,
    ) -> Option<&'a Expr> {
        let (formals, _) = function.formals();
        if let Some(named) = args.iter().find(|a| a.name.as_deref() == Some(formal)) {
            return Some(&named.value);
        }
        let mut unnamed = args.iter().filter(|a| a.name.is_none());
        for f in formals {
            if args.iter().any(|a| a.name.as_deref() == Some(*f)) {
                continue;
            }
            let next = unnamed.next();
            if *f == formal {
                return next.map(|a| &a.value);
            }
        }
        None
    }

    /// For `poly(x, k)`: the number of columns, k (it names them `poly(x, k)1` .. `k`).
    pub fn columns(&self) -> usize {
        match self {
            Expr::Call(Function::Poly, args) => {
                match Expr::argument(Function::Poly, args, "degree") {
                    Some(Expr::Number(k)) => *k as usize,
                    _ => 1,
                }
            }
            _ => 1,
        }
    }

    /// The names of the variable's model-matrix columns: `[name]`, or for `poly(x, 2)` the
    /// names R gives the basis, `poly(x, 2)1` and `poly(x, 2)2` (a single column, as
    /// `poly(x, 1)`, keeps the plain name, as `model.matrix` gives it).
    pub fn column_names(&self) -> Vec<String> {
        let name = self.name();
        match self {
            Expr::Call(Function::Poly, _) if self.columns() > 1 => {
                (1..=self.columns()).map(|j| format!("{name}{j}")).collect()
            }
            _ => vec![name],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(n: &str) -> Box<Expr> {
        Box::new(Expr::Column(n.into()))
    }

    #[test]
    fn arithmetic_is_named_as_r_deparses_it() {
        let minus = Expr::Identity(Box::new(Expr::Binary(
            Arith::Subtract,
            col("Days"),
            Box::new(Expr::Number(1.0)),
        )));
        assert_eq!(minus.name(), "I(Days - 1)");
        let ratio = Expr::Binary(Arith::Divide, col("a"), Box::new(Expr::Number(1e-5)));
        assert_eq!(ratio.name(), "a/1e-05");
        let power = Expr::Binary(Arith::Power, col("t"), Box::new(Expr::Number(2.0)));
        assert_eq!(power.name(), "t^2");
        let neg = Expr::Unary(Arith::Subtract, col("x"));
        assert_eq!(neg.name(), "-x");
        let log = Expr::Call(
            Function::Log,
            vec![
                Argument {
                    name: None,
                    value: Expr::Column("x".into()),
                },
                Argument {
                    name: Some("base".into()),
                    value: Expr::Number(2.0),
                },
            ],
        );
        assert_eq!(log.name(), "log(x, base = 2)");
    }

    #[test]
    fn arguments_match_as_in_r() {
        let arg = |name: Option<&str>, v: f64| Argument {
            name: name.map(str::to_string),
            value: Expr::Number(v),
        };
        let args = vec![arg(None, 1.0), arg(Some("x"), 0.0), arg(None, 2.0)];
        // x named, so the unnamed go to center and scale.
        assert_eq!(
            Expr::argument(Function::Scale, &args, "center"),
            Some(&Expr::Number(1.0))
        );
        assert_eq!(
            Expr::argument(Function::Scale, &args, "scale"),
            Some(&Expr::Number(2.0))
        );
        assert_eq!(Expr::argument(Function::Log, &args[..1], "base"), None);
    }
}
