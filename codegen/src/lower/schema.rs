//! Lowering of schemas: from `openapiv3::Schema` to [`TypeRef`]s and named [`TypeKind`]s.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::Lowerer;
use crate::error::pointer_push;
use crate::ir::{Field, IntKind, Literal, TypeKind, TypeRef, UnionVariant, Variant};
use crate::naming::{self, Scope};

/// Where a schema sits: the names an inline type found there would get, and its pointer.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    /// Name from the nearest key alone (`TargetType` for a property `target_type`).
    short: String,
    /// Name qualified by the enclosing types (`CreateSmsSubscriptionTargetType`).
    long: String,
    /// JSON pointer of the schema.
    pub(crate) pointer: String,
}

impl Context {
    /// The context of a named type (a component schema).
    pub(crate) fn named(name: &str, pointer: &str) -> Self {
        Context {
            short: name.to_owned(),
            long: name.to_owned(),
            pointer: pointer.to_owned(),
        }
    }

    /// A context with explicit names, for bodies, responses and parameters.
    pub(crate) fn new(short: String, long: String, pointer: String) -> Self {
        Context {
            short,
            long,
            pointer,
        }
    }

    fn property(&self, property: &str) -> Self {
        let pascal = naming::pascal(property);
        Context {
            long: format!("{}{}", self.long, pascal),
            short: pascal,
            pointer: pointer_push(&pointer_push(&self.pointer, "properties"), property),
        }
    }

    fn suffixed(&self, suffix: &str, token: &str) -> Self {
        Context {
            short: format!("{}{}", self.short, suffix),
            long: format!("{}{}", self.long, suffix),
            pointer: pointer_push(&self.pointer, token),
        }
    }

    fn at(&self, token: &str) -> Self {
        Context {
            pointer: pointer_push(&self.pointer, token),
            ..self.clone()
        }
    }
}

/// Lowers a component schema into the body of its named type, plus its docs.
pub(crate) fn lower_named(
    cx: &mut Lowerer<'_>,
    schema: &ReferenceOr<Schema>,
    context: &Context,
) -> (TypeKind, Option<String>) {
    let schema = match schema {
        ReferenceOr::Reference { reference } => {
            return (
                TypeKind::Alias(reference_type(cx, reference, &context.pointer)),
                None,
            )
        }
        ReferenceOr::Item(schema) => schema,
    };
    let doc = doc_of(&schema.schema_data);
    let kind = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
            TypeKind::Struct(struct_fields(
                cx,
                &object.properties,
                &object.required,
                object.additional_properties.as_ref(),
                context,
            ))
        }
        SchemaKind::Any(any) if (any.one_of.len() > 1 || any.any_of.len() > 1) => {
            let members = if any.one_of.is_empty() {
                any.any_of.clone()
            } else {
                any.one_of.clone()
            };
            union(cx, &members, schema, context)
        }
        SchemaKind::Any(any) if !any.properties.is_empty() => TypeKind::Struct(struct_fields(
            cx,
            &any.properties,
            &any.required,
            any.additional_properties.as_ref(),
            context,
        )),
        SchemaKind::Type(Type::String(string)) if has_values(&string.enumeration) => {
            string_enum(&string.enumeration)
        }
        SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members }
            if members.len() > 1 =>
        {
            union(cx, members, schema, context)
        }
        SchemaKind::AllOf { all_of } => match significant_parts(cx, all_of) {
            parts
                if parts.len() > 1 && parts.iter().all(|(_, part)| is_object_like(cx, part, 0)) =>
            {
                merged_struct(cx, all_of, context)
            }
            _ => TypeKind::Alias(lower_schema(cx, schema, context)),
        },
        _ => TypeKind::Alias(lower_schema(cx, schema, context)),
    };
    (kind, doc)
}

/// Lowers a schema in a use position (field, item, parameter, body, response).
pub(crate) fn lower_ref(
    cx: &mut Lowerer<'_>,
    schema: &ReferenceOr<Schema>,
    context: &Context,
) -> TypeRef {
    match schema {
        ReferenceOr::Reference { reference } => reference_type(cx, reference, &context.pointer),
        ReferenceOr::Item(schema) => lower_schema(cx, schema, context),
    }
}

