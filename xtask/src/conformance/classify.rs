//! What one call of the conformance test means: whether Prism found the request valid,
//! whether the answer decoded, and, when something failed, whose fault it was.
//!
//! The input is one `conformance {json}` line of the generated test (see
//! `forge_codegen::emit::conformance`) and the operation's entry of `conformance.json` (its
//! pointer and where each argument came from). Prism runs with `--errors`, so:
//!
//! | what the client got | meaning |
//! |---|---|
//! | a decoded answer | request valid, answer decoded |
//! | 422 `#UNPROCESSABLE_ENTITY` with `validation` | request invalid; each violation is blamed on the argument it names |
//! | 500 `#VIOLATIONS` about the `response` | request valid; the answer Prism would send contradicts the schema |
//! | 401/403, 404, 405, 406, 415 from Prism | request refused (credentials, path, method, media types) |
//! | a 2xx that does not decode | request valid; Prism checked the answer, so the decoder is wrong |
//!
//! A request violation of an argument built from a spec example is the spec's fault (the
//! example contradicts its schema), located by the example's JSON pointer, and so is one of
//! a path parameter the operation does not have when the spec has another path identical to
//! the operation's but for the names of its parameters (Prism routed the request there),
//! located by that path's pointer (see [`super::annotate`]). One of a query parameter the
//! client did not send, or of one Prism cannot read as sent (an exploded form object whose
//! properties are in `oneOf` members), is Prism's. One of a
//! synthesized argument that breaks a constraint the IR does not carry (`minLength`,
//! `pattern`, ...) is the synthesis' limit; any other is the generator's.

use serde_json::Value;

/// Whose fault a failed call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cause {
    /// The generated client sent something wrong or could not read a valid answer.
    Generator,
    /// The spec contradicts itself (an example that does not match its schema).
    Spec,
    /// The synthesized arguments break a constraint the generator's IR does not carry.
    Synthesis,
    /// Prism could not answer (its own generated answer is invalid, or it failed).
    Prism,
}

impl Cause {
    /// The label in the report.
    pub fn label(self) -> &'static str {
        match self {
            Cause::Generator => "generator",
            Cause::Spec => "spec",
            Cause::Synthesis => "synthesis",
            Cause::Prism => "prism",
        }
    }
}

/// The verdict on one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Whether Prism accepted the request (`None` when it cannot be told).
    pub request_valid: Option<bool>,
    /// Whether the answer decoded.
    pub decoded: bool,
    /// Why not, when the call failed.
    pub failure: Option<Failure>,
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Whose fault it is.
    pub cause: Cause,
    /// One line.
    pub reason: String,
    /// JSON pointer of the spec location at fault (spec faults).
    pub pointer: Option<String>,
}

fn fail(
    request_valid: Option<bool>,
    cause: Cause,
    reason: String,
    pointer: Option<String>,
) -> Verdict {
    Verdict {
        request_valid,
        decoded: false,
        failure: Some(Failure {
            cause,
            reason,
            pointer,
        }),
    }
}

