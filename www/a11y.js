// Accessibility helpers the page modules share, for the served page, the offline file and
// <lagmix-app> alike (they work on host.js's root).
import { host } from "./host.js";

/**
 * Makes every `.scroll` box (a wide table that scrolls sideways) reachable by keyboard and named
 * for screen readers, now and whenever a module adds one: a box that scrolls must take focus so
 * that the arrow keys can scroll it (WCAG 2.1.1; axe's scrollable-region-focusable). Its name is
 * the heading before it, or its table's caption.
 */
export function watchScrollRegions() {
  const label = (box) => {
    if (box.hasAttribute("tabindex")) return;
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    const heading = box.previousElementSibling?.matches("h2, h3, h4") ? box.previousElementSibling : null;
    const name = heading?.textContent || box.querySelector("caption")?.textContent || "Table";
    box.setAttribute("aria-label", `${name.trim()} (scrolls sideways)`);
  };
  const scan = () => host.root.querySelectorAll(".scroll").forEach(label);
  scan();
  new MutationObserver(scan).observe(host.root, { childList: true, subtree: true });
}
