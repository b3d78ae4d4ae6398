//! End to end: Dialpad's SMS events reach the `sms_events` receiver example, built and run as
//! its own process, over loopback HTTP.
//!
//! The receiver's address and secret come back from a subscription created through the
//! generated client against a local stand-in (as the `receiveSmsEvent` callback says: Dialpad
//! POSTs to the subscription's `webhook.hook_url`, signed with `webhook.signature.secret`).
//! Every refusal the receiver promises is delivered, each checked for its status, its one line
//! on stderr, and that the receiver goes on serving; accepted events must come out on stdout
//! exactly as sent.
//!
//! The last test drives the receiver from a program outside the project: a Node.js script
//! (`tests/events/drive.js`) that signs events with the `jsonwebtoken` npm package pinned in
//! `tests/events/package.json`. Without `node` it is skipped with a message.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use dialpad_sms_subscriptions::types::{CreateSmsSubscription, SmsSubscriptionDirection};
use dialpad_sms_subscriptions::Client;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "s3cr3t-shared-key";
const LINE_TIMEOUT: Duration = Duration::from_secs(20);

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Builds the example once per test run and returns its path. Cargo prints the path of what
/// it built (`--message-format=json`), so this does not guess the target directory. The
/// outer `cargo test` holds no build lock while tests run, so the nested build shares its
/// target directory (and its compiled dependencies).
fn receiver_binary() -> &'static Path {
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
                "sms_events",
                "--message-format=json-render-diagnostics",
            ])
            .stderr(Stdio::inherit())
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "building the sms_events example failed"
        );
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter(|message| message["target"]["name"] == "sms_events")
            .find_map(|message| message["executable"].as_str().map(PathBuf::from))
            .expect("cargo names the sms_events executable")
    })
}

/// A running receiver; killed when dropped.
struct Receiver {
    child: Child,
    url: String,
    stdout: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
}

