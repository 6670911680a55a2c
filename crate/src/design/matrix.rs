//! Model matrices that are described, not stored: each column of X or of a Z_i is a product of
//! the model's variables over the used rows (an intercept is the empty product, a factor enters
//! as the indicator of one level), and a row of the matrix is computed when it is read.
//!
//! The model reads X and Z once, row by row, to form its cross-products (`crate::model`), so a
//! stored copy would only double the memory: at a million rows each column is 8 MB, and
//! `y ~ within(x) + between(x) + (within(x) | id)` would hold five of them (two columns of ones
//! among them) besides the variables they are made of.

/// A model variable over the used rows, factors reduced to the levels that occur in them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum UsedVariable {
    Numeric(Vec<f64>),
    Factor {
        codes: Vec<u32>,
        levels: Vec<String>,
    },
}

/// The model's variables over the used rows: what every model-matrix column is computed from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelData {
    /// Number of used rows.
    n: usize,
    variables: Vec<UsedVariable>,
}

impl ModelData {
    pub(crate) fn new(n: usize, variables: Vec<UsedVariable>) -> ModelData {
        ModelData { n, variables }
    }

    /// Number of used rows.
    pub fn nrows(&self) -> usize {
        self.n
    }

    pub(crate) fn variable(&self, index: usize) -> Option<&UsedVariable> {
        self.variables.get(index)
    }

    /// Puts the rows in `order` (row i becomes the old row `order[i]`): a model whose residuals
    /// are correlated along each person's occasions reads them sorted by person and time.
    pub fn reorder(&mut self, order: &[u32]) {
        fn take<T: Copy>(values: &[T], order: &[u32]) -> Vec<T> {
            order
                .iter()
                .filter_map(|&i| values.get(i as usize).copied())
                .collect()
        }
        for variable in &mut self.variables {
            match variable {
                UsedVariable::Numeric(values) => *values = take(values, order),
                UsedVariable::Factor { codes, .. } => *codes = take(codes, order),
            }
        }
    }
}

/// What [`ModelMatrix::column_sums`] finds.
pub(crate) struct ColumnSums {
    pub sums: Vec<f64>,
    pub all_ones: Vec<bool>,
    pub finite: bool,
}

/// Rows per block when a matrix is read block by block: small enough for the blocks of X and
/// every Z_i to stay in the processor's cache, large enough that the per-block work vanishes.
pub const BLOCK_ROWS: usize = 256;

/// One factor of a column's product.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Part {
    /// The value of numeric variable `.0`.
    Numeric(usize),
    /// 1 where factor `variable` is at `level`, else 0.
    Indicator { variable: usize, level: u32 },
}

impl Part {
    fn value(self, data: &ModelData, row: usize) -> f64 {
        match (self, data.variables.get(self.variable())) {
            (Part::Numeric(_), Some(UsedVariable::Numeric(values))) => {
                values.get(row).copied().unwrap_or(f64::NAN)
            }
            (Part::Indicator { level, .. }, Some(UsedVariable::Factor { codes, .. })) => {
                f64::from(u8::from(codes.get(row) == Some(&level)))
            }
            _ => f64::NAN,
        }
    }

    /// Multiplies `column` (rows `start..start + column.len()`) by this part's values.
    fn multiply_block(self, data: &ModelData, start: usize, column: &mut [f64]) {
        let rows = start..start + column.len();
        match (self, data.variables.get(self.variable())) {
            (Part::Numeric(_), Some(UsedVariable::Numeric(values))) => match values.get(rows) {
                Some(values) => {
                    for (c, &v) in column.iter_mut().zip(values) {
                        *c *= v;
                    }
                }
                None => column.fill(f64::NAN),
            },
            (Part::Indicator { level, .. }, Some(UsedVariable::Factor { codes, .. })) => {
                match codes.get(rows) {
                    Some(codes) => {
                        for (c, &code) in column.iter_mut().zip(codes) {
                            *c *= f64::from(u8::from(code == level));
                        }
                    }
                    None => column.fill(f64::NAN),
                }
            }
            _ => column.fill(f64::NAN),
        }
    }

    pub(crate) fn variable(self) -> usize {
        match self {
            Part::Numeric(variable) | Part::Indicator { variable, .. } => variable,
        }
    }
}

/// Named model-matrix columns, each a product of [`Part`]s over a [`ModelData`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelMatrix {
    /// Column names as lme4 prints them (`(Intercept)`, `SexMale`, `a:b`).
    pub names: Vec<String>,
    products: Vec<Vec<Part>>,
    /// R's `assign`: for each column, 0 for the intercept, i + 1 for the i-th term of the
    /// formula it codes (0 for columns pushed without a term).
    assign: Vec<usize>,
}

impl ModelMatrix {
    pub(crate) fn push(&mut self, name: String, product: Vec<Part>) {
        self.push_in_term(name, product, 0);
    }

    /// Adds a column that codes term `term` (R's `assign`: 1-based, 0 for the intercept).
    pub(crate) fn push_in_term(&mut self, name: String, product: Vec<Part>, term: usize) {
        self.names.push(name);
        self.products.push(product);
        self.assign.push(term);
    }

    /// The term each column codes (R's `assign`: 0 for the intercept, i + 1 for the i-th term).
    pub fn assign(&self) -> &[usize] {
        &self.assign
    }

    /// The product of variables that column `col` is.
    pub(crate) fn parts(&self, col: usize) -> &[Part] {
        self.products.get(col).map_or(&[], |p| p.as_slice())
    }

    /// Number of columns.
    pub fn ncols(&self) -> usize {
        self.products.len()
    }