/// Constraint keywords (JSON Schema validation, as Prism's `code`) that synthesis does not
/// honour because the IR does not carry them.
const UNCARRIED: &[&str] = &[
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

/// Classifies one call: `outcome` is the test's JSON line, `operation` the operation's entry
/// of `conformance.json`, `dynamic` whether Prism made the answer up from the schema.
pub fn classify(outcome: &Value, operation: &Value, dynamic: bool) -> Verdict {
    let result = outcome["result"].as_str().unwrap_or("");
    let status = outcome["status"].as_u64();
    match result {
        "decoded" => Verdict {
            request_valid: Some(true),
            decoded: true,
            failure: None,
        },
        // Prism makes up integers from `type` and bounds alone: a `format` such as `uint32`
        // or `int16` does not bound them, and the field's Rust type does.
        "decode" if dynamic && outside_integer_format(&text(&outcome["error"])) => fail(
            Some(true),
            Cause::Prism,
            format!(
                "Prism's made-up {} answer has an integer outside its `format`'s range: {}",
                status.unwrap_or(0),
                text(&outcome["error"])
            ),
            None,
        ),
        "decode" => fail(
            Some(true),
            Cause::Generator,
            format!(
                "the {} answer does not decode: {}",
                status.unwrap_or(0),
                text(&outcome["error"])
            ),
            None,
        ),
        "status" => status_verdict(outcome, operation, dynamic),
        "arguments" => {
            let error = text(&outcome["error"]);
            // The test names the argument: `argument <name>: <why>`.
            let named = error
                .strip_prefix("argument ")
                .and_then(|rest| rest.split(':').next())
                .unwrap_or("");
            let examples = examples_of(&operation["args"][named]);
            if examples.is_empty() {
                fail(
                    None,
                    Cause::Generator,
                    format!("the synthesized {error}"),
                    None,
                )
            } else {
                fail(
                    None,
                    Cause::Spec,
                    format!("an example does not decode into its type: {error}"),
                    examples.into_iter().next(),
                )
            }
        }
        "invalid request" => fail(
            None,
            Cause::Generator,
            format!(
                "the client refused to build the request: {}",
                text(&outcome["error"])
            ),
            None,
        ),
        "error" => fail(
            None,
            Cause::Prism,
            format!("no answer: {}", text(&outcome["error"])),
            None,
        ),
        other => fail(
            None,
            Cause::Generator,
            format!("the test reported no outcome ({other:?})"),
            None,
        ),
    }
}

fn text(value: &Value) -> String {
    let text = value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned);
    crate::corpus::first_line(&text)
}

/// The example pointers one argument was built from.
fn examples_of(arg: &Value) -> Vec<String> {
    arg["examples"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|pointer| pointer.as_str().map(str::to_owned))
        .collect()
}

fn status_verdict(outcome: &Value, operation: &Value, dynamic: bool) -> Verdict {
    let status = outcome["status"].as_u64().unwrap_or(0);
    let body: Value = outcome["body"]
        .as_str()
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null);
    let problem = body["type"]
        .as_str()
        .and_then(|t| t.strip_prefix("https://stoplight.io/prism/errors#"))
        .unwrap_or("");
    let detail = || {
        let title = body["title"].as_str().unwrap_or("");
        let detail = body["detail"].as_str().unwrap_or("");
        crate::corpus::first_line(&format!("{title}: {detail}"))
    };
    match problem {
        "UNPROCESSABLE_ENTITY" => request_violations(&body, operation),
        "VIOLATIONS" => {
            let reasons = violations(&body)
                .iter()
                .map(|v| v.message.clone())
                .collect::<Vec<_>>()
                .join("; ");
            if dynamic {
                fail(
                    Some(true),
                    Cause::Prism,
                    format!("Prism's generated answer breaks the schema: {reasons}"),
                    None,
                )
            } else {
                let location = violations(&body)
                    .first()
                    .map(|v| {
                        v.location
                            .iter()
                            .skip(2)
                            .map(|s| escape(s))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default();
                let pointer = format!(
                    "{}/responses (example, at /{})",
                    operation["pointer"].as_str().unwrap_or(""),
                    location.join("/")
                );
                fail(
                    Some(true),
                    Cause::Spec,
                    format!("the spec's answer contradicts its schema: {reasons}"),
                    Some(pointer),
                )
            }
        }
        "UNAUTHORIZED" | "FORBIDDEN" => fail(
            Some(false),
            Cause::Generator,
            format!(
                "no credential the operation accepts ({status}): {}",
                detail()
            ),
            None,
        ),
        "" if (400..500).contains(&status) && matches!(status, 400 | 422) => fail(
            Some(false),
            Cause::Generator,
            format!("request refused with the spec's own {status} answer (no violations listed)"),
            None,
        ),
        "" => fail(
            Some(true),
            Cause::Spec,
            format!("Prism answered {status}, a documented answer that is not a success"),
            operation["pointer"]
                .as_str()
                .map(|p| format!("{p}/responses")),
        ),
        "NO_RESPONSE_DEFINED" | "NO_SERVER_MATCHED_ERROR" => {
            fail(None, Cause::Prism, format!("{problem}: {}", detail()), None)
        }
        _ if status >= 500 => fail(None, Cause::Prism, format!("{problem}: {}", detail()), None),
        _ => fail(
            Some(false),
            Cause::Generator,
            format!("request refused ({status} {problem}): {}", detail()),
            None,
        ),
    }
}

/// One entry of Prism's `validation` list.
struct Violation {
    location: Vec<String>,
    code: String,
    message: String,
}

fn violations(body: &Value) -> Vec<Violation> {
    body["validation"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| Violation {
            location: v["location"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_owned))
                .collect(),
            code: v["code"].as_str().unwrap_or("").to_owned(),
            message: v["message"].as_str().unwrap_or("").to_owned(),
        })
        .collect()
}

