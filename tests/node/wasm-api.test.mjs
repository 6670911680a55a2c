// The wasm API itself: options handling, errors as JS Errors with readable messages, plain-data
// results. Uses the example data (www/example/trial.csv).
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import lagmix from "./wasm.mjs";
import { root } from "./compare.mjs";

const example = fs.readFileSync(path.join(root, "www", "example", "trial.csv"), "utf8");
const roles = { id: "id", time: "week" };
const isError = (pattern) => (e) => e instanceof Error && pattern.test(e.message);

test("malformed CSV: a ragged row is an Error naming the line", () => {
  const csv = "id,week,y\n1,0,5\n1,1\n2,0,4\n";
  assert.throws(() => new lagmix.Analysis(csv, roles), isError(/line/i));
  assert.throws(() => lagmix.fit(csv, { ...roles, formula: "y ~ 1 + (1 | id)" }), isError(/line/i));
});

test("malformed CSV: an unclosed quote is an Error naming the line", () => {
  const csv = 'id,week,y\n1,0,"5\n1,1,4\n';
  assert.throws(() => new lagmix.Analysis(csv, roles), isError(/line/i));
});

test("bad options are Errors that say what is allowed", () => {
  assert.throws(() => lagmix.fit(example, { ...roles, formula: "spin ~ 1 + (1 | id)", df: "kenward" }), isError(/satterthwaite/));
  assert.throws(() => new lagmix.Analysis(example, { ...roles, delimiter: "::" }), isError(/one character/));
  assert.throws(() => lagmix.fit(example, { ...roles, formla: "spin ~ 1" }), isError(/formla/));
});

test("the example data parse: columns, preview", () => {
  const a = new lagmix.Analysis(example, roles);
  const columns = a.columns();
  assert.deepEqual(columns.map((c) => c.name), ["id", "week", "spin", "wai"]);
  assert.ok(columns.every((c) => c.kind === "numeric"));
  assert.ok(columns.find((c) => c.name === "spin").missing > 0);
  const preview = a.preview(3);
  assert.deepEqual(preview.names, ["id", "week", "spin", "wai"]);
  // The preview shows the cells as written in the file's first data line.
  assert.deepEqual(preview.rows[0], example.split("\n")[1].trim().split(","));
  a.free();
});

test("na codes: array or comma-separated text", () => {
  const csv = "id,week,y\n1,0,-99\n1,1,4\n2,0,5\n2,1,999\n";
  for (const na of [["-99", "999"], "-99, 999"]) {
    const a = new lagmix.Analysis(csv, { ...roles, na });
    assert.equal(a.columns().find((c) => c.name === "y").missing, 2);
    a.free();
  }
});

test("a fit on the example data returns plain data", () => {
  const a = new lagmix.Analysis(example, roles);
  const fit = a.fit({ formula: "lead(spin) ~ spin + wai + (1 | id)" });
  assert.deepEqual(fit.fixed.map((f) => f.term), ["(Intercept)", "spin", "wai"]);
  assert.ok(fit.fixed.every((f) => Number.isFinite(f.estimate) && f.se > 0));
  assert.equal(fit.method, "REML");
  assert.equal(Object.getPrototypeOf(fit), Object.prototype);
  const ml = a.fit({ formula: "lead(spin) ~ spin + wai + (1 | id)", reml: false, df: "residual" });
  assert.equal(ml.method, "ML");
  assert.ok(JSON.stringify(ml).length > 100);
  a.free();
});

test("a formula error names the unknown column", () => {
  const a = new lagmix.Analysis(example, roles);
  assert.throws(() => a.fit({ formula: "lead(spni) ~ wai + (1 | id)" }), isError(/spni/));
  a.free();
});

