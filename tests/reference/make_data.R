# Writes every fixture's data.csv and spec.json under tests/fixtures/.
#
# Run from the repository root:  Rscript tests/reference/make_data.R
# (then Rscript tests/reference/fit_reference.R to refit and rewrite expected.json).
#
# Real data sets come from lme4 (sleepstudy, Penicillin, Pastes) and nlme (Orthodont), written with
# write.csv (text quoted, as R exports it). Synthetic data sets each use their own set.seed() so
# that a change to one generator does not change the others; the data-generating process of each
# is documented next to its code. Numbers are rounded before writing, so the CSV holds exactly the
# values that fit_reference.R fits.

suppressPackageStartupMessages({
  library(jsonlite)
})

script_dir <- local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg)) dirname(normalizePath(sub("^--file=", "", file_arg[1]))) else
    "tests/reference"
})
source(file.path(script_dir, "transforms.R"))
fixtures <- normalizePath(file.path(script_dir, "..", "fixtures"), mustWork = FALSE)
dir.create(fixtures, showWarnings = FALSE, recursive = TRUE)

# write.csv as R users export it (quoted text) or a plain unquoted CSV for the synthetic sets.
write_data <- function(case, data, quote = FALSE) {
  dir <- file.path(fixtures, case)
  dir.create(dir, showWarnings = FALSE)
  write.csv(data, file.path(dir, "data.csv"), row.names = FALSE, quote = quote, na = "")
}

# spec.json: the lagmix inputs, plus rFormula (the formula R fits over the derived columns).
write_spec <- function(case, formula, description, id = NULL, time = NULL, reml = TRUE,
                       df = "satterthwaite", na = character(0), delimiter = NULL) {
  dir <- file.path(fixtures, case)
  data <- read_fixture_data(file.path(dir, "data.csv"), na)
  r <- lagmix_to_r(formula, data, id, time)
  spec <- list(formula = formula, id = id, time = time, reml = reml, df = df, na = I(na),
               delimiter = delimiter, description = description,
               rFormula = formula_text(r$formula))
  write_json(spec, file.path(dir, "spec.json"), auto_unbox = TRUE, null = "null", na = "null",
             pretty = TRUE, digits = NA)
}

person_effect <- function(id, sd) rnorm(length(unique(id)), 0, sd)[match(id, unique(id))]

## ---- lme4 / nlme data sets ------------------------------------------------------------------

sleep <- as.data.frame(lme4::sleepstudy)
sleep$Subject <- as.character(sleep$Subject)
for (case in c("ri_sleepstudy", "slopes_sleepstudy", "uncorrelated_sleepstudy", "ml_sleepstudy",
               "slope_no_fixed_sleepstudy")) {
  write_data(case, sleep, quote = TRUE)
}
write_spec("ri_sleepstudy", "Reaction ~ Days + (1 | Subject)",
           "lme4::sleepstudy, random intercept per Subject; no panel columns given.")
write_spec("slopes_sleepstudy", "Reaction ~ Days + (Days | Subject)",
           "lme4::sleepstudy, correlated random intercept and Days slope.",
           id = "Subject", time = "Days")
write_spec("uncorrelated_sleepstudy", "Reaction ~ Days + (Days || Subject)",
           "lme4::sleepstudy, uncorrelated intercept and slope: (1 | Subject) + (0 + Days | Subject).",
           id = "Subject", time = "Days")
write_spec("ml_sleepstudy", "Reaction ~ Days + (Days | Subject)",
           "lme4::sleepstudy, correlated random slopes fitted by maximum likelihood.",
           id = "Subject", time = "Days", reml = FALSE)
write_spec("slope_no_fixed_sleepstudy", "Reaction ~ 1 + (Days | Subject)",
           "lme4::sleepstudy, a random Days slope without a fixed effect for Days (R2 leaves it out).",
           id = "Subject", time = "Days")

penicillin <- as.data.frame(lme4::Penicillin)
penicillin[] <- lapply(penicillin, function(v) if (is.factor(v)) as.character(v) else v)
write_data("crossed_penicillin", penicillin, quote = TRUE)
write_spec("crossed_penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)",
           "lme4::Penicillin, crossed random effects of plate (24) and sample (6).")