fn lower_boxed(
    cx: &mut Lowerer<'_>,
    schema: &ReferenceOr<Box<Schema>>,
    context: &Context,
) -> TypeRef {
    match schema {
        ReferenceOr::Reference { reference } => {
            let ty = reference_type(cx, reference, &context.pointer);
            if referenced_nullable(cx, reference) {
                TypeRef::Nullable(Box::new(ty))
            } else {
                ty
            }
        }
        ReferenceOr::Item(schema) => {
            let ty = lower_schema(cx, schema, context);
            if schema.schema_data.nullable {
                TypeRef::Nullable(Box::new(ty))
            } else {
                ty
            }
        }
    }
}

fn reference_type(cx: &mut Lowerer<'_>, reference: &str, pointer: &str) -> TypeRef {
    match cx.component_id(reference) {
        Some(id) => TypeRef::Named(id),
        // A dangling reference names no shape at all: any JSON value is the honest type.
        None => {
            cx.warn(
                pointer_push(pointer, "$ref"),
                format!(
                    "`$ref` {reference:?} does not name a schema in #/components/schemas; \
                     typed as any JSON value"
                ),
            );
            TypeRef::Json
        }
    }
}

fn lower_schema(cx: &mut Lowerer<'_>, schema: &Schema, context: &Context) -> TypeRef {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            if has_values(&string.enumeration) {
                let kind = string_enum(&string.enumeration);
                return inline_type(cx, schema, context, kind);
            }
            match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Binary,
                _ => TypeRef::String,
            }
        }
        SchemaKind::Type(Type::Integer(integer)) => match &integer.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                TypeRef::Int(IntKind::I32)
            }
            _ => TypeRef::Int(IntKind::I64),
        },
        SchemaKind::Type(Type::Number(_)) => TypeRef::Float,
        SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
        SchemaKind::Type(Type::Object(object)) => {
            if object.properties.is_empty() {
                if let Some(members) = raw_members(cx, &context.pointer) {
                    return raw_union(cx, schema, context, members);
                }
                map_of(cx, object.additional_properties.as_ref(), context)
            } else {
                let fields = struct_fields(
                    cx,
                    &object.properties,
                    &object.required,
                    object.additional_properties.as_ref(),
                    context,
                );
                inline_struct(cx, schema, context, fields)
            }
        }
        SchemaKind::Any(any) if !any.one_of.is_empty() || !any.any_of.is_empty() => {
            let members = if any.one_of.is_empty() {
                any.any_of.clone()
            } else {
                any.one_of.clone()
            };
            raw_union(cx, schema, context, members)
        }
        SchemaKind::Any(any) if !any.properties.is_empty() => {
            let fields = struct_fields(
                cx,
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                context,
            );
            inline_struct(cx, schema, context, fields)
        }
        SchemaKind::Type(Type::Array(array)) => match &array.items {
            Some(items) => TypeRef::Array(Box::new(lower_boxed(
                cx,
                items,
                &context.suffixed("Item", "items"),
            ))),
            None => TypeRef::Array(Box::new(TypeRef::Json)),
        },
        SchemaKind::AllOf { all_of } => {
            let parts = significant_parts(cx, all_of);
            if parts.is_empty() {
                return TypeRef::Json;
            }
            if parts.len() == 1 {
                let (index, part) = parts[0];
                return lower_ref(cx, part, &context.at("allOf").at(&index.to_string()));
            }
            if parts.iter().all(|(_, part)| is_object_like(cx, part, 0)) {
                let kind = merged_struct(cx, all_of, context);
                return inline_type(cx, schema, context, kind);
            }
            // A reference narrowed by a same-typed constraint (`allOf: [$ref: Enum, {type:
            // string}]`): the reference is the precise type.
            match parts
                .iter()
                .filter(|(_, part)| matches!(part, ReferenceOr::Reference { .. }))
                .count()
            {
                1 => {
                    let (index, part) = parts
                        .iter()
                        .copied()
                        .find(|(_, part)| matches!(part, ReferenceOr::Reference { .. }))
                        .expect("counted one");
                    lower_ref(cx, part, &context.at("allOf").at(&index.to_string()))
                }
                _ => unsupported(cx, context, "allOf that combines non-object schemas"),
            }
        }
        SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
            if members.len() == 1 {
                let token = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                return lower_ref(cx, &members[0], &context.at(token).at("0"));
            }
            if members.is_empty() {
                return TypeRef::Json;
            }
            let kind = union(cx, members, schema, context);
            inline_type(cx, schema, context, kind)
        }
        SchemaKind::Not { .. } => unsupported(cx, context, "not"),
        SchemaKind::Any(_) => TypeRef::Json,
    }
}

