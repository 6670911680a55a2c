//! Summary tests on a hand-built result: lme4's sleepstudy fit
//! `Reaction ~ Days + (Days | Subject)` (numbers as printed by lme4 1.1-31 / lmerTest 3.1-3).

use super::*;
use crate::result::{GroupInfo, MissingCount, Optimization, VarianceShare, R2};

fn varcorr(
    group: &str,
    var1: Option<&str>,
    var2: Option<&str>,
    vcov: f64,
    sdcor: f64,
) -> VarCorrRow {
    VarCorrRow {
        group: group.into(),
        var1: var1.map(Into::into),
        var2: var2.map(Into::into),
        vcov,
        sdcor,
    }
}

fn effect(term: &str, estimate: f64, se: f64, df: f64, t: f64, p: f64) -> FixedEffect {
    FixedEffect {
        term: term.into(),
        estimate,
        se,
        df,
        t,
        p,
        ci_lower: estimate - 2.109816 * se,
        ci_upper: estimate + 2.109816 * se,
    }
}

pub(crate) fn sleepstudy() -> FitResult {
    FitResult {
        formula: "Reaction ~ Days + (Days | Subject)".into(),
        response: "Reaction".into(),
        method: "REML".into(),
        df_method: "Satterthwaite".into(),
        nobs: 180,
        total_rows: 183,
        dropped_rows: 3,
        missing_by_variable: vec![
            MissingCount {
                variable: "Reaction".into(),
                rows: 2,
            },
            MissingCount {
                variable: "Days".into(),
                rows: 1,
            },
        ],
        groups: vec![GroupInfo {
            name: "Subject".into(),
            levels: 18,
        }],
        fixed: vec![
            effect("(Intercept)", 251.405, 6.825, 17.0, 36.838, 1.17e-17),
            effect("Days", 10.467, 1.546, 17.0, 6.771, 3.26e-06),
        ],
        anova: vec![crate::inference::anova::AnovaRow {
            term: "Days".into(),
            num_df: 1.0,
            den_df: 17.0,
            f: 45.853,
            p: 3.26e-6,
        }],
        varcorr: vec![
            varcorr("Subject", Some("(Intercept)"), None, 612.10, 24.741),
            varcorr("Subject", Some("Days"), None, 35.07, 5.922),
            varcorr("Subject", Some("(Intercept)"), Some("Days"), 9.60, 0.066),
            varcorr("Residual", None, None, 654.94, 25.592),
        ],
        reml_criterion: Some(1743.628),
        log_lik: -871.814,
        aic: 1755.628,
        bic: 1774.786,
        deviance: 1743.628,
        npar: 4,
        icc: None,
        sigma: 25.592,
        theta: vec![0.967, 0.015, 0.231],
        singular: false,
        converged: true,
        optimization: Optimization {
            optimizer: "bounded Nelder-Mead".into(),
            initial_theta: vec![1.0, 0.0, 1.0],
            final_theta: vec![0.967, 0.015, 0.231],
            evaluations: 123,
            objective: 1743.628,
            converged: true,
            message: String::new(),
        },
        vcov: vec![vec![46.57, -1.4], vec![-1.4, 2.39]],
        r2: R2 {
            marginal: 0.279,
            conditional: Some(0.799),
            var_fixed: 908.95,
            var_random: Some(1698.08),
            var_residual: 654.94,
            slopes_left_out: vec![],
            note: None,
        },
        variance_shares: vec![
            VarianceShare {
                group: "Subject".into(),
                variance: 1698.08,
                share: 0.722,
            },
            VarianceShare {
                group: "Residual".into(),
                variance: 654.94,
                share: 0.278,
            },
        ],
        random_effects: vec![],
        warnings: vec!["3 rows were left out because of missing values.".into()],
        residual_correlation: None,
    }
}

#[test]
fn header_names_the_method_and_the_df() {
    let text = summary_text(&sleepstudy());
    assert!(text.starts_with(
        "Linear mixed model fit by REML. t-tests use Satterthwaite's method\n\
         Formula: Reaction ~ Days + (Days | Subject)\n\n\
         REML criterion at convergence: 1743.6\n"
    ));
    let mut ml = sleepstudy();
    ml.method = "ML".into();
    ml.df_method = "residual".into();
    let text = summary_text(&ml);
    assert!(text.starts_with(
        "Linear mixed model fit by maximum likelihood. t-tests use residual degrees of freedom"
    ));
    assert!(!text.contains("REML criterion"));
    assert!(!text.contains("refit with --ml"));
}

#[test]
fn fit_statistics_table() {
    let text = summary_text(&sleepstudy());
    assert!(text.contains("    AIC    BIC logLik deviance\n 1755.6 1774.8 -871.8   1743.6\n"));
}

#[test]
fn random_effects_are_laid_out_like_lme4() {
    assert_eq!(
        random_effects_table(&sleepstudy().varcorr),
        " Groups   Name        Variance Std.Dev. Corr\n \
         Subject  (Intercept)   612.10   24.741\n          \
         Days           35.07    5.922 0.07\n \
         Residual               654.94   25.592\n"
    );
}

#[test]
fn random_intercept_only_has_no_corr_column() {
    let rows = vec![
        varcorr("id", Some("(Intercept)"), None, 0.25, 0.5),
        varcorr("Residual", None, None, 1.0, 1.0),
    ];
    assert_eq!(
        random_effects_table(&rows),
        " Groups   Name        Variance Std.Dev.\n \
         id       (Intercept)   0.2500   0.5000\n \
         Residual               1.0000   1.0000\n"
    );
}

