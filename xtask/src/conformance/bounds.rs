//! The range an integer `format` implies, written out as `minimum`/`maximum` in the document
//! Prism serves. Prism makes integers up from `type` and the bounds alone and ignores
//! `int8` ... `uint32` (OpenAPI 3.0.3 §4.4 "Data Types"; the width formats are from the
//! OpenAPI Format Registry), so its answers held integers the field's Rust type (`u32`,
//! `i16`) rightly refuses. With the bounds written out, the document means the same (a value
//! outside the format's range was already invalid) and Prism's answers stay inside it.
//!
//! `int32` is left alone (the numbers Prism makes up are well inside it), and so are
//! `int64` and `uint64`'s upper end (JavaScript numbers cannot hold them).

use serde_json::{Map, Value};

/// The bounds of a width `format`: (minimum, maximum), `None` for no bound to add.
fn range(format: &str) -> Option<(Option<i64>, Option<i64>)> {
    Some(match format {
        "int8" => (Some(i8::MIN.into()), Some(i8::MAX.into())),
        "int16" => (Some(i16::MIN.into()), Some(i16::MAX.into())),
        "uint8" => (Some(0), Some(u8::MAX.into())),
        "uint16" => (Some(0), Some(u16::MAX.into())),
        "uint32" => (Some(0), Some(u32::MAX.into())),
        "uint64" => (Some(0), None),
        _ => return None,
    })
}

/// Adds the implied `minimum`/`maximum` to every integer schema in `node` whose `format` is
/// a width and that has no bound of its own on that side; examples (`example`, `examples`)
/// and extensions (`x-...`) are data, not schemas, and are left as they are. Returns how many
/// bounds were added.
pub fn add_format_bounds(node: &mut Value) -> usize {
    match node {
        Value::Object(map) => {
            let mut added = bound(map);
            for (key, value) in map.iter_mut() {
                if key != "example" && key != "examples" && !key.starts_with("x-") {
                    added += add_format_bounds(value);
                }
            }
            added
        }
        Value::Array(items) => items.iter_mut().map(add_format_bounds).sum(),
        _ => 0,
    }
}

/// Adds the bounds to one schema object, if it is an integer schema with a width format.
fn bound(map: &mut Map<String, Value>) -> usize {
    let is_integer = match map.get("type") {
        Some(Value::String(ty)) => ty == "integer",
        // OpenAPI 3.1: `type: [integer, "null"]`.
        Some(Value::Array(types)) => types.iter().any(|t| t == "integer"),
        _ => false,
    };
    let Some((low, high)) = map
        .get("format")
        .and_then(Value::as_str)
        .filter(|_| is_integer)
        .and_then(range)
    else {
        return 0;
    };
    let mut added = 0;
    for (keyword, exclusive, limit) in [
        ("minimum", "exclusiveMinimum", low),
        ("maximum", "exclusiveMaximum", high),
    ] {
        // 3.1's `exclusiveMinimum` is a number (a bound of its own); 3.0's is a flag on
        // `minimum`, which is then present too.
        if let Some(limit) = limit {
            if !map.contains_key(keyword) && !map.get(exclusive).is_some_and(Value::is_number) {
                map.insert(keyword.to_owned(), limit.into());
                added += 1;
            }
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn width_formats_get_their_range_and_keep_their_own_bounds() {
        let mut document = json!({
            "components": {"schemas": {"Port": {
                "type": "object",
                "properties": {
                    "private": {"type": "integer", "format": "uint16"},
                    "public": {"type": "integer", "format": "uint16", "minimum": 1},
                    "size": {"type": ["integer", "null"], "format": "uint32"},
                    "offset": {"type": "integer", "format": "int8", "exclusiveMinimum": -100},
                    "total": {"type": "integer", "format": "uint64"},
                    "id": {"type": "integer", "format": "int64"},
                    "count": {"type": "integer", "format": "int32"},
                    "name": {"type": "string", "format": "uint16"},
                    "type": {"type": "string"}
                },
                "example": {"type": "integer", "format": "uint8"}
            }}}
        });
        assert_eq!(add_format_bounds(&mut document), 7);
        let properties = &document["components"]["schemas"]["Port"]["properties"];
        assert_eq!(properties["private"]["minimum"], 0);
        assert_eq!(properties["private"]["maximum"], 65535);
        assert_eq!(properties["public"]["minimum"], 1);
        assert_eq!(properties["public"]["maximum"], 65535);
        assert_eq!(properties["size"]["maximum"], 4_294_967_295_u64);
        assert!(properties["offset"].get("minimum").is_none());
        assert_eq!(properties["offset"]["maximum"], 127);
        assert_eq!(properties["total"]["minimum"], 0);
        assert!(properties["total"].get("maximum").is_none());
        assert!(properties["id"].get("minimum").is_none());
        assert!(properties["count"].get("minimum").is_none());
        assert!(properties["name"].get("minimum").is_none());
        // An example is data: it keeps its shape even when it looks like a schema.
        assert!(document["components"]["schemas"]["Port"]["example"]
            .get("minimum")
            .is_none());
    }
}