pastes <- as.data.frame(lme4::Pastes)
pastes[] <- lapply(pastes, function(v) if (is.factor(v)) as.character(v) else v)
write_data("nested_pastes", pastes, quote = TRUE)
write_spec("nested_pastes", "strength ~ 1 + (1 | batch/cask)",
           "lme4::Pastes, cask nested in batch: (1 | batch) + (1 | batch:cask), group 'cask:batch'.")

orthodont <- as.data.frame(nlme::Orthodont)
orthodont$Subject <- as.character(orthodont$Subject)
orthodont$Sex <- as.character(orthodont$Sex)
for (case in c("factor_orthodont", "factor_orthodont_bw")) write_data(case, orthodont, quote = TRUE)
write_spec("factor_orthodont", "distance ~ age + Sex + (1 | Subject)",
           "nlme::Orthodont; Sex is a text column (levels Female, Male -> term SexMale).",
           id = "Subject", time = "age")
write_spec("factor_orthodont_bw", "distance ~ age + Sex + (1 | Subject)",
           "nlme::Orthodont with between-within df (nlme::lme containment: age 80, Sex 25).",
           id = "Subject", time = "age", df = "between-within")

## ---- singular: the random-intercept variance is estimated as exactly 0 -----------------------
# 30 persons x 5 occasions. y = 2 + 0.5 x + e, x ~ N(0, 1), e ~ N(0, 1), with NO person effect;
# then 60% of each person's mean error is removed (e - 0.6 * mean_i(e)), so persons differ less
# than pure noise would make them and the REML intercept variance sits on the boundary 0.
set.seed(20241108)
singular <- data.frame(id = rep(1:30, each = 5), occasion = rep(1:5, 30))
singular$x <- round(rnorm(150), 2)
e <- rnorm(150)
e <- e - 0.6 * ave(e, singular$id)
singular$y <- round(2 + 0.5 * singular$x + e, 3)
write_data("singular", singular)
write_spec("singular", "y ~ x + (1 | id)",
           "Synthetic, no person effect and under-dispersed person means: singular fit (variance 0).",
           id = "id", time = "occasion")

## ---- lag_gaps_unsorted: gaps as absent rows, NA cells, shuffled rows -------------------------
# 40 persons (ids "P01".."P40") x weeks 0..7. x ~ N(0, 1); u_i ~ N(0, 1.5);
# y_0 = 3 + u_i + e, y_t = 1 + 0.3 y_{t-1} + 0.8 x_t + u_i + e (e ~ N(0, 1)), generated on the
# complete panel. Then 10% of person-weeks (32, never week 0) are deleted as ABSENT rows, 10 y
# cells and 8 x cells are set empty, and the rows are shuffled. lag(y) must come from week t - 1
# by value: after an absent week it is missing, never the previous row.
set.seed(9001)
lagd <- expand.grid(week = 0:7, id = sprintf("P%02d", 1:40), stringsAsFactors = FALSE)[, 2:1]
lagd$x <- round(rnorm(nrow(lagd)), 2)
u <- person_effect(lagd$id, 1.5)
lagd$y <- NA
for (i in seq_len(nrow(lagd))) {
  lagd$y[i] <- if (lagd$week[i] == 0) 3 + u[i] + rnorm(1) else
    1 + 0.3 * lagd$y[i - 1] + 0.8 * lagd$x[i] + u[i] + rnorm(1)
}
lagd$y <- round(lagd$y, 2)
lagd <- lagd[-sample(which(lagd$week > 0), 32), ]
lagd$y[sample(nrow(lagd), 10)] <- NA
lagd$x[sample(nrow(lagd), 8)] <- NA
lagd <- lagd[sample(nrow(lagd)), ]
write_data("lag_gaps_unsorted", lagd)
write_spec("lag_gaps_unsorted", "y ~ lag(y) + x + (1 | id)",
           "Synthetic panel with absent weeks, empty cells and shuffled rows; lag matched by week value.",
           id = "id", time = "week")

