//! The validation keywords of a schema position ([`Constraints`]): read from the typed
//! schema, following `$ref`s to components and the parts of an `allOf`.

use std::borrow::Borrow;

use openapiv3::{ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use super::Lowerer;
use crate::ir::Constraints;

/// How many `$ref`s and `allOf` parts are followed before giving up (a cycle ends there).
const MAX_DEPTH: usize = 8;

/// The constraints of the schema at a position (a property, a parameter, items); boxed
/// (`openapiv3`'s properties and items) or not.
pub(crate) fn of<S: Borrow<Schema>>(cx: &Lowerer<'_>, schema: &ReferenceOr<S>) -> Constraints {
    walk_ref(cx, schema, 0)
}

fn walk_ref<S: Borrow<Schema>>(
    cx: &Lowerer<'_>,
    schema: &ReferenceOr<S>,
    depth: usize,
) -> Constraints {
    match schema {
        ReferenceOr::Item(schema) => walk(cx, schema.borrow(), depth),
        ReferenceOr::Reference { reference } => follow(cx, reference, depth),
    }
}

fn follow(cx: &Lowerer<'_>, reference: &str, depth: usize) -> Constraints {
    match cx.component_schema(reference) {
        Some(schema) if depth < MAX_DEPTH => walk_ref(cx, schema, depth + 1),
        _ => Constraints::default(),
    }
}

fn walk(cx: &Lowerer<'_>, schema: &Schema, depth: usize) -> Constraints {
    let items = |items: Option<&ReferenceOr<Box<Schema>>>| {
        items
            .filter(|_| depth < MAX_DEPTH)
            .map(|items| walk_ref(cx, items, depth + 1))
            .filter(|items| !items.is_empty())
            .map(Box::new)
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => Constraints {
            format: match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte".to_owned()),
                VariantOrUnknownOrEmpty::Item(StringFormat::Password) => {
                    Some("password".to_owned())
                }
                // `date`, `date-time` and `binary` are the Rust type already.
                VariantOrUnknownOrEmpty::Item(_) | VariantOrUnknownOrEmpty::Empty => None,
                VariantOrUnknownOrEmpty::Unknown(format) => Some(format.clone()),
            },
            pattern: string.pattern.clone(),
            min_length: string.min_length,
            max_length: string.max_length,
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Integer(integer)) => Constraints {
            minimum: integer
                .minimum
                .map(|m| (m as f64, integer.exclusive_minimum)),
            maximum: integer
                .maximum
                .map(|m| (m as f64, integer.exclusive_maximum)),
            multiple_of: integer.multiple_of.map(|m| m as f64),
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Number(number)) => Constraints {
            minimum: number.minimum.map(|m| (m, number.exclusive_minimum)),
            maximum: number.maximum.map(|m| (m, number.exclusive_maximum)),
            multiple_of: number.multiple_of,
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Array(array)) => Constraints {
            min_items: array.min_items,
            items: items(array.items.as_ref()),
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Object(_) | Type::Boolean(_)) => Constraints::default(),
        SchemaKind::AllOf { all_of } => merged(cx, all_of, Constraints::default(), depth),
        SchemaKind::Any(any) => {
            let own = Constraints {
                format: any
                    .format
                    .clone()
                    .filter(|f| !matches!(f.as_str(), "date" | "date-time" | "binary")),
                pattern: any.pattern.clone(),
                min_length: any.min_length,
                max_length: any.max_length,
                minimum: any
                    .minimum
                    .map(|m| (m, any.exclusive_minimum.unwrap_or(false))),
                maximum: any
                    .maximum
                    .map(|m| (m, any.exclusive_maximum.unwrap_or(false))),
                multiple_of: any.multiple_of,
                min_items: any.min_items,
                items: items(any.items.as_ref()),
            };
            merged(cx, &any.all_of, own, depth)
        }
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::Not { .. } => {
            Constraints::default()
        }
    }
}

/// `own` completed, keyword by keyword, by the first `allOf` part that sets it.
fn merged(
    cx: &Lowerer<'_>,
    parts: &[ReferenceOr<Schema>],
    own: Constraints,
    depth: usize,
) -> Constraints {
    if depth >= MAX_DEPTH {
        return own;
    }
    parts.iter().fold(own, |acc, part| {
        let part = walk_ref(cx, part, depth + 1);
        Constraints {
            format: acc.format.or(part.format),
            pattern: acc.pattern.or(part.pattern),
            min_length: acc.min_length.or(part.min_length),
            max_length: acc.max_length.or(part.max_length),
            minimum: acc.minimum.or(part.minimum),
            maximum: acc.maximum.or(part.maximum),
            multiple_of: acc.multiple_of.or(part.multiple_of),
            min_items: acc.min_items.or(part.min_items),
            items: acc.items.or(part.items),
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, Constraints, TypeKind};

    fn lower(yaml: &str) -> Api {
        crate::lower_document(&crate::load::parse(yaml).unwrap()).unwrap()
    }

    #[test]
    fn parameters_and_properties_carry_their_schemas_keywords() {
        let api = lower(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /accounts/{sid}:
    get:
      operationId: getAccount
      parameters:
        - {name: sid, in: path, required: true, schema: {type: string, pattern: "^AC[0-9a-f]{32}$"}}
        - {name: page, in: query, schema: {type: integer, minimum: 1, exclusiveMinimum: true, multipleOf: 2}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Account"}
components:
  schemas:
    Id: {type: string, format: uuid}
    Account:
      type: object
      properties:
        id: {$ref: "#/components/schemas/Id"}
        wrapped: {allOf: [{$ref: "#/components/schemas/Id"}], description: annotated}
        name: {type: string, minLength: 3, maxLength: 9}
        hosts: {type: array, minItems: 2, items: {type: string, format: ipv4}}
        score: {type: number, maximum: 10}
"##,
        );
        let params = &api.operations[0].params;
        assert_eq!(
            params[0].constraints.pattern.as_deref(),
            Some("^AC[0-9a-f]{32}$")
        );
        assert_eq!(params[1].constraints.minimum, Some((1.0, true)));
        assert_eq!(params[1].constraints.multiple_of, Some(2.0));
        let account = api.types.iter().find(|t| t.name == "Account").unwrap();
        let TypeKind::Struct(fields) = &account.kind else {
            panic!("{:?}", account.kind)
        };
        let field = |wire: &str| &fields.iter().find(|f| f.wire == wire).unwrap().constraints;
        let uuid = Constraints {
            format: Some("uuid".into()),
            ..Constraints::default()
        };
        assert_eq!(field("id"), &uuid, "through a $ref");
        assert_eq!(field("wrapped"), &uuid, "through an allOf wrapper");
        assert_eq!(
            (field("name").min_length, field("name").max_length),
            (Some(3), Some(9))
        );
        assert_eq!(field("hosts").min_items, Some(2));
        assert_eq!(
            field("hosts")
                .items
                .as_deref()
                .and_then(|i| i.format.as_deref()),
            Some("ipv4")
        );
        assert_eq!(field("score").maximum, Some((10.0, false)));
    }
}
