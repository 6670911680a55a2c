//! Which wide columns are repeated measures: names split into stub and occasion, by separator
//! or by the user's pattern, and the guess the page offers for a file that looks wide.

use super::{is_missing, ReshapeError, ReshapeOptions, StubSummary};
use crate::csv::Table;
use crate::frame::{Column, Frame};
use serde::Serialize;

/// One long column: its name and the wide column at each occasion (None: not measured).
#[derive(Debug, Clone)]
pub(super) struct Stub {
    pub name: String,
    pub columns: Vec<Option<usize>>,
}

impl Stub {
    pub fn summary(&self, names: &[String], occasions: &[f64]) -> StubSummary {
        let present = || {
            self.columns
                .iter()
                .zip(occasions)
                .filter(|(c, _)| c.is_some())
        };
        StubSummary {
            stub: self.name.clone(),
            columns: present()
                .filter_map(|(c, _)| c.map(|c| names[c].clone()))
                .collect(),
            occasions: present().map(|(_, &o)| o).collect(),
        }
    }
}

/// The wide columns sorted into stubs and carried columns.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    pub stubs: Vec<Stub>,
    /// Columns (not the id) carried to every long row, in file order.
    pub carried: Vec<usize>,
    /// The occasions, sorted; `Stub::columns` is indexed like this.
    pub occasions: Vec<f64>,
    pub warnings: Vec<String>,
}

/// A column recognised as stub + occasion.
struct Parsed {
    column: usize,
    stub: String,
    occasion: f64,
}

impl Layout {
    /// Sorts `names` (except `id`) by `options`' separator, stubs or pattern. Errors: a bad
    /// pattern, a given stub without columns, no stubs at all, a stub with one occasion twice.
    pub fn new(
        names: &[String],
        id: Option<usize>,
        options: &ReshapeOptions,
    ) -> Result<Layout, ReshapeError> {
        let candidates = (0..names.len()).filter(|&c| Some(c) != id);
        let mut warnings = Vec::new();
        let parsed: Vec<Parsed> = match &options.pattern {
            Some(pattern) => by_pattern(names, candidates, pattern)?,
            None => {
                let (parsed, two_numbers) = by_separator(names, candidates, &options.sep);
                let parsed = select_stubs(parsed, options)?;
                let given = |name: &str| {
                    parsed.iter().any(|p| names[p.column] == name) // reshaped after all
                };
                let carried: Vec<&str> = two_numbers
                    .iter()
                    .map(|&c| names[c].as_str())
                    .filter(|n| !given(n))
                    .collect();
                if !carried.is_empty() {
                    warnings.push(two_numbers_warning(&carried));
                }
                parsed
            }
        };
        if parsed.is_empty() {
            return Err(ReshapeError::NoStubs {
                sep: options.sep.clone(),
            });
        }
        let layout = assemble(names, id, parsed, warnings)?;
        Ok(layout)
    }
}

/// Names matched by `stub<sep><letters><digits>`; second: names whose stub has digits too
/// (two numbers: which one is the occasion is the user's call).
fn by_separator(
    names: &[String],
    candidates: impl Iterator<Item = usize>,
    sep: &str,
) -> (Vec<Parsed>, Vec<usize>) {
    let mut parsed = Vec::new();
    let mut two_numbers = Vec::new();
    for column in candidates {
        if let Some((stub, occasion)) = split_name(&names[column], sep) {
            let entry = Parsed {
                column,
                stub: stub.to_string(),
                occasion,
            };
            if stub.bytes().any(|b| b.is_ascii_digit()) {
                two_numbers.push(column);
            }
            parsed.push(entry);
        }
    }
    (parsed, two_numbers)
}

/// `spin_1` -> ("spin", 1); `spin.w2` -> ("spin", 2); with `sep = ""`, `spin3` -> ("spin", 3).
pub(super) fn split_name<'a>(name: &'a str, sep: &str) -> Option<(&'a str, f64)> {
    let (stub, suffix) = if sep.is_empty() {
        let digits = name.bytes().rev().take_while(u8::is_ascii_digit).count();
        name.split_at(name.len() - digits)
    } else {
        let at = name.rfind(sep)?;
        (&name[..at], &name[at + sep.len()..])
    };
    let digits = suffix.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    if stub.is_empty() || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((stub, digits.parse::<f64>().ok()?))
}

