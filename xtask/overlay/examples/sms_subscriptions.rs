//! Manage Dialpad SMS event subscriptions from the command line.
//!
//! ```text
//! cargo run -p dialpad-sms-subscriptions --example sms_subscriptions -- <command>
//!
//! commands:
//!   create --direction D [--endpoint-id N] [--target-type T --target-id N]
//!          [--include-internal [true|false]] [--status [true|false]] [--enabled | --disabled]
//!   list [--target-type T --target-id N]      every page, one JSON object per line
//!   get ID
//!   update ID [--direction D] [--endpoint-id N] [--target-type T --target-id N | --no-target]
//!          [--include-internal [true|false]] [--status [true|false]] [--enabled | --disabled]
//!   delete ID
//!   webhook-create --url URL [--secret S]
//!   webhook-list | webhook-get ID | webhook-delete ID
//!
//! options (anywhere): --sandbox   use https://sandbox.dialpad.com
//!                     --key-in-query   send the key as `?apikey=` instead of a bearer token
//! environment: DIALPAD_API_KEY (required), DIALPAD_BASE_URL (default https://dialpad.com)
//! ```
//!
//! Results go to stdout as JSON, one object per line; 64-bit ids are printed as JSON strings
//! (as the API sends them), so tools that read numbers as doubles keep every digit. On failure
//! one line goes to stderr (the client error's own message: operation, server, attempts,
//! status) and the exit status is 1 (2 for a usage error).
//!
//! `update ID --no-target` must send `"target_type": null` and `"target_id": null`; the
//! generated `UpdateSmsSubscription` leaves out a field that is `None` and cannot express an
//! explicit `null`, so that one request is built with `serde_json` and sent through the
//! runtime's raw request API.

use std::process::ExitCode;

use dialpad_sms_subscriptions::types::{
    CreateSmsSubscription, CreateWebhook, SmsSubscription, SmsSubscriptionDirection,
    SubscriptionTargetType, UpdateSmsSubscription,
};
use dialpad_sms_subscriptions::StreamExt;
use dialpad_sms_subscriptions::{Client, Server};
use forge_runtime::{
    path_param, Auth, ClientCore, ClientCoreBuilder, Method, Operation, RateLimit,
};

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match Command::parse(args) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("usage error: {message}");
            eprintln!("run with --help for the list of commands");
            return ExitCode::from(2);
        }
    };
    if let Action::Help = command.action {
        println!("{}", usage());
        return ExitCode::SUCCESS;
    }
    match run(command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> &'static str {
    "commands: create --direction D [--endpoint-id N] [--target-type T --target-id N] \
     [--include-internal [true|false]] [--status [true|false]] [--enabled | --disabled] | \
     list [--target-type T --target-id N] | get ID | \
     update ID [create's flags] [--no-target] | delete ID | webhook-create --url URL [--secret S] | \
     webhook-list | webhook-get ID | webhook-delete ID\n\
     options: --sandbox, --key-in-query\n\
     environment: DIALPAD_API_KEY (required), DIALPAD_BASE_URL"
}

/// What to do, with the connection options that apply to every command.
struct Command {
    action: Action,
    sandbox: bool,
    key_in_query: bool,
}

/// The subcommands.
enum Action {
    Help,
    Create(SubscriptionFlags),
    List(Option<(SubscriptionTargetType, i64)>),
    Get(i64),
    Update(i64, SubscriptionFlags),
    Delete(i64),
    WebhookCreate { url: String, secret: Option<String> },
    WebhookList,
    WebhookGet(i64),
    WebhookDelete(i64),
}

/// Flags shared by `create` and `update`.
#[derive(Default)]
struct SubscriptionFlags {
    direction: Option<SmsSubscriptionDirection>,
    endpoint_id: Option<i64>,
    target: Option<(SubscriptionTargetType, i64)>,
    /// `--no-target`: send `"target_type": null, "target_id": null`.
    no_target: bool,
    include_internal: Option<bool>,
    status: Option<bool>,
    enabled: Option<bool>,
}

