// The browser half of `npm run bench`: the real page in headless Chromium (playwright-core and
// /usr/bin/chromium, as the browser tests use), a file chosen through #file-input, a fit through
// #fit-button. Times are taken inside the page (performance.now() at the file input's change
// event, when the status says the columns were read, at the click on Fit and when the status
// says the model was fitted), so the time playwright needs to hand the file to the browser is
// not counted; the user's think time between loading and clicking Fit is not counted either.
// A PerformanceObserver for 'longtask' records every main-thread task over 50 ms.
import { chromium } from "playwright-core";
import { serve } from "../scripts/serve.mjs";
import { median } from "./native.mjs";

const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

// Runs in the page before its own scripts.
function instrument() {
  window.__marks = {};
  window.__longTasks = [];
  window.__stages = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: "longtask", buffered: true });
  const mark = (name) => (window.__marks[name] ??= performance.now());
  document.addEventListener("change", (e) => e.target.id === "file-input" && mark("change"), true);
  document.addEventListener("click", (e) => e.target.id === "fit-button" && mark("click"), true);
  document.addEventListener("DOMContentLoaded", () => {
    const status = document.getElementById("status");
    new MutationObserver(() => {
      if (/columns read/.test(status.textContent)) mark("loaded");
      if (/Model fitted/.test(status.textContent)) mark("fitted");
    }).observe(status, { childList: true, characterData: true, subtree: true });
    const bar = document.getElementById("progress-bar");
    new MutationObserver(() => {
      // "" is the moment a request starts, "done" the moment it ends: both close a stage.
      const stage = bar.dataset.stage || "starting";
      const last = window.__stages[window.__stages.length - 1];
      if (!last || last.stage !== stage) window.__stages.push({ stage, at: performance.now() });
    }).observe(bar, { attributes: true, attributeFilter: ["data-stage"] });
  });
}

/** Starts the static server and Chromium; returns {measure(file, formula, runs), version, close}. */
export async function startBrowser() {
  const server = await serve({ port: 0 });
  const browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });

  // `options`: the id and time columns the page should end up with (chosen when it guesses
  // others), the coefficient whose estimate is read back, and `correlation`, the
  // residual-correlation menu's choice (the df follow it).
  async function once(file, formula, options = {}) {
    const expect = { id: "id", time: "time", term: "within(x)", ...options };
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.addInitScript(instrument);
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      // Other roles than the page would guess are given as a researcher's bookmark gives them.
      const custom = expect.term !== "within(x)";
      const roles = new URLSearchParams({ id: expect.id ?? "", time: expect.time ?? "" });
      await page.goto(custom ? `${server.url}#${roles}` : server.url);
      await page.fill("#formula", formula);
      await page.setInputFiles("#file-input", file);
      const wait = (mark) =>
        page.waitForFunction((m) => window.__marks[m] || !document.getElementById("error").hidden, mark, {
          timeout: 300_000,
        });
      await wait("loaded");
      if (await page.$eval("#error", (e) => !e.hidden)) throw new Error(await page.textContent("#error"));
      if ((await page.inputValue("#id-column")) !== expect.id || (await page.inputValue("#time-column")) !== expect.time) {
        throw new Error("the page did not take the id and time columns");
      }
      if (options.correlation) await page.selectOption("#correlation", options.correlation);
      await page.click("#fit-button");
      await wait("fitted");
      if (await page.$eval("#error", (e) => !e.hidden)) throw new Error(await page.textContent("#error"));
      const within = await page.$eval("#fixed-effects tbody", (body, term) => {
        const row = [...body.rows].find((r) => r.cells[0].textContent === term);
        return row ? Number(row.cells[1].dataset.value ?? row.cells[1].textContent) : null;
      }, expect.term);
      const worker = page.workers().find((w) => w.url().endsWith("worker.js"));
      const memory = worker ? await worker.evaluate(() => self.lagmixMemoryBytes()) : null;
      const { marks, longTasks, stages } = await page.evaluate(() => ({
        marks: window.__marks,
        longTasks: window.__longTasks,
        stages: window.__stages,
      }));
      // Only the tasks while the page worked on this file and fit count.
      const during = longTasks.filter((t) => t.start + t.duration >= marks.change && t.start <= marks.fitted);
      const stageMs = {};
      const all = [...stages, { stage: "end", at: marks.fitted }];
      for (let i = 0; i < all.length - 1; i++) {
        stageMs[all[i].stage] = (stageMs[all[i].stage] ?? 0) + (all[i + 1].at - all[i].at);
      }
      return {
        seconds: (marks.loaded - marks.change + (marks.fitted - marks.click)) / 1000,
        loadSeconds: (marks.loaded - marks.change) / 1000,
        fitSeconds: (marks.fitted - marks.click) / 1000,
        longestTaskMs: during.reduce((m, t) => Math.max(m, t.duration), 0),
        longTasks: during.length,
        memory,
        estimate: within,
        stageMs,
        errors,
      };
    } finally {
      await context.close();
    }
  }

  return {
    version: browser.version(),
    /** One run in a fresh page; `summarize` turns several into the reported numbers. */
    once,
    async measure(file, formula, runs = 3, options = {}) {
      const results = [];
      for (let i = 0; i < runs; i++) results.push(await once(file, formula, options));
      return summarize(results);
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Medians of several runs of `once`, the longest task and the largest memory of all. */
export function summarize(results) {
  const med = (k) => median(results.map((r) => r[k]));
  return {
    seconds: med("seconds"),
    all: results.map((r) => r.seconds),
    loadSeconds: med("loadSeconds"),
    fitSeconds: med("fitSeconds"),
    longestTaskMs: Math.max(...results.map((r) => r.longestTaskMs)),
    memory: Math.max(...results.map((r) => r.memory ?? 0)) || null,
    estimate: results[0].estimate,
    // The stages of the run with the median time, so that they add up to its times.
    stageMs: [...results].sort((a, b) => a.seconds - b.seconds)[results.length >> 1].stageMs,
    errors: results.flatMap((r) => r.errors),
  };
}
