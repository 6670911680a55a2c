//! Hand-built system files for what the committed fixtures (written by pyreadstat, little-endian)
//! do not show: big-endian files, every bytecode, missing ranges with LO/HI, damaged records.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use super::*;

/// Writes a system file in either byte order.
struct Writer {
    out: Vec<u8>,
    big: bool,
}

impl Writer {
    fn i32(&mut self, v: i32) {
        let b = if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.out.extend_from_slice(&b);
    }
    fn f64(&mut self, v: f64) {
        let b = if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.out.extend_from_slice(&b);
    }
    fn text(&mut self, s: &str, width: usize) {
        let mut b = s.as_bytes().to_vec();
        b.resize(width, b' ');
        self.out.extend_from_slice(&b);
    }
    fn header(&mut self, compression: i32, slots: i32, cases: i32) {
        self.text("$FL2", 4);
        self.text("@(#) lagmix test", 60);
        self.i32(2);
        self.i32(slots);
        self.i32(compression);
        self.i32(0);
        self.i32(cases);
        self.f64(100.0);
        self.text("01 Jan 24", 9);
        self.text("12:00:00", 8);
        self.text("label", 64);
        self.text("", 3);
    }
    /// A numeric variable with `missing` as written in the record (count, values).
    fn numeric(&mut self, name: &str, count: i32, missing: &[f64]) {
        self.i32(2);
        self.i32(0);
        self.i32(0);
        self.i32(count);
        self.i32(0x050802);
        self.i32(0x050802);
        self.text(name, 8);
        for &m in missing {
            self.f64(m);
        }
    }
    fn string8(&mut self, name: &str) {
        self.i32(2);
        self.i32(8);
        self.i32(0);
        self.i32(0);
        self.i32(0x010800);
        self.i32(0x010800);
        self.text(name, 8);
    }
    fn end(&mut self) {
        self.i32(999);
        self.i32(0);
    }
}

/// Two numeric variables (x: missing range LO..0 and code 99; y: codes 7, 8) and a string.
fn file(big: bool, compression: i32) -> Vec<u8> {
    let mut w = Writer {
        out: Vec::new(),
        big,
    };
    w.header(compression, 3, 3);
    w.numeric("X", -3, &[-f64::MAX * 0.999_999_999, 0.0, 99.0]);
    w.numeric("Y", 2, &[7.0, 8.0]);
    w.string8("S");
    // Value labels for Y: 1 "one", 2 "two".
    w.i32(3);
    w.i32(2);
    for (v, l) in [(1.0, "one"), (2.0, "two")] {
        w.f64(v);
        w.out.push(l.len() as u8);
        w.text(l, 7);
    }
    w.i32(4);
    w.i32(1);
    w.i32(2);
    // Measurement levels: X scale, Y nominal, S nominal.
    w.i32(7);
    w.i32(11);
    w.i32(4);
    w.i32(9);
    for m in [3, 1, 1] {
        w.i32(m);
        w.i32(8);
        w.i32(0);
    }
    w.end();
    let rows: [(f64, f64, &str); 3] = [(-5.0, 1.0, "a"), (3.5, 7.0, ""), (99.0, 2.0, "b")];
    if compression == 0 {
        for (x, y, s) in rows {
            w.f64(x);
            w.f64(y);
            w.text(s, 8);
        }
    } else {
        // x = -5: raw (253); y = 1: bytecode 101; "a": raw; x = 3.5 raw; y = 7: 107;
        // "": 254 (spaces); x = 99: 199; y = 2: 102 | block 2: "b" raw, end (252).
        w.out
            .extend_from_slice(&[253, 101, 253, 253, 107, 254, 199, 102]);
        w.f64(-5.0);
        w.text("a", 8);
        w.f64(3.5);
        w.out.extend_from_slice(&[253, 252, 0, 0, 0, 0, 0, 0]);
        w.text("b", 8);
    }
    w.out
}

#[test]
fn both_byte_orders_and_both_storages_read_alike() {
    for big in [false, true] {
        for compression in [0, 1] {
            let what = format!("big-endian {big}, compression {compression}");
            let file = read_sav(&file(big, compression)).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(file.cases, 3, "{what}");
            let numbers = |i: usize| match &file.variables[i].values {
                SavValues::Numeric(v) => v.iter().map(|x| (!x.is_nan()).then_some(*x)).collect(),
                SavValues::Text(_) => Vec::new(),
            };
            // x: -5 and 0 lie in the range LO..0, 99 is a code: only 3.5 is left.
            assert_eq!(numbers(0), [None, Some(3.5), None], "{what}");
            assert_eq!(numbers(1), [Some(1.0), None, Some(2.0)], "{what}");
            assert_eq!(file.variables[0].user_missing, 2, "{what}");
            let SavValues::Text(s) = &file.variables[2].values else {
                panic!("{what}: text")
            };
            assert_eq!(s, &["a", "", "b"], "{what}");
            let y = &file.variables[1];
            assert_eq!(y.measure, Measure::Nominal);
            assert_eq!(y.value_labels, [(1.0, "one".into()), (2.0, "two".into())]);
            assert!(y.factor_by_default() && !file.variables[0].factor_by_default());
        }
    }
}

#[test]
fn a_nominal_labelled_variable_becomes_a_factor_in_code_order() {
    let file = read_sav(&file(false, 1)).unwrap();
    let table = file.into_table(&SavVariable::factor_by_default);
    let crate::frame::SourceColumn::Factor(y) = &table.columns[1] else {
        panic!("y is a factor")
    };
    assert_eq!(y.levels, ["one", "two"]);
    assert_eq!(y.codes, [0, MISSING_CODE, 1]);
    assert_eq!(table.row_lines.iter().collect::<Vec<_>>(), [2, 3, 4]);
}

#[test]
fn unlabelled_codes_and_shared_labels_keep_their_own_levels() {
    let labels = [(1.0, "low".to_string()), (3.0, "low".to_string())];
    let factor = labelled_factor(&[3.0, 2.0, f64::NAN, 1.0], &labels);
    assert_eq!(factor.levels, ["low (1)", "2", "low (3)"]);
    assert_eq!(factor.codes, [2, 1, MISSING_CODE, 0]);
}

#[test]
fn damaged_files_give_messages() {
    let good = file(false, 1);
    assert_eq!(read_sav(b"PK\x03\x04").unwrap_err(), SavError::NotSav);
    let mut bad = good.clone();
    bad[64] = 9;
    assert!(matches!(read_sav(&bad), Err(SavError::BadHeader { .. })));
    let mut bad = good.clone();
    bad[176] = 5; // the first record's type
    assert!(matches!(
        read_sav(&bad),
        Err(SavError::UnknownRecord { record: 5, .. })
    ));
    // Every truncation is an error, never a panic or a short read passed off as whole.
    for end in 0..good.len() - 8 {
        assert!(read_sav(&good[..end]).is_err(), "cut at {end}");
    }
    // A count far beyond the file is refused before anything is allocated.
    let mut bad = good.clone();
    let labels_at = 176 + 3 * 32 + 3 * 8 + 2 * 8 + 4;
    bad[labels_at..labels_at + 4].copy_from_slice(&i32::MAX.to_le_bytes());
    assert!(
        matches!(read_sav(&bad), Err(SavError::BadRecord { .. })),
        "{:?}",
        read_sav(&bad)
    );
}
