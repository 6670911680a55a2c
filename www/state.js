// The page's shared state: the data set loaded (a File or Blob, never its contents: the worker
// reads it), the current fit and what the worker holds. One object for every panel module; data
// are kept in memory only (never in localStorage, sessionStorage, IndexedDB or cookies).

/** `file` is the loaded data (a File or Blob); `workerHasData` is false after a cancel or a
 *  restart, when the new worker must read the file again before it can fit. */
export const state = {
  file: null,
  fileName: "",
  columns: [],
  // Variable labels (SPSS) by column name, shown beside the names.
  labels: {},
  preview: null,
  workerHasData: false,
  loading: false,
  fit: null,
  fitOptions: null,
  description: null,
  descriptionError: "",
  version: "",
  hashApplied: false,
};