/// Keeps the given stubs, or (without them) the stubs with at least two columns and no digits.
fn select_stubs(
    parsed: Vec<Parsed>,
    options: &ReshapeOptions,
) -> Result<Vec<Parsed>, ReshapeError> {
    match &options.stubs {
        Some(stubs) => {
            if let Some(stub) = stubs.iter().find(|s| !parsed.iter().any(|p| &p.stub == *s)) {
                return Err(ReshapeError::UnknownStub {
                    stub: stub.clone(),
                    sep: options.sep.clone(),
                });
            }
            Ok(parsed
                .into_iter()
                .filter(|p| stubs.contains(&p.stub))
                .collect())
        }
        None => {
            let count = |stub: &str| parsed.iter().filter(|p| p.stub == stub).count();
            let keep: Vec<bool> = parsed
                .iter()
                .map(|p| count(&p.stub) >= 2 && !p.stub.bytes().any(|b| b.is_ascii_digit()))
                .collect();
            Ok(parsed
                .into_iter()
                .zip(keep)
                .filter_map(|(p, k)| k.then_some(p))
                .collect())
        }
    }
}

/// Names matched whole by `pattern`, with its `stub` and `occasion` groups.
fn by_pattern(
    names: &[String],
    candidates: impl Iterator<Item = usize>,
    pattern: &str,
) -> Result<Vec<Parsed>, ReshapeError> {
    let bad = |reason: String| ReshapeError::BadPattern {
        pattern: pattern.to_string(),
        reason,
    };
    let regex =
        regex_lite::Regex::new(&format!("^(?:{pattern})$")).map_err(|e| bad(e.to_string()))?;
    for group in ["stub", "occasion"] {
        if !regex.capture_names().any(|n| n == Some(group)) {
            return Err(bad(format!(
                "it needs a named group (?P<{group}>...), e.g. (?P<stub>spin\\d+)_w(?P<occasion>\\d+)"
            )));
        }
    }
    let mut parsed = Vec::new();
    for column in candidates {
        let Some(captures) = regex.captures(&names[column]) else {
            continue;
        };
        let group = |g: &str| captures.name(g).map_or("", |m| m.as_str());
        let digits = group("occasion").trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let occasion = digits
            .parse::<f64>()
            .ok()
            .filter(|o| o.is_finite())
            .ok_or_else(|| {
                bad(format!(
                    "in column \"{}\" the occasion \"{}\" is not a number",
                    names[column],
                    group("occasion")
                ))
            })?;
        if group("stub").is_empty() {
            return Err(bad(format!(
                "in column \"{}\" the stub is empty",
                names[column]
            )));
        }
        parsed.push(Parsed {
            column,
            stub: group("stub").to_string(),
            occasion,
        });
    }
    Ok(parsed)
}

fn two_numbers_warning(columns: &[&str]) -> String {
    let shown: Vec<&str> = columns.iter().copied().take(4).collect();
    let more = if columns.len() > 4 { ", ..." } else { "" };
    format!(
        "{} column(s) ({}{more}) have a number in the stub as well as after it (item and \
         occasion?); they are carried to every row as person-level columns; to reshape them, \
         give a pattern with the named groups stub and occasion, e.g. \
         --pattern '(?P<stub>[a-z]+\\d+)_w(?P<occasion>\\d+)'",
        columns.len(),
        shown.join(", ")
    )
}

/// Stubs in order of first appearance, occasions sorted, everything else carried.
fn assemble(
    names: &[String],
    id: Option<usize>,
    parsed: Vec<Parsed>,
    warnings: Vec<String>,
) -> Result<Layout, ReshapeError> {
    let mut occasions: Vec<f64> = parsed.iter().map(|p| p.occasion).collect();
    occasions.sort_by(f64::total_cmp);
    occasions.dedup();
    let mut stubs: Vec<Stub> = Vec::new();
    for p in &parsed {
        let index = match stubs.iter().position(|s| s.name == p.stub) {
            Some(index) => index,
            None => {
                stubs.push(Stub {
                    name: p.stub.clone(),
                    columns: vec![None; occasions.len()],
                });
                stubs.len() - 1
            }
        };
        let o = occasions.partition_point(|&x| x < p.occasion);
        if let Some(first) = stubs[index].columns[o] {
            return Err(ReshapeError::DuplicateOccasion {
                stub: p.stub.clone(),
                occasion: p.occasion,
                first: names[first].clone(),
                second: names[p.column].clone(),
            });
        }
        stubs[index].columns[o] = Some(p.column);
    }
    let carried = (0..names.len())
        .filter(|&c| Some(c) != id && !parsed.iter().any(|p| p.column == c))
        .collect();
    Ok(Layout {
        stubs,
        carried,
        occasions,
        warnings,
    })
}

