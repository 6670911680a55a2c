# Golden fixtures for `lagmix reliability` (issue 11, section 3): Cronbach's alpha as psych::alpha
# computes it, and within-/between-person alpha (Geldhof, Preacher & Zyphur 2014) from lavaan's
# two-level saturated model. Writes tests/items/<case>/{data.csv, spec.json, expected.json}.
# Run from the repository root: Rscript tests/reference/items_reference.R
# Deterministic: seeded synthetic data, psych's bundled bfi. Versions recorded in expected.json.
suppressMessages({library(psych); library(lavaan); library(jsonlite)})

versions <- list(R = paste(R.version$major, R.version$minor, sep = "."),
                 psych = as.character(packageVersion("psych")),
                 lavaan = as.character(packageVersion("lavaan")))
root <- "tests/items"

write_case <- function(name, data, spec, expected) {
  dir <- file.path(root, name)
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  write.csv(data, file.path(dir, "data.csv"), row.names = FALSE, na = "")
  writeLines(toJSON(spec, auto_unbox = TRUE, pretty = TRUE, null = "null"),
             file.path(dir, "spec.json"))
  expected$versions <- versions
  writeLines(toJSON(expected, auto_unbox = TRUE, pretty = TRUE, digits = NA, null = "null"),
             file.path(dir, "expected.json"))
}

# psych::alpha with the reverse-keyed items named in `keys`; warnings (negatively correlated
# items) are captured as text, not compared.
alpha_case <- function(name, data, items, reverse, min, max, description) {
  x <- data[, items, drop = FALSE]
  warned <- character(0)
  a <- withCallingHandlers(
    suppressMessages(capture.output(res <- alpha(x, keys = if (length(reverse)) reverse else NULL))),
    warning = function(w) { warned <<- c(warned, conditionMessage(w)); invokeRestart("muffleWarning") })
  res <- res
  spec <- list(items = items, reverse = reverse, min = min, max = max, description = description)
  expected <- list(
    nobs = nrow(x),
    completeRows = sum(complete.cases(x)),
    alpha = res$total$raw_alpha,
    stdAlpha = res$total$std.alpha,
    averageR = res$total$average_r,
    items = lapply(seq_along(items), function(i) list(
      item = items[i],
      rDrop = res$item.stats$r.drop[i],
      alphaIfDropped = res$alpha.drop$raw_alpha[i],
      stdAlphaIfDropped = res$alpha.drop$std.alpha[i],
      n = res$item.stats$n[i])),
    warnings = warned)
  write_case(name, data, spec, expected)
}

data(bfi, package = "psych")
# Agreeableness: A1 reverse-keyed, answers 1..6, 2800 persons with some missing answers.
alpha_case("alpha_bfi_agreeableness", bfi[, c("A1", "A2", "A3", "A4", "A5", "gender")],
           c("A1", "A2", "A3", "A4", "A5"), c("A1"), 1, 6,
           "psych::bfi agreeableness, A1 reverse-keyed, missing answers (pairwise covariances)")
# Conscientiousness: C4 and C5 reverse-keyed, first 400 persons.
alpha_case("alpha_bfi_conscientiousness", bfi[1:400, c("C1", "C2", "C3", "C4", "C5")],
           c("C1", "C2", "C3", "C4", "C5"), c("C4", "C5"), 1, 6,
           "psych::bfi conscientiousness (rows 1-400), C4 and C5 reverse-keyed")
# Neuroticism with N4 stored reversed (7 - N4) and not declared: psych warns.
nx <- bfi[1:300, c("N1", "N2", "N3", "N4")]
nx$N4 <- 7 - nx$N4
alpha_case("alpha_undeclared_reverse", nx, c("N1", "N2", "N3", "N4"), character(0), 1, 6,
           "neuroticism, N4 stored reversed (7 - N4) and not declared: psych warns")
# Two items only (psych's special case for alpha if dropped), no missing answers.
set.seed(11)
two <- data.frame(p = sample(1:5, 80, TRUE))
two$q <- pmin(5, pmax(1, two$p + sample(-1:1, 80, TRUE)))
alpha_case("alpha_two_items", two, c("p", "q"), character(0), 1, 5,
           "two items, complete: psych's two-item special case")

# Within- and between-person alpha: a synthetic EMA-like item set, 4 items, 80 persons with
# 3..12 occasions each (unbalanced), person-level factor loading 0.9 plus an item-specific person effect (sd 0.5),
# occasion-level loading 0.6,
# a few answers missing (lavaan's default listwise deletion drops those rows).
multilevel_case <- function(name, data, items, id, description) {
  model <- function(level) {
    pairs <- combn(items, 2)
    paste0("level: ", level, "\n",
           paste(items, "~~", items, collapse = "\n"), "\n",
           paste(pairs[1, ], "~~", pairs[2, ], collapse = "\n"), "\n")
  }
  fit <- sem(paste0(model(1), model(2)), data = data, cluster = id, estimator = "ML")
  implied <- lavInspect(fit, "implied")
  sw <- unclass(implied[[1]]$cov)[items, items]
  sb <- unclass(implied[[2]]$cov)[items, items]
  k <- length(items)
  a <- function(S) k / (k - 1) * (1 - sum(diag(S)) / sum(S))
  spec <- list(items = items, id = id, description = description)
  expected <- list(
    nobs = lavInspect(fit, "nobs"),
    clusters = lavInspect(fit, "nclusters"),
    logLik = as.numeric(fitMeasures(fit, "logl")),
    withinCov = lapply(seq_len(k), function(i) sw[i, ]),
    betweenCov = lapply(seq_len(k), function(i) sb[i, ]),
    mean = unname(implied[[2]]$mean[items]),
    alphaWithin = a(sw), alphaBetween = a(sb),
    converged = lavInspect(fit, "converged"))
  write_case(name, data, spec, expected)
}

set.seed(2014)
np <- 80
sizes <- sample(3:12, np, replace = TRUE)
id <- rep(sprintf("P%02d", 1:np), times = sizes)
person <- rnorm(np)[rep(1:np, times = sizes)]
occasion <- rnorm(length(id))
ml <- data.frame(id = id, day = sequence(sizes))
for (j in 1:4) {
  specific <- rnorm(np, sd = 0.5)[rep(1:np, times = sizes)]
  ml[[paste0("mood", j)]] <- round(4 + 0.9 * person + specific + 0.6 * occasion +
                                   rnorm(length(id), sd = 0.7), 1)
}
ml$mood2[c(7, 55, 190)] <- NA
ml$mood4[c(100, 301)] <- NA
multilevel_case("multilevel_mood", ml, paste0("mood", 1:4), "id",
                "synthetic EMA items: 80 persons, 3-12 days, 4 items, 5 missing answers")

# Three items where the person-level covariance differs in structure (one weakly related item).
set.seed(77)
np <- 50
sizes <- sample(2:9, np, replace = TRUE)
pid <- rep(1:np, times = sizes)
u <- rnorm(np)[pid]; v <- rnorm(np)[pid]
e <- rnorm(length(pid))
ml3 <- data.frame(person = pid,
                  a = round(2 + u + 0.5 * e + rnorm(length(pid), sd = 0.8), 2),
                  b = round(3 + 0.8 * u + 0.4 * e + rnorm(length(pid), sd = 0.8), 2),
                  c = round(1 + 0.5 * v + 0.3 * u + 0.6 * e + rnorm(length(pid), sd = 0.9), 2))
multilevel_case("multilevel_three", ml3, c("a", "b", "c"), "person",
                "synthetic: 50 persons, 2-9 occasions, 3 items, numeric ids")
