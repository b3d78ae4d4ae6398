//! End-to-end tests of the generated `dialpad-sms-subscriptions` client against a wiremock
//! server on loopback: the exact request each operation sends (method, path, query, auth,
//! headers, JSON body) and how realistic Dialpad responses and failures are decoded.

use dialpad_sms_subscriptions::types::{
    CreateSmsSubscription, CreateWebhook, Signature, SmsSubscription, SmsSubscriptionDirection,
    SmsSubscriptionPage, SubscriptionTargetType, UpdateSmsSubscription, Webhook, WebhookPage,
    Websocket,
};
use dialpad_sms_subscriptions::{Client, Error, ErrorKind};
use forge_runtime::{Nullable, StatusCode};
use forge_tests::dialpad::{self, signed, webhook_1000};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "test-bearer-key-42";

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// A client for `server` that authenticates with `Authorization: Bearer KEY`.
fn bearer_client(server: &MockServer) -> Client {
    dialpad::bearer_client(&server.uri(), KEY)
}

/// Matches only when the request's decoded query pairs are exactly `expected`, in order:
/// nothing missing, nothing extra.
struct ExactQuery(Vec<(String, String)>);

fn exact_query(pairs: &[(&str, &str)]) -> ExactQuery {
    ExactQuery(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

fn query_pairs(request: &Request) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

impl Match for ExactQuery {
    fn matches(&self, request: &Request) -> bool {
        query_pairs(request) == self.0
    }
}

/// Unwraps `result`; on error, panics showing the error and every request the server saw,
/// which is far more useful than the bare 404 wiremock answers when a matcher fails.
async fn ok<T>(server: &MockServer, result: Result<T, Error>) -> T {
    match result {
        Ok(value) => value,
        Err(err) => {
            let seen = server.received_requests().await.unwrap_or_default();
            let shown: Vec<String> = seen
                .iter()
                .map(|r| {
                    format!(
                        "{} {} headers={:?} body={}",
                        r.method,
                        r.url,
                        r.headers,
                        String::from_utf8_lossy(&r.body)
                    )
                })
                .collect();
            panic!("call failed: {err}\nrequests seen:\n{}", shown.join("\n"));
        }
    }
}

/// The one request the server received (fails if there were zero or several).
async fn only_request(server: &MockServer) -> Request {
    let mut seen = server
        .received_requests()
        .await
        .expect("request recording is on");
    assert_eq!(seen.len(), 1, "expected exactly one request, got {seen:#?}");
    seen.remove(0)
}

/// Asserts the request carried exactly one `Authorization: Bearer KEY` and no `apikey`.
fn assert_bearer(request: &Request) {
    let values: Vec<_> = request.headers.get_all("authorization").iter().collect();
    assert_eq!(values.len(), 1, "authorization headers: {values:?}");
    assert_eq!(values[0].to_str().unwrap(), format!("Bearer {KEY}"));
    assert!(
        !query_pairs(request).iter().any(|(k, _)| k == "apikey"),
        "bearer client must not send apikey: {}",
        request.url
    );
}

/// Asserts the request had no body and therefore no `Content-Type`.
fn assert_no_body(request: &Request) {
    assert!(
        request.body.is_empty(),
        "unexpected body: {}",
        String::from_utf8_lossy(&request.body)
    );
    assert!(
        request.headers.get("content-type").is_none(),
        "content-type without body: {:?}",
        request.headers.get("content-type")
    );
}

/// Asserts the request had `Content-Type: application/json` and exactly `expected` as body.
fn assert_json_body(request: &Request, expected: &Value) {
    let content_types: Vec<_> = request.headers.get_all("content-type").iter().collect();
    assert_eq!(
        content_types.len(),
        1,
        "content-type headers: {content_types:?}"
    );
    assert_eq!(content_types[0].to_str().unwrap(), "application/json");
    let body: Value = serde_json::from_slice(&request.body).unwrap_or_else(|e| {
        panic!(
            "body is not JSON ({e}): {}",
            String::from_utf8_lossy(&request.body)
        )
    });
    assert_eq!(&body, expected, "request body differs");
}

fn assert_accepts_json(request: &Request) {
    assert_eq!(
        request
            .headers
            .get("accept")
            .map(|v| v.to_str().unwrap().to_owned()),
        Some("application/json".to_owned())
    );
}

/// The spec's example webhook 1000, plus fields this client does not know.
fn webhook_1000_json() -> Value {
    json!({
        "id": "1000",
        "hook_url": "https://hooks.example.com/dialpad/sms",
        "signature": {
            "algo": "HS256",
            "secret": "s3cr3t-shared-key",
            "type": "jwt",
            "kid": "unknown-signature-field"
        },
        "created_date": "2024-01-01T00:00:00",
        "company_id": "5000"
    })
}

// ---------------------------------------------------------------------------------------
// SMS subscriptions
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn create_sms_subscription_sends_full_body_and_decodes_string_ids() {
    let server = MockServer::start().await;
    let expected_body = json!({
        "direction": "all",
        "include_internal": true,
        "endpoint_id": 1000,
        "enabled": true,
        "status": false,
        "target_id": 5550001,
        "target_type": "office"
    });
    Mock::given(method("POST"))
        .and(path("/api/v2/subscriptions/sms"))
        .and(exact_query(&[]))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(&expected_body))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "1001",
            "direction": "all",
            "enabled": true,
            "include_internal": true,
            "status": false,
            "target_id": "5550001",
            "target_type": "office",
            "webhook": webhook_1000_json(),
            "websocket": null,
            "message_content_export": true,
            "unknown_nested": {"a": [1, 2, {"b": null}]}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let body = CreateSmsSubscription {
        direction: SmsSubscriptionDirection::All,
        include_internal: Some(true),
        endpoint_id: Some(1000),
        enabled: Some(true),
        status: Some(false),
        target_id: Some(5_550_001),
        target_type: SubscriptionTargetType::Office.into(),
    };
    let sub = ok(&server, client.create_sms_subscription(&body).await).await;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/api/v2/subscriptions/sms");
    assert_eq!(request.url.query(), None, "no query string expected");
    assert_bearer(&request);
    assert_accepts_json(&request);
    assert_json_body(&request, &expected_body);

    assert_eq!(sub.id, Some(1001));
    assert_eq!(sub.direction, Some(SmsSubscriptionDirection::All));
    assert_eq!(sub.enabled, Some(true));
    assert_eq!(sub.include_internal, Some(true));
    assert_eq!(sub.status, Some(false));
    assert_eq!(sub.target_id, Some(5_550_001));
    assert_eq!(sub.target_type, Some(SubscriptionTargetType::Office));
    assert_eq!(sub.webhook, Some(webhook_1000()));
    assert_eq!(sub.websocket, None);
}

#[tokio::test]
async fn create_sms_subscription_minimal_body_omits_unset_fields() {
    let server = MockServer::start().await;
    let expected_body = json!({"direction": "inbound"});
    Mock::given(method("POST"))
        .and(path("/api/v2/subscriptions/sms"))
        .and(exact_query(&[]))
        .and(body_json(&expected_body))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            // Ids as JSON numbers this time, and a websocket instead of a webhook.
            "id": 1005,
            "direction": "inbound",
            "enabled": false,
            "include_internal": false,
            "status": true,
            "target_id": null,
            "target_type": null,
            "webhook": null,
            "websocket": {
                "id": 77,
                "websocket_url": "wss://events.dialpad.com/ws/77",
                "signature": null
            }
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let body = CreateSmsSubscription::new(SmsSubscriptionDirection::Inbound);
    let sub = ok(&server, client.create_sms_subscription(&body).await).await;

    let request = only_request(&server).await;
    assert_bearer(&request);
    // Unset optional fields are absent, not null, and no spec default is filled in.
    assert_json_body(&request, &expected_body);
    assert_eq!(request.body, br#"{"direction":"inbound"}"#);

    assert_eq!(sub.id, Some(1005));
    assert_eq!(sub.direction, Some(SmsSubscriptionDirection::Inbound));
    assert_eq!(sub.enabled, Some(false));
    assert_eq!(sub.include_internal, Some(false));
    assert_eq!(sub.status, Some(true));
    assert_eq!(sub.target_id, None);
    assert_eq!(sub.target_type, None);
    assert_eq!(sub.webhook, None);
    assert_eq!(
        sub.websocket,
        Some(Websocket {
            id: Some(77),
            websocket_url: Some("wss://events.dialpad.com/ws/77".to_owned()),
            signature: None,
        })
    );
}

#[tokio::test]
async fn list_sms_subscriptions_without_params_sends_no_query_and_decodes_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/subscriptions/sms"))
        .and(exact_query(&[]))
        .and(query_param_is_missing("cursor"))
        .and(query_param_is_missing("target_type"))
        .and(query_param_is_missing("target_id"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [
                {
                    "id": "1001",
                    "direction": "all",
                    "enabled": true,
                    "include_internal": true,
                    "status": false,
                    "webhook": webhook_1000_json()
                },
                {
                    "id": "1003",
                    "direction": "inbound",
                    "enabled": true,
                    "include_internal": false,
                    "status": true,
                    "target_id": "5550001",
                    "target_type": "office",
                    "webhook": {
                        "id": "1002",
                        "hook_url": "https://hooks.example.com/dialpad/office-sms",
                        "signature": {"algo": null, "secret": null, "type": null}
                    }
                },
                {
                    // Values this client version does not know.
                    "id": 1004,
                    "direction": "sideways",
                    "target_id": 99,
                    "target_type": "spaceship",
                    "future_field": {"x": 1}
                }
            ],
            "cursor": "Cg0KBnRhcmdldBIDMTAwMw",
            "total": 3
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let page = ok(&server, client.list_sms_subscriptions().await).await;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/api/v2/subscriptions/sms");
    assert_eq!(request.url.query(), None, "no query string expected");
    assert_bearer(&request);
    assert_accepts_json(&request);
    assert_no_body(&request);

    assert_eq!(page.cursor.as_deref(), Some("Cg0KBnRhcmdldBIDMTAwMw"));
    let items = page.items.expect("items present");
    assert_eq!(items.len(), 3);

    assert_eq!(items[0].id, Some(1001));
    assert_eq!(items[0].direction, Some(SmsSubscriptionDirection::All));
    assert_eq!(items[0].enabled, Some(true));
    assert_eq!(items[0].include_internal, Some(true));
    assert_eq!(items[0].status, Some(false));
    assert_eq!(items[0].target_id, None);
    assert_eq!(items[0].target_type, None);
    assert_eq!(items[0].webhook, Some(webhook_1000()));
    assert_eq!(items[0].websocket, None);

    assert_eq!(items[1].id, Some(1003));
    assert_eq!(items[1].direction, Some(SmsSubscriptionDirection::Inbound));
    assert_eq!(items[1].target_id, Some(5_550_001));
    assert_eq!(items[1].target_type, Some(SubscriptionTargetType::Office));
    let webhook = items[1].webhook.as_ref().expect("webhook");
    assert_eq!(webhook.id, Some(1002));
    assert_eq!(
        webhook.hook_url.as_deref(),
        Some("https://hooks.example.com/dialpad/office-sms")
    );
    assert_eq!(webhook.signature, Some(Signature::default()));

    assert_eq!(items[2].id, Some(1004));
    assert_eq!(
        items[2].direction,
        Some(SmsSubscriptionDirection::Other("sideways".to_owned()))
    );
    assert_eq!(items[2].direction.as_ref().unwrap().as_str(), "sideways");
    assert_eq!(
        items[2].target_type,
        Some(SubscriptionTargetType::Other("spaceship".to_owned()))
    );
    assert_eq!(
        items[2].target_type.as_ref().unwrap().to_string(),
        "spaceship"
    );
    assert_eq!(items[2].target_id, Some(99));
    // Missing booleans decode as their spec defaults; other missing fields as None.
    assert_eq!(items[2].enabled, Some(true));
    assert_eq!(items[2].include_internal, Some(false));
    assert_eq!(items[2].status, Some(false));
    assert_eq!(items[2].webhook, None);
    assert_eq!(items[2].websocket, None);
}

#[tokio::test]
async fn list_sms_subscriptions_with_all_params_sends_exactly_those_query_pairs() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/subscriptions/sms"))
        .and(query_param("cursor", "Cg0KBnRhcmdldBIDMTAwMw"))
        .and(query_param("target_type", "callcenter"))
        .and(query_param("target_id", "5550001"))
        .and(exact_query(&[
            ("cursor", "Cg0KBnRhcmdldBIDMTAwMw"),
            ("target_type", "callcenter"),
            ("target_id", "5550001"),
        ]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [],
            "cursor": null
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let list = client
        .list_sms_subscriptions()
        .cursor("Cg0KBnRhcmdldBIDMTAwMw")
        .target_type(SubscriptionTargetType::Callcenter)
        .target_id(5_550_001);
    let page = ok(&server, list.await).await;

    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("cursor=Cg0KBnRhcmdldBIDMTAwMw&target_type=callcenter&target_id=5550001")
    );
    assert_bearer(&request);
    assert_no_body(&request);

    assert_eq!(page.items, Some(vec![]));
    assert_eq!(page.cursor, None);
}

#[tokio::test]
async fn list_sms_subscriptions_sends_only_the_params_that_are_set() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/subscriptions/sms"))
        .and(query_param("target_type", "spaceship"))
        .and(exact_query(&[("target_type", "spaceship")]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    // An unknown enum value is sent as written.
    let list = client
        .list_sms_subscriptions()
        .target_type(SubscriptionTargetType::Other("spaceship".to_owned()));
    let page = ok(&server, list.await).await;

    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("target_type=spaceship"));
    assert_bearer(&request);
    // An empty object is a valid (empty) page.
    assert_eq!(page, SmsSubscriptionPage::default());
}

#[tokio::test]
async fn get_sms_subscription_puts_id_in_path_and_decodes_explicit_nulls() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/subscriptions/sms/1001"))
        .and(exact_query(&[]))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "1001",
            "direction": null,
            "enabled": null,
            "include_internal": null,
            "status": null,
            "target_id": null,
            "target_type": null,
            "webhook": null,
            "websocket": null,
            "unexpected": null
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let sub = ok(&server, client.get_sms_subscription(1001).await).await;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/api/v2/subscriptions/sms/1001");
    assert_eq!(request.url.query(), None);
    assert_bearer(&request);
    assert_no_body(&request);

    assert_eq!(
        sub,
        SmsSubscription {
            id: Some(1001),
            ..Default::default()
        }
    );
    assert_eq!(sub.direction, None);
    assert_eq!(sub.enabled, None);
    assert_eq!(sub.webhook, None);
}

#[tokio::test]
async fn get_sms_subscription_handles_ids_beyond_f64_precision() {
    // 2^53 + 1: a double cannot hold it, so a lossy decoder would answer ...992.
    let big: i64 = 9_007_199_254_740_993;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/subscriptions/sms/9007199254740993"))
        .and(exact_query(&[]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "9007199254740993",
            "target_id": 9_223_372_036_854_775_807_i64,
            "webhook": {"id": "-1"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let sub = ok(&server, client.get_sms_subscription(big).await).await;
    assert_eq!(sub.id, Some(big));
    assert_eq!(sub.target_id, Some(i64::MAX));
    assert_eq!(sub.webhook.and_then(|w| w.id), Some(-1));
}

#[tokio::test]
async fn update_sms_subscription_sends_patch_with_only_supplied_fields() {
    let server = MockServer::start().await;
    let expected_body = json!({
        "direction": "inbound",
        "include_internal": false,
        "endpoint_id": 1002
    });
    Mock::given(method("PATCH"))
        .and(path("/api/v2/subscriptions/sms/1001"))
        .and(exact_query(&[]))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(&expected_body))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "1001",
            "direction": "inbound",
            "enabled": true,
            "include_internal": false,
            "status": false,
            "webhook": {
                "id": "1002",
                "hook_url": "https://hooks.example.com/dialpad/office-sms",
                "signature": {"algo": "HS256", "secret": "another-shared-key", "type": "jwt"}
            }
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let body = UpdateSmsSubscription {
        direction: Some(SmsSubscriptionDirection::Inbound),
        include_internal: Some(false),
        endpoint_id: Some(1002),
        ..Default::default()
    };
    let sub = ok(&server, client.update_sms_subscription(1001, &body).await).await;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), "/api/v2/subscriptions/sms/1001");
    assert_eq!(request.url.query(), None);
    assert_bearer(&request);
    assert_json_body(&request, &expected_body);

    assert_eq!(
        sub,
        SmsSubscription {
            id: Some(1001),
            direction: Some(SmsSubscriptionDirection::Inbound),
            enabled: Some(true),
            include_internal: Some(false),
            status: Some(false),
            target_id: None,
            target_type: None,
            webhook: Some(Webhook {
                id: Some(1002),
                hook_url: Some("https://hooks.example.com/dialpad/office-sms".to_owned()),
                signature: signed("HS256", "another-shared-key", "jwt"),
            }),
            websocket: None,
        }
    );
}

#[tokio::test]
async fn update_sms_subscription_with_nothing_set_sends_empty_object() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/api/v2/subscriptions/sms/7"))
        .and(exact_query(&[]))
        .and(body_json(json!({})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 7})))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let sub = ok(
        &server,
        client
            .update_sms_subscription(7, &UpdateSmsSubscription::default())
            .await,
    )
    .await;

    let request = only_request(&server).await;
    assert_json_body(&request, &json!({}));
    assert_eq!(request.body, b"{}");
    assert_eq!(sub.id, Some(7));
}

