//! Retries, deadlines, timeouts, rate limiting, typed errors and raw responses over real
//! loopback HTTP.
//!
//! Timed assertions use tight lower bounds (what the runtime guarantees) and generous upper
//! bounds (a loaded machine is slow, never fast).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use forge_runtime::{
    ClientCore, ClientCoreBuilder, ErrorBody, ErrorKind, Method, Operation, RateLimit,
    RequestOptions, RetryPolicy, StatusCode,
};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;
use support::{closed_port, CREATE_THING, GET_THING};

const DELETE_THING: Operation = Operation {
    id: "deleteThing",
    method: Method::DELETE,
    path: "/things/{id}",
};

/// Retries with waits short enough for tests.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(40))
}

fn core_with(base: &str, policy: RetryPolicy) -> ClientCore {
    ClientCoreBuilder::new(base)
        .retry(policy)
        .build()
        .expect("client builds")
}

async fn get_thing(core: &ClientCore) -> Result<Value, forge_runtime::Error> {
    core.request(&GET_THING, "/things/1".into())
        .send_json()
        .await
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// Mounts `template` for the next `times` requests to `/things...`, in mount order.
async fn answer(server: &MockServer, template: ResponseTemplate, times: u64) {
    Mock::given(path("/things/1"))
        .respond_with(template.clone())
        .up_to_n_times(times)
        .mount(server)
        .await;
    Mock::given(path("/things"))
        .respond_with(template)
        .up_to_n_times(times)
        .mount(server)
        .await;
}

fn ok_thing() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"id": 1}))
}

// ---------------------------------------------------------------------------------------
// Retry-After
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn retry_after_seconds_is_honoured_and_the_body_resent() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        1,
    )
    .await;
    answer(
        &server,
        ResponseTemplate::new(201).set_body_json(json!({"id": 9})),
        1,
    )
    .await;

    // A POST: 429 means the server did not act, so it is retried for every method.
    let core = core_with(&server.uri(), fast_retries());
    let started = Instant::now();
    let created: Value = core
        .request(&CREATE_THING, "/things".into())
        .json(&json!({"name": "thing", "tags": ["a", "b"]}))
        .send_json()
        .await
        .expect("succeeds after the wait");
    let elapsed = started.elapsed();
    eprintln!("measured: Retry-After: 1 -> {elapsed:?}");
    assert_eq!(created, json!({"id": 9}));
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");

    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, Method::POST);
    assert_eq!(
        requests[0].body, requests[1].body,
        "same bytes each attempt"
    );
    assert_eq!(requests[1].body, br#"{"name":"thing","tags":["a","b"]}"#);
    assert_eq!(
        requests[1]
            .headers
            .get("content-type")
            .map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    let server = MockServer::start().await;
    let started = Instant::now();
    // HTTP dates have whole seconds: this is between 1 and 2 s from now.
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    answer(
        &server,
        ResponseTemplate::new(503).insert_header("retry-after", date.as_str()),
        1,
    )
    .await;
    answer(&server, ResponseTemplate::new(204), 1).await;

    let core = core_with(&server.uri(), fast_retries());
    core.request(&DELETE_THING, "/things/1".into())
        .send_empty()
        .await
        .expect("succeeds after the date");
    let elapsed = started.elapsed();
    eprintln!("measured: Retry-After: <date in 1-2 s> -> {elapsed:?}");
    // The computed backoff would be under 40 ms; the date asks for at least 1 s.
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(3500), "{elapsed:?}");
    assert_eq!(request_count(&server).await, 2);
}

