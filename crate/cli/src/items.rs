//! `lagmix reshape` and `lagmix reliability`: their arguments, help and runs (issue 11). Kept
//! apart from `args.rs` so that the two commands grow without touching the fit/describe parser.

use crate::args::parse_list;
use lagmix::csv::{CsvOptions, RawColumn};
use lagmix::frame::{Panel, ReadOptions};
use lagmix::import::{read_frame, read_table, ImportOptions};
use lagmix::reliability::{self, ItemOptions, ScoreKind, ScoreRule};
use lagmix::report;
use lagmix::reshape::{self, ReshapeOptions};
use std::collections::HashMap;

/// `lagmix reshape --help`.
pub const RESHAPE_HELP: &str = "\
Usage: lagmix reshape WIDE.csv --id COLUMN --time NAME [options]

Turns a wide file (one row per person, columns spin_1, spin_2, ...) into a long one (one row
per person and occasion, a column NAME holding the occasion number, a column spin).

Options:
  --id COLUMN        the person column (one row per person)
  --time NAME        the name of the new occasion column
  --sep TEXT         between stub and number (default _; '' for spin1; . for spin.w1)
  --stubs A,B        the stubs to reshape (default: every stub with two or more occasions)
  --pattern REGEX    names matched whole by a regular expression with the named groups
                     (?P<stub>...) and (?P<occasion>...), e.g. '(?P<stub>spin\\d+)_w(?P<occasion>\\d+)'
                     for spin3_w2 (item 3 in week 2)
  --keep-empty       keep occasions where every stub is missing (dropped by default)
  --delimiter D      , ; tab or | (default: detected)
  --sheet NAME       the sheet of a workbook (.xlsx .xls .ods; default: the first); SPSS
                     .sav files are read too
  -o FILE            write the long CSV to FILE (default: standard output)

Other columns are carried to every row of the person. A summary goes to standard error.
";

/// `lagmix reliability --help`.
pub const RELIABILITY_HELP: &str = "\
Usage: lagmix reliability DATA.csv --items Q1,Q2,... [options]

Cronbach's alpha as psych::alpha computes it (raw alpha from pairwise-complete covariances,
standardized alpha, average inter-item r, per item r.drop and alpha if dropped).

Options:
  --items A,B,...    the items (at least two); PREFIX* takes every column starting with PREFIX
  --reverse A,...    reverse-keyed items, scored min + max - x
  --min X --max Y    the answer range: answers outside are errors (default: the observed range)
  --id COLUMN        persons: adds within- and between-person alpha (Geldhof et al. 2014)
                     from a two-level saturated model, as lavaan estimates it
  --score NAME       add the scale score as column NAME and write the data with it (-o)
  --sum              the score is the (prorated) sum instead of the mean
  --max-missing S    the share of items a row may miss and still get a score (default 0.2)
  -o FILE            where to write the data with the score (default: standard output)
  --na CODES         extra missing-value codes, e.g. -99,999
  --delimiter D      , ; tab or | (default: detected)
  --sheet NAME       the sheet of a workbook (.xlsx .xls .ods; default: the first); SPSS
                     .sav files are read too
  --json             the result as JSON
";

/// Which of the two commands, if `command` is one.
pub fn is_items_command(command: &str) -> bool {
    command == "reshape" || command == "reliability"
}

/// Runs `lagmix reshape` or `lagmix reliability` with `args` (after the command name). Ok holds
/// what to print on standard output; messages for standard error are pushed to `notes`.
pub fn run(command: &str, args: &[String], notes: &mut Vec<String>) -> Result<String, String> {
    let (flags, values, path) = parse(command, args)?;
    if flags.contains(&"--help") {
        return Ok(help(command).to_string());
    }
    let path = path.ok_or_else(|| {
        format!("no data file given: use 'lagmix {command} DATA.csv ...' (see 'lagmix {command} --help')")
    })?;
    let bytes = read_file(&path)?;
    let delimiter = values
        .get("--delimiter")
        .map(|d| crate::args::parse_delimiter(d).map_err(|e| e.to_string()))
        .transpose()?;
    let csv = CsvOptions { delimiter };
    match command {
        "reshape" => run_reshape(&bytes, &csv, &flags, &values, notes),
        _ => run_reliability(&bytes, csv, &flags, &values, notes),
    }
}

fn help(command: &str) -> &'static str {
    if command == "reshape" {
        RESHAPE_HELP
    } else {
        RELIABILITY_HELP
    }
}

