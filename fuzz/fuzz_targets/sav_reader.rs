//! Fuzz target `sav_reader`: see `sav_reader` in fuzz/targets.rs for what the input means.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::sav_reader(data));
