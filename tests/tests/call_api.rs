//! The call API over loopback HTTP, through the snapshot crate of `tests/fixtures/calls.yaml`:
//! one method per operation taking the required inputs, setters for the optional ones, the
//! request sent by awaiting the builder, and the status and headers, per-call options and the
//! paginated stream reached from that same builder.

use std::future::IntoFuture;
use std::time::Duration;

use forge_runtime::{RequestOptions, RetryPolicy};
use futures_util::StreamExt;
use serde_json::json;
use snapshot_calls::types::{NewTrack, SearchTracksIncludeExternal};
use snapshot_calls::Client;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client for `server` that sends every request once.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .retry(RetryPolicy::disabled())
        .build()
        .expect("the client builds")
}

fn track(id: &str) -> serde_json::Value {
    json!({"id": id, "title": format!("Track {id}")})
}

/// The query strings the server received, in order.
async fn queries(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .expect("requests are recorded")
        .iter()
        .map(|request| request.url.query().unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn a_required_parameter_is_an_argument_and_optional_ones_are_named_setters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [track("t1")]})))
        .expect(3)
        .mount(&server)
        .await;
    let client = client(&server);

    // Nothing optional written.
    let found = client.search_tracks("abba").await.expect("a page");
    assert_eq!(found.items[0].id, "t1");
    // Two of four optional parameters, in any order, nothing else written.
    client
        .search_tracks("abba")
        .limit(5)
        .market("SE")
        .await
        .expect("a page");
    // A `String` works where a `&str` does.
    client
        .search_tracks(String::from("a&b c"))
        .include_external(SearchTracksIncludeExternal::Audio)
        .offset(10)
        .await
        .expect("a page");

    assert_eq!(
        queries(&server).await,
        [
            "q=abba",
            "q=abba&market=SE&limit=5",
            "q=a%26b%20c&offset=10&include_external=audio"
        ]
    );
}

#[tokio::test]
async fn a_required_header_and_the_body_are_arguments_and_the_status_and_headers_come_from_the_same_call(
) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/tracks"))
        .and(header("x-request-id", "req-1"))
        .and(query_param("notify", "true"))
        .and(body_json(json!({"title": "Waterloo", "seconds": 167})))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("location", "/v1/tracks/t9")
                .set_body_json(json!({"id": "t9", "title": "Waterloo", "seconds": 167})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);
    let mut body = NewTrack::new("Waterloo".to_owned());
    body.seconds = Some(167);

    let stored = client
        .add_track("req-1", &body)
        .notify(true)
        .await
        .expect("stored");
    assert_eq!(stored.id, "t9");

    let answer = client
        .add_track("req-1", &body)
        .notify(true)
        .send_with_response()
        .await
        .expect("stored");
    assert_eq!(answer.status.as_u16(), 201);
    assert_eq!(answer.headers["location"], "/v1/tracks/t9");
    assert_eq!(answer.value, stored);
}

#[tokio::test]
async fn a_cloned_builder_sends_the_same_request_and_its_future_is_send() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tracks/t%2F1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(track("t/1")))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);

    let call = client.get_track("t/1");
    let first = call.clone().send().await.expect("first");
    let second = call.await.expect("second");
    assert_eq!(first, second);

    // Awaiting gives a `Send` future: it can be driven by a multi-threaded runtime's task.
    fn is_send<T: Send>(value: T) -> T {
        value
    }
    let third = is_send(client.get_track("t/1").into_future());
    drop(third);
}

#[tokio::test]
async fn per_call_options_apply_to_that_call_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tracks/slow"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(track("slow"))
                .set_delay(Duration::from_millis(800)),
        )
        .mount(&server)
        .await;
    let client = client(&server);

    let err = client
        .get_track("slow")
        .options(RequestOptions::new().timeout(Duration::from_millis(50)))
        .await
        .expect_err("the call's own timeout is shorter than the answer");
    assert!(err.is_timeout(), "{err}");
    // The client's default timeout (60 s) still applies to the next call.
    let track = client.get_track("slow").await.expect("no timeout");
    assert_eq!(track.id, "slow");
}

#[tokio::test]
async fn a_paginated_list_streams_every_item_from_its_builder() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tracks"))
        .and(query_param("cursor", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [track("t3")]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/tracks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [track("t1"), track("t2")],
            "next_cursor": "p2"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let ids: Vec<String> = client
        .list_tracks()
        .limit(2)
        .stream()
        .map(|item| item.expect("an item").id)
        .collect()
        .await;
    assert_eq!(ids, ["t1", "t2", "t3"]);
    assert_eq!(queries(&server).await, ["limit=2", "cursor=p2&limit=2"]);
}

/// The client lists one method per operation: no `_with_response` or `_stream` twins.
#[test]
fn the_client_has_one_method_per_operation() {
    let source = include_str!("../snapshots/calls/src/client.rs");
    let file = syn::parse_file(source).expect("the snapshot parses");
    let mut methods = Vec::new();
    for item in &file.items {
        if let syn::Item::Impl(block) = item {
            if quote::ToTokens::to_token_stream(&block.self_ty).to_string() == "Client" {
                for item in &block.items {
                    if let syn::ImplItem::Fn(function) = item {
                        methods.push(function.sig.ident.to_string());
                    }
                }
            }
        }
    }
    let operations: Vec<&str> = methods
        .iter()
        .map(String::as_str)
        .filter(|name| !["builder", "from_core", "base_url", "with_options"].contains(name))
        .collect();
    assert_eq!(
        operations,
        ["list_tracks", "add_track", "get_track", "search_tracks"]
    );
}
