//! The command line -> [`Command`]: a small hand-written parser (two commands and a dozen options
//! do not justify clap's size and build time).
//!
//! Options take their value as the next argument or after `=` (`--na=-99`); a value may start
//! with `-` (`--na -99,999`). `--` ends the options; `-` alone is the data file read from stdin.

use lagmix::{DfMethod, ResidualStructure};
use std::fmt;

/// What the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// General help, or a command's help (`lagmix fit --help`).
    Help(Option<CommandName>),
    Version,
    Fit(FitArgs),
    Compare(CompareArgs),
    Describe(DescribeArgs),
}

/// The commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandName {
    Fit,
    Compare,
    Describe,
}

impl CommandName {
    fn as_str(self) -> &'static str {
        match self {
            CommandName::Fit => "fit",
            CommandName::Compare => "compare",
            CommandName::Describe => "describe",
        }
    }
}

/// Options both commands share.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataArgs {
    /// The data file, `-` for standard input.
    pub path: String,
    pub id: Option<String>,
    pub time: Option<String>,
    pub na: Vec<String>,
    pub delimiter: Option<u8>,
    pub json: bool,
    /// The workbook sheet to read (`--sheet`); the first when absent.
    pub sheet: Option<String>,
    /// SPSS variables to read as factors of their value labels (`--factor`).
    pub factors: Vec<String>,
    /// SPSS variables to keep numeric (`--numeric`).
    pub numeric: Vec<String>,
}

/// `lagmix fit`.
#[derive(Debug, Clone, PartialEq)]
pub struct FitArgs {
    pub data: DataArgs,
    pub formula: String,
    pub reml: bool,
    pub df: DfMethod,
    /// Residual correlation within person (`--correlation ar1|car1`).
    pub correlation: ResidualStructure,
    /// Print the R script that reproduces the fit instead of the summary.
    pub r_script: bool,
    /// Files to write besides the summary.
    pub exports: Exports,
}

/// `lagmix fit`'s files: the random effects (`--random-effects FILE`) and the derived data with
/// fitted values and residuals (`--derived-data FILE`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Exports {
    pub random_effects: Option<String>,
    pub derived_data: Option<String>,
}

/// `lagmix compare`.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareArgs {
    pub data: DataArgs,
    pub formulas: Vec<String>,
    pub reml: bool,
    /// Refit REML models by ML before the test (lme4's default); `--no-refit` turns it off.
    pub refit: bool,
    /// The residual correlation of each model (`--correlation` after its `--formula`).
    pub correlations: Vec<ResidualStructure>,
    /// Print the R script that reproduces the comparison instead of the table.
    pub r_script: bool,
}

/// `lagmix describe`.
#[derive(Debug, Clone, PartialEq)]
pub struct DescribeArgs {
    pub data: DataArgs,
    pub variables: Vec<String>,
}

/// A command line that cannot be run, with what to type instead.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgsError {
    NoCommand,
    UnknownCommand(String),
    UnknownOption {
        command: CommandName,
        option: String,
        suggestion: Option<&'static str>,
    },
    MissingValue(String),
    BadValue {
        option: &'static str,
        value: String,
        expected: &'static str,
    },
    FlagWithValue(String),
    MissingData(CommandName),
    ExtraArgument {
        command: CommandName,
        argument: String,
    },
    MissingFormula,
    OneFormula(usize),
    CorrelationBeforeFormula,
    TooFewFormulas(usize),
    MissingPanel,
    NoVariables,
}

