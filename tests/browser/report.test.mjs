// From results to manuscript in headless Chromium: the example's three models of the reference
// study fitted one after another appear side by side in #comparison (renamed, reordered,
// removed, copied as an HTML table), a likelihood-ratio test through the worker, the fitted-effect
// and model-check figures with their marks, and the downloads: a check figure's SVG, the .docx
// (a zip whose word/document.xml holds the estimates) and the R scripts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import { start, openPage, waitForFit, errorText } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const headCells = (page) => page.$$eval("#comparison-table thead th", (t) => t.map((c) => c.textContent));

async function fitPreset(page, preset, columns) {
  await page.click(`#preset-list button[data-preset="${preset}"]`);
  await page.click("#fit-button");
  await page.waitForFunction((n) => document.querySelectorAll("#comparison-table thead th").length === n + 1, columns, { timeout: 60_000 });
  assert.equal(await errorText(page), "");
}

async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return { name: file.suggestedFilename(), path: await file.path() };
}

test("three models side by side, the checks and the effect, the Word report and the R scripts", async () => {
  const { page, context, errors } = await openPage(env.browser, env.server.url);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.server.url });
  await page.click("#example-button");
  await page.waitForSelector("#data-info:not([hidden])");
  await fitPreset(page, "total-forward", 1);
  await fitPreset(page, "within-between-forward", 2);
  await fitPreset(page, "between-forward", 3);
  await waitForFit(page);
  assert.deepEqual(await headCells(page), ["", "Model 1", "Model 2", "Model 3"]);
  // The between model uses the rows the lead() models lose: marked.
  assert.match(await page.textContent("#comparison-models"), /other rows/);

  // Rename, reorder, remove.
  for (const [i, name] of ["Total", "Within", "Between"].entries()) {
    await page.fill(`#comparison-models li:nth-child(${i + 1}) input`, name);
    await page.press(`#comparison-models li:nth-child(${i + 1}) input`, "Enter");
  }
  assert.deepEqual(await headCells(page), ["", "Total", "Within", "Between"]);
  await page.click('#comparison-models li:nth-child(1) button[aria-label^="Move right"]');
  assert.deepEqual(await headCells(page), ["", "Within", "Total", "Between"]);
  await page.click('#comparison-models li:nth-child(1) button[aria-label^="Move right"]');
  assert.deepEqual(await headCells(page), ["", "Total", "Within", "Between"]);
  const rowLabels = await page.$$eval("#comparison-table tbody th", (t) => t.map((c) => c.textContent));
  for (const label of ["Fixed effects", "(Intercept)", "within(wai)", "Residual variance", "ICC", "R² marginal", "N observations", "AIC"])
    assert.ok(rowLabels.includes(label), label);

  // Copy as rich text: the clipboard holds one HTML table.
  await page.click("#copy-comparison");
  await page.waitForFunction(() => document.querySelector("#copy-comparison").textContent !== "Copy table for Word");
  const html = await page.evaluate(async () => {
    const [item] = await navigator.clipboard.read();
    return (await item.getType("text/html")).text();
  });
  assert.equal((html.match(/<table/g) || []).length, 1);
  assert.match(html, /Total<\/th>/);

  // A likelihood-ratio test of the total model against a smaller one.
  await page.fill("#formula", "lead(spin) ~ spin + (1 | id)");
  await page.click("#fit-button");
  await page.waitForFunction(() => document.querySelectorAll("#comparison-table thead th").length === 5, null, { timeout: 60_000 });
  await page.selectOption("#lrt-a", "0");
  await page.selectOption("#lrt-b", "3");
  await page.click("#lrt-button");
  await page.waitForFunction(() => /χ²/.test(document.querySelector("#lrt-result").textContent), null, { timeout: 60_000 });
  assert.match(await page.textContent("#lrt-result"), /Model 4 vs Total \(ML fits on \d+ rows\): χ²\(1\) = /);
  await page.click('#comparison-models li:nth-child(4) button:text("Remove")');
  assert.equal((await headCells(page)).length, 4);

  // Back to the within model: the figures with the effect and the checks.
  await page.click('#preset-list button[data-preset="within-between-forward"]');
  await page.click("#fit-button");
  // Wait for this model's own figures: the previous model's checks are on the page until the
  // new reply replaces them (it has a Q-Q of id intercepts too).
  await page.waitForSelector("#figure-effect-within-wai svg", { timeout: 60_000 });
  await page.waitForSelector("#figure-check-qq-id-intercept svg", { timeout: 60_000 });
  const ids = await page.$$eval("#plots figure", (f) => f.map((x) => x.id));
  for (const id of ["figure-effect-within-wai", "figure-check-residuals-fitted", "figure-check-qq-residuals", "figure-check-qq-id-intercept"])
    assert.ok(ids.includes(id), id);
  for (const id of ["figure-effect-within-wai", "figure-check-residuals-fitted", "figure-check-qq-residuals"]) {
    assert.ok((await page.locator(`#${id} svg path, #${id} svg circle`).count()) > 5, `${id} draws marks`);
    assert.match(await page.textContent(`#${id} figcaption`), id.includes("effect") ? /held at their means/ : /Reading: /);
  }
  await page.selectOption("#effect-term", "between(wai)");
  await page.waitForSelector("#figure-effect-between-wai svg", { timeout: 60_000 });
  const svg = await download(page, '#figure-check-qq-residuals button[data-format="svg"]');
  assert.equal(svg.name, "lagmix-check-qq-residuals.svg");
  assert.match(fs.readFileSync(svg.path, "utf8"), /^<svg/);

  // The Word report: a zip whose word/document.xml holds the estimates and the tables.
  const docx = await download(page, "#export-docx");
  assert.equal(docx.name, "lagmix-report.docx");
  const xml = execFileSync("unzip", ["-p", docx.path, "word/document.xml"], { encoding: "utf8", maxBuffer: 1 << 26 });
  const estimate = await page.$eval("#fixed-effects tbody tr:nth-child(3) td:nth-child(2)", (td) => td.textContent);
  assert.match(estimate, /^-?\d+\.\d{3}$/);
  assert.ok(xml.includes(`>${estimate}<`), `document.xml holds ${estimate}`);
  assert.ok((xml.match(/<w:tbl>/g) || []).length >= 3, "Table 1, the fixed effects and the comparison");
  assert.match(xml, /Within/);
  const media = execFileSync("unzip", ["-l", docx.path], { encoding: "utf8" });
  assert.ok((media.match(/word\/media\/.*\.png/g) || []).length >= 8, "the figures as PNG");

  // The R scripts of the fit and of the compared models.
  const script = fs.readFileSync((await download(page, "#export-r-script")).path, "utf8");
  assert.match(script, /read\.csv\("trial\.csv"/);
  assert.match(script, /summary\(model/);
  const compared = fs.readFileSync((await download(page, "#export-r-script-compare")).path, "utf8");
  assert.match(compared, /anova\(/);
  assert.deepEqual(errors, []);
  await context.close();
});
