// Turns the measurements of bench/run.mjs into docs/benchmarks.md: the main table, the stage
// breakdowns, agreement with lme4, the issue-4 goals (met or not) and the machine.
import fs from "node:fs";
import { offlineGoals } from "./offline.mjs";

const fmt = (x, digits = 3) => (x === null || x === undefined || Number.isNaN(x) ? "–" : x.toFixed(digits));
const mb = (bytes) => (bytes ? (bytes / 1e6).toFixed(1) : "–");
const times = (bytes, csv) => (bytes ? `${mb(bytes)} (${(bytes / csv).toFixed(1)}×)` : "–");
const ms = (x) => (x === null || x === undefined ? "–" : x < 10 ? x.toFixed(1) : x.toFixed(0));

function table(header, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map((_, i) => (i < 2 ? "---" : "---:"))), ...rows.map(line)].join("\n");
}

/** The issue-4 goals as [description, met?, measured] (met is null when not measured). */
export function goals(results, kenwardRoger = []) {
  const find = (rows, model) => results.find((r) => r.rows === rows && r.model === model);
  const out = [];
  for (const model of ["slopes", "intercept", "lagged"]) {
    const big = find(1e6, model);
    const mid = find(1e5, model);
    if (big) out.push([`native ${model}, 10^6 rows ≤ 1.0 s`, big.native.seconds <= 1.0, `${fmt(big.native.seconds)} s`]);
    if (mid) out.push([`native ${model}, 10^5 rows ≤ 0.15 s`, mid.native.seconds <= 0.15, `${fmt(mid.native.seconds)} s`]);
    if (big?.wasm) out.push([`browser ${model}, 10^6 rows ≤ 2 s`, big.wasm.seconds <= 2, `${fmt(big.wasm.seconds)} s`]);
    for (const r of [mid, big]) {
      if (r?.lme4) {
        const ratio = r.lme4.seconds / r.native.seconds;
        out.push([`${model}, ${r.rows} rows: ≥ 30× faster than lme4`, ratio >= 30, `${ratio.toFixed(0)}×`]);
      }
    }
  }
  // Issue 10: AR(1) residuals (the R side is nlme's lme with corAR1).
  const ar1Mid = find(2e4, "ar1");
  const ar1Big = find(1e6, "ar1");
  if (ar1Mid?.lme4) {
    const ratio = ar1Mid.lme4.seconds / ar1Mid.native.seconds;
    out.push(["ar1, 20,000 rows: ≥ 50× faster than nlme's lme fit", ratio >= 50, `${ratio.toFixed(0)}×`]);
  }
  if (ar1Big) out.push(["native ar1, 10^6 rows ≤ 3 s", ar1Big.native.seconds <= 3, `${fmt(ar1Big.native.seconds)} s`]);
  if (ar1Big?.wasm) out.push(["browser ar1, 10^6 rows ≤ 6 s", ar1Big.wasm.seconds <= 6, `${fmt(ar1Big.wasm.seconds)} s`]);
  const longest = Math.max(...results.filter((r) => r.wasm).map((r) => r.wasm.longestTaskMs));
  if (Number.isFinite(longest)) out.push(["no main-thread task over 200 ms (all runs)", longest <= 200, `${ms(longest)} ms`]);
  const nativeRows = results.filter((r) => r.rows >= 1e5 && r.native.peakRss);
  if (nativeRows.length) {
    const nativeRatio = Math.max(...nativeRows.map((r) => r.native.peakRss / r.csvBytes));
    out.push(["native peak RSS ≤ 4× the CSV (sizes ≥ 10^5)", nativeRatio <= 4, `${nativeRatio.toFixed(1)}× at worst`]);
  }
  const wasmRows = results.filter((r) => r.rows >= 1e5 && r.wasm?.memory);
  if (wasmRows.length) {
    const wasmRatio = Math.max(...wasmRows.map((r) => r.wasm.memory / r.csvBytes));
    out.push(["wasm memory after the fit ≤ 4× the CSV (sizes ≥ 10^5)", wasmRatio <= 4, `${wasmRatio.toFixed(1)}× at worst`]);
  }
  // Issue 9: Kenward-Roger.
  for (const k of kenwardRoger) {
    if (k.satterthwaite) {
      const ratio = k.native.seconds / k.satterthwaite.seconds;
      out.push([`native slopes with Kenward-Roger, ${k.rows} rows: ≤ 1.5× the Satterthwaite fit`, ratio <= 1.5, `${ratio.toFixed(2)}×`]);
    }
    if (k.lme4) {
      const ratio = k.lme4.seconds / k.native.seconds;
      out.push([`slopes with Kenward-Roger, ${k.rows} rows: ≥ 50× faster than lmerTest's KR summary`, ratio >= 50, `${ratio.toFixed(0)}×`]);
    }
  }
  return out;
}

