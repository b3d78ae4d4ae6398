//! Swagger 2.0 to OpenAPI 3.0.3.
//!
//! | Swagger 2.0 | OpenAPI 3.0.3 |
//! |-------------|---------------|
//! | `host`, `basePath`, `schemes` | `servers` (one per scheme; `https` when none is given) |
//! | `definitions`, `parameters`, `responses` | `components.schemas`, `.parameters`, `.responses` |
//! | `securityDefinitions` (`basic`, `apiKey`, `oauth2`) | `components.securitySchemes` (`http` basic, `apiKey`, `oauth2` flows) |
//! | a `body` parameter | `requestBody`, one content entry per `consumes` media type |
//! | `formData` parameters (`type: file` too) | a `requestBody` object schema, `multipart/form-data` or `application/x-www-form-urlencoded`; a file is `format: binary` |
//! | a response `schema` | `content`, one entry per `produces` media type; `examples` per media type become that entry's `example` |
//! | `type`, `format`, `items`, `enum`, ... on a parameter or header | the same keywords under `schema` |
//! | `collectionFormat` `csv` / `ssv` / `pipes` / `multi` | `style: form` + `explode: false` (`simple` in paths and headers) / `spaceDelimited` / `pipeDelimited` / `form` + `explode: true` |
//! | `collectionFormat: tsv` | no 3.0 style: a warning, sent as `csv` |
//! | string `discriminator` | `discriminator: {propertyName}` |
//! | `x-nullable: true` | `nullable: true` |
//!
//! `consumes` and `produces` default to `application/json` when neither the operation nor the
//! document gives them (Swagger 2.0 §4.3 leaves the default to the tool). Every moved node is
//! recorded in [`Origins`](super::Origins), so that diagnostics point into the 2.0 document.

use serde_json::{json, Map, Value};

use super::schema::{for_each_child, MAX_DEPTH};
use super::{rewrite_refs, Normalized, Notes, METHODS, TARGET_VERSION};
use crate::error::pointer_push;

/// The keywords a non-body parameter, a header or an `items` object shares with a schema.
const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
    "x-nullable",
];

/// Rewrites a Swagger 2.0 document as OpenAPI 3.0.3.
pub fn normalize(document: Value) -> Normalized {
    let mut notes = Notes::default();
    let Value::Object(mut input) = document else {
        return notes.finish(document);
    };
    let mut input_value = Value::Object(std::mem::take(&mut input));
    rewrite_refs(&mut input_value, &|reference| {
        for (from, to) in [
            ("#/definitions/", "#/components/schemas/"),
            ("#/parameters/", "#/components/parameters/"),
            ("#/responses/", "#/components/responses/"),
        ] {
            if let Some(rest) = reference.strip_prefix(from) {
                return Some(format!("{to}{rest}"));
            }
        }
        None
    });
    let Value::Object(input) = input_value else {
        unreachable!("an object stays an object")
    };
    let cx = Source::new(&input);
    let mut out = Map::new();
    out.insert("openapi".into(), json!(TARGET_VERSION));
    out.insert(
        "info".into(),
        input.get("info").cloned().unwrap_or_else(|| json!({})),
    );
    if let Some(servers) = servers(&input) {
        out.insert("servers".into(), servers);
    }
    for key in ["security", "tags", "externalDocs"] {
        if let Some(value) = input.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    for (key, value) in &input {
        if key.starts_with("x-") {
            out.insert(key.clone(), value.clone());
        }
    }
    let components = components(&input, &cx, &mut notes);
    let paths = paths(&input, &cx, &mut notes);
    out.insert("paths".into(), paths);
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    notes.finish(Value::Object(out))
}

/// What the conversion of one part needs from the rest of the document.
struct Source<'a> {
    consumes: Vec<String>,
    produces: Vec<String>,
    /// Top-level `parameters`, to see through `$ref`s to body and form parameters.
    parameters: Option<&'a Map<String, Value>>,
}

impl<'a> Source<'a> {
    fn new(input: &'a Map<String, Value>) -> Self {
        Source {
            consumes: media_types(input.get("consumes")).unwrap_or_else(json_only),
            produces: media_types(input.get("produces")).unwrap_or_else(json_only),
            parameters: input.get("parameters").and_then(Value::as_object),
        }
    }

