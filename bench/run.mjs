#!/usr/bin/env node
// `npm run bench`: builds the release CLI, the stages example and the wasm, generates the panels
// (bench-data/, reused when present), then times lagmix natively, in the page in headless
// Chromium and (when Rscript with lmerTest is installed) lme4 + lmerTest on the same files, and
// writes docs/benchmarks.md. The goals are reported, never asserted: the numbers depend on the
// machine and on what else runs on it.
//
// Options: --sizes 1000,10000,20000,100000,1000000  --no-build  --no-browser  --no-r
//          --native-runs 5  --browser-runs 3  --out docs/benchmarks.md
//          --report-only (rewrite the page from bench-data/results.json, measuring nothing)
//          --no-blocked (skip the several-grouping-factor table, bench/blocked.mjs)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writePanel } from "./make_panel.mjs";
import { MODELS, MODEL_OPTIONS, cliOptions, timeNative, stages, haveR, timeR, environment, loadAverage, median } from "./native.mjs";
import { startBrowser, summarize } from "./browser.mjs";
import { markdown, goals, handWrittenNotes } from "./report.mjs";
import { benchBlocked } from "./blocked.mjs";
import { measureOffline, offlineGoals } from "./offline.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

function options(argv) {
  const o = { sizes: [1e3, 1e4, 2e4, 1e5, 1e6], blocked: true, build: true, browser: true, r: true, nativeRuns: 5, browserRuns: 3, out: "docs/benchmarks.md" };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--sizes") o.sizes = argv[++i].split(",").map(Number);
    else if (a === "--no-build") o.build = false;
    else if (a === "--no-browser") o.browser = false;
    else if (a === "--no-r") o.r = false;
    else if (a === "--native-runs") o.nativeRuns = Number(argv[++i]);
    else if (a === "--browser-runs") o.browserRuns = Number(argv[++i]);
    else if (a === "--out") o.out = argv[++i];
    else if (a === "--report-only") o.reportOnly = true;
    else if (a === "--no-blocked") o.blocked = false;
    else throw new Error(`unknown option ${a} (see the top of bench/run.mjs)`);
  }
  return o;
}

function sh(cmd, args) {
  console.error(`$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed`);
}

/**
 * Kenward-Roger (issue 9): the slopes model with --df kenward-roger natively on the panels of
 * 10^5 rows and more, against the same model with Satterthwaite df (timed again, the two taking
 * turns run by run); and on a 20,000-row panel
 * against lmerTest's summary(m, ddf = "Kenward-Roger") (pbkrtest forms n x n matrices, so R gets
 * one run there and none on the large panels).
 */
function timeKenwardRoger(o, cli, files, results, withR) {
  const out = [];
  const krArgs = ["--df", "kenward-roger"];
  for (const rows of o.sizes.filter((r) => r >= 1e5)) {
    // The two take turns run by run, so that a slow spell of the machine is shared by both.
    const kr = [];
    const plain = [];
    for (let i = 0; i < o.nativeRuns; i++) {
      kr.push(timeNative(cli, files.get(rows), MODELS.slopes, 1, krArgs));
      plain.push(timeNative(cli, files.get(rows), MODELS.slopes, 1));
    }
    const native = { ...kr[0], seconds: median(kr.map((r) => r.seconds)), all: kr.map((r) => r.seconds) };
    const satterthwaite = { ...plain[0], seconds: median(plain.map((r) => r.seconds)), all: plain.map((r) => r.seconds) };
    out.push({ rows, native, satterthwaite });
    console.log(`${String(rows).padStart(8)} slopes KR native ${native.seconds.toFixed(3)} s vs Satterthwaite ${satterthwaite.seconds.toFixed(3)} s`);
  }
  const file = path.join("bench-data", "panel-20000.csv");
  if (!fs.existsSync(file)) writePanel(20000, file);
  const native = timeNative(cli, path.resolve(file), MODELS.slopes, o.nativeRuns, krArgs);
  const lme4 = withR ? timeR(path.resolve(file), "slopes-kr", 1) : null;
  out.push({ rows: 20000, native, lme4 });
  console.log(`   20000 slopes KR native ${native.seconds.toFixed(3)} s` + (lme4 ? `  lmerTest KR ${lme4.seconds.toFixed(1)} s` : ""));
  return out;
}

