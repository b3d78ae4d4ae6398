//! Receive Dialpad's SMS events: a small HTTP server that verifies and decodes each event
//! POSTed to it.
//!
//! ```text
//! cargo run -p dialpad-sms-subscriptions --example sms_events -- --listen 127.0.0.1:8080
//!
//! options: --listen ADDR       where to listen (port 0 picks a free one)
//!          --max-body BYTES    longest body accepted (default 1048576)
//! environment: DIALPAD_WEBHOOK_SECRET   the webhook's secret; unset or empty, only plain
//!                                       JSON events are accepted and JWTs are refused
//! ```
//!
//! When ready it prints `listening on <address>` on stderr. Every POST, whatever its path
//! and `Content-Type`, is answered:
//!
//! | answer | when | output |
//! |--------|------|--------|
//! | 200 | a valid event | the decoded `SmsEvent` as one JSON line on stdout |
//! | 401 | a missing or bad signature, a refused algorithm, expired or not yet valid | one line on stderr |
//! | 400 | a body that is not an event | one line on stderr |
//! | 413 | a body over the limit (not parsed) | one line on stderr |
//! | 405 | a method other than POST | one line on stderr |
//!
//! It keeps serving after every refusal; stop it with Ctrl-C.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::Router;
use dialpad_sms_subscriptions::events::{decode_receive_sms_event, receive_sms_event_verifier};
use dialpad_sms_subscriptions::StreamExt;
use forge_runtime::webhook::{Verifier, DEFAULT_MAX_BODY};

/// How much of an oversized body is read and dropped before answering 413, as a multiple of
/// the limit: enough for the sender to finish writing and read the answer, bounded so that a
/// huge body does not keep the receiver busy.
const DRAIN_FACTOR: usize = 4;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match Options::parse(&args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{}", usage());
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("usage error: {message}\n{}", usage());
            return ExitCode::from(2);
        }
    };
    // The spec declares the scheme (`x-webhook-signature`): HS256 JWTs with a secret,
    // plain JSON without one.
    let secret = std::env::var("DIALPAD_WEBHOOK_SECRET").unwrap_or_default();
    let verifier = match receive_sms_event_verifier(&secret) {
        Ok(verifier) => verifier,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    let verifier = Arc::new(verifier.max_body(options.max_body));
    let listener = match tokio::net::TcpListener::bind(options.listen).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("error: cannot listen on {}: {err}", options.listen);
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(addr) => eprintln!("listening on {addr}"),
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    }
    let app = Router::new().fallback(receive).with_state(verifier);
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> &'static str {
    "usage: sms_events --listen ADDR [--max-body BYTES]\n\
     environment: DIALPAD_WEBHOOK_SECRET (unset: plain JSON events only)"
}

/// The command line.
struct Options {
    listen: SocketAddr,
    max_body: usize,
}

impl Options {
    /// `Ok(None)` for `--help`.
    fn parse(args: &[String]) -> Result<Option<Self>, String> {
        let mut listen = None;
        let mut max_body = DEFAULT_MAX_BODY;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--help" | "-h" => return Ok(None),
                "--listen" => {
                    let value = args.next().ok_or("--listen needs an address")?;
                    let addr = value.parse().map_err(|_| {
                        format!("--listen: {value:?} is not an IP address and port")
                    })?;
                    listen = Some(addr);
                }
                "--max-body" => {
                    let value = args.next().ok_or("--max-body needs a number of bytes")?;
                    max_body = value
                        .parse()
                        .map_err(|_| format!("--max-body: {value:?} is not a number of bytes"))?;
                }
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        let listen = listen.ok_or("--listen is required")?;
        Ok(Some(Options { listen, max_body }))
    }
}

/// Answers one request; see the module docs for what each answer means.
async fn receive(
    State(verifier): State<Arc<Verifier>>,
    method: Method,
    headers: HeaderMap,
    body: Body,
) -> StatusCode {
    if method != Method::POST {
        eprintln!("405 method {method} refused: events are POSTed");
        return StatusCode::METHOD_NOT_ALLOWED;
    }
    let limit = verifier.max_body_bytes();
    let body = match read_limited(body, limit).await {
        Ok(body) => body,
        Err(Refusal::TooLarge(seen)) => {
            eprintln!("413 body of at least {seen} bytes is over the {limit}-byte limit");
            return StatusCode::PAYLOAD_TOO_LARGE;
        }
        Err(Refusal::Broken(err)) => {
            eprintln!("400 body could not be read: {err}");
            return StatusCode::BAD_REQUEST;
        }
    };
    match decode_receive_sms_event(&headers, &body, &verifier) {
        Ok(event) => match serde_json::to_string(&event) {
            Ok(line) => {
                println!("{line}");
                StatusCode::OK
            }
            Err(err) => {
                eprintln!("500 event could not be printed: {err}");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        },
        Err(err) => {
            let status = err.status();
            eprintln!("{} {err}", status.as_u16());
            status
        }
    }
}

enum Refusal {
    /// Over the limit; how many bytes had arrived when reading stopped.
    TooLarge(usize),
    Broken(axum::Error),
}

/// The whole body, or `TooLarge` as soon as it passes `limit` bytes (after dropping up to
/// [`DRAIN_FACTOR`] times the limit, so the sender can read the answer).
async fn read_limited(body: Body, limit: usize) -> Result<Vec<u8>, Refusal> {
    let mut stream = body.into_data_stream();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(Refusal::Broken)?;
        seen = seen.saturating_add(chunk.len());
        if seen <= limit {
            kept.extend_from_slice(&chunk);
        } else if seen > limit.saturating_mul(DRAIN_FACTOR) {
            break;
        }
    }
    if seen > limit {
        Err(Refusal::TooLarge(seen))
    } else {
        Ok(kept)
    }
}
