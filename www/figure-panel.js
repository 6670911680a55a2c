// The Figures panel: the data's figures, the fitted effect of a chosen predictor (#effect-term)
// and the model checks, drawn by figures.js one per task. Choosing another predictor asks the
// worker for its effect curve (the `effect` request) and redraws only that figure.
import { $ } from "./host.js";
import { showFigures, replaceFigure } from "./figures.js";
import { effectSpec, effectTerms } from "./figure-specs.js";

let context = null;
let current = null;

/** `ctx`: {ask(type, payload), showError}. */
export function initFigurePanel(ctx) {
  context = ctx;
  $("effect-term").addEventListener("change", drawEffect);
}

/** Shows the figures of a fit reply ({fit, figures, figuresError, checks, effect, ...}) fitted with `options`. */
export function showFigurePanel(reply, options) {
  const { fit, figures, figuresError, checks, checksError, effect, effectError } = reply;
  current = { fit, options };
  const select = $("effect-term");
  select.replaceChildren(...effectTerms(fit).map((t) => new Option(t, t)));
  if (effect) select.value = effect.term;
  $("effect-choice").hidden = effectTerms(fit).length === 0;
  const notes = [];
  if (figures) notes.push(`Figures of ${figures.variables.map((v) => v.variable).join(" and ")}, drawn from the data's summaries`);
  else notes.push(figuresError || "The data's figures need the person and time columns and an outcome and predictor");
  notes.push("then the fitted effect and the model checks; each figure has SVG and PNG downloads and the numbers behind it.");
  for (const e of [effectError, checksError]) if (e) notes.push(`(${e})`);
  $("figures-note").textContent = notes.join("; ");
  showFigures($("plots"), figures ?? null, fit, { checks, effect });
}

async function drawEffect() {
  if (!current) return;
  const term = $("effect-term").value;
  try {
    const curve = await context.ask("effect", { options: current.options, term });
    if (curve) replaceFigure($("plots"), effectSpec(curve, current.fit), "effect-");
  } catch (e) {
    context.showError(e.message);
  }
}
