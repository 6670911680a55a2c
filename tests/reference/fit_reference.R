# Fits every fixture with lme4 / lmerTest (and nlme for between-within df) and writes
# tests/fixtures/<case>/expected.json.
#
# Run from anywhere:  Rscript tests/reference/fit_reference.R [case ...]
# (no arguments: every directory under tests/fixtures with a spec.json).
#
# For each case: read data.csv as lagmix does (transforms.R), compute the panel functions by hand
# on the full data, fit lmerTest::lmer(rFormula, REML = spec$reml, na.action = na.omit), and record
# the quantities listed in README.md, with R's derived column names mapped back to lagmix text.

suppressPackageStartupMessages({
  library(lme4)
  library(lmerTest)
  library(nlme, include.only = "lme")
  library(jsonlite)
})

script_dir <- local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg)) dirname(normalizePath(sub("^--file=", "", file_arg[1]))) else
    "tests/reference"
})
source(file.path(script_dir, "transforms.R"))
source(file.path(script_dir, "r2.R"))
source(file.path(script_dir, "outputs.R"))
fixtures <- normalizePath(file.path(script_dir, "..", "fixtures"))

versions <- list(
  R = paste(R.version$major, R.version$minor, sep = "."),
  lme4 = packageDescription("lme4")$Version,
  lmerTest = packageDescription("lmerTest")$Version,
  pbkrtest = packageDescription("pbkrtest")$Version,
  nlme = packageDescription("nlme")$Version
)

# Runs expr, collecting warnings and messages instead of printing them.
collecting <- function(expr) {
  warnings <- character(0)
  messages <- character(0)
  value <- withCallingHandlers(expr,
    warning = function(w) {
      warnings <<- c(warnings, conditionMessage(w))
      invokeRestart("muffleWarning")
    },
    message = function(m) {
      messages <<- c(messages, trimws(conditionMessage(m)))
      invokeRestart("muffleMessage")
    })
  list(value = value, warnings = warnings, messages = messages)
}

# Denominator df from nlme::lme (containment / "between-within"), random intercept per id.
between_within <- function(fixed, data, id) {
  random <- as.formula(paste("~ 1 |", id))
  fit <- collecting(lme(fixed, random = random, data = data, method = "REML"))
  table <- summary(fit$value)$tTable
  terms_df <- anova(fit$value, type = "marginal")[, "denDF"]
  names(terms_df) <- rownames(anova(fit$value, type = "marginal"))
  list(df = table[, "DF"], p = table[, "p-value"], estimate = table[, "Value"],
       termDf = terms_df, warnings = fit$warnings)
}

# What a reader of expected.json should know about a case beyond the numbers.
case_notes <- list(
  trial_between = paste(
    "The response between(spin) is constant within person, so the residual variance is 0 in the",
    "limit: lme4 drives theta (tau / sigma) towards infinity (about 1e6), loses precision there",
    "and stops with 'failed to converge' and 'nearly unidentifiable' warnings. Every number here",
    "(theta, sigma, criterion, fixed effects, SEs, df) is an artefact of where the optimizer",
    "stopped and changes with the seed or optimizer: do not compare them. The limit of the GLS",
    "estimates is the person-level least-squares fit with every person weighted equally, given",
    "in personLevelLimit. A correct implementation should warn (or refuse) here."),
  trial_within = "Singular (random-intercept variance 0), as the reference study's lagged models.",
  trial_within_bw = "Singular (random-intercept variance 0), as the reference study's lagged models.",
  singular = "Singular by construction; Satterthwaite df equal n - p at the boundary.",
  lead_k2_factor_time = paste(
    "Only weeks 2..5 have both lag(x, 2) and lead(x, 2): lme4 drops the unused levels of",
    "factor(week), so the reference level is 2."),
  slope_no_fixed_sleepstudy = paste(
    "A random slope for Days without a fixed effect for Days: performance leaves the slope out of",
    "the random-effect variance (r2.slopesLeftOut) and warns."),
  center_lead = "center(x) subtracts the mean of all observed x in data.csv, not of the rows used."
)

