//! The client `build.rs` generated into `OUT_DIR` (the `sms-subscriptions` slice of our
//! spec), called over loopback HTTP: the exact request each call sends and what it decodes.

use forge_build_consumer::sms::types::{
    CreateSmsSubscription, SmsSubscriptionDirection, SubscriptionTargetType,
};
use forge_build_consumer::sms::{Client, Server};
use futures_util::StreamExt;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "build-consumer-key";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_auth(KEY)
        .build()
        .expect("client builds")
}

/// Matches only when the decoded query pairs are exactly `expected`, in order.
struct ExactQuery(Vec<(String, String)>);

fn exact_query(pairs: &[(&str, &str)]) -> ExactQuery {
    ExactQuery(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

impl Match for ExactQuery {
    fn matches(&self, request: &Request) -> bool {
        let pairs: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        pairs == self.0
    }
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

#[tokio::test]
async fn create_sends_exactly_the_body_and_reads_string_ids() {
    let server = MockServer::start().await;
    let expected = json!({"direction": "inbound", "endpoint_id": 1000, "target_type": "office"});
    Mock::given(method("POST"))
        .and(path("/api/v2/subscriptions/sms"))
        .and(exact_query(&[]))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "1001",
            "direction": "inbound",
            "target_type": "office",
            "webhook": {"id": "1000", "hook_url": "https://hooks.example.com/sms"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let mut body = CreateSmsSubscription::new(SmsSubscriptionDirection::Inbound);
    body.endpoint_id = Some(1000);
    body.target_type = SubscriptionTargetType::Office.into();
    let created = client(&server)
        .create_sms_subscription(&body)
        .await
        .expect("create succeeds");

    let seen = requests(&server).await;
    assert_eq!(seen.len(), 1, "{seen:#?}");
    let request = &seen[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/api/v2/subscriptions/sms");
    assert_eq!(request.url.query(), None);
    let sent: Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(sent, expected, "unset optional fields are left out");

    assert_eq!(created.id, Some(1001));
    assert_eq!(created.direction, Some(SmsSubscriptionDirection::Inbound));
    // Response defaults from the spec fill what the server left out.
    assert_eq!(created.enabled, Some(true));
    assert_eq!(created.webhook.and_then(|w| w.id), Some(1000));
}

#[tokio::test]
async fn list_sends_exactly_the_query_and_follows_the_cursor() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/subscriptions/sms"))
        .and(exact_query(&[
            ("target_type", "office"),
            ("target_id", "42"),
        ]))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"id": "1", "direction": "all"}],
            "cursor": "page-2"
        })))
        // Once by `list_sms_subscriptions`, once as the stream's first page.
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/subscriptions/sms"))
        .and(exact_query(&[
            ("cursor", "page-2"),
            ("target_type", "office"),
            ("target_id", "42"),
        ]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"id": 2, "direction": "outbound"}]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let list = client
        .list_sms_subscriptions()
        .target_type(SubscriptionTargetType::Office)
        .target_id(42);
    let page = list.clone().send().await.expect("list succeeds");
    assert_eq!(page.cursor.as_deref(), Some("page-2"));

    let all: Vec<_> = list.stream().collect().await;
    let ids: Vec<Option<i64>> = all
        .into_iter()
        .map(|item| item.expect("page decodes").id)
        .collect();
    assert_eq!(ids, [Some(1), Some(2)]);

    for request in requests(&server).await {
        assert_eq!(request.method.as_str(), "GET");
        assert!(request.body.is_empty(), "a GET has no body");
    }
}

#[test]
fn the_spec_servers_are_generated() {
    assert_eq!(Server::Production.url(), "https://dialpad.com");
    assert_eq!(Server::Sandbox.url(), "https://sandbox.dialpad.com");
}
