//! OpenAPI 3.1 (and the 3.1 subset of 3.2) to 3.0.3.
//!
//! 3.1 schemas are JSON Schema 2020-12; 3.0 schemas are an older dialect. The rewrite, per
//! schema (OpenAPI 3.1 §4.8.24, JSON Schema Core §10, Validation §6):
//!
//! | 3.1 | 3.0.3 | precise? |
//! |-----|-------|----------|
//! | `type: [T, "null"]`, a `{type: "null"}` member of `oneOf`/`anyOf` | `type: T`, `nullable: true` | yes |
//! | `type: [T, U]` | `oneOf` of one schema per type, each with that type's keywords | yes |
//! | `type: "null"` alone | no type, `nullable: true` (any JSON value) | warning |
//! | `const: v` | `enum: [v]` | yes |
//! | `examples: [a, ..]` | `example: a` | yes |
//! | `exclusiveMinimum: n` | `minimum: n`, `exclusiveMinimum: true` (same for maximum) | yes |
//! | `contentEncoding: base64` / `contentMediaType` of bytes | `format: byte` / `format: binary` | yes |
//! | `$ref` with constraining siblings | `allOf: [{$ref}, {siblings}]` | yes |
//! | `$defs` | hoisted to `components.schemas` under its name (`<Component>.<name>` when taken), references rewritten | yes |
//! | `true` / `false` schemas | `{}` (any JSON value) | `false`: warning |
//! | `prefixItems` | `items`: the one item schema when all agree, else any JSON value | warning |
//! | `patternProperties` | `additionalProperties` (the one pattern's schema, else any JSON value) | warning |
//! | `unevaluatedProperties` | a schema: `additionalProperties`; `false`: left out | warning |
//! | `unevaluatedItems` | left out (the items are typed by `items`) | warning |
//! | `enum` without `type` | the `type` its values share; a `null` value makes it `nullable` | yes |
//! | `dependentRequired`, `dependentSchemas`, `if`/`then`/`else` | left out (the properties they name stay optional) | warning |
//!
//! At the document level: `components.pathItems` (and `$ref`s to them from `paths`,
//! `webhooks` and callbacks) are inlined, `info.summary` becomes the description when there
//! is none, `license.identifier` and `jsonSchemaDialect` are dropped, `paths` may be absent,
//! and `mutualTLS` security schemes are left out with a warning (a client certificate is
//! configured on the HTTP client, not per request). `webhooks` stay in the document: they are
//! path items like `paths`, rewritten the same way.

use serde_json::{json, Map, Value};

use super::schema::{for_each_child, is_annotation, MAX_DEPTH};
use super::{
    for_each_schema, holds_data, rewrite_refs, Normalized, Notes, METHODS, TARGET_VERSION,
};
use crate::error::{pointer_push, Diagnostic};

/// Rewrites a 3.1 document as 3.0.3.
pub fn normalize(mut document: Value) -> Normalized {
    let mut notes = Notes::default();
    if !document.is_object() {
        return notes.finish(document);
    }
    document_level(&mut document, &mut notes);
    inline_path_items(&mut document, &mut notes);
    default_responses(&mut document);
    hoist_defs(&mut document, &mut notes);
    for_each_schema(&mut document, &mut |schema, pointer| {
        rewrite_schema(schema, pointer, 0, &mut notes);
    });
    notes.finish(document)
}

/// What a 3.2 document uses that 3.1 has no spelling for: each construct is removed and
/// reported at its pointer, naming it. The rest of the document is 3.1 and goes through
/// [`normalize`].
pub fn strip_v32(document: &mut Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut note = |pointer: String, construct: &str, fallback: &str| {
        out.push(Diagnostic::new(
            pointer,
            format!("{construct} is OpenAPI 3.2, which this generator reads only where it matches 3.1; {fallback}"),
        ))
    };
    if document.get("$self").is_some() {
        note("/$self".into(), "`$self`", "ignored");
    }
    if let Some(obj) = document.as_object_mut() {
        obj.remove("$self");
        if let Some(media) = obj
            .get_mut("components")
            .and_then(|c| c.as_object_mut())
            .and_then(|c| c.remove("mediaTypes"))
        {
            let _ = media;
            note(
                "/components/mediaTypes".into(),
                "`components.mediaTypes`",
                "its entries and references to them are left out",
            );
        }
    }
    for section in ["paths", "webhooks"] {
        let Some(items) = document.get_mut(section).and_then(Value::as_object_mut) else {
            continue;
        };
        for (path, item) in items.iter_mut() {
            let item_pointer = pointer_push(&format!("/{section}"), path);
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            if item.remove("query").is_some() {
                note(
                    pointer_push(&item_pointer, "query"),
                    "the `query` method",
                    "the operation is left out",
                );
            }
            if item.remove("additionalOperations").is_some() {
                note(
                    pointer_push(&item_pointer, "additionalOperations"),
                    "`additionalOperations`",
                    "those operations are left out",
                );
            }
            for (method, op) in item.iter_mut() {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                let op_pointer = pointer_push(&item_pointer, method);
                strip_v32_operation(op, &op_pointer, &mut note);
            }
        }
    }
    out
}

