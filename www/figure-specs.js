// What each figure shows, as plain data: its title, caption, the numbers behind it (a table, the
// figure's text alternative) and the marks to draw. No DOM here: figures.js draws the specs with
// Observable Plot, and tests/node/figures.test.mjs checks them. The data come from the worker's
// compact FigureData (describe::figure_data in the core), never the whole data set.
import { fixed, apaNumber, apaDf } from "./render.js";
import { spreadReading, normalityReading } from "./model-checks.js";

/** Person and mean lines of one variable over the occasions. */
export function trajectorySpec(data, figure) {
  const { variable } = figure;
  const lines = figure.trajectories.flatMap((t) => t.times.map((time, i) => ({ person: t.person, time, value: t.values[i] })));
  const means = figure.means.filter((m) => m.mean !== null);
  const sample =
    data.sampledPersons < data.persons
      ? `${data.sampledPersons} of the ${data.persons} persons are drawn, evenly spaced in ${data.id} order`
      : `all ${data.persons} persons are drawn`;
  return {
    id: `trajectories-${slug(variable)}`,
    title: `${variable} over ${data.time}, person by person`,
    caption:
      `Each thin grey line is one person's ${variable} at each ${data.time} (${sample}). ` +
      `The black line is the mean per ${data.time}, with its 95% confidence interval as a grey band.`,
    table: meansTable(data.time, [figure]),
    x: data.time,
    y: variable,
    lines,
    means,
  };
}

/** The means of one variable with their 95% CIs (Table 1 as a figure). */
export function meansSpec(data, figure) {
  const rows = figure.means.filter((m) => m.mean !== null && m.ciLower !== null);
  return {
    id: `means-${slug(figure.variable)}`,
    title: `Mean ${figure.variable} per ${data.time} with 95% confidence intervals`,
    caption:
      `The mean of ${figure.variable} at each ${data.time} (circles) with its 95% confidence interval ` +
      `(t interval, vertical lines), over the observed values of ${data.persons} persons; ` +
      `the dashed line joins the means.`,
    table: meansTable(data.time, [figure]),
    x: data.time,
    y: figure.variable,
    rows,
  };
}

/** The within- or between-person association, with the model's slope when the model has one. */
export function associationSpec(data, fit, level) {
  const a = data.association;
  const within = level === "within";
  const points = (within ? a.within : a.between).map(([x, y]) => ({ x, y }));
  const term = `${level}(${a.x})`;
  const effect = fit?.fixed.find((e) => e.term === term);
  const centre = {
    x: points.reduce((s, p) => s + p.x, 0) / Math.max(points.length, 1),
    y: points.reduce((s, p) => s + p.y, 0) / Math.max(points.length, 1),
  };
  const others = fit ? fit.fixed.filter((e) => e.term !== "(Intercept)" && e.term !== term) : [];
  const xLabel = within ? `within(${a.x})` : `person mean of ${a.x}`;
  const yLabel = within ? `within(${a.y})` : `person mean of ${a.y}`;
  const what = within
    ? `Each point is one occasion: a person's ${a.x} and ${a.y} as deviations from that person's own means` +
      (points.length < a.withinRows ? ` (${points.length} of ${a.withinRows} occasions, evenly spaced)` : ` (${points.length} occasions)`)
    : `Each point is one person's mean ${a.x} and mean ${a.y} over all observed occasions (${points.length} persons)`;
  let slope = "";
  if (effect) {
    slope =
      ` The line has the model's slope for ${term}, B = ${apaNumber(effect.estimate)}, drawn through the points' centre` +
      (others.length
        ? `: a partial slope, adjusted for the model's other predictors (${others.map((e) => e.term).join(", ")}) and for the outcome ${fit.response}, so it need not follow the raw points.`
        : ` (outcome ${fit.response}).`);
  } else {
    slope = ` The model has no ${term} term, so no fitted slope is drawn.`;
  }
  return {
    id: `association-${level}`,
    title: within ? `Within-person association of ${a.x} and ${a.y}` : `Between-person association of ${a.x} and ${a.y}`,
    caption: `${what}: the raw association.${slope}`,
    table: {
      head: [xLabel, yLabel],
      rows: points.map((p) => [fixed(p.x, 3), fixed(p.y, 3)]),
    },
    xLabel,
    yLabel,
    points,
    line: effect ? { slope: effect.estimate, centre } : null,
  };
}

/** Residuals against fitted values (checks: model-checks.js's checkData). */
export function residualsSpec(checks, fit) {
  const points = checks.fittedResidual.map(([x, y]) => ({ x, y }));
  const sample = points.length < checks.rows ? `${points.length} of the ${checks.rows} rows, evenly spaced` : `all ${checks.rows} rows`;
  const reading = spreadReading(checks.spread);
  return {
    id: "check-residuals-fitted",
    title: `Residuals against fitted values of ${fit.response}`,
    caption: `Each point is one row the model used (${sample}): its fitted value (fixed and random effects) and its conditional residual; the line is zero. ${reading}`,
    reading,
    table: { head: ["Fitted", "Residual"], rows: points.map((p) => [fixed(p.x, 3), fixed(p.y, 3)]) },
    xLabel: "Fitted value",
    yLabel: "Residual",
    points,
    zero: "y",
    line: null,
  };
}

