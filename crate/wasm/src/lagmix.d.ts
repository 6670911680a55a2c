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
  /**
   * Residual correlation within person (needs id and time): "ar1" (nlme's corAR1, whole times,
   * gaps count), "car1" (corCAR1, any real times) or "none" (default). With one, df default to
   * "between-within"; "satterthwaite" is refused.
   */
  correlation?: "none" | "ar1" | "car1";
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
  /** The residual correlation within person; null without one. */
  residualCorrelation: ResidualCorrelation | null;
}

/** Residuals of one person at times t and s correlate phi^|t - s| (nlme's corAR1 / corCAR1). */
export interface ResidualCorrelation {
  structure: "ar1" | "car1";
  phi: number;
  /** The time column. */
  time: string;
  /** phi at its lower bound 0 (car1). */
  atBoundary: boolean;
  optimizer: string;
  lower: number;
  upper: number;
  /** phi values tried (one pass over the data each). */
  evaluations: number;
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
