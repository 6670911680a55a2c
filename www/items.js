// DOM wiring for issue 11's page steps: the offer to reshape a wide file (in the data step) and
// the questionnaire-items panel (alpha, within/between alpha, a score column for the model).
// Talks to the worker through main.js's request(); formatting lives in items-render.js.
import * as ir from "./items-render.js";
import { $ } from "./host.js";
import { labelledName, fullName } from "./labels.js";
// Set by init: {request, loadFile, state, fillTable, columnsChanged, showError, clearError}.
let page = null;
let wide = null;
let longCsv = null;
// The reshape asked for: {file, options}; every load of that file (a sheet or "Read as" chosen,
// the reading options, a new worker after a cancel) reads it wide and reshapes it again.
let reshaping = null;
// The score columns added to the loaded data, to add again when a new worker reads the file
// after a cancel (the worker's copy of the data is gone with it).
let scores = [];

/** Wires the controls; `context` gives main.js's request, loadFile, state and table filler. */
export function init(context) {
  page = context;
  $("wide-reshape").addEventListener("click", reshape);
  $("wide-download").addEventListener("click", downloadLong);
  $("items-prefix").addEventListener("input", () => refreshItems());
  $("items-alpha").addEventListener("click", computeAlpha);
  $("score-add").addEventListener("click", addScore);
  $("score-name").addEventListener("input", () => ($("score-name").dataset.edited = "1"));
}

/** The reshape options for a load of `file` (null: read it as it is). */
export function reshapeFor(file) {
  return reshaping && reshaping.file === file ? reshaping.options : null;
}

/** Called by data-panel.js after every load: offers the reshape for a wide file, says what a reshape did, lists the items. */
export function dataLoaded(loaded, file, name) {
  scores = [];
  if (!loaded.reshaped) reshaping = null;
  wide = loaded.wide ? { file, name, guess: loaded.wide } : null;
  $("wide-offer").hidden = !wide;
  if (wide) {
    $("wide-text").textContent = ir.wideOffer(wide.guess);
    $("wide-time").value = wide.guess.time;
  }
  longCsv = loaded.reshaped ? loaded.reshaped.csv : null;
  $("reshape-done").hidden = !loaded.reshaped;
  if (loaded.reshaped) {
    const { summary } = loaded.reshaped;
    $("reshape-note").textContent = [ir.reshapeSummary(summary, reshaping?.options.time), ...summary.warnings].join(" ");
  }
  $("items-result").hidden = true;
  $("score-note").textContent = "";
  refreshItems();
}

async function reshape() {
  if (!wide) return;
  const { file, name, guess } = wide;
  const time = $("wide-time").value.trim() || guess.time;
  const options = { id: guess.id, time, sep: guess.sep };
  page.clearError();
  reshaping = { file, options };
  // The file is read again (with the sheet and SPSS choices made) and reshaped as it loads.
  const ok = await page.loadFile(file, name + ir.RESHAPED, { id: guess.id, time });
  if (!ok) {
    // The error is shown; the wide data are read again when next used.
    reshaping = null;
    page.state.fileName = name;
    page.state.workerHasData = false;
  }
}

function downloadLong() {
  if (!longCsv) return;
  const url = URL.createObjectURL(new Blob([longCsv], { type: "text/csv" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = ir.LONG_CSV;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ---- the items panel ------------------------------------------------------------------------
function refreshItems() {
  const roles = [$("id-column").value, $("time-column").value];
  const names = ir.itemsByPrefix(page.state.columns, $("items-prefix").value.trim(), roles);
  const list = $("items-list");
  list.replaceChildren();
  const legend = document.createElement("legend");
  legend.textContent = "Items: tick to use; tick R for a reverse-keyed item";
  list.append(legend);
  for (const name of names) {
    const row = document.createElement("div");
    row.className = "item-row";
    const label = page.state.labels[name];
    const use = checkbox(`item-use-${name}`, name, "use", labelledName(name, label), true);
    if (label) use.title = fullName(name, label);
    row.append(use, checkbox(`item-rev-${name}`, name, "reverse", "R", false));
    list.append(row);
  }
  if (!$("score-name").dataset.edited) $("score-name").value = ir.scoreName(names);
}

function checkbox(id, item, role, text, checked) {
  const label = document.createElement("label");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.id = id;
  box.dataset.item = item;
  box.dataset.role = role;
  box.checked = checked;
  label.append(box, ` ${text}`);
  if (role === "reverse") label.title = `${item} is reverse-keyed`;
  return label;
}

function itemOptions() {
  const ticked = (role) =>
    [...$("items-list").querySelectorAll(`input[data-role="${role}"]`)].filter((b) => b.checked).map((b) => b.dataset.item);
  const items = ticked("use");
  const number = (id) => ($(id).value.trim() === "" ? undefined : Number($(id).value));
  return {
    items,
    reverse: ticked("reverse").filter((n) => items.includes(n)),
    min: number("items-min"),
    max: number("items-max"),
  };
}

async function computeAlpha() {
  page.clearError();
  try {
    const options = { ...itemOptions(), withinBetween: $("items-within-between").checked };
    const result = await page.request("reliability", { options });
    $("items-summary").textContent = ir.alphaSummary(result);
    $("items-multilevel").textContent = ir.multilevelSummary(result);
    $("items-warnings").textContent = result.warnings.join(" ");
    page.fillTable($("items-table"), ir.itemTable(result));
    $("items-result").hidden = false;
  } catch (e) {
    page.showError(e.message);
  }
}

async function addScore() {
  page.clearError();
  try {
    const share = Number($("score-missing").value) / 100;
    const options = {
      ...itemOptions(),
      name: $("score-name").value.trim(),
      kind: $("score-kind").value,
      maxMissing: Number.isFinite(share) ? share : 0.2,
    };
    const { rule, columns } = await page.request("score", { options });
    scores = [...scores.filter((s) => s.name !== options.name), options];
    page.state.columns = columns;
    page.columnsChanged();
    $("score-note").textContent = `Column "${options.name}" added: ${rule}. Use it in the model step (outcome, predictor or formula).`;
  } catch (e) {
    page.showError(e.message);
  }
}

/** Called by main.js when a new worker has read the file again: adds the scores back. */
export async function restoreScores() {
  for (const options of scores) page.state.columns = (await page.request("score", { options })).columns;
}
