//! Criterion benchmarks of the generator's phases: `load::parse`, `lower_document`,
//! `emit_files`, `render_files` (format) and the whole `generate`.
//!
//! `cargo bench -p forge-codegen` runs them on the full Dialpad spec
//! (`../shared/specs/dialpad-api-v2.json` from the workspace root) when it is there, and on
//! a small built-in spec otherwise. `cargo xtask bench` gives the end-to-end figures with
//! their targets; these are for working on one phase.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use forge_codegen::Settings;

/// The full Dialpad spec, relative to this crate.
const DIALPAD_SPEC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/specs/dialpad-api-v2.json"
);

/// A small spec with the common shapes: path, query and header parameters, a JSON body,
/// nested objects, arrays, maps, enums, `allOf`, references and defaults.
const BUILT_IN_SPEC: &str = r##"{
  "openapi": "3.0.3",
  "info": {"title": "Bench store", "version": "1.0.0", "description": "A built-in spec for benchmarks."},
  "servers": [{"url": "https://api.example.com"}],
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    "schemas": {
      "Id": {"type": "integer", "format": "int64"},
      "Status": {"type": "string", "enum": ["available", "pending", "sold"]},
      "Tag": {"type": "object", "properties": {"id": {"$ref": "#/components/schemas/Id"}, "name": {"type": "string"}}},
      "NewPet": {
        "type": "object",
        "required": ["name"],
        "properties": {
          "name": {"type": "string", "description": "The pet's name."},
          "status": {"$ref": "#/components/schemas/Status"},
          "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
          "attributes": {"type": "object", "additionalProperties": {"type": "string"}},
          "born": {"type": "string", "format": "date-time"},
          "vaccinated": {"type": "boolean", "default": false}
        }
      },
      "Pet": {"allOf": [
        {"$ref": "#/components/schemas/NewPet"},
        {"type": "object", "required": ["id"], "properties": {
          "id": {"$ref": "#/components/schemas/Id"},
          "owner": {"type": "object", "properties": {"id": {"$ref": "#/components/schemas/Id"}, "email": {"type": "string"}}}
        }}
      ]},
      "PetPage": {"type": "object", "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
        "cursor": {"type": "string", "nullable": true}
      }},
      "Problem": {"type": "object", "properties": {"code": {"type": "integer"}, "message": {"type": "string"}}}
    }
  },
  "security": [{"bearer": []}],
  "paths": {
    "/pets": {
      "get": {
        "operationId": "listPets",
        "summary": "List pets",
        "parameters": [
          {"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/Status"}},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32", "default": 20}},
          {"name": "cursor", "in": "query", "schema": {"type": "string"}}
        ],
        "responses": {
          "200": {"description": "A page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PetPage"}}}},
          "default": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
        }
      },
      "post": {
        "operationId": "createPet",
        "summary": "Create a pet",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}}},
        "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}
      }
    },
    "/pets/{petId}": {
      "parameters": [{"name": "petId", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Id"}}],
      "get": {
        "operationId": "getPet",
        "parameters": [{"name": "X-Request-Id", "in": "header", "schema": {"type": "string"}}],
        "responses": {"200": {"description": "The pet", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}
      },
      "patch": {
        "operationId": "updatePet",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}}},
        "responses": {"200": {"description": "Updated", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}
      },
      "delete": {
        "operationId": "deletePet",
        "responses": {"204": {"description": "Deleted"}}
      }
    }
  }
}"##;

fn spec() -> (&'static str, String) {
    match std::fs::read_to_string(DIALPAD_SPEC) {
        Ok(text) => ("dialpad", text),
        Err(_) => {
            eprintln!(
                "note: {DIALPAD_SPEC} is absent; benchmarking the small built-in spec instead"
            );
            ("built-in", BUILT_IN_SPEC.to_owned())
        }
    }
}

fn phases(c: &mut Criterion) {
    let (name, text) = spec();
    let mut settings = Settings::new("bench-client");
    settings.runtime_dependency("{ path = \"../runtime\" }");
    let document = forge_codegen::load::parse(&text).expect("the bench spec parses");
    let api = forge_codegen::lower_document(&document).expect("the bench spec lowers");
    let emitted = forge_codegen::emit_files(&api, &settings);

    let mut group = c.benchmark_group(name);
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("parse", |b| {
        b.iter(|| forge_codegen::load::parse(black_box(&text)).unwrap())
    });
    group.bench_function("lower", |b| {
        b.iter(|| forge_codegen::lower_document(black_box(&document)).unwrap())
    });
    group.bench_function("emit", |b| {
        b.iter(|| forge_codegen::emit_files(black_box(&api), &settings))
    });
    group.bench_function("format", |b| {
        b.iter_batched(
            || emitted.clone(),
            |emitted| forge_codegen::render_files(emitted, &settings).unwrap(),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("generate", |b| {
        b.iter(|| forge_codegen::generate(black_box(&document), &settings).unwrap())
    });
    group.finish();
}

criterion_group!(benches, phases);
criterion_main!(benches);