impl SubscriptionFlags {
    /// Whether any flag besides the target ones was given.
    fn sets_more_than_a_target(&self) -> bool {
        self.direction.is_some()
            || self.endpoint_id.is_some()
            || self.include_internal.is_some()
            || self.status.is_some()
            || self.enabled.is_some()
            || self.no_target
    }
}

impl Command {
    fn parse(args: Vec<String>) -> Result<Command, String> {
        let mut sandbox = false;
        let mut key_in_query = false;
        let mut rest = Vec::new();
        for arg in args {
            match arg.as_str() {
                "--sandbox" => sandbox = true,
                "--key-in-query" => key_in_query = true,
                _ => rest.push(arg),
            }
        }
        let mut words = rest.into_iter();
        let action = match words.next().as_deref() {
            None | Some("--help" | "-h" | "help") => Action::Help,
            Some("create") => {
                let flags = subscription_flags(words)?;
                if flags.direction.is_none() {
                    return Err("create needs --direction (inbound, outbound or all)".into());
                }
                if flags.no_target {
                    return Err("--no-target is for update; create has no target to clear".into());
                }
                Action::Create(flags)
            }
            Some("update") => {
                let id = id_arg(words.next(), "update")?;
                Action::Update(id, subscription_flags(words)?)
            }
            Some("list") => {
                let flags = subscription_flags(words)?;
                if flags.sets_more_than_a_target() {
                    return Err("list takes only --target-type and --target-id".into());
                }
                Action::List(flags.target)
            }
            Some("get") => Action::Get(single_id(words, "get")?),
            Some("delete") => Action::Delete(single_id(words, "delete")?),
            Some("webhook-create") => {
                let mut url = None;
                let mut secret = None;
                while let Some(flag) = words.next() {
                    match flag.as_str() {
                        "--url" => url = Some(value(&mut words, "--url")?),
                        "--secret" => secret = Some(value(&mut words, "--secret")?),
                        other => return Err(format!("unknown flag {other:?} for webhook-create")),
                    }
                }
                let url = url.ok_or("webhook-create needs --url")?;
                Action::WebhookCreate { url, secret }
            }
            Some("webhook-list") => {
                if let Some(extra) = words.next() {
                    return Err(format!("unexpected argument {extra:?}"));
                }
                Action::WebhookList
            }
            Some("webhook-get") => Action::WebhookGet(single_id(words, "webhook-get")?),
            Some("webhook-delete") => Action::WebhookDelete(single_id(words, "webhook-delete")?),
            Some(other) => return Err(format!("unknown command {other:?}")),
        };
        Ok(Command {
            action,
            sandbox,
            key_in_query,
        })
    }
}

fn value(words: &mut impl Iterator<Item = String>, flag: &str) -> Result<String, String> {
    words.next().ok_or_else(|| format!("{flag} needs a value"))
}

fn id_arg(word: Option<String>, command: &str) -> Result<i64, String> {
    let word = word.ok_or_else(|| format!("{command} needs an ID"))?;
    word.parse()
        .map_err(|_| format!("{word:?} is not a numeric ID"))
}

fn single_id(mut words: impl Iterator<Item = String>, command: &str) -> Result<i64, String> {
    let id = id_arg(words.next(), command)?;
    match words.next() {
        Some(extra) => Err(format!("unexpected argument {extra:?}")),
        None => Ok(id),
    }
}

/// Parses a known value of a generated enum; the enums also accept unknown values (so
/// responses with new values still decode), but a typo on the command line should not.
fn known<T: serde::de::DeserializeOwned + ToString>(
    word: &str,
    what: &str,
    valid: &[&str],
) -> Result<T, String> {
    if !valid.contains(&word) {
        return Err(format!(
            "{word:?} is not a valid {what}; expected one of: {}",
            valid.join(", ")
        ));
    }
    serde_json::from_value(serde_json::Value::String(word.to_owned())).map_err(|e| e.to_string())
}

/// A boolean flag: `--flag` alone means true, `--flag true` / `--flag false` say which.
fn boolean(
    words: &mut std::iter::Peekable<impl Iterator<Item = String>>,
    slot: &mut Option<bool>,
    flag: &str,
) -> Result<(), String> {
    let value = match words.peek().map(String::as_str) {
        Some("true") => true,
        Some("false") => false,
        _ => {
            return set_once(slot, true, flag);
        }
    };
    words.next();
    set_once(slot, value, flag)
}

