//! Dialpad's scheme: the body is a JWT in compact form (RFC 7515 §7.1) signed with HS256
//! (RFC 7518 §3.2) using the webhook's secret, and its claims are the event.
//!
//! All checking is jsonwebtoken's (signature in constant time through `hmac`'s
//! `verify_slice`, `exp` and `nbf` per RFC 7519 §4.1.4-5). This module only decides what is
//! accepted: HS256 and nothing else, no claim required, `exp` and `nbf` honoured when present,
//! `aud` not checked. It reads the header's `alg` itself in one case only: to name the
//! algorithm in the error when jsonwebtoken cannot parse the header at all (`"alg": "none"`
//! is not one of its algorithms); that reading never accepts anything.

use std::time::Duration;

use base64::Engine as _;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};

use super::EventError;

/// Checks `token` against `key` and returns its claims.
pub(super) fn verify(
    token: &[u8],
    key: &DecodingKey,
    leeway: Duration,
) -> Result<serde_json::Value, EventError> {
    let header = jsonwebtoken::decode_header(token).map_err(|err| match declared_alg(token) {
        Some(alg) if alg != "HS256" => EventError::algorithm(&alg),
        _ => EventError::Malformed(format!("not a JWT ({err})")),
    })?;
    if header.alg != Algorithm::HS256 {
        return Err(EventError::algorithm(&format!("{:?}", header.alg)));
    }
    let mut validation = Validation::new(Algorithm::HS256);
    validation.required_spec_claims.clear();
    validation.validate_exp = true;
    validation.validate_nbf = true;
    validation.validate_aud = false;
    validation.leeway = leeway.as_secs();
    match jsonwebtoken::decode::<serde_json::Value>(token, key, &validation) {
        Ok(data) => Ok(data.claims),
        Err(err) => Err(match err.kind() {
            ErrorKind::InvalidSignature => EventError::BadSignature,
            ErrorKind::InvalidAlgorithm => EventError::algorithm(&format!("{:?}", header.alg)),
            ErrorKind::ExpiredSignature => EventError::Expired,
            ErrorKind::ImmatureSignature => EventError::NotYetValid,
            _ => EventError::Malformed(format!("JWT not readable ({err})")),
        }),
    }
}

/// The `alg` a JWT header names, when the header is base64url JSON with a string `alg`; used
/// only to word an error.
fn declared_alg(token: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct AlgOnly {
        alg: String,
    }
    let encoded = token.split(|&b| b == b'.').next()?;
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded)
        .ok()?;
    serde_json::from_slice::<AlgOnly>(&json).ok().map(|h| h.alg)
}
