//! Syntax tree -> model terms, with R's formula algebra.
//!
//! A term is a set of variables (`a:b` and `b:a` are the same term); its variables are listed in
//! the order they first appear in the formula, which is how R labels `b:a` after `a + b`.
//! `a*b = a + b + a:b`, `a/b = a + a:b`, `(a + b)^2 = a + b + a:b`, `- t` removes `t`, `0`/`-1`
//! remove the intercept. After expansion the terms are ordered by degree, ties as written, which
//! is R's `terms()` order and hence the column order of its model matrix.
//!
//! Random terms `(lhs | g)` are expanded as lme4's `findbars` does: `(x || g)` becomes one term
//! per column (`(1 | g)`, `(0 + x | g)`), and `(1 | a/b)` becomes `(1 | b:a)` then `(1 | a)`.

use super::syntax::{deparse, Kind, Node, Op};
use super::{Expr, FormulaError, Function, RandomTerm, Term, KNOWN_FUNCTIONS};

/// Terms of one (sub)formula: variable sets as indices into `Vars`, and what it says about the
/// intercept (`None`: nothing, so the default applies).
#[derive(Debug, Clone, Default)]
struct TermSet {
    terms: Vec<Vec<usize>>,
    intercept: Option<bool>,
}

impl TermSet {
    fn push(&mut self, term: Vec<usize>) {
        if !self.terms.contains(&term) {
            self.terms.push(term);
        }
    }
    fn add(&mut self, other: TermSet) {
        for t in other.terms {
            self.push(t);
        }
        if other.intercept.is_some() {
            self.intercept = other.intercept;
        }
    }
    fn remove(&mut self, other: TermSet) {
        self.terms.retain(|t| !other.terms.contains(t));
        if let Some(i) = other.intercept {
            self.intercept = Some(!i);
        }
    }
}

/// Variables in order of first appearance; a term's index list is kept sorted by this order.
#[derive(Default)]
struct Vars(Vec<Expr>);

impl Vars {
    fn id(&mut self, e: Expr) -> usize {
        if let Some(i) = self.0.iter().position(|v| *v == e) {
            return i;
        }
        self.0.push(e);
        self.0.len() - 1
    }
}

pub(crate) struct Interpreter<'a> {
    pub formula: &'a str,
}

