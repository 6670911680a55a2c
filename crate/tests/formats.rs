//! The same data as CSV, .xlsx, .ods, .xls, .sav (plain and bytecode) and .zsav
//! (tests/formats/, written by tests/reference/make_formats.py with openpyxl, LibreOffice and
//! pyreadstat) read to the same frame and give the same fit to 1e-12; the CSV's fit is the
//! golden case trial_within (lme4), so every format reproduces lme4. Also: sheets, labels,
//! user-missing values, factor switching, and the bad files of the catalogue.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod same_fit;
use same_fit::assert_same_fit;

use lagmix::frame::Column;
use lagmix::import::{read_frame, ImportOptions, SourceInfo};
use lagmix::{DataOptions, Dataset, DfMethod, FitResult, ModelOptions};
use std::path::{Path, PathBuf};

fn path(dir: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests")
        .join(dir)
        .join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(path("formats", name)).expect("tests/formats is committed")
}

fn panel() -> DataOptions {
    DataOptions {
        id: Some("id".into()),
        time: Some("week".into()),
        ..DataOptions::default()
    }
}

fn import(name: &str, options: &ImportOptions) -> Result<(Dataset, SourceInfo), String> {
    Dataset::import(&bytes(name), &panel(), options).map_err(|e| e.to_string())
}

fn fit(name: &str, formula: &str) -> FitResult {
    let (data, _) = import(name, &ImportOptions::default()).expect("reads");
    let wai = if name.contains("sav") {
        "working_alliance_wai"
    } else {
        "wai"
    };
    let model = ModelOptions {
        df: DfMethod::Residual,
        ..ModelOptions::new(&formula.replace("wai", wai))
    };
    data.fit(&model).expect("fits")
}

const WITHIN: &str = "lead(within(spin)) ~ within(spin) + within(wai) + between(wai) + (1 | id)";
const GROUP: &str = "spin ~ group * week + mood + visit + (1 | id)";
const ALL: [&str; 7] = [
    "trial.csv",
    "trial.xlsx",
    "trial.ods",
    "trial.xls",
    "trial.sav",
    "trial_bytecode.sav",
    "trial.zsav",
];

#[test]
fn every_format_gives_the_csv_fit_to_1e12() {
    let golden = std::fs::read(path("fixtures/trial_within", "data.csv")).expect("golden case");
    let (csv, _) = Dataset::import(&golden, &panel(), &ImportOptions::default()).expect("csv");
    let model = ModelOptions {
        df: DfMethod::Residual,
        ..ModelOptions::new(WITHIN)
    };
    let reference = csv.fit(&model).expect("golden fit");
    for name in ALL {
        assert_same_fit(&reference, &fit(name, WITHIN), name, |t| {
            t.replace("working_alliance_wai", "wai")
        });
    }
    // A factor (group: text in CSV and workbooks, a nominal labelled variable in SPSS), an
    // ordinal labelled item kept numeric, and a date column.
    let with_group = fit("trial.csv", GROUP);
    assert!(with_group.fixed.iter().any(|f| f.term == "grouptreatment"));
    for name in ALL {
        assert_same_fit(&with_group, &fit(name, GROUP), name, |t| {
            t.replace("working_alliance_wai", "wai")
        });
    }
}

/// Equal columns, NaN (missing) equal to NaN.
fn same_columns(a: &[Column], b: &[Column]) -> bool {
    let bits = |v: &[f64]| {
        v.iter()
            .map(|x| if x.is_nan() { u64::MAX } else { x.to_bits() })
            .collect::<Vec<_>>()
    };
    a.len() == b.len()
        && a.iter().zip(b).all(|pair| match pair {
            (Column::Numeric(x), Column::Numeric(y)) => bits(x) == bits(y),
            (Column::Text(x), Column::Text(y)) => x == y,
            _ => false,
        })
}

