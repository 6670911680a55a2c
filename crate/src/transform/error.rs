//! What can go wrong evaluating a model variable, in messages fit to show a researcher: each
//! names the expression (and where it helps the line and the value) and what to do.

use std::fmt;

/// What can go wrong evaluating an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum TransformError {
    /// No column of that name; `suggestion` is the closest column name, if any is close.
    UnknownColumn {
        name: String,
        suggestion: Option<String>,
    },
    /// `function` (the call as written, e.g. `within(spin)`) needs the person column.
    NeedsId { function: String },
    /// `function` (the call as written, e.g. `lag(spin)`) needs the time column.
    NeedsTime { function: String },
    /// `function` (a `lag` or `lead`) needs both the person and the time column, and neither
    /// is given: said in one message, so that fixing one does not only lead to the other.
    NeedsIdAndTime { function: String },
    /// A value `expression` cannot take (log of 0, sqrt of a negative number, a division by
    /// zero, ...) on `rows` rows, the first on `line` with the operand(s) `value`; `term` is the
    /// model variable the expression is part of.
    Domain {
        expression: String,
        term: String,
        problem: String,
        rows: usize,
        line: u32,
        value: String,
    },
    /// `poly(x, degree)` needs more distinct observed values of x than `degree`, as in R.
    PolyDegree {
        expression: String,
        degree: usize,
        distinct: usize,
    },
    /// `function` needs numbers, but its `argument` is text (a factor).
    NotNumeric { function: String, argument: String },
    /// `lag`/`lead` step in whole time units, but the time column has `value` on `line`.
    TimeNotWhole {
        function: String,
        time: String,
        line: u32,
        value: f64,
    },
    /// A column of numbers with a few text cells (`value` on `line` is the first), which would
    /// otherwise be read as categories; see [`check_numbers_column`].
    MostlyNumbers {
        column: String,
        line: u32,
        value: String,
        /// Distinct values that are numbers, and that are not.
        numbers: usize,
        others: usize,
        /// `value` looks like a number written with thousands separators (`1,234.5`).
        thousands: bool,
    },
}

impl fmt::Display for TransformError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransformError::UnknownColumn { name, suggestion } => {
                write!(f, "there is no column '{name}' in the data")?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean '{s}'?"),
                    None => Ok(()),
                }
            }
            TransformError::NeedsId { function } => write!(
                f,
                "{function} needs the person column (which rows belong to the same person): \
                 choose it with --id"
            ),
            TransformError::NeedsTime { function } => write!(
                f,
                "{function} needs the time column (when each row was measured): choose it with \
                 --time"
            ),
            TransformError::NeedsIdAndTime { function } => write!(
                f,
                "{function} needs the person column (which rows belong to the same person) and \
                 the time column (when each row was measured): choose them with --id and --time"
            ),
            TransformError::Domain {
                expression,
                term,
                problem,
                rows,
                line,
                value,
            } => {
                write!(f, "`{expression}` ")?;
                if term != expression {
                    write!(f, "(in the term `{term}`) ")?;
                }
                write!(
                    f,
                    "cannot be computed on {rows} row{}: {problem} (the first is line {line}, \
                     with {value}). lagmix does not turn these into missing values or drop them \
                     silently: correct or remove those values, or change the transformation \
                     (for example log(x + 1) or log1p(x) for counts with zeros)",
                    if *rows == 1 { "" } else { "s" }
                )
            }
            TransformError::PolyDegree {
                expression,
                degree,
                distinct,
            } => write!(
                f,
                "`{expression}` needs more distinct values than its degree {degree}, but the \
                 variable has only {distinct}: lower the degree"
            ),
            TransformError::NotNumeric { function, argument } => write!(
                f,
                "{function} needs numbers, but '{argument}' is text (a categorical variable); \
                 {function} can only be taken of a numeric variable"
            ),
            TransformError::TimeNotWhole {
                function,
                time,
                line,
                value,
            } => write!(
                f,
                "{function} steps back or forward in whole units of the time column '{time}', \
                 but line {line} has {time} = {value}; lag and lead need whole-number times \
                 (such as week 1, 2, 3)"
            ),
            TransformError::MostlyNumbers {
                column,
                line,
                value,
                numbers,
                others,
                thousands,
            } => {
                write!(
                    f,
                    "line {line}, column \"{column}\": \"{value}\" is not a number, although \
                     {numbers} other values of {column} are; "
                )?;
                if *thousands {
                    write!(
                        f,
                        "it looks like a number with thousands separators: remove them in the \
                         data (write 1234.5, not 1,234.5)"
                    )?;
                } else if value.bytes().any(|b| b.is_ascii_digit()) {
                    write!(
                        f,
                        "correct the value, or leave the cell empty (or NA) if it is missing"
                    )?;
                } else {
                    write!(
                        f,
                        "if \"{value}\" marks a missing value, add it to the missing-value \
                         codes or leave such cells empty (or NA)"
                    )?;
                }
                write!(
                    f,
                    ". {} distinct value{} of {column} {} not a number. To treat {column} as \
                     categories on purpose, write factor({column})",
                    others,
                    if *others == 1 { "" } else { "s" },
                    if *others == 1 { "is" } else { "are" }
                )
            }
        }
    }
}
impl std::error::Error for TransformError {}
