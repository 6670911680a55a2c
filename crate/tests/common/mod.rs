//! What the golden tests share: the fixture cases of a directory.

use std::path::{Path, PathBuf};

/// The cases under `tests/<dir>` (relative to the repository root) that have an expected.json,
/// sorted by name, as (name, directory).
pub fn fixture_cases(dir: &str) -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests")
        .join(dir);
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{} exists: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.json").exists())
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            (name, p)
        })
        .collect();
    cases.sort();
    cases
}
