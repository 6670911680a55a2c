#!/usr/bin/env -S node --experimental-websocket
// A manual check, not part of `npm test` (Firefox is not a dependency): opens the single offline
// file (dist/lagmix.html) from file:// in headless Firefox, driven over WebDriver BiDi (Firefox's
// own remote protocol, no extra driver), loads the example, fits the within-between model and
// compares the fixed effects with lme4's (tests/fixtures/example_within_satterthwaite); every
// request the browser reports (network.beforeRequestSent: http(s) and data:, not file: or blob:)
// is recorded, and none may go beyond the file and blob:/data: URLs.
//   node --experimental-websocket scripts/check-firefox.mjs      (Node 22+: no flag needed)
// FIREFOX names the binary (default: firefox), LAGMIX_FILE another file to open. Exit status 0
// when the numbers agree.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadFixtures, compareFixedRow, root } from "../tests/node/compare.mjs";

const file = process.env.LAGMIX_FILE ? path.resolve(process.env.LAGMIX_FILE) : path.join(root, "dist", "lagmix.html");
const PORT = 9000 + Math.floor(Math.random() * 900);

/** Starts Firefox with its BiDi endpoint; resolves once it listens. */
function startFirefox(profile) {
  const firefox = spawn(process.env.FIREFOX || "firefox", ["--headless", "--no-remote", "--profile", profile, `--remote-debugging-port=${PORT}`], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let log = "";
    firefox.stderr.on("data", (d) => {
      log += d;
      if (/WebDriver BiDi listening/.test(log)) resolve(firefox);
    });
    firefox.on("exit", (code) => reject(new Error(`firefox exited (${code}): ${log}`)));
  });
}

/**
 * A minimal BiDi client: send(method, params) resolves to the result or rejects with the error;
 * `requests` collects the URL of every request the browser makes (network.beforeRequestSent).
 */
async function connect() {
  const socket = new WebSocket(`ws://127.0.0.1:${PORT}/session`);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let next = 1;
  const waiting = new Map();
  const requests = [];
  socket.onmessage = ({ data }) => {
    const message = JSON.parse(data);
    if (message.method === "network.beforeRequestSent") requests.push(message.params.request.url);
    const w = waiting.get(message.id);
    if (!w) return;
    waiting.delete(message.id);
    if (message.type === "error") w.reject(new Error(`${message.error}: ${message.message}`));
    else w.resolve(message.result);
  };
  const send = (method, params) =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { send, requests, close: () => socket.close() };
}

// Runs in the page: the example flow through the page's own controls; resolves to the fixed
// effects as numbers, or to the page's error.
const FLOW = `(async () => {
  const $ = (id) => document.getElementById(id);
  const until = async (ok, ms = 30000) => {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      if (!$("error").hidden) throw new Error($("error").textContent);
      if (ok()) return;
    }
    throw new Error("timed out");
  };
  try {
    $("example-button").click();
    await until(() => !$("data-info").hidden);
    document.querySelector('#preset-list button[data-preset="within-between-forward"]').click();
    $("fit-button").click();
    await until(() => $("fixed-effects").tBodies[0]?.rows.length > 0);
    return JSON.stringify([...$("fixed-effects").tBodies[0].rows].map((tr) => {
      const n = (i) => Number(tr.cells[i].dataset.value ?? tr.cells[i].textContent);
      return { term: tr.cells[0].textContent, estimate: n(1), se: n(2), df: n(3), t: n(4), p: n(5), ciLower: n(6), ciUpper: n(7) };
    }));
  } catch (e) {
    return JSON.stringify({ error: e.message });
  }
})()`;

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "lagmix-firefox-"));
const firefox = await startFirefox(profile);
let status = 1;
try {
  const bidi = await connect();
  const { capabilities } = await bidi.send("session.new", { capabilities: {} });
  await bidi.send("session.subscribe", { events: ["network.beforeRequestSent"] });
  const { contexts } = await bidi.send("browsingContext.getTree", {});
  const context = contexts[0].context;
  await bidi.send("browsingContext.navigate", { context, url: pathToFileURL(file).href, wait: "complete" });
  const { result } = await bidi.send("script.evaluate", { expression: FLOW, target: { context }, awaitPromise: true });
  const outcome = JSON.parse(result.value);
  const version = `${capabilities.browserName} ${capabilities.browserVersion}`;
  const elsewhere = bidi.requests.filter((u) => u !== pathToFileURL(file).href && !/^(blob|data):/.test(u));
  if (elsewhere.length) {
    console.log(`Firefox: the page made requests beyond the file: ${elsewhere.join(", ")}`);
  } else if (outcome.error) {
    console.log(`Firefox: the page reported an error: ${outcome.error}`);
  } else {
    const expected = loadFixtures().find((f) => f.name === "example_within_satterthwaite").expected;
    const byTerm = new Map(outcome.map((r) => [r.term, r]));
    const problems = expected.fixed.flatMap((e) => (byTerm.has(e.term) ? compareFixedRow(e.term, byTerm.get(e.term), e) : [`missing ${e.term}`]));
    console.log(
      problems.length
        ? `Firefox: differences from lme4:\n${problems.join("\n")}`
        : `${version}: ${path.relative(root, file)} from file:// fits the example as lme4 does; requests seen: ${bidi.requests.length}, all of them ${[...new Set(bidi.requests.map((u) => new URL(u).protocol))].join(" ") || "(none)"}`,
    );
    status = problems.length ? 1 : 0;
  }
  await bidi.send("session.end", {}).catch(() => null);
  bidi.close();
} finally {
  firefox.kill();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(status);