fn set_once(slot: &mut Option<bool>, value: bool, flag: &str) -> Result<(), String> {
    match slot.replace(value) {
        Some(previous) if previous != value => Err(format!("{flag} contradicts an earlier flag")),
        _ => Ok(()),
    }
}

fn subscription_flags(words: impl Iterator<Item = String>) -> Result<SubscriptionFlags, String> {
    let mut words = words.peekable();
    let mut flags = SubscriptionFlags::default();
    let mut target_type = None;
    let mut target_id = None;
    while let Some(flag) = words.next() {
        match flag.as_str() {
            "--direction" => {
                let word = value(&mut words, "--direction")?;
                flags.direction = Some(known(&word, "direction", &["inbound", "outbound", "all"])?);
            }
            "--endpoint-id" => flags.endpoint_id = Some(id_arg(words.next(), "--endpoint-id")?),
            "--target-type" => {
                let word = value(&mut words, "--target-type")?;
                let valid = [
                    "room",
                    "callrouter",
                    "channel",
                    "coachingteam",
                    "staffgroup",
                    "callcenter",
                    "department",
                    "office",
                    "unknown",
                    "user",
                    "coachinggroup",
                ];
                target_type = Some(known(&word, "target type", &valid)?);
            }
            "--target-id" => target_id = Some(id_arg(words.next(), "--target-id")?),
            "--include-internal" => boolean(&mut words, &mut flags.include_internal, &flag)?,
            "--status" => boolean(&mut words, &mut flags.status, &flag)?,
            "--enabled" => set_once(&mut flags.enabled, true, "--enabled")?,
            "--disabled" => set_once(&mut flags.enabled, false, "--disabled")?,
            "--no-target" => flags.no_target = true,
            other => return Err(format!("unknown flag {other:?}")),
        }
    }
    flags.target = match (target_type, target_id) {
        (Some(kind), Some(id)) => Some((kind, id)),
        (None, None) => None,
        _ => return Err("--target-type and --target-id go together".into()),
    };
    if flags.no_target && flags.target.is_some() {
        return Err("--no-target contradicts --target-type/--target-id".into());
    }
    Ok(flags)
}

