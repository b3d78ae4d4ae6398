//! Success answers over loopback HTTP, through the snapshot crate of
//! `tests/fixtures/responses.yaml`: every documented 2xx status reaches the caller with its own
//! body (or none), a `default`-only operation returns its body as the success value, and a
//! status the operation does not document is an error that keeps status, headers and body.

use forge_runtime::{ErrorKind, RetryPolicy, StatusCode};
use serde_json::json;
use snapshot_responses::client::{
    CountJobsError, GetJobOutputResponse, SubmitJobError, SubmitJobResponse,
};
use snapshot_responses::types::{Job, Problem, Ticket};
use snapshot_responses::Client;
use wiremock::matchers::{headers, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client for `server` that sends every request once (no retry hides an answer).
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .retry(RetryPolicy::disabled())
        .build()
        .expect("the client builds")
}

/// A server whose `POST /jobs` answers with `response`.
async fn submit_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/jobs"))
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn job() -> Job {
    Job::new("nightly".to_owned())
}

#[tokio::test]
async fn created_is_decoded_as_the_201_body() {
    let server = submit_answering(
        ResponseTemplate::new(201).set_body_json(json!({"id": "j-1", "name": "nightly"})),
    )
    .await;
    let answer = client(&server).submit_job(&job()).await.unwrap();
    let expected = Job {
        id: Some("j-1".to_owned()),
        name: "nightly".to_owned(),
    };
    assert_eq!(answer, SubmitJobResponse::Created(Box::new(expected)));
}

#[tokio::test]
async fn accepted_is_decoded_as_the_202_ticket_with_its_fields() {
    let server = submit_answering(
        ResponseTemplate::new(202).set_body_json(json!({"ticket": "t-9", "eta_seconds": 30})),
    )
    .await;
    let answer = client(&server)
        .submit_job(&job())
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(answer.status, StatusCode::ACCEPTED);
    let SubmitJobResponse::Accepted(ticket) = answer.value else {
        panic!("a 202 is Accepted: {:?}", answer.value)
    };
    assert_eq!(
        *ticket,
        Ticket {
            ticket: "t-9".to_owned(),
            eta_seconds: Some(30),
        }
    );
}

#[tokio::test]
async fn no_content_is_a_variant_without_a_body() {
    let server = submit_answering(ResponseTemplate::new(204)).await;
    let answer = client(&server).submit_job(&job()).await.unwrap();
    assert_eq!(answer, SubmitJobResponse::NoContent);
}

#[tokio::test]
async fn a_documented_status_whose_body_is_wrong_is_a_decode_error() {
    // 202 promises a Ticket; a Job-shaped body lacks `ticket`.
    let server =
        submit_answering(ResponseTemplate::new(202).set_body_json(json!({"name": "nightly"})))
            .await;
    let error = client(&server).submit_job(&job()).await.unwrap_err();
    let ErrorKind::Decode {
        status,
        body_excerpt,
        source,
    } = error.kind()
    else {
        panic!("expected a decode error: {error}")
    };
    assert_eq!(*status, StatusCode::ACCEPTED);
    assert_eq!(body_excerpt, r#"{"name":"nightly"}"#);
    assert!(source.to_string().contains("ticket"), "{source}");
}

#[tokio::test]
async fn an_undocumented_2xx_keeps_status_headers_and_body() {
    let server = submit_answering(
        ResponseTemplate::new(203)
            .insert_header("x-request-id", "r-203")
            .set_body_string(r#"{"title":"proxied"}"#),
    )
    .await;
    let error = client(&server).submit_job(&job()).await.unwrap_err();
    let ErrorKind::Status {
        status,
        headers,
        body,
        typed,
    } = error.kind()
    else {
        panic!("expected a status error: {error}")
    };
    assert_eq!(*status, StatusCode::NON_AUTHORITATIVE_INFORMATION);
    assert_eq!(headers["x-request-id"], "r-203");
    assert_eq!(body, r#"{"title":"proxied"}"#);
    // `default` covers every status not listed: its body is read as the typed error.
    let problem = Problem {
        title: "proxied".to_owned(),
        detail: None,
    };
    assert_eq!(typed, &Some(SubmitJobError::Default(Box::new(problem))));
}

#[tokio::test]
async fn a_server_error_keeps_status_headers_and_body() {
    let server = submit_answering(
        ResponseTemplate::new(500)
            .insert_header("x-request-id", "r-500")
            .set_body_string("upstream fell over"),
    )
    .await;
    let error = client(&server).submit_job(&job()).await.unwrap_err();
    let ErrorKind::Status {
        status,
        headers,
        body,
        typed,
    } = error.kind()
    else {
        panic!("expected a status error: {error}")
    };
    assert_eq!(*status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(headers["x-request-id"], "r-500");
    assert_eq!(body, "upstream fell over");
    assert_eq!(typed, &None, "the body is not a Problem");
}

#[tokio::test]
async fn a_default_only_operation_returns_its_body_on_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/jobs/count"))
        .respond_with(ResponseTemplate::new(200).set_body_string("1"))
        .mount(&server)
        .await;
    assert_eq!(client(&server).count_jobs().await.unwrap(), 1);
}

#[tokio::test]
async fn a_default_only_operation_still_reads_its_body_as_the_error_of_a_non_2xx() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/jobs/count"))
        .respond_with(ResponseTemplate::new(409).set_body_string("7"))
        .mount(&server)
        .await;
    let error = client(&server).count_jobs().await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::CONFLICT));
    assert_eq!(error.typed(), Some(&CountJobsError::Default(Box::new(7))));
}

