//! An R script that reproduces a lagmix fit with lme4/lmerTest (`lagmix fit ... --r-script`, the
//! page's "R script" export): for reviewers and for readers who want to check the numbers.
//!
//! The script reads the data file by its name from the working directory with the same reading
//! options (delimiter, decimal comma, missing-value codes), rebuilds every panel function by hand
//! in base R on the whole data set before any row is dropped (person means over all observed
//! values, the gap-aware lag/lead matched by the time value, centring), sets the level order of
//! every text column the model uses explicitly (R's sort order depends on the locale, lagmix's
//! does not), fits the model into an object named `model` and prints lmerTest's summary with the
//! same df method. Residual and between-within df, which lmerTest does not offer, are computed in
//! the script. The last object, `fixed_effects`, is the table lagmix reports.

use crate::formula::{Arith, Expr, Function, ModelSpec, RandomTerm, Term};
use crate::frame::{Column, Frame};
use crate::inference::DfMethod;
use crate::ModelOptions;

/// How the data file was read, for the script's `read.csv` call.
#[derive(Debug, Clone)]
pub struct ScriptData<'a> {
    /// The file name as the user gave it (the script reads it from the working directory).
    pub file_name: &'a str,
    /// The extra missing-value codes (empty cells and `NA` are always missing).
    pub na: &'a [String],
    pub id: Option<&'a str>,
    pub time: Option<&'a str>,
}

/// The R script that refits `spec` (read from `frame`) as lagmix fitted it with `options`.
pub fn r_script(
    spec: &ModelSpec,
    options: &ModelOptions,
    data: &ScriptData,
    frame: &Frame,
) -> String {
    let mut derived = Derived::default();
    let formula = r_formula(spec, &mut derived);
    let command = format!(
        "lagmix fit{}{} --df {}",
        data_arguments(data),
        model_arguments(spec, options),
        options.df.name()
    );
    let mut out = header(&command, data);
    out.push_str(&prelude(&[spec], data, frame, &derived));
    out.push_str(&format!(
        "\nmodel <- lmer({formula},\n              data = data, REML = {}, na.action = na.omit)\n",
        r_bool(options.reml)
    ));
    out.push_str(&fixed_effects_table(options.df));
    out
}

/// The R script of a comparison (`lagmix compare`): every model fitted to the rows complete
/// for all of them, then lme4's `anova(model1, model2, ..., refit = )` into `comparison`.
pub fn r_script_compare(
    specs: &[ModelSpec],
    options: &[ModelOptions],
    refit: bool,
    data: &ScriptData,
    frame: &Frame,
) -> String {
    let mut derived = Derived::default();
    let formulas: Vec<String> = specs.iter().map(|s| r_formula(s, &mut derived)).collect();
    let arguments: Vec<String> = specs
        .iter()
        .zip(options)
        .map(|(s, o)| model_arguments(s, o))
        .collect();
    let command = format!(
        "lagmix compare{}{}{}",
        data_arguments(data),
        arguments.concat(),
        if refit { "" } else { " --no-refit" }
    );
    let mut out = header(&command, data);
    let spec_refs: Vec<&ModelSpec> = specs.iter().collect();
    out.push_str(&prelude(&spec_refs, data, frame, &derived));
    out.push_str(&format!(
        "\nformulas <- list(\n  {}\n)\n\
         # Every model on the rows complete for all of them, as lagmix compares them (anova()\n\
         # needs models fitted to the same rows).\n\
         shared <- complete.cases(data[, unique(unlist(lapply(formulas, all.vars))), drop = FALSE])\n",
        formulas.join(",\n  ")
    ));
    let mut names = Vec::new();
    for (k, o) in options.iter().enumerate() {
        names.push(format!("model{}", k + 1));
        out.push_str(&format!(
            "model{} <- lmer(formulas[[{}]], data = data[shared, ], REML = {})\n",
            k + 1,
            k + 1,
            r_bool(o.reml)
        ));
    }
    out.push_str(&format!(
        "comparison <- anova({}, refit = {})\nprint(comparison)\n",
        names.join(", "),
        r_bool(refit)
    ));
    out
}