test("a formula nested thousands of levels deep is an Error, and the engine keeps working", () => {
  // Without a bound the parser's recursion overflowed the stack and killed the wasm instance.
  const a = new lagmix.Analysis(example, roles);
  const deep = `spin ~ ${"(".repeat(20000)}wai${")".repeat(20000)} + (1 | id)`;
  assert.throws(() => a.fit({ formula: deep }), isError(/too long/));
  const nested = `spin ~ ${"lag(".repeat(60)}wai${")".repeat(60)} + (1 | id)`;
  assert.throws(() => a.fit({ formula: nested }), isError(/nest more than 50 levels/));
  const chain = `spin ~ ${Array(30000).fill("wai").join(" + ")} + (1 | id)`;
  assert.throws(() => a.fit({ formula: chain }), isError(/too long/));
  assert.equal(a.fit({ formula: "spin ~ wai + (1 | id)" }).fixed.length, 2);
  a.free();
});

test("the longest and deepest formulas the parser allows fit within the engine's stack", () => {
  // The wasm stack is 512 KiB (.cargo/config.toml); these are the parser's limits (500 pieces,
  // 50 levels), each walked recursively by the later stages.
  const a = new lagmix.Analysis(example, roles);
  const formulas = [
    `spin ~ ${Array(245).fill("wai").join(":")} + (1 | id)`,
    `spin ~ ${Array(245).fill("wai").join(" + ")} + (1 | id)`,
    `spin ~ wai:${"(".repeat(48)}wai${")".repeat(48)} + (1 | id)`,
    `spin ~ ${"center(".repeat(49)}wai${")".repeat(49)} + (1 | id)`,
    `spin ~ wai + (${"(".repeat(48)}1 | id${")".repeat(48)})`,
    // Arithmetic: a left-deep chain inside I(), deep calls and parentheses inside I().
    `spin ~ I(${Array(240).fill("wai").join(" + ")}) + (1 | id)`,
    `spin ~ ${"abs(".repeat(49)}wai${")".repeat(49)} + (1 | id)`,
    `spin ~ I(${"(".repeat(48)}wai${")".repeat(48)}^2) + (1 | id)`,
  ];
  for (const formula of formulas) assert.ok(a.fit({ formula }).fixed.length >= 1, formula.slice(0, 40));
  a.free();
});

test("describe: per-occasion descriptives of the example", () => {
  const d = lagmix.describe(example, { ...roles, variables: ["spin", "wai"] });
  assert.equal(d.persons, 182);
  assert.deepEqual(d.occasions, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(d.variables.length, 2);
  assert.equal(d.variables[0].occasions[0].n, 182);
});

test("derivedCsv: id, time and every model variable, named by its expression", () => {
  const a = new lagmix.Analysis(example, roles);
  const lines = a.derivedCsv("lead(within(spin)) ~ within(spin) + wai + (1 | id)").trim().split("\n");
  assert.equal(lines[0], "id,week,lead(within(spin)),within(spin),wai");
  assert.equal(lines.length, example.trim().split("\n").length);
  // The page downloads it in parts of whole lines; together they are the same text.
  const parts = a.derivedCsvParts("lead(within(spin)) ~ within(spin) + wai + (1 | id)");
  assert.ok(Array.isArray(parts) && parts.length >= 1 && parts.every((p) => p.endsWith("\n")));
  assert.equal(parts.join(""), a.derivedCsv("lead(within(spin)) ~ within(spin) + wai + (1 | id)"));
  a.free();
});

test("rScript: an R script that reads the file by name and fits the same model", () => {
  const a = new lagmix.Analysis(example, roles);
  const script = a.rScript({ formula: "lead(spin) ~ spin + within(wai) + (1 | id)", df: "residual" }, "trial.csv", ["-99"]);
  assert.match(script, /read\.csv\("trial\.csv", sep = ",", dec = "\.", na\.strings = c\("", "NA", "-99"\)/);
  assert.match(script, /shift_by_time\(data\[\["spin"\]\], data\[\[id_column\]\], data\[\[time_column\]\], 1\)/);
  assert.match(script, /model <- lmer\(lead_spin ~ 1 \+ spin \+ within_wai \+ \(1 \| id\)/);
  assert.match(script, /nobs\(model\) - ncol\(getME\(model, "X"\)\)/);
});
