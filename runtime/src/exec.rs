//! Running one logical request: a rate-limit permit before every attempt, the attempts
//! themselves, the retry loop with its waits, bounded body reads, and recording the outcome on
//! the request's tracing span.
//!
//! What to retry and how long to wait is decided by [`RetryPolicy::decide`]; this module only
//! applies the decision. It logs no URL, query string, header or body: the URL may carry an
//! API key.

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::RETRY_AFTER;
use reqwest::Url;
use tracing::Span;

use crate::core::ClientCore;
use crate::error::{Error, ErrorBody, ErrorKind};
use crate::operation::Operation;
use crate::options::RequestOptions;
use crate::retry::{
    parse_retry_after, random, Attempt, Decision, Failure, RetryPolicy, StopReason,
};
use crate::{HeaderMap, StatusCode};

/// A request ready to be sent, as many times as the retry policy allows: every attempt sends
/// the same URL, headers and body bytes.
pub(crate) struct Prepared {
    pub(crate) operation: &'static Operation,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) options: RequestOptions,
}

/// A failed attempt, kept raw until it is known to be the last one (only then is the body
/// decoded into a typed error).
enum Failed {
    /// A non-2xx answer with its whole body.
    Status {
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
    },
    /// A non-2xx answer whose body exceeded the size limit.
    TooLarge {
        status: StatusCode,
        headers: HeaderMap,
    },
    /// A non-2xx answer whose body could not be read.
    BrokenBody {
        status: StatusCode,
        headers: HeaderMap,
        error: reqwest::Error,
    },
    /// No answer.
    Transport(reqwest::Error),
}

impl Failed {
    /// The status the server answered, if it did.
    fn status(&self) -> Option<StatusCode> {
        match self {
            Failed::Status { status, .. }
            | Failed::TooLarge { status, .. }
            | Failed::BrokenBody { status, .. } => Some(*status),
            Failed::Transport(_) => None,
        }
    }

    /// The response headers, if the server answered.
    fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Failed::Status { headers, .. }
            | Failed::TooLarge { headers, .. }
            | Failed::BrokenBody { headers, .. } => Some(headers),
            Failed::Transport(_) => None,
        }
    }

    /// What the retry policy needs to know. An answer counts by its status, even when its
    /// body could not be read.
    fn failure(&self) -> Failure {
        match self {
            Failed::Transport(e) => classify(e),
            answered => answered.status().map_or(Failure::Other, Failure::Status),
        }
    }

    fn into_fault(self, operation: &'static Operation, limit: usize) -> Fault {
        match self {
            Failed::Status {
                status,
                headers,
                body,
            } => Fault {
                error: Error::from_status(operation, status, headers, &body),
                raw: Some(body),
            },
            Failed::TooLarge { status, .. } => {
                Error::new(operation, ErrorKind::BodyTooLarge { status, limit }).into()
            }
            Failed::BrokenBody { error, .. } | Failed::Transport(error) => {
                Error::transport(operation, error).into()
            }
        }
    }
}

/// A call's failure before the caller's error type is known: the error, and for a final
/// non-2xx answer its whole body as received, which [`Fault::into_error`] decodes with the
/// operation's [`ErrorBody`]. Keeping the typed decoding for the end lets everything before it
/// (building, sending, retrying, reading) be compiled once, not once per error type.
pub(crate) struct Fault {
    pub(crate) error: Error,
    raw: Option<Vec<u8>>,
}

impl Fault {
    /// The error at the caller's error type.
    pub(crate) fn into_error<E: ErrorBody>(self) -> Error<E> {
        self.error.with_typed(self.raw.as_deref())
    }

    /// The same fault, noting where the request went and how many attempts were sent.
    fn at(mut self, url: &Url, attempts: u32) -> Self {
        self.error = self.error.at(url).after_attempts(attempts);
        self
    }
}

impl From<Error> for Fault {
    fn from(error: Error) -> Self {
        Fault { error, raw: None }
    }
}

/// Sorts a transport error into the retry policy's classes.
fn classify(error: &reqwest::Error) -> Failure {
    if error.is_timeout() {
        Failure::Timeout
    } else if error.is_connect() {
        Failure::Connect
    } else if error.is_request() || error.is_body() {
        // The connection broke (closed, reset, garbled) before a whole answer came.
        Failure::Connection
    } else {
        // Redirect loops, requests reqwest refuses to build: repeating cannot help.
        Failure::Other
    }
}