/// `target_type` is optional and nullable: left out keeps the target, `null` clears it, a
/// value sets it. Each state is one exact body (wiremock's `body_json` compares whole values,
/// so an extra or missing property fails the match).
#[tokio::test]
async fn update_sms_subscription_leaves_out_clears_or_sets_a_nullable_field() {
    let server = MockServer::start().await;
    let cases = [
        (11, Nullable::Absent, json!({"enabled": true})),
        (
            12,
            Nullable::Null,
            json!({"enabled": true, "target_type": null}),
        ),
        (
            13,
            Nullable::Value(SubscriptionTargetType::Office),
            json!({"enabled": true, "target_type": "office"}),
        ),
    ];
    for (id, _, expected_body) in &cases {
        Mock::given(method("PATCH"))
            .and(path(format!("/api/v2/subscriptions/sms/{id}")))
            .and(body_json(expected_body))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": id})))
            .expect(1)
            .mount(&server)
            .await;
    }

    let client = bearer_client(&server);
    for (id, target_type, expected_body) in cases {
        let body = UpdateSmsSubscription {
            enabled: Some(true),
            target_type,
            ..Default::default()
        };
        let sub = ok(&server, client.update_sms_subscription(id, &body).await).await;
        assert_eq!(sub.id, Some(id));
        let seen = server.received_requests().await.expect("recording is on");
        let request = seen.last().expect("a request");
        assert_json_body(request, &expected_body);
    }
    // `From` and the `Option` conversions give the same three bodies.
    let set: Nullable<SubscriptionTargetType> = SubscriptionTargetType::Office.into();
    assert_eq!(set, Nullable::Value(SubscriptionTargetType::Office));
    assert_eq!(
        Nullable::<SubscriptionTargetType>::from_option(None),
        Nullable::Null
    );
    assert_eq!(
        UpdateSmsSubscription::default().target_type,
        Nullable::Absent
    );
}

