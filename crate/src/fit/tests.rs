//! The minimiser on functions that break weak methods: a flat direction, minima on the bound
//! (with the gradient pushing outwards, and with the criterion even in the bounded coordinate as
//! a scalar term's theta is), starts at a saddle and at a local maximum on the bound, and
//! Rosenbrock's curved valley in 2-4 dimensions with and without a binding bound. Each checks
//! the optimum, exact landing on a bound, and an evaluation budget (generous, but a method that
//! falls back to the simplex on these would exceed it).

use super::trust::trust_region;
use super::*;

fn run<F: FnMut(&[f64]) -> f64>(f: F, start: &[f64], lower: &[f64]) -> OptSummary {
    minimize(f, start, lower, &NelderMeadSettings::default())
}

fn rosenbrock(x: &[f64]) -> f64 {
    x.windows(2)
        .map(|w| 100.0 * (w[1] - w[0] * w[0]).powi(2) + (1.0 - w[0]).powi(2))
        .sum()
}

fn assert_near(got: &[f64], want: &[f64], tol: f64, s: &OptSummary) {
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() <= tol, "got {got:?}, want {want:?}: {s:?}");
    }
}

#[test]
fn finds_an_interior_minimum() {
    let f = |x: &[f64]| (x[0] - 1.5).powi(2) + 10.0 * (x[1] + 0.3).powi(2) + 2.0;
    let s = run(f, &[1.0, 0.0], &[0.0, f64::NEG_INFINITY]);
    assert_near(&s.final_theta, &[1.5, -0.3], 1e-6, &s);
    assert!((s.objective - 2.0).abs() < 1e-10);
    assert!(s.converged);
    // A quadratic: one stencil, one Newton step, one stencil to see it is done.
    assert!(s.evaluations <= 15, "{s:?}");
}

#[test]
fn lands_exactly_on_the_boundary() {
    let f = |x: &[f64]| (x[0] + 0.5).powi(2);
    let s = run(f, &[1.0], &[0.0]);
    assert_eq!(s.final_theta[0], 0.0);
    // Pushed outwards in one coordinate, interior in the other, coupled.
    let f = |x: &[f64]| (x[0] + 0.5).powi(2) + (x[1] - 1.0).powi(2) + 0.5 * x[0] * x[1];
    let s = run(f, &[1.0, 1.0], &[0.0, 0.0]);
    assert_eq!(s.final_theta[0], 0.0, "{s:?}");
    assert_near(&s.final_theta, &[0.0, 1.0], 1e-6, &s);
    assert!(s.converged && s.evaluations <= 40, "{s:?}");
}

#[test]
fn an_even_criterion_whose_minimum_is_zero_lands_on_zero() {
    // As a scalar term's theta whose variance wants to be zero: the gradient vanishes at the
    // bound and only the curvature says where the optimum is.
    let f = |x: &[f64]| 3.0 + x[0].powi(2) + x[0].powi(4) + (x[1] - 0.4).powi(2) * (1.0 + x[0]);
    let s = run(f, &[1.0, 1.0], &[0.0, 0.0]);
    assert_eq!(s.final_theta[0], 0.0, "{s:?}");
    assert!((s.final_theta[1] - 0.4).abs() < 1e-6, "{s:?}");
}

#[test]
fn leaves_a_local_maximum_on_the_bound() {
    // Nearly even in x, a maximum at the bound x = 0 and the minimum near 1/sqrt(2): an
    // indefinite start where the gradient (zero but for rounding in a real criterion) pushes
    // outwards, and only the negative curvature says that the optimum is inside.
    let f = |x: &[f64]| x[0].powi(4) - x[0].powi(2) + 1e-7 * x[0];
    let s = run(f, &[0.0], &[0.0]);
    assert_near(&s.final_theta, &[0.5f64.sqrt()], 1e-6, &s);
    assert!(s.converged && s.evaluations <= 40, "{s:?}");
}