fn strip_v32_operation(op: &mut Value, pointer: &str, note: &mut dyn FnMut(String, &str, &str)) {
    if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
        let mut index = 0;
        params.retain(|param| {
            let keep = param.get("in").and_then(Value::as_str) != Some("querystring");
            if !keep {
                note(
                    format!("{pointer}/parameters/{index}"),
                    "a `querystring` parameter",
                    "the parameter is left out",
                );
            }
            index += 1;
            keep
        });
    }
    let mut bodies: Vec<(String, &mut Value)> = Vec::new();
    for (key, value) in op.as_object_mut().into_iter().flatten() {
        match (key.as_str(), value) {
            ("requestBody", body) => bodies.push((pointer_push(pointer, "requestBody"), body)),
            ("responses", Value::Object(responses)) => {
                for (code, response) in responses.iter_mut() {
                    let p = pointer_push(&pointer_push(pointer, "responses"), code);
                    bodies.push((p, response));
                }
            }
            _ => {}
        }
    }
    for (base, holder) in bodies {
        let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) else {
            continue;
        };
        for (media_type, media) in content.iter_mut() {
            let Some(media) = media.as_object_mut() else {
                continue;
            };
            if is_event_stream(media_type) {
                if let Some(item) = media.remove("itemSchema") {
                    media.insert("schema".into(), event_data_schema(item));
                }
            }
            if media.remove("itemSchema").is_some() {
                let p = pointer_push(
                    &pointer_push(&pointer_push(&base, "content"), media_type),
                    "itemSchema",
                );
                note(
                    p,
                    "`itemSchema` (a stream of items)",
                    "the body is typed by its `schema`, or as any JSON value",
                );
            }
        }
    }
}

/// Whether a media type is `text/event-stream` (parameters and case aside).
fn is_event_stream(media_type: &str) -> bool {
    media_type
        .split(';')
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("text/event-stream"))
}

/// The schema of each event's `data` from a `text/event-stream` `itemSchema` (OpenAPI 3.2,
/// Media Type Object): the `contentSchema` of its `data` property when the
/// item describes the whole event (`data` as a JSON string), else the item schema itself.
/// It becomes the media type's `schema`, which lowering reads as the type of each `data`.
fn event_data_schema(item: Value) -> Value {
    item.pointer("/properties/data/contentSchema")
        .cloned()
        .unwrap_or(item)
}

/// Document-level differences: the version, `info`, `paths`, security schemes.
fn document_level(document: &mut Value, notes: &mut Notes) {
    let root = document.as_object_mut().expect("checked by the caller");
    root.insert("openapi".into(), json!(TARGET_VERSION));
    root.remove("jsonSchemaDialect");
    root.entry("paths").or_insert_with(|| json!({}));
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        if let Some(summary) = info.remove("summary") {
            if !info.contains_key("description") {
                info.insert("description".into(), summary);
            }
        }
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            license.remove("identifier");
        }
    }
    let schemes = root
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
        .and_then(Value::as_object_mut);
    if let Some(schemes) = schemes {
        let mutual: Vec<String> = schemes
            .iter()
            .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(k, _)| k.clone())
            .collect();
        for key in mutual {
            schemes.shift_remove(&key);
            notes.warn(
                &pointer_push("/components/securitySchemes", &key),
                "a `mutualTLS` security scheme has no per-request credential; left out (give \
                 the client certificate to the HTTP client)",
            );
        }
    }
}

/// 3.1 lets an operation leave out `responses` (§4.8.10); 3.0 requires the field.
fn default_responses(document: &mut Value) {
    for section in ["paths", "webhooks"] {
        let Some(items) = document.get_mut(section).and_then(Value::as_object_mut) else {
            continue;
        };
        for item in items.values_mut().filter_map(Value::as_object_mut) {
            for (method, op) in item.iter_mut() {
                if let (true, Some(op)) = (METHODS.contains(&method.as_str()), op.as_object_mut()) {
                    op.entry("responses").or_insert_with(|| json!({}));
                }
            }
        }
    }
}