#[tokio::test]
async fn update_sms_subscription_sends_unknown_enum_values_verbatim() {
    let server = MockServer::start().await;
    let expected_body =
        json!({"direction": "sideways", "target_type": "spaceship", "target_id": 3});
    Mock::given(method("PATCH"))
        .and(path("/api/v2/subscriptions/sms/1001"))
        .and(body_json(&expected_body))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "1001", "direction": "sideways", "target_type": "spaceship", "target_id": "3"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let body = UpdateSmsSubscription {
        direction: Some(SmsSubscriptionDirection::Other("sideways".to_owned())),
        target_type: Nullable::Value(SubscriptionTargetType::Other("spaceship".to_owned())),
        target_id: Some(3),
        ..Default::default()
    };
    let sub = ok(&server, client.update_sms_subscription(1001, &body).await).await;

    assert_json_body(&only_request(&server).await, &expected_body);
    assert_eq!(sub.direction, body.direction);
    assert_eq!(sub.target_type, body.target_type.clone().into_option());
    assert_eq!(sub.target_id, Some(3));
}

#[tokio::test]
async fn delete_sms_subscription_sends_delete_and_decodes_echo() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/v2/subscriptions/sms/1001"))
        .and(exact_query(&[]))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "1001",
            "direction": "inbound",
            "enabled": true,
            "include_internal": false,
            "status": true,
            "webhook": webhook_1000_json()
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let sub = ok(&server, client.delete_sms_subscription(1001).await).await;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), "/api/v2/subscriptions/sms/1001");
    assert_eq!(request.url.query(), None);
    assert_bearer(&request);
    assert_no_body(&request);

    assert_eq!(sub.id, Some(1001));
    assert_eq!(sub.direction, Some(SmsSubscriptionDirection::Inbound));
    assert_eq!(sub.enabled, Some(true));
    assert_eq!(sub.include_internal, Some(false));
    assert_eq!(sub.status, Some(true));
    assert_eq!(sub.webhook, Some(webhook_1000()));
}

