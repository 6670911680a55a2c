// The page's computation thread: loads the wasm core and answers requests, so the page never
// freezes, even on a million rows. Holds at most one parsed data set (Analysis); data stay in
// memory only. The page cancels a request by terminating this worker and starting a new one.
//
// Requests {id, type, ...} -> replies {id, ok: true, value} or {id, ok: false, message}; while
// busy, a request may post {id, progress: {stage, done?, total?}} any number of times.
//   load     {file: Blob, options: {na, delimiter}, importOptions?: {sheet, factors, numeric},
//             reshape?: ReshapeOptions}
//              stages: reading (bytes, and typing the columns as they come), parsing (the
//              last checks); a workbook or SPSS file (known by its first bytes) is read whole;
//              with `reshape` the wide file (any format) is read whole and reshaped to long
//              -> {columns, preview, source: SourceInfo | null, wide: WideGuess | null,
//                  reshaped: {summary, labels, csv} | null, labels: [{name, label}]}
//              (labels: the variable labels of the loaded columns, SPSS only)
// A trap of the wasm instance (a reader's bug on a crafted file) makes the reply carry
// `trapped: true`: the instance is unusable, so the page starts a new worker.
//   roles    {idColumn, timeColumn}                      stage: roles
//              -> {summary?, summaryError?, missing?: Description, missingError?, rolesError?}
//   fit      {options: {formula, reml, df}, variables}    stages: transforming, fitting
//              -> {fit, version, description?, descriptionError?, figures?, figuresError?, checks?,
//                  checksError?, effect?, effectError?}
//              (figures: the figure data of the variables, [outcome, predictor]; checks: the
//              model checks thinned to at most 2,000 points each (model-checks.js); effect: the
//              fitted effect of the predictor's first term)
//   effect   {options, term}                              -> EffectCurve of `term` in that fit
//   rScript  {options, fileName, na}                       -> the R script of the fit (text)
//   rScriptCompare {models, refit, fileName, na}            -> the R script of a comparison
//   compare  {models: [{formula, reml, df}], refit}         stage: fitting
//              -> {comparison, fits} (lme4's anova of the models on their shared rows)
//   derived  {formula, options?}                           -> CSV file (Blob); with the fit's
//              options, its fitted values and residuals are columns too
//   randomEffects {options}                                -> CSV file (Blob) of the conditional
//              modes and SDs of the fit of `options`
//   reshape, reliability, score: see items-worker.js
import init, { initSync, Analysis, AnalysisBuilder, detectFormat, wasmMemoryBytes, lagmixVersion } from "./pkg/lagmix_wasm.js";
import { itemHandlers } from "./items-worker.js";
import { checkData } from "./model-checks.js";
import { defaultEffectTerm } from "./figure-specs.js";

// The single offline file (offline.js) puts the wasm bytes in front of this code, because a page
// opened from file:// may fetch nothing; everywhere else the glue fetches the .wasm next to it.
const start = self.lagmixWasmBytes ? async () => initSync({ module: self.lagmixWasmBytes }) : () => init();
const ready = start().then(
  () => null,
  (e) => `The computing engine (WebAssembly) could not be loaded: ${e && e.message ? e.message : e}`,
);
let analysis = null;
let roles = {};
// The options of the fit the Analysis holds (its outputs per group and per row come from it);
// null after a new load or new roles, or in a restarted worker.
let fittedOptions = null;

/** Makes sure the Analysis holds the fit of `options` (fitting again only when it does not). */
function ensureFit(options) {
  if (fittedOptions !== JSON.stringify(options)) {
    analysis.fit(options);
    fittedOptions = JSON.stringify(options);
  }
}

// The workbook and SPSS readers: a second wasm module, as large again as the main one, loaded
// only when such a file is opened.
let readersModule = null;
function loadReaders() {
  readersModule ??= import("./pkg/lagmix_readers_wasm.js").then(async (module) => {
    // In the single offline file the bytes are inside the worker's code (offline.js).
    const inline = self.lagmixReadersWasmBase64;
    if (inline) module.initSync({ module: Uint8Array.from(atob(inline), (c) => c.charCodeAt(0)) });
    else await module.default();
    return module;
  });
  return readersModule;
}