## ---- the synthetic internet-CBT trial ----------------------------------------------------------
# 182 persons x weeks 0..10 (2002 person-weeks), a cross-lagged autoregressive process:
#   wai_it      = m_i + g_i t + w_it,  m_i ~ N(52, 9), g_i ~ N(1.3, 0.4), w_it ~ N(0, 4.5)
#   spin_i0     = a_i ~ N(42, 8)
#   spin_i,t+1  = alpha_i + 0.85 spin_it - 0.04 wai_it + e_it,  e_it ~ N(0, 4),
#                 alpha_i = 5.4 + N(0, 0.6)
# WAI clamped to 12..84, SPIN to 0..68, both rounded to whole points like questionnaire sum
# scores (the process runs on the unrounded values). SPIN falls from about 42 to about 24 over
# the 10 weeks, WAI rises from about 52 to 66; each WAI point this week lowers next week's SPIN by 0.04. (The within model's within(wai)
# estimate is not -0.04: within(wai) also carries the person's alliance trend g_i (t - mean t),
# which lines up with the falling symptom course.)
# Missing: 146 person-weeks (7.3%), never week 0, more often later (probability ~ week); 80 of
# them are ABSENT rows and 66 are rows with both cells empty. In addition 12 rows have only wai
# empty and 8 only spin empty. Rows are sorted by id and week.
set.seed(182)
n_person <- 182
trial <- expand.grid(week = 0:10, id = 1:n_person)[, 2:1]
m <- rnorm(n_person, 52, 9)[trial$id]
g <- rnorm(n_person, 1.3, 0.4)[trial$id]
a0 <- rnorm(n_person, 42, 8)[trial$id]
alpha <- (5.4 + rnorm(n_person, 0, 0.6))[trial$id]
wai <- pmin(84, pmax(12, m + g * trial$week + rnorm(nrow(trial), 0, 4.5)))
spin <- numeric(nrow(trial))
for (i in seq_len(nrow(trial))) {
  spin[i] <- if (trial$week[i] == 0) a0[i] else
    alpha[i] + 0.85 * spin[i - 1] - 0.04 * wai[i - 1] + rnorm(1, 0, 4)
}
trial$spin <- round(pmin(68, pmax(0, spin)))
trial$wai <- round(wai)
missing <- sample(which(trial$week > 0), 146, prob = trial$week[trial$week > 0])
absent <- missing[1:80]
trial[missing[81:146], c("spin", "wai")] <- NA
rest <- setdiff(seq_len(nrow(trial)), missing)
only <- sample(rest[trial$week[rest] > 0], 20)
trial$wai[only[1:12]] <- NA
trial$spin[only[13:20]] <- NA
trial <- trial[-absent, ]
trial_cases <- c("trial_total", "trial_total_satterthwaite", "trial_within", "trial_within_bw",
                 "trial_between")
for (case in trial_cases) write_data(case, trial)
trial_text <- paste("Synthetic internet-CBT trial (182 persons, weeks 0..10, 7.3% person-weeks",
                    "missing as absent rows or empty cells); see make_data.R.")
write_spec("trial_total", "lead(spin) ~ spin + wai + (1 | id)",
           paste(trial_text, "Total model with residual df, as the reference study."),
           id = "id", time = "week", df = "residual")
write_spec("trial_total_satterthwaite", "lead(spin) ~ spin + wai + (1 | id)",
           paste(trial_text, "Total model with Satterthwaite df."),
           id = "id", time = "week")
write_spec("trial_within", "lead(within(spin)) ~ within(spin) + within(wai) + between(wai) + (1 | id)",
           paste(trial_text, "Within-person model with residual df, as the reference study."),
           id = "id", time = "week", df = "residual")
write_spec("trial_within_bw", "lead(within(spin)) ~ within(spin) + within(wai) + between(wai) + (1 | id)",
           paste(trial_text, "Within-person model with between-within df."),
           id = "id", time = "week", df = "between-within")
write_spec("trial_between", "between(spin) ~ within(wai) + between(wai) + (1 | id)",
           paste(trial_text, "Between-person model: the response is constant within person."),
           id = "id", time = "week")

## ---- interaction_factor: text factor with three levels times a numeric covariate -------------
# 60 persons, 20 per arm ("control", "waitlist", "treatment", assigned at random), 6 sessions.
# x ~ U(0, 10) per row (1 decimal). y = 20 + (0, 1, -2)[arm] + (0.5, 0.4, -0.3)[arm] x + u_i + e,
# u_i ~ N(0, 2), e ~ N(0, 1.5). R's treatment contrasts: reference level "control" (sorted
# first); terms armtreatment, armwaitlist, x, armtreatment:x, armwaitlist:x.
set.seed(313)
arms <- c("control", "waitlist", "treatment")
inter <- data.frame(id = rep(1:60, each = 6), session = rep(1:6, 60))
inter$arm <- sample(rep(arms, each = 20))[inter$id]
inter$x <- round(runif(nrow(inter), 0, 10), 1)
k <- match(inter$arm, arms)
inter$y <- round(20 + c(0, 1, -2)[k] + c(0.5, 0.4, -0.3)[k] * inter$x +
                   person_effect(inter$id, 2) + rnorm(nrow(inter), 0, 1.5), 2)
