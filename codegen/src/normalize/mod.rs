//! Normalization: every accepted version of the format, rewritten as the OpenAPI 3.0.3
//! document that the typed 3.0 model of `load` reads, before anything is typed.
//!
//! | `openapi` / `swagger` field | pass |
//! |-----------------------------|------|
//! | `3.0.x`                     | none: the document is read as it is |
//! | `3.1.x`                     | [`v31`]: JSON Schema 2020-12 keywords to their 3.0 spelling |
//! | `3.2.x`                     | [`v31`], after [`v31::strip_v32`] reports what only 3.2 has |
//! | `swagger: "2.0"`            | [`v2`]: Swagger 2.0 objects to their 3.0 counterparts |
//!
//! Each pass is a pure function from a `serde_json::Value` to a `serde_json::Value`. What does
//! not survive the rewrite precisely becomes a [`Diagnostic`] warning that names the construct
//! and the fallback, at the construct's pointer in the document the user wrote. Because nodes
//! move (Swagger's `definitions` become `components.schemas`), every pass also records
//! [`Origins`]: later stages report at pointers into the normalized document, and
//! [`Origins::original`] turns them back into pointers into the input.
//!
//! This module must not know about later stages: it never looks at the IR, and the stages
//! after it never look at the source version.

mod schema;
pub mod v2;
pub mod v31;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::Diagnostic;

/// The OpenAPI version every pass writes.
pub const TARGET_VERSION: &str = "3.0.3";

/// A document rewritten as OpenAPI 3.0.3.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    /// The rewritten document.
    pub document: Value,
    /// What did not survive precisely, each at its pointer in the input document (not yet
    /// given a line and column).
    pub warnings: Vec<Diagnostic>,
    /// Where the rewritten document's nodes came from.
    pub origins: Origins,
}

/// Rewrites `raw` as OpenAPI 3.0.3 according to its declared version.
///
/// # Errors
/// A diagnostic at `/openapi` (or `/swagger`) when the version is missing or not one of
/// 2.0, 3.0.x, 3.1.x, 3.2.x.
pub fn normalize(raw: Value) -> Result<Normalized, Diagnostic> {
    let openapi = raw
        .get("openapi")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let swagger = raw.get("swagger").map(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    match (openapi.as_deref(), swagger.as_deref()) {
        (Some(v), _) if v.starts_with("3.0") => Ok(Normalized {
            document: raw,
            warnings: Vec::new(),
            origins: Origins::default(),
        }),
        (Some(v), _) if v.starts_with("3.1") => Ok(v31::normalize(raw)),
        (Some(v), _) if v.starts_with("3.2") => {
            let mut raw = raw;
            let notes = v31::strip_v32(&mut raw);
            let mut normalized = v31::normalize(raw);
            normalized.warnings.splice(0..0, notes);
            Ok(normalized)
        }
        (Some(v), _) => Err(Diagnostic::new(
            "/openapi",
            format!("OpenAPI version {v:?} is not supported; 2.0, 3.0.x, 3.1.x and 3.2.x are"),
        )),
        (None, Some("2.0")) => Ok(v2::normalize(raw)),
        (None, Some(v)) => Err(Diagnostic::new(
            "/swagger",
            format!("Swagger version {v:?} is not supported; only 2.0 is"),
        )),
        (None, None) => Err(Diagnostic::new(
            "/openapi",
            "missing the `openapi` version field; not an OpenAPI document",
        )),
    }
}

/// Where the nodes of a normalized document came from: pairs of a pointer prefix in the
/// normalized document and the pointer it was moved from in the input.
///
/// A pointer not under any recorded prefix is where it was (most of a 3.1 document).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins {
    moved: BTreeMap<String, String>,
}

impl Origins {
    /// Records that the node now at `normalized` was at `original` in the input (and so was
    /// everything below it, token for token, unless a longer prefix says otherwise).
    pub fn record(&mut self, normalized: impl Into<String>, original: impl Into<String>) {
        let (normalized, original) = (normalized.into(), original.into());
        if normalized != original {
            self.moved.insert(normalized, original);
        } else {
            self.moved.remove(&normalized);
        }
    }

