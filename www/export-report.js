// The manuscript exports: #export-docx (the Word report of docx-report.js, with every figure of
// #plots as a 300 dpi PNG) and #export-r-script (the core's R script of the current fit; the
// Comparison panel's #export-r-script-compare gives the script of the compared models). Data
// stay on this computer: the files are made here and offered as downloads.
import { $ } from "./host.js";
import { drawnFigures, pngBlob } from "./figures.js";
import { comparedModels, currentTable } from "./comparison.js";
import { RESHAPED, LONG_CSV } from "./items-render.js";

let context = null;

/** `ctx`: {ask(type, payload), state() -> {fit, options, description, version, fileName, dataKey,
 *  na}, decimals(), download(name, content, type), showError, status}. */
export function initExports(ctx) {
  context = ctx;
  $("export-docx").addEventListener("click", () => run(exportDocx));
  $("export-r-script").addEventListener("click", () => run(exportRScript));
  $("export-r-script-compare").addEventListener("click", () => run(exportRScriptCompare));
}

async function run(task) {
  try {
    await task();
  } catch (e) {
    context.showError(e.message);
  }
}

/** The extra missing-value codes as the R script takes them. */
const naCodes = (text) => text.split(",").map((s) => s.trim()).filter(Boolean);

/** The file name the R script reads: the data file's own name (the example's is trial.csv). */
// Reshaped data are read from the long CSV the page offers for download.
const scriptFileName = (name) =>
  name.endsWith(RESHAPED) ? LONG_CSV : (name.match(/\(([^()]+\.[a-z]+)\)$/i)?.[1] ?? name);

async function exportDocx() {
  const s = context.state();
  if (!s.fit) return;
  // Loaded when first asked for: the docx library is large and the page starts without it.
  const { docxBlob, reportBlocks } = await import("./docx-report.js");
  context.status("Writing the Word report…");
  const figures = [];
  for (const f of drawnFigures($("plots"))) {
    const png = await pngBlob(f.svg, f.css);
    figures.push({
      title: f.title.replace(/^Figure \d+\.\s*/, "").replace(/\.\s*$/, ""),
      caption: f.caption.replace(/^Figure \d+\.[^.]*\.\s*/, ""),
      png: await png.arrayBuffer(),
      width: Number(f.svg.getAttribute("width")) || 640,
      height: Number(f.svg.getAttribute("height")) || 360,
    });
  }
  const blocks = reportBlocks({
    fit: s.fit,
    description: s.description,
    comparison: currentTable(),
    figures,
    version: s.version,
    fileName: scriptFileName(s.fileName),
    na: s.na,
    decimals: context.decimals(),
  });
  context.download("lagmix-report.docx", await docxBlob(blocks), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  context.status("The Word report is ready (lagmix-report.docx).");
}

async function exportRScript() {
  const s = context.state();
  if (!s.fit) return;
  const script = await context.ask("rScript", { options: s.options, fileName: scriptFileName(s.fileName), na: naCodes(s.na) });
  if (script !== null) context.download("lagmix-model.R", script, "text/plain");
}

async function exportRScriptCompare() {
  const s = context.state();
  const models = comparedModels().filter((m) => m.data.key === s.dataKey);
  if (models.length < 1) {
    context.showError("Fit a model to the data loaded now first: the R script reads that file.");
    return;
  }
  const script = await context.ask("rScriptCompare", {
    models: models.map((m) => m.options),
    refit: $("lrt-refit").checked,
    fileName: scriptFileName(s.fileName),
    na: naCodes(s.na),
  });
  if (script !== null) context.download("lagmix-models.R", script, "text/plain");
}
