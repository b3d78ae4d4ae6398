//! `application/x-www-form-urlencoded` bodies from any `Serialize` value.
//!
//! The value is first turned into JSON, then flattened the way OpenAPI's defaults for form
//! bodies describe: scalars as `key=value`, arrays of scalars as repeated keys, nested
//! objects as `key[sub]=value` (deepObject), arrays of objects as `key[0][sub]=value`.
//! `null`s are left out.

use serde::Serialize;
use serde_json::Value;

/// Encodes `value` (which must serialize to a JSON object) as a form body.
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let value =
        serde_json::to_value(value).map_err(|err| format!("cannot encode the form body: {err}"))?;
    let Value::Object(fields) = value else {
        return Err("a form body must be an object".to_owned());
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (key, value) in &fields {
        flatten(key, value, &mut pairs);
    }
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (key, value) in &pairs {
        serializer.append_pair(key, value);
    }
    Ok(serializer.finish())
}

/// Appends the pairs for `value` under `key`, as the module docs describe.
pub(crate) fn flatten(key: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push((key.to_owned(), b.to_string())),
        Value::Number(n) => out.push((key.to_owned(), n.to_string())),
        Value::String(s) => out.push((key.to_owned(), s.clone())),
        Value::Array(items) => {
            let scalars = items
                .iter()
                .all(|item| !item.is_object() && !item.is_array());
            for (index, item) in items.iter().enumerate() {
                if scalars {
                    flatten(key, item, out);
                } else {
                    flatten(&format!("{key}[{index}]"), item, out);
                }
            }
        }
        Value::Object(fields) => {
            for (sub, value) in fields {
                flatten(&format!("{key}[{sub}]"), value, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::encode;
    use serde_json::json;

    #[test]
    fn flattens_like_openapi_form_defaults() {
        let body = json!({
            "name": "a b&c",
            "count": 3,
            "skip": null,
            "tags": ["x", "y"],
            "metadata": {"k": "v"},
            "items": [{"price": "p1"}, {"price": "p2", "qty": 2}]
        });
        assert_eq!(
            encode(&body).unwrap(),
            "name=a+b%26c&count=3&tags=x&tags=y&metadata%5Bk%5D=v&items%5B0%5D%5Bprice%5D=p1&items%5B1%5D%5Bprice%5D=p2&items%5B1%5D%5Bqty%5D=2"
        );
    }

    #[test]
    fn a_non_object_is_an_error() {
        assert!(encode(&json!([1, 2])).is_err());
    }
}
