//! lagmix-wasm: the browser binding of the lagmix core.
//!
//! A thin layer, on purpose: JS options come in as plain objects (serde-wasm-bindgen), the core
//! does all the work, and plain data goes back out (`json_compatible`, so maps become plain
//! objects and `Option::None` becomes `null`). Errors become a JS `Error` whose message is the
//! core's Display text, written for a researcher. Nothing here computes anything: if a function
//! grows past ~15 lines, the logic belongs in the core.
//!
//! JS API (see the TypeScript interfaces below):
//! - `fit(csvText, options)` and `describe(csvText, options)`: one-shot free functions;
//! - `new Analysis(csvText, dataOptions)` or `Analysis.fromBytes(bytes, dataOptions)`: parse
//!   once, then `setRoles(id, time)`, `columns()`, `summary()`, `fit(modelOptions, onStage?)`,
//!   `compare(models, refit)`, `rScript(options, fileName, na)`,
//!   `rScriptCompare(models, refit, fileName, na)`, `figureData(variables, x, y)`,
//!   `describe(variables)`, `derivedCsv(formula)` / `derivedCsvParts(formula)` as often as
//!   needed; after a fit, `randomEffects()`, `randomEffectsCsv()`, `fittedValues()` and
//!   `effectCurve(term)` of the
//!   last fit without fitting again (the derived data of its formula then add the fitted values
//!   and residuals);
//! - `new AnalysisBuilder(dataOptions)`, optionally `expectBytes(file.size)`, `push(chunk)` per
//!   piece of the file, `finish()` -> an `Analysis`: the same, for a file read in chunks (the
//!   worker never holds it whole);
//! - `Analysis.fromWide(bytes, reshapeOptions, dataOptions)` and
//!   `Analysis.fromWideCells(table, reshapeOptions, dataOptions)`: a wide CSV file, or a wide
//!   workbook's or SPSS file's cells, reshaped to long; then `reshapeSummary()` and `longCsv()`;
//! - `Analysis.fromCells(table, dataOptions)`: a workbook or SPSS file read by the readers module
//!   (crate/readers-wasm, loaded only for those files); `detectFormat(bytes)` tells the worker
//!   whether a file is one ("workbook", "sav") or streams as CSV ("csv");
//! - `lagmixVersion()`: the version, for a report's methods paragraph;
//! - `wasmMemoryBytes()`: the size of the module's linear memory (for the benchmark's peak).

mod items;
mod options;
mod preview;

use lagmix::Dataset;
use options::{DataOptionsJs, DescribeOptionsJs, FitOptionsJs, ModelOptionsJs};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_INTERFACES: &'static str = include_str!("lagmix.d.ts");

/// Converts a core result to a plain JS value (objects, arrays, numbers, strings, null).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("could not pass the result to the page: {e}")))
}

/// Reads a plain JS value (`undefined` and `null` mean all defaults).
fn from_js<T: serde::de::DeserializeOwned + Default>(value: JsValue) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("bad options: {e}")))
}

/// Reads a JS options object, rejecting keys it does not know (serde-wasm-bindgen only looks
/// up the known ones, so a typo such as `formla` would otherwise pass unnoticed).
fn options_from_js<T: serde::de::DeserializeOwned + Default + options::Keys>(
    value: JsValue,
) -> Result<T, JsError> {
    if value.is_object() {
        let keys = js_sys::Object::keys(value.unchecked_ref());
        for key in keys.iter().filter_map(|k| k.as_string()) {
            if !T::KEYS.contains(&key.as_str()) {
                let known = T::KEYS.join(", ");
                let msg = format!("unknown option {key:?}; the options are: {known}");
                return Err(JsError::new(&msg));
            }
        }
    }
    from_js(value)
}

/// Reads `csvText` and fits one model. `options`: `FitOptions` (data and model options together).
#[wasm_bindgen(js_name = fit, unchecked_return_type = "FitResult")]
pub fn fit(
    #[wasm_bindgen(js_name = csvText)] csv_text: &str,
    #[wasm_bindgen(unchecked_param_type = "FitOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let (data, model) = options_from_js::<FitOptionsJs>(options)?.split();
    let result = lagmix::fit_csv(csv_text.as_bytes(), &data.to_core()?, &model.to_core()?)?;
    to_js(&result)
}

