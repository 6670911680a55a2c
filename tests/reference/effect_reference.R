# The fitted-effect figure's numbers (inference/effect.rs) from emmeans: the prediction over a
# predictor's range with the other predictors at their means and factors averaged over their
# levels in proportion (weights = "proportional"), with its standard error from vcov(model).
# emmeans' df per point is not what lagmix uses (the coefficient's df), so the band is compared
# through the estimate and SE only (lmer.df = "asymptotic" leaves them unchanged; with
# "kenward-roger" the SE is the adjusted one).
# Writes tests/effects/expected.json, which crate/tests/effects.rs compares with
# Dataset::effect_curve.
#
# Run from the repository root:  Rscript tests/reference/effect_reference.R

suppressPackageStartupMessages({library(lmerTest); library(emmeans); library(jsonlite)})
case <- function(fixture, formula, term, variable = term, df = "asymptotic") {
  data <- read.csv(file.path("tests/fixtures", fixture, "data.csv"))
  model <- lmer(as.formula(formula), data = data, REML = TRUE)
  used <- model.frame(model)[[variable]]
  x <- seq(min(used), max(used), length.out = 41)
  at <- setNames(list(x), variable)
  grid <- summary(emmeans(model, as.formula(paste("~", variable)), at = at,
                          weights = "proportional", lmer.df = df))
  list(fixture = fixture, formula = formula, term = term, df = df, x = x, fit = grid$emmean, se = grid$SE)
}
out <- list(
  versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                  lme4 = as.character(packageVersion("lme4")),
                  emmeans = as.character(packageVersion("emmeans")),
                  pbkrtest = as.character(packageVersion("pbkrtest"))),
  cases = list(
    case("interaction_factor", "y ~ arm * x + (1 | id)", "x"),
    case("factor_orthodont", "distance ~ age + Sex + (1 | Subject)", "age"),
    # Under Kenward-Roger emmeans takes the SE from pbkrtest's adjusted covariance (vcovAdj).
    case("interaction_factor", "y ~ arm * x + (1 | id)", "x", df = "kenward-roger")
  )
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = FALSE), "tests/effects/expected.json")
