//! Round trips of `reshape` on random panels: a long panel (persons x occasions, absent rows,
//! empty cells, a person-level column) written wide by hand, then reshaped back, gives the long
//! rows again (in person then occasion order) minus the occasions where every measure was
//! missing; with `keep_empty`, every person has every occasion.

use lagmix::csv::{read_csv, CsvOptions};
use lagmix::reshape::{detect_wide, reshape, write_csv, ReshapeOptions};
use proptest::prelude::*;

/// A person's (y, z) at each occasion, each possibly missing.
type Person = Vec<(Option<i32>, Option<i32>)>;

/// The occasions and `cells[person][occasion]`.
fn panel() -> impl Strategy<Value = (Vec<u32>, Vec<Person>)> {
    let times =
        prop::collection::btree_set(0u32..40, 2..6).prop_map(|s| s.into_iter().collect::<Vec<_>>());
    times.prop_flat_map(|times| {
        let n = times.len();
        let cell = (
            prop::option::weighted(0.8, -50i32..50),
            prop::option::weighted(0.7, 0i32..9),
        );
        let person = prop::collection::vec(cell, n);
        (Just(times), prop::collection::vec(person, 1..8))
    })
}

fn text(v: Option<i32>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn wide_then_long_gives_the_long_rows((times, cells) in panel(), keep_empty in any::<bool>()) {
        let mut wide = String::from("pid,group");
        for measure in ["y", "z"] {
            for t in &times {
                wide.push_str(&format!(",{measure}_{t}"));
            }
        }
        wide.push('\n');
        let mut long = String::from("pid,week,group,y,z\n");
        for (p, person) in cells.iter().enumerate() {
            let group = if p % 2 == 0 { "a" } else { "b" };
            wide.push_str(&format!("P{p},{group}"));
            for k in 0..2 {
                for (y, z) in person {
                    wide.push_str(&format!(",{}", text(if k == 0 { *y } else { *z })));
                }
            }
            wide.push('\n');
            for (t, (y, z)) in times.iter().zip(person) {
                if keep_empty || y.is_some() || z.is_some() {
                    long.push_str(&format!("P{p},{t},{group},{},{}\n", text(*y), text(*z)));
                }
            }
        }
        let table = read_csv(wide.as_bytes(), &CsvOptions::default()).expect("wide reads");
        let options = ReshapeOptions { keep_empty, ..ReshapeOptions::new("pid", "week") };
        let out = reshape(&table, &options).expect("reshapes");
        prop_assert_eq!(write_csv(&out.table), long);
        prop_assert_eq!(out.summary.persons, cells.len());
        let guess = detect_wide(&table).expect("a wide file is detected");
        prop_assert_eq!(guess.id, "pid");
        prop_assert_eq!(guess.stubs, vec!["y".to_string(), "z".to_string()]);
    }
}
