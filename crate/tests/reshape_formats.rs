//! A wide file in every format reshaped to long gives the long file's fit: the reference trial
//! one row per person (tests/formats/wide_trial.{csv,xlsx,sav}, written from trial.csv by
//! tests/reference/make_wide_trial.py) reshaped by the page's route (`long_from_csv` for CSV,
//! the readers' typed cells through `long_from_cells` for the workbook and SPSS file) fits as
//! the long tests/formats/trial.csv does, to 1e-12 (trial.csv itself reproduces lme4, see
//! formats.rs). SPSS: the labelled group stays a factor with its levels in code order, the
//! ordinal mood items stay numbers, the user-missing -99 is missing, and the labels carry over.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod same_fit;
use same_fit::assert_same_fit;

use lagmix::frame::ReadOptions;
use lagmix::import::{read_cells, ImportOptions};
use lagmix::reshape::{self, ColumnLabel, LongData, ReshapeOptions};
use lagmix::{DataOptions, Dataset, DfMethod, FitResult, ModelOptions};
use std::path::Path;

fn bytes(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/formats")
        .join(name);
    std::fs::read(path).expect("tests/formats is committed")
}

fn panel() -> DataOptions {
    DataOptions {
        id: Some("id".into()),
        time: Some("week".into()),
        ..DataOptions::default()
    }
}

fn options() -> ReshapeOptions {
    ReshapeOptions::new("id", "week")
}

fn fit(frame: lagmix::frame::Frame, formula: &str) -> FitResult {
    let data = Dataset::from_frame(frame, &panel()).expect("panel");
    let model = ModelOptions {
        df: DfMethod::Satterthwaite,
        ..ModelOptions::new(formula)
    };
    data.fit(&model).expect("fits")
}

fn long_of(name: &str, import: &ImportOptions) -> (LongData, Vec<ColumnLabel>) {
    let (cells, source) = read_cells(&bytes(name), import).expect("reads");
    let long =
        reshape::long_from_cells(&cells, &ReadOptions::default(), &options()).expect("reshapes");
    let wide: Vec<ColumnLabel> = source
        .variables
        .iter()
        .filter_map(|v| {
            v.label.clone().map(|label| ColumnLabel {
                name: v.name.clone(),
                label,
            })
        })
        .collect();
    let labels = reshape::long_labels(&long.summary, "id", &wide);
    (long, labels)
}

const FORMULAS: [&str; 2] = [
    "spin ~ group * week + mood + (1 | id)",
    "lead(within(spin)) ~ within(spin) + within(wai) + between(wai) + (1 | id)",
];

#[test]
fn wide_csv_xlsx_and_sav_reshaped_fit_as_the_long_csv() {
    let long_csv =
        lagmix::frame::Frame::from_csv(&bytes("trial.csv"), &ReadOptions::default()).unwrap();
    let from_csv = reshape::long_from_csv(
        &bytes("wide_trial.csv"),
        &ReadOptions::default(),
        &options(),
    )
    .unwrap();
    assert_eq!(
        from_csv.summary.rows,
        long_csv.nrows(),
        "the weeks without a row are left out"
    );
    let sheet = ImportOptions {
        sheet: Some("scores".into()),
        ..ImportOptions::default()
    };
    let (from_xlsx, _) = long_of("wide_trial.xlsx", &sheet);
    let (from_sav, labels) = long_of("wide_trial.sav", &ImportOptions::default());
    for formula in FORMULAS {
        let reference = fit(long_csv.clone(), formula);
        assert!(reference
            .fixed
            .iter()
            .any(|f| f.term.contains("within") || f.term == "grouptreatment"));
        assert_same_fit(
            &reference,
            &fit(from_csv.frame.clone(), formula),
            "wide csv",
            str::to_string,
        );
        assert_same_fit(
            &reference,
            &fit(from_xlsx.frame.clone(), formula),
            "wide xlsx",
            str::to_string,
        );
        assert_same_fit(
            &reference,
            &fit(from_sav.frame.clone(), formula),
            "wide sav",
            str::to_string,
        );
    }
    let label = |name: &str| {
        labels
            .iter()
            .find(|l| l.name == name)
            .map(|l| l.label.as_str())
    };
    assert_eq!(label("spin"), Some("SPIN total, week"));
    assert_eq!(label("group"), Some("randomised group"));
    assert_eq!(label("id"), Some("person"));
    // The long CSV for the user's download reads back to the same frame.
    let again =
        lagmix::frame::Frame::from_csv(from_sav.csv.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(again.names, from_sav.frame.names);
}

#[test]
fn the_first_sheet_is_not_wide_and_a_numeric_group_stays_numeric() {
    let (cells, _) = read_cells(&bytes("wide_trial.xlsx"), &ImportOptions::default()).unwrap();
    let frame = lagmix::frame::Frame::from_cells(cells, &ReadOptions::default()).unwrap();
    assert_eq!(
        reshape::detect_wide_frame(&frame),
        None,
        "sheet \"about\" holds a note"
    );
    let numeric = ImportOptions {
        numeric: vec!["group".into()],
        ..ImportOptions::default()
    };
    let (long, _) = long_of("wide_trial.sav", &numeric);
    let f = fit(long.frame, "spin ~ group + (1 | id)");
    assert_eq!(f.fixed[1].term, "group", "group as its codes 1, 2");
}