// ---------------------------------------------------------------------------------------
// What is retried
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn post_500_is_retried_only_when_opted_in() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(500).set_body_string("oops"),
        1,
    )
    .await;
    answer(
        &server,
        ResponseTemplate::new(201).set_body_json(json!({"id": 2})),
        1,
    )
    .await;
    let core = core_with(&server.uri(), fast_retries());
    fn create(core: &ClientCore) -> forge_runtime::Request<'_> {
        core.request(&CREATE_THING, "/things".into())
            .json(&json!({"name": "x"}))
    }

    // Default: the server may have created the thing; do not repeat.
    let err = create(&core).send_json::<Value>().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(err.body(), Some("oops"));
    assert_eq!(request_count(&server).await, 1);

    // Opted in for one request.
    server.reset().await;
    answer(&server, ResponseTemplate::new(500), 1).await;
    answer(
        &server,
        ResponseTemplate::new(201).set_body_json(json!({"id": 2})),
        1,
    )
    .await;
    let created: Value = create(&core)
        .options(RequestOptions::new().retry_non_idempotent(true))
        .send_json()
        .await
        .expect("retried");
    assert_eq!(created, json!({"id": 2}));
    assert_eq!(request_count(&server).await, 2);

    // Opted in for a client view.
    server.reset().await;
    answer(&server, ResponseTemplate::new(502), 1).await;
    answer(
        &server,
        ResponseTemplate::new(201).set_body_json(json!({"id": 3})),
        1,
    )
    .await;
    let lenient = core.with_options(RequestOptions::new().retry_non_idempotent(true));
    let created: Value = create(&lenient).send_json().await.expect("retried");
    assert_eq!(created, json!({"id": 3}));
    assert_eq!(request_count(&server).await, 2);
    // The original client is unchanged.
    assert_eq!(core.options(), &RequestOptions::default());
}

#[tokio::test]
async fn get_503_three_times_then_200_with_four_attempts() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(503), 3).await;
    answer(&server, ok_thing(), 1).await;
    let core = core_with(&server.uri(), fast_retries().max_attempts(4));
    let value = get_thing(&core).await.expect("fourth attempt succeeds");
    assert_eq!(value, json!({"id": 1}));
    assert_eq!(request_count(&server).await, 4);
}

#[tokio::test]
async fn retries_stop_at_max_attempts_with_the_last_error() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(503).set_body_string("first"),
        1,
    )
    .await;
    answer(
        &server,
        ResponseTemplate::new(502).set_body_string("second"),
        1,
    )
    .await;
    answer(
        &server,
        ResponseTemplate::new(504).set_body_string("third"),
        10,
    )
    .await;
    let core = core_with(&server.uri(), fast_retries().max_attempts(3));
    let err = get_thing(&core).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::GATEWAY_TIMEOUT));
    assert_eq!(err.body(), Some("third"));
    assert_eq!(request_count(&server).await, 3);

    // Disabled: one attempt.
    server.reset().await;
    answer(&server, ResponseTemplate::new(503), 10).await;
    let once = core.with_options(RequestOptions::new().retry(RetryPolicy::disabled()));
    let err = get_thing(&once).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(request_count(&server).await, 1);

    // Not retryable at all: one attempt.
    server.reset().await;
    answer(&server, ResponseTemplate::new(404), 10).await;
    let err = get_thing(&core).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn retries_stop_at_the_deadline_and_at_long_retry_after() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(503).insert_header("retry-after", "30"),
        10,
    )
    .await;
    let started = Instant::now();
    let core = core_with(
        &server.uri(),
        fast_retries().deadline(Duration::from_secs(2)),
    );
    let err = get_thing(&core).await.unwrap_err();
    eprintln!(
        "measured: deadline 2 s, Retry-After: 30 -> {:?}",
        started.elapsed()
    );
    // The 30 s wait would pass the deadline: the first answer is returned at once.
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(request_count(&server).await, 1);

    // Waits that fit are made, until the next would not: 1 s, then 1 + 1 s > 1.5 s.
    server.reset().await;
    answer(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        10,
    )
    .await;
    let core = core_with(
        &server.uri(),
        fast_retries()
            .max_attempts(10)
            .deadline(Duration::from_millis(1500)),
    );
    let started = Instant::now();
    let err = get_thing(&core).await.unwrap_err();
    let elapsed = started.elapsed();
    eprintln!("measured: deadline 1.5 s, Retry-After: 1 -> {elapsed:?}");
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(
        elapsed < Duration::from_millis(1500) + Duration::from_millis(1000),
        "{elapsed:?}"
    );
    assert_eq!(request_count(&server).await, 2);

    // Without a deadline, a Retry-After over `max_retry_after` is not waited for either.
    server.reset().await;
    answer(
        &server,
        ResponseTemplate::new(503).insert_header("retry-after", "3600"),
        10,
    )
    .await;
    let core = core_with(&server.uri(), fast_retries());
    let started = Instant::now();
    let err = get_thing(&core).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(
        err.headers()
            .and_then(|h| h.get("retry-after"))
            .map(|v| v.as_bytes()),
        Some(&b"3600"[..])
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(request_count(&server).await, 1);
}

