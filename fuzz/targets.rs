//! What each fuzz target does with its input, shared by the cargo-fuzz binaries
//! (fuzz/fuzz_targets/*.rs) and the corpus replay test (crate/tests/fuzz_corpus.rs), so that the
//! committed corpus is replayed through exactly the fuzzed code on every `cargo test`.
//!
//! The only property checked is the one the core promises for any input: no panic. Errors are
//! fine; so is any number.

// Each fuzz binary uses one of these functions.
#![allow(dead_code)]

use lagmix::csv::CsvOptions;
use lagmix::frame::{Frame, Panel, ReadOptions};
use lagmix::{DataOptions, DfMethod, ModelOptions};

/// `csv_reader`: the bytes as a file, read with the delimiter detected and with `;` forced, and,
/// when they read, the panel built on the first two columns.
pub fn csv_reader(data: &[u8]) {
    for delimiter in [None, Some(b';')] {
        let read = ReadOptions {
            csv: CsvOptions { delimiter },
            na: vec!["-99".to_string(), "NA".to_string()],
        };
        if let Ok(frame) = Frame::from_csv(data, &read) {
            let first = frame.names.first().cloned();
            let second = frame.names.get(1).cloned();
            let _ = Panel::new(&frame, first.as_deref(), second.as_deref());
        }
    }
}

/// A tiny fixed data set the parsed formulas are built and fitted on: every column name the
/// seed formulas use, a text factor, a second grouping column and a gap in time.
const FORMULA_DATA: &str = "id,t,y,x,z,g,arm\n\
1,0,3.1,1,0.5,a,ctl\n1,1,4.2,2,0.1,b,tx\n1,2,5.0,2,0.9,a,ctl\n1,4,5.5,3,1.2,b,tx\n\
2,0,2.2,0,0.3,a,tx\n2,1,2.9,1,0.4,b,ctl\n2,2,,1,0.8,a,tx\n2,3,4.4,2,1.0,b,ctl\n\
3,0,6.0,2,0.2,a,ctl\n3,1,5.1,,0.6,b,tx\n3,2,6.6,3,0.7,a,ctl\n3,3,7.0,4,1.1,b,tx\n\
4,1,1.0,0,0.0,a,tx\n4,2,1.9,1,0.5,b,ctl\n4,3,2.5,1,0.9,a,tx\n";

/// `formula_parser`: the bytes as formula text (lossy UTF-8); when it parses, the design is built
/// and, when that works and is small, the model is fitted on [`FORMULA_DATA`].
pub fn formula_parser(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(spec) = lagmix::formula::parse_formula(&text) else {
        return;
    };
    let options = DataOptions {
        read: ReadOptions::default(),
        id: Some("id".to_string()),
        time: Some("t".to_string()),
    };
    let dataset = lagmix::Dataset::parse(FORMULA_DATA.as_bytes(), &options)
        .expect("the fixed formula data set reads");
    // Many random terms make every criterion evaluation (and the theta search) large: the
    // property is "no panic", which small models test as well.
    let random_columns: usize = spec
        .random
        .iter()
        .map(|r| r.terms.len() + usize::from(r.intercept))
        .sum();
    if random_columns > 4 || spec.terms.len() > 8 {
        let _ = lagmix::design::build_design(&spec, &dataset.frame, &dataset.panel);
        return;
    }
    let _ = dataset.fit(&ModelOptions::new(&text));
}

/// The model formulas `pipeline` chooses from (one input byte picks one).
pub const PIPELINE_FORMULAS: [&str; 12] = [
    "y ~ x + (1 | id)",
    "y ~ x + (x | id)",
    "lead(y) ~ within(x) + between(x) + (1 | id)",
    "y ~ lag(y) + x + (1 | id)",
    "y ~ lag(x, 2) + lead(x) + (1 | id)",
    "y ~ center(x) + factor(t) + (1 | id)",
    "y ~ x + (x || id)",
    "y ~ 1 + (1 | id)",
    "y ~ x * g + (1 | id)",
    "lag(within(y)) ~ x + (1 | id) + (1 | g)",
    "y ~ factor(x) + (1 | id)",
    "y ~ x + t + (t | id)",
];

/// At most this many rows per generated panel keeps every input fast.
pub const PIPELINE_MAX_ROWS: usize = 40;

