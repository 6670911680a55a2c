// Vendors the page's npm libraries into www/vendor/ at build time (the page loads nothing from
// other origins and uses no bundler at run time): Observable Plot, with its d3 modules, as one
// ES module, www/vendor/plot.js. Run by scripts/build-wasm.sh; skips the work when the bundle is
// newer than the installed package.
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "www", "vendor", "plot.js");
const pkg = path.join(root, "node_modules", "@observablehq", "plot", "package.json");
const version = JSON.parse(fs.readFileSync(pkg, "utf8")).version;
const banner = `/* Observable Plot ${version} (ISC license, https://observablehq.com/plot/) with d3 (ISC), vendored by scripts/vendor.mjs */`;

const upToDate = fs.existsSync(out) && fs.readFileSync(out, "utf8").startsWith(banner);
if (!upToDate) {
  await build({
    entryPoints: [path.join(root, "node_modules", "@observablehq", "plot", "src", "index.js")],
    bundle: true,
    format: "esm",
    minify: true,
    legalComments: "none",
    banner: { js: banner },
    outfile: out,
    logLevel: "warning",
  });
}
console.log(`vendor: www/vendor/plot.js (Observable Plot ${version}, ${Math.round(fs.statSync(out).size / 1024)} KiB)`);
