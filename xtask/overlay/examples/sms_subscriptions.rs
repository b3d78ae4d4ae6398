//! Manage Dialpad SMS event subscriptions from the command line.
//!
//! ```text
//! cargo run -p dialpad-sms-subscriptions --example sms_subscriptions -- <command>
//!
//! commands:
//!   create --direction D [--endpoint-id N] [--target-type T --target-id N]
//!          [--include-internal] [--status] [--disabled]
//!   list [--target-type T --target-id N]      every page, one JSON object per line
//!   get ID
//!   update ID [--direction D] [--endpoint-id N] [--target-type T --target-id N]
//!          [--include-internal] [--status] [--disabled]
//!   delete ID
//!   webhook-create --url URL [--secret S]
//!   webhook-list | webhook-get ID | webhook-delete ID
//!
//! options (anywhere): --sandbox   use https://sandbox.dialpad.com
//!                     --key-in-query   send the key as `?apikey=` instead of a bearer token
//! environment: DIALPAD_API_KEY (required), DIALPAD_BASE_URL (default https://dialpad.com)
//! ```
//!
//! Results go to stdout as JSON. On failure one line goes to stderr, naming the HTTP status
//! when the server answered, and the exit status is 1 (2 for a usage error).

use std::process::ExitCode;

use dialpad_sms_subscriptions::params::{ListSmsSubscriptionsParams, ListWebhooksParams};
use dialpad_sms_subscriptions::types::{
    CreateSmsSubscription, CreateWebhook, SmsSubscriptionDirection, SubscriptionTargetType,
    UpdateSmsSubscription,
};
use dialpad_sms_subscriptions::StreamExt;
use dialpad_sms_subscriptions::{Client, Server};

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
     [--include-internal] [--status] [--disabled] | list [--target-type T --target-id N] | \
     get ID | update ID [create's flags] | delete ID | webhook-create --url URL [--secret S] | \
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
    include_internal: bool,
    status: bool,
    disabled: bool,
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
                Action::Create(flags)
            }
            Some("update") => {
                let id = id_arg(words.next(), "update")?;
                Action::Update(id, subscription_flags(words)?)
            }
            Some("list") => {
                let flags = subscription_flags(words)?;
                if flags.direction.is_some()
                    || flags.endpoint_id.is_some()
                    || flags.include_internal
                    || flags.status
                    || flags.disabled
                {
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

fn subscription_flags(
    mut words: impl Iterator<Item = String>,
) -> Result<SubscriptionFlags, String> {
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
            "--include-internal" => flags.include_internal = true,
            "--status" => flags.status = true,
            "--disabled" => flags.disabled = true,
            other => return Err(format!("unknown flag {other:?}")),
        }
    }
    flags.target = match (target_type, target_id) {
        (Some(kind), Some(id)) => Some((kind, id)),
        (None, None) => None,
        _ => return Err("--target-type and --target-id go together".into()),
    };
    Ok(flags)
}

fn client(command: &Command) -> Result<Client, String> {
    let key = std::env::var("DIALPAD_API_KEY")
        .ok()
        .filter(|key| !key.trim().is_empty())
        .ok_or(
            "DIALPAD_API_KEY is not set; export your Dialpad API key first (no request was sent)",
        )?;
    let mut builder = Client::builder();
    if command.sandbox {
        builder = builder.server(Server::Sandbox);
    } else if let Some(url) = std::env::var("DIALPAD_BASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    {
        builder = builder.base_url(url);
    }
    builder = if command.key_in_query {
        builder.api_key(key)
    } else {
        builder.bearer_auth(key)
    };
    builder.build().map_err(|err| err.to_string())
}

/// One line for stderr: the HTTP status first when there is one.
fn describe(err: dialpad_sms_subscriptions::Error) -> String {
    let text = err.to_string().replace('\n', " ");
    match err.status() {
        Some(status) => format!("HTTP {status}: {text}"),
        None => text,
    }
}

fn print<T: serde::Serialize>(value: &T) -> Result<(), String> {
    let line = serde_json::to_string(value).map_err(|e| e.to_string())?;
    println!("{line}");
    Ok(())
}

fn create_body(flags: SubscriptionFlags) -> Result<CreateSmsSubscription, String> {
    let direction = flags.direction.ok_or("create needs --direction")?;
    let mut body = CreateSmsSubscription::new(direction);
    body.endpoint_id = flags.endpoint_id;
    body.include_internal = flags.include_internal.then_some(true);
    body.status = flags.status.then_some(true);
    body.enabled = flags.disabled.then_some(false);
    if let Some((kind, id)) = flags.target {
        body.target_type = Some(kind);
        body.target_id = Some(id);
    }
    Ok(body)
}

fn update_body(flags: SubscriptionFlags) -> UpdateSmsSubscription {
    let mut body = UpdateSmsSubscription {
        direction: flags.direction,
        endpoint_id: flags.endpoint_id,
        include_internal: flags.include_internal.then_some(true),
        status: flags.status.then_some(true),
        enabled: flags.disabled.then_some(false),
        ..UpdateSmsSubscription::default()
    };
    if let Some((kind, id)) = flags.target {
        body.target_type = Some(kind);
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

async fn run(command: Command) -> Result<(), String> {
    let client = client(&command)?;
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
            let mut params = ListSmsSubscriptionsParams::default();
            if let Some((kind, id)) = target {
                params.target_type = Some(kind);
                params.target_id = Some(id);
            }
            print_all(client.list_sms_subscriptions_stream(&params)).await
        }
        Action::Get(id) => print(&client.get_sms_subscription(id).await.map_err(describe)?),
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
        Action::WebhookList => {
            print_all(client.list_webhooks_stream(&ListWebhooksParams::default())).await
        }
        Action::WebhookGet(id) => print(&client.get_webhook(id).await.map_err(describe)?),
        Action::WebhookDelete(id) => print(&client.delete_webhook(id).await.map_err(describe)?),
    }
}