/** The Kenward-Roger rows (issue 9): lagmix KR, the same model with Satterthwaite, lmerTest KR. */
function kenwardRogerTable(kenwardRoger = []) {
  if (!kenwardRoger.length) return "";
  const rows = kenwardRoger.map((k) => [
    k.rows.toLocaleString("en"),
    fmt(k.native.seconds),
    fmt(k.satterthwaite?.seconds),
    k.satterthwaite ? `${(k.native.seconds / k.satterthwaite.seconds).toFixed(2)}×` : "–",
    fmt(k.lme4?.seconds, 1),
    k.lme4 ? `${(k.lme4.seconds / k.native.seconds).toFixed(0)}×` : "–",
  ]);
  return `## Kenward-Roger (issue 9)

The slopes model with \`--df kenward-roger\`, whole process as above, next to the same model with
Satterthwaite df, and lmerTest's \`summary(m, ddf = "Kenward-Roger")\` (pbkrtest 0.5.2, one run;
bench/lme4.R \`slopes-kr\`) on a 20,000-row panel (1,000 persons × 20 occasions).

${table(["Rows", "lagmix KR s", "lagmix Satterthwaite s", "KR / Satterthwaite", "lmerTest KR s", "lmerTest / lagmix"], rows)}
`;
}

function memoryTable(memory) {
  if (!memory) return "";
  const rows = memory.steps.map(([step, bytes]) => [step, mb(bytes), `${(bytes / memory.csvBytes).toFixed(1)}×`]);
  return `## Where the wasm memory goes

The wasm module's linear memory after each step, on ${memory.rows.toLocaleString("en")} rows in Node
(bench/wasm-memory.mjs: the same calls as the page's worker, in the page's order; memory never
shrinks, so each line is the peak so far).

${table(["After", "MB", "× CSV"], rows)}`;
}

/** The whole of docs/benchmarks.md. */
/** The hand-written block between <!-- notes --> and <!-- /notes --> of the page at `file`
 *  (empty when there is none): it survives regeneration. */
export function handWrittenNotes(file) {
  const previous = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  return previous.match(/<!-- notes -->[\s\S]*?<!-- \/notes -->/)?.[0] ?? "";
}

