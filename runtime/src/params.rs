//! Path parameters: [`path_param`] and [`path_param_styled`] render a value into the path
//! template (through [`serialize`](crate::serialize), which owns every style), and
//! [`check_path`] refuses a built path that could not be sent faithfully.
//!
//! A value that cannot be rendered (`null`, nested arrays or objects, a failing `Serialize`)
//! becomes a marker character that never appears in a rendered value nor in a path template,
//! so the request that carries it fails before anything is sent.

use percent_encoding::{percent_decode_str, utf8_percent_encode};
use serde::Serialize;

use crate::style::{serialize, ParamLocation, ParamStyle, Serialized, UNRESERVED_ONLY};

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
    // The name only matters for `matrix`, which this default style is not.
    path_param_styled("", value, ParamStyle::default_for(ParamLocation::Path))
}

/// Renders the path parameter `name` with `style` (OpenAPI 3.0.3 `simple`, `label` or
/// `matrix`; see [`serialize`](crate::serialize) for the table), as the text that replaces
/// `{name}` in the path template, including a `label` or `matrix` prefix.
///
/// Like [`path_param`], this never fails: a value that cannot be rendered makes `send` fail.
///
/// ```
/// use forge_runtime::{path_param_styled, ParamLocation, ParamStyle, Style};
///
/// let matrix = ParamStyle::new(ParamLocation::Path, Style::Matrix, false);
/// assert_eq!(path_param_styled("id", &[3, 4], matrix), ";id=3,4");
/// let label = ParamStyle::new(ParamLocation::Path, Style::Label, true);
/// assert_eq!(path_param_styled("v", "1.5/x", label), ".1%2E5%2Fx");
/// ```
pub fn path_param_styled<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: ParamStyle,
) -> String {
    let style = ParamStyle {
        location: ParamLocation::Path,
        ..style
    };
    match serialize(name, value, style) {
        Ok(Serialized::Path(text)) => text,
        _ => UNRENDERABLE.to_string(),
    }
}

/// Percent-encodes `text` as one path segment, including the `.` / `..` special cases.
pub(crate) fn encode_segment(text: &str) -> String {
    match text {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        _ => utf8_percent_encode(text, UNRESERVED_ONLY).to_string(),
    }
}

/// Checks a path (as built by generated code from a template and [`path_param`]s) before it
/// is appended to the base URL. The message names no parameter value.
pub(crate) fn check_path(path: &str) -> Result<(), String> {
    if path.contains(UNRENDERABLE) {
        return Err(
            "a path parameter could not be rendered (it is null, nests arrays or objects, or \
             failed to serialize)"
                .to_owned(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde::ser::Error as _;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum TargetType {
        CallCenter,
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
}
