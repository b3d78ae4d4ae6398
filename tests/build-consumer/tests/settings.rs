//! Settings that change the generated code, compiled: strict numbers and extra derives
//! (`strict.rs`), next to the default lenient decoding (`sms.rs`).

use std::collections::HashSet;

use forge_build_consumer::{sms, strict};
use serde_json::json;

fn derives_eq<T: Eq>() {}

#[test]
fn strict_numbers_take_json_numbers_only() {
    let as_string = json!({"id": "1001", "target_id": "7"});
    let as_number = json!({"id": 1001, "target_id": 7});

    let lenient: sms::types::SmsSubscription =
        serde_json::from_value(as_string.clone()).expect("lenient reads strings of digits");
    assert_eq!(lenient.id, Some(1001));

    let err = serde_json::from_value::<strict::types::SmsSubscription>(as_string)
        .expect_err("strict refuses strings of digits");
    assert!(err.to_string().contains("invalid type: string"), "{err}");
    let strict: strict::types::SmsSubscription =
        serde_json::from_value(as_number).expect("strict reads numbers");
    assert_eq!((strict.id, strict.target_id), (Some(1001), Some(7)));
}

#[test]
fn extra_derives_apply() {
    derives_eq::<strict::types::SmsSubscription>();
    derives_eq::<strict::types::Webhook>();
    derives_eq::<strict::types::SmsSubscriptionDirection>();
    let signature = strict::types::Signature {
        algo: Some("HS256".to_owned()),
        secret: None,
        type_: Some("jwt".to_owned()),
    };
    let set: HashSet<_> = [signature.clone(), signature].into_iter().collect();
    assert_eq!(set.len(), 1);
}

#[test]
fn the_strict_module_has_its_one_operation() {
    let source = include_str!(concat!(env!("OUT_DIR"), "/strict.rs"));
    // The operation's method and the one request builder that sends it.
    assert_eq!(
        source.matches("pub fn get_sms_subscription<'a>(").count(),
        1
    );
    assert_eq!(
        source.matches("pub struct GetSmsSubscription<'a>").count(),
        1
    );
    assert_eq!(source.matches("pub fn send_with_response(").count(), 1);
    assert!(!source.contains("with = \"::forge_runtime::lenient\""));
    assert!(
        !source.contains("pub mod params"),
        "no query parameters, no params module"
    );
}
