//! The generated events and event-stream code, driven for real: the `events` module of the
//! `callbacks` fixture's snapshot crate decodes requests signed by independent
//! implementations (JWTs from `jsonwebtoken`, Standard Webhooks signatures from RustCrypto's
//! `hmac`), and refuses the rest with the status a receiver should answer; the `sse`
//! fixture's generated stream method reads typed events from a streaming axum server over
//! loopback, across a dropped connection resumed with `Last-Event-ID`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap as AxumHeaders};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use base64::Engine;
use forge_runtime::reqwest::header::HeaderValue;
use forge_runtime::webhook::EventError;
use forge_runtime::{HeaderMap, RetryPolicy};
use futures_util::StreamExt;
use hmac::{Hmac, Mac};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use sha2::Sha256;
use snapshot_callbacks::events;

const SECRET: &str = "a webhook secret";
const SW_KEY: &[u8] = b"standard webhooks key";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

fn jwt(alg: Algorithm, secret: &str, claims: &Value) -> String {
    encode(
        &Header::new(alg),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("signs")
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn message_claims() -> Value {
    json!({"id": 42, "text": "hello", "direction": "inbound", "exp": now() + 600})
}

#[test]
fn jwt_hs256_events_decode_and_refusals_carry_their_status() {
    let verifier = events::receive_message_verifier(SECRET).expect("a usable secret");
    let none = HeaderMap::new();

    let token = jwt(Algorithm::HS256, SECRET, &message_claims());
    let message = events::decode_receive_message(&none, token.as_bytes(), &verifier)
        .expect("a signed event decodes");
    assert_eq!((message.id, message.text.as_str()), (42, "hello"));

    let refused = |body: &[u8]| {
        events::decode_receive_message(&none, body, &verifier).expect_err("must be refused")
    };
    let wrong_secret = jwt(Algorithm::HS256, "another secret", &message_claims());
    let err = refused(wrong_secret.as_bytes());
    assert!(matches!(err, EventError::BadSignature), "{err:?}");
    assert_eq!(err.status(), 401);

    let header = b64url(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = b64url(message_claims().to_string().as_bytes());
    let unsigned_token = format!("{header}.{payload}.");
    let err = refused(unsigned_token.as_bytes());
    assert!(
        matches!(err, EventError::AlgorithmNotAllowed(ref alg) if alg == "none"),
        "{err:?}"
    );
    assert_eq!(err.status(), 401);

    let hs384 = jwt(Algorithm::HS384, SECRET, &message_claims());
    let err = refused(hs384.as_bytes());
    assert!(
        matches!(err, EventError::AlgorithmNotAllowed(ref alg) if alg == "HS384"),
        "{err:?}"
    );

    let expired = jwt(
        Algorithm::HS256,
        SECRET,
        &json!({"id": 1, "text": "late", "exp": now() - 3600}),
    );
    assert!(matches!(refused(expired.as_bytes()), EventError::Expired));

    // With a secret, a plain JSON body carries no signature.
    let err = refused(br#"{"id": 1, "text": "forged"}"#);
    assert!(matches!(err, EventError::MissingSignature(_)), "{err:?}");

    // Signed, but not this event: 400.
    let wrong_shape = jwt(
        Algorithm::HS256,
        SECRET,
        &json!({"id": "x", "exp": now() + 60}),
    );
    let err = refused(wrong_shape.as_bytes());
    assert!(matches!(err, EventError::NotAnEvent(_)), "{err:?}");
    assert_eq!(err.status(), 400);
}

#[test]
fn jwt_hs256_events_without_a_secret_accept_only_plain_json() {
    // The spec declares `unsigned: plain-json`: no secret means plain JSON events.
    let verifier = events::receive_message_verifier("").expect("unsigned is allowed");
    let message = events::decode_receive_message(
        &HeaderMap::new(),
        br#"{"id": 7, "text": "plain"}"#,
        &verifier,
    )
    .expect("plain JSON decodes");
    assert_eq!(message.id, 7);
    let token = jwt(Algorithm::HS256, SECRET, &message_claims());
    let err = events::decode_receive_message(&HeaderMap::new(), token.as_bytes(), &verifier)
        .expect_err("a JWT cannot be checked without the secret");
    assert!(matches!(err, EventError::Unverifiable), "{err:?}");
}

fn standard_headers(id: &str, timestamp: u64, key: &[u8], body: &str) -> HeaderMap {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let mut headers = HeaderMap::new();
    let value = |text: String| HeaderValue::from_str(&text).expect("a header value");
    headers.insert("webhook-id", value(id.to_owned()));
    headers.insert("webhook-timestamp", value(timestamp.to_string()));
    headers.insert("webhook-signature", value(format!("v1,{signature}")));
    headers
}

#[test]
fn standard_webhooks_events_decode_and_refusals_carry_their_status() {
    let secret = format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(SW_KEY)
    );
    // Declared without `unsigned`: a secret is required.
    assert!(events::delivery_verifier("").is_err());
    assert!(events::delivery_verifier("not whsec").is_err());
    let verifier = events::delivery_verifier(&secret).expect("a whsec_ secret");

    let body = r#"{"message_id": 42, "delivered": true}"#;
    let headers = standard_headers("msg_1", now(), SW_KEY, body);
    let report = events::decode_delivery(&headers, body.as_bytes(), &verifier)
        .expect("a signed event decodes");
    assert_eq!((report.message_id, report.delivered), (42, true));

    let refused = |headers: &HeaderMap, body: &str| {
        events::decode_delivery(headers, body.as_bytes(), &verifier).expect_err("must be refused")
    };
    let tampered = r#"{"message_id": 43, "delivered": true}"#;
    let err = refused(&headers, tampered);
    assert!(matches!(err, EventError::BadSignature), "{err:?}");
    assert_eq!(err.status(), 401);

    let other_key = standard_headers("msg_1", now(), b"another key", body);
    assert!(matches!(
        refused(&other_key, body),
        EventError::BadSignature
    ));

    let stale = standard_headers("msg_1", now() - 3600, SW_KEY, body);
    assert!(matches!(refused(&stale, body), EventError::Expired));

    let err = refused(&HeaderMap::new(), body);
    assert!(matches!(err, EventError::MissingSignature(_)), "{err:?}");
    assert_eq!(err.status(), 401);

    let oversized = format!(
        r#"{{"message_id": 1, "delivered": true, "pad": "{}"}}"#,
        "x".repeat(2048)
    );
    let small = verifier.clone().max_body(1024);
    let err = events::decode_delivery(
        &standard_headers("msg_2", now(), SW_KEY, &oversized),
        oversized.as_bytes(),
        &small,
    )
    .expect_err("over the limit");
    assert_eq!(err.status(), 413);
}

#[test]
fn undeclared_events_are_plain_json_only() {
    // `ping` declares no scheme: plain JSON, and a JWT is refused whatever secret is given.
    let verifier = events::ping_verifier(SECRET).expect("never fails");
    let ping = events::decode_ping(&HeaderMap::new(), br#"{"seq": 3}"#, &verifier)
        .expect("plain JSON decodes");
    assert_eq!(ping.seq, Some(3));
    let token = jwt(Algorithm::HS256, SECRET, &json!({"seq": 3}));
    let err = events::decode_ping(&HeaderMap::new(), token.as_bytes(), &verifier)
        .expect_err("unsigned only");
    assert!(matches!(err, EventError::Unverifiable), "{err:?}");
}

/// What the streaming server saw: the `Last-Event-ID` and `verbose` of each connection.
#[derive(Default)]
struct Seen {
    connections: Vec<(Option<String>, Option<String>)>,
}

fn event(id: u32, total: u32) -> String {
    format!("id: {id}\nretry: 10\ndata: {{\"step\": {id}, \"total\": {total}}}\n\n")
}

/// The first connection sends steps 1 to 3 and then breaks off mid-response; a reconnection
/// gets the steps after its `Last-Event-ID` and a clean end.
async fn progress(
    State(seen): State<Arc<Mutex<Seen>>>,
    Path(job): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: AxumHeaders,
) -> Response {
    assert_eq!(job, "job 7");
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    seen.lock()
        .expect("not poisoned")
        .connections
        .push((last.clone(), query.get("verbose").cloned()));
    let after: u32 = last
        .as_deref()
        .map_or(0, |id| id.parse().expect("a number"));
    let first = (1..=3).map(|id| Ok::<_, std::io::Error>(event(id, 5)));
    let body = if after == 0 {
        let events = futures_util::stream::iter(first.collect::<Vec<_>>());
        let lost = futures_util::stream::once(async {
            // Pending first, so that hyper flushes the events; then the failure.
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            Err(std::io::Error::other("connection lost"))
        });
        Body::from_stream(events.chain(lost))
    } else {
        let rest: Vec<_> = (after + 1..=5)
            .map(|id| Ok::<_, std::io::Error>(event(id, 5)))
            .collect();
        Body::from_stream(futures_util::stream::iter(rest))
    };
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .body(body)
        .expect("a response")
}

#[tokio::test]
async fn generated_event_stream_resumes_after_a_drop() {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let app = Router::new()
        .route("/jobs/{job_id}/progress", get(progress))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let addr = listener.local_addr().expect("an address");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let client = snapshot_sse::Client::builder()
        .base_url(format!("http://{addr}"))
        .retry(RetryPolicy::new().max_attempts(3))
        .build()
        .expect("a client");
    let stream = client.watch_progress("job 7").verbose(true).stream();
    // The second connection ends cleanly, which ends the stream.
    let received: Vec<_> = stream.collect().await;
    let steps: Vec<(Option<String>, i64, i64)> = received
        .into_iter()
        .map(|item| {
            let event = item.expect("a typed event");
            (event.id, event.data.step, event.data.total)
        })
        .collect();
    let expected: Vec<(Option<String>, i64, i64)> =
        (1..=5).map(|n| (Some(n.to_string()), n, 5)).collect();
    assert_eq!(steps, expected);
    let connections = std::mem::take(&mut seen.lock().expect("not poisoned").connections);
    assert_eq!(
        connections,
        [
            (None, Some("true".to_owned())),
            (Some("3".to_owned()), Some("true".to_owned()))
        ]
    );
    server.abort();
}
