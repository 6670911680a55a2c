//! What the factor says about the random effects, and the cross-products that a decomposition of
//! the variance needs: the spherical conditional modes u, the conditional modes b = Λu (lme4's
//! `ranef`), their conditional covariances (lme4's `condVar`), each term's Z_k'Z_k and the
//! scatter of X.
//!
//! This is the one place outside `update_l` that reads the blocks of A and L, so that a change of
//! their storage (more block types for many terms) has these few accessors to follow.
//!
//! With L the blocked factor of `[ZΛ X y]`'s augmented system, its last row holds c = L_A^-1 r,
//! so [u; beta] = L_A'^-1 c (Bates et al. 2015, eqs. 17-18): first the rest block (the other
//! terms' u and beta, from L22), then each level of the first term from its own L11_g and L21_g.
//! The centring of X and y does not change u: it moves only the intercept.
//!
//! lme4's `condVar` is σ² Λ (L_Z L_Z')^-1 Λ' per level, with L_Z the factor of Λ'Z'ZΛ + I alone
//! (conditional on the estimated beta). With L_Z = [[L11, 0], [L21, L22_Z]] its inverse is
//! [[L11^-1, 0], [-W L21 L11^-1, W]] with W = L22_Z^-1, so a level g of the first term has
//! (L_Z L_Z')^-1_gg = M'M + (W L21_g M)'(W L21_g M) with M = L11_g^-1, and the other terms' blocks
//! are those of W'W.

use super::LinearMixedModel;
use nalgebra::DMatrix;

impl LinearMixedModel {
    /// The spherical conditional modes u at the current factor, one vector per term (in the
    /// model's term order), level by level (level g's q values start at g * q).
    pub fn spherical_modes(&self) -> Vec<Vec<f64>> {
        let m = self.l22.nrows();
        let r = self.q_rest + self.p;
        let c = self.l22.view((m - 1, 0), (1, r)).transpose();
        let rest = self
            .l22
            .view((0, 0), (r, r))
            .tr_solve_lower_triangular(&c)
            .map(|v| v.as_slice().to_vec())
            .unwrap_or_else(|| vec![f64::NAN; r]);
        let q1 = self.terms[0].q();
        let mut first = vec![0.0; self.terms[0].levels.len() * q1];
        for (g, u) in first.chunks_exact_mut(q1).enumerate() {
            let block = &self.l21[g * m * q1..(g + 1) * m * q1];
            let l = &self.l11[g * q1 * q1..(g + 1) * q1 * q1];
            for (c, uc) in u.iter_mut().enumerate() {
                let column = &block[c * m..(c + 1) * m];
                *uc = column[m - 1]
                    - column[..r]
                        .iter()
                        .zip(&rest)
                        .map(|(a, b)| a * b)
                        .sum::<f64>();
            }
            // L11_g' u = rhs, bottom row first.
            for i in (0..q1).rev() {
                let s: f64 = (i + 1..q1).map(|k| l[i * q1 + k] * u[k]).sum();
                u[i] = (u[i] - s) / l[i * q1 + i];
            }
        }
        let mut modes = vec![first];
        for (k, t) in self.terms.iter().enumerate().skip(1) {
            let start = self.rest_offsets[k];
            modes.push(rest[start..start + t.q() * t.levels.len()].to_vec());
        }
        modes
    }

    /// The conditional modes b = Λ u of every term (lme4's `ranef`), laid out as
    /// [`LinearMixedModel::spherical_modes`].
    pub fn conditional_modes(&self) -> Vec<Vec<f64>> {
        let mut modes = self.spherical_modes();
        for (k, u) in modes.iter_mut().enumerate() {
            let q = self.terms[k].q();
            let lambda = self.lambda(k);
            for level in u.chunks_exact_mut(q) {
                // (Λ u)_i = sum over j <= i of Λ[i, j] u_j: in place, bottom row first.
                for i in (0..q).rev() {
                    level[i] = (0..=i).map(|j| lambda[j * q + i] * level[j]).sum();
                }
            }
        }
        modes
    }

