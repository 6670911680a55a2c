//! Plain-text reports: the APA result line, an lmerTest-like model summary and the per-occasion
//! descriptives table (the reference study's Table 1).
//!
//! Everything here turns result values into `String`s and nothing else (no printing, no I/O), so
//! the CLI, the browser and tests all show the same text. Numbers follow the APA 7 manual
//! (section 6.36): statistics that cannot exceed 1 (p) have no leading zero, p below .001 is
//! reported as `p < .001`, and a value that rounds to zero is shown without a minus sign.

mod anova_table;
mod compare_table;
mod describe_table;
mod r_script;
mod reliability_text;
mod summary;
mod table;
mod variance;

use crate::result::FixedEffect;

pub use compare_table::compare_text;
pub use describe_table::describe_text;
pub use r_script::{r_script, r_script_compare, ScriptData};
pub use reliability_text::reliability_text;
pub use summary::summary_text;
pub use variance::random_effects_csv;

/// `x` with `decimals` decimals; `NA` for NaN, `Inf` / `-Inf` for infinities. A value that rounds
/// to zero is printed without its minus sign (`-0.0004` -> `0.000`), because "-0.000" reads as a
/// (tiny) negative effect where there is none at this precision.
pub fn fixed(x: f64, decimals: usize) -> String {
    if x.is_nan() {
        return "NA".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Inf" } else { "-Inf" }.to_string();
    }
    let text = format!("{x:.decimals$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}

/// A p value in APA style: `p < .001` below .001, otherwise `p = .038` (three decimals, no
/// leading zero); `p = NA` when it could not be computed.
pub fn format_p(p: f64) -> String {
    if p.is_nan() {
        return "p = NA".to_string();
    }
    if p < 0.001 {
        return "p < .001".to_string();
    }
    format!("p = {}", no_leading_zero(&fixed(p, 3)))
}

/// Denominator degrees of freedom as APA prints them: a whole number when the df is within 0.05
/// of one (residual and between-within df always are), otherwise one decimal (`37.8`, a
/// Satterthwaite df).
pub fn format_df(df: f64) -> String {
    if !df.is_finite() {
        return fixed(df, 0);
    }
    let whole = df.round();
    if (df - whole).abs() < 0.05 {
        fixed(whole, 0)
    } else {
        fixed(df, 1)
    }
}

/// One fixed effect in the reference study's format:
/// `B = -0.038, SE = 0.011, t(1458) = -3.38, p = .001, 95% CI = -0.060 to -0.016`.
pub fn apa_line(effect: &FixedEffect) -> String {
    format!(
        "B = {}, SE = {}, t({}) = {}, {}, 95% CI = {} to {}",
        fixed(effect.estimate, 3),
        fixed(effect.se, 3),
        format_df(effect.df),
        fixed(effect.t, 2),
        format_p(effect.p),
        fixed(effect.ci_lower, 3),
        fixed(effect.ci_upper, 3),
    )
}

/// [`apa_line`] with the term in front: `within(wai): B = ..., ...`.
pub fn apa_sentence(term: &str, effect: &FixedEffect) -> String {
    format!("{term}: {}", apa_line(effect))
}

/// `0.038` -> `.038`, `-0.5` -> `-.5`; anything else unchanged.
fn no_leading_zero(text: &str) -> String {
    if let Some(rest) = text.strip_prefix("0.") {
        format!(".{rest}")
    } else if let Some(rest) = text.strip_prefix("-0.") {
        format!("-.{rest}")
    } else {
        text.to_string()
    }
}

/// How many decimals give the smallest non-zero finite magnitude in `values` `significant`
/// significant digits, kept within `min..=max`. One count per column keeps decimal points aligned,
/// as R's print methods do.
fn column_decimals(values: &[f64], significant: i32, min: usize, max: usize) -> usize {
    let smallest = values
        .iter()
        .map(|v| v.abs())
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    if !smallest.is_finite() {
        return min;
    }
    let wanted = significant - 1 - smallest.log10().floor() as i32;
    (wanted.max(0) as usize).clamp(min, max)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The reference study's example effect.
    pub(crate) fn effect(term: &str) -> FixedEffect {
        FixedEffect {
            term: term.to_string(),
            estimate: -0.0381,
            se: 0.01127,
            df: 1458.0,
            t: -3.3806,
            p: 0.000746 + 0.0003,
            ci_lower: -0.06021,
            ci_upper: -0.01599,
        }
    }

    #[test]
    fn fixed_drops_the_sign_of_zero() {
        assert_eq!(fixed(-0.0004, 3), "0.000");
        assert_eq!(fixed(-0.0, 2), "0.00");
        assert_eq!(fixed(-0.0006, 3), "-0.001");
        assert_eq!(fixed(1.23456, 2), "1.23");
        assert_eq!(fixed(f64::NAN, 2), "NA");
        assert_eq!(fixed(f64::NEG_INFINITY, 2), "-Inf");
    }

    #[test]
    fn p_values_follow_apa() {
        assert_eq!(format_p(0.0381), "p = .038");
        assert_eq!(format_p(0.00099), "p < .001");
        assert_eq!(format_p(0.001), "p = .001");
        assert_eq!(format_p(0.0), "p < .001");
        assert_eq!(format_p(0.5), "p = .500");
        assert_eq!(format_p(0.99999), "p = 1.000");
        assert_eq!(format_p(f64::NAN), "p = NA");
    }

    #[test]
    fn df_is_whole_when_near_an_integer() {
        assert_eq!(format_df(1458.0), "1458");
        assert_eq!(format_df(1457.97), "1458");
        assert_eq!(format_df(37.8), "37.8");
        assert_eq!(format_df(37.84), "37.8");
        assert_eq!(format_df(f64::NAN), "NA");
    }

    #[test]
    fn apa_line_matches_the_reference_study() {
        assert_eq!(
            apa_line(&effect("within(wai)")),
            "B = -0.038, SE = 0.011, t(1458) = -3.38, p = .001, 95% CI = -0.060 to -0.016"
        );
        assert_eq!(
            apa_sentence("within(wai)", &effect("x")),
            "within(wai): B = -0.038, SE = 0.011, t(1458) = -3.38, p = .001, \
             95% CI = -0.060 to -0.016"
        );
    }

    #[test]
    fn apa_line_with_small_p_fractional_df_and_zero_estimate() {
        let e = FixedEffect {
            term: "x".into(),
            estimate: -0.0002,
            se: 0.1,
            df: 37.81,
            t: -0.002,
            p: 0.0000001,
            ci_lower: -0.2,
            ci_upper: 0.2,
        };
        assert_eq!(
            apa_line(&e),
            "B = 0.000, SE = 0.100, t(37.8) = 0.00, p < .001, 95% CI = -0.200 to 0.200"
        );
    }

    #[test]
    fn column_decimals_give_significant_digits_of_the_smallest() {
        assert_eq!(column_decimals(&[612.1, 35.07, 654.9], 4, 0, 6), 2);
        assert_eq!(column_decimals(&[0.011, 2.0], 4, 1, 6), 5);
        assert_eq!(column_decimals(&[1234.0], 4, 1, 6), 1);
        assert_eq!(column_decimals(&[0.0, f64::NAN], 4, 2, 6), 2);
        assert_eq!(column_decimals(&[1e-12], 4, 1, 6), 6);
    }
}
