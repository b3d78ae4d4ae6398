//! Property tests: the generator never panics. Random specs, valid and subtly invalid, built
//! from schema trees with hostile names, dangling and looping references, compositions and
//! odd values, must either generate files that all parse as Rust, or be refused with an
//! error that names a JSON pointer.
//!
//! Every check runs on a thread with a small stack ([`SMALL_STACK`]), so that generation
//! that depends on the caller's stack fails every run instead of now and then; and documents
//! nested near [`MAX_NESTING`] are generated on purpose, in JSON and YAML.

use forge_codegen::limits::MAX_NESTING;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// The stack every check runs on: 384 KiB, well below the 2 MiB of test threads.
const SMALL_STACK: usize = 384 << 10;

/// Names drawn for schemas, properties, parameters and enum values: ordinary, keyword,
/// symbolic, empty, non-ASCII and injection-shaped.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-zA-Z0-9_]{0,8}",
        Just("type".to_owned()),
        Just("self".to_owned()),
        Just("Self".to_owned()),
        Just("crate".to_owned()),
        Just("1st".to_owned()),
        Just(String::new()),
        Just("en-au".to_owned()),
        Just("+1".to_owned()),
        Just("\"); std::process::exit(1); //".to_owned()),
        Just("*/ #[cfg(x)] }".to_owned()),
        Just("ünï\u{202e}çødé".to_owned()),
        Just("a/b~c".to_owned()),
        "\\PC{0,6}",
    ]
}

const COMPONENTS: &[&str] = &["Alpha", "Beta", "Gamma", "Self", "type"];

fn reference() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0..COMPONENTS.len())
            .prop_map(|i| json!({ "$ref": format!("#/components/schemas/{}", COMPONENTS[i]) })),
        Just(json!({ "$ref": "#/components/schemas/Missing" })),
        Just(json!({ "$ref": "other.yaml#/Thing" })),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "string", "format": "date-time"})),
        Just(json!({"type": "string", "format": "date"})),
        Just(json!({"type": "string", "format": "binary"})),
        Just(json!({"type": "integer", "format": "int32", "default": 5_000_000_000_i64})),
        Just(json!({"type": "integer", "format": "int64"})),
        Just(json!({"type": "number"})),
        Just(json!({"type": "boolean", "default": "yes"})),
        Just(json!({})),
        Just(json!({"nullable": true})),
        prop::collection::vec(name(), 0..5)
            .prop_map(|values| json!({"type": "string", "enum": values})),
        Just(json!({"type": "string", "enum": [null]})),
        reference(),
    ]
}

/// Leaves only OpenAPI 3.1 (JSON Schema 2020-12) can spell, and the 3.0 ones.
fn leaf_31() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => leaf(),
        1 => prop_oneof![
            Just(json!({"type": ["string", "null"]})),
            Just(json!({"type": ["integer", "string", "null"], "format": "int64"})),
            Just(json!({"type": ["object", "array"]})),
            Just(json!({"type": "null"})),
            Just(json!({"type": []})),
            name().prop_map(|value| json!({"const": value})),
            Just(json!({"const": null})),
            Just(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5})),
            Just(json!({"type": "string", "contentEncoding": "base64"})),
            Just(json!({"type": "string", "contentMediaType": "image/png"})),
            Just(json!({"type": "integer", "examples": [1, "two"]})),
            Just(json!(true)),
            Just(json!(false)),
            Just(json!({"$ref": "#/components/schemas/Alpha/$defs/Inner"})),
            Just(json!({"$ref": "#/$defs/Nowhere"})),
            Just(json!({"$ref": "#/components/schemas/Alpha/$defs/Inner/$defs/Inner"})),
            Just(json!({"enum": ["a", null, 1]})),
            Just(json!({"enum": ["a", null]})),
            Just(json!({"$ref": "#/components/schemas/Beta", "description": "d", "required": ["x"]})),
        ],
    ]
}

