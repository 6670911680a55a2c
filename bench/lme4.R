# Times lme4 1.1-31 + lmerTest fit-and-summary (Satterthwaite df) on a benchmark panel, for
# `npm run bench`. R's CSV reading is NOT counted; the person-mean centering is (it is part of
# the analysis, as is the lead: the same person's value one time unit later, matched by time).
# MODEL ar1 times nlme 3.1-162 instead: lme(y ~ wx + bx, random = ~ 1 | id, correlation =
# corAR1(form = ~ time | id), na.action = na.omit) and its summary (nlme's own fit alone).
# Usage: Rscript bench/lme4.R FILE.csv MODEL   (MODEL: slopes | intercept | lagged | slopes-kr | ar1;
# slopes-kr is the slopes model with summary(m, ddf = "Kenward-Roger"), pbkrtest's KR)
# Prints one JSON line: {"seconds": ..., "warnings": [...]}.
suppressPackageStartupMessages({ library(lmerTest); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
model <- args[2]
warns <- character()
t0 <- proc.time()[["elapsed"]]
withCallingHandlers({
  pm <- ave(d$x, d$id, FUN = function(v) mean(v, na.rm = TRUE))
  d$wx <- d$x - pm
  d$bx <- pm
  if (model == "lagged") {
    d$wy <- d$y - ave(d$y, d$id, FUN = function(v) mean(v, na.rm = TRUE))
    d$lead_wy <- d$wy[match(paste(d$id, d$time + 1), paste(d$id, d$time))]
  }
  f <- switch(model,
    slopes = y ~ wx + bx + (wx | id),
    intercept = y ~ wx + bx + (1 | id),
    lagged = lead_wy ~ wy + wx + bx + (1 | id),
    `slopes-kr` = y ~ wx + bx + (wx | id),
    ar1 = y ~ wx + bx + (1 | id))
  if (model == "ar1") {
    m <- nlme::lme(y ~ wx + bx, random = ~ 1 | id, data = d, na.action = na.omit,
                   correlation = nlme::corAR1(form = ~ time | id))
    s <- list(coefficients = summary(m)$tTable[, c("Value", "Std.Error", "DF")])
  } else {
    m <- lmer(f, data = d)
    s <- if (model == "slopes-kr") summary(m, ddf = "Kenward-Roger") else summary(m)
  }
}, warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") },
   message = function(m) { warns <<- c(warns, conditionMessage(m)); invokeRestart("muffleMessage") })
t1 <- proc.time()[["elapsed"]]
cat(toJSON(list(seconds = t1 - t0, warnings = warns,
                estimate = unname(s$coefficients["wx", 1]), df = unname(s$coefficients["wx", 3])),
           auto_unbox = TRUE, digits = NA), "\n")
