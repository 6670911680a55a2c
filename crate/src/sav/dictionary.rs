//! The file header and the dictionary (every record before the data), as documented in the
//! GNU PSPP manual, appendix "System File Format": header (176 bytes), variable records (type
//! 2), value labels (3 + 4), documents (6), extension records (7: 3 integer info, 4 float info,
//! 11 measurement level, 13 long names, 14 very long strings, 20 character encoding; the others
//! are skipped), and the dictionary terminator (999).

use super::SavError;

/// Reads little- or big-endian numbers from the file, tracking the offset for messages.
pub struct Bytes<'a> {
    bytes: &'a [u8],
    pub at: usize,
    big_endian: bool,
}

impl<'a> Bytes<'a> {
    pub fn new(bytes: &'a [u8]) -> Bytes<'a> {
        Bytes {
            bytes,
            at: 0,
            big_endian: false,
        }
    }

    /// The next `n` bytes. Errors: the file ends first.
    pub fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], SavError> {
        let end = self.at.checked_add(n);
        let slice = end.and_then(|end| self.bytes.get(self.at..end));
        let slice = slice.ok_or(SavError::Truncated {
            offset: self.bytes.len(),
            what,
        })?;
        self.at += n;
        Ok(slice)
    }

    pub fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], SavError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        if self.big_endian {
            out.reverse();
        }
        Ok(out)
    }

    pub fn i32(&mut self, what: &'static str) -> Result<i32, SavError> {
        Ok(i32::from_le_bytes(self.array(what)?))
    }

    pub fn f64(&mut self, what: &'static str) -> Result<f64, SavError> {
        Ok(f64::from_le_bytes(self.array(what)?))
    }

    /// A count that must fit in the bytes left at `unit` bytes per item.
    pub fn count(&mut self, unit: usize, what: &'static str) -> Result<usize, SavError> {
        let at = self.at;
        let n = self.i32(what)?;
        let left = self.bytes.len().saturating_sub(self.at);
        match usize::try_from(n) {
            Ok(n) if n.saturating_mul(unit) <= left => Ok(n),
            _ => Err(SavError::BadRecord {
                offset: at,
                detail: format!("gives {n} items of {what}, more than the file holds"),
            }),
        }
    }

    /// The whole file.
    pub fn whole(&self) -> &'a [u8] {
        self.bytes
    }

    /// Bytes from the offset to the end.
    pub fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.at..).unwrap_or_default()
    }
}

/// One variable record (type 2) that is not a string continuation.
#[derive(Debug, Clone)]
pub struct VariableRecord {
    /// The 8-byte short name, trimmed.
    pub short_name: String,
    /// 0 numeric; 1..=255 a string of this width.
    pub width: usize,
    /// Index of its first 8-byte slot in a case.
    pub slot: usize,
    /// Slots it takes (a string of width w takes ceil(w / 8)).
    pub slots: usize,
    pub label: Option<Vec<u8>>,
    /// -3..=3 as in the file (negative: a range, see the PSPP manual).
    pub missing_count: i32,
    /// The missing values' raw 8-byte fields, in the file's byte order already undone.
    pub missing: Vec<[u8; 8]>,
}

/// Value labels for the variables at the given slots (records 3 and 4).
#[derive(Debug, Clone)]
pub struct LabelSet {
    pub labels: Vec<([u8; 8], Vec<u8>)>,
    /// 1-based slot indices, as in record 4.
    pub slots: Vec<usize>,
}