/// OpenAPI 3.1 schema trees: the 3.0 shapes plus tuples, pattern properties, conditionals,
/// local definitions and `null` members.
fn schema_31() -> impl Strategy<Value = Value> {
    leaf_31().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            (prop::collection::vec((name(), inner.clone()), 0..4), prop::collection::vec(name(), 0..2))
                .prop_map(|(properties, required)| {
                    let properties: Map<String, Value> = properties.into_iter().collect();
                    json!({"type": ["object", "null"], "properties": properties, "required": required})
                }),
            prop::collection::vec(inner.clone(), 0..3)
                .prop_map(|items| json!({"type": "array", "prefixItems": items})),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| json!({"type": "object", "patternProperties": {"^a": a, "^b": b}})),
            inner.clone().prop_map(|s| json!({"type": "object", "unevaluatedProperties": s})),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(i, t, e)| json!({"if": i, "then": t, "else": e, "dependentRequired": {"a": ["b"]}})),
            (inner.clone(), inner.clone())
                .prop_map(|(outer, def)| json!({"allOf": [outer], "$defs": {"Inner": def}})),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|mut parts| {
                parts.push(json!({"type": "null"}));
                json!({"oneOf": parts})
            }),
            inner.prop_map(|s| json!({"type": "array", "items": s})),
        ]
    })
}

fn schema() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            (prop::collection::vec((name(), inner.clone()), 0..4), prop::collection::vec(name(), 0..2), any::<bool>())
                .prop_map(|(properties, required, nullable)| {
                    let properties: Map<String, Value> = properties.into_iter().collect();
                    json!({"type": "object", "properties": properties, "required": required, "nullable": nullable})
                }),
            inner.clone().prop_map(|items| json!({"type": "array", "items": items})),
            inner.clone().prop_map(|values| json!({"type": "object", "additionalProperties": values})),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|parts| json!({"allOf": parts})),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|parts| json!({"oneOf": parts})),
            (prop::collection::vec(inner.clone(), 0..3), name())
                .prop_map(|(parts, tag)| json!({"oneOf": parts, "discriminator": {"propertyName": tag}})),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|parts| json!({"type": "object", "anyOf": parts})),
            inner.clone().prop_map(|not| json!({"not": not})),
            inner.prop_map(|s| json!({"allOf": [s], "nullable": true, "description": "*/ ```rust\nfn main(){}\n```"})),
        ]
    })
}

fn parameter(schema: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    (name(), prop::sample::select(vec!["query", "header", "path", "cookie"]), any::<bool>(), schema)
        .prop_map(|(name, location, required, schema)| {
            json!({"name": name, "in": location, "required": required, "schema": schema})
        })
}

