//! Wire values of the `unions` fixture's `Series`: `null` is kept wherever the spec admits
//! it, whether the `nullable: true` sits on a map's value schema, an array's item schema, a
//! struct's `additionalProperties`, or on one member of a `oneOf`/`anyOf` (directly or behind
//! a `$ref`), and `Sweep`'s references wrapped in `allOf` to annotate them, which admit
//! `null` when the referenced schema does. Each value decodes and encodes back to the same
//! JSON.

use std::collections::BTreeMap;

use forge_runtime::serde_json::{self, json, Value};
use snapshot_unions::types::{Reading, Series, SeriesGroup, Sweep, SweepKind, SweepSource};

fn round_trip(wire: Value) -> Series {
    let series: Series = serde_json::from_value(wire.clone())
        .unwrap_or_else(|e| panic!("{wire} does not decode: {e}"));
    assert_eq!(
        serde_json::to_value(&series).expect("encodes"),
        wire,
        "encodes back to the same JSON"
    );
    series
}

#[test]
fn null_values_of_maps_and_of_their_arrays_decode() {
    let series = round_trip(json!({
        "totals": {"sum(session)": 1000.0, "crashed": null},
        "series": {"sum(session)": [368.0, null, 240.0]},
        "group": "errored",
        "reading": 3
    }));
    assert_eq!(series.totals["sum(session)"], Some(1000.0));
    assert_eq!(series.totals["crashed"], None);
    assert_eq!(
        series.series["sum(session)"],
        vec![Some(368.0), None, Some(240.0)]
    );
}

#[test]
fn a_union_with_a_nullable_member_takes_null() {
    let series = round_trip(json!({
        "totals": {},
        "series": {},
        "group": null,
        "reading": null
    }));
    assert_eq!(series.group, None);
    assert_eq!(series.reading, None);
    let series = round_trip(json!({
        "totals": {},
        "series": {},
        "group": {"release": "1.0"},
        "reading": "high"
    }));
    let mut release = BTreeMap::new();
    release.insert("release".to_owned(), json!("1.0"));
    assert_eq!(series.group, Some(SeriesGroup::Map(release)));
    assert_eq!(series.reading, Some(Reading::Label("high".to_owned())));
    let series = round_trip(json!({"totals": {}, "series": {}, "group": 2.5, "reading": 7}));
    assert_eq!(series.group, Some(SeriesGroup::Number(2.5)));
    assert_eq!(series.reading, Some(Reading::Integer(7)));
}

#[test]
fn null_in_the_properties_a_struct_does_not_name() {
    let series = round_trip(json!({
        "totals": {},
        "series": {},
        "group": "x",
        "reading": 1,
        "labels": {"first": "a", "second": null, "third": "c"}
    }));
    let labels = series.labels.expect("labels");
    assert_eq!(labels.first.as_deref(), Some("a"));
    assert_eq!(labels.additional_properties["second"], None);
    assert_eq!(labels.additional_properties["third"].as_deref(), Some("c"));
}

#[test]
fn a_value_the_spec_does_not_admit_is_still_refused() {
    // Only the listed positions admit null: a required, non-nullable map is not optional.
    let err = serde_json::from_value::<Series>(json!({"totals": null, "series": {}, "group": 1}))
        .expect_err("totals may not be null");
    assert!(err.to_string().contains("null"), "{err}");
}

#[test]
fn a_reference_annotated_through_all_of_keeps_the_null_it_admits() {
    let wire = json!({"source": null, "note": null, "kind": "daily"});
    let sweep: Sweep =
        serde_json::from_value(wire.clone()).expect("null where the target admits it");
    assert_eq!((&sweep.source, sweep.note.as_deref()), (&None, None));
    assert_eq!(sweep.kind, SweepKind::Daily);
    assert_eq!(serde_json::to_value(&sweep).expect("encodes"), wire);
    let wire = json!({"source": "prefunded", "note": "late", "kind": "weekly"});
    let sweep: Sweep = serde_json::from_value(wire.clone()).expect("decodes");
    assert_eq!(sweep.source, Some(SweepSource::Prefunded));
    assert_eq!(sweep.note.as_deref(), Some("late"));
    assert_eq!(serde_json::to_value(&sweep).expect("encodes"), wire);
    // The part that shapes `kind` does not admit null, and neither does the field.
    let err = serde_json::from_value::<Sweep>(json!({"source": null, "note": null, "kind": null}))
        .expect_err("kind may not be null");
    assert!(err.to_string().contains("null"), "{err}");
}