/// `allOf` parts that say something about the shape: schemas carrying only a description,
/// title, default or `nullable` are left out (a common way to annotate a `$ref`).
fn significant_parts<'s>(
    cx: &Lowerer<'_>,
    parts: &'s [ReferenceOr<Schema>],
) -> Vec<(usize, &'s ReferenceOr<Schema>)> {
    let _ = cx;
    parts
        .iter()
        .enumerate()
        .filter(|(_, part)| match part {
            ReferenceOr::Reference { .. } => true,
            ReferenceOr::Item(schema) => match &schema.schema_kind {
                SchemaKind::Any(any) => {
                    !(any.properties.is_empty()
                        && any.typ.is_none()
                        && any.items.is_none()
                        && any.enumeration.is_empty()
                        && any.format.is_none()
                        && any.additional_properties.is_none()
                        && any.one_of.is_empty()
                        && any.any_of.is_empty()
                        && any.all_of.is_empty())
                }
                _ => true,
            },
        })
        .collect()
}

/// Whether a schema describes an object with properties (directly, by reference, or as an
/// `allOf` of such), so that `allOf` can merge it.
fn is_object_like(cx: &Lowerer<'_>, schema: &ReferenceOr<Schema>, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    let schema = match schema {
        ReferenceOr::Reference { reference } => match cx.component_schema(reference) {
            Some(target) => return is_object_like(cx, target, depth + 1),
            None => return false,
        },
        ReferenceOr::Item(schema) => schema,
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) => true,
        SchemaKind::Any(any) => !any.properties.is_empty() || any.typ.as_deref() == Some("object"),
        SchemaKind::AllOf { all_of } => all_of
            .iter()
            .all(|part| is_object_like(cx, part, depth + 1)),
        _ => false,
    }
}

/// The `oneOf`/`anyOf` members of a raw node that `openapiv3` read as a plain object
/// (`{type: object, oneOf: [...]}` keeps only the `type`).
fn raw_members(cx: &Lowerer<'_>, pointer: &str) -> Option<Vec<ReferenceOr<Schema>>> {
    let node = cx.raw_at(pointer)?;
    let members = node.get("oneOf").or_else(|| node.get("anyOf"))?;
    serde_json::from_value(members.clone()).ok()
}

fn raw_union(
    cx: &mut Lowerer<'_>,
    schema: &Schema,
    context: &Context,
    members: Vec<ReferenceOr<Schema>>,
) -> TypeRef {
    let token = match cx.raw_at(&context.pointer).and_then(|n| n.get("oneOf")) {
        Some(_) => "oneOf",
        None => "anyOf",
    };
    match members.len() {
        0 => TypeRef::Json,
        1 => lower_ref(cx, &members[0], &context.at(token).at("0")),
        _ => {
            let kind = union(cx, &members, schema, context);
            inline_type(cx, schema, context, kind)
        }
    }
}