/// `--formula "..."` of one model as the lagmix command line has it (with `--ml`).
fn model_arguments(spec: &ModelSpec, options: &ModelOptions) -> String {
    format!(
        " --formula \"{}\"{}",
        spec.text,
        if options.reml { "" } else { " --ml" }
    )
}

/// The data file and the panel columns as the lagmix command line has them.
fn data_arguments(data: &ScriptData) -> String {
    let mut text = format!(" {}", data.file_name);
    for (flag, value) in [("--id", data.id), ("--time", data.time)] {
        if let Some(v) = value {
            text.push_str(&format!(" {flag} {v}"));
        }
    }
    text
}

/// Reading the data, the level orders and the derived variables of every model in `specs`.
fn prelude(specs: &[&ModelSpec], data: &ScriptData, frame: &Frame, derived: &Derived) -> String {
    let mut out = read_data(data, frame);
    out.push_str(&factor_levels(specs, data, frame));
    if specs
        .iter()
        .any(|s| model_exprs(s).iter().any(|e| uses_poly(e)))
    {
        out.push_str(POLY_OBSERVED);
    }
    if derived.columns.is_empty() {
        return out;
    }
    out.push_str(PANEL_HELPERS);
    out.push_str(
        "\n# The model's derived variables, computed on every row before rows are dropped\n",
    );
    for (variable, column) in [("id_column", data.id), ("time_column", data.time)] {
        if let Some(column) = column {
            out.push_str(&format!("{variable} <- {}\n", r_string(column)));
        }
    }
    for (name, code, label) in &derived.columns {
        out.push_str(&format!("data${name} <- {code}  # {label}\n"));
    }
    out
}

/// `TRUE` or `FALSE`.
fn r_bool(value: bool) -> &'static str {
    if value {
        "TRUE"
    } else {
        "FALSE"
    }
}

/// The comment block and the packages.
fn header(command: &str, data: &ScriptData) -> String {
    format!(
        "# Reproduces, with lme4 and lmerTest, what lagmix {} reported for\n#   {command}\n\
         # Run it with Rscript in the folder that holds {}.\n\
         # Packages needed: lme4, lmerTest (install.packages(c(\"lme4\", \"lmerTest\")))\n\n\
         suppressPackageStartupMessages({{\n  library(lme4)\n  library(lmerTest)\n}})\n\n",
        env!("CARGO_PKG_VERSION"),
        data.file_name
    )
}

/// `data <- read.csv(...)` with lagmix's reading of the file.
fn read_data(data: &ScriptData, frame: &Frame) -> String {
    let mut na = vec!["\"\"".to_string(), "\"NA\"".to_string()];
    na.extend(data.na.iter().map(|c| r_string(c)));
    let sep = match frame.delimiter {
        b'\t' => "\\t".to_string(),
        d => (d as char).to_string(),
    };
    format!(
        "# As lagmix read it: delimiter {}, decimal {}, missing: empty cells, NA{}\n\
         data <- read.csv({}, sep = \"{sep}\", dec = \"{}\", na.strings = c({}),\n                 \
         check.names = FALSE, stringsAsFactors = FALSE, strip.white = TRUE,\n                 \
         fileEncoding = \"UTF-8-BOM\")\n",
        r_string(&sep),
        if frame.decimal_comma {
            "comma"
        } else {
            "point"
        },
        if data.na.is_empty() {
            String::new()
        } else {
            format!(", {}", data.na.join(", "))
        },
        r_string(data.file_name),
        if frame.decimal_comma { "," } else { "." },
        na.join(", ")
    )
}

