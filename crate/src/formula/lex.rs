//! Formula text -> tokens (names, numbers, operators, parentheses, commas), each with its
//! character position for error carets. R's rules: names may start with a letter, `.` or `_`,
//! and backticks quote any name.

use super::syntax::Op;
use super::FormulaError;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Name(String),
    Number(String),
    Op(Op),
    Open,
    Close,
    Comma,
    /// `=` of a named argument (`scale = FALSE`).
    Equals,
    End,
}

pub(super) fn syntax(formula: &str, position: usize, message: String) -> FormulaError {
    FormulaError::Syntax {
        formula: formula.to_string(),
        position,
        message,
    }
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '.' || c == '_'
}

pub(super) fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '.' || c == '_'
}

/// Length of the number at the start of `chars`: digits and a point, then R's exponent
/// (`1e-5`, `2.5E+3`) when digits follow the `e`.
fn number_length(chars: &[char]) -> usize {
    let mut len = chars
        .iter()
        .take_while(|d| d.is_ascii_digit() || **d == '.')
        .count();
    if matches!(chars.get(len), Some('e' | 'E')) {
        let sign = usize::from(matches!(chars.get(len + 1), Some('+' | '-')));
        let digits = chars[(len + 1 + sign).min(chars.len())..]
            .iter()
            .take_while(|d| d.is_ascii_digit())
            .count();
        if digits > 0 {
            len += 1 + sign + digits;
        }
    }
    len
}

/// Splits the formula into tokens with their character positions.
pub(super) fn lex(formula: &str) -> Result<Vec<(Tok, usize)>, FormulaError> {
    let chars: Vec<char> = formula.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let start = i;
        let single = |op| (Tok::Op(op), 1);
        let (tok, len) = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '~' => single(Op::Tilde),
            '+' => single(Op::Plus),
            '-' => single(Op::Minus),
            '*' => single(Op::Star),
            '/' => single(Op::Slash),
            ':' => single(Op::Colon),
            '^' => single(Op::Caret),
            '|' if chars.get(i + 1) == Some(&'|') => (Tok::Op(Op::DoubleBar), 2),
            '|' => single(Op::Bar),
            '(' => (Tok::Open, 1),
            ')' => (Tok::Close, 1),
            ',' => (Tok::Comma, 1),
            '=' => (Tok::Equals, 1),
            '`' => {
                let close = chars[i + 1..]
                    .iter()
                    .position(|&d| d == '`')
                    .ok_or_else(|| {
                        syntax(
                            formula,
                            start,
                            "this backquote is never closed: write `name with spaces`".into(),
                        )
                    })?;
                let name: String = chars[i + 1..i + 1 + close].iter().collect();
                if name.is_empty() {
                    return Err(syntax(formula, start, "empty backquoted name".into()));
                }
                (Tok::Name(name), close + 2)
            }
            c if c.is_ascii_digit()
                || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let len = number_length(&chars[i..]);
                (Tok::Number(chars[i..i + len].iter().collect()), len)
            }
            c if is_name_start(c) => {
                let len = chars[i..].iter().take_while(|d| is_name_char(**d)).count();
                (Tok::Name(chars[i..i + len].iter().collect()), len)
            }
            other => {
                let hint = match other {
                    '%' => " (operators like %in% are not supported; write a/b or a:b)",
                    '"' | '\'' => " (column names with spaces go in backquotes: `my column`)",
                    _ => "",
                };
                return Err(syntax(
                    formula,
                    start,
                    format!("unexpected character `{other}`{hint}"),
                ));
            }
        };
        out.push((tok, start));
        i += len;
    }
    out.push((Tok::End, chars.len()));
    Ok(out)
}
