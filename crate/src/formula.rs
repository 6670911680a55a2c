//! lme4 formula text -> [`ModelSpec`]: response, fixed terms, random-effects terms.
//!
//! Parsing is two steps: `syntax` turns the text into R's expression tree (and back into the
//! normalized text shown in results), `terms` gives the tree its model meaning with R's formula
//! algebra and lme4's random-term expansion. Column names are not checked here: that needs the
//! data and happens in [`crate::design`].

mod arith;
mod errors;
mod expr;
mod lex;
mod syntax;
mod terms;

pub(crate) use arith::constant;
pub use errors::FormulaError;
pub use expr::{Argument, Arith, Expr, Function};

use syntax::{Kind, Node, Op};

/// A model term: one expression, or an interaction (`a:b`) of several.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The variables multiplied in this term, in order of first appearance in the formula.
    pub factors: Vec<Expr>,
}

impl Term {
    /// The term as R labels it: factor names joined by `:` (`a:lag(b)`).
    pub fn name(&self) -> String {
        let names: Vec<String> = self.factors.iter().map(Expr::name).collect();
        names.join(":")
    }
}

/// One random-effects term `(terms | grouping)` after expanding `||` and `/`.
#[derive(Debug, Clone, PartialEq)]
pub struct RandomTerm {
    /// Whether the term has a random intercept column.
    pub intercept: bool,
    /// Slope terms, in R's `terms()` order.
    pub terms: Vec<Term>,
    /// Grouping columns; more than one means their interaction (`g1:g2`).
    pub grouping: Vec<String>,
    /// The group's name as lme4 prints it in VarCorr (`id`, `Subject:g`).
    pub group_name: String,
}

/// A parsed model formula.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelSpec {
    /// The formula as normalized text.
    pub text: String,
    /// The outcome variable.
    pub response: Expr,
    /// Whether X has an `(Intercept)` column.
    pub intercept: bool,
    /// Fixed terms in the order R's `terms()` gives them (by degree, then as written).
    pub terms: Vec<Term>,
    /// Random-effects terms in formula order, after `||` and `/` expansion.
    pub random: Vec<RandomTerm>,
}

/// The panel functions a formula may use, in the order error messages list them.
pub const KNOWN_FUNCTIONS: [&str; 6] = ["within", "between", "center", "lag", "lead", "factor"];

/// The arithmetic a formula may use (see `arith.rs`), in the order error messages list it.
pub const ARITHMETIC_FUNCTIONS: [&str; 10] = [
    "I", "log", "log2", "log10", "log1p", "exp", "sqrt", "abs", "scale", "poly",
];

/// Parses lme4 formula syntax: `response ~ fixed terms + (random | group)`.
///
/// Errors: a [`FormulaError`] naming the problem and its place in the formula.
pub fn parse_formula(text: &str) -> Result<ModelSpec, FormulaError> {
    let (lhs, rhs) = syntax::parse(text)?;
    let it = terms::Interpreter { formula: text };
    let response = it.arith(&lhs)?;
    let mut summands = Vec::new();
    flatten(&rhs, true, &mut summands);
    let mut fixed = Vec::new();
    let mut random = Vec::new();
    for (plus, node) in summands {
        let Kind::Paren(outer) = &node.kind else {
            fixed.push((plus, node));
            continue;
        };
        let mut inner: &Node = outer;
        while let Kind::Paren(deeper) = &inner.kind {
            inner = deeper;
        }
        let Kind::Binary(op @ (Op::Bar | Op::DoubleBar), l, r) = &inner.kind else {
            // `(a + b)^2` is a power node, never a bare summand; a bare `(x)` is a forgotten `| id`.
            return Err(FormulaError::NoGroupingFactor {
                formula: text.to_string(),
                position: node.pos,
                term: syntax::deparse(node),
            });
        };
        if !plus {
            return Err(FormulaError::Syntax {
                formula: text.to_string(),
                position: node.pos,
                message: "a random term cannot be subtracted; delete it instead".into(),
            });
        }
        random.extend(it.random(node, *op == Op::DoubleBar, l, r)?);
    }
    let (intercept, terms) = it.fixed(&fixed)?;
    Ok(ModelSpec {
        text: format!("{} ~ {}", syntax::deparse(&lhs), syntax::deparse(&rhs)),
        response,
        intercept,
        terms,
        random,
    })
}