    /// A parameter, through its `$ref` to the top-level `parameters` when it has one, with
    /// the input pointer of the node that holds its fields.
    fn resolve(&self, param: &'a Value, pointer: String) -> (&'a Value, String) {
        let target = param
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/parameters/"))
            .map(|k| k.replace("~1", "/").replace("~0", "~"));
        match target.and_then(|k| self.parameters?.get(&k).map(|p| (k, p))) {
            Some((key, resolved)) => (resolved, pointer_push("/parameters", &key)),
            None => (param, pointer),
        }
    }
}

fn json_only() -> Vec<String> {
    vec!["application/json".to_owned()]
}

fn media_types(value: Option<&Value>) -> Option<Vec<String>> {
    let list: Vec<String> = value?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    (!list.is_empty()).then_some(list)
}

/// `host` + `basePath` for each of `schemes`.
fn servers(input: &Map<String, Value>) -> Option<Value> {
    let base = input.get("basePath").and_then(Value::as_str).unwrap_or("");
    let base = base.trim_end_matches('/');
    let Some(host) = input.get("host").and_then(Value::as_str) else {
        return (!base.is_empty()).then(|| json!([{"url": base}]));
    };
    let mut schemes: Vec<&str> = input
        .get("schemes")
        .and_then(Value::as_array)
        .map(|s| s.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    // The secure scheme first: the first server is the client's default.
    schemes.sort_by_key(|s| (*s != "https", *s != "http"));
    schemes.retain(|s| matches!(*s, "http" | "https"));
    if schemes.is_empty() {
        schemes.push("https");
    }
    let servers: Vec<Value> = schemes
        .iter()
        .map(|scheme| json!({"url": format!("{scheme}://{host}{base}")}))
        .collect();
    Some(Value::Array(servers))
}

fn components(
    input: &Map<String, Value>,
    cx: &Source<'_>,
    notes: &mut Notes,
) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(definitions) = input.get("definitions").and_then(Value::as_object) {
        notes.origins.record("/components/schemas", "/definitions");
        let mut schemas = Map::new();
        for (key, schema) in definitions {
            let mut schema = schema.clone();
            rewrite_schema(
                &mut schema,
                &pointer_push("/components/schemas", key),
                0,
                notes,
            );
            schemas.insert(key.clone(), schema);
        }
        out.insert("schemas".into(), Value::Object(schemas));
    }
    if let Some(parameters) = input.get("parameters").and_then(Value::as_object) {
        notes
            .origins
            .record("/components/parameters", "/parameters");
        let mut converted = Map::new();
        for (key, param) in parameters {
            // Body and form parameters become request bodies where they are used.
            if matches!(
                param.get("in").and_then(Value::as_str),
                Some("body" | "formData")
            ) {
                continue;
            }
            let pointer = pointer_push("/components/parameters", key);
            converted.insert(key.clone(), parameter(param, &pointer, notes));
        }
        if !converted.is_empty() {
            out.insert("parameters".into(), Value::Object(converted));
        }
    }
    if let Some(responses) = input.get("responses").and_then(Value::as_object) {
        notes.origins.record("/components/responses", "/responses");
        let mut converted = Map::new();
        for (key, response_value) in responses {
            let pointer = pointer_push("/components/responses", key);
            converted.insert(
                key.clone(),
                response(response_value, &pointer, &cx.produces, notes),
            );
        }
        out.insert("responses".into(), Value::Object(converted));
    }
    if let Some(definitions) = input.get("securityDefinitions").and_then(Value::as_object) {
        notes
            .origins
            .record("/components/securitySchemes", "/securityDefinitions");
        let mut schemes = Map::new();
        for (key, definition) in definitions {
            let pointer = pointer_push("/components/securitySchemes", key);
            if let Some(scheme) = security_scheme(definition, &pointer, notes) {
                schemes.insert(key.clone(), scheme);
            }
        }
        out.insert("securitySchemes".into(), Value::Object(schemes));
    }
    out
}

