# Likelihood-ratio comparisons (lme4's anova(m0, m1, ...)) for `lagmix compare`: writes
# tests/comparisons/<case>/{data.csv, spec.json, expected.json}.
#
# Run from the repository root:  Rscript tests/reference/compare_reference.R
#
# lagmix fits every compared model to the rows complete for all of them (lme4 stops with an error
# when the models use different rows), so each case here computes the panel functions by hand on
# the full data (transforms.R), keeps the rows complete for every model, fits each model with
# lme4 on those rows and records anova()'s table: models in npar order, successive pairs tested.
# With refit = TRUE (lme4's default) REML fits are refitted by ML; with refit = FALSE the REML fits
# are compared.

suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})

script_dir <- local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg)) dirname(normalizePath(sub("^--file=", "", file_arg[1]))) else
    "tests/reference"
})
source(file.path(script_dir, "transforms.R"))
root <- normalizePath(file.path(script_dir, "..", ".."))
out_dir <- file.path(root, "tests", "comparisons")

versions <- list(
  R = paste(R.version$major, R.version$minor, sep = "."),
  lme4 = packageDescription("lme4")$Version
)

# Every model's formula over the same derived data (panel functions computed once, in order).
translate_all <- function(formulas, data, id, time) {
  labels <- character(0)
  rformulas <- list()
  for (f in formulas) {
    tr <- lagmix_to_r(f, data, id, time)
    data <- tr$data
    labels <- c(labels, tr$labels[!names(tr$labels) %in% names(labels)])
    rformulas[[length(rformulas) + 1]] <- tr$formula
  }
  list(data = data, formulas = rformulas, labels = labels)
}

write_case <- function(case, data, formulas, id, time, refit, reml = TRUE, description) {
  dir <- file.path(out_dir, case)
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  write.csv(data, file.path(dir, "data.csv"), row.names = FALSE, na = "")
  data <- read_fixture_data(file.path(dir, "data.csv"))
  tr <- translate_all(formulas, data, id, time)
  vars <- unique(unlist(lapply(tr$formulas, all.vars)))
  complete <- tr$data[complete.cases(tr$data[, vars, drop = FALSE]), ]
  fits <- lapply(tr$formulas, function(f) lmer(f, data = complete, REML = reml))
  names(fits) <- paste0("m", seq_along(fits))
  table <- do.call(anova, c(unname(fits[1]), fits[-1], list(refit = refit)))
  # anova() orders the models by npar (order() keeps ties as given), as lagmix does.
  given <- order(sapply(fits, function(m) attr(logLik(m), "df")))
  models <- lapply(seq_len(nrow(table)), function(i) list(
    formula = formulas[[given[i]]],
    npar = table$npar[i], aic = table$AIC[i], bic = table$BIC[i],
    logLik = table$logLik[i], deviance = table$deviance[i]))
  tests <- lapply(seq_len(nrow(table))[-1], function(i) list(
    chisq = table$Chisq[i], df = table$Df[i], p = table[["Pr(>Chisq)"]][i]))
  spec <- list(formulas = formulas, id = id, time = time, refit = refit, reml = reml,
               description = description)
  expected <- list(versions = versions, nobs = nrow(complete), models = models, tests = tests)
  writeLines(toJSON(spec, auto_unbox = TRUE, pretty = TRUE, null = "null"), file.path(dir, "spec.json"))
  writeLines(toJSON(expected, auto_unbox = TRUE, pretty = TRUE, digits = NA, na = "null"),
             file.path(dir, "expected.json"))
}

trial <- read_fixture_data(file.path(root, "tests", "fixtures", "trial_total", "data.csv"))
sleep <- lme4::sleepstudy
# Days missing on some rows, so that models with and without it use different rows.
sleep_gappy <- sleep
sleep_gappy$Days[c(3, 25, 77, 140)] <- NA

write_case("fixed_ml", trial,
  c("spin ~ week + (1 | id)", "spin ~ week + wai + (1 | id)", "spin ~ week * wai + (1 | id)"),
  id = "id", time = "week", refit = TRUE,
  description = "Synthetic trial: fixed effects added one by one, refitted by ML (lme4's default); wai is missing on rows where spin and week are not, so the first model alone would use more rows.")
write_case("random_no_refit", sleep_gappy,
  c("Reaction ~ Days + (Days | Subject)", "Reaction ~ Days + (1 | Subject)", "Reaction ~ Days + (Days || Subject)"),
  id = NULL, time = NULL, refit = FALSE,
  description = "sleepstudy with four Days missing: random intercept, uncorrelated and correlated slopes compared by REML (refit = FALSE), given out of npar order.")
write_case("lagged_not_nested", trial,
  c("lead(spin) ~ spin + (1 | id)", "lead(spin) ~ wai + (1 | id)", "lead(spin) ~ spin + wai + (1 | id)"),
  id = "id", time = "week", refit = TRUE,
  description = "Synthetic trial, lagged models: the first two have the same npar and are not nested (AIC/BIC only), the third contains both.")

# A residual AR(1) against independent residuals (issue 10): nlme's anova(lme0, lme1) of REML
# fits with the same fixed effects. nlme's BIC for REML fits uses log(N - p) where lme4 and
# lagmix use log(N), so BIC is not recorded (null); logLik, AIC and the test are the same.
write_ar1_case <- function(case, source, description) {
  dir <- file.path(out_dir, case)
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  file.copy(file.path(root, "tests", "fixtures-nlme", source, "data.csv"), file.path(dir, "data.csv"),
            overwrite = TRUE)
  data <- read_fixture_data(file.path(dir, "data.csv"))
  data <- data[complete.cases(data[, c("y", "x", "id", "time")]), ]
  m0 <- nlme::lme(y ~ x, random = ~ 1 | id, data = data, method = "REML")
  m1 <- nlme::lme(y ~ x, random = ~ 1 | id, data = data, method = "REML",
                  correlation = nlme::corAR1(form = ~ time | id))
  table <- anova(m0, m1)
  models <- lapply(1:2, function(i) list(
    formula = "y ~ x + (1 | id)", npar = table$df[i], aic = table$AIC[i], bic = NULL,
    logLik = table$logLik[i], deviance = -2 * table$logLik[i]))
  tests <- list(list(chisq = table$L.Ratio[2], df = table$df[2] - table$df[1], p = table[["p-value"]][2]))
  spec <- list(formulas = c("y ~ x + (1 | id)", "y ~ x + (1 | id)"), correlations = c("none", "ar1"),
               id = "id", time = "time", refit = FALSE, reml = TRUE, description = description)
  expected <- list(versions = c(versions, nlme = packageDescription("nlme")$Version),
                   nobs = nrow(data), models = models, tests = tests)
  writeLines(toJSON(spec, auto_unbox = TRUE, pretty = TRUE, null = "null"), file.path(dir, "spec.json"))
  writeLines(toJSON(expected, auto_unbox = TRUE, pretty = TRUE, digits = NA, na = "null", null = "null"),
             file.path(dir, "expected.json"))
}
write_ar1_case("ar1_vs_independent", "ar1_gaps_reml",
  "The AR(1) fixture's panel (gaps, shuffled rows): independent residuals against AR(1) within person, REML fits with the same fixed effects, as nlme's anova(lme0, lme1).")
