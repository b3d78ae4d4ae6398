//! Lenient decoding for `#[serde(with = "::forge_runtime::lenient")]`.
//!
//! Real APIs often disagree with their own specs: an `integer` field arrives as `"42"`, a
//! `date-time` has no offset, a number is written `3.0`. Fields of generated types whose
//! values are numbers, dates or date-times use this module so such values still decode:
//!
//! | type                            | accepts                                                          |
//! |---------------------------------|------------------------------------------------------------------|
//! | `i8` ... `i128`, `u8` ... `u128`| JSON integers; numbers with a zero fraction (`3.0`); strings of decimal digits with an optional `-`/`+` sign (`"42"`, `"-5"`). Range-checked. |
//! | `f32`, `f64`                    | JSON numbers; strings holding a finite number (`"1.5"`, `"2"`)   |
//! | `bool`                          | `true`/`false`; the strings `"true"`/`"false"`                  |
//! | [`DateTime`]                    | RFC 3339 (`2013-01-01T00:00:00+01:00`, `...Z`); without offset (`2013-01-01T00:00:00`, `2013-01-01 00:00:00.123456`) it is read as UTC; offsets without colon (`+0100`) |
//! | [`Date`]                        | `YYYY-MM-DD`; a date-time as above, whose date part is taken      |
//! | `Option<T>`                     | `null` as `None`, anything `T` accepts as `Some`                 |
//! | `Vec<T>`, `Box<T>`, `BTreeMap<String, T>`, `HashMap<String, T>` | containers of any of the above, nested freely |
//!
//! Everything else is rejected with a message saying what was expected. Serializing is plain:
//! integers as numbers, date-times as RFC 3339 strings, dates as `YYYY-MM-DD`.
//!
//! Deserializing needs a self-describing format such as JSON.
//!
//! ```
//! use forge_runtime::{DateTime, lenient};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, Deserialize, Serialize)]
//! struct Message {
//!     #[serde(with = "forge_runtime::lenient")]
//!     id: i64,
//!     // `default`: with `with`, serde would otherwise require the field to be present.
//!     #[serde(default, with = "forge_runtime::lenient")]
//!     ids: Option<Vec<i64>>,
//!     #[serde(with = "forge_runtime::lenient")]
//!     created: DateTime,
//! }
//!
//! let m: Message = serde_json::from_str(
//!     r#"{"id": "42", "ids": [1, "2", 3.0], "created": "2013-01-01 10:00:00"}"#,
//! )?;
//! assert_eq!(m.id, 42);
//! assert_eq!(m.ids, Some(vec![1, 2, 3]));
//! assert_eq!(m.created.to_rfc3339(), "2013-01-01T10:00:00+00:00");
//!
//! let m: Message = serde_json::from_str(r#"{"id": 1, "created": "2013-01-01T10:00:00Z"}"#)?;
//! assert_eq!(m.ids, None);
//! assert_eq!(
//!     serde_json::to_string(&m)?,
//!     r#"{"id":1,"ids":null,"created":"2013-01-01T10:00:00Z"}"#
//! );
//!
//! let err = serde_json::from_str::<Message>(r#"{"id": "12a", "created": "2013-01-01"}"#)
//!     .unwrap_err();
//! assert!(err.to_string().contains("12a"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasher;
use std::marker::PhantomData;

use chrono::{NaiveDate, NaiveDateTime};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::{Serialize, Serializer};

use crate::{Date, DateTime};

/// Serializes `value` normally (this module is lenient only when reading).
///
/// # Errors
///
/// Whatever `value`'s `Serialize` impl or the serializer returns.
pub fn serialize<T: Serialize + ?Sized, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.serialize(serializer)
}

/// Deserializes a `T` leniently; see the [module docs](self) for what is accepted.
///
/// # Errors
///
/// When the input is not acceptable for `T`, with a message naming what was expected.
pub fn deserialize<'de, T: Lenient, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::deserialize_lenient(deserializer)
}

/// A type that [`deserialize`] can read leniently.
///
/// Implemented for the integer and float types, `bool`, [`DateTime`], [`Date`], and for
/// `Option`, `Vec`, `Box`, `BTreeMap<String, _>` and `HashMap<String, _>` of those.
pub trait Lenient: Sized {
    /// Deserializes `Self`, accepting the variants described in the [module docs](self).
    ///
    /// # Errors
    ///
    /// When the input is not acceptable for `Self`.
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// A [`DeserializeSeed`] that reads a `T` leniently (used for container elements).
struct Seed<T>(PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for Seed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize_lenient(deserializer)
    }
}

