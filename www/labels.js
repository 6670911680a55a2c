// Variable labels (SPSS) beside the column names wherever the page lists columns (the role and
// model menus, the item list, the columns table): `spin_3 — "I avoid parties"`, a long label
// cut at a word with "…" and given whole in the element's title. The value chosen is always
// the name. The text is pure (tested in Node); option() makes the menu entry.

/** Name and label together are cut to about this many characters (a menu's width in the
 *  controls column at the page's font); a label keeps at least MIN_LABEL. */
export const MAX_TEXT = 48;
export const MIN_LABEL = 16;

/** `[{name, label}]` (the worker's load reply) as {name: label}. */
export function labelMap(list) {
  const map = {};
  for (const { name, label } of list ?? []) if (label && label.trim()) map[name] = label.trim();
  return map;
}

/** The label cut to at most `max` characters, at a word where one is near, with "…". */
export function shorten(label, max) {
  const text = label.replace(/\s+/g, " ").trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  // Cut at the last whole word (the cut may end just before a space: then it is whole).
  const space = text[max - 1] === " " ? cut.length : cut.lastIndexOf(" ");
  return (space >= max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, "") + "…";
}

/** What a list shows for a column: `spin_3 — "I avoid parties"`, or the name alone. */
export function labelledName(name, label, max = MAX_TEXT) {
  return label ? `${name} — "${shorten(label, Math.max(MIN_LABEL, max - name.length - 5))}"` : name;
}

/** The whole text, for a title or an accessible name. */
export function fullName(name, label) {
  return label ? `${name} — "${label.replace(/\s+/g, " ").trim()}"` : name;
}

/** A menu entry whose value is the name and whose text shows the label. */
export function option(name, label) {
  const entry = new Option(labelledName(name, label), name);
  if (label) entry.title = fullName(name, label);
  return entry;
}