impl fmt::Display for ArgsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgsError::NoCommand => write!(
                f,
                "no command given: use 'lagmix fit DATA.csv --formula ...' or \
                 'lagmix describe DATA.csv ...' (see 'lagmix --help')"
            ),
            ArgsError::UnknownCommand(c) if c.starts_with('-') => write!(
                f,
                "'{c}' is not a command: write the command first, e.g. \
                 'lagmix fit DATA.csv --formula ... {c}' (see 'lagmix --help')"
            ),
            ArgsError::UnknownCommand(c) => write!(
                f,
                "unknown command '{c}': the commands are 'fit' and 'describe' \
                 (see 'lagmix --help')"
            ),
            ArgsError::UnknownOption {
                command,
                option,
                suggestion,
            } => {
                write!(
                    f,
                    "unknown option '{option}' for 'lagmix {}'",
                    command.as_str()
                )?;
                if let Some(s) = suggestion {
                    write!(f, " (did you mean '{s}'?)")?;
                }
                write!(f, "; see 'lagmix {} --help'", command.as_str())
            }
            ArgsError::MissingValue(option) => {
                write!(f, "option '{option}' needs a value after it")
            }
            ArgsError::BadValue {
                option,
                value,
                expected,
            } => write!(
                f,
                "'{value}' is not a valid value for {option}: expected {expected}"
            ),
            ArgsError::FlagWithValue(option) => {
                write!(f, "option '{option}' takes no value")
            }
            ArgsError::MissingData(command) => write!(
                f,
                "no data file given: use 'lagmix {} DATA.csv ...' ('-' reads standard input)",
                command.as_str()
            ),
            ArgsError::ExtraArgument { command, argument } => write!(
                f,
                "unexpected argument '{argument}': 'lagmix {}' takes one data file \
                 (quote a formula that contains spaces: --formula 'y ~ x + (1 | id)')",
                command.as_str()
            ),
            ArgsError::MissingFormula => write!(
                f,
                "no model given: add --formula, e.g. --formula 'spin ~ within(wai) + (1 | id)'"
            ),
            ArgsError::OneFormula(n) => write!(
                f,
                "'lagmix fit' fits one model, but {n} --formula options were given: to test models \
                 against each other use 'lagmix compare DATA.csv --formula F0 --formula F1'"
            ),
            ArgsError::CorrelationBeforeFormula => write!(
                f,
                "'lagmix compare' takes --correlation after the --formula it belongs to, e.g. \
                 --formula 'y ~ x + (1 | id)' --formula 'y ~ x + (1 | id)' --correlation ar1"
            ),
            ArgsError::TooFewFormulas(n) => write!(
                f,
                "'lagmix compare' needs at least two models, but {n} --formula {} given: repeat \
                 --formula for each model, e.g. --formula 'y ~ x + (1 | id)' --formula \
                 'y ~ x + (x | id)'",
                if *n == 1 { "was" } else { "were" }
            ),
            ArgsError::MissingPanel => write!(
                f,
                "describe needs the person and occasion columns: add --id COLUMN --time COLUMN"
            ),
            ArgsError::NoVariables => write!(
                f,
                "no variables given: list the columns to describe after the data file, \
                 e.g. 'lagmix describe data.csv --id id --time week spin wai'"
            ),
        }
    }
}

impl std::error::Error for ArgsError {}

/// Options taking a value, per command (for parsing and for "did you mean").
const FIT_OPTIONS: &[&str] = &[
    "--formula",
    "--id",
    "--time",
    "--ml",
    "--df",
    "--correlation",
    "--na",
    "--delimiter",
    "--json",
    "--r-script",
    "--random-effects",
    "--derived-data",
    "--sheet",
    "--factor",
    "--numeric",
    "--help",
];
const COMPARE_OPTIONS: &[&str] = &[
    "--formula",
    "--id",
    "--time",
    "--ml",
    "--no-refit",
    "--correlation",
    "--r-script",
    "--na",
    "--delimiter",
    "--json",
    "--sheet",
    "--factor",
    "--numeric",
    "--help",
];
const DESCRIBE_OPTIONS: &[&str] = &[
    "--id",
    "--time",
    "--na",
    "--delimiter",
    "--json",
    "--help",
    "--sheet",
    "--factor",
    "--numeric",
];

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, ArgsError> {
    let Some(first) = args.first() else {
        return Err(ArgsError::NoCommand);
    };
    let command = match first.as_str() {
        "-h" | "--help" | "help" => return Ok(Command::Help(help_topic(args.get(1)))),
        "-V" | "--version" | "version" => return Ok(Command::Version),
        "fit" => CommandName::Fit,
        "compare" => CommandName::Compare,
        "describe" => CommandName::Describe,
        other => return Err(ArgsError::UnknownCommand(other.to_string())),
    };
    parse_command(command, args.get(1..).unwrap_or_default())
}

/// `lagmix help fit` -> the fit help.
fn help_topic(arg: Option<&String>) -> Option<CommandName> {
    match arg.map(String::as_str) {
        Some("fit") => Some(CommandName::Fit),
        Some("compare") => Some(CommandName::Compare),
        Some("describe") => Some(CommandName::Describe),
        _ => None,
    }
}

