//! Emission of `oneOf`/`anyOf` unions.
//!
//! Untagged unions are plain `#[serde(untagged)]` enums whose variants lowering has already
//! ordered narrowest first. Tagged unions (a discriminator with a value for every variant)
//! dispatch on the tag: the whole object, tag included, goes to the chosen variant's type, so
//! the variant types stay usable on their own; an unknown tag keeps the raw JSON.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{ident, type_tokens};
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
    api: &Api,
    id: TypeId,
    name: &Ident,
    doc: TokenStream,
    union: Parts<'_>,
    needs: &super::SerdeNeeds,
) -> TokenStream {
    let Parts {
        variants,
        tag,
        catch_all,
    } = union;
    let serialize = needs.serialize(id).then(|| quote! { ::serde::Serialize, });
    // `untagged` shapes the derived `Serialize`; without that derive the attribute is invalid.
    let untagged_serialize = needs.serialize(id).then(|| quote! { #[serde(untagged)] });
    let derive_deserialize = needs
        .deserialize(id)
        .then(|| quote! { ::serde::Deserialize, });
    let declarations = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let mut ty = type_tokens(api, &variant.ty, &TokenStream::new());
        if super::is_recursive(api, id, &variant.ty) {
            ty = quote! { Box<#ty> };
        }
        let text = match tag {
            Some(tag) => format!(" Selected by `{tag}` = {}.", quoted(&variant.tag_values)),
            None => format!(" The `{}` alternative.", variant.name),
        };
        quote! {
            #[doc = #text]
            #variant_name(#ty),
        }
    });
    let Some(tag) = tag else {
        let object_variants = variants
            .iter()
            .filter(|v| object_fields(api, &v.ty).is_some())
            .count();
        if object_variants < 2 || !needs.deserialize(id) {
            return quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #serialize #derive_deserialize)]
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
            let fields = object_fields(api, &variant.ty).unwrap_or_default();
            let wrap = if super::is_recursive(api, id, &variant.ty) {
                quote! { |v| #name::#variant_name(Box::new(v)) }
            } else {
                quote! { #name::#variant_name }
            };
            quote! { best.offer(#label, &[#(#fields),*], #wrap); }
        });
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, #serialize)]
            #untagged_serialize
            pub enum #name {
                #(#declarations)*
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = <::forge_runtime::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                    let mut best = ::forge_runtime::union::BestMatch::new(&value);
                    #(#offers)*
                    best.finish().map_err(::serde::de::Error::custom)
                }
            }
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
            #(Some(#values))|* => ::forge_runtime::serde_json::from_value(value)
                .map(#wrap)
                .map_err(::serde::de::Error::custom),
        }
    });
    let catch_doc =
        format!(" A `{tag}` value this version of the client does not know; the JSON as sent.");
    let deserialize = needs.deserialize(id).then(|| quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::forge_runtime::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
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
        #[derive(Debug, Clone, PartialEq, #serialize)]
        #untagged_serialize
        pub enum #name {
            #(#declarations)*
            #[doc = #catch_doc]
            #catch_all(::forge_runtime::serde_json::Value),
        }
        #deserialize
    }
}

/// For a variant that decodes from a JSON object: the property names it declares (empty for
/// maps and free-form values). `None` for variants that are not objects.
fn object_fields(api: &Api, ty: &TypeRef) -> Option<Vec<String>> {
    let mut current = ty;
    for _ in 0..32 {
        match current {
            TypeRef::Nullable(inner) => current = inner,
            TypeRef::Map(_) => return Some(Vec::new()),
            TypeRef::Named(id) => match &api.types[id.0].kind {
                TypeKind::Struct(fields) => {
                    return Some(
                        fields
                            .iter()
                            .filter(|f| !f.flatten)
                            .map(|f| f.wire.clone())
                            .collect(),
                    )
                }
                TypeKind::Union { .. } => return Some(Vec::new()),
                TypeKind::Alias(inner) => current = inner,
                TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => return None,
            },
            _ => return None,
        }
    }
    None
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("`{}`", v.replace('`', "'")))
        .collect::<Vec<_>>()
        .join(" or ")
}
