# Shared helpers for the lagmix reference fixtures: reading a fixture's data.csv as lagmix would,
# and turning a lagmix formula into an R formula over derived columns.
#
# The lagmix formula language is lme4's plus panel functions. They are evaluated here by hand, on
# the FULL data set (every row of data.csv), before any row is dropped for missing values:
#   within(x)   x minus the person's mean of all observed x (NA where x is NA)
#   between(x)  the person's mean of all observed x, on every row of that person (also rows where
#               x itself is NA); NA for a person with no observed x
#   lag(x, k)   the same person's x at time t - k, found by the TIME VALUE (a missing week gives NA,
#               never the previous row); k defaults to 1
#   lead(x, k)  the same person's x at time t + k
#   center(x)   x minus the grand mean of all observed x in the file
# Panel functions nest (lag(within(spin)) lags the within-person deviations computed on the full
# data). factor(x) is left to R (lme4 drops levels unused in the complete rows), and so are I(),
# log() and the other arithmetic, scale() and poly(), which R evaluates on the whole data before
# na.omit, as lagmix does. Only poly() of a variable with missing values is done here, because R
# refuses it: lagmix's basis is R's poly() of the observed values, missing elsewhere (a matrix
# column poly_x_2_ whose coefficient names poly_x_2_1, poly_x_2_2 map back to poly(x, 2)1, ...).
# Every panel-function call is replaced by a derived column whose name is the call's text with
# non-alphanumeric runs replaced by "_" (lag(within(spin)) -> lag_within_spin); `labels` maps the
# derived names back to the lagmix text, which is R's deparse of the call ("lag(x, 2)").

panel_functions <- c("within", "between", "lag", "lead", "center")

# Reads data.csv as lagmix is expected to: a header line, the delimiter sniffed from the header
# (";" means a German-Excel export with decimal commas, read with read.csv2), empty cells and "NA"
# missing, plus the spec's extra missing codes.
read_fixture_data <- function(path, na_codes = character(0)) {
  first <- readLines(path, n = 1, encoding = "UTF-8", warn = FALSE)
  na <- c("", "NA", na_codes)
  semicolon <- lengths(regmatches(first, gregexpr(";", first))) >
    lengths(regmatches(first, gregexpr(",", first)))
  if (semicolon) {
    read.csv2(path, fileEncoding = "UTF-8-BOM", na.strings = na, check.names = FALSE,
              stringsAsFactors = FALSE)
  } else {
    read.csv(path, fileEncoding = "UTF-8-BOM", na.strings = na, check.names = FALSE,
             stringsAsFactors = FALSE)
  }
}

nan_to_na <- function(v) {
  v[is.nan(v)] <- NA
  v
}

person_mean <- function(x, id) {
  nan_to_na(ave(x, id, FUN = function(v) mean(v, na.rm = TRUE)))
}

# The same person's x at time t + shift, matched by time value.
shift_by_time <- function(x, id, time, shift) {
  if (anyNA(time)) stop("lag/lead need a time value on every row")
  key <- paste(id, time, sep = "\r")
  if (anyDuplicated(key)) stop("lag/lead need one row per person and time")
  x[match(paste(id, time + shift, sep = "\r"), key)]
}

derived_name <- function(label, taken) {
  name <- gsub("^_+|_+$", "", gsub("[^A-Za-z0-9]+", "_", label))
  while (name %in% taken) name <- paste0(name, "_")
  name
}

# Rewrites the lagmix formula `text` into an R formula over `data` plus derived columns.
# Returns list(formula, data, labels = named character vector derived name -> lagmix text).
lagmix_to_r <- function(text, data, id = NULL, time = NULL) {
  state <- new.env()
  state$data <- data
  state$labels <- character(0)
  need_panel <- function(fn) {
    if (is.null(id)) stop(fn, "() needs an id column")
    if (fn %in% c("lag", "lead") && is.null(time)) stop(fn, "() needs a time column")
  }
  poly_observed <- function(e, label) {
    x <- eval(e[[2]], state$data, baseenv())
    if (!anyNA(x)) return(e)
    observed <- !is.na(x)
    call <- e
    call[[2]] <- x[observed]
    p <- eval(call, globalenv())
    basis <- matrix(NA_real_, length(x), ncol(p), dimnames = list(NULL, seq_len(ncol(p))))
    basis[observed, ] <- p
    name <- paste0(derived_name(label, c(names(state$data), names(state$labels))), "_")
    state$data[[name]] <- basis
    for (j in seq_len(ncol(p))) state$labels[paste0(name, j)] <- paste0(label, j)
    # The matrix term itself (anova() rows) maps back too.
    state$labels[name] <- label
    as.name(name)
  }
  rewrite <- function(e) {
    if (!is.call(e)) return(e)
    label <- paste(deparse(e, width.cutoff = 500L), collapse = "")
    fn <- as.character(e[[1]])[1]
    if (length(e) > 1) {
      for (i in 2:length(e)) e[i] <- list(rewrite(e[[i]]))
    }
    if (fn == "poly") return(poly_observed(e, label))
    if (!fn %in% panel_functions) return(e)
    if (label %in% state$labels) return(as.name(names(state$labels)[state$labels == label]))
    x <- eval(e[[2]], state$data, baseenv())
    if (!is.numeric(x)) stop(label, ": panel functions need a numeric column")
    k <- if (length(e) > 2) eval(e[[3]], baseenv()) else 1
    if (fn != "center") need_panel(fn)
    pid <- if (!is.null(id)) state$data[[id]]
    value <- switch(fn,
      within = x - person_mean(x, pid),
      between = person_mean(x, pid),
      lag = shift_by_time(x, pid, state$data[[time]], -k),
      lead = shift_by_time(x, pid, state$data[[time]], k),
      center = x - mean(x, na.rm = TRUE)
    )
    name <- derived_name(label, c(names(state$data), names(state$labels)))
    state$data[[name]] <- value
    state$labels[name] <- label
    as.name(name)
  }
  f <- eval(rewrite(str2lang(text)), globalenv())
  list(formula = f, data = state$data, labels = state$labels)
}

# Maps derived column names inside R names (coefficients, VarCorr rows) back to lagmix text.
to_lagmix_names <- function(x, labels) {
  if (length(labels) == 0) return(x)
  ord <- order(-nchar(names(labels)))
  for (name in names(labels)[ord]) {
    pattern <- paste0("(?<![A-Za-z0-9_.])", name, "(?![A-Za-z0-9_.])")
    x <- gsub(pattern, labels[[name]], x, perl = TRUE)
  }
  x
}

formula_text <- function(f) paste(deparse(f, width.cutoff = 500L), collapse = "")