#[test]
fn observations_groups_and_dropped_rows() {
    let text = summary_text(&sleepstudy());
    assert!(text.contains("Number of obs: 180, groups: Subject, 18\n"));
    assert!(text.contains("Rows left out: 3 of 183 (missing values: see Warnings)\n"));
    let mut two = sleepstudy();
    two.groups.push(GroupInfo {
        name: "site".into(),
        levels: 3,
    });
    two.dropped_rows = 0;
    let text = summary_text(&two);
    assert!(text.contains("groups: Subject, 18; site, 3\n"));
    assert!(!text.contains("Rows left out"));
}

#[test]
fn fixed_effects_table_aligns_and_stars() {
    let table = fixed_effects_table(&sleepstudy().fixed);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[0],
        "            Estimate Std. Error   df t value Pr(>|t|)     95% CI"
    );
    assert_eq!(
        lines[1],
        "(Intercept)  251.405      6.825 17.0  36.838  < 2e-16 *** [237.006, 265.804]"
    );
    assert_eq!(
        lines[2],
        "Days          10.467      1.546 17.0   6.771 3.26e-06 *** [  7.205,  13.729]"
    );
}

#[test]
fn table_p_values_follow_r() {
    assert_eq!(table_p(1e-20), "< 2e-16");
    assert_eq!(table_p(3.256e-6), "3.26e-06");
    assert_eq!(table_p(0.03841), "0.0384");
    assert_eq!(table_p(0.5), "0.500");
    assert_eq!(table_p(f64::NAN), "NA");
    assert_eq!(scientific(1.5e12, 1), "1.5e+12");
    assert_eq!(stars(0.04), "*");
    assert_eq!(stars(0.2), "");
}

#[test]
fn warnings_and_apa_lines_with_the_intercept_last() {
    let text = summary_text(&sleepstudy());
    assert!(text.contains("Warnings:\n  - 3 rows were left out because of missing values.\n"));
    let apa = text
        .split("APA-style results:\n")
        .nth(1)
        .unwrap_or_default();
    let lines: Vec<&str> = apa.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("  Days: B = 10.467, SE = 1.546, t(17) = 6.77, p < .001"));
    assert!(lines[1].starts_with("  (Intercept): B = 251.405"));
}

#[test]
fn convergence_failure_is_visible() {
    let mut fit = sleepstudy();
    fit.converged = false;
    fit.optimization.converged = false;
    fit.optimization.message = "maximum evaluations reached".into();
    assert!(summary_text(&fit).contains(
        "Optimizer: bounded Nelder-Mead, 123 evaluations, did NOT converge (maximum evaluations reached)\n"
    ));
}

#[test]
#[ignore = "prints the summary for eyeballing: cargo test -p lagmix --lib show_summary -- --ignored --nocapture"]
fn show_summary() {
    print!("{}", summary_text(&sleepstudy()));
}

#[test]
fn long_warnings_wrap_with_a_hanging_indent() {
    assert_eq!(
        wrap("aaa bbb ccc dddddddd e", 10, "  - ", "    "),
        "  - aaa\n    bbb\n    ccc\n    dddddddd\n    e\n"
    );
    assert_eq!(wrap("short one", 40, "  - ", "    "), "  - short one\n");
    let mut fit = sleepstudy();
    fit.warnings = vec!["word ".repeat(60)];
    let text = summary_text(&fit);
    let block = text.split("Warnings:\n").nth(1).unwrap_or_default();
    let lines: Vec<&str> = block.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 4, "{block}");
    assert!(lines.iter().all(|l| l.chars().count() <= WRAP_WIDTH));
    assert!(lines[0].starts_with("  - word") && lines[1].starts_with("    word"));
}

#[test]
fn r2_and_variance_shares_are_shown_next_to_the_random_effects() {
    let mut fit = sleepstudy();
    let text = summary_text(&fit);
    assert!(text.contains("R² (Nakagawa): marginal 0.279 (fixed effects), conditional 0.799"));
    // One grouping factor: its share is the ICC-like split already shown, so no shares line.
    assert!(!text.contains("Variance shares"));
    fit.r2.conditional = None;
    fit.variance_shares.insert(
        1,
        VarianceShare {
            group: "Day:Subject".into(),
            variance: 1.0,
            share: 0.5,
        },
    );
    let text = summary_text(&fit);
    assert!(text.contains("no conditional R² (singular fit, see the warnings)"));
    assert!(text.contains("Subject 72.2%, Day:Subject 50.0%, Residual 27.8%"));
}

#[test]
fn type_three_tests_follow_the_fixed_effects_and_name_their_df() {
    let text = summary_text(&sleepstudy());
    let block = "\nType III tests of fixed effects, F tests with Satterthwaite's method:\n     \
                 NumDF DenDF F value   Pr(>F)\nDays     1 17.00 45.8530 3.26e-06 ***\n";
    assert!(text.contains(block), "{text}");
    assert!(text.find("Fixed effects:") < text.find("Type III"));
    let mut kr = sleepstudy();
    kr.df_method = "kenward-roger".into();
    assert!(summary_text(&kr).contains("F tests with Kenward-Roger's method"));
    kr.anova.clear();
    assert!(!summary_text(&kr).contains("Type III"));
}

#[test]
fn a_residual_correlation_is_named_with_phi() {
    let mut fit = sleepstudy();
    fit.residual_correlation = Some(crate::result::ResidualCorrelation {
        structure: "ar1".into(),
        phi: 0.4321,
        time: "Days".into(),
        at_boundary: false,
        optimizer: "Brent".into(),
        lower: -0.9999,
        upper: 0.9999,
        evaluations: 12,
    });
    let text = summary_text(&fit);
    assert!(
        text.contains("Residual correlation: AR(1) within person over `Days`, phi = 0.432"),
        "{text}"
    );
    assert!(
        text.contains("Residuals within person were modelled as AR(1) over Days (phi = .43)."),
        "{text}"
    );
}
