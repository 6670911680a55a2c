//! Hand-built .xls files for the tests: BIFF8 records, a Workbook stream of sheets and the
//! smallest compound file (version 3, 512-byte sectors) that holds it, as [MS-CFB] and
//! [MS-XLS] lay them out. tests/reference/make_hostile_workbooks.py builds the catalogue's crafted
//! file the same way.

const FREE: u32 = 0xFFFF_FFFF;
const END: u32 = 0xFFFF_FFFE;
const FAT_SECTOR: u32 = 0xFFFF_FFFD;

/// One BIFF record: type, 16-bit length, data.
pub fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend_from_slice(&(data.len() as u16).to_le_bytes());
    r.extend_from_slice(data);
    r
}

/// A NUMBER record (0x0203) at (row, column), 0-based.
pub fn number(row: u16, column: u16, value: f64) -> Vec<u8> {
    let mut d = [row.to_le_bytes(), column.to_le_bytes(), [0, 0]].concat();
    d.extend_from_slice(&value.to_le_bytes());
    record(0x0203, &d)
}

/// A LABEL record (0x0204) holding Latin-1 `text`.
pub fn label(row: u16, column: u16, text: &str) -> Vec<u8> {
    let mut d = [row.to_le_bytes(), column.to_le_bytes(), [0, 0]].concat();
    d.extend_from_slice(&(text.len() as u16).to_le_bytes());
    d.push(0);
    d.extend_from_slice(text.as_bytes());
    record(0x0204, &d)
}

/// The cells of the smallest readable sheet: a header `id, y` and one row `1, 2.5`.
pub fn small_sheet() -> Vec<Vec<u8>> {
    vec![
        label(0, 0, "id"),
        label(0, 1, "y"),
        number(1, 0, 1.0),
        number(1, 1, 2.5),
    ]
}

/// A BIFF8 BOF record of substream kind `kind` (0x0005 globals, 0x0010 worksheet).
pub fn bof(kind: u16) -> Vec<u8> {
    let mut d = [0x0600u16.to_le_bytes(), kind.to_le_bytes()].concat();
    d.extend_from_slice(&[0; 12]);
    record(0x0809, &d)
}

pub fn eof() -> Vec<u8> {
    record(0x000A, &[])
}

/// A Workbook stream: the globals (one BoundSheet8 record per sheet), then each sheet's
/// records between its BOF and EOF.
pub fn workbook(sheets: &[(&str, Vec<Vec<u8>>)]) -> Vec<u8> {
    let bound = |position: u32, name: &str| {
        let mut d = position.to_le_bytes().to_vec();
        d.extend_from_slice(&[0, 0, name.len() as u8, 0]);
        d.extend_from_slice(name.as_bytes());
        record(0x0085, &d)
    };
    let globals_len =
        bof(5).len() + sheets.iter().map(|(n, _)| bound(0, n).len()).sum::<usize>() + eof().len();
    let mut bodies = Vec::new();
    let mut positions = Vec::new();
    for (_, records) in sheets {
        positions.push((globals_len + bodies.len()) as u32);
        bodies.extend(bof(0x10));
        bodies.extend(records.concat());
        bodies.extend(eof());
    }
    let mut stream = bof(5);
    for ((name, _), position) in sheets.iter().zip(positions) {
        stream.extend(bound(position, name));
    }
    stream.extend(eof());
    stream.extend(bodies);
    stream
}

/// The compound file holding `stream` as its "Workbook" stream, padded to 4096 bytes so that
/// it lives in ordinary sectors (sector 0: the FAT, 1: the directory, 2 on: the stream).
pub fn compound_file(stream: &[u8]) -> Vec<u8> {
    let mut stream = stream.to_vec();
    stream.resize(stream.len().max(4096).div_ceil(512) * 512, 0);
    let sectors = stream.len() / 512;
    assert!(sectors <= 126, "the test file's FAT has one sector");
    let mut fat = vec![FAT_SECTOR, END];
    fat.extend((3..sectors as u32 + 2).chain([END]));
    fat.resize(128, FREE);
    let mut file = header();
    file.extend(fat.iter().flat_map(|e| e.to_le_bytes()));
    file.extend(directory_entry("Root Entry", 5, END, 0));
    file.extend(directory_entry("Workbook", 2, 2, stream.len() as u32));
    file.extend([0u8; 256]);
    file.extend(stream);
    file
}

fn header() -> Vec<u8> {
    let mut h = vec![0u8; 512];
    h[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let mut put = |at: usize, bytes: &[u8]| h[at..at + bytes.len()].copy_from_slice(bytes);
    put(24, &[0x3E, 0, 3, 0, 0xFE, 0xFF, 9, 0, 6, 0]);
    put(44, &1u32.to_le_bytes()); // FAT sectors
    put(48, &1u32.to_le_bytes()); // first directory sector
    put(56, &4096u32.to_le_bytes()); // mini stream cutoff
    put(60, &END.to_le_bytes()); // no mini FAT
    put(68, &END.to_le_bytes()); // no DIFAT sectors
    put(76, &0u32.to_le_bytes()); // the FAT is sector 0
    for i in 1..109 {
        put(76 + 4 * i, &FREE.to_le_bytes());
    }
    h
}

fn directory_entry(name: &str, kind: u8, start: u32, len: u32) -> Vec<u8> {
    let mut e = vec![0u8; 128];
    for (i, unit) in name.encode_utf16().enumerate() {
        e[2 * i..2 * i + 2].copy_from_slice(&unit.to_le_bytes());
    }
    e[64..66].copy_from_slice(&(2 * (name.len() as u16 + 1)).to_le_bytes());
    e[66] = kind;
    e[68..80].copy_from_slice(&[0xFF; 12]); // no siblings, no child
    if kind == 5 {
        e[76..80].copy_from_slice(&1u32.to_le_bytes()); // the root's child: entry 1
    }
    e[116..120].copy_from_slice(&start.to_le_bytes());
    e[120..124].copy_from_slice(&len.to_le_bytes());
    e
}
