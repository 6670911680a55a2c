// Pure formatting for the page: numbers, tables, APA sentences, CSV, presets, role guesses and
// the settings in the URL hash. No DOM, no wasm: everything here is unit-tested in Node
// (tests/node/render.test.mjs) and imported by main.js.
import { varianceExplainedRows } from "./variance.js";
import { labelledName } from "./labels.js";

const MINUS = "-"; // ASCII hyphen-minus, so copied sentences paste cleanly everywhere

/** A number for the results tables: 6 significant digits, trailing zeros dropped; "" when
 *  missing; "NaN"/"Inf" spelled out. Precise enough to compare with lme4 by reading the page. */
export function num(x) {
  if (x === null || x === undefined) return "";
  if (typeof x !== "number") return String(x);
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  return String(Number(x.toPrecision(6)));
}

/** Fixed-point with `digits` decimals, ASCII minus, no "-0.000". */
export function fixed(x, digits) {
  if (x === null || x === undefined || Number.isNaN(x)) return "NA";
  let s = x.toFixed(digits);
  if (/^-0\.?0*$/.test(s)) s = s.slice(1);
  return s.replace("-", MINUS);
}

/** An estimate in APA style: `decimals` decimals (3, the reference study's choice, or 2);
 *  values too small for that (down to 1e-6) get 2 significant digits. */
export function apaNumber(x, decimals = 3) {
  if (x === null || x === undefined || Number.isNaN(x)) return "NA";
  // Below 1e-6 (a variance at zero, rounding noise) the digits mean nothing: plain zeros.
  const tiny = Math.abs(x) < 0.5 * 10 ** -decimals && Math.abs(x) >= 1e-6;
  if (tiny) return Number(x.toPrecision(2)).toString();
  return fixed(x, decimals);
}

/** A statistic bounded by 1 (p, r, R², ICC, alpha, phi) as APA writes it: no leading zero,
 *  `digits` decimals ("0.279" -> ".279", "-0.5" -> "-.500"); "NA" when missing. */
export function bounded(x, digits = 3) {
  if (x === null || x === undefined || Number.isNaN(x)) return "NA";
  return fixed(x, digits).replace(/^(-?)0\./, "$1.");
}

/** The p of a table cell: ".023", "< .001". */
export function pCell(p) {
  if (p === null || p === undefined || Number.isNaN(p)) return "NA";
  return p < 0.001 ? "< .001" : bounded(p, 3);
}

/** p in APA style: "p = .023", "p < .001" (no leading zero, 3 decimals). */
export function apaP(p) {
  const cell = pCell(p);
  return cell.startsWith("<") ? `p ${cell}` : `p = ${cell}`;
}

/** Degrees of freedom: whole numbers as such (residual and between-within df), otherwise two
 *  decimals (Satterthwaite and Kenward-Roger df): "1458", "130.53". */
export function apaDf(df) {
  if (df === null || df === undefined || Number.isNaN(df)) return "NA";
  if (!Number.isFinite(df)) return "Inf";
  const two = df.toFixed(2);
  return two.endsWith(".00") ? two.slice(0, -3) : two;
}

/** One APA sentence for a fixed effect (`decimals` for B, SE and the CI: 3 or 2):
 *  "B = -0.038, SE = 0.011, t(1458) = -3.38, p = .001, 95% CI = -0.060 to -0.016". */
export function apaSentence(e, decimals = 3) {
  const n = (x) => apaNumber(x, decimals);
  return (
    `B = ${n(e.estimate)}, SE = ${n(e.se)}, ` +
    `t(${apaDf(e.df)}) = ${fixed(e.t, 2)}, ${apaP(e.p)}, ` +
    `95% CI = ${n(e.ciLower)} to ${n(e.ciUpper)}`
  );
}

/** The fixed-effects table in APA style (B, SE and CI with `decimals` decimals, t with 2, p
 *  with 3, df whole or with 2): header and one row of text cells per term, the intercept first
 *  as the core lists it. The full-precision numbers go along as `values` (the page puts them on
 *  the cells as data-value; the CSV and JSON exports have them too). */
