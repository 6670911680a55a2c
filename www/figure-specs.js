// What each figure shows, as plain data: its title, caption, the numbers behind it (a table, the
// figure's text alternative) and the marks to draw. No DOM here: figures.js draws the specs with
// Observable Plot, and tests/node/figures.test.mjs checks them. The data come from the worker's
// compact FigureData (describe::figure_data in the core), never the whole data set.
import { fixed, apaNumber } from "./render.js";

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

/** Every figure the data and the fit allow, in the order the page shows them. */
export function figureSpecs(data, fit) {
  const specs = data.variables.map((v) => trajectorySpec(data, v));
  specs.push(...data.variables.map((v) => meansSpec(data, v)));
  if (data.association) {
    specs.push(associationSpec(data, fit, "within"), associationSpec(data, fit, "between"));
  }
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
