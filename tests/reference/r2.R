# Nakagawa's R² as performance::r2_nakagawa (performance 0.10.2, insight 0.19.0) reports it for a
# linear mixed model, and the variance shares per grouping factor that lagmix adds; sourced by
# fit_reference.R, which stores the result as expected.json's `r2`.
#
# `marginal` / `conditional` are performance's own numbers (conditional NA -> null for a fit that
# performance calls singular: some diagonal theta below 1e-5). The components are computed here
# from lme4's objects, independently of insight, as the check of the definition that lagmix uses:
# - varFixed = var(X beta) over the rows used (denominator n - 1);
# - varRandom = sum over the random-effects terms of mean(diag(Z_k Sigma_k Z_k')), where Z_k
#   takes the columns of the fixed-effects X named as the term's columns (a random slope with no
#   fixed effect of that name is left out) -- as insight does, only the first term of a grouping
#   factor that appears in several terms (`(x || g)`) counts, because insight looks the variances
#   up by the names of ranef(), which has one entry per grouping factor;
# - varResidual = sigma².
# `shares` (not in performance): per grouping factor, the mean over the rows used of the variance
# that its terms add (diag(Z_k Sigma_k Z_k') with the term's own Z_k, slopes included, every term
# of the factor), and the residual variance, each as a share of their sum.

suppressPackageStartupMessages({
  library(performance)
  library(insight)
})

r2_versions <- list(performance = packageDescription("performance")$Version,
                    insight = packageDescription("insight")$Version)

# mean(diag(Z Sigma Z')) for Z (n x q) and Sigma (q x q).
mean_quadratic <- function(z, sigma) mean(rowSums((z %*% sigma) * z))

r2_expected <- function(m) {
  warnings <- character(0)
  # performance prints (not warns) when it leaves the random variance out: captured, not shown.
  printed <- withCallingHandlers(
    suppressMessages(capture.output(r2 <- r2_nakagawa(m), type = "output")),
    warning = function(w) {
      warnings <<- c(warnings, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  x <- getME(m, "X")
  beta <- fixef(m)
  var_fixed <- var(as.vector(x %*% beta))
  vc <- VarCorr(m)
  theta <- getME(m, "theta")
  singular <- any(abs(theta[getME(m, "lower") == 0]) < 1e-5)
  n <- nobs(m)
  if (!any(startsWith(colnames(x), "(Intercept)"))) x <- cbind(`(Intercept)` = 1, x)
  first_of_factor <- names(vc) %in% names(ranef(m))
  var_random <- 0
  left_out <- character(0)
  for (k in which(first_of_factor)) {
    sigma_k <- as.matrix(vc[[k]])
    attributes(sigma_k)[c("stddev", "correlation")] <- NULL
    keep <- rownames(sigma_k) %in% colnames(x)
    left_out <- c(left_out, rownames(sigma_k)[!keep])
    names_k <- rownames(sigma_k)[keep]
    var_random <- var_random + mean_quadratic(x[, names_k, drop = FALSE],
                                              sigma_k[keep, keep, drop = FALSE])
  }
  var_residual <- sigma(m)^2
  # Shares with each term's own Z (the term's rows of lme4's Zt, level by level), every term.
  zt <- getME(m, "Zt")
  gp <- getME(m, "Gp")
  flist <- getME(m, "flist")
  factor_of_term <- names(flist)[attr(flist, "assign")]
  by_factor <- setNames(numeric(length(unique(factor_of_term))), unique(factor_of_term))
  for (k in seq_along(vc)) {
    sigma_k <- as.matrix(vc[[k]])
    attributes(sigma_k)[c("stddev", "correlation")] <- NULL
    zt_k <- zt[(gp[k] + 1):gp[k + 1], , drop = FALSE]
    big <- kronecker(Diagonal(nrow(zt_k) / nrow(sigma_k)), Matrix(sigma_k))
    contribution <- mean(colSums(zt_k * (big %*% zt_k)))
    by_factor[factor_of_term[k]] <- by_factor[factor_of_term[k]] + contribution
  }
  total <- sum(by_factor) + var_residual
  list(
    marginal = unname(r2$R2_marginal),
    conditional = if (is.na(r2$R2_conditional)) NULL else unname(r2$R2_conditional),
    varFixed = var_fixed,
    varRandom = if (singular) NULL else var_random,
    varResidual = var_residual,
    performanceSingular = singular,
    slopesLeftOut = I(left_out),
    shares = data.frame(group = c(names(by_factor), "Residual"),
                        variance = c(unname(by_factor), var_residual),
                        share = c(unname(by_factor), var_residual) / total),
    performanceWarnings = I(warnings),
    versions = r2_versions
  )
}
