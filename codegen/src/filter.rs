//! IR transforms the [`Settings`](crate::Settings) ask for, applied after lowering: keeping
//! only the selected operations (and exactly the types they reach), and renaming types.
//!
//! Both work on the plain-data [`ir::Api`](crate::ir::Api), so emission never knows a filter
//! or an override was there: a slice of a spec is emitted by the same code as the whole of it.
//!
//! - [`select`]: an operation is kept when it matches at least one selector (a tag, a path
//!   prefix or an `operationId`). The types kept are those reachable from the kept
//!   operations' parameters, bodies and responses, through struct fields, aliases, union
//!   variants, arrays, maps and enum defaults; every other type is removed and the
//!   [`TypeId`]s are renumbered (in the original order). Examples of removed types or of
//!   removed operations go too. Type names stay the ones the whole spec gives, so a type is
//!   called the same in a slice as in the full client.
//! - [`rename_types`]: schema key (or JSON pointer of an inline schema) to Rust name.
//! - [`check_derive_targets`]: per-type derives name schemas that become structs or enums.
//!
//! Everything here reads the IR only; the spec's source map serves to locate errors.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{pointer_push, Diagnostic, Error};
use crate::ir::{Api, Literal, TypeId, TypeKind, TypeRef};
use crate::load::SourceMap;
use crate::naming;

/// Which operations to generate. Empty means all of them (and then nothing is pruned).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Operations with any of these tags.
    pub tags: Vec<String>,
    /// Operations whose path is one of these or lies below one (whole segments:
    /// `/api/v2/subscriptions/sms` selects `/api/v2/subscriptions/sms/{id}`, not
    /// `/api/v2/subscriptions/smsx`).
    pub path_prefixes: Vec<String>,
    /// Operations with one of these `operationId`s.
    pub operations: Vec<String>,
}

impl Selection {
    /// Whether nothing is selected (every operation is generated).
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.path_prefixes.is_empty() && self.operations.is_empty()
    }
}

/// Whether `path` is `prefix` or lies below it, comparing whole segments.
pub fn path_matches(path: &str, prefix: &str) -> bool {
    match path.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || rest.starts_with('/') || prefix.ends_with('/'),
        None => false,
    }
}

/// Keeps the operations `selection` picks and exactly the types they reach. An empty
/// selection returns `api` unchanged. A selector that matches no operation is an error (it
/// is almost always a typo), listing the tags the spec does use.
pub fn select(api: Api, source: &SourceMap, selection: &Selection) -> Result<Api, Error> {
    if selection.is_empty() {
        return Ok(api);
    }
    let mut used_tags = vec![false; selection.tags.len()];
    let mut used_prefixes = vec![false; selection.path_prefixes.len()];
    let mut used_ids = vec![false; selection.operations.len()];
    let mut keep = Vec::with_capacity(api.operations.len());
    for op in &api.operations {
        let mut kept = false;
        for (wanted, used) in selection.tags.iter().zip(&mut used_tags) {
            if op.tags.contains(wanted) {
                *used = true;
                kept = true;
            }
        }
        for (prefix, used) in selection.path_prefixes.iter().zip(&mut used_prefixes) {
            if path_matches(&op.path, prefix) {
                *used = true;
                kept = true;
            }
        }
        for (id, used) in selection.operations.iter().zip(&mut used_ids) {
            if op.id == *id {
                *used = true;
                kept = true;
            }
        }
        keep.push(kept);
    }
    let mut unmatched = Vec::new();
    let unused = |names: &[String], used: &[bool], what: &str, out: &mut Vec<String>| {
        for (name, used) in names.iter().zip(used) {
            if !used {
                out.push(format!("{what} `{name}`"));
            }
        }
    };
    unused(&selection.tags, &used_tags, "tag", &mut unmatched);
    unused(
        &selection.path_prefixes,
        &used_prefixes,
        "path prefix",
        &mut unmatched,
    );
    unused(
        &selection.operations,
        &used_ids,
        "operationId",
        &mut unmatched,
    );
    if !unmatched.is_empty() {
        let known: BTreeSet<&String> = api.operations.iter().flat_map(|op| &op.tags).collect();
        let known: Vec<&str> = known.into_iter().map(String::as_str).collect();
        let message = format!(
            "the operation filter selects no operation for {} (tags in the spec: {})",
            unmatched.join(", "),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        );
        return Err(located(source, "/paths", message));
    }
    Ok(prune(api, &keep))
}

