// Unit tests of www/variance.js (pure formatting of R² and the variance shares).
import test from "node:test";
import assert from "node:assert/strict";
import { varianceExplainedRows } from "../../www/variance.js";

const shares = (...pairs) => pairs.map(([group, share]) => ({ group, variance: share, share }));

test("R² rows: marginal and conditional with three decimals; no shares line for one factor", () => {
  const fit = { r2: { marginal: 0.27865, conditional: 0.79922 }, varianceShares: shares(["Subject", 0.72], ["Residual", 0.28]) };
  assert.deepEqual(varianceExplainedRows(fit), [
    ["R² marginal (fixed effects)", "0.279"],
    ["R² conditional (fixed and random effects)", "0.799"],
  ]);
});

test("a singular fit says why there is no conditional R²; several factors get their shares", () => {
  const fit = { r2: { marginal: 0.2633, conditional: null }, varianceShares: shares(["cask:batch", 0.7831], ["batch", 0.1539], ["Residual", 0.063]) };
  const rows = varianceExplainedRows(fit);
  assert.equal(rows[1][1], "not given: singular fit (see the warnings)");
  assert.deepEqual(rows[2], ["Variance shares (rows used, slopes included)", "cask:batch 78.3%, batch 15.4%, Residual 6.3%"]);
});

test("a result without r2 (an older result) adds no rows", () => {
  assert.deepEqual(varianceExplainedRows({}), []);
});
