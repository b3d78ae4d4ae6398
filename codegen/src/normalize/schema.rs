//! The sub-schemas of a schema object, for passes that rewrite schemas at every depth
//! (JSON Schema 2020-12 §10 lists the applicator keywords; Swagger 2.0 uses a subset).

use serde_json::{Map, Value};

use crate::error::pointer_push;

/// How deep a pass follows sub-schemas; deeper ones are left as they are (the typed parse
/// and the lowering have their own limits and report such nesting).
pub(crate) const MAX_DEPTH: usize = 64;

/// Keywords whose value is one schema.
const SINGLE: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
];

/// Keywords whose value is a list of schemas.
const LIST: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems"];

/// Keywords whose value maps names to schemas.
const MAP: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
];

/// Calls `visit` on every direct sub-schema of `schema` with its pointer (`items` given as
/// an array, as in draft 4 tuples, counts as a list).
pub(crate) fn for_each_child(
    schema: &mut Map<String, Value>,
    pointer: &str,
    visit: &mut dyn FnMut(&mut Value, &str),
) {
    for (key, value) in schema.iter_mut() {
        let key = key.as_str();
        if SINGLE.contains(&key) && !value.is_array() {
            visit(value, &pointer_push(pointer, key));
        } else if LIST.contains(&key) || (key == "items" && value.is_array()) {
            if let Value::Array(items) = value {
                let base = pointer_push(pointer, key);
                for (index, item) in items.iter_mut().enumerate() {
                    visit(item, &pointer_push(&base, &index.to_string()));
                }
            }
        } else if MAP.contains(&key) {
            if let Value::Object(entries) = value {
                let base = pointer_push(pointer, key);
                for (name, entry) in entries.iter_mut() {
                    visit(entry, &pointer_push(&base, name));
                }
            }
        }
    }
}

/// Keywords that annotate a schema without constraining its shape (kept on the outer schema
/// when a `$ref` with siblings or a `type` list is split).
pub(crate) fn is_annotation(key: &str) -> bool {
    matches!(
        key,
        "description"
            | "title"
            | "default"
            | "example"
            | "examples"
            | "nullable"
            | "readOnly"
            | "writeOnly"
            | "deprecated"
            | "externalDocs"
            | "xml"
            | "$comment"
            | "$id"
            | "$schema"
            | "$anchor"
    ) || key.starts_with("x-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn children_are_found_under_every_applicator() {
        let mut schema = json!({
            "properties": {"a": {}, "b/c": {}},
            "items": {},
            "oneOf": [{}, {}],
            "enum": [{}],
            "default": {}
        });
        let mut seen = Vec::new();
        for_each_child(schema.as_object_mut().unwrap(), "/s", &mut |_, p| {
            seen.push(p.to_owned())
        });
        assert_eq!(
            seen,
            [
                "/s/properties/a",
                "/s/properties/b~1c",
                "/s/items",
                "/s/oneOf/0",
                "/s/oneOf/1"
            ]
        );
    }
}
