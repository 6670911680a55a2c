//! The criterion at many values of theta at once (the points of a finite-difference stencil, the
//! steps of the Satterthwaite derivatives), natively over the machine's cores.
//!
//! The points of such a batch do not depend on each other's values, and an evaluation's result
//! depends on its theta alone: the reuse of unchanged block rows gives the bits of a fresh factor
//! ([`super::factor`]). So the results do not depend on how the points are shared out between
//! threads, and a run on several threads gives the numbers of a run on one, which is what the
//! page's worker (one thread) does. Each thread evaluates on its own copy of the model, which
//! shares the cross-products and the terms' rows and owns only its factor.

use super::LinearMixedModel;
use std::ops::Range;
use std::sync::Arc;

/// Least work of one evaluation ([`super::factor::BlockedFactor::work_from`] term 0, about its flops) worth
/// sharing out: below it (a model of a few thousand random effects, evaluated in well under a
/// millisecond) starting a thread costs about as much as it saves.
const PARALLEL_MIN_WORK: f64 = 2e5;

/// Most threads a batch uses. Each costs a copy of the factor (InstEval's 12 MB, the 700,000-row
/// three-level panel's 9 MB, against a memory budget of 4x the CSV), and a stencil has few
/// points in chains that reuse each other's factors (9 points for three variance parameters), so
/// that a second thread gains the most: it about halves the time of a batch.
const MAX_THREADS: usize = 2;

/// The threads a model may use: the machine's cores up to [`MAX_THREADS`]; one where threads
/// cannot be started (in the browser the page's worker is the one thread).
pub(super) fn available_threads() -> usize {
    if cfg!(target_family = "wasm") {
        return 1;
    }
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
}