// ---------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn create_webhook_sends_url_and_secret_and_decodes_signature() {
    let server = MockServer::start().await;
    let expected_body = json!({
        "hook_url": "https://hooks.example.com/dialpad/sms",
        "secret": "s3cr3t-shared-key"
    });
    Mock::given(method("POST"))
        .and(path("/api/v2/webhooks"))
        .and(exact_query(&[]))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(&expected_body))
        .respond_with(ResponseTemplate::new(200).set_body_json(webhook_1000_json()))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let body = CreateWebhook {
        hook_url: "https://hooks.example.com/dialpad/sms".to_owned(),
        secret: Some("s3cr3t-shared-key".to_owned()),
    };
    let webhook = ok(&server, client.create_webhook(&body).await).await;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/api/v2/webhooks");
    assert_eq!(request.url.query(), None);
    assert_bearer(&request);
    assert_json_body(&request, &expected_body);

    assert_eq!(webhook.id, Some(1000));
    assert_eq!(
        webhook.hook_url.as_deref(),
        Some("https://hooks.example.com/dialpad/sms")
    );
    let signature = webhook.signature.expect("signature");
    assert_eq!(signature.algo.as_deref(), Some("HS256"));
    assert_eq!(signature.secret.as_deref(), Some("s3cr3t-shared-key"));
    assert_eq!(signature.type_.as_deref(), Some("jwt"));
}