write_data("interaction_factor", inter)
write_spec("interaction_factor", "y ~ arm * x + (1 | id)",
           "Synthetic: three-arm text factor by numeric covariate interaction.",
           id = "id", time = "session")

## ---- excel_semicolon: a German Excel export -----------------------------------------------------
# 20 persons x weeks 1..4. geschlecht "männlich"/"weiblich" (UTF-8) per person;
# wert = 10 + 0.8 woche + 1.2 [weiblich] + u_i + e, u_i ~ N(0, 1.5), e ~ N(0, 1), one decimal.
# Written with a UTF-8 byte-order mark, ";" delimiter, decimal commas, CRLF line endings and
# empty cells for missing (5 wert cells, 2 geschlecht cells).
set.seed(49)
excel <- data.frame(id = rep(1:20, each = 4), woche = rep(1:4, 20))
excel$geschlecht <- sample(c("m\u00e4nnlich", "weiblich"), 20, replace = TRUE)[excel$id]
excel$wert <- round(10 + 0.8 * excel$woche + 1.2 * (excel$geschlecht == "weiblich") +
                      person_effect(excel$id, 1.5) + rnorm(80), 1)
excel$wert[sample(80, 5)] <- NA
excel$geschlecht[sample(80, 2)] <- NA
local({
  cell <- function(v) ifelse(is.na(v), "", v)
  num <- function(v) ifelse(is.na(v), "", formatC(v, format = "f", digits = 1, decimal.mark = ","))
  lines <- c("id;woche;geschlecht;wert",
             paste(excel$id, excel$woche, cell(excel$geschlecht), num(excel$wert), sep = ";"))
  dir <- file.path(fixtures, "excel_semicolon")
  dir.create(dir, showWarnings = FALSE)
  con <- file(file.path(dir, "data.csv"), open = "wb")
  writeBin(as.raw(c(0xEF, 0xBB, 0xBF)), con)
  writeBin(charToRaw(enc2utf8(paste0(paste(lines, collapse = "\r\n"), "\r\n"))), con)
  close(con)
})
write_spec("excel_semicolon", "wert ~ woche + geschlecht + (1 | id)",
           "German Excel export: BOM, ';', decimal commas, CRLF, empty cells; read with read.csv2.",
           id = "id", time = "woche")

## ---- na_codes: -99 as the missing-value code ---------------------------------------------------
# 30 persons x weeks 0..4. group "a"/"b" per person; x ~ N(0, 2) (1 decimal, so genuine negative
# values occur); y = 5 + 0.6 x + 1 [group b] + u_i + e, u_i ~ N(0, 1), e ~ N(0, 1), 2 decimals.
# Then 8 y cells, 5 x cells and 2 group cells are replaced by the code -99.
set.seed(99)
nac <- data.frame(id = rep(1:30, each = 5), week = rep(0:4, 30))
nac$group <- sample(c("a", "b"), 30, replace = TRUE)[nac$id]
nac$x <- round(rnorm(150, 0, 2), 1)
nac$y <- round(5 + 0.6 * nac$x + (nac$group == "b") + person_effect(nac$id, 1) + rnorm(150), 2)
nac$y[sample(150, 8)] <- -99
nac$x[sample(150, 5)] <- -99
nac$group[sample(150, 2)] <- "-99"
write_data("na_codes", nac)
write_spec("na_codes", "y ~ x + group + (1 | id)",
           "Synthetic with -99 as missing code in numeric and text columns.",
           id = "id", time = "week", na = "-99")

