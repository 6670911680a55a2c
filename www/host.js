// Where the page runs: the served page (index.html), the single offline file (dist/lagmix.html,
// built from offline.js) or the <lagmix-app> element in someone else's page (lagmix-app.js).
// The page modules never reach for `document`, `location` or a file next to them directly: they
// find their elements with `$` (in the document or in the element's shadow root) and ask `host`
// for the worker and the example data. To add a control, give it an id in index.html and find it
// with `$("its-id")`; it then works in all three. A new module can be imported by main.js or
// named in index.html's <head> (<script type="module" src="x.js">); both builds pick it up. Never
// fetch a file next to the page: the offline file has none (add it to `host`, as exampleData).
//
// Exactly one lagmix page per document: the modules keep their state at module level.

/** The settings of the page that runs; offline.js and lagmix-app.js replace some before main.js runs. */
export const host = {
  /** `document` or a ShadowRoot: everything the page modules look up, they look up here. */
  root: document,
  /** The served page keeps its settings in the URL hash; an embedded element never touches the host's URL. */
  settingsInUrl: true,
  /** Settings to start from when the URL is not used (the element's attributes). */
  defaults: {},
  /** The worker that runs the wasm core; a module worker next to this file on the served page. */
  makeWorker: () => new Worker(new URL("./worker.js", import.meta.url), { type: "module" }),
  /** The example data set, as a Blob. */
  exampleData: async () => {
    const response = await fetch(new URL("./example/trial.csv", import.meta.url));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.blob();
  },
  /** Added to start-up errors: what to do when the engine cannot start here. */
  startHint:
    location.protocol === "file:"
      ? "\nThis page was opened from a file (file://), where some browsers (Chrome, Edge) do not allow " +
        "it to start its computing engine. Open lagmix.html (the single-file version, which works from disk) instead, " +
        "or serve the folder: run `npm start` in the lagmix folder, or put the www folder on a web server."
      : "",
};

/** Replaces some of `host`'s settings; call it before main.js is evaluated. */
export function configure(settings) {
  Object.assign(host, settings);
}

/** The page's element with this id, in the document or in the element's shadow root. */
export const $ = (id) => host.root.getElementById(id);

/** A page element by CSS selector (the first match), in the same root as `$`. */
export const $$ = (selector) => host.root.querySelector(selector);
