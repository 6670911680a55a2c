// The README's screenshots of the workspace (docs/screenshots/*.png): the example's three models
// of the reference study fitted in headless Debian Chromium (never a downloaded browser), then the
// Model, Figures and Comparison sections on a wide screen and the page on a phone-sized one.
// Run after `npm run build`:  node scripts/screenshots.mjs
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "./serve.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "docs", "screenshots");
fs.mkdirSync(out, { recursive: true });
const server = await serve({ port: 0 });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });

async function fitThree(page) {
  await page.click("#example-button");
  await page.waitForSelector("#data-info:not([hidden])");
  for (const [i, preset] of ["total-forward", "within-between-forward", "between-forward"].entries()) {
    await page.click(`#preset-list button[data-preset="${preset}"]`);
    await page.click("#fit-button");
    await page.waitForFunction((n) => document.querySelectorAll("#comparison-table thead th").length === n + 1, i + 1, { timeout: 60_000 });
  }
  for (const [i, name] of ["Total", "Within", "Between"].entries()) {
    await page.fill(`#comparison-models li:nth-child(${i + 1}) input`, name);
    await page.press(`#comparison-models li:nth-child(${i + 1}) input`, "Enter");
  }
  await page.click('#preset-list button[data-preset="within-between-forward"]');
  await page.click("#fit-button");
  await page.waitForSelector("#figure-check-qq-id-intercept svg", { timeout: 60_000 });
}

/** Shows a results section through its button in the section bar. */
async function show(page, section) {
  await page.click(`.section-nav button[data-section="${section}"]`);
  // The figures: the fitted effect and the model checks, after the data's figures.
  if (section === "figures-panel") await page.locator("#figure-effect-within-wai").scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
}

const wide = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
await wide.goto(server.url);
await fitThree(wide);
for (const [section, file] of [["model-panel", "workspace-model.png"], ["figures-panel", "workspace-figures.png"], ["comparison-step", "workspace-comparison.png"]]) {
  if (await wide.locator(`#${section}`).count()) {
    await show(wide, section);
    await wide.screenshot({ path: path.join(out, file) });
    console.log(`screenshots: docs/screenshots/${file}`);
  }
}
const narrow = await (await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 })).newPage();
await narrow.goto(server.url);
await fitThree(narrow);
await narrow.locator("#results-h").scrollIntoViewIfNeeded();
await narrow.screenshot({ path: path.join(out, "workspace-phone.png") });
console.log("screenshots: docs/screenshots/workspace-phone.png");
await browser.close();
await server.close();