    /// Whether nothing moved.
    pub fn is_empty(&self) -> bool {
        self.moved.is_empty()
    }

    /// The input pointer for a pointer into the normalized document: the longest recorded
    /// prefix (on token boundaries) is replaced by where it came from.
    pub fn original(&self, pointer: &str) -> String {
        let mut prefix = pointer;
        loop {
            if let Some(original) = self.moved.get(prefix) {
                return format!("{original}{}", &pointer[prefix.len()..]);
            }
            match prefix.rfind('/') {
                Some(cut) => prefix = &prefix[..cut],
                None => return pointer.to_owned(),
            }
        }
    }
}

/// The state one pass threads through: warnings at input pointers, and origins.
#[derive(Debug, Default)]
pub(crate) struct Notes {
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) origins: Origins,
}

impl Notes {
    /// A warning about the node now at `pointer` in the normalized document; it is reported
    /// at that node's input pointer (so record origins before writing notes below them).
    pub(crate) fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let pointer = self.origins.original(pointer);
        self.warnings.push(Diagnostic::new(pointer, message));
    }

    pub(crate) fn finish(mut self, document: Value) -> Normalized {
        self.warnings.sort();
        self.warnings.dedup();
        Normalized {
            document,
            warnings: self.warnings,
            origins: self.origins,
        }
    }
}

/// The HTTP methods a path item can hold operations for (OpenAPI 3.0 §4.7.9).
pub(crate) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Calls `visit` on every schema position of a 3.x document (component schemas, parameter,
/// header and media type schemas in components, paths, webhooks and callbacks), with its
/// pointer. Sub-schemas are the visitor's business ([`schema::for_each_child`]).
pub(crate) fn for_each_schema(document: &mut Value, visit: &mut dyn FnMut(&mut Value, &str)) {
    use crate::error::pointer_push;
    let Some(root) = document.as_object_mut() else {
        return;
    };
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
            for (key, schema) in schemas.iter_mut() {
                visit(schema, &pointer_push("/components/schemas", key));
            }
        }
        for (section, kind) in [
            ("parameters", Holder::Parameter),
            ("headers", Holder::Parameter),
            ("responses", Holder::Response),
            ("requestBodies", Holder::Body),
        ] {
            if let Some(entries) = components.get_mut(section).and_then(Value::as_object_mut) {
                let base = pointer_push("/components", section);
                for (key, entry) in entries.iter_mut() {
                    holder(entry, &pointer_push(&base, key), kind, visit);
                }
            }
        }
        if let Some(callbacks) = components
            .get_mut("callbacks")
            .and_then(Value::as_object_mut)
        {
            for (key, callback) in callbacks.iter_mut() {
                let base = pointer_push("/components/callbacks", key);
                path_items(callback, &base, visit);
            }
        }
    }
    for section in ["paths", "webhooks"] {
        if let Some(items) = root.get_mut(section) {
            path_items(items, &format!("/{section}"), visit);
        }
    }
}

#[derive(Clone, Copy)]
enum Holder {
    Parameter,
    Response,
    Body,
}

fn path_items(items: &mut Value, base: &str, visit: &mut dyn FnMut(&mut Value, &str)) {
    use crate::error::pointer_push;
    let Some(items) = items.as_object_mut() else {
        return;
    };
    for (key, item) in items.iter_mut() {
        let pointer = pointer_push(base, key);
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        if let Some(params) = item.get_mut("parameters").and_then(Value::as_array_mut) {
            let params_pointer = pointer_push(&pointer, "parameters");
            for (index, param) in params.iter_mut().enumerate() {
                let p = pointer_push(&params_pointer, &index.to_string());
                holder(param, &p, Holder::Parameter, visit);
            }
        }
        for (method, op) in item.iter_mut() {
            if METHODS.contains(&method.as_str()) {
                operation(op, &pointer_push(&pointer, method), visit);
            }
        }
    }
}

