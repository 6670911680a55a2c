// The single offline file (dist/lagmix.html, made by scripts/build-offline.mjs) runs this before
// the page modules. A page opened from file:// may fetch nothing and start no worker from a file,
// so the build puts the wasm, the worker's code and the example data into the HTML as data blocks
// (<script type="text/plain">, never executed) and this module hands them to host.js: the worker
// is made from a Blob, the wasm bytes go to the glue's initSync, the example is a Blob too.
import { configure } from "./host.js";

const block = (id) => document.getElementById(id).textContent;

function workerUrl() {
  const wasm = block("lagmix-wasm").trim();
  // Decoded in the worker, so that the page's own thread never holds the bytes.
  const prelude = `self.lagmixWasmBytes = Uint8Array.from(atob(${JSON.stringify(wasm)}), (c) => c.charCodeAt(0));\n`;
  return URL.createObjectURL(new Blob([prelude, block("lagmix-worker")], { type: "text/javascript" }));
}

let url = null;

configure({
  // A classic worker: the worker's modules are bundled into one script.
  makeWorker: () => new Worker((url ??= workerUrl())),
  exampleData: async () => new Blob([block("lagmix-example")], { type: "text/csv" }),
  startHint: "",
});
