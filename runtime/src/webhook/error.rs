//! [`EventError`]: why an incoming webhook request was refused, and the HTTP status a
//! receiver should answer with. It never holds the secret, and text taken from the request
//! (an algorithm name) is cut short and printed escaped.

use std::fmt;

use reqwest::StatusCode;

/// Longest piece of request text (an algorithm name) an error keeps, in characters.
const MAX_ECHO: usize = 32;

/// Why [`decode_event`](super::decode_event) refused a request.
///
/// | variant | meaning | [`status`](EventError::status) |
/// |---------|---------|--------------------------------|
/// | `TooLarge` | the body is longer than the verifier's limit; nothing was parsed | 413 |
/// | `MissingSignature` | a signature the scheme needs is absent (a plain JSON body, a missing header) | 401 |
/// | `Unverifiable` | a signed (JWT) body arrived but no secret is configured | 401 |
/// | `BadSignature` | the signature does not match the secret and the body | 401 |
/// | `AlgorithmNotAllowed` | the JWT names an algorithm other than HS256 (`none`, `HS384`, `RS256`, ...) | 401 |
/// | `Expired` | the JWT's `exp`, or a Standard Webhooks timestamp older than the tolerance | 401 |
/// | `NotYetValid` | the JWT's `nbf`, or a Standard Webhooks timestamp further ahead than the tolerance | 401 |
/// | `Malformed` | not a JWT, not JSON, or a header that cannot be read | 400 |
/// | `NotAnEvent` | verified (or unsigned) JSON that does not decode as the event type | 400 |
#[derive(Debug)]
#[non_exhaustive]
pub enum EventError {
    /// The body is longer than the limit; `limit` and `actual` are in bytes.
    TooLarge {
        /// The verifier's limit, in bytes.
        limit: usize,
        /// The body's length, in bytes.
        actual: usize,
    },
    /// The scheme needs a signature the request does not carry; says which.
    MissingSignature(&'static str),
    /// A JWT arrived but no secret is configured, so it cannot be checked.
    Unverifiable,
    /// The signature does not match.
    BadSignature,
    /// The JWT's `alg` is not the one accepted (HS256); holds the name it gave, cut to 32
    /// characters, or `"?"` when the header has none.
    AlgorithmNotAllowed(String),
    /// The token or timestamp has expired (RFC 7519 §4.1.4 `exp`, or the replay tolerance).
    Expired,
    /// The token or timestamp is not valid yet (RFC 7519 §4.1.5 `nbf`, or the tolerance).
    NotYetValid,
    /// The request is not in the scheme's shape; says what is wrong.
    Malformed(String),
    /// The payload is JSON but not the expected event.
    NotAnEvent(serde_json::Error),
}

impl EventError {
    /// The status a receiver should answer with: 413 for [`TooLarge`](Self::TooLarge), 400
    /// for [`Malformed`](Self::Malformed) and [`NotAnEvent`](Self::NotAnEvent), 401 for the
    /// rest (every failure to authenticate the sender).
    pub fn status(&self) -> StatusCode {
        match self {
            EventError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            EventError::Malformed(_) | EventError::NotAnEvent(_) => StatusCode::BAD_REQUEST,
            EventError::MissingSignature(_)
            | EventError::Unverifiable
            | EventError::BadSignature
            | EventError::AlgorithmNotAllowed(_)
            | EventError::Expired
            | EventError::NotYetValid => StatusCode::UNAUTHORIZED,
        }
    }

    pub(crate) fn algorithm(name: &str) -> Self {
        EventError::AlgorithmNotAllowed(name.chars().take(MAX_ECHO).collect())
    }
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventError::TooLarge { limit, actual } => {
                write!(f, "body of {actual} bytes is over the {limit}-byte limit")
            }
            EventError::MissingSignature(what) => write!(f, "missing signature: {what}"),
            EventError::Unverifiable => {
                f.write_str("signed event refused: no secret is configured to verify it")
            }
            EventError::BadSignature => f.write_str("signature does not match"),
            EventError::AlgorithmNotAllowed(alg) => {
                write!(f, "algorithm {alg:?} refused: only HS256 is accepted")
            }
            EventError::Expired => f.write_str("event expired"),
            EventError::NotYetValid => f.write_str("event not valid yet"),
            EventError::Malformed(what) => write!(f, "malformed request: {what}"),
            EventError::NotAnEvent(err) => write!(f, "not an event: {err}"),
        }
    }
}

impl std::error::Error for EventError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EventError::NotAnEvent(err) => Some(err),
            _ => None,
        }
    }
}
