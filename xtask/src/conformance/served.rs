//! The document Prism serves for a spec: a JSON copy under `<work>/served/`, equal to the
//! spec but for four things Prism needs to answer in reasonable time, at all, and within
//! the types the spec means.
//!
//! - `$ref`s that Prism's resolver stops at, refusing to start (a local reference to
//!   nothing, as in keycloak-admin; a URL, as in an example of github-v3-rest, which it tries
//!   to download), become `{}` (any value: the generator's own fallback for a dangling
//!   reference).
//! - The root gets `x-json-schema-faker: {maxItems: N}` (Prism's documented way to set the
//!   options of json-schema-faker, which makes up the `Prefer: dynamic=true` answers). Prism
//!   fills every optional property and gives an array without `maxItems` up to five items;
//!   on nested schemas (a keycloak realm, a xero invoice) one answer grows to gigabytes, and
//!   Prism spends minutes on it and then runs out of memory. With the cap every array of a
//!   made-up answer has `N` items: at least two (so that an array of several items is still
//!   decoded) and never fewer than any `minItems` of the spec (so that the answer still
//!   honours its schema). Requests, examples and the validation of both are untouched.
//! - An integer schema whose width `format` (`uint16`, `int8`, ...) implies bounds it does
//!   not spell out gets them spelled out ([`super::bounds`]): Prism reads bounds, not
//!   formats, and made up integers the field's Rust type rightly refuses.
//!
//! - An example whose intent is obvious but whose value says otherwise is rewritten
//!   ([`super::examples`]): `example: null` where the schema does not admit null (meaning
//!   "no example") is left out, and JSON text in a string where the schema does not admit a
//!   string becomes the JSON it holds. Prism would serve either as it is and then refuse it
//!   as contradicting the schema. What is rewritten is returned, to be reported as faults
//!   of the spec the calls read through.
//!
//! JSON pointers are unchanged, so what the report locates still points into the spec. A
//! spec that cannot be read here is served as it is.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// The items of every array in an answer Prism makes up, unless a `minItems` asks for more.
pub const GENERATED_ITEMS: u64 = 2;

/// The document Prism serves for a spec, and what differs from the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// The file to give Prism.
    pub path: PathBuf,
    /// How many `$ref`s were left out.
    pub replaced: usize,
    /// The examples rewritten.
    pub examples: Vec<super::examples::Rewritten>,
}

/// The file to give Prism for `spec`, written under `work/served/`; the spec itself when it
/// cannot be read or the copy cannot be written.
pub fn for_prism(spec: &Path, work: &Path) -> Served {
    let unchanged = Served {
        path: spec.to_path_buf(),
        replaced: 0,
        examples: Vec::new(),
    };
    let Ok(text) = fs::read_to_string(spec) else {
        return unchanged;
    };
    // YAML 1.2 is a superset of JSON: one parser reads both.
    let Ok(mut document) = serde_yaml::from_str::<Value>(&text) else {
        return unchanged;
    };
    let root = document.clone();
    let mut replaced = 0;
    neutralize(&mut document, &root, &mut replaced);
    let examples = super::examples::rewrite_examples(&mut document, &root);
    super::bounds::add_format_bounds(&mut document);
    limit_generated_arrays(&mut document);
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = work.join("served");
    let path = dir.join(format!("{stem}.json"));
    let written = fs::create_dir_all(&dir)
        .and_then(|()| fs::write(&path, serde_json::to_string(&document).unwrap_or_default()));
    match written {
        Ok(()) => Served {
            path,
            replaced,
            examples,
        },
        Err(_) => unchanged,
    }
}

/// Sets json-schema-faker's `maxItems` in the root's `x-json-schema-faker` to
/// [`GENERATED_ITEMS`], or to the largest `minItems` of the document if that is more; an
/// option the spec sets itself is kept.
fn limit_generated_arrays(document: &mut Value) {
    let mut items = GENERATED_ITEMS;
    largest_min_items(document, &mut items);
    let Value::Object(root) = document else {
        return;
    };
    let options = root
        .entry("x-json-schema-faker")
        .or_insert_with(|| json!({}));
    if let Value::Object(options) = options {
        options
            .entry("maxItems")
            .or_insert_with(|| Value::from(items));
    }
}

/// Raises `largest` to every integer `minItems` under `node`.
fn largest_min_items(node: &Value, largest: &mut u64) {
    match node {
        Value::Object(map) => {
            if let Some(min) = map.get("minItems").and_then(Value::as_u64) {
                *largest = (*largest).max(min);
            }
            map.values()
                .for_each(|value| largest_min_items(value, largest));
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| largest_min_items(item, largest)),
        _ => {}
    }
}