// For the benchmark (bench/browser.mjs reads it through the worker): the wasm linear memory.
self.lagmixMemoryBytes = () => wasmMemoryBytes();

// Per-variable descriptives for the current data and roles: the data step describes every
// numeric column and the fit describes outcome and predictor, the same work on a million rows
// (seconds), so each variable is described once.
let described = new Map();
let describedFrame = null;

function describe(variables) {
  const todo = variables.filter((v) => !described.has(v));
  if (todo.length) {
    const fresh = analysis.describe(todo);
    describedFrame = fresh;
    for (const v of fresh.variables) described.set(v.variable, v);
  }
  return { ...describedFrame, variables: variables.map((v) => described.get(v)) };
}

const message = (e) => (e && e.message ? e.message : String(e));

function attempt(f) {
  try {
    return { value: f() };
  } catch (e) {
    return { error: message(e) };
  }
}

const PIECE_BYTES = 64 * 1024;

/**
 * Feeds a Blob chunk by chunk to `push`, reporting the bytes read at most every 1%. The
 * browser decides how large a stream's chunks are (a whole small file may come as one); each
 * is handed on in pieces of at most 64 KiB, because every piece is copied into the engine's
 * memory, which never shrinks.
 */
async function readChunks(blob, push, progress) {
  const total = blob.size;
  let offset = 0;
  let reported = 0;
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (let i = 0; i < value.length; i += PIECE_BYTES) push(value.subarray(i, i + PIECE_BYTES));
    offset += value.length;
    if (offset - reported >= total / 100) {
      reported = offset;
      progress("reading", offset, total);
    }
  }
  progress("reading", offset, Math.max(total, offset));
}

/** The load reply: the columns, the first rows, what was read, and the wide offer or the reshape done. */
function loaded(source, labels) {
  const reshaped = analysis.reshapeSummary();
  return {
    columns: analysis.columns(),
    preview: analysis.preview(8),
    source,
    wide: reshaped ? null : analysis.wideGuess(),
    reshaped: reshaped && { ...reshaped, csv: analysis.longCsv() },
    labels: reshaped ? reshaped.labels : labels,
  };
}