/// `factor(..., levels = ...)` for every text column the models use, in lagmix's level order.
fn factor_levels(specs: &[&ModelSpec], data: &ScriptData, frame: &Frame) -> String {
    let mut columns: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        if !columns.iter().any(|c| c == name) {
            columns.push(name.to_string());
        }
    };
    for spec in specs {
        for expr in model_exprs(spec) {
            expr_columns(expr, &mut add);
        }
        for group in spec.random.iter().flat_map(|r| &r.grouping) {
            add(group);
        }
    }
    if let Some(id) = data.id {
        add(id);
    }
    let mut out = String::new();
    for name in &columns {
        let Some(Column::Text(text)) = frame
            .column_index(name)
            .ok()
            .and_then(|i| frame.columns.get(i))
        else {
            continue;
        };
        let levels: Vec<String> = text.levels.iter().map(|l| r_string(l)).collect();
        out.push_str(&format!(
            "data[[{0}]] <- factor(data[[{0}]], levels = c({1}))\n",
            r_string(name),
            levels.join(", ")
        ));
    }
    if out.is_empty() {
        out
    } else {
        format!(
            "\n# Text columns with lagmix's level order (the first is the reference level)\n{out}"
        )
    }
}

/// Every column an expression reads.
fn expr_columns(expr: &Expr, add: &mut impl FnMut(&str)) {
    match expr {
        Expr::Column(name) => add(name),
        _ => {
            for child in expr.children() {
                expr_columns(child, add);
            }
        }
    }
}

/// The response and every variable of the model.
fn model_exprs(spec: &ModelSpec) -> Vec<&Expr> {
    let mut exprs = vec![&spec.response];
    let random = spec.random.iter().flat_map(|r| &r.terms);
    for term in spec.terms.iter().chain(random) {
        exprs.extend(&term.factors);
    }
    exprs
}

/// Whether `poly()` occurs in an expression.
fn uses_poly(expr: &Expr) -> bool {
    matches!(expr, Expr::Call(Function::Poly, _)) || expr.children().into_iter().any(uses_poly)
}

/// lagmix's poly(): R's, over the observed values of x (R's own refuses a missing x).
const POLY_OBSERVED: &str = "
# lagmix builds poly() over the observed values of x, where R's poly() refuses missing values:
# this poly() is R's on the observed rows, with NA on the others (and R's own without NA).
poly <- function(x, degree = 1, raw = FALSE) {
  observed <- !is.na(x)
  if (all(observed)) return(stats::poly(x, degree, raw = raw))
  basis <- matrix(NA_real_, length(x), degree, dimnames = list(NULL, seq_len(degree)))
  basis[observed, ] <- stats::poly(x[observed], degree, raw = raw)
  basis
}
";