/// Lowers `oneOf`/`anyOf` members into a union: a tagged one when a discriminator names a
/// tag value for every member, an untagged one (tried most specific first) otherwise.
fn union(
    cx: &mut Lowerer<'_>,
    members: &[ReferenceOr<Schema>],
    schema: &Schema,
    context: &Context,
) -> TypeKind {
    let token = match (
        &schema.schema_kind,
        cx.raw_at(&context.pointer).and_then(|n| n.get("oneOf")),
    ) {
        (SchemaKind::OneOf { .. }, _) | (_, Some(_)) => "oneOf",
        _ => "anyOf",
    };
    let discriminator = schema.schema_data.discriminator.as_ref();
    let mut scope = Scope::default();
    let mut variants: Vec<UnionVariant> = Vec::new();
    for (index, member) in members.iter().enumerate() {
        let member_context = Context {
            short: format!("{}Variant{}", context.short, index + 1),
            long: format!("{}Variant{}", context.long, index + 1),
            pointer: pointer_push(&pointer_push(&context.pointer, token), &index.to_string()),
        };
        let member_context = match member {
            ReferenceOr::Item(item) => match &item.schema_data.title {
                Some(title) => {
                    let title = naming::pascal(title);
                    Context {
                        short: title.clone(),
                        long: format!("{}{title}", context.long),
                        ..member_context
                    }
                }
                None => member_context,
            },
            ReferenceOr::Reference { .. } => member_context,
        };
        let ty = lower_ref(cx, member, &member_context);
        if variants.iter().any(|v| v.ty == ty) {
            continue;
        }
        let tag_values = match (discriminator, member) {
            (Some(discriminator), ReferenceOr::Reference { reference }) => {
                let mut values: Vec<String> = discriminator
                    .mapping
                    .iter()
                    .filter(|(_, target)| {
                        *target == reference || reference.ends_with(&format!("/{target}"))
                    })
                    .map(|(value, _)| value.clone())
                    .collect();
                if values.is_empty() {
                    values.push(reference.rsplit('/').next().unwrap_or(reference).to_owned());
                }
                values
            }
            _ => Vec::new(),
        };
        variants.push(UnionVariant {
            name: String::new(),
            ty,
            tag_values,
        });
    }
    let tagged = discriminator.is_some() && variants.iter().all(|v| !v.tag_values.is_empty());
    if !tagged {
        variants.sort_by_key(|variant| match_rank(cx, &variant.ty));
        for variant in &mut variants {
            variant.tag_values.clear();
        }
    }
    for variant in &mut variants {
        variant.name = scope.claim(variant_name(cx, &variant.ty));
    }
    TypeKind::Union {
        variants,
        tag: if tagged {
            discriminator.map(|d| d.property_name.clone())
        } else {
            None
        },
        catch_all: scope.claim("Other".to_owned()),
    }
}

/// The order an untagged union tries its variants in: the narrowest JSON shapes first, so
/// that a wide variant (any string, an object whose fields are all optional, any value)
/// cannot swallow a value a narrower one was meant for.
fn match_rank(cx: &Lowerer<'_>, ty: &TypeRef) -> (u8, i64) {
    match ty {
        TypeRef::Nullable(inner) => match_rank(cx, inner),
        TypeRef::Bool => (0, 0),
        TypeRef::Int(_) => (1, 0),
        TypeRef::Float => (2, 0),
        TypeRef::Date => (3, 0),
        TypeRef::DateTime => (4, 0),
        TypeRef::String => (6, 0),
        TypeRef::Array(_) => (7, 0),
        TypeRef::Map(_) => (9, 0),
        TypeRef::Json => (10, 0),
        TypeRef::Binary => (6, 1),
        TypeRef::Named(_) => match cx.resolve(ty) {
            Some(TypeRef::Named(id)) => match cx.slots[id.0].kind.as_ref() {
                Some(TypeKind::StringEnum { .. }) => (5, 0),
                Some(TypeKind::Struct(fields)) => {
                    let required = fields.iter().filter(|f| f.required).count() as i64;
                    (8, -(required * 1000 + fields.len() as i64))
                }
                // Unions and not-yet-lowered components sit with the objects.
                _ => (8, 0),
            },
            Some(other) => match_rank(cx, other),
            // An alias loop describes no value; it sits with the objects too.
            None => (8, 0),
        },
    }
}

