// The outputs of a fit through the wasm binding: lme4's ranef with condVar (ranef.csv) and
// fitted / residuals (fitted.csv), where tests/reference/outputs.R recorded them; the
// random-effects CSV and the derived data with fitted values.
// Tolerances: modes and fitted values within 1e-4 of their SD (conditional SD, SD of the fitted
// values), conditional SDs relative 1e-3.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import lagmix from "./wasm.mjs";
import { loadFixtures, fitOptions } from "./compare.mjs";

/** Rows of a CSV that R's write.csv wrote (quoted text without embedded quotes or commas). */
function readCsv(file) {
  const [header, ...lines] = fs.readFileSync(file, "utf8").trim().split("\n");
  const names = header.split(",").map((h) => h.replaceAll('"', ""));
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [names[i], v.replaceAll('"', "")])));
}

const cases = loadFixtures().filter((f) => fs.existsSync(path.join(f.dir, "ranef.csv")));

test("ranef and fitted values are recorded for several cases", () => assert.ok(cases.length >= 5));

for (const f of cases) {
  test(`outputs: ${f.name}`, () => {
    const { formula, reml, df, ...data } = fitOptions(f.spec);
    const a = new lagmix.Analysis(f.csvText, data);
    a.fit({ formula, reml, df });
    const effects = a.randomEffects();
    const problems = [];
    for (const w of readCsv(path.join(f.dir, "ranef.csv"))) {
      const r = effects.find((e) => e.group === w.grpvar && e.terms.includes(w.term) && e.levels.includes(w.grp));
      if (!r) {
        problems.push(`no mode for ${w.grpvar} ${w.term} ${w.grp}`);
        continue;
      }
      const q = r.terms.length, c = r.terms.indexOf(w.term), g = r.levels.indexOf(w.grp);
      const sd = Number(w.condsd);
      if (!(Math.abs(r.modes[g * q + c] - Number(w.condval)) <= 1e-4 * sd)) problems.push(`mode ${w.grpvar} ${w.term} ${w.grp}: ${r.modes[g * q + c]} vs ${w.condval}`);
      const got = Math.sqrt(r.condVar[g * q * q + c * q + c]);
      if (!(Math.abs(got - sd) <= 1e-3 * sd)) problems.push(`condsd ${w.grpvar} ${w.term} ${w.grp}: ${got} vs ${sd}`);
    }
    // The CSV export lists the same modes in lme4's order.
    const csv = a.randomEffectsCsv().trim().split("\n");
    const want = readCsv(path.join(f.dir, "ranef.csv"));
    assert.equal(csv[0], "grpvar,term,grp,condval,condsd");
    assert.deepEqual(csv.slice(1).map((l) => l.split(",").slice(0, 3).join(",")), want.map((w) => `${w.grpvar},${w.term},${w.grp}`));

    const rows = a.fittedValues();
    const expected = readCsv(path.join(f.dir, "fitted.csv")).map((w) => ({ row: Number(w.row), fitted: Number(w.fitted), residual: Number(w.residual) }));
    assert.equal(rows.fitted.length, expected.length);
    const mean = expected.reduce((s, e) => s + e.fitted, 0) / expected.length;
    const sd = Math.sqrt(expected.reduce((s, e) => s + (e.fitted - mean) ** 2, 0) / (expected.length - 1));
    expected.forEach((e, i) => {
      if (rows.rows[i] + 1 !== e.row) problems.push(`entry ${i}: data row ${rows.rows[i] + 1}, lme4 ${e.row}`);
      if (!(Math.abs(rows.fitted[i] - e.fitted) <= 1e-4 * sd)) problems.push(`fitted row ${e.row}: ${rows.fitted[i]} vs ${e.fitted}`);
      if (!(Math.abs(rows.residuals[i] - e.residual) <= 1e-4 * sd)) problems.push(`residual row ${e.row}: ${rows.residuals[i]} vs ${e.residual}`);
    });
    assert.deepEqual(problems, [], `${f.name}:\n  ${problems.slice(0, 20).join("\n  ")}`);

    // The derived data of the fitted formula carry the fitted values, empty where a row was not used.
    const lines = a.derivedCsv(formula).trim().split("\n");
    const header = lines[0].split(",");
    const at = header.indexOf("fitted");
    assert.ok(at >= 0 && header[at + 1] === "residual", lines[0]);
    const used = new Set(expected.map((e) => e.row));
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(",");
      const cell = cells[cells.length - 2];
      assert.equal(cell !== "", used.has(i + 1), `derived row ${i + 1}: fitted cell ${JSON.stringify(cell)}`);
    });
    a.free();
  });
}

test("before a fit there are no outputs, and a change of roles clears them", () => {
  const f = cases.find((c) => c.name === "slopes_sleepstudy");
  const a = new lagmix.Analysis(f.csvText, { id: "Subject", time: "Days" });
  assert.throws(() => a.randomEffects(), /Fit a model first/);
  a.fit({ formula: f.spec.formula });
  assert.equal(a.randomEffects()[0].levels.length, 18);
  a.setRoles("Subject", undefined);
  assert.throws(() => a.fittedValues(), /Fit a model first/);
  // Another formula's derived data have no fitted values.
  a.fit({ formula: f.spec.formula });
  assert.ok(!a.derivedCsv("Reaction ~ 1 + (1 | Subject)").split("\n")[0].includes("fitted"));
  a.free();
});
