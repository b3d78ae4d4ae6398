//! Facts of the spec that the classification of a call needs beyond `conformance.json`,
//! added to each operation's entry before any call is classified:
//!
//! - `clashes`: the pointers of the paths identical to the operation's own but for the names
//!   of their template expressions (`/Journals/{JournalID}` and `/Journals/{JournalNumber}`).
//!   OpenAPI 3.0.3 §4.7.8 says such paths "MUST NOT exist as they are identical", and Prism
//!   routes the requests of both to one of them.
//! - `prism_unread`: the names of the query parameters Prism cannot read as sent. A `form`
//!   object parameter with `explode` (the default, OpenAPI 3.0.3 §4.7.12.1) is sent as one
//!   `name=value` pair per property ("Style Examples"); Prism gathers those pairs back through
//!   the schema's own `properties` only, so for a schema whose properties are in `oneOf` or
//!   `anyOf` members (Intercom's `filter`) it reads an empty object whatever was sent.
//!
//! It reads the document Prism serves, whose JSON pointers are the spec's.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::{json, Value};

/// How deep local `$ref`s are followed.
const MAX_REF_DEPTH: usize = 32;

/// Adds `clashes` and `prism_unread` (see the module docs) to every operation of `data`
/// (`conformance.json`: operation id -> entry with its `pointer`) that has some; `spec` is
/// the document Prism serves. A document that cannot be read adds nothing.
pub fn annotate(data: &mut Value, spec: &Path) {
    let Some(document) = fs::read_to_string(spec)
        .ok()
        .and_then(|text| serde_yaml::from_str::<Value>(&text).ok())
    else {
        return;
    };
    let clashes = identical_paths(&document);
    for operation in data
        .as_object_mut()
        .into_iter()
        .flat_map(|ops| ops.values_mut())
    {
        let Some(pointer) = operation["pointer"].as_str().map(str::to_owned) else {
            continue;
        };
        let path = pointer.rsplit_once('/').map_or("", |(path, _)| path);
        if let Some(others) = clashes.get(path) {
            operation["clashes"] = json!(others);
        }
        let unread = unread_query_objects(&document, &pointer);
        if !unread.is_empty() {
            operation["prism_unread"] = json!(unread);
        }
    }
}

/// For every path of `document` (by JSON pointer, `/paths/~1a~1{id}`), the other paths
/// identical to it once the names of their template expressions are left out.
pub fn identical_paths(document: &Value) -> BTreeMap<String, Vec<String>> {
    let mut by_shape: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in document["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(p, _)| p)
    {
        by_shape
            .entry(unnamed(path))
            .or_default()
            .push(format!("/paths/{}", escape(path)));
    }
    let mut clashes = BTreeMap::new();
    for same in by_shape.values().filter(|same| same.len() > 1) {
        for pointer in same {
            let others = same.iter().filter(|p| *p != pointer).cloned().collect();
            clashes.insert(pointer.clone(), others);
        }
    }
    clashes
}

/// `path` with every template expression (`{name}`) written `{}`.
fn unnamed(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_expression = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_expression = true;
                out.push_str("{}");
            }
            '}' if in_expression => in_expression = false,
            _ if in_expression => {}
            _ => out.push(c),
        }
    }
    out
}

/// The names of the query parameters of the operation at `pointer` (its own and its path's)
/// that are `form` objects with `explode` whose schema has no `properties` of its own but
/// `oneOf` or `anyOf` members.
fn unread_query_objects(document: &Value, pointer: &str) -> Vec<String> {
    let path = pointer.rsplit_once('/').map_or("", |(path, _)| path);
    let own = document.pointer(pointer).map(|op| &op["parameters"]);
    let shared = document.pointer(path).map(|item| &item["parameters"]);
    let parameters = [shared, own]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|parameter| resolve(document, parameter, 0));
    let mut names = Vec::new();
    for parameter in parameters {
        let form = parameter.get("style").is_none_or(|style| style == "form");
        let explode = parameter.get("explode").is_none_or(|e| e == true);
        let Some(schema) = parameter
            .get("schema")
            .and_then(|s| resolve(document, s, 0))
        else {
            continue;
        };
        let object = schema.get("type").is_none_or(|ty| ty == "object");
        let members = ["oneOf", "anyOf"]
            .iter()
            .any(|key| schema.get(*key).is_some());
        let unread = parameter["in"] == "query"
            && form
            && explode
            && object
            && members
            && schema.get("properties").is_none();
        if let (true, Some(name)) = (unread, parameter["name"].as_str()) {
            names.push(name.to_owned());
        }
    }
    names
}