/// Everything before the data.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    /// 0 none, 1 bytecode, 2 zlib (.zsav).
    pub compression: i32,
    /// Slots per case.
    pub case_slots: usize,
    /// Cases declared in the header (-1: unknown).
    pub cases: i32,
    /// Bias of the bytecode compression (100).
    pub bias: f64,
    pub file_label: Vec<u8>,
    pub variables: Vec<VariableRecord>,
    pub label_sets: Vec<LabelSet>,
    pub documents: Vec<Vec<u8>>,
    /// Record 7.11: measure per variable (1 nominal, 2 ordinal, 3 scale).
    pub measures: Vec<i32>,
    /// Record 7.13.
    pub long_names: Vec<u8>,
    /// Record 7.14.
    pub very_long: Vec<u8>,
    /// Record 7.20.
    pub encoding: Option<String>,
    /// Record 7.3's character code (code page).
    pub code_page: Option<i32>,
    /// Record 7.4's system-missing value, when given.
    pub sysmis: Option<f64>,
    /// Record 7.4's HIGHEST and LOWEST, used in missing ranges.
    pub highest: Option<f64>,
    pub lowest: Option<f64>,
}

/// Reads the header and the dictionary; `bytes.at` is left at the first byte after record 999.
pub fn read_dictionary(bytes: &mut Bytes<'_>) -> Result<Dictionary, SavError> {
    let magic = bytes.take(4, "the header")?;
    if magic != b"$FL2" && magic != b"$FL3" {
        return Err(SavError::NotSav);
    }
    bytes.take(60, "the header")?;
    let layout = bytes.take(4, "the header")?;
    bytes.big_endian = match layout {
        [2 | 3, 0, 0, 0] => false,
        [0, 0, 0, 2 | 3] => true,
        _ => {
            return Err(SavError::BadHeader {
                detail: "the layout code is not 2 or 3",
            })
        }
    };
    let case_size = bytes.i32("the header")?;
    let mut dictionary = Dictionary {
        compression: bytes.i32("the header")?,
        ..Dictionary::default()
    };
    bytes.i32("the header")?; // weight index
    dictionary.cases = bytes.i32("the header")?;
    dictionary.bias = bytes.f64("the header")?;
    bytes.take(17, "the header")?; // creation date and time
    dictionary.file_label = bytes.take(64, "the header")?.to_vec();
    bytes.take(3, "the header")?;
    if !(0..=2).contains(&dictionary.compression) {
        return Err(SavError::UnknownCompression {
            code: dictionary.compression,
        });
    }
    // case_size may be -1 (unknown); the variable records count the slots anyway.
    let _ = case_size;
    loop {
        let at = bytes.at;
        match bytes.i32("the dictionary")? {
            2 => read_variable(bytes, &mut dictionary, at)?,
            3 => read_labels(bytes, &mut dictionary)?,
            6 => {
                let lines = bytes.count(80, "document lines")?;
                for _ in 0..lines {
                    dictionary
                        .documents
                        .push(bytes.take(80, "the documents")?.to_vec());
                }
            }
            7 => read_extension(bytes, &mut dictionary)?,
            999 => {
                bytes.i32("the dictionary")?;
                break;
            }
            record => return Err(SavError::UnknownRecord { record, offset: at }),
        }
    }
    if dictionary.variables.is_empty() {
        return Err(SavError::NoVariables);
    }
    Ok(dictionary)
}

/// A variable record (type 2): a new variable, or a continuation slot of a string.
fn read_variable(bytes: &mut Bytes<'_>, d: &mut Dictionary, at: usize) -> Result<(), SavError> {
    let kind = bytes.i32("a variable record")?;
    let has_label = bytes.i32("a variable record")?;
    let missing_count = bytes.i32("a variable record")?;
    bytes.take(8, "a variable record")?; // print and write formats
    let name = bytes.take(8, "a variable record")?;
    let label = if has_label == 1 {
        let len = bytes.count(1, "label bytes")?;
        let text = bytes.take(len, "a variable label")?.to_vec();
        bytes.take((4 - len % 4) % 4, "a variable label")?;
        Some(text)
    } else {
        None
    };
    if !(-3..=3).contains(&missing_count) || (missing_count < 0 && kind != 0) {
        return Err(SavError::BadRecord {
            offset: at,
            detail: format!("declares {missing_count} missing values"),
        });
    }
    let mut missing = Vec::new();
    for _ in 0..missing_count.unsigned_abs() {
        missing.push(raw8(bytes.take(8, "missing values")?));
    }
    d.case_slots += 1;
    if kind == -1 {
        return Ok(()); // the continuation of the string before it
    }
    let width = usize::try_from(kind)
        .ok()
        .filter(|w| *w <= 255)
        .ok_or_else(|| SavError::BadRecord {
            offset: at,
            detail: format!("gives the variable type {kind} (0 or a string width 1-255)"),
        })?;
    d.variables.push(VariableRecord {
        short_name: latin(name).trim_end().to_string(),
        width,
        slot: d.case_slots - 1,
        slots: width.div_ceil(8).max(1),
        label,
        missing_count,
        missing,
    });
    Ok(())
}

