// Loads the built readers module (www/pkg/lagmix_readers_wasm*) synchronously in Node.
import fs from "node:fs";
import path from "node:path";
import { root } from "./compare.mjs";

const pkg = path.join(root, "www", "pkg");
const readers = await import(path.join(pkg, "lagmix_readers_wasm.js"));
readers.initSync({ module: fs.readFileSync(path.join(pkg, "lagmix_readers_wasm_bg.wasm")) });
export default readers;
