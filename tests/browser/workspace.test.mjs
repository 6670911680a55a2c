// The page as a workspace in headless Chromium: on a wide screen the controls sit left of the
// results (two columns), on a phone-sized one above them (one column); the section buttons take
// the focus to Model, Figures, Comparison and Descriptives, by keyboard too.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, fitExample } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const box = (page, selector) => page.locator(selector).boundingBox();

test("two columns on a wide screen, section buttons move the focus", async () => {
  const { page, context } = await openPage(env.browser, env.server.url, { viewport: { width: 1440, height: 900 } });
  assert.ok(await page.isVisible("#results-placeholder"), "a placeholder before the first fit");
  assert.deepEqual(await fitExample(page), []);
  assert.ok(!(await page.isVisible("#results-placeholder")));
  const [controls, results] = [await box(page, "#controls"), await box(page, "#results-area")];
  assert.ok(controls.x + controls.width <= results.x, "the controls are left of the results");
  assert.ok(Math.abs(controls.y - results.y) < 50, "side by side");
  for (const section of ["figures-panel", "comparison-step", "descriptives-panel", "model-panel"]) {
    await page.focus(`.section-nav button[data-section="${section}"]`);
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement.id), section);
  }
  await context.close();
});

test("one column on a phone-sized screen, the controls first", async () => {
  const { page, context } = await openPage(env.browser, env.server.url, { viewport: { width: 390, height: 844 } });
  assert.deepEqual(await fitExample(page), []);
  const [controls, results] = [await box(page, "#controls"), await box(page, "#results-area")];
  assert.ok(controls.y + controls.height <= results.y + 1, "the results below the controls");
  assert.ok(results.width <= 390, "nothing wider than the screen");
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 390, `the page does not scroll sideways (${scrollWidth} px)`);
  await context.close();
});