impl Interpreter<'_> {
    /// `a*b*c*...` doubles the terms with every factor: past [`MAX_TERMS`] it is a typo, not a
    /// model, and expanding it would take minutes and gigabytes.
    fn too_many_terms(&self, node: &Node) -> FormulaError {
        let message = format!(
            "this part of the formula expands to more than {MAX_TERMS} terms (each `*` doubles them): \
             write the interactions you mean with `:` or `^2`"
        );
        self.error(node, message)
    }

    pub(super) fn error(&self, node: &Node, message: String) -> FormulaError {
        FormulaError::Syntax {
            formula: self.formula.to_string(),
            position: node.pos,
            message,
        }
    }

    /// A variable expression: a column, or known functions of one.
    pub fn expr(&self, node: &Node) -> Result<Expr, FormulaError> {
        match &node.kind {
            Kind::Name(n) if n == "." => Err(self.error(
                node,
                "`.` (all other columns) is not supported: list the predictors by name".into(),
            )),
            Kind::Name(n) => Ok(Expr::Column(n.clone())),
            Kind::Paren(inner) => self.expr(inner),
            Kind::Call(f, args) => self.call(node, f, args),
            Kind::Number(n) => Err(self.error(
                node,
                format!("expected a variable but found the number {n}"),
            )),
            _ => Err(self.error(
                node,
                format!(
                    "expected one variable (a column or a function of one, such as lag(x)) but found `{}`",
                    deparse(node)
                ),
            )),
        }
    }

    fn call(&self, node: &Node, f: &str, args: &[Node]) -> Result<Expr, FormulaError> {
        if f == "I" {
            return self.identity(node, args);
        }
        if let Some(function) = Function::from_r_name(f) {
            return self.function(node, function, args);
        }
        if !KNOWN_FUNCTIONS.contains(&f) {
            return Err(FormulaError::UnknownFunction {
                formula: self.formula.to_string(),
                position: node.pos,
                name: f.to_string(),
            });
        }
        let shifts = f == "lag" || f == "lead";
        let (first, rest) = match args {
            [first, rest @ ..]
                if !matches!(first.kind, Kind::Named(..))
                    && (rest.is_empty() || (shifts && rest.len() == 1)) =>
            {
                (first, rest)
            }
            _ => {
                let wanted = if shifts {
                    format!("`{f}(x)` or `{f}(x, k)`")
                } else {
                    format!("one variable: `{f}(x)`")
                };
                return Err(self.error(node, format!("{f}() takes {wanted}")));
            }
        };
        let inner = Box::new(self.arith(first)?);
        let order = match rest.first() {
            None => 1,
            Some(k) => match &k.kind {
                Kind::Number(n) => n.parse::<u32>().map_err(|_| self.bad_order(k, f))?,
                _ => return Err(self.bad_order(k, f)),
            },
        };
        Ok(match f {
            "within" => Expr::Within(inner),
            "between" => Expr::Between(inner),
            "center" => Expr::Center(inner),
            "lag" => Expr::Lag(inner, order),
            "lead" => Expr::Lead(inner, order),
            _ => Expr::Factor(inner),
        })
    }

    fn bad_order(&self, k: &Node, f: &str) -> FormulaError {
        FormulaError::ShiftOrder {
            formula: self.formula.to_string(),
            position: k.pos,
            function: f.to_string(),
            found: deparse(k),
        }
    }

    /// The terms of a sum; random terms are not allowed inside it.
    fn terms(&self, node: &Node, vars: &mut Vars) -> Result<TermSet, FormulaError> {
        let operands_plain = |l: &TermSet, r: &TermSet, op: Op| {
            if l.intercept.is_some() || r.intercept.is_some() {
                Err(self.error(
                    node,
                    format!(
                        "`0` and `1` can only be added (`0 + x`) or subtracted (`- 1`), not combined with `{}`",
                        op_text(op)
                    ),
                ))
            } else {
                Ok(())
            }
        };
        match &node.kind {
            Kind::Number(n) if n == "1" || n == "0" => Ok(TermSet {
                terms: vec![],
                intercept: Some(n == "1"),
            }),
            Kind::Name(_) | Kind::Call(..) | Kind::Number(_) => {
                let id = vars.id(self.expr(node)?);
                Ok(TermSet {
                    terms: vec![vec![id]],
                    intercept: None,
                })
            }
            Kind::Paren(inner) => {
                if let Kind::Binary(Op::Bar | Op::DoubleBar, ..) = inner.kind {
                    return Err(self.error(
                        node,
                        format!("the random term `{}` must be added on its own (`... + (1 | id)`), not combined with other terms", deparse(node)),
                    ));
                }
                self.terms(inner, vars)
            }
            Kind::Unary(op, e) => {
                let mut set = TermSet::default();
                let operand = self.terms(e, vars)?;
                match op {
                    Op::Minus => set.remove(operand),
                    _ => set.add(operand),
                }
                Ok(set)
            }
            Kind::Named(name, _) => Err(self.error(
                node,
                format!("`{name} = ...` names an argument, which only a function call has"),
            )),
            Kind::Binary(Op::Bar | Op::DoubleBar, ..) => Err(self.error(
                node,
                format!(
                    "random terms go in parentheses: write `({})`",
                    deparse(node)
                ),
            )),
            Kind::Binary(op, l, r) if matches!(op, Op::Plus | Op::Minus) => {
                let mut set = self.terms(l, vars)?;
                let right = self.terms(r, vars)?;
                if *op == Op::Plus {
                    set.add(right);
                } else {
                    set.remove(right);
                }
                Ok(set)
            }
            Kind::Binary(Op::Caret, base, exponent) => {
                let n = match &exponent.kind {
                    Kind::Number(n) => n.parse::<usize>().ok().filter(|n| *n >= 1),
                    _ => None,
                }
                .ok_or_else(|| {
                    self.error(
                        exponent,
                        "after `^` write the highest order of interaction, a whole number such as 2"
                            .into(),
                    )
                })?;
                let base_node = base;
                let base = self.terms(base, vars)?;
                operands_plain(&base, &TermSet::default(), Op::Caret)?;
                // R reads `x^2` as x crossed with itself, which is x: nearly always a square
                // meant as I(x^2), so a power of one variable is refused (`(a + b)^2` stays).
                if n > 1 && base.terms.len() == 1 && base.terms[0].len() == 1 {
                    return Err(FormulaError::PowerOfOneVariable {
                        formula: self.formula.to_string(),
                        position: node.pos,
                        term: deparse(node),
                        variable: deparse(base_node),
                    });
                }
                // Past the number of variables in `base` another power adds no term, so a huge
                // exponent (`(a + b)^1000000`) costs no more than the largest useful one.
                let mut variables: Vec<usize> = base.terms.concat();
                variables.sort_unstable();
                variables.dedup();
                let mut power = base.clone();
                for _ in 1..n.min(variables.len().max(1)) {
                    power = star(&power, &base).ok_or_else(|| self.too_many_terms(node))?;
                }
                Ok(power)
            }
            Kind::Binary(op, l, r) => {
                let left = self.terms(l, vars)?;
                let right = self.terms(r, vars)?;
                operands_plain(&left, &right, *op)?;
                let too_many = || self.too_many_terms(node);
                Ok(match op {
                    Op::Colon => colon(&left, &right).ok_or_else(too_many)?,
                    Op::Star => star(&left, &right).ok_or_else(too_many)?,
                    _ => {
                        // a/b = a + (all of a's variables):b, as R's %in% does.
                        let mut all: Vec<usize> = left.terms.concat();
                        all.sort_unstable();
                        all.dedup();
                        let nest = TermSet {
                            terms: vec![all],
                            intercept: None,
                        };
                        let mut set = left.clone();
                        set.add(colon(&nest, &right).ok_or_else(too_many)?);
                        set
                    }
                })
            }
        }
    }

    /// Fixed terms and intercept of the right-hand side's fixed summands, in R's order.
    pub fn fixed(&self, summands: &[(bool, &Node)]) -> Result<(bool, Vec<Term>), FormulaError> {
        let mut vars = Vars::default();
        let mut set = TermSet::default();
        for (plus, node) in summands {
            let part = self.terms(node, &mut vars)?;
            if *plus {
                set.add(part);
            } else {
                set.remove(part);
            }
        }
        Ok((set.intercept.unwrap_or(true), ordered(set.terms, &vars)))
    }

    /// One `(lhs | grouping)` or `(lhs || grouping)`, expanded into lme4's terms.
    pub fn random(
        &self,
        node: &Node,
        double: bool,
        lhs: &Node,
        rhs: &Node,
    ) -> Result<Vec<RandomTerm>, FormulaError> {
        let mut vars = Vars::default();
        let set = self.terms(lhs, &mut vars)?;
        let intercept = set.intercept.unwrap_or(true);
        let terms = ordered(set.terms, &vars);
        if !intercept && terms.is_empty() {
            return Err(self.error(
                node,
                format!(
                    "the random term `{}` has no columns: use `(1 | g)` for a random intercept",
                    deparse(node)
                ),
            ));
        }
        let groupings = self.groupings(rhs)?;
        let mut blocks: Vec<(bool, Vec<Term>)> = Vec::new();
        if double {
            if intercept {
                blocks.push((true, vec![]));
            }
            blocks.extend(terms.into_iter().map(|t| (false, vec![t])));
        } else {
            blocks.push((intercept, terms));
        }
        let mut out = Vec::new();
        for (intercept, terms) in blocks {
            for (grouping, group_name) in &groupings {
                out.push(RandomTerm {
                    intercept,
                    terms: terms.clone(),
                    grouping: grouping.clone(),
                    group_name: group_name.clone(),
                });
            }
        }
        Ok(out)
    }

    /// The grouping columns and names, after expanding `a/b` to `b:a` and `a` (deepest first).
    fn groupings(&self, rhs: &Node) -> Result<Vec<(Vec<String>, String)>, FormulaError> {
        let mut parts: Vec<Vec<String>> = Vec::new();
        self.nested(rhs, &mut parts)?;
        let mut out: Vec<(Vec<String>, String)> = Vec::new();
        for part in parts {
            let mut columns = part.clone();
            let mut name = part.join(":");
            if let Some((outer_columns, outer_name)) = out.last() {
                columns.extend(outer_columns.iter().cloned());
                if outer_columns.len() > 1 {
                    name = format!("{name}:({outer_name})");
                } else {
                    name = format!("{name}:{outer_name}");
                }
            }
            out.push((columns, name));
        }
        out.reverse();
        Ok(out)
    }

    fn nested(&self, node: &Node, parts: &mut Vec<Vec<String>>) -> Result<(), FormulaError> {
        match &node.kind {
            Kind::Binary(Op::Slash, outer, inner) => {
                self.nested(outer, parts)?;
                let mut columns = Vec::new();
                self.grouping_columns(inner, &mut columns)?;
                if columns.len() > 1 {
                    return Err(self.error(inner, "nesting with `/` works on single columns here (`a/b`); write the nested terms out, e.g. `(1 | a) + (1 | a:b:c)`".into()));
                }
                parts.push(columns);
                Ok(())
            }
            Kind::Paren(inner) => self.nested(inner, parts),
            _ => {
                let mut columns = Vec::new();
                self.grouping_columns(node, &mut columns)?;
                parts.push(columns);
                Ok(())
            }
        }
    }

    fn grouping_columns(&self, node: &Node, out: &mut Vec<String>) -> Result<(), FormulaError> {
        match &node.kind {
            Kind::Name(n) if n != "." => {
                out.push(n.clone());
                Ok(())
            }
            Kind::Binary(Op::Colon, l, r) => {
                self.grouping_columns(l, out)?;
                self.grouping_columns(r, out)
            }
            Kind::Paren(inner) => self.grouping_columns(inner, out),
            _ => Err(FormulaError::BadGrouping {
                formula: self.formula.to_string(),
                position: node.pos,
                found: deparse(node),
            }),
        }
    }
}

