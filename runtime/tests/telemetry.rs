//! The `forge.request` span and the retry events, captured by a small subscriber.
//!
//! Own test binary: the subscriber is installed per thread (`set_default`) and the tests run
//! on current-thread runtimes, so every span and event of a request lands in its test's
//! capture.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use forge_runtime::{Auth, ClientCoreBuilder, RetryPolicy};
use serde_json::{json, Value};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;
use support::{closed_port, CREATE_THING, GET_THING};

const API_KEY: &str = "key-5ec2e7-DO-NOT-LOG";

/// One captured span: its name and every field value it was given or recorded.
#[derive(Clone, Debug, Default)]
struct CapturedSpan {
    name: String,
    fields: BTreeMap<String, String>,
}

/// One captured event: its level, message and fields.
#[derive(Clone, Debug)]
struct CapturedEvent {
    level: tracing::Level,
    fields: BTreeMap<String, String>,
}

#[derive(Default)]
struct Captured {
    spans: BTreeMap<u64, CapturedSpan>,
    events: Vec<CapturedEvent>,
}

/// Records everything, at every level, as text.
#[derive(Clone, Default)]
struct Capture {
    inner: Arc<Mutex<Captured>>,
    next_id: Arc<AtomicU64>,
}

struct FieldsToText<'a>(&'a mut BTreeMap<String, String>);

impl Visit for FieldsToText<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let mut span = CapturedSpan {
            name: attrs.metadata().name().to_owned(),
            ..CapturedSpan::default()
        };
        attrs.record(&mut FieldsToText(&mut span.fields));
        if let Ok(mut captured) = self.inner.lock() {
            captured.spans.insert(id, span);
        }
        Id::from_u64(id)
    }

    fn record(&self, id: &Id, values: &Record<'_>) {
        if let Ok(mut captured) = self.inner.lock() {
            if let Some(span) = captured.spans.get_mut(&id.into_u64()) {
                values.record(&mut FieldsToText(&mut span.fields));
            }
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut FieldsToText(&mut fields));
        if let Ok(mut captured) = self.inner.lock() {
            captured.events.push(CapturedEvent {
                level: *event.metadata().level(),
                fields,
            });
        }
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

impl Capture {
    fn request_spans(&self) -> Vec<CapturedSpan> {
        let captured = self.inner.lock().expect("capture");
        captured
            .spans
            .values()
            .filter(|s| s.name == "forge.request")
            .cloned()
            .collect()
    }

    fn retry_events(&self) -> Vec<CapturedEvent> {
        let captured = self.inner.lock().expect("capture");
        captured
            .events
            .iter()
            .filter(|e| e.fields.get("message").map(String::as_str) == Some("retrying"))
            .cloned()
            .collect()
    }

    /// Everything captured, as one text.
    fn everything(&self) -> String {
        let captured = self.inner.lock().expect("capture");
        let spans: Vec<String> = captured
            .spans
            .values()
            .map(|s| format!("{} {:?}", s.name, s.fields))
            .collect();
        let events: Vec<String> = captured
            .events
            .iter()
            .map(|e| format!("{} {:?}", e.level, e.fields))
            .collect();
        format!("{spans:#?}\n{events:#?}")
    }
}

fn field<'a>(span: &'a CapturedSpan, name: &str) -> &'a str {
    span.fields
        .get(name)
        .map(String::as_str)
        .unwrap_or_else(|| panic!("span has no `{name}`: {span:?}"))
}

#[tokio::test]
async fn the_request_span_has_the_template_and_the_outcome_and_no_secret() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let server = MockServer::start().await;
    Mock::given(path("/things/42"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/things/42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 42})))
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(422).set_body_string("body-secret-echo"))
        .mount(&server)
        .await;
    let core = ClientCoreBuilder::new(&server.uri())
        .auth(Auth::api_key_query("apikey", API_KEY))
        .build()
        .expect("builds");

    let value: Value = core
        .request(&GET_THING, "/things/42".into())
        .query("q", "query-secret")
        .header("X-Personal", "header-secret")
        .send_json()
        .await
        .expect("second attempt succeeds");
    assert_eq!(value, json!({"id": 42}));
    let err = core
        .request(&CREATE_THING, "/things".into())
        .json(&json!({"password": "body-secret"}))
        .send_empty()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));

    let spans = capture.request_spans();
    assert_eq!(spans.len(), 2, "one span per logical request: {spans:#?}");
    let get = &spans[0];
    assert_eq!(field(get, "operation"), "getThing");
    assert_eq!(field(get, "method"), "GET");
    assert_eq!(field(get, "path"), "/things/{id}");
    assert_eq!(field(get, "status"), "200");
    assert_eq!(field(get, "attempts"), "2");
    let ms: u64 = field(get, "duration_ms").parse().expect("a number");
    assert!(ms < 10_000, "{ms}");
    assert!(!get.fields.contains_key("error"), "{get:?}");

    let post = &spans[1];
    assert_eq!(field(post, "operation"), "createThing");
    assert_eq!(field(post, "method"), "POST");
    assert_eq!(field(post, "path"), "/things");
    assert_eq!(field(post, "status"), "422");
    assert_eq!(field(post, "attempts"), "1");
    assert_eq!(field(post, "error"), "status");

    let retries = capture.retry_events();
    assert_eq!(retries.len(), 1, "{retries:#?}");
    let retry = &retries[0];
    assert_eq!(retry.level, tracing::Level::DEBUG);
    assert_eq!(retry.fields["attempt"], "1");
    assert_eq!(retry.fields["reason"], "status 503");
    assert_eq!(retry.fields["wait_ms"], "0");
    assert_eq!(retry.fields["retry_after"], "true");

    let everything = capture.everything();
    for secret in [
        API_KEY,
        "DO-NOT-LOG",
        "apikey=",
        "query-secret",
        "header-secret",
        "body-secret",
        "/things/42",
    ] {
        assert!(
            !everything.contains(secret),
            "`{secret}` was logged:\n{everything}"
        );
    }
}