/// A `securityDefinitions` entry as a 3.0 security scheme.
fn security_scheme(definition: &Value, pointer: &str, notes: &mut Notes) -> Option<Value> {
    let mut out = Map::new();
    if let Some(description) = definition.get("description") {
        out.insert("description".into(), description.clone());
    }
    match definition.get("type").and_then(Value::as_str) {
        Some("basic") => {
            out.insert("type".into(), json!("http"));
            out.insert("scheme".into(), json!("basic"));
        }
        Some("apiKey") => {
            out.insert("type".into(), json!("apiKey"));
            out.insert(
                "name".into(),
                definition.get("name").cloned().unwrap_or(json!("")),
            );
            out.insert(
                "in".into(),
                definition.get("in").cloned().unwrap_or(json!("header")),
            );
        }
        Some("oauth2") => {
            let flow_name = match definition.get("flow").and_then(Value::as_str) {
                Some("implicit") => "implicit",
                Some("password") => "password",
                Some("application") => "clientCredentials",
                _ => "authorizationCode",
            };
            let mut flow = Map::new();
            for key in ["authorizationUrl", "tokenUrl"] {
                if let Some(url) = definition.get(key) {
                    flow.insert(key.into(), url.clone());
                }
            }
            // 3.0 requires the URLs each flow uses; an absent one is an empty string.
            if matches!(flow_name, "implicit" | "authorizationCode") {
                flow.entry("authorizationUrl").or_insert(json!(""));
            }
            if flow_name != "implicit" {
                flow.entry("tokenUrl").or_insert(json!(""));
            }
            flow.insert(
                "scopes".into(),
                definition.get("scopes").cloned().unwrap_or(json!({})),
            );
            out.insert("type".into(), json!("oauth2"));
            out.insert("flows".into(), json!({ flow_name: flow }));
        }
        other => {
            notes.warn(
                pointer,
                format!("security definition type {other:?} is not one of basic, apiKey, oauth2; left out"),
            );
            return None;
        }
    }
    Some(Value::Object(out))
}

fn paths(input: &Map<String, Value>, cx: &Source<'_>, notes: &mut Notes) -> Value {
    let mut out = Map::new();
    let Some(paths) = input.get("paths").and_then(Value::as_object) else {
        return Value::Object(out);
    };
    for (path, item) in paths {
        let item_pointer = pointer_push("/paths", path);
        let Some(item) = item.as_object() else {
            continue;
        };
        let shared: Vec<(usize, &Value)> = item
            .get("parameters")
            .and_then(Value::as_array)
            .map(|p| p.iter().enumerate().collect())
            .unwrap_or_default();
        let mut converted = Map::new();
        for (key, value) in item {
            if key.starts_with("x-") || matches!(key.as_str(), "summary" | "description" | "$ref") {
                converted.insert(key.clone(), value.clone());
            }
        }
        // Path-level parameters stay there unless they hold the body, which moves into each
        // operation's request body.
        let mut kept_shared = Vec::new();
        for (index, param) in &shared {
            let original = format!("{item_pointer}/parameters/{index}");
            let (resolved, _) = cx.resolve(param, original.clone());
            if matches!(
                resolved.get("in").and_then(Value::as_str),
                Some("body" | "formData")
            ) {
                continue;
            }
            let normalized = format!("{item_pointer}/parameters/{}", kept_shared.len());
            notes.origins.record(normalized.clone(), original);
            kept_shared.push(parameter(param, &normalized, notes));
        }
        if !kept_shared.is_empty() {
            converted.insert("parameters".into(), Value::Array(kept_shared));
        }
        for (method, op) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let op_pointer = pointer_push(&item_pointer, method);
            converted.insert(
                method.clone(),
                operation(op, &op_pointer, &shared, &item_pointer, cx, notes),
            );
        }
        out.insert(path.clone(), Value::Object(converted));
    }
    Value::Object(out)
}

