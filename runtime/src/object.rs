//! Reading a JSON object into a generated struct: the shared half of the `Deserialize` impls
//! that generated crates write for their object schemas.
//!
//! A generated struct implements [`Object`] (its name, its properties' wire names, and
//! [`Object::read`]) and its `Deserialize` is [`deserialize`]. `read` declares one `Option`
//! slot per property, reads the object's properties with [`Property`] (which finds each name
//! among the wire names), fills the slots with [`value`] or [`lenient_value`], skips unknown
//! properties with [`skip`], and builds the struct, taking each missing property's value from
//! [`missing`] (required properties) or from its default. The rules are serde's derive's, so a generated type decodes as a
//! derived one would:
//!
//! - a property named twice is an error (`duplicate field`);
//! - properties the struct does not name are read and dropped;
//! - a missing required property is an error (`missing field`) unless its type reads
//!   "nothing" itself (an `Option` becomes `None`);
//! - the input must be an object: a JSON array is not read positionally.
//!
//! What differs is where the code is: the property lookup, the duplicate check and the
//! missing-property rule are compiled here once per deserializer, not once per struct, which
//! makes a generated crate much cheaper to check and build.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::lenient::Lenient;

/// A struct generated from an object schema, read from a JSON object by [`deserialize`].
pub trait Object: Sized {
    /// The struct's name, for messages (`invalid type: ..., expected struct NAME`).
    const NAME: &'static str;
    /// The wire names of its properties, in field order: the list [`Property`] looks in.
    const PROPERTIES: &'static [&'static str];

    /// Reads the struct from the object's properties.
    ///
    /// # Errors
    ///
    /// As [`value`], [`skip`] and [`missing`] say.
    fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The `Deserialize` of an [`Object`]: the input must be a JSON object (a map).
///
/// # Errors
///
/// `invalid type` for anything but an object, and what [`Object::read`] returns.
pub fn deserialize<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::PROPERTIES, ObjectVisitor(PhantomData))
}

/// Visits the map [`deserialize`] asks for.
struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }
}

/// A property name of the object being read, looked up among a struct's wire names: a
/// [`DeserializeSeed`] for `MapAccess::next_key_seed` whose value is the property's index in
/// the list, or `None` for a property the struct does not name.
#[derive(Debug, Clone, Copy)]
pub struct Property(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Property {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Property {
    type Value = Option<usize>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|known| *known == name))
    }

    fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|known| known.as_bytes() == name))
    }
}

/// Reads the current property's value into `slot`.
///
/// # Errors
///
/// `duplicate field` when `slot` is already filled (the property came twice), and the
/// value's own error when it is not a `T`.
pub fn value<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    fill(slot, name, || map.next_value())
}

/// As [`value`], reading the value with [`lenient`](crate::lenient) (`"42"` for `42`, and
/// the other forms that module accepts).
///
/// # Errors
///
/// As [`value`].
pub fn lenient_value<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Lenient,
{
    fill(slot, name, || map.next_value_seed(LenientSeed(PhantomData)))
}

/// Fills `slot` with what `read` reads, unless the property came before.
fn fill<T, E: de::Error>(
    slot: &mut Option<T>,
    name: &'static str,
    read: impl FnOnce() -> Result<T, E>,
) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(read()?);
    Ok(())
}

/// Reads and drops the current property's value (a property the struct does not name).
///
/// # Errors
///
/// When the value is not well-formed input.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// The value of the required property `name` that the object left out: what `T` reads from
/// "nothing" (an `Option` is `None`), else a `missing field` error.
///
/// # Errors
///
/// `missing field` for every type that does not accept "nothing".
pub fn missing<'de, T: Deserialize<'de>, E: de::Error>(name: &'static str) -> Result<T, E> {
    T::deserialize(Missing(name, PhantomData))
}

/// Reads a `T` with [`Lenient::deserialize_lenient`].
struct LenientSeed<T>(PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for LenientSeed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize_lenient(deserializer)
    }
}

/// The input of a property that is not there: it is "none" to a type that asks for an option,
/// and a `missing field` error to every other.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(de::Error::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a generated struct has, by hand: `id` required, `note` optional, `count` read
    /// leniently with a default.
    #[derive(Debug, PartialEq)]
    struct Thing {
        id: String,
        note: Option<String>,
        count: i64,
    }

    impl Object for Thing {
        const NAME: &'static str = "Thing";
        const PROPERTIES: &'static [&'static str] = &["id", "note", "count"];

        fn read<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut id = None;
            let mut note = None;
            let mut count = None;
            while let Some(property) = map.next_key_seed(Property(Self::PROPERTIES))? {
                match property {
                    Some(0) => value(&mut map, &mut id, "id")?,
                    Some(1) => value(&mut map, &mut note, "note")?,
                    Some(2) => lenient_value(&mut map, &mut count, "count")?,
                    _ => skip(&mut map)?,
                }
            }
            Ok(Thing {
                id: match id {
                    Some(id) => id,
                    None => missing("id")?,
                },
                note: match note {
                    Some(note) => note,
                    None => missing("note")?,
                },
                count: count.unwrap_or(7),
            })
        }
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::deserialize(deserializer)
        }
    }

    fn decode(json: &str) -> Result<Thing, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn properties_are_found_by_wire_name_in_any_order_and_unknown_ones_dropped() {
        assert_eq!(
            decode(r#"{"count": "3", "extra": [1, {"a": 2}], "id": "x", "note": "n"}"#),
            Ok(Thing {
                id: "x".into(),
                note: Some("n".into()),
                count: 3,
            })
        );
        // An escaped name is the same name.
        assert_eq!(decode(r#"{"i\u0064": "y"}"#).map(|t| t.id), Ok("y".into()));
    }

    #[test]
    fn a_missing_option_is_none_a_missing_required_value_an_error() {
        assert_eq!(
            decode(r#"{"id": "x"}"#),
            Ok(Thing {
                id: "x".into(),
                note: None,
                count: 7,
            })
        );
        let error = decode(r#"{"note": null}"#).unwrap_err();
        assert!(error.starts_with("missing field `id`"), "{error}");
    }

    #[test]
    fn a_property_named_twice_is_an_error() {
        let error = decode(r#"{"id": "x", "id": "y"}"#).unwrap_err();
        assert!(error.starts_with("duplicate field `id`"), "{error}");
    }

    #[test]
    fn only_an_object_is_read() {
        let error = decode(r#"["x", null, 1]"#).unwrap_err();
        assert!(error.contains("expected struct Thing"), "{error}");
        let error = decode(r#""x""#).unwrap_err();
        assert!(error.contains("expected struct Thing"), "{error}");
    }
}