## ---- lead_k2_factor_time: lag and lead by 2 weeks and week as a factor -------------------------
# 50 persons x weeks 0..7; x ~ N(0, 1); week effects (0, .5, 1, 1.2, 1.5, 1.4, 1.8, 2);
# y_t = 1 + 0.4 x_{t-2} + week effect + u_i + e, u_i ~ N(0, 1), e ~ N(0, 0.8); 2 decimals.
# 20 person-weeks (5%) are absent rows. lag(x, 2) is missing in weeks 0-1 and lead(x, 2) in
# weeks 6-7, so only weeks 2..5 remain: lme4 drops the unused levels of factor(week), the
# reference level is week 2 and the terms are factor(week)3, factor(week)4, factor(week)5.
set.seed(2202)
lk <- expand.grid(week = 0:7, id = 1:50)[, 2:1]
lk$x <- round(rnorm(400), 2)
x_lag2 <- ifelse(lk$week >= 2, c(NA, NA, head(lk$x, -2)), 0)
lk$y <- round(1 + 0.4 * x_lag2 + c(0, .5, 1, 1.2, 1.5, 1.4, 1.8, 2)[lk$week + 1] +
                person_effect(lk$id, 1) + rnorm(400, 0, 0.8), 2)
lk <- lk[-sample(400, 20), ]
write_data("lead_k2_factor_time", lk)
write_spec("lead_k2_factor_time", "y ~ lag(x, 2) + lead(x, 2) + factor(week) + (1 | id)",
           "Synthetic: lag and lead by 2 weeks by time value; factor(week) loses its unused levels.",
           id = "id", time = "week")

## ---- center_lead: grand-mean centering and a lead response -------------------------------------
# 45 persons x weeks 1..6. x = 50 + person N(0, 8) + N(0, 4); z ~ N(10, 3);
# y_t = 3 + 0.05 (x - 50) + 0.3 z + u_i + e, u_i ~ N(0, 1), e ~ N(0, 1); 2 decimals.
# 6 absent rows, 6 empty x cells. center(x) subtracts the mean of all observed x in the file
# (not only of the rows used in the fit).
set.seed(4506)
cl <- expand.grid(week = 1:6, id = 1:45)[, 2:1]
cl$x <- round(50 + person_effect(cl$id, 8) + rnorm(270, 0, 4), 1)
cl$z <- round(rnorm(270, 10, 3), 1)
cl$y <- round(3 + 0.05 * (cl$x - 50) + 0.3 * cl$z + person_effect(cl$id, 1) + rnorm(270), 2)
cl <- cl[-sample(270, 6), ]
cl$x[sample(nrow(cl), 6)] <- NA
write_data("center_lead", cl)
write_spec("center_lead", "lead(y) ~ center(x) + within(z) + (1 | id)",
           "Synthetic: grand-mean centering over all observed values, lead response, within().",
           id = "id", time = "week")

## ---- slopes_within_between: the benchmark's model -----------------------------------------------
# 100 persons x occasions 1..10. x_it = mu_i + d_it, mu_i ~ N(0, 1), d_it ~ N(0, 1);
# y = 3 + 0.8 mu_i + (0.5 + u1_i) d_it + u0_i + e, (u0, u1) ~ N(0, sd (1, 0.3), cor 0.3),
# e ~ N(0, 1); 3 decimals. 30 y cells and 10 x cells empty.
set.seed(1000)
swb <- expand.grid(occasion = 1:10, id = 1:100)[, 2:1]
mu <- rnorm(100)[swb$id]
d <- rnorm(1000)
z0 <- rnorm(100)
z1 <- 0.3 * z0 + sqrt(1 - 0.09) * rnorm(100)
u0 <- z0[swb$id]
u1 <- 0.3 * z1[swb$id]
swb$x <- round(mu + d, 3)
swb$y <- round(3 + 0.8 * mu + (0.5 + u1) * d + u0 + rnorm(1000), 3)
swb$y[sample(1000, 30)] <- NA
swb$x[sample(1000, 10)] <- NA
write_data("slopes_within_between", swb)
write_spec("slopes_within_between", "y ~ within(x) + between(x) + (within(x) | id)",
           "Synthetic 100 x 10 panel: within/between decomposition with a random within slope.",
           id = "id", time = "occasion")

