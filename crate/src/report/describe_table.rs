//! The per-occasion descriptives as text, in the layout of the reference study's Table 1: one row
//! per occasion, for each variable n, M, SD and the mean (SD) absolute within-person change from
//! the previous occasion, then each variable's missing values over all occasions.

use super::fixed;
use super::table::{Align, TextTable};
use crate::describe::{Description, OccasionStats, VariableDescription};

/// Columns per variable: n, M, SD, change M (SD).
const COLUMNS_PER_VARIABLE: usize = 4;

/// The whole descriptives report as text, ending in a newline. Means and SDs have two decimals,
/// as APA tables usually do; an occasion where a variable was never observed shows `-`.
pub fn describe_text(description: &Description) -> String {
    let mut out = format!(
        "Descriptives by occasion: {} persons ({}), {} occasions ({})\n\n",
        description.persons,
        description.id,
        description.occasions.len(),
        description.time
    );

    let mut align = vec![Align::Left];
    for _ in &description.variables {
        align.extend([Align::Right, Align::Right, Align::Right, Align::Left]);
    }
    let mut table = TextTable::new(align).gap(2);
    let mut header = vec![description.time.clone()];
    for _ in &description.variables {
        header.extend(["n", "M", "SD", "change M (SD)"].map(String::from));
    }
    table.push(header);
    for &time in &description.occasions {
        let mut row = vec![format_time(time)];
        for variable in &description.variables {
            row.extend(occasion_cells(find_occasion(variable, time)));
        }
        table.push(row);
    }

    out.push_str(&variable_names_line(&table, description));
    out.push_str(&table.render());
    out.push_str(
        "\nchange = absolute change |x(t) - x(t-1)| within a person from the previous occasion\n",
    );
    out.push_str("\nOverall (all occasions):\n");
    for variable in &description.variables {
        out.push_str(&overall_line(variable));
    }
    out
}

/// A line with each variable's name above its first column, so the blocks can be told apart.
fn variable_names_line(table: &TextTable, description: &Description) -> String {
    let offsets = table.offsets();
    let mut line = String::new();
    for (i, variable) in description.variables.iter().enumerate() {
        let start = offsets
            .get(1 + i * COLUMNS_PER_VARIABLE)
            .copied()
            .unwrap_or(0);
        let width = line.chars().count();
        // A name longer than its block pushes the next one right rather than overwriting it.
        let pad = if width == 0 {
            start
        } else {
            start.saturating_sub(width).max(2)
        };
        line.push_str(&" ".repeat(pad));
        line.push_str(&variable.variable);
    }
    line.push('\n');
    line
}

/// The statistics of `variable` at `time`, if that occasion is in its list.
fn find_occasion(variable: &VariableDescription, time: f64) -> Option<&OccasionStats> {
    variable.occasions.iter().find(|o| o.time == time)
}

/// n, M, SD and change M (SD) of one variable at one occasion.
fn occasion_cells(stats: Option<&OccasionStats>) -> [String; COLUMNS_PER_VARIABLE] {
    let Some(stats) = stats else {
        return ["0", "-", "-", "-"].map(String::from);
    };
    let change = match (stats.change_mean, stats.change_sd) {
        (Some(mean), Some(sd)) => format!("{} ({})", fixed(mean, 2), fixed(sd, 2)),
        (Some(mean), None) => format!("{} (-)", fixed(mean, 2)),
        _ => "-".to_string(),
    };
    [
        stats.n.to_string(),
        optional(stats.mean),
        optional(stats.sd),
        change,
    ]
}

/// `wai: n = 1400, M = 4.21, SD = 1.10; missing 61 of 1461 (4.2%)`.
fn overall_line(variable: &VariableDescription) -> String {
    format!(
        "  {}: n = {}, M = {}, SD = {}; missing {} of {} ({}%)\n",
        variable.variable,
        variable.n,
        optional(variable.mean),
        optional(variable.sd),
        variable.missing,
        variable.n + variable.missing,
        fixed(variable.missing_percent, 1)
    )
}

/// Two decimals, or `-` when there is no value.
fn optional(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| fixed(v, 2))
}

/// Occasions as the data have them: `3`, `2.5`.
fn format_time(time: f64) -> String {
    if time.is_finite() && time.fract() == 0.0 && time.abs() < 1e15 {
        format!("{time:.0}")
    } else {
        format!("{time}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occasion(
        time: f64,
        n: usize,
        mean: f64,
        sd: f64,
        change: Option<(f64, f64)>,
    ) -> OccasionStats {
        OccasionStats {
            time,
            n,
            mean: Some(mean),
            sd: Some(sd),
            missing: 2 - n.min(2),
            missing_percent: 0.0,
            change_n: if change.is_some() { n } else { 0 },
            change_mean: change.map(|c| c.0),
            change_sd: change.map(|c| c.1),
        }
    }

    fn description() -> Description {
        Description {
            id: "id".into(),
            time: "week".into(),
            persons: 2,
            occasions: vec![1.0, 2.0],
            variables: vec![
                VariableDescription {
                    variable: "wai".into(),
                    n: 4,
                    mean: Some(4.5),
                    sd: Some(1.290994),
                    missing: 0,
                    missing_percent: 0.0,
                    cells: 4,
                    occasions: vec![
                        occasion(1.0, 2, 3.5, 0.708, None),
                        occasion(2.0, 2, 5.5, 0.708, Some((2.0, 0.0))),
                    ],
                },
                VariableDescription {
                    variable: "spin".into(),
                    n: 3,
                    mean: Some(10.0),
                    sd: Some(-0.0),
                    missing: 1,
                    missing_percent: 25.0,
                    cells: 4,
                    occasions: vec![occasion(1.0, 2, 10.0, 0.0, None)],
                },
            ],
        }
    }

    #[test]
    fn table_one_layout() {
        let text = describe_text(&description());
        let expected = "\
Descriptives by occasion: 2 persons (id), 2 occasions (week)

      wai                           spin
week  n     M    SD  change M (SD)  n      M    SD  change M (SD)
1     2  3.50  0.71  -              2  10.00  0.00  -
2     2  5.50  0.71  2.00 (0.00)    0      -     -  -

change = absolute change |x(t) - x(t-1)| within a person from the previous occasion

Overall (all occasions):
  wai: n = 4, M = 4.50, SD = 1.29; missing 0 of 4 (0.0%)
  spin: n = 3, M = 10.00, SD = 0.00; missing 1 of 4 (25.0%)
";
        assert_eq!(text, expected);
    }

    #[test]
    fn times_print_as_in_the_data() {
        assert_eq!(format_time(3.0), "3");
        assert_eq!(format_time(-1.0), "-1");
        assert_eq!(format_time(2.5), "2.5");
        assert_eq!(format_time(f64::NAN), "NaN");
    }
}
