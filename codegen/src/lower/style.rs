//! Lowering of a parameter's serialization: `style`, `explode` and `allowReserved` with the
//! specification's defaults (OpenAPI 3.0.3, Parameter Object, "Style Values"), and the
//! located warnings for styles that do not fit the location or the value's type. What each
//! style looks like on the wire is the runtime's business, not this module's.

use openapiv3::Parameter;

use super::Lowerer;
use crate::error::pointer_push;
use crate::ir::{ParamLocation, ParamStyle, TypeRef};

/// A parameter's `style`, `explode` and `allowReserved` (OpenAPI 3.0.3, Parameter Object).
///
/// A `style` that does not belong to the location (the loader left it out of the typed
/// model; it is still in the raw document) and a style that does not fit the value's type
/// are located warnings; the first gets the location's default.
pub(super) fn param_style(
    cx: &mut Lowerer<'_>,
    param: &Parameter,
    ty: &TypeRef,
    pointer: &str,
) -> (ParamStyle, bool, bool) {
    use openapiv3::{PathStyle, QueryStyle};
    let (location, style, allow_reserved) = match param {
        Parameter::Path { style, .. } => (
            ParamLocation::Path,
            match style {
                PathStyle::Matrix => ParamStyle::Matrix,
                PathStyle::Label => ParamStyle::Label,
                PathStyle::Simple => ParamStyle::Simple,
            },
            false,
        ),
        Parameter::Query {
            style,
            allow_reserved,
            ..
        } => (
            ParamLocation::Query,
            match style {
                QueryStyle::Form => ParamStyle::Form,
                QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                QueryStyle::DeepObject => ParamStyle::DeepObject,
            },
            *allow_reserved,
        ),
        Parameter::Header { .. } => (ParamLocation::Header, ParamStyle::Simple, false),
        Parameter::Cookie { .. } => (ParamLocation::Cookie, ParamStyle::Form, false),
    };
    let style_pointer = pointer_push(pointer, "style");
    if let Some(written) = cx.raw_at(&style_pointer).and_then(|v| v.as_str()) {
        if written != style.spec_name() {
            cx.warn(
                style_pointer.clone(),
                format!(
                    "style `{written}` is not defined for {} parameters (OpenAPI 3.0.3, Style \
                     Values); the default `{}` is used",
                    location_name(location),
                    style.spec_name()
                ),
            );
        }
    }
    // OpenAPI 3.0.3: "When style is form, the default value is true. For all other styles,
    // the default value is false."
    let explode = param
        .parameter_data_ref()
        .explode
        .unwrap_or(style == ParamStyle::Form);
    let shape = value_shape(cx, ty);
    let misfit = match style {
        ParamStyle::DeepObject if shape != Shape::Object => {
            Some("`deepObject` applies to objects; the value is sent as exploded `form`")
        }
        ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited if shape == Shape::Scalar => {
            Some("a delimited style applies to arrays and objects; the value is sent as `form`")
        }
        _ => None,
    };
    if let Some(message) = misfit {
        cx.warn(style_pointer, message);
    }
    if shape == Shape::Nested && style != ParamStyle::DeepObject {
        cx.warn(
            pointer_push(pointer, "schema"),
            format!(
                "the `{}` style cannot serialize arrays or objects nested in the value \
                 (OpenAPI 3.0.3, Style Values); a request with such a value set fails",
                style.spec_name()
            ),
        );
    }
    (style, explode, allow_reserved)
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// What the styles see of a parameter's type.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Scalar,
    Array,
    Object,
    /// An array or object that holds arrays or objects.
    Nested,
    /// Any JSON: known only at run time.
    Unknown,
}

fn value_shape(cx: &Lowerer<'_>, ty: &TypeRef) -> Shape {
    let compound = |ty: &TypeRef| is_compound(cx, ty);
    match resolve_alias(cx, ty) {
        TypeRef::Json => Shape::Unknown,
        TypeRef::Array(inner) if compound(&inner) => Shape::Nested,
        TypeRef::Array(_) => Shape::Array,
        TypeRef::Map(inner) if compound(&inner) => Shape::Nested,
        TypeRef::Map(_) => Shape::Object,
        TypeRef::Named(id) => match cx.slots[id.0].kind.as_ref() {
            Some(crate::ir::TypeKind::Struct(fields)) if fields.iter().any(|f| compound(&f.ty)) => {
                Shape::Nested
            }
            Some(crate::ir::TypeKind::Struct(_)) => Shape::Object,
            Some(crate::ir::TypeKind::StringEnum { .. }) => Shape::Scalar,
            _ => Shape::Unknown,
        },
        _ => Shape::Scalar,
    }
}

/// Whether `ty` is an array, an object or a union (one level only: types can be recursive).
fn is_compound(cx: &Lowerer<'_>, ty: &TypeRef) -> bool {
    match resolve_alias(cx, ty) {
        TypeRef::Array(_) | TypeRef::Map(_) => true,
        TypeRef::Named(id) => matches!(
            cx.slots[id.0].kind.as_ref(),
            Some(crate::ir::TypeKind::Struct(_) | crate::ir::TypeKind::Union { .. })
        ),
        _ => false,
    }
}

/// `ty` with `Nullable` and aliases peeled off (boundedly: aliases can be cyclic in bad specs).
fn resolve_alias(cx: &Lowerer<'_>, ty: &TypeRef) -> TypeRef {
    let mut current = ty.clone();
    for _ in 0..32 {
        current = match current {
            TypeRef::Nullable(inner) => *inner,
            TypeRef::Named(id) => match cx.slots[id.0].kind.as_ref() {
                Some(crate::ir::TypeKind::Alias(inner)) => inner.clone(),
                _ => return TypeRef::Named(id),
            },
            other => return other,
        };
    }
    current
}
