//! [`RetryPolicy`]: whether a failed attempt is tried again, and how long to wait first.
//!
//! Everything here is pure: [`RetryPolicy::decide`] takes what happened (the failure, the
//! method, the attempts so far, the time spent, the server's `Retry-After`, a random number)
//! and returns the decision, so the policy table is tested without a network. The request
//! loop that applies it lives in `exec`.

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderValue;

use crate::{Method, StatusCode};

/// Default total number of attempts.
const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Default wait before the first retry (before jitter).
const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(250);
/// Default longest computed wait (before jitter).
const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(20);
/// Default longest `Retry-After` that is waited for.
const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

/// When and how a failed request is tried again.
///
/// | what happened                                         | GET, HEAD, PUT, DELETE, OPTIONS, TRACE | POST, PATCH, others |
/// |-------------------------------------------------------|----------------------------------------|---------------------|
/// | `429 Too Many Requests`, `503 Service Unavailable`    | retried                                | retried             |
/// | `500`, `502`, `504`                                   | retried                                | only if opted in    |
/// | connect error, timeout, connection closed or reset    | retried                                | only if opted in    |
/// | any other status (4xx, 3xx, 501, ...), other errors   | never                                  | never               |
///
/// 429 and 503 mean the server did not act on the request, so repeating it is safe for every
/// method. After a 500, 502, 504 or a broken connection the server may have acted, so only
/// idempotent methods are repeated unless the caller opts in with
/// [`retry_non_idempotent`](Self::retry_non_idempotent) (or
/// [`RequestOptions::retry_non_idempotent`](crate::RequestOptions::retry_non_idempotent)).
///
/// **Waits.** Before retry number `n` (1 for the first retry) the client waits a random time
/// between zero and `min(max_backoff, initial_backoff × 2^(n-1))` ("full jitter"). A
/// `Retry-After` header on the failed response (seconds or an HTTP date) replaces that wait;
/// one longer than [`max_retry_after`](Self::max_retry_after) ends the retries instead, and
/// so does any wait that would pass the [`deadline`](Self::deadline). The last error is then
/// returned.
///
/// Every attempt is a complete request: the same URL, headers and JSON body bytes, and a
/// permit from the client's [`RateLimit`](crate::RateLimit) if it has one.
///
/// ```
/// use std::time::Duration;
/// use forge_runtime::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(100))
///     .max_backoff(Duration::from_secs(5))
///     .deadline(Duration::from_secs(30));
/// let none = RetryPolicy::disabled();
/// # let _ = (policy, none);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    deadline: Option<Duration>,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, waits from 250 ms doubling up to 20 s with full jitter, `Retry-After`
    /// honoured up to 120 s, no deadline, no retries of non-idempotent methods after a 5xx
    /// or a broken connection.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            initial_backoff: DEFAULT_INITIAL_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
            deadline: None,
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// The default policy; see [`Default`](#impl-Default-for-RetryPolicy).
    pub fn new() -> Self {
        RetryPolicy::default()
    }

    /// A policy that never retries: one attempt.
    pub fn disabled() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// The total number of attempts, the first included (0 is taken as 1). Default: 3.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The upper bound of the first retry's random wait. Default: 250 ms.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest upper bound of a computed (not `Retry-After`) wait. Default: 20 s.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` the client waits for; a longer one returns the error at once
    /// (its headers tell the caller when to come back). Default: 120 s.
    pub fn max_retry_after(mut self, longest: Duration) -> Self {
        self.max_retry_after = longest;
        self
    }

    /// The time budget of one call: all attempts and the waits between them. A retry whose
    /// wait would end at or after the deadline is not made, and each attempt's timeout is cut
    /// to what is left. Measured from the moment the call starts (rate-limit waits count).
    /// Default: none.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Also retries POST, PATCH and other non-idempotent methods after a 500, 502, 504, a
    /// connect error, a timeout or a broken connection. Only safe when repeating the request
    /// cannot do harm (e.g. the API deduplicates by an idempotency key). Default: `false`.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// The most attempts a call makes (for event streams: drops in a row).
    pub(crate) fn max_attempts_allowed(&self) -> u32 {
        self.max_attempts
    }

    /// The longest wait a server may ask for.
    pub(crate) fn max_retry_after_allowed(&self) -> Duration {
        self.max_retry_after
    }

    /// The jittered wait before retry number `retry` (see [`RetryPolicy::decide`]).
    pub(crate) fn backoff_for(&self, retry: u32, random: u64) -> Duration {
        self.backoff(retry, random)
    }

    /// Whether non-idempotent methods are retried after a possibly-acted-on failure.
    pub(crate) fn retries_non_idempotent(&self) -> bool {
        self.retry_non_idempotent
    }

    /// The overall time budget, if any.
    pub(crate) fn deadline_budget(&self) -> Option<Duration> {
        self.deadline
    }

    /// Whether `attempt` is tried again, and after how long.
    ///
    /// `retry_non_idempotent` is the effective opt-in (the request's override or this
    /// policy's own).
    pub(crate) fn decide(
        &self,
        method: &Method,
        retry_non_idempotent: bool,
        attempt: &Attempt,
    ) -> Decision {
        if !retryable(attempt.failure, method, retry_non_idempotent) {
            return Decision::Stop(StopReason::NotRetryable);
        }
        if attempt.attempts_made >= self.max_attempts {
            return Decision::Stop(StopReason::AttemptsExhausted);
        }
        let wait = match attempt.retry_after {
            Some(asked) if asked > self.max_retry_after => {
                return Decision::Stop(StopReason::RetryAfterTooLong)
            }
            Some(asked) => asked,
            None => self.backoff(attempt.attempts_made, attempt.random),
        };
        if let Some(deadline) = self.deadline {
            if attempt.elapsed.saturating_add(wait) >= deadline {
                return Decision::Stop(StopReason::DeadlineExceeded);
            }
        }
        Decision::Retry { wait }
    }

    /// The jittered wait before retry number `retry` (1-based): uniform in
    /// `[0, min(max_backoff, initial_backoff × 2^(retry-1)))`, picked by `random`.
    fn backoff(&self, retry: u32, random: u64) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let cap = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        // cap × random / 2^64, in integers: no float rounding, no overflow, no panic.
        let cap_nanos = u128::from(u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX));
        let nanos = (cap_nanos * u128::from(random)) >> 64;
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