#[test]
fn every_format_reads_the_same_frame() {
    let (csv, _) = read_frame(
        &bytes("trial.csv"),
        &Default::default(),
        &Default::default(),
    )
    .expect("csv");
    for name in ALL {
        let (frame, info) = read_frame(&bytes(name), &Default::default(), &Default::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((info.rows, info.columns), (1922, 9), "{name}");
        assert!(same_columns(&frame.columns, &csv.columns), "{name}");
        assert_eq!(frame.row_lines, csv.row_lines, "{name}");
    }
}

#[test]
fn sheets_are_listed_and_chosen_by_name() {
    for name in ["trial.xlsx", "trial.ods", "trial.xls"] {
        let (_, info) = import(name, &ImportOptions::default()).expect("reads");
        assert_eq!(info.sheets, ["trial", "notes", "empty"], "{name}");
        assert_eq!(info.sheet.as_deref(), Some("trial"));
        let sheet = |s: &str| ImportOptions {
            sheet: Some(s.to_string()),
            ..ImportOptions::default()
        };
        let (frame, _) =
            read_frame(&bytes(name), &Default::default(), &sheet("notes")).expect("notes");
        assert_eq!(frame.names, ["About"]);
        let e = import(name, &sheet("empty")).unwrap_err();
        assert!(e.contains("sheet \"empty\" is empty"), "{name}: {e}");
        let e = import(name, &sheet("Trial")).unwrap_err();
        assert!(
            e.contains("no sheet \"Trial\"") && e.contains("\"trial\", \"notes\""),
            "{e}"
        );
    }
}

#[test]
fn a_merged_header_names_the_cell() {
    let e = import("merged_header.xlsx", &ImportOptions::default()).unwrap_err();
    assert!(e.contains("cell C1") && e.contains("merged"), "{e}");
}

#[test]
fn spss_labels_levels_and_user_missing() {
    let (data, info) = import("trial.sav", &ImportOptions::default()).expect("reads");
    let var = |n: &str| {
        info.variables
            .iter()
            .find(|v| v.name == n)
            .expect("variable")
    };
    assert_eq!(
        var("spin").label.as_deref(),
        Some("social phobia inventory (SPIN)")
    );
    // make_formats.py: the missing spin cells of odd weeks are -99, all missing wai cells 995.
    let csv = std::fs::read_to_string(path("formats", "trial.csv")).expect("csv");
    let (mut odd_spin, mut wai) = (0, 0);
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let week: u32 = cells[1].parse().expect("week");
        odd_spin += usize::from(cells[2].is_empty() && week % 2 == 1);
        wai += usize::from(cells[3].is_empty());
    }
    assert!(odd_spin > 0 && wai > 0);
    assert_eq!(var("spin").user_missing, odd_spin);
    assert_eq!(var("working_alliance_wai").user_missing, wai);
    assert!(var("group").factor && !var("mood").factor);
    let mood_labels: Vec<&str> = var("mood")
        .value_labels
        .iter()
        .map(|l| l.label.as_str())
        .collect();
    assert_eq!(
        mood_labels,
        ["never", "rarely", "sometimes", "often", "always"]
    );
    assert!(matches!(
        data.frame.column("mood"),
        Some(Column::Numeric(_))
    ));
    // The page's switches: group numeric, mood a factor with its labels in code order.
    let switched = ImportOptions {
        numeric: vec!["group".into()],
        factors: vec!["mood".into()],
        ..ImportOptions::default()
    };
    let (data, info) = import("trial.sav", &switched).expect("reads");
    assert!(matches!(
        data.frame.column("group"),
        Some(Column::Numeric(_))
    ));
    let Some(Column::Text(mood)) = data.frame.column("mood") else {
        panic!("mood is a factor")
    };
    assert_eq!(mood.levels, mood_labels);
    assert!(info.variables.iter().any(|v| v.name == "mood" && v.factor));
}

#[test]
fn spss_strings_very_long_utf8_and_missing() {
    let (frame, _) = read_frame(
        &bytes("strings.sav"),
        &Default::default(),
        &Default::default(),
    )
    .expect("reads");
    let Some(Column::Text(comment)) = frame.column("comment") else {
        panic!("text")
    };
    let level = |row: usize| comment.levels.get(comment.codes[row] as usize).cloned();
    assert_eq!(level(0), Some("x".repeat(300)));
    assert_eq!(level(1).as_deref(), Some("Grüße, Øre ½"));
    assert_eq!(level(2), None);
    let Some(Column::Text(code)) = frame.column("code") else {
        panic!("text")
    };
    assert_eq!(code.codes[1], lagmix::frame::MISSING_CODE);
}

