//! Property tests: the generator never panics. Random specs, valid and subtly invalid, built
//! from schema trees with hostile names, dangling and looping references, compositions and
//! odd values, must either generate files that all parse as Rust, or be refused with an
//! error that names a JSON pointer.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

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

fn parameter() -> impl Strategy<Value = Value> {
    (name(), prop::sample::select(vec!["query", "header", "path", "cookie"]), any::<bool>(), schema())
        .prop_map(|(name, location, required, schema)| {
            json!({"name": name, "in": location, "required": required, "schema": schema})
        })
}

fn operation() -> impl Strategy<Value = Value> {
    (
        prop::option::of(name()),
        prop::collection::vec(parameter(), 0..3),
        prop::option::of((prop::sample::select(vec!["application/json", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain", "image/png"]), schema())),
        prop::sample::select(vec!["200", "201", "204", "2XX", "404", "default"]),
        prop::sample::select(vec!["application/json", "application/problem+json", "text/csv", "application/octet-stream"]),
        schema(),
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

fn document() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(schema(), COMPONENTS.len()),
        prop::collection::vec(
            (
                "/[a-z{}/]{0,12}",
                prop::sample::select(vec!["get", "post", "put", "delete", "patch"]),
                operation(),
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

/// Generation either succeeds with Rust that parses, or fails with located diagnostics.
fn check(text: &str) {
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
                if let Err(err) = syn::parse_file(&file.contents) {
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
