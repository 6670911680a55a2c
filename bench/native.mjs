// The native and R halves of `npm run bench`: whole-process timings of the release CLI (with its
// peak RSS), the per-stage breakdown from crate/examples/stages.rs, and lme4 + lmerTest through
// bench/lme4.R. Every measurement is a child process, so nothing here shares memory with node.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

/** The two benchmark models; the key is also bench/lme4.R's MODEL argument. */
export const MODELS = {
  slopes: "y ~ within(x) + between(x) + (within(x) | id)",
  intercept: "y ~ within(x) + between(x) + (1 | id)",
  // The reference study's within-person model: next occasion's outcome by this one's.
  lagged: "lead(within(y)) ~ within(y) + within(x) + between(x) + (1 | id)",
  // The intercept model with AR(1) residuals within person (issue 10); R side: nlme's lme.
  ar1: "y ~ within(x) + between(x) + (1 | id)",
};

/** What a model adds to the formula: the CLI's arguments and the page's menu choices. */
export const MODEL_OPTIONS = {
  ar1: { correlation: "ar1" },
};

/** The CLI arguments of a model's options. */
export const cliOptions = (model) => {
  const o = MODEL_OPTIONS[model] ?? {};
  return o.correlation ? ["--correlation", o.correlation] : [];
};

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function run(cmd, args, { allowFail = false } = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20 });
  if (!allowFail && (r.error || r.status !== 0)) {
    throw new Error(`${cmd} ${args.join(" ")} failed (${r.error?.message ?? `status ${r.status}`}): ${r.stderr}`);
  }
  return r;
}

// /usr/bin/time gives the peak RSS and the CPU time (user + system, which other processes on a
// busy machine disturb less than the wall time); without it both are reported as unknown.
const HAVE_TIME = fs.existsSync("/usr/bin/time");

/**
 * Runs `lagmix fit` on `file` `runs` times (text output to a pipe, as a user would) and once
 * with --json for the estimates. Wall time is measured around the child, so it includes process
 * start, reading the file, every stage and printing.
 */
export function timeNative(cli, file, formula, runs = 5, extra = []) {
  const args = ["fit", file, "--formula", formula, "--id", "id", "--time", "time", ...extra];
  const seconds = [];
  const cpu = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = HAVE_TIME ? run("/usr/bin/time", ["-f", "%U %S %M", cli, ...args]) : run(cli, args);
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (HAVE_TIME) {
      const [user, system, kb] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
      cpu.push(user + system);
      rss.push(kb * 1024);
    }
  }
  const json = JSON.parse(run(cli, [...args, "--json"]).stdout);
  const within = json.fixed.find((f) => f.term === "within(x)");
  return {
    seconds: median(seconds),
    all: seconds,
    cpuSeconds: cpu.length ? median(cpu) : null,
    peakRss: rss.length ? Math.max(...rss) : null,
    estimate: within?.estimate,
    df: within?.df,
    warnings: json.warnings ?? [],
  };
}

/** Per-stage times (ms) from the stages example: frame, panel, design, model, fit, full-infer. */
export function stages(exe, file, formula, runs = 3, correlation = "") {
  const all = [];
  for (let i = 0; i < runs; i++) {
    const out = run(exe, [file, formula, "id", "time", ...(correlation ? [correlation] : [])]).stdout;
    const ms = {};
    for (const m of out.matchAll(/([a-z-]+) ([\d.]+)(ns|µs|us|ms|s)\b/g)) {
      const scale = { ns: 1e-6, "µs": 1e-3, us: 1e-3, ms: 1, s: 1e3 }[m[3]];
      ms[m[1]] = Number(m[2]) * scale;
    }
    const evals = out.match(/\((\d+) evals\)/);
    ms.evaluations = evals ? Number(evals[1]) : null;
    all.push(ms);
  }
  const keys = Object.keys(all[0]);
  return Object.fromEntries(keys.map((k) => [k, median(all.map((s) => s[k]))]));
}

/** Whether Rscript with lmerTest and jsonlite is usable here. */
export function haveR() {
  const r = spawnSync("Rscript", ["-e", "suppressPackageStartupMessages({library(lmerTest); library(jsonlite)})"], {
    encoding: "utf8",
  });
  return !r.error && r.status === 0;
}

/**
 * lme4 + lmerTest fit-and-summary seconds (median of `runs`; R's CSV reading not counted); for
 * the ar1 model nlme's lme with corAR1 (bench/lme4.R).
 */
export function timeR(file, model, runs) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = run("Rscript", ["bench/lme4.R", file, model]);
    results.push(JSON.parse(r.stdout.trim().split("\n").pop()));
  }
  return {
    seconds: median(results.map((r) => r.seconds)),
    all: results.map((r) => r.seconds),
    estimate: results[0].estimate,
    df: results[0].df,
    warnings: [].concat(results[0].warnings ?? []),
  };
}

/** Version strings and the machine, for the report. */
export function environment() {
  const text = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: "utf8" });
    return r.error || r.status !== 0 ? null : (r.stdout || r.stderr).trim().split("\n")[0];
  };
  const cpuinfo = fs.readFileSync("/proc/cpuinfo", "utf8");
  const meminfo = fs.readFileSync("/proc/meminfo", "utf8");
  const memKb = Number(meminfo.match(/MemTotal:\s+(\d+)/)?.[1] ?? 0);
  const rPkg = (p) => text("Rscript", ["-e", `cat(as.character(packageVersion("${p}")))`]);
  return {
    nproc: text("nproc", []),
    cpu: cpuinfo.match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown",
    memoryGiB: (memKb / 1024 / 1024).toFixed(1),
    rustc: text("rustc", ["--version"]),
    node: process.version,
    chromium: text(process.env.CHROMIUM_PATH || "/usr/bin/chromium", ["--version"]),
    r: text("Rscript", ["--version"]),
    lme4: rPkg("lme4"),
    lmerTest: rPkg("lmerTest"),
  };
}

/** The 1-minute load average (a noisy machine makes noisy numbers). */
export const loadAverage = () => Number(fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
