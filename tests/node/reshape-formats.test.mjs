// The page's reshape of a wide file in every format, through wasm as the worker does it
// (worker.js load with `reshape`): CSV by Analysis.fromWide, a workbook or SPSS file by the
// readers module's readFile then Analysis.fromWideCells; each fits as the long trial.csv to
// 1e-10 (crate/tests/reshape_formats.rs checks the same natively to 1e-12). Also the labels
// beside the names (www/labels.js) and the reshape's message.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import lagmix from "./wasm.mjs";
import readers from "./readers-wasm.mjs";
import { root } from "./compare.mjs";
import * as labels from "../../www/labels.js";
import * as ir from "../../www/items-render.js";
import { columnsTable } from "../../www/render.js";

const bytes = (name) => new Uint8Array(fs.readFileSync(path.join(root, "tests", "formats", name)));
const DATA = { id: "id", time: "week" };
const RESHAPE = { id: "id", time: "week", sep: "_" };
const FORMULA = "spin ~ within(wai) + group + mood + (1 | id)";

function wideAnalysis(name, importOptions) {
  if (name.endsWith(".csv")) return lagmix.Analysis.fromWide(bytes(name), RESHAPE, DATA);
  const read = readers.readFile(bytes(name), importOptions);
  const wideLabels = read.source.variables.filter((v) => v.label).map((v) => ({ name: v.name, label: v.label }));
  return lagmix.Analysis.fromWideCells(read.table, { ...RESHAPE, labels: wideLabels }, DATA);
}

function assertSameFit(a, b, what) {
  assert.equal(a.nobs, b.nobs, what);
  assert.deepEqual(a.fixed.map((f) => f.term), b.fixed.map((f) => f.term), what);
  a.fixed.forEach((f, i) => {
    for (const key of ["estimate", "se", "df"])
      assert.ok(Math.abs(f[key] - b.fixed[i][key]) <= 1e-10 * (1 + Math.abs(f[key])), `${what} ${f.term} ${key}`);
  });
}

test("wasm: wide CSV, .xlsx (sheet scores) and .sav reshaped fit as the long CSV", () => {
  const long = new lagmix.Analysis(new TextDecoder().decode(bytes("trial.csv")), DATA).fit({ formula: FORMULA });
  for (const [name, importOptions] of [["wide_trial.csv"], ["wide_trial.xlsx", { sheet: "scores" }], ["wide_trial.sav"]]) {
    const analysis = wideAnalysis(name, importOptions);
    const { summary, labels: longLabels } = analysis.reshapeSummary();
    assert.equal(summary.persons, 182, name);
    assert.deepEqual(summary.stubs.map((s) => s.stub), ["spin", "wai", "mood"], name);
    assert.equal(analysis.wideGuess(), null, `${name}: the long data are not offered a reshape again`);
    assertSameFit(analysis.fit({ formula: FORMULA }), long, name);
    assert.match(analysis.longCsv(), /^id,week,group,site,spin,wai,mood\n1,0,control,B,29,63,2\n/, name);
    if (name.endsWith(".sav"))
      assert.deepEqual(longLabels.find((l) => l.name === "spin"), { name: "spin", label: "SPIN total, week" });
    else assert.deepEqual(longLabels, [], name);
    analysis.free();
  }
  // A data set loaded as it is says it was not reshaped.
  assert.equal(new lagmix.Analysis("id,y\n1,2\n").reshapeSummary(), null);
  assert.throws(() => wideAnalysis("wide_trial.xlsx", { sheet: "about" }), /no column "id"/);
});

test("labels beside the names: cut at a word, whole in the title; the reshape's message", () => {
  assert.deepEqual(labels.labelMap([{ name: "spin", label: " SPIN " }, { name: "x", label: "" }]), { spin: "SPIN" });
  assert.equal(labels.labelledName("spin_3", "I avoid parties"), 'spin_3 — "I avoid parties"');
  assert.equal(labels.labelledName("id", undefined), "id");
  const long = "I am afraid of doing things when people might be watching me closely";
  const shown = labels.labelledName("spin_9", long);
  assert.equal(shown, 'spin_9 — "I am afraid of doing things when…"');
  assert.ok(shown.length <= labels.MAX_TEXT, shown);
  assert.equal(labels.shorten(long, 40), "I am afraid of doing things when people…", "a cut just before a space keeps the word");
  assert.equal(labels.fullName("spin_9", long), `spin_9 — "${long}"`);
  assert.equal(labels.shorten("x".repeat(60), 40), "x".repeat(39) + "…", "no space: cut at the limit");
  const wai = labels.labelledName("working_alliance_wai", "working alliance inventory (WAI-SR)");
  assert.equal(wai, 'working_alliance_wai — "working alliance…"', "a long name leaves less room");
  assert.deepEqual(columnsTable([{ name: "spin", kind: "numeric", missing: 0, min: 1, max: 2 }], { spin: "SPIN" }).rows[0][0], 'spin — "SPIN"');
  const summary = {
    stubs: [{ stub: "spin", columns: ["spin_0", "spin_1", "spin_10"], occasions: [0, 1, 10] }, { stub: "wai", columns: ["wai_0", "wai_1"], occasions: [0, 1] }],
    carried: ["group"], occasions: [0, 1, 10], persons: 182, rows: 1922, emptyRowsDropped: 80, warnings: [],
  };
  assert.equal(
    ir.reshapeSummary(summary, "week"),
    'Reshaped to long: 182 persons × 3 occasions → 1922 rows. New columns: spin (from spin_0 … spin_10), wai (from wai_0, wai_1); ' +
      '"week" holds the occasion from the column names (0 to 10). Carried to every row: group. ' +
      "80 occasions where every measure was missing were left out.",
  );
});
