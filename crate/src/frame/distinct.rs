//! The sorted distinct values of a column (person ids, occasions): one pass with a set of the
//! values' bits, as large as the distinct values, never as the rows.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// Hashes one u64 (a value's bits) with the splitmix64 finaliser: the values are the user's own
/// data, so the default hasher's protection against chosen collisions buys nothing, and at a
/// million rows its cost showed in the profile of the browser's data step.
#[derive(Default)]
struct BitsHasher(u64);

impl Hasher for BitsHasher {
    fn finish(&self) -> u64 {
        let mut x = self.0;
        x ^= x >> 30;
        x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x ^= x >> 27;
        x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 ^= value;
    }
}

/// The distinct non-NaN `values`, sorted; -0 counts as 0. Runs of one value (an id repeated on
/// its person's rows) are looked up once.
pub(crate) fn distinct_sorted(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut seen: HashSet<u64, BuildHasherDefault<BitsHasher>> = HashSet::default();
    let mut last = f64::NAN.to_bits();
    for v in values.filter(|v| !v.is_nan()).map(|v| (v + 0.0).to_bits()) {
        if v != last {
            seen.insert(v);
            last = v;
        }
    }
    let mut distinct: Vec<f64> = seen.into_iter().map(f64::from_bits).collect();
    distinct.sort_by(f64::total_cmp);
    distinct
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_without_repeats_nan_or_negative_zero() {
        let values = [3.0, 3.0, f64::NAN, -0.0, 1.5, 0.0, 3.0, -2.0, 1e300, 1.5];
        let distinct = distinct_sorted(values.into_iter());
        assert_eq!(distinct, [-2.0, 0.0, 1.5, 3.0, 1e300]);
        assert!(distinct[1].is_sign_positive());
        let many = distinct_sorted((0..100_000).rev().map(|i| f64::from(i % 5000) / 4.0));
        assert_eq!(many.len(), 5000);
        assert!(many.windows(2).all(|w| w[0] < w[1]));
    }
}
