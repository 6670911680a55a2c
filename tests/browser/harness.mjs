// Shared by the browser tests: the static server (scripts/serve.mjs, in-process, free port) and
// headless Debian Chromium driven by playwright-core (never a downloaded browser). Every request
// the page makes is recorded so tests can assert that nothing leaves the page's origin.
import { chromium } from "playwright-core";
import fs from "node:fs";
import { serve } from "../../scripts/serve.mjs";
import { root } from "../node/compare.mjs";

export const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Starts the server (optionally with another root, for the sub-path test) and the browser. */
export async function start({ serverRoot } = {}) {
  if (!fs.existsSync(`${root}/www/pkg/lagmix_wasm_bg.wasm`)) {
    throw new Error("www/pkg is missing: run `npm run build` first");
  }
  const server = await serve({ port: 0, ...(serverRoot ? { root: serverRoot } : {}) });
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

/** A fresh page that records requests, console errors and storage use. */
export async function openPage(browser, url, { viewport } = {}) {
  const context = await browser.newContext({ viewport: viewport ?? { width: 1200, height: 900 }, acceptDownloads: true });
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
export async function readFixedEffects(page) {
  return page.$$eval("#fixed-effects tbody tr", (rows) =>
    rows.map((tr) => {
      const cells = [...tr.cells];
      const n = (i) => Number(cells[i].dataset.value ?? cells[i].textContent);
      return { term: cells[0].textContent, estimate: n(1), se: n(2), df: n(3), t: n(4), p: n(5), ciLower: n(6), ciUpper: n(7) };
    }),
  );
}

/** Waits until a fit has finished: results shown or an error reported. */
export async function waitForFit(page) {
  await page.waitForFunction(
    () => document.querySelectorAll("#fixed-effects tbody tr").length > 0 || !document.getElementById("error").hidden,
    null,
    { timeout: 60_000 },
  );
}

/** The visible error text ("" when none). */
export const errorText = (page) => page.$eval("#error", (e) => (e.hidden ? "" : e.textContent));
