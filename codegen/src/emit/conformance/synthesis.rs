//! Values made up for the conformance test's arguments when the spec gives no example: one
//! JSON value per type that a validating server accepts, honouring the schema's validation
//! keywords ([`Constraints`]): `format`, `pattern`, `minLength`/`maxLength`,
//! `minimum`/`maximum` (exclusive or not), `multipleOf` and `minItems`.
//!
//! Everything is deterministic (no randomness): the same spec gives the same values, so a
//! refusal can be reproduced. A `pattern` is parsed by `regex-syntax` and the shortest
//! plain string it matches is built from the parsed expression (first alternative, lowest
//! character of each class, each repetition at its minimum but at least once); a pattern it
//! cannot parse (look-around, back-references: ECMA 262 has them, Rust's syntax does not)
//! leaves the plain sample.

use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::{json, Map, Value};

use crate::ir::{Api, Constraints, TypeKind, TypeRef, UnionVariant};

/// How deep synthesis follows named types before it stops at an empty value; deep enough for
/// every real schema we have seen, shallow enough to stop at recursive ones.
pub(super) const MAX_DEPTH: usize = 8;

/// A string the spec does not constrain further.
pub(super) const SAMPLE_STRING: &str = "sample";

/// A raw body: `sample` in base64 (RFC 4648 §4), so that it is also valid where the spec
/// types the bytes as `format: byte`.
pub(super) const SAMPLE_BYTES: &str = "c2FtcGxl";

/// The longest string built for a `pattern` (a repetition without bound counts once).
const MAX_PATTERN_SAMPLE: usize = 512;

/// A JSON value of type `ty` within `constraints`: a named type's schema example when the
/// spec gives one (its pointer is pushed onto `examples`), else one built from the type.
/// Objects get their required properties only; enums their first value; unions their first
/// variant (with its discriminator value), except that a union of primitives takes its
/// string variant (see [`unambiguous_variant`]); arrays one item (or `minItems`); maps no
/// entry.
pub fn sample(
    api: &Api,
    ty: &TypeRef,
    constraints: &Constraints,
    examples: &mut Vec<String>,
) -> Value {
    sample_at(api, ty, constraints, examples, 0)
}

fn sample_at(
    api: &Api,
    ty: &TypeRef,
    constraints: &Constraints,
    examples: &mut Vec<String>,
    depth: usize,
) -> Value {
    match ty {
        TypeRef::String => Value::String(string_sample(constraints)),
        TypeRef::Bool => Value::Bool(true),
        TypeRef::Int(_) => number_sample(constraints, true),
        TypeRef::Float(_) => number_sample(constraints, false),
        TypeRef::DateTime => Value::String("2024-01-02T03:04:05Z".into()),
        TypeRef::Date => Value::String("2024-01-02".into()),
        TypeRef::Json => json!({}),
        TypeRef::Binary => Value::String(SAMPLE_STRING.into()),
        TypeRef::Array(item) if depth < MAX_DEPTH => {
            let items = constraints.items.as_deref().cloned().unwrap_or_default();
            let one = sample_at(api, item, &items, examples, depth + 1);
            let count = constraints.min_items.unwrap_or(1).clamp(1, 16);
            Value::Array(vec![one; count])
        }
        TypeRef::Array(_) => json!([]),
        TypeRef::Map(_) => json!({}),
        TypeRef::Nullable(inner) => sample_at(api, inner, constraints, examples, depth),
        TypeRef::Named(id) => {
            let Some(def) = api.types.get(id.0) else {
                return Value::Null;
            };
            let own = format!("{}/example", def.pointer);
            if let Some(example) = api
                .examples
                .iter()
                .find(|e| e.pointer == own && e.ty == *ty)
            {
                if let Ok(value) = serde_json::from_str(&example.json) {
                    examples.push(example.pointer.clone());
                    return value;
                }
            }
            if depth >= MAX_DEPTH {
                return json!({});
            }
            named_sample(api, &def.kind, constraints, examples, depth + 1)
        }
    }
}

