//! The runtime over real loopback HTTP, driven the way generated clients drive it.

use std::time::Duration;

use forge_runtime::{Auth, ClientCoreBuilder, ErrorKind, Method, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;
use support::closed_port;

// ---------------------------------------------------------------------------------------
// A client shaped exactly like generated code.
// ---------------------------------------------------------------------------------------

mod types {
    use serde::{Deserialize, Serialize};

    #[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
    pub struct SmsSubscription {
        #[serde(with = "::forge_runtime::lenient")]
        pub id: i64,
        #[serde(default, with = "::forge_runtime::lenient")]
        pub created: Option<::forge_runtime::DateTime>,
        pub target_type: Option<String>,
    }

    #[derive(Clone, Debug, Serialize)]
    pub struct CreateSmsSubscription {
        pub url: String,
        pub enabled: bool,
    }

    #[derive(Clone, Copy, Debug, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum TargetType {
        CallCenter,
        Office,
    }
}

const GET_SMS_SUBSCRIPTION: ::forge_runtime::Operation = ::forge_runtime::Operation {
    id: "getSmsSubscription",
    method: ::forge_runtime::Method::GET,
    path: "/api/v2/subscriptions/sms/{id}",
};

const LIST_SMS_SUBSCRIPTIONS: ::forge_runtime::Operation = ::forge_runtime::Operation {
    id: "listSmsSubscriptions",
    method: ::forge_runtime::Method::GET,
    path: "/api/v2/subscriptions/sms",
};

const CREATE_SMS_SUBSCRIPTION: ::forge_runtime::Operation = ::forge_runtime::Operation {
    id: "createSmsSubscription",
    method: ::forge_runtime::Method::POST,
    path: "/api/v2/subscriptions/sms",
};

const DELETE_SMS_SUBSCRIPTION: ::forge_runtime::Operation = ::forge_runtime::Operation {
    id: "deleteSmsSubscription",
    method: ::forge_runtime::Method::DELETE,
    path: "/api/v2/subscriptions/sms/{id}",
};

const GET_FILE: ::forge_runtime::Operation = ::forge_runtime::Operation {
    id: "getFile",
    method: ::forge_runtime::Method::GET,
    path: "/files/{name}",
};

#[derive(Default)]
struct ListParams {
    target_type: Option<types::TargetType>,
    ids: Option<Vec<i64>>,
    x_thing: Option<Vec<String>>,
    filter: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Clone, Debug)]
pub struct Client {
    core: ::forge_runtime::ClientCore,
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            inner: ::forge_runtime::ClientCoreBuilder::new("https://dialpad.com"),
        }
    }

    pub async fn get_sms_subscription(
        &self,
        id: i64,
    ) -> Result<types::SmsSubscription, ::forge_runtime::Error> {
        let path = format!(
            "/api/v2/subscriptions/sms/{}",
            ::forge_runtime::path_param(&id)
        );
        self.core
            .request(&GET_SMS_SUBSCRIPTION, path)
            .send_json::<types::SmsSubscription>()
            .await
    }

    async fn list_sms_subscriptions(
        &self,
        params: &ListParams,
    ) -> Result<Vec<types::SmsSubscription>, ::forge_runtime::Error> {
        let path = "/api/v2/subscriptions/sms".to_string();
        self.core
            .request(&LIST_SMS_SUBSCRIPTIONS, path)
            .query("target_type", &params.target_type)
            .query("ids", &params.ids)
            .query("filter", &params.filter)
            .header("X-Thing", &params.x_thing)
            .send_json::<Vec<types::SmsSubscription>>()
            .await
    }

    pub async fn create_sms_subscription(
        &self,
        body: &types::CreateSmsSubscription,
    ) -> Result<types::SmsSubscription, ::forge_runtime::Error> {
        let path = "/api/v2/subscriptions/sms".to_string();
        self.core
            .request(&CREATE_SMS_SUBSCRIPTION, path)
            .json(body)
            .send_json::<types::SmsSubscription>()
            .await
    }

    pub async fn delete_sms_subscription(&self, id: i64) -> Result<(), ::forge_runtime::Error> {
        let path = format!(
            "/api/v2/subscriptions/sms/{}",
            ::forge_runtime::path_param(&id)
        );
        self.core
            .request(&DELETE_SMS_SUBSCRIPTION, path)
            .send_empty()
            .await
    }

    pub async fn get_file(&self, name: &str) -> Result<(), ::forge_runtime::Error> {
        let path = format!("/files/{}", ::forge_runtime::path_param(name));
        self.core.request(&GET_FILE, path).send_empty().await
    }
}

