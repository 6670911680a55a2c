//! Term and response names against R: tests/reference/deparse.R recorded, for formulas with
//! arithmetic, what R's `deparse()` makes of the response and the term labels `terms()` gives (in
//! its order), which are the names lme4 prints. lagmix must name every one the same.

use serde_json::Value;
use std::path::Path;

#[test]
fn names_are_those_r_gives() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/reference/deparse.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let recorded: Value = serde_json::from_str(&text).expect("deparse.json is JSON");
    let cases = recorded["cases"].as_array().expect("a list of cases");
    assert!(cases.len() >= 25, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let formula = case["formula"].as_str().expect("formula text");
        let spec = match lagmix::formula::parse_formula(formula) {
            Ok(spec) => spec,
            Err(e) => {
                failures.push(format!("{formula}: {e}"));
                continue;
            }
        };
        let terms: Vec<String> = spec.terms.iter().map(|t| t.name()).collect();
        let want: Vec<String> = case["terms"]
            .as_array()
            .expect("term labels")
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect();
        if terms != want {
            failures.push(format!("{formula}: terms {terms:?}, R {want:?}"));
        }
        let response = spec.response.name();
        if response != case["response"].as_str().unwrap_or_default() {
            failures.push(format!(
                "{formula}: response {response}, R {}",
                case["response"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
