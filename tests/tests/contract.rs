//! Contract tests: the generated `dialpad-sms-subscriptions` client against Prism, a mock
//! server that validates every request against `spec/dialpad-sms-subscriptions.yaml` and
//! answers with the spec's examples.
//!
//! Where `e2e.rs` checks the exact requests against what we *think* the spec says, these
//! tests let an independent implementation of OpenAPI judge them: every operation (both
//! auth styles, the `_stream` methods) must pass Prism's request validation and decode
//! Prism's answer, and requests that are invalid on purpose must be rejected, so we know
//! the check can fail.
//!
//! Prism is a Node.js program pinned in `tests/contract/package.json` and
//! `package-lock.json`. The tests need `node` (18 or newer) and, when
//! `tests/contract/node_modules` is not installed yet, `npm`: they then run `npm ci` there
//! once. Each test starts its own Prism on a free loopback port and kills it when it ends,
//! even when an assertion fails.
#![cfg(unix)]

use std::fs::{self, File, OpenOptions};
use std::io::ErrorKind as IoErrorKind;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use dialpad_sms_subscriptions::types::{
    CreateSmsSubscription, CreateWebhook, Signature, SmsSubscription, SmsSubscriptionDirection,
    SubscriptionTargetType, UpdateSmsSubscription,
};
use dialpad_sms_subscriptions::StreamExt;
use dialpad_sms_subscriptions::{Client, Error};
use forge_runtime::reqwest;
use forge_runtime::StatusCode;
use forge_tests::dialpad::{signed, webhook_1000};
use forge_tests::workspace_root;
use serde_json::Value;

const KEY: &str = "contract-test-key";

/// How long Prism may take to start listening (it usually needs 1-3 s).
const PRISM_START_TIMEOUT: Duration = Duration::from_secs(45);

/// How long `npm ci` may take, and how long a test waits for another process's `npm ci`.
const NPM_CI_TIMEOUT: Duration = Duration::from_secs(600);

