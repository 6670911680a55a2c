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
  lagmix compare DATA.csv --formula F0 --formula F1 [--formula F2 ...] [options]
  lagmix describe DATA.csv --id COLUMN --time COLUMN VARIABLE... [options]
  lagmix reshape WIDE.csv --id COLUMN --time NAME [options]
  lagmix reliability DATA.csv --items Q1,Q2,... [options]
  lagmix --help | --version

Commands:
  fit        fit a linear mixed model and print its summary (or JSON)
  compare    likelihood-ratio tests between models fitted to the same rows (lme4's anova)
  describe   per-occasion descriptives: n, M, SD and within-person change
  reshape    wide (spin_1, spin_2, ...) to long (one row per person and occasion)
  reliability  Cronbach's alpha (psych), within/between-person alpha, scale scores

DATA.csv is a CSV file with one row per person and occasion; '-' reads it from standard input.
Excel and OpenDocument workbooks (.xlsx .xlsm .xls .ods) and SPSS files (.sav .zsav) are read
too, recognised from their contents.
Run 'lagmix fit --help', 'lagmix compare --help' or 'lagmix describe --help' for the options
of each command.

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
Satterthwaite degrees of freedom (or Kenward-Roger, residual / between-within df),
with lmerTest's type III F test of every fixed-effects term.

Options:
  --formula F        model in lme4 syntax (required), e.g.
                       'spin ~ within(wai) + between(wai) + (1 | id)'
                       'spin ~ lag(within(wai)) + lag(spin) + (1 + week | id)'
                     panel functions: within(x) between(x) center(x) lag(x) lag(x, 2) lead(x)
                     factor(x); lag and lead need --id and --time
                     arithmetic as in R: I(week^2) I(week - 1) log(x) log(x, 2) log2 log10
                     log1p exp sqrt abs scale(x) scale(x, scale = FALSE) poly(x, 2)
                     poly(x, 2, raw = TRUE); nest both ways: within(log(x)), log(lead(y) + 1)
  --id COLUMN        the column that identifies persons
  --time COLUMN      the column that numbers the occasions (for lag / lead)
  --ml               fit by maximum likelihood instead of REML (to compare fixed effects)
  --df METHOD        satterthwaite (default), kenward-roger (REML only), residual or
                     between-within; the t tests and the type III F tests use it
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
  --sheet NAME       the workbook sheet to read (default: the first)
  --factor VARS      SPSS variables to read as factors of their value labels, comma-separated
                     (default: the nominal variables with value labels)
  --numeric VARS     SPSS variables to keep as numbers (their codes) even when nominal
  --r-script         print an R script (lme4 + lmerTest) that reproduces the fit from
                     DATA.csv in the working directory, instead of the summary
  --random-effects FILE
                     write the conditional modes (lme4's ranef) with their conditional SDs
                     as CSV: grpvar, term, grp, condval, condsd
  --derived-data FILE
                     write every model variable as evaluated, with the fitted value and the
                     conditional residual of each row used, as CSV
  -h, --help         show this help
"
}

/// `lagmix compare --help`.
pub fn compare() -> &'static str {
    "\
Usage: lagmix compare DATA.csv --formula F0 --formula F1 [--formula F2 ...] [options]

Fits every model to the rows complete for all of them (so that their likelihoods are
comparable) and prints lme4's anova(m0, m1, ...) table: the models in order of their number of
parameters (npar), AIC, BIC, log-likelihood and deviance, and a likelihood-ratio (chi-square)
test of each model against the one before it. Models that are not nested are compared by AIC
and BIC only (a note says so).

Options:
  --formula F        a model in lme4 syntax; give two or more (see 'lagmix fit --help')
  --id COLUMN        the column that identifies persons
  --time COLUMN      the column that numbers the occasions (for lag / lead)
  --ml               fit the models by maximum likelihood (the comparison uses ML anyway,
                     unless --no-refit)
  --no-refit         compare the REML fits instead of refitting them by ML, as
                     anova(..., refit = FALSE); only for models with the same fixed effects
                     (for testing random effects)
  --na CODES         extra missing-value codes, comma-separated, e.g. --na -99,999
  --delimiter D      ',' ';' or tab (default: detected from the header line)
  --json             print the comparison as JSON: {models: [...], tests: [...]}
  --r-script         print an R script (lme4) that reproduces the comparison from DATA.csv
                     in the working directory, instead of the table
  --sheet, --factor, --numeric   for workbooks and SPSS files, as in 'lagmix fit --help'
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
  --sheet NAME       the workbook sheet to read (default: the first)
  --factor VARS      SPSS variables to read as factors of their value labels, comma-separated
                     (default: the nominal variables with value labels)
  --numeric VARS     SPSS variables to keep as numbers (their codes) even when nominal
  -h, --help         show this help
"
}
