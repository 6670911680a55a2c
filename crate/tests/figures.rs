//! The figure data of the example panel (`describe::figure_data`) against R
//! (tests/reference/figures_reference.R): per-week means and their t-based 95% CIs, the person
//! means of the between-person association and the within-person deviations, to 1e-9; the
//! trajectory sample as documented.

use lagmix::describe::{figure_data, MAX_TRAJECTORIES};
use lagmix::{DataOptions, Dataset};
use serde_json::Value;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + b.abs())
}

#[test]
fn the_example_figures_match_r() {
    let data = std::fs::read(root().join("www/example/trial.csv")).unwrap();
    let options = DataOptions {
        id: Some("id".into()),
        time: Some("week".into()),
        ..DataOptions::default()
    };
    let dataset = Dataset::parse(&data, &options).unwrap();
    let want: Value =
        serde_json::from_slice(&std::fs::read(root().join("tests/figures/example.json")).unwrap())
            .unwrap();
    let vars = ["spin".to_string(), "wai".to_string()];
    let got = figure_data(&dataset.frame, &dataset.panel, &vars, Some(("wai", "spin"))).unwrap();
    assert_eq!(got.persons as u64, want["persons"].as_u64().unwrap());
    for v in &got.variables {
        let expected = want["means"][&v.variable].as_array().unwrap();
        assert_eq!(v.means.len(), expected.len());
        for (m, e) in v.means.iter().zip(expected) {
            assert_eq!(m.n as u64, e["n"].as_u64().unwrap());
            for (g, key) in [
                (m.mean, "mean"),
                (m.ci_lower, "ciLower"),
                (m.ci_upper, "ciUpper"),
            ] {
                assert!(
                    close(g.unwrap(), e[key].as_f64().unwrap()),
                    "{} week {} {key}",
                    v.variable,
                    m.time
                );
            }
        }
        // 182 persons: more than the sample, so evenly spaced persons are drawn.
        assert_eq!(v.trajectories.len(), MAX_TRAJECTORIES);
        assert!(v
            .trajectories
            .iter()
            .all(|t| t.times.windows(2).all(|w| w[0] < w[1])));
    }
    assert_eq!(got.sampled_persons, MAX_TRAJECTORIES);
    let a = got.association.unwrap();
    assert_eq!(a.within_rows as u64, want["withinRows"].as_u64().unwrap());
    // Every row is in the scatter (fewer rows than MAX_POINTS), in row order.
    assert_eq!(a.within.len(), a.within_rows);
    let first = want["withinFirst"].as_array().unwrap();
    assert!(
        close(a.within[0][0], first[0].as_f64().unwrap())
            && close(a.within[0][1], first[1].as_f64().unwrap())
    );
    let sums = want["withinSums"].as_array().unwrap();
    let (sx, sy) = a
        .within
        .iter()
        .fold((0.0, 0.0), |(x, y), p| (x + p[0], y + p[1]));
    assert!(
        (sx - sums[0].as_f64().unwrap()).abs() < 1e-8
            && (sy - sums[1].as_f64().unwrap()).abs() < 1e-8
    );
    let between = want["between"].as_array().unwrap();
    assert_eq!(a.between.len(), between.len());
    for (g, e) in a.between.iter().zip(between) {
        assert!(close(g[0], e[0].as_f64().unwrap()) && close(g[1], e[1].as_f64().unwrap()));
    }
}

#[test]
fn figure_data_names_a_bad_variable() {
    let csv = b"id,week,y,g\n1,0,1,a\n1,1,2,b\n2,0,3,a\n2,1,5,b\n";
    let options = DataOptions {
        id: Some("id".into()),
        time: Some("week".into()),
        ..DataOptions::default()
    };
    let dataset = Dataset::parse(csv, &options).unwrap();
    let error = figure_data(
        &dataset.frame,
        &dataset.panel,
        &["y".into()],
        Some(("g", "y")),
    )
    .unwrap_err();
    assert!(error.to_string().contains("'g' is text"), "{error}");
    let error = figure_data(&dataset.frame, &dataset.panel, &["yy".into()], None).unwrap_err();
    assert!(error.to_string().contains("did you mean 'y'"), "{error}");
}

#[test]
fn large_panels_are_sampled_as_stated() {
    use lagmix::describe::MAX_POINTS;
    let mut csv = String::from("id,week,x,y\n");
    for person in 0..1500 {
        for week in 0..3 {
            csv.push_str(&format!(
                "{person},{week},{},{}\n",
                (person * 7 + week * 3) % 11,
                (person + week * 5) % 13
            ));
        }
    }
    let options = DataOptions {
        id: Some("id".into()),
        time: Some("week".into()),
        ..DataOptions::default()
    };
    let dataset = Dataset::parse(csv.as_bytes(), &options).unwrap();
    let got = figure_data(
        &dataset.frame,
        &dataset.panel,
        &["y".into()],
        Some(("x", "y")),
    )
    .unwrap();
    assert_eq!(got.sampled_persons, MAX_TRAJECTORIES);
    assert_eq!(got.variables[0].trajectories.len(), MAX_TRAJECTORIES);
    assert_eq!(got.variables[0].trajectories[1].person, "15");
    let a = got.association.unwrap();
    assert_eq!(a.within_rows, 4500);
    assert!(
        a.within.len() <= MAX_POINTS && a.within.len() >= MAX_POINTS / 2,
        "{}",
        a.within.len()
    );
    assert_eq!(a.between.len(), 1500);
}
