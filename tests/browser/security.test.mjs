// The page's promises about patient data, checked in the browser: the Content-Security-Policy
// is in force (a connection to another origin is refused by the browser itself, not merely never
// attempted), and files in other encodings get a message instead of silently altered text.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, errorText } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

test("the CSP refuses connections to other origins, from the page and from its worker", async () => {
  const { page, context } = await openPage(env.browser, env.server.url);
  const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
  assert.match(csp, /connect-src 'self'/);
  assert.match(csp, /default-src 'self'/);
  const outcome = await page.evaluate(async () => {
    const violations = [];
    document.addEventListener("securitypolicyviolation", (e) => violations.push(e.effectiveDirective));
    let fetchFailed = false;
    try {
      await fetch("https://example.org/upload", { method: "POST", body: "id,week,spin" });
    } catch {
      fetchFailed = true;
    }
    // The violation event is queued as a task: give it a moment.
    await new Promise((r) => setTimeout(r, 200));
    return { fetchFailed, violations };
  });
  assert.equal(outcome.fetchFailed, true);
  assert.ok(outcome.violations.includes("connect-src"), `violations: ${JSON.stringify(outcome.violations)}`);
  // A script from another origin is refused too.
  const scriptBlocked = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const s = document.createElement("script");
        s.src = "https://example.org/tracker.js";
        s.onerror = () => resolve(true);
        s.onload = () => resolve(false);
        document.head.append(s);
      }),
  );
  assert.equal(scriptBlocked, true);
  await context.close();
});

for (const [name, bytes, pattern] of [
  ["latin1.csv", Buffer.from([...Buffer.from("id,week,y\n1,0,5\n"), ...Buffer.from("1,1,caf"), 0xe9, ...Buffer.from("\n2,0,4\n")]), /UTF-8|Latin-1/],
  ["utf16.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("id,week,y\n1,0,5\n", "utf16le")]), /UTF-16/],
]) {
  test(`a file in another encoding (${name}) gets a message naming it`, async () => {
    const { page, context } = await openPage(env.browser, env.server.url);
    await page.setInputFiles("#file-input", { name, mimeType: "text/csv", buffer: bytes });
    await page.waitForSelector("#error:not([hidden])", { timeout: 30_000 });
    assert.match(await errorText(page), pattern);
    await context.close();
  });
}
