//! The document Prism serves for a spec: the spec itself, unless it holds `$ref`s that
//! Prism's resolver stops at, refusing to start (a local reference to nothing, as in
//! keycloak-admin; a URL, as in an example of github-v3-rest, which it tries to download).
//! Then Prism gets a JSON copy in which each such `$ref` object is `{}` (any value: the
//! generator's own fallback for a dangling reference), written under `<work>/served/`.
//! The copy is also made when an integer schema's width `format` (`uint16`, `int8`, ...)
//! implies bounds it does not spell out: the copy spells them out ([`super::bounds`]), as
//! Prism reads bounds but not formats. JSON pointers are unchanged, so what the report
//! locates still points into the spec.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// The file to give Prism for `spec`, and how many `$ref`s were left out of it.
pub fn for_prism(spec: &Path, work: &Path) -> (PathBuf, usize) {
    let unchanged = (spec.to_path_buf(), 0);
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
    let bounded = super::bounds::add_format_bounds(&mut document);
    if replaced == 0 && bounded == 0 {
        return unchanged;
    }
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = work.join("served");
    let path = dir.join(format!("{stem}.json"));
    let written = fs::create_dir_all(&dir)
        .and_then(|()| fs::write(&path, serde_json::to_string(&document).unwrap_or_default()));
    match written {
        Ok(()) => (path, replaced),
        Err(_) => unchanged,
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
    fn a_copy_is_served_when_a_format_implies_bounds_and_only_then() {
        let work = std::env::temp_dir().join(format!("served-{}", std::process::id()));
        fs::create_dir_all(&work).unwrap();
        let plain = work.join("plain.yaml");
        fs::write(
            &plain,
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    N: {type: integer, format: int32}\n",
        )
        .unwrap();
        assert_eq!(for_prism(&plain, &work), (plain.clone(), 0));

        let ports = work.join("ports.yaml");
        fs::write(
            &ports,
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    P: {type: integer, format: uint16}\n",
        )
        .unwrap();
        let (served, replaced) = for_prism(&ports, &work);
        assert_eq!(
            (served.clone(), replaced),
            (work.join("served/ports.json"), 0)
        );
        let copy: Value = serde_json::from_str(&fs::read_to_string(served).unwrap()).unwrap();
        assert_eq!(
            copy["components"]["schemas"]["P"],
            json!({"type": "integer", "format": "uint16", "minimum": 0, "maximum": 65535})
        );
        fs::remove_dir_all(&work).unwrap();
    }
}
