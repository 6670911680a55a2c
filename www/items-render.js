// Pure formatting for the questionnaire-items panel and the wide-file offer: no DOM, no wasm
// (tested in tests/node/items-render.test.mjs, imported by items.js).
import { fixed } from "./render.js";

/** Numeric columns starting with `prefix` (all numeric columns for an empty prefix), in file order. */
export function itemsByPrefix(columns, prefix, exclude = []) {
  return columns
    .filter((c) => c.kind !== "text" && !exclude.includes(c.name))
    .map((c) => c.name)
    .filter((n) => n.startsWith(prefix));
}

/** The longest common prefix of the item names up to its last `_` or `.` (for a score name). */
export function scoreName(items) {
  if (!items.length) return "score";
  let prefix = items[0];
  for (const n of items) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const stem = prefix.replace(/[_.]+$/, "");
  return stem ? `${stem}_score` : "score";
}

/** The headline: alpha, standardized alpha, average r, rows. */
export function alphaSummary(a) {
  let text =
    `Cronbach's alpha = ${fixed(a.alpha, 3)} (standardized ${fixed(a.stdAlpha, 3)}, ` +
    `average inter-item r = ${fixed(a.averageR, 3)}); ${a.items.length} items, ${a.nobs} rows, ` +
    `${a.completeRows} with every item answered.`;
  if (a.reversed.length)
    text += ` Reverse-keyed (${a.range[0]} + ${a.range[1]} − x, ${a.rangeDeclared ? "declared" : "observed"} range): ${a.reversed.join(", ")}.`;
  return text;
}

/** Within- and between-person alpha, or "" when not computed. */
export function multilevelSummary(a) {
  const m = a.multilevel;
  if (!m) return "";
  return (
    `Within-person alpha = ${fixed(m.alphaWithin, 3)}, between-person alpha = ${fixed(m.alphaBetween, 3)} ` +
    `(two-level saturated model by ML as lavaan; ${m.nobs} complete rows of ${m.persons} persons).`
  );
}

/** The item table: as psych prints alpha.drop and item.stats. */
export function itemTable(a) {
  return {
    header: ["Item", "n", "Mean", "SD", "r.drop", "Alpha if dropped", "Std. alpha if dropped"],
    rows: a.items.map((i) => [
      i.reversed ? `${i.item} (reversed)` : i.item,
      String(i.n),
      fixed(i.mean, 2),
      fixed(i.sd, 2),
      fixed(i.rDrop, 3),
      fixed(i.alphaIfDropped, 3),
      fixed(i.stdAlphaIfDropped, 3),
    ]),
  };
}

/** Added to a wide file's name once it is reshaped (the data set's name on the page). */
export const RESHAPED = " (reshaped to long)";

/** The file the user saves with "Download the long CSV", which the R scripts of reshaped data read. */
export const LONG_CSV = "lagmix-long.csv";

/** The offer for a wide file. */
export function wideOffer(guess) {
  return (
    `This file looks wide: ${guess.stubColumns} columns are ${guess.stubs.length} repeated ` +
    `measure(s) (${guess.stubs.join(", ")}) over ${guess.occasions} occasions, one row per ` +
    `person (${guess.id}). Models need one row per person and occasion.`
  );
}

/** What the reshape did; `time` names the new occasion column. */
export function reshapeSummary(s, time = "occasion") {
  const range = (c) => (c.length > 2 ? `${c[0]} … ${c[c.length - 1]}` : c.join(", "));
  const stubs = s.stubs.map((t) => `${t.stub} (from ${range(t.columns)})`).join(", ");
  const occasions = s.occasions.length > 2 ? `${s.occasions[0]} to ${s.occasions[s.occasions.length - 1]}` : s.occasions.join(" and ");
  let text =
    `Reshaped to long: ${s.persons} persons × ${s.occasions.length} occasions → ${s.rows} rows. ` +
    `New columns: ${stubs}; "${time}" holds the occasion from the column names (${occasions}). ` +
    `Carried to every row: ${s.carried.length ? s.carried.join(", ") : "none"}.`;
  if (s.emptyRowsDropped) text += ` ${s.emptyRowsDropped} occasions where every measure was missing were left out.`;
  return text;
}
