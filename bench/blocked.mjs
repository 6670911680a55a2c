// The issue-14 rows of `npm run bench`: models with several grouping factors (three-level EMA
// panels from bench/make_ema.mjs, lme4's InstEval from bench/insteval.csv.gz) timed natively
// (whole process: start, reading, fit, Satterthwaite df unless a row asks for Kenward-Roger,
// printing), in the page's worker for the 700,000-row panel, and with lme4 + lmerTest (lmer() +
// summary(), R's start-up and CSV reading not counted). Writes docs/benchmarks-blocked.md and
// bench-data/blocked.json.
// Usage: node bench/blocked.mjs [--no-r] [--reuse-r] [--no-browser] [--runs 3]   (or through
// bench/run.mjs)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { writeEma } from "./make_ema.mjs";
import { median, haveR, loadAverage } from "./native.mjs";
import { handWrittenNotes } from "./report.mjs";

const NESTED = "mood ~ stress + (1 | person/day)";
const SLOPE = "mood ~ stress + (stress | person) + (1 | person:day)";
const INSTEVAL = "y ~ factor(service) + (1 | s) + (1 | d) + (1 | dept:service)";

/** The table's rows: data, formula, df method (Satterthwaite unless `df`), the coefficient
 * compared with lme4 (none for `noR` rows), the goals and a note. */
export function cases() {
  const ema = (persons) => ({ file: `bench-data/ema-${persons}.csv`, persons });
  return [
    { ...ema(250), formula: NESTED, term: "stress", rFormula: NESTED, goal: { vsR: 20 } },
    { ...ema(250), formula: SLOPE, term: "stress", rFormula: SLOPE, goal: { vsR: 20 } },
    { ...ema(3000), formula: NESTED, term: "stress", rFormula: NESTED, goal: { vsR: 20 } },
    { ...ema(3000), formula: SLOPE, term: "stress", rFormula: SLOPE, goal: { vsR: 20 } },
    { ...ema(10000), formula: NESTED, term: "stress", rFormula: NESTED, goal: { native: 2, wasm: 5 } },
    { ...ema(10000), formula: SLOPE, term: "stress", rFormula: SLOPE, goal: { native: 2, wasm: 5 } },
    {
      ...ema(10000),
      formula: NESTED,
      df: "kenward-roger",
      term: "stress",
      noR: true,
      goal: { native: 2 },
      note: "Kenward-Roger per person (10,000 blocks of 15 random effects); no lme4 time: pbkrtest builds n x n matrices, impossible at n = 700,000",
    },
    {
      file: "bench-data/insteval.csv",
      formula: INSTEVAL,
      term: "factor(service)1",
      rFormula: "y ~ factor(service) + (1 | s) + (1 | d) + (1 | dept:service)",
      rTerm: "factor(service)1",
      goal: { vsR: 20, native: 3 },
    },
  ];
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  return r;
}

/** Median wall and CPU seconds of `runs` whole-process fits, and the fit's JSON. */
export function timeNative(cli, file, formula, runs, df = null) {
  const args = ["fit", file, "--formula", formula, ...(df ? ["--df", df] : [])];
  const wall = [];
  const cpu = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = run("/usr/bin/time", ["-f", "%U %S %M", cli, ...args]);
    wall.push(Number(process.hrtime.bigint() - t0) / 1e9);
    const [user, system, kb] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
    cpu.push(user + system);
    rss.push(kb * 1024);
  }
  const json = JSON.parse(run(cli, [...args, "--json"]).stdout);
  return { seconds: median(wall), cpuSeconds: median(cpu), peakRss: Math.max(...rss), json };
}

/** Writes the data files the cases need (EMA panels generated, InstEval unpacked). */
function prepare(list) {
  fs.mkdirSync("bench-data", { recursive: true });
  for (const c of list) {
    if (fs.existsSync(c.file)) continue;
    console.error(`writing ${c.file}`);
    if (c.persons) writeEma(c.persons, c.file);
    else fs.writeFileSync(c.file, zlib.gunzipSync(fs.readFileSync("bench/insteval.csv.gz")));
  }
}

