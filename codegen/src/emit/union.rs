//! Emission of `oneOf`/`anyOf` unions.
//!
//! Untagged unions are plain `#[serde(untagged)]` enums whose variants lowering has already
//! ordered narrowest first. Tagged unions (a discriminator with a value for every variant)
//! dispatch on the tag: the whole object, tag included, goes to the chosen variant's type, so
//! the variant types stay usable on their own; an unknown tag keeps the raw JSON.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{ident, type_tokens};
use crate::ir::{Api, TypeId, UnionVariant};

/// The enum for a union type and, when tagged, its `Deserialize` impl.
pub fn item(
    api: &Api,
    id: TypeId,
    name: &Ident,
    doc: TokenStream,
    variants: &[UnionVariant],
    tag: Option<&str>,
    catch_all: &str,
) -> TokenStream {
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
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#declarations)*
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
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#declarations)*
            #[doc = #catch_doc]
            #catch_all(::forge_runtime::serde_json::Value),
        }
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
    }
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("`{}`", v.replace('`', "'")))
        .collect::<Vec<_>>()
        .join(" or ")
}
