// The page's entry: wires one module per step or panel and starts the computing engine.
//   data-panel.js     1. data and 2. roles (reading in the worker, preview, persons, missing)
//   items.js          questionnaire items: reshape, reliability, scale scores
//   model-panel.js    3. model (presets, formula, REML/ML, df) and Fit
//   results-panel.js  4. the model's results and Table 1, the section buttons
//   figure-panel.js   the figures (figures.js draws figure-specs.js's specs)
//   comparison.js     the models side by side (comparison-table.js builds the table)
//   export-panel.js   5. CSV, JSON, derived data, random effects, print; export-report.js: .docx, R
// Shared: state.js (the page's state, memory only), engine.js (the worker, progress, Cancel),
// messages.js (errors and status), dom-tables.js, settings.js (the URL hash, never data). All
// formatting is pure and tested in Node (render.js, figure-specs.js, comparison-table.js, ...).
import * as render from "./render.js";
import { $ } from "./host.js";
import { state } from "./state.js";
import { request, startWorker, cancel } from "./engine.js";
import { showError, clearError, status, fileHint } from "./messages.js";
import { fillTable, download } from "./dom-tables.js";
import { applyHashSettings } from "./settings.js";
import { watchScrollRegions } from "./a11y.js";
import { initDataPanel, loadFile, ask, currentData } from "./data-panel.js";
import { initModelPanel, updateVariables } from "./model-panel.js";
import { initResultsPanel, decimals } from "./results-panel.js";
import { initFigurePanel } from "./figure-panel.js";
import { initComparison } from "./comparison.js";
import { initExportPanel } from "./export-panel.js";
import { initExports } from "./export-report.js";
import * as items from "./items.js";

function wire() {
  applyHashSettings();
  watchScrollRegions();
  initDataPanel({ rolesApplied: updateVariables });
  initModelPanel();
  initResultsPanel();
  $("cancel-button").addEventListener("click", cancel);
  initExportPanel();
  const panel = { ask, showError, status, decimals, download, currentData };
  initFigurePanel(panel);
  initComparison(panel);
  initExports({
    ...panel,
    state: () => ({ fit: state.fit, options: state.fitOptions, description: state.description, version: state.version, fileName: state.fileName, dataKey: currentData().key, na: $("na-codes").value }),
  });
  items.init({ request, loadFile, state, fillTable, showError, clearError, columnsChanged: () => {
    fillTable($("columns"), render.columnsTable(state.columns, state.labels));
    updateVariables();
  } });
  startWorker();
  if (fileHint) showError(fileHint.trim());
}

wire();
