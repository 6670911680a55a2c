// The Word report (#export-docx): what goes into it, as plain blocks (headings, paragraphs, APA
// tables, figures), and the .docx file written from them by the docx library (vendored from npm
// into www/vendor/ by scripts/vendor.mjs; no hand-written XML). No DOM here: the page module
// export-report.js gathers the figures' PNGs and downloads the file; tests/node/docx-report.test.mjs
// builds a report of the example and reads its tables back through LibreOffice.
import {
  AlignmentType, BorderStyle, Document, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType,
} from "./vendor/docx.js";
import { apaSentence, descriptivesTable, fixedEffectsTable, num } from "./render.js";
import { residualCorrelationApa } from "./correlation.js";

/** The methods paragraph: the model, REML/ML, the df method, the missing data, the software. */
export function methodsParagraph(fit, { version, na = "" }) {
  const method = /ml/i.test(fit.method) && !/reml/i.test(fit.method) ? "maximum likelihood (ML)" : "restricted maximum likelihood (REML)";
  const df = {
    satterthwaite: "Satterthwaite's approximation of the denominator degrees of freedom (as lmerTest)",
    residual: "the residual degrees of freedom (n − p)",
    "between-within": "between-within (containment) degrees of freedom (as nlme)",
    "kenward-roger": "the Kenward-Roger approximation of the degrees of freedom with the adjusted covariance of the fixed effects (as pbkrtest)",
  }[String(fit.dfMethod).toLowerCase()] ?? `${fit.dfMethod} degrees of freedom`;
  const parts = [
    `A linear mixed model, ${fit.formula} in lme4's notation, was fitted by ${method}; the fixed effects were tested with t tests using ${df}.`,
  ];
  if (fit.residualCorrelation) parts.push(residualCorrelationApa(fit.residualCorrelation));
  const missing = fit.droppedRows
    ? `Rows with a missing value on any variable of the model were left out (complete cases): ${fit.nobs} of ${fit.totalRows} rows were used.`
    : `All ${fit.totalRows} rows were complete and used.`;
  parts.push(missing + (na.trim() ? ` The codes ${na.trim()} were read as missing.` : ""));
  if (/within\(|between\(/.test(fit.formula))
    parts.push("within(x) is a person's value minus that person's mean of all observed values of x; between(x) is that person mean.");
  if (/lag\(|lead\(/.test(fit.formula))
    parts.push("lag() and lead() take the value at the previous or next occasion by its time value, and are missing when that occasion was not observed.");
  parts.push(
    `R² follows Nakagawa et al. (2017). The analysis was run with lagmix ${version}, which reproduces lme4 (Bates et al., 2015) and lmerTest (Kuznetsova et al., 2017) in R; the R script exported with it reproduces every number.`,
  );
  return parts.join(" ");
}

/** The data summary: the file, its rows, persons and occasions. */
export function dataSummary({ fileName, description, fit }) {
  const persons = description ? `${description.persons} persons (${description.id})` : `${fit.groups?.[0]?.levels ?? "?"} levels of ${fit.groups?.[0]?.name ?? "the grouping factor"}`;
  const occasions = description?.occasions?.length
    ? `, ${description.occasions.length} occasions of ${description.time} (${num(description.occasions[0])} to ${num(description.occasions.at(-1))})`
    : "";
  return `Data: ${fileName}, ${fit.totalRows} rows, ${persons}${occasions}.`;
}

/** Table 1 in APA style: per occasion n, M and SD of each variable and of its within-person
 *  absolute change. */
export function tableOne(description) {
  const t = descriptivesTable(description);
  return {
    title: "Descriptive statistics per occasion",
    head: t.header.map((h) => h.replace(/ \|change\| /, " |Δ| ")),
    rows: t.rows,
    notes: ["n = observed values; M = mean; SD = standard deviation; |Δ| = within-person absolute change from the previous occasion (a missed occasion gives none)."],
  };
}

/**
 * The report's blocks: `fit` and `options` of the current model, its `description` (Table 1),
 * the comparison `table` (comparison-table.js, or null), the `figures` ({title, caption, png:
 * ArrayBuffer, width, height}) and the facts for the methods (`version`, `fileName`, `na`).
 */
export function reportBlocks({ fit, description, comparison, figures = [], version, fileName, na, decimals = 3 }) {
  const blocks = [
    { type: "title", text: "lagmix report" },
    { type: "paragraph", text: dataSummary({ fileName, description, fit }) },
    { type: "heading", text: "Method" },
    { type: "paragraph", text: methodsParagraph(fit, { version, na }) },
    { type: "heading", text: "Results" },
  ];
  let number = 0;
  if (description) blocks.push({ type: "table", number: ++number, ...tableOne(description) });
  const fixed = fixedEffectsTable(fit.fixed, decimals);
  blocks.push({
    type: "table",
    number: ++number,
    title: `Fixed effects of ${fit.formula}`,
    head: fixed.header,
    rows: fixed.rows,
    notes: [`${fit.method}; ${fit.dfMethod} df; ${fit.nobs} observations.`],
  });
  if (comparison) {
    blocks.push({
      type: "table",
      number: ++number,
      title: "Mixed models side by side",
      head: comparison.head,
      rows: comparison.rows.map((r) => [r.kind === "p" ? "p" : r.label, ...r.cells]),
      notes: comparison.notes,
    });
  }
  blocks.push({ type: "heading", text: "In APA style" });
  for (const e of fit.fixed) blocks.push({ type: "paragraph", text: `${e.term}: ${apaSentence(e, decimals)}` });
  figures.forEach((f, i) => blocks.push({ type: "figure", number: i + 1, ...f }));
  return blocks;
}

const RULE = { style: BorderStyle.SINGLE, size: 6, color: "000000" };
const NONE = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" };

function tableElement(block) {
  const lastRow = block.rows.length - 1;
  const cell = (text, { header = false, last = false, first = false } = {}) =>
    new TableCell({
      borders: { top: header ? RULE : NONE, bottom: header || last ? RULE : NONE, left: NONE, right: NONE },
      children: [new Paragraph({ alignment: first ? AlignmentType.LEFT : AlignmentType.CENTER, children: [new TextRun({ text: String(text), size: 20 })] })],
    });
  const rows = [
    new TableRow({ tableHeader: true, children: block.head.map((h, j) => cell(h, { header: true, first: j === 0 })) }),
    ...block.rows.map((r, i) => new TableRow({ children: r.map((c, j) => cell(c, { last: i === lastRow, first: j === 0 })) })),
  ];
  return new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } });
}

/** The document's paragraphs and tables for `blocks`. */
function children(blocks) {
  const out = [];
  for (const b of blocks) {
    if (b.type === "title") out.push(new Paragraph({ text: b.text, heading: HeadingLevel.TITLE }));
    else if (b.type === "heading") out.push(new Paragraph({ text: b.text, heading: HeadingLevel.HEADING_1 }));
    else if (b.type === "paragraph") out.push(new Paragraph({ children: [new TextRun(b.text)] }));
    else if (b.type === "table") {
      out.push(new Paragraph({ children: [new TextRun({ text: `Table ${b.number}`, bold: true })], spacing: { before: 240 } }));
      out.push(new Paragraph({ children: [new TextRun({ text: b.title, italics: true })] }));
      out.push(tableElement(b));
      if (b.notes?.length) out.push(new Paragraph({ children: [new TextRun({ text: "Note. ", italics: true }), new TextRun(b.notes.join(" "))] }));
    } else if (b.type === "figure") {
      out.push(new Paragraph({ children: [new TextRun({ text: `Figure ${b.number}`, bold: true })], spacing: { before: 240 } }));
      out.push(new Paragraph({ children: [new TextRun({ text: b.title, italics: true })] }));
      // 6 inches wide in the page (the PNG has 300 dpi behind it).
      const width = 576, height = Math.round((576 * b.height) / b.width);
      out.push(new Paragraph({ children: [new ImageRun({ type: "png", data: b.png, transformation: { width, height }, altText: { title: b.title, description: b.caption, name: `figure-${b.number}` } })] }));
      out.push(new Paragraph({ children: [new TextRun({ text: "Note. ", italics: true }), new TextRun(b.caption)] }));
    }
  }
  return out;
}

/** The .docx file of `blocks` as a Blob. */
export function docxBlob(blocks) {
  const doc = new Document({
    creator: "lagmix",
    title: "lagmix report",
    styles: { default: { document: { run: { font: "Times New Roman", size: 24 } } } },
    sections: [{ children: children(blocks) }],
  });
  return Packer.toBlob(doc);
}
