//! [`Nullable`]: the value of a property that is both optional and nullable, so that
//! "left out" and "sent as `null`" stay two different things on the wire.
//!
//! OpenAPI 3.0 (section 4.7.24, `nullable`) and JSON Schema (OpenAPI 3.1, `type: [T, "null"]`)
//! let a property be absent *and* let it be `null`; for a PATCH-style body the two mean
//! different things (keep the stored value, clear it). `Option<T>` has one state for both, so
//! generated request types use [`Nullable`] for such properties:
//!
//! | value | JSON |
//! |---|---|
//! | [`Nullable::Absent`] (the `Default`) | the property is left out |
//! | [`Nullable::Null`] | `"property": null` |
//! | [`Nullable::Value`]`(x)` | `"property": x` |
//!
//! Generated fields carry `#[serde(default, skip_serializing_if = "...::Nullable::is_absent")]`,
//! which is what makes a missing property decode to `Absent` and an `Absent` field disappear
//! from the encoded body; on its own, `Nullable` encodes `Absent` like `Null`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An optional, nullable property: left out, `null`, or a value (see the module docs for the
/// mapping to JSON).
///
/// Build one with [`Nullable::Value`] or `x.into()` (`From<T>`), clear a property with
/// [`Nullable::Null`], and turn an `Option` into one with [`Nullable::from_option`]
/// (`None` becomes `Null`) or [`Nullable::from_option_or_absent`] (`None` becomes `Absent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Left out of the body (the server keeps what it has).
    #[default]
    Absent,
    /// Sent as JSON `null` (the server clears the property).
    Null,
    /// Sent as this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the property is left out; the `skip_serializing_if` predicate of generated
    /// fields.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the property is sent (or was received) as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one (`None` for both `Absent` and `Null`).
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one (`None` for both `Absent` and `Null`).
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// `Some(x)` as `Value(x)` and `None` as `Null`: an `Option` that means "set or clear".
    pub fn from_option(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }

    /// `Some(x)` as `Value(x)` and `None` as `Absent`: an `Option` that means "set or leave
    /// alone" (what an `Option<T>` field meant before).
    pub fn from_option_or_absent(value: Option<T>) -> Self {
        value.map_or(Nullable::Absent, Nullable::Value)
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> From<Nullable<T>> for Option<T> {
    fn from(value: Nullable<T>) -> Self {
        value.into_option()
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => serializer.serialize_some(value),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// `null` decodes to `Null` and anything else to `Value`; a missing property never
    /// reaches this function (the field's `#[serde(default)]` makes it `Absent`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Nullable::from_option(Option::<T>::deserialize(
            deserializer,
        )?))
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;
    use serde::{Deserialize, Serialize};

    /// A body as generated code declares it.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        target: Nullable<String>,
    }

    fn encode(target: Nullable<String>) -> serde_json::Value {
        serde_json::to_value(Patch { target }).expect("encodes")
    }

    fn decode(json: &str) -> Nullable<String> {
        serde_json::from_str::<Patch>(json).expect("decodes").target
    }

    #[test]
    fn absent_is_left_out_null_is_null_and_a_value_is_the_value() {
        assert_eq!(encode(Nullable::Absent), serde_json::json!({}));
        assert_eq!(
            encode(Nullable::Null),
            serde_json::json!({ "target": null })
        );
        assert_eq!(
            encode(Nullable::Value("office".to_owned())),
            serde_json::json!({ "target": "office" })
        );
    }

    #[test]
    fn missing_decodes_to_absent_null_to_null_and_a_value_to_the_value() {
        assert_eq!(decode("{}"), Nullable::Absent);
        assert_eq!(decode(r#"{"target":null}"#), Nullable::Null);
        assert_eq!(
            decode(r#"{"target":"office"}"#),
            Nullable::Value("office".to_owned())
        );
    }

    #[test]
    fn every_state_survives_a_round_trip() {
        for state in [
            Nullable::Absent,
            Nullable::Null,
            Nullable::Value("x".to_owned()),
        ] {
            let json = serde_json::to_string(&Patch {
                target: state.clone(),
            })
            .expect("encodes");
            assert_eq!(decode(&json), state, "{json}");
        }
    }

    #[test]
    fn conversions_keep_the_meaning_of_the_option() {
        assert_eq!(Nullable::from(3), Nullable::Value(3));
        assert_eq!(Nullable::from_option(None::<u8>), Nullable::Null);
        assert_eq!(
            Nullable::from_option_or_absent(None::<u8>),
            Nullable::Absent
        );
        assert_eq!(Nullable::from_option(Some(3)), Nullable::Value(3));
        assert_eq!(Option::from(Nullable::Value(3)), Some(3));
        assert_eq!(Option::<u8>::from(Nullable::Null), None);
        assert_eq!(Nullable::<u8>::default(), Nullable::Absent);
        assert!(Nullable::<u8>::Absent.is_absent() && Nullable::<u8>::Null.is_null());
        assert_eq!(Nullable::Value(3).value(), Some(&3));
    }
}