fn operation(
    op: &Value,
    pointer: &str,
    shared: &[(usize, &Value)],
    item_pointer: &str,
    cx: &Source<'_>,
    notes: &mut Notes,
) -> Value {
    let Some(op) = op.as_object() else {
        return op.clone();
    };
    let consumes = media_types(op.get("consumes")).unwrap_or_else(|| cx.consumes.clone());
    let produces = media_types(op.get("produces")).unwrap_or_else(|| cx.produces.clone());
    let mut out = Map::new();
    for (key, value) in op {
        if key.starts_with("x-")
            || matches!(
                key.as_str(),
                "tags"
                    | "summary"
                    | "description"
                    | "externalDocs"
                    | "operationId"
                    | "deprecated"
                    | "security"
            )
        {
            out.insert(key.clone(), value.clone());
        }
    }
    let own: Vec<(String, &Value)> = op
        .get("parameters")
        .and_then(Value::as_array)
        .map(|p| {
            p.iter()
                .enumerate()
                .map(|(i, p)| (format!("{pointer}/parameters/{i}"), p))
                .collect()
        })
        .unwrap_or_default();
    // Body and form parameters declared on the path item apply to the operation too, unless
    // the operation overrides them.
    let mut bodies: Vec<(String, &Value, String)> = Vec::new();
    let mut forms: Vec<(String, &Value, String)> = Vec::new();
    let mut plain = Vec::new();
    let key_of = |p: &Value| {
        (
            p.get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            p.get("in").and_then(Value::as_str).unwrap_or("").to_owned(),
        )
    };
    let own_keys: Vec<(String, String)> = own
        .iter()
        .map(|(ptr, p)| key_of(cx.resolve(p, ptr.clone()).0))
        .collect();
    let inherited = shared.iter().filter_map(|(index, p)| {
        let ptr = format!("{item_pointer}/parameters/{index}");
        let (resolved, at) = cx.resolve(p, ptr.clone());
        let location = resolved.get("in").and_then(Value::as_str);
        (matches!(location, Some("body" | "formData")) && !own_keys.contains(&key_of(resolved)))
            .then_some((ptr, *p, resolved, at))
    });
    let own_resolved = own.iter().map(|(ptr, p)| {
        let (resolved, at) = cx.resolve(p, ptr.clone());
        (ptr.clone(), *p, resolved, at)
    });
    for (ptr, param, resolved, at) in inherited.chain(own_resolved) {
        match resolved.get("in").and_then(Value::as_str) {
            Some("body") => bodies.push((ptr, resolved, at)),
            Some("formData") => forms.push((ptr, resolved, at)),
            _ if ptr.starts_with(pointer) => plain.push((ptr, param)),
            _ => {}
        }
    }
    if !plain.is_empty() {
        let mut params = Vec::new();
        for (index, (original, param)) in plain.into_iter().enumerate() {
            let normalized = format!("{pointer}/parameters/{index}");
            notes.origins.record(normalized.clone(), original);
            params.push(parameter(param, &normalized, notes));
        }
        out.insert("parameters".into(), Value::Array(params));
    }
    let body_pointer = pointer_push(pointer, "requestBody");
    if let Some((_, body, at)) = bodies.first() {
        notes.origins.record(body_pointer.clone(), at.clone());
        out.insert(
            "requestBody".into(),
            request_body(body, &body_pointer, at, &consumes, notes),
        );
    } else if !forms.is_empty() {
        out.insert(
            "requestBody".into(),
            form_body(&forms, &body_pointer, &consumes, notes),
        );
    }
    if let Some(responses) = op.get("responses").and_then(Value::as_object) {
        let mut converted = Map::new();
        for (code, value) in responses {
            let p = pointer_push(&pointer_push(pointer, "responses"), code);
            converted.insert(code.clone(), response(value, &p, &produces, notes));
        }
        out.insert("responses".into(), Value::Object(converted));
    }
    Value::Object(out)
}

fn request_body(
    body: &Value,
    pointer: &str,
    at: &str,
    consumes: &[String],
    notes: &mut Notes,
) -> Value {
    let mut schema = body.get("schema").cloned().unwrap_or_else(|| json!({}));
    let mut content = Map::new();
    for (index, media_type) in consumes.iter().enumerate() {
        let schema_pointer = format!(
            "{pointer}/content/{}/schema",
            media_type.replace('~', "~0").replace('/', "~1")
        );
        notes
            .origins
            .record(schema_pointer.clone(), pointer_push(at, "schema"));
        if index == 0 {
            rewrite_schema(&mut schema, &schema_pointer, 0, notes);
        }
        content.insert(media_type.clone(), json!({"schema": schema}));
    }
    let mut out = Map::new();
    if let Some(description) = body.get("description") {
        out.insert("description".into(), description.clone());
    }
    out.insert("content".into(), Value::Object(content));
    if body.get("required") == Some(&json!(true)) {
        out.insert("required".into(), json!(true));
    }
    Value::Object(out)
}

