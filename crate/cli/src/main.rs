//! The `lagmix` command-line program: reads a CSV file, workbook or SPSS file (or stdin), runs the core pipeline and
//! prints the text report or the JSON result.
//!
//! All the statistics and all the formatting live in the `lagmix` crate; this binary only parses
//! arguments, reads bytes and writes text. Every failure the user can cause ends with a message
//! on stderr starting `error: ` and exit status 2 (never a panic), so scripts can tell a usage or
//! data problem from success.

mod args;
mod help;
mod items;

use args::{Command, CommandName, CompareArgs, DataArgs, DescribeArgs, FitArgs};
use lagmix::csv::CsvOptions;
use lagmix::frame::{FrameBuilder, ReadOptions};
use lagmix::{import, report, DataOptions, Dataset, ModelOptions};
use std::io::{self, Read, Write};
use std::process::ExitCode;

/// Exit status for anything the user can fix: arguments, files, data, model.
const USER_ERROR: u8 = 2;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // If stderr itself is gone there is nobody left to tell.
            let _ = writeln!(io::stderr(), "error: {message}");
            ExitCode::from(USER_ERROR)
        }
    }
}

/// Parses the command line and runs the command; `Err` holds the message for the user.
fn run() -> Result<(), String> {
    let arguments: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| {
            a.into_string()
                .map_err(|a| format!("the argument {a:?} is not valid UTF-8 text"))
        })
        .collect::<Result<_, _>>()?;
    if let Some(command) = arguments.first().filter(|c| items::is_items_command(c)) {
        let mut notes = Vec::new();
        let output = items::run(command, arguments.get(1..).unwrap_or_default(), &mut notes);
        for note in notes {
            let _ = writeln!(io::stderr(), "{}", note.trim_end());
        }
        return write_stdout(&output?);
    }
    let output = match args::parse(&arguments).map_err(|e| e.to_string())? {
        Command::Help(None) => help::general(),
        Command::Help(Some(CommandName::Fit)) => help::fit().to_string(),
        Command::Help(Some(CommandName::Compare)) => help::compare().to_string(),
        Command::Help(Some(CommandName::Describe)) => help::describe().to_string(),
        Command::Version => help::version(),
        Command::Fit(fit) => run_fit(&fit)?,
        Command::Compare(compare) => run_compare(&compare)?,
        Command::Describe(describe) => run_describe(&describe)?,
    };
    write_stdout(&output)
}

