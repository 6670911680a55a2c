// The models side by side: the publication table with one column per model (B with SE or 95% CI,
// optional stars, p; random-effect variances; ICC, R², N, logLik, AIC), which models were fitted
// to other rows or another file, and the table as HTML (for the clipboard: Word pastes it as a
// real table) and as tab-separated text. Pure (no DOM), tested in tests/node/comparison-table.test.mjs;
// comparison.js keeps the models and draws the table, docx-report.js puts it into the Word file.
import { apaDf, apaNumber, apaP, bounded, fixed, pCell } from "./render.js";

/** A model as the comparison keeps it (in memory only): the fit with what it was fitted to. */
export function modelEntry({ fit, options, data, rowsKey, name }) {
  return { fit, options, data, rowsKey: rowsKey ?? null, name };
}

/** Same model, same data and same options: a new fit of it replaces the old column. */
export function sameModel(a, b) {
  return a.data.key === b.data.key && JSON.stringify(a.options) === JSON.stringify(b.options);
}

/** How each model's rows differ from the first model's: null (the same), "file" or "rows". */
export function differences(models) {
  const [first] = models;
  return models.map((m) => {
    if (m === first) return null;
    if (m.data.key !== first.data.key) return "file";
    if (m.rowsKey && first.rowsKey ? m.rowsKey !== first.rowsKey : m.fit.nobs !== first.fit.nobs) return "rows";
    return null;
  });
}

/** Significance stars (the common 3-level convention). */
export function stars(p) {
  if (!(p >= 0)) return "";
  return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : "";
}

/** Fixed-effect terms over all models, each once, in the order they first appear (the
 *  intercept first, as every model lists it). */
export function termOrder(models) {
  const terms = [];
  for (const m of models) for (const e of m.fit.fixed) if (!terms.includes(e.term)) terms.push(e.term);
  return terms;
}

/** Random-effect rows over all models (variances, then correlations), each once. */
function varcorrLabels(models) {
  const labels = [];
  for (const m of models)
    for (const r of m.fit.varcorr) {
      const label = varcorrLabel(r);
      if (!labels.includes(label)) labels.push(label);
    }
  return labels;
}
const varcorrLabel = (r) =>
  r.group === "Residual" ? "Residual variance"
    : r.var2 ? `Corr(${r.var1}, ${r.var2} | ${r.group})`
      : `Var(${r.var1} | ${r.group})`;

/**
 * The publication table of `models`: {head, rows: [{label, cells, kind}], notes}. `kind` is
 * "section" (a heading row), "estimate", "p" or "statistic". `interval`: "se" (B (SE)) or "ci"
 * (B [lower, upper]); `withStars` adds stars to B; `decimals` (3 or 2) for B, SE, CI and the
 * variances.
 */
export function comparisonTable(models, { interval = "se", withStars = false, decimals = 3 } = {}) {
  const n = (x) => apaNumber(x, decimals);
  const rows = [];
  const section = (label) => rows.push({ label, cells: models.map(() => ""), kind: "section" });
  section("Fixed effects");
  for (const term of termOrder(models)) {
    const effects = models.map((m) => m.fit.fixed.find((e) => e.term === term));
    const estimate = (e) => {
      if (!e) return "";
      const spread = interval === "ci" ? `[${n(e.ciLower)}, ${n(e.ciUpper)}]` : `(${n(e.se)})`;
      return `${n(e.estimate)}${withStars ? stars(e.p) : ""} ${spread}`;
    };
    rows.push({ label: term, cells: effects.map(estimate), kind: "estimate" });
    rows.push({ label: "p", cells: effects.map((e) => (e ? pCell(e.p) : "")), kind: "p" });
  }
  section("Random effects");
  for (const label of varcorrLabels(models)) {
    const cells = models.map((m) => {
      const r = m.fit.varcorr.find((v) => varcorrLabel(v) === label);
      if (!r) return "";
      return r.var2 ? bounded(r.sdcor, 2) : n(r.vcov);
    });
    rows.push({ label, cells, kind: "statistic" });
  }
  section("Model fit");
  const stat = (label, value) => rows.push({ label, cells: models.map((m) => value(m.fit)), kind: "statistic" });
  if (models.some((m) => m.fit.residualCorrelation))
    stat("Residual autocorrelation phi", (f) => (f.residualCorrelation ? `${bounded(f.residualCorrelation.phi, 3)} (${f.residualCorrelation.structure === "car1" ? "CAR(1)" : "AR(1)"})` : ""));
  stat("ICC", (f) => (f.icc === null || f.icc === undefined ? "" : bounded(f.icc, 3)));
  stat("R² marginal", (f) => (f.r2 ? bounded(f.r2.marginal, 3) : ""));
  stat("R² conditional", (f) => (f.r2?.conditional === null || f.r2?.conditional === undefined ? "" : bounded(f.r2.conditional, 3)));
  stat("N observations", (f) => String(f.nobs));
  const groups = [];
  for (const m of models) for (const g of m.fit.groups || []) if (!groups.includes(g.name)) groups.push(g.name);
  for (const name of groups) stat(`N ${name}`, (f) => String(f.groups?.find((g) => g.name === name)?.levels ?? ""));
  stat("Log-likelihood", (f) => fixed(f.logLik, 2));
  stat("AIC", (f) => fixed(f.aic, 2));
  stat("Estimation", (f) => `${f.method}, ${f.dfMethod} df`);
  const diff = differences(models);
  if (diff.some(Boolean)) {
    rows.push({
      label: "Data",
      cells: diff.map((d, i) => (d === "file" ? `other file: ${models[i].data.fileName}` : d === "rows" ? "other rows" : "")),
      kind: "statistic",
    });
  }
  return { head: ["", ...models.map((m) => m.name)], rows, notes: tableNotes(models, { interval, withStars, diff }) };
}