#[tokio::test]
async fn connection_refused_is_retried_and_counted() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let port = closed_port();
    let core = ClientCoreBuilder::new(&format!("http://127.0.0.1:{port}"))
        .auth(Auth::bearer(API_KEY))
        .retry(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(10))
                .max_backoff(Duration::from_millis(20)),
        )
        .build()
        .expect("builds");
    let err = core
        .request(&GET_THING, "/things/1".into())
        .send_json::<Value>()
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err:?}");

    let spans = capture.request_spans();
    assert_eq!(spans.len(), 1);
    assert_eq!(field(&spans[0], "attempts"), "3");
    assert_eq!(field(&spans[0], "error"), "connect");
    assert!(!spans[0].fields.contains_key("status"), "{spans:?}");
    let retries = capture.retry_events();
    assert_eq!(retries.len(), 2, "{retries:#?}");
    for (i, retry) in retries.iter().enumerate() {
        assert_eq!(retry.fields["attempt"], (i + 1).to_string());
        assert_eq!(retry.fields["reason"], "connect error");
        let wait: u64 = retry.fields["wait_ms"].parse().expect("a number");
        assert!(wait <= 20, "{wait}");
    }
    let everything = capture.everything();
    assert!(!everything.contains("DO-NOT-LOG"), "{everything}");
}

/// `Display` names the origin the request went to and, after retries, how many attempts
/// were made; never the path actually sent, the query string or a credential.
#[tokio::test]
async fn errors_name_the_origin_and_the_attempts_but_no_path_or_query() {
    let server = MockServer::start().await;
    Mock::given(path("/things/42"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let core = ClientCoreBuilder::new(&server.uri())
        .auth(Auth::api_key_query("apikey", API_KEY))
        .retry(
            RetryPolicy::new()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(1)),
        )
        .build()
        .expect("builds");
    let err = core
        .request(&GET_THING, "/things/42".into())
        .query("q", "query-secret")
        .send_json::<Value>()
        .await
        .unwrap_err();
    let shown = err.to_string();
    assert_eq!(err.origin(), Some(server.uri().as_str()));
    assert_eq!(err.attempts(), 3);
    assert!(
        shown.starts_with(&format!(
            "getThing (GET /things/{{id}}) at {} after 3 attempts: server answered 503",
            server.uri()
        )),
        "{shown}"
    );
    for secret in ["/things/42", "query-secret", API_KEY, "apikey"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }

    // One attempt: the origin, no count.
    let once =
        core.with_options(forge_runtime::RequestOptions::new().retry(RetryPolicy::disabled()));
    let err = once
        .request(&GET_THING, "/things/42".into())
        .send_json::<Value>()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "getThing (GET /things/{{id}}) at {}: server answered 503 Service Unavailable",
            server.uri()
        )
    );
}

/// A base URL whose path the spec's paths already start with (`.../api/v2` with
/// `/api/v2/...`) sends the prefix twice; the first request says so in a warning.
#[tokio::test]
async fn a_base_url_path_repeated_by_the_operation_path_is_warned_about_once() {
    const LISTED: forge_runtime::Operation = forge_runtime::Operation {
        id: "listThings",
        method: forge_runtime::Method::GET,
        path: "/api/v2/things",
    };
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = MockServer::start().await;
    let core = ClientCoreBuilder::new(&format!("{}/api/v2", server.uri()))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("builds");
    for _ in 0..2 {
        let err = core
            .request(&LISTED, "/api/v2/things".into())
            .send_empty()
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
        assert!(
            err.to_string().contains(&format!(" at {}: ", server.uri())),
            "{err}"
        );
    }
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests[0].url.path(), "/api/v2/api/v2/things");
    let warnings: Vec<CapturedEvent> = {
        let captured = capture.inner.lock().expect("capture");
        captured
            .events
            .iter()
            .filter(|e| e.level == tracing::Level::WARN)
            .cloned()
            .collect()
    };
    assert_eq!(warnings.len(), 1, "{}", capture.everything());
    assert_eq!(
        warnings[0].fields.get("base_url_path").map(String::as_str),
        Some("/api/v2")
    );
}
