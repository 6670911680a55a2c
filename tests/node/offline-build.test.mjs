// The single offline file's build (scripts/build-offline.mjs), checked without a browser: the CSP
// allows exactly the inline script and style it holds, nothing in it names another file, the
// data blocks hold the wasm and the example unchanged, and text that would end a <script>
// early is escaped. tests/browser/offline.test.mjs opens the file in Chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { buildOffline, offlinePolicy, scriptSafe } from "../../scripts/build-offline.mjs";
import { root } from "./compare.mjs";

const sha = (text) => `'sha256-${crypto.createHash("sha256").update(text, "utf8").digest("base64")}'`;
const blocks = (html, pattern) => [...html.matchAll(pattern)].map((m) => m[1]);

test("the CSP names the hashes of the one inline script and the one inline style", async () => {
  const { path: file, bytes } = await buildOffline({ quiet: true });
  assert.ok(bytes < 5 * 1024 * 1024);
  const html = fs.readFileSync(file, "utf8");
  const scripts = blocks(html, /<script type="module">([^]*?)<\/script>/g);
  const styles = blocks(html, /<style>([^]*?)<\/style>/g);
  assert.equal(scripts.length, 1);
  assert.equal(styles.length, 1);
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)[1];
  assert.equal(csp, offlinePolicy(scripts[0], styles[0]));
  assert.ok(csp.includes(`script-src ${sha(scripts[0])} 'wasm-unsafe-eval'`));
  assert.ok(csp.includes(`style-src ${sha(styles[0])}`));
  assert.deepEqual(blocks(html, /<script[^>]*\ssrc="([^"]*)"/g), []);
  assert.deepEqual(blocks(html, /<link[^>]*\shref="(?!data:)([^"]*)"/g), []);
  assert.equal(fs.readFileSync(path.join(root, "www", "lagmix.html"), "utf8"), html);
});

test("the data blocks hold the wasm and the example data byte for byte", () => {
  const html = fs.readFileSync(path.join(root, "dist", "lagmix.html"), "utf8");
  const block = (id) => html.match(new RegExp(`<script type="text/plain" id="${id}">([^]*?)</script>`))[1];
  const wasm = fs.readFileSync(path.join(root, "www", "pkg", "lagmix_wasm_bg.wasm"));
  assert.ok(Buffer.from(block("lagmix-wasm"), "base64").equals(wasm));
  assert.equal(block("lagmix-example"), fs.readFileSync(path.join(root, "www", "example", "trial.csv"), "utf8"));
  assert.match(block("lagmix-worker"), /lagmixWasmBytes/);
});

test("text that would end an inline script early is escaped, meaning the same in JavaScript", () => {
  const js = 'const a = "</script><!-- x"; const b = `</SCRIPT>`;';
  const safe = scriptSafe(js);
  assert.doesNotMatch(safe, /<\/script|<!--/i);
  const run = (code) => new Function(`${code}; return [a, b];`)();
  assert.deepEqual(run(safe), run(js));
});
