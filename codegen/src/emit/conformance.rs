//! Emission of the conformance test: `tests/conformance.json` holds, for every operation, a
//! value for each argument of its call (the spec's example where it gives one, else a value
//! synthesized from the type), and `tests/conformance.rs` calls every operation through the
//! generated client with those values, against the server `FORGE_CONFORMANCE_URL` names
//! (a validating mock such as Prism, serving the same spec).
//!
//! The values are JSON data read at run time and decoded into the typed arguments, so no
//! spec text becomes code; the test prints one `conformance {json}` line per call (what the
//! server answered and whether the answer decoded) and fails when a call did not succeed.
//! Synthesis (the `synthesis` module) works on the IR alone: types, formats, enums, required
//! properties, discriminators and the validation keywords the IR carries ([`Constraints`]).

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{json, Map, Value};

mod synthesis;

use super::{docs, ident, type_tokens, Context};
use crate::ir::{Api, BodyEncoding, Constraints, Operation, Param, ParamLocation, Success};
use crate::naming;
use synthesis::{sample, SAMPLE_BYTES, SAMPLE_STRING};

/// The environment variable with the base URL of the server the test calls.
pub const URL_VAR: &str = "FORGE_CONFORMANCE_URL";
/// The environment variable whose value, when set, is sent as the `Prefer` header of every
/// call (Prism reads `dynamic=true` and `code=...` from it).
pub const PREFER_VAR: &str = "FORGE_CONFORMANCE_PREFER";
/// The environment variable that, when set, names the only operations to call
/// (comma-separated operation ids), e.g. to go on after the server stopped.
pub const ONLY_VAR: &str = "FORGE_CONFORMANCE_ONLY";

/// One argument value, the spec examples it was built from and, when it was built from
/// examples, a synthesized value to send instead should the example not decode into the
/// argument's type (the spec contradicts itself; the operation is still called).
struct Argument {
    value: Value,
    examples: Vec<String>,
    synthesized: Option<Value>,
}

