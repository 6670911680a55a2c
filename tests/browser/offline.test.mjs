// The single offline file (dist/lagmix.html, scripts/build-offline.mjs) opened from disk
// (file://) in Chromium: with every request recorded, none may go anywhere but the file itself
// and data:/blob: URLs, and it fits the reference models as the served page does.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { start, openPage, fitExample, fitFixture, errorText, PAGE_FIXTURES } from "./harness.mjs";
import { loadFixtures, root } from "../node/compare.mjs";
import { buildOffline } from "../../scripts/build-offline.mjs";

const file = path.join(root, "dist", "lagmix.html");
const fileUrl = pathToFileURL(file).href;

let env;
before(async () => {
  // Built again from the current www/ (a fraction of a second), so the test never sees a stale file.
  await buildOffline({ quiet: true });
  env = await start();
});
after(async () => {
  await env?.close();
});

const elsewhere = (requests) => requests.filter((u) => u !== fileUrl && !u.startsWith("blob:") && !u.startsWith("data:"));

test("the single file is one file under 5 MB, its CSP without 'unsafe-inline'", () => {
  const html = fs.readFileSync(file, "utf8");
  assert.ok(Buffer.byteLength(html) < 5 * 1024 * 1024);
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)[1];
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\s\*/);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /worker-src blob:/);
  assert.match(csp, /script-src 'sha256-[^']+' 'wasm-unsafe-eval'/);
  // Nothing that names another file: every src/href is inline, data: or the offline link's absence.
  assert.deepEqual([...html.matchAll(/\s(?:src|href)="(?!data:)([^"]*)"/g)].map((m) => m[1]), []);
});

test("from file://, the network off: the example fits with no request beyond the file itself", async () => {
  const { page, context, requests, errors } = await openPage(env.browser, fileUrl, { offline: true });
  assert.deepEqual(await fitExample(page), []);
  assert.equal(await page.locator("#offline-link").count(), 0, "the offline file offers no download of itself");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-csv")]);
  assert.equal(download.suggestedFilename(), "lagmix-results.csv");
  // The Word report too: the docx library and the figures' PNGs come from inside the file.
  await page.waitForSelector("#figure-check-qq-id-intercept svg");
  const [docx] = await Promise.all([page.waitForEvent("download"), page.click("#export-docx")]);
  assert.equal(docx.suggestedFilename(), "lagmix-report.docx");
  assert.deepEqual([...fs.readFileSync(await docx.path()).subarray(0, 2)], [0x50, 0x4b], "a zip");
  assert.deepEqual(elsewhere(requests), []);
  assert.ok(requests.some((u) => u.startsWith("blob:")), "the worker comes from a Blob");
  assert.deepEqual(errors, []);
  await context.close();
});

for (const f of loadFixtures().filter((f) => PAGE_FIXTURES.includes(f.name))) {
  test(`from file://: fixture ${f.name}`, async () => {
    const { page, context, requests } = await openPage(env.browser, fileUrl);
    assert.deepEqual(await fitFixture(page, f), []);
    assert.deepEqual(elsewhere(requests), []);
    await context.close();
  });
}

test("from file://: the CSP is in force (no connection, no script from elsewhere)", async () => {
  const { page, context } = await openPage(env.browser, fileUrl);
  const refused = await page.evaluate(async () => {
    const violations = [];
    document.addEventListener("securitypolicyviolation", (e) => violations.push(e.effectiveDirective));
    await fetch("https://example.org/upload", { method: "POST", body: "x" }).catch(() => null);
    const s = document.createElement("script");
    s.textContent = "window.__injected = true";
    document.head.append(s);
    await new Promise((r) => setTimeout(r, 200));
    return { violations, injected: window.__injected === true };
  });
  assert.ok(refused.violations.includes("connect-src"), JSON.stringify(refused));
  assert.ok(refused.violations.includes("script-src-elem"), JSON.stringify(refused));
  assert.equal(refused.injected, false);
  assert.equal(await errorText(page), "");
  await context.close();
});

test("the served page offers the same file: Download lagmix for offline use", async () => {
  const { page, context } = await openPage(env.browser, env.server.url);
  const link = page.getByRole("link", { name: "Download lagmix for offline use" });
  assert.equal(await link.getAttribute("href"), "lagmix.html");
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  assert.equal(download.suggestedFilename(), "lagmix.html");
  assert.ok(fs.readFileSync(await download.path()).equals(fs.readFileSync(file)), "www/lagmix.html is dist/lagmix.html");
  await context.close();
});

test("from file://: an .xlsx and a .sav open too (the readers are inside the file)", async () => {
  const { page, context, requests, errors } = await openPage(env.browser, fileUrl, { offline: true });
  for (const [name, summary] of [
    ["trial.xlsx", /sheet "trial" of trial\.xlsx .*1922 rows, 9 columns/],
    ["trial.sav", /trial\.sav \(SPSS data file\): 1922 rows, 9 columns/],
  ]) {
    await page.setInputFiles("#file-input", path.join(root, "tests", "formats", name));
    await page.waitForFunction((n) => document.querySelector("#data-name")?.textContent.includes(n), name);
    await page.waitForSelector("#source-summary:not(:empty)");
    assert.match(await page.textContent("#source-summary"), summary);
    assert.equal(await errorText(page), "");
  }
  assert.deepEqual(elsewhere(requests), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("from file://: a wide .sav is offered the reshape and reshaped, its labels beside the names", async () => {
  const { page, context, requests, errors } = await openPage(env.browser, fileUrl, { offline: true });
  await page.setInputFiles("#file-input", path.join(root, "tests", "formats", "wide_trial.sav"));
  await page.waitForSelector("#wide-offer:not([hidden])");
  await page.fill("#wide-time", "week");
  await page.click("#wide-reshape");
  await page.waitForSelector("#reshape-done:not([hidden])");
  assert.match(await page.textContent("#reshape-note"), /182 persons × 11 occasions → 1922 rows/);
  await page.waitForFunction(() => [...document.querySelectorAll("#outcome option")].some((o) => o.value === "spin"));
  const spin = await page.$eval('#outcome option[value="spin"]', (o) => o.textContent);
  assert.equal(spin, 'spin — "SPIN total, week"');
  assert.equal(await errorText(page), "");
  assert.deepEqual(elsewhere(requests), []);
  assert.deepEqual(errors, []);
  await context.close();
});
