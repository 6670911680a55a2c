// DOM wiring for the page: reads the controls, talks to worker.js (which runs the wasm core) and
// puts the results on the page. All formatting lives in render.js. Data are kept in memory only
// (never in localStorage, sessionStorage, IndexedDB or cookies); settings go into the URL hash
// on the served page only (host.js: the embedded element keeps them to itself).
// The main thread never reads or parses the data: the File itself goes to the worker, which
// reports progress while it reads, transforms and fits; Cancel terminates it and starts a new one.
import * as render from "./render.js";
import { showFigures } from "./figures.js";
import { host, $ } from "./host.js";
import { watchScrollRegions } from "./a11y.js";
import * as items from "./items.js";
import { anovaTable, anovaNote } from "./anova.js";
import * as source from "./source.js";
import { correlationOptions, residualCorrelationApa, residualCorrelationSentence, wireCorrelation } from "./correlation.js";

// `file` is the loaded data (a File or Blob); `workerHasData` is false after a cancel, when the
// new worker must read the file again before it can fit.
const state = {
  file: null,
  fileName: "",
  columns: [],
  preview: null,
  workerHasData: false,
  fit: null,
  description: null,
  hashApplied: false,
};
const settingsFromHash = host.settingsInUrl ? render.decodeSettings(location.hash) : host.defaults;

// ---- messages -------------------------------------------------------------------------------
function showError(text) {
  const box = $("error");
  box.textContent = text;
  box.hidden = false;
  box.focus?.();
}
function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}
const status = (text) => ($("status").textContent = text);
const fileHint = host.startHint;

// ---- the worker -----------------------------------------------------------------------------
let worker = null;
let nextId = 1;
const pending = new Map();

function startWorker() {
  try {
    worker = host.makeWorker();
  } catch (e) {
    showError(`The computing engine could not be started: ${e.message}.${fileHint}`);
    return;
  }
  worker.onmessage = ({ data }) => {
    const p = pending.get(data.id);
    if (!p) return;
    if (data.progress) {
      p.onProgress?.(data.progress);
      return;
    }
    pending.delete(data.id);
    if (data.ok) p.resolve(data.value);
    else p.reject(Object.assign(new Error(data.message + (data.fatal ? fileHint : "")), { trapped: data.trapped }));
    // A trapped wasm instance is unusable: the page goes on with a new worker.
    if (data.trapped) restartWorker();
  };
  worker.onerror = (event) => {
    event.preventDefault?.();
    const text = `The computing engine failed to start${event.message ? `: ${event.message}` : ""}.${fileHint}`;
    for (const p of pending.values()) p.reject(new Error(text));
    pending.clear();
    showError(text);
  };
}

function request(type, payload, onProgress = showProgress) {
  if (!worker) startWorker();
  if (!worker) return Promise.reject(new Error("The computing engine is not available." + fileHint));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    worker.postMessage({ id, type, ...payload });
  });
}

function restartWorker() {
  worker?.terminate();
  worker = null;
  state.workerHasData = false;
  for (const p of pending.values()) p.reject(new Error("The computing engine was restarted."));
  pending.clear();
  startWorker();
}

/** Thrown to the waiting callers when the user cancels; they say so instead of an error. */
class Cancelled extends Error {}

function cancel() {
  if (!worker) return;
  worker.terminate();
  worker = null;
  state.workerHasData = false;
  const cancelled = new Cancelled("Cancelled.");
  for (const p of pending.values()) p.reject(cancelled);
  pending.clear();
  startWorker();
}

// ---- progress -------------------------------------------------------------------------------
// Each stage fills its own stretch of the bar; reading (which also types the columns as the
// chunks come) moves with the bytes read, the other stages are single steps of the core.
const STAGES = {
  reading: [0, 90, (p) => `Reading ${p.name}: ${mb(p.done)} of ${mb(p.total)} MB`],
  parsing: [90, 95, () => "Checking the columns…"],
  roles: [95, 99, () => "Finding persons and occasions…"],
  transforming: [0, 20, () => "Transforming (within, between, lag, lead) and building the model…"],
  fitting: [20, 95, () => "Fitting the model (REML or ML) and computing the degrees of freedom…"],
};
const mb = (bytes) => (bytes / 1e6).toFixed(1);
let progressName = "";