function tableNotes(models, { interval, withStars, diff }) {
  const notes = [
    interval === "ci"
      ? "Estimates are unstandardized coefficients B with 95% confidence intervals in brackets."
      : "Estimates are unstandardized coefficients B with standard errors in parentheses.",
    "Var = variance, Corr = correlation of random effects; ICC = intraclass correlation; R² after Nakagawa et al. (2017).",
  ];
  if (withStars) notes.push("* p < .05. ** p < .01. *** p < .001.");
  const first = models[0]?.name;
  const other = diff.map((d, i) => (d ? `${models[i].name} (${d === "file" ? `file ${models[i].data.fileName}` : `${models[i].fit.nobs} observations`})` : null)).filter(Boolean);
  if (other.length) notes.push(`Fitted to other data than ${first}: ${other.join("; ")}; their fit statistics are not comparable with ${first}'s.`);
  return notes;
}

const escape = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * The table as HTML with inline APA styling (rules above and below the header and at the end,
 * no vertical lines): what the clipboard's text/html carries, which Word and LibreOffice paste
 * as a real table. `number` and `title` make the APA caption ("Table 2" / italic title).
 */
export function tableHtml(table, { number = 1, title = "", notes = table.notes ?? [] } = {}) {
  const cell = (tag, text, style) => `<${tag} style="${style}">${escape(text)}</${tag}>`;
  const base = "padding:2pt 6pt;font-family:'Times New Roman',serif;font-size:11pt;";
  const head = table.head
    .map((h, i) => cell("th", h, `${base}border-top:1px solid #000;border-bottom:1px solid #000;text-align:${i ? "center" : "left"};font-weight:normal`))
    .join("");
  const body = table.rows
    .map((r, k) => {
      const last = k === table.rows.length - 1 ? "border-bottom:1px solid #000;" : "";
      const label = r.kind === "section" ? `<i>${escape(r.label)}</i>` : r.kind === "p" ? `&nbsp;&nbsp;<i>p</i>` : escape(r.label);
      const first = `<td style="${base}${last}text-align:left">${label}</td>`;
      return `<tr>${first}${r.cells.map((c) => cell("td", c, `${base}${last}text-align:center`)).join("")}</tr>`;
    })
    .join("");
  const caption = `<p style="${base}font-weight:bold;margin:0">Table ${number}</p><p style="${base}font-style:italic;margin:0 0 4pt">${escape(title)}</p>`;
  const note = notes.length ? `<p style="${base}font-size:10pt"><i>Note.</i> ${escape(notes.join(" "))}</p>` : "";
  return `${caption}<table style="border-collapse:collapse">\n<thead><tr>${head}</tr></thead>\n<tbody>${body}</tbody></table>${note}`;
}

/** The table as tab-separated text (the clipboard's text/plain). */
export function tableTsv(table) {
  const lines = [table.head, ...table.rows.map((r) => [r.kind === "p" ? "  p" : r.label, ...r.cells])];
  return lines.map((l) => l.join("\t")).join("\n") + "\n";
}

/** "Model 1 vs Model 2 (ML fits on 1364 rows): χ²(2) = 12.34, p = .002; AIC 1234.5 vs 1226.2." */
export function lrtSentence(comparison, given) {
  const [small, large] = comparison.givenOrder.map((i) => given[i]);
  const test = comparison.tests[0];
  const [ms, ml] = comparison.models;
  const p = test.p === null ? "no p (the models have the same number of parameters)" : apaP(test.p);
  const nested = test.nested ? "" : " The models are not nested, so the test is not valid; compare AIC and BIC instead.";
  const warnings = comparison.warnings.length ? ` ${comparison.warnings.join(" ")}` : "";
  return (
    `${small.name} vs ${large.name} (${comparison.method} fits on ${comparison.nobs} rows): ` +
    `χ²(${apaDf(test.df)}) = ${fixed(test.chisq, 2)}, ${p}; AIC ${fixed(ms.aic, 2)} vs ${fixed(ml.aic, 2)}, BIC ${fixed(ms.bic, 2)} vs ${fixed(ml.bic, 2)}.` +
    nested + warnings
  );
}