/// Sends `prepared` until an attempt gets a 2xx answer (returned with its body unread) or the
/// retry policy gives up (the last attempt's error is returned). Records `attempts` and
/// `status` on `span`.
pub(crate) async fn dispatch(
    core: &ClientCore,
    prepared: &Prepared,
    span: &Span,
) -> Result<reqwest::Response, Fault> {
    let operation = prepared.operation;
    let options = &prepared.options;
    let policy: &RetryPolicy = options.retry.as_ref().unwrap_or(core.retry_policy());
    let retry_non_idempotent = options
        .retry_non_idempotent
        .unwrap_or(policy.retries_non_idempotent());
    let timeout = options.timeout.unwrap_or(core.timeout());
    let limit = core.max_response_bytes();

    let started = Instant::now();
    let mut attempts: u32 = 0;
    let mut last: Option<Failed> = None;
    loop {
        if let Some(limiter) = core.limiter() {
            limiter.acquire().await;
        }
        let remaining = policy
            .deadline_budget()
            .map(|deadline| deadline.saturating_sub(started.elapsed()));
        if remaining == Some(Duration::ZERO) {
            // The rate limiter used up the rest of the budget: the last answer stands.
            if let Some(failed) = last.take() {
                tracing::debug!(
                    attempt = attempts,
                    stopped_by = StopReason::DeadlineExceeded.as_str(),
                    "not retrying"
                );
                return Err(failed
                    .into_fault(operation, limit)
                    .at(&prepared.url, attempts));
            }
        }
        attempts = attempts.saturating_add(1);
        span.record("attempts", attempts);
        let attempt_timeout = remaining.map_or(timeout, |left| left.min(timeout));

        let failed = match attempt(core, prepared, attempt_timeout, limit).await {
            Ok(response) => {
                span.record("status", response.status().as_u16());
                return Ok(response);
            }
            Err(failed) => failed,
        };
        if let Some(status) = failed.status() {
            span.record("status", status.as_u16());
        }
        let failure = failed.failure();
        let retry_after = failed
            .headers()
            .and_then(|headers| headers.get(RETRY_AFTER))
            .and_then(|value| parse_retry_after(value, SystemTime::now()));
        let decision = policy.decide(
            &operation.method,
            retry_non_idempotent,
            &Attempt {
                failure,
                attempts_made: attempts,
                elapsed: started.elapsed(),
                retry_after,
                random: random(),
            },
        );
        match decision {
            Decision::Retry { wait } => {
                tracing::debug!(
                    attempt = attempts,
                    reason = %failure,
                    wait_ms = millis(wait),
                    retry_after = retry_after.is_some(),
                    "retrying"
                );
                tokio::time::sleep(wait).await;
                last = Some(failed);
            }
            Decision::Stop(stopped_by) => {
                if stopped_by != StopReason::NotRetryable {
                    tracing::debug!(
                        attempt = attempts,
                        reason = %failure,
                        stopped_by = stopped_by.as_str(),
                        "not retrying"
                    );
                }
                return Err(failed
                    .into_fault(operation, limit)
                    .at(&prepared.url, attempts));
            }
        }
    }
}

/// One attempt: a 2xx response with its body unread, or what went wrong.
async fn attempt(
    core: &ClientCore,
    prepared: &Prepared,
    timeout: Duration,
    limit: usize,
) -> Result<reqwest::Response, Failed> {
    let mut builder = core
        .http()
        .request(prepared.operation.method.clone(), prepared.url.clone())
        .headers(prepared.headers.clone())
        .timeout(timeout);
    if let Some(body) = &prepared.body {
        builder = builder.body(body.clone());
    }
    let mut response = builder.send().await.map_err(Failed::Transport)?;
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let headers = response.headers().clone();
    Err(match read_bounded(&mut response, limit).await {
        Ok(body) => Failed::Status {
            status,
            headers,
            body,
        },
        Err(ReadError::TooLarge) => Failed::TooLarge { status, headers },
        Err(ReadError::Transport(error)) => Failed::BrokenBody {
            status,
            headers,
            error,
        },
    })
}

/// Why [`read_bounded`] failed.
pub(crate) enum ReadError {
    /// The body is larger than the limit.
    TooLarge,
    /// Reading failed.
    Transport(reqwest::Error),
}

impl ReadError {
    /// The error for a body of a `status` response that could not be read.
    pub(crate) fn into_error<E>(
        self,
        operation: &'static Operation,
        status: StatusCode,
        limit: usize,
    ) -> Error<E> {
        match self {
            ReadError::TooLarge => Error::new(operation, ErrorKind::BodyTooLarge { status, limit }),
            ReadError::Transport(error) => Error::transport(operation, error),
        }
    }
}

/// Reads the whole body, failing as soon as it is known to exceed `limit` bytes (from
/// `Content-Length`, or while streaming): never buffers more.
pub(crate) async fn read_bounded(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, ReadError> {
    let announced = match response.content_length() {
        Some(length) => match usize::try_from(length) {
            Ok(length) if length <= limit => length,
            _ => return Err(ReadError::TooLarge),
        },
        None => 0,
    };
    // Content-Length comes from the server: trust it only up to a modest pre-allocation.
    let mut body = Vec::with_capacity(announced.min(64 * 1024));
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        // Invariant: body.len() <= limit.
        if chunk.len() > limit - body.len() {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Whole milliseconds, saturating.
pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
