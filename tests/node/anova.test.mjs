// Unit tests of www/anova.js (pure formatting of the type III F tests).
import test from "node:test";
import assert from "node:assert/strict";
import { anovaTable, anovaNote } from "../../www/anova.js";

test("anova table rows and values", () => {
  const t = anovaTable([{ term: "arm", numDf: 2, denDf: 94.6057692, f: 2.63090075, p: 0.0772782891 }]);
  assert.deepEqual(t.header, ["Term", "NumDF", "DenDF", "F", "p"]);
  assert.deepEqual(t.rows, [["arm", "2", "94.6058", "2.6309", "0.0772783"]]);
  assert.deepEqual(t.values[0], [null, 2, 94.6057692, 2.63090075, 0.0772782891]);
  assert.deepEqual(anovaTable([]).rows, []);
});

test("the note names the denominators", () => {
  assert.match(anovaNote("satterthwaite"), /Satterthwaite/);
  assert.match(anovaNote("kenward-roger"), /Kenward-Roger/);
  assert.match(anovaNote("residual"), /residual df/);
  assert.match(anovaNote("between-within"), /containment/);
});
