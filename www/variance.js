// Variance explained, as the page shows it next to the ICC: Nakagawa's R² (the core computes it
// as performance::r2_nakagawa 0.10.2) and, for several grouping factors, each level's share of
// the variance. Pure formatting (tested in Node); the numbers come from the fit result.

const three = (x) => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(3) : "NA");

/** [label, value] rows for the fit statistics table. */
export function varianceExplainedRows(fit) {
  const r2 = fit.r2;
  if (!r2) return [];
  const rows = [["R² marginal (fixed effects)", three(r2.marginal)]];
  rows.push([
    "R² conditional (fixed and random effects)",
    r2.conditional === null ? "not given: singular fit (see the warnings)" : three(r2.conditional),
  ]);
  const shares = fit.varianceShares || [];
  // With one grouping factor the split is the ICC's (or, with slopes, close to it): only
  // several levels need their own line.
  if (shares.length > 2) {
    rows.push(["Variance shares (rows used, slopes included)", shares.map((s) => `${s.group} ${(100 * s.share).toFixed(1)}%`).join(", ")]);
  }
  return rows;
}