fn variant_name(cx: &Lowerer<'_>, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Nullable(inner) => variant_name(cx, inner),
        TypeRef::Bool => "Boolean".to_owned(),
        TypeRef::Int(_) => "Integer".to_owned(),
        TypeRef::Float => "Number".to_owned(),
        TypeRef::Date => "Date".to_owned(),
        TypeRef::DateTime => "DateTime".to_owned(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Array(inner) => format!("{}List", variant_name(cx, inner)),
        TypeRef::Map(_) => "Map".to_owned(),
        TypeRef::Json => "Any".to_owned(),
        TypeRef::Binary => "Binary".to_owned(),
        TypeRef::Named(id) => cx.slots[id.0]
            .name
            .clone()
            .unwrap_or_else(|| cx.slots[id.0].candidates.0.clone()),
    }
}

fn unsupported(cx: &mut Lowerer<'_>, context: &Context, construct: &str) -> TypeRef {
    cx.error(
        context.pointer.clone(),
        format!("`{construct}` schemas are not supported yet"),
    );
    TypeRef::Json
}

fn map_of(
    cx: &mut Lowerer<'_>,
    additional: Option<&AdditionalProperties>,
    context: &Context,
) -> TypeRef {
    let value = match additional {
        Some(AdditionalProperties::Schema(schema)) => {
            let context = context.suffixed("Value", "additionalProperties");
            match schema.as_ref() {
                ReferenceOr::Reference { reference } => {
                    reference_type(cx, reference, &context.pointer)
                }
                ReferenceOr::Item(schema) => lower_schema(cx, schema, &context),
            }
        }
        _ => TypeRef::Json,
    };
    TypeRef::Map(Box::new(value))
}

fn inline_struct(
    cx: &mut Lowerer<'_>,
    schema: &Schema,
    context: &Context,
    fields: Vec<Field>,
) -> TypeRef {
    inline_type(cx, schema, context, TypeKind::Struct(fields))
}

/// Registers `kind` as the inline type found at `context` (docs from `schema`).
fn inline_type(
    cx: &mut Lowerer<'_>,
    schema: &Schema,
    context: &Context,
    kind: TypeKind,
) -> TypeRef {
    let id = cx.register_inline(
        context.short.clone(),
        context.long.clone(),
        doc_of(&schema.schema_data),
        context.pointer.clone(),
        kind,
    );
    TypeRef::Named(id)
}

fn has_values(values: &[Option<String>]) -> bool {
    values.iter().any(Option::is_some)
}

/// A string enum; each variant is named after its own value (values that meet in
/// PascalCase are settled by [`naming::assign`], not by their order), and the catch-all is
/// `Other` unless a value took that name.
fn string_enum(values: &[Option<String>]) -> TypeKind {
    let mut variants: Vec<Variant> = Vec::new();
    for value in values.iter().flatten() {
        if variants.iter().any(|v| &v.wire == value) {
            continue;
        }
        variants.push(Variant {
            name: String::new(),
            wire: value.clone(),
        });
    }
    let claims: Vec<_> = variants
        .iter()
        .map(|variant| {
            let name = naming::pascal(&variant.wire);
            let rank = naming::plain_rank(&variant.wire, &name);
            naming::Claim::new(vec![name], rank)
        })
        .collect();
    let names = naming::assign(&claims, &[]);
    let mut scope = Scope::default();
    for (variant, name) in variants.iter_mut().zip(names) {
        scope.claim(name.clone());
        variant.name = name;
    }
    TypeKind::StringEnum {
        variants,
        catch_all: scope.claim("Other".to_owned()),
    }
}