/// Replaces `$ref`s to `components.pathItems` in `paths`, `webhooks` and callbacks with the
/// path item itself, and drops `components.pathItems`.
fn inline_path_items(document: &mut Value, notes: &mut Notes) {
    let Some(shared) = document
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|c| c.remove("pathItems"))
    else {
        return;
    };
    let Value::Object(shared) = shared else {
        return;
    };
    for section in ["paths", "webhooks"] {
        let Some(items) = document.get_mut(section).and_then(Value::as_object_mut) else {
            continue;
        };
        for (key, item) in items.iter_mut() {
            let pointer = pointer_push(&format!("/{section}"), key);
            let Some(reference) = item.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            let target = reference
                .strip_prefix("#/components/pathItems/")
                .map(|k| k.replace("~1", "/").replace("~0", "~"));
            match target.as_ref().and_then(|k| shared.get(k).map(|v| (k, v))) {
                Some((name, resolved)) => {
                    // Siblings of the reference (a summary, a description) win over the target's.
                    let mut merged = resolved.clone();
                    if let (Some(merged), Some(own)) = (merged.as_object_mut(), item.as_object()) {
                        for (k, v) in own {
                            if k != "$ref" {
                                merged.insert(k.clone(), v.clone());
                            }
                        }
                    }
                    *item = merged;
                    notes
                        .origins
                        .record(pointer, pointer_push("/components/pathItems", name));
                }
                None if target.is_some() => {
                    notes.warn(
                        &pointer,
                        format!("path item `$ref` {reference:?} does not resolve; left out"),
                    );
                    *item = json!({});
                }
                None => {}
            }
        }
    }
}

/// Moves every `$defs` entry to `components.schemas` and rewrites the references to it.
fn hoist_defs(document: &mut Value, notes: &mut Notes) {
    let mut found: Vec<(String, String, Value)> = Vec::new();
    collect_defs(document, "", None, 0, &mut found);
    if found.is_empty() {
        return;
    }
    let root = document.as_object_mut().expect("checked by the caller");
    let components = root
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut();
    let Some(components) = components else {
        return;
    };
    let schemas = components.entry("schemas").or_insert_with(|| json!({}));
    let Some(schemas) = schemas.as_object_mut() else {
        return;
    };
    let mut moved: Vec<(String, String)> = Vec::new();
    for (original, qualified, schema) in found {
        // The definition's own name when it is free (so that an implicit discriminator
        // mapping, which names schemas by key, sees the name the author wrote), else the
        // name qualified by its owner, else numbered.
        let plain = qualified
            .rsplit('.')
            .next()
            .unwrap_or(&qualified)
            .to_owned();
        let base = if schemas.contains_key(&plain) {
            qualified
        } else {
            plain
        };
        let mut key = base.clone();
        let mut n = 2;
        while schemas.contains_key(&key) {
            key = format!("{base}{n}");
            n += 1;
        }
        schemas.insert(key.clone(), schema);
        let normalized = pointer_push("/components/schemas", &key);
        notes.origins.record(normalized.clone(), original.clone());
        moved.push((format!("#{original}"), format!("#{normalized}")));
    }
    // The longest moved prefix wins: a definition nested in a definition moved on its own,
    // so `#/.../$defs/A/$defs/B` follows B, not A.
    rewrite_refs(document, &|reference| {
        moved
            .iter()
            .filter_map(|(from, to)| {
                let rest = reference.strip_prefix(from.as_str())?;
                (rest.is_empty() || rest.starts_with('/')).then_some((from.len(), to, rest))
            })
            .max_by_key(|(length, _, _)| *length)
            .map(|(_, to, rest)| format!("{to}{rest}"))
    });
}

/// Removes `$defs` maps from schema objects anywhere in the document (outside example
/// values), outermost first, collecting (input pointer, derived key, schema).
fn collect_defs(
    node: &mut Value,
    pointer: &str,
    component: Option<&str>,
    depth: usize,
    out: &mut Vec<(String, String, Value)>,
) {
    if depth > MAX_DEPTH * 4 {
        return;
    }
    let Value::Object(map) = node else {
        if let Value::Array(items) = node {
            for (index, item) in items.iter_mut().enumerate() {
                let p = pointer_push(pointer, &index.to_string());
                collect_defs(item, &p, component, depth + 1, out);
            }
        }
        return;
    };
    if let Some(Value::Object(defs)) = map.remove("$defs") {
        let base = pointer_push(pointer, "$defs");
        for (name, schema) in defs {
            let key = match component {
                Some(owner) => format!("{owner}.{name}"),
                None => name.clone(),
            };
            let original = pointer_push(&base, &name);
            let start = out.len();
            out.push((original.clone(), key.clone(), schema));
            // Definitions nested in a definition are named after it.
            let mut inner = std::mem::take(&mut out[start].2);
            collect_defs(&mut inner, &original, Some(&key), depth + 1, out);
            out[start].2 = inner;
        }
    }
    let parent = pointer.rsplit('/').next();
    for (key, value) in map.iter_mut() {
        let data = ["example", "examples", "default", "enum", "const"];
        if holds_data(key, parent, &data) {
            continue;
        }
        let p = pointer_push(pointer, key);
        let owner = match (pointer, component) {
            ("/components/schemas", _) => Some(key.as_str()),
            (_, owner) => owner,
        };
        collect_defs(value, &p, owner, depth + 1, out);
    }
}

