// A few catalogue cases (tests/catalogue/*.csv) through the real page: the message appears in
// #error or #warnings, and the page stays usable: a good file fits afterwards.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
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

const file = (name) => path.join(root, "tests", "catalogue", `${name}.csv`);

async function load(page, name) {
  await page.setInputFiles("#file-input", file(name));
  // Reading disables Fit; it is enabled again when the file is read (or failed).
  await page.waitForFunction(
    () =>
      !document.getElementById("fit-button").disabled &&
      (!document.getElementById("data-info").hidden || !document.getElementById("error").hidden),
    null,
    { timeout: 30_000 },
  );
}

async function fit(page, formula) {
  await page.selectOption("#id-column", "id");
  await page.selectOption("#time-column", "week");
  await page.fill("#formula", formula);
  await page.click("#fit-button");
  await waitForFit(page);
}

/** A good file fits after the failure: the page is still usable. */
async function goodFileFits(page) {
  await load(page, "good");
  await fit(page, "y ~ x + (1 | id)");
  assert.equal(await errorText(page), "");
  const fixed = await readFixedEffects(page);
  assert.deepEqual(fixed.map((r) => r.term), ["(Intercept)", "x"]);
}

test("a ragged row: #error names the line, then a good file fits", async () => {
  const { page, context } = await openPage(env.browser, env.server.url);
  await load(page, "ragged");
  await page.waitForSelector("#error:not([hidden])");
  const message = await errorText(page);
  assert.match(message, /line 5/);
  assert.match(message, /3 fields but the header has 4/);
  await goodFileFits(page);
  await context.close();
});

test("a typo in a numeric column: #error names line, column and value, then a good file fits", async () => {
  const { page, context } = await openPage(env.browser, env.server.url);
  await load(page, "quotes_inside");
  await fit(page, "y ~ x + (1 | id)");
  const message = await errorText(page);
  assert.match(message, /line 7, column "x"/);
  assert.match(message, /is not a number/);
  await goodFileFits(page);
  await context.close();
});

test("a random term with no grouping: #error says what is missing, the fixed formula fits", async () => {
  const { page, context } = await openPage(env.browser, env.server.url);
  await load(page, "good");
  await fit(page, "y ~ x + (1 | )");
  assert.match(await errorText(page), /nothing follows `\|`/);
  await fit(page, "y ~ x + (1 | id)");
  assert.equal(await errorText(page), "");
  assert.equal((await readFixedEffects(page)).length, 2);
  // A later failure says that the results shown are the last fit's, and whose.
  await page.fill("#formula", "y ~ x + (1 | )");
  await page.click("#fit-button");
  // The old results satisfy waitForFit at once: wait for the error itself.
  await page.waitForSelector("#error:not([hidden])");
  const message = await errorText(page);
  assert.match(message, /nothing follows `\|`/);
  assert.match(message, /still those of the last model fitted: y ~ x \+ \(1 \| id\)/);
  await context.close();
});

test("an outcome constant within every person: a result with the warning in #warnings", async () => {
  const { page, context } = await openPage(env.browser, env.server.url);
  await load(page, "constant_within");
  await fit(page, "y ~ x + (1 | id)");
  assert.equal(await errorText(page), "");
  const warnings = await page.$eval("#warnings", (e) => e.textContent);
  assert.match(warnings, /does not vary within id/);
  await goodFileFits(page);
  await context.close();
});
