// Unit tests of www/render.js (pure formatting), hand-checked expected strings.
import test from "node:test";
import assert from "node:assert/strict";
import * as r from "../../www/render.js";

const effect = { term: "wai", estimate: -0.03812, se: 0.01128, df: 1458.04, t: -3.3794, p: 0.000745, ciLower: -0.06025, ciUpper: -0.01599 };

test("APA sentence has the house form", () => {
  const e = { ...effect, p: 0.00126, df: 1458 };
  assert.equal(r.apaSentence(e), "B = -0.038, SE = 0.011, t(1458) = -3.38, p = .001, 95% CI = -0.060 to -0.016");
});

test("p below .001 is written p < .001, otherwise 3 decimals without leading zero", () => {
  assert.equal(r.apaP(0.000745), "p < .001");
  assert.equal(r.apaP(0.0234), "p = .023");
  assert.equal(r.apaP(0.9999), "p = 1.000");
  assert.equal(r.apaP(NaN), "p = NA");
  assert.match(r.apaSentence(effect), /p < \.001/);
});

test("df: whole numbers plain, Satterthwaite df with two decimals", () => {
  assert.equal(r.apaDf(171.43), "171.43");
  assert.equal(r.apaDf(130.5349), "130.53");
  assert.equal(r.apaDf(1457.999), "1458");
  assert.equal(r.apaDf(1458.0), "1458");
  assert.equal(r.apaDf(Infinity), "Inf");
});

test("no negative zero and tiny estimates keep 2 significant digits", () => {
  assert.equal(r.fixed(-0.0001, 3), "0.000");
  assert.equal(r.apaNumber(-0.00012345), "-0.00012");
  assert.equal(r.apaNumber(12.34567), "12.346");
  assert.equal(r.apaNumber(6.1e-18), "0.000");
});

test("table numbers keep 6 significant digits and parse back", () => {
  assert.equal(r.num(-0.0381234567), "-0.0381235");
  assert.equal(r.num(1e-20), "1e-20");
  assert.equal(r.num(null), "");
  assert.equal(r.num(NaN), "NaN");
});

test("the fixed-effects table is in APA style with full precision alongside", () => {
  const t = r.fixedEffectsTable([effect, { ...effect, term: "x", p: 0.0234, df: 130.5349 }]);
  assert.equal(t.header.length, 8);
  assert.deepEqual(t.rows[0], ["wai", "-0.038", "0.011", "1458.04", "-3.38", "< .001", "-0.060", "-0.016"]);
  assert.deepEqual(t.rows[1].slice(3, 6), ["130.53", "-3.38", ".023"]);
  assert.deepEqual(r.fixedEffectsTable([effect], 2).rows[0].slice(1, 3), ["-0.04", "0.01"]);
  assert.equal(t.values[0][1], -0.03812);
});

test("values bounded by 1 have no leading zero; 2 decimals selectable in the sentence", () => {
  assert.equal(r.bounded(0.27865), ".279");
  assert.equal(r.bounded(-0.5, 2), "-.50");
  assert.equal(r.bounded(1), "1.000");
  assert.equal(r.pCell(0.0004), "< .001");
  assert.equal(r.apaSentence({ ...effect, p: 0.00126 }, 2), "B = -0.04, SE = 0.01, t(1458.04) = -3.38, p = .001, 95% CI = -0.06 to -0.02");
});

test("random-effects table: variance rows and correlation rows", () => {
  const t = r.randomEffectsTable([
    { group: "id", var1: "(Intercept)", var2: null, vcov: 4, sdcor: 2 },
    { group: "id", var1: "(Intercept)", var2: "week", vcov: 0.1, sdcor: 0.25 },
    { group: "Residual", var1: null, var2: null, vcov: 9, sdcor: 3 },
  ]);
  assert.deepEqual(t.rows[0], ["id", "(Intercept)", "4", "2", ""]);
  assert.deepEqual(t.rows[1], ["id", "(Intercept) with week", "0.1", "", "0.25"]);
  assert.deepEqual(t.rows[2], ["Residual", "", "9", "3", ""]);
});

test("descriptives in Table 1 layout", () => {
  const occ = (time, n, mean, sd, changeMean = null, changeSd = null) =>
    ({ time, n, mean, sd, missing: 0, missingPercent: 0, changeN: 0, changeMean, changeSd });
  const d = {
    id: "id", time: "week", persons: 2, occasions: [0, 1],
    variables: [
      { variable: "spin", occasions: [occ(0, 2, 40.5, 2.12132), occ(1, 1, 38, null, 3, null)] },
      { variable: "wai", occasions: [occ(0, 2, 50, 1), occ(1, 2, 52.256, 0.5, 2.5, 0.70711)] },
    ],
  };
  const t = r.descriptivesTable(d);
  assert.deepEqual(t.header, [
    "week",
    "spin n", "spin M", "spin SD", "spin |change| M", "spin |change| SD",
    "wai n", "wai M", "wai SD", "wai |change| M", "wai |change| SD",
  ]);
  assert.deepEqual(t.rows[0], ["0", "2", "40.50", "2.12", "", "", "2", "50.00", "1.00", "", ""]);
  // APA's spanning heads: each variable over its five columns.
  assert.deepEqual(t.groups, [{ label: "", span: 1 }, { label: "spin", span: 5 }, { label: "wai", span: 5 }]);
  assert.deepEqual(t.subHeader.slice(0, 6), ["week", "n", "M", "SD", "|change| M", "|change| SD"]);
  assert.deepEqual(t.rows[1], ["1", "1", "38.00", "", "3.00", "", "2", "52.26", "0.50", "2.50", "0.71"]);
});