/// The generated client, and the runtime core it wraps (for the one raw request).
fn client(command: &Command) -> Result<(Client, ClientCore), String> {
    let key = std::env::var("DIALPAD_API_KEY")
        .ok()
        .filter(|key| !key.trim().is_empty())
        .ok_or(
            "DIALPAD_API_KEY is not set; export your Dialpad API key first (no request was sent)",
        )?;
    let base_url = if command.sandbox {
        Server::Sandbox.url().to_owned()
    } else {
        std::env::var("DIALPAD_BASE_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| Server::Production.url().to_owned())
    };
    let auth = if command.key_in_query {
        Auth::api_key_query("apikey", key)
    } else {
        Auth::bearer(key)
    };
    // The spec's rate limit, as `Client::builder()` sets it.
    let core = ClientCoreBuilder::new(&base_url)
        .auth(auth)
        .rate_limit(RateLimit::new(1200, std::time::Duration::from_secs(60)))
        .build()
        .map_err(|err| err.to_string())?;
    Ok((Client::from_core(core.clone()), core))
}

/// One line for stderr: the error's own message (operation, server, attempts, status, body).
fn describe<E>(err: forge_runtime::Error<E>) -> String {
    err.to_string().replace('\n', " ")
}

/// Prints `value` as one line of JSON, with every integer field named `id` or `..._id` as a
/// string: the API sends these 64-bit ids as strings, and a JSON number above 2^53 loses
/// digits in tools that read numbers as doubles.
fn print<T: serde::Serialize>(value: &T) -> Result<(), String> {
    let mut value = serde_json::to_value(value).map_err(|e| e.to_string())?;
    ids_as_strings(&mut value);
    println!("{value}");
    Ok(())
}

fn ids_as_strings(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                let is_id = name == "id" || name.ends_with("_id");
                match field {
                    serde_json::Value::Number(n) if is_id && (n.is_i64() || n.is_u64()) => {
                        *field = serde_json::Value::String(n.to_string());
                    }
                    other => ids_as_strings(other),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(ids_as_strings),
        _ => {}
    }
}

fn create_body(flags: SubscriptionFlags) -> Result<CreateSmsSubscription, String> {
    let direction = flags.direction.ok_or("create needs --direction")?;
    let mut body = CreateSmsSubscription::new(direction);
    body.endpoint_id = flags.endpoint_id;
    body.include_internal = flags.include_internal;
    body.status = flags.status;
    body.enabled = flags.enabled;
    if let Some((kind, id)) = flags.target {
        body.target_type = kind.into();
        body.target_id = Some(id);
    }
    Ok(body)
}

fn update_body(flags: SubscriptionFlags) -> UpdateSmsSubscription {
    let mut body = UpdateSmsSubscription {
        direction: flags.direction,
        endpoint_id: flags.endpoint_id,
        include_internal: flags.include_internal,
        status: flags.status,
        enabled: flags.enabled,
        ..UpdateSmsSubscription::default()
    };
    if let Some((kind, id)) = flags.target {
        body.target_type = kind.into();
        body.target_id = Some(id);
    }
    body
}

/// Prints every item of a paginated listing, one JSON object per line; the stream follows
/// the cursors and stops at the first error.
async fn print_all<T: serde::Serialize>(
    mut items: dialpad_sms_subscriptions::Paged<'_, T>,
) -> Result<(), String> {
    while let Some(item) = items.next().await {
        print(&item.map_err(describe)?)?;
    }
    Ok(())
}

/// `updateSmsSubscription`, described for the raw request of `update --no-target`.
static UPDATE_SMS_SUBSCRIPTION: Operation = Operation {
    id: "updateSmsSubscription",
    method: Method::PATCH,
    path: "/api/v2/subscriptions/sms/{id}",
};

/// `update ID --no-target ...`: the typed body as JSON plus explicit `null` target fields,
/// sent through the raw request API (the generated body type cannot say `null`).
async fn update_clearing_target(
    core: &ClientCore,
    id: i64,
    flags: SubscriptionFlags,
) -> Result<SmsSubscription, String> {
    let mut body = serde_json::to_value(update_body(flags)).map_err(|e| e.to_string())?;
    if let serde_json::Value::Object(fields) = &mut body {
        fields.insert("target_type".into(), serde_json::Value::Null);
        fields.insert("target_id".into(), serde_json::Value::Null);
    }
    let path = format!("/api/v2/subscriptions/sms/{}", path_param(&id));
    core.request(&UPDATE_SMS_SUBSCRIPTION, path)
        .json(&body)
        .send_json()
        .await
        .map_err(describe)
}

async fn run(command: Command) -> Result<(), String> {
    let (client, core) = client(&command)?;
    match command.action {
        Action::Help => Ok(()),
        Action::Create(flags) => {
            let created = client
                .create_sms_subscription(&create_body(flags)?)
                .await
                .map_err(describe)?;
            print(&created)
        }
        Action::List(target) => {
            let mut list = client.list_sms_subscriptions();
            if let Some((kind, id)) = target {
                list = list.target_type(kind).target_id(id);
            }
            print_all(list.stream()).await
        }
        Action::Get(id) => print(&client.get_sms_subscription(id).await.map_err(describe)?),
        Action::Update(id, flags) if flags.no_target => {
            print(&update_clearing_target(&core, id, flags).await?)
        }
        Action::Update(id, flags) => print(
            &client
                .update_sms_subscription(id, &update_body(flags))
                .await
                .map_err(describe)?,
        ),
        Action::Delete(id) => print(&client.delete_sms_subscription(id).await.map_err(describe)?),
        Action::WebhookCreate { url, secret } => {
            let mut body = CreateWebhook::new(url);
            body.secret = secret;
            print(&client.create_webhook(&body).await.map_err(describe)?)
        }
        Action::WebhookList => print_all(client.list_webhooks().stream()).await,
        Action::WebhookGet(id) => print(&client.get_webhook(id).await.map_err(describe)?),
        Action::WebhookDelete(id) => print(&client.delete_webhook(id).await.map_err(describe)?),
    }
}
