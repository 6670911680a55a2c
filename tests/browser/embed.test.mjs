// lagmix embedded in a page of another origin (a second local port), both ways the README shows:
// an <iframe> of the served page and the <lagmix-app> element (one ES module, Shadow DOM, a
// Blob worker). lagmix's server sends CORS headers, the host page has the CSP the README gives;
// both fit the example as lme4 does, and the element never writes the host page's URL.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { start, openPage, fitExample, errorText } from "./harness.mjs";
import { serve } from "../../scripts/serve.mjs";

let env, hostServer, hostUrl, lagmixOrigin, dir;
before(async () => {
  env = await start({ headers: { "Access-Control-Allow-Origin": "*" } });
  lagmixOrigin = new URL(env.server.url).origin;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lagmix-host-"));
  const template = fs.readFileSync(new URL("./embed/index.html", import.meta.url), "utf8");
  fs.writeFileSync(path.join(dir, "index.html"), template.replaceAll("LAGMIX_ORIGIN", lagmixOrigin));
  hostServer = await serve({ port: 0, root: dir });
  hostUrl = hostServer.url;
  assert.notEqual(new URL(hostUrl).origin, lagmixOrigin);
});
after(async () => {
  await hostServer?.close();
  await env?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const elsewhere = (requests) =>
  requests.filter((u) => ![lagmixOrigin, new URL(hostUrl).origin, "blob:", "data:"].some((o) => u.startsWith(o)));

test("<lagmix-app> on another origin: attributes preset, fits, keeps the host's URL", async () => {
  const { page, context, requests, errors } = await openPage(env.browser, hostUrl);
  await page.waitForSelector("lagmix-app #example-button");
  assert.equal(await page.textContent("lagmix-app h1"), "Our lab's mixed models");
  assert.equal(await page.inputValue("lagmix-app #df-method"), "residual");
  await page.selectOption("lagmix-app #df-method", "satterthwaite");
  assert.deepEqual(await fitExample(page), []);
  assert.equal(await page.inputValue("#id-column"), "id");
  assert.equal(page.url(), hostUrl, "the element wrote the host page's URL");
  assert.deepEqual(elsewhere(requests), []);
  assert.ok(requests.some((u) => u.startsWith("blob:")), "the element's worker comes from a Blob");
  assert.deepEqual(errors, []);
  await context.close();
});

test("<iframe> of the served page on another origin fits and keeps its own URL settings", async () => {
  const { page, context, requests } = await openPage(env.browser, hostUrl);
  const frame = page.frames().find((f) => f.url().startsWith(lagmixOrigin));
  await frame.waitForSelector("#example-button");
  assert.deepEqual(await fitExample(frame), []);
  assert.match(frame.url(), /#.*formula=/, "the served page keeps its settings in its URL");
  assert.equal(page.url(), hostUrl);
  // allow="clipboard-write" lets the copy buttons work inside the cross-origin frame.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: lagmixOrigin });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(hostUrl).origin });
  await frame.click("#apa li button");
  await frame.waitForFunction(() => /Copied|Selected/.test(document.querySelector("#apa li button").textContent));
  assert.equal(await frame.textContent("#apa li button"), "Copied");
  assert.deepEqual(elsewhere(requests), []);
  await context.close();
});

test("<iframe> of the single file (served by the lab's site) fits too", async () => {
  const { page, context } = await openPage(env.browser, hostUrl);
  const navigated = page.waitForEvent("framenavigated", { predicate: (f) => f.url().endsWith("/lagmix.html") });
  await page.evaluate((src) => {
    const frame = Object.assign(document.createElement("iframe"), { src, title: "lagmix offline" });
    frame.setAttribute("allow", "clipboard-write");
    document.body.append(frame);
  }, `${lagmixOrigin}/lagmix.html`);
  const frame = await navigated;
  await frame.waitForSelector("#example-button");
  assert.deepEqual(await fitExample(frame), []);
  await context.close();
});

test("a second <lagmix-app> on the same page says it cannot run", async () => {
  const { page, context } = await openPage(env.browser, hostUrl);
  await page.waitForSelector("lagmix-app #example-button");
  await page.evaluate(() => document.body.append(document.createElement("lagmix-app")));
  const text = await page.evaluate(() => document.querySelectorAll("lagmix-app")[1].shadowRoot.textContent);
  assert.match(text, /one lagmix-app/i);
  assert.equal(await errorText(page), "");
  await context.close();
});