/// The top-level summands of the right-hand side with their signs (`true` = added).
fn flatten<'a>(node: &'a Node, plus: bool, out: &mut Vec<(bool, &'a Node)>) {
    match &node.kind {
        Kind::Binary(op @ (Op::Plus | Op::Minus), l, r) => {
            flatten(l, plus, out);
            out.push((plus == (*op == Op::Plus), r));
        }
        Kind::Unary(op, e) => out.push((plus == (*op == Op::Plus), e)),
        _ => out.push((plus, node)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> ModelSpec {
        parse_formula(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn names(terms: &[Term]) -> Vec<String> {
        terms.iter().map(Term::name).collect()
    }

    fn fixed(text: &str) -> (bool, Vec<String>) {
        let s = spec(text);
        (s.intercept, names(&s.terms))
    }

    fn col(n: &str) -> Box<Expr> {
        Box::new(Expr::Column(n.into()))
    }

    /// One random term as `(i + slopes | group)` shorthand with its grouping columns.
    fn random(text: &str) -> Vec<(bool, Vec<String>, Vec<String>, String)> {
        spec(text)
            .random
            .into_iter()
            .map(|r| (r.intercept, names(&r.terms), r.grouping, r.group_name))
            .collect()
    }

    fn strs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn fixed_terms_in_r_order() {
        assert_eq!(fixed("y ~ a + b + a:b"), (true, strs(&["a", "b", "a:b"])));
        assert_eq!(fixed("y ~ a*b + c"), (true, strs(&["a", "b", "c", "a:b"])));
        assert_eq!(fixed("y ~ a:b + a"), (true, strs(&["a", "a:b"])));
        // b:a after b + a is labelled b:a (first appearance), and a*b then adds nothing new.
        assert_eq!(
            fixed("y ~ b + a + a:b + a*b"),
            (true, strs(&["b", "a", "b:a"]))
        );
        assert_eq!(
            fixed("y ~ (a + b + c)^2"),
            (true, strs(&["a", "b", "c", "a:b", "a:c", "b:c"]))
        );
        assert_eq!(fixed("y ~ a*b*c - a:b:c").1.len(), 6);
        assert_eq!(fixed("y ~ a/b"), (true, strs(&["a", "a:b"])));
        assert_eq!(fixed("y ~ a + a + b"), (true, strs(&["a", "b"])));
        assert_eq!(fixed("y ~ 1"), (true, vec![]));
    }

    /// Found by fuzzing (formula_parser): 20 `*`-joined factors expand to 2^20 terms and took
    /// minutes; a huge `^` looped as many times as it said.
    #[test]
    fn runaway_expansions_are_errors_not_hangs() {
        let names: Vec<String> = (0..24).map(|i| format!("v{i}")).collect();
        let text = format!("y ~ {} + (1 | id)", names.join(" * "));
        let started = std::time::Instant::now();
        match parse_formula(&text) {
            Err(FormulaError::Syntax { message, .. }) => {
                assert!(message.contains("more than 1000 terms"), "{message}")
            }
            other => panic!("expected a too-many-terms error, got {other:?}"),
        }
        assert!(started.elapsed().as_secs() < 5);
        assert!(parse_formula("y ~ a:b:c:d:e:f:g:h:i:j:k:l:m:n:o:p:q:r:s:t:u:v:w:x").is_ok());
        assert_eq!(fixed("y ~ (a + b)^1000000000").1, strs(&["a", "b", "a:b"]));
        assert_eq!(fixed("y ~ a*b*c*d*e*f*g*h*i").1.len(), 511);
    }

    #[test]
    fn intercept_forms() {
        assert!(!fixed("y ~ 0 + a").0);
        assert!(!fixed("y ~ a - 1").0);
        assert!(!fixed("y ~ a + 0").0);
        assert!(!fixed("y ~ -1 + a").0);
        assert!(fixed("y ~ 1 + a").0);
        assert!(fixed("y ~ 0 + a + 1").0);
        assert_eq!(fixed("y ~ 0 + a").1, strs(&["a"]));
    }

    #[test]
    fn functions_nest_and_name_themselves() {
        let s = spec("lead(within(spin)) ~ lag(within(spin)) + between(wai) + lag(x, 2) + factor(week) + center(`my var`)");
        assert_eq!(
            s.response,
            Expr::Lead(Box::new(Expr::Within(col("spin"))), 1)
        );
        assert_eq!(
            names(&s.terms),
            strs(&[
                "lag(within(spin))",
                "between(wai)",
                "lag(x, 2)",
                "factor(week)",
                "center(my var)"
            ])
        );
        assert_eq!(s.terms[2].factors, vec![Expr::Lag(col("x"), 2)]);
        assert_eq!(
            spec("y ~ lag(x, 1)").terms[0].factors,
            vec![Expr::Lag(col("x"), 1)]
        );
        assert_eq!(
            spec("y ~ lead(x,0)").terms[0].factors,
            vec![Expr::Lead(col("x"), 0)]
        );
    }

    #[test]
    fn normalized_text() {
        assert_eq!(
            spec("lead(spin)~spin+wai+( 1|id )").text,
            "lead(spin) ~ spin + wai + (1 | id)"
        );
    }

    #[test]
    fn random_terms_expand_as_lme4() {
        let g = || strs(&["g"]);
        assert_eq!(random("y ~ (1 | g)"), vec![(true, vec![], g(), "g".into())]);
        assert_eq!(
            random("y ~ ((1 | g))"),
            vec![(true, vec![], g(), "g".into())]
        );
        assert_eq!(
            random("y ~ (x | g)"),
            vec![(true, strs(&["x"]), g(), "g".into())]
        );
        assert_eq!(
            random("y ~ (0 + x | g)"),
            vec![(false, strs(&["x"]), g(), "g".into())]
        );
        assert_eq!(
            random("y ~ (1 + x + z | g)"),
            vec![(true, strs(&["x", "z"]), g(), "g".into())]
        );
        assert_eq!(
            random("y ~ x + (x + z || g)"),
            vec![
                (true, vec![], g(), "g".into()),
                (false, strs(&["x"]), g(), "g".into()),
                (false, strs(&["z"]), g(), "g".into()),
            ]
        );
        assert_eq!(
            random("y ~ (1 | g1:g2)"),
            vec![(true, vec![], strs(&["g1", "g2"]), "g1:g2".into())]
        );
        assert_eq!(
            random("y ~ (1 | a/b)"),
            vec![
                (true, vec![], strs(&["b", "a"]), "b:a".into()),
                (true, vec![], strs(&["a"]), "a".into()),
            ]
        );
        let deep: Vec<String> = random("y ~ (1 | a/b/c)").into_iter().map(|r| r.3).collect();
        assert_eq!(deep, strs(&["c:(b:a)", "b:a", "a"]));
        // random terms do not touch the fixed part
        assert_eq!(fixed("y ~ x + (x | g)"), (true, strs(&["x"])));
    }

    fn error(text: &str) -> (FormulaError, String) {
        match parse_formula(text) {
            Ok(s) => panic!("{text} parsed as {s:?}"),
            Err(e) => {
                let shown = e.to_string();
                (e, shown)
            }
        }
    }

    #[test]
    fn errors_quote_the_formula_with_a_caret() {
        let (e, shown) = error("y ~ logit(x) + z");
        assert!(matches!(
            e,
            FormulaError::UnknownFunction { position: 4, .. }
        ));
        assert!(shown.contains(
            "unknown function `logit`: the functions lagmix knows are within, between, center, lag, lead, factor, and I, log"
        ));
        assert!(
            shown.ends_with("\n    y ~ logit(x) + z\n        ^"),
            "{shown}"
        );

        let (e, shown) = error("y ~ x + (x)");
        assert!(matches!(
            e,
            FormulaError::NoGroupingFactor { position: 8, .. }
        ));
        assert!(shown.contains("random term `(x)` has no grouping factor: write `(x | id)`"));

        let (_, shown) = error("y ~ (x | id");
        assert!(shown.starts_with("unbalanced parenthesis"), "{shown}");
        assert!(error("y x").1.starts_with("missing `~`"));

        for bad in ["y ~ lag(x, -1)", "y ~ lag(x, 1.5)", "y ~ lead(x, k)"] {
            let (e, shown) = error(bad);
            assert!(matches!(e, FormulaError::ShiftOrder { .. }), "{bad}");
            assert!(shown.contains("second argument must be a whole number >= 0"));
        }
    }

    #[test]
    fn other_errors() {
        assert!(matches!(
            error("y ~ (1 | factor(id))").0,
            FormulaError::BadGrouping { position: 9, .. }
        ));
        assert!(matches!(
            error("y ~ (1 | a + b)").0,
            FormulaError::BadGrouping { .. }
        ));
        assert!(matches!(
            error("y ~ (0 | g)").0,
            FormulaError::Syntax { .. }
        ));
        assert!(matches!(error("y ~ x | g").0, FormulaError::Syntax { .. }));
        assert!(matches!(
            error("y ~ x:(1 | g)").0,
            FormulaError::Syntax { .. }
        ));
        assert!(matches!(
            error("y ~ x - (1 | g)").0,
            FormulaError::Syntax { .. }
        ));
        assert!(matches!(
            error("y ~ within(x, 2)").0,
            FormulaError::Syntax { .. }
        ));
        assert!(matches!(error("y ~ lag()").0, FormulaError::Syntax { .. }));
        assert!(matches!(
            error("y ~ 2 + x").0,
            FormulaError::Syntax { position: 4, .. }
        ));
        assert!(matches!(error("y ~ 1:x").0, FormulaError::Syntax { .. }));
        assert!(matches!(error("y ~ .").0, FormulaError::Syntax { .. }));
        assert!(matches!(
            error("y ~ (a+b)^x").0,
            FormulaError::Syntax { .. }
        ));
        assert!(matches!(error("y | z ~ x").0, FormulaError::Syntax { .. }));
        assert!(matches!(
            error("within(y, x) ~ x").0,
            FormulaError::Syntax { .. }
        ));
    }
}
