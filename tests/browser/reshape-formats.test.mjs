// Issue 11's "done when" as a new user walks it: a wide CSV, a wide .xlsx (data on its second
// sheet) and a wide SPSS file dropped into the page, the one-click reshape accepted, the study
// model fitted; and the long .sav and .xlsx as they are. Every route must give the long CSV's
// estimates (tests/formats/trial.csv) to 1e-10. SPSS variable labels are shown beside the
// names in the role and model menus, the values chosen staying the names.
// LAGMIX_SCREENSHOTS=dir writes screenshots of the offer, the reshaped data and the menus.
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

const formats = (name) => path.join(root, "tests", "formats", name);
const FORMULA = "spin ~ within(wai) + group + mood + (1 | id)";
const shots = process.env.LAGMIX_SCREENSHOTS;

/** A screenshot of the page with `selector` scrolled into view (the controls column scrolls). */
async function shot(page, name, selector) {
  if (!shots) return;
  fs.mkdirSync(shots, { recursive: true });
  await page.locator(selector).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

async function load(page, file) {
  await page.setInputFiles("#file-input", file);
  await waitIdle(page);
}

const waitIdle = (page) =>
  page.waitForFunction(
    () => !document.getElementById("fit-button").disabled && (!document.getElementById("data-info").hidden || !document.getElementById("error").hidden),
    null,
    { timeout: 30_000 },
  );

/** Fits `formula` with the roles id and week; the fixed effects at full precision. */
async function fit(page, formula = FORMULA) {
  await page.selectOption("#id-column", "id");
  await page.selectOption("#time-column", "week");
  await page.fill("#formula", formula);
  // The previous results go first, so that the wait sees this fit's.
  await page.evaluate(() => document.getElementById("fixed-effects")?.replaceChildren());
  await page.click("#fit-button");
  await waitForFit(page);
  assert.equal(await errorText(page), "");
  return readFixedEffects(page);
}

function assertSame(actual, expected, what) {
  assert.deepEqual(actual.map((f) => f.term), expected.map((f) => f.term), what);
  actual.forEach((f, i) => {
    for (const key of ["estimate", "se", "df", "t"]) {
      const e = expected[i][key];
      assert.ok(Math.abs(f[key] - e) <= 1e-10 * (1 + Math.abs(e)), `${what}: ${f.term} ${key} ${f[key]} vs ${e}`);
    }
  });
}

/** Accepts the offer with the occasion column named week. */
async function reshape(page) {
  await page.waitForSelector("#wide-offer:not([hidden])");
  await page.fill("#wide-time", "week");
  await page.click("#wide-reshape");
  await page.waitForSelector("#reshape-done:not([hidden])");
  await waitIdle(page);
}

let reference = null;
async function longFit(page) {
  await load(page, formats("trial.csv"));
  reference ??= await fit(page);
  return reference;
}

test("a wide CSV: the offer, the reshape, the long CSV's model", async () => {
  const { page, context, errors } = await openPage(env.browser, env.server.url);
  const expected = await longFit(page);
  await load(page, formats("wide_trial.csv"));
  assert.match(await page.textContent("#wide-text"), /33 columns are 3 repeated measure\(s\) \(spin, wai, mood\) over 11 occasions, one row per person \(id\)/);
  await reshape(page);
  assert.match(await page.textContent("#reshape-note"), /182 persons × 11 occasions → 1922 rows\. New columns: spin \(from spin_0 … spin_10\), wai .*"week" holds the occasion .*\(0 to 10\)\. Carried to every row: group, site\. 80 occasions/);
  assert.equal(await page.isHidden("#wide-offer"), true);
  assert.equal(await page.textContent("#data-name"), "wide_trial.csv (reshaped to long)");
  assertSame(await fit(page), expected, "wide csv");
  // The long table to keep, and the R script reading it.
  const [long] = await Promise.all([page.waitForEvent("download"), page.click("#wide-download")]);
  assert.equal(long.suggestedFilename(), "lagmix-long.csv");
  const text = fs.readFileSync(await long.path(), "utf8");
  assert.match(text, /^id,week,group,site,spin,wai,mood\n1,0,control,B,29,63,2\n/);
  assert.equal(text.trim().split("\n").length, 1923);
  const [script] = await Promise.all([page.waitForEvent("download"), page.click("#export-r-script")]);
  assert.match(fs.readFileSync(await script.path(), "utf8"), /read\.csv\("lagmix-long\.csv"/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a wide .xlsx: its data sheet chosen, reshaped as read, the long CSV's model", async () => {
  const { page, context, errors } = await openPage(env.browser, env.server.url);
  const expected = await longFit(page);
  await load(page, formats("wide_trial.xlsx"));
  assert.match(await page.textContent("#source-summary"), /sheet "about" of wide_trial\.xlsx \(Excel workbook\): 1 row, 1 column/);
  assert.equal(await page.isHidden("#wide-offer"), true, "the note sheet is not wide");
  await page.selectOption("#sheet-select", "scores");
  await page.waitForSelector("#wide-offer:not([hidden])");
  assert.match(await page.textContent("#source-summary"), /sheet "scores" of wide_trial\.xlsx \(Excel workbook\): 182 rows, 36 columns/);
  await shot(page, "offer-xlsx", "#wide-offer");
  await reshape(page);
  // What was read is still said of the file; the sheet menu stays and keeps the sheet.
  assert.match(await page.textContent("#source-summary"), /sheet "scores" of wide_trial\.xlsx/);
  assert.equal(await page.inputValue("#sheet-select"), "scores");
  assert.deepEqual(await page.$$eval("#preview thead th", (h) => h.map((x) => x.textContent)), ["id", "week", "group", "site", "spin", "wai", "mood"]);
  await shot(page, "reshaped-xlsx", "#reshape-done");
  assertSame(await fit(page), expected, "wide xlsx");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a wide .sav: labels carried to the long columns, the group factor or its codes", async () => {
  const { page, context, errors } = await openPage(env.browser, env.server.url);
  const expected = await longFit(page);
  await load(page, formats("wide_trial.sav"));
  assert.match(await page.textContent("#source-summary"), /wide_trial\.sav \(SPSS data file\): 182 rows, 36 columns/);
  await reshape(page);
  const outcome = await page.$$eval("#outcome option", (o) => o.map((x) => [x.value, x.textContent, x.title]));
  assert.deepEqual(outcome.find((o) => o[0] === "spin"), ["spin", 'spin — "SPIN total, week"', 'spin — "SPIN total, week"']);
  assert.deepEqual(outcome.find((o) => o[0] === "wai"), ["wai", 'wai — "WAI-SR working alliance, week"', 'wai — "WAI-SR working alliance, week"']);
  const id = await page.$$eval("#id-column option", (o) => o.map((x) => x.textContent));
  assert.ok(id.includes('id — "person"'), id.join(" | "));
  await shot(page, "reshaped-sav-menus", "#outcome");
  await shot(page, "reshaped-sav-preview", "#columns");
  assertSame(await fit(page), expected, "wide sav");
  // group read as its codes (the wide file read again and reshaped again): one slope.
  await page.selectOption('#spss-variables select[data-variable="group"]', "numbers");
  await page.waitForFunction(() => document.querySelector('#spss-variables select[data-variable="group"]')?.value === "numbers");
  await waitIdle(page);
  assert.equal(await page.isHidden("#reshape-done"), false);
  const numeric = await fit(page, "spin ~ group + (1 | id)");
  assert.deepEqual(numeric.map((f) => f.term), ["(Intercept)", "group"]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a long .sav and a long .xlsx: the long CSV's model; labels beside the names", async () => {
  const { page, context, errors } = await openPage(env.browser, env.server.url);
  const expected = await longFit(page);
  await load(page, formats("trial.xlsx"));
  assert.equal(await page.isHidden("#wide-offer"), true);
  assertSame(await fit(page), expected, "long xlsx");
  await load(page, formats("trial.sav"));
  const renamed = expected.map((f) => ({ ...f, term: f.term.replace("wai", "working_alliance_wai") }));
  assertSame(await fit(page, FORMULA.replace("wai", "working_alliance_wai")), renamed, "long sav");
  const predictor = await page.$$eval("#predictor option", (o) => o.map((x) => [x.value, x.textContent, x.title]));
  assert.deepEqual(predictor.find((o) => o[0] === "working_alliance_wai"), [
    "working_alliance_wai",
    'working_alliance_wai — "working alliance…"',
    'working_alliance_wai — "working alliance inventory (WAI-SR)"',
  ]);
  // The chosen value is the name: the presets' formulas use it.
  await page.selectOption("#predictor", "working_alliance_wai");
  assert.match(await page.textContent("#preset-list"), /within\(working_alliance_wai\)/);
  await page.fill("#items-prefix", "spin");
  assert.match(await page.textContent("#items-list"), /spin — "social phobia inventory \(SPIN\)"/);
  await shot(page, "long-sav-items", "#items-list");
  await shot(page, "long-sav-menus", "#predictor");
  assert.deepEqual(errors, []);
  await context.close();
});

test("on a 320 px screen the labelled menus do not widen the page", async () => {
  const { page, context } = await openPage(env.browser, env.server.url, { viewport: { width: 320, height: 700 } });
  await load(page, formats("trial.sav"));
  await page.waitForFunction(() => document.querySelector('#predictor option[value="working_alliance_wai"]'));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than a 320px screen`);
  await context.close();
});