const RESHAPE_FLAGS: &[&str] = &["--keep-empty", "--help"];
const RESHAPE_VALUES: &[&str] = &[
    "--id",
    "--time",
    "--sep",
    "--stubs",
    "--pattern",
    "--delimiter",
    "--sheet",
    "-o",
];
const RELIABILITY_FLAGS: &[&str] = &["--json", "--sum", "--help"];
const RELIABILITY_VALUES: &[&str] = &[
    "--items",
    "--reverse",
    "--min",
    "--max",
    "--id",
    "--score",
    "--max-missing",
    "-o",
    "--na",
    "--delimiter",
    "--sheet",
];

type Parsed = (
    Vec<&'static str>,
    HashMap<&'static str, String>,
    Option<String>,
);

/// Flags, options with values, and the one data file.
fn parse(command: &str, args: &[String]) -> Result<Parsed, String> {
    let (flag_names, value_names) = if command == "reshape" {
        (RESHAPE_FLAGS, RESHAPE_VALUES)
    } else {
        (RELIABILITY_FLAGS, RELIABILITY_VALUES)
    };
    let mut flags = Vec::new();
    let mut values = HashMap::new();
    let mut path = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "-h" {
            flags.push("--help");
            continue;
        }
        if arg == "-" || !arg.starts_with('-') {
            if let Some(first) = path.replace(arg.clone()) {
                return Err(format!(
                    "unexpected argument '{arg}': 'lagmix {command}' takes one data file ('{first}')"
                ));
            }
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value.to_string())),
            None => (arg.as_str(), None),
        };
        if let Some(flag) = flag_names.iter().find(|f| **f == name) {
            flags.push(*flag);
            continue;
        }
        let Some(option) = value_names.iter().find(|v| **v == name) else {
            return Err(format!(
                "unknown option '{name}' for 'lagmix {command}'; see 'lagmix {command} --help'"
            ));
        };
        let value = match inline {
            Some(v) => v,
            None => rest
                .next()
                .cloned()
                .ok_or_else(|| format!("option '{name}' needs a value after it"))?,
        };
        values.insert(*option, value);
    }
    Ok((flags, values, path))
}

fn read_file(path: &str) -> Result<Vec<u8>, String> {
    use std::io::Read;
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read the data from standard input: {e}"))?;
        return Ok(bytes);
    }
    std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("cannot read '{path}': there is no such file"),
        _ => format!("cannot read '{path}': {e}"),
    })
}

fn number(values: &HashMap<&str, String>, option: &str) -> Result<Option<f64>, String> {
    values
        .get(option)
        .map(|v| {
            v.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    format!("'{v}' is not a valid value for {option}: expected a number")
                })
        })
        .transpose()
}

/// Which sheet of a workbook to read (`--sheet`); SPSS value labels are read as `lagmix fit`
/// reads them by default.
fn import_options(values: &HashMap<&str, String>) -> ImportOptions {
    ImportOptions {
        sheet: values.get("--sheet").cloned(),
        ..ImportOptions::default()
    }
}

fn run_reshape(
    bytes: &[u8],
    csv: &CsvOptions,
    flags: &[&str],
    values: &HashMap<&str, String>,
    notes: &mut Vec<String>,
) -> Result<String, String> {
    let id = values
        .get("--id")
        .ok_or("reshape needs the person column: add --id COLUMN")?;
    let time = values.get("--time").ok_or(
        "reshape needs a name for the occasion column: add --time NAME (e.g. --time week)",
    )?;
    let mut options = ReshapeOptions::new(id, time);
    if let Some(sep) = values.get("--sep") {
        options.sep = sep.clone();
    }
    options.stubs = values.get("--stubs").map(|s| parse_list(s));
    options.pattern = values.get("--pattern").cloned();
    options.keep_empty = flags.contains(&"--keep-empty");
    let (table, _) = read_table(bytes, csv, &import_options(values)).map_err(|e| e.to_string())?;
    let long = reshape::reshape(&table, &options).map_err(|e| e.to_string())?;
    let s = &long.summary;
    let stubs: Vec<String> = s
        .stubs
        .iter()
        .map(|stub| format!("{} ({})", stub.stub, stub.columns.join(", ")))
        .collect();
    notes.push(format!(
        "reshaped {} persons x {} occasions -> {} rows ({} empty occasions dropped{}); \
         stubs: {}; carried to every row: {}",
        s.persons,
        s.occasions.len(),
        s.rows,
        s.empty_rows_dropped,
        if options.keep_empty {
            ", none: --keep-empty"
        } else {
            ""
        },
        stubs.join("; "),
        if s.carried.is_empty() {
            "none".to_string()
        } else {
            s.carried.join(", ")
        }
    ));
    notes.extend(s.warnings.iter().map(|w| format!("warning: {w}")));
    output(reshape::write_csv(&long.table), values.get("-o"))
}

