//! Formula text -> syntax tree, and the tree back to normalized text.
//!
//! The tree is R's expression tree for the formula (operators, calls, parentheses) before any
//! model meaning is given to it; `terms.rs` gives it that meaning. Keeping the two apart lets the
//! normalized text keep the structure the researcher wrote (`a*b`, `(x | id)`), as R's own
//! `print(formula)` does, while the model sees the expanded terms.
//!
//! Operator precedence follows R (highest first): `^`, `:`, `*` `/`, `+` `-`, `|` `||`, `~`.
//! Positions are character offsets into the formula, so the error's caret lands under the right
//! character even after non-ASCII column names.

use super::lex::{is_name_char, lex, syntax, Tok};
use super::FormulaError;

/// A binary or unary operator of formula syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Tilde,
    Plus,
    Minus,
    Star,
    Slash,
    Colon,
    Caret,
    Bar,
    DoubleBar,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::Tilde => "~",
            Op::Plus => "+",
            Op::Minus => "-",
            Op::Star => "*",
            Op::Slash => "/",
            Op::Colon => ":",
            Op::Caret => "^",
            Op::Bar => "|",
            Op::DoubleBar => "||",
        }
    }
}

/// A node of the syntax tree; `pos` is where its text starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub pos: usize,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Name(String),
    Number(String),
    Call(String, Vec<Node>),
    Paren(Box<Node>),
    Unary(Op, Box<Node>),
    Binary(Op, Box<Node>, Box<Node>),
    /// `name = value`, only as an argument of a call.
    Named(String, Box<Node>),
}

/// Most pieces (names, numbers, operators, parentheses) a formula may have, and most levels
/// parentheses, functions and `^` may nest. Every later stage walks the tree recursively, so
/// without a bound a pasted or generated formula thousands of levels deep would overflow the
/// stack (in the browser that kills the page's engine). Real models stay far below both.
const MAX_TOKENS: usize = 500;
const MAX_NESTING: usize = 50;

struct Parser<'a> {
    formula: &'a str,
    toks: Vec<(Tok, usize)>,
    at: usize,
    /// Parentheses, calls and exponents open around the current token.
    nesting: usize,
}