/// Keeps the operations whose flag in `keep` is set, and the types they reach.
fn prune(mut api: Api, keep: &[bool]) -> Api {
    let mut removed_pointers = Vec::new();
    let mut operations = Vec::new();
    for (op, kept) in std::mem::take(&mut api.operations).into_iter().zip(keep) {
        if *kept {
            operations.push(op);
        } else {
            removed_pointers.push(op.pointer);
        }
    }
    api.operations = operations;
    let reachable = reachable_types(&api);

    // Old id -> new id, in the original order.
    let mut remap: Vec<Option<TypeId>> = vec![None; api.types.len()];
    let mut next = 0;
    for (old, slot) in remap.iter_mut().enumerate() {
        if reachable.contains(&TypeId(old)) {
            *slot = Some(TypeId(next));
            next += 1;
        }
    }
    let mut removed_types = Vec::new();
    let mut types = Vec::with_capacity(next);
    for (old, def) in std::mem::take(&mut api.types).into_iter().enumerate() {
        if remap[old].is_some() {
            types.push(def);
        } else {
            removed_types.push(def.pointer);
        }
    }
    api.types = types;
    for def in &mut api.types {
        remap_kind(&mut def.kind, &remap);
    }
    for op in &mut api.operations {
        for param in &mut op.params {
            remap_ref(&mut param.ty, &remap);
        }
        if let Some(body) = &mut op.body {
            remap_ref(&mut body.ty, &remap);
        }
        for ty in op.success.json_types_mut() {
            remap_ref(ty, &remap);
        }
        for error in &mut op.errors {
            remap_ref(&mut error.ty, &remap);
        }
    }
    // Events are not selected themselves: a callback goes with the operation that registers
    // it, and any event goes when a type of its payload went.
    let operations: BTreeSet<String> = api.operations.iter().map(|op| op.id.clone()).collect();
    api.events.retain(|event| registered(event, &operations));
    api.events.retain_mut(|event| match &mut event.body {
        Some(body) => {
            let mut ids = BTreeSet::new();
            collect_named(&body.ty, &mut ids);
            let kept = ids.iter().all(|id| remap[id.0].is_some());
            if kept {
                remap_ref(&mut body.ty, &remap);
            }
            kept
        }
        None => true,
    });
    let under_removed = |pointer: &str| {
        removed_pointers.iter().chain(&removed_types).any(|base| {
            pointer
                .strip_prefix(base.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    };
    // Warnings about what is no longer generated go with it.
    api.warnings
        .retain(|warning| !under_removed(&warning.pointer));
    api.examples = std::mem::take(&mut api.examples)
        .into_iter()
        .filter(|example| !under_removed(&example.pointer))
        .filter_map(|mut example| {
            let mut ids = BTreeSet::new();
            collect_named(&example.ty, &mut ids);
            if ids.iter().all(|id| remap[id.0].is_some()) {
                remap_ref(&mut example.ty, &remap);
                Some(example)
            } else {
                None
            }
        })
        .collect();
    api
}

/// Whether `event` belongs with the `operations` kept: a callback when the operation that
/// registers it is among them, a webhook always.
fn registered(event: &crate::ir::Event, operations: &BTreeSet<String>) -> bool {
    match &event.source {
        crate::ir::EventSource::Callback { operation, .. } => operations.contains(operation),
        crate::ir::EventSource::Webhook { .. } => true,
    }
}

/// Every named type the operations of `api` reach, directly or nested, with the payloads of
/// the events that belong with them (a callback belongs with the operation that registers it; a webhook always).
pub fn reachable_types(api: &Api) -> BTreeSet<TypeId> {
    let mut stack = BTreeSet::new();
    let operations: BTreeSet<String> = api.operations.iter().map(|op| op.id.clone()).collect();
    for event in &api.events {
        if let Some(body) = event
            .body
            .as_ref()
            .filter(|_| registered(event, &operations))
        {
            collect_named(&body.ty, &mut stack);
        }
    }
    for op in &api.operations {
        for param in &op.params {
            collect_named(&param.ty, &mut stack);
        }
        if let Some(body) = &op.body {
            collect_named(&body.ty, &mut stack);
        }
        for ty in op.success.json_types() {
            collect_named(ty, &mut stack);
        }
        for error in &op.errors {
            collect_named(&error.ty, &mut stack);
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(id) = stack.pop_first() {
        if id.0 >= api.types.len() || !seen.insert(id) {
            continue;
        }
        let mut found = BTreeSet::new();
        match &api.types[id.0].kind {
            TypeKind::Struct(fields) => {
                for field in fields {
                    collect_named(&field.ty, &mut found);
                    if let Some(Literal::Variant(enum_id, _)) = &field.default {
                        found.insert(*enum_id);
                    }
                }
            }
            TypeKind::Alias(inner) => collect_named(inner, &mut found),
            TypeKind::Union { variants, .. } => {
                for variant in variants {
                    collect_named(&variant.ty, &mut found);
                }
            }
            TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => {}
        }
        stack.extend(found.into_iter().filter(|id| !seen.contains(id)));
    }
    seen
}

/// The named types `ty` mentions (through arrays, maps and nullables).
fn collect_named(ty: &TypeRef, out: &mut BTreeSet<TypeId>) {
    match ty {
        TypeRef::Named(id) => {
            out.insert(*id);
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            collect_named(inner, out)
        }
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::Int(_)
        | TypeRef::Float(_)
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Json
        | TypeRef::Binary => {}
    }
}

fn remap_id(id: &mut TypeId, remap: &[Option<TypeId>]) {
    // Reachability closed over every reference, so a kept type only points at kept types.
    if let Some(Some(new)) = remap.get(id.0) {
        *id = *new;
    }
}

fn remap_ref(ty: &mut TypeRef, remap: &[Option<TypeId>]) {
    match ty {
        TypeRef::Named(id) => remap_id(id, remap),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            remap_ref(inner, remap)
        }
        _ => {}
    }
}

fn remap_kind(kind: &mut TypeKind, remap: &[Option<TypeId>]) {
    match kind {
        TypeKind::Struct(fields) => {
            for field in fields {
                remap_ref(&mut field.ty, remap);
                if let Some(Literal::Variant(id, _)) = &mut field.default {
                    remap_id(id, remap);
                }
            }
        }
        TypeKind::Alias(inner) => remap_ref(inner, remap),
        TypeKind::Union { variants, .. } => {
            for variant in variants {
                remap_ref(&mut variant.ty, remap);
            }
        }
        TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => {}
    }
}

/// Renames types: each entry maps a key of `components.schemas` (or, starting with `/`, the
/// JSON pointer of an inline schema) to a Rust name.
///
/// A name must already be what [`naming::pascal`] makes of it (a valid PascalCase
/// identifier, not a keyword or prelude name), and the names must stay unique in the
/// `types` module; otherwise the error names the offending override. A key the spec does
/// not have, or whose schema is not a named type, is an error. Run it before [`select`], so
/// that the names are checked against the whole spec and a slice is named like the whole.
pub fn rename_types(
    api: &mut Api,
    source: &SourceMap,
    renames: &[(String, String)],
) -> Result<(), Error> {
    if renames.is_empty() {
        return Ok(());
    }
    let mut renamed: BTreeMap<usize, (String, String)> = BTreeMap::new();
    for (key, name) in renames {
        let pointer = schema_pointer(key);
        let found = api.types.iter().position(|def| def.pointer == pointer);
        // Every schema of `components.schemas` becomes a named type, so a key without one
        // is not in the spec.
        if found.is_none() && !key.starts_with('/') {
            return Err(located(
                source,
                "/components/schemas",
                format!("type name override for `{key}`: the spec has no schema {pointer}"),
            ));
        }
        let suggestion = naming::pascal(name);
        if suggestion != *name {
            return Err(located(
                source,
                &pointer,
                format!(
                    "type name override for `{key}`: `{name}` cannot be used as a type name; \
                     `{suggestion}` can"
                ),
            ));
        }
        let Some(index) = found else {
            return Err(located(
                source,
                &pointer,
                format!(
                    "type name override for `{key}`: the spec has no schema at {pointer} that \
                     becomes a named type (an inline schema of a plain type, or one identical \
                     to an earlier inline schema, does not)"
                ),
            ));
        };
        if let Some((earlier, _)) = renamed.insert(index, (key.clone(), name.clone())) {
            return Err(located(
                source,
                &pointer,
                format!("type name overrides for `{earlier}` and `{key}` name the same type"),
            ));
        }
    }
    let mut owners: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, def) in api.types.iter().enumerate() {
        let name = renamed.get(&index).map_or(def.name.as_str(), |(_, n)| n);
        if let Some(other) = owners.insert(name, index) {
            let (first, second) = (other.min(index), other.max(index));
            let (index, other) = if renamed.contains_key(&second) {
                (second, first)
            } else {
                (first, second)
            };
            let key = renamed.get(&index).map_or("?", |(k, _)| k.as_str());
            let pointer = &api.types[index].pointer;
            let other_pointer = &api.types[other].pointer;
            return Err(located(
                source,
                pointer,
                format!(
                    "type name override for `{key}`: `{name}` is already the name of the type \
                     for {other_pointer}; give that one another name too"
                ),
            ));
        }
    }
    for (index, (_, name)) in renamed {
        api.types[index].name = name;
    }
    Ok(())
}

/// Checks that each schema named for a per-type derive (a key of `components.schemas`, or
/// the JSON pointer of an inline schema) becomes a struct or enum of `api`: a derive cannot
/// go on a `type` alias, and one for a schema the spec does not have is a typo.
pub fn check_derive_targets<'a>(
    api: &Api,
    source: &SourceMap,
    schemas: impl IntoIterator<Item = &'a str>,
) -> Result<(), Error> {
    for schema in schemas {
        let pointer = schema_pointer(schema);
        let message = match api.types.iter().find(|def| def.pointer == pointer) {
            None => "the spec has no schema that becomes a named type there".to_owned(),
            Some(def) => match &def.kind {
                TypeKind::Alias(_) => {
                    format!("its type `{}` is an alias; derive on its target", def.name)
                }
                _ => continue,
            },
        };
        return Err(located(
            source,
            &pointer,
            format!("derive for `{schema}`: {message}"),
        ));
    }
    Ok(())
}

/// The type generated for a schema given by `components.schemas` key or by JSON pointer
/// (starting with `/`), if there is one.
pub fn type_for_schema(api: &Api, schema: &str) -> Option<TypeId> {
    let pointer = schema_pointer(schema);
    api.types
        .iter()
        .position(|def| def.pointer == pointer)
        .map(TypeId)
}

/// The JSON pointer of a schema given by `components.schemas` key or by pointer.
fn schema_pointer(schema: &str) -> String {
    if schema.starts_with('/') {
        schema.to_owned()
    } else {
        pointer_push("/components/schemas", schema)
    }
}

/// A diagnostic at `pointer`, located in the source when possible.
fn located(source: &SourceMap, pointer: &str, message: String) -> Error {
    Error::Parse(Diagnostic {
        pointer: pointer.to_owned(),
        message,
        location: source.locate(pointer),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Success;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/PetPage'}
              example: {items: [{name: a, kind: cat}]}
  /pets/{id}:
    get:
      operationId: getPet
      tags: [pets]
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /petsx:
    get:
      operationId: listOther
      tags: [other]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Other'}
              example: {owner: {name: b}}
  /owners:
    post:
      operationId: createOwner
      tags: [owners]
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Owner'}
      responses:
        '204': {description: done}
components:
  schemas:
    Unused: {type: object, properties: {x: {type: string}}}
    Pet:
      type: object
      properties:
        name: {type: string}
        kind: {$ref: '#/components/schemas/Kind'}
        tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}
        extra: {type: object, additionalProperties: {$ref: '#/components/schemas/Extra'}}
    Kind: {type: string, enum: [cat, dog]}
    Tag: {type: object, properties: {label: {type: string}}}
    Extra: {type: object, properties: {note: {type: string}}}
    PetPage:
      type: object
      properties:
        items: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    Other:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/Owner'}
    Owner: {type: object, properties: {name: {type: string}}}
"#;

    fn document() -> crate::load::Document {
        crate::load::parse(SPEC).expect("parses")
    }

    fn sliced(selection: Selection) -> Result<Api, Error> {
        let document = document();
        let api = crate::lower_document(&document).expect("lowers");
        select(api, &document.source, &selection)
    }

    fn type_names(api: &Api) -> Vec<&str> {
        api.types.iter().map(|t| t.name.as_str()).collect()
    }

    fn op_ids(api: &Api) -> Vec<&str> {
        api.operations.iter().map(|o| o.id.as_str()).collect()
    }

    #[test]
    fn tag_keeps_its_operations_and_exactly_the_types_they_reach() {
        let api = sliced(Selection {
            tags: vec!["pets".into()],
            ..Selection::default()
        })
        .unwrap();
        assert_eq!(op_ids(&api), ["listPets", "getPet"]);
        assert_eq!(type_names(&api), ["Pet", "Kind", "Tag", "Extra", "PetPage"]);
        // Ids were renumbered: every reference points at the right, existing type.
        let TypeKind::Struct(fields) = &api.types[0].kind else {
            panic!("Pet is a struct")
        };
        assert_eq!(fields[1].ty, TypeRef::Named(TypeId(1)));
        assert_eq!(
            fields[2].ty,
            TypeRef::Array(Box::new(TypeRef::Named(TypeId(2))))
        );
        assert_eq!(
            api.operations[0].success,
            Success::Json(TypeRef::Named(TypeId(4)))
        );
        // The example of the removed operation went with it.
        assert_eq!(api.examples.len(), 1, "{:?}", api.examples);
        assert_eq!(api.examples[0].ty, TypeRef::Named(TypeId(4)));
    }

    #[test]
    fn path_prefixes_match_whole_segments() {
        let api = sliced(Selection {
            path_prefixes: vec!["/pets".into()],
            ..Selection::default()
        })
        .unwrap();
        assert_eq!(op_ids(&api), ["listPets", "getPet"]);
        assert!(path_matches("/a/b", "/a/"));
        assert!(!path_matches("/ab", "/a"));
    }

    #[test]
    fn selectors_are_a_union_and_request_bodies_count() {
        let api = sliced(Selection {
            operations: vec!["createOwner".into(), "getPet".into()],
            ..Selection::default()
        })
        .unwrap();
        assert_eq!(op_ids(&api), ["getPet", "createOwner"]);
        assert_eq!(type_names(&api), ["Pet", "Kind", "Tag", "Extra", "Owner"]);
    }

    #[test]
    fn a_selector_that_matches_nothing_is_a_located_error() {
        let err = sliced(Selection {
            tags: vec!["pet".into()],
            operations: vec!["getPet".into()],
            ..Selection::default()
        })
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("/paths (line 4, column 1):"), "{err}");
        assert!(err.contains("tag `pet`"), "{err}");
        assert!(err.contains("owners, pets"), "{err}");
    }

    #[test]
    fn an_empty_selection_keeps_everything() {
        let document = document();
        let api = crate::lower_document(&document).unwrap();
        let count = api.types.len();
        let api = select(api, &document.source, &Selection::default()).unwrap();
        assert_eq!(api.types.len(), count);
        assert!(type_names(&api).contains(&"Unused"));
    }

    fn renamed(renames: &[(&str, &str)]) -> Result<Api, Error> {
        let document = document();
        let mut api = crate::lower_document(&document).unwrap();
        let renames: Vec<(String, String)> = renames
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        rename_types(&mut api, &document.source, &renames)?;
        Ok(api)
    }

    #[test]
    fn overrides_rename_and_swap() {
        let api = renamed(&[("Pet", "Animal"), ("Tag", "Extra"), ("Extra", "Tag")]).unwrap();
        let names = type_names(&api);
        assert!(
            names.contains(&"Animal") && !names.contains(&"Pet"),
            "{names:?}"
        );
        let tag = api.types.iter().find(|t| t.name == "Tag").unwrap();
        assert_eq!(tag.pointer, "/components/schemas/Extra");
    }

    #[test]
    fn overrides_must_be_valid_and_unique() {
        let err = renamed(&[("Pet", "pet_type")]).unwrap_err().to_string();
        assert!(err.contains("`PetType` can"), "{err}");
        assert!(err.contains("(line 52, column 5)"), "{err}");
        let err = renamed(&[("Pet", "Option")]).unwrap_err().to_string();
        assert!(err.contains("`OptionType` can"), "{err}");
        let err = renamed(&[("Pet", "Owner")]).unwrap_err().to_string();
        assert!(
            err.contains("already the name of the type for /components/schemas/Owner"),
            "{err}"
        );
        let err = renamed(&[("Nope", "Fine")]).unwrap_err().to_string();
        assert!(err.contains("no schema /components/schemas/Nope"), "{err}");
        let inline = "/components/schemas/Pet/properties/name";
        let err = renamed(&[(inline, "Fine")]).unwrap_err().to_string();
        assert!(
            err.contains(&format!("no schema at {inline} that becomes a named type")),
            "{err}"
        );
    }
}
