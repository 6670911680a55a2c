// The Figures panel: draws figure-specs.js's specs with Observable Plot (vendored into
// www/vendor/ at build time) into #plots, each as a <figure> with its SVG, a caption, SVG and
// PNG downloads and the numbers behind it as a table.
//
// Plot puts a <style> element into every SVG, which the page's Content Security Policy
// (style-src 'self') would refuse: it is taken out before the SVG joins the page, its rules live
// in style.css (the class name is fixed, so they match), and a downloaded SVG gets them back
// inline so that it looks the same outside the page.
import * as Plot from "./vendor/plot.js";
import { figureSpecs } from "./figure-specs.js";

const CLASS = "lagmix-plot";
const WIDTH = 640;
const HEIGHT = 360;
/** PNG resolution: 300 dpi for print, from the SVG's 96 px per inch. */
const PNG_SCALE = 300 / 96;

/** Draws every figure of `data` (FigureData) and `fit` into `container`, replacing old ones:
 *  one figure per task, so that the page stays responsive while thousands of points are drawn.
 *  A newer call stops an older one that is still drawing. */
let drawing = 0;
export async function showFigures(container, data, fit) {
  const call = ++drawing;
  container.replaceChildren();
  for (const [i, spec] of figureSpecs(data, fit).entries()) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (call !== drawing) return;
    container.append(figureElement(spec, i + 1));
  }
}

/** The Plot options of a spec (the marks and their scales). */
export function plotOptions(spec) {
  const base = {
    className: CLASS,
    width: WIDTH,
    height: HEIGHT,
    ariaLabel: spec.title,
    ariaDescription: spec.caption,
  };
  if (spec.lines) {
    return {
      ...base,
      x: { label: spec.x, nice: true },
      y: { label: spec.y, grid: true, nice: true },
      marks: [
        Plot.line(spec.lines, { x: "time", y: "value", z: "person", stroke: "#8c8c8c", strokeWidth: 0.8, strokeOpacity: 0.55 }),
        Plot.areaY(spec.means, { x: "time", y1: "ciLower", y2: "ciUpper", fill: "#000", fillOpacity: 0.22 }),
        Plot.line(spec.means, { x: "time", y: "mean", stroke: "#000", strokeWidth: 2.5 }),
        Plot.dot(spec.means, { x: "time", y: "mean", fill: "#000", r: 3 }),
      ],
    };
  }
  if (spec.rows) {
    return {
      ...base,
      x: { label: spec.x, nice: true },
      y: { label: spec.y, grid: true, nice: true },
      marks: [
        Plot.ruleX(spec.rows, { x: "time", y1: "ciLower", y2: "ciUpper", stroke: "#000", strokeWidth: 1.5 }),
        Plot.line(spec.rows, { x: "time", y: "mean", stroke: "#000", strokeDasharray: "4,3" }),
        Plot.dot(spec.rows, { x: "time", y: "mean", fill: "#fff", stroke: "#000", r: 4, strokeWidth: 1.5 }),
      ],
    };
  }
  const marks = [
    Plot.ruleX([0], { stroke: "#bbb" }),
    Plot.ruleY([0], { stroke: "#bbb" }),
    Plot.dot(spec.points, { x: "x", y: "y", r: 1.6, fill: "#444", fillOpacity: 0.45 }),
  ];
  if (spec.line) {
    const xs = spec.points.map((p) => p.x);
    const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
    const { slope, centre } = spec.line;
    const at = (x) => ({ x, y: centre.y + slope * (x - centre.x) });
    marks.push(Plot.line([at(lo), at(hi)], { x: "x", y: "y", stroke: "#000", strokeWidth: 2.5 }));
  }
  return {
    ...base,
    x: { label: spec.xLabel, nice: true },
    y: { label: spec.yLabel, grid: true, nice: true },
    marks,
  };
}

/** Draws a spec: the SVG without Plot's <style>, and that style's text for the downloads. */
export function draw(spec) {
  const svg = Plot.plot(plotOptions(spec));
  const style = svg.querySelector("style");
  const css = style ? style.textContent : "";
  style?.remove();
  // The SVG is one image with the title as its name and the caption as its description; Plot's
  // names of its mark groups are not allowed on plain <g> elements (and a screen reader gets
  // the numbers from the table instead).
  svg.setAttribute("role", "img");
  for (const element of svg.querySelectorAll("[aria-label]")) element.removeAttribute("aria-label");
  return { svg, css };
}

function figureElement(spec, number) {
  const figure = document.createElement("figure");
  figure.className = "figure";
  figure.id = `figure-${spec.id}`;
  const { svg, css } = draw(spec);
  const caption = document.createElement("figcaption");
  const label = Object.assign(document.createElement("strong"), { textContent: `Figure ${number}. ${spec.title}. ` });
  caption.append(label, spec.caption);
  const buttons = document.createElement("div");
  buttons.className = "buttons";
  for (const format of ["svg", "png"]) {
    const button = Object.assign(document.createElement("button"), { type: "button", textContent: format.toUpperCase() });
    button.dataset.format = format;
    button.setAttribute("aria-label", `Download figure ${number} as ${format.toUpperCase()}`);
    button.addEventListener("click", () => download(svg, css, spec.id, format));
    buttons.append(button);
  }
  figure.append(svg, caption, buttons, numbersTable(spec));
  return figure;
}

/** The numbers behind the figure, folded away: its text alternative. */
function numbersTable(spec) {
  const details = document.createElement("details");
  details.append(Object.assign(document.createElement("summary"), { textContent: "The numbers behind the figure" }));
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const h of spec.table.head) head.append(Object.assign(document.createElement("th"), { scope: "col", textContent: h }));
  const body = table.createTBody();
  for (const row of spec.table.rows) {
    const tr = body.insertRow();
    for (const cell of row) tr.insertCell().textContent = cell;
  }
  const scroll = Object.assign(document.createElement("div"), { className: "scroll" });
  scroll.append(table);
  details.append(scroll);
  return details;
}

/** The SVG as a standalone file, with Plot's style inline again and a white background. */
export function svgText(svg, css) {
  const copy = svg.cloneNode(true);
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  const style = document.createElementNS("http://www.w3.org/2000/svg", "style");
  style.textContent = `${css}\n:where(.${CLASS}) { background: white; }`;
  copy.prepend(style);
  return new XMLSerializer().serializeToString(copy);
}

/** A PNG of the SVG at print resolution (through a data: URL, which the CSP allows for images). */
export async function pngBlob(svg, css) {
  const text = svgText(svg, css);
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await image.decode();
  const width = Number(svg.getAttribute("width")) || WIDTH;
  const height = Number(svg.getAttribute("height")) || HEIGHT;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * PNG_SCALE);
  canvas.height = Math.round(height * PNG_SCALE);
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

async function download(svg, css, name, format) {
  const blob =
    format === "svg" ? new Blob([svgText(svg, css)], { type: "image/svg+xml" }) : await pngBlob(svg, css);
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement("a"), { href: url, download: `lagmix-${name}.${format}` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