export function markdown({ results, kenwardRoger, env, load, browserVersion, date, notes, memory, offline }) {
  const main = table(
    ["Rows", "Model", "CSV MB", "lagmix native s", "native CPU s", "lagmix wasm s", "lme4 s", "lme4 / native", "native peak RSS MB (× CSV)", "wasm memory MB (× CSV)", "longest main-thread task ms"],
    results.map((r) => [
      r.rows.toLocaleString("en"),
      r.model,
      mb(r.csvBytes),
      fmt(r.native.seconds),
      fmt(r.native.cpuSeconds, 2),
      fmt(r.wasm?.seconds),
      fmt(r.lme4?.seconds, 2),
      r.lme4 ? `${(r.lme4.seconds / r.native.seconds).toFixed(0)}×` : "–",
      times(r.native.peakRss, r.csvBytes),
      times(r.wasm?.memory, r.csvBytes),
      ms(r.wasm?.longestTaskMs),
    ]),
  );
  const stageKeys = ["frame", "panel", "design", "model", "fit", "full-infer"];
  const nativeStages = table(
    ["Rows", "Model", ...stageKeys.map((k) => `${k} ms`), "evaluations"],
    results.map((r) => [r.rows.toLocaleString("en"), r.model, ...stageKeys.map((k) => ms(r.stages[k])), String(r.stages.evaluations ?? "–")]),
  );
  const webKeys = ["reading", "parsing", "roles", "transforming", "fitting"];
  const webStages = table(
    ["Rows", "Model", "load s", "fit s", ...webKeys.map((k) => `${k} ms`)],
    results
      .filter((r) => r.wasm)
      .map((r) => [r.rows.toLocaleString("en"), r.model, fmt(r.wasm.loadSeconds), fmt(r.wasm.fitSeconds), ...webKeys.map((k) => ms(r.wasm.stageMs[k]))]),
  );
  const diffs = results.filter((r) => r.lme4).map((r) => Math.abs(r.native.estimate - r.lme4.estimate));
  const webDiffs = results.filter((r) => r.wasm).map((r) => Math.abs(r.native.estimate - r.wasm.estimate));
  const goalLines = [...goals(results, kenwardRoger), ...(offline ? offlineGoals(offline) : [])].map(([what, met, value]) => `- ${met === null ? "–" : met ? "met" : "**not met**"}: ${what} (${value})`);
  return `# Benchmarks

Generated by \`npm run bench\` (bench/run.mjs) on ${date}. Re-run it to refresh this page.

${notes.handWritten || "<!-- notes -->\n<!-- /notes -->"}

## How the numbers were taken

- Data: bench/make_panel.mjs (fixed seed): 10^3 rows = 100 persons × 10 occasions, 10^4 = 500 × 20, 2 × 10^4 = 1,000 × 20,
  10^5 = 1,000 × 100, 10^6 = 10,000 × 100; columns id, time, x, y with about 5% of y missing.
- Models: \`slopes\` is \`y ~ within(x) + between(x) + (within(x) | id)\`, \`intercept\` is
  \`y ~ within(x) + between(x) + (1 | id)\`, \`lagged\` is the reference study's within-person
  model \`lead(within(y)) ~ within(y) + within(x) + between(x) + (1 | id)\`; REML with
  Satterthwaite df (the defaults). \`ar1\` is the intercept model with AR(1) residuals within person
  (\`--correlation ar1\`, between-within df); its R column is nlme's
  \`lme(y ~ wx + bx, random = ~ 1 | id, correlation = corAR1(form = ~ time | id))\`, timed up to
  2 × 10^4 rows (it needs minutes beyond).
- **lagmix native**: the release CLI, \`lagmix fit FILE --formula F --id id --time time\`, the whole
  process (start, reading the file, every stage, printing the summary), median of ${notes.nativeRuns} runs
  (wall time). Peak RSS (the largest of the runs) and CPU time (user + system, median; 10 ms
  resolution) from \`/usr/bin/time\`: on a busy machine the CPU time is the steadier number.
- **lagmix wasm**: the page in headless Chromium ${browserVersion} (playwright-core), file chosen
  through #file-input, then Fit. Time = (file chosen → columns read) + (Fit clicked → results
  shown), measured inside the page, so the time playwright needs to hand over the file and the
  pause before the click are not counted. Median of ${notes.browserRuns} runs, each in a fresh page, the
  models taking turns run by run (the machine's speed drifts over minutes). Memory: the
  wasm module's linear memory after the fit (\`memory.buffer.byteLength\`; it never shrinks, so it
  is the peak of the wasm heap; the JS heap and the file's bytes held by the worker are not in it).
  Long tasks: a PerformanceObserver for 'longtask' injected before the page's scripts; the longest
  main-thread task between choosing the file and seeing the results, over all runs.
- **lme4**: bench/lme4.R, lme4 + lmerTest fit and \`summary()\` (Satterthwaite df) including the
  person-mean centering, R's CSV reading not counted; ${notes.rRuns}.
- Machine load: the 1-minute load average was ${load.start.toFixed(2)} at the start and
  ${load.end.toFixed(2)} at the end. ${notes.load}

## Results

${main}

## Goals (issues 4 and 13)

${goalLines.join("\n")}

${kenwardRogerTable(kenwardRoger)}
## Where the native time goes

Per stage, from \`cargo run --release --example stages\` (median of 3; in one process, so no
process start or printing; \`full-infer\` is a second, complete fit with Satterthwaite df, as the
CLI does it, and is the number to compare with the whole process).

${nativeStages}

## Where the browser time goes

Stages as the page's progress bar shows them (the run with the median time): reading = the
worker reading the file in chunks and typing the columns as they come; parsing = the last
checks; roles = the person/occasion panel and the data summaries (including the per-occasion
descriptives of every numeric column); transforming = within/between and the design; fitting =
the fit, Satterthwaite df and the descriptives of outcome and predictor (the results are
rendered after it).

${webStages}

${memoryTable(memory)}

## Agreement

- Largest |lagmix − lme4| in the within(x) estimate: ${diffs.length ? Math.max(...diffs).toExponential(2) : "not measured (no R)"}.
- Largest |native − wasm| in the within(x) estimate: ${webDiffs.length ? Math.max(...webDiffs).toExponential(2) : "not measured"}.

## Machine and versions

- ${env.nproc} cores, ${env.cpu}, ${env.memoryGiB} GiB memory
- ${env.rustc}; node ${env.node}; ${env.chromium ?? "Chromium " + browserVersion}
- ${env.r ?? "R not installed"}; lme4 ${env.lme4 ?? "–"}; lmerTest ${env.lmerTest ?? "–"}
`;
}
