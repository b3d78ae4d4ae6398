//! Non-JSON bodies and hostile servers, over real loopback HTTP: form, multipart, text and
//! byte bodies, text and byte answers, cookies; HTML error pages, truncated bodies and a
//! server that trickles its answer.

use std::time::{Duration, Instant};

use forge_runtime::{
    Binary, ClientCoreBuilder, ErrorKind, Method, Multipart, Operation, ParamLocation, ParamStyle,
    RetryPolicy, Style,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;
use support::core;

const UPLOAD: Operation = Operation {
    id: "upload",
    method: Method::POST,
    path: "/upload",
};
const DOWNLOAD: Operation = Operation {
    id: "download",
    method: Method::GET,
    path: "/download",
};

#[derive(serde::Serialize)]
struct Payment {
    amount: i64,
    currency: &'static str,
    note: Option<&'static str>,
    metadata: std::collections::BTreeMap<&'static str, &'static str>,
    expand: Vec<&'static str>,
}

#[tokio::test]
async fn form_bodies_are_flattened_and_typed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/upload"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(
            "amount=250&currency=usd&metadata%5Border%5D=6735&expand=customer&expand=invoice",
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let body = Payment {
        amount: 250,
        currency: "usd",
        note: None,
        metadata: [("order", "6735")].into_iter().collect(),
        expand: vec!["customer", "invoice"],
    };
    core(&server.uri())
        .request(&UPLOAD, "/upload".into())
        .form(&body)
        .send_empty()
        .await
        .expect("accepted");
}

#[tokio::test]
async fn multipart_bodies_carry_fields_and_files() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let form = Multipart::new()
        .part("title", "report")
        .part("pages", &3)
        .file("attachment", &Binary::from(vec![0u8, 159, 146, 150]));
    core(&server.uri())
        .request(&UPLOAD, "/upload".into())
        .multipart(form)
        .send_empty()
        .await
        .expect("accepted");

    let received = server.received_requests().await.expect("recorded");
    let request = &received[0];
    let content_type = request
        .headers
        .get("content-type")
        .expect("content type")
        .to_str()
        .expect("ascii");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart");
    let body = &request.body;
    let starts = body
        .windows(boundary.len() + 2)
        .filter(|w| *w == format!("--{boundary}").as_bytes())
        .count();
    assert_eq!(starts, 4, "three parts and the closing delimiter");
    let text = String::from_utf8_lossy(body);
    assert!(text.contains("name=\"title\"\r\n\r\nreport\r\n"), "{text}");
    assert!(text.contains("name=\"pages\"\r\n\r\n3\r\n"), "{text}");
    let file_header = b"filename=\"attachment\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    let at = body
        .windows(file_header.len())
        .position(|w| w == file_header)
        .expect("file part")
        + file_header.len();
    assert_eq!(
        &body[at..at + 4],
        &[0u8, 159, 146, 150],
        "binary bytes arrive unchanged"
    );
}

#[tokio::test]
async fn text_and_byte_bodies_and_answers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("content-type", "text/csv"))
        .and(body_string("a,b\n1,2\n"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("ok", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("accept", "image/png"))
        .and(header("cookie", "session=abc; theme=dark"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![137u8, 80, 78, 71], "image/png"))
        .expect(1)
        .mount(&server)
        .await;
    let client = core(&server.uri());
    let answer = client
        .request(&UPLOAD, "/upload".into())
        .text("text/csv", "a,b\n1,2\n".to_owned())
        .accept("text/plain")
        .send_text()
        .await
        .expect("text answer");
    assert_eq!(answer, "ok");
    let png = client
        .request(&DOWNLOAD, "/download".into())
        .cookie("session", "abc")
        .cookie("theme", &Some("dark"))
        .cookie("unset", &Option::<String>::None)
        .accept("image/png")
        .send_bytes()
        .await
        .expect("bytes answer");
    assert_eq!(png, [137u8, 80, 78, 71]);
}

#[tokio::test]
async fn an_html_error_page_is_a_status_error_and_an_html_200_a_decode_error() {
    let server = MockServer::start().await;
    let page = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";
    Mock::given(path("/down"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    Mock::given(path("/download"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let client = core(&server.uri());
    let err = client
        .request(&DOWNLOAD, "/down".into())
        .send_json::<serde_json::Value>()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(err.body(), Some(page));
    let err = client
        .request(&DOWNLOAD, "/download".into())
        .send_json::<serde_json::Value>()
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("<!DOCTYPE html>"), "{err}");
}

/// A raw server: for each connection, writes `head`, then `body` in `chunks` pieces with
/// `pause` between them, then closes.
async fn raw_server(head: String, body: Vec<u8>, chunks: usize, pause: Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let head = head.clone();
            let body = body.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let _ = socket.write_all(head.as_bytes()).await;
                let size = body.len().div_ceil(chunks.max(1)).max(1);
                for piece in body.chunks(size) {
                    if socket.write_all(piece).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(pause).await;
                }
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_truncated_body_is_an_error_not_a_short_value() {
    let body = br#"{"id": 1, "name": "cut he"#.to_vec();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len() + 40
    );
    let base = raw_server(head, body, 1, Duration::ZERO).await;
    let err = core(&base)
        .request(&DOWNLOAD, "/download".into())
        .send_json::<serde_json::Value>()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Transport(_) | ErrorKind::Decode { .. }
        ),
        "a body shorter than its Content-Length must fail: {err:?}"
    );
}

#[tokio::test]
async fn a_trickling_server_is_cut_off_by_the_timeout() {
    // 20 bytes, one every 300 ms: six seconds in all, against a one-second timeout.
    let body = br#"{"id": 1, "x": "y"} "#.to_vec();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let base = raw_server(head, body, 20, Duration::from_millis(300)).await;
    let client = ClientCoreBuilder::new(&base)
        .retry(RetryPolicy::disabled())
        .timeout(Duration::from_secs(1))
        .build()
        .expect("client builds");
    let started = Instant::now();
    let err = client
        .request(&DOWNLOAD, "/download".into())
        .send_json::<serde_json::Value>()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        elapsed < Duration::from_secs(3),
        "the wait is bounded: {elapsed:?}"
    );
}

#[tokio::test]
async fn query_arrays_explode_or_join() {
    let joined = |style| ParamStyle::new(ParamLocation::Query, style, false);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    core(&server.uri())
        .request(&DOWNLOAD, "/download".into())
        .query("tag", &["a", "b"])
        .param("id", &[1, 2, 3], joined(Style::Form))
        .param("kind", &["x y", "z"], joined(Style::PipeDelimited))
        .param("none", &Option::<Vec<i32>>::None, joined(Style::Form))
        .param("one", "scalar", joined(Style::Form))
        .send_empty()
        .await
        .expect("accepted");
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(
        received[0].url.query(),
        Some("tag=a&tag=b&id=1,2,3&kind=x%20y|z&one=scalar")
    );
}