/// Why an attempt failed, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The server answered with this non-2xx status.
    Status(StatusCode),
    /// Connecting failed (refused, DNS, TLS handshake).
    Connect,
    /// The attempt ran out of time.
    Timeout,
    /// The connection broke while sending the request or waiting for the answer.
    Connection,
    /// Anything else (a redirect loop, an unusable request): never retried.
    Other,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Status(status) => write!(f, "status {}", status.as_u16()),
            Failure::Connect => f.write_str("connect error"),
            Failure::Timeout => f.write_str("timeout"),
            Failure::Connection => f.write_str("connection error"),
            Failure::Other => f.write_str("other error"),
        }
    }
}

/// One failed attempt, as [`RetryPolicy::decide`] sees it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Attempt {
    /// What went wrong.
    pub(crate) failure: Failure,
    /// Attempts made so far, this one included (1 after the first).
    pub(crate) attempts_made: u32,
    /// Time since the call started.
    pub(crate) elapsed: Duration,
    /// The wait the server asked for (`Retry-After`), if any.
    pub(crate) retry_after: Option<Duration>,
    /// A uniformly random number for the jitter.
    pub(crate) random: u64,
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait this long, then try again.
    Retry {
        /// The wait.
        wait: Duration,
    },
    /// Return the error.
    Stop(StopReason),
}

/// Why retrying stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StopReason {
    /// The failure is not retried for this method.
    NotRetryable,
    /// `max_attempts` attempts were made.
    AttemptsExhausted,
    /// The server asked for a wait longer than `max_retry_after`.
    RetryAfterTooLong,
    /// The wait would pass the deadline.
    DeadlineExceeded,
}

impl StopReason {
    /// A short name for logs.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            StopReason::NotRetryable => "not retryable",
            StopReason::AttemptsExhausted => "attempts exhausted",
            StopReason::RetryAfterTooLong => "retry-after too long",
            StopReason::DeadlineExceeded => "deadline",
        }
    }
}

/// The policy table: is `failure` retried for `method`?
fn retryable(failure: Failure, method: &Method, retry_non_idempotent: bool) -> bool {
    let repeatable = retry_non_idempotent || is_idempotent(method);
    match failure {
        // The server did not act on the request.
        Failure::Status(StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE) => true,
        // The server may have acted.
        Failure::Status(
            StatusCode::INTERNAL_SERVER_ERROR
            | StatusCode::BAD_GATEWAY
            | StatusCode::GATEWAY_TIMEOUT,
        )
        | Failure::Connect
        | Failure::Timeout
        | Failure::Connection => repeatable,
        Failure::Status(_) | Failure::Other => false,
    }
}

