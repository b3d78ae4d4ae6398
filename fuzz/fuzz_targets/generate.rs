//! Raw bytes through the whole generator: load (JSON or YAML), lower, emit, render. It must
//! never panic, and whatever it generates must parse as Rust.
//!
//! An input whose first byte is below 16 is also read as a schema nested in a chain of
//! array schemas that ends 94 + that byte levels deep, so the fuzzer works on both sides of
//! the nesting limit (`forge_codegen::limits::MAX_NESTING`), where a document must either
//! generate or be refused with the limit's message.
//!
//! A first byte from 16 to 23 reads the rest as a schema in an OpenAPI 3.1 document, and
//! one from 24 to 31 as a definition in a Swagger 2.0 document (each used by a request
//! body and a response, and the 3.1 one by a webhook), so that every mutation of the
//! schema text goes through the normalization of those versions, not only mutations that
//! happen to keep a whole document of that version intact.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match text.as_bytes().first() {
        Some(&levels) if levels < 16 => check(&deep(&text[1..], 94 + usize::from(levels))),
        Some(16..=23) => check(&openapi_31(&text[1..])),
        Some(24..=31) => check(&swagger_2(&text[1..])),
        _ => check(text),
    }
});

/// `schema` (JSON text) as the innermost schema of a chain whose innermost object sits
/// `levels` levels deep.
fn deep(schema: &str, levels: usize) -> String {
    // The root, `components`, `schemas` and `Deep` are four levels; each `items` adds one.
    let chain = levels.saturating_sub(4);
    let mut out = String::from(
        r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{"Deep":"#,
    );
    for _ in 0..chain {
        out.push_str(r#"{"type":"array","items":"#);
    }
    out.push_str(if schema.trim().is_empty() { "{}" } else { schema });
    out.push_str(&"}".repeat(chain));
    out.push_str("}}}");
    out
}

/// `schema` (JSON text) as the component `S` of an OpenAPI 3.1 document.
fn openapi_31(schema: &str) -> String {
    let schema = if schema.trim().is_empty() { "{}" } else { schema };
    let body = r##"{"description":"d","content":{"application/json":{"schema":{"$ref":"#/components/schemas/S","description":"d"}}}}"##;
    format!(
        r#"{{"openapi":"3.1.0","info":{{"title":"t","version":"1"}},"paths":{{"/s":{{"post":{{"operationId":"s","requestBody":{body},"responses":{{"200":{body}}}}}}}}},"webhooks":{{"w":{{"post":{{"requestBody":{body}}}}}}},"components":{{"schemas":{{"S":{schema}}}}}}}"#
    )
}

/// `schema` (JSON text) as the definition `S` of a Swagger 2.0 document.
fn swagger_2(schema: &str) -> String {
    let schema = if schema.trim().is_empty() { "{}" } else { schema };
    let reference = r##"{"$ref":"#/definitions/S"}"##;
    format!(
        r#"{{"swagger":"2.0","info":{{"title":"t","version":"1"}},"paths":{{"/s":{{"post":{{"operationId":"s","parameters":[{{"name":"b","in":"body","schema":{reference}}}],"responses":{{"200":{{"description":"d","schema":{reference}}}}}}}}}}},"definitions":{{"S":{schema}}}}}"#
    )
}

fn check(text: &str) {
    let document = match forge_codegen::load::parse(text) {
        Ok(document) => document,
        Err(forge_codegen::Error::Parse(diagnostic)) if diagnostic.message.contains("deeper") => {
            let depth = diagnostic.pointer.split('/').skip(1).count();
            assert_eq!(depth, forge_codegen::limits::MAX_NESTING, "{diagnostic}");
            return;
        }
        Err(_) => return,
    };
    if let Ok(files) = forge_codegen::generate(&document, &forge_codegen::Settings::new("fuzz")) {
        for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
            if let Err(err) = syn::parse_file(&file.contents) {
                panic!("{} does not parse: {err}", file.path);
            }
        }
    }
}