## ---- esm_three_level: prompts within days within persons --------------------------------------
# An experience-sampling design: 40 persons x 7 days x 5 prompts a day (occasion = the prompt's
# number over the week, 1..35). x_idt ~ N(0, 1); y = 2 + 0.4 x + u0_i + u1_i x + v_id + e with
# (u0, u1) ~ N(0, sd (1, 0.3), cor -0.4) per person, v ~ N(0, 0.6) per day of a person,
# e ~ N(0, 0.8); 3 decimals; 50 y cells empty. Checks R² and the variance shares with two
# grouping factors (day within person first: more levels) and a random slope on the second.
set.seed(3303)
esm <- expand.grid(prompt = 1:5, day = 1:7, id = 1:40)[, 3:1]
esm$occasion <- (esm$day - 1) * 5 + esm$prompt
z0 <- rnorm(40)
z1 <- -0.4 * z0 + sqrt(1 - 0.16) * rnorm(40)
v <- rnorm(40 * 7, 0, 0.6)
esm$x <- round(rnorm(nrow(esm)), 3)
esm$y <- round(2 + 0.4 * esm$x + z0[esm$id] + 0.3 * z1[esm$id] * esm$x +
                 v[(esm$id - 1) * 7 + esm$day] + rnorm(nrow(esm), 0, 0.8), 3)
esm$y[sample(nrow(esm), 50)] <- NA
write_data("esm_three_level", esm[, c("id", "day", "prompt", "occasion", "x", "y")])
write_spec("esm_three_level", "y ~ x + (x | id) + (1 | id:day)",
           "Synthetic experience sampling: 40 persons x 7 days x 5 prompts, a random x slope per person and a random intercept per day within person.",
           id = "id", time = "occasion")

## ---- arithmetic in formulas (issue 9): I(), log, poly, scale, with and inside panel functions --
# R evaluates I(), log(), poly() and scale() itself (in model.frame, on the whole data before
# na.omit); transforms.R only replaces the panel functions by derived columns, so
# log(lead(spin) + 1) is fitted as log(lead_spin + 1) and within(log(wai)) is the person-centred
# log computed here by hand.

# datasets::ChickWeight: quadratic growth with a four-level diet (Diet written as 1..4, a factor
# through factor(Diet)); Chick as text. 578 rows, 50 chicks.
chick <- as.data.frame(ChickWeight)
chick <- data.frame(Chick = as.character(chick$Chick), Time = chick$Time,
                    Diet = as.integer(as.character(chick$Diet)), weight = chick$weight)
write_data("arith_chickweight_quadratic", chick)
write_spec("arith_chickweight_quadratic",
           "weight ~ Time + I(Time^2) + factor(Diet) + Time:factor(Diet) + (Time | Chick)",
           "datasets::ChickWeight: quadratic growth, diet x time interaction, random slopes.")

# nlme::Orthodont: a log outcome with a factor x arithmetic interaction and an arithmetic slope.
orth <- as.data.frame(nlme::Orthodont)
orth$Subject <- as.character(orth$Subject)
orth$Sex <- as.character(orth$Sex)
write_data("arith_log_interaction", orth, quote = TRUE)
write_spec("arith_log_interaction",
           "log(distance) ~ I(age-8)*Sex + (1 + I(age - 8) | Subject)",
           "nlme::Orthodont: log response, I(age - 8) by Sex interaction, random slope of I(age - 8).")

write_data("arith_poly", orth, quote = TRUE)
write_spec("arith_poly", "distance ~ poly(age, 2) * Sex + poly(age, 2, raw = TRUE) + (1 | Subject)",
           paste("nlme::Orthodont: orthogonal poly() by Sex (poly(age, 2)1:SexMale), raw poly()",
                 "aliased with it (lme4 drops the raw columns as rank deficient)."))

write_data("arith_scale_sleepstudy", sleep, quote = TRUE)
write_spec("arith_scale_sleepstudy",
           "log10(Reaction) ~ scale(Days) + sqrt(Days) + (scale(Days, scale = FALSE) | Subject)",
           "lme4::sleepstudy: scale() z-scores, centring only in a random slope, log10 and sqrt.")

write_data("arith_poly_slopes", sleep, quote = TRUE)
write_spec("arith_poly_slopes", "Reaction ~ poly(Days, 2) + (poly(Days, 2) | Subject)",
           "lme4::sleepstudy: poly() in the fixed part and as correlated random slopes.")

