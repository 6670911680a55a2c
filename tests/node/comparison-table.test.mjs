// The publication table of the models side by side (www/comparison-table.js) on the example's
// three models of the reference study, fitted through wasm: one column per model, terms in
// order of appearance with B (SE) or B [CI] and p, random-effect variances, ICC, R², N,
// logLik/AIC; models fitted to other rows or another file marked; the HTML a Word paste needs.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import lagmix from "./wasm.mjs";
import { root } from "./compare.mjs";
import { presets } from "../../www/render.js";
import * as t from "../../www/comparison-table.js";

const example = fs.readFileSync(path.join(root, "www", "example", "trial.csv"), "utf8");
const analysis = new lagmix.Analysis(example, { id: "id", time: "week" });
const data = { key: "trial.csv|1", fileName: "trial.csv" };
const [total, within, between] = presets("spin", "wai", "id").map((p) => ({ formula: p.formula, reml: true, df: "satterthwaite" }));
const entry = (options, name, d = data) => {
  const fit = analysis.fit(options);
  return t.modelEntry({ fit, options, data: d, rowsKey: String(fit.nobs), name });
};
const models = [entry(total, "Total"), entry(within, "Within"), entry(between, "Between")];

test("one column per model, terms in order of appearance, B (SE) and p rows", () => {
  const table = t.comparisonTable(models);
  assert.deepEqual(table.head, ["", "Total", "Within", "Between"]);
  const labels = table.rows.map((r) => r.label);
  assert.equal(labels[0], "Fixed effects");
  assert.equal(labels[1], "(Intercept)");
  assert.equal(labels[2], "p");
  // Every fixed effect of every model appears once.
  const terms = new Set(models.flatMap((m) => m.fit.fixed.map((e) => e.term)));
  assert.equal(table.rows.filter((r) => r.kind === "estimate").length, terms.size);
  const wai = table.rows.find((r) => r.label === "wai");
  const e = models[0].fit.fixed.find((x) => x.term === "wai");
  assert.equal(wai.cells[0], `${e.estimate.toFixed(3)} (${e.se.toFixed(3)})`);
  assert.equal(wai.cells[1], "", "a term a model lacks stays empty");
  for (const label of ["Residual variance", "Var((Intercept) | id)", "ICC", "R² marginal", "R² conditional", "N observations", "N id", "Log-likelihood", "AIC"])
    assert.ok(labels.includes(label), label);
  const icc = table.rows.find((r) => r.label === "ICC").cells[0];
  assert.match(icc, /^\.\d{3}$/, "no leading zero for the ICC");
  assert.equal(table.rows.find((r) => r.label === "N observations").cells[0], String(models[0].fit.nobs));
});

test("CI, stars and 2 decimals on request", () => {
  const table = t.comparisonTable(models, { interval: "ci", withStars: true, decimals: 2 });
  const e = models[0].fit.fixed.find((x) => x.term === "wai");
  const cell = table.rows.find((r) => r.label === "wai").cells[0];
  assert.equal(cell, `${e.estimate.toFixed(2)}${t.stars(e.p)} [${e.ciLower.toFixed(2)}, ${e.ciUpper.toFixed(2)}]`);
  assert.ok(table.notes.some((n) => /\*\*\* p < \.001/.test(n)));
  assert.equal(t.stars(0.0004), "***");
  assert.equal(t.stars(0.2), "");
});

test("models fitted to other rows or another file are marked", () => {
  // The between model uses every row with spin and wai; the lead() models lose each person's last week.
  assert.notEqual(models[2].fit.nobs, models[0].fit.nobs);
  assert.deepEqual(t.differences(models), [null, null, "rows"]);
  const other = entry(total, "Other", { key: "other.csv|2", fileName: "other.csv" });
  assert.deepEqual(t.differences([models[0], other]), [null, "file"]);
  const table = t.comparisonTable([models[0], other, models[2]]);
  assert.deepEqual(table.rows.at(-1).cells, ["", "other file: other.csv", "other rows"]);
  assert.ok(table.notes.some((n) => /other data than Total/.test(n)));
  assert.ok(t.sameModel(models[0], entry(total, "again")));
});

test("the HTML is one real table with an APA caption; the text is tab-separated", () => {
  const table = t.comparisonTable(models);
  const html = t.tableHtml(table, { number: 2, title: "Three models <and> more" });
  assert.equal(html.match(/<table/g).length, 1);
  assert.match(html, /Table 2/);
  assert.match(html, /Three models &lt;and&gt; more/);
  assert.equal(html.match(/<tr>/g).length, table.rows.length + 1);
  const tsv = t.tableTsv(table).split("\n");
  assert.equal(tsv[0], "\tTotal\tWithin\tBetween");
  assert.equal(tsv.length, table.rows.length + 2);
});

test("the likelihood-ratio sentence from the worker's comparison", () => {
  const small = { formula: "lead(spin) ~ spin + (1 | id)", reml: true, df: "satterthwaite" };
  const { comparison } = analysis.compare([total, small], true);
  const sentence = t.lrtSentence(comparison, [{ name: "Total" }, { name: "Smaller" }]);
  assert.match(sentence, /^Smaller vs Total \(ML fits on \d+ rows\): χ²\(1\) = \d+\.\d\d, p [=<] \.\d{3}; AIC/);
});
