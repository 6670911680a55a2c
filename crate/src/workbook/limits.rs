//! Bounds checked before a workbook is handed to calamine: a crafted file must not make the
//! reader allocate without limit (calamine has had huge-allocation crashes, and in the browser
//! an allocation failure aborts the wasm instance).
//!
//! An .xlsx or .ods file is a zip archive. Its central directory (APPNOTE.TXT section 4.3.12)
//! lists every part with its compressed and uncompressed size; the sizes are read here, before
//! anything is decompressed, and the archive is refused when one part or all of them together
//! would decompress to more than the caps, or when a part claims an implausible compression
//! ratio (a "zip bomb"). An .xls file's sector chains are checked for loops and its Workbook
//! stream reassembled (`cfb.rs`), and the rectangles its reader will lay out for each sheet
//! computed from the BIFF cell records (`biff.rs`); an .ods file's content.xml is read as
//! calamine reads it to bound the same (`ods.rs`). Cells are counted as they are read (see
//! `grid.rs`).

use super::WorkbookError;

/// Largest decompressed size of one part (a sheet's XML, the shared strings).
pub const MAX_PART_BYTES: u64 = 256 << 20;
/// Largest decompressed size of all parts together.
pub const MAX_TOTAL_BYTES: u64 = 512 << 20;
/// Largest number of cells (rows times columns of the data) a sheet may have: about 200 MB
/// in memory while it is typed. Larger data sets are better read as CSV, which streams.
pub const MAX_CELLS: usize = 5_000_000;
/// Largest number of bytes of text a sheet's cells may hold together.
pub const MAX_TEXT_BYTES: usize = 256 << 20;
/// Largest number of cells all sheets of an .xls or .ods workbook may span together: their
/// readers lay out every sheet when they open the file (`biff.rs`, `ods.rs`).
pub const MAX_BOOK_CELLS: usize = 2 * MAX_CELLS;
/// Deflate compresses XML at most about 1000:1 in practice; far more is a crafted file.
const MAX_RATIO: u64 = 2000;

/// The kind of workbook, from its first bytes and, for zip archives, its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookKind {
    /// Office Open XML (.xlsx, .xlsm).
    Xlsx,
    /// OpenDocument spreadsheet (.ods).
    Ods,
    /// Excel 97-2003 binary (.xls).
    Xls,
}

impl WorkbookKind {
    /// The usual file extension, for messages.
    pub fn extension(self) -> &'static str {
        match self {
            WorkbookKind::Xlsx => ".xlsx",
            WorkbookKind::Ods => ".ods",
            WorkbookKind::Xls => ".xls",
        }
    }
}

/// The signature of a compound file (OLE2), which .xls files are.
pub const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// The signature of a zip archive's first local header.
pub const ZIP_MAGIC: [u8; 4] = *b"PK\x03\x04";

/// One part of the archive as its central directory describes it.
struct Part {
    name: String,
    compressed: u64,
    uncompressed: u64,
}

/// Which workbook `bytes` hold, after checking a zip archive's sizes against the caps. Errors:
/// not a workbook at all, a zip archive without a workbook in it, a damaged directory, a cap.
pub fn check(bytes: &[u8]) -> Result<WorkbookKind, WorkbookError> {
    if bytes.starts_with(&CFB_MAGIC) {
        super::cfb::check(bytes)?;
        return Ok(WorkbookKind::Xls);
    }
    if !bytes.starts_with(&ZIP_MAGIC) {
        return Err(WorkbookError::NotAWorkbook);
    }
    let parts = central_directory(bytes)?;
    let mut total: u64 = 0;
    for part in &parts {
        let ratio_limit = part.compressed.saturating_mul(MAX_RATIO).max(1 << 20);
        if part.uncompressed > MAX_PART_BYTES || part.uncompressed > ratio_limit {
            return Err(WorkbookError::PartTooLarge {
                part: part.name.clone(),
                bytes: part.uncompressed,
            });
        }
        total = total.saturating_add(part.uncompressed);
    }
    if total > MAX_TOTAL_BYTES {
        return Err(WorkbookError::PartTooLarge {
            part: "all parts together".to_string(),
            bytes: total,
        });
    }
    let has = |name: &str| parts.iter().any(|p| p.name == name);
    if has("xl/workbook.xml") || has("xl/workbook.bin") {
        Ok(WorkbookKind::Xlsx)
    } else if has("content.xml") {
        super::ods::check(bytes)?;
        Ok(WorkbookKind::Ods)
    } else {
        Err(WorkbookError::ZipNotWorkbook)
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u64> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u64::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u64> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
}

/// The parts listed in the central directory. The end-of-central-directory record is within
/// the last 65,557 bytes (22 bytes plus a comment of at most 65,535).
fn central_directory(bytes: &[u8]) -> Result<Vec<Part>, WorkbookError> {
    const END_SIGNATURE: [u8; 4] = *b"PK\x05\x06";
    const ENTRY_SIGNATURE: [u8; 4] = *b"PK\x01\x02";
    let damaged = WorkbookError::Damaged;
    let search_from = bytes.len().saturating_sub(65_557);
    let tail = bytes.get(search_from..).unwrap_or_default();
    let end = tail
        .windows(4)
        .rposition(|w| w == END_SIGNATURE)
        .map(|i| i + search_from)
        .ok_or(WorkbookError::Damaged)?;
    let count = u16_at(bytes, end + 10).ok_or(WorkbookError::Damaged)?;
    let offset = u32_at(bytes, end + 16).ok_or(WorkbookError::Damaged)?;
    // Zip64 archives mark their sizes 0xFFFFFFFF; a workbook within the caps never needs one.
    if offset == 0xFFFF_FFFF || count == 0xFFFF {
        return Err(WorkbookError::PartTooLarge {
            part: "the archive (zip64)".to_string(),
            bytes: u64::MAX,
        });
    }
    let mut at = usize::try_from(offset).map_err(|_| WorkbookError::Damaged)?;
    // Each entry takes at least 46 bytes, so the count cannot ask for more than the file holds.
    let mut parts = Vec::with_capacity((count as usize).min(bytes.len() / 46));
    for _ in 0..count {
        if bytes.get(at..at + 4) != Some(&ENTRY_SIGNATURE[..]) {
            return Err(damaged);
        }
        let field = |offset: usize| u32_at(bytes, at + offset).ok_or(WorkbookError::Damaged);
        let short = |offset: usize| u16_at(bytes, at + offset).ok_or(WorkbookError::Damaged);
        let (compressed, uncompressed) = (field(20)?, field(24)?);
        let name_len = short(28)? as usize;
        let extra = (short(30)? + short(32)?) as usize;
        let name = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or(WorkbookError::Damaged)?;
        parts.push(Part {
            name: String::from_utf8_lossy(name).into_owned(),
            compressed,
            // 0xFFFFFFFF: the real size is in a zip64 extra field; treat it as too large.
            uncompressed: if uncompressed == 0xFFFF_FFFF {
                u64::MAX
            } else {
                uncompressed
            },
        });
        at += 46 + name_len + extra;
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_zip_and_damaged_zip() {
        assert_eq!(check(b"id,week\n1,2\n"), Err(WorkbookError::NotAWorkbook));
        assert_eq!(check(b"PK\x03\x04 truncated"), Err(WorkbookError::Damaged));
    }
}