/// A server that accepts connections, reads the request head, and hangs up without
/// answering. Returns its base URL and the number of connections accepted so far.
fn hang_up_server() -> (String, Arc<Mutex<usize>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let accepted = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&accepted);
    std::thread::spawn(move || {
        // Bounded: the tests using it make a handful of connections.
        for stream in listener.incoming().take(32) {
            let Ok(mut stream) = stream else { return };
            if let Ok(mut count) = counter.lock() {
                *count += 1;
            }
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let _ = read_head(&mut stream);
            // Dropped: the connection closes before any answer.
        }
    });
    (format!("http://{addr}"), accepted)
}

#[tokio::test]
async fn broken_connections_are_retried_for_get_only() {
    let (base, accepted) = hang_up_server();
    let core = core_with(&base, fast_retries().max_attempts(3));
    let err = get_thing(&core).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
    assert_eq!(*accepted.lock().unwrap(), 3, "three attempts");

    let err = core
        .request(&CREATE_THING, "/things".into())
        .json(&json!({}))
        .send_empty()
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
    assert_eq!(*accepted.lock().unwrap(), 4, "POST: one attempt");
}

#[tokio::test]
async fn connection_refused_get_is_retried() {
    let port = closed_port();
    // Nothing answers, so the attempts are counted by time: a rate limit of one start per
    // 250 ms (265 ms with its margin) makes three attempts take at least 530 ms, one attempt
    // no time at all. (tests/telemetry.rs counts them exactly, through the span.)
    let core = ClientCoreBuilder::new(&format!("http://127.0.0.1:{port}"))
        .retry(fast_retries().max_attempts(3))
        .rate_limit(RateLimit::new(1, Duration::from_millis(250)))
        .build()
        .expect("builds");
    let started = Instant::now();
    let err = get_thing(&core).await.unwrap_err();
    let elapsed = started.elapsed();
    eprintln!("measured: connection refused, 3 attempts at 1 per 250 ms -> {elapsed:?}");
    assert!(err.is_connect(), "{err:?}");
    assert!(elapsed >= Duration::from_millis(530), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");
}

// ---------------------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn per_request_timeout_overrides_the_client_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_thing().set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let core = core_with(&server.uri(), RetryPolicy::disabled());

    let started = Instant::now();
    let err = core
        .request(&GET_THING, "/things/1".into())
        .options(RequestOptions::new().timeout(Duration::from_millis(100)))
        .send_json::<Value>()
        .await
        .unwrap_err();
    eprintln!(
        "measured: 100 ms timeout override -> {:?}",
        started.elapsed()
    );
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() >= Duration::from_millis(100));
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );

    // Through a client view, with retries: every attempt has the short timeout.
    let view = core.with_options(
        RequestOptions::new()
            .timeout(Duration::from_millis(100))
            .retry(fast_retries().max_attempts(2)),
    );
    let started = Instant::now();
    let err = get_thing(&view).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert!(
        started.elapsed() < Duration::from_millis(2000),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(request_count(&server).await, 3);
}

// ---------------------------------------------------------------------------------------
// Rate limiting
// ---------------------------------------------------------------------------------------

/// Reads one request head (up to the blank line); `None` when the connection closed.
fn read_head(stream: &mut std::net::TcpStream) -> Option<Instant> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    let mut first_byte_at = None;
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => {
                first_byte_at.get_or_insert_with(Instant::now);
                head.push(byte[0]);
            }
            _ => return None,
        }
        if head.len() > 64 * 1024 {
            return None;
        }
    }
    first_byte_at
}

