// The catalogue of bad inputs (tests/catalogue/*.csv) through the wasm API: each bad file is a
// thrown Error whose message names the line / column / term; awkward files fit with a named
// warning. The page reads files as text, so these go in as strings.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import lagmix from "./wasm.mjs";
import { root } from "./compare.mjs";

const read = (name) => fs.readFileSync(path.join(root, "tests", "catalogue", `${name}.csv`), "utf8");
const roles = { id: "id", time: "week" };
const F = "y ~ x + (1 | id)";
const throwsWith = (name, formula, ...needles) => {
  assert.throws(
    () => lagmix.fit(read(name), { ...roles, formula }),
    (e) => {
      assert.ok(e instanceof Error, `${name}: ${e}`);
      for (const needle of needles) assert.ok(e.message.includes(needle), `${name}: expected ${needle} in ${e.message}`);
      return true;
    },
  );
};

test("ragged row: Error naming the line and the field counts", () => {
  throwsWith("ragged", F, "line 5", "3 fields", "header has 4");
  assert.throws(() => new lagmix.Analysis(read("ragged"), roles), /line 5/);
});

test("unclosed quote and a quote inside a number name the line", () => {
  throwsWith("unclosed_quote", F, "line 7, column 3", "never closed");
  throwsWith("quotes_inside", F, "line 7", 'column "x"', "is not a number");
});

test("empty file, header only, duplicate names", () => {
  throwsWith("empty", F, "the file is empty");
  throwsWith("header_only", F, "no data rows");
  throwsWith("dup_names", F, 'two columns named "x"', "columns 3 and 4");
});

test("NUL bytes, Inf, duplicate occasion, fractional time with lag", () => {
  throwsWith("nul", F, "line 7", "NUL bytes");
  throwsWith("inf", F, 'line 7, column "x"', "infinite");
  throwsWith("dup_time", F, "line 7", "two rows for week = 0", "line 6");
  throwsWith("time_frac", "y ~ lag(x) + (1 | id)", "line 7 has week = 1.5");
});

test("formula errors name the term and point at it", () => {
  throwsWith("good", "y ~ logit(x) + (1 | id)", "unknown function `logit`", "^");
  throwsWith("good", "y ~ x^2 + (1 | id)", "write `I(x^2)`", "^");
  throwsWith("good", "y ~ x + (1 | )", "nothing follows `|`");
  throwsWith("good", "y ~ x + (1 | ID)", "did you mean `id`?");
  throwsWith("one_person", F, "1 level");
});

test("awkward files fit, with named warnings where something is off", () => {
  const semi = lagmix.fit(read("semicolon_comma"), { ...roles, formula: F });
  const good = lagmix.fit(read("good"), { ...roles, formula: F });
  assert.ok(Math.abs(semi.fixed[1].estimate - good.fixed[1].estimate) < 1e-9);
  const cr = lagmix.fit(read("cr_only"), { ...roles, formula: F });
  assert.ok(Math.abs(cr.fixed[1].estimate - good.fixed[1].estimate) < 1e-9);
  const constant = lagmix.fit(read("constant_within"), { ...roles, formula: F });
  assert.ok(constant.warnings.some((w) => w.includes("does not vary within id")), constant.warnings.join("\n"));
  const aliased = lagmix.fit(read("time_invariant_x"), { ...roles, formula: "y ~ within(x) + between(x) + (1 | id)" });
  assert.ok(aliased.warnings.some((w) => w.includes("dropped: `within(x)`")), aliased.warnings.join("\n"));
});

test("a response near 1e9 gives lme4's numbers (lme4 1.1-31, see crate/tests/catalogue.rs)", () => {
  const r = lagmix.fit(read("big_response"), { ...roles, formula: F });
  assert.ok(Math.abs(r.fixed[1].estimate - 0.607091659718341) < 1e-4, `${r.fixed[1].estimate}`);
  assert.ok(Math.abs(r.sigma - 0.562663755135818) < 1e-4, `${r.sigma}`);
});

test("Kenward-Roger over one crossed block of 2,140 random effects: Error naming the size and Satterthwaite", () => {
  // As crate/tests/catalogue.rs: 2,100 students each rated by 3 of 40 raters.
  const lines = ["student,rater,x,score"];
  for (let s = 0; s < 2100; s++) {
    for (let k = 0; k < 3; k++) {
      const r = (s * 7 + k * 13) % 40;
      const x = ((s * 31 + k * 17) % 19) / 4 - 2;
      lines.push(`s${s},r${r},${x},${(50 + 2 * x + (s % 7) * 0.5 + (r % 5) * 0.8 + ((s * k) % 11) * 0.3).toFixed(2)}`);
    }
  }
  const options = { formula: "score ~ x + (1 | student) + (1 | rater)", df: "kenward-roger" };
  assert.throws(() => lagmix.fit(lines.join("\n") + "\n", options), (e) => {
    for (const needle of ["2140 random effects", "2000", "Satterthwaite", "connected block"]) {
      assert.ok(e.message.includes(needle), `expected ${needle} in ${e.message}`);
    }
    return true;
  });
});
