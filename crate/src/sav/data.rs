//! The cases: raw 8-byte slots, stored plainly, bytecode-compressed, or (in .zsav) as zlib
//! blocks of the bytecode stream (PSPP manual, "Data Record").
//!
//! Bytecode compression: a block of 8 one-byte codes, then the 8-byte values some codes ask
//! for. Code 0 is padding, 1-251 the number `code - bias`, 252 the end of the data, 253 "the
//! next raw 8 bytes", 254 eight spaces (string), 255 system-missing.
//!
//! Bounds: the number of slots decoded is capped ([`MAX_VALUES`]) before it is stored, and a
//! .zsav file's blocks must declare sizes within the cap before any is inflated.

use super::dictionary::{Bytes, Dictionary};
use super::SavError;

/// Most 8-byte values (cases times slots) read from one file: 80 MB of data in memory.
pub const MAX_VALUES: usize = 10_000_000;

/// A decoded slot: the raw bytes as in the file, or system-missing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Slot {
    Raw([u8; 8]),
    /// A number from bytecode 1-251, already decoded.
    Number(f64),
    SystemMissing,
}

/// All slots of all cases, row by row.
pub fn read_slots(bytes: &mut Bytes<'_>, d: &Dictionary) -> Result<Vec<Slot>, SavError> {
    let per_case = d.case_slots.max(1);
    let declared = usize::try_from(d.cases).ok();
    match d.compression {
        0 => {
            let rest = bytes.rest().len() / 8;
            let n = declared.map_or(rest, |c| c.saturating_mul(per_case));
            check_cap(n)?;
            if n > rest {
                return Err(SavError::Truncated {
                    offset: bytes.whole().len(),
                    what: "the data",
                });
            }
            let mut slots = Vec::with_capacity(n);
            for _ in 0..n - n % per_case {
                slots.push(Slot::Raw(raw(bytes.take(8, "the data")?)));
            }
            Ok(slots)
        }
        1 => decode_bytecode(bytes.rest(), d.bias, declared, per_case),
        _ => {
            let stream = inflate_zsav(bytes)?;
            decode_bytecode(&stream, d.bias, declared, per_case)
        }
    }
}

fn check_cap(n: usize) -> Result<(), SavError> {
    if n > MAX_VALUES {
        return Err(SavError::TooManyCells { limit: MAX_VALUES });
    }
    Ok(())
}

fn raw(slice: &[u8]) -> [u8; 8] {
    let mut out = [0u8; 8];
    out.copy_from_slice(slice);
    out
}

/// Decodes a bytecode stream; an incomplete last case (a file cut short) is dropped only when
/// the header did not promise it, else it is an error.
fn decode_bytecode(
    stream: &[u8],
    bias: f64,
    declared: Option<usize>,
    per_case: usize,
) -> Result<Vec<Slot>, SavError> {
    let wanted = declared.map(|c| c.saturating_mul(per_case));
    let mut slots = Vec::with_capacity(wanted.unwrap_or(0).min(MAX_VALUES).min(stream.len()));
    let mut at = 0;
    'blocks: while let Some(codes) = stream.get(at..at + 8) {
        at += 8;
        for &code in codes {
            if wanted.is_some_and(|w| slots.len() >= w) {
                break 'blocks;
            }
            let slot = match code {
                0 => continue,
                252 => break 'blocks,
                253 => {
                    let Some(value) = stream.get(at..at + 8) else {
                        break 'blocks;
                    };
                    at += 8;
                    Slot::Raw(raw(value))
                }
                254 => Slot::Raw(*b"        "),
                255 => Slot::SystemMissing,
                _ => Slot::Number(f64::from(code) - bias),
            };
            check_cap(slots.len() + 1)?;
            slots.push(slot);
        }
    }
    if wanted.is_some_and(|w| slots.len() < w) {
        return Err(SavError::Truncated {
            offset: at,
            what: "the compressed data",
        });
    }
    slots.truncate(slots.len() - slots.len() % per_case);
    Ok(slots)
}

/// The bytecode stream of a .zsav file: the zlib header (three 8-byte offsets), the trailer's
/// block table, and each block inflated.
fn inflate_zsav(bytes: &mut Bytes<'_>) -> Result<Vec<u8>, SavError> {
    let header = bytes.take(24, "the zlib header")?;
    let le64 = |b: &[u8]| {
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        i64::from_le_bytes(a)
    };
    let trailer_at = usize::try_from(le64(&header[8..16])).unwrap_or(usize::MAX);
    let mut trailer = Bytes::new(bytes.whole());
    trailer.at = trailer_at;
    trailer.take(16, "the zlib trailer")?; // bias and zero
    trailer.i32("the zlib trailer")?; // block size
    let blocks = trailer.count(24, "zlib blocks")?;
    let mut table = Vec::with_capacity(blocks);
    let mut total: usize = 0;
    for _ in 0..blocks {
        let entry = trailer.take(24, "the zlib trailer")?;
        let offset = usize::try_from(le64(&entry[8..16])).unwrap_or(usize::MAX);
        let size_at = |i: usize| {
            let mut a = [0u8; 4];
            a.copy_from_slice(&entry[i..i + 4]);
            usize::try_from(i32::from_le_bytes(a)).unwrap_or(usize::MAX)
        };
        let (inflated, deflated) = (size_at(16), size_at(20));
        total = total.saturating_add(inflated);
        // Each value takes at most 9 bytes of the stream (a code and 8 raw bytes).
        if total > MAX_VALUES.saturating_mul(9) {
            return Err(SavError::TooManyCells { limit: MAX_VALUES });
        }
        table.push((offset, deflated, inflated));
    }
    let mut stream = Vec::with_capacity(total);
    for (block, (offset, deflated, inflated)) in table.into_iter().enumerate() {
        let all = bytes.whole();
        let source = offset
            .checked_add(deflated)
            .and_then(|end| all.get(offset..end))
            .ok_or(SavError::Truncated {
                offset: all.len(),
                what: "the zlib blocks",
            })?;
        inflate_block(source, inflated, &mut stream).map_err(|()| SavError::BadZlib { block })?;
    }
    Ok(stream)
}

/// Inflates one zlib block of exactly `size` bytes onto `out`.
fn inflate_block(source: &[u8], size: usize, out: &mut Vec<u8>) -> Result<(), ()> {
    let start = out.len();
    out.resize(start + size, 0);
    let mut inflater = flate2::Decompress::new(true);
    let status = inflater
        .decompress(source, &mut out[start..], flate2::FlushDecompress::Finish)
        .map_err(|_| ())?;
    if status != flate2::Status::StreamEnd || inflater.total_out() as usize != size {
        return Err(());
    }
    Ok(())
}
