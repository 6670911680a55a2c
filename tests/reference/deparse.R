# R's names for arithmetic in formulas: for each formula, the response as deparse() prints it and
# the term labels of terms() (R's order), which lme4 uses to name coefficients. Writes
# tests/reference/deparse.json, read by crate/tests/deparse.rs.
#
# Run from the repository root:  Rscript tests/reference/deparse.R

suppressPackageStartupMessages(library(jsonlite))
script_dir <- local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg)) dirname(normalizePath(sub("^--file=", "", file_arg[1]))) else
    "tests/reference"
})

formulas <- c(
  "y ~ I(Days-1)", "y ~ log(x,2)", "y ~ I(Time^2.0)", "y ~ I(x*1e-5) + I(x+1e6)",
  "y ~ I(x + 100000) + I(x + 123456) + I(.5*x) + I(x * 1.0e3)", "y ~ I(x/3.14159265358979)",
  "y ~ I(a/b) + I(2*-x) + I(x^-1) + I((a+b)^2)", "y ~ I(x - -1) + I(+x) + I(x^(1/2))",
  "y ~ I(2^x) + I(x*0.1) + I(0.1+0.2+x)", "y ~ I(1e-300 * x) + I(x * 1e15) + I(x * 1e16)",
  "log(y) ~ x", "log(y + 1) ~ x", "I(y/10) ~ x", "sqrt(y) ~ x", "y - 1 ~ x",
  "y ~ scale(x,scale=F) + poly(x,2,raw=TRUE) + log(x, base=10)",
  "y ~ scale(x, center = FALSE) + scale(x, center = 3, scale = 2) + scale(x, FALSE)",
  "y ~ poly(x, 3) + poly(x, degree = 2) + log2(x) + log10(x) + log1p(x) + exp(x) + abs(x)",
  "y ~ b + a + I(a^2) + a:b + log(b):I(a^2)", "y ~ I(x^2) * f", "y ~ f * I(x^2)",
  "y ~ poly(x, 2) * f", "y ~ log(x) + f + log(x):f + I(x - 1):f",
  "y ~ (log(x) + sqrt(z))^2", "y ~ exp(x/10) * I(z^2) * f",
  "y ~ I(x * (z + 1)) + I((x + z) * (x - z)) + I(x/z/2) + I(x - z - 1)",
  "y ~ log(abs(x) + 1) + sqrt(abs(x - 2)) + exp(-x)",
  "y ~ I(-x^2) + I((-x)^2) + I(-(x + 1))",
  "y ~ scale(log(x)) + log(scale(x, center = FALSE))",
  "y ~ sqrt(x):scale(z) + scale(z):f + f:sqrt(x)",
  "y ~ I(x * 123456789012) + I(x * 1234567.1) + I(x + 0.0001234) + I(x * 100) + I(x * 1e5 + 1)",
  "y ~ I(x + 0.30000000000000004) + I(x * 2.50) + I(x - 1e-4) + I(x / 1e3) + I(x * 1E2)"
)

cases <- lapply(formulas, function(text) {
  f <- str2lang(text)
  list(formula = text,
       response = paste(deparse(f[[2]], width.cutoff = 500L), collapse = ""),
       terms = I(attr(terms(eval(f)), "term.labels")))
})
write_json(list(R = paste(R.version$major, R.version$minor, sep = "."), cases = cases),
           file.path(script_dir, "deparse.json"), auto_unbox = TRUE, pretty = TRUE, digits = NA)