/// JSON pointer escaping of one token (RFC 6901 §3).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Blames each request violation on the argument it names.
fn request_violations(body: &Value, operation: &Value) -> Verdict {
    let mut cause = None::<Cause>;
    let mut reasons = Vec::new();
    let mut pointer = None;
    let args = operation["args"].as_object();
    for violation in violations(body) {
        let place = violation.location.first().map(String::as_str).unwrap_or("");
        let wire = violation.location.get(1).map(String::as_str).unwrap_or("");
        let arg = args.and_then(|args| {
            args.values().find(|arg| {
                // Prism names path parameters in lower case.
                arg["in"] == place
                    && (place == "body"
                        || arg["wire"]
                            .as_str()
                            .is_some_and(|w| w.eq_ignore_ascii_case(wire)))
            })
        });
        let example = arg.and_then(|arg| arg["examples"].as_array()?.first()?.as_str());
        // A path parameter the operation does not have: Prism matched another path.
        let clash = (place == "path" && arg.is_none())
            .then(|| clashing_path(operation, wire))
            .flatten();
        if let Some(why) = unread_by_prism(operation, place, wire, arg.is_some()) {
            reasons.push(format!("{} ({}; {why})", violation.message, violation.code));
            cause = Some(cause.map_or(Cause::Prism, |before| before.min(Cause::Prism)));
            continue;
        }
        if let Some(clash) = clash {
            reasons.push(format!(
                "{} ({}; Prism took the request for one of the identical path {}: \
                 OpenAPI 3.0.3 §4.7.8 forbids templated paths that differ only in their names)",
                violation.message,
                violation.code,
                unescape(clash.trim_start_matches("/paths/"))
            ));
            pointer.get_or_insert(clash);
            cause = Some(cause.map_or(Cause::Spec, |before| before.min(Cause::Spec)));
            continue;
        }
        let this = match (arg, example) {
            (Some(_), Some(example)) => {
                if pointer.is_none() {
                    let skip = if place == "body" { 1 } else { 2 };
                    let rest: Vec<String> = violation
                        .location
                        .iter()
                        .skip(skip)
                        .map(|s| escape(s))
                        .collect();
                    pointer = Some(if rest.is_empty() {
                        example.to_owned()
                    } else {
                        format!("{example}/{}", rest.join("/"))
                    });
                }
                Cause::Spec
            }
            (Some(_), None) if UNCARRIED.contains(&violation.code.as_str()) => Cause::Synthesis,
            _ => Cause::Generator,
        };
        // The generator's fault outweighs the synthesis', which outweighs the spec's.
        cause = Some(match cause {
            None => this,
            Some(before) => before.min(this),
        });
        reasons.push(format!("{} ({})", violation.message, violation.code));
    }
    let cause = cause.unwrap_or(Cause::Generator);
    if cause != Cause::Spec {
        pointer = None;
    }
    fail(
        Some(false),
        cause,
        format!("request invalid: {}", reasons.join("; ")),
        pointer,
    )
}