/// `formData` parameters as one object schema, one property each.
fn form_body(
    forms: &[(String, &Value, String)],
    pointer: &str,
    consumes: &[String],
    notes: &mut Notes,
) -> Value {
    let has_file = forms
        .iter()
        .any(|(_, p, _)| p.get("type").and_then(Value::as_str) == Some("file"));
    let media_type = consumes
        .iter()
        .find(|m| {
            m.starts_with("multipart/form-data")
                || m.starts_with("application/x-www-form-urlencoded")
        })
        .cloned()
        .unwrap_or_else(|| {
            if has_file {
                "multipart/form-data"
            } else {
                "application/x-www-form-urlencoded"
            }
            .to_owned()
        });
    let schema_pointer = format!(
        "{pointer}/content/{}/schema",
        media_type.replace('~', "~0").replace('/', "~1")
    );
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut encoding = Map::new();
    let urlencoded = media_type.starts_with("application/x-www-form-urlencoded");
    for (_, param, at) in forms {
        let name = param
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let property_pointer = pointer_push(&pointer_push(&schema_pointer, "properties"), &name);
        notes.origins.record(property_pointer.clone(), at.clone());
        let mut schema = inline_schema(param);
        if let Some(description) = param.get("description") {
            schema.insert("description".into(), description.clone());
        }
        let mut schema = Value::Object(schema);
        rewrite_schema(&mut schema, &property_pointer, 0, notes);
        if param.get("required") == Some(&json!(true)) {
            required.push(json!(name));
        }
        if let Some(style) = form_array_style(param, &property_pointer, urlencoded, notes) {
            encoding.insert(name.clone(), style);
        }
        properties.insert(name, schema);
    }
    if let Some((_, _, first)) = forms.first() {
        notes.origins.record(pointer.to_owned(), first.clone());
    }
    let mut schema = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        schema["required"] = Value::Array(required.clone());
    }
    let mut out = json!({"content": {&media_type: {"schema": schema}}});
    if !encoding.is_empty() {
        out["content"][&media_type]["encoding"] = Value::Object(encoding);
    }
    if !required.is_empty() {
        out["required"] = json!(true);
    }
    out
}

/// The 3.0 Encoding Object (§4.7.15) for a `formData` array whose `collectionFormat` is not
/// the 3.0 form default (`multi`: one field per item). Swagger 2.0 defaults to `csv`. In a
/// URL-encoded body `csv`, `ssv` and `pipes` are `style` values; a multipart body has no
/// spelling for them (3.0 ignores `style` there), nor has `tsv` anywhere: a warning, and
/// the items go one field each.
fn form_array_style(
    param: &Value,
    property_pointer: &str,
    urlencoded: bool,
    notes: &mut Notes,
) -> Option<Value> {
    if param.get("type").and_then(Value::as_str) != Some("array") {
        return None;
    }
    let format = param
        .get("collectionFormat")
        .and_then(Value::as_str)
        .unwrap_or("csv");
    let style = match format {
        "multi" => return None,
        "csv" if urlencoded => "form",
        "ssv" if urlencoded => "spaceDelimited",
        "pipes" if urlencoded => "pipeDelimited",
        other => {
            notes.warn(
                property_pointer,
                format!(
                    "`collectionFormat: {other}` has no OpenAPI 3.0 spelling in a {} body; \
                     each item is sent as its own field (`multi`)",
                    if urlencoded {
                        "URL-encoded"
                    } else {
                        "multipart"
                    }
                ),
            );
            return None;
        }
    };
    Some(json!({"style": style, "explode": false}))
}

/// The schema keywords of a non-body parameter, header or `items` object.
fn inline_schema(param: &Value) -> Map<String, Value> {
    let mut schema = Map::new();
    for key in SCHEMA_KEYWORDS {
        if let Some(value) = param.get(*key) {
            let value = if *key == "items" {
                Value::Object(inline_schema(value))
            } else {
                value.clone()
            };
            schema.insert((*key).to_owned(), value);
        }
    }
    schema
}

