// End-to-end tests of the page in headless Chromium: the example flow, golden fixtures uploaded
// through the file picker, error display, privacy (no request leaves the origin, no storage),
// a sub-path install and a 320 px wide screen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { start, openPage, readFixedEffects, waitForFit, errorText, fitFixture, PAGE_FIXTURES } from "./harness.mjs";
import { loadFixtures, compareFixedRow, compareAnova, root } from "../node/compare.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const sameOrigin = (urls, origin) => urls.filter((u) => !u.startsWith(origin) && !u.startsWith("blob:") && !u.startsWith("data:"));

async function assertPrivate(page, requests, origin) {
  assert.deepEqual(sameOrigin(requests, origin), [], "requests left the page's origin");
  const writes = await page.evaluate(() => window.__storageWrites);
  assert.deepEqual(writes, [], "the page wrote to storage");
  const stored = await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]);
  assert.deepEqual(stored, [0, 0, ""]);
}

test("example data: load, pick a preset, fit, see the fixed effects", async () => {
  const { page, context, requests, errors } = await openPage(env.browser, env.server.url);
  await page.click("#example-button");
  await page.waitForSelector("#data-info:not([hidden])");
  assert.equal(await page.inputValue("#id-column"), "id");
  assert.equal(await page.inputValue("#time-column"), "week");
  assert.equal(await page.inputValue("#outcome"), "spin");
  assert.equal(await page.inputValue("#predictor"), "wai");
  await page.click('#preset-list button[data-preset="within-between-forward"]');
  assert.equal(await page.inputValue("#formula"), "lead(within(spin)) ~ within(spin) + within(wai) + between(wai) + (1 | id)");
  await page.click("#fit-button");
  await waitForFit(page);
  assert.equal(await errorText(page), "");
  const fixed = await readFixedEffects(page);
  assert.deepEqual(fixed.map((f) => f.term), ["(Intercept)", "within(spin)", "within(wai)", "between(wai)"]);
  // The page's defaults (REML, Satterthwaite) on the example: lme4's numbers, recorded in
  // tests/fixtures/example_within_satterthwaite by tests/reference/fit_reference.R.
  const expected = loadFixtures().find((f) => f.name === "example_within_satterthwaite").expected;
  const problems = expected.fixed.flatMap((e, i) => compareFixedRow(e.term, fixed[i], e));
  assert.deepEqual(problems, []);
  assert.equal(await page.locator("#apa li").count(), 4);
  assert.ok((await page.locator("#descriptives tbody tr").count()) >= 11);
  assert.match(page.url(), /#.*formula=/, "settings go into the URL hash");
  // The derived data download: id, time and every model variable on every row of the file.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-derived")]);
  assert.equal(download.suggestedFilename(), "lagmix-derived-data.csv");
  const derived = fs.readFileSync(await download.path(), "utf8").trim().split("\n");
  assert.equal(derived[0], "id,week,lead(within(spin)),within(spin),within(wai),between(wai),fitted,residual");
  const example = fs.readFileSync(path.join(root, "www", "example", "trial.csv"), "utf8").trim().split("\n");
  assert.equal(derived.length, example.length);
  // The random effects of the fit: one conditional mode and SD per person, as lme4's ranef.
  const [ranef] = await Promise.all([page.waitForEvent("download"), page.click("#export-ranef")]);
  assert.equal(ranef.suggestedFilename(), "lagmix-random-effects.csv");
  const modes = fs.readFileSync(await ranef.path(), "utf8").trim().split("\n");
  assert.equal(modes[0], "grpvar,term,grp,condval,condsd");
  assert.ok(modes.length > 100 && modes.slice(1).every((l) => l.startsWith("id,(Intercept),")));
  // R² next to the ICC.
  assert.match(await page.locator("#fit-statistics").innerText(), /R² marginal/);
  await assertPrivate(page, requests, new URL(env.server.url).origin);
  assert.deepEqual(errors, []);
  await context.close();
});

// A few fixtures through the real page; all of them run through wasm in tests/node/golden.test.mjs.
for (const f of loadFixtures().filter((f) => [...PAGE_FIXTURES, "anova_interaction_kr"].includes(f.name))) {
  test(`fixture through the page: ${f.name}`, async () => {
    const { page, context, requests } = await openPage(env.browser, env.server.url);
    const problems = await fitFixture(page, f);
    // The type III F tests under the fixed effects, as numbers from the cells' data-value.
    const anova = await page.$$eval("#anova tbody tr", (rows) =>
      rows.map((tr) => {
        const n = (c) => Number(c.dataset.value ?? c.textContent);
        const [term, numDf, denDf, f, p] = tr.cells;
        return { term: term.textContent, numDf: n(numDf), denDf: n(denDf), f: n(f), p: n(p) };
      }),
    );
    problems.push(...compareAnova(anova, f.expected.anova));
    assert.deepEqual(problems, []);
    await assertPrivate(page, requests, new URL(env.server.url).origin);
    await context.close();
  });
}

test("a malformed CSV shows a message naming the line in #error", async () => {
  const { page, context } = await openPage(env.browser, env.server.url);
  await page.setInputFiles("#file-input", {
    name: "broken.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("id,week,y\n1,0,5\n1,1\n2,0,4\n"),
  });
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await errorText(page), /line/i);
  assert.equal(await page.getAttribute("#error", "role"), "alert");
  await context.close();
});

test("fitting without data or with a bad formula says so on the page", async () => {
  const { page, context } = await openPage(env.browser, env.server.url);
  await page.click("#fit-button");
  assert.match(await errorText(page), /data file/);
  await page.click("#example-button");
  await page.waitForSelector("#data-info:not([hidden])");
  await page.fill("#formula", "lead(spni) ~ wai + (1 | id)");
  await page.click("#fit-button");
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await errorText(page), /spni/);
  await context.close();
});

test("works from a sub-path and on a 320 px wide screen", async () => {
  const sub = await start({ serverRoot: root });
  try {
    const url = new URL("www/", sub.server.url).href;
    const { page, context, requests } = await openPage(sub.browser, url, { viewport: { width: 320, height: 640 } });
    await page.click("#example-button");
    await page.waitForSelector("#data-info:not([hidden])");
    assert.equal(await errorText(page), "");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a 320px screen`);
    assert.ok(requests.some((u) => u.endsWith("/www/pkg/lagmix_wasm_bg.wasm")), "wasm loaded from the sub-path");
    await context.close();
  } finally {
    await sub.close();
  }
});

test("the controls are reachable by keyboard", async () => {
  const { page, context } = await openPage(env.browser, env.server.url);
  const reached = new Set();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    reached.add(await page.evaluate(() => document.activeElement?.id));
  }
  for (const id of ["file-input", "example-button", "id-column", "time-column", "formula", "fit-button"]) {
    assert.ok(reached.has(id), `#${id} is not reachable with Tab`);
  }
  await context.close();
});
