//! The compound-file tables on hand-built files (see `../testing.rs`).

use super::*;
use crate::workbook::testing::{compound_file, number, workbook};

const END: u32 = 0xFFFF_FFFE;

fn small() -> Vec<u8> {
    compound_file(&workbook(&[("data", vec![number(0, 0, 1.0)])]))
}

/// Sets FAT entry `index` (the FAT is sector 0, at byte 512).
fn link(file: &mut [u8], index: usize, to: u32) {
    file[512 + 4 * index..516 + 4 * index].copy_from_slice(&to.to_le_bytes());
}

#[test]
fn the_workbook_stream_is_reassembled_as_written() {
    let stream = workbook(&[("data", vec![number(0, 0, 1.0)])]);
    let file = CompoundFile::read(&compound_file(&stream))
        .expect("reads")
        .stream("WORKBOOK")
        .expect("a chain")
        .expect("a stream");
    assert_eq!(&file[..stream.len()], &stream[..]);
    assert_eq!(file.len(), 4096);
    assert_eq!(check(&small()), Ok(()));
}

#[test]
fn chains_that_loop_or_leave_the_table_are_refused() {
    assert_eq!(acyclic(&[1, 2, END, END, 0xFFFF_FFFF]), Ok(()));
    for fat in [&[1, 2, 0][..], &[3, END, 1, 3], &[7, END]] {
        assert!(matches!(
            acyclic(fat),
            Err(WorkbookError::DamagedContent { .. })
        ));
    }
    // The Workbook stream's last sector (9) linked back to its first (2).
    let mut looped = small();
    link(&mut looped, 9, 2);
    let e = check(&looped).expect_err("a loop");
    assert!(e.to_string().contains("loops"), "{e}");
    // A link past the end of the file, and the file cut inside the stream.
    let mut past = small();
    link(&mut past, 5, 100);
    assert!(matches!(
        check(&past),
        Err(WorkbookError::DamagedContent { .. })
    ));
    let cut = small();
    let e = check(&cut[..cut.len() - 700]).expect_err("cut");
    assert!(e.to_string().contains("past the end of the file"), "{e}");
}

/// `small()` with the 32-bit field at byte `field` of its Workbook directory entry set to
/// `value` (the entry is the second in the directory: sector 1, byte 1024 + 128).
fn with_workbook_entry(field: usize, value: u32) -> Vec<u8> {
    let mut file = small();
    let at = 1024 + 128 + field;
    file[at..at + 4].copy_from_slice(&value.to_le_bytes());
    file
}

#[test]
fn a_stream_starting_outside_the_table_is_refused() {
    // Starting sector 200, of a file of a few.
    let file = with_workbook_entry(116, 200);
    assert!(matches!(
        check(&file),
        Err(WorkbookError::DamagedContent { .. })
    ));
}

#[test]
fn a_short_stream_is_read_from_the_mini_stream() {
    // Declared 100 bytes long: calamine would look in the mini stream, which this file lacks.
    let file = with_workbook_entry(120, 100);
    assert!(matches!(
        check(&file),
        Err(WorkbookError::DamagedContent { .. })
    ));
}
