//! The generated client's production behaviour over loopback HTTP: cursor streams, retries
//! after 429, per-call options.

use std::time::{Duration, Instant};

use dialpad_sms_subscriptions::types::{CreateSmsSubscription, SmsSubscriptionDirection};
use dialpad_sms_subscriptions::Client;
use dialpad_sms_subscriptions::StreamExt;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    forge_tests::dialpad::bearer_client(&server.uri(), "k")
}

fn page(ids: &[u64], cursor: Option<&str>) -> serde_json::Value {
    let items: Vec<_> = ids
        .iter()
        .map(|id| json!({"id": id.to_string(), "direction": "all"}))
        .collect();
    match cursor {
        Some(cursor) => json!({"items": items, "cursor": cursor}),
        None => json!({"items": items}),
    }
}

#[tokio::test]
async fn the_stream_follows_cursors_and_yields_every_item_once() {
    let server = MockServer::start().await;
    let route = || Mock::given(method("GET")).and(path("/api/v2/subscriptions/sms"));
    route()
        .and(query_param_is_missing("cursor"))
        .and(query_param("target_type", "office"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&[1, 2], Some("c2"))))
        .expect(1)
        .mount(&server)
        .await;
    route()
        .and(query_param("cursor", "c2"))
        .and(query_param("target_type", "office"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&[3], Some("c3"))))
        .expect(1)
        .mount(&server)
        .await;
    route()
        .and(query_param("cursor", "c3"))
        .and(query_param("target_type", "office"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&[4, 5], Some(""))))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let items: Vec<_> = client
        .list_sms_subscriptions()
        .target_type(dialpad_sms_subscriptions::types::SubscriptionTargetType::Office)
        .stream()
        .collect()
        .await;
    let ids: Vec<i64> = items
        .into_iter()
        .map(|item| item.expect("item").id.expect("id"))
        .collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(server.received_requests().await.expect("recorded").len(), 3);
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&[1], Some("c2"))))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("cursor", "c2"))
        .respond_with(ResponseTemplate::new(404).set_body_string("gone"))
        .mount(&server)
        .await;
    let client = client(&server);
    let items: Vec<_> = client.list_sms_subscriptions().stream().collect().await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().expect("first item").id, Some(1));
    let err = items[1].as_ref().expect_err("the error item");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn create_survives_a_429_with_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/subscriptions/sms"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/subscriptions/sms"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "77", "direction": "all"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    let created = client(&server)
        .create_sms_subscription(&CreateSmsSubscription::new(SmsSubscriptionDirection::All))
        .await
        .expect("succeeds after the retry");
    let elapsed = started.elapsed();
    assert_eq!(created.id, Some(77));
    assert!(elapsed >= Duration::from_secs(1), "waited {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "waited {elapsed:?}");
    // Both attempts carried the same body.
    let bodies: Vec<Vec<u8>> = server
        .received_requests()
        .await
        .expect("recorded")
        .into_iter()
        .map(|r| r.body)
        .collect();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn with_options_overrides_the_timeout_for_one_view_of_the_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "1"}))
                .set_delay(Duration::from_millis(600)),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let options = forge_runtime::RequestOptions::new()
        .timeout(Duration::from_millis(100))
        .retry(forge_runtime::RetryPolicy::disabled());
    let err = client
        .with_options(options)
        .get_webhook(1)
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err}");
    // The original client keeps its (longer) timeout.
    assert_eq!(
        client.get_webhook(1).await.expect("slow but fine").id,
        Some(1)
    );
}

#[tokio::test]
async fn with_response_methods_keep_the_status_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/webhooks/1000"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-remaining", "1199")
                .set_body_json(json!({"id": "1000", "hook_url": "https://h.example/x"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server)
        .get_webhook(1000)
        .send_with_response()
        .await
        .expect("succeeds");
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(
        response
            .headers
            .get("x-ratelimit-remaining")
            .and_then(|v| v.to_str().ok()),
        Some("1199")
    );
    assert_eq!(response.value.id, Some(1000));
    assert_eq!(
        response.value.hook_url.as_deref(),
        Some("https://h.example/x")
    );
}
