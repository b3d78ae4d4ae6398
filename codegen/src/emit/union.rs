//! Emission of `oneOf`/`anyOf` unions.
//!
//! Untagged unions are plain `#[serde(untagged)]` enums whose variants lowering has already
//! ordered narrowest first. Tagged unions (a discriminator with a value for every variant)
//! dispatch on the tag: the whole object, tag included, goes to the chosen variant's type, so
//! the variant types stay usable on their own; an unknown tag keeps the raw JSON.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{docs, ident, type_tokens, Context, Direction};
use crate::ir::{Api, TypeId, TypeKind, TypeRef, UnionVariant};

/// What a [`TypeKind::Union`] holds.
pub struct Parts<'a> {
    /// The alternatives, in decoding order.
    pub variants: &'a [UnionVariant],
    /// The discriminator property, for a tagged union.
    pub tag: Option<&'a str>,
    /// The variant that keeps unknown tags.
    pub catch_all: &'a str,
}

/// The enum for a union type and, when tagged, its `Deserialize` impl.
pub fn item(
    cx: &Context,
    id: TypeId,
    name: &Ident,
    doc: TokenStream,
    union: Parts<'_>,
) -> TokenStream {
    let api = cx.api;
    let runtime = cx.runtime();
    let Parts {
        variants,
        tag,
        catch_all,
    } = union;
    let mut derives: Vec<syn::Path> = vec![
        syn::parse_quote!(Debug),
        syn::parse_quote!(Clone),
        syn::parse_quote!(PartialEq),
    ];
    if cx.needs.serialize(id) {
        derives.push(syn::parse_quote!(::serde::Serialize));
    }
    // Without a hand-written `Deserialize` (one object shape at most), serde derives it.
    let derives_with_deserialize = {
        let mut all = derives.clone();
        if cx.needs.deserialize(id) {
            all.push(syn::parse_quote!(::serde::Deserialize));
        }
        cx.derive_attrs(id, &all)
    };
    let derives = cx.derive_attrs(id, &derives);
    let feature = super::SERDE_BOTH_WAYS_FEATURE;
    // `untagged` shapes the derived `Serialize`; without that derive the attribute is invalid.
    let untagged_serialize = if cx.needs.serialize(id) {
        quote! { #[serde(untagged)] }
    } else if cx.needs.serialize_by_feature(id) {
        quote! {
            #[cfg_attr(feature = #feature, derive(::serde::Serialize))]
            #[cfg_attr(feature = #feature, serde(untagged))]
        }
    } else {
        TokenStream::new()
    };
    let declarations = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let mut ty = type_tokens(cx, &variant.ty, &TokenStream::new());
        if super::is_recursive(api, id, &variant.ty) {
            ty = quote! { Box<#ty> };
        }
        let text = match tag {
            Some(tag) => format!("Selected by `{tag}` = {}.", quoted(&variant.tag_values)),
            None => format!("The `{}` alternative.", variant.name),
        };
        let doc = docs::text(&text);
        quote! {
            #doc
            #variant_name(#ty),
        }
    });
    let Some(tag) = tag else {
        let object_variants = variants
            .iter()
            .filter(|v| object_fields(api, &v.ty, 0).is_some())
            .count();
        let deserializes = cx.needs.deserialize(id) || cx.needs.deserialize_by_feature(id);
        if object_variants < 2 || !deserializes {
            let feature_derives = cx.serde_feature_derives(id, None);
            return quote! {
                #doc
                #derives_with_deserialize
                #feature_derives
                #[serde(untagged)]
                pub enum #name {
                    #(#declarations)*
                }
            };
        }
        // Several object shapes: decode by best match, not first match.
        let offers = variants.iter().map(|variant| {
            let variant_name = ident(&variant.name);
            let label = &variant.name;
            let fields = object_fields(api, &variant.ty, 0).unwrap_or_default();
            let wrap = if super::is_recursive(api, id, &variant.ty) {
                quote! { |v| #name::#variant_name(Box::new(v)) }
            } else {
                quote! { #name::#variant_name }
            };
            quote! { best.offer(#label, &[#(#fields),*], #wrap); }
        });
        let deserialize = cx.serde_impl(
            id,
            Direction::Deserialize,
            quote! {
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = <#runtime::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                        let mut best = #runtime::union::BestMatch::new(&value);
                        #(#offers)*
                        best.finish().map_err(::serde::de::Error::custom)
                    }
                }
            },
        );
        return quote! {
            #doc
            #derives
            #untagged_serialize
            pub enum #name {
                #(#declarations)*
            }
            #deserialize
        };
    };
    let catch_all = ident(catch_all);
    let arms = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let values = &variant.tag_values;
        let boxed = super::is_recursive(api, id, &variant.ty);
        let wrap = if boxed {
            quote! { |v| #name::#variant_name(Box::new(v)) }
        } else {
            quote! { #name::#variant_name }
        };
        quote! {
            #(Some(#values))|* => #runtime::serde_json::from_value(value)
                .map(#wrap)
                .map_err(::serde::de::Error::custom),
        }
    });
    let catch_doc = docs::text(&format!(
        "A `{tag}` value this version of the client does not know; the JSON as sent."
    ));
    let deserialize = cx.serde_impl(id, Direction::Deserialize, quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <#runtime::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(|tag| tag.as_str()).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => Ok(#name::#catch_all(value)),
                }
            }
        }
    });
    quote! {
        #doc
        #derives
        #untagged_serialize
        pub enum #name {
            #(#declarations)*
            #catch_doc
            #catch_all(#runtime::serde_json::Value),
        }
        #deserialize
    }
}

/// For a variant that decodes from a JSON object: the property names it declares (empty for
/// maps and free-form values). `None` for variants that are not objects. `depth` counts the
/// nullable wrappers passed, which an alias can put around itself.
fn object_fields(api: &Api, ty: &TypeRef, depth: usize) -> Option<Vec<String>> {
    match api.resolve(ty)? {
        TypeRef::Nullable(inner) if depth < 32 => object_fields(api, inner, depth + 1),
        TypeRef::Map(_) => Some(Vec::new()),
        TypeRef::Named(id) => match api.kind(*id)? {
            TypeKind::Struct(fields) => Some(
                fields
                    .iter()
                    .filter(|f| !f.flatten)
                    .map(|f| f.wire.clone())
                    .collect(),
            ),
            TypeKind::Union { .. } => Some(Vec::new()),
            TypeKind::Alias(_) | TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => None,
        },
        _ => None,
    }
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("`{}`", v.replace('`', "'")))
        .collect::<Vec<_>>()
        .join(" or ")
}
