#!/usr/bin/env node
// The wasm module's linear memory after each step the page's worker takes, in a fresh Node
// process: read the file in 64 KiB chunks, set the roles, summarise, describe the numeric
// columns, fit. Prints JSON {csvBytes, rows, steps: [[step, bytes], ...]}.
// Usage: node bench/wasm-memory.mjs FILE.csv FORMULA   (needs www/pkg: scripts/build-wasm.sh)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "www", "pkg");
const { initSync, AnalysisBuilder, wasmMemoryBytes } = await import(path.join(pkg, "lagmix_wasm.js"));
initSync({ module: fs.readFileSync(path.join(pkg, "lagmix_wasm_bg.wasm")) });

const [file, formula] = process.argv.slice(2);
const bytes = fs.readFileSync(file);
const steps = [["start", wasmMemoryBytes()]];
const step = (name) => steps.push([name, wasmMemoryBytes()]);
const builder = new AnalysisBuilder({});
builder.expectBytes(bytes.length);
for (let i = 0; i < bytes.length; i += 65536) builder.push(bytes.subarray(i, i + 65536));
const analysis = builder.finish();
step("reading (typed columns)");
analysis.setRoles("id", "time");
step("roles (panel)");
analysis.summary();
step("panel summary");
const numeric = analysis.columns().filter((c) => c.kind === "numeric" && c.name !== "id" && c.name !== "time");
analysis.describe(numeric.map((c) => c.name));
step("descriptives per occasion");
analysis.fit({ formula });
step("fit (design, model, Satterthwaite df)");
console.log(JSON.stringify({ csvBytes: bytes.length, rows: analysis.summary().rows, steps }));
