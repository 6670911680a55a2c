# Golden fixtures for residual correlation structures (issue 10): nlme's corAR1 and corCAR1.
# Writes tests/fixtures-nlme/<case>/{data.csv, spec.json, expected.json}.
#
# Run from the repository root:  Rscript tests/reference/nlme_correlation.R
# Deterministic (seeded): rerunning with the same R and nlme reproduces the files.
#
# Each case is simulated here (process and seed next to its code), written as CSV as a user would
# give it to lagmix (rows shuffled, absent occasions, empty cells), read back with read.csv, and
# fitted with
#   nlme::lme(fixed, random, correlation = corAR1(form = ~ time | id) or corCAR1(...),
#             method = "REML" / "ML", na.action = na.omit)
# `form = ~ time | id` matters: a bare corAR1() would use the row positions, not the times.
# Recorded: fixed effects (Value, Std.Error, DF, t, p from summary()$tTable), phi (the
# constrained coefficient of the corStruct), sigma, the random effects' SDs and correlation
# (VarCorr), logLik, nlme's AIC and BIC, and AIC/BIC in lme4's convention (BIC with log(N) for
# REML too: nlme's REML BIC uses log(N - p)).

suppressPackageStartupMessages({
  library(nlme)
  library(jsonlite)
})

out_dir <- "tests/fixtures-nlme"
versions <- list(
  R = paste(R.version$major, R.version$minor, sep = "."),
  nlme = packageDescription("nlme")$Version
)

# An AR(1) residual series at `times` (increasing): e_k = phi^d e_{k-1} + sqrt(1 - phi^(2d)) z.
ar1_series <- function(times, phi, sd) {
  e <- numeric(length(times))
  e[1] <- rnorm(1, sd = sd)
  for (k in seq_along(times)[-1]) {
    a <- phi^(times[k] - times[k - 1])
    e[k] <- a * e[k - 1] + sqrt(1 - a^2) * rnorm(1, sd = sd)
  }
  e
}

# A panel of `persons`, each at `times_of(i)`, y = 2 + 0.5 x + u_i + s_i x + e.
simulate <- function(persons, times_of, phi, sd_u = 1, sd_slope = 0, sd_e = 1) {
  rows <- lapply(seq_len(persons), function(i) {
    t <- times_of(i)
    x <- round(rnorm(length(t), mean = 0.3 * i / persons), 3)
    u <- rnorm(1, sd = sd_u)
    s <- rnorm(1, sd = sd_slope)
    e <- ar1_series(t, phi, sd_e)
    data.frame(id = sprintf("P%02d", i), time = t, x = x,
               y = round(2 + 0.5 * x + u + s * x + e, 4))
  })
  d <- do.call(rbind, rows)
  d[sample(nrow(d)), ]
}

# Weekly panel 1..10 with about a quarter of the weeks absent (gaps).
weekly_with_gaps <- function(i) sort(sample(1:10, sample(6:10, 1)))

