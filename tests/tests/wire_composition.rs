//! Wire values of the `composition` fixture: `allOf`, `oneOf` and `anyOf` merged with their
//! sibling keywords.

use std::collections::BTreeMap;

use forge_runtime::serde_json::{self, json};
use forge_runtime::Nullable;
use snapshot_composition::types::{
    Album, Attribute, AttributeListAttribute, AttributeListAttributeDataType, AttributeOtherType,
    AttributeOtherTypeDataType, Base, Holder, HolderInline, Labelled, PagedAlbums, Signal,
    SignalByEmail, SignalByUser,
};

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

#[test]
fn properties_next_to_one_of_are_in_every_member() {
    let wire = json!({"name": "tier", "data_type": "options", "options": ["gold", "silver"]});
    let attribute: Attribute = serde_json::from_value(wire.clone()).expect("decodes");
    assert_eq!(
        attribute,
        Attribute::ListAttribute(AttributeListAttribute::new(
            "tier".to_owned(),
            AttributeListAttributeDataType::Options,
            vec!["gold".to_owned(), "silver".to_owned()],
        ))
    );
    assert_eq!(serde_json::to_value(&attribute).expect("encodes"), wire);
    // A value built in Rust keeps the properties written next to the `oneOf`.
    let other = Attribute::OtherType(AttributeOtherType {
        description: Some("a size".to_owned()),
        ..AttributeOtherType::new("size".to_owned(), AttributeOtherTypeDataType::Integer)
    });
    assert_eq!(
        serde_json::to_value(&other).expect("encodes"),
        json!({"name": "size", "description": "a size", "data_type": "integer"})
    );
    assert_eq!(
        serde_json::from_value::<Attribute>(
            json!({"name": "size", "description": "a size", "data_type": "integer"})
        )
        .expect("decodes"),
        other
    );
    // `name` is required next to the `oneOf`, so no member takes a value without it.
    serde_json::from_value::<Attribute>(json!({"data_type": "string"}))
        .expect_err("name is required in every member");
}

#[test]
fn an_any_of_of_required_lists_requires_them_over_the_properties_next_to_it() {
    let by_user = Signal::ByUser(SignalByUser::new("signed-up".to_owned(), "u1".to_owned()));
    let wire = json!({"name": "signed-up", "user_id": "u1"});
    assert_eq!(serde_json::to_value(&by_user).expect("encodes"), wire);
    assert_eq!(
        serde_json::from_value::<Signal>(wire).expect("decodes"),
        by_user
    );
    let wire = json!({"name": "signed-up", "email": "a@example.com"});
    assert_eq!(
        serde_json::from_value::<Signal>(wire).expect("decodes"),
        Signal::ByEmail(SignalByEmail {
            name: "signed-up".to_owned(),
            user_id: None,
            email: "a@example.com".to_owned(),
        })
    );
    serde_json::from_value::<Signal>(json!({"name": "signed-up"}))
        .expect_err("neither user_id nor email");
}