/// Replaces every object whose `$ref` does not resolve inside `root` by `{}`.
fn neutralize(node: &mut Value, root: &Value, replaced: &mut usize) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                if !resolves(root, reference) {
                    *node = json!({});
                    *replaced += 1;
                    return;
                }
            }
            for value in map.values_mut() {
                neutralize(value, root, replaced);
            }
        }
        Value::Array(items) => {
            for item in items {
                neutralize(item, root, replaced);
            }
        }
        _ => {}
    }
}

/// Whether `reference` is a local reference (`#/...`, percent-encoded or not, RFC 6901 §6)
/// to a node of `root`.
fn resolves(root: &Value, reference: &str) -> bool {
    let Some(fragment) = reference.strip_prefix('#') else {
        return false;
    };
    root.pointer(fragment).is_some() || root.pointer(&percent_decoded(fragment)).is_some()
}

/// `%XX` escapes decoded (RFC 3986 §2.1); anything else as it is.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_prism_cannot_resolve_become_any_value() {
        let root = json!({
            "components": {"schemas": {"A B": {"type": "string"}, "Pet": {"type": "object"}}},
            "paths": {
                "/a": {"$ref": "#/components/schemas/Pet"},
                "/b": {"$ref": "#/components/schemas/A%20B"},
                "/c": {"$ref": "#/components/schemas/Missing", "description": "gone"},
                "/d": {"example": [{"$ref": "https://api.example.com/users/1"}]}
            }
        });
        let mut document = root.clone();
        let mut replaced = 0;
        neutralize(&mut document, &root, &mut replaced);
        assert_eq!(replaced, 2);
        assert_eq!(document["paths"]["/a"], root["paths"]["/a"]);
        assert_eq!(document["paths"]["/b"], root["paths"]["/b"]);
        assert_eq!(document["paths"]["/c"], json!({}));
        assert_eq!(document["paths"]["/d"]["example"], json!([{}]));
    }

    #[test]
    fn width_formats_are_bounded_in_the_served_copy() {
        let work = std::env::temp_dir().join(format!("forge-served-bounds-{}", std::process::id()));
        fs::create_dir_all(&work).unwrap();
        let ports = work.join("ports.yaml");
        fs::write(
            &ports,
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    P: {type: integer, format: uint16}\n",
        )
        .unwrap();
        let served = for_prism(&ports, &work);
        let copy: Value = serde_json::from_str(&fs::read_to_string(&served.path).unwrap()).unwrap();
        let _ = fs::remove_dir_all(&work);
        assert_eq!(
            (served.path, served.replaced),
            (work.join("served/ports.json"), 0)
        );
        assert_eq!(
            copy["components"]["schemas"]["P"],
            json!({"type": "integer", "format": "uint16", "minimum": 0, "maximum": 65535})
        );
    }

    #[test]
    fn made_up_arrays_are_capped_but_never_below_a_min_items() {
        let mut plain = json!({"openapi": "3.0.3", "paths": {}});
        limit_generated_arrays(&mut plain);
        assert_eq!(
            plain["x-json-schema-faker"],
            json!({"maxItems": GENERATED_ITEMS})
        );

        let mut demanding = json!({
            "components": {"schemas": {"Corners": {"type": "array", "minItems": 4}}},
            "paths": {"/a": {"get": {"parameters": [{"schema": {"minItems": 1}}]}}}
        });
        limit_generated_arrays(&mut demanding);
        assert_eq!(demanding["x-json-schema-faker"], json!({"maxItems": 4}));

        let mut own = json!({"x-json-schema-faker": {"maxItems": 7, "locale": "de"}});
        limit_generated_arrays(&mut own);
        assert_eq!(
            own["x-json-schema-faker"],
            json!({"maxItems": 7, "locale": "de"})
        );
    }

    #[test]
    fn every_spec_is_served_as_json_with_the_cap() {
        let work = std::env::temp_dir().join(format!("forge-served-{}", std::process::id()));
        fs::create_dir_all(&work).unwrap();
        let spec = work.join("petstore.yaml");
        let yaml = "openapi: 3.0.3\npaths:\n  /pets:\n    get:\n      responses:\n        200:\n          description: ok\n";
        fs::write(&spec, yaml).unwrap();
        let served = for_prism(&spec, &work);
        let document: Value =
            serde_json::from_str(&fs::read_to_string(&served.path).unwrap()).unwrap();
        let _ = fs::remove_dir_all(&work);
        assert_eq!(served.path, work.join("served").join("petstore.json"));
        assert_eq!(served.replaced, 0);
        assert!(served.examples.is_empty());
        assert_eq!(
            document["paths"]["/pets"]["get"]["responses"]["200"]["description"],
            "ok"
        );
        assert_eq!(document["x-json-schema-faker"]["maxItems"], GENERATED_ITEMS);
    }
}