#[tokio::test]
async fn create_webhook_without_secret_omits_it() {
    let server = MockServer::start().await;
    let expected_body = json!({"hook_url": "https://hooks.example.com/plain"});
    Mock::given(method("POST"))
        .and(path("/api/v2/webhooks"))
        .and(exact_query(&[]))
        .and(body_json(&expected_body))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": 1001,
            "hook_url": "https://hooks.example.com/plain",
            "signature": null
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let body = CreateWebhook::new("https://hooks.example.com/plain".to_owned());
    let webhook = ok(&server, client.create_webhook(&body).await).await;

    let request = only_request(&server).await;
    assert_bearer(&request);
    assert_json_body(&request, &expected_body);
    assert_eq!(
        webhook,
        Webhook {
            id: Some(1001),
            hook_url: Some("https://hooks.example.com/plain".to_owned()),
            signature: None,
        }
    );
}

#[tokio::test]
async fn list_webhooks_without_cursor_sends_no_query_and_decodes_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/webhooks"))
        .and(exact_query(&[]))
        .and(query_param_is_missing("cursor"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [
                webhook_1000_json(),
                {
                    "id": 1002,
                    "hook_url": "https://hooks.example.com/dialpad/office-sms",
                    "signature": {"algo": "HS256", "secret": "another-shared-key", "type": "jwt"}
                },
                {"id": "1003"}
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let page = ok(&server, client.list_webhooks().await).await;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/api/v2/webhooks");
    assert_eq!(request.url.query(), None);
    assert_bearer(&request);
    assert_no_body(&request);

    assert_eq!(
        page,
        WebhookPage {
            items: Some(vec![
                webhook_1000(),
                Webhook {
                    id: Some(1002),
                    hook_url: Some("https://hooks.example.com/dialpad/office-sms".to_owned()),
                    signature: signed("HS256", "another-shared-key", "jwt"),
                },
                Webhook {
                    id: Some(1003),
                    hook_url: None,
                    signature: None,
                },
            ]),
            cursor: None,
        }
    );
}

#[tokio::test]
async fn get_webhook_puts_id_in_path_and_decodes_numeric_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/webhooks/1000"))
        .and(exact_query(&[]))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": 1000,
            "hook_url": "https://hooks.example.com/dialpad/sms",
            "signature": {"algo": "HS256", "secret": "s3cr3t-shared-key", "type": "jwt"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let webhook = ok(&server, client.get_webhook(1000).await).await;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/api/v2/webhooks/1000");
    assert_eq!(request.url.query(), None);
    assert_bearer(&request);
    assert_no_body(&request);
    assert_eq!(webhook, webhook_1000());
}

#[tokio::test]
async fn get_webhook_with_negative_id_stays_one_path_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/webhooks/-42"))
        .and(exact_query(&[]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "-42"})))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let webhook = ok(&server, client.get_webhook(-42).await).await;
    assert_eq!(
        only_request(&server).await.url.path(),
        "/api/v2/webhooks/-42"
    );
    assert_eq!(webhook.id, Some(-42));
}

