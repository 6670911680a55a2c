//! Times each pipeline stage on a CSV file:
//! `cargo run --release --example stages -- FILE FORMULA ID TIME [ar1|car1]`.
use std::time::Instant;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&a[1]).expect("file");
    let t = Instant::now();
    let frame = lagmix::frame::Frame::from_csv(&bytes, &Default::default()).expect("frame");
    let t1 = t.elapsed();
    let panel = lagmix::frame::Panel::new(&frame, Some(&a[3]), Some(&a[4])).expect("panel");
    let t2 = t.elapsed();
    let spec = lagmix::formula::parse_formula(&a[2]).expect("formula");
    // An optional fifth argument: a residual correlation (`ar1`, `car1`).
    let structure = a
        .get(5)
        .and_then(|s| lagmix::ResidualStructure::parse(s))
        .unwrap_or_default();
    let options = lagmix::ModelOptions::new(&a[2]).with_correlation(structure);
    let design = if structure == lagmix::ResidualStructure::Identity {
        lagmix::design::build_design(&spec, &frame, &panel).expect("design")
    } else {
        lagmix::design::build_panel_design(&spec, &frame, &panel).expect("design")
    };
    let t3 = t.elapsed();
    let mut model = lagmix::model::LinearMixedModel::with_correlation(design.clone(), structure)
        .expect("model");
    let t4 = t.elapsed();
    let evaluations = if structure == lagmix::ResidualStructure::Identity {
        lagmix::fit::fit_model(&mut model, true).evaluations
    } else {
        let bounds = structure.phi_bounds();
        let closed = structure == lagmix::ResidualStructure::Car1;
        let (opt, _) = lagmix::fit::fit_correlated(&mut model, true, bounds, closed).expect("fit");
        opt.evaluations
    };
    let t5 = t.elapsed();
    let res = lagmix::inference::fit_and_infer(&spec, design, &options).expect("fit");
    let t6 = t.elapsed();
    println!(
        "frame {t1:?} panel {:?} design {:?} model {:?} fit {:?} ({} evals) full-infer {:?} df {}",
        t2 - t1,
        t3 - t2,
        t4 - t3,
        t5 - t4,
        evaluations,
        t6 - t5,
        res.fixed[1].df
    );
}
