//! Lowering of schemas: from `openapiv3::Schema` to [`TypeRef`]s and named [`TypeKind`]s.

use std::borrow::Borrow;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData,
    SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::Lowerer;
use crate::error::pointer_push;
use crate::ir::{
    Field, FloatKind, IntKind, IntVariant, Literal, TypeKind, TypeRef, UnionVariant, Variant,
};
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

    /// The same names at another place (an `allOf` part, a property found in another part).
    fn moved(&self, pointer: &str) -> Self {
        Context {
            pointer: pointer.to_owned(),
            ..self.clone()
        }
    }
}

/// A property with the JSON pointer of its schema (which, for a property merged from an
/// `allOf` part, is not under the schema that uses it).
#[derive(Debug, Clone)]
struct Prop {
    wire: String,
    schema: ReferenceOr<Box<Schema>>,
    pointer: String,
}

/// The properties of one object schema, located under `pointer`.
fn props_at(properties: &IndexMap<String, ReferenceOr<Box<Schema>>>, pointer: &str) -> Vec<Prop> {
    let base = pointer_push(pointer, "properties");
    properties
        .iter()
        .map(|(wire, schema)| Prop {
            wire: wire.clone(),
            schema: schema.clone(),
            pointer: pointer_push(&base, wire),
        })
        .collect()
}

/// One part of an `allOf`, with the JSON pointer of its schema.
#[derive(Debug, Clone)]
struct Part {
    schema: ReferenceOr<Schema>,
    pointer: String,
}

/// The parts of an `allOf` at `context`: the listed ones, then the keywords next to `allOf`
/// (`type`, `properties`, `required`, `additionalProperties`, ...) as one more part located at
/// the schema itself. `openapiv3` keeps such a mix as an [`AnySchema`]; a bare `type: object`
/// next to it adds nothing and is left out.
fn all_of_parts(
    all_of: &[ReferenceOr<Schema>],
    any: Option<&AnySchema>,
    context: &Context,
) -> Vec<Part> {
    let mut parts: Vec<Part> = all_of
        .iter()
        .enumerate()
        .map(|(index, schema)| Part {
            schema: schema.clone(),
            pointer: pointer_push(&pointer_push(&context.pointer, "allOf"), &index.to_string()),
        })
        .collect();
    if let Some(sibling) = any.and_then(siblings_of) {
        parts.push(Part {
            schema: ReferenceOr::Item(sibling),
            pointer: context.pointer.clone(),
        });
    }
    parts
}

/// The keywords of `any` other than `allOf`, as a schema of their own; `None` when they say
/// nothing beyond "an object".
fn siblings_of(any: &AnySchema) -> Option<Schema> {
    let mut rest = any.clone();
    rest.all_of.clear();
    let object_only = AnySchema {
        typ: Some("object".to_owned()),
        ..AnySchema::default()
    };
    if rest == AnySchema::default() || rest == object_only {
        return None;
    }
    Some(read_back(rest))
}

/// `rest` read back through `openapiv3`, so that a clean `{type: object, properties}`
/// becomes the same `Type::Object` it would be on its own.
fn read_back(rest: AnySchema) -> Schema {
    let schema_kind = serde_json::to_value(&rest)
        .ok()
        .and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or(SchemaKind::Any(rest));
    Schema {
        schema_data: SchemaData::default(),
        schema_kind,
    }
}

/// What an `allOf` lowers to: the fields of one merged struct, or one type.
enum Composed {
    Fields(Vec<Field>),
    Type(TypeRef),
}

