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