/// Why Prism, not the client, is wrong about the query parameter `wire` (as Prism names it,
/// in lower case) of `operation`, if it is: the client did not send it (`sent` false), yet
/// Prism judged a value, or it is one Prism cannot read (`operation["prism_unread"]`, see
/// [`super::annotate`]). Both come from how Prism reads an object parameter in `form` style
/// with `explode`: it gathers the query's pairs through the schema's own `properties`, so
/// it reads an absent parameter as an empty object and one whose properties are in `oneOf`
/// or `anyOf` members as empty whatever was sent.
fn unread_by_prism(operation: &Value, place: &str, wire: &str, sent: bool) -> Option<&'static str> {
    if place != "query" || wire.is_empty() {
        return None;
    }
    let unread = operation["prism_unread"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .any(|name| name.eq_ignore_ascii_case(wire));
    if !sent {
        Some(
            "the client did not send this optional parameter: Prism reads an absent exploded \
             form object as an empty one",
        )
    } else if unread {
        Some(
            "Prism reads an exploded form object through its schema's own `properties`, and \
             these are in `oneOf`/`anyOf` members: it read an empty object",
        )
    } else {
        None
    }
}

/// The pointer of the path (`/paths/...`) among `operation["clashes"]` (those identical to
/// the operation's own but for the names of their parameters) that has the path parameter
/// `wire` (Prism writes it in lower case); the first of them when none has.
fn clashing_path(operation: &Value, wire: &str) -> Option<String> {
    let clashes: Vec<&str> = operation["clashes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let named = clashes.iter().find(|pointer| {
        pointer
            .to_ascii_lowercase()
            .contains(&format!("{{{}}}", wire.to_ascii_lowercase()))
    });
    named
        .or(clashes.first())
        .map(|pointer| (*pointer).to_owned())
}

/// One JSON pointer token unescaped (RFC 6901 §4).
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Whether Prism (with `--errors`) refused to send its answer because the answer contradicts
/// its schema: a 500 `#VIOLATIONS`. Such calls are asked again of a Prism without `--errors`
/// (see [`served_as_is`]).
pub fn answer_refused(outcome: &Value) -> bool {
    outcome["result"] == "status"
        && outcome["body"]
            .as_str()
            .and_then(|body| serde_json::from_str::<Value>(body).ok())
            .is_some_and(|body| body["type"] == "https://stoplight.io/prism/errors#VIOLATIONS")
}

/// The verdict on a call whose answer Prism refused (`strict`, a failure because the answer
/// contradicts its schema) once the same call was answered by a Prism that serves answers as
/// they are (`lax`, its outcome line, if it got one).
///
/// When the client decoded the answer served as it is, the call passes: the request was
/// valid (Prism checked it in the strict run) and the answer the spec documents was read;
/// the contradiction is returned apart, as a fault the client read through. Otherwise the
/// strict failure stands, saying why the answer does not decode either.
pub fn served_as_is(strict: Verdict, lax: Option<&Value>) -> (Verdict, Option<Failure>) {
    let Some(failure) = strict.failure.clone() else {
        return (strict, None);
    };
    match lax {
        Some(lax) if lax["result"] == "decoded" => (
            Verdict {
                request_valid: Some(true),
                decoded: true,
                failure: None,
            },
            Some(failure),
        ),
        Some(lax) => {
            let why = match lax["result"].as_str() {
                Some("decode") => format!("it does not decode: {}", text(&lax["error"])),
                Some("status") => format!("Prism answered {}", lax["status"]),
                _ => format!("no answer: {}", text(&lax["error"])),
            };
            let mut failure = failure;
            failure.reason = format!("{}; served as it is, {why}", failure.reason);
            (
                Verdict {
                    failure: Some(failure),
                    ..strict
                },
                None,
            )
        }
        None => (strict, None),
    }
}

/// The spec faults a call read through on its way in: arguments whose spec example does not
/// decode into their type, for which the test sent a synthesized value instead (the
/// outcome's `example_faults`), each located at the example's JSON pointer.
pub fn example_faults(outcome: &Value, operation: &Value) -> Vec<Failure> {
    outcome["example_faults"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|fault| {
            let name = fault["argument"].as_str().unwrap_or("");
            Failure {
                cause: Cause::Spec,
                reason: format!(
                    "an example does not decode into its type, a synthesized value was sent: {}",
                    text(&fault["error"])
                ),
                pointer: examples_of(&operation["args"][name]).into_iter().next(),
            }
        })
        .collect()
}

