//! Checks that a spec's JSON examples decode into the generated types and encode back.
//!
//! Generated crates call [`assert_round_trip`] from `tests/examples.rs`. Encoding may differ
//! from the example only in the ways the generated types promise:
//! - integers (and numbers) given as strings come back as numbers;
//! - date-times without an offset come back with one (the same instant, read as UTC);
//! - a `null` or an omitted optional field may come back omitted, or as the spec's default.
//!
//! Anything else (a field the type does not know, a value that changed) is a failure that
//! names the JSON path.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Decodes `json` as `T`, encodes it again and compares; panics naming `label` and the
/// first difference.
#[track_caller]
pub fn assert_round_trip<T: DeserializeOwned + Serialize>(label: &str, json: &str) {
    if let Err(message) = round_trip::<T>(json) {
        panic!("example {label}: {message}");
    }
}

/// Looks up the example `name` in `examples` (a JSON object of name to `{"pointer": ...,
/// "value": ...}`, as generated next to `tests/examples.rs`) and checks it like
/// [`assert_round_trip`].
#[track_caller]
pub fn assert_example<T: DeserializeOwned + Serialize>(examples: &str, name: &str) {
    let all: Value = match serde_json::from_str(examples) {
        Ok(all) => all,
        Err(err) => panic!("the examples file is not JSON: {err}"),
    };
    let Some(example) = all.get(name) else {
        panic!("no example named {name}");
    };
    let pointer = example
        .get("pointer")
        .and_then(Value::as_str)
        .unwrap_or("?");
    let value = example.get("value").cloned().unwrap_or(Value::Null);
    assert_round_trip::<T>(&format!("{name} ({pointer})"), &value.to_string());
}

/// What [`assert_round_trip`] checks, as a `Result`.
pub fn round_trip<T: DeserializeOwned + Serialize>(json: &str) -> Result<(), String> {
    let original: Value =
        serde_json::from_str(json).map_err(|err| format!("the example is not JSON: {err}"))?;
    let decoded: T = serde_json::from_value(original.clone())
        .map_err(|err| format!("does not decode: {err}"))?;
    let encoded =
        serde_json::to_value(&decoded).map_err(|err| format!("does not encode: {err}"))?;
    compare(&original, &encoded, "$")
}

fn compare(original: &Value, encoded: &Value, path: &str) -> Result<(), String> {
    match (original, encoded) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let child = format!("{path}.{key}");
                match b.get(key) {
                    Some(other) => compare(value, other, &child)?,
                    None if value.is_null() => {}
                    None => return Err(format!("{child} was dropped: the type has no such field")),
                }
            }
            // Keys only the encoding has are spec defaults filled in for omitted fields.
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Err(format!("{path}: {} items became {}", a.len(), b.len()));
            }
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, &format!("{path}[{index}]"))?;
            }
            Ok(())
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => Ok(()),
        (Value::String(a), Value::Number(b)) if a.trim().parse::<f64>().ok() == b.as_f64() => {
            Ok(())
        }
        (Value::String(a), Value::String(b)) if a == b || same_instant(a, b) => Ok(()),
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("{path}: {a} came back as {b}")),
    }
}

/// Whether two date-time strings name the same instant, an offset-less one read as UTC.
fn same_instant(a: &str, b: &str) -> bool {
    let parse = crate::lenient::parse_date_time;
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::round_trip;

    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    struct Item {
        #[serde(with = "crate::lenient")]
        id: i64,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::lenient"
        )]
        at: Option<crate::DateTime>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    }

    #[test]
    fn documented_leniencies_pass() {
        round_trip::<Item>(r#"{"id": "1001", "at": "2013-01-01T00:00:00", "note": null}"#).unwrap();
    }

    #[test]
    fn unknown_fields_and_changed_values_fail() {
        let err = round_trip::<Item>(r#"{"id": 1, "extra": true}"#).unwrap_err();
        assert!(err.contains("$.extra was dropped"), "{err}");
        let err = round_trip::<Item>(r#"{"id": "x"}"#).unwrap_err();
        assert!(err.contains("does not decode"), "{err}");
    }
}