fn output(text: String, file: Option<&String>) -> Result<String, String> {
    match file {
        Some(path) if path != "-" => {
            std::fs::write(path, text).map_err(|e| format!("cannot write '{path}': {e}"))?;
            Ok(String::new())
        }
        _ => Ok(text),
    }
}

fn run_reliability(
    bytes: &[u8],
    csv: CsvOptions,
    flags: &[&str],
    values: &HashMap<&str, String>,
    notes: &mut Vec<String>,
) -> Result<String, String> {
    let read = ReadOptions {
        csv: csv.clone(),
        na: values
            .get("--na")
            .map(|v| parse_list(v))
            .unwrap_or_default(),
    };
    let import = import_options(values);
    let (frame, _) = read_frame(bytes, &read, &import).map_err(|e| e.to_string())?;
    let panel = Panel::new(&frame, values.get("--id").map(String::as_str), None)
        .map_err(|e| e.to_string())?;
    let items = values
        .get("--items")
        .map(|v| reliability::expand_items(&frame, &parse_list(v)))
        .unwrap_or_default();
    let range = match (number(values, "--min")?, number(values, "--max")?) {
        (Some(min), Some(max)) => Some((min, max)),
        (None, None) => None,
        _ => return Err("give both --min and --max (the answer range), or neither".to_string()),
    };
    let options = ItemOptions {
        items,
        reverse: values
            .get("--reverse")
            .map(|v| parse_list(v))
            .unwrap_or_default(),
        range,
    };
    let result = reliability::reliability(&frame, &panel, &options).map_err(|e| e.to_string())?;
    let Some(name) = values.get("--score") else {
        return if flags.contains(&"--json") {
            serde_json::to_string_pretty(&result)
                .map(|t| t + "\n")
                .map_err(|e| format!("cannot write the result as JSON: {e}"))
        } else {
            Ok(report::reliability_text(&result))
        };
    };
    // With --score the data go to -o / stdout, so the report goes to standard error.
    let rule = ScoreRule {
        kind: if flags.contains(&"--sum") {
            ScoreKind::Sum
        } else {
            ScoreKind::Mean
        },
        max_missing: number(values, "--max-missing")?.unwrap_or(0.2),
    };
    rule.check().map_err(|e| e.to_string())?;
    let items = reliability::ItemSet::from_frame(&frame, &options).map_err(|e| e.to_string())?;
    let scores = reliability::scale_score(&items, &rule);
    notes.push(report::reliability_text(&result));
    notes.push(format!("{name}: {}", rule.describe(items.len())));
    let (mut table, _) = read_table(bytes, &csv, &import).map_err(|e| e.to_string())?;
    if table.names.iter().any(|n| n == name.trim()) || name.trim().is_empty() {
        return Err(reliability::ReliabilityError::BadScoreName { name: name.clone() }.to_string());
    }
    table.names.push(name.trim().to_string());
    let cells: Vec<String> = scores
        .iter()
        .map(|x| {
            if x.is_nan() {
                String::new()
            } else {
                format!("{x}")
            }
        })
        .collect();
    table
        .columns
        .push(RawColumn::from_cells(cells.iter().map(String::as_str)));
    output(reshape::write_csv(&table), values.get("-o"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn options_flags_and_the_data_file() {
        let (flags, values, path) = parse(
            "reshape",
            &args("wide.csv --id=pid --time week --keep-empty --sep ."),
        )
        .expect("parses");
        assert_eq!(path.as_deref(), Some("wide.csv"));
        assert_eq!(flags, ["--keep-empty"]);
        assert_eq!(values["--id"], "pid");
        assert_eq!(values["--sep"], ".");
        let e = parse("reliability", &args("d.csv --itmes a,b")).expect_err("typo");
        assert!(e.contains("unknown option '--itmes'"), "{e}");
        assert!(parse("reliability", &args("d.csv --items")).is_err());
        assert!(parse("reshape", &args("a.csv b.csv"))
            .expect_err("two files")
            .contains("b.csv"));
    }

    #[test]
    fn a_range_needs_both_ends() {
        let mut notes = Vec::new();
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/items/alpha_two_items/data.csv"
        );
        let e = run(
            "reliability",
            &args(&format!("{path} --items p,q --min 1")),
            &mut notes,
        )
        .expect_err("half a range");
        assert!(e.contains("--min and --max"), "{e}");
        let out = run(
            "reliability",
            &args(&format!("{path} --items p,q")),
            &mut notes,
        )
        .expect("runs");
        assert!(out.contains("Cronbach's alpha = 0.924"), "{out}");
    }
}
