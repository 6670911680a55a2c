// Loads the built wasm binding (www/pkg) synchronously in Node.
import fs from "node:fs";
import path from "node:path";
import { root } from "./compare.mjs";

const pkg = path.join(root, "www", "pkg");
if (!fs.existsSync(path.join(pkg, "lagmix_wasm_bg.wasm"))) {
  throw new Error("www/pkg is missing: run `npm run build` (scripts/build-wasm.sh) first");
}
const lagmix = await import(path.join(pkg, "lagmix_wasm.js"));
lagmix.initSync({ module: fs.readFileSync(path.join(pkg, "lagmix_wasm_bg.wasm")) });
export default lagmix;
