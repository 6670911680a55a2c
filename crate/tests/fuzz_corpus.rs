//! Replays the committed fuzz corpora (fuzz/corpus/<target>/*) through the fuzz targets' own code
//! (fuzz/targets.rs), so every `cargo test` checks that no input the fuzzer has kept makes the
//! core panic, without needing cargo-fuzz or a nightly compiler. scripts/fuzz-smoke.sh adds a
//! short live fuzzing run where cargo-fuzz is installed.

#[path = "../../fuzz/targets.rs"]
mod targets;

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        files.len() >= 5,
        "{target}: expected a seeded corpus in {}, found {} files",
        dir.display(),
        files.len()
    );
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        // A panic names the input, so it can be replayed with `cargo fuzz run <target> <file>`.
        let outcome = std::panic::catch_unwind(|| run(&bytes));
        assert!(outcome.is_ok(), "{target} panicked on {}", file.display());
    }
}

#[test]
fn csv_reader_corpus() {
    replay("csv_reader", targets::csv_reader);
}

#[test]
fn formula_parser_corpus() {
    replay("formula_parser", targets::formula_parser);
}

#[test]
fn pipeline_corpus() {
    replay("pipeline", targets::pipeline);
}

#[test]
fn workbook_reader_corpus() {
    replay("workbook_reader", targets::workbook_reader);
}

#[test]
fn sav_reader_corpus() {
    replay("sav_reader", targets::sav_reader);
}