/// `node`, or what its local `$ref` points to (followed up to [`MAX_REF_DEPTH`] times).
fn resolve<'a>(document: &'a Value, node: &'a Value, depth: usize) -> Option<&'a Value> {
    match node["$ref"].as_str() {
        Some(reference) if depth < MAX_REF_DEPTH => {
            let target = document.pointer(reference.strip_prefix('#')?)?;
            resolve(document, target, depth + 1)
        }
        Some(_) => None,
        None => node.is_object().then_some(node),
    }
}

/// JSON pointer escaping of one token (RFC 6901 §3).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_differ_only_in_parameter_names_clash() {
        let document = json!({"paths": {
            "/Journals/{JournalID}": {}, "/Journals/{JournalNumber}": {},
            "/Journals/{JournalID}/Lines": {}, "/Journals": {}, "/a/{x}.json": {}, "/a/{y}.json": {}
        }});
        let clashes = identical_paths(&document);
        assert_eq!(clashes.len(), 4, "{clashes:?}");
        assert_eq!(
            clashes["/paths/~1Journals~1{JournalID}"],
            ["/paths/~1Journals~1{JournalNumber}"]
        );
        assert_eq!(clashes["/paths/~1a~1{y}.json"], ["/paths/~1a~1{x}.json"]);
    }

    #[test]
    fn exploded_form_objects_without_own_properties_are_unread_by_prism() {
        let user = json!({"properties": {"user_id": {"type": "string"}}, "required": ["user_id"]});
        let document = json!({
            "paths": {"/events": {
                "parameters": [{"$ref": "#/components/parameters/Shared"}],
                "get": {"parameters": [
                    {"name": "filter", "in": "query", "style": "form", "explode": true,
                     "schema": {"type": "object", "oneOf": [user, {"properties": {}}]}},
                    {"name": "flat", "in": "query", "schema": {"type": "object", "oneOf": [user],
                     "properties": {"user_id": {"type": "string"}}}},
                    {"name": "joined", "in": "query", "explode": false,
                     "schema": {"oneOf": [user]}},
                    {"name": "deep", "in": "query", "style": "deepObject",
                     "schema": {"oneOf": [user]}},
                    {"name": "head", "in": "header", "schema": {"oneOf": [user]}}
                ]}
            }},
            "components": {
                "parameters": {"Shared": {"name": "by", "in": "query",
                    "schema": {"$ref": "#/components/schemas/By"}}},
                "schemas": {"By": {"anyOf": [user]}}
            }
        });
        assert_eq!(
            unread_query_objects(&document, "/paths/~1events/get"),
            ["by", "filter"]
        );
    }

    #[test]
    fn operations_get_their_clashes_and_unread_parameters() {
        let dir = std::env::temp_dir().join(format!("forge-annotate-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let spec = dir.join("spec.json");
        let document = json!({"paths": {
            "/a/{id}": {"get": {"parameters": [{"name": "f", "in": "query",
                "schema": {"oneOf": [{"type": "object"}]}}]}},
            "/a/{name}": {"get": {}},
            "/b": {"get": {}}
        }});
        fs::write(&spec, document.to_string()).unwrap();
        let mut data = json!({
            "byId": {"pointer": "/paths/~1a~1{id}/get", "args": {}},
            "plain": {"pointer": "/paths/~1b/get", "args": {}}
        });
        annotate(&mut data, &spec);
        let _ = fs::remove_dir_all(&dir);
        assert_eq!(data["byId"]["clashes"], json!(["/paths/~1a~1{name}"]));
        assert_eq!(data["byId"]["prism_unread"], json!(["f"]));
        assert_eq!(
            data["plain"],
            json!({"pointer": "/paths/~1b/get", "args": {}})
        );
    }
}
