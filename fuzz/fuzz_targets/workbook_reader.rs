//! Fuzz target `workbook_reader`: see `workbook_reader` in fuzz/targets.rs for what the input means.
//!
//! calamine panics on some crafted files; `read_workbook` catches those (natively; in wasm they
//! trap and the page restarts its worker) and returns a message. libFuzzer's panic hook would
//! abort before that catch, so this target puts back a silent hook: a panic that reaches the
//! harness (one in lagmix's own code) still aborts there.
//!
//! .xls inputs (OLE compound files) are fuzzed too: lagmix reassembles their Workbook stream and
//! bounds the grids calamine lays out before calamine reads them (crate/src/workbook/biff.rs),
//! so a crafted file with cells far apart is refused instead of reserving gigabytes; run with
//! `-rss_limit_mb=2048` to catch any allocation that still escapes.
#![no_main]

#[path = "../targets.rs"]
mod targets;

static QUIET: std::sync::Once = std::sync::Once::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    targets::workbook_reader(data)
});
