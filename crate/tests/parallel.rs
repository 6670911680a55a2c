//! Batches of evaluations shared out between threads give the bits of one thread: the fit's
//! path, its evaluations, the Satterthwaite derivatives and the conditional covariances of the
//! random effects do not depend on the threads (so the CLI on many cores and the page's
//! one-thread worker report the same numbers).

use lagmix::fit::fit_model;
use lagmix::formula::parse_formula;
use lagmix::inference::satterthwaite::varpar_covariance;
use lagmix::model::LinearMixedModel;
use lagmix::{DataOptions, Dataset, ModelOptions};

/// 320 subjects crossed with 110 items, each pair present with probability about 0.4: the items'
/// block of L is dense (110 x 110), so an evaluation is worth a thread.
fn crossed_csv() -> String {
    let mut csv = String::from("subject,item,x,y\n");
    let mut state: u64 = 20261201;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let item_effect: Vec<f64> = (0..110).map(|_| next() - 0.5).collect();
    for s in 0..320 {
        let u = 2.0 * (next() - 0.5);
        for (i, v) in item_effect.iter().enumerate() {
            if next() < 0.4 {
                let x = next();
                let y = 1.0 + 0.5 * x + u + v + (next() - 0.5);
                csv.push_str(&format!("s{s},i{i},{x},{y}\n"));
            }
        }
    }
    csv
}

fn model(csv: &str, formula: &str) -> LinearMixedModel {
    let data = Dataset::parse(csv.as_bytes(), &DataOptions::default()).expect("reads");
    let options = ModelOptions::new(formula);
    let spec = parse_formula(formula).expect("parses");
    LinearMixedModel::new(data.design(&spec, &options).expect("design")).expect("model")
}

/// Everything the fit and the Satterthwaite derivatives produce, as bits.
fn fit_bits(model: &mut LinearMixedModel) -> Vec<u64> {
    let opt = fit_model(model, true);
    let sigma = model.sigma(true);
    let vc = varpar_covariance(model, &opt.final_theta, sigma, true);
    let mut bits = vec![opt.evaluations as u64, opt.objective.to_bits()];
    bits.extend(opt.final_theta.iter().map(|v| v.to_bits()));
    bits.extend(model.beta().iter().map(|v| v.to_bits()));
    bits.extend(vc.a.iter().map(|v| v.to_bits()));
    for j in &vc.jacobians {
        bits.extend(j.iter().map(|v| v.to_bits()));
    }
    for term in model.conditional_covariances(sigma) {
        bits.extend(term.iter().map(|v| v.to_bits()));
    }
    bits
}

#[test]
fn two_threads_give_the_bits_of_one() {
    let csv = crossed_csv();
    let formula = "y ~ x + (1 | subject) + (1 | item)";
    let mut one = model(&csv, formula);
    one.set_threads(1);
    let mut two = model(&csv, formula);
    two.set_threads(2);
    assert!(
        two.batches_in_parallel(),
        "the test must share its batches out"
    );
    assert!(!one.batches_in_parallel());
    assert_eq!(fit_bits(&mut one), fit_bits(&mut two));
}

#[test]
fn a_batch_gives_each_point_its_own_value() {
    // Points that repeat, that move only the last term, and one on the boundary.
    let csv = crossed_csv();
    let formula = "y ~ x + (1 | subject) + (1 | item)";
    let thetas: Vec<Vec<f64>> = vec![
        vec![1.0, 1.0],
        vec![1.0, 0.5],
        vec![0.7, 0.5],
        vec![1.0, 1.0],
        vec![0.0, 0.3],
        vec![0.7, 0.6],
        vec![1.3, 0.0],
    ];
    let mut alone = model(&csv, formula);
    let expected: Vec<u64> = thetas
        .iter()
        .map(|t| alone.criterion(t, true).to_bits())
        .collect();
    for threads in [1, 2] {
        let mut m = model(&csv, formula);
        m.set_threads(threads);
        let got: Vec<u64> = m
            .at_each(&thetas, |m| m.objective(true))
            .iter()
            .map(|v| v.to_bits())
            .collect();
        assert_eq!(got, expected, "{threads} threads");
    }
}
