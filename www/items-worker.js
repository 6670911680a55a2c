// The worker's requests for issue 11's steps (worker.js merges them into its handlers):
//   reshape     {file, options: ReshapeOptions}   -> {csv, summary}
//   reliability {options: ItemOptions}             -> Alpha
//   score       {options: ItemOptions + name}      -> {rule, columns}
// and `wideGuess`, which load uses to say whether the file looks wide.
import { detectWide, reshapeWide } from "./pkg/lagmix_wasm.js";

// Wide files are one row per person: small. Larger files are not read twice to look.
const DETECT_LIMIT = 32 * 1024 * 1024;

/** A WideGuess for the file, or null (too large, not readable as CSV, or not wide). */
export async function wideGuess(file, options) {
  if (file.size > DETECT_LIMIT) return null;
  try {
    return detectWide(new Uint8Array(await file.arrayBuffer()), { delimiter: options?.delimiter || undefined });
  } catch {
    return null;
  }
}

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
