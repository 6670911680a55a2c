//! The small dense algebra of one level of the first random-effects term: Λ_i from theta, the
//! Cholesky factor of a q x q block, and the written-out per-level update of the blocked
//! factor for random intercepts and single slopes (the common models).

/// Cholesky of a small dense symmetric matrix stored column-major, in place (lower triangle).
/// Returns false when the matrix is not positive definite.
pub(crate) fn small_cholesky(a: &mut [f64], q: usize) -> bool {
    for j in 0..q {
        let mut d = a[j * q + j];
        for k in 0..j {
            d -= a[k * q + j] * a[k * q + j];
        }
        if d.is_nan() || d <= 0.0 || !d.is_finite() {
            return false;
        }
        let d = d.sqrt();
        a[j * q + j] = d;
        for i in j + 1..q {
            let mut s = a[j * q + i];
            for k in 0..j {
                s -= a[k * q + i] * a[k * q + j];
            }
            a[j * q + i] = s / d;
        }
        for i in 0..j {
            a[j * q + i] = 0.0;
        }
    }
    true
}

/// The relative covariance factor Λ_i of one term: lower triangular q x q, filled column by
/// column from its segment of theta (lme4's layout), column-major.
pub(crate) fn lambda_block(theta: &[f64], q: usize) -> Vec<f64> {
    let mut lambda = vec![0.0; q * q];
    let mut k = 0;
    for j in 0..q {
        for i in j..q {
            lambda[j * q + i] = theta[k];
            k += 1;
        }
    }
    lambda
}

/// Number of theta parameters of a term with q columns.
pub fn theta_len(q: usize) -> usize {
    q * (q + 1) / 2
}

/// update_l's per-level work for q1 = 1 or 2 and no other random-effects term: L11_g, L21_g and
/// the downdate Σ L21_g L21_g' (lower triangle, column-major m x m). Returns false when some
/// L11_g is not positive definite.
pub(super) fn update_small_levels(
    a11: &[f64],
    l11: &mut [f64],
    l21: &mut [f64],
    downdate: &mut [f64],
    lam: &[f64],
    q1: usize,
    m: usize,
) -> bool {
    let mut ok = true;
    if q1 == 1 {
        let t = lam[0];
        for ((a, l), block) in a11.iter().zip(l11.iter_mut()).zip(l21.chunks_exact_mut(m)) {
            let d = (t * t * a + 1.0).sqrt();
            ok &= d.is_finite() && d > 0.0;
            *l = d;
            let f = t / d;
            block.iter_mut().for_each(|v| *v *= f);
            for j in 0..m {
                let bj = block[j];
                for i in j..m {
                    downdate[j * m + i] += block[i] * bj;
                }
            }
        }
        return ok;
    }
    let (t0, t1, t2) = (lam[0], lam[1], lam[3]);
    for ((a, l), block) in a11
        .chunks_exact(4)
        .zip(l11.chunks_exact_mut(4))
        .zip(l21.chunks_exact_mut(2 * m))
    {
        // A Λ, then M = Λ' A Λ + I (lower triangle).
        let al00 = a[0] * t0 + a[2] * t1;
        let al10 = a[1] * t0 + a[3] * t1;
        let al11 = a[3] * t2;
        let m00 = t0 * al00 + t1 * al10 + 1.0;
        let m10 = t2 * al10;
        let m11 = t2 * al11 + 1.0;
        let l00 = m00.sqrt();
        let l10 = m10 / l00;
        let d11 = m11 - l10 * l10;
        ok &= l00.is_finite() && l00 > 0.0 && d11 > 0.0;
        let l11_ = d11.sqrt();
        l[0] = l00;
        l[1] = l10;
        l[2] = 0.0;
        l[3] = l11_;
        let (c0, c1) = block.split_at_mut(m);
        // One division per diagonal element, not one per row of the block.
        let (inv00, inv11) = (1.0 / l00, 1.0 / l11_);
        for (x0, x1) in c0.iter_mut().zip(c1.iter_mut()) {
            // Row of C Λ, then forward substitution with L11_g.
            let r0 = *x0 * t0 + *x1 * t1;
            let r1 = *x1 * t2;
            let y0 = r0 * inv00;
            *x0 = y0;
            *x1 = (r1 - l10 * y0) * inv11;
        }
        for j in 0..m {
            let (b0, b1) = (c0[j], c1[j]);
            for i in j..m {
                downdate[j * m + i] += c0[i] * b0 + c1[i] * b1;
            }
        }
    }
    ok
}
