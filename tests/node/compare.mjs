// Shared by the Node and browser golden tests: the fixtures and the tolerances against
// lme4/lmerTest (tests/fixtures/<case>/expected.json). Tolerances, per quantity:
//   fixed-effect estimates   |diff| <= 1e-3 * SE
//   SE and df                relative 0.2%
//   VarCorr vcov             relative 0.2%, or absolute 1e-6 for near-zero variances; a
//                            variance lme4 puts at zero: below 1e-6 of the residual variance
//   correlations             absolute 2e-3
//   REML criterion, logLik   absolute 1e-3
//   singular, nobs, dropped rows   equal
//   R² (marginal, conditional) and variance shares   absolute 1e-3
// Where lme4 itself did not converge (expected.converged === false, e.g. trial_between: an
// outcome constant within persons) its numbers are artefacts: only nobs and lagmix's warning
// are checked, as crate/tests/golden.rs does.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const fixturesDir = path.join(root, "tests", "fixtures");

/** Every fixture with spec.json and expected.json under tests/<dirName>: {name, dir, spec, expected, csvPath, csvText}. */
export function loadFixtures(dirName = "fixtures") {
  const dir = path.join(root, "tests", dirName);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(dir, d.name))
    .filter((dir) => fs.existsSync(path.join(dir, "spec.json")) && fs.existsSync(path.join(dir, "expected.json")))
    .sort()
    .map((dir) => {
      const spec = JSON.parse(fs.readFileSync(path.join(dir, "spec.json"), "utf8"));
      const expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8"));
      const csvPath = path.join(dir, spec.data ?? "data.csv");
      return { name: path.basename(dir), dir, spec, expected, csvPath, csvText: fs.readFileSync(csvPath, "utf8") };
    });
}

/** The options object for the wasm `fit` from a spec.json. */
export function fitOptions(spec) {
  const options = { formula: spec.formula };
  for (const k of ["id", "time", "reml", "df", "correlation", "na", "delimiter"]) if (spec[k] !== undefined && spec[k] !== null) options[k] = spec[k];
  return options;
}

const isNum = (x) => typeof x === "number" && Number.isFinite(x);

function near(what, actual, expected, { rel = 0, abs = 0 }) {
  if (expected === null || expected === undefined || (typeof expected === "number" && !Number.isFinite(expected))) {
    // lme4 reports NA / Inf: ours must not be a finite number either... unless the reference
    // simply has no value (null), in which case anything is accepted.
    if (expected === null || expected === undefined) return [];
    return isNum(actual) ? [`${what}: expected ${expected}, got ${actual}`] : [];
  }
  if (!isNum(actual)) return [`${what}: expected ${expected}, got ${actual}`];
  const limit = Math.max(abs, rel * Math.abs(expected));
  const diff = Math.abs(actual - expected);
  return diff <= limit ? [] : [`${what}: expected ${expected}, got ${actual} (|diff| ${diff.toExponential(2)} > ${limit.toExponential(2)})`];
}

/** Compares one fixed-effects row (numbers) with the reference; returns a list of problems. */
export function compareFixedRow(term, actual, expected) {
  return [
    ...near(`${term} estimate`, actual.estimate, expected.estimate, { abs: 1e-3 * Math.abs(expected.se) }),
    ...near(`${term} SE`, actual.se, expected.se, { rel: 2e-3 }),
    ...near(`${term} df`, actual.df, expected.df, { rel: 2e-3 }),
  ];
}

/** lmerTest's anova(m, type = 3) rows (null in expected.json where R has none): terms and NumDF
 * exact, DenDF and F relative 0.2%, p relative 2% (plus 1e-4). */
export function compareAnova(actual, expected) {
  if (!Array.isArray(expected)) return [];
  if (!Array.isArray(actual)) return ["anova missing from the result"];
  const problems = [];
  const terms = actual.map((r) => r.term).join(", ");
  const want = expected.map((r) => r.term).join(", ");
  if (terms !== want) return [`anova terms: expected ${want}, got ${terms}`];
  expected.forEach((e, i) => {
    const a = actual[i];
    // A term lmerTest cannot test (its columns aliased): NA there, NaN (or null) here.
    if (e.numDf === null) {
      if (!(a.numDf === null || Number.isNaN(a.numDf))) problems.push(`anova ${e.term}: expected no test, got NumDF ${a.numDf}`);
      return;
    }
    if (a.numDf !== e.numDf) problems.push(`anova ${e.term} NumDF: expected ${e.numDf}, got ${a.numDf}`);
    problems.push(...near(`anova ${e.term} DenDF`, a.denDf, e.denDf, { rel: 2e-3 }));
    problems.push(...near(`anova ${e.term} F`, a.f, e.f, { rel: 2e-3 }));
    problems.push(...near(`anova ${e.term} p`, a.p, e.p, { rel: 2e-2, abs: 1e-4 }));
  });
  return problems;
}