export function fixedEffectsTable(fixedEffects, decimals = 3) {
  const n = (x) => apaNumber(x, decimals);
  return {
    header: ["Term", "B", "SE", "df", "t", "p", "95% CI lower", "95% CI upper"],
    rows: fixedEffects.map((e) => [
      e.term, n(e.estimate), n(e.se), apaDf(e.df), fixed(e.t, 2), pCell(e.p), n(e.ciLower), n(e.ciUpper),
    ]),
    values: fixedEffects.map((e) => [null, e.estimate, e.se, e.df, e.t, e.p, e.ciLower, e.ciUpper]),
  };
}

/** The random-effects table (lme4's VarCorr): variances, SDs and correlations. */
export function randomEffectsTable(varcorr) {
  return {
    header: ["Group", "Name", "Variance", "SD", "Corr"],
    rows: varcorr.map((r) =>
      r.var2 === null || r.var2 === undefined
        ? [r.group, r.var1 ?? "", num(r.vcov), num(r.sdcor), ""]
        : [r.group, `${r.var1} with ${r.var2}`, num(r.vcov), "", num(r.sdcor)],
    ),
  };
}

/** Fit statistics as [label, value] pairs. */
export function fitStatistics(fit) {
  const rows = [
    ["Method", `${fit.method}, ${fit.dfMethod} df`],
    ["Observations used", String(fit.nobs)],
    ["Rows in the data", String(fit.totalRows)],
    ["Rows dropped (missing values)", String(fit.droppedRows)],
  ];
  for (const g of fit.groups || []) rows.push([`Levels of ${g.name}`, String(g.levels)]);
  if (fit.remlCriterion !== null && fit.remlCriterion !== undefined)
    rows.push(["REML criterion", num(fit.remlCriterion)]);
  rows.push(["Log-likelihood", num(fit.logLik)], ["AIC", num(fit.aic)], ["BIC", num(fit.bic)]);
  rows.push(["Deviance", num(fit.deviance)], ["Residual SD (sigma)", num(fit.sigma)]);
  const rc = fit.residualCorrelation;
  if (rc) rows.push([`Residual autocorrelation (${rc.structure === "car1" ? "CAR(1)" : "AR(1)"} over ${rc.time})`, `phi = ${bounded(rc.phi, 3)}`]);
  if (fit.icc !== null && fit.icc !== undefined) rows.push(["ICC", bounded(fit.icc, 3)]);
  rows.push(...varianceExplainedRows(fit));
  rows.push(["Singular fit", fit.singular ? "yes" : "no"]);
  rows.push(["Converged", fit.converged ? "yes" : "no"]);
  return rows;
}

/**
 * How many rows the model used, in words. Why the others were left out (which variable was
 * missing how often) is the first of the core's warnings, shown right below: not repeated here.
 */
export function missingSentence(fit) {
  if (fit.droppedRows === 0) return `All ${fit.totalRows} rows were used.`;
  return `${fit.nobs} of ${fit.totalRows} rows were used (${fit.droppedRows} left out: see the warnings).`;
}

/**
 * Table 1 layout: one row per occasion; for each variable n, M, SD and the within-person
 * absolute change from the previous occasion, M and SD of |x_t - x_(t-1)| (a missed week gives
 * no change value).
 */
export function descriptivesTable(description) {
  const vars = description.variables;
  const header = [description.time || "Occasion"];
  for (const v of vars) {
    header.push(`${v.variable} n`, `${v.variable} M`, `${v.variable} SD`, `${v.variable} |change| M`, `${v.variable} |change| SD`);
  }
  const rows = description.occasions.map((time, k) => {
    const row = [num(time)];
    for (const v of vars) {
      const o = v.occasions.find((s) => s.time === time) || v.occasions[k];
      row.push(
        o ? String(o.n) : "",
        o ? fixed2(o.mean) : "",
        o ? fixed2(o.sd) : "",
        o ? fixed2(o.changeMean) : "",
        o ? fixed2(o.changeSd) : "",
      );
    }
    return row;
  });
  // APA's layout: the variables as spanning column heads over n, M, SD and the change columns.
  const groups = [{ label: "", span: 1 }, ...vars.map((v) => ({ label: v.variable, span: 5 }))];
  const subHeader = [header[0], ...vars.flatMap(() => ["n", "M", "SD", "|change| M", "|change| SD"])];
  return { header, rows, groups, subHeader };
}
const fixed2 = (x) => (x === null || x === undefined ? "" : fixed(x, 2));