# arith_panel: 60 persons x weeks 1..8. wai = exp(N(1.5, .3) person + N(0, .2)), x ~ N(0, 1) +
# person N(0, .7), z ~ N(20, 5); spin = count-like max(0, round(3 + 1.2 log(wai) + 0.3 x +
# u_i + N(0, 1))), u_i ~ N(0, 0.8). 12 absent rows (gaps for lag/lead), 8 empty wai, 6 empty x,
# 10 empty z cells. scale(z) and scale(lag(x)) use every observed value in the file, also rows
# the model drops for other missing variables.
set.seed(909)
ap <- expand.grid(week = 1:8, id = 1:60)[, 2:1]
n_ap <- nrow(ap)
ap$wai <- round(exp(1.5 + person_effect(ap$id, 0.3) + rnorm(n_ap, 0, 0.2)), 2)
ap$x <- round(rnorm(n_ap) + person_effect(ap$id, 0.7), 2)
ap$z <- round(rnorm(n_ap, 20, 5), 1)
ap$spin <- pmax(0, round(3 + 1.2 * log(ap$wai) + 0.3 * ap$x + person_effect(ap$id, 0.8) +
                           rnorm(n_ap)))
ap <- ap[-sample(n_ap, 12), ]
ap$wai[sample(nrow(ap), 8)] <- NA
ap$x[sample(nrow(ap), 6)] <- NA
ap$z[sample(nrow(ap), 10)] <- NA
write_data("arith_panel", ap)
write_spec("arith_panel",
           paste("log(lead(spin) + 1) ~ within(log(wai)) + between(log(wai)) + I(within(x)^2) +",
                 "scale(z) + scale(lag(x), scale = FALSE) + (1 | id)"),
           "Synthetic panel: arithmetic inside and around within(), between(), lag() and lead().",
           id = "id", time = "week")

# arith_poly_missing: 40 persons x weeks 0..5; x ~ N(3, 1.5); z ~ N(0, 1);
# y = 2 + 0.8 x - 0.3 (x - 3)^2 + 0.5 z + u_i + e, u_i ~ N(0, 1), e ~ N(0, 1); 2 decimals.
# 9 empty x cells and 7 empty z cells. R's poly() refuses the missing x; lagmix (and
# transforms.R, by hand) builds the basis over the 231 rows with x, also the rows dropped for z.
set.seed(3131)
pm <- expand.grid(week = 0:5, id = 1:40)[, 2:1]
pm$x <- round(rnorm(240, 3, 1.5), 2)
pm$z <- round(rnorm(240), 2)
pm$y <- round(2 + 0.8 * pm$x - 0.3 * (pm$x - 3)^2 + 0.5 * pm$z + person_effect(pm$id, 1) +
                rnorm(240), 2)
pm$x[sample(240, 9)] <- NA
pm$z[sample(240, 7)] <- NA
write_data("arith_poly_missing", pm)
write_spec("arith_poly_missing", "y ~ poly(x, 2) + z + (1 | id)",
           "Synthetic: poly() of a partly missing x, basis over every observed x (R refuses).",
           id = "id", time = "week")

# arith_functions: 50 persons x occasions 1..6; count ~ Poisson(2); z ~ N(5, 2); w ~ N(0, 1);
# x ~ N(0, 1); y = 2^(1 + 0.3 log1p(count) + 0.2 exp(z / 10) + 0.1 |w| + 0.5 / (1 + x^2) +
# u_i + e), u_i ~ N(0, 0.3), e ~ N(0, 0.3); 3 decimals. 10 empty count cells. The remaining
# functions: log with a base, log1p, exp, abs, division and a sign inside I(), raw poly().
set.seed(5150)
af <- expand.grid(occasion = 1:6, id = 1:50)[, 2:1]
n_af <- nrow(af)
af$count <- rpois(n_af, 2)
af$z <- round(rnorm(n_af, 5, 2), 2)
af$w <- round(rnorm(n_af), 2)
af$x <- round(rnorm(n_af), 2)
af$y <- round(2^(1 + 0.3 * log1p(af$count) + 0.2 * exp(af$z / 10) + 0.1 * abs(af$w) +
                   0.5 / (1 + af$x^2) + person_effect(af$id, 0.3) + rnorm(n_af, 0, 0.3)), 3)
