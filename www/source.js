// What was read from a workbook or SPSS file, and the user's choices for reading it again:
// the sheet menu, and per SPSS variable with value labels whether it is a factor of its labels
// or stays numeric. The text and tables are pure functions (tested in Node); showSource wires
// them into the page. The worker reads the file again with importOptions() when a choice
// changes.

const choice = { sheet: "", factors: new Set(), numeric: new Set() };

/** The options for the worker's load request: {sheet, factors, numeric}. */
export function importOptions() {
  return { sheet: choice.sheet || undefined, factors: [...choice.factors], numeric: [...choice.numeric] };
}

/** A new file: the first sheet and the default treatment of every variable. */
export function resetChoices() {
  choice.sheet = "";
  choice.factors.clear();
  choice.numeric.clear();
}

/** The choices as they are, to put back with restore() if reading a new file fails. */
export function snapshot() {
  return { sheet: choice.sheet, factors: new Set(choice.factors), numeric: new Set(choice.numeric) };
}

export function restore(saved) {
  choice.sheet = saved.sheet;
  choice.factors = new Set(saved.factors);
  choice.numeric = new Set(saved.numeric);
}

const FORMATS = { xlsx: "Excel workbook", xls: "Excel 97-2003 workbook", ods: "OpenDocument spreadsheet", sav: "SPSS data file" };

/** "Read sheet "trial" of trial.xlsx (Excel workbook): 1922 rows, 9 columns." */
export function sourceSummary(source, fileName) {
  const what = FORMATS[source.format] ?? source.format;
  const sheet = source.sheet !== null && source.sheet !== undefined ? `sheet "${source.sheet}" of ` : "";
  const rows = `${source.rows} ${source.rows === 1 ? "row" : "rows"}`;
  const columns = `${source.columns} ${source.columns === 1 ? "column" : "columns"}`;
  let text = `Read ${sheet}${fileName} (${what}): ${rows}, ${columns}.`;
  if (source.format !== "sav" && source.format !== "csv")
    text += " Dates are read as days since 1970-01-01; formulas give their saved values.";
  return text;
}

const LEVELS = { nominal: "nominal", ordinal: "ordinal", scale: "scale", unknown: "not given" };

/** The SPSS variables as a table: name, label, level, value labels, how read. */
export function variableRows(source) {
  const header = ["Variable", "Label", "Level", "Value labels", "User-missing cells", "Read as"];
  const rows = source.variables.map((v) => [
    v.name,
    v.label ?? "",
    LEVELS[v.measure] ?? v.measure,
    v.valueLabels.map((l) => `${l.value} = ${l.label}`).join("; "),
    String(v.userMissing),
    !v.numeric ? "text" : v.factor ? "factor (labels)" : "numbers",
  ]);
  return { header, rows };
}

/** Sets the choice for one variable (the page's "Read as" menu). */
export function chooseTreatment(name, asFactor) {
  choice.factors.delete(name);
  choice.numeric.delete(name);
  (asFactor ? choice.factors : choice.numeric).add(name);
}

/** Fills `box` for `source` (null for CSV: the box is emptied); `reload` reads the file again. */
export function showSource(box, source, fileName, reload) {
  box.replaceChildren();
  if (!source || source.format === "csv") return;
  const summary = document.createElement("p");
  summary.id = "source-summary";
  summary.textContent = sourceSummary(source, fileName);
  box.append(summary);
  for (const note of source.notes) {
    const p = document.createElement("p");
    p.className = "hint";
    p.textContent = note;
    box.append(p);
  }
  if (source.sheets.length > 1) box.append(sheetMenu(source, reload));
  if (source.variables.length) box.append(...variableTable(source, reload));
}

function sheetMenu(source, reload) {
  const p = document.createElement("p");
  const label = document.createElement("label");
  label.htmlFor = "sheet-select";
  label.textContent = "Sheet";
  const select = document.createElement("select");
  select.id = "sheet-select";
  for (const name of source.sheets) select.append(new Option(name, name));
  select.value = source.sheet;
  select.addEventListener("change", () => {
    choice.sheet = select.value;
    reload();
  });
  p.append(label, " ", select);
  return p;
}

function variableTable(source, reload) {
  const h = document.createElement("h4");
  h.textContent = "SPSS variables";
  const hint = document.createElement("p");
  hint.className = "hint";
  hint.textContent =
    "Nominal variables with value labels are read as factors (levels in the order of their codes); " +
    "ordinal and scale variables stay numbers. Change it per variable under “Read as”.";
  const wrap = document.createElement("div");
  wrap.className = "scroll";
  const table = document.createElement("table");
  table.id = "spss-variables";
  const { header, rows } = variableRows(source);
  const thead = table.createTHead().insertRow();
  for (const text of header) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = text;
    thead.append(th);
  }
  const body = table.createTBody();
  source.variables.forEach((v, i) => {
    const tr = body.insertRow();
    rows[i].slice(0, -1).forEach((cell) => (tr.insertCell().textContent = cell));
    const last = tr.insertCell();
    if (v.numeric && v.valueLabels.length) {
      const select = document.createElement("select");
      select.setAttribute("aria-label", `Read ${v.name} as`);
      select.dataset.variable = v.name;
      select.append(new Option("factor (labels)", "factor"), new Option("numbers", "numbers"));
      select.value = v.factor ? "factor" : "numbers";
      select.addEventListener("change", () => {
        chooseTreatment(v.name, select.value === "factor");
        reload();
      });
      last.append(select);
    } else last.textContent = rows[i][rows[i].length - 1];
  });
  wrap.append(table);
  return [h, hint, wrap];
}