/** Missing values per occasion and overall, one column per variable ("3 (1.6%)"). */
export function missingTable(description) {
  const cell = (missing, percent) => `${missing} (${fixed(percent, 1)}%)`;
  const header = [description.time || "Occasion", ...description.variables.map((v) => `${v.variable} missing`)];
  const rows = description.occasions.map((time, k) => [
    num(time),
    ...description.variables.map((v) => {
      const o = v.occasions.find((s) => s.time === time) || v.occasions[k];
      return o ? cell(o.missing, o.missingPercent) : "";
    }),
  ]);
  rows.push(["All", ...description.variables.map((v) => cell(v.missing, v.missingPercent))]);
  return { header, rows };
}

/** The column table of the data step: name (with its variable label, if any), type, missing cells, levels or range. */
export function columnsTable(columns, labels = {}) {
  return {
    header: ["Column", "Type", "Missing", "Values"],
    rows: columns.map((c) => [
      labelledName(c.name, labels[c.name]),
      c.kind ?? "",
      String(c.missing ?? ""),
      c.kind === "text"
        ? c.levels !== null && c.levels !== undefined ? `${c.levels} distinct` : ""
        : c.min !== null && c.min !== undefined ? `${num(c.min)} to ${num(c.max)}` : "",
    ]),
  };
}

/** One CSV field, quoted when needed (RFC 4180). */
export function csvField(value) {
  const s = value === null || value === undefined ? "" : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text of rows of fields. */
export function toCsv(rows) {
  return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

/** The fixed effects as CSV, full precision (the JSON export has everything else). */
export function resultsCsv(fit) {
  const header = ["term", "estimate", "se", "df", "t", "p", "ci_lower", "ci_upper"];
  const rows = fit.fixed.map((e) => [e.term, e.estimate, e.se, e.df, e.t, e.p, e.ciLower, e.ciUpper]);
  return toCsv([header, ...rows]);
}

/** The reference study's analyses, for outcome Y, predictor X and person id column `id`. */
export function presets(y, x, id = "id") {
  return [
    { key: "total", label: `Total lagged: ${x} predicts next ${y}`, formula: `lead(${y}) ~ ${y} + ${x} + (1 | ${id})` },
    {
      key: "within-between",
      label: `Within + between lagged: ${x} predicts next ${y}`,
      formula: `lead(within(${y})) ~ within(${y}) + within(${x}) + between(${x}) + (1 | ${id})`,
    },
    { key: "between", label: `Between persons: ${x} and ${y}`, formula: `between(${y}) ~ within(${x}) + between(${x}) + (1 | ${id})` },
  ];
}

/** Presets for both directions: Y on X, then the reverse (X on Y). */
export function allPresets(y, x, id = "id") {
  const tag = (dir) => (p) => ({ ...p, key: `${p.key}-${dir}`, direction: dir });
  return [...presets(y, x, id).map(tag("forward")), ...presets(x, y, id).map(tag("reverse"))];
}

const ID_NAMES = /^(id|ids|subject|subj|person|participant|pid|ppn|client|patient|case|respondent)([_. -]?(id|nr|no|number|code))?$/i;
const TIME_NAMES = /^(time|week|weeks|day|days|session|occasion|wave|visit|t|month)([_. -]?(nr|no|number|index))?$/i;

/** Guesses the id and time columns from their names (null when nothing fits). */
export function guessRoles(names) {
  const find = (re, loose) =>
    names.find((n) => re.test(n.trim())) ?? names.find((n) => loose.test(n.trim())) ?? null;
  return {
    id: find(ID_NAMES, /(^|[_. -])(id|subject|person|participant)([_. -]|$)/i),
    time: find(TIME_NAMES, /(^|[_. -])(time|week|day|session|occasion|wave)([_. -]|$)/i),
  };
}

const SETTING_KEYS = ["id", "time", "outcome", "predictor", "formula", "method", "df", "correlation", "na", "delimiter"];

/** Settings (never data) to a URL hash: "#id=id&time=week&formula=...". */
export function encodeSettings(settings) {
  const params = new URLSearchParams();
  for (const k of SETTING_KEYS) if (settings[k]) params.set(k, settings[k]);
  const s = params.toString();
  return s ? "#" + s : "";
}

/** The settings in a URL hash (unknown keys ignored). */
export function decodeSettings(hash) {
  const params = new URLSearchParams((hash || "").replace(/^#/, ""));
  const out = {};
  for (const k of SETTING_KEYS) if (params.has(k)) out[k] = params.get(k);
  return out;
}