pub struct ClientBuilder {
    inner: ::forge_runtime::ClientCoreBuilder,
}

impl ClientBuilder {
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.inner = self.inner.base_url(url);
        self
    }
    pub fn bearer_auth(mut self, token: impl Into<String>) -> Self {
        self.inner = self.inner.auth(::forge_runtime::Auth::bearer(token));
        self
    }
    pub fn api_key_query(mut self, key: impl Into<String>) -> Self {
        self.inner = self
            .inner
            .auth(::forge_runtime::Auth::api_key_query("apikey", key));
        self
    }
    fn configure(
        mut self,
        f: impl FnOnce(::forge_runtime::ClientCoreBuilder) -> ::forge_runtime::ClientCoreBuilder,
    ) -> Self {
        self.inner = f(self.inner);
        self
    }
    pub fn build(self) -> Result<Client, ::forge_runtime::BuildError> {
        Ok(Client {
            core: self.inner.build()?,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

const API_KEY: &str = "key-7f3a9c-DO-NOT-LEAK";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client builds")
}

fn sub_json(id: i64) -> serde_json::Value {
    serde_json::json!({"id": id, "created": "2024-05-01T10:00:00Z", "target_type": "office"})
}

fn assert_no_key(text: &str) {
    assert!(!text.contains(API_KEY), "API key leaked: {text}");
    assert!(!text.contains("DO-NOT-LEAK"), "API key leaked: {text}");
}

// ---------------------------------------------------------------------------------------
// Happy paths and what goes over the wire
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn bearer_token_and_default_headers_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/subscriptions/sms/42"))
        .and(header("authorization", "Bearer tok-123"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(sub_json(42)))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_auth("tok-123")
        .build()
        .unwrap();
    let sub = client.get_sms_subscription(42).await.expect("200 decodes");
    assert_eq!(sub.id, 42);
    assert_eq!(sub.target_type.as_deref(), Some("office"));
    assert_eq!(
        sub.created.map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-05-01T10:00:00+00:00")
    );

    let requests = server.received_requests().await.unwrap();
    let ua = requests[0].headers.get("user-agent").unwrap();
    assert_eq!(
        ua.to_str().unwrap(),
        concat!("forge-runtime/", env!("CARGO_PKG_VERSION"))
    );
    assert!(requests[0].headers.get("content-type").is_none());
    assert!(requests[0].url.query().is_none(), "no stray `?`");
}

#[tokio::test]
async fn lenient_fields_decode_over_http() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/subscriptions/sms/7"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"id": "7", "created": "2024-05-01 10:00:00.250", "target_type": null}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let sub = client(&server).get_sms_subscription(7).await.unwrap();
    assert_eq!(sub.id, 7);
    assert_eq!(
        sub.created.unwrap().to_rfc3339(),
        "2024-05-01T10:00:00.250+00:00"
    );
    assert_eq!(sub.target_type, None);
}

#[tokio::test]
async fn api_key_query_and_parameters_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/subscriptions/sms"))
        .and(query_param("apikey", API_KEY))
        .and(query_param("target_type", "call_center"))
        .respond_with(ResponseTemplate::new(200).set_body_json(vec![sub_json(1), sub_json(2)]))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key_query(API_KEY)
        .build()
        .unwrap();
    let params = ListParams {
        target_type: Some(types::TargetType::CallCenter),
        ids: Some(vec![3, 5]),
        x_thing: Some(vec!["a b".into(), "c".into()]),
        filter: None,
    };
    let subs = client.list_sms_subscriptions(&params).await.unwrap();
    assert_eq!(subs.len(), 2);

    let requests = server.received_requests().await.unwrap();
    let url = &requests[0].url;
    // Explode form style, in call order, with the key last.
    assert_eq!(
        url.query(),
        Some("target_type=call_center&ids=3&ids=5&apikey=key-7f3a9c-DO-NOT-LEAK")
    );
    assert_eq!(
        requests[0]
            .headers
            .get("x-thing")
            .unwrap()
            .to_str()
            .unwrap(),
        "a b,c"
    );
    // The credential is in the query, not in a header.
    assert!(requests[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn none_parameters_are_skipped_and_values_form_encoded() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/subscriptions/sms"))
        .respond_with(ResponseTemplate::new(200).set_body_json(Vec::<i32>::new()))
        .mount(&server)
        .await;
    let client = client(&server);
    client
        .list_sms_subscriptions(&ListParams::default())
        .await
        .unwrap();
    let core = ClientCoreBuilder::new(&server.uri()).build().unwrap();
    core.request(&LIST_SMS_SUBSCRIPTIONS, "/api/v2/subscriptions/sms".into())
        .query("q", "a b&c=d+é")
        .query("flag", &true)
        .query("none", &None::<String>)
        .query(
            "types",
            &[types::TargetType::Office, types::TargetType::CallCenter],
        )
        .send_json::<Vec<i32>>()
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), None);
    assert!(requests[0].headers.get("x-thing").is_none());
    assert_eq!(
        requests[1].url.query(),
        Some("q=a%20b%26c%3Dd%2B%C3%A9&flag=true&types=office&types=call_center")
    );
    let pairs: Vec<(String, String)> = requests[1].url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        vec![
            ("q".to_owned(), "a b&c=d+é".to_owned()),
            ("flag".to_owned(), "true".to_owned()),
            ("types".to_owned(), "office".to_owned()),
            ("types".to_owned(), "call_center".to_owned()),
        ]
    );
}

