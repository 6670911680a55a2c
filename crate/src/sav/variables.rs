//! From the dictionary and the decoded slots to variables: names (long names of record 7.13),
//! labels and text in the file's encoding, very long strings joined from their segments
//! (record 7.14; every segment but the last carries 255 bytes of text, the last the rest of the
//! declared width), user-missing values applied.

use super::data::Slot;
use super::dictionary::{Bytes, Dictionary, VariableRecord};
use super::SavFile;
use encoding_rs::Encoding;
use serde::Serialize;
use std::collections::HashMap;

/// A value label as the file holds it: the value's 8 bytes and the label's bytes.
type RawLabel = ([u8; 8], Vec<u8>);

/// SPSS's measurement level of a variable (record 7.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Measure {
    Nominal,
    Ordinal,
    Scale,
    /// The file does not say.
    Unknown,
}

/// A variable's values: numbers (missing as NaN) or text (missing as empty text).
#[derive(Debug, Clone, PartialEq)]
pub enum SavValues {
    Numeric(Vec<f64>),
    Text(Vec<String>),
}

/// One variable of an SPSS file.
#[derive(Debug, Clone, PartialEq)]
pub struct SavVariable {
    /// The long name (record 7.13), or the short name.
    pub name: String,
    /// The variable label, if any.
    pub label: Option<String>,
    pub measure: Measure,
    /// Value labels of a numeric variable, by increasing code.
    pub value_labels: Vec<(f64, String)>,
    /// The values, user-missing ones already missing.
    pub values: SavValues,
    /// Cells made missing by the variable's user-missing values.
    pub user_missing: usize,
}

impl SavVariable {
    /// The default treatment: a factor when nominal and numeric with value labels.
    pub fn factor_by_default(&self) -> bool {
        self.measure == Measure::Nominal
            && !self.value_labels.is_empty()
            && matches!(self.values, SavValues::Numeric(_))
    }
}

/// Width of every segment of a very long string but the last; the segments are counted as
/// PSPP does (one per 252 bytes of the declared width), though each carries 255 bytes of text.
const SEGMENT_WIDTH: usize = 252;

/// The variables of the file.
pub fn assemble(d: &Dictionary, reader: &Bytes<'_>, slots: &[Slot], cases: usize) -> SavFile {
    let encoding = encoding_of(d);
    let text = |bytes: &[u8]| encoding.decode_without_bom_handling(bytes).0.into_owned();
    let long_names = pairs(&text(&d.long_names), '\t');
    let very_long = pairs(&text(&d.very_long), '\0');
    // Slot -> value labels, once: a crafted file may have many variables and many label sets.
    let mut labels_by_slot: HashMap<usize, Vec<&RawLabel>> = HashMap::new();
    for set in &d.label_sets {
        for &slot in &set.slots {
            labels_by_slot
                .entry(slot)
                .or_default()
                .extend(set.labels.iter());
        }
    }
    let mut variables = Vec::new();
    let mut i = 0;
    while let Some(record) = d.variables.get(i) {
        let measure = match d.measures.get(i) {
            Some(1) => Measure::Nominal,
            Some(2) => Measure::Ordinal,
            Some(3) => Measure::Scale,
            _ => Measure::Unknown,
        };
        let width = lookup(&very_long, &record.short_name)
            .and_then(|w| w.trim().parse::<usize>().ok())
            .filter(|&w| w > 255);
        let segments = width.map_or(1, |w| w.div_ceil(SEGMENT_WIDTH));
        let parts: Vec<&VariableRecord> = d.variables.iter().skip(i).take(segments).collect();
        i += segments.max(1);
        let name = lookup(&long_names, &record.short_name).unwrap_or(&record.short_name);
        let (values, user_missing) = if record.width == 0 {
            numeric_values(record, reader, d, slots, cases)
        } else {
            let width = width.unwrap_or(record.width);
            string_values(&parts, width, &text, slots, cases, d.case_slots)
        };
        variables.push(SavVariable {
            name: name.to_string(),
            label: record.label.as_deref().map(|l| text(l).trim().to_string()),
            measure,
            value_labels: value_labels(
                labels_by_slot.get(&(record.slot + 1)),
                record,
                reader,
                &text,
            ),
            values,
            user_missing,
        });
    }
    SavFile {
        variables,
        cases,
        file_label: text(&d.file_label).trim().to_string(),
        documents: d
            .documents
            .iter()
            .map(|l| text(l).trim_end().to_string())
            .collect(),
        encoding: encoding.name().to_string(),
        compression: ["none", "bytecode", "zlib"]
            .get(d.compression as usize)
            .copied()
            .unwrap_or("none"),
    }
}

