//! What the format tests share: two fits of the same data are the same to 1e-12.

use lagmix::FitResult;

/// Asserts that `b` is `a` to 1e-12 (relative): observations, the fixed effects' terms (`b`'s
/// named through `term_of_b`, for a column named differently in one file), estimates, SEs and
/// df, and sigma.
pub fn assert_same_fit(a: &FitResult, b: &FitResult, what: &str, term_of_b: fn(&str) -> String) {
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-12 * (1.0 + x.abs());
    assert_eq!(a.nobs, b.nobs, "{what}: nobs");
    let terms_a: Vec<String> = a.fixed.iter().map(|x| x.term.clone()).collect();
    let terms_b: Vec<String> = b.fixed.iter().map(|y| term_of_b(&y.term)).collect();
    assert_eq!(terms_a, terms_b, "{what}");
    for (x, y) in a.fixed.iter().zip(&b.fixed) {
        assert!(
            close(x.estimate, y.estimate),
            "{what} {}: {} vs {}",
            x.term,
            x.estimate,
            y.estimate
        );
        assert!(close(x.se, y.se), "{what} {}: se", x.term);
        assert!(close(x.df, y.df), "{what} {}: df", x.term);
    }
    assert!(close(a.sigma, b.sigma), "{what}: sigma");
}
