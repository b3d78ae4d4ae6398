//! Token-level adjustments for the settings that shape emitted code: the runtime path,
//! strict numbers and extra derives.
//!
//! Emission writes `::forge_runtime`, lenient number fields and its own derives; these
//! passes rewrite the emitted token streams when a setting differs from that default. With
//! default settings nothing here runs, so the default output is exactly what emission gives.
//! (Once `emit` takes these settings itself, the passes become no-ops and can go.)

use proc_macro2::{Group, Literal, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::punctuated::Punctuated;

/// The path emission uses for the runtime crate.
pub(crate) const DEFAULT_RUNTIME: &str = "::forge_runtime";

/// Replaces every `::forge_runtime` path in `tokens` (and in string literals: serde's
/// `with = "..."`, doc links) with `runtime`.
pub(crate) fn retarget_runtime(tokens: TokenStream, runtime: &syn::Path) -> TokenStream {
    let replacement = runtime.to_token_stream();
    let text = replacement.to_string().replace(' ', "");
    retarget_stream(tokens, &replacement, &text)
}

fn retarget_stream(tokens: TokenStream, replacement: &TokenStream, text: &str) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut index = 0;
    while index < trees.len() {
        // `a::forge_runtime` is a segment of another path; `use ::forge_runtime` is not.
        let continues_path = index > 0
            && matches!(&trees[index - 1], TokenTree::Ident(prev)
                if !crate::naming::is_keyword(&prev.to_string()));
        if !continues_path && is_runtime_path(&trees[index..]) {
            out.extend(replacement.clone());
            index += 3;
            continue;
        }
        out.push(match &trees[index] {
            TokenTree::Group(group) => {
                let inner = retarget_stream(group.stream(), replacement, text);
                let mut new = Group::new(group.delimiter(), inner);
                new.set_span(group.span());
                TokenTree::Group(new)
            }
            TokenTree::Literal(literal) => TokenTree::Literal(retarget_literal(literal, text)),
            other => other.clone(),
        });
        index += 1;
    }
    out.into_iter().collect()
}

/// `::forge_runtime` at the start of `trees`: `:` (joint), `:`, `forge_runtime`.
fn is_runtime_path(trees: &[TokenTree]) -> bool {
    match trees {
        [TokenTree::Punct(a), TokenTree::Punct(b), TokenTree::Ident(name), ..] => {
            a.as_char() == ':'
                && a.spacing() == proc_macro2::Spacing::Joint
                && b.as_char() == ':'
                && name == "forge_runtime"
        }
        _ => false,
    }
}

fn retarget_literal(literal: &Literal, text: &str) -> Literal {
    let Ok(string) = syn::parse_str::<syn::LitStr>(&literal.to_string()) else {
        return literal.clone();
    };
    let value = string.value();
    let needle = format!("{DEFAULT_RUNTIME}::");
    if !value.contains(&needle) {
        return literal.clone();
    }
    let mut new = Literal::string(&value.replace(&needle, &format!("{text}::")));
    new.set_span(literal.span());
    new
}

/// What the types-module pass changes.
pub(crate) struct TypeTweaks<'a> {
    /// Whether integer and float fields keep the lenient (strings-of-digits) decoding.
    pub lenient_numbers: bool,
    /// Derives for every struct and enum.
    pub derives: &'a [syn::Path],
    /// Derives for the named types.
    pub derives_for: &'a [(String, syn::Path)],
}

impl TypeTweaks<'_> {
    fn is_noop(&self) -> bool {
        self.lenient_numbers && self.derives.is_empty() && self.derives_for.is_empty()
    }
}

