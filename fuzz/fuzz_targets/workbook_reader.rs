//! Fuzz target `workbook_reader`: see `workbook_reader` in fuzz/targets.rs for what the input means.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::workbook_reader(data));