#[tokio::test]
async fn delete_webhook_sends_delete_and_decodes_echo() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/v2/webhooks/1000"))
        .and(exact_query(&[]))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(webhook_1000_json()))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let webhook = ok(&server, client.delete_webhook(1000).await).await;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), "/api/v2/webhooks/1000");
    assert_eq!(request.url.query(), None);
    assert_bearer(&request);
    assert_no_body(&request);
    assert_eq!(webhook, webhook_1000());
}

// ---------------------------------------------------------------------------------------
// Encoding, base URL, auth
// ---------------------------------------------------------------------------------------

/// A cursor full of characters that mean something in a query string.
const NASTY_CURSOR: &str = "a&b=c d+e/f?g#h%2Fi;j,k é日本🦀 ~";

#[tokio::test]
async fn query_values_with_reserved_and_unicode_characters_round_trip() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/webhooks"))
        .and(query_param("cursor", NASTY_CURSOR))
        .and(exact_query(&[("cursor", NASTY_CURSOR)]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": []})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/subscriptions/sms"))
        .and(query_param("cursor", NASTY_CURSOR))
        .and(query_param("target_id", "-5"))
        .and(exact_query(&[
            ("cursor", NASTY_CURSOR),
            ("target_id", "-5"),
        ]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": []})))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let webhooks = ok(&server, client.list_webhooks().cursor(NASTY_CURSOR).await).await;
    assert_eq!(webhooks.items, Some(vec![]));
    let subs = ok(
        &server,
        client
            .list_sms_subscriptions()
            .cursor(NASTY_CURSOR)
            .target_id(-5)
            .await,
    )
    .await;
    assert_eq!(subs.items, Some(vec![]));

    let seen = server.received_requests().await.unwrap();
    assert_eq!(seen.len(), 2);
    for request in &seen {
        // Exactly one `cursor` pair, decoded back to the original value.
        let cursors: Vec<_> = query_pairs(request)
            .into_iter()
            .filter(|(k, _)| k == "cursor")
            .map(|(_, v)| v)
            .collect();
        assert_eq!(cursors, vec![NASTY_CURSOR.to_owned()], "{}", request.url);
        // None of the reserved characters leaked unencoded into the raw query string.
        let raw = request.url.query().expect("query present");
        let raw_cursor = raw
            .split('&')
            .find_map(|pair| pair.strip_prefix("cursor="))
            .expect("raw cursor pair");
        for reserved in ['&', '=', ' ', '?', '#', '/', ';', ','] {
            assert!(
                !raw_cursor.contains(reserved),
                "`{reserved}` not encoded in {raw_cursor}"
            );
        }
        assert!(raw_cursor.is_ascii(), "non-ASCII not encoded: {raw_cursor}");
        assert_bearer(request);
    }
}

#[tokio::test]
async fn base_url_path_prefix_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/prefix/api/v2/webhooks/1000"))
        .and(exact_query(&[]))
        .respond_with(ResponseTemplate::new(200).set_body_json(webhook_1000_json()))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/prefix/api/v2/subscriptions/sms"))
        .and(exact_query(&[("cursor", "c1")]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": []})))
        .expect(1)
        .mount(&server)
        .await;

    for base in [
        format!("{}/prefix", server.uri()),
        format!("{}/prefix/", server.uri()),
    ] {
        let client = Client::builder()
            .base_url(base.clone())
            .bearer_auth(KEY)
            .build()
            .expect("client builds");
        assert_eq!(client.base_url(), format!("{}/prefix", server.uri()));
        let webhook = ok(&server, client.get_webhook(1000).await).await;
        assert_eq!(webhook, webhook_1000(), "base {base}");
    }
    let client = Client::builder()
        .base_url(format!("{}/prefix", server.uri()))
        .bearer_auth(KEY)
        .build()
        .unwrap();
    let page = ok(&server, client.list_sms_subscriptions().cursor("c1").await).await;
    assert_eq!(page.items, Some(vec![]));

    let seen = server.received_requests().await.unwrap();
    let paths: Vec<_> = seen.iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(
        paths,
        vec![
            "/prefix/api/v2/webhooks/1000",
            "/prefix/api/v2/webhooks/1000",
            "/prefix/api/v2/subscriptions/sms",
        ]
    );
}

#[tokio::test]
async fn api_key_query_auth_sends_apikey_param_and_no_authorization_header() {
    let api_key = "k3y with&odd=chars+é";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/webhooks"))
        .and(query_param("cursor", "next-page"))
        .and(query_param("apikey", api_key))
        .and(exact_query(&[("cursor", "next-page"), ("apikey", api_key)]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": []})))
        .expect(1)
        .mount(&server)
        .await;
    let expected_body = json!({"hook_url": "https://hooks.example.com/k"});
    Mock::given(method("POST"))
        .and(path("/api/v2/webhooks"))
        .and(exact_query(&[("apikey", api_key)]))
        .and(body_json(&expected_body))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "9"})))
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::builder()
        .base_url(server.uri())
        .api_key(api_key)
        .build()
        .expect("client builds");
    let page = ok(&server, client.list_webhooks().cursor("next-page").await).await;
    assert_eq!(page.items, Some(vec![]));
    let created = ok(
        &server,
        client
            .create_webhook(&CreateWebhook::new(
                "https://hooks.example.com/k".to_owned(),
            ))
            .await,
    )
    .await;
    assert_eq!(created.id, Some(9));

    let seen = server.received_requests().await.unwrap();
    assert_eq!(seen.len(), 2);
    for request in &seen {
        assert!(
            request.headers.get("authorization").is_none(),
            "apikey client must not send Authorization: {:?}",
            request.headers.get("authorization")
        );
        let keys: Vec<_> = query_pairs(request)
            .into_iter()
            .filter(|(k, _)| k == "apikey")
            .map(|(_, v)| v)
            .collect();
        assert_eq!(keys, vec![api_key.to_owned()], "{}", request.url);
    }
    assert_json_body(&seen[1], &expected_body);
}