/// Applies `tweaks` to the items of the `types` module. Tokens that do not parse are
/// returned unchanged (rendering then reports them).
pub(crate) fn types_module(tokens: TokenStream, tweaks: &TypeTweaks) -> TokenStream {
    if tweaks.is_noop() {
        return tokens;
    }
    let mut file: syn::File = match syn::parse2(tokens.clone()) {
        Ok(file) => file,
        Err(_) => return tokens,
    };
    for item in &mut file.items {
        let (ident, attrs) = match item {
            syn::Item::Struct(item) => {
                if !tweaks.lenient_numbers {
                    for field in item.fields.iter_mut() {
                        strict_numbers(field);
                    }
                }
                (&item.ident, &mut item.attrs)
            }
            syn::Item::Enum(item) => (&item.ident, &mut item.attrs),
            _ => continue,
        };
        let wanted: Vec<&syn::Path> = tweaks
            .derives
            .iter()
            .chain(
                tweaks
                    .derives_for
                    .iter()
                    .filter(|(name, _)| ident == name)
                    .map(|(_, path)| path),
            )
            .collect();
        add_derives(attrs, &wanted);
    }
    file.into_token_stream()
}

/// Adds `wanted` to the item's `#[derive]` list, skipping derives it already has (compared
/// by last path segment, so `Eq` and `::std::cmp::Eq` are the same derive).
fn add_derives(attrs: &mut Vec<syn::Attribute>, wanted: &[&syn::Path]) {
    if wanted.is_empty() {
        return;
    }
    let mut present: Vec<String> = Vec::new();
    let mut derive_index = None;
    for (index, attr) in attrs.iter().enumerate() {
        if attr.path().is_ident("derive") {
            derive_index.get_or_insert(index);
            if let Ok(paths) =
                attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            {
                present.extend(paths.iter().map(last_segment));
            }
        }
    }
    let mut added: Vec<&syn::Path> = Vec::new();
    for path in wanted {
        let name = last_segment(path);
        if !present.contains(&name) {
            present.push(name);
            added.push(path);
        }
    }
    if added.is_empty() {
        return;
    }
    let attr: syn::Attribute = syn::parse_quote! { #[derive(#(#added),*)] };
    // Right after the emitted derive, so serde attributes stay below every derive.
    let at = derive_index.map_or(attrs.len(), |index| index + 1);
    attrs.insert(at, attr);
}

fn last_segment(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// Drops `with = "...::lenient"` from a field unless its type holds a date or date-time
/// (those keep lenient decoding: a date-time without offset still reads as UTC).
fn strict_numbers(field: &mut syn::Field) {
    if mentions_date(&field.ty.to_token_stream()) {
        return;
    }
    let mut drop_attr = None;
    for (index, attr) in field.attrs.iter_mut().enumerate() {
        if !attr.path().is_ident("serde") {
            continue;
        }
        let Ok(args) =
            attr.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let before = args.len();
        let kept: Vec<syn::Meta> = args.into_iter().filter(|meta| !is_lenient(meta)).collect();
        if kept.len() == before {
            continue;
        }
        if kept.is_empty() {
            drop_attr = Some(index);
        } else {
            *attr = syn::parse_quote! { #[serde(#(#kept),*)] };
        }
    }
    if let Some(index) = drop_attr {
        field.attrs.remove(index);
    }
}

fn is_lenient(meta: &syn::Meta) -> bool {
    let syn::Meta::NameValue(pair) = meta else {
        return false;
    };
    if !pair.path.is_ident("with") {
        return false;
    }
    match &pair.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(value),
            ..
        }) => value.value() == format!("{DEFAULT_RUNTIME}::lenient"),
        _ => false,
    }
}

/// Whether the type tokens name `forge_runtime::DateTime` or `forge_runtime::Date`.
fn mentions_date(tokens: &TokenStream) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(index, tree)| match tree {
        TokenTree::Group(group) => mentions_date(&group.stream()),
        TokenTree::Ident(ident) if ident == "forge_runtime" => matches!(
            trees.get(index + 3),
            Some(TokenTree::Ident(next)) if next == "DateTime" || next == "Date"
        ),
        _ => false,
    })
}