/// The encoding of record 7.20, else of record 7.3's code page, else Windows-1252 (what SPSS
/// wrote before it recorded encodings).
fn encoding_of(d: &Dictionary) -> &'static Encoding {
    let by_label = d
        .encoding
        .as_deref()
        .and_then(|l| Encoding::for_label(l.as_bytes()));
    let by_page = d
        .code_page
        .and_then(|cp| u16::try_from(cp).ok())
        .and_then(codepage::to_encoding);
    by_label.or(by_page).unwrap_or(encoding_rs::WINDOWS_1252)
}

/// `A=x<sep>B=y` -> {"A": "x", "B": "y"}, keys upper-cased (short names are) and trimmed of
/// tabs and NULs.
fn pairs(text: &str, separator: char) -> HashMap<String, String> {
    text.split(separator)
        .filter_map(|item| item.split_once('='))
        .map(|(k, v)| {
            let clean = |s: &str| s.trim_matches(|c| c == '\t' || c == '\0').to_string();
            (clean(k).to_uppercase(), clean(v))
        })
        .collect()
}

fn lookup<'a>(pairs: &'a HashMap<String, String>, key: &str) -> Option<&'a String> {
    pairs.get(&key.to_uppercase())
}

/// A numeric variable's values with system- and user-missing values as NaN, and how many were
/// user-missing.
fn numeric_values(
    record: &VariableRecord,
    reader: &Bytes<'_>,
    d: &Dictionary,
    slots: &[Slot],
    cases: usize,
) -> (SavValues, usize) {
    let codes: Vec<f64> = record.missing.iter().map(|&m| reader.number(m)).collect();
    let (range, discrete) = if record.missing_count < 0 {
        let (lo, hi) = (codes.first().copied(), codes.get(1).copied());
        (lo.zip(hi), codes.get(2..).unwrap_or_default().to_vec())
    } else {
        (None, codes)
    };
    let sysmis = d.sysmis.unwrap_or(-f64::MAX);
    let mut user_missing = 0;
    let mut values = Vec::with_capacity(cases);
    for case in 0..cases {
        let v = match slots.get(case * d.case_slots + record.slot) {
            Some(Slot::Number(v)) => *v,
            Some(Slot::Raw(raw)) => reader.number(*raw),
            _ => f64::NAN,
        };
        let is_user = discrete.contains(&v) || range.is_some_and(|(lo, hi)| lo <= v && v <= hi);
        if v == sysmis || v.is_nan() {
            values.push(f64::NAN);
        } else if is_user {
            user_missing += 1;
            values.push(f64::NAN);
        } else {
            values.push(v);
        }
    }
    (SavValues::Numeric(values), user_missing)
}

/// A string variable's texts (from all its segments), trailing spaces removed; user-missing
/// codes become empty text.
fn string_values(
    parts: &[&VariableRecord],
    width: usize,
    text: &dyn Fn(&[u8]) -> String,
    slots: &[Slot],
    cases: usize,
    case_slots: usize,
) -> (SavValues, usize) {
    let missing: Vec<[u8; 8]> = parts.first().map_or(Vec::new(), |p| p.missing.clone());
    let mut user_missing = 0;
    let mut values = Vec::with_capacity(cases);
    let mut bytes = Vec::new();
    for case in 0..cases {
        bytes.clear();
        for part in parts {
            let start = bytes.len();
            for s in 0..part.slots {
                match slots.get(case * case_slots + part.slot + s) {
                    Some(Slot::Raw(raw)) => bytes.extend_from_slice(raw),
                    _ => bytes.extend_from_slice(b"        "),
                }
            }
            bytes.truncate(start + part.width.min(255).min(bytes.len() - start));
        }
        bytes.truncate(width);
        while bytes.last() == Some(&b' ') {
            bytes.pop();
        }
        let is_missing = missing.iter().any(|m| {
            let mut code = m.to_vec();
            while code.last() == Some(&b' ') {
                code.pop();
            }
            !code.is_empty() && code == bytes
        });
        if is_missing {
            user_missing += 1;
            values.push(String::new());
        } else {
            values.push(text(&bytes));
        }
    }
    (SavValues::Text(values), user_missing)
}

/// The value labels of a numeric variable, by increasing code (the first label of a code wins).
fn value_labels(
    sets: Option<&Vec<&RawLabel>>,
    record: &VariableRecord,
    reader: &Bytes<'_>,
    text: &dyn Fn(&[u8]) -> String,
) -> Vec<(f64, String)> {
    let Some(sets) = sets.filter(|_| record.width == 0) else {
        return Vec::new();
    };
    let mut labels: Vec<(f64, String)> = sets
        .iter()
        .map(|(raw, label)| (reader.number(*raw), text(label).trim().to_string()))
        .filter(|(code, _)| !code.is_nan())
        .collect();
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    labels.dedup_by(|a, b| a.0 == b.0);
    labels
}
