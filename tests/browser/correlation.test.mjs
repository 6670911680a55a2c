// The residual-correlation menu in the real page: an nlme fixture (tests/fixtures-nlme, written by
// tests/reference/nlme_correlation.R) uploaded, AR(1) chosen, and the page's numbers compared with
// nlme's (estimates within 2e-3 SE, SE within 0.3%, df exactly, phi within 3e-3).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { start, openPage, readFixedEffects, waitForFit, errorText } from "./harness.mjs";
import { root } from "../node/compare.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

test("AR(1) from the menu reproduces nlme, explains phi and reports it", async () => {
  const dir = path.join(root, "tests", "fixtures-nlme", "ar1_gaps_reml");
  const spec = JSON.parse(fs.readFileSync(path.join(dir, "spec.json"), "utf8"));
  const expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8"));
  const { page, context, errors } = await openPage(env.browser, env.server.url);
  await page.setInputFiles("#file-input", path.join(dir, "data.csv"));
  await page.waitForSelector("#data-info:not([hidden])");
  await page.selectOption("#id-column", spec.id);
  await page.selectOption("#time-column", spec.time);
  await page.fill("#formula", spec.formula);
  assert.equal(await page.inputValue("#df-method"), "satterthwaite");
  await page.selectOption("#correlation", "ar1");
  assert.match(await page.textContent("#correlation-help"), /one occasion apart/);
  assert.equal(await page.inputValue("#df-method"), "between-within", "a correlation switches to nlme's df");
  await page.click("#fit-button");
  await waitForFit(page);
  assert.equal(await errorText(page), "");
  const fixed = await readFixedEffects(page);
  assert.deepEqual(fixed.map((f) => f.term), expected.fixed.map((f) => f.term));
  for (const [i, e] of expected.fixed.entries()) {
    // The table rounds: compare within what it shows as well as nlme's tolerance.
    assert.ok(Math.abs(fixed[i].estimate - e.estimate) <= 2e-3 * e.se + 5e-4, `${e.term} estimate`);
    assert.ok(Math.abs(fixed[i].se - e.se) <= 3e-3 * e.se + 5e-4, `${e.term} SE`);
    assert.equal(fixed[i].df, e.df, `${e.term} df`);
  }
  const line = await page.textContent("#residual-correlation");
  const phi = Number(line.match(/phi = (-?\.\d+)/)[1]);
  assert.ok(Math.abs(phi - expected.phi) < 3e-3, line);
  assert.match(await page.textContent("#apa"), /modelled as AR\(1\) over time/);
  assert.match(page.url(), /correlation=ar1/);
  assert.deepEqual(errors, []);
  await context.close();
});
