//! The reliability report: alpha, standardized alpha and average r, the item table (r.drop,
//! alpha if dropped) as psych prints them, and within- and between-person alpha.

use super::fixed;
use super::table::{Align, TextTable};
use crate::reliability::Alpha;

/// The text `lagmix reliability` prints.
pub fn reliability_text(result: &Alpha) -> String {
    let mut out = format!(
        "Cronbach's alpha = {} (standardized {}, average inter-item r = {})\n\
         {} items, {} rows, {} with every item answered (covariances from pairwise-complete rows, \
         as psych::alpha)\n",
        fixed(result.alpha, 3),
        fixed(result.std_alpha, 3),
        fixed(result.average_r, 3),
        result.items.len(),
        result.nobs,
        result.complete_rows
    );
    if !result.reversed.is_empty() {
        out.push_str(&format!(
            "reverse-keyed ({} + {} - x, the {} range): {}\n",
            super::super::frame::format_number(result.range[0]),
            super::super::frame::format_number(result.range[1]),
            if result.range_declared {
                "declared"
            } else {
                "observed"
            },
            result.reversed.join(", ")
        ));
    }
    out.push('\n');
    let mut table = TextTable::new(vec![
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
    ]);
    table.push(
        [
            "item",
            "n",
            "mean",
            "sd",
            "r.drop",
            "alpha if dropped",
            "std. alpha if dropped",
        ]
        .map(String::from)
        .to_vec(),
    );
    for item in &result.items {
        let name = if item.reversed {
            format!("{} (reversed)", item.item)
        } else {
            item.item.clone()
        };
        table.push(vec![
            name,
            item.n.to_string(),
            fixed(item.mean, 2),
            fixed(item.sd, 2),
            fixed(item.r_drop, 3),
            fixed(item.alpha_if_dropped, 3),
            fixed(item.std_alpha_if_dropped, 3),
        ]);
    }
    out.push_str(&table.gap(2).render());
    if let Some(m) = &result.multilevel {
        out.push_str(&format!(
            "\nWithin-person alpha = {}, between-person alpha = {} (Geldhof, Preacher & Zyphur \
             2014; two-level saturated model by ML as lavaan, {} complete rows of {} persons)\n",
            fixed(m.alpha_within, 3),
            fixed(m.alpha_between, 3),
            m.nobs,
            m.persons
        ));
    }
    for warning in &result.warnings {
        out.push_str(&format!("\nWarning: {warning}\n"));
    }
    out
}