# lmerTest's anova(m, type = 3) with the fit's df method. lmerTest has no residual or
# between-within F tests: for those, its type III hypotheses L with the Wald F
# (L b)' (L V L')^-1 (L b) / rows(L), and n - rank(X) df (residual) or the term's denDF in
# nlme's anova(lme, type = "marginal") (between-within; `bw` is between_within()'s result).
type3_anova <- function(m, df_method, labels, bw = NULL) {
  ddf <- if (df_method == "kenward-roger") "Kenward-Roger" else "Satterthwaite"
  a <- anova(m, type = 3, ddf = ddf)
  if (df_method %in% c("residual", "between-within")) {
    hyp <- attr(a, "hypotheses")[rownames(a)]
    b <- fixef(m)
    v <- as.matrix(vcov(m))
    f <- vapply(hyp, function(L) {
      lb <- L %*% b
      drop(t(lb) %*% solve(L %*% v %*% t(L), lb)) / nrow(L)
    }, numeric(1))
    den <- if (df_method == "residual") rep(nobs(m) - qr(getME(m, "X"))$rank, length(f)) else
      unname(bw$termDf[rownames(a)])
    a[["DenDF"]] <- den
    a[["F value"]] <- f
    a[["Pr(>F)"]] <- pf(f, a[["NumDF"]], den, lower.tail = FALSE)
  }
  data.frame(term = to_lagmix_names(rownames(a), labels), numDf = a[["NumDF"]],
             denDf = a[["DenDF"]], f = a[["F value"]], p = a[["Pr(>F)"]])
}