#[tokio::test]
async fn a_later_credential_replaces_an_earlier_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/webhooks/5"))
        .and(exact_query(&[]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "5"})))
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::builder()
        .base_url(server.uri())
        .api_key("old-query-key")
        .bearer_auth(KEY)
        .build()
        .unwrap();
    ok(&server, client.get_webhook(5).await).await;
    let request = only_request(&server).await;
    assert_bearer(&request);
    assert_eq!(request.url.query(), None);
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn not_found_yields_status_error_with_the_json_body() {
    let server = MockServer::start().await;
    let error_body = json!({
        "error": {
            "code": 404,
            "message": "SMS event subscription 424242 not found",
            "errors": [{"reason": "notFound", "domain": "global"}]
        }
    });
    Mock::given(method("GET"))
        .and(path("/api/v2/subscriptions/sms/424242"))
        .and(exact_query(&[]))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(&error_body)
                .insert_header("x-request-id", "req-1"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let err = client
        .get_sms_subscription(424242)
        .await
        .expect_err("404 must be an error");

    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    let body = err.body().expect("status errors carry the body");
    assert!(
        body.contains("SMS event subscription 424242 not found"),
        "{body}"
    );
    let parsed: Value = serde_json::from_str(body).expect("whole body kept");
    assert_eq!(parsed, error_body);
    assert!(matches!(err.kind(), ErrorKind::Status { .. }), "{err:?}");
    assert_eq!(
        err.headers()
            .and_then(|h| h.get("x-request-id"))
            .map(|v| v.to_str().unwrap()),
        Some("req-1")
    );
    assert_eq!(err.operation_id(), "getSmsSubscription");
    assert_eq!(err.path_template(), "/api/v2/subscriptions/sms/{id}");
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!(
            "getSmsSubscription (GET /api/v2/subscriptions/sms/{{id}}) at {}: server answered \
             404 Not Found",
            server.uri()
        )),
        "{shown}"
    );
    assert!(shown.contains("not found"), "{shown}");
    assert!(!format!("{err} {err:?}").contains(KEY));
}

#[tokio::test]
async fn server_error_with_plain_text_body_is_a_status_error() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/v2/webhooks/1000"))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream unavailable"))
        .expect(1)
        .mount(&server)
        .await;

    // With retries off the first answer is final (the default policy would retry a 503).
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_auth(KEY)
        .retry(forge_runtime::RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client.delete_webhook(1000).await.expect_err("503");
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(err.body(), Some("upstream unavailable"));
    assert_eq!(err.operation_id(), "deleteWebhook");
    assert!(matches!(err.kind(), ErrorKind::Status { .. }));
}

