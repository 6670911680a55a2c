//! The `lagmix` command-line program: reads a CSV file (or stdin), runs the core pipeline and
//! prints the text report or the JSON result.
//!
//! All the statistics and all the formatting live in the `lagmix` crate; this binary only parses
//! arguments, reads bytes and writes text. Every failure the user can cause ends with a message
//! on stderr starting `error: ` and exit status 2 (never a panic), so scripts can tell a usage or
//! data problem from success.

mod args;
mod help;

use args::{Command, CommandName, DataArgs, DescribeArgs, FitArgs};
use lagmix::csv::CsvOptions;
use lagmix::frame::{FrameBuilder, ReadOptions};
use lagmix::{report, DataOptions, Dataset, ModelOptions};
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
    let output = match args::parse(&arguments).map_err(|e| e.to_string())? {
        Command::Help(None) => help::general(),
        Command::Help(Some(CommandName::Fit)) => help::fit().to_string(),
        Command::Help(Some(CommandName::Describe)) => help::describe().to_string(),
        Command::Version => help::version(),
        Command::Fit(fit) => run_fit(&fit)?,
        Command::Describe(describe) => run_describe(&describe)?,
    };
    write_stdout(&output)
}

/// `lagmix fit`: the summary text, or the result as pretty JSON.
fn run_fit(fit: &FitArgs) -> Result<String, String> {
    let data = read_dataset(&fit.data.path, &data_options(&fit.data))?;
    let model = ModelOptions {
        formula: fit.formula.clone(),
        reml: fit.reml,
        df: fit.df,
        correlation: fit.correlation,
    };
    let result = data.into_fit(&model).map_err(|e| e.to_string())?;
    if fit.data.json {
        json(serde_json::to_string_pretty(&result))
    } else {
        Ok(report::summary_text(&result))
    }
}

/// `lagmix describe`: the per-occasion table, or the description as pretty JSON.
fn run_describe(describe: &DescribeArgs) -> Result<String, String> {
    let description = read_dataset(&describe.data.path, &data_options(&describe.data))?
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

/// Reads the data file (`-`: standard input) in chunks straight into the frame, so a large
/// file is never held in memory whole, and builds the panel.
fn read_dataset(path: &str, options: &DataOptions) -> Result<Dataset, String> {
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
    loop {
        match input.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => builder.push(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(cannot(e)),
        }
    }
    let frame = builder.finish().map_err(|e| e.to_string())?;
    Dataset::from_frame(frame, options).map_err(|e| e.to_string())
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