/** Builds, measures everything and returns what the report needs. */
async function measure(o) {
  if (o.build) {
    sh("cargo", ["build", "--release", "-p", "lagmix-cli"]);
    sh("cargo", ["build", "--release", "-p", "lagmix", "--example", "stages"]);
    sh("bash", ["scripts/build-wasm.sh"]);
  }
  const meta = JSON.parse(spawnSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], { encoding: "utf8" }).stdout);
  const cli = path.join(meta.target_directory, "release", "lagmix");
  const stagesExe = path.join(meta.target_directory, "release", "examples", "stages");

  fs.mkdirSync("bench-data", { recursive: true });
  const files = new Map();
  for (const rows of o.sizes) {
    const file = path.join("bench-data", `panel-${rows}.csv`);
    if (!fs.existsSync(file)) {
      console.error(`generating ${file}`);
      writePanel(rows, file);
    }
    files.set(rows, path.resolve(file));
  }

  const withR = o.r && haveR();
  if (o.r && !withR) console.error("Rscript with lmerTest and jsonlite not found: lme4 is not timed.");
  const env = environment();
  const load = { start: loadAverage(), end: 0 };
  const browser = o.browser ? await startBrowser() : null;
  const browserVersion = browser?.version ?? "–";
  const results = [];
  try {
    for (const rows of o.sizes) {
      const file = files.get(rows);
      const csvBytes = fs.statSync(file).size;
      // The browser runs of the models take turns (run 1 of each model, then run 2, ...): this
      // machine's speed drifts over minutes, and back-to-back runs of one model would give
      // that model all of a slow spell.
      const browserRuns = new Map(Object.keys(MODELS).map((model) => [model, []]));
      for (let run = 0; browser && run < o.browserRuns; run++) {
        for (const [model, formula] of Object.entries(MODELS)) {
          browserRuns.get(model).push(await browser.once(file, formula, MODEL_OPTIONS[model]));
        }
      }
      for (const [model, formula] of Object.entries(MODELS)) {
        const native = timeNative(cli, file, formula, o.nativeRuns, cliOptions(model));
        const stage = stages(stagesExe, file, formula, 3, MODEL_OPTIONS[model]?.correlation);
        const wasm = browser ? summarize(browserRuns.get(model)) : null;
        // nlme's AR(1) fit needs minutes beyond 2 * 10^4 rows: it is timed up to there.
        const timeRHere = withR && (model !== "ar1" || rows <= 2e4);
        const lme4 = timeRHere ? timeR(file, model, rows >= 1e6 ? 1 : 3) : null;
        results.push({ rows, model, csvBytes, native, stages: stage, wasm, lme4 });
        console.log(
          `${String(rows).padStart(8)} ${model.padEnd(9)} native ${native.seconds.toFixed(3)} s (CPU ${native.cpuSeconds?.toFixed(2)})` +
            (wasm ? `  wasm ${wasm.seconds.toFixed(3)} s (longest task ${wasm.longestTaskMs.toFixed(0)} ms)` : "") +
            (lme4 ? `  lme4 ${lme4.seconds.toFixed(2)} s (${(lme4.seconds / native.seconds).toFixed(0)}x)` : "") +
            `  within(x) ${native.estimate}` +
            (lme4 ? ` vs lme4 ${lme4.estimate}` : ""),
        );
      }
    }
  } finally {
    await browser?.close();
  }
  // The single offline file's size and start-up (issue 13), from file:// in Chromium.
  const offline = o.browser ? await measureOffline(5) : null;
  const kenwardRoger = timeKenwardRoger(o, cli, files, results, withR);
  load.end = loadAverage();

  // Where the wasm memory goes, on the largest panel (a fresh Node process).
  const largest = Math.max(...o.sizes);
  const probe = spawnSync("node", ["bench/wasm-memory.mjs", files.get(largest), MODELS.slopes], { encoding: "utf8" });
  const memory = probe.status === 0 ? JSON.parse(probe.stdout) : null;
  if (!memory) console.error(`bench/wasm-memory.mjs failed: ${probe.stderr}`);
  const runs = {
    nativeRuns: o.nativeRuns,
    browserRuns: o.browserRuns,
    rRuns: withR ? "1 run at 10^6 rows, the median of 3 at smaller sizes" : "not measured (no Rscript with lmerTest)",
    load: process.env.BENCH_NOTE ?? "",
  };
  const measured = { results, kenwardRoger, env, load, memory, offline, browserVersion, runs, date: new Date().toISOString().slice(0, 10) };
  fs.writeFileSync("bench-data/results.json", JSON.stringify(measured, null, 2));
  return measured;
}

const o = options(process.argv.slice(2));
// --report-only: write the page again from the last run's bench-data/results.json.
const measured = o.reportOnly ? JSON.parse(fs.readFileSync("bench-data/results.json", "utf8")) : await measure(o);
const { results } = measured;
const diffs = results.filter((r) => r.lme4).map((r) => Math.abs(r.native.estimate - r.lme4.estimate));
if (diffs.length) console.log(`max |lagmix - lme4| in the within(x) estimate: ${Math.max(...diffs).toExponential(2)}`);
for (const [what, met, value] of [...goals(results, measured.kenwardRoger), ...(measured.offline ? offlineGoals(measured.offline) : [])]) console.log(`${met === null ? "-" : met ? "met    " : "NOT MET"}  ${what}: ${value}`);

fs.mkdirSync(path.dirname(o.out), { recursive: true });
const notes = { ...measured.runs, handWritten: handWrittenNotes(o.out) };
fs.writeFileSync(o.out, markdown({ ...measured, notes }));
console.log(`wrote ${o.out} (raw numbers in bench-data/results.json)`);

// Issue 14's models with several grouping factors: their own table, docs/benchmarks-blocked.md.
if (o.blocked && !o.reportOnly) {
  const meta = JSON.parse(spawnSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], { encoding: "utf8" }).stdout);
  const browser = o.browser ? await startBrowser() : null;
  try {
    await benchBlocked({ cli: path.join(meta.target_directory, "release", "lagmix"), withR: o.r && haveR(), browser });
  } finally {
    await browser?.close();
  }
}