function showProgress({ stage, done, total }) {
  const [from, to, label] = STAGES[stage] ?? [0, 0, () => stage];
  const value = Math.round(from + (to - from) * (total ? Math.min(done / total, 1) : 0));
  const bar = $("progress-bar");
  bar.setAttribute("aria-valuenow", String(value));
  bar.setAttribute("aria-valuetext", `${value}%: ${stage}`);
  bar.dataset.stage = stage;
  $("progress-fill").style.width = `${value}%`;
  $("progress-label").textContent = label({ name: progressName, done, total });
  $("progress").hidden = false;
  // Screen readers hear each stage once (a live region), not every percent of the bar.
  if (stage && $("progress-live").dataset.stage !== stage) {
    $("progress-live").dataset.stage = stage;
    $("progress-live").textContent = $("progress-label").textContent;
  }
}

let busy = 0;

/**
 * Runs `work` with the progress bar and the Cancel button shown and Fit disabled (a fit asked
 * for while a file is being read would read it again); resolves to null if cancelled.
 */
async function withProgress(name, work) {
  busy++;
  progressName = name;
  showProgress({ stage: "", done: 0, total: 0 });
  $("progress-label").textContent = `Starting: ${name}…`;
  $("fit-button").disabled = true;
  try {
    return await work();
  } catch (e) {
    if (!(e instanceof Cancelled)) throw e;
    status("Cancelled. Choose a file or fit again when you are ready.");
    return null;
  } finally {
    // Another request (a new file chosen during a fit) may still be running.
    if (--busy === 0) {
      const bar = $("progress-bar");
      bar.setAttribute("aria-valuenow", "100");
      bar.dataset.stage = "done";
      $("progress-fill").style.width = "100%";
      $("progress").hidden = true;
      $("fit-button").disabled = false;
      delete $("progress-live").dataset.stage;
    }
  }
}

// ---- tables ---------------------------------------------------------------------------------
function fillTable(table, { header, rows, values }) {
  table.replaceChildren();
  const thead = table.createTHead().insertRow();
  for (const h of header) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    thead.append(th);
  }
  const body = table.createTBody();
  rows.forEach((row, i) => {
    const tr = body.insertRow();
    row.forEach((cell, j) => {
      const td = tr.insertCell();
      td.textContent = cell;
      const value = values?.[i]?.[j];
      if (value !== null && value !== undefined) td.dataset.value = String(value);
    });
  });
}

function fillKeyValue(table, pairs) {
  table.replaceChildren();
  const body = table.createTBody();
  for (const [k, v] of pairs) {
    const tr = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = k;
    tr.append(th);
    tr.insertCell().textContent = v;
  }
}

// The panel summary is shown generically: scalars as a key/value table, lists of records as tables.
function showPanelSummary(summary, error) {
  const box = $("panel-summary");
  box.replaceChildren();
  if (error || !summary) {
    const p = document.createElement("p");
    p.className = "hint";
    p.textContent = error || "Choose the person id and occasion columns to see persons and occasions.";
    box.append(p);
    return;
  }
  const scalars = [];
  for (const [key, value] of Object.entries(summary)) {
    const label = key.replace(/([A-Z])/g, " $1").toLowerCase();
    if (Array.isArray(value) && value.length && typeof value[0] === "object") {
      const h = document.createElement("h4");
      h.textContent = label[0].toUpperCase() + label.slice(1);
      const wrap = document.createElement("div");
      wrap.className = "scroll";
      const table = document.createElement("table");
      const header = Object.keys(value[0]);
      fillTable(table, { header, rows: value.map((r) => header.map((k) => render.num(r[k]))) });
      wrap.append(table);
      box.append(h, wrap);
    } else if (Array.isArray(value)) {
      scalars.push([label, value.map(render.num).join(", ")]);
    } else if (value === null || typeof value !== "object") {
      scalars.push([label, render.num(value)]);
    }
  }
  if (scalars.length) {
    const table = document.createElement("table");
    table.className = "kv";
    fillKeyValue(table, scalars);
    box.prepend(table);
  }
}

// ---- step 1 and 2: data and roles -----------------------------------------------------------
function readOptions(withRoles) {
  const options = { na: $("na-codes").value, delimiter: $("delimiter").value };
  if (withRoles) {
    options.id = $("id-column").value || undefined;
    options.time = $("time-column").value || undefined;
  }
  return options;
}

function setOptions(select, names, selected, empty) {
  select.replaceChildren();
  if (empty) select.append(new Option(empty, ""));
  for (const n of names) select.append(new Option(n, n));
  select.value = names.includes(selected) ? selected : empty !== undefined ? "" : names[0] ?? "";
}

