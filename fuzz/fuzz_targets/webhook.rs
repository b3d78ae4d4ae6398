//! Raw bytes through the webhook verifiers: the first byte picks the scheme (plain JSON, JWT
//! HS256, Standard Webhooks), the next three lines are the `webhook-id`, `webhook-timestamp`
//! and `webhook-signature` headers, the rest is the body. Nothing may panic, and every refusal
//! must map to 400, 401 or 413.

#![no_main]

use forge_runtime::webhook::{decode_event, Verifier};
use forge_runtime::HeaderMap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let verifier = match pick % 3 {
        0 => Verifier::unsigned(),
        1 => Verifier::jwt_hs256("s3cr3t-shared-key").expect("a usable secret"),
        _ => Verifier::standard_webhooks("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .expect("a usable secret"),
    }
    .max_body(64 * 1024);
    let mut parts = rest.splitn(4, |&b| b == b'\n');
    let mut headers = HeaderMap::new();
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        if let Some(Ok(value)) = parts
            .next()
            .map(forge_runtime::reqwest::header::HeaderValue::from_bytes)
        {
            headers.insert(name, value);
        }
    }
    let body = parts.next().unwrap_or_default();
    if let Err(err) = decode_event::<forge_runtime::serde_json::Value>(&headers, body, &verifier) {
        let status = err.status().as_u16();
        assert!(matches!(status, 400 | 401 | 413), "{err:?} -> {status}");
    }
});
