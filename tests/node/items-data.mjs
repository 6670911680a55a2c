// The example trial as a wide file, for the Node and browser tests of the reshape.
import fs from "node:fs";
import path from "node:path";
import { root } from "./compare.mjs";

/** The example trial (long) as a wide file: id, spin_0..spin_10, wai_0..wai_10. */
export function wideExample() {
  const lines = fs.readFileSync(path.join(root, "www", "example", "trial.csv"), "utf8").trim().split("\n");
  const rows = lines.slice(1).map((l) => l.split(","));
  const weeks = [...new Set(rows.map((r) => Number(r[1])))].sort((a, b) => a - b);
  const persons = new Map();
  for (const [id, week, spin, wai] of rows) {
    if (!persons.has(id)) persons.set(id, new Map());
    persons.get(id).set(Number(week), [spin, wai]);
  }
  const header = ["id", ...weeks.map((w) => `spin_${w}`), ...weeks.map((w) => `wai_${w}`)];
  const out = [header.join(",")];
  for (const [id, byWeek] of persons) {
    const cells = (k) => weeks.map((w) => byWeek.get(w)?.[k] ?? "");
    out.push([id, ...cells(0), ...cells(1)].join(","));
  }
  return { wide: out.join("\n") + "\n", long: lines.join("\n") + "\n" };
}