fn op_text(op: Op) -> &'static str {
    match op {
        Op::Colon => ":",
        Op::Star => "*",
        Op::Slash => "/",
        _ => "^",
    }
}

/// The most terms a formula (or part of one) may expand to; far more than any panel supports.
pub(super) const MAX_TERMS: usize = 1000;

/// `a:b`; None past [`MAX_TERMS`] terms (or pairs to try).
fn colon(a: &TermSet, b: &TermSet) -> Option<TermSet> {
    if a.terms.len().saturating_mul(b.terms.len()) > 16 * MAX_TERMS {
        return None;
    }
    let mut out = TermSet::default();
    for ta in &a.terms {
        for tb in &b.terms {
            let mut t: Vec<usize> = ta.iter().chain(tb).copied().collect();
            t.sort_unstable();
            t.dedup();
            out.push(t);
        }
    }
    (out.terms.len() <= MAX_TERMS).then_some(out)
}

/// `a*b`; None past [`MAX_TERMS`] terms.
fn star(a: &TermSet, b: &TermSet) -> Option<TermSet> {
    let mut out = a.clone();
    out.add(b.clone());
    out.add(colon(a, b)?);
    (out.terms.len() <= MAX_TERMS).then_some(out)
}

/// R's `terms()` order: by degree, ties in order of first appearance (a stable sort).
fn ordered(mut terms: Vec<Vec<usize>>, vars: &Vars) -> Vec<Term> {
    terms.sort_by_key(Vec::len);
    terms
        .into_iter()
        .map(|t| Term {
            factors: t.iter().filter_map(|&i| vars.0.get(i).cloned()).collect(),
        })
        .collect()
}
