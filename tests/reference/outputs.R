# The per-row and per-group outputs of a fit, for the cases in `output_cases`; sourced by
# fit_reference.R, which calls write_outputs(m, dir, used, labels) after each fit of those cases.
#
# - ranef.csv: as.data.frame(ranef(m, condVar = TRUE)) (lme4): grpvar, term, grp, condval,
#   condsd, one row per grouping factor, term and level, in lme4's order (grouping factors as
#   ranef() lists them, the terms of each, the levels of each term); term names in lagmix text.
# - fitted.csv: row (1-based data row of data.csv, header not counted), fitted (fitted(m): X beta
#   + Z b) and residual (residuals(m): y - fitted), one line per row used, in data order.
# Numbers with 15 significant digits.

output_cases <- c("ri_sleepstudy", "slopes_sleepstudy", "uncorrelated_sleepstudy",
                  "crossed_penicillin", "nested_pastes", "lag_gaps_unsorted",
                  "slopes_within_between", "esm_three_level", "ema_nested_slope",
                  "ema_stimulus", "partially_crossed", "insteval_subset")

write_outputs <- function(m, dir, used, labels) {
  re <- as.data.frame(ranef(m, condVar = TRUE))
  ranef_table <- data.frame(grpvar = as.character(re$grpvar),
                            term = to_lagmix_names(as.character(re$term), labels),
                            grp = as.character(re$grp),
                            condval = signif(re$condval, 15), condsd = signif(re$condsd, 15))
  write.csv(ranef_table, file.path(dir, "ranef.csv"), row.names = FALSE)
  rows <- data.frame(row = which(used), fitted = signif(unname(fitted(m)), 15),
                     residual = signif(unname(residuals(m)), 15))
  write.csv(rows, file.path(dir, "fitted.csv"), row.names = FALSE)
}
