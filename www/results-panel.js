// Step 4, the model's results: rows used, warnings, the fixed effects in APA style (3 or 2
// decimals), the type III tests, one APA sentence per effect with a copy button, the random
// effects, the fit statistics and Table 1 (descriptives per occasion); and the section buttons
// that take the keyboard or the eye to Model, Figures, Comparison or Descriptives.
import * as render from "./render.js";
import { $ } from "./host.js";
import { state } from "./state.js";
import { fillTable, fillKeyValue, copyText } from "./dom-tables.js";
import { anovaTable, anovaNote } from "./anova.js";
import { refreshComparison } from "./comparison.js";
import { residualCorrelationApa, residualCorrelationSentence } from "./correlation.js";

/** The page's choice of decimals for B, SE and CI (3, the reference study's, or 2). */
export const decimals = () => Number($("decimals").value) || 3;

export function showResults(fit, description, descriptionError) {
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
  fillTable($("fixed-effects"), render.fixedEffectsTable(fit.fixed, decimals()));
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
    const sentence = render.apaSentence(e, decimals());
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
  $("results-placeholder").hidden = true;
  $("results-h").scrollIntoView?.({ block: "start" });
}

/** Wires the decimals choice and the section buttons (each moves the focus to its section). */
export function initResultsPanel() {
  $("decimals").addEventListener("change", () => {
    if (state.fit) showResults(state.fit, state.description, state.descriptionError);
    refreshComparison();
  });
  for (const button of $("results").querySelectorAll(".section-nav button")) {
    button.addEventListener("click", () => {
      const section = $(button.dataset.section);
      if (section.hidden) return;
      section.scrollIntoView?.({ block: "start" });
      section.focus({ preventScroll: true });
    });
  }
}