#[tokio::test]
async fn a_default_only_json_object_is_the_success_value() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/jobs/j-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ticket": "t-1"})))
        .mount(&server)
        .await;
    let ticket = client(&server).cancel_job("j-1").await.unwrap();
    assert_eq!(
        ticket,
        Ticket {
            ticket: "t-1".to_owned(),
            eta_seconds: None,
        }
    );
}

/// A server whose `GET /jobs/j-1/output` answers with `response` when the request accepts
/// both documented media types.
async fn output_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/jobs/j-1/output"))
        .and(headers("accept", vec!["application/json", "text/plain"]))
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn json_text_and_range_answers_each_get_their_variant() {
    let server =
        output_answering(ResponseTemplate::new(200).set_body_json(json!({"lines": ["a", "b"]})))
            .await;
    let GetJobOutputResponse::Ok(output) = client(&server).get_job_output("j-1").await.unwrap()
    else {
        panic!("a 200 is Ok")
    };
    assert_eq!(output.lines, ["a", "b"]);

    let server = output_answering(ResponseTemplate::new(206).set_body_string("a\n")).await;
    let answer = client(&server).get_job_output("j-1").await.unwrap();
    assert_eq!(
        answer,
        GetJobOutputResponse::PartialContent("a\n".to_owned())
    );

    // `2XX` covers the statuses not listed one by one.
    let server = output_answering(ResponseTemplate::new(204)).await;
    let answer = client(&server).get_job_output("j-1").await.unwrap();
    assert_eq!(answer, GetJobOutputResponse::Status2xx);
}

#[tokio::test]
async fn a_json_answer_of_another_media_type_is_asked_for_by_that_type() {
    // The operation documents only `application/scim+json`: a server that negotiates
    // content (RFC 9110 §12.5.1) refuses `Accept: application/json` with 406.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/jobs/j-1/scim"))
        .and(headers("accept", vec!["application/scim+json"]))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/scim+json")
                .set_body_string(r#"{"id": "j-1", "name": "nightly"}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let job = client(&server).get_job_scim("j-1").await.unwrap();
    assert_eq!(job.name, "nightly");
}

/// A server whose `GET {route}` answers 200 without a body only to a request that asks for
/// any media type (`Accept: */*`), as Prism does for an answer documented as `*/*`.
async fn answering_any_media_type(route: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(headers("accept", vec!["*/*"]))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn an_upgrade_of_any_media_type_asks_for_any_media_type() {
    // The only non-error answer is a `101` (a WebSocket upgrade) with content `*/*`: a server
    // that negotiates content refuses the runtime's default `Accept: application/json` (406).
    let server = answering_any_media_type("/jobs/j-1/attach").await;
    client(&server).attach_job("j-1").await.unwrap();
}

#[tokio::test]
async fn an_upgrade_without_content_demands_no_json() {
    let server = answering_any_media_type("/jobs/j-1/session").await;
    client(&server).open_job_session("j-1").await.unwrap();
}
