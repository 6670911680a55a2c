//! The conditional modes of the random effects at the current factor (Bates et al. 2015,
//! eq. 30): the spherical u solves L_Z' u = c_Z - L_XZ' beta by block back-substitution, and
//! b = Λ u. The narrow view of the fit that the outputs per group (conditional modes, fitted
//! values) build on.

use super::structure::at;
use super::LinearMixedModel;

impl LinearMixedModel {
    /// The spherical random effects u, one vector per term in the model's order, level after
    /// level (q values each).
    pub fn spherical_modes(&self) -> Vec<Vec<f64>> {
        let k = self.terms.len();
        let p = self.p;
        let beta = self.centred_beta();
        let blocks = &self.l.blocks;
        // Right-hand sides from the [X y] rows of L: row p is c_Z, rows 0..p are L_XZ.
        let mut u: Vec<Vec<f64>> = (0..k)
            .map(|j| {
                let l = &blocks[at(k, j)];
                (0..self.l.dims[j].size())
                    .map(|c| l.get(p, c) - (0..p).map(|a| l.get(a, c) * beta[a]).sum::<f64>())
                    .collect()
            })
            .collect();
        for j in (0..k).rev() {
            let mut v = std::mem::take(&mut u[j]);
            for (i, ui) in u.iter().enumerate().take(k).skip(j + 1) {
                blocks[at(i, j)].subtract_transposed_product(ui, &mut v);
            }
            blocks[at(j, j)].solve_transposed(&mut v);
            u[j] = v;
        }
        u
    }

    /// The conditional modes b = Λ u (lme4's `ranef`), one vector per term in the model's
    /// order, level after level (the term's q columns for each level).
    pub fn conditional_modes(&self) -> Vec<Vec<f64>> {
        let mut modes = self.spherical_modes();
        for (i, b) in modes.iter_mut().enumerate() {
            let q = self.terms[i].q();
            let lambda = self.lambda(i);
            for level in b.chunks_exact_mut(q) {
                let u = level.to_vec();
                for (r, value) in level.iter_mut().enumerate() {
                    *value = (0..=r).map(|c| lambda[c * q + r] * u[c]).sum();
                }
            }
        }
        modes
    }
}
