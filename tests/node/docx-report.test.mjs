// The Word report (www/docx-report.js) of the example: the blocks (data summary, methods, Table 1,
// the fixed effects, the comparison, the APA sentences, a figure), the .docx written by the docx
// library, converted by LibreOffice headless (Debian's libreoffice-writer-nogui; npm test installs
// it through scripts/setup.sh with LIBREOFFICE_NEEDED=1) and its tables read back.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import lagmix from "./wasm.mjs";
import { root } from "./compare.mjs";
import { presets } from "../../www/render.js";
import { comparisonTable, modelEntry } from "../../www/comparison-table.js";
import { reportBlocks, docxBlob, methodsParagraph } from "../../www/docx-report.js";

const example = fs.readFileSync(path.join(root, "www", "example", "trial.csv"), "utf8");
const analysis = new lagmix.Analysis(example, { id: "id", time: "week" });
const data = { key: "trial.csv", fileName: "trial.csv" };
const options = presets("spin", "wai", "id").map((p) => ({ formula: p.formula, reml: true, df: "satterthwaite" }));
const fits = options.map((o) => analysis.fit(o));
const models = fits.map((fit, i) => modelEntry({ fit, options: options[i], data, name: ["Total", "Within", "Between"][i] }));
const fit = fits[1];
const description = analysis.describe(["spin", "wai"]);
// A 1 x 1 white PNG stands in for a figure (the page renders its SVGs at 300 dpi).
const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==", "base64");
const blocks = reportBlocks({
  fit, description, comparison: comparisonTable(models), version: lagmix.lagmixVersion(), fileName: "trial.csv", na: "-99",
  figures: [{ title: "A figure", caption: "What it shows.", png, width: 640, height: 360 }],
});

const soffice = ["soffice", "libreoffice"].find((c) => {
  try { execFileSync("which", [c], { stdio: "ignore" }); return true; } catch { return false; }
});
// Debian's LibreOffice without Writer (calc only) cannot open a .docx.
const writer = soffice && fs.existsSync("/usr/lib/libreoffice/program/libwriterlo.so");

test("the methods paragraph names the model, REML, the df method, the missing rows and the software", () => {
  const text = methodsParagraph(fit, { version: "0.1.0", na: "-99" });
  assert.match(text, /restricted maximum likelihood \(REML\)/);
  assert.match(text, /Satterthwaite/);
  assert.match(text, new RegExp(`${fit.nobs} of ${fit.totalRows} rows were used`));
  assert.match(text, /-99 were read as missing/);
  assert.match(text, /lagmix 0\.1\.0/);
  assert.match(text, /within\(x\) is/);
});

test("the blocks: summary, method, Table 1, fixed effects, comparison, sentences, figure", () => {
  const tables = blocks.filter((b) => b.type === "table");
  assert.deepEqual(tables.map((t) => t.number), [1, 2, 3]);
  assert.equal(tables[0].rows.length, description.occasions.length);
  assert.equal(tables[1].rows.length, fit.fixed.length);
  assert.deepEqual(tables[2].head, ["", "Total", "Within", "Between"]);
  assert.equal(blocks.filter((b) => b.type === "paragraph" && / B = /.test(b.text)).length, fit.fixed.length);
  assert.equal(blocks.filter((b) => b.type === "figure").length, 1);
});

test("the .docx opens in LibreOffice with real tables holding the estimates", { skip: !writer && process.env.LIBREOFFICE_NEEDED !== "1" && "LibreOffice Writer is not installed (npm test installs it)" }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lagmix-docx-"));
  const file = path.join(dir, "report.docx");
  fs.writeFileSync(file, Buffer.from(await (await docxBlob(blocks)).arrayBuffer()));
  // A profile of its own, so that a running LibreOffice (or another test) does not interfere.
  execFileSync(soffice, [`-env:UserInstallation=file://${dir}/profile`, "--headless", "--convert-to", "html", "--outdir", dir, file], { stdio: "ignore", timeout: 120_000 });
  // LibreOffice wraps long lines: one space for any run of white space.
  const html = fs.readFileSync(path.join(dir, "report.html"), "utf8").replace(/\s+/g, " ");
  const tables = html.split(/<table/i).slice(1).map((t) => t.split(/<\/table>/i)[0]);
  assert.equal(tables.length, 3, "three tables");
  const cells = (t) => [...t.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/gi)].map((m) => m[1].replace(/<[^>]+>/g, "").replace(/&nbsp;/g, " ").trim());
  const fixedCells = cells(tables[1]);
  for (const e of fit.fixed) {
    assert.ok(fixedCells.includes(e.term.replace(/&/g, "&amp;")), e.term);
    assert.ok(fixedCells.includes(e.estimate.toFixed(3)), `${e.term} B ${e.estimate.toFixed(3)}`);
  }
  assert.ok(cells(tables[2]).includes("Within"));
  assert.ok(cells(tables[0]).length >= description.occasions.length * 11);
  assert.match(html, /restricted maximum likelihood/);
  assert.match(html, /<img/i, "the figure is an image");
  fs.rmSync(dir, { recursive: true, force: true });
});