// ---------------------------------------------------------------------------------------
// Integers
// ---------------------------------------------------------------------------------------

/// Reads one integer type; `name` is the Rust type's name for messages.
struct IntVisitor<T> {
    name: &'static str,
    _type: PhantomData<T>,
}

impl<T: TryFrom<i128>> IntVisitor<T> {
    fn in_range<E: de::Error>(&self, value: i128) -> Result<T, E> {
        T::try_from(value).map_err(|_| {
            E::custom(format_args!(
                "integer {value} is out of range for {}",
                self.name
            ))
        })
    }
}

impl<'de, T: TryFrom<i128>> Visitor<'de> for IntVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an integer ({}) as a JSON number or a string of decimal digits",
            self.name
        )
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.in_range(i128::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.in_range(i128::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<T, E> {
        self.in_range(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<T, E> {
        match i128::try_from(v) {
            Ok(v) => self.in_range(v),
            Err(_) => Err(E::custom(format_args!(
                "integer {v} is out of range for {}",
                self.name
            ))),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        // Every f64 with a zero fraction and magnitude below 2^100 is an exact integer that
        // fits an i128; anything larger is out of range for every supported type anyway.
        if v.is_finite() && v.fract() == 0.0 && v.abs() < 1.0e30 {
            #[allow(clippy::cast_possible_truncation)]
            let integer = v as i128;
            self.in_range(integer)
        } else if v.is_finite() && v.fract() == 0.0 {
            Err(E::custom(format_args!(
                "number {v:e} is out of range for {}",
                self.name
            )))
        } else {
            Err(E::invalid_value(Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(E::invalid_value(Unexpected::Str(v), &self));
        }
        match v.parse::<i128>() {
            Ok(value) => self.in_range(value),
            // All digits, so the only possible failure is overflow.
            Err(_) => Err(E::custom(format_args!(
                "integer {v} is out of range for {}",
                self.name
            ))),
        }
    }
}

macro_rules! lenient_int {
    ($($t:ty),*) => {$(
        impl Lenient for $t {
            fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(IntVisitor::<$t> { name: stringify!($t), _type: PhantomData })
            }
        }
    )*};
}

lenient_int!(i8, i16, i32, i64, i128, u8, u16, u32, u64, u128);

// ---------------------------------------------------------------------------------------
// Floats
// ---------------------------------------------------------------------------------------

/// Reads an `f64` (range checks for `f32` happen in its impl).
struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, as a JSON number or a string")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        // `f64::from_str` also takes "inf" and "NaN"; JSON numbers are always finite.
        match v.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(n),
            _ => Err(E::invalid_value(Unexpected::Str(v), &self)),
        }
    }
}

impl Lenient for f64 {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FloatVisitor)
    }
}

impl Lenient for f32 {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let wide = d.deserialize_any(FloatVisitor)?;
        #[allow(clippy::cast_possible_truncation)]
        let narrow = wide as f32;
        if narrow.is_finite() {
            Ok(narrow)
        } else {
            Err(de::Error::custom(format_args!(
                "number {wide:e} is out of range for f32"
            )))
        }
    }
}

// ---------------------------------------------------------------------------------------
// bool
// ---------------------------------------------------------------------------------------

struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean, as true/false or the string \"true\"/\"false\"")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(E::invalid_value(Unexpected::Str(v), &self)),
        }
    }
}

impl Lenient for bool {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BoolVisitor)
    }
}

// ---------------------------------------------------------------------------------------
// Dates and date-times
// ---------------------------------------------------------------------------------------

/// Date-time layouts with an offset that RFC 3339 parsing misses (offset without colon).
const WITH_OFFSET: [&str; 2] = ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"];

/// Date-time layouts without an offset, read as UTC.
const WITHOUT_OFFSET: [&str; 2] = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"];

/// Parses a date-time leniently; `None` when no layout fits.
pub(crate) fn parse_date_time(text: &str) -> Option<DateTime> {
    // RFC 3339, also with ' ' or 't' as separator and 'z' for UTC.
    if let Ok(parsed) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(parsed);
    }
    if let Some(parsed) = WITH_OFFSET
        .iter()
        .find_map(|layout| chrono::DateTime::parse_from_str(text, layout).ok())
    {
        return Some(parsed);
    }
    WITHOUT_OFFSET
        .iter()
        .find_map(|layout| NaiveDateTime::parse_from_str(text, layout).ok())
        .map(|naive| naive.and_utc().fixed_offset())
}

struct DateTimeVisitor;

impl Visitor<'_> for DateTimeVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 date-time string such as \"2013-01-01T00:00:00Z\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
        parse_date_time(v).ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
    }
}