/// The base-R helpers for the panel functions (defined only when the model uses them).
const PANEL_HELPERS: &str = "
# Panel functions as lagmix computes them
# The person's mean of all observed values, on every row of that person.
person_mean <- function(x, id) {
  m <- ave(x, id, FUN = function(v) mean(v, na.rm = TRUE))
  m[is.nan(m)] <- NA
  m
}
# The same person's value at time t + shift, matched by the time VALUE: a missing occasion
# gives NA, never the neighbouring row.
shift_by_time <- function(x, id, time, shift) {
  key <- paste(id, time, sep = \"\\r\")
  x[match(paste(id, time + shift, sep = \"\\r\"), key)]
}
";

/// The derived columns the formula needs: (R name, R code, lagmix text).
#[derive(Default)]
struct Derived {
    columns: Vec<(String, String, String)>,
}

impl Derived {
    /// The R column holding `expr`, added on first use.
    fn column(&mut self, expr: &Expr, code: String) -> String {
        let label = expr.name();
        if let Some((name, _, _)) = self.columns.iter().find(|(_, _, l)| *l == label) {
            return name.clone();
        }
        let mut name: String = label
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        while self.columns.iter().any(|(n, _, _)| *n == name) {
            name.push('_');
        }
        self.columns.push((name.clone(), code, label));
        name
    }
}

/// Whether an expression needs the panel (a person mean, a lag, a centring on the whole file)
/// somewhere inside: R's formula cannot compute those, so the script does, in a column.
fn uses_panel(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Within(_) | Expr::Between(_) | Expr::Center(_) | Expr::Lag(..) | Expr::Lead(..)
    ) || expr.children().into_iter().any(uses_panel)
}

/// R code computing `expr` on every row of `data`.
fn r_code(expr: &Expr) -> String {
    let id = "data[[id_column]]";
    match expr {
        Expr::Column(name) => format!("data[[{}]]", r_string(name)),
        Expr::Within(e) => {
            let x = r_code(e);
            format!("({x} - person_mean({x}, {id}))")
        }
        Expr::Between(e) => format!("person_mean({}, {id})", r_code(e)),
        Expr::Center(e) => {
            let x = r_code(e);
            format!("({x} - mean({x}, na.rm = TRUE))")
        }
        Expr::Lag(e, k) => format!(
            "shift_by_time({}, {id}, data[[time_column]], -{k})",
            r_code(e)
        ),
        Expr::Lead(e, k) => format!(
            "shift_by_time({}, {id}, data[[time_column]], {k})",
            r_code(e)
        ),
        Expr::Factor(e) => format!("factor({})", r_code(e)),
        Expr::Number(_) | Expr::Logical(..) => expr.name(),
        Expr::Paren(e) | Expr::Identity(e) => format!("({})", r_code(e)),
        Expr::Unary(op, e) => format!(
            "{}{}",
            if *op == Arith::Subtract { "-" } else { "+" },
            r_code(e)
        ),
        // Parenthesised whatever the operator: the tree, not R's precedence, says what is inside.
        Expr::Binary(op, l, r) => format!("({} {} {})", r_code(l), arith_symbol(*op), r_code(r)),
        Expr::Call(function, args) => {
            let args: Vec<String> = args
                .iter()
                .map(|a| match &a.name {
                    Some(name) => format!("{name} = {}", r_code(&a.value)),
                    None => r_code(&a.value),
                })
                .collect();
            let call = format!("{}({})", function.r_name(), args.join(", "));
            // scale() returns a one-column matrix; the column is a plain vector.
            if *function == Function::Scale {
                format!("as.numeric({call})")
            } else {
                call
            }
        }
    }
}

/// An arithmetic operator in R code.
fn arith_symbol(op: Arith) -> &'static str {
    match op {
        Arith::Add => "+",
        Arith::Subtract => "-",
        Arith::Multiply => "*",
        Arith::Divide => "/",
        Arith::Power => "^",
    }
}

/// How an expression appears in the R formula: as written when R computes it the same way,
/// else as a derived column.
fn formula_expr(expr: &Expr, derived: &mut Derived) -> String {
    match expr {
        _ if !uses_panel(expr) => r_name(&expr.name()),
        Expr::Factor(e) => format!("factor({})", formula_expr(e, derived)),
        // A basis of several columns stays poly() in the formula, over the derived variable.
        Expr::Call(Function::Poly, args) => {
            let args: Vec<String> = args
                .iter()
                .map(|a| {
                    let value = formula_expr(&a.value, derived);
                    a.name
                        .as_ref()
                        .map_or(value.clone(), |n| format!("{n} = {value}"))
                })
                .collect();
            format!("poly({})", args.join(", "))
        }
        _ => derived.column(expr, r_code(expr)),
    }
}

fn term_text(term: &Term, derived: &mut Derived) -> String {
    let parts: Vec<String> = term
        .factors
        .iter()
        .map(|e| formula_expr(e, derived))
        .collect();
    parts.join(":")
}

fn random_text(term: &RandomTerm, derived: &mut Derived) -> String {
    let mut parts = vec![if term.intercept { "1" } else { "0" }.to_string()];
    parts.extend(term.terms.iter().map(|t| term_text(t, derived)));
    let groups: Vec<String> = term.grouping.iter().map(|g| r_name(g)).collect();
    format!("({} | {})", parts.join(" + "), groups.join(":"))
}

/// The formula over the data's columns and the derived ones.
fn r_formula(spec: &ModelSpec, derived: &mut Derived) -> String {
    let response = formula_expr(&spec.response, derived);
    let mut rhs = vec![if spec.intercept { "1" } else { "0" }.to_string()];
    rhs.extend(spec.terms.iter().map(|t| term_text(t, derived)));
    rhs.extend(spec.random.iter().map(|r| random_text(r, derived)));
    format!("{response} ~ {}", rhs.join(" + "))
}

/// The fixed-effects table with lagmix's df method, printed, in `fixed_effects`.
fn fixed_effects_table(df: DfMethod) -> String {
    let head = match df {
        DfMethod::Satterthwaite => "\nprint(summary(model, ddf = \"Satterthwaite\"))\nprint(anova(model))\n\
             coefs <- coef(summary(model, ddf = \"Satterthwaite\"))\n\
             df <- coefs[, \"df\"]\n"
            .to_string(),
        DfMethod::Residual => "\nprint(summary(model, ddf = \"lme4\"))\n\
             coefs <- coef(summary(model, ddf = \"lme4\"))\n\
             # Residual df: observations minus fixed effects, for every coefficient.\n\
             df <- rep(nobs(model) - ncol(getME(model, \"X\")), nrow(coefs))\n"
            .to_string(),
        DfMethod::KenwardRoger => "\n# Kenward-Roger df and standard errors need the pbkrtest package (install.packages(\"pbkrtest\")).\n\
             print(summary(model, ddf = \"Kenward-Roger\"))\nprint(anova(model, ddf = \"Kenward-Roger\"))\n\
             coefs <- coef(summary(model, ddf = \"Kenward-Roger\"))\n\
             df <- coefs[, \"df\"]\n"
            .to_string(),
        DfMethod::BetweenWithin => format!(
            "\nprint(summary(model, ddf = \"lme4\"))\ncoefs <- coef(summary(model, ddf = \"lme4\"))\n{CONTAINMENT_DF}df <- containment_df(model)\n"
        ),
    };
    head + TABLE_TAIL
}

/// nlme's containment ("between-within") df, as lagmix assigns them.
const CONTAINMENT_DF: &str = "# Between-within (containment) df as nlme assigns them: grouping factors from the one
# with the fewest groups inwards; a coefficient belongs to the outermost factor within whose
# groups its column is constant, else to the residual level (a random slope does not move it,
# as in nlme 3.1-162); a level's df are its groups minus those of the level above minus its
# coefficients.
containment_df <- function(model) {
  X <- getME(model, \"X\")
  flist <- getME(model, \"flist\")
  flist <- flist[order(sapply(flist, nlevels))]
  constant_within <- function(x, g) all(tapply(x, g, function(v) all(abs(v - v[1]) <= 1e-10 * (1 + abs(v[1])))))
  level <- sapply(colnames(X), function(name) {
    if (name == \"(Intercept)\") return(0)
    for (i in seq_along(flist)) {
      if (constant_within(X[, name], flist[[i]])) return(i)
    }
    length(flist) + 1
  })
  counts <- c(1, sapply(flist, nlevels), nrow(X))
  level_df <- sapply(seq_len(length(counts) - 1), function(i) counts[i + 1] - counts[i] - sum(level == i))
  ifelse(level == 0, level_df[length(flist) + 1], level_df[pmax(level, 1)])
}
";

/// The table every df method ends with.
const TABLE_TAIL: &str = "t <- coefs[, \"t value\"]
half <- qt(0.975, df) * coefs[, \"Std. Error\"]
fixed_effects <- data.frame(estimate = coefs[, \"Estimate\"], se = coefs[, \"Std. Error\"],
                            df = df, t = t, p = 2 * pt(-abs(t), df),
                            ci_lower = coefs[, \"Estimate\"] - half,
                            ci_upper = coefs[, \"Estimate\"] + half)
print(fixed_effects, digits = 6)
";

/// A name as R's formula reads it: backquoted unless it is syntactic.
fn r_name(name: &str) -> String {
    let syntactic = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
    if syntactic || name.contains('(') {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "\\`"))
    }
}

/// A double-quoted R string.
fn r_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
