//! lme4 formula text -> [`ModelSpec`]: response, fixed terms, random-effects terms.
//!
//! OWNER: formula helper. Interface fixed; implementation to be written.

/// A variable expression: a column, possibly wrapped in panel functions.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
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
}

impl Expr {
    /// Normalized text, used as the term name: `lag(within(spin))`, `lag(x, 2)`.
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
        }
    }
}

/// A model term: one expression, or an interaction (`a:b`) of several.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub factors: Vec<Expr>,
}

/// One random-effects term `(terms | grouping)` after expanding `||` and `/`.
#[derive(Debug, Clone, PartialEq)]
pub struct RandomTerm {
    pub intercept: bool,
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
    pub response: Expr,
    pub intercept: bool,
    /// Fixed terms in the order R's `terms()` gives them (by degree, then as written).
    pub terms: Vec<Term>,
    pub random: Vec<RandomTerm>,
}

/// What can go wrong parsing a formula.
#[derive(Debug, Clone, PartialEq)]
pub enum FormulaError {
    Syntax {
        formula: String,
        position: usize,
        message: String,
    },
}

impl std::fmt::Display for FormulaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}
impl std::error::Error for FormulaError {}

/// Parses lme4 formula syntax.
pub fn parse_formula(text: &str) -> Result<ModelSpec, FormulaError> {
    Err(FormulaError::Syntax {
        formula: text.to_string(),
        position: 0,
        message: "not yet".into(),
    })
}