async function loadFile(file, name, roles = {}) {
  clearError();
  status(`Reading ${name}…`);
  // From now on this is the data set: a role changed while it loads must not re-read the
  // previous file (loading applies the roles itself).
  const previous = { file: state.file, name: state.fileName, choices: source.snapshot() };
  if (file !== state.file) source.resetChoices();
  state.file = file;
  state.fileName = name;
  state.loading = true;
  try {
    await withProgress(name, async () => {
      state.workerHasData = false;
      const first = await request("load", { file, options: readOptions(false), importOptions: source.importOptions() });
      source.showSource($("source-info"), first.source, name, () => loadFile(state.file, state.fileName));
      state.columns = first.columns;
      state.preview = first.preview;
      items.dataLoaded(first, file, name);
      const names = first.columns.map((c) => c.name);
      const guess = render.guessRoles(names);
      const fromHash = state.hashApplied ? {} : settingsFromHash;
      setOptions($("id-column"), names, roles.id ?? fromHash.id ?? guess.id, "(none)");
      setOptions($("time-column"), names, roles.time ?? fromHash.time ?? guess.time, "(none)");
      await applyRoles(fromHash);
      state.workerHasData = true;
      state.hashApplied = true;
    });
  } catch (e) {
    status("");
    if (e.trapped && previous.file) {
      // The data loaded before stay: the new worker reads them again when they are used.
      state.file = previous.file;
      state.fileName = previous.name;
      source.restore(previous.choices);
    }
    showError(e.trapped ? `${name} could not be read: the computing engine stopped on it (${e.message}). ` +
      "It was restarted; the data loaded before are kept. Save the file again, or export it as CSV." : e.message);
  } finally {
    state.loading = false;
  }
}

// Not `id`: that key is the request's own number.
const rolesRequest = () => ({ idColumn: $("id-column").value || null, timeColumn: $("time-column").value || null });

async function applyRoles(fromHash = {}) {
  const loaded = await request("roles", rolesRequest());
  if (loaded.rolesError) showError(loaded.rolesError);
  showData(loaded);
  updateVariables(fromHash);
  status(`${state.fileName}: ${state.columns.length} columns read.`);
}

/** After a cancel the new worker has no data: read the file and set the roles again. */
async function ensureLoaded() {
  if (state.workerHasData) return;
  await request("load", { file: state.file, options: readOptions(false), importOptions: source.importOptions() });
  const loaded = await request("roles", rolesRequest());
  if (loaded.rolesError) throw new Error(loaded.rolesError);
  await items.restoreScores();
  state.workerHasData = true;
}

async function changeRoles() {
  if (state.loading) return;
  clearError();
  try {
    await withProgress(state.fileName, async () => {
      await ensureLoaded();
      await applyRoles();
    });
  } catch (e) {
    status("");
    showError(e.message);
  }
}

function showData(loaded) {
  $("data-info").hidden = false;
  $("data-name").textContent = state.fileName;
  fillTable($("preview"), { header: state.preview.names, rows: state.preview.rows });
  fillTable($("columns"), render.columnsTable(state.columns));
  showPanelSummary(loaded.summary, loaded.summaryError);
  const missing = $("missing-by-occasion");
  if (loaded.missing) {
    fillTable(missing, render.missingTable(loaded.missing));
    $("missing-note").textContent =
      `${loaded.missing.persons} persons × ${loaded.missing.occasions.length} occasions; ` +
      "a person without a row for an occasion counts as missing there.";
  } else {
    missing.replaceChildren();
    $("missing-note").textContent = loaded.missingError || "Choose the person id and occasion columns to see missing values per occasion.";
  }
}

function updateVariables(fromHash = {}) {
  const roles = [$("id-column").value, $("time-column").value];
  const numeric = state.columns
    .filter((c) => c.kind !== "text" && !roles.includes(c.name))
    .map((c) => c.name);
  const keepY = fromHash.outcome ?? $("outcome").value;
  const keepX = fromHash.predictor ?? $("predictor").value;
  setOptions($("outcome"), numeric, keepY);
  setOptions($("predictor"), numeric, numeric.includes(keepX) && keepX !== $("outcome").value ? keepX : numeric.find((n) => n !== $("outcome").value));
  showPresets(fromHash.formula);
}

function showPresets(formulaFromHash) {
  const list = $("preset-list");
  list.replaceChildren();
  const y = $("outcome").value, x = $("predictor").value;
  if (!y || !x || y === x) {
    list.textContent = "Choose two different numeric variables as outcome and predictor.";
    return;
  }
  const id = $("id-column").value || "id";
  const presets = render.allPresets(y, x, id);
  for (const p of presets) {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.preset = p.key;
    b.setAttribute("aria-pressed", String($("formula").value.trim() === p.formula));
    b.append(p.direction === "reverse" ? `Reverse: ${p.label}` : p.label);
    const code = document.createElement("span");
    code.className = "formula";
    code.textContent = p.formula;
    b.append(code);
    b.addEventListener("click", () => {
      $("formula").value = p.formula;
      markPreset();
    });
    list.append(b);
  }
  if (formulaFromHash) $("formula").value = formulaFromHash;
  else if (!$("formula").value.trim()) $("formula").value = presets[0].formula;
  markPreset();
}

