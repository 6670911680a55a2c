//! The `lagmix` command-line program. OWNER: cli helper.
fn main() {}