impl Receiver {
    fn start(secret: Option<&str>) -> Self {
        let mut command = Command::new(receiver_binary());
        command
            .args(["--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        match secret {
            Some(secret) => command.env("DIALPAD_WEBHOOK_SECRET", secret),
            None => command.env_remove("DIALPAD_WEBHOOK_SECRET"),
        };
        let mut child = command.spawn().expect("the receiver starts");
        let stdout = lines(child.stdout.take().expect("piped"));
        let stderr = lines(child.stderr.take().expect("piped"));
        let first = stderr
            .recv_timeout(LINE_TIMEOUT)
            .expect("the receiver says where it listens");
        let addr = first
            .strip_prefix("listening on 127.0.0.1:")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"));
        let port: u16 = addr.parse().expect("a port number");
        assert_ne!(port, 0, "port 0 is replaced by the port picked");
        Receiver {
            child,
            url: format!("http://127.0.0.1:{port}/dialpad/sms"),
            stdout,
            stderr,
        }
    }

    fn stdout_line(&self) -> String {
        self.stdout
            .recv_timeout(LINE_TIMEOUT)
            .expect("a line on stdout")
    }

    fn stderr_line(&self) -> String {
        self.stderr
            .recv_timeout(LINE_TIMEOUT)
            .expect("a line on stderr")
    }

    /// Nothing more was printed on either stream (checked after the last delivery).
    fn assert_quiet(&self) {
        let wait = Duration::from_millis(200);
        if let Ok(line) = self.stdout.recv_timeout(wait) {
            panic!("unexpected stdout line {line:?}");
        }
        if let Ok(line) = self.stderr.recv_timeout(wait) {
            panic!("unexpected stderr line {line:?}");
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn lines(stream: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

fn sms_event(id: i64, text: &str) -> Value {
    json!({
        "id": id,
        "created_date": 1767225600000i64,
        "direction": "inbound",
        "target": {"id": 5550001, "type": "user", "name": "Ada Lovelace", "phone_number": "+14155550100"},
        "contact": {"id": 7770001, "name": "Charles Babbage", "phone_number": "+14155550199"},
        "sender_id": null,
        "from_number": "+14155550199",
        "to_number": ["+14155550100"],
        "mms": false,
        "text": text,
    })
}

/// What the receiver prints for `sent`: the same object, with nulls and claims it does not
/// model left out.
fn printed(sent: &Value) -> Value {
    let mut object = sent.as_object().expect("an object").clone();
    object.retain(|key, value| !value.is_null() && !matches!(key.as_str(), "exp" | "nbf" | "iat"));
    Value::Object(object)
}

fn sign(alg: Algorithm, secret: &str, claims: &Value) -> String {
    encode(
        &Header::new(alg),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("signs")
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// One delivery and what the receiver must do with it.
struct Case {
    name: &'static str,
    body: String,
    content_type: Option<&'static str>,
    status: u16,
    /// For 200: the event that must come out on stdout. Otherwise: a phrase of the stderr line.
    expect: Expect,
}

enum Expect {
    Printed(Value),
    Refused(&'static str),
}

fn case(name: &'static str, body: String, status: u16, expect: Expect) -> Case {
    Case {
        name,
        body,
        content_type: None,
        status,
        expect,
    }
}

async fn deliver_all(receiver: &Receiver, url: &str, cases: Vec<Case>) {
    let http = forge_runtime::reqwest::Client::new();
    for case in cases {
        let mut request = http.post(url).body(case.body);
        if let Some(content_type) = case.content_type {
            request = request.header("content-type", content_type);
        }
        let status = request.send().await.expect("the receiver answers").status();
        assert_eq!(status.as_u16(), case.status, "case {}", case.name);
        match case.expect {
            Expect::Printed(sent) => {
                let line = receiver.stdout_line();
                let got: Value = serde_json::from_str(&line).expect("one JSON line");
                assert_eq!(got, printed(&sent), "case {}", case.name);
            }
            Expect::Refused(phrase) => {
                let line = receiver.stderr_line();
                assert!(
                    line.starts_with(&format!("{} ", case.status)) && line.contains(phrase),
                    "case {}: stderr line {line:?} lacks {phrase:?}",
                    case.name
                );
                assert!(
                    !line.contains(SECRET),
                    "case {}: the secret leaked",
                    case.name
                );
            }
        }
    }
    receiver.assert_quiet();
}

/// A stand-in for Dialpad that answers `createSmsSubscription` with a webhook pointing at the
/// receiver; returns the `hook_url` and secret the created subscription carries.
async fn subscribe(hook_url: &str, secret: Option<&str>) -> (String, Option<String>) {
    let server = MockServer::start().await;
    let signature = match secret {
        Some(secret) => json!({"algo": "HS256", "secret": secret, "type": "jwt"}),
        None => json!({"algo": null, "secret": null, "type": null}),
    };
    Mock::given(method("POST"))
        .and(path("/api/v2/subscriptions/sms"))
        .and(body_partial_json(
            json!({"direction": "all", "endpoint_id": 1000, "status": true}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "1001",
            "direction": "all",
            "enabled": true,
            "status": true,
            "webhook": {"id": "1000", "hook_url": hook_url, "signature": signature},
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_auth("test-key")
        .build()
        .expect("client builds");
    let mut body = CreateSmsSubscription::new(SmsSubscriptionDirection::All);
    body.endpoint_id = Some(1000);
    body.status = Some(true);
    let created = client
        .create_sms_subscription(&body)
        .await
        .expect("subscription created");
    assert_eq!(created.id, Some(1001));
    let webhook = created.webhook.expect("a webhook");
    let secret = webhook.signature.and_then(|s| s.secret);
    (webhook.hook_url.expect("a hook_url"), secret)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_events_from_a_created_subscription() {
    let receiver = Receiver::start(Some(SECRET));
    let (url, secret) = subscribe(&receiver.url, Some(SECRET)).await;
    assert_eq!(url, receiver.url);
    let secret = secret.expect("the webhook has a secret");

    let valid = sms_event(1, "see you at 5");
    let mut in_window = sms_event(2, "in the window");
    in_window["exp"] = json!(now() + 600);
    in_window["nbf"] = json!(now() - 600);
    let token = sign(Algorithm::HS256, &secret, &sms_event(3, "original"));
    let mut parts: Vec<&str> = token.split('.').collect();
    let forged = b64url(sms_event(3, "forged").to_string().as_bytes());
    parts[1] = &forged;
    let tampered = parts.join(".");
    let none = format!(
        "{}.{}.",
        b64url(br#"{"alg":"none","typ":"JWT"}"#),
        b64url(sms_event(4, "none").to_string().as_bytes())
    );
    let rs256 = format!(
        "{}.{}.{}",
        b64url(br#"{"alg":"RS256","typ":"JWT"}"#),
        b64url(sms_event(5, "rs").to_string().as_bytes()),
        token.rsplit('.').next().expect("a signature"),
    );
    let mut expired = sms_event(6, "late");
    expired["exp"] = json!(now() - 3600);
    let mut early = sms_event(7, "early");
    early["nbf"] = json!(now() + 3600);
    let oversized = sign(
        Algorithm::HS256,
        &secret,
        &sms_event(8, &"x".repeat(1100 * 1024)),
    );
    let again = sms_event(9, "still here");

    let mut cases = vec![
        case(
            "valid",
            sign(Algorithm::HS256, &secret, &valid),
            200,
            Expect::Printed(valid.clone()),
        ),
        case(
            "exp and nbf in range",
            sign(Algorithm::HS256, &secret, &in_window),
            200,
            Expect::Printed(in_window.clone()),
        ),
        case(
            "tampered",
            tampered,
            401,
            Expect::Refused("signature does not match"),
        ),
        case(
            "other secret",
            sign(Algorithm::HS256, "other", &valid),
            401,
            Expect::Refused("signature does not match"),
        ),
        case(
            "alg none",
            none,
            401,
            Expect::Refused("algorithm \"none\" refused"),
        ),
        case(
            "HS384",
            sign(Algorithm::HS384, &secret, &valid),
            401,
            Expect::Refused("algorithm \"HS384\" refused"),
        ),
        case(
            "RS256 header",
            rs256,
            401,
            Expect::Refused("algorithm \"RS256\" refused"),
        ),
        case(
            "expired",
            sign(Algorithm::HS256, &secret, &expired),
            401,
            Expect::Refused("expired"),
        ),
        case(
            "not yet valid",
            sign(Algorithm::HS256, &secret, &early),
            401,
            Expect::Refused("not valid yet"),
        ),
        case(
            "plain JSON",
            valid.to_string(),
            401,
            Expect::Refused("missing signature"),
        ),
        case(
            "not an event",
            sign(Algorithm::HS256, &secret, &json!({"hello": "world"})),
            400,
            Expect::Refused("not an event"),
        ),
        case(
            "garbage",
            "not an event at all".to_owned(),
            400,
            Expect::Refused("malformed"),
        ),
        case(
            "oversized",
            oversized,
            413,
            Expect::Refused("over the 1048576-byte limit"),
        ),
        case(
            "valid again",
            sign(Algorithm::HS256, &secret, &again),
            200,
            Expect::Printed(again.clone()),
        ),
    ];
    // The receiver must not care about the content type: give each case a different one.
    let types = [
        None,
        Some("application/jwt"),
        Some("application/json"),
        Some("text/plain"),
    ];
    for (i, case) in cases.iter_mut().enumerate() {
        case.content_type = types[i % types.len()];
    }
    deliver_all(&receiver, &url, cases).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_secret_only_plain_json_is_accepted() {
    let receiver = Receiver::start(None);
    let (url, secret) = subscribe(&receiver.url, None).await;
    assert_eq!(secret, None);
    let valid = sms_event(11, "plain");
    let again = sms_event(12, "plain again");
    let cases = vec![
        case(
            "plain",
            valid.to_string(),
            200,
            Expect::Printed(valid.clone()),
        ),
        case(
            "signed",
            sign(Algorithm::HS256, SECRET, &valid),
            401,
            Expect::Refused("no secret is configured"),
        ),
        case(
            "not an event",
            r#"{"hello":"world"}"#.to_owned(),
            400,
            Expect::Refused("not an event"),
        ),
        case(
            "oversized",
            sms_event(13, &"x".repeat(1100 * 1024)).to_string(),
            413,
            Expect::Refused("limit"),
        ),
        case(
            "plain again",
            again.to_string(),
            200,
            Expect::Printed(again.clone()),
        ),
    ];
    deliver_all(&receiver, &url, cases).await;
}

fn node_available() -> bool {
    Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `npm ci` in `tests/events` when its `node_modules` lacks the pinned jsonwebtoken.
fn install_driver(dir: &Path) {
    if dir.join("node_modules/jsonwebtoken/package.json").exists() {
        return;
    }
    eprintln!(
        "events driver: installing jsonwebtoken with `npm ci` in {}",
        dir.display()
    );
    let status = Command::new("npm")
        .current_dir(dir)
        .args(["ci", "--no-audit", "--no-fund"])
        .status()
        .expect("npm runs");
    assert!(status.success(), "`npm ci` in {} failed", dir.display());
}

/// Runs `drive.js` against a receiver; returns its lines as (case, status, event).
fn drive(receiver: &Receiver, mode: &str) -> Vec<(String, Value, Value)> {
    let dir = workspace_root().join("tests/events");
    let output = Command::new("node")
        .current_dir(&dir)
        .args(["drive.js", &receiver.url, mode, SECRET])
        .stderr(Stdio::inherit())
        .output()
        .expect("node runs");
    assert!(output.status.success(), "drive.js {mode} failed");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a JSON line from drive.js");
            (
                v["case"].as_str().expect("a case").to_owned(),
                v["status"].clone(),
                v["event"].clone(),
            )
        })
        .collect()
}

fn check_driven(
    receiver: &Receiver,
    driven: Vec<(String, Value, Value)>,
    expected: &[(&str, u16, &str)],
) {
    let names: Vec<&str> = driven.iter().map(|(name, _, _)| name.as_str()).collect();
    let wanted: Vec<&str> = expected.iter().map(|(name, _, _)| *name).collect();
    assert_eq!(names, wanted, "drive.js ran other cases than expected");
    for ((name, status, event), (_, want, phrase)) in driven.iter().zip(expected) {
        assert_eq!(status, &json!(want), "case {name}");
        if *want == 200 {
            let line = receiver.stdout_line();
            let got: Value = serde_json::from_str(&line).expect("one JSON line");
            assert_eq!(got, printed(event), "case {name}");
        } else {
            let line = receiver.stderr_line();
            assert!(
                line.starts_with(&format!("{want} ")) && line.contains(phrase),
                "case {name}: stderr line {line:?} lacks {phrase:?}"
            );
        }
    }
    receiver.assert_quiet();
}

#[test]
fn an_independent_jwt_implementation_drives_the_receiver() {
    if !node_available() {
        eprintln!("skipped: `node` is not installed (the driver is a Node.js program; see README, Events)");
        return;
    }
    install_driver(&workspace_root().join("tests/events"));

    let signed = Receiver::start(Some(SECRET));
    let driven = drive(&signed, "signed");
    check_driven(
        &signed,
        driven,
        &[
            ("valid", 200, ""),
            ("valid-exp-nbf", 200, ""),
            ("tampered", 401, "signature does not match"),
            ("wrong-secret", 401, "signature does not match"),
            ("alg-none", 401, "algorithm \"none\" refused"),
            ("hs384", 401, "algorithm \"HS384\" refused"),
            ("rs256", 401, "algorithm \"RS256\" refused"),
            ("expired", 401, "expired"),
            ("not-yet-valid", 401, "not valid yet"),
            ("plain-json", 401, "missing signature"),
            ("not-an-event", 400, "not an event"),
            ("garbage", 400, "malformed"),
            ("oversized", 413, "limit"),
            ("valid-again", 200, ""),
        ],
    );

    let plain = Receiver::start(None);
    let driven = drive(&plain, "plain");
    check_driven(
        &plain,
        driven,
        &[
            ("plain-valid", 200, ""),
            ("plain-signed", 401, "no secret is configured"),
            ("plain-alg-none", 401, "no secret is configured"),
            ("plain-not-an-event", 400, "not an event"),
            ("plain-oversized", 413, "limit"),
            ("plain-valid-again", 200, ""),
        ],
    );
}
