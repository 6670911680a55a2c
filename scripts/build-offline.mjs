#!/usr/bin/env node
// Builds dist/lagmix.html: the whole page in one HTML file that works when opened from disk
// (file://), with no request to anything, and copies it to www/lagmix.html (the served page
// offers it as "Download lagmix for offline use"). Run after scripts/build-wasm.sh.
//
// It starts from www/index.html, so controls added there come along by themselves:
// - every <link rel="stylesheet" href> becomes one inline <style>;
// - every <script type="module" src> becomes an import of one esbuild bundle, after offline.js
//   (which tells host.js where the worker, the wasm and the example data are), inlined as one
//   <script type="module">; modules these import, also lazily with import(), are bundled in;
// - the worker (worker.js and the wasm glue) is bundled into a classic script, and it, the wasm
//   (base64) and the example data become data blocks (<script type="text/plain">, never run);
// - the Content-Security-Policy allows exactly that inline script and style by their SHA-256
//   hashes, wasm compilation ('wasm-unsafe-eval') and Blob workers, and nothing else;
// - the "Download lagmix for offline use" paragraph (#offline-link) is left out.
// Prints the size and fails when the file reaches the 5 MB limit.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const www = path.join(root, "www");
const LIMIT_BYTES = 5 * 1024 * 1024;

/** The CSP of the single file; `script` and `style` are the inline contents it allows. */
export function offlinePolicy(script, style) {
  const hash = (text) => `'sha256-${crypto.createHash("sha256").update(text, "utf8").digest("base64")}'`;
  return [
    "default-src 'none'",
    `script-src ${hash(script)} 'wasm-unsafe-eval'`,
    "worker-src blob:",
    "connect-src 'none'",
    `style-src ${hash(style)}`,
    "img-src data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

async function bundle(options) {
  const result = await esbuild.build({
    bundle: true,
    write: false,
    minify: true,
    legalComments: "none",
    target: ["es2020"],
    // The wasm glue's default path (fetching the .wasm next to it) reads import.meta.url; the
    // single file never takes that path, so an empty import.meta is fine.
    logOverride: { "empty-import-meta": "silent" },
    ...options,
  });
  return result.outputFiles[0].text;
}

// Inside <script>...</script> only "</script" (and "<!--") can end the element early; in
// JavaScript "<\/" means the same as "</" inside strings, regular expressions and templates.
export const scriptSafe = (js) => js.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");

function dataBlock(id, text) {
  if (/<\/script|<!--/i.test(text)) throw new Error(`build-offline: ${id} contains "</script" or "<!--"`);
  return `<script type="text/plain" id="${id}">${text}</script>`;
}

/** The page's own stylesheets and module scripts, in the order index.html names them. */
function assets(html) {
  const styles = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">\n?/g)];
  const scripts = [...html.matchAll(/<script type="module" src="([^"]+)"><\/script>\n?/g)];
  if (!styles.length || !scripts.length) throw new Error("build-offline: index.html names no stylesheet or no module script");
  return { styles, scripts };
}

/** Builds the file; resolves to {path, bytes}. `quiet` leaves out the line about sizes. */
export async function buildOffline({ quiet = false } = {}) {
  const wasmPath = path.join(www, "pkg", "lagmix_wasm_bg.wasm");
  if (!fs.existsSync(wasmPath)) throw new Error("build-offline: www/pkg is missing: run scripts/build-wasm.sh first");
  let html = fs.readFileSync(path.join(www, "index.html"), "utf8");
  const { styles, scripts } = assets(html);

  const style = styles.map(([, href]) => fs.readFileSync(path.join(www, href), "utf8")).join("\n");
  const entry = ["./offline.js", ...scripts.map(([, src]) => `./${src}`)].map((s) => `import ${JSON.stringify(s)};`).join("\n");
  const script = scriptSafe(await bundle({ stdin: { contents: entry, resolveDir: www, sourcefile: "lagmix-offline-entry.js" }, format: "esm" }));
  const worker = scriptSafe(await bundle({ entryPoints: [path.join(www, "worker.js")], format: "iife" }));
  const wasm = fs.readFileSync(wasmPath).toString("base64");
  const example = fs.readFileSync(path.join(www, "example", "trial.csv"), "utf8");

  for (const [tag] of styles.slice(1)) html = html.replace(tag, "");
  for (const [tag] of scripts.slice(1)) html = html.replace(tag, "");
  // The offline copy offers no download of itself.
  html = html
    .replace(/\s*<p id="offline-link"[^]*?<\/p>/, "")
    .replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, () => `<meta http-equiv="Content-Security-Policy" content="${offlinePolicy(script, style)}">`)
    .replace(styles[0][0], () => `<style>${style}</style>\n`)
    .replace(scripts[0][0], () => `<script type="module">${script}</script>\n`)
    .replace("</body>", () =>
      [dataBlock("lagmix-worker", worker), dataBlock("lagmix-wasm", wasm), dataBlock("lagmix-example", example), "</body>"].join("\n"),
    );
  if (!html.includes('id="lagmix-wasm"') || html.includes("'unsafe-inline'")) throw new Error("build-offline: the page did not take the expected shape");

  fs.mkdirSync(path.join(root, "dist"), { recursive: true });
  const out = path.join(root, "dist", "lagmix.html");
  fs.writeFileSync(out, html);
  fs.copyFileSync(out, path.join(www, "lagmix.html"));
  const bytes = Buffer.byteLength(html);
  const mb = (bytes / 1e6).toFixed(2);
  if (bytes >= LIMIT_BYTES) throw new Error(`build-offline: dist/lagmix.html is ${mb} MB, over the 5 MB limit`);
  if (!quiet) console.log(`build-offline: dist/lagmix.html and www/lagmix.html ready (${mb} MB: wasm ${(wasm.length / 1e6).toFixed(2)} MB as base64, worker ${(worker.length / 1e3).toFixed(0)} kB, page script ${(script.length / 1e3).toFixed(0)} kB; limit 5 MB)`);
  return { path: out, bytes };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await buildOffline();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
