// Native and wasm run the same code path: the release CLI (`lagmix fit ... --json`) and the wasm
// `fit` must give the same numbers on every golden fixture and on a few generated panels.
//
// Tolerance: 1e-9 relative (or 1e-12 absolute near zero). Both builds compile the same Rust,
// and the criterion takes its logarithms from the libm crate (model.rs), not the platform's
// (glibc natively, another port in wasm, which differ in the last bit for ~3% of arguments):
// so the optimizer compares the same values and takes the same path in both. Were that undone,
// a last-bit difference would flip a simplex comparison now and then and the builds would stop
// at different points within the optimizer's tolerance (differences of ~1e-7 were seen).
//
// Builds target/release/lagmix (a no-op when it is up to date: a stale binary would compare old
// code) and needs www/pkg (scripts/build-wasm.sh).
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import lagmix from "./wasm.mjs";
import { root, loadFixtures, fitOptions } from "./compare.mjs";

const cli = path.join(root, "target", "release", process.platform === "win32" ? "lagmix.exe" : "lagmix");
execFileSync("cargo", ["build", "--release", "-p", "lagmix-cli"], { cwd: root, stdio: "inherit" });

const REL = 1e-9;
const ABS = 1e-12;

/** The CLI's arguments for the same options the wasm `fit` takes. */
function cliArgs(options) {
  const args = ["fit", "-", "--json", "--formula", options.formula];
  if (options.id) args.push("--id", options.id);
  if (options.time) args.push("--time", options.time);
  if (options.reml === false) args.push("--ml");
  if (options.df) args.push("--df", options.df);
  if (options.na && options.na.length) args.push("--na", options.na.join(","));
  if (options.delimiter) args.push("--delimiter", options.delimiter === "tab" ? "\t" : options.delimiter);
  return args;
}

function native(csvText, options) {
  const out = execFileSync(cli, cliArgs(options), { input: csvText, encoding: "utf8", maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

/** Every difference between the native (JSON) and wasm results, as "path: a vs b". */
function differences(a, b, where = "", out = []) {
  // JSON has no NaN or infinity: serde_json writes them as null.
  if (a === null && typeof b === "number" && !Number.isFinite(b)) return out;
  if (typeof a === "number" && typeof b === "number") {
    const diff = Math.abs(a - b);
    if (!(diff <= ABS || diff <= REL * Math.max(Math.abs(a), Math.abs(b)))) {
      out.push(`${where}: native ${a} vs wasm ${b} (relative ${(diff / Math.max(Math.abs(a), Math.abs(b))).toExponential(2)})`);
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${where}: length ${a.length} vs ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) differences(a[i], b[i], `${where}[${i}]`, out);
    return out;
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      // serde skips nothing natively; wasm may omit a `None` field that JSON writes as null.
      if (a[k] === null && b[k] === undefined) continue;
      differences(a[k], b[k], where ? `${where}.${k}` : k, out);
    }
    return out;
  }
  if (a !== b) out.push(`${where}: native ${JSON.stringify(a)} vs wasm ${JSON.stringify(b)}`);
  return out;
}

/** Small deterministic PRNG (mulberry32), so the generated panels are the same every run. */
function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A panel like the Rust property tests': persons x occasions, absent rows, empty cells. */
function panel(seed) {
  const r = prng(seed);
  const persons = 5 + Math.floor(r() * 11);
  const occasions = 3 + Math.floor(r() * 6);
  const rows = ["id,time,y,x"];
  for (let p = 0; p < persons; p++) {
    const u0 = (r() - 0.5) * 12;
    const u1 = (r() - 0.5) * 2;
    for (let t = 0; t < occasions; t++) {
      const roll = r();
      if (roll < 0.08) continue;
      const x = Math.round((r() - 0.5) * 60) / 10;
      const y = Math.round((10 + u0 + (0.5 + u1) * x + (r() - 0.5) * 4) * 100) / 100;
      rows.push(`P${p + 1},${t},${roll < 0.16 ? "" : y},${roll > 0.95 ? "" : x}`);
    }
  }
  return rows.join("\n") + "\n";
}

const MODELS = ["y ~ x + (1 | id)", "y ~ x + (x | id)", "lead(y) ~ within(x) + between(x) + (1 | id)"];

for (const fixture of loadFixtures()) {
  test(`native and wasm agree: ${fixture.name}`, () => {
    const options = fitOptions(fixture.spec);
    const a = native(fixture.csvText, options);
    const b = lagmix.fit(fixture.csvText, options);
    assert.deepEqual(differences(a, b), []);
  });
}

for (const seed of [1, 2, 3, 4]) {
  test(`native and wasm agree: generated panel ${seed}`, () => {
    const csv = panel(seed);
    for (const formula of MODELS) {
      const options = { formula, id: "id", time: "time" };
      const a = native(csv, options);
      const b = lagmix.fit(csv, options);
      assert.deepEqual(differences(a, b), [], `${formula}\n${csv}`);
    }
  });
}
