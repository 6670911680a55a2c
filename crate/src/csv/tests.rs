//! Hand-written CSV quirks: each case states the bytes and what a researcher should get back.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use super::*;

fn read(text: &[u8]) -> Result<Table, CsvError> {
    read_csv(text, &CsvOptions::default())
}

fn cells(table: &Table, column: usize) -> Vec<&str> {
    table.columns[column].iter().collect()
}

#[test]
fn simple_comma_file() {
    let t = read(b"id,week,score\nP1,1,3.5\nP2,2,4\n").unwrap();
    assert_eq!(t.names, ["id", "week", "score"]);
    assert_eq!(t.delimiter, b',');
    assert_eq!(cells(&t, 0), ["P1", "P2"]);
    assert_eq!(cells(&t, 2), ["3.5", "4"]);
    assert_eq!(t.row_lines.iter().collect::<Vec<_>>(), [2, 3]);
    assert_eq!(t.columns[1].get(1), "2");
}

#[test]
fn header_names_are_trimmed_and_last_line_needs_no_newline() {
    let t = read(b" id , x \n1,2").unwrap();
    assert_eq!(t.names, ["id", "x"]);
    assert_eq!(cells(&t, 1), ["2"]);
}

#[test]
fn bom_and_crlf() {
    let t = read(b"\xEF\xBB\xBFa,b\r\n1,2\r\n3,4\r\n").unwrap();
    assert_eq!(t.names, ["a", "b"]);
    assert_eq!(cells(&t, 1), ["2", "4"]);
    assert_eq!(t.row_lines.iter().collect::<Vec<_>>(), [2, 3]);
}

#[test]
fn cr_only_line_endings() {
    let t = read(b"a;b\r1;2\r3;4\r").unwrap();
    assert_eq!(t.delimiter, b';');
    assert_eq!(cells(&t, 0), ["1", "3"]);
    assert_eq!(t.row_lines.iter().collect::<Vec<_>>(), [2, 3]);
}

#[test]
fn quoted_fields_with_delimiters_quotes_and_newlines() {
    let t = read(b"name,note\n\"Smith, J\",\"said \"\"hi\"\"\"\nB,\"two\nlines\"\nC,x\n").unwrap();
    assert_eq!(cells(&t, 0), ["Smith, J", "B", "C"]);
    assert_eq!(cells(&t, 1), ["said \"hi\"", "two\nlines", "x"]);
    // The row after the two-line field starts on line 5.
    assert_eq!(t.row_lines.iter().collect::<Vec<_>>(), [2, 3, 5]);
}

#[test]
fn delimiter_detection() {
    assert_eq!(read(b"a\tb\tc\n1\t2\t3\n").unwrap().delimiter, b'\t');
    assert_eq!(read(b"a;b;c\n1,5;2;3\n").unwrap().delimiter, b';');
    // Commas inside quotes do not count: two semicolons beat them.
    assert_eq!(read(b"\"x,y,z\";b;c\n1;2;3\n").unwrap().delimiter, b';');
    // Ties go to comma.
    assert_eq!(read(b"a,b;c\n1,2;3\n").unwrap().delimiter, b',');
    // A single column is fine.
    let t = read(b"score\n1\n2\n").unwrap();
    assert_eq!(t.delimiter, b',');
    assert_eq!(cells(&t, 0), ["1", "2"]);
}

#[test]
fn given_delimiter_wins() {
    let options = CsvOptions {
        delimiter: Some(b';'),
    };
    let t = read_csv(b"a,b\n1,2\n", &options).unwrap();
    assert_eq!(t.names, ["a,b"]);
}

#[test]
fn blank_lines_are_skipped_with_line_numbers_kept() {
    let t = read(b"\n\na,b\n1,2\n\n   \n3,4\n\n\n").unwrap();
    assert_eq!(cells(&t, 0), ["1", "3"]);
    assert_eq!(t.row_lines.iter().collect::<Vec<_>>(), [4, 7]);
    // A row of empty cells is data, not blank.
    let t = read(b"a,b\n,\n1,2\n").unwrap();
    assert_eq!(cells(&t, 0), ["", "1"]);
}