fn operation(op: &mut Value, pointer: &str, visit: &mut dyn FnMut(&mut Value, &str)) {
    use crate::error::pointer_push;
    let Some(op) = op.as_object_mut() else {
        return;
    };
    if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
        let base = pointer_push(pointer, "parameters");
        for (index, param) in params.iter_mut().enumerate() {
            let p = pointer_push(&base, &index.to_string());
            holder(param, &p, Holder::Parameter, visit);
        }
    }
    if let Some(body) = op.get_mut("requestBody") {
        holder(
            body,
            &pointer_push(pointer, "requestBody"),
            Holder::Body,
            visit,
        );
    }
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
        let base = pointer_push(pointer, "responses");
        for (code, response) in responses.iter_mut() {
            holder(
                response,
                &pointer_push(&base, code),
                Holder::Response,
                visit,
            );
        }
    }
    if let Some(callbacks) = op.get_mut("callbacks").and_then(Value::as_object_mut) {
        let base = pointer_push(pointer, "callbacks");
        for (key, callback) in callbacks.iter_mut() {
            path_items(callback, &pointer_push(&base, key), visit);
        }
    }
}

/// A parameter, header, response or request body: a `schema`, a `content` map, `headers`.
fn holder(node: &mut Value, pointer: &str, kind: Holder, visit: &mut dyn FnMut(&mut Value, &str)) {
    use crate::error::pointer_push;
    let Some(node) = node.as_object_mut() else {
        return;
    };
    if let Some(schema) = node.get_mut("schema") {
        visit(schema, &pointer_push(pointer, "schema"));
    }
    if let Some(content) = node.get_mut("content").and_then(Value::as_object_mut) {
        let base = pointer_push(pointer, "content");
        for (media_type, media) in content.iter_mut() {
            if let Some(schema) = media.get_mut("schema") {
                let p = pointer_push(&pointer_push(&base, media_type), "schema");
                visit(schema, &p);
            }
        }
    }
    if matches!(kind, Holder::Response) {
        if let Some(headers) = node.get_mut("headers").and_then(Value::as_object_mut) {
            let base = pointer_push(pointer, "headers");
            for (name, header) in headers.iter_mut() {
                holder(header, &pointer_push(&base, name), Holder::Parameter, visit);
            }
        }
    }
}

/// Keywords whose value maps names to objects, in OpenAPI (§4.7) and JSON Schema: below
/// them a key such as `default` or `example` is a name (the `default` response, a property
/// called `example`), not a keyword.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
    "schemas",
    "responses",
    "parameters",
    "headers",
    "requestBodies",
    "securitySchemes",
    "securityDefinitions",
    "examples",
    "links",
    "callbacks",
    "pathItems",
    "paths",
    "webhooks",
    "content",
    "encoding",
];

/// Whether `key`, a key of an object found under the key `parent`, holds data (an example,
/// a default, enum or const values) rather than part of the document; `data_keys` lists
/// the keywords that do.
pub(crate) fn holds_data(key: &str, parent: Option<&str>, data_keys: &[&str]) -> bool {
    data_keys.contains(&key) && !parent.is_some_and(|p| NAME_MAPS.contains(&p))
}

/// Rewrites every `$ref` string in `node` (at any depth) with `rewrite`, which returns the
/// new reference or `None` to keep it.
pub(crate) fn rewrite_refs(node: &mut Value, rewrite: &dyn Fn(&str) -> Option<String>) {
    rewrite_refs_below(node, None, rewrite);
}