impl Lenient for DateTime {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(DateTimeVisitor)
    }
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date string such as \"2013-01-31\" (or a date-time)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
        NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .ok()
            .or_else(|| parse_date_time(v).map(|dt| dt.date_naive()))
            .ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
    }
}

impl Lenient for Date {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(DateVisitor)
    }
}

// ---------------------------------------------------------------------------------------
// Containers
// ---------------------------------------------------------------------------------------

struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null or a value")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        T::deserialize_lenient(d).map(Some)
    }
}

impl<T: Lenient> Lenient for Option<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_option(OptionVisitor(PhantomData))
    }
}

impl<T: Lenient> Lenient for Box<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize_lenient(d).map(Box::new)
    }
}

struct VecVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for VecVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // The size hint comes from the input: cap the pre-allocation.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(Seed::<T>(PhantomData))? {
            out.push(item);
        }
        Ok(out)
    }
}

impl<T: Lenient> Lenient for Vec<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(VecVisitor(PhantomData))
    }
}

/// Reads a map with string keys into any map type `M`.
struct MapVisitor<M, T>(PhantomData<(M, T)>);

impl<'de, M, T> Visitor<'de> for MapVisitor<M, T>
where
    T: Lenient,
    M: Default + Extend<(String, T)>,
{
    type Value = M;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<M, A::Error> {
        let mut out = M::default();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Seed::<T>(PhantomData))?;
            out.extend([(key, value)]);
        }
        Ok(out)
    }
}

impl<T: Lenient> Lenient for BTreeMap<String, T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(MapVisitor::<Self, T>(PhantomData))
    }
}