fn operation(schema: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    (
        prop::option::of(name()),
        prop::collection::vec(parameter(schema.clone()), 0..3),
        prop::option::of((prop::sample::select(vec!["application/json", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain", "image/png"]), schema.clone())),
        prop::sample::select(vec!["200", "201", "204", "2XX", "404", "default"]),
        prop::sample::select(vec!["application/json", "application/problem+json", "text/csv", "application/octet-stream"]),
        schema,
    )
        .prop_map(|(id, parameters, body, status, media, response)| {
            let mut op = json!({
                "parameters": parameters,
                "responses": {status: {"description": "d", "content": {media: {"schema": response}}}},
            });
            if let Some(id) = id {
                op["operationId"] = json!(id);
            }
            if let Some((media, schema)) = body {
                op["requestBody"] = json!({"content": {media: {"schema": schema}}});
            }
            op
        })
}

/// Random documents in every version the generator reads: OpenAPI 3.0, OpenAPI 3.1 (with
/// webhooks and shared path items) and Swagger 2.0 (the 3.0 shapes, rewritten).
fn document() -> impl Strategy<Value = Value> {
    prop_oneof![
        document_30(schema().boxed()),
        (document_30(schema_31().boxed()), any::<bool>())
            .prop_map(|(doc, shared)| as_31(doc, shared)),
        (document_30(schema().boxed()), any::<u8>()).prop_map(|(doc, seed)| as_swagger(doc, seed)),
    ]
}

/// A 3.0 document in 3.1 dress: the version, `webhooks` (a copy of the first path item),
/// and optionally every path item moved to `components.pathItems` behind a `$ref`.
fn as_31(mut doc: Value, shared: bool) -> Value {
    doc["openapi"] = json!("3.1.0");
    doc["info"]["summary"] = json!("s");
    doc["info"]["license"] = json!({"name": "MIT", "identifier": "MIT"});
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    if let Some((_, first)) = paths.iter().next() {
        doc["webhooks"] = json!({"event": first});
    }
    if shared {
        let mut items = Map::new();
        let mut refs = Map::new();
        for (index, (path, item)) in paths.into_iter().enumerate() {
            let key = format!("Item{index}");
            refs.insert(
                path,
                json!({"$ref": format!("#/components/pathItems/{key}")}),
            );
            items.insert(key, item);
        }
        refs.insert(
            "/dangling".into(),
            json!({"$ref": "#/components/pathItems/Missing"}),
        );
        doc["paths"] = Value::Object(refs);
        doc["components"]["pathItems"] = Value::Object(items);
    }
    doc
}

/// A 3.0 document rewritten as Swagger 2.0 by hand: `definitions`, parameters with inline
/// types and a `collectionFormat`, `body` or `formData` parameters, response `schema`s,
/// `host`/`basePath`, security definitions; `seed` picks among the variants.
fn as_swagger(doc: Value, seed: u8) -> Value {
    let text = serde_json::to_string(&doc).expect("serializes");
    let doc: Value = serde_json::from_str(&text.replace("#/components/schemas/", "#/definitions/"))
        .expect("still JSON");
    let formats = ["csv", "ssv", "tsv", "pipes", "multi"];
    let mut paths = Map::new();
    for (path, item) in doc["paths"].as_object().cloned().unwrap_or_default() {
        let mut converted = Map::new();
        for (method, op) in item.as_object().cloned().unwrap_or_default() {
            let mut parameters = Vec::new();
            for (index, param) in op["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .enumerate()
            {
                let schema = &param["schema"];
                let kind = schema["type"].as_str().unwrap_or("string");
                let mut p = json!({"name": param["name"], "in": param["in"], "required": param["required"], "type": kind});
                if kind == "array" {
                    p["items"] =
                        json!({"type": schema["items"]["type"].as_str().unwrap_or("string")});
                    p["collectionFormat"] =
                        json!(formats[(usize::from(seed) + index) % formats.len()]);
                }
                parameters.push(p);
            }
            let mut consumes = Vec::new();
            if let Some((media, body)) = op["requestBody"]["content"]
                .as_object()
                .and_then(|c| c.iter().next())
            {
                consumes.push(json!(media));
                let schema = &body["schema"];
                match schema["properties"].as_object() {
                    Some(properties) if media.contains("form") => {
                        for (name, property) in properties {
                            let kind = if property["format"] == "binary" { "file" } else { property["type"].as_str().unwrap_or("string") };
                            parameters.push(json!({"name": name, "in": "formData", "type": kind}));
                        }
                    }
                    _ => parameters.push(json!({"name": "body", "in": "body", "required": seed % 2 == 0, "schema": schema})),
                }
            }
            let mut responses = Map::new();
            let mut produces = Vec::new();
            for (status, response) in op["responses"].as_object().cloned().unwrap_or_default() {
                let mut r = json!({"description": "d"});
                if let Some((media, content)) = response["content"]
                    .as_object()
                    .and_then(|c| c.iter().next())
                {
                    produces.push(json!(media));
                    r["schema"] = content["schema"].clone();
                    if seed % 3 == 0 {
                        r["schema"]["x-nullable"] = json!(true);
                        r["examples"] = json!({media.clone(): {"a": 1}});
                    }
                }
                responses.insert(status, r);
            }
            let mut o = json!({"parameters": parameters, "responses": responses, "consumes": consumes, "produces": produces});
            if let Some(id) = op.get("operationId") {
                o["operationId"] = id.clone();
            }
            converted.insert(method, o);
        }
        paths.insert(path, Value::Object(converted));
    }
    let mut definitions = doc["components"]["schemas"].clone();
    if let (Some(defs), true) = (definitions.as_object_mut(), seed % 4 == 1) {
        if let Some(first) = defs.values_mut().next() {
            first["discriminator"] = json!("kind");
        }
    }
    let flow = ["implicit", "password", "application", "accessCode"][usize::from(seed) % 4];
    json!({
        "swagger": "2.0",
        "info": doc["info"],
        "host": if seed % 5 == 0 { json!(null) } else { json!("api.example.com") },
        "basePath": "/v1",
        "schemes": ["https"],
        "paths": paths,
        "definitions": definitions,
        "securityDefinitions": {
            "basic": {"type": "basic"},
            "key": {"type": "apiKey", "name": "k", "in": "query"},
            "oauth": {"type": "oauth2", "flow": flow, "scopes": {}}
        }
    })
}

fn document_30(schema: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(schema.clone(), COMPONENTS.len()),
        prop::collection::vec(
            (
                "/[a-z{}/]{0,12}",
                prop::sample::select(vec!["get", "post", "put", "delete", "patch"]),
                operation(schema),
            ),
            0..4,
        ),
        prop::option::of(name()),
    )
        .prop_map(|(schemas, operations, server)| {
            let schemas: Map<String, Value> = COMPONENTS
                .iter()
                .map(|name| (*name).to_owned())
                .zip(schemas)
                .collect();
            let mut paths = Map::new();
            for (path, method, op) in operations {
                paths.entry(path).or_insert_with(|| json!({}))[method] = op;
            }
            let mut doc = json!({
                "openapi": "3.0.3",
                "info": {"title": "t */", "version": "1"},
                "paths": paths,
                "components": {"schemas": schemas},
            });
            if let Some(server) = server {
                doc["servers"] = json!([{"url": format!("https://{server}.example.com/{{v}}")}]);
            }
            doc
        })
}

/// Generation either succeeds with Rust that parses, or fails with located diagnostics; run
/// on a thread with [`SMALL_STACK`].
fn check(text: &str) {
    let text = text.to_owned();
    on_small_stack(move || check_here(&text));
}

/// Runs `f` on a thread with [`SMALL_STACK`], passing its panic on.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    let outcome = std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(f)
        .expect("spawns")
        .join();
    if let Err(payload) = outcome {
        std::panic::resume_unwind(payload);
    }
}

fn check_here(text: &str) {
    let document = match forge_codegen::load::parse(text) {
        Ok(document) => document,
        Err(err) => {
            assert!(!err.to_string().is_empty());
            return;
        }
    };
    match forge_codegen::generate(&document, &forge_codegen::Settings::new("prop")) {
        Ok(files) => {
            for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
                // Checking the output is this test's own recursion (a type nested 90 deep
                // is `Vec<Vec<...>>` 90 deep), not the generator's: it gets a big stack.
                let parsed = forge_codegen::limits::with_stack(|| syn::parse_file(&file.contents));
                if let Err(err) = parsed {
                    panic!("{} does not parse: {err}\n{}", file.path, file.contents);
                }
            }
        }
        Err(forge_codegen::Error::Unsupported(diagnostics)) => {
            assert!(!diagnostics.is_empty());
            for diagnostic in diagnostics {
                assert!(
                    diagnostic.pointer.starts_with('/'),
                    "unlocated: {diagnostic}"
                );
            }
        }
        Err(other) => panic!("unexpected error kind: {other}"),
    }
}

/// One level of a deep schema chain: what wraps the schema below it.
#[derive(Debug, Clone, Copy)]
enum Wrap {
    /// `{"type": "object", "properties": {"p": ...}}`: two levels.
    Property,
    /// `{"type": "array", "items": ...}`: one level.
    Items,
    /// `{"type": "object", "additionalProperties": ...}`: one level.
    Map,
    /// `{"allOf": [...]}`: two levels.
    AllOf,
    /// `{"oneOf": [{"type": "string"}, ...]}`: two levels.
    OneOf,
}

fn wrap(inner: Value, how: Wrap) -> Value {
    match how {
        Wrap::Property => json!({"type": "object", "properties": {"p": inner}}),
        Wrap::Items => json!({"type": "array", "items": inner}),
        Wrap::Map => json!({"type": "object", "additionalProperties": inner}),
        Wrap::AllOf => json!({"allOf": [inner]}),
        Wrap::OneOf => json!({"oneOf": [{"type": "string"}, inner]}),
    }
}

/// The nesting depth of a JSON value: objects and arrays, the outermost counting as 1.
fn depth(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// A document with one schema chain nested to within a few levels of [`MAX_NESTING`] (on
/// either side of it), in a component or in a response.
fn deep_document() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(
            prop::sample::select(vec![
                Wrap::Property,
                Wrap::Items,
                Wrap::Map,
                Wrap::AllOf,
                Wrap::OneOf,
            ]),
            1..8,
        ),
        (MAX_NESTING - 6)..(MAX_NESTING + 4),
        any::<bool>(),
        leaf(),
    )
        .prop_map(|(pattern, target, in_response, leaf)| {
            let place = |schema: Value| {
                if in_response {
                    json!({
                        "openapi": "3.0.3",
                        "info": {"title": "deep", "version": "1"},
                        "paths": {"/deep": {"get": {"responses": {"200": {"description": "d",
                            "content": {"application/json": {"schema": schema}}}}}}},
                    })
                } else {
                    json!({
                        "openapi": "3.0.3",
                        "info": {"title": "deep", "version": "1"},
                        "paths": {},
                        "components": {"schemas": {"Alpha": {"type": "string"}, "Deep": schema}},
                    })
                }
            };
            let mut schema = leaf;
            let mut level = 0;
            while depth(&place(schema.clone())) < target {
                schema = wrap(schema, pattern[level % pattern.len()]);
                level += 1;
            }
            place(schema)
        })
}

/// Near the limit: a document within it is never refused for its nesting (and generates,
/// or is refused with located diagnostics); one past it gets the limit message, located.
fn check_deep(deeper: bool, text: &str, format: &str) {
    match forge_codegen::load::parse(text) {
        Err(forge_codegen::Error::Parse(diagnostic)) if diagnostic.message.contains("deeper") => {
            assert!(deeper, "{format} within the limit refused: {diagnostic}");
            assert!(
                diagnostic.message.contains(&format!("{format} document")),
                "{diagnostic}"
            );
            assert!(
                diagnostic.message.contains(&MAX_NESTING.to_string()),
                "{diagnostic}"
            );
            assert!(diagnostic.location.is_some(), "{diagnostic}");
            assert_eq!(
                diagnostic.pointer.split('/').skip(1).count(),
                MAX_NESTING,
                "{diagnostic}"
            );
        }
        other => {
            assert!(!deeper, "{format} past the limit not refused: {other:?}");
            check_here(text);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_specs_never_panic(doc in document()) {
        check(&serde_json::to_string(&doc).expect("serializes"));
    }

    #[test]
    fn random_specs_as_yaml_never_panic(doc in document()) {
        check(&serde_yaml::to_string(&doc).expect("serializes"));
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        check(&text);
    }
}

/// Deep documents cost about a hundred times an ordinary one, so their runs keep a fixed
/// number of cases whatever `PROPTEST_CASES` says.
const DEEP_CASES: u32 = 64;

fn run_deep(format: &'static str, to_text: fn(&Value) -> String) {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: DEEP_CASES,
        ..ProptestConfig::default()
    });
    runner
        .run(&deep_document(), |doc| {
            let deeper = depth(&doc) > MAX_NESTING;
            let text = to_text(&doc);
            on_small_stack(move || check_deep(deeper, &text, format));
            Ok(())
        })
        .unwrap_or_else(|err| panic!("{err}"));
}

#[test]
fn deep_specs_generate_or_meet_the_limit() {
    run_deep("JSON", |doc| {
        serde_json::to_string(doc).expect("serializes")
    });
}

#[test]
fn deep_specs_as_yaml_generate_or_meet_the_limit() {
    run_deep("YAML", |doc| {
        serde_yaml::to_string(doc).expect("serializes")
    });
}

/// Found by `random_specs_never_panic`: a property that is its own component narrowed by a
/// sibling keyword (3.1 turns `{$ref: Beta, required: [x]}` into an `allOf`), whose merge
/// expanded Beta's properties inline without end and overflowed even the generator's own
/// stack (a SIGSEGV, not a panic). It generates, with the property typed as any JSON value
/// and a warning at the `allOf`, in both versions and from a small stack.
#[test]
fn an_all_of_that_merges_its_own_component_generates() {
    let narrowed_self =
        json!({"$ref": "#/components/schemas/Beta", "description": "d", "required": ["x"]});
    let v31 = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Beta": {
            "type": ["object", "null"],
            "properties": {"id": {"type": "integer"}, "p": narrowed_self},
        }}},
    });
    let mut v30 = v31.clone();
    v30["openapi"] = json!("3.0.3");
    v30["components"]["schemas"]["Beta"]["type"] = json!("object");
    v30["components"]["schemas"]["Beta"]["properties"]["p"] =
        json!({"allOf": [{"$ref": "#/components/schemas/Beta"}, {"required": ["x"]}]});
    for doc in [v31, v30] {
        let text = serde_json::to_string(&doc).expect("serializes");
        check(&text);
        on_small_stack(move || {
            let document = forge_codegen::load::parse(&text).expect("loads");
            let (_, warnings) = forge_codegen::generate_with_warnings(
                &document,
                &forge_codegen::Settings::new("prop"),
            )
            .expect("generates");
            assert!(
                warnings
                    .iter()
                    .any(|w| w.pointer == "/components/schemas/Beta/properties/p"
                        && w.message.contains("merges \"#/components/schemas/Beta\"")),
                "{warnings:?}"
            );
        });
    }
}
