// Small DOM helpers the panels share: filling a <table> from render.js's {header, rows, values},
// a key/value table, offering a file for download and copying a line of text.
import { status } from "./messages.js";

export function fillTable(table, { header, rows, values, groups, subHeader }) {
  table.replaceChildren();
  // With `groups` (APA's spanning column heads), two header rows: the groups, then `subHeader`.
  if (groups) {
    const top = table.createTHead().insertRow();
    for (const g of groups) {
      // An empty corner is a plain cell: a header cell must name something.
      const cell = Object.assign(document.createElement(g.label ? "th" : "td"), { textContent: g.label, colSpan: g.span });
      if (g.label) cell.scope = g.span > 1 ? "colgroup" : "col";
      top.append(cell);
    }
  }
  const thead = (table.tHead ?? table.createTHead()).insertRow();
  for (const h of groups && subHeader ? subHeader : header) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    thead.append(th);
  }
  const body = table.createTBody();
  rows.forEach((row, i) => {
    const tr = body.insertRow();
    row.forEach((cell, j) => {
      const td = tr.insertCell();
      td.textContent = cell;
      const value = values?.[i]?.[j];
      if (value !== null && value !== undefined) td.dataset.value = String(value);
    });
  });
}

export function fillKeyValue(table, pairs) {
  table.replaceChildren();
  const body = table.createTBody();
  for (const [k, v] of pairs) {
    const tr = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = k;
    tr.append(th);
    tr.insertCell().textContent = v;
  }
}

/** Offers `content` (text, or a Blob such as the worker's derived data) as a file. */
export function download(name, content, type) {
  const url = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Copies `text`; if the clipboard is refused, selects `span` so that Ctrl+C copies it. */
export async function copyText(text, button, span) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
    status("Copied the sentence to the clipboard.");
  } catch {
    // Clipboard refused (permissions, http): select the sentence so Ctrl+C works.
    const range = document.createRange();
    range.selectNodeContents(span);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    button.textContent = "Selected: press Ctrl+C";
  }
  setTimeout(() => (button.textContent = "Copy"), 2500);
}

