//! What can go wrong parsing a formula: each message quotes the formula and points at the
//! problem with a caret, as a compiler would, because researchers type formulas by hand.

use super::{ARITHMETIC_FUNCTIONS, KNOWN_FUNCTIONS};

/// What can go wrong parsing a formula. Positions are character offsets into `formula`; the
/// message quotes the formula and puts a caret under that character.
#[derive(Debug, Clone, PartialEq)]
pub enum FormulaError {
    /// The formula is empty.
    Empty,
    /// No `~` between the response and the predictors.
    MissingTilde { formula: String },
    /// Nothing left of `~`.
    MissingResponse { formula: String, position: usize },
    /// A `(` never closed (`unclosed`), or a `)` with no `(` before it.
    UnbalancedParenthesis {
        formula: String,
        position: usize,
        unclosed: bool,
    },
    /// A function lagmix does not know (`log(x)`).
    UnknownFunction {
        formula: String,
        position: usize,
        name: String,
    },
    /// A parenthesized term with no `| group` (`(x)`), which looks like a forgotten grouping.
    NoGroupingFactor {
        formula: String,
        position: usize,
        term: String,
    },
    /// The second argument of `lag`/`lead` is not a whole number >= 0.
    ShiftOrder {
        formula: String,
        position: usize,
        function: String,
        found: String,
    },
    /// `x^2` outside `I()`: R's crossing operator, which leaves a single variable as it is.
    PowerOfOneVariable {
        formula: String,
        position: usize,
        term: String,
        variable: String,
    },
    /// What follows `|` is not a column, `a:b` or `a/b`.
    BadGrouping {
        formula: String,
        position: usize,
        found: String,
    },
    /// Any other syntax problem, described by `message`.
    Syntax {
        formula: String,
        position: usize,
        message: String,
    },
}

/// Writes the formula indented with a caret line under character `position`.
fn point_at(f: &mut std::fmt::Formatter<'_>, formula: &str, position: usize) -> std::fmt::Result {
    let indent = " ".repeat(position.min(formula.chars().count()));
    write!(f, "\n    {formula}\n    {indent}^")
}

impl std::fmt::Display for FormulaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormulaError::Empty => write!(
                f,
                "the formula is empty: write e.g. `symptoms ~ week + (1 | id)`"
            ),
            FormulaError::MissingTilde { formula } => write!(
                f,
                "missing `~` in the formula `{formula}`: write the response, `~`, then the predictors, e.g. `symptoms ~ week + (1 | id)`"
            ),
            FormulaError::MissingResponse { formula, position } => {
                write!(f, "the formula needs a response (the outcome) before `~`")?;
                point_at(f, formula, *position)
            }
            FormulaError::UnbalancedParenthesis {
                formula,
                position,
                unclosed,
            } => {
                if *unclosed {
                    write!(f, "unbalanced parenthesis: this `(` is never closed")?;
                } else {
                    write!(f, "unbalanced parenthesis: this `)` has no matching `(`")?;
                }
                point_at(f, formula, *position)
            }
            FormulaError::UnknownFunction {
                formula,
                position,
                name,
            } => {
                write!(f, "unknown function `{name}`")?;
                let known: Vec<String> = KNOWN_FUNCTIONS
                    .iter()
                    .chain(&ARITHMETIC_FUNCTIONS)
                    .map(|s| s.to_string())
                    .collect();
                if let Some(near) = crate::transform::suggest_column(name, &known) {
                    write!(f, " (did you mean `{near}`?)")?;
                }
                write!(
                    f,
                    ": the functions lagmix knows are {}, and {}; other transformations can be \
                     computed as a new column in the data",
                    KNOWN_FUNCTIONS.join(", "),
                    ARITHMETIC_FUNCTIONS.join(", ")
                )?;
                point_at(f, formula, *position)
            }
            FormulaError::NoGroupingFactor {
                formula,
                position,
                term,
            } => {
                let inner = term
                    .strip_prefix('(')
                    .and_then(|t| t.strip_suffix(')'))
                    .unwrap_or(term);
                write!(
                    f,
                    "random term `{term}` has no grouping factor: write `({inner} | id)`, with the column that identifies persons after `|`"
                )?;
                point_at(f, formula, *position)
            }
            FormulaError::ShiftOrder {
                formula,
                position,
                function,
                found,
            } => {
                write!(
                    f,
                    "{function}'s second argument must be a whole number >= 0 (the number of occasions), not `{found}`"
                )?;
                point_at(f, formula, *position)
            }
            FormulaError::PowerOfOneVariable {
                formula,
                position,
                term,
                variable,
            } => {
                write!(
                    f,
                    "`{term}` in a formula crosses terms (as in `(a + b)^2`), so for the single \
                     variable `{variable}` it means just `{variable}`; for the square write `I({term})`"
                )?;
                point_at(f, formula, *position)
            }
            FormulaError::BadGrouping {
                formula,
                position,
                found,
            } => {
                write!(
                    f,
                    "after `|` write the grouping column (`id`), crossed groups (`g1:g2`) or nested groups (`school/class`), not `{found}`; to group by a transformed column, add it to the data first"
                )?;
                point_at(f, formula, *position)
            }
            FormulaError::Syntax {
                formula,
                position,
                message,
            } => {
                write!(f, "{message}")?;
                point_at(f, formula, *position)
            }
        }
    }
}
impl std::error::Error for FormulaError {}
