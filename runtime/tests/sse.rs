//! Server-sent events over real loopback HTTP: an axum server streams `text/event-stream`
//! bodies chunk by chunk, and can drop the connection mid-stream (its body stream fails, so
//! hyper closes the connection without the last chunk).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Router;
use forge_runtime::paginate::StreamExt;
use forge_runtime::sse::SseEvent;
use forge_runtime::{ClientCore, ClientCoreBuilder, ErrorKind, Method, RetryPolicy, StatusCode};

const WATCH: forge_runtime::Operation = forge_runtime::Operation {
    id: "watchProgress",
    method: Method::GET,
    path: "/events",
};

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Progress {
    n: u32,
}

/// What the server sends on one connection.
#[derive(Clone)]
struct Script {
    status: u16,
    chunks: Vec<&'static str>,
    /// Fail the body after the chunks instead of ending it.
    drop: bool,
}

struct Server {
    scripts: Vec<Script>,
    /// The `Last-Event-ID` of each connection, in order.
    seen: Mutex<Vec<Option<String>>>,
}

async fn events(State(server): State<Arc<Server>>, headers: HeaderMap) -> Response {
    let index = {
        let mut seen = server.seen.lock().unwrap();
        seen.push(
            headers
                .get("last-event-id")
                .map(|v| v.to_str().unwrap().to_owned()),
        );
        seen.len() - 1
    };
    let script = server.scripts[index.min(server.scripts.len() - 1)].clone();
    let chunks = script
        .chunks
        .into_iter()
        .map(|c| Ok::<_, std::io::Error>(Bytes::from_static(c.as_bytes())));
    let body = futures_util::stream::iter(chunks).chain(futures_util::stream::once(async move {
        if script.drop {
            // Pending first, so hyper flushes what came before; then the failure.
            tokio::time::sleep(Duration::from_millis(50)).await;
            Err(std::io::Error::other("dropped on purpose"))
        } else {
            Ok(Bytes::new())
        }
    }));
    Response::builder()
        .status(script.status)
        .header("content-type", "text/event-stream")
        .body(Body::from_stream(body))
        .unwrap()
}

async fn serve(scripts: Vec<Script>) -> (String, Arc<Server>) {
    let server = Arc::new(Server {
        scripts,
        seen: Mutex::new(Vec::new()),
    });
    let app = Router::new()
        .route("/events", axum::routing::get(events))
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, server)
}

fn client(url: &str, policy: RetryPolicy) -> ClientCore {
    ClientCoreBuilder::new(url)
        .no_rate_limit()
        .retry(policy)
        .build()
        .unwrap()
}

fn script(chunks: Vec<&'static str>, drop: bool) -> Script {
    Script {
        status: 200,
        chunks,
        drop,
    }
}

#[tokio::test]
async fn a_dropped_stream_reconnects_with_last_event_id_after_retry() {
    let (url, server) = serve(vec![
        script(
            vec![
                ": a comment\n\n",
                "retry: 300\nid: 1\nevent: progress\ndata: {\"n\":1}\n\n",
                "id: 2\ndata: {\"n\":\n",
                "data: 2}\n\n",
            ],
            true,
        ),
        script(vec!["id: 3\ndata: {\"n\":3}\n\n"], false),
    ])
    .await;
    let core = client(&url, RetryPolicy::new());
    let mut stream = core
        .request(&WATCH, "/events".to_owned())
        .send_events::<Progress>();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(
        first,
        SseEvent {
            event: "progress".into(),
            id: Some("1".into()),
            data: Progress { n: 1 }
        }
    );
    let second = stream.next().await.unwrap().unwrap();
    assert_eq!(
        (second.event.as_str(), second.id.as_deref(), second.data.n),
        ("message", Some("2"), 2)
    );
    let before_reconnect = Instant::now();
    let third = stream.next().await.unwrap().unwrap();
    assert_eq!((third.id.as_deref(), third.data.n), (Some("3"), 3));
    // The server's `retry: 300` is the wait before reconnecting (a lower bound only).
    assert!(before_reconnect.elapsed() >= Duration::from_millis(300));
    assert!(
        stream.next().await.is_none(),
        "the second response ended cleanly"
    );
    assert_eq!(
        *server.seen.lock().unwrap(),
        vec![None, Some("2".to_owned())]
    );
}

#[tokio::test]
async fn drops_in_a_row_stop_at_the_retry_policys_max_attempts() {
    let (url, server) = serve(vec![script(vec![": nothing yet\n\n"], true)]).await;
    let policy = RetryPolicy::new()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(1));
    let core = client(&url, policy);
    let mut stream = core
        .request(&WATCH, "/events".to_owned())
        .send_events::<Progress>();
    let err = stream.next().await.unwrap().unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
    assert!(stream.next().await.is_none());
    assert_eq!(server.seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_retry_longer_than_the_policy_allows_ends_the_stream() {
    let (url, server) = serve(vec![script(
        vec!["retry: 600000\ndata: {\"n\":1}\n\n"],
        true,
    )])
    .await;
    let policy = RetryPolicy::new().max_retry_after(Duration::from_secs(1));
    let core = client(&url, policy);
    let mut stream = core
        .request(&WATCH, "/events".to_owned())
        .send_events::<Progress>();
    assert_eq!(
        stream.next().await.unwrap().unwrap().data,
        Progress { n: 1 }
    );
    assert!(stream.next().await.unwrap().is_err());
    assert!(stream.next().await.is_none());
    assert_eq!(server.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn data_that_does_not_decode_is_an_error_item_and_the_stream_goes_on() {
    let (url, _server) = serve(vec![script(
        vec!["data: not json\n\n", "data: {\"n\":5}\n\n"],
        false,
    )])
    .await;
    let core = client(&url, RetryPolicy::new());
    let mut stream = core
        .request(&WATCH, "/events".to_owned())
        .send_events::<Progress>();
    let err = stream.next().await.unwrap().unwrap_err();
    match err.kind() {
        ErrorKind::Decode { body_excerpt, .. } => assert_eq!(body_excerpt, "not json"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        stream.next().await.unwrap().unwrap().data,
        Progress { n: 5 }
    );
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn a_non_2xx_answer_is_the_only_item() {
    let (url, _server) = serve(vec![Script {
        status: 404,
        chunks: vec!["no such stream"],
        drop: false,
    }])
    .await;
    let core = client(&url, RetryPolicy::new());
    let mut stream = core
        .request(&WATCH, "/events".to_owned())
        .send_events::<Progress>();
    let err = stream.next().await.unwrap().unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert!(stream.next().await.is_none());
}
