# Times lme4 1.1-31 + lmerTest fit-and-summary (Satterthwaite df) of a model with several grouping
# factors, for `npm run bench` (bench/blocked.mjs). R's CSV reading is NOT counted.
# Usage: Rscript bench/lme4_blocked.R FILE.csv[.gz] FORMULA TERM
# Prints one JSON line: {"seconds", "estimate", "se", "df", "theta", "warnings"} (TERM's row).
suppressPackageStartupMessages({ library(lmerTest); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
warns <- character()
t0 <- proc.time()[["elapsed"]]
withCallingHandlers({
  m <- lmer(as.formula(args[2]), data = d)
  s <- summary(m)
}, warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") },
   message = function(m) { warns <<- c(warns, conditionMessage(m)); invokeRestart("muffleMessage") })
t1 <- proc.time()[["elapsed"]]
row <- s$coefficients[args[3], ]
cat(toJSON(list(seconds = t1 - t0, estimate = unname(row[1]), se = unname(row[2]),
                df = unname(row[3]), theta = unname(getME(m, "theta")), warnings = warns),
           auto_unbox = TRUE, digits = NA), "\n")