/// 8 raw bytes of a value field (numbers are decoded later, with the byte order).
fn raw8(slice: &[u8]) -> [u8; 8] {
    let mut out = [0u8; 8];
    out.copy_from_slice(slice);
    out
}

/// Value labels (record 3) and the variables they belong to (record 4, which must follow).
fn read_labels(bytes: &mut Bytes<'_>, d: &mut Dictionary) -> Result<(), SavError> {
    let count = bytes.count(9, "value labels")?;
    let mut labels = Vec::with_capacity(count);
    for _ in 0..count {
        let value = raw8(bytes.take(8, "a value label")?);
        let len = usize::from(bytes.take(1, "a value label")?[0]);
        let text = bytes.take(len, "a value label")?.to_vec();
        bytes.take((8 - (len + 1) % 8) % 8, "a value label")?;
        labels.push((value, text));
    }
    let at = bytes.at;
    if bytes.i32("value labels")? != 4 {
        return Err(SavError::BadRecord {
            offset: at,
            detail: "should name the variables of the value labels before it".to_string(),
        });
    }
    let n = bytes.count(4, "labelled variables")?;
    let mut slots = Vec::with_capacity(n);
    for _ in 0..n {
        slots.push(usize::try_from(bytes.i32("labelled variables")?).unwrap_or(0));
    }
    d.label_sets.push(LabelSet { labels, slots });
    Ok(())
}

/// An extension record (type 7): the subtypes lagmix uses, the rest skipped.
fn read_extension(bytes: &mut Bytes<'_>, d: &mut Dictionary) -> Result<(), SavError> {
    let subtype = bytes.i32("an extension record")?;
    let size = usize::try_from(bytes.i32("an extension record")?).unwrap_or(usize::MAX);
    let count = bytes.count(size, "extension data")?;
    let data = bytes.take(size.saturating_mul(count), "an extension record")?;
    let mut inner = Bytes {
        bytes: data,
        at: 0,
        big_endian: bytes.big_endian,
    };
    match (subtype, size) {
        (3, 4) if count >= 8 => {
            inner.take(28, "integer info")?;
            d.code_page = Some(inner.i32("integer info")?);
        }
        (4, 8) if count >= 3 => {
            d.sysmis = Some(inner.f64("float info")?);
            d.highest = Some(inner.f64("float info")?);
            d.lowest = Some(inner.f64("float info")?);
        }
        (11, 4) => {
            let stride = if count % 3 == 0 { 3 } else { 2 };
            for _ in 0..count / stride {
                d.measures.push(inner.i32("display parameters")?);
                inner.take(4 * (stride - 1), "display parameters")?;
            }
        }
        (13, 1) => d.long_names = data.to_vec(),
        (14, 1) => d.very_long = data.to_vec(),
        (20, 1) => d.encoding = Some(latin(data).trim().to_string()),
        _ => {}
    }
    Ok(())
}

/// Bytes as Latin-1 text (names and encoding labels are ASCII).
pub fn latin(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

impl Bytes<'_> {
    /// A raw 8-byte field as a number, in the file's byte order.
    pub fn number(&self, raw: [u8; 8]) -> f64 {
        if self.big_endian {
            f64::from_be_bytes(raw)
        } else {
            f64::from_le_bytes(raw)
        }
    }
}