/// Collects the properties of an `allOf` whose parts are all objects into one struct.
fn merged_struct(
    cx: &mut Lowerer<'_>,
    parts: &[ReferenceOr<Schema>],
    context: &Context,
) -> TypeKind {
    let mut properties: IndexMap<String, ReferenceOr<Box<Schema>>> = IndexMap::new();
    let mut required: Vec<String> = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        let pointer = pointer_push(&pointer_push(&context.pointer, "allOf"), &index.to_string());
        collect_object(cx, part, &pointer, &mut properties, &mut required, 0);
    }
    TypeKind::Struct(struct_fields(cx, &properties, &required, None, context))
}

fn collect_object(
    cx: &mut Lowerer<'_>,
    part: &ReferenceOr<Schema>,
    pointer: &str,
    properties: &mut IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &mut Vec<String>,
    depth: usize,
) {
    if depth > 32 {
        cx.error(
            pointer.to_owned(),
            "`allOf` nests references more than 32 deep (a cycle?)",
        );
        return;
    }
    let schema = match part {
        ReferenceOr::Reference { reference } => match cx.component_schema(reference) {
            Some(schema) => {
                let pointer = reference.trim_start_matches('#').to_owned();
                return collect_object(cx, schema, &pointer, properties, required, depth + 1);
            }
            None => {
                cx.error(
                    pointer_push(pointer, "$ref"),
                    format!("`$ref` {reference:?} does not name a schema"),
                );
                return;
            }
        },
        ReferenceOr::Item(schema) => schema,
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            properties.extend(object.properties.clone());
            required.extend(object.required.iter().cloned());
        }
        SchemaKind::Any(any) if !any.properties.is_empty() || any.typ.is_none() => {
            properties.extend(any.properties.clone());
            required.extend(any.required.iter().cloned());
        }
        SchemaKind::AllOf { all_of } => {
            for (index, inner) in all_of.iter().enumerate() {
                let pointer = pointer_push(&pointer_push(pointer, "allOf"), &index.to_string());
                collect_object(cx, inner, &pointer, properties, required, depth + 1);
            }
        }
        _ => cx.error(
            pointer.to_owned(),
            "`allOf` that combines a non-object schema is not supported yet",
        ),
    }
}

fn struct_fields(
    cx: &mut Lowerer<'_>,
    properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &[String],
    additional: Option<&AdditionalProperties>,
    context: &Context,
) -> Vec<Field> {
    let mut fields = Vec::with_capacity(properties.len());
    for (wire, schema) in properties {
        let field_context = context.property(wire);
        let ty = match schema {
            ReferenceOr::Reference { reference } => {
                reference_type(cx, reference, &field_context.pointer)
            }
            ReferenceOr::Item(schema) => lower_schema(cx, schema, &field_context),
        };
        // `openapiv3` drops the siblings of a `$ref`; read them from the raw document.
        let (nullable, doc, default, deprecated, one_way) = match schema {
            ReferenceOr::Item(schema) => {
                let data = &schema.schema_data;
                (
                    data.nullable,
                    doc_of(data),
                    data.default.clone(),
                    data.deprecated,
                    data.read_only || data.write_only,
                )
            }
            ReferenceOr::Reference { .. } => {
                let raw = cx.raw_at(&field_context.pointer);
                let get = |key: &str| raw.and_then(|node| node.get(key));
                let target_nullable = match schema {
                    ReferenceOr::Reference { reference } => referenced_nullable(cx, reference),
                    ReferenceOr::Item(_) => false,
                };
                (
                    get("nullable").and_then(|v| v.as_bool()).unwrap_or(false) || target_nullable,
                    get("description")
                        .and_then(|v| v.as_str())
                        .map(str::to_owned)
                        .or_else(|| match schema {
                            ReferenceOr::Reference { reference } => referenced_doc(cx, reference),
                            ReferenceOr::Item(_) => None,
                        }),
                    get("default").cloned(),
                    get("deprecated").and_then(|v| v.as_bool()).unwrap_or(false),
                    ["readOnly", "writeOnly"]
                        .iter()
                        .any(|key| get(key).and_then(|v| v.as_bool()).unwrap_or(false)),
                )
            }
        };
        let default = default.and_then(|value| literal(&ty, &value));
        fields.push(Field {
            // Named below, from the property names alone.
            name: String::new(),
            wire: wire.clone(),
            ty,
            // A read-only property is absent from requests and a write-only one from
            // responses, so "required" holds in one direction only: the field is optional.
            required: required.contains(wire) && !one_way,
            nullable,
            default,
            doc,
            deprecated,
            flatten: false,
        });
    }
    // A field is named after its own property; properties that meet in snake_case are
    // settled by `naming::assign` (the one that is exactly the name wins), so adding or
    // reordering properties renames no other field.
    let claims: Vec<_> = fields
        .iter()
        .map(|field| {
            let name = naming::snake(&field.wire);
            let rank = naming::plain_rank(&field.wire, &name);
            naming::Claim::new(vec![name], rank)
        })
        .collect();
    let mut scope = Scope::default();
    for (field, name) in fields.iter_mut().zip(naming::assign(&claims, &[])) {
        scope.claim(name.clone());
        field.name = name;
    }
    // Properties the schema does not name, when it allows them, are kept in a map.
    let extra = match additional {
        Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
        Some(AdditionalProperties::Schema(schema)) => {
            let context = context.suffixed("Value", "additionalProperties");
            Some(match schema.as_ref() {
                ReferenceOr::Reference { reference } => {
                    reference_type(cx, reference, &context.pointer)
                }
                ReferenceOr::Item(schema) => lower_schema(cx, schema, &context),
            })
        }
        _ => None,
    };
    if let Some(value) = extra {
        fields.push(Field {
            name: scope.claim("additional_properties".to_owned()),
            wire: String::new(),
            ty: TypeRef::Map(Box::new(value)),
            required: false,
            nullable: false,
            default: None,
            doc: Some("Properties the schema does not name, by name.".to_owned()),
            deprecated: false,
            flatten: true,
        });
    }
    fields
}

