/** Options for reading a data set. */
export interface DataOptions {
  /** Person id column (guessed by the page; required for within/between/lag/lead). */
  id?: string;
  /** Occasion column (numeric). */
  time?: string;
  /** Extra missing-value codes: ["-99", "999"] or "-99, 999". */
  na?: string[] | string;
  /** "," ";" "\t" or "tab"; detected from the header line when absent. */
  delimiter?: string;
}

/** What model to fit and how to test it. */
export interface ModelOptions {
  /** lme4 formula, e.g. "lead(spin) ~ spin + wai + (1 | id)". */
  formula: string;
  /** REML (default true) or ML. */
  reml?: boolean;
  /** Denominator df: "satterthwaite" (default), "residual" or "between-within". */
  df?: "satterthwaite" | "residual" | "between-within";
}

/** Options of the one-shot `fit`. */
export interface FitOptions extends DataOptions, ModelOptions {}

/** Options of the one-shot `describe`. */
export interface DescribeOptions extends DataOptions {
  variables: string[];
}

export interface FixedEffect {
  term: string;
  estimate: number;
  se: number;
  df: number;
  t: number;
  p: number;
  ciLower: number;
  ciUpper: number;
}

/** One row of lme4's as.data.frame(VarCorr(m)); var2 is set on correlation rows. */
export interface VarCorrRow {
  group: string;
  var1: string | null;
  var2: string | null;
  vcov: number;
  sdcor: number;
}

export interface GroupInfo { name: string; levels: number; }
export interface MissingCount { variable: string; rows: number; }

export interface Optimization {
  optimizer: string;
  initialTheta: number[];
  finalTheta: number[];
  evaluations: number;
  objective: number;
  converged: boolean;
  message: string;
}

export interface FitResult {
  formula: string;
  response: string;
  method: string;
  dfMethod: string;
  nobs: number;
  totalRows: number;
  droppedRows: number;
  missingByVariable: MissingCount[];
  groups: GroupInfo[];
  fixed: FixedEffect[];
  varcorr: VarCorrRow[];
  remlCriterion: number | null;
  logLik: number;
  aic: number;
  bic: number;
  deviance: number;
  icc: number | null;
  sigma: number;
  theta: number[];
  singular: boolean;
  converged: boolean;
  optimization: Optimization;
  /** Covariance matrix of the fixed effects, p x p. */
  vcov: number[][];
  /** Plain-words warnings (singular fit, dropped rows, ...). */
  warnings: string[];
}

export interface OccasionStats {
  time: number;
  n: number;
  mean: number | null;
  sd: number | null;
  missing: number;
  missingPercent: number;
  changeN: number;
  changeMean: number | null;
  changeSd: number | null;
}

export interface VariableDescription {
  variable: string;
  n: number;
  mean: number | null;
  sd: number | null;
  missing: number;
  missingPercent: number;
  occasions: OccasionStats[];
}

export interface Description {
  id: string;
  time: string;
  persons: number;
  occasions: number[];
  variables: VariableDescription[];
}

export interface ColumnInfo {
  name: string;
  kind: "numeric" | "text";
  /** Empty cells. */
  missing: number;
  /** Distinct values of a text column (null for numbers). */
  levels: number | null;
  /** Smallest and largest observed number (null for text or when nothing is observed). */
  min?: number | null;
  max?: number | null;
}

/** The shape of the panel: rows, persons, occasions, rows per person. */
export interface PanelSummary {
  rows: number;
  id: string | null;
  time: string | null;
  persons: number;
  /** Sorted distinct times. */
  occasions: number[];
  rowsPerPersonMin: number | null;
  rowsPerPersonMax: number | null;
  rowsWithoutPerson: number;
  rowsWithoutTime: number;
}

export interface Preview {
  names: string[];
  rows: string[][];
}

/** `readFile`'s options (crate/readers-wasm): which sheet of a workbook, how to read SPSS variables with value labels. */
export interface ImportOptions {
  /** The sheet's name; the first worksheet when absent or empty. */
  sheet?: string;
  /** SPSS variables to read as factors of their value labels (levels in code order). */
  factors?: string[];
  /** SPSS variables to keep numeric even when nominal. */
  numeric?: string[];
}

/** What the readers module's `readFile` read (its `source`; see crate/readers-wasm). */
export interface SourceInfo {
  format: "csv" | "xlsx" | "xls" | "ods" | "sav";
  /** The workbook's worksheets (empty for other formats). */
  sheets: string[];
  sheet: string | null;
  rows: number;
  columns: number;
  /** One per SPSS variable (empty for other formats). */
  variables: SpssVariable[];
  /** Things to know about the reading, in plain words. */
  notes: string[];
}

export interface SpssVariable {
  name: string;
  label: string | null;
  measure: "nominal" | "ordinal" | "scale" | "unknown";
  valueLabels: { value: number; label: string }[];
  /** Read as a factor of its value labels. */
  factor: boolean;
  /** Cells made missing by the variable's user-missing codes. */
  userMissing: number;
  numeric: boolean;
}
