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
  /** Denominator df: "satterthwaite" (default), "kenward-roger" (REML only), "residual" or
   * "between-within". */
  df?: "satterthwaite" | "kenward-roger" | "residual" | "between-within";
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

/** One row of lmerTest's anova(m, type = 3), with the denominators of the fit's df method. */
export interface AnovaRow {
  term: string;
  numDf: number;
  denDf: number;
  f: number;
  p: number;
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
  /** Type III F tests of every fixed-effects term (denominators as dfMethod). */
  anova: AnovaRow[];
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