    /// The conditional covariance of each level's b given the data (at the estimated beta and
    /// the current theta), σ² Λ (L_Z L_Z')^-1_gg Λ' as lme4's `condVar`: one vector per term,
    /// level by level, each a q x q column-major block. Costs q_rest² per level of the first
    /// term when there are other terms.
    pub fn conditional_covariances(&self, sigma: f64) -> Vec<Vec<f64>> {
        let m = self.l22.nrows();
        let qr = self.q_rest;
        let w = self
            .l22
            .view((0, 0), (qr, qr))
            .into_owned()
            .solve_lower_triangular(&DMatrix::identity(qr, qr))
            .unwrap_or_else(|| DMatrix::from_element(qr, qr, f64::NAN));
        let q1 = self.terms[0].q();
        let mut first = Vec::with_capacity(self.terms[0].levels.len() * q1 * q1);
        for g in 0..self.terms[0].levels.len() {
            let l = DMatrix::from_column_slice(q1, q1, &self.l11[g * q1 * q1..(g + 1) * q1 * q1]);
            let inverse = l
                .solve_lower_triangular(&DMatrix::identity(q1, q1))
                .unwrap_or_else(|| DMatrix::from_element(q1, q1, f64::NAN));
            let mut v = inverse.transpose() * &inverse;
            if qr > 0 {
                let block = &self.l21[g * m * q1..(g + 1) * m * q1];
                let l21 = DMatrix::from_fn(qr, q1, |r, c| block[c * m + r]);
                let q = &w * l21 * &inverse;
                v += q.transpose() * q;
            }
            first.extend_from_slice(v.as_slice());
        }
        let mut blocks = vec![first];
        for (k, t) in self.terms.iter().enumerate().skip(1) {
            let q = t.q();
            let mut term = Vec::with_capacity(t.levels.len() * q * q);
            for g in 0..t.levels.len() {
                let at = self.rest_offsets[k] + g * q;
                for b in 0..q {
                    for a in 0..q {
                        term.push((0..qr).map(|r| w[(r, at + a)] * w[(r, at + b)]).sum());
                    }
                }
            }
            blocks.push(term);
        }
        for (k, term) in blocks.iter_mut().enumerate() {
            let q = self.terms[k].q();
            let lambda = DMatrix::from_vec(q, q, self.lambda(k));
            for level in term.chunks_exact_mut(q * q) {
                let v = DMatrix::from_column_slice(q, q, level);
                let scaled = &lambda * v * lambda.transpose() * (sigma * sigma);
                level.copy_from_slice(scaled.as_slice());
            }
        }
        blocks
    }

    /// Z_k'Z_k of term k summed over its levels: q x q, column-major (Z is never centred).
    pub fn term_gram(&self, k: usize) -> Vec<f64> {
        let t = &self.terms[k];
        let q = t.q();
        let mut gram = vec![0.0; q * q];
        if k == 0 {
            for block in self.a11.chunks_exact(q * q) {
                gram.iter_mut().zip(block).for_each(|(s, v)| *s += v);
            }
            return gram;
        }
        for g in 0..t.levels.len() {
            let at = self.rest_offsets[k] + g * q;
            for b in 0..q {
                for a in 0..q {
                    gram[b * q + a] += self.a22[(at + a, at + b)];
                }
            }
        }
        gram
    }

    /// The scatter matrix of X about its column means, Σ (x - x̄)(x - x̄)' (p x p), from the
    /// centred cross-products: Σ (x - s)(x - s)' - n (x̄ - s)(x̄ - s)' for the shift s.
    pub fn fixed_scatter(&self) -> DMatrix<f64> {
        let o = self.q_rest;
        let n = self.nobs as f64;
        let d: Vec<f64> = self
            .centering
            .x_mean
            .iter()
            .zip(&self.centering.x_shift)
            .map(|(mean, shift)| mean - shift)
            .collect();
        DMatrix::from_fn(self.p, self.p, |i, j| {
            self.a22[(o + i, o + j)] - n * d[i] * d[j]
        })
    }

    /// Σ_k = Λ_k Λ_k' of term k (the relative covariance: times σ² it is the term's covariance),
    /// q x q column-major.
    pub fn relative_covariance(&self, k: usize) -> Vec<f64> {
        let q = self.terms[k].q();
        let lambda = DMatrix::from_vec(q, q, self.lambda(k));
        (&lambda * lambda.transpose()).as_slice().to_vec()
    }
}
