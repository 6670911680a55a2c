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

/// Small CSV-like texts: a header of names such as `x_1`, `y.w2`, `id`, then rows of numbers,
/// empty cells and words.
fn messy_csv() -> impl Strategy<Value = String> {
    let name = "(id|pid|[a-z]{1,3}[_.]?[a-z]?[0-9]{0,2}|[a-z][0-9]_w[0-9])";
    let cell = "(|NA|-?[0-9]{1,2}(\\.[0-9])?|[a-z]{1,3})";
    (prop::collection::vec(name, 1..8), 1usize..6)
        .prop_flat_map(move |(names, rows)| {
            let width = names.len();
            let row = prop::collection::vec(cell, width..=width);
            (Just(names), prop::collection::vec(row, rows..=rows))
        })
        .prop_map(|(names, rows)| {
            let mut text = names.join(",") + "\n";
            for row in rows {
                text += &(row.join(",") + "\n");
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    /// Whatever the table, reshaping (with the guess, or the first column as id) and alpha over
    /// every pair of columns give a result or an error, never a panic.
    #[test]
    fn messy_tables_never_panic(csv in messy_csv(), pattern in "(\\(\\?P<stub>[a-z.+*]{1,4}\\))?_?(\\(\\?P<occasion>\\\\d\\+\\))?") {
        let Ok(table) = read_csv(csv.as_bytes(), &CsvOptions::default()) else {
            return Ok(());
        };
        let id = detect_wide(&table).map(|g| g.id).unwrap_or_else(|| table.names[0].clone());
        for pattern in [None, Some(pattern.clone())] {
            let options = ReshapeOptions { pattern, ..ReshapeOptions::new(&id, "time") };
            if let Ok(long) = reshape(&table, &options) {
                let text = write_csv(&long.table);
                prop_assert!(read_csv(text.as_bytes(), &CsvOptions::default()).is_ok() || long.table.nrows() == 0);
            }
        }
        let Ok(frame) = lagmix::frame::Frame::from_csv(csv.as_bytes(), &Default::default()) else {
            return Ok(());
        };
        let panel = lagmix::frame::Panel::new(&frame, Some(&frame.names[0]), None).expect("id column exists");
        let options = lagmix::reliability::ItemOptions {
            items: frame.names.iter().skip(1).cloned().collect(),
            reverse: frame.names.iter().skip(2).take(1).cloned().collect(),
            range: None,
        };
        let _ = lagmix::reliability::reliability(&frame, &panel, &options);
    }
}
