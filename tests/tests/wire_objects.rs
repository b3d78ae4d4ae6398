//! How generated structs read JSON objects. Their `Deserialize` is written out by the
//! generator on top of the runtime's `object` module rather than derived; these are serde's
//! derive's rules, checked on the checked-in client's types: `SmsEvent` (`id` and
//! `created_date` required and read leniently, `direction` required, the rest optional) and
//! `SmsSubscription` (every property optional, three with spec defaults).

use dialpad_sms_subscriptions::types::{SmsEvent, SmsEventDirection, SmsSubscription};
use forge_runtime::serde_json::{self, json, Value};

fn event(value: Value) -> Result<SmsEvent, String> {
    serde_json::from_value(value.clone()).map_err(|e| e.to_string())
}

fn event_text(text: &str) -> Result<SmsEvent, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

#[test]
fn properties_are_read_in_any_order_by_wire_name_and_unknown_ones_dropped() {
    let read = event(json!({
        "text": "hi",
        "future_property": {"nested": [1, {"deep": null}]},
        "direction": "inbound",
        "created_date": "1700000000000",
        "id": 42,
    }))
    .unwrap();
    assert_eq!(read.id, 42);
    assert_eq!(read.created_date, 1_700_000_000_000);
    assert_eq!(read.direction, SmsEventDirection::Inbound);
    assert_eq!(read.text.as_deref(), Some("hi"));
    assert_eq!(read.contact, None);
    // A name written with an escape is the same name (from text: the escape is JSON's).
    let read =
        event_text(r#"{"i\u0064": "7", "created_date": 1, "direction": "outbound"}"#).unwrap();
    assert_eq!(read.id, 7);
}

#[test]
fn a_missing_required_property_is_an_error_naming_it() {
    let error = event(json!({"id": 1, "created_date": 2})).unwrap_err();
    assert!(error.starts_with("missing field `direction`"), "{error}");
    // Read leniently or not, a required property must be there.
    let error = event(json!({"created_date": 2, "direction": "inbound"})).unwrap_err();
    assert!(error.starts_with("missing field `id`"), "{error}");
}

#[test]
fn missing_optional_properties_take_the_spec_default_or_none() {
    let read: SmsSubscription = serde_json::from_value(json!({"id": "12"})).unwrap();
    assert_eq!(read.id, Some(12));
    assert_eq!(read.enabled, Some(true), "the spec's default");
    assert_eq!(read.include_internal, Some(false), "the spec's default");
    assert_eq!(read.status, Some(false), "the spec's default");
    assert_eq!(read.webhook, None);
    // Present, the value wins over the default, `null` included.
    let read: SmsSubscription =
        serde_json::from_value(json!({"enabled": false, "status": null})).unwrap();
    assert_eq!(read.enabled, Some(false));
    assert_eq!(read.status, None);
}

#[test]
fn a_property_given_twice_is_an_error() {
    let error =
        event_text(r#"{"id": 1, "created_date": 2, "direction": "inbound", "id": 3}"#).unwrap_err();
    assert!(error.starts_with("duplicate field `id`"), "{error}");
}

#[test]
fn only_a_json_object_is_read() {
    for value in [
        json!([1, 2, "inbound"]),
        json!("inbound"),
        json!(null),
        json!(3),
    ] {
        let error = event(value.clone()).unwrap_err();
        assert!(
            error.contains("expected struct SmsEvent"),
            "{value}: {error}"
        );
    }
}

#[test]
fn a_value_of_the_wrong_type_is_an_error_naming_what_was_expected() {
    let error = event(json!({"id": 1, "created_date": 2, "direction": 5})).unwrap_err();
    assert!(error.contains("invalid type: integer `5`"), "{error}");
    let error = event(json!({"id": true, "created_date": 2, "direction": "inbound"})).unwrap_err();
    assert!(error.contains("invalid type"), "{error}");
}