/// Lowers the parts of an `allOf` (see [`all_of_parts`]).
fn compose(cx: &mut Lowerer<'_>, parts: &[Part], context: &Context) -> Composed {
    let significant: Vec<&Part> = parts
        .iter()
        .filter(|part| is_significant(&part.schema))
        .collect();
    let all_objects = significant
        .iter()
        .all(|part| is_object_like(cx, &part.schema, 0));
    match significant.as_slice() {
        // Only annotations: the spec says nothing about the shape.
        [] => Composed::Type(TypeRef::Json),
        // The keywords next to `allOf` are the only shape: a struct of this schema's own.
        [part] if part.pointer == context.pointer && all_objects => merged(cx, parts, context),
        [part] => Composed::Type(lower_ref(cx, &part.schema, &context.moved(&part.pointer))),
        _ if all_objects => merged(cx, parts, context),
        _ => {
            // A reference narrowed by a same-typed constraint (`allOf: [$ref: Enum, {type:
            // string}]`): the reference is the precise type.
            let references: Vec<&&Part> = significant
                .iter()
                .filter(|part| matches!(part.schema, ReferenceOr::Reference { .. }))
                .collect();
            match references.as_slice() {
                [part] => {
                    Composed::Type(lower_ref(cx, &part.schema, &context.moved(&part.pointer)))
                }
                _ => Composed::Type(unsupported(
                    cx,
                    context,
                    "allOf that combines non-object schemas",
                )),
            }
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
    let composed = |cx: &mut Lowerer<'_>, parts: Vec<Part>| match compose(cx, &parts, context) {
        Composed::Fields(fields) => TypeKind::Struct(fields),
        Composed::Type(ty) => TypeKind::Alias(ty),
    };
    let kind = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
            TypeKind::Struct(struct_fields(
                cx,
                &props_at(&object.properties, &context.pointer),
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
            warn_dropped_all_of(cx, any, context);
            union(cx, &members, schema, context)
        }
        SchemaKind::Any(any)
            if !any.all_of.is_empty() && any.one_of.is_empty() && any.any_of.is_empty() =>
        {
            composed(cx, all_of_parts(&any.all_of, Some(any), context))
        }
        SchemaKind::Any(any) if !any.properties.is_empty() => TypeKind::Struct(struct_fields(
            cx,
            &props_at(&any.properties, &context.pointer),
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
        SchemaKind::AllOf { all_of } => composed(cx, all_of_parts(all_of, None, context)),
        _ => match int_enum(cx, schema, context) {
            Some(kind) => kind,
            None => TypeKind::Alias(lower_schema(cx, schema, context)),
        },
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

/// The type of the schema at a position whose value may be `null` when the schema admits it
/// (array items, map values, a struct's extra properties): `Nullable` then. Takes boxed and
/// unboxed schemas alike (`openapiv3` boxes items, not `additionalProperties`).
fn lower_nullable<S: Borrow<Schema>>(
    cx: &mut Lowerer<'_>,
    schema: &ReferenceOr<S>,
    context: &Context,
) -> TypeRef {
    let (ty, nullable) = match schema {
        ReferenceOr::Reference { reference } => (
            reference_type(cx, reference, &context.pointer),
            referenced_nullable(cx, reference),
        ),
        ReferenceOr::Item(schema) => (
            lower_schema(cx, schema.borrow(), context),
            admits_null(cx, schema.borrow()),
        ),
    };
    if nullable {
        TypeRef::Nullable(Box::new(ty))
    } else {
        ty
    }
}

fn reference_type(cx: &mut Lowerer<'_>, reference: &str, pointer: &str) -> TypeRef {
    match cx.component_id(reference) {
        Some(id) => TypeRef::Named(id),
        // A dangling reference names no shape at all: any JSON value is the honest type.
        None => {
            cx.fallback(
                pointer_push(pointer, "$ref"),
                "dangling $ref",
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
        SchemaKind::Type(Type::Integer(integer)) => {
            if let Some(kind) = int_enum(cx, schema, context) {
                return inline_type(cx, schema, context, kind);
            }
            let format = match &integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Some("int32"),
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => Some("int64"),
                VariantOrUnknownOrEmpty::Unknown(format) => Some(format.as_str()),
                VariantOrUnknownOrEmpty::Empty => None,
            };
            // The typed model holds bounds as `i64`s (clamped when loading); the document's
            // own numbers decide.
            let parsed = (
                integer.minimum.map(|m| m as f64),
                integer.maximum.map(|m| m as f64),
            );
            integer_type(cx, format, parsed, context)
        }
        SchemaKind::Type(Type::Number(number)) => TypeRef::Float(match &number.format {
            VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => FloatKind::F32,
            _ => FloatKind::F64,
        }),
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
                    &props_at(&object.properties, &context.pointer),
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
            warn_dropped_all_of(cx, any, context);
            raw_union(cx, schema, context, members)
        }
        SchemaKind::Any(any) if !any.all_of.is_empty() => {
            let parts = all_of_parts(&any.all_of, Some(any), context);
            composed_type(cx, schema, &parts, context)
        }
        SchemaKind::Any(any) if !any.properties.is_empty() => {
            let fields = struct_fields(
                cx,
                &props_at(&any.properties, &context.pointer),
                &any.required,
                any.additional_properties.as_ref(),
                context,
            );
            inline_struct(cx, schema, context, fields)
        }
        SchemaKind::Type(Type::Array(array)) => array_of(cx, array.items.as_ref(), context),
        SchemaKind::AllOf { all_of } => {
            let parts = all_of_parts(all_of, None, context);
            composed_type(cx, schema, &parts, context)
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
        SchemaKind::Any(any) => lower_any(cx, schema, any, context),
    }
}

/// An `allOf` in a use position: a merged struct becomes an inline type.
fn composed_type(
    cx: &mut Lowerer<'_>,
    schema: &Schema,
    parts: &[Part],
    context: &Context,
) -> TypeRef {
    match compose(cx, parts, context) {
        Composed::Fields(fields) => inline_struct(cx, schema, context, fields),
        Composed::Type(ty) => ty,
    }
}

/// `Vec` of the items' type; each item is a schema position of its own.
fn array_of(
    cx: &mut Lowerer<'_>,
    items: Option<&ReferenceOr<Box<Schema>>>,
    context: &Context,
) -> TypeRef {
    let item_context = context.suffixed("Item", "items");
    let item = match items {
        Some(items) => lower_nullable(cx, items, &item_context),
        // No `items`: the elements may be anything.
        None => TypeRef::Json,
    };
    cx.position(&item_context.pointer, &item);
    TypeRef::Array(Box::new(item))
}

/// A schema `openapiv3` could not read as one of its typed kinds (a `type` mixed with
/// keywords of another type, bounds beyond 64 bits, enum values of another type): typed from
/// its `type` and the keywords that type uses; without a `type` it is any JSON value, as the
/// spec says.
fn lower_any(cx: &mut Lowerer<'_>, schema: &Schema, any: &AnySchema, context: &Context) -> TypeRef {
    match any.typ.as_deref() {
        None => TypeRef::Json,
        Some("integer") => {
            if let Some(kind) = int_enum(cx, schema, context) {
                return inline_type(cx, schema, context, kind);
            }
            integer_type(
                cx,
                any.format.as_deref(),
                (any.minimum, any.maximum),
                context,
            )
        }
        Some("number") => TypeRef::Float(match any.format.as_deref() {
            Some("float") => FloatKind::F32,
            _ => FloatKind::F64,
        }),
        Some("boolean") => TypeRef::Bool,
        Some("string") => {
            let values: Vec<Option<String>> = any
                .enumeration
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect();
            if has_values(&values) {
                return inline_type(cx, schema, context, string_enum(&values));
            }
            match any.format.as_deref() {
                Some("date-time") => TypeRef::DateTime,
                Some("date") => TypeRef::Date,
                Some("binary") => TypeRef::Binary,
                _ => TypeRef::String,
            }
        }
        Some("array") => array_of(cx, any.items.as_ref(), context),
        Some("object") => map_of(cx, any.additional_properties.as_ref(), context),
        Some(other) => {
            cx.fallback(
                context.pointer.clone(),
                "unknown type",
                format!("`type: {other}` is not an OpenAPI 3.0 type; typed as any JSON value"),
            );
            TypeRef::Json
        }
    }
}

/// `allOf` next to `oneOf`/`anyOf` in one schema: the union wins and the parts are left out.
fn warn_dropped_all_of(cx: &mut Lowerer<'_>, any: &AnySchema, context: &Context) {
    if !any.all_of.is_empty() {
        cx.warn(
            pointer_push(&context.pointer, "allOf"),
            "`allOf` next to `oneOf`/`anyOf` is left out; the union is typed alone",
        );
    }
}

/// The integer type for a schema with `format` and the `minimum`/`maximum` bounds: the
/// document's own numbers where they are there (exact beyond 2^53 and beyond `i64`), else
/// the `f64`s the typed model kept. Bounds beyond 128 bits allow no Rust integer type: a
/// 64-bit float, with a located warning.
fn integer_type(
    cx: &mut Lowerer<'_>,
    format: Option<&str>,
    (minimum, maximum): (Option<f64>, Option<f64>),
    context: &Context,
) -> TypeRef {
    let raw = cx.raw_at(&context.pointer);
    let bound = |key: &str, parsed: Option<f64>| -> Result<Option<i128>, ()> {
        let node = raw.and_then(|node| node.get(key));
        let exact = node.and_then(|value| {
            value
                .as_i64()
                .map(i128::from)
                .or_else(|| value.as_u64().map(i128::from))
        });
        match (exact, node.and_then(serde_json::Value::as_f64).or(parsed)) {
            (Some(exact), _) => Ok(Some(exact)),
            (None, None) => Ok(None),
            // Below 2^127 in magnitude an f64 converts to an i128; a bound beyond that
            // allows no Rust integer type.
            (None, Some(v)) if v.is_finite() && v.abs() < 1.0e38 =>
            {
                #[allow(clippy::cast_possible_truncation)]
                Ok(Some(v as i128))
            }
            (None, Some(_)) => Err(()),
        }
    };
    match (bound("minimum", minimum), bound("maximum", maximum)) {
        (Ok(minimum), Ok(maximum)) => TypeRef::Int(int_kind(format, (minimum, maximum))),
        _ => {
            cx.warn(
                context.pointer.clone(),
                "integer bounds beyond 128 bits; typed as a 64-bit float (large values lose \
                 precision)",
            );
            TypeRef::Float(FloatKind::F64)
        }
    }
}

/// The Rust integer type for a `format` and the `minimum`/`maximum` bounds.
///
/// A known `format` (`int8` ... `int64`, `uint8` ... `uint64`; OpenAPI 3.0 section 4.4 and the
/// registry's unsigned formats) decides alone. Otherwise the bounds do: a range within
/// `0..=u32::MAX` is `u32`, one within `i32` is `i32`, one within `i64` (or no bounds) is
/// `i64`, a non-negative one beyond `i64::MAX` is `u64`, and anything wider `i128`.
fn int_kind(format: Option<&str>, (minimum, maximum): (Option<i128>, Option<i128>)) -> IntKind {
    match format {
        Some("int8") => return IntKind::I8,
        Some("int16") => return IntKind::I16,
        Some("int32") => return IntKind::I32,
        Some("int64") => return IntKind::I64,
        Some("uint8") => return IntKind::U8,
        Some("uint16") => return IntKind::U16,
        Some("uint32") => return IntKind::U32,
        Some("uint64") => return IntKind::U64,
        _ => {}
    }
    let non_negative = minimum.is_some_and(|low| low >= 0);
    let within = |kind: IntKind| {
        let (low, high) = kind.bounds();
        minimum.is_some_and(|m| m >= low) && maximum.is_some_and(|m| m <= high)
    };
    if non_negative && within(IntKind::U32) {
        IntKind::U32
    } else if within(IntKind::I32) {
        IntKind::I32
    } else if minimum.is_none_or(|m| m >= i128::from(i64::MIN))
        && maximum.is_none_or(|m| m <= i128::from(i64::MAX))
    {
        IntKind::I64
    } else if non_negative && maximum.is_some_and(|m| m <= i128::from(u64::MAX)) {
        IntKind::U64
    } else {
        IntKind::I128
    }
}

/// The integer enum of an `integer` schema with `enum`, when its values fit the catch-all's
/// `i64`; variant names from `x-enum-varnames` or `x-enum-names` where given.
fn int_enum(cx: &mut Lowerer<'_>, schema: &Schema, context: &Context) -> Option<TypeKind> {
    let values: Vec<i64> = match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(integer)) => {
            integer.enumeration.iter().flatten().copied().collect()
        }
        SchemaKind::Any(any) if any.typ.as_deref() == Some("integer") => {
            let values: Vec<i64> = any
                .enumeration
                .iter()
                .filter_map(serde_json::Value::as_i64)
                .collect();
            let others = any
                .enumeration
                .iter()
                .filter(|v| !v.is_null() && !v.is_i64())
                .count();
            if others > 0 && !values.is_empty() {
                cx.warn(
                    pointer_push(&context.pointer, "enum"),
                    format!("{others} `enum` value(s) are not 64-bit integers; left out of the enum (kept by its catch-all only when they fit an i64)"),
                );
            }
            values
        }
        _ => return None,
    };
    if values.is_empty() {
        return None;
    }
    let names = ["x-enum-varnames", "x-enum-names"]
        .iter()
        .find_map(|key| schema.schema_data.extensions.get(*key))
        .and_then(serde_json::Value::as_array);
    let mut scope = Scope::default();
    let mut variants: Vec<IntVariant> = Vec::new();
    for (index, value) in values.iter().enumerate() {
        if variants.iter().any(|v| v.value == *value) {
            continue;
        }
        let given = names
            .and_then(|names| names.get(index))
            .and_then(serde_json::Value::as_str)
            .filter(|name| !name.trim().is_empty());
        let name = match given {
            Some(name) => naming::pascal(name),
            None if *value < 0 => format!("Minus{}", value.unsigned_abs()),
            None => format!("V{value}"),
        };
        variants.push(IntVariant {
            name: scope.claim(name),
            value: *value,
        });
    }
    Some(TypeKind::IntEnum {
        variants,
        catch_all: scope.claim("Other".to_owned()),
    })
}

/// Whether an `allOf` part says something about the shape: schemas carrying only a
/// description, title, default or `nullable` do not (a common way to annotate a `$ref`).
fn is_significant(part: &ReferenceOr<Schema>) -> bool {
    match part {
        ReferenceOr::Reference { .. } => true,
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Any(any) => {
                !(any.properties.is_empty()
                    && any.required.is_empty()
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
    }
}

/// Whether a schema describes an object (directly, by reference, or as an `allOf` of such),
/// so that `allOf` can merge it.
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
        SchemaKind::Any(any) => match any.typ.as_deref() {
            Some("object") => true,
            Some(_) => false,
            None => {
                !any.properties.is_empty()
                    || ((!any.required.is_empty() || any.additional_properties.is_some())
                        && any.one_of.is_empty()
                        && any.any_of.is_empty())
                    || (!any.all_of.is_empty()
                        && any
                            .all_of
                            .iter()
                            .all(|part| is_object_like(cx, part, depth + 1)))
            }
        },
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
    let siblings = union_siblings(schema);
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
        let ty = match (&siblings, member) {
            (Some(siblings), ReferenceOr::Item(item))
                if is_object_like(cx, member, 0) || !is_significant(member) =>
            {
                with_siblings(cx, siblings, item, context, &member_context)
            }
            _ => lower_ref(cx, member, &member_context),
        };
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

/// The object keywords written next to `oneOf`/`anyOf` (`properties`, `required`,
/// `additionalProperties`), as a schema of their own; `None` when there are no `properties`.
/// A value must satisfy both the siblings and one member (JSON Schema validation, "oneOf"
/// and "anyOf" are in-place applicators), so each inline object member is merged with them
/// (Intercom's `create_data_attribute_request`: `name` and `model` next to a `oneOf` that
/// tells list attributes from the others).
fn union_siblings(schema: &Schema) -> Option<Schema> {
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return None;
    };
    if any.properties.is_empty() {
        return None;
    }
    let rest = AnySchema {
        typ: Some("object".to_owned()),
        properties: any.properties.clone(),
        required: any.required.clone(),
        additional_properties: any.additional_properties.clone(),
        min_properties: any.min_properties,
        max_properties: any.max_properties,
        ..AnySchema::default()
    };
    Some(read_back(rest))
}

/// One inline object member of a union merged with the keywords next to the union (see
/// [`union_siblings`]): a struct of both parts' properties, required where either part
/// requires them, at the member's pointer.
fn with_siblings(
    cx: &mut Lowerer<'_>,
    siblings: &Schema,
    member: &Schema,
    context: &Context,
    member_context: &Context,
) -> TypeRef {
    let parts = [
        Part {
            schema: ReferenceOr::Item(siblings.clone()),
            pointer: context.pointer.clone(),
        },
        Part {
            schema: ReferenceOr::Item(member.clone()),
            pointer: member_context.pointer.clone(),
        },
    ];
    match merged_fields(cx, &parts, member_context) {
        Some(fields) => inline_struct(cx, member, member_context, fields),
        None => TypeRef::Json,
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
        TypeRef::Float(_) => (2, 0),
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
        TypeRef::Float(_) => "Number".to_owned(),
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
    let context = context.suffixed("Value", "additionalProperties");
    let value = match additional {
        Some(AdditionalProperties::Schema(schema)) => lower_nullable(cx, schema.as_ref(), &context),
        // A free-form object: its values may be anything.
        _ => TypeRef::Json,
    };
    cx.position(&context.pointer, &value);
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

/// The merged struct of an `allOf` whose parts are all objects, or any JSON value (with a
/// located fallback warning) when the merge is a cycle (see [`merged_fields`]).
fn merged(cx: &mut Lowerer<'_>, parts: &[Part], context: &Context) -> Composed {
    match merged_fields(cx, parts, context) {
        Some(fields) => Composed::Fields(fields),
        None => Composed::Type(TypeRef::Json),
    }
}

/// Collects the properties of an `allOf` whose parts are all objects into one struct: every
/// part's properties (a later part's schema for a name wins), every part's `required` (which
/// may name a property of another part), and the `additionalProperties` written next to the
/// `allOf` itself.
///
/// A referenced part's properties are lowered inline, so a property that merges the
/// component it belongs to (`Pet.parent: {allOf: [{$ref: Pet}, {required: [name]}]}`) would
/// expand forever: such a merge is refused with a fallback warning at the `allOf`, and
/// `None` (the caller types it as any JSON value).
fn merged_fields(cx: &mut Lowerer<'_>, parts: &[Part], context: &Context) -> Option<Vec<Field>> {
    let mut properties: IndexMap<String, Prop> = IndexMap::new();
    let mut required: Vec<String> = Vec::new();
    let mut followed: Vec<String> = Vec::new();
    for part in parts {
        collect_object(
            cx,
            &part.schema,
            &part.pointer,
            &mut Collected {
                properties: &mut properties,
                required: &mut required,
                followed: &mut followed,
            },
            0,
        );
    }
    if let Some(again) = followed.iter().find(|r| cx.merging.contains(r)) {
        cx.fallback(
            context.pointer.clone(),
            "allOf cycle",
            format!(
                "`allOf` merges {again:?} into one of its own properties, which would nest \
                 without end; typed as any JSON value"
            ),
        );
        return None;
    }
    let additional = parts
        .iter()
        .filter(|part| part.pointer == context.pointer)
        .find_map(|part| match &part.schema {
            ReferenceOr::Item(schema) => match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => object.additional_properties.clone(),
                SchemaKind::Any(any) => any.additional_properties.clone(),
                _ => None,
            },
            ReferenceOr::Reference { .. } => None,
        });
    let props: Vec<Prop> = properties.into_values().collect();
    let outer = cx.merging.len();
    cx.merging.extend(followed);
    let fields = struct_fields(cx, &props, &required, additional.as_ref(), context);
    cx.merging.truncate(outer);
    Some(fields)
}

/// What [`collect_object`] gathers from the parts of one `allOf`.
struct Collected<'c> {
    /// The properties by wire name; a later part's schema for a name wins.
    properties: &'c mut IndexMap<String, Prop>,
    /// Every part's `required` names.
    required: &'c mut Vec<String>,
    /// The component `$ref`s followed to reach the parts.
    followed: &'c mut Vec<String>,
}

fn collect_object(
    cx: &mut Lowerer<'_>,
    part: &ReferenceOr<Schema>,
    pointer: &str,
    out: &mut Collected<'_>,
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
                out.followed.push(reference.clone());
                let pointer = reference.trim_start_matches('#').to_owned();
                return collect_object(cx, schema, &pointer, out, depth + 1);
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
    let add = |out: &mut Collected<'_>, own: &IndexMap<String, ReferenceOr<Box<Schema>>>| {
        for prop in props_at(own, pointer) {
            out.properties.insert(prop.wire.clone(), prop);
        }
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            add(out, &object.properties);
            out.required.extend(object.required.iter().cloned());
        }
        SchemaKind::Any(any) if any.typ.is_none() || any.typ.as_deref() == Some("object") => {
            add(out, &any.properties);
            out.required.extend(any.required.iter().cloned());
            for (index, inner) in any.all_of.iter().enumerate() {
                let pointer = pointer_push(&pointer_push(pointer, "allOf"), &index.to_string());
                collect_object(cx, inner, &pointer, out, depth + 1);
            }
        }
        SchemaKind::AllOf { all_of } => {
            for (index, inner) in all_of.iter().enumerate() {
                let pointer = pointer_push(&pointer_push(pointer, "allOf"), &index.to_string());
                collect_object(cx, inner, &pointer, out, depth + 1);
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
    properties: &[Prop],
    required: &[String],
    additional: Option<&AdditionalProperties>,
    context: &Context,
) -> Vec<Field> {
    let mut fields = Vec::with_capacity(properties.len());
    for Prop {
        wire,
        schema,
        pointer,
    } in properties
    {
        let field_context = context.property(wire).moved(pointer);
        let ty = match schema {
            ReferenceOr::Reference { reference } => {
                reference_type(cx, reference, &field_context.pointer)
            }
            ReferenceOr::Item(schema) => lower_schema(cx, schema, &field_context),
        };
        cx.position(&field_context.pointer, &ty);
        // `openapiv3` drops the siblings of a `$ref`; read them from the raw document.
        let (nullable, doc, default, deprecated, one_way) = match schema {
            ReferenceOr::Item(schema) => {
                let data = &schema.schema_data;
                (
                    admits_null(cx, schema),
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
        let constraints = super::constraints::of(cx, schema);
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
            constraints,
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
    let value_context = context.suffixed("Value", "additionalProperties");
    let extra = match additional {
        Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
        Some(AdditionalProperties::Schema(schema)) => {
            Some(lower_nullable(cx, schema.as_ref(), &value_context))
        }
        _ => None,
    };
    if let Some(value) = &extra {
        cx.position(&value_context.pointer, value);
    }
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
            constraints: Default::default(),
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
        (TypeRef::Int(kind), Value::Number(n)) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
            .filter(|i| kind.holds(*i))
            .map(Literal::Int),
        (TypeRef::Float(FloatKind::F32), Value::Number(n)) => n
            .as_f64()
            .filter(|f| f.abs() <= f64::from(f32::MAX))
            .map(Literal::Float),
        (TypeRef::Float(FloatKind::F64), Value::Number(n)) => n.as_f64().map(Literal::Float),
        (TypeRef::String, Value::String(s)) => Some(Literal::Str(s.clone())),
        // The enum may not be lowered yet; `Lowerer::finish_types` resolves the wire value.
        (TypeRef::Named(id), Value::String(s)) => Some(Literal::Variant(*id, s.clone())),
        _ => None,
    }
}

/// Whether the component a `$ref` points at admits `null` (GitHub's `nullable-simple-user`,
/// see [`admits_null`]): then every use of it may be `null`.
fn referenced_nullable(cx: &Lowerer<'_>, reference: &str) -> bool {
    matches!(cx.component_schema(reference), Some(ReferenceOr::Item(schema)) if admits_null(cx, schema))
}

/// Whether a value of `schema` may be `null`: the schema says `nullable: true` (OpenAPI
/// 3.0.3, "Schema Object"), or it is a `oneOf`/`anyOf` one of whose members admits `null`
/// (a union accepts what any member accepts; Sentry's `anyOf: [string, number, {type:
/// object, nullable: true}]`), or an `allOf` whose every shaping part admits `null` (Plaid's
/// `allOf: [$ref: NullableEnum]`, a reference annotated with `deprecated`). The union's own
/// type keeps its members; its uses become optional, as for a nullable schema. Members are followed through component `$ref`s a few
/// levels deep (a cycle stops there and admits no `null`).
fn admits_null(cx: &Lowerer<'_>, schema: &Schema) -> bool {
    fn walk(cx: &Lowerer<'_>, schema: &Schema, depth: usize) -> bool {
        if schema.schema_data.nullable {
            return true;
        }
        if depth >= 8 {
            return false;
        }
        let member_admits = |member: &ReferenceOr<Schema>| match member {
            ReferenceOr::Item(member) => walk(cx, member, depth + 1),
            ReferenceOr::Reference { reference } => matches!(
                cx.component_schema(reference),
                Some(ReferenceOr::Item(member)) if walk(cx, member, depth + 1)
            ),
        };
        // An `allOf` admits what every part admits; the parts that only annotate (a
        // description next to a `$ref`) constrain nothing, so the shaping parts decide.
        let all_of = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => Some(all_of),
            // Keywords next to the `allOf` (`properties`, ...) are one more part, never `null`.
            SchemaKind::Any(any)
                if !any.all_of.is_empty() && any.one_of.is_empty() && any.any_of.is_empty() =>
            {
                if siblings_of(any).is_some_and(|part| is_significant(&ReferenceOr::Item(part))) {
                    return false;
                }
                Some(&any.all_of)
            }
            _ => None,
        };
        if let Some(all_of) = all_of {
            let mut shaping = all_of.iter().filter(|part| is_significant(part)).peekable();
            return shaping.peek().is_some() && shaping.all(member_admits);
        }
        let members: &[ReferenceOr<Schema>] = match &schema.schema_kind {
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                members
            }
            SchemaKind::Any(any) if !any.one_of.is_empty() => &any.one_of,
            SchemaKind::Any(any) => &any.any_of,
            _ => return false,
        };
        members.iter().any(member_admits)
    }
    walk(cx, schema, 0)
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
