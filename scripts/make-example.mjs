#!/usr/bin/env node
// Generates www/example/trial.csv: a synthetic internet-delivered CBT trial for social anxiety,
// shaped like the reference study (weekly SPIN symptoms and WAI alliance ratings), so the page's
// "example data" button and the README have data that can be shared freely. No real person is in
// it. The output is deterministic: run `node scripts/make-example.mjs` to regenerate the same file.
//
// Random numbers: mulberry32 (a 32-bit PRNG by Tommy Ettinger, public domain) seeded with 20201,
// normals by the Box-Muller transform.
//
// Data-generating process, for person i = 1..182 and week t = 0..10:
//   person effects   u_i ~ N(0, 7^2)    symptom level       b_i ~ N(0, 0.5^2)  symptom slope
//                    a_i ~ N(0, 6^2)    alliance level
//   alliance         wai_it  = 52 + a_i + 1.0 t + e_it,            e_it ~ N(0, 4^2)
//   symptoms         spin_it = 42 + u_i + (-1.4 + b_i) t
//                              - 0.15 (wai_i,t-1 - 52 - a_i - 1.0 (t-1))   [t >= 1]
//                              + d_it,                            d_it ~ N(0, 5^2)
//   i.e. a week with better-than-usual alliance (for that person) is followed by lower symptoms
//   than the person's trajectory predicts; both are rounded and clipped to their scales' ranges
//   (SPIN 0..68, WAI 12..84).
//   missingness      week 0 is always complete; at later weeks each person-week is independently
//                    absent (row left out, 4.5%) or incomplete (3.5%: spin, wai or both empty),
//                    so about 7% of all person-weeks (weeks 0..10) are missing.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SEED = 20201;
const PERSONS = 182;
const WEEKS = 10;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const uniform = mulberry32(SEED);
function normal(sd) {
  const u1 = 1 - uniform(); // in (0, 1], so log is finite
  const u2 = uniform();
  return sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
const clip = (x, lo, hi) => Math.min(hi, Math.max(lo, Math.round(x)));

const lines = ["id,week,spin,wai"];
for (let i = 1; i <= PERSONS; i++) {
  const u = normal(7), b = normal(0.5), a = normal(6);
  let prevAllianceDeviation = 0;
  for (let t = 0; t <= WEEKS; t++) {
    const allianceDeviation = normal(4);
    const wai = clip(52 + a + 1.0 * t + allianceDeviation, 12, 84);
    const lagged = t >= 1 ? -0.15 * prevAllianceDeviation : 0;
    const spin = clip(42 + u + (-1.4 + b) * t + lagged + normal(5), 0, 68);
    prevAllianceDeviation = allianceDeviation;
    const r = uniform();
    if (t > 0 && r < 0.045) continue; // absent row
    let spinText = String(spin), waiText = String(wai);
    if (t > 0 && r < 0.08) {
      const which = uniform();
      if (which < 0.4) spinText = "";
      else if (which < 0.8) waiText = "";
      else spinText = waiText = "";
    }
    lines.push(`${i},${t},${spinText},${waiText}`);
  }
}

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "www", "example", "trial.csv");
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, lines.join("\n") + "\n");
console.log(`wrote ${out}: ${lines.length - 1} rows`);
