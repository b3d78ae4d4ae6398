//! Rendering parameter values: [`path_param`] and the shared query/header rules.
//!
//! Every value goes through [`serde_json::to_value`] first, so anything `Serialize` works:
//! integers, strings, booleans, enums that serialize to strings, `Option`s and `Vec`s.
//!
//! | JSON value | query (`name=value`)               | header                   | path segment             |
//! |------------|------------------------------------|--------------------------|--------------------------|
//! | `null`     | omitted                            | omitted                  | `send` fails             |
//! | string     | as is                              | as is                    | percent-encoded          |
//! | number     | `to_string`                        | `to_string`              | `to_string`              |
//! | bool       | `true` / `false`                   | `true` / `false`         | `true` / `false`         |
//! | array      | one pair per element (explode)     | elements joined with `,` | elements joined with `,` |
//! | object     | `send` fails                       | `send` fails             | `k,v,k,v` (simple style) |

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::Value;

/// Everything except the RFC 3986 unreserved characters (`ALPHA DIGIT - . _ ~`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What [`path_param`] returns for a value it cannot render. The character never appears in
/// a successfully rendered value (those are pure ASCII from the unreserved set plus `%` and `,`)
/// nor in a path template, so [`check_path`] can recognise it and make `send` fail.
const UNRENDERABLE: char = '\0';

/// Renders a value as exactly one URL path segment.
///
/// The value is rendered like a query value (strings as is, numbers and booleans with
/// `to_string`), then every byte that is not an RFC 3986 unreserved character is
/// percent-encoded, so the result can never add a path segment, a query or a fragment. A
/// segment that would be exactly `.` or `..` is encoded as `%2E` / `%2E%2E`.
///
/// Arrays render as their elements joined with `,` and objects as `key,value,...` (OpenAPI's
/// `simple` style); the `,` separators stay literal.
///
/// This function never fails or panics. A value that cannot be rendered (`null`, or a
/// `Serialize` impl that errors) yields a marker that makes
/// [`Request::send_json`](crate::Request::send_json) /
/// [`send_empty`](crate::Request::send_empty) fail with
/// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest). So does a `.` or `..`
/// segment: URL parsers treat `%2E` like `.` and would remove such a segment, so it cannot be
/// sent faithfully.
///
/// ```
/// use forge_runtime::path_param;
///
/// assert_eq!(path_param(&42_i64), "42");
/// assert_eq!(path_param("a b/c"), "a%20b%2Fc");
/// assert_eq!(path_param("../../admin?x=1"), "..%2F..%2Fadmin%3Fx%3D1");
/// ```
pub fn path_param<T: Serialize + ?Sized>(value: &T) -> String {
    let value = match serde_json::to_value(value) {
        Ok(value) => value,
        Err(_) => return UNRENDERABLE.to_string(),
    };
    match &value {
        Value::Null => UNRENDERABLE.to_string(),
        Value::Array(items) => items
            .iter()
            .filter(|item| !item.is_null())
            .map(|item| encode_segment(&text_of(item)))
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .flat_map(|(k, v)| [encode_segment(k), encode_segment(&text_of(v))])
            .collect::<Vec<_>>()
            .join(","),
        scalar => encode_segment(&text_of(scalar)),
    }
}

/// Percent-encodes `text` as one path segment, including the `.` / `..` special cases.
fn encode_segment(text: &str) -> String {
    match text {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        _ => utf8_percent_encode(text, SEGMENT).to_string(),
    }
}

/// Text of a value for a path: scalars as usual, nested compounds as their JSON text.
fn text_of(value: &Value) -> String {
    scalar_text(value).unwrap_or_else(|| value.to_string())
}

