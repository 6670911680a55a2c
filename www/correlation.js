// The residual-correlation part of the model step and of the results: the menu's explanation of
// phi, the df that go with a correlation, and the sentences that report it. The text functions
// are pure (tested in Node, tests/node/correlation.test.mjs); wireCorrelation touches the DOM.

/** What each choice means, in plain words, shown under the menu. */
export const CORRELATION_HELP = {
  none:
    "Residuals are independent once the random effects are accounted for (lme4's model).",
  ar1:
    "A person's residuals on nearby occasions may still resemble each other. phi is the correlation of " +
    "two residuals one occasion apart; two occasions apart it is phi², three apart phi³, and so on (a missed " +
    "week counts as a gap of two). Needs whole-number times, persons as the only grouping factor, and uses " +
    "between-within df (as nlme's corAR1).",
  car1:
    "As AR(1), for times measured on a continuous scale (hours, days with fractions): phi is the correlation " +
    "of two residuals one time unit apart, and residuals d units apart correlate phi^d (as nlme's corCAR1).",
};

/** The model options a correlation choice adds: with one, Satterthwaite df become between-within. */
export function correlationOptions(correlation, df) {
  if (!correlation || correlation === "none") return {};
  return { correlation, df: df === "satterthwaite" || !df ? "between-within" : df };
}

const phiText = (phi, digits) => {
  const s = Number(phi).toFixed(digits);
  return s.replace(/^(-?)0\./, "$1.");
};

function structureName(rc) {
  return rc.structure === "car1" ? "continuous-time AR(1)" : "AR(1)";
}

/** The result's line: structure, phi and what it means for lags of 1 and 2 time units. */
export function residualCorrelationSentence(rc) {
  if (!rc) return "";
  const base =
    `Residuals within person: ${structureName(rc)} over ${rc.time}, phi = ${phiText(rc.phi, 3)}: ` +
    `residuals 1 and 2 units of ${rc.time} apart correlate ${phiText(rc.phi, 2)} and ${phiText(rc.phi * rc.phi, 2)}.`;
  return rc.atBoundary ? `${base} phi is at its lower bound 0: no correlation beyond the random effects.` : base;
}

/** The APA sentence for a methods or results section. */
export function residualCorrelationApa(rc) {
  return `Residuals within person were modelled as ${structureName(rc)} over ${rc.time} (phi = ${phiText(rc.phi, 2)}).`;
}

/**
 * Wires the menu: its explanation follows the choice, and with a correlation the df menu offers
 * between-within or residual df (Satterthwaite is not available with a correlation structure).
 */
export function wireCorrelation(select, help, dfSelect) {
  const update = () => {
    const value = select.value || "none";
    help.textContent = CORRELATION_HELP[value] ?? "";
    const satterthwaite = dfSelect.querySelector('option[value="satterthwaite"]');
    if (satterthwaite) satterthwaite.disabled = value !== "none";
    if (value !== "none" && dfSelect.value === "satterthwaite") dfSelect.value = "between-within";
  };
  select.addEventListener("change", update);
  update();
}