/** A normal Q-Q plot of `q` (qqData), with the line of a normal with q's mean and SD. */
export function qqSpec(q, { id, title, what, note = "" }) {
  const points = q.points.map(([x, y]) => ({ x, y }));
  const sample = points.length < q.n ? `${points.length} of the ${q.n} values, evenly spaced in rank` : `all ${q.n} values`;
  const reading = normalityReading(q, what);
  return {
    id,
    title,
    caption: `The sorted ${what} (${sample}) against the quantiles of a standard normal distribution; the line is a normal distribution with their mean and SD, which the points follow when the ${what} are normal.${note} ${reading}`,
    reading,
    table: { head: ["Normal quantile", "Value"], rows: points.map((p) => [fixed(p.x, 3), fixed(p.y, 3)]) },
    xLabel: "Standard normal quantile",
    yLabel: what[0].toUpperCase() + what.slice(1),
    points,
    zero: "none",
    line: { slope: q.sd, centre: { x: 0, y: q.mean } },
  };
}

/** The model-check figures: residuals against fitted, Q-Q of the residuals and of each random effect. */
export function checkSpecs(checks, fit) {
  if (!checks) return [];
  const specs = [
    residualsSpec(checks, fit),
    qqSpec(checks.residuals, { id: "check-qq-residuals", title: "Normal Q-Q plot of the residuals", what: "residuals" }),
  ];
  for (const r of checks.randomEffects) {
    const what = `conditional modes of ${r.term} per ${r.group}`;
    specs.push(
      qqSpec(r, {
        id: `check-qq-${slug(r.group)}-${slug(r.term)}`,
        title: `Normal Q-Q plot of the random effect ${r.term} | ${r.group}`,
        what,
        note: " The modes are shrunk towards zero (more for groups with few rows), so this is a rough check of the normality assumed for the random effects.",
      }),
    );
  }
  return specs;
}

/** The fitted effect of one predictor (Analysis.effectCurve) with its 95% band. */
export function effectSpec(curve, fit) {
  const rows = curve.x.map((x, i) => ({ x, fit: curve.fit[i], lower: curve.lower[i], upper: curve.upper[i] }));
  const held = curve.held.filter((h) => h.name !== "(Intercept)");
  const heldText = held.length
    ? ` The other predictors are held at their means over the rows used (${held.map((h) => `${h.name} = ${fixed(h.value, 3)}`).join(", ")}); factors, if the model has any, are averaged over their levels in proportion to how often each occurs, their level columns held at their means (emmeans' weights = "proportional"; emmeans' default weights the levels equally).`
    : " The model has no other predictors.";
  const interactions = curve.interactions.length
    ? ` The interactions ${curve.interactions.join(", ")} move with ${curve.term} (times the other part's mean).`
    : "";
  const kr = /kenward/i.test(fit.dfMethod) ? " (Kenward-Roger adjusted)" : "";
  return {
    id: `effect-${slug(curve.term)}`,
    title: `Fitted effect of ${curve.term} on ${curve.response}`,
    caption:
      `The model's prediction of ${curve.response} over the observed range of ${curve.term} (line) with its pointwise 95% confidence band (grey): ` +
      `fit ± t(${apaDf(curve.df)}) × SE, the SE from the fit's covariance of the fixed effects${kr} and the df of ${curve.term}'s coefficient.` +
      heldText + interactions,
    table: { head: [curve.term, "Fitted", "95% CI"], rows: rows.map((r) => [fixed(r.x, 3), fixed(r.fit, 3), `${fixed(r.lower, 3)} to ${fixed(r.upper, 3)}`]) },
    xLabel: curve.term,
    yLabel: curve.response,
    effect: rows,
  };
}

/** The predictors whose fitted effect can be drawn: every fixed effect but the intercept. */
export function effectTerms(fit) {
  return fit.fixed.map((e) => e.term).filter((t) => t !== "(Intercept)");
}

/** The effect drawn first: the first term of the predictor `x` that is not an interaction
 *  (within(x) before between(x) as the formula lists them), else the first predictor. */
export function defaultEffectTerm(fit, x) {
  const terms = effectTerms(fit);
  const mentions = (t) => !t.includes(":") && (t === x || t.includes(`(${x})`) || t.includes(`(${x},`));
  return terms.find(mentions) ?? terms[0] ?? null;
}

/** Every figure the data and the fit allow, in the order the page shows them: the data's
 *  figures, the fitted effect (`extra.effect`, an EffectCurve) and the model checks
 *  (`extra.checks`, checkData's result). */
export function figureSpecs(data, fit, extra = {}) {
  const specs = data ? data.variables.map((v) => trajectorySpec(data, v)) : [];
  if (data) specs.push(...data.variables.map((v) => meansSpec(data, v)));
  if (data?.association) {
    specs.push(associationSpec(data, fit, "within"), associationSpec(data, fit, "between"));
  }
  if (extra.effect && fit) specs.push(effectSpec(extra.effect, fit));
  if (fit) specs.push(...checkSpecs(extra.checks, fit));
  return specs;
}

/** The table of per-occasion means and CIs of `figures`. */
function meansTable(time, figures) {
  return {
    head: ["Variable", time, "n", "M", "95% CI"],
    rows: figures.flatMap((v) =>
      v.means.map((m) => [
        v.variable,
        String(m.time),
        String(m.n),
        m.mean === null ? "" : fixed(m.mean, 2),
        m.ciLower === null ? "" : `${fixed(m.ciLower, 2)} to ${fixed(m.ciUpper, 2)}`,
      ]),
    ),
  };
}

/** A name fit for an element id and a file name: `within(wai)` -> `within-wai`. */
export function slug(text) {
  return String(text).replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase() || "figure";
}
