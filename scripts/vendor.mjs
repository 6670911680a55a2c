// Vendors the page's npm libraries into www/vendor/ at build time (the page loads nothing from
// other origins and uses no bundler at run time), each as one ES module: Observable Plot with its
// d3 modules (www/vendor/plot.js) and docx, which writes the Word report (www/vendor/docx.js).
// Run by scripts/build-wasm.sh; skips a library whose bundle already names the installed version.
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const LIBRARIES = [
  {
    out: "plot.js",
    pkg: ["@observablehq", "plot"],
    entry: ["src", "index.js"],
    banner: (v) => `/* Observable Plot ${v} (ISC license, https://observablehq.com/plot/) with d3 (ISC), vendored by scripts/vendor.mjs */`,
  },
  {
    out: "docx.js",
    pkg: ["docx"],
    entry: ["dist", "index.mjs"],
    banner: (v) => `/* docx ${v} (MIT license, https://docx.js.org/), vendored by scripts/vendor.mjs */`,
  },
];

for (const lib of LIBRARIES) {
  const dir = path.join(root, "node_modules", ...lib.pkg);
  const version = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
  const out = path.join(root, "www", "vendor", lib.out);
  const banner = lib.banner(version);
  const upToDate = fs.existsSync(out) && fs.readFileSync(out, "utf8").startsWith(banner);
  if (!upToDate) {
    await build({
      entryPoints: [path.join(dir, ...lib.entry)],
      bundle: true,
      format: "esm",
      platform: "browser",
      minify: true,
      legalComments: "none",
      banner: { js: banner },
      outfile: out,
      logLevel: "warning",
    });
  }
  console.log(`vendor: www/vendor/${lib.out} (${lib.pkg.join("/")} ${version}, ${Math.round(fs.statSync(out).size / 1024)} KiB)`);
}
