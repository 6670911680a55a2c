# Writes data.csv and spec.json of the fixtures for models with several grouping factors
# (issue 14: nested three-level designs, crossed and partially crossed factors, InstEval).
#
# Run from the repository root:  Rscript tests/reference/make_blocked.R
# then:  Rscript tests/reference/fit_reference.R ema_nested ema_nested_slope ema_stimulus \
#          partially_crossed insteval_subset kr_ema_nested kr_ema_nested_slope \
#          kr_partially_crossed_halves kr_ema_stimulus
#
# Each synthetic set has its own set.seed(); the data-generating process is next to its code.
# Numbers are rounded before writing, so the CSV holds exactly what fit_reference.R fits.

suppressPackageStartupMessages(library(jsonlite))

script_dir <- local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg)) dirname(normalizePath(sub("^--file=", "", file_arg[1]))) else
    "tests/reference"
})
fixtures <- normalizePath(file.path(script_dir, "..", "fixtures"), mustWork = FALSE)

write_case <- function(case, data, formula, description, quote = FALSE, df = "satterthwaite") {
  dir <- file.path(fixtures, case)
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  write.csv(data, file.path(dir, "data.csv"), row.names = FALSE, quote = quote, na = "")
  spec <- list(formula = formula, id = NULL, time = NULL, reml = TRUE, df = df,
               na = I(character(0)), delimiter = NULL, description = description,
               rFormula = formula)
  write_json(spec, file.path(dir, "spec.json"), auto_unbox = TRUE, null = "null", na = "null",
             pretty = TRUE, digits = NA)
}

# EMA: prompts within days within persons. Day codes 1..7 repeat across persons (as exports
# write them), so only `person/day` or `person:day` makes day nested. Person i: intercept
# a_i ~ N(0, 0.7^2), stress slope s_i ~ N(0, 0.25^2); day d of person i: c_id ~ N(0, 0.5^2);
# mood = 3 + a_i + c_id + (-0.4 + s_i) * stress + N(0, 1), stress ~ N(0, 1); rounded to 3
# decimals; 3% of mood cells empty.
ema <- function(seed, persons, days, prompts) {
  set.seed(seed)
  grid <- expand.grid(prompt = seq_len(prompts), day = seq_len(days), person = seq_len(persons))
  a <- rnorm(persons, 0, 0.7)[grid$person]
  s <- rnorm(persons, 0, 0.25)[grid$person]
  c <- rnorm(persons * days, 0, 0.5)[(grid$person - 1) * days + grid$day]
  stress <- round(rnorm(nrow(grid)), 3)
  mood <- round(3 + a + c + (-0.4 + s) * stress + rnorm(nrow(grid)), 3)
  mood[runif(nrow(grid)) < 0.03] <- NA
  data.frame(person = paste0("p", grid$person), day = grid$day, prompt = grid$prompt,
             stress = stress, mood = mood)
}

write_case("ema_nested", ema(1401, 40, 7, 4), "mood ~ stress + (1 | person/day)",
           "Three-level EMA (4 prompts in 7 days in 40 persons), random intercepts of person and day within person.")
write_case("ema_nested_slope", ema(1402, 40, 7, 4),
           "mood ~ stress + (stress | person) + (1 | person:day)",
           "Three-level EMA with a correlated random stress slope at the person level.")

# Three grouping factors: prompts in days in persons, and a stimulus (one of 12 pictures shown
# at random at each prompt) crossed with all of them. mood as in ema() plus a stimulus effect
# e_j ~ N(0, 0.4^2).
set.seed(1403)
stim <- ema(1403, 30, 6, 4)
stim$stimulus <- paste0("img", sample(12, nrow(stim), replace = TRUE))
stim$mood <- round(stim$mood + rnorm(12, 0, 0.4)[as.integer(sub("img", "", stim$stimulus))], 3)
write_case("ema_stimulus", stim, "mood ~ stress + (1 | person/day) + (1 | stimulus)",
           "Prompts in days in persons, plus a stimulus factor crossed with all of them.")