/// Wraps a module's tokens as `pub mod name { ... }`, its leading inner attributes
/// (`#![doc = ...]`) turned into outer ones on the `mod` item: the form `include!` accepts,
/// as an included file may hold no inner attributes.
pub(crate) fn nested_module(name: &str, tokens: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut attrs = Vec::new();
    let mut index = 0;
    while let [TokenTree::Punct(hash), TokenTree::Punct(bang), TokenTree::Group(group), ..] =
        &trees[index..]
    {
        if hash.as_char() != '#'
            || bang.as_char() != '!'
            || group.delimiter() != proc_macro2::Delimiter::Bracket
        {
            break;
        }
        attrs.push(TokenTree::Punct(hash.clone()));
        attrs.push(TokenTree::Group(group.clone()));
        index += 3;
    }
    let ident = crate::emit::ident(name);
    let body: TokenStream = trees[index..].iter().cloned().collect();
    let attrs: TokenStream = attrs.into_iter().collect();
    quote! { #attrs pub mod #ident { #body } }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).unwrap())
    }

    #[test]
    fn runtime_paths_and_their_string_forms_are_retargeted() {
        let tokens = quote! {
            #[doc = " See [`::forge_runtime::RetryPolicy`]."]
            pub struct A {
                #[serde(default, with = "::forge_runtime::lenient")]
                pub at: Option<::forge_runtime::DateTime>,
                pub other: other::forge_runtime::X,
            }
            pub use ::forge_runtime::{Error};
        };
        let path: syn::Path = syn::parse_str("crate::rt").unwrap();
        let text = retarget_runtime(tokens, &path).to_string();
        assert!(
            text.contains("Option < crate :: rt :: DateTime >"),
            "{text}"
        );
        assert!(text.contains("\"crate::rt::lenient\""), "{text}");
        assert!(text.contains("[`crate::rt::RetryPolicy`]"), "{text}");
        assert!(text.contains("other :: forge_runtime :: X"), "{text}");
        assert!(text.contains("pub use crate :: rt :: { Error }"), "{text}");
    }

    #[test]
    fn strict_numbers_keep_dates_lenient() {
        let tokens = quote! {
            pub struct A {
                #[serde(with = "::forge_runtime::lenient")]
                pub id: i64,
                #[serde(default, skip_serializing_if = "Option::is_none", with = "::forge_runtime::lenient")]
                pub ids: Option<Vec<i64>>,
                #[serde(with = "::forge_runtime::lenient")]
                pub at: Vec<::forge_runtime::DateTime>,
            }
        };
        let tweaks = TypeTweaks {
            lenient_numbers: false,
            derives: &[],
            derives_for: &[],
        };
        let out = pretty(types_module(tokens, &tweaks));
        let expected = quote! {
            pub struct A {
                pub id: i64,
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub ids: Option<Vec<i64>>,
                #[serde(with = "::forge_runtime::lenient")]
                pub at: Vec<::forge_runtime::DateTime>,
            }
        };
        assert_eq!(out, pretty(expected));
    }

    #[test]
    fn derives_are_added_once() {
        let tokens = quote! {
            #[doc = " A."]
            #[derive(Debug, Clone, PartialEq, Eq, Hash, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum A { X }
            #[derive(Debug)]
            pub struct B {}
            pub type C = B;
        };
        let eq: syn::Path = syn::parse_str("Eq").unwrap();
        let ord: syn::Path = syn::parse_str("::std::cmp::PartialOrd").unwrap();
        let serialize: syn::Path = syn::parse_str("serde::Serialize").unwrap();
        let tweaks = TypeTweaks {
            lenient_numbers: true,
            derives: &[eq, serialize],
            derives_for: &[("B".to_owned(), ord)],
        };
        let out = pretty(types_module(tokens, &tweaks));
        let expected = quote! {
            #[doc = " A."]
            #[derive(Debug, Clone, PartialEq, Eq, Hash, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum A { X }
            #[derive(Debug)]
            #[derive(Eq, serde::Serialize, ::std::cmp::PartialOrd)]
            pub struct B {}
            pub type C = B;
        };
        assert_eq!(out, pretty(expected));
    }

    #[test]
    fn modules_nest_without_inner_attributes() {
        let tokens = quote! {
            #![doc = " The module."]
            pub struct A;
        };
        let out = nested_module("types", tokens).to_string();
        assert_eq!(
            out,
            quote! { #[doc = " The module."] pub mod types { pub struct A; } }.to_string()
        );
    }
}
