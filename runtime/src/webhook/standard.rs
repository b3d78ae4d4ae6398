//! Standard Webhooks (<https://www.standardwebhooks.com>, "Verifying webhook authenticity"):
//! HMAC-SHA256, keyed with the base64 part of a `whsec_` secret, over
//! `{webhook-id}.{webhook-timestamp}.{body}`; the `webhook-signature` header holds one or
//! more space-separated `v1,<base64 signature>` entries, and one match is enough. A timestamp
//! further than the tolerance from now, either way, is refused against replay.
//!
//! The MAC is `hmac` + `sha2`, compared in constant time with `Mac::verify_slice`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use reqwest::header::HeaderMap;
use sha2::Sha256;

use super::EventError;

/// Checks the three headers against `body`; `Ok` means the body may be trusted.
pub(super) fn verify(
    headers: &HeaderMap,
    body: &[u8],
    key: &[u8],
    tolerance: Duration,
    now: SystemTime,
) -> Result<(), EventError> {
    let id = header(headers, "webhook-id")?;
    let timestamp = header(headers, "webhook-timestamp")?;
    let signatures = header(headers, "webhook-signature")?;
    let sent: i64 = timestamp
        .parse()
        .map_err(|_| EventError::Malformed("webhook-timestamp is not whole seconds".into()))?;
    let now = match now.duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(_) => 0,
    };
    let tolerance = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
    if sent < now.saturating_sub(tolerance) {
        return Err(EventError::Expired);
    }
    if sent > now.saturating_add(tolerance) {
        return Err(EventError::NotYetValid);
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(key)
        .map_err(|_| EventError::Malformed("unusable key".into()))?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    let engine = base64::engine::general_purpose::STANDARD;
    let matched = signatures
        .split(' ')
        .filter_map(|entry| entry.strip_prefix("v1,"))
        .filter_map(|encoded| engine.decode(encoded).ok())
        .any(|signature| mac.clone().verify_slice(&signature).is_ok());
    if matched {
        Ok(())
    } else {
        Err(EventError::BadSignature)
    }
}

/// The key inside a `whsec_<base64>` secret (the prefix is optional), or `None`.
pub(super) fn key_from_secret(secret: &str) -> Option<Vec<u8>> {
    let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
    let key = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    (!key.is_empty()).then_some(key)
}

fn header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, EventError> {
    let value = headers
        .get(name)
        .ok_or(EventError::MissingSignature(name))?;
    value
        .to_str()
        .map_err(|_| EventError::Malformed(format!("{name} is not visible ASCII")))
}