#[tokio::test]
async fn api_key_header_and_basic_auth_are_sent() {
    let server = MockServer::start().await;
    Mock::given(header("x-api-key", "hk-1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(header("authorization", "Basic YWxpY2U6czNjcmV0"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(header("authorization", "Basic Ym9iOg=="))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    for auth in [
        Auth::api_key_header("X-Api-Key", "hk-1"),
        Auth::basic("alice", Some("s3cret".into())),
        Auth::basic("bob", None),
    ] {
        let client = Client::builder()
            .base_url(server.uri())
            .configure(|b| b.auth(auth.clone()))
            .build()
            .unwrap();
        client
            .delete_sms_subscription(1)
            .await
            .unwrap_or_else(|e| panic!("{auth:?}: {e}"));
    }
    // `expect(1)` on each mock is verified when the server drops; check here as well.
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn auth_wins_over_header_parameters_and_defaults_can_be_replaced() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    for auth in [
        Auth::basic("alice", Some("s3cret".into())),
        Auth::bearer("tok-1"),
    ] {
        let core = ClientCoreBuilder::new(&server.uri())
            .auth(auth)
            .build()
            .unwrap();
        core.request(&LIST_SMS_SUBSCRIPTIONS, "/api/v2/subscriptions/sms".into())
            .header("Authorization", "Bearer from-a-parameter")
            .header("Accept", "text/csv")
            .header("X-Multi", &1)
            .header("X-Multi", &2)
            .send_empty()
            .await
            .unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    let values = |i: usize, name: &str| -> Vec<String> {
        requests[i]
            .headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(values(0, "authorization"), vec!["Basic YWxpY2U6czNjcmV0"]);
    assert_eq!(values(1, "authorization"), vec!["Bearer tok-1"]);
    for i in 0..2 {
        assert_eq!(values(i, "accept"), vec!["text/csv"]);
        assert_eq!(values(i, "x-multi"), vec!["1", "2"]);
    }
}

#[tokio::test]
async fn later_auth_replaces_earlier_auth() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/subscriptions/sms/1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_auth("tok-first")
        .api_key_query("key-second")
        .build()
        .unwrap();
    client.delete_sms_subscription(1).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].headers.get("authorization").is_none());
    assert_eq!(requests[0].url.query(), Some("apikey=key-second"));
}

#[tokio::test]
async fn json_body_is_sent_with_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/subscriptions/sms"))
        .and(header("content-type", "application/json"))
        .and(body_json(
            serde_json::json!({"url": "https://hook.test/x", "enabled": true}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(sub_json(9)))
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&server)
        .create_sms_subscription(&types::CreateSmsSubscription {
            url: "https://hook.test/x".into(),
            enabled: true,
        })
        .await
        .unwrap();
    assert_eq!(created.id, 9);
}