impl<T: Lenient, S: BuildHasher + Default> Lenient for HashMap<String, T, S> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(MapVisitor::<Self, T>(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    /// Decodes `value` as `T` through the lenient path.
    fn decode<T: Lenient>(value: serde_json::Value) -> Result<T, serde_json::Error> {
        deserialize(value)
    }

    /// Decodes from text (exercises `deserialize_any` on a streaming deserializer).
    fn decode_str<T: Lenient>(text: &str) -> Result<T, serde_json::Error> {
        let mut d = serde_json::Deserializer::from_str(text);
        deserialize(&mut d)
    }

    #[test]
    fn integers_accept_numbers_and_digit_strings() {
        let ok: &[(serde_json::Value, i64)] = &[
            (json!(42), 42),
            (json!(-42), -42),
            (json!("42"), 42),
            (json!("-5"), -5),
            (json!("+7"), 7),
            (json!("007"), 7),
            (json!(3.0), 3),
            (json!(-2.0), -2),
            (json!("9223372036854775807"), i64::MAX),
            (json!("-9223372036854775808"), i64::MIN),
            (json!(i64::MIN), i64::MIN),
        ];
        for (input, expected) in ok {
            let got: i64 = decode(input.clone()).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(got, *expected, "{input}");
        }
        assert_eq!(decode_str::<u64>("18446744073709551615").unwrap(), u64::MAX);
        assert_eq!(
            decode_str::<u64>("\"18446744073709551615\"").unwrap(),
            u64::MAX
        );
        assert_eq!(decode_str::<i32>(" \"12\" ").unwrap(), 12);
    }

    #[test]
    fn integers_reject_everything_else() {
        let cases: &[(serde_json::Value, &str)] = &[
            (
                json!("12a"),
                "invalid value: string \"12a\", expected an integer (i64)",
            ),
            (json!(""), "invalid value: string \"\""),
            (json!("-"), "invalid value: string \"-\""),
            (json!("+-1"), "invalid value"),
            (json!(" 1"), "invalid value"),
            (json!("1.0"), "invalid value: string \"1.0\""),
            (json!("1e3"), "invalid value"),
            (json!(1.5), "invalid value: floating point `1.5`"),
            (json!(true), "invalid type: boolean `true`"),
            (json!(null), "invalid type: null"),
            (json!([1]), "invalid type: sequence"),
            (json!({"a": 1}), "invalid type: map"),
            (
                json!("9223372036854775808"),
                "integer 9223372036854775808 is out of range for i64",
            ),
            (
                json!("99999999999999999999999999999999999999999"),
                "out of range for i64",
            ),
            (json!(18446744073709551615_u64), "out of range for i64"),
            (json!(1e300), "number 1e300 is out of range for i64"),
        ];
        for (input, message) in cases {
            let err = decode::<i64>(input.clone()).expect_err(&input.to_string());
            assert!(err.to_string().contains(message), "{input}: {err}");
        }
    }

    #[test]
    fn small_integers_are_range_checked() {
        assert_eq!(decode::<u8>(json!("255")).unwrap(), 255);
        assert_eq!(decode::<i8>(json!(-128)).unwrap(), -128);
        assert_eq!(decode::<u16>(json!(65535.0)).unwrap(), 65535);
        assert_eq!(decode::<i16>(json!("-32768")).unwrap(), -32768);
        assert_eq!(decode::<u32>(json!("+4294967295")).unwrap(), u32::MAX);
        for (err, ty) in [
            (decode::<u8>(json!(256)).unwrap_err(), "u8"),
            (decode::<u8>(json!("-1")).unwrap_err(), "u8"),
            (decode::<i8>(json!(128.0)).unwrap_err(), "i8"),
            (decode::<u32>(json!(-1)).unwrap_err(), "u32"),
            (decode::<i32>(json!("2147483648")).unwrap_err(), "i32"),
            (decode::<u64>(json!(-1)).unwrap_err(), "u64"),
        ] {
            assert!(
                err.to_string().contains(&format!("out of range for {ty}")),
                "{err}"
            );
        }
    }

    #[test]
    fn wide_integers_take_the_range_beyond_64_bits() {
        assert_eq!(
            decode_str::<i128>("9223372036854775808").unwrap(),
            1_i128 << 63
        );
        assert_eq!(
            decode_str::<i128>("-9223372036854775808").unwrap(),
            i128::from(i64::MIN)
        );
        assert_eq!(
            decode::<i128>(json!("-170141183460469231731687303715884105728")).unwrap(),
            i128::MIN
        );
        assert_eq!(
            decode::<u128>(json!("18446744073709551616")).unwrap(),
            1_u128 << 64
        );
        let err = decode::<u128>(json!(-1)).unwrap_err();
        assert!(err.to_string().contains("out of range for u128"), "{err}");
        assert_eq!(
            serde_json::to_string(&(1_i128 << 63)).unwrap(),
            "9223372036854775808"
        );
    }

    #[test]
    fn floats_accept_numbers_and_numeric_strings() {
        assert_eq!(decode::<f64>(json!(1.5)).unwrap(), 1.5);
        assert_eq!(decode::<f64>(json!(2)).unwrap(), 2.0);
        assert_eq!(decode::<f64>(json!("-0.25")).unwrap(), -0.25);
        assert_eq!(decode::<f64>(json!("1e3")).unwrap(), 1000.0);
        assert_eq!(decode::<f32>(json!("0.5")).unwrap(), 0.5);
        for bad in [
            json!("abc"),
            json!("NaN"),
            json!("inf"),
            json!(true),
            json!(null),
        ] {
            assert!(decode::<f64>(bad.clone()).is_err(), "{bad}");
        }
        let err = decode::<f32>(json!(1e300)).unwrap_err();
        assert!(err.to_string().contains("out of range for f32"), "{err}");
    }

    #[test]
    fn bools() {
        assert!(decode::<bool>(json!(true)).unwrap());
        assert!(!decode::<bool>(json!("false")).unwrap());
        assert!(decode::<bool>(json!("yes")).is_err());
        assert!(decode::<bool>(json!(1)).is_err());
    }

    #[test]
    fn date_times_with_and_without_offset() {
        let cases = [
            ("2013-01-01T00:00:00Z", "2013-01-01T00:00:00+00:00"),
            ("2013-01-01T00:00:00+01:00", "2013-01-01T00:00:00+01:00"),
            ("2013-01-01T00:00:00-05:30", "2013-01-01T00:00:00-05:30"),
            ("2013-01-01T00:00:00+0100", "2013-01-01T00:00:00+01:00"),
            ("2013-01-01 00:00:00+01:00", "2013-01-01T00:00:00+01:00"),
            ("2013-01-01t00:00:00z", "2013-01-01T00:00:00+00:00"),
            ("2013-01-01T00:00:00", "2013-01-01T00:00:00+00:00"),
            ("2013-01-01 00:00:00", "2013-01-01T00:00:00+00:00"),
            (
                "2013-01-01T00:00:00.123456",
                "2013-01-01T00:00:00.123456+00:00",
            ),
            ("2013-01-01 12:34:56.5", "2013-01-01T12:34:56.500+00:00"),
            ("2013-01-01T00:00:00.123Z", "2013-01-01T00:00:00.123+00:00"),
            (
                "2013-01-01T23:59:59.999999999+09:00",
                "2013-01-01T23:59:59.999999999+09:00",
            ),
        ];
        for (input, expected) in cases {
            let got: DateTime = decode(json!(input)).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(got.to_rfc3339(), expected, "{input}");
        }
        for bad in [
            json!("2013-01-01"),
            json!("2013-13-01T00:00:00Z"),
            json!("yesterday"),
            json!(""),
            json!(1_357_000_000),
            json!(null),
        ] {
            let err = decode::<DateTime>(bad.clone()).expect_err(&bad.to_string());
            assert!(err.to_string().contains("date-time"), "{bad}: {err}");
        }
    }

    #[test]
    fn dates() {
        let d: Date = decode(json!("2013-01-31")).unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2013, 1, 31).unwrap());
        let d: Date = decode(json!("2013-01-31T23:00:00-05:00")).unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2013, 1, 31).unwrap());
        let d: Date = decode(json!("2013-01-31 10:00:00")).unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2013, 1, 31).unwrap());
        for bad in [json!("2013-02-30"), json!("31/01/2013"), json!(20130131)] {
            let err = decode::<Date>(bad.clone()).expect_err(&bad.to_string());
            assert!(err.to_string().contains("date"), "{bad}: {err}");
        }
    }

    #[test]
    fn options_and_nested_containers() {
        assert_eq!(decode::<Option<i64>>(json!(null)).unwrap(), None);
        assert_eq!(decode::<Option<i64>>(json!("5")).unwrap(), Some(5));
        assert_eq!(
            decode::<Vec<Option<i64>>>(json!([1, null, "3", 4.0])).unwrap(),
            vec![Some(1), None, Some(3), Some(4)]
        );
        assert_eq!(
            decode::<Option<Vec<Vec<u8>>>>(json!([["1"], [], [2, "3"]])).unwrap(),
            Some(vec![vec![1], vec![], vec![2, 3]])
        );
        assert_eq!(decode::<Box<u16>>(json!("9")).unwrap(), Box::new(9));
        let m: BTreeMap<String, Vec<i32>> = decode(json!({"a": ["1", 2], "b": []})).unwrap();
        assert_eq!(m["a"], vec![1, 2]);
        assert!(m["b"].is_empty());
        let m: HashMap<String, Option<DateTime>> =
            decode(json!({"x": null, "y": "2013-01-01T00:00:00"})).unwrap();
        assert_eq!(m["x"], None);
        assert_eq!(
            m["y"].map(|d| d.to_rfc3339()).as_deref(),
            Some("2013-01-01T00:00:00+00:00")
        );
        let err = decode::<Vec<i64>>(json!([1, "x"])).unwrap_err();
        assert!(err.to_string().contains("\"x\""), "{err}");
        assert!(decode::<Vec<i64>>(json!("1,2")).is_err());
        assert!(decode::<BTreeMap<String, i64>>(json!([1])).is_err());
        // From text too.
        assert_eq!(
            decode_str::<Vec<Option<i64>>>("[null, \"-1\"]").unwrap(),
            vec![None, Some(-1)]
        );
    }

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Thing {
        #[serde(with = "crate::lenient")]
        id: i64,
        #[serde(default, with = "crate::lenient")]
        count: Option<u32>,
        #[serde(default, with = "crate::lenient")]
        tags: Vec<i64>,
        #[serde(with = "crate::lenient")]
        at: DateTime,
        #[serde(default, with = "crate::lenient")]
        on: Option<Date>,
    }

    #[test]
    fn works_through_serde_with_and_round_trips() {
        let thing: Thing = serde_json::from_str(
            r#"{"id":"17","count":null,"tags":["1",2],"at":"2020-02-29 12:00:00","on":"2020-03-01"}"#,
        )
        .unwrap();
        assert_eq!(thing.id, 17);
        assert_eq!(thing.count, None);
        assert_eq!(thing.tags, vec![1, 2]);
        let text = serde_json::to_string(&thing).unwrap();
        assert_eq!(
            text,
            r#"{"id":17,"count":null,"tags":[1,2],"at":"2020-02-29T12:00:00Z","on":"2020-03-01"}"#
        );
        let again: Thing = serde_json::from_str(&text).unwrap();
        assert_eq!(again, thing);
        let minimal: Thing =
            serde_json::from_str(r#"{"id":1,"at":"2020-01-01T00:00:00Z"}"#).unwrap();
        assert_eq!(minimal.count, None);
        assert!(minimal.tags.is_empty());
        let err = serde_json::from_str::<Thing>(r#"{"id":"x1","at":"2020-01-01T00:00:00Z"}"#)
            .unwrap_err();
        assert!(err.to_string().contains("x1"), "{err}");
    }
}