/// Rewrites one schema and, first, its sub-schemas.
pub(crate) fn rewrite_schema(node: &mut Value, pointer: &str, depth: usize, notes: &mut Notes) {
    match node {
        Value::Bool(true) => {
            *node = json!({});
            return;
        }
        Value::Bool(false) => {
            *node = json!({});
            notes.warn(
                pointer,
                "the `false` schema (no value is valid) is typed as any JSON value",
            );
            return;
        }
        Value::Object(_) => {}
        _ => return,
    }
    if depth > MAX_DEPTH {
        return;
    }
    let schema = node.as_object_mut().expect("matched above");
    strip_null_members(schema);
    for_each_child(schema, pointer, &mut |child, child_pointer| {
        // `additionalProperties: false` and the like keep their 3.0 meaning.
        let boolean_allowed = [
            "additionalProperties",
            "unevaluatedProperties",
            "unevaluatedItems",
            "items",
        ]
        .iter()
        .any(|k| child_pointer.ends_with(&format!("/{k}")));
        if !(child.is_boolean() && boolean_allowed) {
            rewrite_schema(child, child_pointer, depth + 1, notes);
        }
    });
    keywords(schema, pointer, notes);
    types(schema, pointer, notes);
    ref_siblings(schema);
}

/// Keyword by keyword rewrites that need no other keyword.
fn keywords(schema: &mut Map<String, Value>, pointer: &str, notes: &mut Notes) {
    if let Some(Value::Array(mut examples)) = schema.remove("examples") {
        if !schema.contains_key("example") && !examples.is_empty() {
            schema.insert("example".into(), examples.swap_remove(0));
        }
    }
    if let Some(value) = schema.remove("const") {
        // The value's own type, so that `const: "pet"` is a one-value string enum.
        if let Some(kind) = implied_type(std::slice::from_ref(&value)) {
            schema.entry("type").or_insert_with(|| json!(kind));
        }
        if value.is_null() {
            schema.insert("nullable".into(), json!(true));
        }
        schema.entry("enum").or_insert_with(|| json!([value]));
    }
    untyped_enum(schema);
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(bound) = schema.get(exclusive).filter(|v| v.is_number()).cloned() {
            schema.insert(inclusive.into(), bound);
            schema.insert(exclusive.into(), json!(true));
        }
    }
    let encoding = schema.remove("contentEncoding");
    let media_type = schema.remove("contentMediaType");
    if !schema.contains_key("format") {
        let format = match (
            encoding.as_ref().and_then(Value::as_str),
            media_type.as_ref().and_then(Value::as_str),
        ) {
            (Some(e), _)
                if e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("base64url") =>
            {
                Some("byte")
            }
            (None, Some(m)) if !is_textual(m) => Some("binary"),
            _ => None,
        };
        if let Some(format) = format {
            schema.insert("format".into(), json!(format));
        }
    }
    if let Some(patterns) = schema.remove("patternProperties") {
        let members: Vec<&Value> = patterns
            .as_object()
            .map(|m| m.values().collect())
            .unwrap_or_default();
        let merged = match members.as_slice() {
            [one] => (*one).clone(),
            _ => json!({}),
        };
        let fallback = if members.len() == 1 {
            "its schema is used for every additional property"
        } else {
            "additional properties are typed as any JSON value"
        };
        if matches!(
            schema.get("additionalProperties"),
            None | Some(Value::Bool(false))
        ) {
            schema.insert("additionalProperties".into(), merged);
        }
        notes.warn(&pointer_push(pointer, "patternProperties"), format!("`patternProperties` cannot be checked by a type; {fallback} (names are not matched)"));
    }
    if let Some(unevaluated) = schema.remove("unevaluatedProperties") {
        let p = pointer_push(pointer, "unevaluatedProperties");
        match unevaluated {
            Value::Bool(false) => notes.warn(
                &p,
                "`unevaluatedProperties: false` is not enforced; unknown properties are ignored",
            ),
            Value::Bool(true) => {}
            schema_value => {
                if !schema.contains_key("additionalProperties") {
                    schema.insert("additionalProperties".into(), schema_value);
                }
                notes.warn(&p, "`unevaluatedProperties` is read as `additionalProperties` (properties of `allOf` members are not subtracted)");
            }
        }
    }
    if let Some(unevaluated) = schema.remove("unevaluatedItems") {
        if unevaluated != Value::Bool(true) {
            notes.warn(
                &pointer_push(pointer, "unevaluatedItems"),
                "`unevaluatedItems` is not enforced; the items are typed by `items` alone",
            );
        }
    }
    for keyword in ["dependentRequired", "dependentSchemas"] {
        if schema.remove(keyword).is_some() {
            notes.warn(&pointer_push(pointer, keyword), format!("`{keyword}` is not enforced; the properties it names stay as the schema declares them"));
        }
    }
    let conditional: Vec<&str> = ["if", "then", "else"]
        .into_iter()
        .filter(|k| schema.contains_key(*k))
        .collect();
    if let Some(first) = conditional.first() {
        notes.warn(
            &pointer_push(pointer, first),
            "`if`/`then`/`else` is not enforced; the schema is read without the condition",
        );
        for keyword in conditional.clone() {
            schema.remove(keyword);
        }
    }
    if let Some(Value::Array(prefix)) = schema.remove("prefixItems") {
        let first = prefix.first().cloned();
        let all_same = prefix.iter().all(|p| Some(p) == first.as_ref());
        let tail = schema
            .get("items")
            .filter(|i| **i != Value::Bool(false))
            .cloned();
        let items = match (first, tail) {
            (Some(first), None) if all_same => first,
            (Some(first), Some(tail)) if all_same && first == tail => first,
            (None, Some(tail)) => tail,
            _ => json!({}),
        };
        schema.insert("items".into(), items);
        schema.entry("type").or_insert_with(|| json!("array"));
        notes.warn(&pointer_push(pointer, "prefixItems"), "a tuple (`prefixItems`) is read as an array of its item schema (any JSON value when the positions differ)");
    }
    if schema.get("items") == Some(&Value::Bool(false)) {
        schema.remove("items");
    }
}