impl Parser<'_> {
    /// Parses `inner` one nesting level deeper. Errors: more than [`MAX_NESTING`] levels.
    fn nested(
        &mut self,
        pos: usize,
        inner: impl FnOnce(&mut Self) -> Result<Node, FormulaError>,
    ) -> Result<Node, FormulaError> {
        if self.nesting >= MAX_NESTING {
            return Err(syntax(
                self.formula,
                pos,
                format!(
                    "parentheses, functions and `^` nest more than {MAX_NESTING} levels deep here"
                ),
            ));
        }
        self.nesting += 1;
        let node = inner(self);
        self.nesting -= 1;
        node
    }

    fn peek(&self) -> &Tok {
        self.toks.get(self.at).map_or(&Tok::End, |t| &t.0)
    }
    fn pos(&self) -> usize {
        self.toks.get(self.at).map_or(0, |t| t.1)
    }
    fn bump(&mut self) {
        self.at += 1;
    }
    fn peek_op(&self) -> Option<Op> {
        match self.peek() {
            Tok::Op(op) => Some(*op),
            _ => None,
        }
    }

    fn unexpected(&self, expected: &str) -> FormulaError {
        let pos = self.pos();
        let found = match self.peek() {
            Tok::End => {
                return syntax(
                    self.formula,
                    pos,
                    format!("the formula ends where {expected} should follow"),
                )
            }
            Tok::Name(n) => format!("`{n}`"),
            Tok::Number(n) => format!("`{n}`"),
            Tok::Op(op) => format!("`{}`", op.text()),
            Tok::Open => "`(`".into(),
            Tok::Close => {
                return FormulaError::UnbalancedParenthesis {
                    formula: self.formula.to_string(),
                    position: pos,
                    unclosed: false,
                }
            }
            Tok::Comma => "`,`".into(),
            Tok::Equals => "`=`".into(),
        };
        syntax(
            self.formula,
            pos,
            format!("expected {expected} but found {found}"),
        )
    }

    /// `a | b` and `a || b`: the loosest binding inside parentheses.
    fn bar(&mut self) -> Result<Node, FormulaError> {
        let mut left = self.sum()?;
        while let Some(op @ (Op::Bar | Op::DoubleBar)) = self.peek_op() {
            self.bump();
            // `(1 | )` would otherwise be reported as an unmatched `)`.
            if matches!(self.peek(), Tok::Close | Tok::End) {
                return Err(syntax(
                    self.formula,
                    self.pos(),
                    format!(
                        "nothing follows `{}`: write the column that identifies the groups \
                         (persons), e.g. `(1 | id)`",
                        op.text()
                    ),
                ));
            }
            let right = self.sum()?;
            left = binary(op, left, right);
        }
        Ok(left)
    }

    fn sum(&mut self) -> Result<Node, FormulaError> {
        let mut left = match self.peek_op() {
            Some(op @ (Op::Plus | Op::Minus)) => {
                let pos = self.pos();
                self.bump();
                let operand = self.product()?;
                Node {
                    pos,
                    kind: Kind::Unary(op, Box::new(operand)),
                }
            }
            _ => self.product()?,
        };
        while let Some(op @ (Op::Plus | Op::Minus)) = self.peek_op() {
            self.bump();
            let right = self.product()?;
            left = binary(op, left, right);
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Node, FormulaError> {
        let mut left = self.interaction()?;
        while let Some(op @ (Op::Star | Op::Slash)) = self.peek_op() {
            self.bump();
            let right = self.interaction()?;
            left = binary(op, left, right);
        }
        Ok(left)
    }

    fn interaction(&mut self) -> Result<Node, FormulaError> {
        let mut left = self.power()?;
        while self.peek_op() == Some(Op::Colon) {
            self.bump();
            let right = self.power()?;
            left = binary(Op::Colon, left, right);
        }
        Ok(left)
    }

    fn power(&mut self) -> Result<Node, FormulaError> {
        let base = self.atom()?;
        if self.peek_op() == Some(Op::Caret) {
            self.bump();
            let exponent = self.nested(self.pos(), Self::power)?;
            return Ok(binary(Op::Caret, base, exponent));
        }
        Ok(base)
    }

    fn atom(&mut self) -> Result<Node, FormulaError> {
        let pos = self.pos();
        match self.peek().clone() {
            Tok::Number(n) => {
                self.bump();
                Ok(Node {
                    pos,
                    kind: Kind::Number(n),
                })
            }
            Tok::Name(name) => {
                self.bump();
                if *self.peek() != Tok::Open {
                    return Ok(Node {
                        pos,
                        kind: Kind::Name(name),
                    });
                }
                let open = self.pos();
                self.bump();
                let mut args = Vec::new();
                if *self.peek() != Tok::Close {
                    args.push(self.nested(open, Self::argument)?);
                }
                while *self.peek() == Tok::Comma {
                    self.bump();
                    args.push(self.nested(open, Self::argument)?);
                }
                self.close(open)?;
                Ok(Node {
                    pos,
                    kind: Kind::Call(name, args),
                })
            }
            Tok::Open => {
                self.bump();
                let inner = self.nested(pos, Self::bar)?;
                self.close(pos)?;
                Ok(Node {
                    pos,
                    kind: Kind::Paren(Box::new(inner)),
                })
            }
            // A sign inside a product or power, as R allows: `I(2 * -x)`, `I(x^-1)`.
            Tok::Op(op @ (Op::Plus | Op::Minus)) => {
                self.bump();
                let operand = self.nested(pos, Self::power)?;
                Ok(Node {
                    pos,
                    kind: Kind::Unary(op, Box::new(operand)),
                })
            }
            _ => Err(self.unexpected("a variable, a number or `(`")),
        }
    }

    /// One argument of a call: `value` or `name = value`.
    fn argument(&mut self) -> Result<Node, FormulaError> {
        let pos = self.pos();
        if let (Tok::Name(name), Some((Tok::Equals, _))) =
            (self.peek().clone(), self.toks.get(self.at + 1))
        {
            self.bump();
            self.bump();
            let value = self.bar()?;
            return Ok(Node {
                pos,
                kind: Kind::Named(name, Box::new(value)),
            });
        }
        self.bar()
    }

    fn close(&mut self, open: usize) -> Result<(), FormulaError> {
        match self.peek() {
            Tok::Close => {
                self.bump();
                Ok(())
            }
            Tok::End => Err(FormulaError::UnbalancedParenthesis {
                formula: self.formula.to_string(),
                position: open,
                unclosed: true,
            }),
            _ => Err(self.unexpected("`)`")),
        }
    }
}

fn binary(op: Op, left: Node, right: Node) -> Node {
    Node {
        pos: left.pos,
        kind: Kind::Binary(op, Box::new(left), Box::new(right)),
    }
}

/// Parses `response ~ right-hand side` into its two sides' syntax trees.
pub(crate) fn parse(formula: &str) -> Result<(Node, Node), FormulaError> {
    let toks = lex(formula)?;
    if toks.len() == 1 {
        return Err(FormulaError::Empty);
    }
    // The last token is the end marker.
    if let Some(&(_, position)) = toks.get(MAX_TOKENS) {
        return Err(syntax(
            formula,
            position,
            format!(
                "the formula is too long: it has {} pieces (names, numbers, operators, \
                 parentheses), at most {MAX_TOKENS} are allowed",
                toks.len() - 1
            ),
        ));
    }
    let tildes: Vec<usize> = toks
        .iter()
        .filter(|t| t.0 == Tok::Op(Op::Tilde))
        .map(|t| t.1)
        .collect();
    match tildes.as_slice() {
        [] => {
            return Err(FormulaError::MissingTilde {
                formula: formula.to_string(),
            })
        }
        [first, ..] if toks.first().map(|t| t.1) == Some(*first) => {
            return Err(FormulaError::MissingResponse {
                formula: formula.to_string(),
                position: *first,
            })
        }
        [_, second, ..] => {
            return Err(syntax(
                formula,
                *second,
                "a formula has exactly one `~` (response ~ predictors)".into(),
            ))
        }
        [_] => {}
    }
    let mut p = Parser {
        formula,
        toks,
        at: 0,
        nesting: 0,
    };
    let response = p.bar()?;
    if p.peek_op() != Some(Op::Tilde) {
        return Err(p.unexpected("`~`"));
    }
    p.bump();
    let rhs = p.bar()?;
    if *p.peek() != Tok::End {
        return Err(p.unexpected("`+` or the end of the formula"));
    }
    Ok((response, rhs))
}

fn is_syntactic(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let starts_ok = first.is_alphabetic()
        || (first == '.' && !chars.clone().next().is_some_and(|c| c.is_ascii_digit()));
    starts_ok && chars.all(is_name_char)
}

/// The tree as text, spaced as R prints formulas: `a + b`, `a:b`, `lag(x, 2)`, `(1 | id)`.
pub(crate) fn deparse(node: &Node) -> String {
    match &node.kind {
        Kind::Name(n) if is_syntactic(n) => n.clone(),
        Kind::Name(n) => format!("`{n}`"),
        // As R prints numbers: `2.0` is `2`, `1e-5` is `1e-05`.
        Kind::Number(n) => n
            .parse::<f64>()
            .map_or_else(|_| n.clone(), crate::transform::r_number),
        Kind::Call(f, args) => {
            let args: Vec<String> = args.iter().map(deparse).collect();
            format!("{f}({})", args.join(", "))
        }
        Kind::Paren(inner) => format!("({})", deparse(inner)),
        Kind::Unary(op, e) => format!("{}{}", op.text(), deparse(e)),
        // R prints `a/b`, `a:b` and `a^2` without spaces, the other operators with them.
        Kind::Binary(op @ (Op::Colon | Op::Caret | Op::Slash), l, r) => {
            format!("{}{}{}", deparse(l), op.text(), deparse(r))
        }
        Kind::Binary(op, l, r) => format!("{} {} {}", deparse(l), op.text(), deparse(r)),
        Kind::Named(name, value) => format!("{name} = {}", deparse(value)),
    }
}

#[cfg(test)]
mod tests;
