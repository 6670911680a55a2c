//! Numbers with a few cells of text: a column meant as numbers that reads as categories.
//!
//! A column is numeric only when every non-missing cell is a number (as in R's `read.csv`), so
//! one typo (`5"1`), a thousands separator (`1,234.5`) or a word used as a missing code (`n/a`)
//! turns a rating into a factor with one level per distinct value. The model still fits, with
//! a coefficient per value and nonsense tests, and nothing says why. A researcher always wants
//! to hear about the cell instead, so such a column used as a variable is an error naming the
//! line and the value; `factor(x)` still treats it as categories on purpose.

use super::TransformError;
use crate::formula::Expr;
use crate::frame::{Column, Frame, TextColumn};

/// Checks every column read as a number inside `expr` (not those inside `factor()`).
/// Errors: [`TransformError::MostlyNumbers`] for a text column whose distinct values are almost
/// all numbers.
pub fn check_numbers_column(expr: &Expr, frame: &Frame) -> Result<(), TransformError> {
    match expr {
        Expr::Column(name) => match frame.column(name) {
            Some(Column::Text(text)) => check_text(name, text, frame),
            _ => Ok(()),
        },
        Expr::Factor(_) => Ok(()),
        other => other
            .children()
            .into_iter()
            .try_for_each(|e| check_numbers_column(e, frame)),
    }
}

/// True when `cell` reads as a number (with a decimal comma in semicolon files).
fn reads_as_number(cell: &str, decimal_comma: bool) -> bool {
    let cell = cell.trim();
    if cell.parse::<f64>().is_ok_and(|v| !v.is_nan()) {
        return true;
    }
    decimal_comma
        && cell.matches(',').count() == 1
        && !cell.contains('.')
        && cell.replace(',', ".").parse::<f64>().is_ok()
}

/// `1,234` or `1,234.5` (or `1.234,5` when the decimal mark is a comma).
fn has_thousands_separator(cell: &str, decimal_comma: bool) -> bool {
    let (group, decimal) = if decimal_comma {
        ('.', ',')
    } else {
        (',', '.')
    };
    let cell = cell.trim().trim_start_matches(['-', '+']);
    let integer = cell.split(decimal).next().unwrap_or("");
    let groups: Vec<&str> = integer.split(group).collect();
    groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && cell[integer.len()..]
            .trim_start_matches(decimal)
            .bytes()
            .all(|b| b.is_ascii_digit())
}

fn check_text(name: &str, text: &TextColumn, frame: &Frame) -> Result<(), TransformError> {
    let comma = frame.delimiter == b';';
    let is_number: Vec<bool> = text
        .levels
        .iter()
        .map(|l| reads_as_number(l, comma))
        .collect();
    let numbers = is_number.iter().filter(|&&b| b).count();
    let others = is_number.len() - numbers;
    // A few numbers among words is a categorical column with numeric labels; the reverse is
    // a numeric column with typos.
    if others == 0 || numbers < 4 || numbers < 4 * others {
        return Ok(());
    }
    let Some((row, level)) = text.codes.iter().enumerate().find_map(|(row, &code)| {
        let code = usize::try_from(code).ok()?;
        (!*is_number.get(code)?).then(|| (row, text.levels[code].clone()))
    }) else {
        return Ok(());
    };
    Err(TransformError::MostlyNumbers {
        column: name.to_string(),
        line: frame.row_lines.get(row).unwrap_or(0),
        thousands: has_thousands_separator(&level, comma),
        value: level,
        numbers,
        others,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators_are_recognised() {
        assert!(has_thousands_separator("1,234.5", false));
        assert!(has_thousands_separator("-12,345,678", false));
        assert!(has_thousands_separator("1.234,5", true));
        assert!(!has_thousands_separator("1,5", true));
        assert!(!has_thousands_separator("12,34", false));
        assert!(!has_thousands_separator("5\"1", false));
    }

    #[test]
    fn numbers_read_as_in_the_frame() {
        assert!(reads_as_number(" 4.5 ", false));
        assert!(reads_as_number("4,5", true));
        assert!(!reads_as_number("4,5", false));
        assert!(!reads_as_number("1.234,5", true));
        assert!(!reads_as_number("n/a", false));
    }

    fn frame(text: &str) -> Frame {
        Frame::from_csv(text.as_bytes(), &Default::default()).expect("a valid CSV")
    }

    #[test]
    fn one_typo_among_numbers_names_the_line() {
        let f = frame("x,g\n1,a\n2,b\n3,c\n4,d\n5\"1,e\n6,f\n");
        let e = check_numbers_column(&Expr::Within(Box::new(Expr::Column("x".into()))), &f);
        match e {
            Err(TransformError::MostlyNumbers { line, value, .. }) => {
                assert_eq!((line, value.as_str()), (6, "5\"1"))
            }
            other => panic!("{other:?}"),
        }
        let as_factor = Expr::Factor(Box::new(Expr::Column("x".into())));
        assert_eq!(check_numbers_column(&as_factor, &f), Ok(()));
        // Words with a few numeric labels are categories, not typos.
        assert_eq!(check_numbers_column(&Expr::Column("g".into()), &f), Ok(()));
    }
}