fn named_sample(
    api: &Api,
    kind: &TypeKind,
    constraints: &Constraints,
    examples: &mut Vec<String>,
    depth: usize,
) -> Value {
    match kind {
        TypeKind::Struct(fields) => {
            let mut object = Map::new();
            for field in fields.iter().filter(|f| f.required && !f.flatten) {
                object.insert(
                    field.wire.clone(),
                    sample_at(api, &field.ty, &field.constraints, examples, depth),
                );
            }
            Value::Object(object)
        }
        TypeKind::StringEnum { variants, .. } => variants
            .first()
            .map_or(Value::String(SAMPLE_STRING.into()), |v| {
                Value::String(v.wire.clone())
            }),
        TypeKind::IntEnum { variants, .. } => variants.first().map_or(json!(1), |v| json!(v.value)),
        // An alias of a primitive keeps the constraints of the position that uses it.
        TypeKind::Alias(inner) => sample_at(api, inner, constraints, examples, depth),
        TypeKind::Union { variants, tag, .. } => {
            let Some(first) = unambiguous_variant(variants) else {
                return Value::Null;
            };
            let mut value = sample_at(api, &first.ty, &Constraints::default(), examples, depth);
            if let (Some(tag), Some(tag_value), Value::Object(object)) =
                (tag, first.tag_values.first(), &mut value)
            {
                object.insert(tag.clone(), Value::String(tag_value.clone()));
            }
            value
        }
    }
}

/// The variant to build a union's value from: the first, unless every variant is a
/// primitive and one is a plain string. A `oneOf [integer, string]` value must match
/// exactly one member (OpenAPI 3.0.3 §4.7.24 after JSON Schema), and in a parameter the
/// integer's text `1` is also a string: the string sample (`sample`) matches only its own.
fn unambiguous_variant(variants: &[UnionVariant]) -> Option<&UnionVariant> {
    let primitive = |ty: &TypeRef| {
        matches!(
            ty,
            TypeRef::String | TypeRef::Int(_) | TypeRef::Float(_) | TypeRef::Bool
        )
    };
    if variants.iter().all(|variant| primitive(&variant.ty)) {
        if let Some(string) = variants.iter().find(|v| v.ty == TypeRef::String) {
            return Some(string);
        }
    }
    variants.first()
}

/// A string of the `format`, else one matching the `pattern`, else `sample`; then fitted to
/// `minLength`/`maxLength` when that does not break the format or pattern it came from.
fn string_sample(constraints: &Constraints) -> String {
    if let Some(value) = constraints.format.as_deref().and_then(format_sample) {
        return value.to_owned();
    }
    if let Some(value) = constraints.pattern.as_deref().and_then(pattern_sample) {
        return value;
    }
    let mut value = SAMPLE_STRING.to_owned();
    if let Some(max) = constraints.max_length {
        value.truncate(max);
    }
    let min = constraints.min_length.unwrap_or(0);
    while value.chars().count() < min {
        value.push('a');
    }
    value
}

/// A value of a well-known string `format` (JSON Schema Validation §7.3, and the OpenAPI
/// formats registry); `None` for a format it does not know.
fn format_sample(format: &str) -> Option<&'static str> {
    Some(match format {
        "uuid" => "3f8e2a1c-9b4d-4c6e-8a7f-1d2e3c4b5a69",
        "email" | "idn-email" => "someone@example.com",
        "uri" | "url" | "iri" => "https://example.com/sample",
        "uri-reference" | "iri-reference" => "/sample",
        "uri-template" => "https://example.com/{id}",
        "hostname" | "idn-hostname" => "example.com",
        "ipv4" | "ip" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => SAMPLE_BYTES,
        "time" => "03:04:05Z",
        "duration" => "P1D",
        "date-time" | "dateTime" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "phone-number" => "+15555550123",
        _ => return None,
    })
}

