// The settings (never data) in the URL hash of the served page, so that a bookmarked address
// repeats an analysis; the embedded <lagmix-app> starts from its attributes and never touches
// the host page's URL (host.js).
import * as render from "./render.js";
import { $, host } from "./host.js";

/** The settings the page started with. */
export const settingsFromHash = host.settingsInUrl ? render.decodeSettings(location.hash) : host.defaults;

export function saveSettings() {
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

/** Puts the settings of the address into the controls (before any data are loaded). */
export function applyHashSettings() {
  const s = settingsFromHash;
  if (s.formula) $("formula").value = s.formula;
  if (s.method === "ML") $("method-ml").checked = true;
  if (s.df) $("df-method").value = s.df;
  if (s.correlation) $("correlation").value = s.correlation;
  if (s.na) $("na-codes").value = s.na;
  if (s.delimiter) $("delimiter").value = s.delimiter;
}
