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
  /** Parameters counted by logLik, AIC and BIC (fixed effects, theta, residual variance). */
  npar: number;
  icc: number | null;
  sigma: number;
  theta: number[];
  singular: boolean;
  converged: boolean;
  optimization: Optimization;
  /** Covariance matrix of the fixed effects, p x p. */
  vcov: number[][];
  /** Under Kenward-Roger, the adjusted covariance (pbkrtest's vcovAdj); null otherwise. */
  vcovAdjusted: number[][] | null;
  /** Nakagawa's R² as performance::r2_nakagawa 0.10.2. */
  r2: R2;
  /** Each grouping factor's share of the variance, and the residual's. */
  varianceShares: VarianceShare[];
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

/** One row of lme4's anova(m0, m1, ...) table, in npar order. */
export interface ComparedModel {
  formula: string; npar: number; aic: number; bic: number; logLik: number; deviance: number;
}

/** The likelihood-ratio test of models[i + 1] against models[i]; p is null when df is 0. */
export interface LikelihoodRatioTest { chisq: number; df: number; p: number | null; nested: boolean; }

export interface Comparison {
  /** "ML" (refitted, lme4's default) or "REML" (no refit). */
  method: string;
  nobs: number;
  models: ComparedModel[];
  tests: LikelihoodRatioTest[];
  /** For each entry of models, its index in the list given to compare(). */
  givenOrder: number[];
  warnings: string[];
}

/** What Analysis.compare returns: the comparison and every model's fit (in the order given). */
export interface ComparisonResult { comparison: Comparison; fits: FitResult[]; }

/** A per-occasion mean with its t-based 95% CI (null with fewer than two values). */
export interface OccasionMean { time: number; n: number; mean: number | null; ciLower: number | null; ciUpper: number | null; }
export interface Trajectory { person: string; times: number[]; values: number[]; }
export interface VariableFigure { variable: string; means: OccasionMean[]; trajectories: Trajectory[]; }
/** within: [within(x), within(y)] of evenly spaced rows (withinRows in all); between: person means. */
export interface Association { x: string; y: string; within: [number, number][]; withinRows: number; between: [number, number][]; }
export interface FigureData {
  id: string; time: string; persons: number;
  /** Persons whose trajectories are included (evenly spaced in id order beyond 100). */
  sampledPersons: number;
  variables: VariableFigure[];
  association: Association | null;
}

export interface R2 {
  marginal: number;
  /** null for a singular fit (see note). */
  conditional: number | null;
  varFixed: number;
  varRandom: number | null;
  varResidual: number;
  /** Random slopes left out of varRandom (no fixed effect of that name), as "x | g". */
  slopesLeftOut: string[];
  /** Why the conditional R² is missing, in plain words. */
  note: string | null;
}

export interface VarianceShare {
  group: string;
  variance: number;
  share: number;
}

/** The conditional modes of one random-effects term (lme4's ranef) and their covariances. */
export interface RandomEffects {
  group: string;
  terms: string[];
  levels: string[];
  /** Level by level: level g's values for `terms` start at g * terms.length. */
  modes: number[];
  /** A terms.length² block per level (row-major). */
  condVar: number[];
}

/** The fitted effect of one predictor over its range, the other predictors at their means
 *  (factors averaged over their levels in proportion: emmeans' weights = "proportional"). */
export interface EffectCurve {
  term: string;
  response: string;
  x: number[];
  fit: number[];
  se: number[];
  /** 95% band: fit ± t(0.975, df) · se, se from the fit's vcov. */
  lower: number[];
  upper: number[];
  /** The predictor's coefficient's df. */
  df: number;
  held: { name: string; value: number }[];
  /** Interaction columns that move with the predictor (x times the other parts' means). */
  interactions: string[];
  weights: "proportional";
}

/** Fitted values and conditional residuals of the rows the last fit used. */
export interface RowOutputs {
  /** 0-based data row of each entry. */
  rows: number[];
  fitted: number[];
  residuals: number[];
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

/** A file that looks wide (detectWide). */
export interface WideGuess {
  id: string;
  time: string;
  sep: string;
  stubs: string[];
  stubColumns: number;
  occasions: number;
}
/** Options of reshapeWide, Analysis.fromWide and Analysis.fromWideCells. */
export interface ReshapeOptions {
  id: string;
  time: string;
  sep?: string;
  stubs?: string[];
  pattern?: string;
  keepEmpty?: boolean;
  delimiter?: string;
  /** The wide columns' variable labels (SPSS), carried over to the long columns. */
  labels?: { name: string; label: string }[];
}
export interface ReshapeSummary {
  /** Per stub its wide columns and the occasion of each. */
  stubs: { stub: string; columns: string[]; occasions: number[] }[];
  carried: string[];
  occasions: number[];
  persons: number;
  rows: number;
  emptyRowsDropped: number;
  warnings: string[];
}
/** Options of Analysis.reliability and Analysis.addScore. */
export interface ItemOptions {
  items: string[];
  reverse?: string[];
  min?: number;
  max?: number;
  withinBetween?: boolean;
  name?: string;
  kind?: "mean" | "sum";
  maxMissing?: number;
}
export interface ItemStatistics {
  item: string;
  n: number;
  mean: number;
  sd: number;
  rDrop: number;
  alphaIfDropped: number;
  stdAlphaIfDropped: number;
  reversed: boolean;
}
export interface MultilevelAlpha {
  alphaWithin: number;
  alphaBetween: number;
  nobs: number;
  persons: number;
  withinCovariance: number[][];
  betweenCovariance: number[][];
  mean: number[];
  logLik: number;
  iterations: number;
  converged: boolean;
}
/** Cronbach's alpha as psych::alpha, with within/between alpha when asked. */
export interface Alpha {
  nobs: number;
  completeRows: number;
  alpha: number;
  stdAlpha: number;
  averageR: number;
  items: ItemStatistics[];
  reversed: string[];
  range: [number, number];
  rangeDeclared: boolean;
  multilevel: MultilevelAlpha | null;
  warnings: string[];
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
