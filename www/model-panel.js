// Step 3, the model: outcome and predictor, the reference study's analyses as presets (both
// directions), the formula, REML/ML and the df method; Fit sends the model to the worker and hands
// the reply to the result panels (the model's tables, its figures, the comparison).
import * as render from "./render.js";
import { $ } from "./host.js";
import { state } from "./state.js";
import { request, withProgress } from "./engine.js";
import { showError, clearError, status } from "./messages.js";
import { ensureLoaded, currentData, setOptions } from "./data-panel.js";
import { saveSettings } from "./settings.js";
import { showResults } from "./results-panel.js";
import { showFigurePanel } from "./figure-panel.js";
import { addModel } from "./comparison.js";
import { correlationOptions, wireCorrelation } from "./correlation.js";

export function updateVariables(fromHash = {}) {
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

function modelOptions() {
  return {
    formula: $("formula").value.trim(),
    reml: $("method-reml").checked,
    df: $("df-method").value,
    ...correlationOptions($("correlation").value, $("df-method").value),
  };
}

export async function fit() {
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
    const { fit, description, descriptionError } = fitted;
    state.fit = fit;
    state.fitOptions = options;
    state.description = description;
    state.version = fitted.version;
    state.descriptionError = descriptionError;
    showResults(fit, description, descriptionError);
    showFigurePanel(fitted, options);
    addModel({ fit, options, data: currentData(), rowsKey: fitted.checks?.rowsKey });
    saveSettings();
    status(`Model fitted: ${fit.nobs} observations.`);
  } catch (e) {
    status("");
    // The last fit's results stay on the page (and in the comparison): say whose they are, so
    // that a failed fit on new data is not read as the old data's numbers being the new ones.
    const last = state.fit;
    const kept = last
      ? ` The results below are still those of the last model fitted: ${last.formula} (${last.nobs} observations).`
      : "";
    const ended = !kept || /[.!?]$/.test(e.message) ? e.message : `${e.message}.`;
    showError(`${ended}${kept}`);
  }
}

/** Wires the model controls and the Fit button (Ctrl+Enter in the formula fits too). */
export function initModelPanel() {
  wireCorrelation($("correlation"), $("correlation-help"), $("df-method"));
  for (const id of ["outcome", "predictor"]) $(id).addEventListener("change", () => showPresets());
  $("formula").addEventListener("input", markPreset);
  $("formula").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) fit();
  });
  $("fit-button").addEventListener("click", fit);
}