/// The shortest plain string `pattern` matches, built from its parsed form; `None` when the
/// pattern does not parse, or the string would be too long.
fn pattern_sample(pattern: &str) -> Option<String> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut out = String::new();
    build(&hir, &mut out)?;
    Some(out)
}

fn build(hir: &Hir, out: &mut String) -> Option<()> {
    if out.len() > MAX_PATTERN_SAMPLE {
        return None;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(std::str::from_utf8(&literal.0).ok()?),
        HirKind::Class(Class::Unicode(class)) => out.push(class.ranges().first()?.start()),
        HirKind::Class(Class::Bytes(class)) => {
            let byte = class.ranges().first()?.start();
            out.push(char::from(byte).is_ascii().then_some(char::from(byte))?);
        }
        HirKind::Repetition(repetition) => {
            let times = repetition
                .min
                .max(1)
                .min(repetition.max.unwrap_or(u32::MAX));
            for _ in 0..times {
                build(&repetition.sub, out)?;
            }
        }
        HirKind::Capture(capture) => build(&capture.sub, out)?,
        HirKind::Concat(parts) => {
            for part in parts {
                build(part, out)?;
            }
        }
        HirKind::Alternation(choices) => build(choices.first()?, out)?,
    }
    Some(())
}

/// A number within `minimum`/`maximum` (exclusive bounds kept out) and a multiple of
/// `multipleOf`: 1 (or 1.5 for non-integers) when that fits, else the nearest value that does.
fn number_sample(constraints: &Constraints, integer: bool) -> Value {
    let step = constraints.multiple_of.filter(|m| *m > 0.0);
    let mut value: f64 = if integer { 1.0 } else { 1.5 };
    if let Some(step) = step {
        value = (value / step).ceil() * step;
    }
    if let Some((min, exclusive)) = constraints.minimum {
        if value < min || (exclusive && value <= min) {
            value = match step {
                Some(step) => {
                    let mut next = (min / step).ceil() * step;
                    if exclusive && next <= min {
                        next += step;
                    }
                    next
                }
                None if integer => {
                    if exclusive {
                        min.floor() + 1.0
                    } else {
                        min.ceil()
                    }
                }
                None if exclusive => min + 1.0,
                None => min,
            };
        }
    }
    if let Some((max, exclusive)) = constraints.maximum {
        if value > max || (exclusive && value >= max) {
            value = match step {
                Some(step) => {
                    let mut next = (max / step).floor() * step;
                    if exclusive && next >= max {
                        next -= step;
                    }
                    next
                }
                None if integer => {
                    if exclusive {
                        max.ceil() - 1.0
                    } else {
                        max.floor()
                    }
                }
                None if exclusive => max - 0.5,
                None => max,
            };
        }
    }
    if integer && value.fract() == 0.0 && value.abs() < 9.0e15 {
        json!(value as i64)
    } else {
        json!(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, FloatKind, IntKind, TypeDef, TypeId, Variant};

    fn none() -> Constraints {
        Constraints::default()
    }

    fn api(types: Vec<TypeKind>) -> Api {
        let mut api = crate::lower_document(
            &crate::load::parse("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n")
                .unwrap(),
        )
        .unwrap();
        api.types = types
            .into_iter()
            .enumerate()
            .map(|(i, kind)| TypeDef {
                name: format!("T{i}"),
                doc: None,
                pointer: format!("/components/schemas/T{i}"),
                kind,
            })
            .collect();
        api
    }

    fn field(wire: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            name: wire.to_owned(),
            wire: wire.to_owned(),
            ty,
            required,
            nullable: false,
            default: None,
            doc: None,
            deprecated: false,
            flatten: false,
            constraints: Constraints::default(),
        }
    }

    #[test]
    fn primitives_have_values_of_their_type_and_format() {
        let api = api(Vec::new());
        let mut used = Vec::new();
        assert_eq!(
            sample(&api, &TypeRef::String, &none(), &mut used),
            json!("sample")
        );
        assert_eq!(
            sample(&api, &TypeRef::Int(IntKind::U8), &none(), &mut used),
            json!(1)
        );
        assert_eq!(
            sample(&api, &TypeRef::Bool, &none(), &mut used),
            json!(true)
        );
        assert_eq!(
            sample(&api, &TypeRef::DateTime, &none(), &mut used),
            json!("2024-01-02T03:04:05Z")
        );
        assert_eq!(
            sample(&api, &TypeRef::Date, &none(), &mut used),
            json!("2024-01-02")
        );
        assert_eq!(
            sample(
                &api,
                &TypeRef::Array(Box::new(TypeRef::Bool)),
                &none(),
                &mut used
            ),
            json!([true])
        );
        assert!(used.is_empty());
    }

    #[test]
    fn structs_get_their_required_properties_and_enums_their_first_value() {
        let api = api(vec![
            TypeKind::Struct(vec![
                field("kind", TypeRef::Named(TypeId(1)), true),
                field("note", TypeRef::String, false),
                field("count", TypeRef::Int(IntKind::I32), true),
            ]),
            TypeKind::StringEnum {
                variants: vec![Variant {
                    name: "Open".into(),
                    wire: "open".into(),
                }],
                catch_all: "Other".into(),
            },
        ]);
        let value = sample(&api, &TypeRef::Named(TypeId(0)), &none(), &mut Vec::new());
        assert_eq!(value, json!({"kind": "open", "count": 1}));
    }

    #[test]
    fn tagged_unions_carry_their_tag_and_recursion_stops() {
        let api = api(vec![
            TypeKind::Union {
                variants: vec![UnionVariant {
                    name: "Cat".into(),
                    ty: TypeRef::Named(TypeId(1)),
                    tag_values: vec!["cat".into()],
                }],
                tag: Some("pet_type".into()),
                catch_all: "Other".into(),
            },
            TypeKind::Struct(vec![field("child", TypeRef::Named(TypeId(1)), true)]),
        ]);
        let value = sample(&api, &TypeRef::Named(TypeId(0)), &none(), &mut Vec::new());
        assert_eq!(value["pet_type"], json!("cat"));
        let mut depth = 0;
        let mut node = &value;
        while let Some(child) = node.get("child") {
            node = child;
            depth += 1;
        }
        assert_eq!(depth, MAX_DEPTH - 1, "{value}");
    }

    #[test]
    fn a_union_of_primitives_takes_its_string_variant() {
        let variant = |name: &str, ty: TypeRef| UnionVariant {
            name: name.into(),
            ty,
            tag_values: Vec::new(),
        };
        let union = |variants| TypeKind::Union {
            variants,
            tag: None,
            catch_all: "Other".into(),
        };
        let api = api(vec![
            union(vec![
                variant("Integer", TypeRef::Int(IntKind::I64)),
                variant("String", TypeRef::String),
            ]),
            union(vec![
                variant("Integer", TypeRef::Int(IntKind::I64)),
                variant("Pet", TypeRef::Named(TypeId(2))),
            ]),
            TypeKind::Struct(Vec::new()),
        ]);
        let sample_of = |id| sample(&api, &TypeRef::Named(TypeId(id)), &none(), &mut Vec::new());
        assert_eq!(sample_of(0), json!(SAMPLE_STRING));
        // Not all primitives: the first variant, as before.
        assert_eq!(sample_of(1), json!(1));
    }

    #[test]
    fn a_schema_example_is_used_and_named() {
        let mut api = api(vec![TypeKind::Struct(vec![field(
            "id",
            TypeRef::Int(IntKind::I64),
            true,
        )])]);
        api.examples.push(crate::ir::Example {
            name: "t0_schema".into(),
            ty: TypeRef::Named(TypeId(0)),
            json: "{\"id\":7}".into(),
            pointer: "/components/schemas/T0/example".into(),
        });
        let mut used = Vec::new();
        let value = sample(&api, &TypeRef::Named(TypeId(0)), &none(), &mut used);
        assert_eq!(value, json!({"id": 7}));
        assert_eq!(used, ["/components/schemas/T0/example"]);
    }

    fn with(apply: impl FnOnce(&mut Constraints)) -> Constraints {
        let mut constraints = Constraints::default();
        apply(&mut constraints);
        constraints
    }

    #[test]
    fn strings_follow_format_pattern_and_length() {
        let api = api(Vec::new());
        let string = |c: Constraints| sample(&api, &TypeRef::String, &c, &mut Vec::new());
        assert_eq!(
            string(with(|c| c.format = Some("uuid".into()))),
            json!("3f8e2a1c-9b4d-4c6e-8a7f-1d2e3c4b5a69")
        );
        assert_eq!(
            string(with(|c| c.format = Some("email".into()))),
            json!("someone@example.com")
        );
        // Twilio's account ids; a class, a fixed repetition, anchors.
        let sid = string(with(|c| c.pattern = Some("^AC[0-9a-fA-F]{32}$".into())));
        assert_eq!(sid, json!(format!("AC{}", "0".repeat(32))));
        // Alternation takes its first branch, `*` and `?` once, groups their content.
        assert_eq!(
            string(with(|c| c.pattern = Some("^(de|en)-[A-Z]?x*\\d+$".into()))),
            json!("de-Ax0")
        );
        // Look-ahead is ECMA 262 but not Rust syntax: the plain sample stays.
        assert_eq!(
            string(with(|c| c.pattern = Some("^(?=a)a$".into()))),
            json!("sample")
        );
        assert_eq!(
            string(with(|c| c.min_length = Some(10))),
            json!("sampleaaaa")
        );
        assert_eq!(string(with(|c| c.max_length = Some(3))), json!("sam"));
    }

    #[test]
    fn numbers_stay_within_bounds_and_steps() {
        let api = api(Vec::new());
        let int = |c: Constraints| sample(&api, &TypeRef::Int(IntKind::I64), &c, &mut Vec::new());
        let float =
            |c: Constraints| sample(&api, &TypeRef::Float(FloatKind::F64), &c, &mut Vec::new());
        assert_eq!(
            int(with(|c| c.minimum = Some((1000.0, false)))),
            json!(1000)
        );
        assert_eq!(int(with(|c| c.minimum = Some((1.0, true)))), json!(2));
        assert_eq!(int(with(|c| c.maximum = Some((0.0, false)))), json!(0));
        assert_eq!(int(with(|c| c.maximum = Some((1.0, true)))), json!(0));
        assert_eq!(
            int(with(|c| {
                c.minimum = Some((7.0, false));
                c.multiple_of = Some(5.0);
            })),
            json!(10)
        );
        assert_eq!(float(with(|c| c.maximum = Some((1.0, false)))), json!(1.0));
        assert_eq!(float(with(|c| c.multiple_of = Some(0.25))), json!(1.5));
        assert_eq!(float(with(|c| c.minimum = Some((2.0, true)))), json!(3.0));
    }

    #[test]
    fn arrays_get_min_items_of_constrained_items() {
        let api = api(Vec::new());
        let constraints = with(|c| {
            c.min_items = Some(2);
            c.items = Some(Box::new(with(|i| i.format = Some("ipv4".into()))));
        });
        assert_eq!(
            sample(
                &api,
                &TypeRef::Array(Box::new(TypeRef::String)),
                &constraints,
                &mut Vec::new()
            ),
            json!(["192.0.2.1", "192.0.2.1"])
        );
    }

    #[test]
    fn a_property_keeps_its_constraints_through_an_alias() {
        let mut uuid_field = field("id", TypeRef::Named(TypeId(1)), true);
        uuid_field.constraints = with(|c| c.format = Some("uuid".into()));
        let api = api(vec![
            TypeKind::Struct(vec![uuid_field]),
            TypeKind::Alias(TypeRef::String),
        ]);
        let value = sample(&api, &TypeRef::Named(TypeId(0)), &none(), &mut Vec::new());
        assert_eq!(value, json!({"id": "3f8e2a1c-9b4d-4c6e-8a7f-1d2e3c4b5a69"}));
    }
}
