//! Times each pipeline stage on a CSV file: `cargo run --release --example stages -- FILE FORMULA ID TIME`.
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
    let design = lagmix::design::build_design(&spec, &frame, &panel).expect("design");
    let t3 = t.elapsed();
    let mut model = lagmix::model::LinearMixedModel::new(design.clone()).expect("model");
    let t4 = t.elapsed();
    let opt = lagmix::fit::fit_model(&mut model, true);
    let t5 = t.elapsed();
    let res = lagmix::inference::fit_and_infer(&spec, design, &lagmix::ModelOptions::new(&a[2]))
        .expect("fit");
    let t6 = t.elapsed();
    println!(
        "frame {t1:?} panel {:?} design {:?} model {:?} fit {:?} ({} evals) full-infer {:?} df {}",
        t2 - t1,
        t3 - t2,
        t4 - t3,
        t5 - t4,
        opt.evaluations,
        t6 - t5,
        res.fixed[1].df
    );
}
