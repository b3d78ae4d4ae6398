//! Wire values of the `composition` fixture: `allOf` merged with its sibling keywords.

use std::collections::BTreeMap;

use forge_runtime::serde_json::{self, json};
use forge_runtime::Nullable;
use snapshot_composition::types::{Album, Base, Holder, HolderInline, Labelled, PagedAlbums};

#[test]
fn all_of_next_to_type_object_is_a_struct_with_every_part() {
    let album: Album =
        serde_json::from_value(json!({"id": "a1", "name": "Blue", "tracks": 12})).expect("decodes");
    assert_eq!(album, Album::new("a1".to_owned(), "Blue".to_owned(), 12));
    assert_eq!(
        serde_json::to_value(&album).expect("encodes"),
        json!({"id": "a1", "name": "Blue", "tracks": 12})
    );
    // `required` next to `allOf` names `name`, which another part declares.
    let err = serde_json::from_value::<Album>(json!({"id": "a1", "tracks": 12}))
        .expect_err("name is required");
    assert!(err.to_string().contains("`name`"), "{err}");
    let err = serde_json::from_value::<Album>(json!({"id": "a1", "name": "x", "tracks": "many"}))
        .expect_err("tracks is an integer");
    assert!(err.to_string().contains("many"), "{err}");
}

#[test]
fn properties_before_all_of_merge_too() {
    let page: PagedAlbums = serde_json::from_value(json!({
        "total": 1,
        "next": null,
        "items": [{"id": "a1", "name": "Blue", "tracks": 12}]
    }))
    .expect("decodes");
    assert_eq!(page.total, 1);
    assert_eq!(page.next, None);
    assert_eq!(page.items[0].name, "Blue");
    let err =
        serde_json::from_value::<PagedAlbums>(json!({"total": 1})).expect_err("items is required");
    assert!(err.to_string().contains("`items`"), "{err}");
}

#[test]
fn nested_nullable_and_additional_properties() {
    let holder: Holder = serde_json::from_value(json!({
        "labelled": {"id": "l1", "label": "loud", "volume": 11},
        "inline": {"id": "i1", "extra": true},
        "just_ref": {"id": "b1", "name": "base"}
    }))
    .expect("decodes");
    let mut others = BTreeMap::new();
    others.insert("volume".to_owned(), 11_i64);
    assert_eq!(
        holder.labelled,
        Nullable::Value(Labelled {
            label: Some("loud".to_owned()),
            id: "l1".to_owned(),
            name: None,
            additional_properties: others,
        })
    );
    assert_eq!(
        holder.inline,
        Some(HolderInline::new("i1".to_owned(), true))
    );
    let base: Option<Base> = holder.just_ref.clone();
    assert_eq!(base.map(|b| b.name), Some(Some("base".to_owned())));
    let encoded = serde_json::to_value(&holder).expect("encodes");
    assert_eq!(encoded["labelled"]["volume"], json!(11));
    assert_eq!(encoded["inline"], json!({"id": "i1", "extra": true}));
    // The nullable parent: `null` is kept apart from a missing property, both ways.
    let empty: Holder = serde_json::from_value(json!({"labelled": null})).expect("decodes");
    assert_eq!(empty.labelled, Nullable::Null);
    assert_eq!(
        serde_json::to_value(&empty).expect("encodes"),
        json!({"labelled": null})
    );
    let absent: Holder = serde_json::from_value(json!({})).expect("decodes");
    assert_eq!(absent.labelled, Nullable::Absent);
    assert!(serde_json::from_value::<Holder>(json!({"inline": {"id": "i1"}})).is_err());
}
