// The page's computation thread: loads the wasm core and answers requests, so the page never
// freezes during a fit. Holds at most one parsed data set (Analysis); data stay in memory only.
//
// Requests {id, type, ...} -> replies {id, ok: true, value} or {id, ok: false, message}.
//   load     {csvText, options: {id, time, na, delimiter}}
//              -> {columns, preview, summary?, summaryError?, missing?: Description, missingError?}
//   fit      {options: {formula, reml, df}, variables}     -> {fit, description?, descriptionError?}
//   derived  {formula}                                      -> CSV text
import init, { Analysis } from "./pkg/lagmix_wasm.js";

const ready = init().then(
  () => null,
  (e) => `The computing engine (WebAssembly) could not be loaded: ${e && e.message ? e.message : e}`,
);
let analysis = null;

const message = (e) => (e && e.message ? e.message : String(e));

function attempt(f) {
  try {
    return { value: f() };
  } catch (e) {
    return { error: message(e) };
  }
}

const handlers = {
  load({ csvText, options }) {
    const next = new Analysis(csvText, options);
    if (analysis) analysis.free();
    analysis = next;
    const summary = attempt(() => analysis.summary());
    const columns = analysis.columns();
    // Missingness per occasion of every numeric column that is not the id or the time.
    const variables = columns
      .filter((c) => c.kind === "numeric" && c.name !== options.id && c.name !== options.time)
      .map((c) => c.name);
    const missing = options.id && options.time && variables.length ? attempt(() => analysis.describe(variables)) : {};
    return {
      columns,
      preview: analysis.preview(8),
      summary: summary.value,
      summaryError: summary.error,
      missing: missing.value,
      missingError: missing.error,
    };
  },
  fit({ options, variables }) {
    if (!analysis) throw new Error("Load a data set first.");
    const fit = analysis.fit(options);
    const description = variables && variables.length ? attempt(() => analysis.describe(variables)) : {};
    return { fit, description: description.value, descriptionError: description.error };
  },
  derived({ formula }) {
    if (!analysis) throw new Error("Load a data set first.");
    return analysis.derivedCsv(formula);
  },
};

self.onmessage = async (event) => {
  const { id, type } = event.data;
  const failure = await ready;
  if (failure) {
    self.postMessage({ id, ok: false, message: failure, fatal: true });
    return;
  }
  try {
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request ${type}`);
    self.postMessage({ id, ok: true, value: handler(event.data) });
  } catch (e) {
    self.postMessage({ id, ok: false, message: message(e) });
  }
};