/// Text of a scalar; `None` for `null`, arrays and objects.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Checks a path (as built by generated code from a template and [`path_param`]s) before it
/// is appended to the base URL. The message names no parameter value.
pub(crate) fn check_path(path: &str) -> Result<(), String> {
    if path.contains(UNRENDERABLE) {
        return Err(
            "a path parameter could not be rendered (it is null or failed to serialize)".to_owned(),
        );
    }
    // Only the path part matters; a template may (rarely) carry a literal query.
    let path_only = path.split(['?', '#']).next().unwrap_or_default();
    for segment in path_only.split('/') {
        let decoded: Vec<u8> = percent_decode_str(segment).collect();
        if decoded == b"." || decoded == b".." {
            return Err(format!(
                "the path contains the segment `{segment}`; URL normalization would remove it, \
                 so the request cannot address it"
            ));
        }
    }
    Ok(())
}

/// Serializes a parameter value, mapping a serializer failure to a message.
fn to_value<T: Serialize + ?Sized>(kind: &str, name: &str, value: &T) -> Result<Value, String> {
    serde_json::to_value(value)
        .map_err(|e| format!("{kind} parameter `{name}` could not be serialized: {e}"))
}

fn object_error(kind: &str, name: &str) -> String {
    format!(
        "{kind} parameter `{name}` is an object; object-valued {kind} parameters are not supported"
    )
}

fn nested_error(kind: &str, name: &str) -> String {
    format!(
        "{kind} parameter `{name}` is an array holding arrays or objects; only arrays of \
         scalars are supported"
    )
}

/// Renders a query parameter as the values of its `name=value` pairs (explode form style):
/// empty for `null`, one value for a scalar, one value per non-null element for an array.
pub(crate) fn query_values<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
) -> Result<Vec<String>, String> {
    match to_value("query", name, value)? {
        Value::Null => Ok(Vec::new()),
        Value::Object(_) => Err(object_error("query", name)),
        Value::Array(items) => array_elements("query", name, &items),
        scalar => Ok(scalar_text(&scalar).into_iter().collect()),
    }
}

/// Renders a header value: `None` for `null` (or an array with no non-null element), array
/// elements joined with `,`.
pub(crate) fn header_value<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
) -> Result<Option<String>, String> {
    match to_value("header", name, value)? {
        Value::Null => Ok(None),
        Value::Object(_) => Err(object_error("header", name)),
        Value::Array(items) => {
            let parts = array_elements("header", name, &items)?;
            Ok(if parts.is_empty() {
                None
            } else {
                Some(parts.join(","))
            })
        }
        scalar => Ok(scalar_text(&scalar)),
    }
}

