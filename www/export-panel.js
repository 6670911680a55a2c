// Step 5, export: the results as CSV (full precision) and JSON (with every compared model), the
// derived data and the random effects from the worker, the printable report; the Word report and
// the R scripts are export-report.js's.
import * as render from "./render.js";
import { $ } from "./host.js";
import { state } from "./state.js";
import { request, withProgress } from "./engine.js";
import { showError, clearError } from "./messages.js";
import { download } from "./dom-tables.js";
import { ensureLoaded } from "./data-panel.js";
import { comparedModels } from "./comparison.js";

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

/** The JSON export: the fit and descriptives, and every model of the comparison (full precision). */
const resultsJson = () => ({
  fit: state.fit,
  description: state.description,
  comparison: comparedModels().map((m) => ({ name: m.name, fileName: m.data.fileName, options: m.options, fit: m.fit })),
});

/** Wires the export buttons. */
export function initExportPanel() {
  $("export-csv").addEventListener("click", () => state.fit && download("lagmix-results.csv", render.resultsCsv(state.fit), "text/csv"));
  $("export-json").addEventListener("click", () =>
    state.fit && download("lagmix-results.json", JSON.stringify(resultsJson(), null, 2), "application/json"));
  $("export-derived").addEventListener("click", exportDerived);
  $("export-ranef").addEventListener("click", exportRandomEffects);
  $("print-report").addEventListener("click", () => window.print());
}
