//! An .xls file's compound-file structure ([MS-CFB]) read before calamine reads it, so that the
//! Workbook stream calamine will parse can be checked first (`biff.rs`).
//!
//! calamine follows sector chains through the file allocation table (FAT) until their end mark:
//! a crafted FAT with a cycle made it allocate without bound (found by fuzz/workbook_reader),
//! and a link past the table's end made it index out of bounds (a panic, which traps the wasm
//! instance). This builds the FAT, the directory, the mini stream and its table the way calamine
//! does, refuses the file when a chain loops or leaves its table or the file, and reassembles the
//! Workbook (or Book) stream byte for byte as calamine will see it.

use super::limits::MAX_PART_BYTES;
use super::WorkbookError;

/// Sector numbers from here up are marks (free, end of chain, FAT or DIFAT sector), not links.
const RESERVED: u32 = 0xFFFF_FFFA;
/// The mark that ends a chain.
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// Streams shorter than this live in the mini stream, in 64-byte sectors ([MS-CFB] 2.6.3).
const MINI_STREAM_CUTOFF: u64 = 4096;
/// The size of a mini stream sector.
const MINI_SECTOR: usize = 64;

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The error for a damaged compound file, saying what is wrong.
fn damaged(detail: &str) -> WorkbookError {
    WorkbookError::DamagedContent {
        kind: ".xls",
        detail: detail.to_string(),
    }
}

/// One directory entry: a stream's name, first sector and length.
struct Entry {
    name: String,
    start: u32,
    len: u64,
}

/// The tables of a compound file, as calamine builds them.
struct CompoundFile<'a> {
    bytes: &'a [u8],
    /// Sector size: 512 (version 3) or 4096 (version 4).
    size: usize,
    fat: Vec<u32>,
    entries: Vec<Entry>,
    mini_fat: Vec<u32>,
    mini_stream: Vec<u8>,
}

/// Checks the compound file and, when it holds a Workbook (or Book) stream, that stream's BIFF
/// records (`biff.rs`). Errors: [`WorkbookError::DamagedContent`] when a table cannot be built or a
/// chain loops or points outside its table or the file; [`WorkbookError::PartTooLarge`] for a
/// stream past the cap; the BIFF scan's errors. A file without either stream is left to
/// calamine, which says so.
pub fn check(bytes: &[u8]) -> Result<(), WorkbookError> {
    let file = CompoundFile::read(bytes)?;
    // calamine reads "Workbook" and falls back to "Book" (BIFF5) on any error.
    let stream = match file.stream("Workbook") {
        Ok(Some(stream)) => stream,
        workbook => match file.stream("Book") {
            Ok(Some(stream)) => stream,
            Ok(None) => return workbook.map(|_| ()),
            Err(e) => return Err(workbook.err().unwrap_or(e)),
        },
    };
    super::biff::check(&stream)
}

impl<'a> CompoundFile<'a> {
    /// The FAT, the directory and the mini stream with its table. Errors: see [`check`].
    fn read(bytes: &'a [u8]) -> Result<Self, WorkbookError> {
        let size = match bytes.get(30) {
            Some(9) => 512,
            Some(12) => 4096,
            _ => return Err(damaged("its sector size is neither 512 nor 4096 bytes")),
        };
        let fat = allocation_table(bytes, size)?;
        acyclic(&fat)?;
        let mut file = CompoundFile {
            bytes,
            size,
            fat,
            entries: Vec::new(),
            mini_fat: Vec::new(),
            mini_stream: Vec::new(),
        };
        let header = |at: usize| u32_at(bytes, at).ok_or_else(|| damaged("its header is cut"));
        let directory = file.chain(header(48)?, u64::MAX)?;
        file.entries = directory
            .chunks_exact(128)
            .map(|e| entry(e, size == 4096))
            .collect::<Result<_, _>>()?;
        let mini_fat_sectors = header(64)?;
        if let (true, Some(root)) = (mini_fat_sectors > 0, file.entries.first()) {
            file.mini_stream = file.chain(root.start, root.len)?;
            let mini_fat_len = u64::from(mini_fat_sectors) * size as u64;
            let mini_fat = file.chain(header(60)?, mini_fat_len)?;
            file.mini_fat = to_u32(&mini_fat).collect();
        }
        Ok(file)
    }

    /// The stream named `name` (compared as calamine does, ignoring ASCII case), or `None`.
    fn stream(&self, name: &str) -> Result<Option<Vec<u8>>, WorkbookError> {
        let Some(entry) = self
            .entries
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
        else {
            return Ok(None);
        };
        if entry.len < MINI_STREAM_CUTOFF {
            let sector = |id: u32| {
                let start = (id as usize).checked_mul(MINI_SECTOR)?;
                self.mini_stream.get(start..start.checked_add(MINI_SECTOR)?)
            };
            follow(entry.start, entry.len, &self.mini_fat, sector).map(Some)
        } else {
            self.chain(entry.start, entry.len).map(Some)
        }
    }

