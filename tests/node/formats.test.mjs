// Workbooks and SPSS files through the wasm API as the worker uses it (tests/formats/,
// tests/catalogue/): the readers module's readFile, the main module's Analysis.fromCells; the
// same fit as the CSV to 1e-12, what was read (source), the bad files as thrown Errors; and the
// page's pure text for what was read (www/source.js).
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import lagmix from "./wasm.mjs";
import readers from "./readers-wasm.mjs";
import { root } from "./compare.mjs";
import * as source from "../../www/source.js";

const bytes = (dir, name) => new Uint8Array(fs.readFileSync(path.join(root, "tests", dir, name)));
const roles = { id: "id", time: "week" };
const FORMULA = "lead(within(spin)) ~ within(spin) + within(wai) + between(wai) + group + (1 | id)";

/** As the worker reads a file: CSV by the main module, the rest by the readers module. */
function open(name, importOptions) {
  const data = bytes("formats", name);
  if (lagmix.detectFormat(data.slice(0, 8)) === "csv") return { analysis: lagmix.Analysis.fromBytes(data, roles), source: null };
  const read = readers.readFile(data, importOptions);
  return { analysis: lagmix.Analysis.fromCells(read.table, roles), source: read.source };
}

function fitFile(name, importOptions) {
  const { analysis, source: info } = open(name, importOptions);
  try {
    const wai = name.includes("sav") ? "working_alliance_wai" : "wai";
    return { fit: analysis.fit({ formula: FORMULA.replaceAll("wai", wai) }), source: info };
  } finally {
    analysis.free();
  }
}

test("every format fits as the CSV to 1e-12, and says what it read", () => {
  const csv = fitFile("trial.csv").fit;
  for (const name of ["trial.xlsx", "trial.ods", "trial.xls", "trial.sav", "trial_bytecode.sav", "trial.zsav"]) {
    const { fit, source: info } = fitFile(name);
    assert.equal(info.rows, 1922, name);
    assert.equal(info.columns, 9, name);
    assert.equal(fit.fixed.length, csv.fixed.length, name);
    fit.fixed.forEach((f, i) => {
      assert.equal(f.term.replace("working_alliance_wai", "wai"), csv.fixed[i].term, name);
      assert.ok(Math.abs(f.estimate - csv.fixed[i].estimate) <= 1e-12 * (1 + Math.abs(f.estimate)), `${name} ${f.term}`);
      assert.ok(Math.abs(f.se - csv.fixed[i].se) <= 1e-12 * (1 + f.se), `${name} ${f.term}`);
    });
  }
});

test("source: sheets of a workbook, SPSS variables with labels, levels and user-missing counts", () => {
  const xlsx = fitFile("trial.xlsx").source;
  assert.deepEqual(xlsx.sheets, ["trial", "notes", "empty"]);
  assert.equal(source.sourceSummary(xlsx, "trial.xlsx").startsWith('Read sheet "trial" of trial.xlsx (Excel workbook): 1922 rows, 9 columns.'), true);
  const sav = fitFile("trial.sav").source;
  const group = sav.variables.find((v) => v.name === "group");
  assert.deepEqual(group.valueLabels, [{ value: 1, label: "control" }, { value: 2, label: "treatment" }]);
  assert.equal(group.measure, "nominal");
  assert.equal(group.factor, true);
  const mood = sav.variables.find((v) => v.name === "mood");
  assert.equal(mood.measure, "ordinal");
  assert.equal(mood.factor, false);
  const table = source.variableRows(sav);
  assert.deepEqual(table.rows.find((r) => r[0] === "group"), ["group", "randomised group", "nominal", "1 = control; 2 = treatment", "0", "factor (labels)"]);
  assert.equal(source.sourceSummary(sav, "t.sav"), "Read t.sav (SPSS data file): 1922 rows, 9 columns.");
});

test("the page's choices become import options: a sheet, a variable either way", () => {
  source.resetChoices();
  assert.deepEqual(source.importOptions(), { sheet: undefined, factors: [], numeric: [] });
  source.chooseTreatment("group", false);
  source.chooseTreatment("mood", true);
  const saved = source.snapshot();
  assert.deepEqual(source.importOptions(), { sheet: undefined, factors: ["mood"], numeric: ["group"] });
  const { analysis } = open("trial.sav", source.importOptions());
  const kinds = Object.fromEntries(analysis.columns().map((c) => [c.name, c.kind]));
  assert.equal(kinds.group, "numeric");
  assert.equal(kinds.mood, "text");
  analysis.free();
  source.resetChoices();
  source.restore(saved);
  assert.deepEqual(source.importOptions().factors, ["mood"]);
  source.resetChoices();
  assert.throws(() => readers.readFile(bytes("formats", "trial.xlsx"), { sheet: "nope" }), /no sheet "nope"/);
  assert.throws(() => readers.readFile(bytes("formats", "trial.xlsx"), { sheets: "x" }), /unknown option "sheets"/);
  assert.throws(() => lagmix.Analysis.fromCells(new Uint8Array([1, 2, 3]), roles), /table is damaged/);
});

test("catalogue: bad workbooks and SPSS files are Errors with a message, never a trap", () => {
  const cases = {
    "truncated.xlsx": /damaged or incomplete/,
    "not_workbook.xlsx": /holds no workbook/,
    "truncated.sav": /ends too early/,
    "bad_header.sav": /header is damaged/,
    // calamine alone would reserve a 137 GB grid for this file and abort the instance.
    "far_cells.xls": /sheet "data" spans 65536 rows x 65536 columns/,
    "wide_rows.ods": /sheet "data" spans 400 rows x 16384 columns/,
  };
  for (const [name, message] of Object.entries(cases)) {
    assert.throws(() => readers.readFile(bytes("catalogue", name)), (e) => {
      assert.ok(e instanceof Error && !(e instanceof WebAssembly.RuntimeError), name);
      assert.match(e.message, message, name);
      return true;
    });
  }
  assert.equal(lagmix.detectFormat(bytes("formats", "trial.ods").slice(0, 8)), "workbook");
  assert.equal(lagmix.detectFormat(bytes("formats", "trial.zsav").slice(0, 8)), "sav");
  assert.equal(lagmix.detectFormat(new TextEncoder().encode("id,week\n")), "csv");
});