/// Turns a spec `default` into a literal of the field's type; `None` when it does not fit
/// (the field then simply has no default, which is what a client without one would see).
fn literal(ty: &TypeRef, value: &serde_json::Value) -> Option<Literal> {
    use serde_json::Value;
    match (ty, value) {
        (TypeRef::Bool, Value::Bool(b)) => Some(Literal::Bool(*b)),
        (TypeRef::Int(IntKind::I32), Value::Number(n)) => n
            .as_i64()
            .filter(|i| i32::try_from(*i).is_ok())
            .map(Literal::Int),
        (TypeRef::Int(_), Value::Number(n)) => n.as_i64().map(Literal::Int),
        (TypeRef::Float, Value::Number(n)) => n.as_f64().map(Literal::Float),
        (TypeRef::String, Value::String(s)) => Some(Literal::Str(s.clone())),
        // The enum may not be lowered yet; `Lowerer::finish_types` resolves the wire value.
        (TypeRef::Named(id), Value::String(s)) => Some(Literal::Variant(*id, s.clone())),
        _ => None,
    }
}

/// Whether the component a `$ref` points at is itself `nullable: true` (GitHub's
/// `nullable-simple-user`): then every use of it may be `null`.
fn referenced_nullable(cx: &Lowerer<'_>, reference: &str) -> bool {
    matches!(cx.component_schema(reference), Some(ReferenceOr::Item(schema)) if schema.schema_data.nullable)
}

/// The docs of the component a bare `$ref` property points at.
fn referenced_doc(cx: &Lowerer<'_>, reference: &str) -> Option<String> {
    match cx.component_schema(reference)? {
        ReferenceOr::Item(schema) => doc_of(&schema.schema_data),
        ReferenceOr::Reference { .. } => None,
    }
}

/// The title and description of a schema, as one doc text.
fn doc_of(data: &SchemaData) -> Option<String> {
    match (&data.title, &data.description) {
        (Some(title), Some(description)) if !description.contains(title.as_str()) => {
            Some(format!("{title}\n\n{description}"))
        }
        (_, Some(description)) => Some(description.clone()),
        (Some(title), None) => Some(title.clone()),
        (None, None) => None,
    }
}