/** Runs the cases; `browser` (from bench/browser.mjs) times the page on the goal-bearing rows. */
export async function benchBlocked({ cli, withR = haveR(), browser = null, runs = 3, reuseR = false }) {
  const list = cases();
  prepare(list);
  // --reuse-r: lme4's numbers from the last run (they do not change with lagmix's code, and at
  // 700,000 rows each takes minutes).
  const previous = reuseR && fs.existsSync("bench-data/blocked.json") ? JSON.parse(fs.readFileSync("bench-data/blocked.json", "utf8")).rows : [];
  const timeR = (c) =>
    previous.find((r) => r.file === c.file && r.formula === c.formula && r.lme4)?.lme4 ??
    JSON.parse(run("Rscript", ["bench/lme4_blocked.R", c.file, c.rFormula, c.rTerm ?? c.term]).stdout.trim().split("\n").pop());
  const rows = [];
  for (const c of list) {
    const native = timeNative(cli, c.file, c.formula, runs, c.df);
    const fixed = native.json.fixed.find((f) => f.term === c.term);
    const lme4 = withR && !c.noR ? timeR(c) : null;
    let wasm = null;
    if (browser && c.goal.wasm) {
      try {
        wasm = await browser.once(path.resolve(c.file), c.formula, { id: "person", time: "", term: c.term });
      } catch (e) {
        wasm = { error: String(e.message ?? e) };
      }
    }
    const row = {
      file: c.file,
      formula: c.formula,
      dfMethod: c.df ?? "satterthwaite",
      note: c.note ?? null,
      nobs: native.json.nobs,
      native: { seconds: native.seconds, cpuSeconds: native.cpuSeconds, peakRss: native.peakRss },
      evaluations: native.json.optimization.evaluations,
      estimate: fixed.estimate,
      se: fixed.se,
      df: fixed.df,
      lme4,
      wasm,
      goal: c.goal,
    };
    rows.push(row);
    console.log(
      `${c.file} ${c.formula}${c.df ? ` (${c.df})` : ""}: native ${row.native.seconds.toFixed(2)} s (CPU ${row.native.cpuSeconds.toFixed(2)})` +
        (lme4 ? `, lme4 ${lme4.seconds.toFixed(2)} s (${(lme4.seconds / row.native.seconds).toFixed(1)}x)` : "") +
        (wasm?.seconds ? `, page ${wasm.seconds.toFixed(2)} s` : wasm?.error ? `, page failed: ${wasm.error}` : "") +
        `; ${c.term} ${fixed.estimate} (df ${fixed.df.toFixed(1)})` +
        (lme4 ? ` vs lme4 ${lme4.estimate} (df ${lme4.df.toFixed(1)})` : ""),
    );
  }
  const measured = { rows, load: loadAverage(), date: new Date().toISOString().slice(0, 10) };
  fs.writeFileSync("bench-data/blocked.json", JSON.stringify(measured, null, 2));
  const notes = handWrittenNotes("docs/benchmarks-blocked.md") || "<!-- notes -->\n<!-- /notes -->";
  fs.writeFileSync("docs/benchmarks-blocked.md", report(measured) + "\n" + notes + "\n");
  return measured;
}

/** The markdown page: one table row per case, goals stated next to the numbers. */
function report({ rows, load, date }) {
  const s = (x) => (x == null ? "–" : `${x.toFixed(2)} s`);
  const lines = [
    "# Benchmarks: several grouping factors (issue 14)",
    "",
    `Measured ${date} by \`node bench/blocked.mjs\` (also run by \`npm run bench\`); load average ${load}.`,
    "lagmix: the whole process (start, reading the CSV, fit, Satterthwaite df unless the model",
    "column says Kenward-Roger, printing), median wall and CPU time; lme4: `lmer()` + `summary()`",
    "(lmerTest), R's start-up and CSV reading not counted. The machine is shared: the CPU time is",
    "the steadier number.",
    "",
    "The memory budget (peak RSS at most 4x the CSV, as for one grouping factor) applies from",
    "10^5 rows on.",
    "",
    "| data | model | rows | lagmix wall | lagmix CPU | peak RSS (x CSV) | evaluations | page | lme4 + lmerTest | ratio | goal | estimate (lagmix / lme4) | df (lagmix / lme4) |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const csvBytes = fs.statSync(r.file).size;
    const memory = r.native.peakRss
      ? `${(r.native.peakRss / 1048576).toFixed(1)} MB (${(r.native.peakRss / csvBytes).toFixed(1)}x)`
      : "–";
    const goal = [
      r.goal.vsR ? `>= ${r.goal.vsR}x lme4` : null,
      r.nobs >= 1e5 ? "peak RSS <= 4x the CSV" : null,
      r.goal.native ? `<= ${r.goal.native} s native` : null,
      r.goal.wasm ? `<= ${r.goal.wasm} s page` : null,
      r.note,
    ].filter(Boolean).join(", ");
    const model = `\`${r.formula.replaceAll("|", "\\|")}\`` + (r.dfMethod === "kenward-roger" ? ", Kenward-Roger df" : "");
    const ratio = r.lme4 ? `${(r.lme4.seconds / r.native.seconds).toFixed(1)}x` : "–";
    lines.push(
      `| ${path.basename(r.file)} | ${model} | ${r.nobs} | ${s(r.native.seconds)} | ${s(r.native.cpuSeconds)} | ${memory} | ${r.evaluations} | ${r.wasm?.seconds ? s(r.wasm.seconds) : r.wasm?.error ? "failed" : "–"} | ${r.lme4 ? s(r.lme4.seconds) : "–"} | ${ratio} | ${goal} | ${r.estimate.toFixed(6)} / ${r.lme4 ? r.lme4.estimate.toFixed(6) : "–"} | ${r.df.toFixed(1)} / ${r.lme4 ? r.lme4.df.toFixed(1) : "–"} |`,
    );
  }
  return lines.join("\n") + "\n";
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const meta = JSON.parse(spawnSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], { encoding: "utf8" }).stdout);
  const cli = path.join(meta.target_directory, "release", "lagmix");
  const runsAt = argv.indexOf("--runs");
  let browser = null;
  if (!argv.includes("--no-browser")) {
    const { startBrowser } = await import("./browser.mjs");
    browser = await startBrowser();
  }
  try {
    await benchBlocked({
      cli,
      withR: !argv.includes("--no-r") && haveR(),
      browser,
      runs: runsAt >= 0 ? Number(argv[runsAt + 1]) : 3,
      reuseR: argv.includes("--reuse-r"),
    });
  } finally {
    await browser?.close();
  }
}