/// `lagmix fit`: the summary text, or the result as pretty JSON.
fn run_fit(fit: &FitArgs) -> Result<String, String> {
    let data = read_dataset(&fit.data, &data_options(&fit.data))?;
    let model = ModelOptions {
        formula: fit.formula.clone(),
        reml: fit.reml,
        df: fit.df,
        correlation: fit.correlation,
    };
    // The script needs the file's reading (levels, delimiter), which the consuming fit frees.
    let script = fit.r_script.then(|| {
        let spec = lagmix::formula::parse_formula(&model.formula).map_err(|e| e.to_string())?;
        let name = file_name(&fit.data.path);
        let script_data = script_data(&fit.data, &name);
        Ok(report::r_script(&spec, &model, &script_data, &data.frame))
    });
    let result = match &fit.exports.derived_data {
        // The derived data need the data set after the fit (for its fitted values).
        Some(path) => {
            let result = data.fit(&model).map_err(|e| e.to_string())?;
            write_derived_data(path, &data, &model, &result)?;
            result
        }
        None => data.into_fit(&model).map_err(|e| e.to_string())?,
    };
    if let Some(path) = &fit.exports.random_effects {
        let mut file = create(path)?;
        file.write_all(report::random_effects_csv(&result).as_bytes())
            .and_then(|()| file.flush())
            .map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    if let Some(script) = script {
        script
    } else if fit.data.json {
        json(serde_json::to_string_pretty(&result))
    } else {
        Ok(report::summary_text(&result))
    }
}

/// Writes the derived data of `model` with the fitted values and residuals of `result` to `path`.
fn write_derived_data(
    path: &str,
    data: &Dataset,
    model: &ModelOptions,
    result: &lagmix::FitResult,
) -> Result<(), String> {
    let outputs = data
        .fitted_values(model, result)
        .map_err(|e| e.to_string())?;
    let spec = lagmix::formula::parse_formula(&model.formula).map_err(|e| e.to_string())?;
    let mut file = create(path)?;
    let mut failed = None;
    lagmix::design::write_derived_csv_with_outputs(
        &spec,
        &data.frame,
        &data.panel,
        Some(&outputs),
        1 << 20,
        &mut |block| {
            if failed.is_none() {
                failed = file.write_all(block.as_bytes()).err();
            }
        },
    )
    .map_err(|e| e.to_string())?;
    match failed.or_else(|| file.flush().err()) {
        Some(e) => Err(format!("cannot write {path}: {e}")),
        None => Ok(()),
    }
}

/// The data file's name without its folders: the R script reads it from its working directory.
fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or(path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// What an R script needs to know of the data file and the panel.
fn script_data<'a>(data: &'a DataArgs, file_name: &'a str) -> report::ScriptData<'a> {
    report::ScriptData {
        file_name,
        na: &data.na,
        id: data.id.as_deref(),
        time: data.time.as_deref(),
    }
}

/// `lagmix compare`: lme4's anova table of the models, or the comparison as pretty JSON.
fn run_compare(compare: &CompareArgs) -> Result<String, String> {
    let data = read_dataset(&compare.data, &data_options(&compare.data))?;
    let models: Vec<ModelOptions> = compare
        .formulas
        .iter()
        .zip(&compare.correlations)
        .map(|(formula, &correlation)| {
            ModelOptions {
                reml: compare.reml,
                ..ModelOptions::new(formula)
            }
            .with_correlation(correlation)
        })
        .collect();
    let (comparison, _) = data
        .compare(&models, compare.refit)
        .map_err(|e| e.to_string())?;
    if compare.r_script {
        let specs = models
            .iter()
            .map(|m| lagmix::formula::parse_formula(&m.formula))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        let name = file_name(&compare.data.path);
        let script_data = script_data(&compare.data, &name);
        Ok(report::r_script_compare(
            &specs,
            &models,
            compare.refit,
            &script_data,
            &data.frame,
        ))
    } else if compare.data.json {
        json(serde_json::to_string_pretty(&comparison))
    } else {
        Ok(report::compare_text(&comparison))
    }
}

/// Creates (or truncates) an output file, buffered.
fn create(path: &str) -> Result<std::io::BufWriter<std::fs::File>, String> {
    std::fs::File::create(path)
        .map(std::io::BufWriter::new)
        .map_err(|e| format!("cannot create {path}: {e}"))
}

/// `lagmix describe`: the per-occasion table, or the description as pretty JSON.
fn run_describe(describe: &DescribeArgs) -> Result<String, String> {
    let description = read_dataset(&describe.data, &data_options(&describe.data))?
        .describe(&describe.variables)
        .map_err(|e| e.to_string())?;
    if describe.data.json {
        json(serde_json::to_string_pretty(&description))
    } else {
        Ok(report::describe_text(&description))
    }
}

fn data_options(data: &DataArgs) -> DataOptions {
    DataOptions {
        read: ReadOptions {
            csv: CsvOptions {
                delimiter: data.delimiter,
            },
            na: data.na.clone(),
        },
        id: data.id.clone(),
        time: data.time.clone(),
    }
}

/// Reads the data file (`-`: standard input) and builds the panel: a CSV file in chunks straight
/// into the frame, so a large file is never held in memory whole; a workbook or SPSS file (known
/// by its first bytes) whole, through [`read_whole`].
fn read_dataset(data: &DataArgs, options: &DataOptions) -> Result<Dataset, String> {
    let path = data.path.as_str();
    let cannot = |e: io::Error| match e.kind() {
        io::ErrorKind::NotFound => format!("cannot read '{path}': there is no such file"),
        io::ErrorKind::IsADirectory => format!("cannot read '{path}': it is a directory"),
        _ if path == "-" => format!("cannot read the data from standard input: {e}"),
        _ => format!("cannot read '{path}': {e}"),
    };
    let mut builder = FrameBuilder::new(&options.read);
    let mut input: Box<dyn Read> = if path == "-" {
        Box::new(io::stdin().lock())
    } else {
        let file = std::fs::File::open(path).map_err(cannot)?;
        // The columns are sized from the file's length instead of growing by doubling.
        if let Ok(metadata) = file.metadata() {
            builder.expect_bytes(metadata.len());
        }
        Box::new(file)
    };
    let mut chunk = vec![0u8; 1 << 20];
    let mut first = true;
    loop {
        match input.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) if first && import::detect_format(&chunk[..n]) != import::FileFormat::Csv => {
                let mut whole = chunk[..n].to_vec();
                input.read_to_end(&mut whole).map_err(cannot)?;
                return read_whole(&whole, data, options);
            }
            Ok(n) => {
                first = false;
                builder.push(&chunk[..n]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(cannot(e)),
        }
    }
    let frame = builder.finish().map_err(|e| e.to_string())?;
    Dataset::from_frame(frame, options).map_err(|e| e.to_string())
}

/// Reads a workbook or SPSS file held whole and says on stderr what was read (sheet, rows,
/// columns). A panic inside a reader (a dependency's bug on a crafted file) becomes a message,
/// so the exit status is still 2.
fn read_whole(bytes: &[u8], data: &DataArgs, options: &DataOptions) -> Result<Dataset, String> {
    let import = import::ImportOptions {
        sheet: data.sheet.clone(),
        factors: data.factors.clone(),
        numeric: data.numeric.clone(),
    };
    std::panic::set_hook(Box::new(|_| {}));
    let read = std::panic::catch_unwind(|| Dataset::import(bytes, options, &import));
    let _ = std::panic::take_hook();
    let (dataset, info) = read
        .map_err(|_| {
            format!(
                "'{}' could not be read: the reader stopped on an internal error (the file \
                 may be damaged); save it again, or export the data as CSV",
                data.path
            )
        })?
        .map_err(|e| e.to_string())?;
    let sheet = info
        .sheet
        .map(|s| format!("sheet \"{s}\" of "))
        .unwrap_or_default();
    let _ = writeln!(
        io::stderr(),
        "read {sheet}{} ({}): {} rows, {} columns",
        data.path,
        info.format,
        info.rows,
        info.columns
    );
    for note in &info.notes {
        let _ = writeln!(io::stderr(), "note: {note}");
    }
    Ok(dataset)
}

/// Pretty JSON with a final newline, or the message for the user.
fn json(text: Result<String, serde_json::Error>) -> Result<String, String> {
    text.map(|mut text| {
        text.push('\n');
        text
    })
    .map_err(|e| format!("cannot write the result as JSON: {e}"))
}

/// Writes `text` to stdout. A closed pipe (`lagmix fit ... | head`) is not an error: the reader
/// has all it wanted.
fn write_stdout(text: &str) -> Result<(), String> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write the output: {e}")),
    }
}