/// Reads `csvText` and describes `options.variables` per occasion.
#[wasm_bindgen(js_name = describe, unchecked_return_type = "Description")]
pub fn describe(
    #[wasm_bindgen(js_name = csvText)] csv_text: &str,
    #[wasm_bindgen(unchecked_param_type = "DescribeOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let options: DescribeOptionsJs = options_from_js(options)?;
    let dataset = Dataset::parse(csv_text.as_bytes(), &options.data().to_core()?)?;
    to_js(&dataset.describe(&options.variables)?)
}

/// A parsed data set with its panel, kept in wasm memory for any number of fits.
#[wasm_bindgen]
pub struct Analysis {
    dataset: Dataset,
    /// The last fit with its options, for its outputs per group and per row; cleared when the
    /// roles change (the rows of the panel functions change with them).
    last_fit: Option<(lagmix::ModelOptions, lagmix::FitResult)>,
    /// The format the data came in (`xlsx`, `xls`, `ods`, `sav`) and the sheet read, for the R
    /// script's reading line; None for CSV.
    source: Option<(String, Option<String>)>,
    /// The reshape the data came from (a wide file reshaped to long), if any.
    long: Option<items::LongSource>,
}

impl Analysis {
    /// A fresh analysis of `dataset`: no fit yet, read from CSV, not reshaped.
    fn of(dataset: Dataset) -> Analysis {
        Analysis {
            dataset,
            last_fit: None,
            source: None,
            long: None,
        }
    }
}

