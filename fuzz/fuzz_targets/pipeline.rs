//! Fuzz target `pipeline`: see `pipeline` in fuzz/targets.rs for what the input means.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::pipeline(data));
