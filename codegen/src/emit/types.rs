//! Emission of the `types` module: one item per [`TypeDef`].

use proc_macro2::{Ident, Literal as Lit, Span, TokenStream};
use quote::quote;

use super::krate::Module;
use super::{docs, ident, object, type_tokens, Context, Direction};
use crate::ir::{Field, IntVariant, Literal, TypeDef, TypeId, TypeKind, TypeRef, Variant};
use crate::naming::{self, Scope};

/// The `types` module.
pub fn module(cx: &Context) -> Module {
    let mut default_fns = Scope::default();
    let mut items = Vec::new();
    for (index, def) in cx.api.types.iter().enumerate() {
        let id = TypeId(index);
        items.push(item(cx, id, def, &mut default_fns));
    }
    Module {
        doc: "Request and response body types, one per schema of the spec.".to_owned(),
        items: quote! { #(#items)* },
    }
}

fn item(cx: &Context, id: TypeId, def: &TypeDef, default_fns: &mut Scope) -> TokenStream {
    let name = ident(&def.name);
    let fallback = format!("The `{}` schema.", def.name);
    let doc = docs::outer(def.doc.as_deref(), &fallback);
    match &def.kind {
        TypeKind::Struct(fields) => {
            // Spec defaults fill in what a response leaves out; a type only ever sent keeps
            // absent fields absent, so that an empty PATCH body decodes back to itself.
            let defaults = if cx.needs.is_read(id) {
                Some(default_fns)
            } else {
                None
            };
            struct_item(cx, id, &name, doc, fields, defaults)
        }
        TypeKind::StringEnum {
            variants,
            catch_all,
        } => enum_item(cx, id, &name, doc, variants, catch_all),
        TypeKind::IntEnum {
            variants,
            catch_all,
        } => int_enum_item(cx, id, &name, doc, variants, catch_all),
        TypeKind::Union {
            variants,
            tag,
            catch_all,
        } => {
            let parts = super::union::Parts {
                variants,
                tag: tag.as_deref(),
                catch_all,
            };
            super::union::item(cx, id, &name, doc, parts)
        }
        TypeKind::Alias(target) => {
            let target = type_tokens(cx, target, &TokenStream::new());
            quote! { #doc pub type #name = #target; }
        }
    }
}

fn struct_item(
    cx: &Context,
    id: TypeId,
    name: &Ident,
    doc: TokenStream,
    fields: &[Field],
    mut default_fns: Option<&mut Scope>,
) -> TokenStream {
    let api = cx.api;
    let deserializes = cx.needs.deserialize(id) || cx.needs.deserialize_by_feature(id);
    // `Deserialize` is written out (see `object`) unless serde's own attributes are needed
    // for it (`flatten`) or the options derive it themselves.
    let hand_written = (deserializes
        && !fields.iter().any(|f| f.flatten)
        && !cx.options_derive(id, "Deserialize"))
    .then_some(Direction::Deserialize);
    let mut field_tokens = Vec::new();
    let mut helper_fns = Vec::new();
    let mut reads = Vec::new();
    for field in fields {
        if field.flatten {
            let field_name = ident(&field.name);
            let ty = type_tokens(cx, &field.ty, &TokenStream::new());
            let doc = docs::outer(field.doc.as_deref(), "Properties the schema does not name.");
            field_tokens.push(quote! {
                #doc
                #[serde(flatten)]
                pub #field_name: #ty,
            });
            continue;
        }
        let field_name = ident(&field.name);
        let boxed = super::is_recursive(api, id, &field.ty);
        let mut ty = type_tokens(cx, &field.ty, &TokenStream::new());
        if boxed {
            ty = quote! { Box<#ty> };
        }
        let optional = !field.required || field.nullable;
        let tri_state = super::tri_state(cx, id, field);
        let nullable = cx.options.runtime.tokens();
        if tri_state {
            ty = quote! { #nullable::Nullable<#ty> };
        } else if optional {
            ty = quote! { Option<#ty> };
        }
        // `serde_args` for derived impls of both directions; `write_args` only what
        // `Serialize` reads, for a struct whose `Deserialize` is written out.
        let mut serde_args: Vec<TokenStream> = Vec::new();
        let mut write_args: Vec<TokenStream> = Vec::new();
        if field.name != field.wire {
            let wire = &field.wire;
            serde_args.push(quote! { rename = #wire });
            write_args.push(quote! { rename = #wire });
        }
        let mut absent = object::Absent::Required;
        if optional {
            let default = field.default.as_ref().filter(|_| !field.required && !boxed);
            match default.zip(default_fns.as_deref_mut()) {
                Some((literal, default_fns)) => {
                    let fn_name = default_fns.claim(format!(
                        "default_{}_{}",
                        naming::snake(&api.types[id.0].name),
                        field.name.trim_end_matches('_')
                    ));
                    let fn_ident = ident(&fn_name);
                    let value = literal_tokens(cx, literal, &field.ty);
                    let value = if tri_state {
                        quote! { #nullable::Nullable::Value(#value) }
                    } else {
                        quote! { Some(#value) }
                    };
                    helper_fns.push(quote! {
                        fn #fn_ident() -> #ty { #value }
                    });
                    serde_args.push(quote! { default = #fn_name });
                    absent = object::Absent::DefaultFn(fn_ident);
                }
                None => {
                    serde_args.push(quote! { default });
                    absent = object::Absent::Default;
                }
            }
            let skip = if tri_state {
                let is_absent = cx.options.runtime.text("Nullable::is_absent");
                Some(quote! { skip_serializing_if = #is_absent })
            } else if !field.required {
                Some(quote! { skip_serializing_if = "Option::is_none" })
            } else {
                None
            };
            serde_args.extend(skip.clone());
            write_args.extend(skip);
        }
        // Lenient only when reading: writing is serde's own, so `deserialize_with` spares
        // the per-field serializing wrapper that `with` would expand to.
        let lenient = deserializes && field.ty.needs_lenient(cx.options.lenient_numbers);
        if lenient {
            let with = cx.options.runtime.text("lenient::deserialize");
            serde_args.push(quote! { deserialize_with = #with });
        }
        reads.push(object::Read {
            name: field.name.clone(),
            wire: field.wire.clone(),
            lenient,
            absent,
        });
        let serde_attr = match hand_written {
            None => (!serde_args.is_empty()).then(|| quote! { #[serde(#(#serde_args),*)] }),
            Some(_) => serialize_attr(cx, id, &write_args),
        };
        let mut doc_text = field.doc.clone();
        if let (Some(literal), false) = (&field.default, field.required) {
            let note = match default_fns {
                Some(_) => format!(
                    "Defaults to `{}` when the server leaves it out.",
                    literal_text(literal)
                ),
                None => format!(
                    "The server assumes `{}` when this is left out.",
                    literal_text(literal)
                ),
            };
            doc_text = Some(match doc_text {
                Some(text) => format!("{text}\n\n{note}"),
                None => note,
            });
        }
        if field.deprecated {
            doc_text = Some(format!("{}\n\nDeprecated.", doc_text.unwrap_or_default()));
        }
        let field_doc = docs::outer(
            doc_text.as_deref(),
            &format!("The `{}` property.", field.wire),
        );
        field_tokens.push(quote! {
            #field_doc
            #serde_attr
            pub #field_name: #ty,
        });
    }
    let mut derives: Vec<syn::Path> = vec![
        syn::parse_quote!(Debug),
        syn::parse_quote!(Clone),
        syn::parse_quote!(PartialEq),
    ];
    if super::derives_default(api, id) {
        derives.push(syn::parse_quote!(Default));
    }
    derives.extend(cx.serde_derives(id, hand_written));
    let derives = cx.derive_attrs(id, &derives);
    let feature_derives = cx.serde_feature_derives(id, hand_written);
    let deserialize: Vec<TokenStream> = match hand_written {
        Some(direction) => object::deserialize_impls(cx, name, &reads)
            .into_iter()
            .filter_map(|item| cx.serde_impl(id, direction, item))
            .collect(),
        None => Vec::new(),
    };
    let constructor = constructor(cx, id, name, fields);
    quote! {
        #doc
        #derives
        #feature_derives
        pub struct #name {
            #(#field_tokens)*
        }
        #(#deserialize)*
        #constructor
        #(#helper_fns)*
    }
}

/// The `#[serde(...)]` attribute of a field of a struct whose `Deserialize` is written out:
/// only what `Serialize` reads, present when `Serialize` is (behind the serde feature when
/// only the feature derives it).
fn serialize_attr(cx: &Context, id: TypeId, args: &[TokenStream]) -> Option<TokenStream> {
    if args.is_empty() {
        return None;
    }
    if cx.needs.serialize(id) || cx.options_derive(id, "Serialize") {
        Some(quote! { #[serde(#(#args),*)] })
    } else if cx.needs.serialize_by_feature(id) {
        let feature = super::SERDE_BOTH_WAYS_FEATURE;
        Some(quote! { #[cfg_attr(feature = #feature, serde(#(#args),*))] })
    } else {
        None
    }
}

/// `new(required fields)` for structs with required fields, every other field `None` (or
/// `Nullable::Absent`).
fn constructor(cx: &Context, id: TypeId, name: &Ident, fields: &[Field]) -> Option<TokenStream> {
    let required: Vec<&Field> = fields
        .iter()
        .filter(|f| f.required && !f.nullable)
        .collect();
    if required.is_empty() {
        return None;
    }
    let args = required.iter().map(|field| {
        let field_name = ident(&field.name);
        let mut ty = type_tokens(cx, &field.ty, &TokenStream::new());
        if super::is_recursive(cx.api, id, &field.ty) {
            ty = quote! { Box<#ty> };
        }
        quote! { #field_name: #ty }
    });
    let inits = fields.iter().map(|field| {
        let field_name = ident(&field.name);
        if field.flatten {
            quote! { #field_name: Default::default() }
        } else if field.required && !field.nullable {
            quote! { #field_name }
        } else if super::tri_state(cx, id, field) {
            let runtime = cx.options.runtime.tokens();
            quote! { #field_name: #runtime::Nullable::Absent }
        } else {
            quote! { #field_name: None }
        }
    });
    let doc = docs::text(&format!(
        "A `{name}` with the required fields set and every optional one left out."
    ));
    Some(quote! {
        impl #name {
            #doc
            pub fn new(#(#args),*) -> Self {
                #name { #(#inits),* }
            }
        }
    })
}

fn enum_item(
    cx: &Context,
    id: TypeId,
    name: &Ident,
    doc: TokenStream,
    variants: &[Variant],
    catch_all: &str,
) -> TokenStream {
    let catch_all = ident(catch_all);
    let decls = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let doc = docs::text(&format!("`{}`", variant.wire.replace('`', "'")));
        quote! {
            #doc
            #variant_name,
        }
    });
    let to_wire = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let wire = &variant.wire;
        quote! { #name::#variant_name => #wire, }
    });
    let from_wire = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let wire = &variant.wire;
        quote! { #wire => #name::#variant_name, }
    });
    // Hand-written serde: a string in, a string out. (Derived serde with an untagged
    // catch-all buffers every value and costs far more to compile.)
    let serialize = cx.serde_impl(
        id,
        Direction::Serialize,
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_str(self.as_str())
                }
            }
        },
    );
    let deserialize = cx.serde_impl(
        id,
        Direction::Deserialize,
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    let value = <String as ::serde::Deserialize>::deserialize(d)?;
                    Ok(Self::from(value))
                }
            }
        },
    );
    let derives = cx.derive_attrs(
        id,
        &[
            syn::parse_quote!(Debug),
            syn::parse_quote!(Clone),
            syn::parse_quote!(PartialEq),
            syn::parse_quote!(Eq),
            syn::parse_quote!(Hash),
        ],
    );
    quote! {
        #doc
        #derives
        pub enum #name {
            #(#decls)*
            /// A value this version of the client does not know; kept as sent.
            #catch_all(String),
        }
        impl #name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    #name::#catch_all(value) => value,
                }
            }
        }
        impl ::std::convert::From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#from_wire)*
                    _ => #name::#catch_all(value),
                }
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        #serialize
        #deserialize
    }
}

/// An integer enum: the known values as unit variants, the others kept in the catch-all,
/// a JSON number on the wire both ways (read leniently, so `"2"` is 2 as for plain integers).
fn int_enum_item(
    cx: &Context,
    id: TypeId,
    name: &Ident,
    doc: TokenStream,
    variants: &[IntVariant],
    catch_all: &str,
) -> TokenStream {
    let runtime = cx.runtime();
    let catch_all = ident(catch_all);
    let decls = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let doc = docs::text(&format!("`{}`", variant.value));
        quote! {
            #doc
            #variant_name,
        }
    });
    let to_wire = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let value = Lit::i64_unsuffixed(variant.value);
        quote! { #name::#variant_name => #value, }
    });
    let from_wire = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let value = Lit::i64_unsuffixed(variant.value);
        quote! { #value => #name::#variant_name, }
    });
    let serialize = cx.serde_impl(
        id,
        Direction::Serialize,
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_i64(self.value())
                }
            }
        },
    );
    let deserialize = cx.serde_impl(
        id,
        Direction::Deserialize,
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    let value: i64 = #runtime::lenient::deserialize(d)?;
                    Ok(Self::from(value))
                }
            }
        },
    );
    let derives = cx.derive_attrs(
        id,
        &[
            syn::parse_quote!(Debug),
            syn::parse_quote!(Clone),
            syn::parse_quote!(Copy),
            syn::parse_quote!(PartialEq),
            syn::parse_quote!(Eq),
            syn::parse_quote!(Hash),
        ],
    );
    quote! {
        #doc
        #derives
        pub enum #name {
            #(#decls)*
            /// A value this version of the client does not know; kept as sent.
            #catch_all(i64),
        }
        impl #name {
            /// The value as it is written on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    #(#to_wire)*
                    #name::#catch_all(value) => *value,
                }
            }
        }
        impl ::std::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#from_wire)*
                    other => #name::#catch_all(other),
                }
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }
        #serialize
        #deserialize
    }
}

