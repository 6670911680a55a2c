// <lagmix-app>: the whole lagmix page inside another page (a lab's website), in its own Shadow DOM.
//
//   <script type="module" src="https://lagmix.example.org/lagmix-app.js"></script>
//   <lagmix-app formula="lead(spin) ~ spin + wai + (1 | id)" id-column="id" time-column="week"
//     df="satterthwaite" example="our-pilot.csv" heading="Our lab's lagmix"></lagmix-app>
//
// Attributes (all optional) preset what the served page reads from its URL: `formula`,
// `id-column`, `time-column`, `df` (satterthwaite, residual, between-within, or any value of the
// df menu), `method` (REML or ML), `example` (a CSV file's URL, relative to the host page, loaded
// by "Use example data"; lagmix's own example when absent) and `heading` (the page title; `title`
// is read too, but it is also the browser's tooltip for the whole element). They are read once,
// when the element is first put in the page. The element keeps its settings to itself: it never
// writes the host page's URL. One <lagmix-app> per page (the page modules keep module state).
// It fires `lagmix-ready` once its page is running.
//
// Its markup is index.html's <body> and its styles the sheets index.html names, all next to this
// module, so the element has every control the served page has. Browsers start workers only from
// the page's own origin, so the worker is made from a Blob that imports worker.js. From another
// origin the module, its imports, the stylesheets, index.html and the wasm need CORS headers; the
// host page's CSP must allow them (README, "Putting lagmix on a lab website", has the lines).
import { configure } from "./host.js";

const here = (file) => new URL(file, import.meta.url).href;

/**
 * A module worker of the host page's origin (a Blob) that runs lagmix's worker.js. It imports it
 * with import(), which the host's CSP checks against script-src; a static import would be checked
 * against worker-src, which would then have to name lagmix's origin too. Requests that arrive
 * before worker.js has set its handler are kept and handed to it.
 */
function blobWorker() {
  const source = `const early = [];
self.onmessage = (event) => early.push(event);
import(${JSON.stringify(here("./worker.js"))}).then(
  () => early.forEach((event) => self.onmessage(event)),
  (e) => {
    const fail = ({ data }) => self.postMessage({ id: data.id, ok: false, fatal: true, message: "The computing engine could not be loaded: " + e.message });
    self.onmessage = fail;
    early.forEach(fail);
  },
);
`;
  return new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })), { type: "module" });
}

/** The settings the attributes preset, under the names main.js reads from the URL hash. */
function presets(element) {
  const read = (name) => element.getAttribute(name) ?? undefined;
  return { formula: read("formula"), id: read("id-column"), time: read("time-column"), df: read("df"), method: read("method") };
}

/** The example data: the `example` attribute's file, or lagmix's own example. */
function exampleData(element) {
  const url = element.hasAttribute("example") ? new URL(element.getAttribute("example"), document.baseURI) : here("./example/trial.csv");
  return async () => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
    return response.blob();
  };
}

/**
 * index.html's body (never its scripts), parsed inert and adopted into `shadow`; resolves to the
 * URLs of the module scripts index.html loads (main.js and any other), to be run in order.
 */
async function fillShadow(shadow, heading) {
  const response = await fetch(here("./index.html"));
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${response.url}`);
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  // A parsed document runs no scripts, so its <noscript> would show: drop it.
  for (const node of page.body.querySelectorAll("script, noscript")) node.remove();
  // The stylesheets index.html names, resolved next to this module.
  const styles = [...page.head.querySelectorAll('link[rel="stylesheet"]')].map((link) =>
    Object.assign(document.createElement("link"), { rel: "stylesheet", href: here(link.getAttribute("href")) }),
  );
  shadow.replaceChildren(...styles, ...[...page.body.childNodes].map((n) => document.importNode(n, true)));
  if (heading) shadow.querySelector("h1").textContent = heading;
  const offline = shadow.querySelector("#offline-link a");
  // From another origin the browser ignores `download` and opens the file: in a new tab, then.
  if (offline) Object.assign(offline, { href: here("./lagmix.html"), target: "_blank", rel: "noopener" });
  const footer = shadow.querySelector("footer p");
  if (footer) footer.textContent = footer.textContent.replace(/Settings, never data, are kept in the page address.*$/s, "");
  return [...page.querySelectorAll('script[type="module"][src]')].map((script) => here(script.getAttribute("src")));
}

let mounted = false;

class LagmixApp extends HTMLElement {
  async connectedCallback() {
    if (this.shadowRoot) return;
    const shadow = this.attachShadow({ mode: "open" });
    if (mounted) {
      shadow.textContent = "Only one lagmix-app can run on a page.";
      return;
    }
    mounted = true;
    let modules;
    try {
      modules = await fillShadow(shadow, this.getAttribute("heading") ?? this.getAttribute("title"));
    } catch (e) {
      shadow.textContent = `lagmix could not be loaded (${e.message}).`;
      return;
    }
    configure({ root: shadow, settingsInUrl: false, defaults: presets(this), makeWorker: blobWorker, exampleData: exampleData(this), startHint: "" });
    for (const url of modules) await import(url);
    this.dispatchEvent(new Event("lagmix-ready"));
  }
}

customElements.define("lagmix-app", LagmixApp);
