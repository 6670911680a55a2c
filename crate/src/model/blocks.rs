//! The small dense algebra of one level of a random-effects term: Λ_i from theta and the
//! Cholesky factor of a q x q block.

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
