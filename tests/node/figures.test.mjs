// The figure specs (www/figure-specs.js) built from the example's figure data through wasm:
// captions say what is drawn, the tables hold the numbers behind each figure, the fitted slopes
// are the model's.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import lagmix from "./wasm.mjs";
import { root } from "./compare.mjs";
import { figureSpecs, associationSpec, slug } from "../../www/figure-specs.js";

const example = fs.readFileSync(path.join(root, "www", "example", "trial.csv"), "utf8");
const analysis = new lagmix.Analysis(example, { id: "id", time: "week" });
const data = analysis.figureData(["spin", "wai"], "wai", "spin");
const fit = analysis.fit({ formula: "lead(within(spin)) ~ within(spin) + within(wai) + between(wai) + (1 | id)" });

test("every figure of the example, in order, with its numbers", () => {
  const specs = figureSpecs(data, fit);
  assert.deepEqual(specs.map((s) => s.id), [
    "trajectories-spin", "trajectories-wai", "means-spin", "means-wai", "association-within", "association-between",
  ]);
  const [trajectories] = specs;
  assert.match(trajectories.caption, /100 of the 182 persons are drawn, evenly spaced in id order/);
  assert.equal(trajectories.table.rows.length, 11);
  assert.deepEqual(trajectories.table.head, ["Variable", "week", "n", "M", "95% CI"]);
  // Week 0 of spin: n, mean and CI as R's t.test gives them (tests/figures/example.json).
  const r = JSON.parse(fs.readFileSync(path.join(root, "tests", "figures", "example.json"), "utf8")).means.spin[0];
  assert.deepEqual(trajectories.table.rows[0], ["spin", "0", String(r.n), r.mean.toFixed(2), `${r.ciLower.toFixed(2)} to ${r.ciUpper.toFixed(2)}`]);
});

test("the association figures draw the model's partial slopes and say so", () => {
  const within = associationSpec(data, fit, "within");
  const effect = fit.fixed.find((e) => e.term === "within(wai)");
  assert.equal(within.line.slope, effect.estimate);
  assert.match(within.caption, /partial slope, adjusted for the model's other predictors \(within\(spin\), between\(wai\)\)/);
  assert.equal(within.points.length, data.association.withinRows);
  const between = associationSpec(data, fit, "between");
  assert.equal(between.points.length, 182);
  // A model without the term draws no line and says why.
  const total = analysis.fit({ formula: "lead(spin) ~ spin + wai + (1 | id)" });
  const none = associationSpec(data, total, "between");
  assert.equal(none.line, null);
  assert.match(none.caption, /no between\(wai\) term, so no fitted slope is drawn/);
});

test("slug makes ids and file names", () => {
  assert.equal(slug("lead(within(spin))"), "lead-within-spin");
  assert.equal(slug("?"), "figure");
});