/// What the page offers when a file looks wide.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WideGuess {
    /// The person column: the first with a distinct, present value in every row (a name
    /// containing "id" preferred).
    pub id: String,
    /// A free name for the occasion column.
    pub time: String,
    /// The separator that explains the most columns.
    pub sep: String,
    /// The stubs found and how many wide columns they cover.
    pub stubs: Vec<String>,
    pub stub_columns: usize,
    pub occasions: usize,
}

/// Guesses whether `table` is wide: at least three columns sharing stubs with numeric
/// suffixes over at least two occasions, and a column of distinct ids. None when it is not.
pub fn detect_wide(table: &Table) -> Option<WideGuess> {
    let unique = |c: usize| {
        let mut seen = std::collections::HashSet::new();
        table.columns[c]
            .iter()
            .all(|cell| !is_missing(cell) && seen.insert(cell.trim()))
    };
    guess(&table.names, unique)
}

/// As [`detect_wide`], over a typed frame (the page asks after loading, without reading the
/// file again).
pub fn detect_wide_frame(frame: &Frame) -> Option<WideGuess> {
    let unique = |c: usize| match &frame.columns[c] {
        Column::Numeric(values) => {
            let mut seen = std::collections::HashSet::new();
            values
                .iter()
                .all(|x| !x.is_nan() && seen.insert(x.to_bits()))
        }
        Column::Text(text) => {
            let mut seen = vec![false; text.levels.len()];
            text.codes.iter().all(|&code| {
                let fresh = seen.get(code as usize).is_some_and(|s| !s);
                if fresh {
                    seen[code as usize] = true;
                }
                fresh
            })
        }
    };
    guess(&frame.names, unique)
}

fn guess(names: &[String], unique: impl Fn(usize) -> bool) -> Option<WideGuess> {
    let id = id_candidate(names, unique)?;
    let best = ["_", ".", ""]
        .into_iter()
        .filter_map(|sep| {
            let mut options = ReshapeOptions::new(&names[id], "time");
            options.sep = sep.to_string();
            let layout = Layout::new(names, Some(id), &options).ok()?;
            let covered: usize = layout
                .stubs
                .iter()
                .map(|s| s.columns.iter().flatten().count())
                .sum();
            Some((sep, layout, covered))
        })
        // The first separator wins a tie: `_` explains `spin_1` better than "" (`spin_`).
        .reduce(|best, next| if next.2 > best.2 { next } else { best })?;
    let (sep, layout, covered) = best;
    if covered < 3 || layout.occasions.len() < 2 {
        return None;
    }
    let time = ["time", "occasion", "wave"]
        .into_iter()
        .find(|t| !names.iter().any(|n| n == t) && !layout.stubs.iter().any(|s| s.name == *t))
        .unwrap_or("occasion_number");
    Some(WideGuess {
        id: names[id].clone(),
        time: time.to_string(),
        sep: sep.to_string(),
        stubs: layout.stubs.iter().map(|s| s.name.clone()).collect(),
        stub_columns: covered,
        occasions: layout.occasions.len(),
    })
}

/// The column most likely to be the person id: distinct and never missing (a name like `id`
/// preferred).
fn id_candidate(names: &[String], unique: impl Fn(usize) -> bool) -> Option<usize> {
    let looks_like_id = |c: usize| {
        let name = names[c].to_lowercase();
        name == "id" || name.ends_with("id") || name.starts_with("id") || name.contains("person")
    };
    let columns: Vec<usize> = (0..names.len()).filter(|&c| unique(c)).collect();
    columns
        .iter()
        .copied()
        .find(|&c| looks_like_id(c))
        .or_else(|| columns.first().copied())
}
