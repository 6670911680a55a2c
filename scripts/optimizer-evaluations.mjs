// Evaluations of the profiled criterion, and the criterion reached, for every golden fixture
// (tests/fixtures, tests/fixtures-nlme) and the bench models: the optimizer's own benchmark.
// `node scripts/optimizer-evaluations.mjs [LAGMIX] [--bench]`, LAGMIX defaulting to
// target/release/lagmix. Prints tab-separated `case evaluations criterion`; compare two builds
// by running it with each and joining the columns.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const bench = args.includes("--bench");
const lagmix = args.find((a) => !a.startsWith("--")) ?? "target/release/lagmix";

function fitArgs(dir, spec) {
  const out = [join(dir, spec.data ?? "data.csv"), "--formula", spec.formula, "--json"];
  if (spec.id) out.push("--id", spec.id);
  if (spec.time) out.push("--time", spec.time);
  if (spec.reml === false) out.push("--ml");
  if (spec.correlation) out.push("--correlation", spec.correlation);
  if (spec.delimiter) out.push("--delimiter", spec.delimiter === "tab" ? "\t" : spec.delimiter);
  if (spec.na && spec.na.length) out.push("--na", spec.na.join(","));
  // The df method does not touch the optimizer; the cheapest one keeps the table quick.
  out.push("--df", spec.correlation ? "between-within" : "residual");
  return out;
}

function run(name, argv) {
  let line;
  try {
    const res = JSON.parse(execFileSync(lagmix, ["fit", ...argv], { maxBuffer: 1 << 28 }));
    const o = res.optimization;
    line = `${name}\t${o.evaluations}\t${o.objective.toFixed(6)}`;
  } catch (e) {
    line = `${name}\terror\t${String(e.message).split("\n")[0]}`;
  }
  console.log(line);
}

for (const root of ["tests/fixtures", "tests/fixtures-nlme"]) {
  for (const c of readdirSync(root).sort()) {
    const dir = join(root, c);
    const specFile = join(dir, "spec.json");
    if (!existsSync(specFile)) continue;
    run(c, fitArgs(dir, JSON.parse(readFileSync(specFile, "utf8"))));
  }
}

// Each model of a comparison, fitted alone (the comparison fits them on their common rows, so the
// counts can differ slightly from the comparison's own fits).
const comparisons = "tests/comparisons";
for (const c of readdirSync(comparisons).sort()) {
  const dir = join(comparisons, c);
  const spec = JSON.parse(readFileSync(join(dir, "spec.json"), "utf8"));
  spec.formulas.forEach((formula, k) => {
    const correlation = spec.correlations?.[k];
    const one = {
      ...spec,
      formula,
      reml: spec.reml && !spec.refit,
      correlation: correlation && correlation !== "none" ? correlation : undefined,
    };
    run(`${c}/${k + 1}`, fitArgs(dir, one));
  });
}

if (bench) {
  const ema = "/tmp/ema-250.csv";
  if (!existsSync(ema)) {
    const m = await import("../bench/make_ema.mjs");
    m.writeEma(250, ema);
  }
  const insteval = "/tmp/insteval.csv";
  if (!existsSync(insteval)) {
    execFileSync("sh", ["-c", `zcat bench/insteval.csv.gz > ${insteval}`]);
  }
  const models = [
    ["ema250 (1|person/day)", ema, "mood ~ stress + (1 | person/day)"],
    ["ema250 (stress|person)+(1|person:day)", ema, "mood ~ stress + (stress | person) + (1 | person:day)"],
    ["insteval", insteval, "y ~ factor(service) + (1 | s) + (1 | d) + (1 | dept:service)"],
  ];
  for (const [name, file, formula] of models) {
    run(name, [file, "--formula", formula, "--json", "--df", "residual"]);
  }
}