#[tokio::test]
async fn send_empty_accepts_any_2xx_body() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/subscriptions/sms/1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("not json at all"))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/subscriptions/sms/2"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    client.delete_sms_subscription(1).await.unwrap();
    client.delete_sms_subscription(2).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, Method::DELETE);
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = MockServer::start().await;
    Mock::given(path("/prefix/api/v2/subscriptions/sms/5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(sub_json(5)))
        .expect(2)
        .mount(&server)
        .await;
    for base in [
        format!("{}/prefix", server.uri()),
        format!("{}/prefix/", server.uri()),
    ] {
        let client = Client::builder().base_url(&base).build().unwrap();
        assert_eq!(client.core.base_url(), format!("{}/prefix", server.uri()));
        let sub = client.get_sms_subscription(5).await.unwrap();
        assert_eq!(sub.id, 5);
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.url.path(), "/prefix/api/v2/subscriptions/sms/5");
    }
}

#[tokio::test]
async fn path_params_stay_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    client.get_file("../../admin?x=1").await.unwrap();
    client.get_file("a b/ü#frag").await.unwrap();
    client.get_file("...").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths,
        vec![
            "/files/..%2F..%2Fadmin%3Fx%3D1",
            "/files/a%20b%2F%C3%BC%23frag",
            "/files/..."
        ]
    );
    assert!(requests.iter().all(|r| r.url.query().is_none()));
}

#[tokio::test]
async fn dot_segments_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    for name in ["..", "."] {
        let err = client.get_file(name).await.expect_err(name);
        assert!(
            matches!(err.kind(), ErrorKind::InvalidRequest(_)),
            "{err:?}"
        );
        assert!(err.to_string().contains("URL normalization"), "{err}");
    }
    // Why: the URL parser itself treats %2E as '.', so the segment would silently vanish.
    let parsed = forge_runtime::reqwest::Url::parse("http://h/files/%2E%2E/x").unwrap();
    assert_eq!(parsed.path(), "/x");
    assert!(server.received_requests().await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn not_found_is_a_status_error_with_body() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/subscriptions/sms/404"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "r-1")
                .set_body_string("{\"error\":\n \"no such subscription\"}"),
        )
        .mount(&server)
        .await;
    let err = client(&server).get_sms_subscription(404).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.body(), Some("{\"error\":\n \"no such subscription\"}"));
    assert_eq!(err.operation_id(), "getSmsSubscription");
    assert_eq!(err.method(), Method::GET);
    assert_eq!(err.path_template(), "/api/v2/subscriptions/sms/{id}");
    match err.kind() {
        ErrorKind::Status {
            status, headers, ..
        } => {
            assert_eq!(*status, StatusCode::NOT_FOUND);
            assert_eq!(headers.get("x-request-id").unwrap(), "r-1");
        }
        other => panic!("expected Status, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!(
            "getSmsSubscription (GET /api/v2/subscriptions/sms/{{id}}) at {}: server answered \
             404 Not Found: {{\"error\":  \"no such subscription\"}}",
            server.uri()
        )
    );
}

#[tokio::test]
async fn empty_error_body_has_no_colon_part() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(409))
        .mount(&server)
        .await;
    let err = client(&server)
        .delete_sms_subscription(3)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::CONFLICT));
    assert_eq!(err.body(), Some(""));
    assert_eq!(
        err.to_string(),
        format!(
            "deleteSmsSubscription (DELETE /api/v2/subscriptions/sms/{{id}}) at {}: server \
             answered 409 Conflict",
            server.uri()
        )
    );
}

#[tokio::test]
async fn undecodable_200_is_a_decode_error_with_excerpt() {
    let server = MockServer::start().await;
    let body = format!(
        "{{\"id\": \"not a number\", \"pad\": \"{}\"}}",
        "x".repeat(1000)
    );
    Mock::given(path("/api/v2/subscriptions/sms/1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .mount(&server)
        .await;
    let err = client(&server).get_sms_subscription(1).await.unwrap_err();
    match err.kind() {
        ErrorKind::Decode {
            status,
            body_excerpt,
            source,
        } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(body_excerpt.chars().count(), 512);
            assert!(body.starts_with(body_excerpt.as_str()));
            assert!(source.to_string().contains("not a number"), "{source}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(err.status(), Some(StatusCode::OK));
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!(
            "getSmsSubscription (GET /api/v2/subscriptions/sms/{{id}}) at {}: could not decode \
             the 200 OK response: ",
            server.uri()
        )),
        "{shown}"
    );
    assert!(
        shown.contains("; body starts with: {\"id\": \"not a number\""),
        "{shown}"
    );
    assert!(shown.len() < 600, "display is bounded: {}", shown.len());
    let source = std::error::Error::source(&err).expect("has a source");
    assert!(source.is::<serde_json::Error>());
}

#[tokio::test]
async fn api_key_never_appears_in_errors() {
    // A 500 from a server.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_string("internal error"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key_query(API_KEY)
        .build()
        .unwrap();
    let err = client.get_sms_subscription(1).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert!(err
        .to_string()
        .contains("500 Internal Server Error: internal error"));
    assert_no_key(&format!("{err} {err:?} {err:#?}"));
    // The key was really sent.
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].url.query().unwrap().contains(API_KEY));
    assert_no_key(&format!("{client:?} {:?}", client.core));

    // A transport error: nothing listens on the port.
    let port = closed_port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .api_key_query(API_KEY)
        .build()
        .unwrap();
    let err = client.get_sms_subscription(1).await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    assert!(matches!(err.kind(), ErrorKind::Transport(_)));
    assert_eq!(err.status(), None);
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!(
            "getSmsSubscription (GET /api/v2/subscriptions/sms/{{id}}) at http://127.0.0.1:{port}"
        )) && shown.contains(": request failed: "),
        "{shown}"
    );
    let mut chain = format!("{err} {err:?} {err:#?}");
    let mut source = std::error::Error::source(&err);
    assert!(source.is_some());
    while let Some(s) = source {
        chain.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    assert_no_key(&chain);
    assert!(!chain.contains("apikey="), "{chain}");
}