#[test]
fn catalogue_bad_workbooks_and_spss_files_give_messages() {
    let cases = [
        ("truncated.xlsx", "damaged or incomplete"),
        ("not_workbook.xlsx", "holds no workbook"),
        ("truncated.sav", "ends too early"),
        ("bad_header.sav", "header is damaged"),
        // A cell at A1 and one at row 65536, column 65536 (tests/reference/make_hostile_workbooks.py):
        // calamine would reserve a 137 GB grid for it.
        (
            "far_cells.xls",
            "sheet \"data\" spans 65536 rows x 65536 columns",
        ),
        // 400 rows of one number repeated over 16,384 columns, 1 KB.
        (
            "wide_rows.ods",
            "sheet \"data\" spans 400 rows x 16384 columns",
        ),
    ];
    for (name, needle) in cases {
        let data = std::fs::read(path("catalogue", name)).expect("catalogue file");
        let e = Dataset::import(&data, &panel(), &ImportOptions::default())
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(e.contains(needle), "{name}: {e}");
    }
}

#[test]
fn every_prefix_of_a_good_file_gives_a_message_not_a_panic() {
    for name in [
        "trial_bytecode.sav",
        "trial.zsav",
        "merged_header.xlsx",
        "strings.sav",
    ] {
        let data = bytes(name);
        let step = (data.len() / 97).max(1);
        for end in (0..data.len()).step_by(step) {
            let _ = read_frame(&data[..end], &Default::default(), &Default::default());
        }
    }
}

#[test]
fn a_part_declaring_a_huge_size_is_refused_before_it_is_unpacked() {
    let mut data = bytes("trial.xlsx");
    // Every central-directory entry (PK 1 2) claims 300 MB uncompressed (offset 24).
    let entries: Vec<usize> = data
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == b"PK\x01\x02")
        .map(|(i, _)| i)
        .collect();
    assert!(!entries.is_empty());
    for at in entries {
        data[at + 24..at + 28].copy_from_slice(&(300u32 << 20).to_le_bytes());
    }
    let e = Dataset::import(&data, &panel(), &ImportOptions::default())
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(e.contains("would unpack to 300 MB"), "{e}");
}

#[test]
fn a_reader_panic_on_a_crafted_xls_is_a_message() {
    // Found by fuzz/workbook_reader: calamine's .xls formula parser indexes past a record.
    let data = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fuzz/corpus/workbook_reader/xls_formula_panic.xls"),
    )
    .expect("corpus file");
    let e = Dataset::import(&data, &panel(), &ImportOptions::default())
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(e.contains("the .xls workbook cannot be read"), "{e}");
    // Also found by fuzzing: a FAT whose chain loops made calamine allocate without bound.
    let data = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fuzz/corpus/workbook_reader/xls_fat_cycle.xls"),
    )
    .expect("corpus file");
    let e = Dataset::import(&data, &panel(), &ImportOptions::default())
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(e.contains("damaged or incomplete"), "{e}");
}

/// trial.xlsx with its first sheet's XML replaced by `sheet`.
fn xlsx_with_sheet(sheet: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes("trial.xlsx"))).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).expect("a part");
        let name = part.name().expect("a name").to_string();
        let mut data = Vec::new();
        part.read_to_end(&mut data).expect("readable");
        if name == "xl/worksheets/sheet1.xml" {
            data = sheet.as_bytes().to_vec();
        }
        out.start_file(name, options).expect("a part");
        out.write_all(&data).expect("written");
    }
    out.finish().expect("a zip").into_inner()
}

#[test]
fn xlsx_cells_far_apart_and_a_lying_dimension_allocate_nothing_large() {
    // calamine's .xlsx cell reader does not lay out a grid, and lagmix's grid keeps only the
    // cells it is given: cells at A1 and XFD1048576 under a dimension claiming the whole sheet
    // end in the header check (B1 is empty), not in a 17-billion-cell allocation.
    let sheet = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#;
    let e = lagmix::workbook::read_workbook(&xlsx_with_sheet(sheet), None).expect_err("refused");
    assert!(
        e.to_string().contains("cell B1: the header cell is empty"),
        "{e}"
    );
    // The data rows' rectangle is capped too: 16,384 columns x 400 rows is refused.
    let mut rows =
        String::from(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>"#);
    for r in 2..=401 {
        rows.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}"><v>1</v></c><c r="XFD{r}"><v>2</v></c></row>"#
        ));
    }
    let sheet = format!(
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    );
    let e = lagmix::workbook::read_workbook(&xlsx_with_sheet(&sheet), None).expect_err("refused");
    assert!(e.to_string().contains("more than 5000000 cells"), "{e}");
}