fn literal_tokens(cx: &Context, literal: &Literal, ty: &TypeRef) -> TokenStream {
    match literal {
        Literal::Bool(b) => quote! { #b },
        Literal::Int(i) => {
            // Lowering keeps only defaults the field's type holds; the check keeps a bad one
            // from becoming a literal that does not compile.
            let fits = match ty {
                TypeRef::Int(kind) => kind.holds(*i),
                _ => false,
            };
            let lit = Lit::i128_unsuffixed(if fits { *i } else { 0 });
            quote! { #lit }
        }
        Literal::Float(f) => {
            let lit = Lit::f64_unsuffixed(if f.is_finite() { *f } else { 0.0 });
            quote! { #lit }
        }
        Literal::Str(s) => quote! { #s.to_owned() },
        Literal::Variant(id, variant) => {
            let path = type_tokens(cx, &TypeRef::Named(*id), &TokenStream::new());
            let variant = Ident::new(variant, Span::call_site());
            quote! { #path::#variant }
        }
    }
}

fn literal_text(literal: &Literal) -> String {
    match literal {
        Literal::Bool(b) => b.to_string(),
        Literal::Int(i) => i.to_string(),
        Literal::Float(f) => f.to_string(),
        Literal::Str(s) => format!("{s:?}"),
        Literal::Variant(_, variant) => variant.clone(),
    }
}
