// What the page tells the user: errors in the role="alert" box (which takes the focus), and a
// status line (a polite live region).
import { $, host } from "./host.js";

/** Added to start-up errors: what to do when the engine cannot start here. */
export const fileHint = host.startHint;

export function showError(text) {
  const box = $("error");
  box.textContent = text;
  box.hidden = false;
  box.focus?.();
}
export function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}
export const status = (text) => ($("status").textContent = text);