/// The argument values as one JSON object: operation id to `{"pointer": <the operation's
/// JSON pointer>, "args": {name: {"in": ..., "wire": ..., "value": ..., "examples":
/// [pointer, ...], "synthesized": ...}}}`, where `name` is the Rust name (the body's is
/// `body`), `in` is `path`, `query`, `header`, `cookie` or `body` and `wire` the parameter's
/// name on the wire. `examples` lists the JSON pointers of the spec examples the value
/// contains (empty when it is synthesized), so a server that refuses the value can be blamed
/// on the spec; `synthesized`, present only when `examples` is not empty, is the value the
/// test sends when the example does not decode into the argument's type.
pub fn data_file(api: &Api) -> String {
    let mut map = Map::new();
    for op in &api.operations {
        let mut args = Map::new();
        for param in &op.params {
            if let Some(argument) = param_argument(api, op, param) {
                let location = match param.location {
                    ParamLocation::Path => "path",
                    ParamLocation::Query => "query",
                    ParamLocation::Header => "header",
                    ParamLocation::Cookie => "cookie",
                };
                let value = argument_json(argument, location, &param.wire);
                args.insert(param.name.clone(), value);
            }
        }
        if let Some(body) = &op.body {
            let value = argument_json(body_argument(api, op, body), "body", "");
            args.insert("body".to_owned(), value);
        }
        map.insert(
            op.id.clone(),
            json!({ "pointer": op.pointer, "args": args }),
        );
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_default();
    text.push('\n');
    text
}

fn argument_json(argument: Argument, location: &str, wire: &str) -> Value {
    let mut value = json!({
        "in": location,
        "wire": wire,
        "value": argument.value,
        "examples": argument.examples,
    });
    if let Some(synthesized) = argument.synthesized {
        value["synthesized"] = synthesized;
    }
    value
}

/// The value of a parameter: its example, else (required parameters only) a synthesized
/// one. Optional parameters without an example are left out of the call.
fn param_argument(api: &Api, op: &Operation, param: &Param) -> Option<Argument> {
    let synthesize = || {
        let mut examples = Vec::new();
        let value = sample(api, &param.ty, &param.constraints, &mut examples);
        Argument {
            value,
            examples,
            synthesized: None,
        }
    };
    if let Some(mut example) = param_example(api, op, param) {
        example.synthesized = Some(synthesize().value);
        return Some(example);
    }
    param.required.then(synthesize)
}

/// The parameter's own example (`example` or the first of `examples`), found by the name
/// lowering gives it: `<operation type prefix>_param_<wire name>`, snake case (the type
/// prefix is the builder's name).
fn param_example(api: &Api, op: &Operation, param: &Param) -> Option<Argument> {
    let prefix = &op.builder;
    let base = naming::snake(&format!("{prefix}_param_{}", param.wire));
    api.examples
        .iter()
        .filter(|example| example.ty == param.ty)
        .find(|example| {
            example.name == base
                || example
                    .name
                    .strip_prefix(&base)
                    .is_some_and(|rest| rest.starts_with('_'))
        })
        .and_then(|example| {
            Some(Argument {
                value: serde_json::from_str(&example.json).ok()?,
                examples: vec![example.pointer.clone()],
                synthesized: None,
            })
        })
}

/// The body's value: the first example of the request body's media type, else one
/// synthesized from its type.
fn body_argument(api: &Api, op: &Operation, body: &crate::ir::Body) -> Argument {
    let prefix = format!("{}/requestBody/", op.pointer);
    let mut examples = Vec::new();
    let synthesized = match &body.encoding {
        BodyEncoding::Text(_) => Value::String(SAMPLE_STRING.into()),
        BodyEncoding::Bytes(_) => Value::String(SAMPLE_BYTES.into()),
        _ => sample(api, &body.ty, &Constraints::default(), &mut examples),
    };
    let example = api
        .examples
        .iter()
        .filter(|example| example.ty == body.ty)
        .find(|example| example.pointer.starts_with(&prefix))
        .and_then(|example| Some((serde_json::from_str(&example.json).ok()?, example)));
    match example {
        Some((value, example)) => Argument {
            value,
            examples: vec![example.pointer.clone()],
            synthesized: Some(synthesized),
        },
        None => Argument {
            value: synthesized,
            examples,
            synthesized: None,
        },
    }
}

/// The test file, or `None` when no operation can be called.
pub fn test_file(cx: &Context, crate_ident: &str) -> Option<TokenStream> {
    let api = cx.api;
    let runtime = cx.runtime();
    let ops = &api.operations;
    if ops.is_empty() {
        return None;
    }
    let krate = ident(crate_ident);
    let calls = ops.iter().map(|op| {
        let id = &op.id;
        let function = ident(&format!("call_{}", op.method_name));
        quote! { (#id, #function) }
    });
    let functions = ops.iter().map(|op| call_function(cx, op));
    let clients = client_builders(cx);
    let events = ops
        .iter()
        .any(|op| matches!(op.success, Success::EventStream(_)))
        .then(|| events_function(cx));
    let url_var = URL_VAR;
    let prefer_var = PREFER_VAR;
    let only_var = ONLY_VAR;
    let doc = docs::inner(&format!(
        "Calls every operation of the API through the generated client, with the arguments \
         in `conformance.json`, against the server whose base URL is in `{URL_VAR}` (a \
         validating mock such as Prism serving the same spec; the test is skipped when the \
         variable is not set). `{PREFER_VAR}`, when set, is sent as the `Prefer` header; \
         `{ONLY_VAR}`, when set, names the only operations to call (comma-separated ids). \
         An argument whose spec example does not decode into its type is sent with its \
         synthesized value instead, and the call's line lists it under `example_faults`. \
         Prints one `conformance {{json}}` line per call and fails when a call did not \
         succeed."
    ));
    Some(quote! {
        #doc
        use ::serde::de::DeserializeOwned;
        use #runtime::serde_json::{self, json, Value};
        use #runtime::{Error, ErrorKind};
        use #krate::{types, Client, ClientBuilder};
        use tokio::runtime::Runtime;

        const VALUES: &str = include_str!("conformance.json");

        /// The variable with the server's base URL.
        const URL_VAR: &str = #url_var;

        /// The variable with the `Prefer` header's value, if any.
        const PREFER_VAR: &str = #prefer_var;

        /// The variable with the only operations to call, if any (comma-separated ids).
        const ONLY_VAR: &str = #only_var;

        /// Calls one operation with its arguments from `conformance.json`; what happened.
        type Call = fn(&Runtime, &Client, &Value) -> Value;

        /// Every operation the test calls, by id. One small function each, called in turn,
        /// keeps the test quick to compile (one `async` block holding every call is not).
        const CALLS: &[(&str, Call)] = &[#(#calls),*];

        #[test]
        fn conformance() {
            let Ok(base) = std::env::var(URL_VAR) else {
                eprintln!("skipped: set {URL_VAR} to the base URL of a server for this API");
                return;
            };
            let prefer = std::env::var(PREFER_VAR).ok();
            let only = std::env::var(ONLY_VAR).ok();
            let wanted = |operation: &str| {
                only.as_deref()
                    .is_none_or(|only| only.split(',').any(|id| id == operation))
            };
            let values: Value = serde_json::from_str(VALUES).expect("conformance.json is JSON");
            let clients = clients(&base, prefer.as_deref());
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a Tokio runtime");
            let mut failed = Vec::new();
            for (operation, call) in CALLS.iter().filter(|(operation, _)| wanted(operation)) {
                // Each way of authenticating in turn, until one gives a decoded answer: a
                // server refuses a credential the operation does not accept with 401 or 403,
                // or, like Prism, with whatever the spec documents for it (often `default`).
                // The outcome is the decoded one, else the first that is not a refusal.
                let mut tried = Vec::new();
                for client in &clients {
                    let outcome = call(&runtime, client, &values);
                    let faults = EXAMPLE_FAULTS.with(|faults| faults.take());
                    let decoded = outcome["result"] == "decoded";
                    tried.push((outcome, faults));
                    if decoded {
                        break;
                    }
                }
                let refusal = |outcome: &Value| matches!(outcome["status"].as_u64(), Some(401 | 403));
                let chosen = tried
                    .iter()
                    .position(|(outcome, _)| outcome["result"] == "decoded")
                    .or_else(|| tried.iter().position(|(outcome, _)| !refusal(outcome)))
                    .unwrap_or(0);
                let (mut outcome, example_faults) = tried.swap_remove(chosen);
                outcome["operation"] = json!(operation);
                if !example_faults.is_empty() {
                    outcome["example_faults"] = Value::Array(example_faults);
                }
                println!("conformance {outcome}");
                if outcome["result"] != "decoded" {
                    failed.push(*operation);
                }
            }
            assert!(failed.is_empty(), "operations that did not succeed: {failed:?}");
        }

        #clients

        thread_local! {
            /// The arguments of the current call whose example did not decode into their
            /// type, so that the synthesized value was sent instead (why, per argument).
            static EXAMPLE_FAULTS: std::cell::RefCell<Vec<Value>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }

        /// The value of the argument `name` of `operation`: its `value`, else, when that is a
        /// spec example that does not decode into `T`, its `synthesized` value (the fault is
        /// noted in `EXAMPLE_FAULTS`).
        fn arg<T: DeserializeOwned>(values: &Value, operation: &str, name: &str) -> Result<T, String> {
            let argument = &values[operation]["args"][name];
            let error = match serde_json::from_value(argument["value"].clone()) {
                Ok(value) => return Ok(value),
                Err(error) => format!("argument {name}: {error}"),
            };
            let Some(synthesized) = argument.get("synthesized") else {
                return Err(error);
            };
            let value = serde_json::from_value(synthesized.clone())
                .map_err(|e| format!("argument {name} (synthesized): {e}"))?;
            EXAMPLE_FAULTS.with(|faults| {
                faults.borrow_mut().push(json!({"argument": name, "error": error}));
            });
            Ok(value)
        }

        /// The value of the optional argument `name` of `operation`, if it has one.
        fn optional<T: DeserializeOwned>(
            values: &Value,
            operation: &str,
            name: &str,
        ) -> Result<Option<T>, String> {
            match values[operation]["args"].get(name) {
                Some(_) => arg(values, operation, name).map(Some),
                None => Ok(None),
            }
        }

        /// What a call gave, as the JSON the test prints.
        fn outcome<T, E>(result: Result<T, Error<E>>) -> Value {
            let error = match result {
                Ok(_) => return json!({"result": "decoded"}),
                Err(error) => error,
            };
            match error.kind() {
                ErrorKind::Status { status, body, .. } => {
                    json!({"result": "status", "status": status.as_u16(), "body": body})
                }
                ErrorKind::Decode { status, body_excerpt, source } => json!({
                    "result": "decode",
                    "status": status.as_u16(),
                    "error": source.to_string(),
                    "body": body_excerpt,
                }),
                ErrorKind::InvalidRequest(message) => {
                    json!({"result": "invalid request", "error": message})
                }
                _ => json!({"result": "error", "error": error.to_string()}),
            }
        }

        #events

        #(#functions)*
    })
}

/// `clients(base, prefer)`: one client per security scheme, then one per security
/// requirement that names several schemes (each with placeholder credentials), or one
/// without credentials when the spec has none; no retries and no rate limit, so that every
/// answer is the server's first.
fn client_builders(cx: &Context) -> TokenStream {
    let runtime = cx.runtime();
    let [base_url, http_client, retry, no_rate_limit, build] = [
        naming::reserved::BASE_URL,
        naming::reserved::HTTP_CLIENT,
        naming::reserved::RETRY,
        naming::reserved::NO_RATE_LIMIT,
        naming::reserved::BUILD,
    ]
    .map(ident);
    let schemes: Vec<TokenStream> = cx
        .api
        .security
        .iter()
        .map(|scheme| {
            let method = ident(&scheme.method);
            match scheme.kind {
                crate::ir::AuthKind::Basic => {
                    quote! { |b: ClientBuilder| b.#method("conformance", Some("conformance".to_owned())) }
                }
                _ => quote! { |b: ClientBuilder| b.#method("conformance") },
            }
        })
        .chain(cx.api.security_requirements.iter().map(|requirement| {
            let method = ident(&requirement.method);
            let credentials = requirement
                .schemes
                .iter()
                .filter_map(|key| cx.api.security.iter().find(|scheme| &scheme.key == key))
                .map(|scheme| match scheme.kind {
                    crate::ir::AuthKind::Basic => {
                        quote! { "conformance", Some("conformance".to_owned()) }
                    }
                    _ => quote! { "conformance" },
                });
            quote! { |b: ClientBuilder| b.#method(#(#credentials),*) }
        }))
        .collect();
    let schemes = if schemes.is_empty() {
        vec![quote! { |b: ClientBuilder| b }]
    } else {
        schemes
    };
    quote! {
        /// One client per way of authenticating (each security scheme alone, then each
        /// requirement of several schemes), each sending `prefer` as `Prefer`.
        fn clients(base: &str, prefer: Option<&str>) -> Vec<Client> {
            use #runtime::reqwest;
            let mut headers = reqwest::header::HeaderMap::new();
            if let Some(prefer) = prefer {
                let value = reqwest::header::HeaderValue::from_str(prefer).expect("a header value");
                headers.insert("prefer", value);
            }
            let http = reqwest::Client::builder()
                .default_headers(headers)
                .build()
                .expect("an HTTP client");
            let schemes: Vec<fn(ClientBuilder) -> ClientBuilder> = vec![#(#schemes),*];
            schemes
                .into_iter()
                .map(|scheme| {
                    let builder = Client::builder()
                        .#base_url(base)
                        .#http_client(http.clone())
                        .#retry(#runtime::RetryPolicy::disabled())
                        .#no_rate_limit();
                    scheme(builder).#build().expect("a client")
                })
                .collect()
        }
    }
}

/// `call_<method>(runtime, client, values)`: decodes the operation's arguments and calls it.
fn call_function(cx: &Context, op: &Operation) -> TokenStream {
    let id = &op.id;
    let function = ident(&format!("call_{}", op.method_name));
    let types = quote! { types:: };
    let mut lets = Vec::new();
    let mut path_args = Vec::new();
    for param in super::builders::path_params(op) {
        let name = ident(&param.name);
        let key = &param.name;
        let ty = type_tokens(cx, &param.ty, &types);
        lets.push(quote! { let #name: #ty = arg(values, #id, #key)?; });
        path_args.push(if super::builders::path_param_by_value(&param.ty) {
            quote! { #name }
        } else {
            quote! { &#name }
        });
    }
    call_expression(cx, op, &mut lets, path_args);
    let result = if matches!(op.success, Success::EventStream(_)) {
        quote! { runtime.block_on(events(request.stream())) }
    } else {
        quote! { outcome(runtime.block_on(request.send())) }
    };
    quote! {
        fn #function(runtime: &Runtime, client: &Client, values: &Value) -> Value {
            let call = || -> Result<Value, String> {
                #(#lets)*
                Ok(#result)
            };
            call().unwrap_or_else(|error| json!({"result": "arguments", "error": error}))
        }
    }
}

/// The statements that build the call's `request` through the client's request builder:
/// path arguments, required query, header and cookie arguments, the body; optional
/// parameters through their setters when they have a value.
fn call_expression(
    cx: &Context,
    op: &Operation,
    lets: &mut Vec<TokenStream>,
    mut args: Vec<TokenStream>,
) {
    let id = &op.id;
    let types = quote! { types:: };
    for param in super::client::required_arguments(op) {
        let name = ident(&param.name);
        let key = &param.name;
        let ty = type_tokens(cx, &param.ty, &types);
        lets.push(quote! { let #name: #ty = arg(values, #id, #key)?; });
        args.push(quote! { #name });
    }
    if let Some(body) = &op.body {
        match &body.encoding {
            BodyEncoding::Text(_) => {
                lets.push(quote! { let body: String = arg(values, #id, "body")?; });
                args.push(quote! { body });
            }
            BodyEncoding::Bytes(_) => {
                lets.push(quote! { let body: String = arg(values, #id, "body")?; });
                args.push(quote! { body.into_bytes() });
            }
            _ => {
                let ty = type_tokens(cx, &body.ty, &types);
                lets.push(quote! { let body: #ty = arg(values, #id, "body")?; });
                args.push(quote! { &body });
            }
        }
    }
    let method = ident(&op.method_name);
    let optional: Vec<&Param> = op.struct_params().filter(|p| !p.required).collect();
    let binding = if optional.is_empty() {
        quote! { let request }
    } else {
        quote! { let mut request }
    };
    lets.push(quote! { #binding = client.#method(#(#args),*); });
    for param in optional {
        let setter = ident(&param.name);
        let key = &param.name;
        let ty = type_tokens(cx, &param.ty, &types);
        lets.push(quote! {
            if let Some(value) = optional::<#ty>(values, #id, #key)? {
                request = request.#setter(value);
            }
        });
    }
}

/// `events(stream)`: reads an event stream (`text/event-stream` answers) to its end, at most
/// `MAX_EVENTS` events with at most `EVENT_WAIT` between two; `decoded` with the number of
/// events when every event's data decoded, else what the first error was.
fn events_function(cx: &Context) -> TokenStream {
    let runtime = cx.runtime();
    quote! {
        /// How many events of a stream the test reads at most.
        const MAX_EVENTS: usize = 16;

        /// How long the test waits for the next event (or the end) of a stream.
        const EVENT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

        /// Reads `stream` to its end, or `MAX_EVENTS` events: `decoded` when every event's
        /// data decoded; a stream that neither sends nor ends within `EVENT_WAIT` gave no
        /// answer, unless it sent events before.
        async fn events<T>(mut stream: #runtime::sse::EventStream<'_, T>) -> Value {
            use #runtime::StreamExt as _;
            let mut read = 0;
            while read < MAX_EVENTS {
                match tokio::time::timeout(EVENT_WAIT, stream.next()).await {
                    Ok(Some(Ok(_))) => read += 1,
                    Ok(Some(Err(error))) => return outcome(Err::<(), _>(error)),
                    Ok(None) => break,
                    Err(_) if read > 0 => break,
                    Err(_) => {
                        return json!({
                            "result": "error",
                            "error": format!("no event and no end within {EVENT_WAIT:?}"),
                        })
                    }
                }
            }
            json!({"result": "decoded", "events": read})
        }
    }
}
