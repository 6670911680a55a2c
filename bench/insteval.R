# Writes bench/insteval.csv.gz: lme4's InstEval (73,421 ratings of lecturers d by students s;
# dept and service are factors) as a gzip-compressed CSV, so that `npm run bench` can fit
# y ~ service + (1 | s) + (1 | d) + (1 | dept:service) without R.
#
# Run from the repository root:  Rscript bench/insteval.R   (lme4 1.1-31 on R 4.2.2 wrote the
# committed file; the columns are written as their factor labels, the rows in lme4's order.)
suppressPackageStartupMessages(library(lme4))
data <- as.data.frame(lme4::InstEval)[, c("s", "d", "studage", "lectage", "service", "dept", "y")]
data[] <- lapply(data, function(v) if (is.factor(v)) as.character(v) else v)
out <- gzfile("bench/insteval.csv.gz", "w")
write.csv(data, out, row.names = FALSE, quote = FALSE)
close(out)
