// Accessibility in Chromium: axe-core (npm, injected through the DevTools protocol, which the
// page's CSP does not govern) finds no serious or critical violation before and after a fit, on
// the served page, the offline file and <lagmix-app>; the whole flow works by keyboard alone with
// a visible focus ring; progress is announced in a live region; errors take the focus.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { start, openPage, fitExample, waitForFit, errorText } from "./harness.mjs";
import { root } from "../node/compare.mjs";
import { buildOffline } from "../../scripts/build-offline.mjs";

const axeSource = fs.readFileSync(path.join(root, "node_modules", "axe-core", "axe.min.js"), "utf8");

let env, offlineFile;
before(async () => {
  offlineFile = (await buildOffline({ quiet: true })).path;
  env = await start();
});
after(async () => {
  await env?.close();
});

/** axe's serious and critical violations (WCAG 2.x A and AA and best practice), as readable lines. */
async function seriousViolations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function checkBeforeAndAfterFit(url, browser = env.browser) {
  const { page, context } = await openPage(browser, url);
  await page.waitForSelector("#example-button");
  assert.deepEqual(await seriousViolations(page), [], "before the fit");
  assert.deepEqual(await fitExample(page), []);
  assert.deepEqual(await seriousViolations(page), [], "after the fit");
  await context.close();
}

test("axe: nothing serious on the served page before and after a fit", () => checkBeforeAndAfterFit(env.server.url));

test("axe: nothing serious in the offline file before and after a fit", () =>
  checkBeforeAndAfterFit(pathToFileURL(offlineFile).href));

test("axe: nothing serious in <lagmix-app> before and after a fit", async () => {
  const repo = await start({ serverRoot: root });
  try {
    await checkBeforeAndAfterFit(new URL("tests/browser/embed/element.html", repo.server.url).href, repo.browser);
  } finally {
    await repo.close();
  }
});

// In-page helpers for the three ways the page runs: its root (the document or <lagmix-app>'s shadow
// root) and the focused element inside it.
const IN_PAGE = () => {
  window.__root = () => document.querySelector("lagmix-app")?.shadowRoot ?? document;
  window.__focused = () => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return a;
  };
};

/** Presses Tab until the focused element matches `selector`; fails after `limit` presses. */
async function tabTo(page, selector, limit = 80) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => window.__focused()?.matches(s), selector)) return;
  }
  throw new Error(`${selector} was not reached with ${limit} presses of Tab`);
}

/** The focus ring of the focused element: its width in px and its contrast with the page's background. */
function focusRing(page) {
  return page.evaluate(() => {
    const style = getComputedStyle(window.__focused());
    const rgb = (css) => css.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    const luminance = (css) => {
      const [r, g, b] = rgb(css).map((c) => c / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    // The page's background is on <html> (:root) or on <lagmix-app> (:host).
    const background = getComputedStyle(window.__root().host ?? document.documentElement).backgroundColor;
    const [a, b] = [luminance(style.outlineColor), luminance(background)];
    return { width: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth), contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), background };
  });
}

async function pressOn(page, selector, key = "Enter") {
  await tabTo(page, selector);
  const ring = await focusRing(page);
  assert.ok(ring.width >= 2 && ring.contrast >= 3 && ring.background === "rgb(255, 255, 255)", `${selector}: focus ring ${JSON.stringify(ring)}`);
  await page.keyboard.press(key);
}

/** The whole flow by keyboard; `clipboard` says whether the clipboard is granted (else the sentence is selected). */
async function keyboardFlow(url, { browser = env.browser, clipboard = false } = {}) {
  const { page, context } = await openPage(browser, url);
  if (clipboard) await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(url).origin });
  await page.evaluate(IN_PAGE);
  await page.waitForSelector("#example-button");
  await page.evaluate(() => {
    window.__announced = [];
    const live = window.__root().getElementById("progress-live");
    new MutationObserver(() => window.__announced.push(live.textContent)).observe(live, { childList: true, characterData: true, subtree: true });
  });
  const settled = (time) => page.waitForFunction((t) => window.__root().getElementById("time-column").value === t && window.__root().getElementById("progress").hidden, time);
  await pressOn(page, "#example-button");
  await page.waitForSelector("#data-info:not([hidden])");
  // Roles: the time column to "(none)" and back by typing, as a keyboard user does on a <select>.
  await tabTo(page, "#time-column");
  await page.keyboard.press("Home");
  await settled("");
  await page.keyboard.type("week");
  await settled("week");
  await pressOn(page, '#preset-list button[data-preset="within-between-forward"]', "Space");
  assert.equal(await page.inputValue("#formula"), "lead(within(spin)) ~ within(spin) + within(wai) + between(wai) + (1 | id)");
  await pressOn(page, "#fit-button");
  await waitForFit(page);
  assert.equal(await errorText(page), "");
  assert.equal(await page.locator("#fixed-effects tbody tr").count(), 4);
  const announced = await page.evaluate(() => window.__announced);
  assert.ok(announced.some((t) => /Fitting the model/.test(t)), `announced: ${JSON.stringify(announced)}`);
  await pressOn(page, "#apa li button");
  const sentence = await page.textContent("#apa li .sentence");
  if (clipboard) {
    await page.waitForFunction(() => window.__root().querySelector("#apa li button").textContent === "Copied");
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), sentence);
  } else {
    await page.waitForFunction(() => /Copied|Selected/.test(window.__root().querySelector("#apa li button").textContent));
  }
  const [download] = await Promise.all([page.waitForEvent("download"), pressOn(page, "#export-csv")]);
  assert.equal(download.suggestedFilename(), "lagmix-results.csv");
  await context.close();
}

test("keyboard alone on the served page: example, roles, preset, fit, copy an APA line, download", () =>
  keyboardFlow(env.server.url, { clipboard: true }));

test("keyboard alone in the offline file", () => keyboardFlow(pathToFileURL(offlineFile).href));

test("keyboard alone in <lagmix-app>", async () => {
  const repo = await start({ serverRoot: root });
  try {
    await keyboardFlow(new URL("tests/browser/embed/element.html", repo.server.url).href, { browser: repo.browser, clipboard: true });
  } finally {
    await repo.close();
  }
});

test("an error takes the focus and is announced (role=alert)", async () => {
  const { page, context } = await openPage(env.browser, env.server.url);
  await page.evaluate(IN_PAGE);
  await pressOn(page, "#fit-button");
  await page.waitForSelector("#error:not([hidden])");
  assert.equal(await page.evaluate(() => document.activeElement.id), "error");
  assert.equal(await page.getAttribute("#error", "role"), "alert");
  assert.match(await errorText(page), /data file/);
  await context.close();
});
