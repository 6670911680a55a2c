//! Parsing and normalized text of formula syntax.

use super::*;

fn roundtrip(text: &str) -> String {
    let (l, r) = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    format!("{} ~ {}", deparse(&l), deparse(&r))
}

#[test]
fn normalizes_spacing_as_r_prints() {
    assert_eq!(
        roundtrip("lead(spin)~spin+wai+(1|id)"),
        "lead(spin) ~ spin + wai + (1 | id)"
    );
    assert_eq!(roundtrip("y ~ a : b * c"), "y ~ a:b * c");
    assert_eq!(roundtrip("y~-1+lag( x ,2)"), "y ~ -1 + lag(x, 2)");
    assert_eq!(
        roundtrip("y ~ (a+b)^2 + (x||g)"),
        "y ~ (a + b)^2 + (x || g)"
    );
    assert_eq!(roundtrip("y ~ `my var` + x.1"), "y ~ `my var` + x.1");
    assert_eq!(
        roundtrip("log(y,2)~I(a / b)+I(x^2.0)+scale(x,scale=FALSE)+(1|g / h)"),
        "log(y, 2) ~ I(a/b) + I(x^2) + scale(x, scale = FALSE) + (1 | g/h)"
    );
}

#[test]
fn precedence_follows_r() {
    let (_, rhs) = parse("y ~ a + b:c * d").unwrap_or_else(|e| panic!("{e}"));
    // + is loosest, then *, then :  =>  a + ((b:c) * d)
    let Kind::Binary(Op::Plus, _, right) = rhs.kind else {
        panic!("expected +")
    };
    let Kind::Binary(Op::Star, left, _) = right.kind else {
        panic!("expected *")
    };
    assert!(matches!(left.kind, Kind::Binary(Op::Colon, _, _)));
}

#[test]
fn positions_are_character_offsets() {
    let (_, rhs) = parse("ä ~ x").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rhs.pos, 4);
}

#[test]
fn depth_and_length_are_bounded() {
    // Deep nesting and endless chains are errors with a caret, never a stack overflow.
    let deep = |open: &str, n: usize| format!("y ~ {}x{}", open.repeat(n), ")".repeat(n));
    assert!(parse(&deep("(", MAX_NESTING)).is_ok());
    assert!(parse(&deep("within(", MAX_NESTING)).is_ok());
    for formula in [
        deep("(", MAX_NESTING + 1),
        deep("lag(", MAX_NESTING + 10),
        format!("y ~ x{}", "^x".repeat(MAX_NESTING + 1)),
    ] {
        match parse(&formula) {
            Err(FormulaError::Syntax { message, .. }) => {
                assert!(message.contains("nest more than 50 levels"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }
    let terms = |n: usize| format!("y ~ {} + (1 | id)", vec!["x"; n].join(" + "));
    assert!(parse(&terms(200)).is_ok());
    match parse(&terms(100_000)) {
        Err(FormulaError::Syntax {
            message, position, ..
        }) => {
            assert!(
                message.starts_with("the formula is too long: it has 2000"),
                "{message}"
            );
            assert_eq!(position, 4 + 4 * 249);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn structural_errors() {
    match parse("y ~ x + (1 | )") {
        Err(FormulaError::Syntax {
            position, message, ..
        }) => {
            assert_eq!(position, 13);
            assert!(message.starts_with("nothing follows `|`"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        parse("y ~ (x | id"),
        Err(FormulaError::UnbalancedParenthesis {
            position: 4,
            unclosed: true,
            ..
        })
    ));
    assert!(matches!(
        parse("y ~ x)"),
        Err(FormulaError::UnbalancedParenthesis {
            position: 5,
            unclosed: false,
            ..
        })
    ));
    assert!(matches!(
        parse("y x"),
        Err(FormulaError::MissingTilde { .. })
    ));
    assert!(matches!(
        parse("~ x"),
        Err(FormulaError::MissingResponse { position: 0, .. })
    ));
    assert!(matches!(parse("   "), Err(FormulaError::Empty)));
    assert!(matches!(
        parse("y ~ x + "),
        Err(FormulaError::Syntax { position: 8, .. })
    ));
    assert!(matches!(
        parse("y ~ x ~ z"),
        Err(FormulaError::Syntax { position: 6, .. })
    ));
    assert!(matches!(
        parse("y ~ x %in% z"),
        Err(FormulaError::Syntax { position: 6, .. })
    ));
    assert!(matches!(
        parse("y ~ `x"),
        Err(FormulaError::Syntax { position: 4, .. })
    ));
}