af$count[sample(n_af, 10)] <- NA
write_data("arith_functions", af)
write_spec("arith_functions",
           paste("log(y, 2) ~ log1p(count) + exp(z/10) + abs(w) + I(1/(1 + x^2)) + I(-x) +",
                 "poly(z, 2, raw = TRUE) + (1 | id)"),
           "Synthetic: log with a base, log1p, exp, abs, division and a sign in I(), raw poly().",
           id = "id", time = "occasion")

## ---- Kenward-Roger and type III F tests (issue 9, sections 2 and 3) ---------------------------
# Unbalanced sleepstudy (rows 1:4, 41:47, 100:102 left out, as in ../shared/LME4-NOTES.md), so that
# the Kenward-Roger standard errors differ from the unadjusted ones.
sleep_unbalanced <- sleep[-c(1:4, 41:47, 100:102), ]
for (case in c("kr_ri_sleepstudy", "kr_slopes_sleepstudy")) {
  write_data(case, sleep_unbalanced, quote = TRUE)
}
write_spec("kr_ri_sleepstudy", "Reaction ~ Days + (1 | Subject)",
           "Unbalanced lme4::sleepstudy, random intercept, Kenward-Roger df and SEs.",
           id = "Subject", time = "Days", df = "kenward-roger")
write_spec("kr_slopes_sleepstudy", "Reaction ~ Days + (Days | Subject)",
           "Unbalanced lme4::sleepstudy, correlated random slopes, Kenward-Roger df and SEs.",
           id = "Subject", time = "Days", df = "kenward-roger")
# The same rows with a random three-level text factor g (seed 3) and uncorrelated intercept and
# slope: two terms of one grouping factor (KR's dense treatment), factor x covariate F tests.
set.seed(3)
sleep_factor <- sleep_unbalanced
sleep_factor$g <- sample(c("a", "b", "c"), nrow(sleep_factor), TRUE)
write_data("kr_uncorrelated_factor", sleep_factor, quote = TRUE)
write_spec("kr_uncorrelated_factor", "Reaction ~ Days * g + (Days || Subject)",
           "Unbalanced sleepstudy with a random factor g, (Days || Subject), Kenward-Roger.",
           id = "Subject", time = "Days", df = "kenward-roger")
write_data("kr_crossed_penicillin", penicillin, quote = TRUE)
write_spec("kr_crossed_penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)",
           "lme4::Penicillin, crossed plate and sample, Kenward-Roger df and SE.",
           df = "kenward-roger")
# nlme::Oats: 6 blocks x 3 varieties x 4 nitrogen levels; lmerTest's type III F = 3.5134,
# 26.2510, 0.2109 whatever the contrast coding.
oats <- as.data.frame(nlme::Oats)
oats$Block <- as.character(oats$Block)
oats$Variety <- as.character(oats$Variety)
write_data("anova_oats", oats, quote = TRUE)
write_spec("anova_oats", "yield ~ Variety * factor(nitro) + (1 | Block)",
           "nlme::Oats, factor by factor, type III F tests (Satterthwaite).")
write_data("anova_interaction_kr", inter)
write_spec("anova_interaction_kr", "y ~ arm * x + (1 | id)",
           "The interaction_factor data: type III F tests and t tests with Kenward-Roger.",
           id = "id", time = "session", df = "kenward-roger")
# The interaction_factor data with a random two-level factor h and a covariate z (seed 5): a
# three-way factor x factor x covariate model, and terms whose margins are missing (lmerTest
# counts only variables coded 1 in R's factors matrix when one term contains another).
set.seed(5)
inter_more <- inter
inter_more$h <- sample(c("u", "v"), nrow(inter_more), TRUE)
inter_more$z <- round(rnorm(nrow(inter_more)), 2)
write_data("anova_three_way", inter_more)
write_spec("anova_three_way", "y ~ arm * h * x + (1 | id)",
           "Synthetic: three-way factor x factor x covariate type III F tests.",
           id = "id", time = "session")
write_data("anova_missing_margins", inter_more)
write_spec("anova_missing_margins", "y ~ x:z + arm:z + (1 | id)",
           "Synthetic: interactions without their main effects (lmerTest's containment quirk).",
           id = "id", time = "session")
write_data("anova_interaction_residual", inter)
write_spec("anova_interaction_residual", "y ~ arm * x + (1 | id)",
           "The interaction_factor data: type III F tests with the residual df.",
           id = "id", time = "session", df = "residual")

cat("data written to", fixtures, "\n")