const handlers = {
  async load({ file, options, importOptions, reshape }, progress) {
    // The old data set goes first so that two never share the memory.
    if (analysis) analysis.free();
    analysis = null;
    fittedOptions = null;
    roles = {};
    described = new Map();
    const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
    if (detectFormat(head) !== "csv") {
      // Workbooks and SPSS files are zip archives or indexed records: read whole, by the
      // readers module (loaded the first time one is opened).
      progress("reading", 0, file.size);
      const [buffer, readers] = await Promise.all([file.arrayBuffer(), loadReaders()]);
      progress("parsing");
      const read = readers.readFile(new Uint8Array(buffer), importOptions);
      const labels = read.source.variables.filter((v) => v.label).map((v) => ({ name: v.name, label: v.label }));
      if (reshape) {
        analysis = Analysis.fromWideCells(read.table, { ...reshape, labels }, options);
        return loaded(read.source, labels);
      }
      analysis = Analysis.fromCells(read.table, options);
      // Its R scripts read the file with readxl, readODS or haven.
      analysis.setSource(read.source.format, read.source.sheet ?? undefined);
      return loaded(read.source, labels);
    }
    if (reshape) {
      // A wide file has one row per person: small enough to read whole.
      progress("reading", 0, file.size);
      const bytes = new Uint8Array(await file.arrayBuffer());
      progress("parsing");
      analysis = Analysis.fromWide(bytes, reshape, options);
      return loaded(null, []);
    }
    const builder = new AnalysisBuilder(options);
    // Sizes the columns once from the file's size instead of growing them by doubling.
    builder.expectBytes(file.size);
    try {
      await readChunks(file, (chunk) => builder.push(chunk), progress);
    } catch (e) {
      builder.free();
      throw e;
    }
    progress("parsing");
    analysis = builder.finish();
    return loaded(null, []);
  },
  roles({ idColumn: id, timeColumn: time }, progress) {
    if (!analysis) throw new Error("Load a data set first.");
    progress("roles");
    fittedOptions = null;
    let rolesError;
    described = new Map();
    try {
      analysis.setRoles(id || undefined, time || undefined);
      roles = { id, time };
    } catch (e) {
      rolesError = message(e);
      analysis.setRoles(undefined, undefined);
      roles = {};
    }
    const summary = attempt(() => analysis.summary());
    // Missingness per occasion of every numeric column that is not the id or the time.
    const variables = analysis
      .columns()
      .filter((c) => c.kind === "numeric" && c.name !== roles.id && c.name !== roles.time)
      .map((c) => c.name);
    const missing = roles.id && roles.time && variables.length ? attempt(() => describe(variables)) : {};
    return {
      summary: summary.value,
      summaryError: summary.error,
      missing: missing.value,
      missingError: missing.error,
      rolesError,
    };
  },
  fit({ options, variables }, progress) {
    if (!analysis) throw new Error("Load a data set first.");
    fittedOptions = null;
    const fit = analysis.fit(options, (stage) => progress(stage));
    fittedOptions = JSON.stringify(options);
    const description = variables && variables.length ? attempt(() => describe(variables)) : {};
    // The association is drawn predictor (x) against outcome (y).
    const [y, x] = variables || [];
    const figures = description.value ? attempt(() => analysis.figureData(variables, x, y)) : {};
    const checks = attempt(() => checkData(analysis.fittedValues(), analysis.randomEffects()));
    const term = defaultEffectTerm(fit, x);
    const effect = term ? attempt(() => analysis.effectCurve(term)) : {};
    return {
      version: lagmixVersion(),
      checks: checks.value,
      checksError: checks.error,
      effect: effect.value,
      effectError: effect.error,
      fit,
      description: description.value,
      descriptionError: description.error,
      figures: figures.value,
      figuresError: figures.error,
    };
  },
  compare({ models, refit }, progress) {
    if (!analysis) throw new Error("Load a data set first.");
    progress("fitting");
    return analysis.compare(models, refit !== false);
  },
  effect({ options, term }) {
    if (!analysis) throw new Error("Load a data set first.");
    ensureFit(options);
    return analysis.effectCurve(term);
  },
  rScript({ options, fileName, na }) {
    if (!analysis) throw new Error("Load a data set first.");
    return analysis.rScript(options, fileName, na);
  },
  rScriptCompare({ models, refit, fileName, na }) {
    if (!analysis) throw new Error("Load a data set first.");
    return analysis.rScriptCompare(models, refit !== false, fileName, na);
  },
  derived({ formula, options }) {
    if (!analysis) throw new Error("Load a data set first.");
    if (options) ensureFit(options);
    // In parts of about 1 MB: the whole text is never one string in the module's memory.
    return new Blob(analysis.derivedCsvParts(formula), { type: "text/csv" });
  },
  randomEffects({ options }) {
    if (!analysis) throw new Error("Load a data set first.");
    ensureFit(options);
    return new Blob([analysis.randomEffectsCsv()], { type: "text/csv" });
  },
};

Object.assign(handlers, itemHandlers(() => analysis));

self.onmessage = async (event) => {
  const { id, type } = event.data;
  const failure = await ready;
  if (failure) {
    self.postMessage({ id, ok: false, message: failure, fatal: true });
    return;
  }
  const progress = (stage, done, total) => self.postMessage({ id, progress: { stage, done, total } });
  try {
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request ${type}`);
    self.postMessage({ id, ok: true, value: await handler(event.data, progress) });
  } catch (e) {
    const trapped = e instanceof WebAssembly.RuntimeError;
    if (trapped) analysis = null;
    self.postMessage({ id, ok: false, message: message(e), trapped });
  }
};