#[tokio::test]
async fn malformed_json_yields_decode_error_with_excerpt() {
    let server = MockServer::start().await;
    let broken = r#"{"id": "1001", "direction": "all", "webhook": {"id": "1000", "hook_url": "#;
    Mock::given(method("GET"))
        .and(path("/api/v2/subscriptions/sms/1001"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(broken.as_bytes().to_vec(), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let err = client
        .get_sms_subscription(1001)
        .await
        .expect_err("malformed JSON must fail");

    assert_eq!(err.status(), Some(StatusCode::OK));
    match err.kind() {
        ErrorKind::Decode {
            status,
            body_excerpt,
            source,
        } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(body_excerpt, broken);
            assert!(source.is_eof(), "{source}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(err.body(), Some(broken));
    let shown = err.to_string();
    assert!(
        shown.contains("could not decode the 200 OK response"),
        "{shown}"
    );
    assert!(shown.contains(r#"{"id": "1001""#), "{shown}");
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn wrongly_typed_id_yields_decode_error_naming_the_value() {
    let server = MockServer::start().await;
    let body = r#"{"id": "10O1", "hook_url": "https://hooks.example.com/x"}"#;
    Mock::given(method("GET"))
        .and(path("/api/v2/webhooks/1001"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let err = client.get_webhook(1001).await.expect_err("bad id");
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
    assert_eq!(err.body(), Some(body));
    assert!(err.to_string().contains("10O1"), "{err}");
}

#[tokio::test]
async fn long_malformed_body_excerpt_is_bounded() {
    let server = MockServer::start().await;
    let body = format!("<html>{}</html>", "x".repeat(5_000));
    Mock::given(method("GET"))
        .and(path("/api/v2/webhooks"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "text/html"))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let err = client.list_webhooks().await.expect_err("HTML is not JSON");
    let excerpt = err.body().expect("decode errors carry an excerpt");
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
    assert!(body.starts_with(excerpt));
    assert_eq!(excerpt.chars().count(), 512);
}

#[tokio::test]
async fn api_key_never_appears_in_errors_or_client_debug() {
    let api_key = "apikey-SECRET-9f8e7d6c";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/subscriptions/sms/404"))
        .and(query_param("apikey", api_key))
        .and(exact_query(&[("apikey", api_key)]))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": "not found"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/webhooks/1"))
        .and(exact_query(&[("apikey", api_key)]))
        .respond_with(ResponseTemplate::new(200).set_body_raw("not json", "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::builder()
        .base_url(server.uri())
        .api_key(api_key)
        .build()
        .unwrap();

    let client_shown = format!("{client:?} {client:#?}");
    assert!(!client_shown.contains(api_key), "{client_shown}");

    let status_err = client.get_sms_subscription(404).await.expect_err("404");
    assert_eq!(status_err.status(), Some(StatusCode::NOT_FOUND));
    let decode_err = client.get_webhook(1).await.expect_err("bad JSON");
    assert!(matches!(decode_err.kind(), ErrorKind::Decode { .. }));

    // A transport error: nothing listens on this port any more.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let offline = Client::builder()
        .base_url(format!("http://{closed}"))
        .api_key(api_key)
        .build()
        .unwrap();
    let transport_err = offline
        .list_webhooks()
        .await
        .expect_err("connection refused");
    assert!(
        matches!(transport_err.kind(), ErrorKind::Transport(_)),
        "{transport_err:?}"
    );
    assert!(transport_err.is_connect(), "{transport_err:?}");

    for err in [&status_err, &decode_err, &transport_err] {
        let shown = format!("{err} | {err:?} | {err:#?}");
        assert!(!shown.contains(api_key), "key leaked: {shown}");
        assert!(!shown.contains("apikey="), "key param leaked: {shown}");
        let mut source = std::error::Error::source(err);
        while let Some(cause) = source {
            let shown = format!("{cause} | {cause:?}");
            assert!(!shown.contains(api_key), "key leaked in source: {shown}");
            source = cause.source();
        }
    }
    let offline_shown = format!("{offline:?}");
    assert!(!offline_shown.contains(api_key), "{offline_shown}");
}

#[tokio::test]
async fn bearer_token_never_appears_in_client_debug() {
    let server = MockServer::start().await;
    let client = bearer_client(&server);
    let shown = format!("{client:?} {client:#?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains(&server.uri()), "{shown}");
}

// ---------------------------------------------------------------------------------------
// Spec defaults
// ---------------------------------------------------------------------------------------

#[test]
fn request_only_types_keep_absent_fields_absent() {
    // The spec's defaults (`enabled: true`, `include_internal`/`status: false`) describe what
    // the server assumes; a body type that is only ever sent must not invent them on decode,
    // so an empty PATCH body round-trips to itself.
    let create: CreateSmsSubscription =
        serde_json::from_value(json!({"direction": "outbound"})).unwrap();
    assert_eq!(
        create,
        CreateSmsSubscription::new(SmsSubscriptionDirection::Outbound)
    );
    assert_eq!(create.enabled, None);

    let update = UpdateSmsSubscription::default();
    let encoded = serde_json::to_value(&update).unwrap();
    assert_eq!(encoded, json!({}));
    let decoded: UpdateSmsSubscription = serde_json::from_value(encoded).unwrap();
    assert_eq!(decoded, update);

    // A field that is present is kept, and string ids are accepted.
    let create: CreateSmsSubscription = serde_json::from_value(
        json!({"direction": "all", "enabled": false, "endpoint_id": "1000"}),
    )
    .unwrap();
    assert_eq!(create.enabled, Some(false));
    assert_eq!(create.endpoint_id, Some(1000));
}

#[tokio::test]
async fn response_missing_booleans_decode_as_spec_defaults_but_null_stays_none() {
    // `SmsSubscription` declares `enabled: default true`, `include_internal` and `status:
    // default false`. A missing field takes the default; an explicit `null` does not.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/subscriptions/sms/1001"))
        .and(exact_query(&[]))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "1001", "direction": "all"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/subscriptions/sms/1002"))
        .and(exact_query(&[]))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"id": "1002", "enabled": null, "include_internal": null, "status": null}),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let client = bearer_client(&server);
    let missing = ok(&server, client.get_sms_subscription(1001).await).await;
    assert_eq!(missing.id, Some(1001));
    assert_eq!(missing.direction, Some(SmsSubscriptionDirection::All));
    assert_eq!(missing.enabled, Some(true));
    assert_eq!(missing.include_internal, Some(false));
    assert_eq!(missing.status, Some(false));
    assert_eq!(missing.target_id, None);
    assert_eq!(missing.webhook, None);

    let nulls = ok(&server, client.get_sms_subscription(1002).await).await;
    assert_eq!(nulls.id, Some(1002));
    assert_eq!(nulls.enabled, None);
    assert_eq!(nulls.include_internal, None);
    assert_eq!(nulls.status, None);
}