/// The one JSON type of a list of values, nulls aside: `None` when they mix types or when
/// every value is `null`. Integers inside a list of numbers make it `number`.
fn implied_type(values: &[Value]) -> Option<&'static str> {
    let mut kind: Option<&'static str> = None;
    for value in values.iter().filter(|v| !v.is_null()) {
        let this = match value {
            Value::String(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_f64() => "number",
            Value::Number(_) => "integer",
            _ => return None,
        };
        kind = match (kind, this) {
            (None, this) => Some(this),
            (Some(a), b) if a == b => Some(a),
            (Some("integer" | "number"), "integer" | "number") => Some("number"),
            _ => return None,
        };
    }
    kind
}

/// JSON Schema lets `enum` stand without `type` (Validation §6.1.2), and 3.1 documents
/// often do, with `null` among the values for a nullable one; a 3.0 reader types such a
/// schema as any JSON value. When the values share one JSON type, it becomes the `type`,
/// and a `null` value makes the schema `nullable` (3.0 lists `null` in the enum too).
fn untyped_enum(schema: &mut Map<String, Value>) {
    if ["type", "$ref", "oneOf", "anyOf", "allOf"]
        .iter()
        .any(|k| schema.contains_key(*k))
    {
        return;
    }
    let Some(Value::Array(values)) = schema.get("enum") else {
        return;
    };
    let Some(kind) = implied_type(values) else {
        return;
    };
    let nullable = values.iter().any(Value::is_null);
    schema.insert("type".into(), json!(kind));
    if nullable {
        schema.insert("nullable".into(), json!(true));
    }
}

/// Whether a `contentMediaType` names text (then the string is the text itself).
fn is_textual(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence.starts_with("text/")
        || essence.ends_with("json")
        || essence.ends_with("+xml")
        || essence == "application/xml"
        || essence == "application/x-www-form-urlencoded"
}

/// `type` lists, and the `null` type.
fn types(schema: &mut Map<String, Value>, pointer: &str, notes: &mut Notes) {
    let listed: Vec<String> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => return,
    };
    let mut listed_types: Vec<String> = Vec::new();
    for t in listed {
        if !listed_types.contains(&t) {
            listed_types.push(t);
        }
    }
    let nullable = listed_types.iter().any(|t| t == "null");
    let mut kinds: Vec<String> = listed_types.into_iter().filter(|t| t != "null").collect();
    // Every integer is a number: `[integer, number]` is `number`.
    if kinds.iter().any(|t| t == "number") {
        kinds.retain(|t| t != "integer");
    }
    if nullable {
        schema.insert("nullable".into(), json!(true));
        if let Some(Value::Array(values)) = schema.get_mut("enum") {
            if !values.iter().any(Value::is_null) {
                values.push(Value::Null);
            }
        }
    }
    match kinds.len() {
        0 => {
            schema.remove("type");
            if schema
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|e| e.iter().all(Value::is_null))
            {
                schema.remove("enum");
            }
            notes.warn(
                &pointer_push(pointer, "type"),
                "the `null` type alone is typed as an optional any-JSON value",
            );
        }
        1 => {
            schema.insert("type".into(), json!(kinds[0]));
        }
        _ if schema.contains_key("oneOf") || schema.contains_key("anyOf") => {
            schema.remove("type");
            notes.warn(&pointer_push(pointer, "type"), "a `type` list beside `oneOf`/`anyOf` is left to the members; the list itself is not checked");
        }
        _ => {
            schema.remove("type");
            let enum_values = schema.remove("enum");
            let mut members = Vec::new();
            for kind in &kinds {
                let mut member = Map::new();
                member.insert("type".into(), json!(kind));
                for key in keywords_of(kind) {
                    if let Some(value) = schema.get(*key) {
                        member.insert((*key).into(), value.clone());
                    }
                }
                if let Some(Value::Array(values)) = &enum_values {
                    let of_kind: Vec<Value> = values
                        .iter()
                        .filter(|v| is_of_kind(v, kind))
                        .cloned()
                        .collect();
                    if !of_kind.is_empty() {
                        member.insert("enum".into(), Value::Array(of_kind));
                    }
                }
                members.push(Value::Object(member));
            }
            for kind in &kinds {
                for key in keywords_of(kind) {
                    schema.remove(*key);
                }
            }
            schema.insert("oneOf".into(), Value::Array(members));
        }
    }
}

