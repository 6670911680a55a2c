// The golden fixtures (tests/fixtures/<case>/, reference values from lme4/lmerTest) through the
// wasm binding in Node, with the tolerances stated in compare.mjs.
import test from "node:test";
import assert from "node:assert/strict";
import lagmix from "./wasm.mjs";
import { loadFixtures, fitOptions, compareFit } from "./compare.mjs";

const fixtures = loadFixtures();

test("golden fixtures are present", { skip: fixtures.length ? false : "no tests/fixtures/<case>/ with spec.json + expected.json yet" }, () => {
  assert.ok(fixtures.length > 0);
});

for (const f of fixtures) {
  test(`golden: ${f.name}`, () => {
    if (f.expected.error) {
      // A fixture whose reference is an error: the wasm API must throw with that text in it.
      assert.throws(() => lagmix.fit(f.csvText, fitOptions(f.spec)), (e) => e instanceof Error && e.message.includes(f.expected.error));
      return;
    }
    const fit = lagmix.fit(f.csvText, fitOptions(f.spec));
    const problems = compareFit(fit, f.expected);
    assert.deepEqual(problems, [], `${f.name}:\n  ${problems.join("\n  ")}`);
  });
}
