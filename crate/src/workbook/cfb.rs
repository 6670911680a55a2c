//! A check of an .xls file's compound-file structure ([MS-CFB]) before calamine reads it:
//! calamine follows sector chains through the file allocation table (FAT) until their end
//! mark, so a crafted FAT with a cycle made it allocate without bound (found by
//! fuzz/workbook_reader), and a link past the table's end made it index out of bounds. This
//! builds the FAT the way calamine does (header DIFAT entries, then the DIFAT sector chain) and
//! refuses the file when any chain loops or leaves the table.
//!
//! calamine also reserves room for the rows times columns a sheet's DIMENSIONS record declares
//! (an allocation failure aborts, it cannot be caught). Those records are looked for in the
//! file's bytes as they stand (a heuristic: a record split across sectors that are not
//! adjacent is missed, as is one in the mini stream's scattered sectors; the page's worker
//! restart remains the net for those) and a declared size past the cell cap is refused.

use super::WorkbookError;

/// Sector numbers from here up are marks (free, end of chain, FAT or DIFAT sector), not links.
const RESERVED: u32 = 0xFFFF_FFFA;

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The u32 entries of sector `id` (sector 0 follows the 512-byte header, or the first
/// 4096 bytes for 4096-byte sectors).
fn sector(bytes: &[u8], size: usize, id: u32) -> Option<impl Iterator<Item = u32> + '_> {
    let start = (id as usize).checked_add(1)?.checked_mul(size)?;
    let data = bytes.get(start..start.checked_add(size)?)?;
    Some(
        data.chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
    )
}

/// Errors: [`WorkbookError::Damaged`] when the FAT cannot be built or a chain in it loops or
/// points outside it.
pub fn check(bytes: &[u8]) -> Result<(), WorkbookError> {
    let damaged = WorkbookError::Damaged;
    let shift = bytes.get(30).copied().ok_or(WorkbookError::Damaged)?;
    let size = match shift {
        9 => 512,
        12 => 4096,
        _ => return Err(damaged),
    };
    let max_sectors = bytes.len() / size;
    let mut difat: Vec<u32> = (0..109).map_while(|i| u32_at(bytes, 76 + 4 * i)).collect();
    let mut next = u32_at(bytes, 68).ok_or(WorkbookError::Damaged)?;
    let mut steps = 0;
    while next < RESERVED {
        steps += 1;
        if steps > max_sectors + 1 {
            return Err(WorkbookError::Damaged);
        }
        difat.extend(sector(bytes, size, next).ok_or(WorkbookError::Damaged)?);
        next = difat.pop().ok_or(WorkbookError::Damaged)?;
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|&id| id < RESERVED) {
        fat.extend(sector(bytes, size, id).ok_or(WorkbookError::Damaged)?);
    }
    acyclic(&fat)?;
    declared_dimensions(bytes)
}

/// Errors: [`WorkbookError::TooManyCells`] for a DIMENSIONS record (type 0x0200 with 10, 14 or
/// 16 bytes) declaring more cells than the cap, computed as calamine computes its reservation.
fn declared_dimensions(bytes: &[u8]) -> Result<(), WorkbookError> {
    let limit = super::limits::MAX_CELLS;
    for at in memchr_records(bytes) {
        let len = usize::from(bytes[at + 2]);
        let Some(r) = bytes.get(at + 4..at + 4 + len) else {
            continue;
        };
        let u16_at = |i: usize| i64::from(u16::from_le_bytes([r[i], r[i + 1]]));
        let u32_at = |i: usize| i64::from(u32::from_le_bytes([r[i], r[i + 1], r[i + 2], r[i + 3]]));
        let (first_row, last_row, mut first_col, last_col) = if len == 10 {
            (u16_at(0), u16_at(2), u16_at(4), u16_at(6))
        } else {
            (u32_at(0), u32_at(4), u16_at(8), u16_at(10))
        };
        if first_col > 0xFF || last_col < first_col {
            first_col = 0;
        }
        if last_row < 1 || last_col < 1 {
            continue;
        }
        // calamine subtracts in u32: a last row before the first wraps to about 2^32 rows.
        let rows = (last_row - first_row).rem_euclid(1 << 32);
        let cols = (last_col - first_col).rem_euclid(1 << 32);
        if rows.saturating_mul(cols) > limit as i64 {
            return Err(WorkbookError::TooManyCells { limit });
        }
    }
    Ok(())
}

/// Offsets of the byte patterns of a DIMENSIONS record header.
fn memchr_records(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| w[0] == 0x00 && w[1] == 0x02 && matches!(w[2], 10 | 14 | 16) && w[3] == 0)
        .map(|(i, _)| i)
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
                return Err(WorkbookError::Damaged);
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
mod tests {
    use super::*;

    #[test]
    fn declared_dimensions_past_the_cap_are_refused() {
        let record = |first: u32, last: u32, cols: u16| {
            let mut r = vec![0x00, 0x02, 14, 0];
            r.extend_from_slice(&first.to_le_bytes());
            r.extend_from_slice(&last.to_le_bytes());
            r.extend_from_slice(&0u16.to_le_bytes());
            r.extend_from_slice(&cols.to_le_bytes());
            r.extend_from_slice(&[0, 0]);
            r
        };
        assert_eq!(declared_dimensions(&record(0, 1923, 9)), Ok(()));
        let huge = declared_dimensions(&record(0, 1_000_000, 256));
        assert!(matches!(huge, Err(WorkbookError::TooManyCells { .. })));
        let wrapped = declared_dimensions(&record(10, 5, 3));
        assert!(matches!(wrapped, Err(WorkbookError::TooManyCells { .. })));
    }

    #[test]
    fn chains_that_loop_or_leave_the_table_are_refused() {
        const END: u32 = 0xFFFF_FFFE;
        assert_eq!(acyclic(&[1, 2, END, END, 0xFFFF_FFFF]), Ok(()));
        assert_eq!(acyclic(&[1, 2, 0]), Err(WorkbookError::Damaged));
        assert_eq!(acyclic(&[3, END, 1, 3]), Err(WorkbookError::Damaged));
        assert_eq!(acyclic(&[7, END]), Err(WorkbookError::Damaged));
    }
}
