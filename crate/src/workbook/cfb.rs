//! A check of an .xls file's compound-file structure ([MS-CFB]) before calamine reads it:
//! calamine follows sector chains through the file allocation table (FAT) until their end
//! mark, so a crafted FAT with a cycle made it allocate without bound (found by
//! fuzz/workbook_reader), and a link past the table's end made it index out of bounds. This
//! builds the FAT the way calamine does (header DIFAT entries, then the DIFAT sector chain) and
//! refuses the file when any chain loops or leaves the table.

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
    acyclic(&fat)
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
    fn chains_that_loop_or_leave_the_table_are_refused() {
        const END: u32 = 0xFFFF_FFFE;
        assert_eq!(acyclic(&[1, 2, END, END, 0xFFFF_FFFF]), Ok(()));
        assert_eq!(acyclic(&[1, 2, 0]), Err(WorkbookError::Damaged));
        assert_eq!(acyclic(&[3, END, 1, 3]), Err(WorkbookError::Damaged));
        assert_eq!(acyclic(&[7, END]), Err(WorkbookError::Damaged));
    }
}
