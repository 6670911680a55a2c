#!/usr/bin/env node
// Generates www/example/trial.csv: a synthetic internet-delivered CBT trial for social anxiety,
// shaped like the reference study (weekly SPIN symptoms and WAI alliance ratings), so the page's
// "example data" button and the README have data that can be shared freely. No real person is in
// it. The output is deterministic: run `node scripts/make-example.mjs` to regenerate the same file.
//
// Random numbers: mulberry32 (a 32-bit PRNG by Tommy Ettinger, public domain) seeded with 20201,
// normals by the Box-Muller transform.
//
// Data-generating process (the same cross-lagged process as the trial in
// tests/reference/make_data.R), for person i = 1..182 and week t = 0..10:
//   alliance   wai_it      = m_i + g_i t + w_it,   m_i ~ N(52, 9^2), g_i ~ N(1.3, 0.4^2),
//                                                 w_it ~ N(0, 4.5^2)
//   symptoms   spin_i0     = a_i ~ N(42, 8^2)
//              spin_i,t+1  = alpha_i + 0.85 spin_it - 0.04 wai_it + e_it,  e_it ~ N(0, 4^2),
//                            alpha_i = 5.4 + N(0, 0.6^2)
//   i.e. each point of alliance this week lowers next week's symptoms by 0.04, as in the
//   reference study (B = -0.038). SPIN falls from about 42 to 24, WAI rises from about 52 to 66;
//   both are clipped to their scales (SPIN 0..68, WAI 12..84) and rounded like sum scores (the
//   process runs on the unrounded values).
//   missingness  week 0 is always complete; at later weeks each person-week is independently
//                absent (row left out, 4.5%) or incomplete (3.5%: spin, wai or both empty),
//                so about 7% of all person-weeks (weeks 0..10) are missing.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { mulberry32, standardNormal } from "./random.mjs";

const SEED = 20201;
const PERSONS = 182;
const WEEKS = 10;

const uniform = mulberry32(SEED);
const normal = (sd) => sd * standardNormal(uniform);
const clip = (x, lo, hi) => Math.min(hi, Math.max(lo, Math.round(x)));

const lines = ["id,week,spin,wai"];
for (let i = 1; i <= PERSONS; i++) {
  const m = 52 + normal(9), g = 1.3 + normal(0.4), a0 = 42 + normal(8), alpha = 5.4 + normal(0.6);
  let spinNow = a0, waiBefore = 0;
  for (let t = 0; t <= WEEKS; t++) {
    const waiNow = m + g * t + normal(4.5);
    if (t > 0) spinNow = alpha + 0.85 * spinNow - 0.04 * waiBefore + normal(4);
    waiBefore = waiNow;
    const wai = clip(waiNow, 12, 84);
    const spin = clip(spinNow, 0, 68);
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