#[wasm_bindgen]
impl Analysis {
    /// Reads and types `csvText` and builds the panel. Throws on malformed CSV (the message
    /// names the line), unknown id/time columns, or duplicated person-occasions.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = csvText)] csv_text: &str,
        #[wasm_bindgen(unchecked_param_type = "DataOptions | undefined")] options: JsValue,
    ) -> Result<Analysis, JsError> {
        let options: DataOptionsJs = options_from_js(options)?;
        let dataset = Dataset::parse(csv_text.as_bytes(), &options.to_core()?)?;
        Ok(Analysis::of(dataset))
    }

    /// As the constructor, from the file's bytes (a `Uint8Array`): the worker reads files in
    /// chunks into one buffer, and this skips decoding them to a JS string and encoding back.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(
        bytes: &[u8],
        #[wasm_bindgen(unchecked_param_type = "DataOptions | undefined")] options: JsValue,
    ) -> Result<Analysis, JsError> {
        let options: DataOptionsJs = options_from_js(options)?;
        let dataset = Dataset::parse(bytes, &options.to_core()?)?;
        Ok(Analysis::of(dataset))
    }

    /// A data set from the typed cells of a workbook or SPSS file as the readers module
    /// (`lagmix_readers_wasm.readFile`) hands them over, typed as a CSV file would be. Throws
    /// on damaged bytes and what the constructor throws about roles.
    #[wasm_bindgen(js_name = fromCells)]
    pub fn from_cells(
        table: &[u8],
        #[wasm_bindgen(unchecked_param_type = "DataOptions | undefined")] options: JsValue,
    ) -> Result<Analysis, JsError> {
        let options = options_from_js::<DataOptionsJs>(options)?.to_core()?;
        let table = lagmix::frame::decode_table(table)?;
        let frame = lagmix::frame::Frame::from_cells(table, &options.read)?;
        let dataset = Dataset::from_frame(frame, &options)?;
        Ok(Analysis::of(dataset))
    }

    /// Chooses the person id and occasion columns (either may be `undefined`) without reading
    /// the data again. On an error (unknown column, a person-occasion twice) the roles stay
    /// as they were.
    #[wasm_bindgen(js_name = setRoles)]
    pub fn set_roles(&mut self, id: Option<String>, time: Option<String>) -> Result<(), JsError> {
        let frame = &self.dataset.frame;
        let panel = lagmix::frame::Panel::new(frame, id.as_deref(), time.as_deref())
            .map_err(lagmix::Error::from)?;
        self.dataset.panel = panel;
        self.last_fit = None;
        Ok(())
    }

    /// Per column: name, numeric or text, missing cells.
    #[wasm_bindgen(unchecked_return_type = "ColumnInfo[]")]
    pub fn columns(&self) -> Result<JsValue, JsError> {
        to_js(&lagmix::describe::column_info(&self.dataset.frame))
    }

    /// Persons, occasions, overall missing and missing per occasion.
    #[wasm_bindgen(unchecked_return_type = "PanelSummary")]
    pub fn summary(&self) -> Result<JsValue, JsError> {
        to_js(&lagmix::describe::panel_summary(
            &self.dataset.frame,
            &self.dataset.panel,
        ))
    }

    /// Fits a model. `options`: `ModelOptions`. `onStage`, when given, is called with
    /// "transforming" before the panel functions and design and with "fitting" before the
    /// optimisation, so a worker can post progress while it is busy.
    #[wasm_bindgen(unchecked_return_type = "FitResult")]
    pub fn fit(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ModelOptions")] options: JsValue,
        #[wasm_bindgen(js_name = onStage)] on_stage: Option<js_sys::Function>,
    ) -> Result<JsValue, JsError> {
        let options = options_from_js::<ModelOptionsJs>(options)?.to_core()?;
        // A failing progress callback must not fail the fit, so its result is ignored.
        let tell = |stage: &str| {
            on_stage
                .as_ref()
                .map(|f| f.call1(&JsValue::NULL, &stage.into()))
        };
        tell("transforming");
        let spec = lagmix::formula::parse_formula(&options.formula)?;
        let design = self.dataset.design(&spec, &options)?;
        tell("fitting");
        let result = lagmix::inference::fit_and_infer(&spec, design, &options)?;
        let value = to_js(&result)?;
        self.last_fit = Some((options, result));
        Ok(value)
    }

    /// The last fit's conditional modes with their conditional covariances, per term.
    #[wasm_bindgen(js_name = randomEffects, unchecked_return_type = "RandomEffects[]")]
    pub fn random_effects(&self) -> Result<JsValue, JsError> {
        to_js(&self.last()?.1.random_effects)
    }

    /// The last fit's random effects as CSV (lme4's `as.data.frame(ranef(m, condVar = TRUE))`).
    #[wasm_bindgen(js_name = randomEffectsCsv)]
    pub fn random_effects_csv(&self) -> Result<String, JsError> {
        Ok(lagmix::report::random_effects_csv(&self.last()?.1))
    }

    /// The last fit's fitted values and conditional residuals, per row used.
    #[wasm_bindgen(js_name = fittedValues, unchecked_return_type = "RowOutputs")]
    pub fn fitted_values(&self) -> Result<JsValue, JsError> {
        let (options, fit) = self.last()?;
        to_js(&self.dataset.fitted_values(options, fit)?)
    }

    fn last(&self) -> Result<&(lagmix::ModelOptions, lagmix::FitResult), JsError> {
        self.last_fit
            .as_ref()
            .ok_or_else(|| JsError::new("Fit a model first: there are no results to export yet."))
    }

    /// The fitted values of the last fit when it is a fit of `formula` (as written, or as the
    /// result prints it) for the derived data.
    fn outputs_for(
        &self,
        formula: &str,
        spec: &str,
    ) -> Result<Option<lagmix::RowOutputs>, JsError> {
        match &self.last_fit {
            Some((options, fit)) if options.formula == formula || fit.formula == spec => {
                Ok(Some(self.dataset.fitted_values(options, fit)?))
            }
            _ => Ok(None),
        }
    }

    /// Fits `models` (an array of `ModelOptions`) to the rows complete for all of them and tests
    /// them against each other as lme4's `anova(m0, m1, ...)`; `refit` (lme4's default) fits
    /// REML models by ML for the comparison.
    #[wasm_bindgen(unchecked_return_type = "ComparisonResult")]
    pub fn compare(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ModelOptions[]")] models: JsValue,
        refit: bool,
    ) -> Result<JsValue, JsError> {
        let models: Vec<ModelOptionsJs> = from_js(models)?;
        let models = models
            .iter()
            .map(ModelOptionsJs::to_core)
            .collect::<Result<Vec<_>, _>>()?;
        let (comparison, fits) = self.dataset.compare(&models, refit)?;
        to_js(&ComparisonResult { comparison, fits })
    }

    /// The compact data of the page's figures: per-occasion means with 95% CIs and the sampled
    /// trajectories of `variables`, and when `x` and `y` are given their within- and
    /// between-person association.
    #[wasm_bindgen(js_name = figureData, unchecked_return_type = "FigureData")]
    pub fn figure_data(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] variables: JsValue,
        x: Option<String>,
        y: Option<String>,
    ) -> Result<JsValue, JsError> {
        let variables: Vec<String> = from_js(variables)?;
        let association = x.as_deref().zip(y.as_deref());
        let (frame, panel) = (&self.dataset.frame, &self.dataset.panel);
        let data = lagmix::describe::figure_data(frame, panel, &variables, association)
            .map_err(lagmix::Error::from)?;
        to_js(&data)
    }

    /// The R script (lme4 + lmerTest) that reproduces the fit of `options` from the file
    /// `fileName` read with the extra missing-value codes `na`.
    #[wasm_bindgen(js_name = rScript)]
    pub fn r_script(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ModelOptions")] options: JsValue,
        #[wasm_bindgen(js_name = fileName)] file_name: &str,
        #[wasm_bindgen(unchecked_param_type = "string[]")] na: JsValue,
    ) -> Result<String, JsError> {
        let options = options_from_js::<ModelOptionsJs>(options)?.to_core()?;
        let na: Vec<String> = from_js(na)?;
        let spec = lagmix::formula::parse_formula(&options.formula)?;
        let data = self.script_data(file_name, &na);
        Ok(lagmix::report::r_script(
            &spec,
            &options,
            &data,
            &self.dataset.frame,
        ))
    }

    /// The R script of a comparison: every model of `models` (`ModelOptions[]`) on the rows
    /// complete for all of them, then lme4's `anova(model1, ..., refit = )`.
    #[wasm_bindgen(js_name = rScriptCompare)]
    pub fn r_script_compare(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ModelOptions[]")] models: JsValue,
        refit: bool,
        #[wasm_bindgen(js_name = fileName)] file_name: &str,
        #[wasm_bindgen(unchecked_param_type = "string[]")] na: JsValue,
    ) -> Result<String, JsError> {
        let models: Vec<ModelOptionsJs> = from_js(models)?;
        let models = models
            .iter()
            .map(ModelOptionsJs::to_core)
            .collect::<Result<Vec<_>, _>>()?;
        let specs = models
            .iter()
            .map(|m| lagmix::formula::parse_formula(&m.formula))
            .collect::<Result<Vec<_>, _>>()?;
        let na: Vec<String> = from_js(na)?;
        let data = self.script_data(file_name, &na);
        let frame = &self.dataset.frame;
        Ok(lagmix::report::r_script_compare(
            &specs, &models, refit, &data, frame,
        ))
    }

    fn script_data<'a>(
        &'a self,
        file_name: &'a str,
        na: &'a [String],
    ) -> lagmix::report::ScriptData<'a> {
        let panel = &self.dataset.panel;
        let source = match &self.source {
            None => lagmix::report::ScriptSource::Csv,
            Some((format, _)) if format == "sav" => lagmix::report::ScriptSource::Spss,
            Some((_, sheet)) => lagmix::report::ScriptSource::Workbook {
                sheet: sheet.as_deref(),
            },
        };
        lagmix::report::ScriptData {
            file_name,
            na,
            id: panel.id_name.as_deref(),
            time: panel.time_name.as_deref(),
            source,
        }
    }

    /// Tells the data set it came from a workbook or SPSS file (`format` as the readers'
    /// `SourceInfo` names it, `sheet` the sheet read), so that its R scripts read it so too.
    #[wasm_bindgen(js_name = setSource)]
    pub fn set_source(&mut self, format: String, sheet: Option<String>) {
        self.source = (format != "csv").then_some((format, sheet));
    }

    /// The last fit's fitted effect of the predictor `term` (a fixed-effect name) with its 95%
    /// band, the other predictors at their means.
    #[wasm_bindgen(js_name = effectCurve, unchecked_return_type = "EffectCurve")]
    pub fn effect_curve(&self, term: &str) -> Result<JsValue, JsError> {
        let (options, fit) = self.last()?;
        to_js(&self.dataset.effect_curve(options, fit, term)?)
    }

    /// Per-occasion descriptives of `variables` (an array of column names).
    #[wasm_bindgen(unchecked_return_type = "Description")]
    pub fn describe(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] variables: JsValue,
    ) -> Result<JsValue, JsError> {
        let variables: Vec<String> = from_js(variables)?;
        to_js(&self.dataset.describe(&variables)?)
    }

    /// The derived data set of `formula` (every variable it uses, with within/between/lag/lead
    /// evaluated over the panel, and the last fit's fitted values and residuals when it is a fit
    /// of `formula`) as CSV text.
    #[wasm_bindgen(js_name = derivedCsv)]
    pub fn derived_csv(&self, formula: &str) -> Result<String, JsError> {
        let parts = self.derived_csv_parts(formula)?;
        Ok(parts.iter().filter_map(|p| p.as_string()).collect())
    }

    /// The same derived data as [`Analysis::derived_csv`] (with `fitted` and `residual` columns
    /// when the last fit is of `formula`), as an array of strings of whole lines
    /// (about 1 MB each): `new Blob(parts)` makes the file without the whole text ever being one
    /// string in the module's memory (at a million rows that would be tens of megabytes).
    #[wasm_bindgen(js_name = derivedCsvParts, unchecked_return_type = "string[]")]
    pub fn derived_csv_parts(&self, formula: &str) -> Result<js_sys::Array, JsError> {
        let spec = lagmix::formula::parse_formula(formula)?;
        let (frame, panel) = (&self.dataset.frame, &self.dataset.panel);
        let outputs = self.outputs_for(formula, &spec.text)?;
        let parts = js_sys::Array::new();
        let sink = &mut |block: String| {
            parts.push(&JsValue::from_str(&block));
        };
        lagmix::design::write_derived_csv_with_outputs(
            &spec,
            frame,
            panel,
            outputs.as_ref(),
            1 << 20,
            sink,
        )?;
        Ok(parts)
    }

    /// First `rows` data rows as text cells (missing cells as empty strings), for a preview.
    #[wasm_bindgen(unchecked_return_type = "Preview")]
    pub fn preview(&self, rows: usize) -> Result<JsValue, JsError> {
        to_js(&preview::preview(&self.dataset.frame, rows))
    }
}

