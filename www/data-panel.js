// Steps 1 and 2, data and roles: reading a file (CSV, workbook or SPSS, in the worker), the
// preview, the columns, persons and occasions, missing values per occasion, and the person id
// and occasion columns. Tells the model panel when the variables may have changed.
import * as render from "./render.js";
import { $, host } from "./host.js";
import { state } from "./state.js";
import { request, withProgress } from "./engine.js";
import { showError, clearError, status, fileHint } from "./messages.js";
import { fillTable, fillKeyValue } from "./dom-tables.js";
import { settingsFromHash } from "./settings.js";
import * as items from "./items.js";
import * as source from "./source.js";
import * as labels from "./labels.js";

const listeners = { rolesApplied: () => {} };

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

function readOptions(withRoles) {
  const options = { na: $("na-codes").value, delimiter: $("delimiter").value };
  if (withRoles) {
    options.id = $("id-column").value || undefined;
    options.time = $("time-column").value || undefined;
  }
  return options;
}

/** Fills a column menu: the names as values, each shown with its variable label (SPSS) if any. */
export function setOptions(select, names, selected, empty) {
  select.replaceChildren();
  if (empty) select.append(new Option(empty, ""));
  for (const n of names) select.append(labels.option(n, state.labels[n]));
  select.value = names.includes(selected) ? selected : empty !== undefined ? "" : names[0] ?? "";
}

export async function loadFile(file, name, roles = {}) {
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
      const first = await request("load", loadRequest(file));
      // What was read is said of the file itself, before any reshape.
      source.showSource($("source-info"), first.source, file.name || name, () => loadFile(state.file, state.fileName));
      state.columns = first.columns;
      state.labels = labels.labelMap(first.labels);
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
    return true;
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
    return false;
  } finally {
    state.loading = false;
  }
}

/** The load request of `file`: reading options, the sheet and SPSS choices, the reshape if asked for. */
const loadRequest = (file) => ({ file, options: readOptions(false), importOptions: source.importOptions(), reshape: items.reshapeFor(file) });

// Not `id`: that key is the request's own number.
const rolesRequest = () => ({ idColumn: $("id-column").value || null, timeColumn: $("time-column").value || null });

async function applyRoles(fromHash = {}) {
  const loaded = await request("roles", rolesRequest());
  if (loaded.rolesError) showError(loaded.rolesError);
  showData(loaded);
  listeners.rolesApplied(fromHash);
  status(`${state.fileName}: ${state.columns.length} columns read.`);
}

/** After a cancel the new worker has no data: read the file and set the roles again. */
export async function ensureLoaded() {
  if (state.workerHasData) return;
  await request("load", loadRequest(state.file));
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
  fillTable($("columns"), render.columnsTable(state.columns, state.labels));
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

/** A worker request for a panel, with the progress bar, after making sure the data are loaded. */
export const ask = (type, payload) =>
  withProgress(state.fileName, async () => {
    await ensureLoaded();
    return request(type, payload);
  });

/** Which data the worker holds: a model fitted to other data is marked in the comparison. */
export function currentData() {
  const key = [state.fileName, state.file?.size, $("id-column").value, $("time-column").value, $("na-codes").value, $("delimiter").value].join("|");
  return { key, fileName: state.fileName };
}

/** Wires the data and role controls; `rolesApplied(fromHash)` runs after the roles are set. */
export function initDataPanel({ rolesApplied }) {
  listeners.rolesApplied = rolesApplied;
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
}
