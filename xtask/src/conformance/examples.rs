//! Examples whose intent is obvious but whose value says otherwise, rewritten in the
//! document Prism serves. Both kinds are published specs' way of writing an example
//! (a schema's `example`, OpenAPI 3.0.3 §4.7.24.1; a media type's or parameter's `example`
//! or `examples`, §4.7.11, §4.7.12), and Prism takes both at their word: it serves the
//! value as the answer (or as a property of a made-up one), which its own schema then
//! refuses.
//!
//! - `null` where the schema does not admit null (HubSpot writes `example: null` on every
//!   schema and answer) means "no example": it is left out, and Prism makes the value up
//!   from the schema as for any answer without an example. Where the schema admits null
//!   (`nullable: true`, a `null` type or enum value, a schema without a type), `null` is a
//!   real example and stays.
//! - A string holding JSON text where the schema does not admit a string (Xero's and
//!   Typesense's `example: '{ "Name": ... }'` for an object) means that JSON: the example
//!   becomes the object or array the text holds.
//!
//! Each rewritten example is returned with its JSON pointer (the spec's), so that the report
//! lists it as a fault of the spec the calls read through. The generator reads a `null`
//! example as no example, and an argument built from a JSON-text example that does not
//! decode is replaced by a synthesized value (and listed) by the conformance test itself.

use serde_json::{Map, Value};

/// Keys whose object value is a map from names (of properties, schemas, status codes, media
/// types, ...) to objects of the specification, not an object of keywords.
const NAME_MAPS: &[&str] = &[
    "paths",
    "webhooks",
    "schemas",
    "definitions",
    "$defs",
    "properties",
    "patternProperties",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "content",
];

/// How deep `$ref`s are followed to tell whether a schema admits a kind of value; past it,
/// it is taken to (the example stays).
const MAX_REF_DEPTH: usize = 32;

/// How an example was rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rewrite {
    /// A `null` the schema does not admit, left out.
    NullLeftOut,
    /// JSON text in a string the schema does not admit, replaced by the JSON it holds.
    JsonTextParsed,
}

/// One rewritten example: where (JSON pointer into the spec) and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// The example's JSON pointer.
    pub pointer: String,
    /// What was done.
    pub rewrite: Rewrite,
}

/// Rewrites in `document` every `example`, `examples` entry or item whose value is `null`
/// where its schema does not admit null (leaving it out, and every `examples: null`), or a
/// string of JSON text (an object or array) where its schema does not admit a string
/// (replacing it by that JSON); `root` is the document as read, to resolve `$ref`s in.
/// Returns what was rewritten, in document order.
pub fn rewrite_examples(document: &mut Value, root: &Value) -> Vec<Rewritten> {
    let mut rewritten = Vec::new();
    walk(document, "", false, root, &mut rewritten);
    rewritten
}