/// What [`Analysis::compare`] returns.
#[derive(Serialize)]
struct ComparisonResult {
    comparison: lagmix::inference::compare::Comparison,
    fits: Vec<lagmix::FitResult>,
}

/// Reads a file fed in chunks into an [`Analysis`]: the worker pushes each chunk as it reads
/// it, so the whole file is never copied into wasm memory and the bytes read are real progress.
#[wasm_bindgen]
pub struct AnalysisBuilder {
    builder: lagmix::frame::FrameBuilder,
}

#[wasm_bindgen]
impl AnalysisBuilder {
    /// A builder reading with `options` (the roles are set later with `setRoles`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "DataOptions | undefined")] options: JsValue,
    ) -> Result<AnalysisBuilder, JsError> {
        let options: DataOptionsJs = options_from_js(options)?;
        let builder = lagmix::frame::FrameBuilder::new(&options.to_core()?.read);
        Ok(AnalysisBuilder { builder })
    }

    /// Tells the builder the file's size in bytes (`file.size`), so that the columns are
    /// sized once from the first rows instead of growing by doubling (less memory at the peak).
    /// Optional; a wrong size changes only the memory used. Call it before the first `push`.
    #[wasm_bindgen(js_name = expectBytes)]
    pub fn expect_bytes(&mut self, total: f64) {
        if total.is_finite() && total >= 0.0 {
            // Saturating: sizes past 2^64 are not files.
            self.builder.expect_bytes(total as u64);
        }
    }

    /// Reads the next chunk of the file (any size; a record may span chunks).
    pub fn push(&mut self, chunk: &[u8]) {
        self.builder.push(chunk);
    }

    /// The data set, without roles. Throws what the constructor of `Analysis` throws.
    pub fn finish(self) -> Result<Analysis, JsError> {
        let frame = self.builder.finish().map_err(lagmix::Error::from)?;
        let panel = lagmix::frame::Panel::new(&frame, None, None).map_err(lagmix::Error::from)?;
        let dataset = Dataset { frame, panel };
        Ok(Analysis::of(dataset))
    }
}

/// The lagmix version (the core's crate version), for the methods paragraph of a report.
#[wasm_bindgen(js_name = lagmixVersion)]
pub fn lagmix_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// "csv", "workbook" or "sav", from the first bytes of a file (8 are enough).
#[wasm_bindgen(js_name = detectFormat)]
pub fn detect_format(bytes: &[u8]) -> String {
    match lagmix::import::detect_format(bytes) {
        lagmix::import::FileFormat::Csv => "csv",
        lagmix::import::FileFormat::Workbook => "workbook",
        lagmix::import::FileFormat::Sav => "sav",
    }
    .to_string()
}

/// Bytes of the module's linear memory. It only grows, so after a fit it is the peak.
#[wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}