#[tokio::test]
async fn timeouts_are_reported() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(sub_json(1))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .configure(|b| b.timeout(Duration::from_millis(200)))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.get_sms_subscription(1).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(4));
    assert!(err.to_string().contains("timed out"), "{err}");
}

#[tokio::test]
async fn object_parameters_are_form_exploded_and_invalid_headers_fail_without_a_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(Vec::<i32>::new()))
        .mount(&server)
        .await;
    let client = client(&server);
    let mut filter = std::collections::BTreeMap::new();
    filter.insert("k".to_owned(), "v".to_owned());
    let params = ListParams {
        filter: Some(filter),
        ..ListParams::default()
    };
    // An object in the default query style (form, exploded) is one pair per field
    // (OpenAPI 3.0.3, Style Examples).
    client.list_sms_subscriptions(&params).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].url.query(), Some("k=v"));

    let params = ListParams {
        x_thing: Some(vec!["line\nbreak".into()]),
        ..ListParams::default()
    };
    let err = client.list_sms_subscriptions(&params).await.unwrap_err();
    assert!(err.to_string().contains("header `X-Thing`"), "{err}");
    assert!(!err.to_string().contains("line"), "value not quoted: {err}");

    let err = client
        .core
        .request(&LIST_SMS_SUBSCRIPTIONS, "/api/v2/subscriptions/sms".into())
        .header("bad name", "v")
        .send_empty()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("not a valid HTTP header name"),
        "{err}"
    );

    // Only the object request above reached the server.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn cross_origin_redirects_are_not_followed() {
    let target = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(sub_json(1)))
        .mount(&target)
        .await;
    let origin = MockServer::start().await;
    Mock::given(path("/api/v2/subscriptions/sms/1"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/stolen", target.uri())),
        )
        .mount(&origin)
        .await;
    Mock::given(path("/api/v2/subscriptions/sms/2"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", "/api/v2/subscriptions/sms/3"),
        )
        .mount(&origin)
        .await;
    Mock::given(path("/api/v2/subscriptions/sms/3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(sub_json(3)))
        .mount(&origin)
        .await;
    let client = Client::builder()
        .base_url(origin.uri())
        .configure(|b| b.auth(Auth::api_key_header("X-Api-Key", API_KEY)))
        .build()
        .unwrap();

    let err = client.get_sms_subscription(1).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::FOUND));
    assert!(target.received_requests().await.unwrap().is_empty());

    // Same-origin redirects are followed.
    let sub = client.get_sms_subscription(2).await.unwrap();
    assert_eq!(sub.id, 3);
}

// ---------------------------------------------------------------------------------------
// Response size limit
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn body_over_the_limit_is_body_too_large() {
    let server = MockServer::start().await;
    let big = serde_json::json!({"id": 1, "target_type": "x".repeat(2000)});
    Mock::given(path("/api/v2/subscriptions/sms/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&big))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/subscriptions/sms/2"))
        .respond_with(ResponseTemplate::new(503).set_body_string("e".repeat(5000)))
        .mount(&server)
        .await;
    let exact_len = serde_json::to_vec(&big).unwrap().len();

    let limited = |limit: usize| {
        Client::builder()
            .base_url(server.uri())
            .configure(|b| b.max_response_bytes(limit))
            .build()
            .unwrap()
    };
    let err = limited(1024).get_sms_subscription(1).await.unwrap_err();
    match err.kind() {
        ErrorKind::BodyTooLarge { status, limit } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(*limit, 1024);
        }
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
    assert!(
        err.to_string()
            .contains("larger than the limit of 1024 bytes"),
        "{err}"
    );

    // Error bodies are limited too.
    let err = limited(1024).get_sms_subscription(2).await.unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::BodyTooLarge { status, .. } if *status == StatusCode::SERVICE_UNAVAILABLE
    ));

    // Exactly at the limit is fine.
    let sub = limited(exact_len).get_sms_subscription(1).await.unwrap();
    assert_eq!(sub.target_type.map(|t| t.len()), Some(2000));
    let err = limited(exact_len - 1)
        .get_sms_subscription(1)
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::BodyTooLarge { .. }));
}

