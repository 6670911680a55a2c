// Generates the experience-sampling benchmark panels: prompts within days within persons, rows of
// (person, day, prompt, stress, mood) with a fixed seed.
//
// Data-generating process (person i, day d, prompt k):
//   a_i ~ N(0, 0.8^2), s_i ~ N(0, 0.2^2)   the person's intercept and stress slope
//   c_id ~ N(0, 0.5^2)                     the day's intercept within the person
//   stress_idk = N(0, 1)
//   mood_idk = 3 + a_i + c_id + (-0.4 + s_i) * stress_idk + N(0, 1)
// Day codes repeat across persons (1..14), as an EMA export writes them, so `day` is nested in
// `person` only through `(1 | person/day)` or `(1 | person:day)`. About 3% of mood cells are empty.
// Usage: node bench/make_ema.mjs PERSONS OUT.csv [DAYS] [PROMPTS]   (seed 20261201, fixed)
import fs from "node:fs";
import { mulberry32, standardNormal as normal } from "../scripts/random.mjs";

/** Writes persons x days x prompts rows to `path`; returns the shape. */
export function writeEma(persons, path, days = 14, prompts = 5) {
  const rand = mulberry32(20261201);
  const fd = fs.openSync(path, "w");
  let chunk = ["person,day,prompt,stress,mood"];
  for (let i = 1; i <= persons; i++) {
    const a = 0.8 * normal(rand);
    const s = 0.2 * normal(rand);
    for (let d = 1; d <= days; d++) {
      const c = 0.5 * normal(rand);
      for (let k = 1; k <= prompts; k++) {
        const stress = normal(rand);
        const mood = 3 + a + c + (-0.4 + s) * stress + normal(rand);
        const cell = rand() < 0.03 ? "" : mood.toFixed(3);
        chunk.push(`p${i},${d},${k},${stress.toFixed(3)},${cell}`);
        if (chunk.length >= 10_000) {
          fs.writeSync(fd, chunk.join("\n") + "\n");
          chunk = [];
        }
      }
    }
  }
  fs.writeSync(fd, chunk.join("\n") + (chunk.length ? "\n" : ""));
  fs.closeSync(fd);
  return { persons, days, prompts };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const persons = Number(process.argv[2] ?? 250);
  const out = process.argv[3] ?? `bench-data/ema-${persons}.csv`;
  console.log(JSON.stringify(writeEma(persons, out, Number(process.argv[4] ?? 14), Number(process.argv[5] ?? 5))));
}
