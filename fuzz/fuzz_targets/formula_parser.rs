//! Fuzz target `formula_parser`: see `formula_parser` in fuzz/targets.rs for what the input means.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::formula_parser(data));
