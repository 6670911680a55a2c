//! The texts of `--help` and `--version`.

/// `lagmix --version`.
pub fn version() -> String {
    format!("lagmix {}\n", env!("CARGO_PKG_VERSION"))
}

/// `lagmix --help`: both commands in short, with pointers to the per-command help.
pub fn general() -> String {
    format!(
        "\
lagmix {} - linear mixed models for repeated-measures data (lme4 / lmerTest results)

Usage:
  lagmix fit DATA.csv --formula FORMULA [options]
  lagmix describe DATA.csv --id COLUMN --time COLUMN VARIABLE... [options]
  lagmix --help | --version

Commands:
  fit        fit a linear mixed model and print its summary (or JSON)
  describe   per-occasion descriptives: n, M, SD and within-person change

DATA.csv is a CSV file with one row per person and occasion; '-' reads it from standard input.
Run 'lagmix fit --help' or 'lagmix describe --help' for the options of each command.

Exit status: 0 on success, 2 when the arguments, the file or the model are not usable (the
message after 'error:' says what to change).
",
        env!("CARGO_PKG_VERSION")
    )
}

/// `lagmix fit --help`.
pub fn fit() -> &'static str {
    "\
Usage: lagmix fit DATA.csv --formula FORMULA [options]

Fits a linear mixed model by REML (or ML) and tests the fixed effects with lmerTest's
Satterthwaite degrees of freedom (or residual / between-within df).

Options:
  --formula F        model in lme4 syntax (required), e.g.
                       'spin ~ within(wai) + between(wai) + (1 | id)'
                       'spin ~ lag(within(wai)) + lag(spin) + (1 + week | id)'
                     panel functions: within(x) between(x) center(x) lag(x) lag(x, 2) lead(x)
                     factor(x); lag and lead need --id and --time
  --id COLUMN        the column that identifies persons
  --time COLUMN      the column that numbers the occasions (for lag / lead)
  --ml               fit by maximum likelihood instead of REML (to compare fixed effects)
  --df METHOD        satterthwaite (default), residual or between-within
                     (between-within is the default with --correlation)
  --correlation C    residuals of one person correlated over time, as nlme fits them:
                     ar1  = corAR1, whole-number times; a missed occasion is a gap
                            (residuals k steps apart correlate phi^k)
                     car1 = corCAR1, any real times (hours, days with fractions)
                     needs --id and --time, and random effects grouped by --id only
  --na CODES         extra missing-value codes, comma-separated, e.g. --na -99,999
                     (empty cells and NA are always missing)
  --delimiter D      ',' ';' or tab (default: detected from the header line)
  --json             print the full result as JSON instead of the text summary
  -h, --help         show this help
"
}

/// `lagmix describe --help`.
pub fn describe() -> &'static str {
    "\
Usage: lagmix describe DATA.csv --id COLUMN --time COLUMN VARIABLE... [options]

Prints one row per occasion with, for each VARIABLE, n, M, SD and the mean (SD) absolute
within-person change from the previous occasion, then the missing values over all occasions.

Options:
  --id COLUMN        the column that identifies persons (required)
  --time COLUMN      the column that numbers the occasions (required)
  --na CODES         extra missing-value codes, comma-separated, e.g. --na -99,999
  --delimiter D      ',' ';' or tab (default: detected from the header line)
  --json             print the descriptives as JSON instead of the table
  -h, --help         show this help
"
}