    /// The bytes of the chain of sectors from `start`, at most `len` of them, as calamine
    /// gathers them. Errors: see [`follow`].
    fn chain(&self, start: u32, len: u64) -> Result<Vec<u8>, WorkbookError> {
        follow(start, len, &self.fat, |id| {
            sector(self.bytes, self.size, id)
        })
    }
}

/// Follows a chain of sectors through `table` from `start` until its end mark or `len` bytes.
/// Errors: a sector outside the file or the stream holding it, a link outside the table, a
/// chain longer than the table (a loop), more than [`MAX_PART_BYTES`] bytes.
fn follow<'s>(
    start: u32,
    len: u64,
    table: &[u32],
    sector: impl Fn(u32) -> Option<&'s [u8]>,
) -> Result<Vec<u8>, WorkbookError> {
    let mut out = Vec::new();
    let mut id = start;
    let mut steps = 0;
    while id != END_OF_CHAIN {
        steps += 1;
        if steps > table.len() + 1 {
            return Err(damaged("a chain of sectors loops"));
        }
        let data = sector(id).ok_or_else(|| damaged("a sector lies past the end of the file"))?;
        let room = usize::try_from(len - out.len() as u64).unwrap_or(usize::MAX);
        out.extend_from_slice(&data[..data.len().min(room)]);
        if out.len() as u64 > MAX_PART_BYTES {
            return Err(WorkbookError::PartTooLarge {
                part: "Workbook stream".to_string(),
                bytes: out.len() as u64,
            });
        }
        if out.len() as u64 >= len {
            break;
        }
        id = *table
            .get(id as usize)
            .ok_or_else(|| damaged("a chain of sectors leaves the allocation table"))?;
    }
    Ok(out)
}

/// A 128-byte directory entry. Version 4 files store the length in 64 bits; calamine turns it
/// into a `usize`, which panics on a 32-bit target (wasm) past 4 GB, so that is refused.
fn entry(raw: &[u8], long_lengths: bool) -> Result<Entry, WorkbookError> {
    let units = raw[..64]
        .chunks_exact(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]));
    let name: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .take_while(|&c| c != '\0')
        .collect();
    let low = u64::from(u32_at(raw, 120).unwrap_or(0));
    let high = u64::from(u32_at(raw, 124).unwrap_or(0));
    if long_lengths && high > 0 {
        return Err(damaged(
            "a directory entry declares a stream of more than 4 GB",
        ));
    }
    Ok(Entry {
        name,
        start: u32_at(raw, 116).unwrap_or(END_OF_CHAIN),
        len: low,
    })
}

fn to_u32(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Sector `id` (sector 0 follows the 512-byte header, or the first 4096 bytes for 4096-byte
/// sectors), whole: a sector cut by the file's end is refused.
fn sector(bytes: &[u8], size: usize, id: u32) -> Option<&[u8]> {
    let start = (id as usize).checked_add(1)?.checked_mul(size)?;
    bytes.get(start..start.checked_add(size)?)
}

/// The FAT: its sectors are listed in the header (109 entries), then in the DIFAT sector chain.
fn allocation_table(bytes: &[u8], size: usize) -> Result<Vec<u32>, WorkbookError> {
    let cut = || damaged("its sector allocation table is cut");
    let max_sectors = bytes.len() / size;
    let mut difat: Vec<u32> = (0..109).map_while(|i| u32_at(bytes, 76 + 4 * i)).collect();
    let mut next = u32_at(bytes, 68).ok_or_else(cut)?;
    let mut steps = 0;
    while next < RESERVED {
        steps += 1;
        if steps > max_sectors + 1 {
            return Err(damaged("a chain of sectors loops"));
        }
        difat.extend(to_u32(sector(bytes, size, next).ok_or_else(cut)?));
        next = difat.pop().ok_or_else(cut)?;
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|&id| id < RESERVED) {
        fat.extend(to_u32(sector(bytes, size, id).ok_or_else(cut)?));
    }
    Ok(fat)
}

/// Every chain of links in `fat` ends at a mark, without a loop and inside the table.
fn acyclic(fat: &[u32]) -> Result<(), WorkbookError> {
    // 0: not seen, 1: on the chain being walked, 2: known to end well.
    let mut state = vec![0u8; fat.len()];
    let mut path = Vec::new();
    for start in 0..fat.len() {
        let mut at = start;
        while state[at] == 0 {
            state[at] = 1;
            path.push(at);
            let link = fat[at];
            if link >= RESERVED {
                break;
            }
            at = link as usize;
            if at >= fat.len() || state[at] == 1 {
                return Err(damaged(
                    "a chain of sectors loops or leaves the allocation table",
                ));
            }
        }
        for &done in &path {
            state[done] = 2;
        }
        path.clear();
    }
    Ok(())
}

#[cfg(test)]
mod tests;
