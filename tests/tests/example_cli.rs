//! The `sms_subscriptions` example program through its binary, against a loopback server:
//! one clean line per failure, flags that set every field either way (`--no-target` sends
//! explicit `null`s), and 64-bit ids printed as the server sent them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "example-cli-key";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Builds the example once per test run and returns its path (cargo names it in its JSON
/// messages, so the target directory is not guessed).
fn example_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let output = Command::new(cargo)
            .current_dir(workspace_root())
            .args([
                "build",
                "--quiet",
                "-p",
                "dialpad-sms-subscriptions",
                "--example",
                "sms_subscriptions",
                "--message-format=json-render-diagnostics",
            ])
            .stderr(Stdio::inherit())
            .output()
            .expect("cargo runs");
        assert!(output.status.success(), "building the example failed");
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter(|message| message["target"]["name"] == "sms_subscriptions")
            .find_map(|message| message["executable"].as_str().map(PathBuf::from))
            .expect("cargo names the sms_subscriptions executable")
    })
}

/// Runs the example with `args` against `server` (off the async runtime's threads).
async fn run(server: &MockServer, args: &[&str]) -> Output {
    let binary = example_binary();
    let base_url = server.uri();
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        Command::new(binary)
            .args(&args)
            .env("DIALPAD_API_KEY", KEY)
            .env("DIALPAD_BASE_URL", base_url)
            .output()
            .expect("the example runs")
    })
    .await
    .expect("joins")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn subscription(id: &str) -> Value {
    json!({
        "id": id,
        "direction": "all",
        "enabled": true,
        "include_internal": false,
        "status": false,
        "target_id": "9007199254740993",
        "target_type": "office",
        "webhook": {"id": "9007199254740995", "hook_url": "https://hooks.example.com/sms"}
    })
}

/// The JSON body of the only request the server received.
async fn only_body(server: &MockServer) -> Value {
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1, "{requests:?}");
    serde_json::from_slice(&requests[0].body).expect("a JSON body")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failure_is_one_line_with_the_status_once_and_the_server() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/subscriptions/sms/404"))
        .respond_with(ResponseTemplate::new(404).set_body_string("{\"error\": \"not found\"}"))
        .mount(&server)
        .await;
    let output = run(&server, &["get", "404"]).await;
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!(
            "error: getSmsSubscription (GET /api/v2/subscriptions/sms/{{id}}) at {}: \
             server answered 404 Not Found: ",
            server.uri()
        )),
        "{err}"
    );
    assert_eq!(err.matches("404 Not Found").count(), 1, "{err}");
    assert!(!err.contains(KEY));

    // A 2xx answer that does not decode is a decode failure, not an HTTP one.
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/subscriptions/sms/7"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"id\": [1]}"))
        .mount(&server)
        .await;
    let output = run(&server, &["get", "7"]).await;
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("could not decode the 200 OK response"),
        "{err}"
    );
    assert!(!err.contains("HTTP 200"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn update_sets_every_field_either_way() {
    let cases: [(&[&str], Value); 5] = [
        (&["--enabled"], json!({"enabled": true})),
        (&["--disabled"], json!({"enabled": false})),
        (
            &["--include-internal", "false", "--status", "false"],
            json!({"include_internal": false, "status": false}),
        ),
        (
            &["--include-internal", "--status", "true"],
            json!({"include_internal": true, "status": true}),
        ),
        (
            &["--no-target", "--enabled"],
            json!({"enabled": true, "target_type": null, "target_id": null}),
        ),
    ];
    for (flags, expected) in cases {
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .and(path("/api/v2/subscriptions/sms/1001"))
            .respond_with(ResponseTemplate::new(200).set_body_json(subscription("1001")))
            .mount(&server)
            .await;
        let mut args = vec!["update", "1001"];
        args.extend_from_slice(flags);
        let output = run(&server, &args).await;
        assert!(output.status.success(), "{flags:?}: {}", stderr(&output));
        assert_eq!(only_body(&server).await, expected, "{flags:?}");
    }
    // Contradictions are usage errors; nothing is sent.
    let server = MockServer::start().await;
    for flags in [
        &["--enabled", "--disabled"][..],
        &["--no-target", "--target-type", "office", "--target-id", "1"],
    ] {
        let mut args = vec!["update", "1001"];
        args.extend_from_slice(flags);
        let output = run(&server, &args).await;
        assert_eq!(output.status.code(), Some(2), "{flags:?}");
    }
    let requests = server.received_requests().await.expect("recorded");
    assert!(requests.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn ids_are_printed_as_the_server_sent_them() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/subscriptions/sms/9007199254740993"))
        .respond_with(ResponseTemplate::new(200).set_body_json(subscription("9007199254740993")))
        .mount(&server)
        .await;
    let output = run(&server, &["get", "9007199254740993"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let printed: Value = serde_json::from_str(stdout(&output).trim()).expect("one JSON line");
    assert_eq!(printed["id"], json!("9007199254740993"));
    assert_eq!(printed["target_id"], json!("9007199254740993"));
    assert_eq!(printed["webhook"]["id"], json!("9007199254740995"));
    assert_eq!(printed["enabled"], json!(true));
}