#[test]
fn empty_files() {
    assert_eq!(read(b"").unwrap_err(), CsvError::Empty);
    assert_eq!(read(b" \n\r\n\t").unwrap_err(), CsvError::Empty);
    assert_eq!(read(b"\xEF\xBB\xBF").unwrap_err(), CsvError::Empty);
}

#[test]
fn header_only() {
    assert_eq!(
        read(b"a,b,c\n\n").unwrap_err(),
        CsvError::NoRows { columns: 3 }
    );
    assert!(read(b"a,b,c")
        .unwrap_err()
        .to_string()
        .contains("no data rows"));
}

#[test]
fn ragged_row_after_multiline_field_names_the_right_line() {
    let err = read(b"a,b\n1,\"x\ny\"\n2,3,4\n").unwrap_err();
    assert_eq!(
        err,
        CsvError::Ragged {
            line: 4,
            expected: 2,
            found: 3,
            delimiter: b','
        }
    );
    let message = err.to_string();
    assert!(message.starts_with("line 4:"), "{message}");
    assert!(
        message.contains("3 fields but the header has 2"),
        "{message}"
    );
}

#[test]
fn ragged_row_in_cr_only_file() {
    let err = read(b"a,b\r1,2\r3\r").unwrap_err();
    assert!(
        matches!(
            err,
            CsvError::Ragged {
                line: 3,
                found: 1,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn unclosed_quote_names_where_it_opened() {
    let err = read(b"a,b\n1,2\n3,\"oops\n4,5\n6,7\n").unwrap_err();
    assert_eq!(err, CsvError::UnclosedQuote { line: 3, column: 2 });
    assert!(err.to_string().contains("line 3, column 2"));
    // In the header too.
    assert_eq!(
        read(b"\"a,b\n1,2\n").unwrap_err(),
        CsvError::UnclosedQuote { line: 1, column: 1 }
    );
    // A quote inside an unquoted field is just a character.
    let t = read(b"a,b\n5\"6,7\n").unwrap();
    assert_eq!(cells(&t, 0), ["5\"6"]);
}

#[test]
fn invalid_utf8_names_line_and_column() {
    let err = read(b"name,city\nA,Z\xFCrich\n").unwrap_err();
    assert_eq!(
        err,
        CsvError::InvalidUtf8 {
            line: 2,
            column: 2,
            byte: 0xFC
        }
    );
    let message = err.to_string();
    assert!(message.contains("Windows-1252"), "{message}");
    assert!(message.contains("UTF-8"), "{message}");
    // A bad byte at the very start of a field belongs to that field.
    let err = read(b"a,b\n1,\xE92\n").unwrap_err();
    assert!(
        matches!(err, CsvError::InvalidUtf8 { column: 2, .. }),
        "{err:?}"
    );
}

#[test]
fn utf16_files() {
    assert_eq!(read(b"\xFF\xFEa\0,\0b\0").unwrap_err(), CsvError::Utf16);
    assert_eq!(read(b"\xFE\xFF\0a\0,\0b").unwrap_err(), CsvError::Utf16);
    // Without a byte-order mark: NULs at every odd byte.
    let le: Vec<u8> = "a,b\n1,2\n".bytes().flat_map(|b| [b, 0]).collect();
    let err = read(&le).unwrap_err();
    assert_eq!(err, CsvError::Utf16);
    assert!(err.to_string().contains("save as UTF-8 CSV"));
}

#[test]
fn binary_files() {
    let err = read(b"a,b\n1,2\n\x01\0\0\x07\x08\0\0\0\0\0\0\0").unwrap_err();
    assert_eq!(
        err,
        CsvError::NotText {
            line: 3,
            excel: false
        }
    );
    assert!(err
        .to_string()
        .contains("does not look like a text CSV file"));
    assert_eq!(
        read(b"a\0b").unwrap_err(),
        CsvError::NotText {
            line: 1,
            excel: false
        }
    );
    let err = read(b"PK\x03\x04\x14\0\x06\0").unwrap_err();
    assert_eq!(
        err,
        CsvError::NotText {
            line: 1,
            excel: true
        }
    );
}

#[test]
fn duplicate_and_empty_names() {
    assert_eq!(
        read(b"id,x,y,x\n1,2,3,4\n").unwrap_err(),
        CsvError::DuplicateName {
            name: "x".into(),
            first: 2,
            second: 4
        }
    );
    assert_eq!(
        read(b"id,,y\n1,2,3\n").unwrap_err(),
        CsvError::EmptyName { column: 2 }
    );
    assert_eq!(
        read(b",\n1,2\n").unwrap_err(),
        CsvError::EmptyName { column: 1 }
    );
}

#[test]
fn trailing_empty_header_field_is_dropped_when_its_cells_are_empty() {
    let t = read(b"a,b,\n1,2,\n3,4\n").unwrap();
    assert_eq!(t.names, ["a", "b"]);
    assert_eq!(t.columns.len(), 2);
    assert_eq!(cells(&t, 1), ["2", "4"]);
    let err = read(b"a,b,\n1,2,\n3,4,9\n").unwrap_err();
    assert_eq!(err, CsvError::UnnamedColumn { column: 3, line: 3 });
}

#[test]
fn raw_column_push_and_get() {
    let c = RawColumn::from_cells(["", "ab", "c"]);
    assert_eq!(c.len(), 3);
    assert_eq!(c.get(0), "");
    assert_eq!(c.get(1), "ab");
    assert_eq!(c.get(2), "c");
    assert_eq!(c.iter().collect::<Vec<_>>(), ["", "ab", "c"]);
    assert!(RawColumn::new().is_empty());
}

#[test]
fn long_records_grow_the_buffers() {
    let header: Vec<String> = (0..300).map(|i| format!("v{i}")).collect();
    let row: Vec<String> = (0..300).map(|i| "x".repeat(50 + i)).collect();
    let text = format!("{}\n{}\n", header.join(","), row.join(","));
    let t = read(text.as_bytes()).unwrap();
    assert_eq!(t.columns.len(), 300);
    assert_eq!(t.columns[299].get(0).len(), 349);
}

/// Names, cells per column, row lines and delimiter.
type Read = (Vec<String>, Vec<Vec<String>>, Vec<u32>, u8);

/// The same bytes fed in chunks of `size`: cells, lines and errors as read whole.
fn read_chunked(text: &[u8], size: usize) -> Result<Read, CsvError> {
    struct Cells(Vec<Vec<String>>);
    impl RowSink for Cells {
        fn header(&mut self, names: &[String], _delimiter: u8) {
            self.0 = vec![Vec::new(); names.len()];
        }
        fn row(&mut self, record: &Record<'_>) {
            for (i, column) in self.0.iter_mut().enumerate() {
                column.push(record.get(i).to_string());
            }
        }
    }
    let mut reader = CsvReader::new(&CsvOptions::default());
    let mut sink = Cells(Vec::new());
    for chunk in text.chunks(size) {
        reader.push(chunk, &mut sink);
    }
    let shape = reader.finish(&mut sink)?;
    Ok((
        shape.names,
        sink.0,
        shape.row_lines.iter().collect(),
        shape.delimiter,
    ))
}

#[test]
fn chunked_input_reads_as_whole_input() {
    let inputs: &[&[u8]] = &[
        b"id,week,score\nP1,1,3.5\nP2,2,4\n",
        b"\xEF\xBB\xBFa,b\r\n1,2\r\n3,4\r\n",
        b"a;b\r1;2\r3;4\r",
        b"a,b\r\n\r\n1,2\r\n\r\n\r\n3,4",
        b"name,note\n\"Smith, J\",\"said \"\"hi\"\"\"\nB,\"two\r\nlines\"\nC,x\n",
        b"\n\na,b\n1,2\n\n   \n3,4\n\n\n",
        b"a,b\n,\n1,2\n\"\"\n",
        b"",
        b" \n\r\n\t",
        b"a,b,c\n\n",
        b"a,b\n1,\"x\ny\"\n2,3,4\n",
        b"a,b\n1,2\n3,\"oops\n4,5\n6,7\n",
        b"\"a,b\n1,2\n",
        b"a,b\n5\"6,7\n",
        b"name,city\nA,Z\xFCrich\n",
        b"\xFF\xFEa\0,\0b\0",
        b"a,b\n1,2\n\x01\0\0\x07\x08\0\0\0\0\0\0\0",
        b"a,b\n1,2,3\r\n4,5\r\n\0",
        b"PK\x03\x04\x14\0\x06\0",
        b"id,x,y,x\n1,2,3,4\n",
        b"a,b,\n1,2,\n3,4\n",
        b"a,b,\n1,2,\n3,4,9\n",
        b"a,b,\n1,2,\n3,4,9\n5,6,7,8\n",
        b"x\n\"a\"b,\n",
        b"x\n\"a\"\"",
    ];
    for input in inputs {
        let whole = read(input).map(|t| {
            let cells = (0..t.columns.len())
                .map(|c| cells(&t, c).iter().map(|s| s.to_string()).collect())
                .collect();
            (
                t.names.clone(),
                cells,
                t.row_lines.iter().collect(),
                t.delimiter,
            )
        });
        for size in [1, 2, 3, 5, 64] {
            assert_eq!(
                read_chunked(input, size),
                whole,
                "{} in chunks of {size}",
                String::from_utf8_lossy(input)
            );
        }
    }
}

#[test]
fn binary_data_outranks_an_earlier_ragged_row() {
    let err = read(b"a,b\n1,2,3\r\n4,5\r\n6\0").unwrap_err();
    assert_eq!(
        err,
        CsvError::NotText {
            line: 4,
            excel: false
        }
    );
}

#[test]
fn an_unclosed_quote_fed_in_small_chunks_is_found_quickly() {
    // 4 MB after an unclosed quote, in 1 KB chunks: rescanning the open record at every chunk
    // would take seconds in a debug build.
    let mut text = b"a,b\n1,\"".to_vec();
    text.extend(std::iter::repeat_n(b"x,y\n".as_slice(), 1 << 20).flatten());
    let start = std::time::Instant::now();
    let err = read_chunked(&text, 1024).unwrap_err();
    assert_eq!(err, CsvError::UnclosedQuote { line: 2, column: 2 });
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn an_unclosed_quote_in_the_header_fed_in_small_chunks_is_found_quickly() {
    // The delimiter is detected from the first line, which here never ends: the reader must
    // not look at all of the held bytes again at every chunk.
    let mut text = b"a,\"b\n".to_vec();
    text.extend(std::iter::repeat_n(b"x,y\n".as_slice(), 1 << 20).flatten());
    let start = std::time::Instant::now();
    let err = read_chunked(&text, 1024).unwrap_err();
    assert_eq!(err, CsvError::UnclosedQuote { line: 1, column: 2 });
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn a_second_byte_order_mark_is_skipped_too() {
    // One is skipped before parsing, csv-core skips the next; a third is data.
    let text = b"\xEF\xBB\xBF\xEF\xBB\xBFa,b\n1,2\n";
    assert_eq!(read(text).unwrap().names, ["a", "b"]);
    for size in [1, 2, 4, 64] {
        assert_eq!(read_chunked(text, size).unwrap().0, ["a", "b"]);
    }
    let t = read(b"\xEF\xBB\xBF\xEF\xBB\xBF\xEF\xBB\xBFa,b\n1,2\n").unwrap();
    assert_eq!(t.names, ["\u{FEFF}a", "b"]);
}
