//! The `bodies` fixture's client over loopback HTTP: a JSON body goes out as the media type
//! the spec documents, and text and byte operations decode their documented error answers
//! like JSON operations do.

use serde_json::json;
use snapshot_bodies::client::{GetBlobError, PutNoteError};
use snapshot_bodies::types::MakeReportBody;
use snapshot_bodies::Client;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a client")
}

#[tokio::test]
async fn a_vendor_json_body_is_sent_as_its_documented_media_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/reports"))
        .and(header("content-type", "application/vnd.example+json"))
        .and(body_json(json!({"period": "2026-Q3"})))
        .respond_with(ResponseTemplate::new(200).set_body_string("a,b\n1,2\n"))
        .expect(1)
        .mount(&server)
        .await;
    let body = MakeReportBody {
        period: Some("2026-Q3".to_owned()),
    };
    let csv = client(&server)
        .make_report(&body)
        .await
        .expect("the report");
    assert_eq!(csv, "a,b\n1,2\n");
}

#[tokio::test]
async fn a_text_operation_decodes_its_documented_error() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/notes/7"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"title": "no note 7"})))
        .mount(&server)
        .await;
    let err = client(&server)
        .put_note(7, "hello".to_owned())
        .await
        .expect_err("a 404");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    match err.typed() {
        Some(PutNoteError::Status404(problem)) => assert_eq!(problem.title, "no note 7"),
        other => panic!("expected the documented 404 body, got {other:?}"),
    }
}

#[tokio::test]
async fn a_byte_operation_decodes_its_documented_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/blobs/k"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({"title": "down"})))
        .mount(&server)
        .await;
    let err = client(&server).get_blob("k").await.expect_err("a 503");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    match err.typed() {
        Some(GetBlobError::Status5xx(problem)) => {
            assert_eq!(problem.title, "down")
        }
        other => panic!("expected the documented 5XX body, got {other:?}"),
    }
}
