//! Security requirements that name several schemes, over loopback HTTP, through the snapshot
//! crate of `tests/fixtures/auth.yaml`: the setter of such a requirement sends every one of
//! its credentials on the same request, each where its scheme says (OpenAPI 3.0.3, "Security
//! Requirement Object"), and a later setter replaces all of them.

use forge_runtime::RetryPolicy;
use snapshot_auth::client::ClientBuilder;
use snapshot_auth::Client;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server that answers 204 to anything, so that every request can be inspected.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

/// A builder for `server` that sends every request once.
fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .retry(RetryPolicy::disabled())
}

/// The only request `server` received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

/// Every value of the header `name`.
fn header_values(request: &Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|value| value.to_str().expect("ASCII").to_owned())
        .collect()
}

/// The query pairs, decoded, in order.
fn query(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().into_owned().collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

#[tokio::test]
async fn a_header_key_and_a_query_key_arrive_on_one_request() {
    let server = server().await;
    let client = builder(&server)
        .api_key_header_and_query("hk-1", "qk 2&3")
        .build()
        .unwrap();
    client.admin_action().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/admin");
    assert_eq!(header_values(&request, "x-api-key"), ["hk-1"]);
    assert_eq!(query(&request), pairs(&[("api_key", "qk 2&3")]));
    assert!(header_values(&request, "authorization").is_empty());
}

#[tokio::test]
async fn a_bearer_token_and_a_header_key_arrive_on_one_request() {
    let server = server().await;
    let client = builder(&server)
        .bearer_auth_and_api_key_header("tok-1", "hk-2")
        .build()
        .unwrap();
    client.list_reports().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header_values(&request, "authorization"), ["Bearer tok-1"]);
    assert_eq!(header_values(&request, "x-api-key"), ["hk-2"]);
    assert_eq!(query(&request), pairs(&[]));
}

#[tokio::test]
async fn a_basic_login_and_a_query_key_arrive_on_one_request() {
    let server = server().await;
    let client = builder(&server)
        .basic_auth_and_api_key_query("alice", Some("s3cret".to_owned()), "qk-3")
        .build()
        .unwrap();
    client.list_reports().await.unwrap();
    let request = only_request(&server).await;
    // RFC 7617 §2: base64 of `alice:s3cret`.
    assert_eq!(
        header_values(&request, "authorization"),
        ["Basic YWxpY2U6czNjcmV0"]
    );
    assert_eq!(query(&request), pairs(&[("api_key", "qk-3")]));
    assert!(header_values(&request, "x-api-key").is_empty());
}

#[tokio::test]
async fn a_later_setter_replaces_every_credential_of_an_earlier_one() {
    let server = server().await;
    let client = builder(&server)
        .api_key_header_and_query("hk-1", "qk-2")
        .bearer_auth("tok-3")
        .build()
        .unwrap();
    client.admin_action().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header_values(&request, "authorization"), ["Bearer tok-3"]);
    assert!(header_values(&request, "x-api-key").is_empty());
    assert_eq!(query(&request), pairs(&[]));

    let server = self::server().await;
    let client = builder(&server)
        .api_key_query("qk-0")
        .bearer_auth_and_api_key_header("tok-1", "hk-2")
        .build()
        .unwrap();
    client.list_reports().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header_values(&request, "authorization"), ["Bearer tok-1"]);
    assert_eq!(header_values(&request, "x-api-key"), ["hk-2"]);
    assert_eq!(query(&request), pairs(&[]));
}

#[test]
fn the_credentials_of_a_requirement_are_not_printed() {
    let client = Client::builder()
        .base_url("https://api.example.com")
        .basic_auth_and_api_key_query("alice", Some("pw-SECRET".to_owned()), "qk-SECRET")
        .build()
        .unwrap();
    let shown = format!("{client:?} {client:#?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(shown.contains("api_key"), "{shown}");
}
