// The worker's requests for issue 11's steps (worker.js merges them into its handlers):
//   reshape     {file, options: ReshapeOptions}   -> {csv, summary}
//   reliability {options: ItemOptions}             -> Alpha
//   score       {options: ItemOptions + name}      -> {rule, columns}
// (load itself answers `wide`: Analysis.wideGuess(), from the typed columns.)
import { reshapeWide } from "./pkg/lagmix_wasm.js";

/** The handlers; `current()` is the worker's loaded Analysis (or null). */
export function itemHandlers(current) {
  const loaded = () => {
    const analysis = current();
    if (!analysis) throw new Error("Load a data set first.");
    return analysis;
  };
  return {
    async reshape({ file, options }) {
      return reshapeWide(new Uint8Array(await file.arrayBuffer()), options);
    },
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