/// A keep-alive HTTP/1.1 server on its own threads that records the instant each request
/// arrives and answers the `n`-th request (0-based) with `answer(n)` (status, extra headers).
fn timing_server(
    answer: impl Fn(usize) -> (u16, &'static str) + Send + Sync + 'static,
) -> (String, Arc<Mutex<Vec<Instant>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&arrivals);
    let answer = Arc::new(answer);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(64) {
            let Ok(mut stream) = stream else { return };
            let log = Arc::clone(&log);
            let answer = Arc::clone(&answer);
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let _ = stream.set_nodelay(true);
                while let Some(arrived) = read_head(&mut stream) {
                    let n = {
                        let Ok(mut log) = log.lock() else { return };
                        log.push(arrived);
                        log.len() - 1
                    };
                    let (status, headers) = answer(n);
                    let response = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                         content-length: 2\r\n{headers}\r\n{{}}"
                    );
                    if stream.write_all(response.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), arrivals)
}

/// The largest number of `arrivals` within any window of length `per` (closed interval).
fn max_in_window(arrivals: &[Instant], per: Duration) -> usize {
    let mut sorted = arrivals.to_vec();
    sorted.sort();
    (0..sorted.len())
        .map(|i| {
            sorted[i..]
                .iter()
                .take_while(|t| **t - sorted[i] <= per)
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_holds_in_every_window_as_the_server_sees_it() {
    const N: u32 = 5;
    let per = Duration::from_secs(1);
    let (base, arrivals) = timing_server(|_| (200, ""));
    let core = ClientCoreBuilder::new(&base)
        .rate_limit(RateLimit::new(N, per))
        .build()
        .expect("builds");

    let started = Instant::now();
    let tasks: Vec<_> = (0..3 * N)
        .map(|i| {
            // Clones and views share one limiter.
            let core = match i % 3 {
                0 => core.clone(),
                1 => core.with_options(RequestOptions::new().timeout(Duration::from_secs(30))),
                _ => core.clone().clone(),
            };
            tokio::spawn(async move { get_thing(&core).await })
        })
        .collect();
    for task in tasks {
        task.await.expect("task").expect("request succeeds");
    }
    let elapsed = started.elapsed();

    let arrivals = arrivals.lock().expect("log").clone();
    assert_eq!(arrivals.len(), 3 * N as usize);
    let busiest = max_in_window(&arrivals, per);
    let mut sorted = arrivals.clone();
    sorted.sort();
    let tightest = sorted
        .windows(N as usize + 1)
        .map(|w| w[N as usize] - w[0])
        .min();
    eprintln!(
        "measured: {} requests at {N}/s -> {elapsed:?}, busiest 1 s window {busiest}, \
         tightest span of {} arrivals {tightest:?}",
        3 * N,
        N + 1
    );
    assert!(busiest <= N as usize, "{busiest} arrivals within {per:?}");
    // Three batches of N: the third starts two (slightly widened) windows after the first.
    assert!(elapsed >= 2 * per, "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(6), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_retry_takes_a_rate_limit_permit() {
    let per = Duration::from_millis(400);
    // The first two arrivals are 503s (to retry at once), the rest 200s.
    let (base, arrivals) = timing_server(|n| {
        if n < 2 {
            (503, "retry-after: 0\r\n")
        } else {
            (200, "")
        }
    });
    let core = ClientCoreBuilder::new(&base)
        .rate_limit(RateLimit::new(2, per))
        .retry(fast_retries())
        .build()
        .expect("builds");
    let started = Instant::now();
    let (a, b) = tokio::join!(get_thing(&core), get_thing(&core));
    a.expect("first succeeds");
    b.expect("second succeeds");
    let arrivals = arrivals.lock().expect("log").clone();
    eprintln!(
        "measured: 2 requests + 2 retries at 2 per 400 ms -> {:?}",
        started.elapsed()
    );
    assert_eq!(arrivals.len(), 4, "2 requests + 2 retries");
    assert!(max_in_window(&arrivals, per) <= 2);
    assert!(started.elapsed() >= per, "{:?}", started.elapsed());
}

// ---------------------------------------------------------------------------------------
// Typed errors and raw responses
// ---------------------------------------------------------------------------------------

/// The error body the API documents for 404.
#[derive(Debug, PartialEq, serde::Deserialize)]
struct NotFound {
    message: String,
}

impl ErrorBody for NotFound {
    fn decode(status: StatusCode, body: &[u8]) -> Option<Self> {
        if status != StatusCode::NOT_FOUND {
            return None;
        }
        serde_json::from_slice(body).ok()
    }
}

#[tokio::test]
async fn typed_errors_decode_covered_statuses_only() {
    let server = MockServer::start().await;
    Mock::given(path("/things/404"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "no thing 404"})))
        .mount(&server)
        .await;
    Mock::given(path("/things/500"))
        .respond_with(ResponseTemplate::new(500).set_body_string("internal trouble"))
        .mount(&server)
        .await;
    let core = core_with(&server.uri(), RetryPolicy::disabled());

    let err = core
        .request(&GET_THING, "/things/404".into())
        .send_json_typed::<Value, NotFound>()
        .await
        .unwrap_err();
    assert_eq!(
        err.typed(),
        Some(&NotFound {
            message: "no thing 404".into()
        })
    );
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert!(
        err.to_string()
            .starts_with("getThing (GET /things/{id}) at http://127.0.0.1:"),
        "{err}"
    );
    assert!(
        err.to_string().contains(": server answered 404 Not Found"),
        "{err}"
    );
    match err.kind() {
        ErrorKind::Status { typed, body, .. } => {
            assert!(typed.is_some());
            assert!(body.contains("no thing 404"));
        }
        other => panic!("expected Status, got {other:?}"),
    }
    let plain: forge_runtime::Error = err.into_untyped();
    assert!(plain.typed().is_none());
    assert_eq!(plain.status(), Some(StatusCode::NOT_FOUND));

    let err = core
        .request(&GET_THING, "/things/500".into())
        .send_empty_typed::<NotFound>()
        .await
        .unwrap_err();
    assert!(err.typed().is_none());
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(err.body(), Some("internal trouble"));

    let err = core
        .request(&GET_THING, "/things/404".into())
        .send_empty_typed_with_response::<NotFound>()
        .await
        .unwrap_err();
    assert_eq!(
        err.typed().map(|e| e.message.as_str()),
        Some("no thing 404")
    );
}

#[tokio::test]
async fn responses_with_status_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("x-ratelimit-remaining", "7")
                .set_body_json(json!({"id": 5})),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204).insert_header("x-request-id", "r-9"))
        .mount(&server)
        .await;
    let core = core_with(&server.uri(), RetryPolicy::default());

    let response = core
        .request(&CREATE_THING, "/things".into())
        .json(&json!({}))
        .send_json_with_response::<Value>()
        .await
        .expect("201");
    assert_eq!(response.status, StatusCode::CREATED);
    assert_eq!(response.headers["x-ratelimit-remaining"], "7");
    assert_eq!(response.value, json!({"id": 5}));
    assert_eq!(response.into_value(), json!({"id": 5}));

    let response = core
        .request(&DELETE_THING, "/things/5".into())
        .send_empty_with_response()
        .await
        .expect("204");
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert_eq!(response.headers["x-request-id"], "r-9");

    let response = core
        .request(&CREATE_THING, "/things".into())
        .json(&json!({}))
        .send_json_typed_with_response::<Value, NotFound>()
        .await
        .expect("201");
    assert_eq!(response.value, json!({"id": 5}));
}

#[test]
fn new_types_are_thread_safe() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<forge_runtime::Error<NotFound>>();
    assert_send_sync::<RetryPolicy>();
    assert_send_sync::<RequestOptions>();
    assert_send_sync::<RateLimit>();
    assert_send_sync::<forge_runtime::ApiResponse<Value>>();

    fn assert_send<T: Send>(_: &T) {}
    let core = ClientCoreBuilder::new("http://127.0.0.1:9")
        .rate_limit(RateLimit::new(1, Duration::from_secs(1)))
        .build()
        .expect("builds");
    let future = core
        .request(&GET_THING, "/things/1".into())
        .send_json_typed_with_response::<Value, NotFound>();
    assert_send(&future);
}