/// Turns fuzz bytes into a small panel CSV and the fit options.
///
/// Layout: byte 0 persons (1-8), byte 1 occasions (1-6), byte 2 formula, byte 3 flags (bit 0 ML,
/// bits 1-2 df method, bit 3 `;` with decimal commas, bit 4 reversed row order, bit 5 text ids,
/// bit 6 time in steps of 7 from -3, bit 7 the rest of the input is the CSV text itself); then two
/// bytes per cell: y (0 missing, 255 absent row, 254 the `-99` code, else a value) and x (0
/// missing, else a value; its top bit picks g).
pub fn pipeline_input(data: &[u8]) -> Option<(Vec<u8>, DataOptions, ModelOptions)> {
    let (&[persons, occasions, formula, flags], cells) = data.split_first_chunk::<4>()?;
    let formula = PIPELINE_FORMULAS[formula as usize % PIPELINE_FORMULAS.len()];
    let mut model = ModelOptions::new(formula);
    model.reml = flags & 1 == 0;
    model.df = match (flags >> 1) & 3 {
        0 => DfMethod::Satterthwaite,
        1 => DfMethod::Residual,
        _ => DfMethod::BetweenWithin,
    };
    let semicolon = flags & 8 != 0;
    let data_options = DataOptions {
        read: ReadOptions {
            csv: CsvOptions {
                delimiter: semicolon.then_some(b';'),
            },
            na: vec!["-99".to_string()],
        },
        id: Some("id".to_string()),
        time: Some("t".to_string()),
    };
    if flags & 128 != 0 {
        // Raw mode: whatever CSV the fuzzer writes, capped in size, under a fixed header.
        let mut csv = b"id,t,y,x,g\n".to_vec();
        let body: Vec<u8> = cells.iter().copied().take(2000).collect();
        let lines = body.split(|&b| b == b'\n').take(PIPELINE_MAX_ROWS);
        for line in lines {
            csv.extend_from_slice(line);
            csv.push(b'\n');
        }
        return Some((csv, data_options, model));
    }
    let persons = 1 + persons as usize % 8;
    let occasions = 1 + occasions as usize % 6;
    let sep = if semicolon { ";" } else { "," };
    let number = |v: f64| {
        let s = format!("{v}");
        if semicolon {
            s.replace('.', ",")
        } else {
            s
        }
    };
    let mut rows = Vec::new();
    let mut pairs = cells.chunks_exact(2);
    for person in 0..persons {
        for occasion in 0..occasions {
            let (yb, xb) = match pairs.next() {
                Some(&[yb, xb]) => (yb, xb),
                _ => (
                    ((person * 7 + occasion * 3) % 250 + 1) as u8,
                    occasion as u8 + 1,
                ),
            };
            if yb == 255 {
                continue;
            }
            let id = if flags & 32 != 0 {
                format!("p{person}")
            } else {
                format!("{}", person + 1)
            };
            let t = if flags & 64 != 0 {
                occasion as f64 * 7.0 - 3.0
            } else {
                occasion as f64
            };
            let y = match yb {
                0 => String::new(),
                254 => "-99".to_string(),
                b => number(f64::from(b as i8) / 4.0),
            };
            let x = match xb & 127 {
                0 => String::new(),
                b => number(f64::from(b) / 8.0 - 4.0),
            };
            let g = if xb & 128 != 0 { "b" } else { "a" };
            rows.push(format!("{id}{sep}{}{sep}{y}{sep}{x}{sep}{g}", number(t)));
        }
    }
    if flags & 16 != 0 {
        rows.reverse();
    }
    let mut csv = format!("id{sep}t{sep}y{sep}x{sep}g\n");
    for row in rows {
        csv.push_str(&row);
        csv.push('\n');
    }
    Some((csv.into_bytes(), data_options, model))
}

/// `pipeline`: a generated panel and formula through `fit_csv`; a result must be the right shape.
pub fn pipeline(data: &[u8]) {
    let Some((csv, data_options, model)) = pipeline_input(data) else {
        return;
    };
    if let Ok(fit) = lagmix::fit_csv(&csv, &data_options, &model) {
        assert!(fit.nobs + fit.dropped_rows <= fit.total_rows);
        assert_eq!(fit.vcov.len(), fit.fixed.len());
        let _ = lagmix::report::summary_text(&fit);
    }
}

/// `workbook_reader`: the bytes as a workbook (.xlsx, .ods, .xls): the first sheet and every
/// sheet it names, each typed into a frame.
pub fn workbook_reader(data: &[u8]) {
    let Ok(book) = lagmix::workbook::read_workbook(data, None) else {
        return;
    };
    let _ = Frame::from_cells(book.table, &ReadOptions::default());
    for sheet in book.sheets.iter().take(4) {
        if let Ok(other) = lagmix::workbook::read_workbook(data, Some(sheet)) {
            let _ = Frame::from_cells(other.table, &ReadOptions::default());
        }
    }
}

/// `sav_reader`: the bytes as an SPSS .sav/.zsav file, typed with the default treatment of
/// labelled variables and with every labelled variable a factor.
pub fn sav_reader(data: &[u8]) {
    let Ok(file) = lagmix::sav::read_sav(data) else {
        return;
    };
    let all_factors = file.clone().into_table(&|_| true);
    let _ = Frame::from_cells(all_factors, &ReadOptions::default());
    let table = file.into_table(&lagmix::sav::SavVariable::factor_by_default);
    if let Ok(frame) = Frame::from_cells(table, &ReadOptions::default()) {
        let first = frame.names.first().cloned();
        let _ = Panel::new(&frame, first.as_deref(), None);
    }
}
