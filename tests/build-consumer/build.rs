//! Generates the clients this crate includes, into `OUT_DIR`:
//!
//! - `sms.rs`: the `sms-subscriptions` operations of our spec (no webhook operations, and
//!   only the types the SMS subscription operations use);
//! - `strict.rs`: one operation of it, with numbers read strictly and extra derives;
//! - `dialpad_sms.rs`: the `/api/v2/subscriptions/sms` operations of the full Dialpad spec,
//!   when `../shared/specs/dialpad-api-v2.json` (next to the workspace) exists; the crate is
//!   then built with `--cfg dialpad_full_spec`.
//!
//! Editing a spec regenerates on the next build; a spec the generator refuses fails the
//! build with the JSON pointer, line and column of each offending node.

use std::error::Error;
use std::path::Path;

use forge_codegen::build::Builder;
use forge_codegen::Settings;

const SPEC: &str = "../../spec/dialpad-sms-subscriptions.yaml";
const FULL_SPEC: &str = "../../../shared/specs/dialpad-api-v2.json";

fn main() -> Result<(), Box<dyn Error>> {
    let mut sms = Settings::new("sms");
    // Both serde directions, like the checked-in crate (which has example tests), so the
    // slice's types can be compared with generated/ item for item.
    sms.select_tag("sms-subscriptions").serde_both_ways(true);
    Builder::new(SPEC).settings(sms).generate()?;

    // One operation, with numbers read strictly and extra derives.
    let mut strict = Settings::new("strict");
    strict
        .select_operation("getSmsSubscription")
        .lenient_numbers(false)
        .derive("Eq")
        .derive_for("Signature", "Hash");
    Builder::new(SPEC).settings(strict).generate()?;

    println!("cargo::rustc-check-cfg=cfg(dialpad_full_spec)");
    if Path::new(FULL_SPEC).is_file() {
        let mut full = Settings::new("dialpad_sms");
        full.select_path_prefix("/api/v2/subscriptions/sms")
            .runtime_path("crate::runtime")
            // A component schema by key, an inline one by JSON pointer.
            .type_name(
                "schemas.sms_event_subscription.SmsEventSubscriptionProto",
                "SmsSubscription",
            )
            .type_name(
                "/components/schemas/schemas.call_event_subscription.CallEventSubscriptionProto\
                 /properties/target_type",
                "SubscriptionTargetType",
            );
        Builder::new(FULL_SPEC).settings(full).generate()?;
        println!("cargo::rustc-cfg=dialpad_full_spec");
    } else if let Some(dir) = Path::new(FULL_SPEC).parent().filter(|dir| dir.is_dir()) {
        // Notice the spec when it is added.
        println!("cargo:rerun-if-changed={}", dir.display());
    }
    Ok(())
}
