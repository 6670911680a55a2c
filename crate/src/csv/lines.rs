//! The line on which each data row starts, for error messages ([`RowLines`]), stored as runs:
//! in nearly every file row r is on line r + 2 (a header, no blank lines, no line breaks inside
//! quotes), so a million rows take one run instead of four megabytes.

/// The 1-based physical line of each data row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowLines {
    /// (first row, its line) of each run of rows on consecutive lines, by increasing row.
    runs: Vec<(usize, u32)>,
    rows: usize,
}

impl RowLines {
    /// Appends the next row, which starts on `line`.
    pub fn push(&mut self, line: u32) {
        let continues = self.runs.last().is_some_and(|&(first, first_line)| {
            u32::try_from(self.rows - first)
                .ok()
                .and_then(|offset| first_line.checked_add(offset))
                == Some(line)
        });
        if !continues {
            self.runs.push((self.rows, line));
        }
        self.rows += 1;
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The line of `row`, or None past the last row.
    pub fn get(&self, row: usize) -> Option<u32> {
        if row >= self.rows {
            return None;
        }
        let run = self.runs.partition_point(|&(first, _)| first <= row);
        let (first, line) = *self.runs.get(run.checked_sub(1)?)?;
        line.checked_add(u32::try_from(row - first).ok()?)
    }

    /// The lines of all rows, in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.rows).filter_map(|row| self.get(row))
    }
}

impl FromIterator<u32> for RowLines {
    fn from_iter<I: IntoIterator<Item = u32>>(lines: I) -> RowLines {
        let mut row_lines = RowLines::default();
        for line in lines {
            row_lines.push(line);
        }
        row_lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_consecutive_lines() {
        // A header, a blank line 4, a quoted cell spanning lines 6-7, then regular rows.
        let lines = [2, 3, 5, 6, 8, 9, 10];
        let row_lines: RowLines = lines.into_iter().collect();
        assert_eq!(row_lines.len(), 7);
        assert_eq!(row_lines.runs, [(0, 2), (2, 5), (4, 8)]);
        assert_eq!(row_lines.iter().collect::<Vec<_>>(), lines);
        assert_eq!(row_lines.get(3), Some(6));
        assert_eq!(row_lines.get(7), None);
        let regular: RowLines = (2..1_000_002).collect();
        assert_eq!(regular.runs.len(), 1);
        assert_eq!(regular.get(999_999), Some(1_000_001));
        assert!(RowLines::default().is_empty());
    }
}
