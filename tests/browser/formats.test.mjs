// Workbooks and SPSS files through the real page (tests/formats/, written by
// tests/reference/make_formats.py): the page says what it read, offers the sheets and the SPSS
// variables' treatment, and fits the same numbers as from the CSV; a bad file leaves the page
// usable.
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

const formats = (name) => path.join(root, "tests", "formats", name);

async function load(page, file) {
  await page.setInputFiles("#file-input", file);
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
  assert.equal(await errorText(page), "");
  return readFixedEffects(page);
}

const FORMULA = "spin ~ within(wai) + group + (1 | id)";

test("an .xlsx file: the page says what it read, offers the sheets, and fits as the CSV", async () => {
  const { page, context, errors, requests } = await openPage(env.browser, env.server.url);
  const readersLoaded = () => requests.some((u) => u.includes("lagmix_readers_wasm_bg.wasm"));
  await load(page, formats("trial.csv"));
  const fromCsv = await fit(page, FORMULA);
  assert.equal(readersLoaded(), false, "the readers module is loaded only for workbooks and SPSS files");
  await load(page, formats("trial.xlsx"));
  assert.equal(readersLoaded(), true);
  assert.match(await page.textContent("#source-summary"), /sheet "trial" of trial\.xlsx .*1922 rows, 9 columns/);
  assert.deepEqual(await page.$$eval("#sheet-select option", (o) => o.map((x) => x.value)), ["trial", "notes", "empty"]);
  const fromXlsx = await fit(page, FORMULA);
  assert.deepEqual(fromXlsx, fromCsv);
  // Another sheet, then a sheet without data: a message naming it, the menu still there.
  await page.selectOption("#sheet-select", "notes");
  await page.waitForFunction(() => /sheet "notes"/.test(document.getElementById("source-summary")?.textContent ?? ""));
  assert.match(await page.textContent("#source-summary"), /1 row, 1 column/);
  await page.selectOption("#sheet-select", "empty");
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await errorText(page), /sheet "empty" is empty/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("an SPSS file: labels and levels shown, a variable switched to numbers, the CSV's fit", async () => {
  const { page, context, errors } = await openPage(env.browser, env.server.url);
  await load(page, formats("trial.csv"));
  const fromCsv = await fit(page, FORMULA);
  await load(page, formats("trial.sav"));
  assert.match(await page.textContent("#source-summary"), /trial\.sav \(SPSS data file\): 1922 rows, 9 columns/);
  const spin = await page.$$eval("#spss-variables tbody tr", (rows) =>
    rows.map((r) => [...r.cells].map((c) => c.textContent)).find((r) => r[0] === "spin"),
  );
  assert.equal(spin[1], "social phobia inventory (SPIN)");
  const fromSav = await fit(page, FORMULA.replace("wai", "working_alliance_wai"));
  assert.deepEqual(
    fromSav.map((f) => ({ ...f, term: f.term.replace("working_alliance_wai", "wai") })),
    fromCsv,
  );
  // group as its numeric codes: one slope "group" instead of "grouptreatment".
  await page.selectOption('#spss-variables select[data-variable="group"]', "numbers");
  await page.waitForFunction(() => document.querySelector('#spss-variables select[data-variable="group"]')?.value === "numbers");
  const numeric = await fit(page, "spin ~ group + (1 | id)");
  assert.deepEqual(numeric.map((f) => f.term), ["(Intercept)", "group"]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a truncated workbook: #error says so, then a good file fits", async () => {
  const { page, context } = await openPage(env.browser, env.server.url);
  await load(page, path.join(root, "tests", "catalogue", "truncated.xlsx"));
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await errorText(page), /damaged or incomplete/);
  await load(page, formats("trial.ods"));
  const fixed = await fit(page, "spin ~ week + (1 | id)");
  assert.deepEqual(fixed.map((f) => f.term), ["(Intercept)", "week"]);
  await context.close();
});

test("a reader that traps: the worker is restarted, the data loaded before are kept and fit", async () => {
  const { page, context } = await openPage(env.browser, env.server.url);
  await load(page, formats("trial.csv"));
  const before = await fit(page, "spin ~ week + (1 | id)");
  // A readers module whose readFile traps as a wasm instance does on a fatal error.
  await context.route("**/pkg/lagmix_readers_wasm.js", (route) =>
    route.fulfill({
      contentType: "text/javascript",
      body: "export default async function init() {}\n" +
        "export function readFile() { throw new WebAssembly.RuntimeError('unreachable'); }\n",
    }),
  );
  await load(page, formats("trial.xlsx"));
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await errorText(page), /trial\.xlsx could not be read: the computing engine stopped on it .*restarted; the data loaded before are kept/);
  assert.equal(await page.textContent("#data-name"), "trial.csv");
  await page.click("#fit-button");
  await waitForFit(page);
  assert.deepEqual(await readFixedEffects(page), before);
  await context.close();
});
