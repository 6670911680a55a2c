//! A plain-text table with aligned columns, the building block of every report.
//!
//! Widths count characters, not bytes, so names like `Bürgerangst` stay aligned.

/// How a column's cells are padded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// Rows of cells with one alignment per column; the first row is usually the header.
#[derive(Debug, Clone)]
pub(crate) struct TextTable {
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
    /// Spaces between columns.
    gap: usize,
    /// Spaces before every line (R indents its tables by one).
    indent: usize,
}

impl TextTable {
    /// An empty table whose columns are padded as `align` says.
    pub(crate) fn new(align: Vec<Align>) -> TextTable {
        TextTable {
            align,
            rows: Vec::new(),
            gap: 1,
            indent: 0,
        }
    }

    /// Sets the spaces between columns.
    pub(crate) fn gap(mut self, gap: usize) -> TextTable {
        self.gap = gap;
        self
    }

    /// Sets the spaces before every line.
    pub(crate) fn indent(mut self, indent: usize) -> TextTable {
        self.indent = indent;
        self
    }

    /// Appends a row; missing trailing cells are treated as empty.
    pub(crate) fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// The width of every column (the widest cell in it).
    pub(crate) fn widths(&self) -> Vec<usize> {
        let ncol = self
            .rows
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(self.align.len());
        let mut widths = vec![0; ncol];
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        widths
    }

    /// Where each column starts on a rendered line, counted in characters.
    pub(crate) fn offsets(&self) -> Vec<usize> {
        let mut at = self.indent;
        self.widths()
            .into_iter()
            .map(|w| {
                let start = at;
                at += w + self.gap;
                start
            })
            .collect()
    }

    /// The table as lines joined by `\n`, each ending in `\n`, without trailing spaces.
    pub(crate) fn render(&self) -> String {
        let widths = self.widths();
        let mut out = String::new();
        for row in &self.rows {
            let mut line = " ".repeat(self.indent);
            for (i, width) in widths.iter().enumerate() {
                let cell = row.get(i).map(String::as_str).unwrap_or("");
                let pad = width.saturating_sub(cell.chars().count());
                if i > 0 {
                    line.push_str(&" ".repeat(self.gap));
                }
                match self.align.get(i).copied().unwrap_or(Align::Left) {
                    Align::Left => {
                        line.push_str(cell);
                        line.push_str(&" ".repeat(pad));
                    }
                    Align::Right => {
                        line.push_str(&" ".repeat(pad));
                        line.push_str(cell);
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pads_left_and_right_columns_and_trims_line_ends() {
        let mut t = TextTable::new(vec![Align::Left, Align::Right]).indent(1);
        t.push(cells(&["Groups", "Variance"]));
        t.push(cells(&["id", "0.5"]));
        t.push(cells(&["Residual", ""]));
        assert_eq!(
            t.render(),
            " Groups   Variance\n id            0.5\n Residual\n"
        );
        assert_eq!(t.offsets(), vec![1, 10]);
    }

    #[test]
    fn counts_characters_not_bytes() {
        let mut t = TextTable::new(vec![Align::Right, Align::Left]).gap(2);
        t.push(cells(&["ü", "a"]));
        t.push(cells(&["xy", "b"]));
        assert_eq!(t.render(), " ü  a\nxy  b\n");
    }
}
