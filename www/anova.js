// The type III F tests under the fixed effects (lmerTest's anova(m, type = 3)): pure formatting,
// unit-tested in Node (tests/node/anova.test.mjs); main.js puts the table on the page.
import { num } from "./render.js";

/** The F-test table: header and one row of text cells per term, with full-precision values. */
export function anovaTable(anova) {
  return {
    header: ["Term", "NumDF", "DenDF", "F", "p"],
    rows: anova.map((r) => [r.term, num(r.numDf), num(r.denDf), num(r.f), num(r.p)]),
    values: anova.map((r) => [null, r.numDf, r.denDf, r.f, r.p]),
  };
}

/** Which denominators the F tests use, in a sentence (lmerTest has only the first two). */
export function anovaNote(dfMethod) {
  const method = String(dfMethod ?? "").toLowerCase();
  if (method.includes("kenward"))
    return "F tests with Kenward-Roger's method: pbkrtest's scaled F and its denominator df.";
  if (method.includes("resid"))
    return "Wald F tests with the residual df (observations minus fixed effects); lmerTest has no such option.";
  if (method.includes("between"))
    return "Wald F tests with each term's between-within (containment) df; lmerTest has no such option.";
  return "F tests with Satterthwaite's method, as lmerTest's anova(m).";
}