/// The keywords that apply to one JSON type (JSON Schema Validation §6.2-6.5).
fn keywords_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
            "discriminator",
        ],
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "string" => &["format", "pattern", "minLength", "maxLength"],
        "integer" | "number" => &[
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        _ => &[],
    }
}

fn is_of_kind(value: &Value, kind: &str) -> bool {
    match kind {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => false,
    }
}

/// Whether a schema only says "null" (`type: "null"`, `const: null`, `enum: [null]`).
fn is_null_schema(schema: &Value) -> bool {
    let Some(schema) = schema.as_object() else {
        return false;
    };
    let only_null = |v: &Value| match v {
        Value::String(t) => t == "null",
        Value::Array(ts) => !ts.is_empty() && ts.iter().all(|t| t == "null"),
        _ => false,
    };
    schema.get("type").is_some_and(only_null)
        || schema.get("const").is_some_and(Value::is_null)
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| !e.is_empty() && e.iter().all(Value::is_null))
}

/// Removes the null members of `oneOf`/`anyOf` and makes the schema nullable instead.
fn strip_null_members(schema: &mut Map<String, Value>) {
    for keyword in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = schema.get_mut(keyword) else {
            continue;
        };
        let before = members.len();
        members.retain(|m| !is_null_schema(m));
        if members.len() != before {
            if members.is_empty() {
                schema.remove(keyword);
            }
            schema.insert("nullable".into(), json!(true));
        }
    }
}