fn rewrite_refs_below(
    node: &mut Value,
    parent: Option<&str>,
    rewrite: &dyn Fn(&str) -> Option<String>,
) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    Value::String(reference) if key == "$ref" => {
                        if let Some(new) = rewrite(reference) {
                            *reference = new;
                        }
                    }
                    // Example values are data, not schema: a `$ref` key there is a value.
                    _ if holds_data(key, parent, &["example", "default", "enum", "const"]) => {}
                    _ => rewrite_refs_below(value, Some(key), rewrite),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite_refs_below(item, None, rewrite);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn origins_replace_the_longest_prefix() {
        let mut origins = Origins::default();
        origins.record("/components/schemas", "/definitions");
        origins.record("/paths/~1a/get/requestBody", "/paths/~1a/get/parameters/2");
        origins.record(
            "/paths/~1a/get/requestBody/content/application~1json/schema",
            "/paths/~1a/get/parameters/2/schema",
        );
        assert_eq!(
            origins.original("/components/schemas/Pet/properties/id"),
            "/definitions/Pet/properties/id"
        );
        assert_eq!(
            origins.original("/paths/~1a/get/requestBody/content/application~1json/schema/items"),
            "/paths/~1a/get/parameters/2/schema/items"
        );
        assert_eq!(
            origins.original("/paths/~1a/get/requestBody"),
            "/paths/~1a/get/parameters/2"
        );
        // A token boundary is needed: `/components/schemasX` is not below `/components/schemas`.
        assert_eq!(
            origins.original("/components/schemasX"),
            "/components/schemasX"
        );
        assert_eq!(origins.original("/info"), "/info");
    }

    #[test]
    fn versions_pick_their_pass() {
        let v30 = json!({"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {}});
        let normalized = normalize(v30.clone()).unwrap();
        assert_eq!(normalized.document, v30);
        assert!(normalized.origins.is_empty());
        let v31 = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}});
        assert_eq!(normalize(v31).unwrap().document["openapi"], TARGET_VERSION);
        let v2 = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}});
        assert_eq!(normalize(v2).unwrap().document["openapi"], TARGET_VERSION);
    }

    #[test]
    fn unknown_versions_are_refused_at_the_version_field() {
        let err = normalize(json!({"openapi": "4.0.0"})).unwrap_err();
        assert_eq!(err.pointer, "/openapi");
        assert!(err.message.contains("\"4.0.0\""), "{err}");
        let err = normalize(json!({"swagger": "1.2"})).unwrap_err();
        assert_eq!(err.pointer, "/swagger");
        let err = normalize(json!({"info": {}})).unwrap_err();
        assert!(err.message.contains("missing"), "{err}");
    }

    #[test]
    fn refs_are_rewritten_outside_example_values() {
        let mut node = json!({
            "a": {"$ref": "#/definitions/A"},
            "example": {"$ref": "#/definitions/A"},
            "list": [{"$ref": "#/definitions/B"}]
        });
        rewrite_refs(&mut node, &|r| {
            r.strip_prefix("#/definitions/")
                .map(|k| format!("#/components/schemas/{k}"))
        });
        assert_eq!(node["a"]["$ref"], "#/components/schemas/A");
        assert_eq!(node["example"]["$ref"], "#/definitions/A");
        assert_eq!(node["list"][0]["$ref"], "#/components/schemas/B");
        // Under a map of names, `default` and `example` are names: the default response,
        // a property called `example`.
        let mut node = json!({
            "responses": {"default": {"schema": {"$ref": "#/definitions/E"}}},
            "properties": {"example": {"$ref": "#/definitions/E"}, "default": {"$ref": "#/definitions/E"}},
            "default": {"$ref": "#/definitions/E"}
        });
        rewrite_refs(&mut node, &|r| {
            r.strip_prefix("#/definitions/")
                .map(|k| format!("#/components/schemas/{k}"))
        });
        assert_eq!(
            node["responses"]["default"]["schema"]["$ref"],
            "#/components/schemas/E"
        );
        assert_eq!(
            node["properties"]["example"]["$ref"],
            "#/components/schemas/E"
        );
        assert_eq!(
            node["properties"]["default"]["$ref"],
            "#/components/schemas/E"
        );
        assert_eq!(node["default"]["$ref"], "#/definitions/E");
    }
}