function markPreset() {
  const f = $("formula").value.trim();
  for (const b of $("preset-list").querySelectorAll("button"))
    b.setAttribute("aria-pressed", String(b.querySelector(".formula").textContent === f));
}

// ---- step 3 and 4: fit and results ----------------------------------------------------------
function modelOptions() {
  return {
    formula: $("formula").value.trim(),
    reml: $("method-reml").checked,
    df: $("df-method").value,
    ...correlationOptions($("correlation").value, $("df-method").value),
  };
}

async function fit() {
  clearError();
  if (!state.file) {
    showError("Choose a data file (or the example data) first.");
    return;
  }
  const options = modelOptions();
  if (!options.formula) {
    showError("Write a model formula, for example  lead(spin) ~ spin + wai + (1 | id),  or choose one of the analyses above.");
    return;
  }
  const variables = [...new Set([$("outcome").value, $("predictor").value].filter(Boolean))];
  status("Fitting the model…");
  try {
    const fitted = await withProgress(state.fileName, async () => {
      await ensureLoaded();
      return request("fit", { options, variables });
    });
    if (!fitted) return;
    const { fit, description, descriptionError, figures, figuresError } = fitted;
    state.fit = fit;
    state.fitOptions = options;
    state.description = description;
    showResults(fit, description, descriptionError);
    showFigurePanel(fit, figures, figuresError);
    saveSettings();
    status(`Model fitted: ${fit.nobs} observations.`);
  } catch (e) {
    status("");
    showError(e.message);
  }
}

function showResults(fit, description, descriptionError) {
  $("results").hidden = false;
  $("export-step").hidden = false;
  $("fit-formula").textContent = fit.formula;
  $("fit-rows").textContent = render.missingSentence(fit);
  const warnings = $("warnings");
  warnings.replaceChildren();
  if (fit.warnings.length) {
    const ul = document.createElement("ul");
    for (const w of fit.warnings) ul.append(Object.assign(document.createElement("li"), { textContent: w }));
    warnings.append(ul);
  }
  fillTable($("fixed-effects"), render.fixedEffectsTable(fit.fixed));
  $("anova-block").hidden = !fit.anova?.length;
  fillTable($("anova"), anovaTable(fit.anova ?? []));
  $("anova-note").textContent = anovaNote(fit.dfMethod);
  fillTable($("random-effects"), render.randomEffectsTable(fit.varcorr));
  fillKeyValue($("fit-statistics"), render.fitStatistics(fit));
  const rc = fit.residualCorrelation;
  Object.assign($("residual-correlation"), { hidden: !rc, textContent: residualCorrelationSentence(rc) });
  const apa = $("apa");
  apa.replaceChildren();
  if (rc) apa.append(Object.assign(document.createElement("li"), { textContent: residualCorrelationApa(rc) }));
  for (const e of fit.fixed) {
    const li = document.createElement("li");
    const sentence = render.apaSentence(e);
    const term = Object.assign(document.createElement("span"), { className: "term", textContent: e.term + ": " });
    const text = Object.assign(document.createElement("span"), { className: "sentence", textContent: sentence });
    const copy = Object.assign(document.createElement("button"), { type: "button", textContent: "Copy" });
    copy.setAttribute("aria-label", `Copy the sentence for ${e.term}`);
    copy.addEventListener("click", () => copyText(sentence, copy, text));
    li.append(term, text, copy);
    apa.append(li);
  }
  if (description) {
    fillTable($("descriptives"), render.descriptivesTable(description));
    $("descriptives-note").textContent = `n = observed values, M = mean, SD = standard deviation; |change| = within-person absolute change from the previous occasion (a missed occasion gives none); ${description.persons} persons.`;
  } else {
    $("descriptives").replaceChildren();
    $("descriptives-note").textContent = descriptionError || "";
  }
  $("results-h").scrollIntoView?.({ block: "start" });
}

/** The figures of the fit's outcome and predictor, or why there are none. */
function showFigurePanel(fit, figures, figuresError) {
  const plots = $("plots");
  if (!figures) {
    plots.replaceChildren();
    $("figures-note").textContent = figuresError || "Figures need the person and time columns and an outcome and predictor.";
    return;
  }
  $("figures-note").textContent = `Figures of ${figures.variables.map((v) => v.variable).join(" and ")}, drawn from the data's summaries; each has SVG and PNG downloads and the numbers behind it.`;
  showFigures(plots, figures, fit);
}

