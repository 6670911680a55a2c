// Generates the benchmark panels: persons x occasions rows of (id, time, x, y) with a fixed seed.
//
// Data-generating process (per person i, occasion t):
//   mu_i ~ N(0, 1)                  the person's mean of x
//   x_it = mu_i + N(0, 1)
//   u0_i ~ N(0, 0.8^2), u1_i ~ N(0, 0.3^2)  random intercept and within-person slope, corr 0
//   y_it = 2 + (0.5 + u1_i) * (x_it - mu_i) + 0.3 * mu_i + u0_i + N(0, 1)
// About 5% of y cells are left empty (missing at random).
// Usage: node bench/make_panel.mjs ROWS OUT.csv   (seed 20261126, fixed)
import fs from "node:fs";
import { mulberry32, standardNormal } from "../scripts/random.mjs";

const normal = standardNormal;

/** Persons x occasions for a requested number of rows. */
export function shape(rows) {
  const occasions = rows >= 100_000 ? 100 : rows >= 10_000 ? 20 : 10;
  return { persons: Math.round(rows / occasions), occasions };
}

export function writePanel(rows, path) {
  const { persons, occasions } = shape(rows);
  const rand = mulberry32(20261126);
  const fd = fs.openSync(path, "w");
  let chunk = ["id,time,x,y"];
  for (let i = 1; i <= persons; i++) {
    const mu = normal(rand);
    const u0 = 0.8 * normal(rand);
    const u1 = 0.3 * normal(rand);
    for (let t = 1; t <= occasions; t++) {
      const x = mu + normal(rand);
      const y = 2 + (0.5 + u1) * (x - mu) + 0.3 * mu + u0 + normal(rand);
      const yCell = rand() < 0.05 ? "" : y.toFixed(4);
      chunk.push(`P${i},${t},${x.toFixed(4)},${yCell}`);
      if (chunk.length >= 10_000) {
        fs.writeSync(fd, chunk.join("\n") + "\n");
        chunk = [];
      }
    }
  }
  fs.writeSync(fd, chunk.join("\n") + (chunk.length ? "\n" : ""));
  fs.closeSync(fd);
  return { persons, occasions };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = Number(process.argv[2] ?? 1000);
  const out = process.argv[3] ?? `bench-data/panel-${rows}.csv`;
  console.log(JSON.stringify(writePanel(rows, out)));
}