/// The non-null elements of an array, each rendered as a scalar.
fn array_elements(kind: &str, name: &str, items: &[Value]) -> Result<Vec<String>, String> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::Null => {}
            Value::Array(_) | Value::Object(_) => return Err(nested_error(kind, name)),
            scalar => out.extend(scalar_text(scalar)),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::ser::Error as _;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum TargetType {
        CallCenter,
        Office,
    }

    struct Failing;
    impl Serialize for Failing {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(S::Error::custom("nope"))
        }
    }

    #[test]
    fn path_param_encodes_to_one_segment() {
        let cases: &[(&str, &str)] = &[
            ("../../admin?x=1", "..%2F..%2Fadmin%3Fx%3D1"),
            ("..", "%2E%2E"),
            (".", "%2E"),
            ("...", "..."),
            ("a b", "a%20b"),
            ("a+b&c=d#e", "a%2Bb%26c%3Dd%23e"),
            ("100%", "100%25"),
            ("héllo", "h%C3%A9llo"),
            ("日本", "%E6%97%A5%E6%9C%AC"),
            ("A-z_0.9~", "A-z_0.9~"),
            ("", ""),
            ("a/b\\c", "a%2Fb%5Cc"),
        ];
        for (input, expected) in cases {
            assert_eq!(path_param(*input), *expected, "input {input:?}");
        }
    }

    #[test]
    fn path_param_renders_scalars() {
        assert_eq!(path_param(&42_i64), "42");
        assert_eq!(path_param(&-7_i32), "-7");
        assert_eq!(path_param(&1.5_f64), "1.5");
        assert_eq!(path_param(&true), "true");
        assert_eq!(path_param(&TargetType::CallCenter), "call_center");
        assert_eq!(path_param(&Some(3_u8)), "3");
        assert_eq!(path_param(&String::from("x y")), "x%20y");
    }

    #[test]
    fn path_param_compounds_use_simple_style() {
        assert_eq!(path_param(&vec![1, 2, 3]), "1,2,3");
        assert_eq!(path_param(&["a,b", "c"]), "a%2Cb,c");
        let mut map = BTreeMap::new();
        map.insert("role", "admin");
        map.insert("first name", "Alex");
        assert_eq!(path_param(&map), "first%20name,Alex,role,admin");
    }

    #[test]
    fn unrenderable_path_param_makes_the_path_invalid() {
        for rendered in [path_param(&None::<i64>), path_param(&Failing)] {
            let path = format!("/items/{rendered}");
            let err = check_path(&path).unwrap_err();
            assert!(err.contains("could not be rendered"), "{err}");
        }
    }

    #[test]
    fn check_path_rejects_dot_segments_only() {
        assert!(check_path("/api/v2/items/42").is_ok());
        assert!(check_path("/api/v2/items/...").is_ok());
        assert!(check_path("/api/v2/items/.hidden").is_ok());
        assert!(check_path("").is_ok());
        assert!(check_path("/a/b/").is_ok());
        for bad in [
            format!("/items/{}", path_param("..")),
            format!("/items/{}", path_param(".")),
            "/items/%2e%2e".to_owned(),
            "/items/.%2E/x".to_owned(),
            "/items/../x".to_owned(),
        ] {
            let err = check_path(&bad).unwrap_err();
            assert!(err.contains("URL normalization"), "{bad}: {err}");
        }
        // A literal query in a template is not part of the path.
        assert!(check_path("/items?x=..").is_ok());
    }

    #[test]
    fn query_skips_null_and_explodes_arrays() {
        assert_eq!(
            query_values("a", &None::<i64>).unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(query_values("a", &Some(5_i64)).unwrap(), vec!["5"]);
        assert_eq!(query_values("a", "x y").unwrap(), vec!["x y"]);
        assert_eq!(query_values("a", &false).unwrap(), vec!["false"]);
        assert_eq!(
            query_values("a", &vec![Some(1), None, Some(3)]).unwrap(),
            vec!["1", "3"]
        );
        assert_eq!(
            query_values("t", &Some(vec![TargetType::Office, TargetType::CallCenter])).unwrap(),
            vec!["office", "call_center"]
        );
        assert_eq!(
            query_values("t", &TargetType::CallCenter).unwrap(),
            vec!["call_center"]
        );
        assert!(query_values("a", &Vec::<i64>::new()).unwrap().is_empty());
    }

    #[test]
    fn query_rejects_objects_and_nesting() {
        let mut map = BTreeMap::new();
        map.insert("k", 1);
        let err = query_values("filter", &map).unwrap_err();
        assert!(err.contains("parameter `filter` is an object"), "{err}");
        assert!(err.contains("not supported"), "{err}");
        let err = query_values("m", &vec![vec![1]]).unwrap_err();
        assert!(err.contains("`m`"), "{err}");
        let err = query_values("f", &Failing).unwrap_err();
        assert!(err.contains("could not be serialized"), "{err}");
    }

    #[test]
    fn header_joins_arrays_and_skips_null() {
        assert_eq!(header_value("h", &None::<String>).unwrap(), None);
        assert_eq!(header_value("h", &7_u16).unwrap().as_deref(), Some("7"));
        assert_eq!(
            header_value("h", &vec!["a", "b", "c"]).unwrap().as_deref(),
            Some("a,b,c")
        );
        assert_eq!(
            header_value("h", &vec![None, Some(1)]).unwrap().as_deref(),
            Some("1")
        );
        assert_eq!(header_value("h", &Vec::<u8>::new()).unwrap(), None);
        let mut map = BTreeMap::new();
        map.insert("k", 1);
        let err = header_value("X-Obj", &map).unwrap_err();
        assert!(
            err.contains("header parameter `X-Obj` is an object"),
            "{err}"
        );
    }
}