/// A query, header, path or cookie parameter (or a header object when `in` is absent).
fn parameter(param: &Value, pointer: &str, notes: &mut Notes) -> Value {
    let Some(fields) = param.as_object() else {
        return param.clone();
    };
    if fields.contains_key("$ref") {
        return param.clone();
    }
    let mut out = Map::new();
    for (key, value) in fields {
        if !SCHEMA_KEYWORDS.contains(&key.as_str()) && key != "collectionFormat" {
            out.insert(key.clone(), value.clone());
        }
    }
    let mut schema = Value::Object(inline_schema(param));
    let schema_pointer = pointer_push(pointer, "schema");
    // The parameter's own fields are its schema in 2.0: point there.
    notes
        .origins
        .record(schema_pointer.clone(), notes.origins.original(pointer));
    rewrite_schema(&mut schema, &schema_pointer, 0, notes);
    out.insert("schema".into(), schema);
    if fields.get("type").and_then(Value::as_str) == Some("array") {
        let location = fields.get("in").and_then(Value::as_str).unwrap_or("header");
        let format = fields
            .get("collectionFormat")
            .and_then(Value::as_str)
            .unwrap_or("csv");
        let in_query = location == "query";
        let simple = if in_query { "form" } else { "simple" };
        let (style, explode) = match format {
            "ssv" if in_query => ("spaceDelimited", false),
            "pipes" if in_query => ("pipeDelimited", false),
            "multi" if in_query || location == "formData" => ("form", true),
            "csv" => (simple, false),
            other => {
                notes.warn(
                    &pointer_push(pointer, "collectionFormat"),
                    format!("`collectionFormat: {other}` has no OpenAPI 3.0 style here; sent comma-separated (csv)"),
                );
                (simple, false)
            }
        };
        if location != "header" || fields.contains_key("in") {
            out.insert("style".into(), json!(style));
        }
        out.insert("explode".into(), json!(explode));
    }
    Value::Object(out)
}

fn response(value: &Value, pointer: &str, produces: &[String], notes: &mut Notes) -> Value {
    let Some(fields) = value.as_object() else {
        return value.clone();
    };
    if fields.contains_key("$ref") {
        return value.clone();
    }
    let mut out = Map::new();
    out.insert(
        "description".into(),
        fields
            .get("description")
            .cloned()
            .unwrap_or_else(|| json!("")),
    );
    for (key, value) in fields {
        if key.starts_with("x-") {
            out.insert(key.clone(), value.clone());
        }
    }
    if let Some(headers) = fields.get("headers").and_then(Value::as_object) {
        let mut converted = Map::new();
        for (name, header) in headers {
            let p = pointer_push(&pointer_push(pointer, "headers"), name);
            let mut header = parameter(header, &p, notes);
            if let Some(h) = header.as_object_mut() {
                h.remove("style");
            }
            converted.insert(name.clone(), header);
        }
        out.insert("headers".into(), Value::Object(converted));
    }
    let examples = fields.get("examples").and_then(Value::as_object);
    if let Some(schema) = fields.get("schema") {
        let mut content = Map::new();
        let mut media_types: Vec<String> = produces.to_vec();
        for media_type in examples.into_iter().flat_map(|e| e.keys()) {
            if !media_types.contains(media_type) {
                media_types.push(media_type.clone());
            }
        }
        let mut converted = schema.clone();
        let original = notes.origins.original(&pointer_push(pointer, "schema"));
        for (index, media_type) in media_types.iter().enumerate() {
            let schema_pointer = format!(
                "{pointer}/content/{}/schema",
                media_type.replace('~', "~0").replace('/', "~1")
            );
            notes
                .origins
                .record(schema_pointer.clone(), original.clone());
            if index == 0 {
                rewrite_schema(&mut converted, &schema_pointer, 0, notes);
            }
            let mut media = json!({"schema": converted});
            if let Some(example) = examples.and_then(|e| e.get(media_type)) {
                media["example"] = example.clone();
                let example_pointer = format!(
                    "{pointer}/content/{}/example",
                    media_type.replace('~', "~0").replace('/', "~1")
                );
                let original_example = notes.origins.original(&pointer_push(
                    &pointer_push(pointer, "examples"),
                    media_type,
                ));
                notes.origins.record(example_pointer, original_example);
            }
            content.insert(media_type.clone(), media);
        }
        out.insert("content".into(), Value::Object(content));
    }
    Value::Object(out)
}

