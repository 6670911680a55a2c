// The nlme fixtures (tests/fixtures-nlme/<case>/, corAR1 / corCAR1 fits recorded by
// tests/reference/nlme_correlation.R) through the wasm binding, with crate/tests/golden_nlme.rs's
// tolerances: estimates 2e-3 SE, SE 0.3%, df exactly, phi 3e-3 absolute, sigma 0.5%, logLik,
// AIC and BIC 0.01.
import test from "node:test";
import assert from "node:assert/strict";
import lagmix from "./wasm.mjs";
import { loadFixtures, fitOptions } from "./compare.mjs";

const fixtures = loadFixtures("fixtures-nlme");

test("the nlme fixtures are present", () => assert.ok(fixtures.length >= 5));

for (const f of fixtures) {
  test(`nlme: ${f.name}`, () => {
    const fit = lagmix.fit(f.csvText, fitOptions(f.spec));
    const e = f.expected;
    const problems = [];
    const close = (what, got, want, tol) => {
      if (!(Math.abs(got - want) <= tol)) problems.push(`${what}: got ${got}, nlme ${want}`);
    };
    close("nobs", fit.nobs, e.nobs, 0);
    for (const [i, w] of e.fixed.entries()) {
      const g = fit.fixed[i];
      assert.equal(g.term, w.term);
      close(`estimate of ${w.term}`, g.estimate, w.estimate, 2e-3 * w.se);
      close(`SE of ${w.term}`, g.se, w.se, 3e-3 * w.se);
      close(`df of ${w.term}`, g.df, w.df, 0);
    }
    assert.equal(fit.residualCorrelation.structure, f.spec.correlation);
    close("phi", fit.residualCorrelation.phi, e.phi, 3e-3);
    close("sigma", fit.sigma, e.sigma, 5e-3 * e.sigma);
    close("logLik", fit.logLik, e.logLik, 0.01);
    close("AIC", fit.aic, e.aic, 0.01);
    close("BIC", fit.bic, e.bic, 0.01);
    assert.deepEqual(problems, []);
  });
}

test("wasm refuses Satterthwaite df and unknown structures with a correlation", () => {
  const f = fixtures[0];
  assert.throws(() => lagmix.fit(f.csvText, { ...fitOptions(f.spec), df: "satterthwaite" }), /not available with the residual correlation/);
  assert.throws(() => lagmix.fit(f.csvText, { ...fitOptions(f.spec), correlation: "arma" }), /unknown correlation/);
  // Without df the default is nlme's between-within.
  const { df, ...noDf } = fitOptions(f.spec);
  assert.equal(lagmix.fit(f.csvText, noDf).dfMethod, "between-within");
  assert.equal(lagmix.fit(f.csvText, { ...noDf, correlation: "none" }).residualCorrelation, null);
});