test("CSV quoting and the results CSV", () => {
  assert.equal(r.csvField('a "b", c'), '"a ""b"", c"');
  assert.equal(r.csvField(null), "");
  const csv = r.resultsCsv({ fixed: [{ ...effect, term: "lag(x, 2)" }] });
  assert.equal(csv.split("\n")[0], "term,estimate,se,df,t,p,ci_lower,ci_upper");
  assert.ok(csv.split("\n")[1].startsWith('"lag(x, 2)",-0.03812,'));
});

test("presets of the reference study, both directions", () => {
  const p = r.allPresets("spin", "wai", "id");
  assert.equal(p.length, 6);
  assert.equal(p[0].formula, "lead(spin) ~ spin + wai + (1 | id)");
  assert.equal(p[1].formula, "lead(within(spin)) ~ within(spin) + within(wai) + between(wai) + (1 | id)");
  assert.equal(p[2].formula, "between(spin) ~ within(wai) + between(wai) + (1 | id)");
  assert.equal(p[3].formula, "lead(wai) ~ wai + spin + (1 | id)");
  assert.equal(p[3].direction, "reverse");
  assert.equal(r.presets("y", "x", "subject")[0].formula, "lead(y) ~ y + x + (1 | subject)");
});

test("role guesses from column names", () => {
  assert.deepEqual(r.guessRoles(["id", "week", "spin", "wai"]), { id: "id", time: "week" });
  assert.deepEqual(r.guessRoles(["Participant", "Session", "score"]), { id: "Participant", time: "Session" });
  assert.deepEqual(r.guessRoles(["subject_id", "day_nr", "x"]), { id: "subject_id", time: "day_nr" });
  assert.deepEqual(r.guessRoles(["a", "b"]), { id: null, time: null });
  // "wai" must not be taken for a time column, nor "width" for an id.
  assert.deepEqual(r.guessRoles(["width", "wai"]), { id: null, time: null });
});

test("settings round-trip through the URL hash; unknown keys dropped", () => {
  const s = { id: "id", time: "week", formula: "lead(spin) ~ spin + wai + (1 | id)", method: "ML", df: "residual" };
  const hash = r.encodeSettings(s);
  assert.ok(hash.startsWith("#"));
  assert.deepEqual(r.decodeSettings(hash), s);
  assert.deepEqual(r.decodeSettings("#data=secret&id=x"), { id: "x" });
  assert.equal(r.encodeSettings({}), "");
});

test("fit statistics and the missing-rows sentence", () => {
  const fit = { method: "REML", dfMethod: "Satterthwaite", nobs: 90, totalRows: 100, droppedRows: 10, groups: [{ name: "id", levels: 10 }],
    remlCriterion: 300.5, logLik: -150.25, aic: 308.5, bic: 318.9, deviance: 300.5, sigma: 1.5, icc: 0.4, singular: false, converged: true,
    missingByVariable: [{ variable: "lead(spin)", rows: 10 }] };
  const stats = Object.fromEntries(r.fitStatistics(fit));
  assert.equal(stats["REML criterion"], "300.5");
  assert.equal(stats["Levels of id"], "10");
  assert.equal(stats["Singular fit"], "no");
  assert.equal(stats.ICC, ".400");
  assert.equal(r.missingSentence(fit), "90 of 100 rows were used (10 left out: see the warnings).");
});

test("missing per occasion and the column table", () => {
  const occ = (time, missing, missingPercent) => ({ time, n: 2 - missing, mean: 1, sd: 1, missing, missingPercent, changeN: 0, changeMean: null, changeSd: null });
  const d = { id: "id", time: "week", persons: 2, occasions: [0, 1],
    variables: [{ variable: "spin", n: 3, missing: 1, missingPercent: 25, occasions: [occ(0, 0, 0), occ(1, 1, 50)] }] };
  const t = r.missingTable(d);
  assert.deepEqual(t.header, ["week", "spin missing"]);
  assert.deepEqual(t.rows, [["0", "0 (0.0%)"], ["1", "1 (50.0%)"], ["All", "1 (25.0%)"]]);
  const c = r.columnsTable([
    { name: "id", kind: "text", missing: 0, levels: 12, min: null, max: null },
    { name: "spin", kind: "numeric", missing: 3, levels: null, min: 0, max: 68 },
    { name: "x", kind: "numeric", missing: 5, levels: null },
  ]);
  assert.deepEqual(c.rows, [["id", "text", "0", "12 distinct"], ["spin", "numeric", "3", "0 to 68"], ["x", "numeric", "5", ""]]);
});