/// Visits `node` at `pointer`; `names` says that its keys are names, not keywords.
fn walk(
    node: &mut Value,
    pointer: &str,
    names: bool,
    root: &Value,
    rewritten: &mut Vec<Rewritten>,
) {
    match node {
        Value::Object(map) => {
            if !names {
                rewrite_in(map, pointer, root, rewritten);
            }
            for (key, value) in map.iter_mut() {
                // Examples, defaults, enum values and extensions are data, not documents.
                let data = ["example", "examples", "default", "enum", "const"]
                    .contains(&key.as_str())
                    || key.starts_with("x-");
                if names || !data {
                    let child_names = !names && NAME_MAPS.contains(&key.as_str());
                    let child = format!("{pointer}/{}", escape(key));
                    walk(value, &child, child_names, root, rewritten);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                walk(item, &format!("{pointer}/{index}"), false, root, rewritten);
            }
        }
        _ => {}
    }
}

/// Rewrites the examples of one object of keywords: a media type, parameter or header
/// (their schema is `schema`), or a schema (it is its own). A parameter described by
/// `content` and a media type without a schema have no schema here, so anything goes.
fn rewrite_in(
    map: &mut Map<String, Value>,
    pointer: &str,
    root: &Value,
    rewritten: &mut Vec<Rewritten>,
) {
    let mut record = |pointer: String, rewrite| rewritten.push(Rewritten { pointer, rewrite });
    if map.get("examples").is_some_and(Value::is_null) {
        map.remove("examples");
        record(format!("{pointer}/examples"), Rewrite::NullLeftOut);
    }
    if !map.contains_key("example") && !map.contains_key("examples") {
        return;
    }
    let schema = match map.get("schema") {
        Some(schema) => schema.clone(),
        None if map.contains_key("content") => return,
        None => Value::Object(map.clone()),
    };
    // What to do with one example value: `None` keeps it, `Some(None)` leaves it out,
    // `Some(Some(json))` replaces it.
    let rewrite = |value: &Value| -> Option<(Rewrite, Option<Value>)> {
        match value {
            Value::Null if !admits(&schema, "null", root, 0) => Some((Rewrite::NullLeftOut, None)),
            Value::String(text) if !admits(&schema, "string", root, 0) => {
                let json = serde_json::from_str::<Value>(text.trim()).ok()?;
                (json.is_object() || json.is_array())
                    .then_some((Rewrite::JsonTextParsed, Some(json)))
            }
            _ => None,
        }
    };
    if let Some((how, value)) = map.get("example").and_then(&rewrite) {
        record(format!("{pointer}/example"), how);
        match value {
            Some(value) => map.insert("example".to_owned(), value),
            None => map.remove("example"),
        };
    }
    let mut emptied = false;
    match map.get_mut("examples") {
        // Example Objects by name (media types and parameters). Swagger 2.0's `examples`
        // of a response, keyed by media type, hold the examples themselves: left alone.
        Some(Value::Object(examples)) => {
            examples.retain(|name, example| {
                let Some(example) = example.as_object_mut().filter(|_| !name.contains('/')) else {
                    return true;
                };
                let Some((how, value)) = example.get("value").and_then(&rewrite) else {
                    return true;
                };
                record(format!("{pointer}/examples/{}/value", escape(name)), how);
                match value {
                    Some(value) => {
                        example.insert("value".to_owned(), value);
                        true
                    }
                    None => false,
                }
            });
            emptied = examples.is_empty();
        }
        // A schema's list of examples (OpenAPI 3.1, JSON Schema 2020-12 §9.5).
        Some(Value::Array(examples)) => {
            let mut index = 0;
            examples.retain_mut(|example| {
                let found = rewrite(example);
                let keep = match found {
                    Some((how, value)) => {
                        record(format!("{pointer}/examples/{index}"), how);
                        value.map(|value| *example = value).is_some()
                    }
                    None => true,
                };
                index += 1;
                keep
            });
            emptied = examples.is_empty();
        }
        _ => {}
    }
    if emptied {
        map.remove("examples");
    }
}

/// Whether `schema` admits a value of the JSON type `kind` (`"null"` or `"string"`): an
/// `enum` or `const` with such a value, a `type` that names it (or, for null, `nullable:
/// true`, OpenAPI 3.0), a union with a member that admits it, an `allOf` whose members all
/// do, or no type at all. A `$ref` that does not resolve, or one followed too deep, admits
/// it (the example is kept).
fn admits(schema: &Value, kind: &str, root: &Value, depth: usize) -> bool {
    let Value::Object(map) = schema else {
        return schema != &Value::Bool(false);
    };
    if depth > MAX_REF_DEPTH || (kind == "null" && map.get("nullable") == Some(&Value::Bool(true)))
    {
        return true;
    }
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        return reference
            .strip_prefix('#')
            .and_then(|fragment| root.pointer(fragment))
            .is_none_or(|target| admits(target, kind, root, depth + 1));
    }
    let of_kind = |value: &Value| match kind {
        "null" => value.is_null(),
        _ => value.is_string(),
    };
    if let Some(values) = map.get("enum").and_then(Value::as_array) {
        return values.iter().any(of_kind);
    }
    if let Some(value) = map.get("const") {
        return of_kind(value);
    }
    match map.get("type") {
        Some(Value::String(ty)) => return ty == kind,
        Some(Value::Array(types)) => return types.iter().any(|ty| ty == kind),
        _ => {}
    }
    let members = |key: &str| map.get(key).and_then(Value::as_array);
    let any_of = members("oneOf")
        .into_iter()
        .chain(members("anyOf"))
        .flatten();
    let mut unions = any_of.peekable();
    if unions.peek().is_some() {
        return unions.any(|member| admits(member, kind, root, depth + 1));
    }
    members("allOf").is_none_or(|all| all.iter().all(|m| admits(m, kind, root, depth + 1)))
}