/// Methods whose repetition has the same effect as one request (RFC 9110, 9.2.2).
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// The wait a `Retry-After` value asks for, relative to `now`: delay-seconds (`120`) or an
/// HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`; a past date means no wait). `None` when the
/// value is neither.
pub(crate) fn parse_retry_after(value: &HeaderValue, now: SystemTime) -> Option<Duration> {
    let text = value.to_str().ok()?.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is still "a very long time".
        return Some(Duration::from_secs(text.parse().unwrap_or(u64::MAX)));
    }
    let date = httpdate::parse_http_date(text).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A random number for the jitter, from the standard library's randomly keyed hasher.
pub(crate) fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn attempt(failure: Failure, attempts_made: u32) -> Attempt {
        Attempt {
            failure,
            attempts_made,
            elapsed: Duration::ZERO,
            retry_after: None,
            random: u64::MAX,
        }
    }

    fn retried(failure: Failure, method: Method, opt_in: bool) -> bool {
        let decision = RetryPolicy::default().decide(&method, opt_in, &attempt(failure, 1));
        matches!(decision, Decision::Retry { .. })
    }

    #[test]
    fn the_policy_table() {
        use Failure::*;
        let s = |code: u16| Status(StatusCode::from_u16(code).expect("valid status"));
        let idempotent = [
            Method::GET,
            Method::HEAD,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
            Method::TRACE,
        ];
        let other = [
            Method::POST,
            Method::PATCH,
            Method::CONNECT,
            Method::from_bytes(b"PURGE").expect("method"),
        ];
        // (failure, idempotent method, non-idempotent, non-idempotent with opt-in)
        let table = [
            (s(429), true, true, true),
            (s(503), true, true, true),
            (s(500), true, false, true),
            (s(502), true, false, true),
            (s(504), true, false, true),
            (Connect, true, false, true),
            (Timeout, true, false, true),
            (Connection, true, false, true),
            (s(400), false, false, false),
            (s(401), false, false, false),
            (s(404), false, false, false),
            (s(408), false, false, false),
            (s(409), false, false, false),
            (s(501), false, false, false),
            (s(505), false, false, false),
            (s(302), false, false, false),
            (Other, false, false, false),
        ];
        for (failure, for_idempotent, for_other, for_other_opted_in) in table {
            for method in &idempotent {
                assert_eq!(
                    retried(failure, method.clone(), false),
                    for_idempotent,
                    "{failure} {method}"
                );
                assert_eq!(
                    retried(failure, method.clone(), true),
                    for_idempotent,
                    "{failure} {method} opted in"
                );
            }
            for method in &other {
                assert_eq!(
                    retried(failure, method.clone(), false),
                    for_other,
                    "{failure} {method}"
                );
                assert_eq!(
                    retried(failure, method.clone(), true),
                    for_other_opted_in,
                    "{failure} {method} opted in"
                );
            }
        }
    }

    #[test]
    fn attempts_are_capped() {
        let policy = RetryPolicy::default().max_attempts(4);
        let f = Failure::Status(StatusCode::SERVICE_UNAVAILABLE);
        for made in 1..4 {
            assert!(matches!(
                policy.decide(&Method::GET, false, &attempt(f, made)),
                Decision::Retry { .. }
            ));
        }
        assert_eq!(
            policy.decide(&Method::GET, false, &attempt(f, 4)),
            Decision::Stop(StopReason::AttemptsExhausted)
        );
        let disabled = RetryPolicy::disabled();
        assert_eq!(
            disabled.decide(&Method::GET, false, &attempt(f, 1)),
            Decision::Stop(StopReason::AttemptsExhausted)
        );
        assert_eq!(RetryPolicy::default().max_attempts(0), disabled);
        assert_eq!(
            disabled.decide(&Method::POST, false, &attempt(Failure::Timeout, 1)),
            Decision::Stop(StopReason::NotRetryable)
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_full_jitter() {
        let policy = RetryPolicy::default()
            .initial_backoff(100 * MS)
            .max_backoff(1000 * MS);
        // `random` = u64::MAX is the top of the range (just under the cap).
        let top = |retry: u32| policy.backoff(retry, u64::MAX);
        let near = |actual: Duration, expected: Duration| {
            assert!(actual <= expected && expected - actual < MS, "{actual:?}");
        };
        near(top(1), 100 * MS);
        near(top(2), 200 * MS);
        near(top(3), 400 * MS);
        near(top(4), 800 * MS);
        near(top(5), 1000 * MS);
        near(top(u32::MAX), 1000 * MS);
        assert_eq!(policy.backoff(3, 0), Duration::ZERO);
        near(policy.backoff(3, u64::MAX / 2), 200 * MS);
        // No overflow with extreme settings.
        let huge = RetryPolicy::default()
            .initial_backoff(Duration::MAX)
            .max_backoff(Duration::MAX);
        assert!(huge.backoff(40, u64::MAX) > Duration::from_secs(1 << 30));
        // Real randomness stays in range and varies.
        let waits: Vec<Duration> = (0..64).map(|_| policy.backoff(1, random())).collect();
        assert!(waits.iter().all(|w| *w < 100 * MS));
        assert!(waits.iter().any(|w| *w != waits[0]));
    }

    #[test]
    fn retry_after_replaces_the_backoff_within_limits() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(60));
        let mut a = attempt(Failure::Status(StatusCode::TOO_MANY_REQUESTS), 1);
        a.retry_after = Some(Duration::from_secs(7));
        assert_eq!(
            policy.decide(&Method::POST, false, &a),
            Decision::Retry {
                wait: Duration::from_secs(7)
            }
        );
        a.retry_after = Some(Duration::ZERO);
        assert_eq!(
            policy.decide(&Method::POST, false, &a),
            Decision::Retry {
                wait: Duration::ZERO
            }
        );
        a.retry_after = Some(Duration::from_secs(61));
        assert_eq!(
            policy.decide(&Method::POST, false, &a),
            Decision::Stop(StopReason::RetryAfterTooLong)
        );
    }

    #[test]
    fn the_deadline_stops_waits_that_would_pass_it() {
        let policy = RetryPolicy::default().deadline(Duration::from_secs(10));
        let mut a = attempt(Failure::Status(StatusCode::SERVICE_UNAVAILABLE), 1);
        a.elapsed = Duration::from_secs(4);
        a.retry_after = Some(Duration::from_secs(5));
        assert_eq!(
            policy.decide(&Method::GET, false, &a),
            Decision::Retry {
                wait: Duration::from_secs(5)
            }
        );
        a.retry_after = Some(Duration::from_secs(6));
        assert_eq!(
            policy.decide(&Method::GET, false, &a),
            Decision::Stop(StopReason::DeadlineExceeded)
        );
        a.retry_after = None;
        a.elapsed = Duration::from_secs(10);
        assert_eq!(
            policy.decide(&Method::GET, false, &a),
            Decision::Stop(StopReason::DeadlineExceeded)
        );
        assert_eq!(policy.deadline_budget(), Some(Duration::from_secs(10)));
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").expect("date");
        let parse = |text: &'static str| parse_retry_after(&HeaderValue::from_static(text), now);
        assert_eq!(parse("120"), Some(Duration::from_secs(120)));
        assert_eq!(parse(" 0 "), Some(Duration::ZERO));
        assert_eq!(
            parse("99999999999999999999999"),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(
            parse("Wed, 21 Oct 2015 07:28:30 GMT"),
            Some(Duration::from_secs(30))
        );
        // Obsolete formats that HTTP still allows.
        assert_eq!(
            parse("Wednesday, 21-Oct-15 07:29:00 GMT"),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse("Wed Oct 21 07:28:01 2015"),
            Some(Duration::from_secs(1))
        );
        assert_eq!(parse("Wed, 21 Oct 2015 07:00:00 GMT"), Some(Duration::ZERO));
        for bad in ["", "-1", "1.5", "soon", "Wed, 32 Oct 2015 07:28:00 GMT"] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        let opaque = HeaderValue::from_bytes(b"\xff12").expect("opaque header value");
        assert_eq!(parse_retry_after(&opaque, now), None);
    }

    #[test]
    fn failures_and_stop_reasons_have_names() {
        assert_eq!(
            Failure::Status(StatusCode::SERVICE_UNAVAILABLE).to_string(),
            "status 503"
        );
        assert_eq!(Failure::Connect.to_string(), "connect error");
        assert_eq!(StopReason::DeadlineExceeded.as_str(), "deadline");
    }
}
