// Shared by the browser tests: the static server (scripts/serve.mjs, in-process, free port) and
// headless Debian Chromium driven by playwright-core (never a downloaded browser). Every request
// the page makes is recorded so tests can assert that nothing leaves the page's origin.
import { chromium } from "playwright-core";
import fs from "node:fs";
import { serve } from "../../scripts/serve.mjs";
import { root, loadFixtures, compareFixedRow } from "../node/compare.mjs";

export const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Starts the server (optionally with another root, for the sub-path test, and extra headers) and the browser. */
export async function start({ serverRoot, headers } = {}) {
  if (!fs.existsSync(`${root}/www/pkg/lagmix_wasm_bg.wasm`)) {
    throw new Error("www/pkg is missing: run `npm run build` first");
  }
  const server = await serve({ port: 0, headers, ...(serverRoot ? { root: serverRoot } : {}) });
  const browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A fresh page that records requests, console errors and storage use; `offline` cuts the network. */
export async function openPage(browser, url, { viewport, offline = false } = {}) {
  const context = await browser.newContext({ viewport: viewport ?? { width: 1200, height: 900 }, acceptDownloads: true, offline });
  // Count every write to web storage, IndexedDB and cookies before any page script runs.
  await context.addInitScript(() => {
    window.__storageWrites = [];
    const note = (what) => window.__storageWrites.push(what);
    for (const name of ["setItem", "removeItem", "clear"]) {
      const original = Storage.prototype[name];
      Storage.prototype[name] = function (...args) {
        note(`Storage.${name}`);
        return original.apply(this, args);
      };
    }
    if (window.indexedDB) {
      const open = IDBFactory.prototype.open;
      IDBFactory.prototype.open = function (...args) {
        note("indexedDB.open");
        return open.apply(this, args);
      };
    }
    const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
    Object.defineProperty(document, "cookie", {
      get: () => cookie.get.call(document),
      set: (v) => {
        note("document.cookie");
        cookie.set.call(document, v);
      },
    });
  });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (r) => requests.push(r.url()));
  // Workers' requests (the wasm file) are seen on the context.
  context.on("request", (r) => requests.includes(r.url()) || requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(url);
  return { page, context, requests, errors };
}

/** The fixed-effects table as numbers: [{term, estimate, se, df, t, p, ciLower, ciUpper}]. */
export async function readFixedEffects(scope) {
  return scope.$$eval("#fixed-effects tbody tr", (rows) =>
    rows.map((tr) => {
      const cells = [...tr.cells];
      const n = (i) => Number(cells[i].dataset.value ?? cells[i].textContent);
      return { term: cells[0].textContent, estimate: n(1), se: n(2), df: n(3), t: n(4), p: n(5), ciLower: n(6), ciUpper: n(7) };
    }),
  );
}

// `scope` below is a Page or a Frame (an <iframe>); Playwright's CSS selectors also find the
// elements inside <lagmix-app>'s open shadow root.

/** Waits until a fit has finished: results shown or an error reported. */
export async function waitForFit(scope) {
  await scope.waitForSelector("#fixed-effects tbody tr, #error:not([hidden])", { timeout: 60_000 });
}

/**
 * The example flow: load the example, pick the within-between preset, fit with the page's
 * defaults (REML, Satterthwaite); returns the differences from lme4's numbers, recorded in
 * tests/fixtures/example_within_satterthwaite by tests/reference/fit_reference.R.
 */
export async function fitExample(scope) {
  await scope.click("#example-button");
  await scope.waitForSelector("#data-info:not([hidden])");
  await scope.click('#preset-list button[data-preset="within-between-forward"]');
  await scope.click("#fit-button");
  await waitForFit(scope);
  const error = await errorText(scope);
  if (error) return [`error on the page: ${error}`];
  return compareFixed(await readFixedEffects(scope), loadFixtures().find((f) => f.name === "example_within_satterthwaite").expected);
}

/** The golden fixtures the browser tests fit through the page (all of them run through wasm in tests/node/). */
export const PAGE_FIXTURES = ["trial_total", "ri_sleepstudy", "excel_semicolon", "na_codes"];

/** A golden fixture through the page's file input and controls; returns the differences from lme4. */
export async function fitFixture(scope, f) {
  if (f.spec.na?.length) {
    await scope.click(".read-options summary");
    await scope.fill("#na-codes", f.spec.na.join(", "));
  }
  await scope.setInputFiles("#file-input", f.csvPath);
  await scope.waitForSelector("#data-info:not([hidden])");
  await scope.selectOption("#id-column", f.spec.id ?? "");
  await scope.selectOption("#time-column", f.spec.time ?? "");
  await scope.fill("#formula", f.spec.formula);
  await scope.check(f.spec.reml === false ? "#method-ml" : "#method-reml");
  await scope.selectOption("#df-method", f.spec.df ?? "satterthwaite");
  await scope.click("#fit-button");
  await waitForFit(scope);
  const error = await errorText(scope);
  if (error) return [`error on the page: ${error}`];
  return compareFixed(await readFixedEffects(scope), f.expected);
}

function compareFixed(fixed, expected) {
  const byTerm = new Map(fixed.map((r) => [r.term, r]));
  return expected.fixed.flatMap((e) => (byTerm.has(e.term) ? compareFixedRow(e.term, byTerm.get(e.term), e) : [`missing term ${e.term}`]));
}

/** The visible error text ("" when none). */
export const errorText = (scope) => scope.$eval("#error", (e) => (e.hidden ? "" : e.textContent));