const NODE_MISSING: &str = "\
the contract tests (tests/tests/contract.rs) run the generated client against Prism, a \
Node.js program, so they need Node.js 18 or newer and npm.
Install them, for example:
  Debian/Ubuntu:  apt-get install nodejs npm   (or the packages from https://nodejs.org)
  macOS:          brew install node
  other systems:  https://nodejs.org/en/download
then run `cargo test --workspace` again; the first run installs Prism into tests/contract \
with `npm ci`. See README.md, section \"Contract tests\".";

// ---------------------------------------------------------------------------------------
// Locating node, installing Prism
// ---------------------------------------------------------------------------------------

fn contract_dir() -> PathBuf {
    workspace_root().join("tests").join("contract")
}

fn spec_path() -> PathBuf {
    workspace_root()
        .join("spec")
        .join("dialpad-sms-subscriptions.yaml")
}

fn output_text(output: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Runs `program --version`; panics with install instructions when it is not on PATH.
fn tool_version(program: &str) -> String {
    match Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
    {
        Ok(output) if output.status.success() => {
            String::from_utf8_lossy(&output.stdout).trim().to_owned()
        }
        Ok(output) => panic!(
            "`{program} --version` failed ({}):\n{}\n\n{NODE_MISSING}",
            output.status,
            output_text(&output)
        ),
        Err(e) if e.kind() == IoErrorKind::NotFound => {
            panic!("`{program}` was not found on PATH.\n\n{NODE_MISSING}")
        }
        Err(e) => panic!("could not run `{program} --version`: {e}\n\n{NODE_MISSING}"),
    }
}

/// Checks that `node` is there and new enough.
fn check_node() {
    let version = tool_version("node");
    let major: Option<u32> = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|major| major.parse().ok());
    match major {
        Some(major) if major >= 18 => {}
        _ => panic!("`node --version` says {version:?}, which is too old.\n\n{NODE_MISSING}"),
    }
}

/// The Prism version `tests/contract/package.json` pins.
fn pinned_prism_version() -> String {
    let path = contract_dir().join("package.json");
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let manifest: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    manifest["dependencies"]["@stoplight/prism-cli"]
        .as_str()
        .unwrap_or_else(|| panic!("{} does not list @stoplight/prism-cli", path.display()))
        .to_owned()
}

/// Prism's entry script, when the pinned version is installed.
fn installed_prism() -> Option<PathBuf> {
    let modules = contract_dir().join("node_modules");
    if !modules.join(".bin").join("prism").exists() {
        return None;
    }
    let package = modules.join("@stoplight").join("prism-cli");
    let manifest: Value =
        serde_json::from_str(&fs::read_to_string(package.join("package.json")).ok()?).ok()?;
    if manifest["version"].as_str()? != pinned_prism_version() {
        return None;
    }
    let entry = package.join("dist").join("index.js");
    entry.exists().then_some(entry)
}

/// An exclusive lock between processes: a file created with `create_new`, removed on drop.
/// A lock older than [`NPM_CI_TIMEOUT`] is taken to be left behind by a killed process.
struct FileLock(PathBuf);

impl FileLock {
    fn acquire(path: PathBuf) -> FileLock {
        let start = Instant::now();
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(_) => return FileLock(path),
                Err(e) if e.kind() == IoErrorKind::AlreadyExists => {
                    let age = fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|modified| SystemTime::now().duration_since(modified).ok());
                    if age.is_some_and(|age| age > NPM_CI_TIMEOUT) {
                        let _ = fs::remove_file(&path);
                        continue;
                    }
                    assert!(
                        start.elapsed() < NPM_CI_TIMEOUT,
                        "waited {NPM_CI_TIMEOUT:?} for {} (another test process running npm ci?)",
                        path.display()
                    );
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => panic!("cannot create lock file {}: {e}", path.display()),
            }
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// Makes sure node is there and the pinned Prism is installed (running `npm ci` in
/// tests/contract if not), and returns Prism's entry script. One install at a time: a
/// mutex between the tests of this binary, a lock file between test processes.
fn ensure_prism() -> PathBuf {
    static INSTALL: Mutex<()> = Mutex::new(());
    check_node();
    let _in_process = INSTALL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(entry) = installed_prism() {
        return entry;
    }
    let _between_processes =
        FileLock::acquire(Path::new(env!("CARGO_TARGET_TMPDIR")).join("contract-npm-ci.lock"));
    if let Some(entry) = installed_prism() {
        return entry;
    }
    tool_version("npm");
    let dir = contract_dir();
    eprintln!(
        "contract tests: installing Prism {} with `npm ci` in {} (first run only)",
        pinned_prism_version(),
        dir.display()
    );
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("could not run `npm ci` in {}: {e}", dir.display()));
    assert!(
        output.status.success(),
        "`npm ci` in {} failed ({}):\n{}",
        dir.display(),
        output.status,
        output_text(&output)
    );
    installed_prism().unwrap_or_else(|| {
        panic!(
            "`npm ci` in {} succeeded but Prism {} is not in node_modules:\n{}",
            dir.display(),
            pinned_prism_version(),
            output_text(&output)
        )
    })
}

// ---------------------------------------------------------------------------------------
// Running Prism
// ---------------------------------------------------------------------------------------

/// A running `prism mock`; dropping it kills Prism's whole process group.
struct Prism {
    child: Child,
    base_url: String,
    stdout: PathBuf,
    stderr: PathBuf,
}

impl Drop for Prism {
    fn drop(&mut self) {
        // The child leads its own process group (see `start_prism`): kill all of it.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Keep the logs of a failed test (the panic message names them).
        if !std::thread::panicking() {
            let _ = fs::remove_file(&self.stdout);
            let _ = fs::remove_file(&self.stderr);
        }
    }
}

impl Prism {
    /// Prism's log so far (it logs every request and its validation result to stdout).
    fn log(&self) -> String {
        fs::read_to_string(&self.stdout).unwrap_or_default()
    }

    fn output(&self) -> String {
        format!(
            "Prism stdout ({}):\n{}\nPrism stderr ({}):\n{}",
            self.stdout.display(),
            self.log(),
            self.stderr.display(),
            fs::read_to_string(&self.stderr).unwrap_or_default()
        )
    }

    /// Waits until Prism says it listens and accepts a connection. `Err` carries the reason
    /// and whether Prism died because the port was taken (worth another port).
    fn wait_ready(&mut self, port: u16) -> Result<(), (String, bool)> {
        let started = Instant::now();
        let banner = format!("Prism is listening on http://127.0.0.1:{port}");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                let output = self.output();
                let port_taken = output.contains("EADDRINUSE");
                return Err((
                    format!("Prism exited ({status}) before listening\n{output}"),
                    port_taken,
                ));
            }
            if self.log().contains(&banner)
                && TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
            {
                return Ok(());
            }
            if started.elapsed() > PRISM_START_TIMEOUT {
                return Err((
                    format!(
                        "Prism did not start listening on 127.0.0.1:{port} within \
                         {PRISM_START_TIMEOUT:?}\n{}",
                        self.output()
                    ),
                    false,
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("bind an ephemeral loopback port")
        .port()
}

/// Starts `prism mock` for our spec on a free loopback port with `extra` flags, and waits
/// until it answers. `name` names its log files.
fn start_prism(name: &str, extra: &[&str]) -> Prism {
    let entry = ensure_prism();
    let logs = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let mut last_error = String::new();
    for _attempt in 0..3 {
        let port = free_port();
        let stdout = logs.join(format!("prism-{name}-{}.out.log", std::process::id()));
        let stderr = logs.join(format!("prism-{name}-{}.err.log", std::process::id()));
        let out = File::create(&stdout).expect("create Prism stdout log");
        let err = File::create(&stderr).expect("create Prism stderr log");
        let port_arg = port.to_string();
        let child = Command::new("node")
            .arg(&entry)
            .args(["mock", "--host", "127.0.0.1", "--port", &port_arg])
            .args(extra)
            .arg(spec_path())
            .current_dir(contract_dir())
            .env("NO_COLOR", "1")
            .env("FORCE_COLOR", "0")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("could not start Prism ({}): {e}", entry.display()));
        let mut prism = Prism {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            stdout,
            stderr,
        };
        match prism.wait_ready(port) {
            Ok(()) => return prism,
            Err((message, true)) => last_error = message, // port taken meanwhile: next one
            Err((message, false)) => panic!("{message}"),
        }
    }
    panic!("Prism could not get a free port in 3 tries; last error:\n{last_error}")
}

// ---------------------------------------------------------------------------------------
// Clients and assertions
// ---------------------------------------------------------------------------------------

/// Builds a client for `prism`: no retries and no rate limit, so a failure shows at once.
fn client(prism: &Prism, api_key_in_query: bool) -> Client {
    let builder = Client::builder()
        .base_url(&prism.base_url)
        .retry(forge_runtime::RetryPolicy::disabled())
        .no_rate_limit()
        .timeout(Duration::from_secs(20));
    let builder = if api_key_in_query {
        builder.api_key(KEY)
    } else {
        builder.bearer_auth(KEY)
    };
    builder.build().expect("client builds")
}

/// Unwraps a call's result; on error, panics with the status, Prism's whole answer and log.
fn ok<T>(prism: &Prism, what: &str, result: Result<T, Error>) -> T {
    match result {
        Ok(value) => value,
        Err(err) => panic!(
            "{what}: {err}\nstatus: {:?}\nbody: {}\n{}",
            err.status(),
            err.body().unwrap_or("<none>"),
            prism.output()
        ),
    }
}

/// The spec's example subscription 1001, as `createSmsSubscription` answers it.
fn subscription_1001() -> SmsSubscription {
    SmsSubscription {
        id: Some(1001),
        direction: Some(SmsSubscriptionDirection::All),
        enabled: Some(true),
        include_internal: Some(true),
        status: Some(false),
        webhook: Some(webhook_1000()),
        ..SmsSubscription::default()
    }
}

fn ids_of<T>(items: &[T], id: impl Fn(&T) -> Option<i64>) -> Vec<Option<i64>> {
    items.iter().map(id).collect()
}

/// The first `n` items of a `_stream` method's stream (fewer if it ends), each unwrapped.
/// Bounded in time: against a mock, a stream of empty pages that all name a next page
/// would otherwise only end after the runtime's page limit.
async fn first_items<T>(
    prism: &Prism,
    what: &str,
    stream: forge_runtime::Paged<'_, T>,
    n: usize,
) -> Vec<T> {
    let items = tokio::time::timeout(Duration::from_secs(15), stream.take(n).collect::<Vec<_>>())
        .await
        .unwrap_or_else(|_| panic!("{what}: no {n} items within 15 s\n{}", prism.output()));
    items
        .into_iter()
        .map(|item| ok(prism, what, item))
        .collect()
}

/// Calls every operation of the client with valid requests (optional fields both set and
/// left out) and asserts each one succeeds and decodes. With `examples`, Prism answers
/// with the spec's examples, the decoded values are compared with them and the `_stream`
/// methods run too; otherwise its answers are made up from the schemas and only have to
/// decode.
async fn drive_every_operation(prism: &Prism, client: &Client, examples: bool) {
    // --- webhooks ---
    let mut webhook = CreateWebhook::new("https://hooks.example.com/dialpad/sms".to_owned());
    let created = ok(
        prism,
        "createWebhook",
        client.create_webhook(&webhook).await,
    );
    webhook.secret = Some("s3cr3t-shared-key".to_owned());
    let created_signed = ok(
        prism,
        "createWebhook with secret",
        client.create_webhook(&webhook).await,
    );
    if examples {
        assert_eq!(created, webhook_1000());
        assert_eq!(created_signed, webhook_1000());
    }

    let page = ok(prism, "listWebhooks", client.list_webhooks().await);
    ok(
        prism,
        "listWebhooks with cursor",
        client
            .list_webhooks()
            .cursor("Cg0KBnRhcmdldBIDMTAwMg")
            .await,
    );
    if examples {
        let items = page.items.expect("listWebhooks example has items");
        assert_eq!(ids_of(&items, |w| w.id), [Some(1000), Some(1002)]);
        assert_eq!(items[0], webhook_1000());
        assert_eq!(
            items[1].signature,
            signed("HS256", "another-shared-key", "jwt")
        );
        assert_eq!(page.cursor, None);
    }

    let got = ok(prism, "getWebhook", client.get_webhook(1000).await);
    let deleted = ok(prism, "deleteWebhook", client.delete_webhook(1000).await);
    if examples {
        assert_eq!(got, webhook_1000());
        assert_eq!(deleted, webhook_1000());
    }

    // --- SMS subscriptions ---
    let minimal = CreateSmsSubscription::new(SmsSubscriptionDirection::Outbound);
    ok(
        prism,
        "createSmsSubscription (direction only)",
        client.create_sms_subscription(&minimal).await,
    );
    let full = CreateSmsSubscription {
        direction: SmsSubscriptionDirection::All,
        include_internal: Some(true),
        endpoint_id: Some(1000),
        enabled: Some(true),
        status: Some(false),
        target_id: Some(5550001),
        target_type: SubscriptionTargetType::Office.into(),
    };
    let created = ok(
        prism,
        "createSmsSubscription (every field)",
        client.create_sms_subscription(&full).await,
    );
    if examples {
        assert_eq!(created, subscription_1001());
    }

    let page = ok(
        prism,
        "listSmsSubscriptions",
        client.list_sms_subscriptions().await,
    );
    ok(
        prism,
        "listSmsSubscriptions with every query parameter",
        client
            .list_sms_subscriptions()
            .cursor("Cg0KBnRhcmdldBIDMTAwMw")
            .target_type(SubscriptionTargetType::Office)
            .target_id(5550001)
            .await,
    );
    if examples {
        let items = page.items.expect("listSmsSubscriptions example has items");
        assert_eq!(ids_of(&items, |s| s.id), [Some(1001), Some(1003)]);
        assert_eq!(items[0], subscription_1001());
        // The second example has a target (id as a JSON string) and a null signature.
        assert_eq!(items[1].direction, Some(SmsSubscriptionDirection::Inbound));
        assert_eq!(items[1].target_id, Some(5550001));
        assert_eq!(items[1].target_type, Some(SubscriptionTargetType::Office));
        let webhook = items[1]
            .webhook
            .as_ref()
            .expect("second item has a webhook");
        assert_eq!(webhook.id, Some(1002));
        assert_eq!(webhook.signature, Some(Signature::default()));
        assert_eq!(page.cursor.as_deref(), Some("Cg0KBnRhcmdldBIDMTAwMw"));
    }

    let got = ok(
        prism,
        "getSmsSubscription",
        client.get_sms_subscription(1001).await,
    );
    if examples {
        assert_eq!(got, subscription_1001());
    }

    let change = UpdateSmsSubscription {
        direction: Some(SmsSubscriptionDirection::Inbound),
        include_internal: Some(false),
        endpoint_id: Some(1002),
        ..UpdateSmsSubscription::default()
    };
    let updated = ok(
        prism,
        "updateSmsSubscription",
        client.update_sms_subscription(1001, &change).await,
    );
    let every_field = UpdateSmsSubscription {
        direction: Some(SmsSubscriptionDirection::Outbound),
        include_internal: Some(true),
        endpoint_id: Some(1000),
        enabled: Some(false),
        status: Some(true),
        target_id: Some(42),
        target_type: SubscriptionTargetType::User.into(),
    };
    ok(
        prism,
        "updateSmsSubscription (every field)",
        client.update_sms_subscription(1001, &every_field).await,
    );
    ok(
        prism,
        "updateSmsSubscription (empty body)",
        client
            .update_sms_subscription(1001, &UpdateSmsSubscription::default())
            .await,
    );
    if examples {
        assert_eq!(updated.id, Some(1001));
        assert_eq!(updated.direction, Some(SmsSubscriptionDirection::Inbound));
        assert_eq!(updated.include_internal, Some(false));
        let webhook = updated.webhook.expect("updated example has a webhook");
        assert_eq!(webhook.id, Some(1002));
        assert_eq!(
            webhook.signature,
            signed("HS256", "another-shared-key", "jwt")
        );
    }

    let deleted = ok(
        prism,
        "deleteSmsSubscription",
        client.delete_sms_subscription(1001).await,
    );
    if examples {
        assert_eq!(deleted.id, Some(1001));
        assert_eq!(deleted.direction, Some(SmsSubscriptionDirection::Inbound));
        assert_eq!(deleted.status, Some(true));
    }

    // --- streams ---
    // A mock answers every page alike. With the examples, the webhook page has no cursor
    // (one page) and the subscription page always names the same one. Made-up pages can be empty and name a next page forever (with a
    // seed Prism makes up the same page each time), so the streams only run on examples.
    if !examples {
        return;
    }
    let webhooks = first_items(
        prism,
        "list_webhooks_stream",
        client.list_webhooks().stream(),
        10,
    )
    .await;
    let subscriptions = first_items(
        prism,
        "list_sms_subscriptions_stream",
        client.list_sms_subscriptions().stream(),
        5,
    )
    .await;
    assert_eq!(ids_of(&webhooks, |w| w.id), [Some(1000), Some(1002)]);
    // Two pages: the second request carried the example's cursor, got the same cursor back
    // and the stream stopped there instead of asking for the same page forever.
    assert_eq!(
        ids_of(&subscriptions, |s| s.id),
        [Some(1001), Some(1003), Some(1001), Some(1003)]
    );
}

/// What Prism answered to a request sent without the generated client.
struct RawAnswer {
    status: StatusCode,
    content_type: String,
    body: Value,
}

async fn raw(
    prism: &Prism,
    method: reqwest::Method,
    path: &str,
    authorized: bool,
    body: Option<&str>,
) -> RawAnswer {
    let http = reqwest::Client::new();
    let mut request = http.request(method, format!("{}{path}", prism.base_url));
    if authorized {
        request = request.bearer_auth(KEY);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.expect("Prism answers");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.expect("Prism's body is readable");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    RawAnswer {
        status,
        content_type,
        body,
    }
}

/// Asserts Prism rejected a request with a 422 problem whose validation list names `field`
/// with a message containing `message`.
fn assert_validation_error(answer: &RawAnswer, field: &str, message: &str) {
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:#}",
        answer.body
    );
    assert_eq!(answer.content_type, "application/problem+json");
    let problems = answer.body["validation"]
        .as_array()
        .unwrap_or_else(|| panic!("no validation list in {:#}", answer.body));
    assert!(
        problems.iter().any(|p| {
            p["severity"] == "Error"
                && p["location"]
                    .as_array()
                    .is_some_and(|location| location.last().and_then(Value::as_str) == Some(field))
                && p["message"]
                    .as_str()
                    .is_some_and(|text| text.contains(message))
        }),
        "expected a validation error on {field:?} saying {message:?}, got {:#}",
        answer.body
    );
}

/// Sends a create request whose `direction` is not one of the spec's values, built with
/// the generated client (`Other` keeps unknown values), and asserts Prism refuses it.
async fn assert_sideways_direction_is_rejected(client: &Client) {
    let body = CreateSmsSubscription::new(SmsSubscriptionDirection::Other("sideways".to_owned()));
    let err = client
        .create_sms_subscription(&body)
        .await
        .expect_err("Prism must reject direction \"sideways\"");
    assert_eq!(
        err.status(),
        Some(StatusCode::UNPROCESSABLE_ENTITY),
        "{err}"
    );
    let problem: Value = serde_json::from_str(err.body().unwrap_or_default())
        .unwrap_or_else(|e| panic!("422 body is not JSON ({e}): {err}"));
    let answer = RawAnswer {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        content_type: "application/problem+json".to_owned(),
        body: problem,
    };
    assert_validation_error(
        &answer,
        "direction",
        "must be equal to one of the allowed values: inbound, outbound, all",
    );
}

/// Prism's log lines that report a request failing validation.
fn rejected_request_lines(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|line| line.contains("Request did not pass the validation rules"))
        .collect()
}

/// Prism's log lines that report a response that does not match the spec.
fn response_violation_lines(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|line| line.contains("Violation: response"))
        .collect()
}

// ---------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------

/// Every operation, with both auth styles, passes Prism's request validation and decodes
/// the spec's examples that Prism answers with.
#[tokio::test]
async fn every_operation_passes_prism_validation_and_decodes_the_examples() {
    let prism = start_prism("examples", &[]);
    let bearer = client(&prism, false);
    let api_key = client(&prism, true);

    drive_every_operation(&prism, &bearer, true).await;
    drive_every_operation(&prism, &api_key, true).await;

    // Prism also validates requests without `--errors`: an invalid one is refused. Sent
    // last, its rejection in the log also shows that the log has caught up with every
    // request before it.
    assert_sideways_direction_is_rejected(&bearer).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let log = loop {
        let log = prism.log();
        if log.contains("UNPROCESSABLE_ENTITY") || Instant::now() > deadline {
            break log;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let rejected = rejected_request_lines(&log);
    assert_eq!(
        rejected.len(),
        1,
        "only the deliberately invalid request may fail Prism's validation; Prism's log:\n{log}"
    );

    // Responses that break the spec are Prism's examples, not our client's doing: report
    // them (visible with --nocapture) without failing.
    let violations = response_violation_lines(&log);
    if !violations.is_empty() {
        let mut unique: Vec<&str> = violations
            .iter()
            .map(|line| line.split("Violation: ").nth(1).unwrap_or(line))
            .collect();
        unique.sort_unstable();
        unique.dedup();
        eprintln!(
            "note: Prism found {} violations of the spec's schemas in its answers (the spec's \
             own examples):\n  {}",
            violations.len(),
            unique.join("\n  ")
        );
    }
}

/// With `--errors`, Prism refuses invalid requests (so this check can fail) and valid ones
/// from the client still succeed.
///
/// Prism then also answers 500 for any response that breaks the spec, and the spec's
/// examples send ids as JSON strings where the schemas say `integer`; so this Prism makes
/// its answers up from the schemas (`--dynamic`, seeded) instead of using the examples.
#[tokio::test]
async fn errors_mode_rejects_invalid_requests_and_accepts_valid_ones() {
    let prism = start_prism(
        "errors",
        &["--errors", "--dynamic", "--seed", "forge-contract"],
    );
    let bearer = client(&prism, false);
    let api_key = client(&prism, true);

    // `direction` is required.
    let answer = raw(
        &prism,
        reqwest::Method::POST,
        "/api/v2/subscriptions/sms",
        true,
        Some(r#"{"include_internal": true, "endpoint_id": 1000}"#),
    )
    .await;
    assert_validation_error(&answer, "body", "must have required property 'direction'");

    // `direction` must be one of the enum's values.
    assert_sideways_direction_is_rejected(&bearer).await;

    // `endpoint_id` is an integer.
    let answer = raw(
        &prism,
        reqwest::Method::POST,
        "/api/v2/subscriptions/sms",
        true,
        Some(r#"{"direction": "all", "endpoint_id": "the webhook"}"#),
    )
    .await;
    assert_validation_error(&answer, "endpoint_id", "must be integer");

    // The path id is an integer.
    let answer = raw(
        &prism,
        reqwest::Method::GET,
        "/api/v2/webhooks/not-a-number",
        true,
        None,
    )
    .await;
    assert_validation_error(&answer, "id", "must be integer");

    // No credentials: neither bearer nor `apikey`.
    let answer = raw(
        &prism,
        reqwest::Method::GET,
        "/api/v2/webhooks",
        false,
        None,
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{:#}", answer.body);

    // Valid requests still pass, and the schema-generated answers decode.
    drive_every_operation(&prism, &bearer, false).await;
    drive_every_operation(&prism, &api_key, false).await;
}