async function copyText(text, button, span) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
    status("Copied the sentence to the clipboard.");
  } catch {
    // Clipboard refused (permissions, http): select the sentence so Ctrl+C works.
    const range = document.createRange();
    range.selectNodeContents(span);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    button.textContent = "Selected: press Ctrl+C";
  }
  setTimeout(() => (button.textContent = "Copy"), 2500);
}

function saveSettings() {
  if (!host.settingsInUrl) return;
  const hash = render.encodeSettings({
    id: $("id-column").value,
    time: $("time-column").value,
    outcome: $("outcome").value,
    predictor: $("predictor").value,
    formula: $("formula").value.trim(),
    method: $("method-ml").checked ? "ML" : "",
    df: $("df-method").value === "satterthwaite" ? "" : $("df-method").value,
    correlation: $("correlation").value === "none" ? "" : $("correlation").value,
    na: $("na-codes").value.trim(),
    delimiter: $("delimiter").value,
  });
  history.replaceState(null, "", hash || location.pathname + location.search);
}

// ---- step 5: export -------------------------------------------------------------------------
/** Offers `content` (text, or a Blob such as the worker's derived data) as a file. */
function download(name, content, type) {
  const url = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Asks the worker for a file of the current fit (`type`: derived, randomEffects) and offers it. */
async function exportFromWorker(name, type, payload) {
  if (!state.fit) return;
  clearError();
  try {
    const csv = await withProgress(state.fileName, async () => {
      await ensureLoaded();
      return request(type, { ...payload(), options: state.fitOptions });
    });
    if (csv !== null) download(name, csv, "text/csv");
  } catch (e) {
    showError(e.message);
  }
}

const exportDerived = () => exportFromWorker("lagmix-derived-data.csv", "derived", () => ({ formula: state.fit.formula }));
const exportRandomEffects = () => exportFromWorker("lagmix-random-effects.csv", "randomEffects", () => ({}));

// ---- wiring ---------------------------------------------------------------------------------
function applyHashSettings() {
  const s = settingsFromHash;
  if (s.formula) $("formula").value = s.formula;
  if (s.method === "ML") $("method-ml").checked = true;
  if (s.df) $("df-method").value = s.df;
  if (s.correlation) $("correlation").value = s.correlation;
  if (s.na) $("na-codes").value = s.na;
  if (s.delimiter) $("delimiter").value = s.delimiter;
}

function wire() {
  applyHashSettings();
  watchScrollRegions();
  wireCorrelation($("correlation"), $("correlation-help"), $("df-method"));
  $("file-input").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (file) await loadFile(file, file.name);
  });
  const zone = $("drop-zone");
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", async (e) => {
    e.preventDefault();
    zone.classList.remove("dragging");
    const file = e.dataTransfer.files[0];
    if (file) await loadFile(file, file.name);
  });
  $("example-button").addEventListener("click", async () => {
    clearError();
    try {
      await loadFile(await host.exampleData(), "example: synthetic internet-CBT trial (trial.csv)");
    } catch (e) {
      showError(`The example data could not be loaded (${e.message}).${fileHint}`);
    }
  });
  for (const id of ["delimiter", "na-codes"])
    $(id).addEventListener("change", () => state.file && loadFile(state.file, state.fileName));
  for (const id of ["id-column", "time-column"])
    $(id).addEventListener("change", () => state.file && changeRoles());
  for (const id of ["outcome", "predictor"]) $(id).addEventListener("change", () => showPresets());
  $("formula").addEventListener("input", markPreset);
  $("formula").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) fit();
  });
  $("fit-button").addEventListener("click", fit);
  $("cancel-button").addEventListener("click", cancel);
  $("export-csv").addEventListener("click", () => state.fit && download("lagmix-results.csv", render.resultsCsv(state.fit), "text/csv"));
  $("export-json").addEventListener("click", () =>
    state.fit && download("lagmix-results.json", JSON.stringify({ fit: state.fit, description: state.description }, null, 2), "application/json"));
  $("export-derived").addEventListener("click", exportDerived);
  $("export-ranef").addEventListener("click", exportRandomEffects);
  $("print-report").addEventListener("click", () => window.print());
  items.init({ request, loadFile, state, fillTable, showError, clearError, columnsChanged: () => {
    fillTable($("columns"), render.columnsTable(state.columns));
    updateVariables();
  } });
  startWorker();
  if (fileHint) showError(fileHint.trim());
}

wire();
