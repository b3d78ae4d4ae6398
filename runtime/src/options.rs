//! [`RequestOptions`]: per-client-view and per-request overrides of the timeout and the retry
//! policy.

use std::time::Duration;

use crate::retry::RetryPolicy;

/// Settings that override the client's for some requests.
///
/// Use them for every request of a client view with
/// [`ClientCore::with_options`](crate::ClientCore::with_options) (generated clients offer
/// `Client::with_options`), or for one request with
/// [`Request::options`](crate::Request::options). Unset fields keep what applies already;
/// set ones win, the request's over the view's over the builder's.
///
/// ```
/// use std::time::Duration;
/// use forge_runtime::{RequestOptions, RetryPolicy};
///
/// let patient = RequestOptions::new()
///     .timeout(Duration::from_secs(300))
///     .retry(RetryPolicy::default().max_attempts(5));
/// let once = RequestOptions::new().retry(RetryPolicy::disabled());
/// # let _ = (patient, once);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) retry_non_idempotent: Option<bool>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Limits the time each attempt may take, from connecting to reading the last byte of
    /// the response (replaces [`ClientCoreBuilder::timeout`](crate::ClientCoreBuilder::timeout)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Uses `policy` instead of the client's [`RetryPolicy`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Whether non-idempotent methods (POST, PATCH, ...) are retried after a 500, 502, 504, a
    /// connect error, a timeout or a broken connection; overrides
    /// [`RetryPolicy::retry_non_idempotent`].
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = Some(retry);
        self
    }

    /// The timeout override, if set.
    pub fn timeout_override(&self) -> Option<Duration> {
        self.timeout
    }

    /// The retry policy override, if set.
    pub fn retry_override(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }

    /// The `retry_non_idempotent` override, if set.
    pub fn retry_non_idempotent_override(&self) -> Option<bool> {
        self.retry_non_idempotent
    }

    /// These options with the fields set in `over` replaced by `over`'s.
    pub(crate) fn overridden_by(&self, over: &RequestOptions) -> RequestOptions {
        RequestOptions {
            timeout: over.timeout.or(self.timeout),
            retry: over.retry.clone().or_else(|| self.retry.clone()),
            retry_non_idempotent: over.retry_non_idempotent.or(self.retry_non_idempotent),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_settings_win_field_by_field() {
        let base = RequestOptions::new()
            .timeout(Duration::from_secs(1))
            .retry_non_idempotent(true);
        let over = RequestOptions::new()
            .timeout(Duration::from_secs(2))
            .retry(RetryPolicy::disabled());
        let merged = base.overridden_by(&over);
        assert_eq!(merged.timeout, Some(Duration::from_secs(2)));
        assert_eq!(merged.retry, Some(RetryPolicy::disabled()));
        assert_eq!(merged.retry_non_idempotent, Some(true));
        assert_eq!(base.overridden_by(&RequestOptions::new()), base);
        assert_eq!(RequestOptions::new().overridden_by(&over), over);
    }
}
