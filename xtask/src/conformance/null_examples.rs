//! `example: null` where the schema does not admit null, left out of the document Prism
//! serves. Published specs write it (HubSpot's on every schema and answer) to mean "no
//! example": a schema's `example` (OpenAPI 3.0.3 §4.7.24.1) or a media type's or
//! parameter's `example`/`examples` (§4.7.11, §4.7.12) whose value is `null`. Prism takes it
//! at its word and serves `null` as the answer (or as a property of a made-up one), which its
//! own schema then refuses. Without it Prism makes the value up from the schema, as for any
//! answer without an example. Where the schema admits null (`nullable: true`, a `null` type
//! or enum value, a schema without a type), `null` is a real example and stays.
//!
//! Each example left out is returned by its JSON pointer (the spec's), so that the report
//! lists it as a fault of the spec that the calls read through. The generator needs no such
//! step: it reads a `null` example as no example.

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

/// How deep `$ref`s are followed to tell whether a schema admits null; past it, it is taken
/// to (the example stays).
const MAX_REF_DEPTH: usize = 32;

/// Removes from `document` every `example`, `examples` entry or item whose value is `null`
/// where its schema does not admit null (and every `examples: null`); `root` is the document
/// as read, to resolve `$ref`s in. Returns the JSON pointers of what was removed, in document
/// order.
pub fn drop_null_examples(document: &mut Value, root: &Value) -> Vec<String> {
    let mut dropped = Vec::new();
    walk(document, "", false, root, &mut dropped);
    dropped
}

/// Visits `node` at `pointer`; `names` says that its keys are names, not keywords.
fn walk(node: &mut Value, pointer: &str, names: bool, root: &Value, dropped: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if !names {
                drop_in(map, pointer, root, dropped);
            }
            for (key, value) in map.iter_mut() {
                // Examples, defaults, enum values and extensions are data, not documents.
                let data = ["example", "examples", "default", "enum", "const"]
                    .contains(&key.as_str())
                    || key.starts_with("x-");
                if names || !data {
                    let child_names = !names && NAME_MAPS.contains(&key.as_str());
                    let child = format!("{pointer}/{}", escape(key));
                    walk(value, &child, child_names, root, dropped);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                walk(item, &format!("{pointer}/{index}"), false, root, dropped);
            }
        }
        _ => {}
    }
}

/// Drops the null examples of one object of keywords: a media type, parameter or header
/// (their schema is `schema`), or a schema (it is its own). A parameter described by
/// `content` and a media type without a schema have no schema here, so anything goes.
fn drop_in(map: &mut Map<String, Value>, pointer: &str, root: &Value, dropped: &mut Vec<String>) {
    if map.get("examples").is_some_and(Value::is_null) {
        map.remove("examples");
        dropped.push(format!("{pointer}/examples"));
    }
    let holds_examples = map.get("example").is_some_and(Value::is_null)
        || map.get("examples").is_some_and(|e| e.is_object() || e.is_array());
    if !holds_examples {
        return;
    }
    let admits_null = match map.get("schema") {
        Some(schema) => admits_null(schema, root, 0),
        None if map.contains_key("content") => true,
        None => admits_null(&Value::Object(map.clone()), root, 0),
    };
    if admits_null {
        return;
    }
    if map.get("example").is_some_and(Value::is_null) {
        map.remove("example");
        dropped.push(format!("{pointer}/example"));
    }
    let mut emptied = false;
    match map.get_mut("examples") {
        // Example Objects by name (media types and parameters).
        Some(Value::Object(examples)) => {
            examples.retain(|name, example| {
                let null = example
                    .as_object()
                    .and_then(|example| example.get("value"))
                    .is_some_and(Value::is_null);
                if null {
                    dropped.push(format!("{pointer}/examples/{}/value", escape(name)));
                }
                !null
            });
            emptied = examples.is_empty();
        }
        // A schema's list of examples (OpenAPI 3.1, JSON Schema 2020-12 §9.5).
        Some(Value::Array(examples)) => {
            let mut index = 0;
            examples.retain(|example| {
                if example.is_null() {
                    dropped.push(format!("{pointer}/examples/{index}"));
                }
                index += 1;
                !example.is_null()
            });
            emptied = examples.is_empty();
        }
        _ => {}
    }
    if emptied {
        map.remove("examples");
    }
}

/// Whether `schema` admits `null`: `nullable: true` (OpenAPI 3.0), a `null` type (3.1), an
/// `enum` or `const` with null, a union with a member that admits it, an `allOf` whose
/// members all do, or no type at all. A `$ref` that does not resolve, or one followed too
/// deep, admits it (the example is kept).
fn admits_null(schema: &Value, root: &Value, depth: usize) -> bool {
    let Value::Object(map) = schema else {
        return schema != &Value::Bool(false);
    };
    if depth > MAX_REF_DEPTH || map.get("nullable") == Some(&Value::Bool(true)) {
        return true;
    }
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        return reference
            .strip_prefix('#')
            .and_then(|fragment| root.pointer(fragment))
            .is_none_or(|target| admits_null(target, root, depth + 1));
    }
    if let Some(values) = map.get("enum").and_then(Value::as_array) {
        return values.contains(&Value::Null);
    }
    if let Some(value) = map.get("const") {
        return value.is_null();
    }
    match map.get("type") {
        Some(Value::String(ty)) => return ty == "null",
        Some(Value::Array(types)) => return types.iter().any(|ty| ty == "null"),
        _ => {}
    }
    let members = |key: &str| map.get(key).and_then(Value::as_array);
    let any_of = members("oneOf").into_iter().chain(members("anyOf")).flatten();
    let mut unions = any_of.peekable();
    if unions.peek().is_some() {
        return unions.any(|member| admits_null(member, root, depth + 1));
    }
    members("allOf").is_none_or(|all| all.iter().all(|m| admits_null(m, root, depth + 1)))
}

/// JSON pointer escaping of one token (RFC 6901 §3).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dropped(mut document: Value) -> (Value, Vec<String>) {
        let root = document.clone();
        let dropped = drop_null_examples(&mut document, &root);
        (document, dropped)
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
