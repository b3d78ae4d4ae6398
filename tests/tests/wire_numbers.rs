//! Wire values of the `numbers` fixture, decoded and encoded through the generated types.

use forge_runtime::serde_json::{self, json, Value};
use snapshot_numbers::types::{Level, Measurement, Priority};

fn decode(value: Value) -> Measurement {
    serde_json::from_value(value.clone()).unwrap_or_else(|err| panic!("{value}: {err}"))
}

fn refuse(value: Value) -> String {
    serde_json::from_value::<Measurement>(value.clone())
        .expect_err(&value.to_string())
        .to_string()
}

#[test]
fn uint64_holds_its_whole_range_both_ways() {
    let text = r#"{"counter":18446744073709551615}"#;
    let measurement: Measurement = serde_json::from_str(text).expect("u64::MAX decodes");
    assert_eq!(measurement.counter, u64::MAX);
    let encoded = serde_json::to_value(&measurement).expect("encodes");
    assert_eq!(encoded["counter"], json!(18_446_744_073_709_551_615_u64));
    // Digit strings are read too, as for every integer type.
    assert_eq!(
        decode(json!({"counter": "18446744073709551615"})).counter,
        u64::MAX
    );
    let too_big: Result<Measurement, _> =
        serde_json::from_str(r#"{"counter":18446744073709551616}"#);
    assert!(too_big.is_err());
    assert!(refuse(json!({"counter": -1})).contains("out of range for u64"));
}

#[test]
fn a_maximum_beyond_i64_is_typed_not_untyped() {
    let text = r#"{"counter":0,"huge":9223372036854775808,"unsigned_huge":18446744073709551615}"#;
    let measurement: Measurement = serde_json::from_str(text).expect("decodes");
    assert_eq!(measurement.huge, Some(1_i128 << 63));
    assert_eq!(measurement.unsigned_huge, Some(u64::MAX));
    let encoded = serde_json::to_string(&measurement).expect("encodes");
    assert!(
        encoded.contains(r#""huge":9223372036854775808"#),
        "{encoded}"
    );
    assert!(
        encoded.contains(r#""unsigned_huge":18446744073709551615"#),
        "{encoded}"
    );
    let negative = decode(json!({"counter": 0, "huge": i64::MIN}));
    assert_eq!(negative.huge, Some(i128::from(i64::MIN)));
}

#[test]
fn formats_and_bounds_choose_range_checked_types() {
    let measurement = decode(json!({
        "counter": 1,
        "tiny": -128,
        "small": "32767",
        "byte": 255,
        "word": 65535.0,
        "dword": 4_294_967_295_u64,
        "percent": "42",
        "offset": -50,
        "snowflake": 4_294_967_295_u64,
        "ratio": 0.5,
        "plain": "2.25"
    }));
    assert_eq!(measurement.tiny, Some(-128_i8));
    assert_eq!(measurement.small, Some(32767_i16));
    assert_eq!(measurement.byte, Some(255_u8));
    assert_eq!(measurement.word, Some(65535_u16));
    assert_eq!(measurement.dword, Some(u32::MAX));
    assert_eq!(measurement.percent, Some(42_u32));
    assert_eq!(measurement.offset, Some(-50_i32));
    assert_eq!(measurement.snowflake, Some(u32::MAX));
    assert_eq!(measurement.ratio, Some(0.5_f32));
    assert_eq!(measurement.plain, Some(2.25_f64));
    for (field, value, ty) in [
        ("tiny", json!(128), "i8"),
        ("byte", json!(-1), "u8"),
        ("word", json!(65536), "u16"),
        ("percent", json!(-1), "u32"),
        ("offset", json!(2_147_483_648_u64), "i32"),
    ] {
        let message = refuse(json!({"counter": 1, field: value}));
        assert!(
            message.contains(&format!("out of range for {ty}")),
            "{field}: {message}"
        );
    }
    // The spec's default fills in what the answer leaves out.
    assert_eq!(decode(json!({"counter": 1})).retries, Some(7_u16));
}

#[test]
fn integer_enums_keep_known_and_unknown_values() {
    let measurement = decode(json!({
        "counter": 1,
        "level": 2,
        "priority": -1,
        "history": [-1, 0, 10, 99, "10"]
    }));
    assert_eq!(measurement.level, Some(Level::Medium));
    assert_eq!(measurement.priority, Some(Priority::Minus1));
    assert_eq!(
        measurement.history,
        Some(vec![
            Priority::Minus1,
            Priority::V0,
            Priority::V10,
            Priority::Other(99),
            Priority::V10
        ])
    );
    let encoded = serde_json::to_value(&measurement).expect("encodes");
    assert_eq!(encoded["level"], json!(2));
    assert_eq!(encoded["priority"], json!(-1));
    assert_eq!(encoded["history"], json!([-1, 0, 10, 99, 10]));
    // An unknown value survives a round trip unchanged.
    let unknown: Level = serde_json::from_value(json!(7)).expect("decodes");
    assert_eq!(unknown, Level::Other(7));
    assert_eq!(serde_json::to_value(unknown).expect("encodes"), json!(7));
    assert_eq!(Level::High.value(), 3);
    assert_eq!(Level::from(1), Level::Low);
    assert_eq!(Level::High.to_string(), "3");
    assert!(serde_json::from_value::<Level>(json!("high")).is_err());
    assert!(serde_json::from_value::<Level>(json!(1.5)).is_err());
}
