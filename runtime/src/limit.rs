//! Client-side rate limiting: [`RateLimit`] (the setting) and `Limiter` (the shared state that
//! hands out one permit per attempt).
//!
//! The limiter keeps a sliding-window log: the start instants of the most recent attempts, at
//! most `requests` of them. An attempt may start when fewer than `requests` starts lie within
//! the last window; otherwise it sleeps until the oldest one leaves the window. Waiters queue
//! on a FIFO mutex, so they are served in arrival order, and nobody polls in a loop.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// The smallest extra time added to every window; see [`RateLimit`].
const MIN_MARGIN: Duration = Duration::from_millis(10);

/// At most `requests` request starts in any window of length `per`, counted per client.
///
/// Every attempt takes a permit, retries included, and the limit is shared by all clones of a
/// [`ClientCore`](crate::ClientCore) (and all [`with_options`](crate::ClientCore::with_options)
/// views of it).
///
/// **Safety margin.** The client measures when it *starts* a request; the server measures
/// when the request *arrives*. The delay in between varies (a new connection, a busy
/// scheduler), so two starts exactly `per` apart can arrive less than `per` apart, and a strict
/// server could see `requests + 1` in one of its windows. The limiter therefore treats the
/// window as `per` plus 2 % plus 10 ms (1.03 s for a limit per second, 61.21 s per minute),
/// which absorbs that jitter at the cost of about 3 % of the throughput.
///
/// ```
/// use std::time::Duration;
/// use forge_runtime::RateLimit;
///
/// let limit = RateLimit::new(1200, Duration::from_secs(60));
/// assert_eq!(limit.requests(), 1200);
/// assert_eq!(limit.per(), Duration::from_secs(60));
/// // `requests` is at least 1.
/// assert_eq!(RateLimit::new(0, Duration::from_secs(1)).requests(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RateLimit {
    requests: u32,
    per: Duration,
}

impl RateLimit {
    /// At most `requests` request starts per `per`. A `requests` of 0 is taken as 1.
    pub fn new(requests: u32, per: Duration) -> Self {
        RateLimit {
            requests: requests.max(1),
            per,
        }
    }

    /// How many requests may start per window.
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// The length of the window, as given (without the safety margin).
    pub fn per(&self) -> Duration {
        self.per
    }

    /// The window the limiter enforces: `per` plus the safety margin.
    pub(crate) fn effective_window(&self) -> Duration {
        self.per
            .saturating_add(self.per / 50)
            .saturating_add(MIN_MARGIN)
    }
}

/// The state behind one [`RateLimit`], shared (in an `Arc`) by all clones of a client.
#[derive(Debug)]
pub(crate) struct Limiter {
    limit: RateLimit,
    requests: usize,
    window: Duration,
    /// Start instants of the latest attempts, oldest first; never more than `requests`.
    starts: Mutex<VecDeque<Instant>>,
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        let requests = usize::try_from(limit.requests).unwrap_or(usize::MAX);
        Limiter {
            limit,
            requests,
            window: limit.effective_window(),
            starts: Mutex::new(VecDeque::with_capacity(requests.min(1024))),
        }
    }

    /// The setting this limiter enforces.
    pub(crate) fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Waits until one more request may start, then records it as started now.
    ///
    /// Cancel-safe: a caller dropped while waiting takes no permit.
    pub(crate) async fn acquire(&self) {
        // Tokio's mutex is fair (FIFO), so waiters are served in the order they came. The
        // holder may sleep with the lock held: nobody else could start before it anyway.
        let mut starts = self.starts.lock().await;
        loop {
            let now = Instant::now();
            while starts
                .front()
                .is_some_and(|&start| now.saturating_duration_since(start) >= self.window)
            {
                starts.pop_front();
            }
            if starts.len() < self.requests {
                starts.push_back(now);
                return;
            }
            // Full: the oldest start leaves the window first.
            let oldest_age = starts
                .front()
                .map_or(self.window, |&start| now.saturating_duration_since(start));
            tokio::time::sleep(self.window.saturating_sub(oldest_age)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn window_has_a_margin() {
        let limit = RateLimit::new(5, Duration::from_secs(1));
        assert_eq!(limit.effective_window(), Duration::from_millis(1030));
        let limit = RateLimit::new(5, Duration::from_secs(60));
        assert_eq!(limit.effective_window(), Duration::from_millis(61_210));
        let limit = RateLimit::new(5, Duration::ZERO);
        assert_eq!(limit.effective_window(), MIN_MARGIN);
        let limit = RateLimit::new(5, Duration::MAX);
        assert_eq!(limit.effective_window(), Duration::MAX);
    }

    /// Sorted start instants never have `n + 1` within one `window`.
    fn assert_spread(mut starts: Vec<Instant>, n: usize, window: Duration) {
        starts.sort();
        for pair in starts.windows(n + 1) {
            let span = pair[n] - pair[0];
            assert!(span >= window, "{} starts within {span:?}", n + 1);
        }
    }

    #[tokio::test]
    async fn permits_are_spread_over_windows() {
        let limit = RateLimit::new(3, Duration::from_millis(200));
        let limiter = Arc::new(Limiter::new(limit));
        let began = Instant::now();
        let tasks: Vec<_> = (0..9)
            .map(|_| {
                let limiter = Arc::clone(&limiter);
                tokio::spawn(async move {
                    limiter.acquire().await;
                    Instant::now()
                })
            })
            .collect();
        let mut starts = Vec::new();
        for task in tasks {
            starts.push(task.await.expect("task"));
        }
        // 9 permits at 3 per window: the last batch starts two windows after the first.
        let window = limit.effective_window();
        assert!(began.elapsed() >= window * 2, "{:?}", began.elapsed());
        assert!(
            began.elapsed() < Duration::from_secs(3),
            "{:?}",
            began.elapsed()
        );
        // The instants are taken after the task resumes, a little after the permit: allow for
        // that scheduling noise (the HTTP tests check the exact bound as a server sees it).
        assert_spread(starts, 3, limit.per() * 3 / 4);
    }

    #[tokio::test]
    async fn a_cancelled_waiter_takes_no_permit() {
        let limiter = Limiter::new(RateLimit::new(1, Duration::from_millis(200)));
        limiter.acquire().await;
        let waited = tokio::time::timeout(Duration::from_millis(20), limiter.acquire()).await;
        assert!(waited.is_err(), "the second permit must wait");
        assert_eq!(limiter.starts.lock().await.len(), 1);
    }
}
