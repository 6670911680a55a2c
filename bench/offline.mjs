#!/usr/bin/env node
// The single offline file (dist/lagmix.html): its size and its start-up time from file:// in
// headless Chromium, the issue-13 goals (under 5 MB; a usable page in under 2 s). "Usable" is
// measured strictly: from the start of navigation (performance.now() = 0) until the example data,
// asked for the moment the page's script has run (DOMContentLoaded), has been read by the engine
// and its columns are on the page; so it includes parsing the 1 MB file, starting the Blob worker,
// decoding and compiling the wasm. The median of `runs` fresh pages. Used by bench/run.mjs, or
// alone: node bench/offline.mjs [runs]
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median } from "./native.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

// Runs in the page before its own scripts.
function instrument() {
  window.__marks = {};
  document.addEventListener("DOMContentLoaded", () => {
    window.__marks.ready = performance.now();
    const status = document.getElementById("status");
    new MutationObserver(() => {
      if (/columns read/.test(status.textContent)) window.__marks.usable ??= performance.now();
    }).observe(status, { childList: true, characterData: true, subtree: true });
    document.getElementById("example-button").click();
  });
}

/** {bytes, runs: [{readyMs, usableMs}], readyMs, usableMs} (medians) for dist/lagmix.html. */
export async function measureOffline(runs = 5) {
  const file = path.join(root, "dist", "lagmix.html");
  if (!fs.existsSync(file)) throw new Error("dist/lagmix.html is missing: run `npm run build` first");
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"] });
  const all = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      await context.addInitScript(instrument);
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => window.__marks.usable || !document.getElementById("error").hidden, null, { timeout: 30_000 });
      const marks = await page.evaluate(() => window.__marks);
      if (!marks.usable) throw new Error(`the offline file showed an error: ${await page.textContent("#error")}`);
      all.push({ readyMs: marks.ready, usableMs: marks.usable });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return {
    bytes: fs.statSync(file).size,
    runs: all,
    readyMs: median(all.map((r) => r.readyMs)),
    usableMs: median(all.map((r) => r.usableMs)),
  };
}

/** The goals as [description, met, measured], in the shape of report.mjs's goals(). */
export const offlineGoals = (o) => [
  ["the offline file under 5 MB", o.bytes < 5 * 1024 * 1024, `${(o.bytes / 1e6).toFixed(2)} MB`],
  ["the offline file usable in under 2 s from file://", o.usableMs < 2000, `${(o.usableMs / 1000).toFixed(2)} s (median; page script done at ${(o.readyMs / 1000).toFixed(2)} s)`],
];

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const o = await measureOffline(Number(process.argv[2] ?? 5));
  for (const [what, met, value] of offlineGoals(o)) console.log(`${met ? "met    " : "NOT MET"}  ${what}: ${value}`);
  console.log(`runs (usable, ms): ${o.runs.map((r) => r.usableMs.toFixed(0)).join(", ")}; load average ${fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0]}`);
}
