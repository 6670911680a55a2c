// Issue 11 in the page: a wide file is offered the reshape and then reaches the same model as
// the long file; the items panel reproduces psych's alpha and adds a score the model step sees.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { start, openPage, readFixedEffects, waitForFit, errorText } from "./harness.mjs";
import { loadFixtures, compareFixedRow, root } from "../node/compare.mjs";
import { wideExample } from "../node/items-data.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

test("a wide file: offered the reshape in one click, then the long file's model", async () => {
  const { page, context, errors } = await openPage(env.browser, env.server.url);
  await page.setInputFiles("#file-input", { name: "wide.csv", mimeType: "text/csv", buffer: Buffer.from(wideExample().wide) });
  await page.waitForSelector("#wide-offer:not([hidden])");
  assert.match(await page.textContent("#wide-text"), /spin, wai/);
  await page.fill("#wide-time", "week");
  await page.click("#wide-reshape");
  await page.waitForSelector("#reshape-done:not([hidden])");
  assert.match(await page.textContent("#reshape-note"), /182 persons × 11 occasions/);
  assert.equal(await page.isHidden("#wide-offer"), true);
  assert.equal(await page.inputValue("#id-column"), "id");
  assert.equal(await page.inputValue("#time-column"), "week");
  await page.click('#preset-list button[data-preset="within-between-forward"]');
  await page.click("#fit-button");
  await waitForFit(page);
  assert.equal(await errorText(page), "");
  const fixed = await readFixedEffects(page);
  const expected = loadFixtures().find((f) => f.name === "example_within_satterthwaite").expected;
  assert.deepEqual(expected.fixed.flatMap((e, i) => compareFixedRow(e.term, fixed[i], e)), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the items panel: psych's alpha, then a score column in the model step", async () => {
  const { page, context, errors } = await openPage(env.browser, env.server.url);
  const dir = path.join(root, "tests", "items", "alpha_bfi_agreeableness");
  const expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8"));
  await page.setInputFiles("#file-input", path.join(dir, "data.csv"));
  await page.waitForSelector("#data-info:not([hidden])");
  await page.fill("#items-prefix", "A");
  await page.check("#item-rev-A1");
  await page.fill("#items-min", "1");
  await page.fill("#items-max", "6");
  await page.click("#items-alpha");
  await page.waitForSelector("#items-result:not([hidden])");
  const summary = await page.textContent("#items-summary");
  assert.ok(summary.includes(`alpha = ${expected.alpha.toFixed(3)}`), summary);
  assert.equal(await page.locator("#items-table tbody tr").count(), 5);
  assert.equal(await page.inputValue("#score-name"), "A_score");
  await page.fill("#score-name", "agree");
  await page.click("#score-add");
  await page.waitForFunction(() => /agree/.test(document.getElementById("score-note").textContent));
  const outcomes = await page.$$eval("#outcome option", (o) => o.map((x) => x.value));
  assert.ok(outcomes.includes("agree"), outcomes.join(","));
  await page.fill("#items-max", "5");
  await page.click("#items-alpha");
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await errorText(page), /outside the declared range/);
  assert.deepEqual(errors, []);
  await context.close();
});
