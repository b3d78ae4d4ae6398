//! The client-overhead benchmark program. Not part of xtask: `cargo xtask bench` copies it
//! into a scratch crate (`target/bench/client`) that depends on the checked-in generated
//! client, builds it with `--release` and runs it.
//!
//! A hyper server on loopback (its own thread and runtime) answers every
//! `GET /api/v2/subscriptions/sms/1001` with the same realistic Dialpad JSON body. The main
//! thread sends sequential requests with two clients over keep-alive connections: the
//! generated `get_sms_subscription` (retries and rate limit off), and a hand-written reqwest
//! GET plus `serde_json` decode into the same type. The two alternate in rounds so that
//! drift hits both alike. It prints one JSON object with the latency statistics.
//!
//! usage: forge-bench-client [--requests N] [--round N] [--warmup N]

use std::convert::Infallible;
use std::time::Instant;

use dialpad_sms_subscriptions::types::SmsSubscription;
use dialpad_sms_subscriptions::Client;
use forge_runtime::{reqwest, serde_json, RetryPolicy};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::{Request, Response, StatusCode};

const PATH: &str = "/api/v2/subscriptions/sms/1001";
const TOKEN: &str = "bench-token";

/// What Dialpad answers for one SMS subscription: ids as strings, a webhook with its
/// signature settings.
const BODY: &str = r#"{
  "id": "1001",
  "direction": "all",
  "enabled": true,
  "include_internal": true,
  "status": false,
  "target_id": "5550001",
  "target_type": "office",
  "webhook": {
    "id": "1000",
    "hook_url": "https://hooks.example.com/dialpad/sms",
    "signature": {
      "algo": "HS256",
      "secret": "s3cr3t-shared-key",
      "type": "jwt"
    }
  }
}"#;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let requests = flag(&args, "--requests").unwrap_or(2000);
    let round = flag(&args, "--round").unwrap_or(50).max(1);
    let warmup = flag(&args, "--warmup").unwrap_or(200);

    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    let base = format!("http://{}", listener.local_addr().expect("local address"));
    std::thread::spawn(move || serve(listener));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    runtime.block_on(async {
        let generated = Client::builder()
            .base_url(base.clone())
            .bearer_auth(TOKEN)
            .retry(RetryPolicy::disabled())
            .no_rate_limit()
            .build()
            .expect("generated client");
        let plain = reqwest::Client::new();
        let url = format!("{base}{PATH}");

        let expected: SmsSubscription = serde_json::from_str(BODY).expect("body decodes");
        let a = generated
            .get_sms_subscription(1001)
            .await
            .expect("generated call");
        let b = handwritten(&plain, &url).await;
        assert_eq!(a, expected, "generated client decoded something else");
        assert_eq!(b, expected, "hand-written client decoded something else");

        for _ in 0..warmup {
            std::hint::black_box(generated.get_sms_subscription(1001).await.unwrap());
            std::hint::black_box(handwritten(&plain, &url).await);
        }

        let mut generated_ns = Vec::with_capacity(requests);
        let mut handwritten_ns = Vec::with_capacity(requests);
        let mut round_index = 0;
        while generated_ns.len() < requests {
            let n = round.min(requests - generated_ns.len());
            // Alternate which client goes first, so neither always follows the other.
            for turn in 0..2 {
                if (turn + round_index) % 2 == 0 {
                    for _ in 0..n {
                        let started = Instant::now();
                        let value = generated.get_sms_subscription(1001).await.unwrap();
                        generated_ns.push(started.elapsed().as_nanos() as f64);
                        std::hint::black_box(value);
                    }
                } else {
                    for _ in 0..n {
                        let started = Instant::now();
                        let value = handwritten(&plain, &url).await;
                        handwritten_ns.push(started.elapsed().as_nanos() as f64);
                        std::hint::black_box(value);
                    }
                }
            }
            round_index += 1;
        }
        let report = serde_json::json!({
            "requests": requests,
            "round": round,
            "warmup": warmup,
            "generated": stats(&mut generated_ns),
            "handwritten": stats(&mut handwritten_ns),
        });
        println!("{report}");
    });
}

/// The baseline: what a careful hand-written client does for the same call.
async fn handwritten(client: &reqwest::Client, url: &str) -> SmsSubscription {
    let response = client
        .get(url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("request")
        .error_for_status()
        .expect("2xx");
    let bytes = response.bytes().await.expect("body");
    serde_json::from_slice(&bytes).expect("decode")
}

fn serve(listener: std::net::TcpListener) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("server runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let service = hyper::service::service_fn(answer);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}

async fn answer(
    request: Request<hyper::body::Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (status, body) = if request.uri().path() == PATH {
        (StatusCode::OK, Bytes::from_static(BODY.as_bytes()))
    } else {
        (StatusCode::NOT_FOUND, Bytes::from_static(b"{}"))
    };
    Ok(Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(body))
        .expect("response"))
}

fn stats(samples: &mut [f64]) -> serde_json::Value {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    let n = samples.len();
    let median = if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2.0
    };
    serde_json::json!({
        "n": n,
        "median_ns": median,
        "p10_ns": at(0.10),
        "p90_ns": at(0.90),
        "mean_ns": samples.iter().sum::<f64>() / n as f64,
    })
}

fn flag(args: &[String], name: &str) -> Option<usize> {
    let index = args.iter().position(|a| a == name)?;
    args.get(index + 1)?.parse().ok()
}