fit_case <- function(case) {
  dir <- file.path(fixtures, case)
  spec <- fromJSON(file.path(dir, "spec.json"), simplifyVector = TRUE)
  na <- as.character(unlist(spec$na))
  # A case may use a data file elsewhere in the repo (the page's example data): spec$data.
  data_file <- if (is.null(spec$data)) "data.csv" else spec$data
  data <- read_fixture_data(file.path(dir, data_file), na)
  r <- lagmix_to_r(spec$formula, data, spec$id, spec$time)
  r_formula <- formula_text(r$formula)
  if (!is.null(spec$rFormula) && spec$rFormula != r_formula) {
    stop(case, ": spec rFormula '", spec$rFormula, "' but computed '", r_formula, "'")
  }
  labels <- r$labels
  full <- r$data
  used <- complete.cases(full[, all.vars(r$formula), drop = FALSE])
  model_data <- full
  notes <- list()

  fitted <- collecting(lmerTest::lmer(r$formula, data = model_data, REML = isTRUE(spec$reml),
                                      na.action = na.omit))
  m <- fitted$value
  stopifnot(nobs(m) == sum(used))
  coefs <- summary(m)$coefficients
  terms <- rownames(coefs)
  estimate <- unname(coefs[, "Estimate"])
  se <- unname(coefs[, "Std. Error"])
  t <- unname(coefs[, "t value"])
  if (spec$df == "satterthwaite") {
    df <- unname(coefs[, "df"])
    p <- unname(coefs[, "Pr(>|t|)"])
  } else if (spec$df == "residual") {
    rank_x <- qr(getME(m, "X"))$rank
    df <- rep(nobs(m) - rank_x, length(terms))
    p <- 2 * pt(-abs(t), df)
  } else if (spec$df == "between-within") {
    bw <- between_within(nobars(r$formula), full[used, , drop = FALSE], spec$id)
    df <- unname(bw$df[terms])
    p <- 2 * pt(-abs(t), df)
    notes$betweenWithin <- list(
      source = "nlme::lme(fixed, random = ~ 1 | id, method = 'REML') summary tTable DF",
      nlmeP = unname(bw$p[terms]),
      nlmeEstimate = unname(bw$estimate[terms]),
      maxAbsPDifference = max(abs(bw$p[terms] - p)),
      warnings = bw$warnings)
  } else if (spec$df == "kenward-roger") {
    # lmerTest's KR: SEs from pbkrtest's vcovAdj, df from pbkrtest's Lb_ddf.
    coefs <- summary(m, ddf = "Kenward-Roger")$coefficients
    se <- unname(coefs[, "Std. Error"])
    t <- unname(coefs[, "t value"])
    df <- unname(coefs[, "df"])
    p <- unname(coefs[, "Pr(>|t|)"])
  } else {
    stop(case, ": unknown df method ", spec$df)
  }
  anova_rows <- type3_anova(m, spec$df, labels, if (spec$df == "between-within") bw)
  half <- qt(0.975, df) * se
  fixed <- data.frame(term = to_lagmix_names(terms, labels), estimate = estimate, se = se, df = df,
                      t = t, p = p, ciLower = estimate - half, ciUpper = estimate + half)

  vc <- as.data.frame(VarCorr(m))
  varcorr <- data.frame(group = vc$grp, var1 = to_lagmix_names(vc$var1, labels),
                        var2 = to_lagmix_names(vc$var2, labels), vcov = vc$vcov, sdcor = vc$sdcor)
  groups <- ngrps(m)
  reml <- isREML(m)
  ll <- logLik(m)
  optinfo <- m@optinfo
  notes$optimizer <- optinfo$optimizer
  notes$optimizerCode <- optinfo$conv$opt
  notes$optimizerMessage <- if (is.null(optinfo$message)) NULL else optinfo$message
  notes$functionEvaluations <- optinfo$feval
  notes$lme4Messages <- I(as.character(unlist(optinfo$conv$lme4$messages)))
  notes$fitWarnings <- I(fitted$warnings)
  notes$fitMessages <- I(fitted$messages)
  notes$lmerTestClass <- class(m)[1]
  notes$mlDevianceAtREMLEstimates <- if (reml) deviance(m, REML = FALSE) else NULL
  notes$case <- case_notes[[case]]
  if (case == "trial_between") {
    rows <- full[used, , drop = FALSE]
    persons <- aggregate(rows[, c("between_spin", "between_wai")], list(id = rows$id), mean)
    limit <- coef(lm(between_spin ~ between_wai, persons))
    notes$personLevelLimit <- list(term = c("(Intercept)", "between(wai)"),
                                   estimate = unname(limit), persons = nrow(persons))
  }

  one_intercept <- nrow(vc) == 2 && vc$var1[1] == "(Intercept)"
  expected <- list(
    versions = versions,
    formula = spec$formula,
    rFormula = r_formula,
    response = to_lagmix_names(deparse(r$formula[[2]]), labels),
    method = if (reml) "REML" else "ML",
    dfMethod = spec$df,
    nobs = nobs(m),
    totalRows = nrow(full),
    droppedRows = sum(!used),
    droppedRowNumbers = I(which(!used)),
    groups = data.frame(name = names(groups), levels = unname(groups)),
    fixed = fixed,
    anova = anova_rows,
    varcorr = varcorr,
    remlCriterion = if (reml) -2 * as.numeric(ll) else NULL,
    logLik = as.numeric(ll),
    aic = AIC(m),
    bic = BIC(m),
    deviance = -2 * as.numeric(ll),
    icc = if (one_intercept) vc$vcov[1] / (vc$vcov[1] + vc$vcov[2]) else NULL,
    theta = I(unname(getME(m, "theta"))),
    sigma = sigma(m),
    singular = isSingular(m, tol = 1e-4),
    converged = optinfo$conv$opt == 0 &&
      !any(grepl("failed to converge|unidentifiable", notes$lme4Messages)),
    vcovBeta = unname(as.matrix(vcov(m))),
    r2 = r2_expected(m),
    notes = notes
  )
  if (case %in% output_cases) write_outputs(m, dir, used, labels)
  write_json(expected, file.path(dir, "expected.json"), digits = NA, auto_unbox = TRUE,
             null = "null", na = "null", pretty = TRUE)
  cat(sprintf("%-28s nobs %4d  %s  singular %-5s  warnings: %s\n", case, nobs(m),
              expected$method, expected$singular,
              paste(c(fitted$warnings, notes$lme4Messages), collapse = " | ")))
  invisible(expected)
}

cases <- commandArgs(trailingOnly = TRUE)
if (length(cases) == 0) {
  cases <- basename(dirname(list.files(fixtures, "^spec\\.json$", recursive = TRUE,
                                       full.names = TRUE)))
}
for (case in cases) fit_case(case)
