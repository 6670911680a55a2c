// The model-check data and figures (www/model-checks.js, figure-specs.js's check and effect
// specs) on the example through wasm: R's normal quantiles and plotting positions, thinning to
// at most MAX_POINTS points, readings that follow the numbers, and the fitted-effect figure from
// Analysis.effectCurve (its curve is checked against emmeans in crate/tests/effects.rs).
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import lagmix from "./wasm.mjs";
import { root } from "./compare.mjs";
import * as checks from "../../www/model-checks.js";
import { figureSpecs, checkSpecs, effectSpec } from "../../www/figure-specs.js";

const example = fs.readFileSync(path.join(root, "www", "example", "trial.csv"), "utf8");
const analysis = new lagmix.Analysis(example, { id: "id", time: "week" });
const fit = analysis.fit({ formula: "lead(within(spin)) ~ within(spin) + within(wai) + between(wai) + (1 | id)" });

test("normal quantiles and plotting positions as R's qnorm and ppoints", () => {
  // R 4.2.2: qnorm(c(0.975, 0.001, 1e-10, 0.3)).
  const r = [[0.975, 1.9599639845400536], [0.001, -3.0902323061678132], [1e-10, -6.3613409024040557], [0.3, -0.5244005127080407]];
  for (const [p, q] of r) assert.ok(Math.abs(checks.qnorm(p) - q) < 2e-9 * Math.abs(q), `${p}`);
  assert.equal(checks.qnorm(0.5), 0);
  // ppoints(5) and ppoints(20)[1:2].
  assert.ok(Math.abs(checks.plottingPosition(0, 5) - 0.1190476) < 1e-7);
  assert.ok(Math.abs(checks.plottingPosition(1, 20) - 0.075) < 1e-12);
});

test("thinning keeps the ends and at most MAX_POINTS points", () => {
  assert.deepEqual(checks.evenlySpaced(4, 10), [0, 1, 2, 3]);
  const idx = checks.evenlySpaced(1_000_000);
  assert.equal(idx.length, checks.MAX_POINTS);
  assert.equal(idx[0], 0);
  assert.equal(idx.at(-1), 999_999);
  const q = checks.qqData(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000));
  assert.equal(q.n, 5000);
  assert.equal(q.points.length, checks.MAX_POINTS);
  assert.ok(q.points.every((p, i) => i === 0 || (p[0] > q.points[i - 1][0] && p[1] >= q.points[i - 1][1])));
});

test("moments and readings follow the numbers", () => {
  const m = checks.moments([1, 2, 3, 4, 100]);
  assert.ok(m.skewness > 1 && m.kurtosis > 0);
  assert.match(checks.normalityReading(m, "residuals"), /skewed to the right/);
  assert.match(checks.normalityReading({ skewness: 0.1, kurtosis: 0.2 }, "residuals"), /close to normal/);
  assert.match(checks.spreadReading({ low: 1, high: 2 }), /grows/);
  assert.match(checks.spreadReading({ low: 1, high: 1.1 }), /about even/);
});

test("the example's check figures: residuals against fitted, Q-Q of residuals and of the person intercepts", () => {
  const data = checks.checkData(analysis.fittedValues(), analysis.randomEffects());
  assert.equal(data.rows, fit.nobs);
  assert.equal(data.fittedResidual.length, Math.min(fit.nobs, checks.MAX_POINTS));
  assert.equal(data.randomEffects.length, 1);
  assert.equal(data.randomEffects[0].n, fit.groups[0].levels);
  // Residuals of a model with an intercept average zero.
  assert.ok(Math.abs(data.residuals.mean) < 1e-8);
  const specs = checkSpecs(data, fit);
  assert.deepEqual(specs.map((s) => s.id), ["check-residuals-fitted", "check-qq-residuals", "check-qq-id-intercept"]);
  for (const s of specs) assert.match(s.caption, /Reading: /);
  assert.match(specs[2].caption, /shrunk/);
  assert.equal(specs[1].table.rows.length, data.residuals.points.length);
});

test("the fitted-effect figure names what is held and how factors are averaged", () => {
  const curve = analysis.effectCurve("within(wai)");
  const spec = effectSpec(curve, fit);
  assert.equal(spec.id, "effect-within-wai");
  assert.equal(spec.effect.length, curve.x.length);
  assert.match(spec.caption, /within\(spin\) = /);
  assert.match(spec.caption, /weights = "proportional"/);
  assert.match(spec.caption, /t\(\d+(\.\d\d)?\)/);
  // At the predictor's mean the band is narrowest.
  const widths = spec.effect.map((r) => r.upper - r.lower);
  assert.ok(Math.min(...widths) < widths[0] && Math.min(...widths) < widths.at(-1));
  const all = figureSpecs(null, fit, { effect: curve, checks: checks.checkData(analysis.fittedValues(), analysis.randomEffects()) });
  assert.deepEqual(all.map((s) => s.id).slice(0, 2), ["effect-within-wai", "check-residuals-fitted"]);
  assert.throws(() => analysis.effectCurve("(Intercept)"), /intercept/);
});
