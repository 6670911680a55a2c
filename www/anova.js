// The type III F tests under the fixed effects (lmerTest's anova(m, type = 3)): pure formatting,
// unit-tested in Node (tests/node/anova.test.mjs); main.js puts the table on the page.
import { apaDf, fixed, pCell } from "./render.js";

/** The F-test table in APA style (df whole or with 2 decimals, F with 2, p with 3 and < .001):
 *  header and one row of text cells per term, with full-precision values. */
export function anovaTable(anova) {
  return {
    header: ["Term", "NumDF", "DenDF", "F", "p"],
    rows: anova.map((r) => [r.term, apaDf(r.numDf), apaDf(r.denDf), fixed(r.f, 2), pCell(r.p)]),
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
