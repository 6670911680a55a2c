// The Comparison panel (#comparison): every model fitted in this session, kept in memory only
// (never in storage: a fit holds per-person numbers), as columns of one publication table that
// the user can rename, reorder and remove, copy as rich text for Word, and test against each
// other with a likelihood-ratio test (the worker's `compare` request: lme4's anova on the rows
// both models can use). The table itself is built by comparison-table.js (pure, tested).
import { $ } from "./host.js";
import { comparisonTable, differences, lrtSentence, modelEntry, sameModel, tableHtml, tableTsv } from "./comparison-table.js";

const models = [];
let context = null;
let counter = 0;

/** `ask(type, payload)` runs a worker request with progress; `currentData()` says which data
 *  the worker holds ({key, fileName}); `decimals()` is the page's choice (3 or 2). */
export function initComparison(ctx) {
  context = ctx;
  $("comparison-interval").addEventListener("change", render);
  $("comparison-stars").addEventListener("change", render);
  $("copy-comparison").addEventListener("click", copyTable);
  $("lrt-button").addEventListener("click", likelihoodRatioTest);
}

/** Adds a fitted model as a new column, or replaces the column of the same model and data. */
export function addModel({ fit, options, data, rowsKey }) {
  const entry = modelEntry({ fit, options, data, rowsKey, name: `Model ${++counter}` });
  const old = models.findIndex((m) => sameModel(m, entry));
  if (old >= 0) {
    entry.name = models[old].name;
    models[old] = entry;
  } else {
    models.push(entry);
  }
  render();
}

/** The models in their current order (for the Word report and the R script). */
export const comparedModels = () => models.slice();

/** The table as the page shows it (for the Word report), or null without models. */
export function currentTable() {
  return models.length ? comparisonTable(models, tableOptions()) : null;
}

/** Re-draws the table (the decimals changed). */
export function refreshComparison() {
  if (models.length) render();
}

function tableOptions() {
  return {
    interval: $("comparison-interval").value,
    withStars: $("comparison-stars").checked,
    decimals: context?.decimals() ?? 3,
  };
}

function render() {
  $("comparison-step").hidden = models.length === 0;
  renderList();
  const table = comparisonTable(models, tableOptions());
  fillComparisonTable($("comparison-table"), table);
  $("comparison-notes").textContent = table.notes.join(" ");
  renderTestChoices();
}

function renderList() {
  const list = $("comparison-models");
  list.replaceChildren();
  const marks = differences(models);
  models.forEach((m, i) => {
    const li = document.createElement("li");
    const input = Object.assign(document.createElement("input"), { type: "text", value: m.name, spellcheck: false });
    input.setAttribute("aria-label", `Column name of ${m.name} (${m.fit.formula})`);
    input.addEventListener("change", () => {
      m.name = input.value.trim() || m.name;
      render();
      $("comparison-models").children[i]?.querySelector("input")?.focus();
    });
    const formula = Object.assign(document.createElement("span"), { className: "formula", textContent: m.fit.formula });
    const mark = marks[i]
      ? Object.assign(document.createElement("span"), {
          className: "mark",
          textContent: marks[i] === "file" ? ` (other file: ${m.data.fileName})` : ` (other rows: ${m.fit.nobs} observations)`,
        })
      : "";
    li.append(input, " ", formula, mark, moveButton(i, -1, "Move left"), moveButton(i, 1, "Move right"), removeButton(i));
    list.append(li);
  });
}

function moveButton(i, step, label) {
  const b = Object.assign(document.createElement("button"), { type: "button", textContent: step < 0 ? "←" : "→" });
  b.setAttribute("aria-label", `${label}: ${models[i].name}`);
  b.disabled = i + step < 0 || i + step >= models.length;
  b.addEventListener("click", () => {
    [models[i], models[i + step]] = [models[i + step], models[i]];
    render();
    $("comparison-models").children[i + step]?.querySelectorAll("button")[step < 0 ? 0 : 1]?.focus();
  });
  return b;
}

function removeButton(i) {
  const b = Object.assign(document.createElement("button"), { type: "button", textContent: "Remove" });
  b.setAttribute("aria-label", `Remove ${models[i].name} from the comparison`);
  b.addEventListener("click", () => {
    const [gone] = models.splice(i, 1);
    render();
    context?.status(`Removed ${gone.name} from the comparison.`);
    $("comparison-models").querySelector("input")?.focus();
  });
  return b;
}

/** Draws the table structure into a <table> (the first column as row headers). */
export function fillComparisonTable(element, table) {
  element.replaceChildren();
  const head = element.createTHead().insertRow();
  for (const h of table.head) head.append(Object.assign(document.createElement("th"), { scope: "col", textContent: h }));
  const body = element.createTBody();
  for (const r of table.rows) {
    const tr = body.insertRow();
    tr.className = r.kind;
    const th = Object.assign(document.createElement("th"), { scope: "row", textContent: r.kind === "p" ? "p" : r.label });
    tr.append(th);
    for (const c of r.cells) tr.insertCell().textContent = c;
  }
}

/**
 * Copies the table as rich text (text/html, which Word and LibreOffice paste as a real table)
 * and as tab-separated text. Through a copy event rather than navigator.clipboard.write:
 * Chromium parses HTML given to the async clipboard in the page, where the CSP (style-src
 * 'self') refuses the table's inline styles.
 */
function copyTable() {
  const table = currentTable();
  if (!table) return;
  const html = tableHtml(table, { number: 2, title: "Mixed models side by side" });
  const button = $("copy-comparison");
  let copied = false;
  const onCopy = (event) => {
    event.clipboardData.setData("text/html", html);
    event.clipboardData.setData("text/plain", tableTsv(table));
    event.preventDefault();
    copied = true;
  };
  document.addEventListener("copy", onCopy);
  try {
    document.execCommand("copy");
  } finally {
    document.removeEventListener("copy", onCopy);
  }
  if (copied) {
    button.textContent = "Copied";
    context?.status("Copied the table: paste it into Word or LibreOffice as a table.");
  } else {
    // Copying refused: select the table so Ctrl+C copies it as a table.
    const range = document.createRange();
    range.selectNode($("comparison-table"));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    button.textContent = "Selected: press Ctrl+C";
  }
  setTimeout(() => (button.textContent = "Copy table for Word"), 2500);
}

function renderTestChoices() {
  for (const [id, pick] of [["lrt-a", 0], ["lrt-b", 1]]) {
    const select = $(id);
    const keep = select.value;
    select.replaceChildren(...models.map((m, i) => new Option(`${m.name}: ${m.fit.formula}`, String(i))));
    select.value = keep && Number(keep) < models.length ? keep : String(Math.min(pick, models.length - 1));
  }
  $("lrt-button").disabled = models.length < 2;
}

async function likelihoodRatioTest() {
  const [a, b] = [models[Number($("lrt-a").value)], models[Number($("lrt-b").value)]];
  const out = $("lrt-result");
  if (!a || !b || a === b) {
    out.textContent = "Choose two different models.";
    return;
  }
  const current = context.currentData().key;
  if (a.data.key !== current || b.data.key !== current) {
    out.textContent = "Both models must be fitted to the data set loaded now: a likelihood-ratio test compares two models on the same rows.";
    return;
  }
  const refit = $("lrt-refit").checked;
  try {
    const result = await context.ask("compare", { models: [a.options, b.options], refit });
    if (!result) return;
    out.textContent = lrtSentence(result.comparison, [a, b]);
  } catch (e) {
    out.textContent = e.message;
  }
}