/// The fault of an example the served document rewrites ([`super::examples`]): a `null`
/// whose schema does not admit null, left out so that Prism makes the value up from the
/// schema, or JSON text in a string whose schema does not admit a string, served as that
/// JSON.
pub fn rewritten_example(rewritten: super::examples::Rewritten) -> Failure {
    use super::examples::Rewrite;
    let reason = match rewritten.rewrite {
        Rewrite::NullLeftOut => {
            "a null example where the schema does not admit null (meaning no example) was \
             left out of the document Prism serves"
        }
        Rewrite::JsonTextParsed => {
            "an example written as JSON text in a string where the schema does not admit a \
             string was served as the JSON it holds"
        }
    };
    Failure {
        cause: Cause::Spec,
        reason: reason.to_owned(),
        pointer: Some(rewritten.pointer),
    }
}

/// Whether a decode error says an integer does not fit a fixed-width Rust integer (serde's
/// "integer `N`, expected u16" and "integer N is out of range for u32").
fn outside_integer_format(error: &str) -> bool {
    const WIDTHS: [&str; 8] = ["u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64"];
    WIDTHS.iter().any(|width| {
        error.contains(&format!("is out of range for {width}"))
            || (error.contains("integer `") && error.contains(&format!("expected {width}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn operation() -> Value {
        json!({
            "pointer": "/paths/~1pets~1{id}/get",
            "args": {
                "id": {"in": "path", "wire": "id", "value": 1, "examples": []},
                "q": {"in": "query", "wire": "q", "value": "ab",
                      "examples": ["/paths/~1pets~1{id}/get/parameters/1/example"]},
                "body": {"in": "body", "wire": "", "value": {}, "examples": []}
            }
        })
    }

    fn refused(validation: Value) -> Value {
        let body = json!({
            "type": "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
            "validation": validation,
        });
        json!({"result": "status", "status": 422, "body": body.to_string()})
    }

    #[test]
    fn a_decoded_answer_passes() {
        let verdict = classify(&json!({"result": "decoded"}), &operation(), false);
        assert_eq!(verdict.request_valid, Some(true));
        assert!(verdict.decoded && verdict.failure.is_none());
    }

    #[test]
    fn request_violations_are_blamed_on_their_argument() {
        let example = refused(json!([{"location": ["query", "q"], "code": "minLength",
            "message": "q must NOT have fewer than 3 characters"}]));
        let verdict = classify(&example, &operation(), false);
        let failure = verdict.failure.unwrap();
        assert_eq!(failure.cause, Cause::Spec);
        assert_eq!(
            failure.pointer.as_deref(),
            Some("/paths/~1pets~1{id}/get/parameters/1/example")
        );

        let synthesized = refused(json!([{"location": ["path", "ID"], "code": "minimum",
            "message": "id must be >= 5"}]));
        let failure = classify(&synthesized, &operation(), false).failure.unwrap();
        assert_eq!((failure.cause, failure.pointer), (Cause::Synthesis, None));

        let wrong = refused(json!([
            {"location": ["path", "id"], "code": "minimum", "message": "id must be >= 5"},
            {"location": ["body"], "code": "required", "message": "must have property name"}
        ]));
        let failure = classify(&wrong, &operation(), false).failure.unwrap();
        assert_eq!(failure.cause, Cause::Generator);
        assert!(
            failure.reason.contains("must have property name"),
            "{}",
            failure.reason
        );
    }

    #[test]
    fn prism_s_misreadings_of_exploded_form_objects_are_prism_s() {
        let operation = json!({
            "pointer": "/paths/~1events/get",
            "prism_unread": ["filter"],
            "args": {"filter": {"in": "query", "wire": "filter", "value": {"user_id": "sample"},
                                "examples": []}}
        });
        // Sent as `user_id=sample`, read by Prism as `{}` and checked against every member.
        let outcome = refused(json!([
            {"location": ["query", "filter"], "code": "required",
             "message": "Request query parameter filter must have required property 'user_id'"},
            {"location": ["query", "filter"], "code": "oneOf",
             "message": "Request query parameter filter must match exactly one schema in oneOf"}
        ]));
        let failure = classify(&outcome, &operation, false).failure.unwrap();
        assert_eq!((failure.cause, failure.pointer), (Cause::Prism, None));
        assert!(
            failure.reason.contains("own `properties`"),
            "{}",
            failure.reason
        );

        // Not sent at all (optional), yet judged as an empty object.
        let outcome = refused(json!([{"location": ["query", "deletedocumentsparameters"],
            "code": "required", "message": "Request query parameter \
            deletedocumentsparameters must have required property 'filter_by'"}]));
        let failure = classify(&outcome, &operation, false).failure.unwrap();
        assert_eq!(failure.cause, Cause::Prism);
        assert!(
            failure.reason.contains("did not send"),
            "{}",
            failure.reason
        );

        // A parameter Prism can read, sent and refused, stays the generator's.
        let readable = json!({"pointer": operation["pointer"], "args": operation["args"]});
        let outcome = refused(json!([{"location": ["query", "filter"], "code": "required",
            "message": "Request query parameter filter must have required property 'user_id'"}]));
        let failure = classify(&outcome, &readable, false).failure.unwrap();
        assert_eq!(failure.cause, Cause::Generator);
    }

    #[test]
    fn a_path_parameter_of_an_identical_path_is_the_spec_s_fault() {
        let operation = json!({
            "pointer": "/paths/~1Journals~1{JournalID}/get",
            "clashes": ["/paths/~1Journals~1{JournalNumber}"],
            "args": {"journal_id": {"in": "path", "wire": "JournalID", "examples": []}}
        });
        let outcome = refused(
            json!([{"location": ["path", "journalnumber"], "code": "type",
            "message": "Request path parameter journalnumber must be integer"}]),
        );
        let failure = classify(&outcome, &operation, false).failure.unwrap();
        assert_eq!(failure.cause, Cause::Spec);
        assert_eq!(
            failure.pointer.as_deref(),
            Some("/paths/~1Journals~1{JournalNumber}")
        );
        assert!(
            failure
                .reason
                .contains("identical path /Journals/{JournalNumber}"),
            "{}",
            failure.reason
        );
        // Without a clash, a path parameter the operation does not have is still ours.
        let alone = json!({"pointer": operation["pointer"], "args": operation["args"]});
        let failure = classify(&outcome, &alone, false).failure.unwrap();
        assert_eq!((failure.cause, failure.pointer), (Cause::Generator, None));
    }

    #[test]
    fn answer_violations_are_the_spec_s_in_static_mode_and_prism_s_in_dynamic_mode() {
        let body = json!({
            "type": "https://stoplight.io/prism/errors#VIOLATIONS",
            "validation": [{"location": ["response", "body", "id"], "code": "type",
                "message": "Response body property id must be integer"}],
        });
        let outcome = json!({"result": "status", "status": 500, "body": body.to_string()});
        let failure = classify(&outcome, &operation(), false).failure.unwrap();
        assert_eq!(failure.cause, Cause::Spec);
        assert_eq!(
            failure.pointer.as_deref(),
            Some("/paths/~1pets~1{id}/get/responses (example, at /id)")
        );
        let failure = classify(&outcome, &operation(), true).failure.unwrap();
        assert_eq!(failure.cause, Cause::Prism);
    }

    #[test]
    fn an_answer_that_does_not_decode_is_the_generator_s() {
        let outcome = json!({"result": "decode", "status": 200, "error": "missing field `id`"});
        let verdict = classify(&outcome, &operation(), false);
        assert_eq!(verdict.request_valid, Some(true));
        let failure = verdict.failure.unwrap();
        assert_eq!(failure.cause, Cause::Generator);
        assert!(failure.reason.contains("missing field `id`"));
    }

    #[test]
    fn an_example_that_does_not_decode_is_located_by_its_own_pointer() {
        let outcome = json!({"result": "arguments",
            "error": "argument q: invalid type: integer `3`, expected a string"});
        let failure = classify(&outcome, &operation(), false).failure.unwrap();
        assert_eq!(failure.cause, Cause::Spec);
        assert_eq!(
            failure.pointer.as_deref(),
            Some("/paths/~1pets~1{id}/get/parameters/1/example")
        );
        let outcome = json!({"result": "arguments", "error": "argument body: missing field `a`"});
        let failure = classify(&outcome, &operation(), false).failure.unwrap();
        assert_eq!((failure.cause, failure.pointer), (Cause::Generator, None));
    }

    fn contradicted() -> Value {
        let body = json!({
            "type": "https://stoplight.io/prism/errors#VIOLATIONS",
            "validation": [{"location": ["response", "body", "id"], "code": "type",
                            "message": "Response body property id must be integer"}]
        });
        json!({"result": "status", "status": 500, "body": body.to_string()})
    }

    #[test]
    fn an_answer_that_contradicts_its_schema_passes_when_the_client_reads_it_as_it_is() {
        let strict = contradicted();
        assert!(answer_refused(&strict));
        assert!(!answer_refused(&refused(json!([]))));
        assert!(!answer_refused(&json!({"result": "decoded"})));
        let verdict = classify(&strict, &operation(), false);
        assert_eq!(verdict.failure.as_ref().unwrap().cause, Cause::Spec);

        let (passed, read_through) =
            served_as_is(verdict.clone(), Some(&json!({"result": "decoded"})));
        assert!(passed.decoded && passed.failure.is_none());
        assert_eq!(passed.request_valid, Some(true));
        let read_through = read_through.unwrap();
        assert_eq!(read_through.cause, Cause::Spec);
        assert_eq!(
            read_through.pointer.as_deref(),
            Some("/paths/~1pets~1{id}/get/responses (example, at /id)")
        );

        let lax = json!({"result": "decode", "status": 200, "error": "invalid type: string"});
        let (failed, none) = served_as_is(verdict.clone(), Some(&lax));
        assert!(none.is_none() && !failed.decoded);
        let failure = failed.failure.unwrap();
        assert_eq!(failure.cause, Cause::Spec);
        assert!(failure
            .reason
            .ends_with("served as it is, it does not decode: invalid type: string"));

        let (unchanged, none) = served_as_is(verdict.clone(), None);
        assert!(none.is_none());
        assert_eq!(unchanged, verdict);
    }

    #[test]
    fn an_example_replaced_by_a_synthesized_value_is_a_located_spec_fault() {
        let outcome = json!({
            "result": "decoded",
            "example_faults": [{"argument": "q", "error": "argument q: invalid type: string"}]
        });
        let faults = example_faults(&outcome, &operation());
        assert_eq!(faults.len(), 1);
        assert_eq!(faults[0].cause, Cause::Spec);
        assert_eq!(
            faults[0].pointer.as_deref(),
            Some("/paths/~1pets~1{id}/get/parameters/1/example")
        );
        assert!(faults[0].reason.contains("a synthesized value was sent"));
        assert!(example_faults(&json!({"result": "decoded"}), &operation()).is_empty());
        // The call itself is judged as usual.
        assert!(classify(&outcome, &operation(), false).decoded);
    }

    #[test]
    fn a_made_up_integer_outside_its_format_is_prisms() {
        let outcome = json!({"result": "decode", "status": 200,
            "error": "integer -62956012 is out of range for u32 at line 1 column 40"});
        let failure = classify(&outcome, &operation(), true).failure.unwrap();
        assert_eq!(failure.cause, Cause::Prism);
        // From the spec's own example it is the generator's (or the spec's) to answer for.
        let failure = classify(&outcome, &operation(), false).failure.unwrap();
        assert_eq!(failure.cause, Cause::Generator);
        let outcome = json!({"result": "decode", "status": 202,
            "error": "invalid value: integer `30818977`, expected u16 at line 1 column 9"});
        let failure = classify(&outcome, &operation(), true).failure.unwrap();
        assert_eq!(failure.cause, Cause::Prism);
    }
}