/// A one-shot HTTP/1.1 server that answers with a chunked body (no `Content-Length`) of
/// `chunks` chunks of `chunk_size` bytes, so the streaming limit is what stops the read.
async fn chunked_server(chunks: usize, chunk_size: usize) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => request.extend_from_slice(&buf[..n]),
            }
        }
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = format!("{chunk_size:x}\r\n{}\r\n", " ".repeat(chunk_size));
        for _ in 0..chunks {
            // The client hangs up once it has seen too much; stop then.
            if socket.write_all(chunk.as_bytes()).await.is_err() {
                return;
            }
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
    });
    (format!("http://{addr}"), handle)
}

#[tokio::test]
async fn streamed_body_over_the_limit_is_cut_off() {
    // 64 MiB announced by nobody: the client must stop after 64 KiB.
    let (base, server) = chunked_server(4096, 16 * 1024).await;
    let client = Client::builder()
        .base_url(base)
        .configure(|b| b.max_response_bytes(64 * 1024))
        .build()
        .unwrap();
    let err = client.get_sms_subscription(1).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::BodyTooLarge { limit: 65536, .. }),
        "{err:?}"
    );
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("server task ends once the client hangs up")
        .unwrap();
}

#[tokio::test]
async fn streamed_body_within_the_limit_is_read() {
    // Whitespace only is not JSON, so this ends in a Decode error: after reading it all.
    let (base, server) = chunked_server(4, 1000).await;
    let client = Client::builder()
        .base_url(base)
        .configure(|b| b.max_response_bytes(4000))
        .build()
        .unwrap();
    let err = client.get_sms_subscription(1).await.unwrap_err();
    match err.kind() {
        ErrorKind::Decode { body_excerpt, .. } => {
            assert_eq!(body_excerpt, &" ".repeat(512));
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    server.await.unwrap();
}

// ---------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------

#[test]
fn invalid_base_urls_are_build_errors() {
    for (url, reason) in [
        ("", "does not parse"),
        ("dialpad.com", "does not parse"),
        ("ftp://dialpad.com", "scheme must be http or https"),
        ("https://dialpad.com/?x=1", "query"),
        ("https://dialpad.com/#x", "fragment"),
    ] {
        let err = Client::builder().base_url(url).build().unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains(reason), "{url}: {shown}");
        assert!(
            shown.contains(&format!("{url:?}")) || url.contains('?'),
            "{shown}"
        );
        let as_dyn: Box<dyn std::error::Error + Send + Sync> = Box::new(err);
        assert!(!as_dyn.to_string().is_empty());
    }
    let client = Client::builder().build().unwrap();
    assert_eq!(client.core.base_url(), "https://dialpad.com");
}

#[test]
fn futures_are_send_and_errors_are_sync() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    let client = Client::builder().build().unwrap();
    let future = client.get_sms_subscription(1);
    assert_send(&future);
    drop(future);
    assert_send_sync::<forge_runtime::Error>();
    assert_send_sync::<forge_runtime::BuildError>();
    assert_send_sync::<forge_runtime::ClientCore>();
}

#[test]
fn operations_are_static_consts() {
    fn op() -> &'static forge_runtime::Operation {
        &GET_SMS_SUBSCRIPTION
    }
    assert_eq!(op().id, "getSmsSubscription");
    assert_eq!(op().method, Method::GET);
    assert_eq!(op().path, "/api/v2/subscriptions/sms/{id}");
}