# Partially crossed: 60 students each rated by 3 of 15 raters (drawn at random), so the two
# factors are neither nested nor fully crossed. score = 50 + u_student + v_rater + 2 * x + e,
# u ~ N(0, 5^2), v ~ N(0, 3^2), e ~ N(0, 4^2), x ~ N(0, 1).
set.seed(1404)
pc <- do.call(rbind, lapply(seq_len(60), function(i)
  data.frame(student = sprintf("s%02d", i), rater = sprintf("r%02d", sample(15, 3)))))
u <- rnorm(60, 0, 5)[as.integer(sub("s", "", pc$student))]
v <- rnorm(15, 0, 3)[as.integer(sub("r", "", pc$rater))]
pc$x <- round(rnorm(nrow(pc)), 2)
pc$score <- round(50 + u + v + 2 * pc$x + rnorm(nrow(pc), 0, 4), 2)
write_case("partially_crossed", pc, "score ~ x + (1 | student) + (1 | rater)",
           "60 students each rated by 3 of 15 raters: partially crossed factors.")

# A subset of lme4::InstEval: the ratings of the first 120 students (s), with lecturers (d) and
# the department-by-service combinations they meet.
ie <- as.data.frame(lme4::InstEval)
ie <- ie[as.integer(as.character(ie$s)) <= 120, c("s", "d", "dept", "service", "y")]
ie[] <- lapply(ie, function(v) if (is.factor(v)) as.character(v) else v)
write_case("insteval_subset", ie, "y ~ service + (1 | s) + (1 | d) + (1 | dept:service)",
           "lme4::InstEval, students 1..120: three crossed grouping factors (s, d, dept:service).")

# Kenward-Roger on three-level designs with more random effects than one dense block over all of
# them would take (160 persons + 1,280 person-days = 1,440), which lagmix splits into the
# connected components of the random effects (one person with its days). pbkrtest builds n x n
# dense matrices, so n stays near 5,000 (a few GB and some minutes per case).
write_case("kr_ema_nested", ema(1405, 160, 8, 4), "mood ~ stress + (1 | person/day)",
           "Three-level EMA (4 prompts in 8 days in 160 persons), Kenward-Roger df and SEs.",
           df = "kenward-roger")
write_case("kr_ema_nested_slope", ema(1406, 160, 8, 4),
           "mood ~ stress + (stress | person) + (1 | person:day)",
           "Three-level EMA with a person-level stress slope, Kenward-Roger df and SEs.",
           df = "kenward-roger")

# Kenward-Roger with partially crossed factors in two disconnected halves (two components of
# the random effects): students s01..s40 are rated by 3 of the raters a01..a10, students
# s41..s80 by 3 of r01..r10. score as in the partially crossed case above.
set.seed(1407)
halves <- do.call(rbind, lapply(seq_len(80), function(i)
  data.frame(student = sprintf("s%02d", i),
             rater = sprintf(if (i <= 40) "a%02d" else "r%02d", sample(10, 3)))))
u <- rnorm(80, 0, 5)[as.integer(sub("s", "", halves$student))]
v <- rnorm(20, 0, 3)[as.integer(sub("[ar]", "", halves$rater)) + ifelse(grepl("^a", halves$rater), 0, 10)]
halves$x <- round(rnorm(nrow(halves)), 2)
halves$score <- round(50 + u + v + 2 * halves$x + rnorm(nrow(halves), 0, 4), 2)
write_case("kr_partially_crossed_halves", halves, "score ~ x + (1 | student) + (1 | rater)",
           "80 students each rated by 3 of 10 raters, in two halves that share no rater: partially crossed factors in two components, Kenward-Roger df and SEs.",
           df = "kenward-roger")

# Kenward-Roger with three grouping factors, one crossed with the other two (one component):
# the ema_stimulus data again.
write_case("kr_ema_stimulus", stim, "mood ~ stress + (1 | person/day) + (1 | stimulus)",
           "Prompts in days in persons plus a crossed stimulus factor (ema_stimulus's data), Kenward-Roger df and SEs.",
           df = "kenward-roger")
