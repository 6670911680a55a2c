# The numbers behind the page's figures, for the example data (www/example/trial.csv): per-week
# means with t-based 95% CIs (t.test), person means (the between-person association) and the
# within-person deviations (x minus the person's mean of all observed x). Writes
# tests/figures/example.json, which crate/tests/figures.rs compares with describe::figure_data.
#
# Run from the repository root:  Rscript tests/reference/figures_reference.R

suppressPackageStartupMessages(library(jsonlite))
data <- read.csv("www/example/trial.csv")
weeks <- sort(unique(data$week))
means <- function(x) lapply(weeks, function(w) {
  v <- x[data$week == w & !is.na(x)]
  ci <- if (length(v) >= 2) t.test(v)$conf.int else c(NA, NA)
  list(time = w, n = length(v), mean = if (length(v)) mean(v) else NA,
       ciLower = ci[1], ciUpper = ci[2])
})
person_mean <- function(x) ave(x, data$id, FUN = function(v) mean(v, na.rm = TRUE))
both <- !is.na(data$spin) & !is.na(data$wai)
within <- cbind(data$wai - person_mean(data$wai), data$spin - person_mean(data$spin))[both, ]
ids <- sort(unique(data$id))
between <- t(sapply(ids, function(i) c(mean(data$wai[data$id == i], na.rm = TRUE),
                                       mean(data$spin[data$id == i], na.rm = TRUE))))
out <- list(
  versions = list(R = paste(R.version$major, R.version$minor, sep = ".")),
  persons = length(ids),
  means = list(spin = means(data$spin), wai = means(data$wai)),
  withinRows = nrow(within),
  withinFirst = within[1, ],
  withinSums = colSums(within),
  between = between[stats::complete.cases(between), ]
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = FALSE, na = "null"), "tests/figures/example.json")