    /// The value at (`row`, `col`): the product of the column's parts, multiplied left to right
    /// (as R multiplies the factors of an interaction), 1 for the intercept.
    pub fn value(&self, data: &ModelData, row: usize, col: usize) -> f64 {
        match self.products.get(col) {
            // 1 * v is v exactly, so a single factor is never rounded.
            Some(parts) => parts
                .iter()
                .fold(1.0, |product, part| product * part.value(data, row)),
            None => f64::NAN,
        }
    }

    /// Rows `start..start + len` of every column into `out`, column-major: column c is
    /// `out[c * len..(c + 1) * len]`. Each column is computed over the whole block at once (the
    /// fast way to read the matrix: one match per part and block, not per value), with the
    /// same products, in the same order, as [`ModelMatrix::value`].
    pub fn block_into(&self, data: &ModelData, start: usize, len: usize, out: &mut [f64]) {
        for (parts, column) in self.products.iter().zip(out.chunks_exact_mut(len.max(1))) {
            column.fill(1.0);
            for &part in parts {
                part.multiply_block(data, start, column);
            }
        }
    }

    /// Calls `visit(len, block)` for consecutive blocks of at most [`BLOCK_ROWS`] rows covering
    /// all rows in order, `block` as [`ModelMatrix::block_into`] fills it.
    pub fn for_each_block(&self, data: &ModelData, mut visit: impl FnMut(usize, &[f64])) {
        let mut block = vec![0.0; BLOCK_ROWS * self.ncols()];
        let mut start = 0;
        while start < data.nrows() {
            let len = BLOCK_ROWS.min(data.nrows() - start);
            let block = &mut block[..len * self.ncols()];
            self.block_into(data, start, len, block);
            visit(len, block);
            start += len;
        }
    }

    /// Each column's sum and whether all its values are 1 (the intercept, or a variable that is
    /// 1 on every used row), and whether every value is finite: one pass, in row order.
    pub(crate) fn column_sums(&self, data: &ModelData) -> ColumnSums {
        let p = self.ncols();
        let mut sums = ColumnSums {
            sums: vec![0.0; p],
            all_ones: vec![true; p],
            finite: true,
        };
        self.for_each_block(data, |len, block| {
            let columns = block
                .chunks_exact(len)
                .zip(&mut sums.sums)
                .zip(&mut sums.all_ones);
            for ((column, sum), ones) in columns {
                for &v in column {
                    sums.finite &= v.is_finite();
                    *sum += v;
                    *ones &= v == 1.0;
                }
            }
        });
        sums
    }

    /// Column `col` over all rows (for checks on one column; the model never needs it whole).
    pub fn column(&self, data: &ModelData, col: usize) -> Vec<f64> {
        (0..data.nrows())
            .map(|r| self.value(data, r, col))
            .collect()
    }

    /// Removes the columns at `indices`.
    pub(crate) fn remove(&mut self, indices: &[usize]) {
        let mut col = 0;
        self.names.retain(|_| {
            col += 1;
            !indices.contains(&(col - 1))
        });
        let mut col = 0;
        self.products.retain(|_| {
            col += 1;
            !indices.contains(&(col - 1))
        });
        let mut col = 0;
        self.assign.retain(|_| {
            col += 1;
            !indices.contains(&(col - 1))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_of_numbers_and_indicators() {
        let data = ModelData::new(
            3,
            vec![
                UsedVariable::Numeric(vec![2.0, 3.0, 0.5]),
                UsedVariable::Factor {
                    codes: vec![0, 1, 1],
                    levels: vec!["a".into(), "b".into()],
                },
            ],
        );
        let mut m = ModelMatrix::default();
        m.push("(Intercept)".into(), vec![]);
        m.push("x".into(), vec![Part::Numeric(0)]);
        m.push(
            "x:fb".into(),
            vec![
                Part::Numeric(0),
                Part::Indicator {
                    variable: 1,
                    level: 1,
                },
            ],
        );
        m.push("x:x".into(), vec![Part::Numeric(0), Part::Numeric(0)]);
        assert_eq!(m.column(&data, 0), [1.0, 1.0, 1.0]);
        assert_eq!(m.column(&data, 2), [0.0, 3.0, 0.5]);
        assert_eq!(m.column(&data, 3), [4.0, 9.0, 0.25]);
        // A block of one row is that row.
        let mut row = [0.0; 4];
        m.block_into(&data, 1, 1, &mut row);
        assert_eq!(row, [1.0, 3.0, 3.0, 9.0]);
        let sums = m.column_sums(&data);
        assert_eq!(sums.sums, [3.0, 5.5, 3.5, 13.25]);
        assert_eq!(sums.all_ones, [true, false, false, false]);
        assert!(sums.finite);
        m.remove(&[0, 2]);
        assert_eq!(m.names, ["x", "x:x"]);
        assert_eq!(m.column(&data, 1), [4.0, 9.0, 0.25]);
        // Blocks hold the same values as single reads.
        let mut block = [0.0; 2 * 2];
        m.block_into(&data, 1, 2, &mut block);
        assert_eq!(block, [3.0, 0.5, 9.0, 0.25]);
        let mut seen = Vec::new();
        m.for_each_block(&data, |len, b| seen.push((len, b.to_vec())));
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0], (3, vec![2.0, 3.0, 0.5, 4.0, 9.0, 0.25]));
        // A part naming a variable of the wrong kind reads as missing, never panics.
        m.push("bad".into(), vec![Part::Numeric(1)]);
        assert!(m.value(&data, 0, 2).is_nan());
        let mut block = [0.0; 3 * 3];
        m.block_into(&data, 0, 3, &mut block);
        assert!(block[6..].iter().all(|v| v.is_nan()));
    }
}
