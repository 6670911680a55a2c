// The Figures panel in headless Chromium: after the example's within/between model, #plots holds
// each figure as a <figure> with an SVG with marks, a caption and the numbers behind it; the SVG
// download carries Plot's style inline; the page's CSP refuses nothing (Plot's <style> is kept
// out of the page's SVGs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { start, openPage, waitForFit, errorText } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

test("figures: trajectories, means, within and between associations, with downloads", async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  const violations = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.click("#example-button");
  await page.waitForSelector("#data-info:not([hidden])");
  await page.click('#preset-list button[data-preset="within-between-forward"]');
  await page.click("#fit-button");
  await waitForFit(page);
  assert.equal(await errorText(page), "");
  await page.waitForSelector("#plots figure svg");
  const figures = await page.$$eval("#plots figure", (all) =>
    all.map((f) => ({
      id: f.id,
      caption: f.querySelector("figcaption").textContent,
      marks: f.querySelectorAll("svg [aria-label] > *").length,
      paths: f.querySelectorAll("svg path, svg circle").length,
      rows: f.querySelectorAll("details tbody tr").length,
      svgButton: !!f.querySelector('button[data-format="svg"]'),
      pngButton: !!f.querySelector('button[data-format="png"]'),
      style: f.querySelectorAll("svg style").length,
    })),
  );
  assert.deepEqual(
    figures.map((f) => f.id),
    ["figure-trajectories-spin", "figure-trajectories-wai", "figure-means-spin", "figure-means-wai", "figure-association-within", "figure-association-between"],
  );
  for (const f of figures) {
    assert.ok(f.paths > 5, `${f.id} draws marks`);
    assert.ok(f.rows > 5, `${f.id} has the numbers behind it`);
    assert.ok(f.svgButton && f.pngButton, `${f.id} has both downloads`);
    assert.equal(f.style, 0, `${f.id}: Plot's <style> is kept out of the page`);
  }
  assert.match(figures[0].caption, /100 of the 182 persons are drawn/);
  assert.match(figures[4].caption, /model's slope for within\(wai\).*partial slope/);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click('#figure-association-between button[data-format="svg"]'),
  ]);
  assert.equal(download.suggestedFilename(), "lagmix-association-between.svg");
  const svg = fs.readFileSync(await download.path(), "utf8");
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<style>[^<]*--plot-background/);
  const [png] = await Promise.all([
    page.waitForEvent("download"),
    page.click('#figure-means-spin button[data-format="png"]'),
  ]);
  const bytes = fs.readFileSync(await png.path());
  assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], "a PNG file");
  // 640 x 360 px at 300 dpi.
  assert.equal(bytes.readUInt32BE(16), 2000);
  assert.deepEqual(violations, []);
  assert.deepEqual(errors, []);
});