#[test]
fn leaves_a_saddle() {
    // The start is a saddle point (zero gradient, curvature -4 along x1): only a method that
    // follows negative curvature moves.
    let f = |x: &[f64]| (x[0] - 1.0).powi(2) + (x[1] * x[1] - 1.0).powi(2);
    let s = run(f, &[1.0, 0.0], &[f64::NEG_INFINITY, f64::NEG_INFINITY]);
    assert!(s.objective < 1e-12, "{s:?}");
    assert!((s.final_theta[1].abs() - 1.0).abs() < 1e-6, "{s:?}");
    assert!(s.converged && s.evaluations <= 60, "{s:?}");
}

#[test]
fn follows_a_flat_direction() {
    // Curvature 1e-4 along x1, 2 along x0: the weakly identified variance of a factor with
    // few levels. A spherical method without scaling takes hundreds of steps here.
    let f = |x: &[f64]| {
        let u = x[1] - 3.0;
        (x[0] - 0.5).powi(2) + 1e-4 * (u * u + 0.1 * u.powi(4)).ln_1p()
    };
    let s = run(f, &[1.0, 1.0], &[0.0, 0.0]);
    assert_near(&s.final_theta, &[0.5, 3.0], 1e-4, &s);
    assert!(s.converged && s.evaluations <= 120, "{s:?}");
}

#[test]
fn rosenbrock_in_two_dimensions() {
    // The valley's condition number is 2,500: a step of 1e-3 leaves an error of a few 1e-6.
    let s = run(
        rosenbrock,
        &[-1.2, 1.0],
        &[f64::NEG_INFINITY, f64::NEG_INFINITY],
    );
    assert_near(&s.final_theta, &[1.0, 1.0], 2e-5, &s);
    assert!(s.objective < 1e-9, "{s:?}");
    assert!(s.converged && s.evaluations <= 300, "{s:?}");
    // A binding bound: the valley floor x1 = x0^2 at x0 = 1.2.
    let s = run(rosenbrock, &[2.0, 1.0], &[1.2, f64::NEG_INFINITY]);
    assert_eq!(s.final_theta[0], 1.2, "{s:?}");
    assert!((s.final_theta[1] - 1.44).abs() < 1e-6, "{s:?}");
}

#[test]
fn rosenbrock_in_three_and_four_dimensions_with_bounds() {
    // Worse conditioned than in two dimensions: the last small step leaves a few 1e-5.
    let s = run(rosenbrock, &[2.0, 0.5, 2.0], &[0.0, 0.0, 0.0]);
    assert_near(&s.final_theta, &[1.0, 1.0, 1.0], 1e-4, &s);
    assert!(s.objective < 1e-8, "{s:?}");
    assert!(s.converged && s.evaluations <= 600, "{s:?}");
    // The last coordinate bounded above its free optimum: x3 = 1.5 exactly, the rest follows.
    let s = run(rosenbrock, &[0.1, 0.1, 0.1, 2.0], &[0.0, 0.0, 0.0, 1.5]);
    assert_eq!(s.final_theta[3], 1.5, "{s:?}");
    let reference = {
        let at = |x2: f64| rosenbrock(&[1.0, 1.0, x2, 1.5]);
        at(1.5f64.sqrt()).min(at(1.2))
    };
    assert!(s.objective <= reference + 1e-9, "{s:?}");
    assert!(s.converged && s.evaluations <= 800, "{s:?}");
}

#[test]
fn the_trust_region_alone_converges_on_the_hard_cases() {
    // Without the simplex fallback: the primary method itself must certify these optima.
    let cases: Vec<(fn(&[f64]) -> f64, Vec<f64>, Vec<f64>)> = vec![
        (rosenbrock, vec![-1.2, 1.0], vec![f64::NEG_INFINITY; 2]),
        (rosenbrock, vec![2.0, 0.5, 2.0], vec![0.0; 3]),
        (|x| x[0].powi(4) - x[0].powi(2), vec![0.0], vec![0.0]),
    ];
    for (mut f, start, lower) in cases {
        let f0 = f(&start);
        let out = trust_region(&mut f, &start, f0, &lower, 0.5, 10_000);
        assert!(out.converged, "from {start:?}: {:?} f {}", out.x, out.f);
    }
}
