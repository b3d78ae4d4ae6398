//! The checked-in Dialpad client as the end-to-end and contract tests drive it: a client for
//! a local server, and the spec's example values the tests expect back.

use dialpad_sms_subscriptions::types::{Signature, Webhook};
use dialpad_sms_subscriptions::Client;

/// A client for the server at `base_url` that authenticates with `Authorization: Bearer
/// <key>`, with the generated defaults otherwise (retries, rate limit, timeouts).
///
/// # Panics
///
/// When the client cannot be built (`base_url` is not an absolute URL).
pub fn bearer_client(base_url: &str, key: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_auth(key)
        .build()
        .expect("client builds")
}

/// A webhook signature with these fields.
pub fn signed(algo: &str, secret: &str, type_: &str) -> Option<Signature> {
    Some(Signature {
        algo: Some(algo.to_owned()),
        secret: Some(secret.to_owned()),
        type_: Some(type_.to_owned()),
    })
}

/// The spec's example webhook 1000 as the client decodes it (ids are JSON strings there).
pub fn webhook_1000() -> Webhook {
    Webhook {
        id: Some(1000),
        hook_url: Some("https://hooks.example.com/dialpad/sms".to_owned()),
        signature: signed("HS256", "s3cr3t-shared-key", "jwt"),
    }
}