/// JSON pointer escaping of one token (RFC 6901 §3).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The document rewritten, and the pointers of what was left out as `null`.
    fn dropped(document: Value) -> (Value, Vec<String>) {
        let (document, rewritten) = rewritten(document);
        let pointers = rewritten
            .into_iter()
            .map(|r| {
                assert_eq!(r.rewrite, Rewrite::NullLeftOut, "{}", r.pointer);
                r.pointer
            })
            .collect();
        (document, pointers)
    }

    fn rewritten(mut document: Value) -> (Value, Vec<Rewritten>) {
        let root = document.clone();
        let rewritten = rewrite_examples(&mut document, &root);
        (document, rewritten)
    }

    #[test]
    fn json_text_where_the_schema_refuses_a_string_becomes_that_json() {
        let (served, rewritten) = rewritten(json!({
            "paths": {"/files": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Files"},
                "example": "{ \"TotalCount\": 1, \"Items\": [] }\n",
                "examples": {"list": {"value": "[1, 2]"}, "prose": {"value": "not JSON"}}
            }}}}}}},
            "components": {"schemas": {
                "Files": {"type": "object", "properties": {
                    "Name": {"type": "string", "example": "{\"a\": 1}"},
                    "Raw": {"example": "{\"a\": 1}"},
                    "Count": {"type": "integer", "example": "12"}
                }}
            }}
        }));
        let pointers: Vec<(&str, Rewrite)> = rewritten
            .iter()
            .map(|r| (r.pointer.as_str(), r.rewrite))
            .collect();
        let media = "/paths/~1files/get/responses/200/content/application~1json";
        assert_eq!(
            pointers,
            [
                (format!("{media}/example").as_str(), Rewrite::JsonTextParsed),
                (
                    format!("{media}/examples/list/value").as_str(),
                    Rewrite::JsonTextParsed
                ),
            ]
        );
        let media = &served["paths"]["/files"]["get"]["responses"]["200"]["content"];
        assert_eq!(
            media["application/json"]["example"],
            json!({"TotalCount": 1, "Items": []})
        );
        assert_eq!(
            media["application/json"]["examples"],
            json!({"list": {"value": [1, 2]}, "prose": {"value": "not JSON"}})
        );
        // A string schema's JSON-looking text, an untyped schema's, and a number in a string
        // (not an object or array) stay as they are.
        let files = &served["components"]["schemas"]["Files"]["properties"];
        assert_eq!(files["Name"]["example"], "{\"a\": 1}");
        assert_eq!(files["Raw"]["example"], "{\"a\": 1}");
        assert_eq!(files["Count"]["example"], "12");
    }

    #[test]
    fn a_null_example_of_a_schema_that_refuses_null_is_dropped_and_located() {
        let (served, dropped) = dropped(json!({
            "paths": {"/deals": {"get": {
                "parameters": [{"name": "limit", "in": "query",
                                "schema": {"type": "integer", "example": null}}],
                "responses": {"200": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Deal"},
                    "example": null
                }}}}
            }}},
            "components": {"schemas": {
                "Deal": {"type": "object", "properties": {
                    "id": {"type": "string", "example": null},
                    "closed": {"type": "string", "nullable": true, "example": null},
                    "stage": {"enum": ["won", null], "example": null},
                    "any": {"example": null},
                    "example": {"type": "string", "example": null}
                }}
            }}
        }));
        assert_eq!(
            dropped,
            [
                "/paths/~1deals/get/parameters/0/schema/example",
                "/paths/~1deals/get/responses/200/content/application~1json/example",
                "/components/schemas/Deal/properties/id/example",
                "/components/schemas/Deal/properties/example/example",
            ]
        );
        let deal = &served["components"]["schemas"]["Deal"]["properties"];
        assert_eq!(deal["id"], json!({"type": "string"}));
        assert_eq!(deal["closed"]["example"], Value::Null);
        assert_eq!(deal["stage"]["example"], Value::Null);
        assert_eq!(deal["any"]["example"], Value::Null);
        let media = &served["paths"]["/deals"]["get"]["responses"]["200"]["content"];
        assert_eq!(
            media["application/json"],
            json!({"schema": {"$ref": "#/components/schemas/Deal"}})
        );
    }

    #[test]
    fn null_values_of_named_examples_and_example_lists_are_dropped() {
        let (served, dropped) = dropped(json!({
            "components": {
                "parameters": {"Id": {"name": "id", "in": "path",
                    "schema": {"type": "integer"},
                    "examples": {"none": {"value": null}, "one": {"value": 1}}}},
                "schemas": {
                    "Tags": {"type": "array", "examples": [null, ["a"]]},
                    "Maybe": {"type": ["string", "null"], "examples": [null]},
                    "Either": {"oneOf": [{"type": "string"}, {"type": "null"}], "example": null},
                    "Broken": {"type": "string", "examples": null}
                },
                "responses": {"Empty": {"content": {"application/json": {
                    "schema": {"type": "object"}, "examples": {"gone": {"value": null}}
                }}}}
            }
        }));
        assert_eq!(
            dropped,
            [
                "/components/parameters/Id/examples/none/value",
                "/components/schemas/Tags/examples/0",
                "/components/schemas/Broken/examples",
                "/components/responses/Empty/content/application~1json/examples/gone/value",
            ]
        );
        let components = &served["components"];
        assert_eq!(
            components["parameters"]["Id"]["examples"],
            json!({"one": {"value": 1}})
        );
        assert_eq!(components["schemas"]["Tags"]["examples"], json!([["a"]]));
        assert_eq!(components["schemas"]["Maybe"]["examples"], json!([null]));
        assert_eq!(components["schemas"]["Either"]["example"], Value::Null);
        assert_eq!(components["schemas"]["Broken"], json!({"type": "string"}));
        assert_eq!(
            components["responses"]["Empty"]["content"]["application/json"],
            json!({"schema": {"type": "object"}})
        );
    }

    #[test]
    fn examples_inside_examples_are_data_and_stay() {
        let document = json!({"components": {"schemas": {"Doc": {
            "type": "object",
            "example": {"example": null, "nested": {"example": null}},
            "default": {"example": null},
            "x-sample": {"type": "string", "example": null}
        }}}});
        let (served, dropped) = dropped(document.clone());
        assert!(dropped.is_empty(), "{dropped:?}");
        assert_eq!(served, document);
    }
}
