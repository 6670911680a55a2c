// The model comparisons (tests/comparisons/<case>/, lme4's anova(m0, m1, ...)) through the wasm
// binding's Analysis.compare. Tolerances as crate/tests/comparisons.rs: chi-square, logLik,
// deviance, AIC and BIC 2e-3 absolute, p 2% relative, npar, df and model order equal.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import lagmix from "./wasm.mjs";
import { root } from "./compare.mjs";

const dir = path.join(root, "tests", "comparisons");
const cases = fs.readdirSync(dir).filter((c) => fs.existsSync(path.join(dir, c, "expected.json")));

test("the comparison fixtures are present", () => assert.ok(cases.length >= 3));

for (const name of cases) {
  test(`comparison ${name} matches lme4's anova`, () => {
    const read = (f) => fs.readFileSync(path.join(dir, name, f), "utf8");
    const spec = JSON.parse(read("spec.json"));
    const expected = JSON.parse(read("expected.json"));
    const analysis = new lagmix.Analysis(read("data.csv"), { id: spec.id ?? undefined, time: spec.time ?? undefined });
    const models = spec.formulas.map((formula) => ({ formula, reml: spec.reml }));
    const { comparison, fits } = analysis.compare(models, spec.refit);
    assert.equal(comparison.nobs, expected.nobs);
    assert.equal(fits.length, models.length);
    assert.deepEqual(comparison.models.map((m) => m.formula), expected.models.map((m) => m.formula));
    comparison.models.forEach((m, i) => {
      const want = expected.models[i];
      assert.equal(m.npar, want.npar);
      for (const k of ["aic", "bic", "logLik", "deviance"]) {
        assert.ok(Math.abs(m[k] - want[k]) <= 2e-3, `${m.formula} ${k}: ${m[k]} vs ${want[k]}`);
      }
    });
    comparison.tests.forEach((t, i) => {
      const want = expected.tests[i];
      assert.equal(t.df, want.df);
      assert.ok(Math.abs(t.chisq - want.chisq) <= 2e-3, `chisq ${t.chisq} vs ${want.chisq}`);
      if (want.p === null) assert.equal(t.p, null);
      else assert.ok(Math.abs(t.p - want.p) <= Math.max(0.02 * want.p, 1e-12), `p ${t.p} vs ${want.p}`);
    });
  });
}