/// Rewrites one 2.0 schema and its sub-schemas: `x-nullable`, string `discriminator`s,
/// `type: file`; then the JSON Schema spellings some 2.0 documents borrow (`type` lists,
/// `const`) the way 3.1 ones are rewritten.
fn rewrite_schema(node: &mut Value, pointer: &str, depth: usize, notes: &mut Notes) {
    rewrite_v2_schema(node, pointer, depth, notes);
    super::v31::rewrite_schema(node, pointer, depth, notes);
}

fn rewrite_v2_schema(node: &mut Value, pointer: &str, depth: usize, notes: &mut Notes) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(schema) = node.as_object_mut() else {
        return;
    };
    for_each_child(schema, pointer, &mut |child, child_pointer| {
        rewrite_v2_schema(child, child_pointer, depth + 1, notes);
    });
    if let Some(nullable) = schema.remove("x-nullable") {
        if nullable == json!(true) {
            schema.insert("nullable".into(), nullable);
        }
    }
    if let Some(Value::String(property)) = schema.get("discriminator").cloned() {
        schema.insert("discriminator".into(), json!({"propertyName": property}));
    }
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".into(), json!("string"));
        schema.insert("format".into(), json!("binary"));
    }
    if let Some(Value::Array(tuple)) = schema.get("items").cloned() {
        let first = tuple.first().cloned().unwrap_or_else(|| json!({}));
        let same = tuple.iter().all(|t| *t == first);
        schema.insert("items".into(), if same { first } else { json!({}) });
        notes.warn(&pointer_push(pointer, "items"), "a list of `items` schemas (a tuple) is read as an array of one item schema (any JSON value when they differ)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;

    fn doc(extra: Value) -> Value {
        let mut base =
            json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}});
        for (k, v) in extra.as_object().unwrap() {
            base[k] = v.clone();
        }
        base
    }

    fn pointers(warnings: &[Diagnostic]) -> Vec<&str> {
        warnings.iter().map(|w| w.pointer.as_str()).collect()
    }

    #[test]
    fn host_base_path_and_schemes_become_servers() {
        let out = normalize(doc(
            json!({"host": "api.example.com", "basePath": "/v1/", "schemes": ["http", "https"]}),
        ));
        assert_eq!(
            out.document["servers"],
            json!([{"url": "https://api.example.com/v1"}, {"url": "http://api.example.com/v1"}])
        );
        let out = normalize(doc(json!({"basePath": "/v1"})));
        assert_eq!(out.document["servers"], json!([{"url": "/v1"}]));
    }

    #[test]
    fn definitions_move_to_components_and_references_follow() {
        let out = normalize(doc(json!({"definitions": {
            "Pet": {"type": "object", "discriminator": "kind", "properties": {
                "kind": {"type": "string"},
                "owner": {"$ref": "#/definitions/Owner", "x-nullable": true}
            }},
            "Owner": {"type": "object"}
        }})));
        let pet = &out.document["components"]["schemas"]["Pet"];
        assert_eq!(pet["discriminator"], json!({"propertyName": "kind"}));
        assert_eq!(
            pet["properties"]["owner"],
            json!({"$ref": "#/components/schemas/Owner", "nullable": true})
        );
        assert_eq!(
            out.origins
                .original("/components/schemas/Pet/properties/kind"),
            "/definitions/Pet/properties/kind"
        );
    }

    #[test]
    fn body_and_form_parameters_become_request_bodies() {
        let out = normalize(doc(json!({
            "consumes": ["application/json"],
            "paths": {"/pets": {
                "post": {"parameters": [
                    {"name": "q", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "tsv"},
                    {"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}}
                ], "responses": {"200": {"description": "ok", "schema": {"type": "file"}}}},
                "put": {"consumes": ["multipart/form-data"], "parameters": [
                    {"name": "photo", "in": "formData", "type": "file", "required": true},
                    {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"}
                ], "responses": {"204": {"description": "done"}}}
            }}
        })));
        let post = &out.document["paths"]["/pets"]["post"];
        assert_eq!(
            post["requestBody"],
            json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}, "required": true})
        );
        assert_eq!(
            post["parameters"][0],
            json!({"name": "q", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": false})
        );
        assert_eq!(
            post["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            pointers(&out.warnings),
            ["/paths/~1pets/post/parameters/0/collectionFormat"]
        );
        assert_eq!(
            out.origins
                .original("/paths/~1pets/post/requestBody/content/application~1json/schema"),
            "/paths/~1pets/post/parameters/1/schema"
        );
        let put = &out.document["paths"]["/pets"]["put"];
        assert!(put["requestBody"]["content"]["multipart/form-data"]
            .get("encoding")
            .is_none());
        assert_eq!(
            put["requestBody"]["content"]["multipart/form-data"]["schema"],
            json!({"type": "object", "required": ["photo"], "properties": {
                "photo": {"type": "string", "format": "binary"},
                "tags": {"type": "array", "items": {"type": "string"}}
            }})
        );
        assert_eq!(
            out.origins.original(
                "/paths/~1pets/put/requestBody/content/multipart~1form-data/schema/properties/tags"
            ),
            "/paths/~1pets/put/parameters/1"
        );
    }

    #[test]
    fn form_arrays_keep_their_collection_format() {
        let array = |name: &str, format: Option<&str>| {
            let mut param = json!({"name": name, "in": "formData", "type": "array", "items": {"type": "string"}});
            if let Some(format) = format {
                param["collectionFormat"] = json!(format);
            }
            param
        };
        let out = normalize(doc(json!({
            "paths": {"/a": {
                "post": {"consumes": ["application/x-www-form-urlencoded"], "parameters": [
                    array("plain", None), array("pipes", Some("pipes")),
                    array("multi", Some("multi")), array("tabs", Some("tsv"))
                ], "responses": {"204": {"description": "done"}}},
                "put": {"consumes": ["multipart/form-data"], "parameters": [
                    array("csv", Some("csv")), array("multi", Some("multi"))
                ], "responses": {"204": {"description": "done"}}}
            }}
        })));
        let post = &out.document["paths"]["/a"]["post"]["requestBody"]["content"]
            ["application/x-www-form-urlencoded"];
        // Swagger's default is `csv`, 3.0's form default is one field per item.
        assert_eq!(
            post["encoding"],
            json!({
                "plain": {"style": "form", "explode": false},
                "pipes": {"style": "pipeDelimited", "explode": false}
            })
        );
        let put =
            &out.document["paths"]["/a"]["put"]["requestBody"]["content"]["multipart/form-data"];
        assert!(put.get("encoding").is_none());
        assert_eq!(
            pointers(&out.warnings),
            [
                "/paths/~1a/post/parameters/3",
                "/paths/~1a/put/parameters/0"
            ]
        );
    }

    #[test]
    fn security_definitions_become_schemes() {
        let out = normalize(doc(json!({"securityDefinitions": {
            "basic": {"type": "basic"},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
            "oauth": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t", "scopes": {"r": "read"}}
        }})));
        let schemes = &out.document["components"]["securitySchemes"];
        assert_eq!(schemes["basic"], json!({"type": "http", "scheme": "basic"}));
        assert_eq!(
            schemes["key"],
            json!({"type": "apiKey", "name": "X-Key", "in": "header"})
        );
        assert_eq!(
            schemes["oauth"]["flows"],
            json!({"clientCredentials": {"tokenUrl": "https://t", "scopes": {"r": "read"}}})
        );
    }

    #[test]
    fn response_examples_go_to_their_media_type() {
        let out = normalize(doc(
            json!({"produces": ["application/json"], "paths": {"/a": {"get": {"responses": {
                "200": {"description": "ok", "schema": {"type": "object"}, "examples": {"application/json": {"a": 1}}}
            }}}}}),
        ));
        let media =
            &out.document["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(media["example"], json!({"a": 1}));
        assert_eq!(
            out.origins
                .original("/paths/~1a/get/responses/200/content/application~1json/example"),
            "/paths/~1a/get/responses/200/examples/application~1json"
        );
    }
}