/// A `$ref` with siblings that constrain the shape becomes `allOf: [{$ref}, {siblings}]`,
/// which the 3.0 model keeps; annotating siblings stay where the lowering reads them.
fn ref_siblings(schema: &mut Map<String, Value>) {
    if !schema.contains_key("$ref") {
        return;
    }
    // A repeated `type` says nothing the target does not.
    if schema.len() > 1 {
        schema.remove("type");
    }
    let constraining: Vec<String> = schema
        .keys()
        .filter(|k| *k != "$ref" && !is_annotation(k))
        .cloned()
        .collect();
    if constraining.is_empty() {
        return;
    }
    let mut rest = Map::new();
    for key in constraining {
        if let Some(value) = schema.remove(&key) {
            rest.insert(key, value);
        }
    }
    let reference = schema.remove("$ref").expect("checked above");
    schema.insert(
        "allOf".into(),
        json!([{"$ref": reference}, Value::Object(rest)]),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(value: Value) -> (Value, Vec<Diagnostic>) {
        let mut notes = Notes::default();
        let mut value = value;
        rewrite_schema(&mut value, "/s", 0, &mut notes);
        (value, notes.warnings)
    }

    #[test]
    fn a_type_list_with_null_is_a_nullable_type() {
        let (out, warnings) = schema(json!({"type": ["string", "null"], "enum": ["a", "b"]}));
        assert_eq!(
            out,
            json!({"type": "string", "nullable": true, "enum": ["a", "b", null]})
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn several_types_are_a_union_with_each_types_keywords() {
        let (out, _) = schema(json!({
            "type": ["string", "integer", "null"],
            "format": "int64", "minLength": 1, "description": "d"
        }));
        assert_eq!(
            out,
            json!({
                "nullable": true, "description": "d",
                "oneOf": [
                    {"type": "string", "format": "int64", "minLength": 1},
                    {"type": "integer", "format": "int64"}
                ]
            })
        );
        let (out, _) = schema(json!({"type": ["integer", "number"]}));
        assert_eq!(out, json!({"type": "number"}));
    }

    #[test]
    fn null_members_of_one_of_make_the_schema_nullable() {
        let (out, _) =
            schema(json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}));
        assert_eq!(
            out,
            json!({"oneOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})
        );
        let (out, warnings) = schema(json!({"type": "null"}));
        assert_eq!(out, json!({"nullable": true}));
        assert_eq!(warnings[0].pointer, "/s/type");
    }

    #[test]
    fn const_examples_and_exclusive_bounds_take_their_3_0_spelling() {
        let (out, warnings) = schema(json!({
            "type": "integer", "const": 3, "examples": [3, 4],
            "exclusiveMinimum": 0, "exclusiveMaximum": 10
        }));
        let (kind, _) = schema(json!({"const": "pet"}));
        assert_eq!(kind, json!({"type": "string", "enum": ["pet"]}));
        assert_eq!(
            out,
            json!({
                "type": "integer", "enum": [3], "example": 3,
                "exclusiveMinimum": true, "minimum": 0,
                "exclusiveMaximum": true, "maximum": 10
            })
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn an_untyped_enum_takes_the_type_its_values_share() {
        let (out, warnings) = schema(json!({"enum": ["celsius", "lux", null]}));
        assert_eq!(
            out,
            json!({"type": "string", "nullable": true, "enum": ["celsius", "lux", null]})
        );
        assert!(warnings.is_empty());
        let (out, _) = schema(json!({"enum": [1, 2.5]}));
        assert_eq!(out, json!({"type": "number", "enum": [1, 2.5]}));
        // Mixed values, or only null, leave the schema as it is (any JSON value).
        let (out, _) = schema(json!({"enum": ["a", 1]}));
        assert_eq!(out, json!({"enum": ["a", 1]}));
        let (out, _) = schema(json!({"enum": [{"a": 1}]}));
        assert_eq!(out, json!({"enum": [{"a": 1}]}));
    }

    #[test]
    fn encoded_strings_become_byte_and_binary_formats() {
        let (out, _) = schema(json!({"type": "string", "contentEncoding": "base64"}));
        assert_eq!(out, json!({"type": "string", "format": "byte"}));
        let (out, _) = schema(json!({"type": "string", "contentMediaType": "image/png"}));
        assert_eq!(out, json!({"type": "string", "format": "binary"}));
        let (out, _) = schema(json!({"type": "string", "contentMediaType": "application/json"}));
        assert_eq!(out, json!({"type": "string"}));
    }

    #[test]
    fn refs_with_constraining_siblings_become_all_of() {
        let (out, _) = schema(
            json!({"$ref": "#/components/schemas/A", "description": "d", "required": ["x"]}),
        );
        assert_eq!(
            out,
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/A"}, {"required": ["x"]}]})
        );
        let (out, _) = schema(json!({"$ref": "#/components/schemas/A", "description": "d"}));
        assert_eq!(
            out,
            json!({"$ref": "#/components/schemas/A", "description": "d"})
        );
    }

    #[test]
    fn what_cannot_be_checked_is_a_located_warning_with_a_fallback() {
        let (out, warnings) = schema(json!({
            "type": "object",
            "patternProperties": {"^x-": {"type": "string"}},
            "dependentRequired": {"a": ["b"]},
            "if": {"required": ["a"]}, "then": {"required": ["b"]},
            "unevaluatedProperties": false,
            "properties": {"t": {
                "prefixItems": [{"type": "string"}, {"type": "integer"}],
                "unevaluatedItems": false
            }}
        }));
        assert_eq!(
            out,
            json!({
                "type": "object",
                "additionalProperties": {"type": "string"},
                "properties": {"t": {"items": {}, "type": "array"}}
            })
        );
        let mut pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        pointers.sort();
        assert_eq!(
            pointers,
            [
                "/s/dependentRequired",
                "/s/if",
                "/s/patternProperties",
                "/s/properties/t/prefixItems",
                "/s/properties/t/unevaluatedItems",
                "/s/unevaluatedProperties",
            ]
        );
    }

    #[test]
    fn defs_are_hoisted_and_references_follow() {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1", "summary": "s", "license": {"name": "MIT", "identifier": "MIT"}},
            "components": {"schemas": {"A": {
                "type": "object",
                "properties": {
                    "b": {"$ref": "#/components/schemas/A/$defs/B"},
                    "c": {"$ref": "#/components/schemas/A/$defs/A"}
                },
                "$defs": {"B": {"type": ["string", "null"]}, "A": {"type": "integer"}}
            }}}
        });
        let out = normalize(doc);
        let schemas = &out.document["components"]["schemas"];
        assert_eq!(
            schemas["A"]["properties"]["b"]["$ref"],
            "#/components/schemas/B"
        );
        assert_eq!(
            schemas["A"]["properties"]["c"]["$ref"],
            "#/components/schemas/A.A"
        );
        assert_eq!(schemas["B"], json!({"type": "string", "nullable": true}));
        assert_eq!(schemas["A.A"], json!({"type": "integer"}));
        assert!(schemas["A"].get("$defs").is_none());
        assert_eq!(
            out.origins.original("/components/schemas/B/type"),
            "/components/schemas/A/$defs/B/type"
        );
        assert_eq!(out.document["info"]["description"], "s");
        // A definition nested in a definition is reached through both; its own move wins.
        let nested = json!({
            "openapi": "3.1.0",
            "components": {"schemas": {"T": {
                "properties": {"c": {"$ref": "#/components/schemas/T/$defs/C"}},
                "$defs": {"C": {
                    "properties": {"g": {"$ref": "#/components/schemas/T/$defs/C/$defs/G"}},
                    "$defs": {"G": {"type": "string"}}
                }}
            }}}
        });
        let out = normalize(nested);
        let schemas = &out.document["components"]["schemas"];
        assert_eq!(
            schemas["T"]["properties"]["c"]["$ref"],
            "#/components/schemas/C"
        );
        assert_eq!(
            schemas["C"]["properties"]["g"]["$ref"],
            "#/components/schemas/G"
        );
        assert_eq!(schemas["G"], json!({"type": "string"}));
        assert!(out.document["info"]["license"].get("identifier").is_none());
        assert_eq!(out.document["paths"], json!({}));
    }

    #[test]
    fn defs_below_a_default_response_or_a_property_named_default_are_hoisted() {
        let doc = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {"responses": {"default": {"description": "d", "content": {
                "application/json": {"schema": {
                    "$ref": "#/paths/~1a/get/responses/default/content/application~1json/schema/$defs/Problem",
                    "$defs": {"Problem": {"type": "object"}}
                }}
            }}}}}},
            "components": {"schemas": {"A": {"properties": {"default": {
                "$ref": "#/components/schemas/A/properties/default/$defs/Mode",
                "$defs": {"Mode": {"type": "string"}}
            }}}}}
        });
        let out = normalize(doc);
        let schema = &out.document["paths"]["/a"]["get"]["responses"]["default"]["content"]
            ["application/json"]["schema"];
        assert_eq!(schema, &json!({"$ref": "#/components/schemas/Problem"}));
        let schemas = &out.document["components"]["schemas"];
        assert_eq!(
            schemas["A"]["properties"]["default"],
            json!({"$ref": "#/components/schemas/Mode"})
        );
        assert_eq!(schemas["Mode"], json!({"type": "string"}));
    }

    #[test]
    fn shared_path_items_are_inlined_and_keep_their_pointer() {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
            "webhooks": {"ping": {"$ref": "#/components/pathItems/A"}},
            "components": {"pathItems": {"A": {"post": {"requestBody": {"content": {
                "application/json": {"schema": {"type": "object", "if": {}}}
            }}}}}}
        });
        let out = normalize(doc);
        assert!(out.document["paths"]["/a"]["post"].is_object());
        assert!(out.document["webhooks"]["ping"]["post"].is_object());
        assert!(out.document["components"].get("pathItems").is_none());
        assert_eq!(
            out.warnings[0].pointer,
            "/components/pathItems/A/post/requestBody/content/application~1json/schema/if"
        );
    }

    #[test]
    fn version_3_2_constructs_are_named_and_left_out() {
        let mut doc = json!({
            "openapi": "3.2.0",
            "paths": {"/a": {"query": {}, "get": {"parameters": [{"in": "querystring", "name": "q"}]}}}
        });
        let notes = strip_v32(&mut doc);
        let pointers: Vec<&str> = notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/paths/~1a/query", "/paths/~1a/get/parameters/0"]
        );
        assert!(notes[0].message.contains("`query` method"), "{}", notes[0]);
        assert_eq!(doc["paths"]["/a"], json!({"get": {"parameters": []}}));
    }

    #[test]
    fn an_event_stream_item_schema_types_each_event_and_others_are_left_out() {
        let progress = json!({"type": "object", "properties": {"n": {"type": "integer"}}});
        let mut doc = json!({
            "openapi": "3.2.0",
            "paths": {"/a": {"get": {"responses": {"200": {"content": {
                "text/event-stream": {"itemSchema": {
                    "type": "object",
                    "properties": {
                        "event": {"type": "string"},
                        "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": progress}
                    }
                }},
                "application/jsonl": {"itemSchema": {"type": "integer"}}
            }}}}}}
        });
        let notes = strip_v32(&mut doc);
        let content = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"];
        assert_eq!(content["text/event-stream"], json!({"schema": progress}));
        assert_eq!(content["application/jsonl"], json!({}));
        let pointers: Vec<&str> = notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/paths/~1a/get/responses/200/content/application~1jsonl/itemSchema"]
        );
    }
}
