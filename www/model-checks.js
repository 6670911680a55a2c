// The model checks as compact data and plain-words readings: residuals against fitted values,
// the normal Q-Q plot of the residuals and of each random effect. Pure functions (no DOM, no
// wasm), tested in tests/node/model-checks.test.mjs. The worker thins the fit's per-row outputs
// with them (`checkData`), so that the page draws at most MAX_POINTS points per figure whatever
// the number of rows; figure-specs.js turns the result into figures.

/** Points drawn per figure at most: enough to see a pattern, few enough to keep the page quick. */
export const MAX_POINTS = 2000;

/** `count` indices evenly spaced over 0..n-1, first and last included (all when n <= count). */
export function evenlySpaced(n, count = MAX_POINTS) {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: count }, (_, k) => Math.round((k * (n - 1)) / (count - 1)));
}

/** The standard normal quantile function (Acklam's rational approximation: relative error
 *  below 1.2e-9, far below what a Q-Q plot can show). */
export function qnorm(p) {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  return x;
}

/** R's ppoints(n)[i]: the probability of the i-th (0-based) of n order statistics. */
export function plottingPosition(i, n) {
  const a = n <= 10 ? 3 / 8 : 1 / 2;
  return (i + 1 - a) / (n + 1 - 2 * a);
}

/** Mean, SD, skewness and excess kurtosis (moment estimators) of finite `values`. */
export function moments(values) {
  let n = 0, sum = 0;
  for (const v of values) if (Number.isFinite(v)) { n++; sum += v; }
  const mean = sum / n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const d = v - mean;
    m2 += d * d; m3 += d * d * d; m4 += d * d * d * d;
  }
  m2 /= n; m3 /= n; m4 /= n;
  return { n, mean, sd: Math.sqrt((m2 * n) / Math.max(n - 1, 1)), skewness: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) - 3 };
}

/** A sample of a distribution for its Q-Q plot: evenly spaced order statistics with their
 *  theoretical normal quantiles, and the moments of all values. */
export function qqData(values) {
  const sorted = Float64Array.from(values.filter(Number.isFinite)).sort();
  const n = sorted.length;
  const points = evenlySpaced(n).map((i) => [qnorm(plottingPosition(i, n)), sorted[i]]);
  return { n, points, ...moments(sorted) };
}

/**
 * The check data the worker sends for a fit: `outputs` is Analysis.fittedValues() (fitted and
 * residuals per row used), `randomEffects` Analysis.randomEffects(). Residuals against fitted of
 * evenly spaced rows, the Q-Q data of the residuals and of each random-effects column.
 */
export function checkData(outputs, randomEffects) {
  const n = outputs.fitted.length;
  const rows = evenlySpaced(n);
  const fittedResidual = rows.map((i) => [outputs.fitted[i], outputs.residuals[i]]);
  const terms = [];
  for (const r of randomEffects || []) {
    const q = r.terms.length;
    r.terms.forEach((term, c) => {
      const modes = r.levels.map((_, g) => r.modes[g * q + c]);
      terms.push({ group: r.group, term, ...qqData(modes) });
    });
  }
  return { rows: n, rowsKey: rowsKey(outputs.rows), fittedResidual, spread: spreadByFitted(outputs.fitted, outputs.residuals), residuals: qqData(outputs.residuals), randomEffects: terms };
}

/** A short fingerprint of the data rows a fit used (FNV-1a over their numbers), so that the
 *  comparison can tell models fitted to different rows apart without keeping the rows. */
export function rowsKey(rows) {
  let h = 0x811c9dc5;
  for (const r of rows) {
    h = Math.imul(h ^ (r & 0xffff), 0x01000193);
    h = Math.imul(h ^ (r >>> 16), 0x01000193);
  }
  return `${rows.length}:${(h >>> 0).toString(16)}`;
}

/** The residual SD in the lowest and the highest third of the fitted values (all rows; one
 *  typed-array sort for the cut points, so a million rows take a fraction of a second). */
export function spreadByFitted(fitted, residuals) {
  const n = fitted.length;
  if (n < 6) return null;
  const sorted = Float64Array.from(fitted).sort();
  const [lowCut, highCut] = [sorted[Math.floor(n / 3) - 1], sorted[n - Math.floor(n / 3)]];
  const low = [], high = [];
  for (let i = 0; i < n; i++) {
    if (fitted[i] <= lowCut) low.push(residuals[i]);
    else if (fitted[i] >= highCut) high.push(residuals[i]);
  }
  return { low: moments(low).sd, high: moments(high).sd };
}

/** One line on the residuals against the fitted values. */
export function spreadReading(spread) {
  if (!spread) return "Too few rows to judge the spread.";
  const ratio = spread.high / spread.low;
  const sds = `residual SD ${spread.low.toFixed(2)} in the lowest third of the fitted values, ${spread.high.toFixed(2)} in the highest`;
  if (ratio > 1.5) return `Reading: the spread grows with the fitted values (${sds}); consider a transformation of the outcome.`;
  if (ratio < 1 / 1.5) return `Reading: the spread shrinks as the fitted values grow (${sds}), as near a floor or ceiling of the scale.`;
  return `Reading: the spread is about even over the fitted values (${sds}); look for curvature too.`;
}

/** One line on a normal Q-Q plot, from the skewness and excess kurtosis. */
export function normalityReading({ skewness, kurtosis }, what) {
  const numbers = `skewness ${skewness.toFixed(2)}, excess kurtosis ${kurtosis.toFixed(2)}`;
  const parts = [];
  if (Math.abs(skewness) >= 0.5) parts.push(skewness > 0 ? "skewed to the right (a long upper tail)" : "skewed to the left (a long lower tail)");
  if (kurtosis >= 1) parts.push("heavier-tailed than normal (points leave the line at both ends)");
  else if (kurtosis <= -1) parts.push("lighter-tailed than normal");
  if (!parts.length) return `Reading: the ${what} are close to normal (${numbers}): the points follow the line.`;
  return `Reading: the ${what} are ${parts.join(" and ")} (${numbers}); the fixed effects are fairly robust to this, their SEs less so.`;
}