/** Compares a whole fit result with expected.json; returns a list of problems (empty = pass). */
export function compareFit(fit, expected) {
  const problems = [];
  if (expected.converged === false) {
    if (expected.nobs !== fit.nobs) problems.push(`nobs: expected ${expected.nobs}, got ${fit.nobs}`);
    if (!fit.warnings.some((w) => w.includes("does not vary within")))
      problems.push(`lme4 failed here; lagmix should warn that the outcome does not vary within groups (warnings: ${JSON.stringify(fit.warnings)})`);
    return problems;
  }
  const fixedByTerm = new Map(fit.fixed.map((f) => [f.term, f]));
  for (const e of expected.fixed ?? []) {
    const a = fixedByTerm.get(e.term);
    if (!a) problems.push(`fixed effect ${e.term} missing (have: ${[...fixedByTerm.keys()].join(", ")})`);
    else problems.push(...compareFixedRow(e.term, a, e));
  }
  if (expected.fixed && expected.fixed.length !== fit.fixed.length)
    problems.push(`expected ${expected.fixed.length} fixed effects, got ${fit.fixed.length}`);
  problems.push(...compareAnova(fit.anova, expected.anova));
  const key = (r) => `${r.group}|${r.var1 ?? ""}|${r.var2 ?? ""}`;
  const vcByKey = new Map(fit.varcorr.map((r) => [key(r), r]));
  for (const e of expected.varcorr ?? []) {
    const a = vcByKey.get(key(e));
    if (!a) problems.push(`VarCorr row ${key(e)} missing (have: ${[...vcByKey.keys()].join(", ")})`);
    else if (e.var2 !== null && e.var2 !== undefined) problems.push(...near(`VarCorr ${key(e)} correlation`, a.sdcor, e.sdcor, { abs: 2e-3 }));
    else if (e.vcov === 0) {
      const residual = fit.varcorr.find((r) => r.group === "Residual")?.vcov ?? 1;
      if (!(Math.abs(a.vcov) <= 1e-6 * residual)) problems.push(`VarCorr ${key(e)}: lme4 puts it at zero, got ${a.vcov}`);
    } else problems.push(...near(`VarCorr ${key(e)} vcov`, a.vcov, e.vcov, { rel: 2e-3, abs: 1e-6 }));
  }
  if (isNum(expected.remlCriterion)) problems.push(...near("REML criterion", fit.remlCriterion, expected.remlCriterion, { abs: 1e-3 }));
  if (isNum(expected.logLik)) problems.push(...near("logLik", fit.logLik, expected.logLik, { abs: 1e-3 }));
  if (expected.singular !== undefined && expected.singular !== fit.singular)
    problems.push(`singular: expected ${expected.singular}, got ${fit.singular}`);
  if (expected.nobs !== undefined && expected.nobs !== fit.nobs) problems.push(`nobs: expected ${expected.nobs}, got ${fit.nobs}`);
  if (expected.droppedRows !== undefined && expected.droppedRows !== fit.droppedRows)
    problems.push(`dropped rows: expected ${expected.droppedRows}, got ${fit.droppedRows}`);
  if (expected.r2) problems.push(...compareR2(fit, expected.r2));
  return problems;
}

/** Nakagawa's R² (performance 0.10.2) within 1e-3, and the variance shares within 1e-3. */
export function compareR2(fit, expected) {
  const problems = [...near("marginal R²", fit.r2.marginal, expected.marginal, { abs: 1e-3 })];
  if ((expected.conditional === null) !== (fit.r2.conditional === null))
    problems.push(`conditional R²: expected ${expected.conditional}, got ${fit.r2.conditional}`);
  else if (expected.conditional !== null) problems.push(...near("conditional R²", fit.r2.conditional, expected.conditional, { abs: 1e-3 }));
  const shares = expected.shares ?? [];
  if (shares.length !== fit.varianceShares.length) problems.push(`expected ${shares.length} variance shares, got ${fit.varianceShares.length}`);
  shares.forEach((e, i) => {
    const a = fit.varianceShares[i];
    if (!a || a.group !== e.group) problems.push(`variance share ${i}: expected ${e.group}, got ${a?.group}`);
    else problems.push(...near(`share of ${e.group}`, a.share, e.share, { abs: 1e-3 }));
  });
  return problems;
}
