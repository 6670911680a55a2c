// The computing engine: worker.js (which runs the wasm core) behind one request function, with
// the progress bar and Cancel. The main thread never reads or parses the data: the File itself
// goes to the worker, which reports progress while it reads, transforms and fits; Cancel
// terminates it and starts a new one (which must read the file again: state.workerHasData).
import { $, host } from "./host.js";
import { state } from "./state.js";
import { showError, status, fileHint } from "./messages.js";

let worker = null;
let nextId = 1;
const pending = new Map();

export function startWorker() {
  try {
    worker = host.makeWorker();
  } catch (e) {
    showError(`The computing engine could not be started: ${e.message}.${fileHint}`);
    return;
  }
  worker.onmessage = ({ data }) => {
    const p = pending.get(data.id);
    if (!p) return;
    if (data.progress) {
      p.onProgress?.(data.progress);
      return;
    }
    pending.delete(data.id);
    if (data.ok) p.resolve(data.value);
    else p.reject(Object.assign(new Error(data.message + (data.fatal ? fileHint : "")), { trapped: data.trapped }));
    // A trapped wasm instance is unusable: the page goes on with a new worker.
    if (data.trapped) restartWorker();
  };
  worker.onerror = (event) => {
    event.preventDefault?.();
    const text = `The computing engine failed to start${event.message ? `: ${event.message}` : ""}.${fileHint}`;
    for (const p of pending.values()) p.reject(new Error(text));
    pending.clear();
    showError(text);
  };
}

export function request(type, payload, onProgress = showProgress) {
  if (!worker) startWorker();
  if (!worker) return Promise.reject(new Error("The computing engine is not available." + fileHint));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    worker.postMessage({ id, type, ...payload });
  });
}

function restartWorker() {
  worker?.terminate();
  worker = null;
  state.workerHasData = false;
  for (const p of pending.values()) p.reject(new Error("The computing engine was restarted."));
  pending.clear();
  startWorker();
}

/** Thrown to the waiting callers when the user cancels; they say so instead of an error. */
export class Cancelled extends Error {}

export function cancel() {
  if (!worker) return;
  worker.terminate();
  worker = null;
  state.workerHasData = false;
  const cancelled = new Cancelled("Cancelled.");
  for (const p of pending.values()) p.reject(cancelled);
  pending.clear();
  startWorker();
}

// Each stage fills its own stretch of the bar; reading (which also types the columns as the
// chunks come) moves with the bytes read, the other stages are single steps of the core.
const STAGES = {
  reading: [0, 90, (p) => `Reading ${p.name}: ${mb(p.done)} of ${mb(p.total)} MB`],
  parsing: [90, 95, () => "Checking the columns…"],
  roles: [95, 99, () => "Finding persons and occasions…"],
  transforming: [0, 20, () => "Transforming (within, between, lag, lead) and building the model…"],
  fitting: [20, 95, () => "Fitting the model (REML or ML) and computing the degrees of freedom…"],
};
const mb = (bytes) => (bytes / 1e6).toFixed(1);
let progressName = "";

function showProgress({ stage, done, total }) {
  const [from, to, label] = STAGES[stage] ?? [0, 0, () => stage];
  const value = Math.round(from + (to - from) * (total ? Math.min(done / total, 1) : 0));
  const bar = $("progress-bar");
  bar.setAttribute("aria-valuenow", String(value));
  bar.setAttribute("aria-valuetext", `${value}%: ${stage}`);
  bar.dataset.stage = stage;
  $("progress-fill").style.width = `${value}%`;
  $("progress-label").textContent = label({ name: progressName, done, total });
  $("progress").hidden = false;
  // Screen readers hear each stage once (a live region), not every percent of the bar.
  if (stage && $("progress-live").dataset.stage !== stage) {
    $("progress-live").dataset.stage = stage;
    $("progress-live").textContent = $("progress-label").textContent;
  }
}

let busy = 0;

/**
 * Runs `work` with the progress bar and the Cancel button shown and Fit disabled (a fit asked
 * for while a file is being read would read it again); resolves to null if cancelled.
 */
export async function withProgress(name, work) {
  busy++;
  progressName = name;
  showProgress({ stage: "", done: 0, total: 0 });
  $("progress-label").textContent = `Starting: ${name}…`;
  $("fit-button").disabled = true;
  try {
    return await work();
  } catch (e) {
    if (!(e instanceof Cancelled)) throw e;
    status("Cancelled. Choose a file or fit again when you are ready.");
    return null;
  } finally {
    // Another request (a new file chosen during a fit) may still be running.
    if (--busy === 0) {
      const bar = $("progress-bar");
      bar.setAttribute("aria-valuenow", "100");
      bar.dataset.stage = "done";
      $("progress-fill").style.width = "100%";
      $("progress").hidden = true;
      $("fit-button").disabled = false;
      delete $("progress-live").dataset.stage;
    }
  }
}

