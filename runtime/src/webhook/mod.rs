//! Incoming webhook events: check that a request really comes from the API, then decode its
//! payload into the event type. Owns the choice of what is accepted; the cryptography is
//! jsonwebtoken's and RustCrypto's `hmac`/`sha2`, never ours.
//!
//! | [`Verifier`] | accepts | refuses |
//! |--------------|---------|---------|
//! | [`jwt_hs256`](Verifier::jwt_hs256) (Dialpad) | a body that is a JWT signed with HS256 using the secret, within its `exp`/`nbf` | any other `alg` (`none`, `HS384`, `RS256`, ...), a bad signature, a plain JSON body |
//! | [`standard_webhooks`](Verifier::standard_webhooks) | a JSON body with `webhook-id`, `webhook-timestamp` (within 5 minutes of now) and a matching `v1,` entry in `webhook-signature` | a missing header, a stale or future timestamp, no matching signature |
//! | [`unsigned`](Verifier::unsigned) (no secret configured) | a plain JSON body | a JWT body: it cannot be checked without the secret |
//!
//! Every verifier first refuses a body over its limit ([`Verifier::max_body`], 1 MiB by
//! default) before reading a byte of it. The `Content-Type` is never looked at: Dialpad does
//! not document one.
//!
//! ```
//! use forge_runtime::webhook::{decode_event, EventError, Verifier};
//! use forge_runtime::HeaderMap;
//!
//! #[derive(Debug, serde::Deserialize)]
//! struct Event {
//!     id: i64,
//! }
//!
//! let plain = Verifier::unsigned();
//! let event: Event = decode_event(&HeaderMap::new(), br#"{"id": 7}"#, &plain)?;
//! assert_eq!(event.id, 7);
//!
//! // With a secret, a plain body carries no signature and is refused (answer 401).
//! let signed = Verifier::jwt_hs256("s3cret")?;
//! let err = decode_event::<Event>(&HeaderMap::new(), br#"{"id": 7}"#, &signed).unwrap_err();
//! assert_eq!(err.status(), 401);
//! assert!(matches!(err, EventError::MissingSignature(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod jwt;
mod standard;

use std::fmt;
use std::time::{Duration, SystemTime};

use jsonwebtoken::DecodingKey;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

pub use self::error::EventError;

/// Default body limit: 1 MiB.
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;
/// Default clock skew allowed on a JWT's `exp` and `nbf`: 60 seconds.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);
/// Default Standard Webhooks timestamp tolerance: 5 minutes either way.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// How incoming requests are checked; built once, used for every request.
///
/// `Debug` never shows the secret.
#[derive(Clone)]
pub struct Verifier {
    scheme: Scheme,
    max_body: usize,
    leeway: Duration,
    tolerance: Duration,
}

#[derive(Clone)]
enum Scheme {
    Unsigned,
    JwtHs256(DecodingKey),
    StandardWebhooks(Vec<u8>),
}

/// A secret the verifier cannot use: empty, or (Standard Webhooks) not `whsec_<base64>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidSecret(&'static str);

impl fmt::Display for InvalidSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid webhook secret: {}", self.0)
    }
}

impl std::error::Error for InvalidSecret {}

impl Verifier {
    /// Bodies must be JWTs signed with HS256 (RFC 7518 §3.2) using `secret` as the key (its
    /// bytes as given, as Dialpad uses the webhook's `secret`). Errors for an empty secret.
    pub fn jwt_hs256(secret: impl AsRef<[u8]>) -> Result<Self, InvalidSecret> {
        let secret = secret.as_ref();
        if secret.is_empty() {
            return Err(InvalidSecret("empty"));
        }
        Ok(Self::with(Scheme::JwtHs256(DecodingKey::from_secret(
            secret,
        ))))
    }

    /// Bodies must carry Standard Webhooks signatures made with `secret`, `whsec_` followed by
    /// the base64 (standard alphabet, padded) key; the prefix may be left out.
    pub fn standard_webhooks(secret: &str) -> Result<Self, InvalidSecret> {
        let key = standard::key_from_secret(secret)
            .ok_or(InvalidSecret("expected whsec_ and a non-empty base64 key"))?;
        Ok(Self::with(Scheme::StandardWebhooks(key)))
    }