impl LinearMixedModel {
    /// Limits the threads that evaluate a batch of thetas (1: all on the calling thread).
    /// Any number is allowed natively (up to [`MAX_THREADS`]), more than the cores too; in wasm
    /// always one.
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = if cfg!(target_family = "wasm") {
            1
        } else {
            threads.clamp(1, MAX_THREADS)
        };
        self.spares.truncate(self.threads - 1);
    }

    /// Frees the copies the threads evaluated on (the next batch makes them again).
    pub fn release_spares(&mut self) {
        self.spares = Vec::new();
    }

    /// Whether a batch is shared out between threads (when more than one is allowed): one
    /// evaluation must be worth it.
    pub fn batches_in_parallel(&self) -> bool {
        self.threads > 1 && self.l.work_from(0) >= PARALLEL_MIN_WORK
    }

    /// The threads for `n` independent pieces of work: one unless batches are shared out.
    fn threads_for(&self, n: usize) -> usize {
        if self.batches_in_parallel() {
            self.threads.min(n).max(1)
        } else {
            1
        }
    }

    /// `eval` of the model factored at each of `thetas`, in their order. Afterwards the model is
    /// factored at one of them (which one is not said: ask for the theta you need next).
    pub fn at_each<T: Send>(
        &mut self,
        thetas: &[Vec<f64>],
        eval: impl Fn(&mut LinearMixedModel) -> T + Sync,
    ) -> Vec<T> {
        let threads = self.threads_for(thetas.len());
        while self.spares.len() < threads - 1 {
            let spare = self.evaluation_copy();
            self.spares.push(spare);
        }
        let mut spares = std::mem::take(&mut self.spares);
        let plan = {
            let mut starts = vec![self.factored()];
            starts.extend(spares[..threads - 1].iter().map(LinearMixedModel::factored));
            self.schedule(thetas, starts)
        };
        let run = |model: &mut LinearMixedModel, points: &[usize]| -> Vec<(usize, T)> {
            points
                .iter()
                .map(|&i| {
                    model.set_theta(&thetas[i]);
                    model.update_l();
                    (i, eval(model))
                })
                .collect()
        };
        let (own, theirs) = plan.split_first().expect("one thread at least");
        let mut results = if theirs.is_empty() {
            run(self, own)
        } else {
            std::thread::scope(|scope| {
                let others: Vec<_> = spares
                    .iter_mut()
                    .zip(theirs)
                    .map(|(spare, points)| scope.spawn(|| run(spare, points)))
                    .collect();
                let mut results = run(self, own);
                results.extend(others.into_iter().flat_map(joined));
                results
            })
        };
        self.spares = spares;
        results.sort_by_key(|&(i, _)| i);
        results.into_iter().map(|(_, value)| value).collect()
    }

    /// `f` over `0..n` cut into one contiguous range per thread (as many as a batch would use),
    /// its results concatenated in order: for work that is independent from index to index
    /// (the conditional covariances of the levels), with the bits of one thread.
    pub(super) fn over_ranges<T: Send>(
        &self,
        n: usize,
        f: impl Fn(Range<usize>) -> Vec<T> + Sync,
    ) -> Vec<T> {
        let threads = self.threads_for(n);
        let bound = |t: usize| t * n / threads;
        if threads == 1 {
            return f(0..n);
        }
        std::thread::scope(|scope| {
            let f = &f;
            let others: Vec<_> = (1..threads)
                .map(|t| scope.spawn(move || f(bound(t)..bound(t + 1))))
                .collect();
            let mut out = f(0..bound(1));
            out.extend(others.into_iter().flat_map(joined));
            out
        })
    }

    /// Which points each thread evaluates, in order, for threads whose factors stand at
    /// `starts`. Greedily: the thread with the least work so far takes the point that is
    /// cheapest from its last theta. A point that moves only the last terms reuses the rest of
    /// the factor (InstEval: a step in dept:service skips the lecturers' dense Cholesky), so
    /// the stencil's points are chained to reuse as much as they can, on one thread as on many.
    fn schedule(&self, thetas: &[Vec<f64>], starts: Vec<Option<&[f64]>>) -> Vec<Vec<usize>> {
        let k = self.terms.len();
        let work: Vec<f64> = (0..=k).map(|from| self.l.work_from(from)).collect();
        let cost = |from: Option<&[f64]>, to: &[f64]| match from {
            None => work[0],
            Some(f) => self.first_difference(f, to).map_or(0.0, |i| work[i]),
        };
        let mut at = starts;
        let mut load = vec![0.0f64; at.len()];
        let mut plan = vec![Vec::new(); at.len()];
        let mut left: Vec<usize> = (0..thetas.len()).collect();
        while !left.is_empty() {
            let t = (0..load.len())
                .min_by(|&a, &b| load[a].total_cmp(&load[b]))
                .expect("one thread at least");
            let (pos, c) = left
                .iter()
                .enumerate()
                .map(|(pos, &i)| (pos, cost(at[t], &thetas[i])))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .expect("points are left");
            let i = left.remove(pos);
            load[t] += c;
            at[t] = Some(&thetas[i]);
            plan[t].push(i);
        }
        plan
    }

    /// A copy for evaluating theta at the current cross-products: shares them and the terms, owns
    /// a copy of the factor. It has no rows to whiten, so it cannot move phi.
    fn evaluation_copy(&self) -> LinearMixedModel {
        LinearMixedModel {
            terms: Arc::clone(&self.terms),
            fixed_names: self.fixed_names.clone(),
            nobs: self.nobs,
            p: self.p,
            theta_offsets: self.theta_offsets.clone(),
            lower: self.lower.clone(),
            a: Arc::clone(&self.a),
            l: self.l.clone(),
            theta: self.theta.clone(),
            factor_ok: self.factor_ok,
            factored_theta: self.factored_theta.clone(),
            centering: self.centering.clone(),
            parents: Arc::clone(&self.parents),
            correlated: None,
            logdet_r: self.logdet_r,
            threads: 1,
            spares: Vec::new(),
        }
    }
}

/// A scoped thread's result; its panic goes on in the caller.
fn joined<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
