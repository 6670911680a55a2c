// The worker's requests for issue 11's steps (worker.js merges them into its handlers):
//   reliability {options: ItemOptions}             -> Alpha
//   score       {options: ItemOptions + name}      -> {rule, columns}
// (The reshape is part of load: `reshape` options read any wide file to long, and load
// answers `wide`, Analysis.wideGuess() from the typed columns, and `reshaped`.)

/** The handlers; `current()` is the worker's loaded Analysis (or null). */
export function itemHandlers(current) {
  const loaded = () => {
    const analysis = current();
    if (!analysis) throw new Error("Load a data set first.");
    return analysis;
  };
  return {
    reliability({ options }) {
      return loaded().reliability(options);
    },
    score({ options }) {
      const analysis = loaded();
      const rule = analysis.addScore(options);
      return { rule, columns: analysis.columns() };
    },
  };
}