    /// No secret: bodies are plain JSON, trusted as they come, and JWTs are refused
    /// ([`EventError::Unverifiable`]).
    pub fn unsigned() -> Self {
        Self::with(Scheme::Unsigned)
    }

    fn with(scheme: Scheme) -> Self {
        Verifier {
            scheme,
            max_body: DEFAULT_MAX_BODY,
            leeway: DEFAULT_LEEWAY,
            tolerance: DEFAULT_TOLERANCE,
        }
    }

    /// Sets the longest body accepted, in bytes ([`DEFAULT_MAX_BODY`] unless set).
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// The longest body accepted, in bytes: a receiver should stop reading past it.
    pub fn max_body_bytes(&self) -> usize {
        self.max_body
    }

    /// Sets the clock skew allowed on a JWT's `exp` and `nbf`, whole seconds
    /// ([`DEFAULT_LEEWAY`] unless set).
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Sets how far a Standard Webhooks timestamp may be from now, either way, whole seconds
    /// ([`DEFAULT_TOLERANCE`] unless set).
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Checks a request and returns its payload as JSON, not yet typed.
    ///
    /// # Errors
    /// Every [`EventError`] but [`NotAnEvent`](EventError::NotAnEvent).
    pub fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<serde_json::Value, EventError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    fn verify_at(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<serde_json::Value, EventError> {
        if body.len() > self.max_body {
            return Err(EventError::TooLarge {
                limit: self.max_body,
                actual: body.len(),
            });
        }
        let trimmed = body.trim_ascii();
        let looks_like_json = matches!(trimmed.first(), Some(b'{' | b'['));
        match &self.scheme {
            Scheme::Unsigned if looks_like_json => parse_json(trimmed),
            Scheme::Unsigned if looks_like_jwt(trimmed) => Err(EventError::Unverifiable),
            Scheme::Unsigned => Err(EventError::Malformed(
                "body is neither JSON nor a JWT".into(),
            )),
            Scheme::JwtHs256(_) if looks_like_json => Err(EventError::MissingSignature(
                "plain JSON body, expected a JWT",
            )),
            Scheme::JwtHs256(key) => jwt::verify(trimmed, key, self.leeway),
            Scheme::StandardWebhooks(key) => {
                standard::verify(headers, body, key, self.tolerance, now)?;
                parse_json(trimmed)
            }
        }
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.scheme {
            Scheme::Unsigned => "unsigned",
            Scheme::JwtHs256(_) => "jwt-hs256",
            Scheme::StandardWebhooks(_) => "standard-webhooks",
        };
        f.debug_struct("Verifier")
            .field("scheme", &scheme)
            .field("max_body", &self.max_body)
            .field("leeway", &self.leeway)
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

/// Checks a request with `verifier` and decodes its payload as `T`.
///
/// `headers` matter only for Standard Webhooks; `body` is the raw request body.
///
/// # Errors
/// Any [`EventError`]; [`EventError::status`] gives the answer to send.
pub fn decode_event<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: &[u8],
    verifier: &Verifier,
) -> Result<T, EventError> {
    let payload = verifier.verify(headers, body)?;
    serde_json::from_value(payload).map_err(EventError::NotAnEvent)
}

fn parse_json(body: &[u8]) -> Result<serde_json::Value, EventError> {
    serde_json::from_slice(body).map_err(|err| EventError::Malformed(format!("not JSON ({err})")))
}

/// Three non-empty base64url segments separated by dots: the compact JWS shape.
fn looks_like_jwt(body: &[u8]) -> bool {
    let segments: Vec<&[u8]> = body.split(|&b| b == b'.').collect();
    segments.len() == 3
        && segments[..2].iter().all(|s| !s.is_empty())
        && segments.iter().all(|s| {
            s.iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

#[cfg(test)]
mod tests;
