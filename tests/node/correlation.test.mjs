// Unit tests of www/correlation.js (pure text), hand-checked expected strings.
import test from "node:test";
import assert from "node:assert/strict";
import * as c from "../../www/correlation.js";
import { fitStatistics } from "../../www/render.js";

const rc = { structure: "ar1", phi: 0.4321, time: "week", atBoundary: false };

test("a correlation turns Satterthwaite df into between-within, keeps residual df", () => {
  assert.deepEqual(c.correlationOptions("none", "satterthwaite"), {});
  assert.deepEqual(c.correlationOptions("ar1", "satterthwaite"), { correlation: "ar1", df: "between-within" });
  assert.deepEqual(c.correlationOptions("car1", "residual"), { correlation: "car1", df: "residual" });
});

test("the result line says what phi means for lags 1 and 2", () => {
  assert.equal(
    c.residualCorrelationSentence(rc),
    "Residuals within person: AR(1) over week, phi = .432: residuals 1 and 2 units of week apart correlate .43 and .19.",
  );
  assert.match(c.residualCorrelationSentence({ ...rc, structure: "car1", phi: 0, atBoundary: true }), /continuous-time AR\(1\).*lower bound 0/);
  assert.equal(c.residualCorrelationSentence(null), "");
});

test("APA sentence names the structure and phi without a leading zero", () => {
  assert.equal(c.residualCorrelationApa(rc), "Residuals within person were modelled as AR(1) over week (phi = .43).");
  assert.equal(c.residualCorrelationApa({ ...rc, phi: -0.05 }), "Residuals within person were modelled as AR(1) over week (phi = -.05).");
});

test("every menu choice has an explanation", () => {
  for (const k of ["none", "ar1", "car1"]) assert.ok(c.CORRELATION_HELP[k].length > 40);
  assert.match(c.CORRELATION_HELP.ar1, /phi²/);
});

test("fit statistics list phi with the structure and time", () => {
  const fit = { method: "REML", dfMethod: "between-within", nobs: 10, totalRows: 10, droppedRows: 0, groups: [], remlCriterion: 1, logLik: -0.5, aic: 1, bic: 2, deviance: 1, sigma: 1, icc: null, singular: false, converged: true };
  assert.ok(!fitStatistics(fit).some(([k]) => /autocorrelation/.test(k)));
  const rows = fitStatistics({ ...fit, residualCorrelation: rc });
  const row = rows.find(([k]) => /autocorrelation/.test(k));
  assert.equal(row[0], "Residual autocorrelation (AR(1) over week)");
  assert.match(row[1], /^phi = 0\.43/);
});