fn parse_command(command: CommandName, args: &[String]) -> Result<Command, ArgsError> {
    let known = match command {
        CommandName::Fit => FIT_OPTIONS,
        CommandName::Compare => COMPARE_OPTIONS,
        CommandName::Describe => DESCRIBE_OPTIONS,
    };
    let mut data = DataArgs::default();
    let mut positional: Vec<String> = Vec::new();
    let mut formulas: Vec<String> = Vec::new();
    let mut reml = true;
    let mut refit = true;
    let mut r_script = false;
    let mut df = None;
    let mut exports = Exports::default();
    let mut correlation = ResidualStructure::Identity;
    // compare: the correlation of each --formula given so far.
    let mut correlations: Vec<ResidualStructure> = Vec::new();
    let mut only_positional = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if only_positional || arg == "-" || !arg.starts_with('-') {
            positional.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_positional = true;
            continue;
        }
        if arg == "-h" || arg == "--help" {
            return Ok(Command::Help(Some(command)));
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value.to_string())),
            None => (arg.as_str(), None),
        };
        if !known.contains(&name) {
            return Err(ArgsError::UnknownOption {
                command,
                option: name.to_string(),
                suggestion: closest(name, known),
            });
        }
        if ["--ml", "--json", "--no-refit", "--r-script"].contains(&name) {
            if inline.is_some() {
                return Err(ArgsError::FlagWithValue(name.to_string()));
            }
            match name {
                "--ml" => reml = false,
                "--no-refit" => refit = false,
                "--r-script" => r_script = true,
                _ => data.json = true,
            }
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => rest
                .next()
                .cloned()
                .ok_or_else(|| ArgsError::MissingValue(name.to_string()))?,
        };
        match name {
            "--formula" => {
                formulas.push(value);
                correlations.push(ResidualStructure::Identity);
            }
            "--id" => data.id = Some(value),
            "--time" => data.time = Some(value),
            "--df" => df = Some(parse_df(&value)?),
            "--random-effects" => exports.random_effects = Some(value),
            "--derived-data" => exports.derived_data = Some(value),
            "--correlation" => {
                correlation = parse_correlation(&value)?;
                if command == CommandName::Compare {
                    let last = correlations
                        .last_mut()
                        .ok_or(ArgsError::CorrelationBeforeFormula)?;
                    *last = correlation;
                }
            }
            "--na" => data.na = parse_list(&value),
            "--delimiter" => data.delimiter = Some(parse_delimiter(&value)?),
            "--sheet" => data.sheet = Some(value),
            "--factor" => data.factors = parse_list(&value),
            "--numeric" => data.numeric = parse_list(&value),
            _ => {
                return Err(ArgsError::UnknownOption {
                    command,
                    option: name.to_string(),
                    suggestion: None,
                })
            }
        }
    }

    let mut positional = positional.into_iter();
    data.path = positional.next().ok_or(ArgsError::MissingData(command))?;
    match command {
        CommandName::Fit => {
            if let Some(argument) = positional.next() {
                return Err(ArgsError::ExtraArgument { command, argument });
            }
            if formulas.len() > 1 {
                return Err(ArgsError::OneFormula(formulas.len()));
            }
            let formula = formulas
                .pop()
                .filter(|f| !f.trim().is_empty())
                .ok_or(ArgsError::MissingFormula)?;
            // With a correlation, nlme's containment df (Satterthwaite is not available there).
            let df = df.unwrap_or(match correlation {
                ResidualStructure::Identity => DfMethod::Satterthwaite,
                _ => DfMethod::BetweenWithin,
            });
            Ok(Command::Fit(FitArgs {
                data,
                formula,
                reml,
                df,
                correlation,
                r_script,
                exports,
            }))
        }
        CommandName::Compare => {
            if let Some(argument) = positional.next() {
                return Err(ArgsError::ExtraArgument { command, argument });
            }
            let (formulas, correlations): (Vec<String>, Vec<ResidualStructure>) = formulas
                .into_iter()
                .zip(correlations)
                .filter(|(f, _)| !f.trim().is_empty())
                .unzip();
            if formulas.len() < 2 {
                return Err(ArgsError::TooFewFormulas(formulas.len()));
            }
            Ok(Command::Compare(CompareArgs {
                data,
                formulas,
                reml,
                refit,
                correlations,
                r_script,
            }))
        }
        CommandName::Describe => {
            if data.id.is_none() || data.time.is_none() {
                return Err(ArgsError::MissingPanel);
            }
            let variables: Vec<String> = positional.collect();
            if variables.is_empty() {
                return Err(ArgsError::NoVariables);
            }
            Ok(Command::Describe(DescribeArgs { data, variables }))
        }
    }
}

fn parse_df(value: &str) -> Result<DfMethod, ArgsError> {
    DfMethod::parse(value).ok_or_else(|| ArgsError::BadValue {
        option: "--df",
        value: value.to_string(),
        expected: "satterthwaite, kenward-roger, residual or between-within",
    })
}

fn parse_correlation(value: &str) -> Result<ResidualStructure, ArgsError> {
    ResidualStructure::parse(value).ok_or_else(|| ArgsError::BadValue {
        option: "--correlation",
        value: value.to_string(),
        expected: "ar1, car1 or none",
    })
}

/// `-99, 999` -> `["-99", "999"]` (also `a, b` for names); empty items are ignored (empty
/// cells are missing anyway).
pub(crate) fn parse_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub(crate) fn parse_delimiter(value: &str) -> Result<u8, ArgsError> {
    match value {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "tab" | "\t" | "\\t" => Ok(b'\t'),
        "|" | "pipe" => Ok(b'|'),
        _ => Err(ArgsError::BadValue {
            option: "--delimiter",
            value: value.to_string(),
            expected: "',' ';' 'tab' or '|'",
        }),
    }
}

/// The known option nearest to a mistyped one, if it is only a typo away: at most two edits and
/// one per three characters, so `--ml` is not "corrected" to `--id`.
fn closest(option: &str, known: &[&'static str]) -> Option<&'static str> {
    let length = option.chars().count();
    known
        .iter()
        .map(|k| (edit_distance(option, k), *k))
        .filter(|(d, _)| *d <= 2 && d * 3 <= length)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            let insert = current[j] + 1;
            let delete = previous[j + 1] + 1;
            current.push(substitute.min(insert).min(delete));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests;