fit_case <- function(name, data, fixed, random, structure, reml, description) {
  dir.create(file.path(out_dir, name), showWarnings = FALSE, recursive = TRUE)
  write.csv(data, file.path(out_dir, name, "data.csv"), row.names = FALSE, na = "")
  d <- read.csv(file.path(out_dir, name, "data.csv"))
  correlation <- if (structure == "ar1") corAR1(form = ~ time | id) else
    corCAR1(form = ~ time | id)
  m <- lme(fixed, random = random, correlation = correlation, data = d,
           method = if (reml) "REML" else "ML", na.action = na.omit)
  tt <- summary(m)$tTable
  # getVarCov: the random effects' covariance matrix at full precision (VarCorr prints rounded).
  v <- unclass(getVarCov(m))
  random_sd <- lapply(seq_len(nrow(v)), function(k)
    list(term = rownames(v)[k], sd = sqrt(v[k, k])))
  corr <- if (nrow(v) > 1) cov2cor(v)[2, 1] else NULL
  ll <- as.numeric(logLik(m))
  k <- attr(logLik(m), "df")
  n <- m$dims$N
  p <- length(fixef(m))
  lme4_style <- list(aic = -2 * ll + 2 * k, bic = -2 * ll + k * log(n))
  lagmix_formula <- paste(deparse(fixed), "+",
                          paste0("(", sub("~", "", deparse(random[[2]][[2]])), " | id)"))
  lagmix_formula <- gsub("  +", " ", lagmix_formula)
  spec <- list(formula = lagmix_formula, id = "id", time = "time", reml = reml,
               df = "between-within", correlation = structure, description = description)
  expected <- list(
    versions = versions,
    call = paste0("lme(", deparse(fixed), ", random = ", deparse(random),
                  ", correlation = ", if (structure == "ar1") "corAR1" else "corCAR1",
                  "(form = ~ time | id), method = \"", if (reml) "REML" else "ML",
                  "\", na.action = na.omit)"),
    nobs = n, groups = m$dims$ngrps[["id"]],
    fixed = lapply(seq_len(nrow(tt)), function(j) list(
      term = rownames(tt)[j], estimate = tt[j, "Value"], se = tt[j, "Std.Error"],
      df = tt[j, "DF"], t = tt[j, "t-value"], p = tt[j, "p-value"])),
    phi = unname(coef(m$modelStruct$corStruct, unconstrained = FALSE)),
    sigma = m$sigma,
    randomSd = random_sd,
    randomCorrelation = corr,
    logLik = ll, npar = k,
    aic = lme4_style$aic, bic = lme4_style$bic,
    aicNlme = AIC(m), bicNlme = BIC(m),
    notes = list(bicNlmeUses = if (reml) "log(N - p)" else "log(N)", p = p)
  )
  writeLines(toJSON(spec, auto_unbox = TRUE, pretty = TRUE, digits = NA),
             file.path(out_dir, name, "spec.json"))
  writeLines(toJSON(expected, auto_unbox = TRUE, pretty = TRUE, digits = NA, null = "null"),
             file.path(out_dir, name, "expected.json"))
  cat(name, ": phi", expected$phi, " logLik", ll, "\n")
}

# 1-2. Random intercept, weekly with gaps, shuffled rows, a few empty responses; phi = 0.5.
set.seed(1001)
gaps <- simulate(60, weekly_with_gaps, phi = 0.5)
gaps$y[sample(nrow(gaps), 8)] <- NA
fit_case("ar1_gaps_reml", gaps, y ~ x, ~ 1 | id, "ar1", TRUE,
         "AR(1), random intercept, weeks with gaps, shuffled rows, empty responses (REML)")
fit_case("ar1_gaps_ml", gaps, y ~ x, ~ 1 | id, "ar1", FALSE,
         "the same data by ML")

# 3. Random intercept and slope; phi = 0.4, slope SD 0.5.
set.seed(1002)
slope <- simulate(50, weekly_with_gaps, phi = 0.4, sd_slope = 0.5)
fit_case("ar1_slope", slope, y ~ x, ~ 1 + x | id, "ar1", TRUE,
         "AR(1) with a correlated random slope of x (REML)")

# 4. Continuous time: 8-14 prompts per person at exponential gaps (mean 0.7 time units), times
#    rounded to 0.01; phi = 0.6 per unit.
set.seed(1003)
irregular <- simulate(50, function(i) round(cumsum(rexp(sample(8:14, 1), 1 / 0.7)), 2),
                      phi = 0.6)
# Rounding can make two prompts of one person coincide: keep the first.
irregular <- irregular[!duplicated(irregular[, c("id", "time")]), ]
fit_case("car1_irregular", irregular, y ~ x, ~ 1 | id, "car1", TRUE,
         "CAR(1) on irregular real times (REML)")

# 5. No autocorrelation (phi = 0): AR(1) estimates phi near 0, inside (-1, 1).
set.seed(1004)
independent <- simulate(60, weekly_with_gaps, phi = 0)
fit_case("ar1_phi_near_zero", independent, y ~ x, ~ 1 | id, "ar1", TRUE,
         "independent residuals: phi near 0 (REML)")

# 6. The same for CAR(1), whose phi is bounded below by 0: nlme drives it to about 1e-8.
fit_case("car1_phi_boundary", independent, y ~ x, ~ 1 | id, "car1", TRUE,
         "independent residuals with CAR(1): phi at its bound 0 (REML)")

# 7. Strong autocorrelation (phi = 0.95) on weeks with gaps, where 1 - phi^2 is small and the
#    whitened rows are small differences of large ones.
set.seed(1005)
strong <- simulate(40, weekly_with_gaps, phi = 0.95, sd_u = 0.5)
fit_case("ar1_phi_near_one", strong, y ~ x, ~ 1 | id, "ar1", TRUE,
         "strong autocorrelation, phi near 1 (REML)")
