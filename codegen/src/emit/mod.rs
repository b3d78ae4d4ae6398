//! Emission: [`Api`] and [`Options`] in, token streams out. The only code that uses
//! `quote!`.
//!
//! Every decision a setting drives is made here, while writing: the emitters are told the
//! options (runtime path, derives, strict numbers, serde directions, twins) and write the
//! right tokens; nothing rewrites emitted code afterwards. [`krate`] lays the modules out as
//! a crate or as one includable file; each other submodule writes one generated module.
//! This file holds what they share: the [`Context`], building identifiers, spelling a
//! [`TypeRef`] as a Rust type, and the questions about the type graph that decide derives
//! and boxing.

pub mod builders;
pub mod client;
pub mod conformance;
pub mod docs;
pub mod events;
pub mod examples;
pub mod krate;
mod object;
pub mod options;
pub mod types;
pub mod union;

pub use options::{Options, Package, RuntimePath};

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, FloatKind, TypeId, TypeKind, TypeRef};

/// What every emitter reads: the API, the options, and what is worked out from them once.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// The API being emitted.
    pub api: &'a Api,
    /// The settings that shape the code.
    pub options: &'a Options,
    /// The serde directions each type needs.
    pub needs: SerdeNeeds,
}

impl<'a> Context<'a> {
    /// The context for emitting `api` with `options`.
    pub fn new(api: &'a Api, options: &'a Options) -> Self {
        Context {
            api,
            options,
            needs: SerdeNeeds::new(api, options.serde_both_ways),
        }
    }

    /// The same context for the crate layout: serde directions the API does not use are
    /// still derived, behind the crate's [`SERDE_BOTH_WAYS_FEATURE`] (the example tests turn
    /// it on), instead of not at all. The module layout has no features of its own.
    pub fn with_serde_feature(mut self) -> Self {
        self.needs.feature = true;
        self
    }

    /// The runtime crate's path, to write before `::Item`.
    pub fn runtime(&self) -> TokenStream {
        self.options.runtime.tokens()
    }

    /// `#[derive(...)]` for the type `id`: first `derives` (what the generated code needs,
    /// in order), then, as a second attribute, the derives the options add that `derives`
    /// lacks (compared by last path segment, so `Eq` and `::std::cmp::Eq` are one derive).
    pub fn derive_attrs(&self, id: TypeId, derives: &[syn::Path]) -> TokenStream {
        let mut present: Vec<String> = derives.iter().map(last_segment).collect();
        let wanted = self.options.derives.iter().chain(
            self.options
                .derives_for
                .iter()
                .filter(|(target, _)| *target == id)
                .map(|(_, path)| path),
        );
        let mut added: Vec<&syn::Path> = Vec::new();
        for path in wanted {
            let name = last_segment(path);
            if !present.contains(&name) {
                present.push(name);
                added.push(path);
            }
        }
        let added = (!added.is_empty()).then(|| quote! { #[derive(#(#added),*)] });
        quote! {
            #[derive(#(#derives),*)]
            #added
        }
    }

    /// The serde derives of the type `id` (possibly none), leaving out the direction whose
    /// impl the caller writes itself (`hand_written`).
    pub fn serde_derives(&self, id: TypeId, hand_written: Option<Direction>) -> Vec<syn::Path> {
        let mut derives = Vec::new();
        if self.needs.serialize(id) && hand_written != Some(Direction::Serialize) {
            derives.push(syn::parse_quote!(::serde::Serialize));
        }
        if self.needs.deserialize(id) && hand_written != Some(Direction::Deserialize) {
            derives.push(syn::parse_quote!(::serde::Deserialize));
        }
        derives
    }

    /// Whether the options add a derive named `name` (by last path segment) to the type `id`.
    pub fn options_derive(&self, id: TypeId, name: &str) -> bool {
        self.options
            .derives
            .iter()
            .chain(
                self.options
                    .derives_for
                    .iter()
                    .filter(|(target, _)| *target == id)
                    .map(|(_, path)| path),
            )
            .any(|path| last_segment(path) == name)
    }

    /// `#[cfg_attr(feature = "serde-both-ways", derive(...))]` with the serde derives of the
    /// type `id` that only the feature adds (empty when there are none, when the options
    /// already derive them unconditionally, or for the direction the caller writes itself).
    pub fn serde_feature_derives(
        &self,
        id: TypeId,
        hand_written: Option<Direction>,
    ) -> TokenStream {
        let mut derives: Vec<syn::Path> = Vec::new();
        if self.needs.serialize_by_feature(id) && hand_written != Some(Direction::Serialize) {
            derives.push(syn::parse_quote!(::serde::Serialize));
        }
        if self.needs.deserialize_by_feature(id) && hand_written != Some(Direction::Deserialize) {
            derives.push(syn::parse_quote!(::serde::Deserialize));
        }
        derives.retain(|path| !self.options_derive(id, &last_segment(path)));
        if derives.is_empty() {
            return TokenStream::new();
        }
        let feature = SERDE_BOTH_WAYS_FEATURE;
        quote! { #[cfg_attr(feature = #feature, derive(#(#derives),*))] }
    }

    /// `item` (a hand-written serde impl of one direction) as the type `id` has it: as is
    /// when the direction is always there, behind the feature when only the feature adds it,
    /// `None` when it is absent.
    pub fn serde_impl(
        &self,
        id: TypeId,
        direction: Direction,
        item: TokenStream,
    ) -> Option<TokenStream> {
        let (always, by_feature) = match direction {
            Direction::Serialize => (
                self.needs.serialize(id),
                self.needs.serialize_by_feature(id),
            ),
            Direction::Deserialize => (
                self.needs.deserialize(id),
                self.needs.deserialize_by_feature(id),
            ),
        };
        let feature = SERDE_BOTH_WAYS_FEATURE;
        if always {
            Some(item)
        } else if by_feature {
            Some(quote! { #[cfg(feature = #feature)] #item })
        } else {
            None
        }
    }
}

/// The cargo feature of a generated crate that derives both serde directions on every type,
/// not only those its operations use (the example tests, which decode and re-encode every
/// example, turn it on through a dev-dependency of the crate on itself).
pub const SERDE_BOTH_WAYS_FEATURE: &str = "serde-both-ways";

/// One serde direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `Serialize`: what the client sends.
    Serialize,
    /// `Deserialize`: what the client reads.
    Deserialize,
}

fn last_segment(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|segment| segment.ident.to_string())
        .unwrap_or_default()
}

/// An identifier from a name the `naming` module produced.
///
/// `naming` guarantees validity, so `Ident::new` cannot panic here; the check below turns a
/// violation of that guarantee into a harmless placeholder instead of a crash.
pub fn ident(name: &str) -> Ident {
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
        && name != "_"
        && !crate::naming::is_keyword(name);
    if valid {
        Ident::new(name, Span::call_site())
    } else {
        Ident::new("invalid_identifier", Span::call_site())
    }
}

/// Spells `ty` as a Rust type; `prefix` qualifies named types (`super::types::`).
pub fn type_tokens(cx: &Context, ty: &TypeRef, prefix: &TokenStream) -> TokenStream {
    let runtime = cx.runtime();
    match ty {
        TypeRef::String => quote! { String },
        TypeRef::Bool => quote! { bool },
        TypeRef::Int(kind) => {
            let name = Ident::new(kind.rust_name(), Span::call_site());
            quote! { #name }
        }
        TypeRef::Float(FloatKind::F32) => quote! { f32 },
        TypeRef::Float(FloatKind::F64) => quote! { f64 },
        TypeRef::DateTime => quote! { #runtime::DateTime },
        TypeRef::Date => quote! { #runtime::Date },
        TypeRef::Json => quote! { #runtime::serde_json::Value },
        TypeRef::Binary => quote! { #runtime::Binary },
        TypeRef::Named(id) => {
            let name = ident(&cx.api.types[id.0].name);
            quote! { #prefix #name }
        }
        TypeRef::Array(inner) => {
            let inner = type_tokens(cx, inner, prefix);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(cx, inner, prefix);
            quote! { ::std::collections::BTreeMap<String, #inner> }
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(cx, inner, prefix);
            quote! { Option<#inner> }
        }
    }
}

/// Whether `field` of the struct `id` is spelled `Nullable<T>` rather than `Option<T>`: a
/// property that is optional and nullable, in a type the client sends, where leaving it out
/// (keep) and sending `null` (clear) mean different things. A type that is also read uses the
/// same spelling, since `Nullable` decodes as well as it encodes; a type only read keeps
/// `Option<T>`. Fields read leniently (numbers in strings) keep `Option<T>` too, as the
/// lenient codec works on `Option`.
pub fn tri_state(cx: &Context, id: TypeId, field: &crate::ir::Field) -> bool {
    field.nullable
        && !field.required
        && !field.flatten
        && cx.needs.is_sent(id)
        && !field.ty.needs_lenient(cx.options.lenient_numbers)
}

/// Which serde directions each type needs: `Serialize` for what the client sends (bodies and
/// parameters), `Deserialize` for what it reads (success and documented error bodies).
/// Deriving only those keeps the generated crate's compile time and memory down (serde
/// derives are most of both). A type no operation uses gets both, and so does every type it
/// contains; every type gets both when `both` is set (callers who want to re-encode
/// responses), and, with `feature` set, the crate's [`SERDE_BOTH_WAYS_FEATURE`] adds the
/// missing direction (round-trip example tests).
#[derive(Debug, Clone)]
pub struct SerdeNeeds {
    sent: BTreeSet<TypeId>,
    read: BTreeSet<TypeId>,
    both: bool,
    feature: bool,
}

impl SerdeNeeds {
    /// Works out the needs of every type of `api`.
    pub fn new(api: &Api, both: bool) -> Self {
        let mut sent = BTreeSet::new();
        let mut read = BTreeSet::new();
        for op in &api.operations {
            for param in &op.params {
                visit(api, &param.ty, &mut sent);
            }
            if let Some(body) = &op.body {
                visit(api, &body.ty, &mut sent);
            }
            for ty in op.success.json_types() {
                visit(api, ty, &mut read);
            }
            for error in &op.errors {
                visit(api, &error.ty, &mut read);
            }
        }
        // An event's payload is read by the receiver, like a response.
        for body in api.events.iter().filter_map(|event| event.body.as_ref()) {
            visit(api, &body.ty, &mut read);
        }
        // A type no operation reaches may be used either way by the caller, so it and every
        // type it contains (through fields, union members, aliases and nullable wrappers) get
        // both directions; otherwise a member used only in a request would lack the
        // `Deserialize` its unused container derives.
        let unused: Vec<TypeId> = (0..api.types.len())
            .map(TypeId)
            .filter(|id| !sent.contains(id) && !read.contains(id))
            .collect();
        for id in unused {
            visit(api, &TypeRef::Named(id), &mut sent);
            visit(api, &TypeRef::Named(id), &mut read);
        }
        SerdeNeeds {
            sent,
            read,
            both,
            feature: false,
        }
    }

    /// Whether `id` needs `Serialize`.
    pub fn serialize(&self, id: TypeId) -> bool {
        self.both || self.sent.contains(&id) || !self.read.contains(&id)
    }

    /// Whether `id` needs `Deserialize`.
    pub fn deserialize(&self, id: TypeId) -> bool {
        self.both || self.read.contains(&id) || !self.sent.contains(&id)
    }

    /// Whether `id` lacks `Serialize` but the crate's feature adds it.
    pub fn serialize_by_feature(&self, id: TypeId) -> bool {
        self.feature && !self.serialize(id)
    }

    /// Whether `id` lacks `Deserialize` but the crate's feature adds it.
    pub fn deserialize_by_feature(&self, id: TypeId) -> bool {
        self.feature && !self.deserialize(id)
    }

    /// Whether `id` appears in what the client sends (bodies and parameters), so that its
    /// optional nullable properties need three states (see [`tri_state`]).
    pub fn is_sent(&self, id: TypeId) -> bool {
        self.sent.contains(&id)
    }

    /// Whether `id` appears in what the client reads (so spec defaults apply to it).
    pub fn is_read(&self, id: TypeId) -> bool {
        self.read.contains(&id)
    }
}

/// Every named type reachable from `ty`.
fn visit(api: &Api, ty: &TypeRef, seen: &mut BTreeSet<TypeId>) {
    match ty {
        TypeRef::Named(id) => {
            if !seen.insert(*id) {
                return;
            }
            match &api.types[id.0].kind {
                TypeKind::Struct(fields) => fields.iter().for_each(|f| visit(api, &f.ty, seen)),
                TypeKind::Alias(inner) => visit(api, inner, seen),
                TypeKind::Union { variants, .. } => {
                    variants.iter().for_each(|v| visit(api, &v.ty, seen))
                }
                TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => {}
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            visit(api, inner, seen)
        }
        _ => {}
    }
}

/// The named types a value of `ty` contains inline (not behind a `Vec` or map).
fn direct_targets(api: &Api, ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => {
            out.push(*id);
            match &api.types[id.0].kind {
                TypeKind::Alias(inner) => direct_targets(api, inner, out),
                TypeKind::Union { variants, .. } => {
                    for variant in variants {
                        if let TypeRef::Named(inner) = &variant.ty {
                            out.push(*inner);
                        }
                    }
                }
                _ => {}
            }
        }
        TypeRef::Nullable(inner) => direct_targets(api, inner, out),
        _ => {}
    }
}

/// Whether a field of type `ty` inside `owner` makes `owner` infinitely large, and so must
/// be boxed: `ty` reaches `owner` again through fields that are stored inline.
pub fn is_recursive(api: &Api, owner: TypeId, ty: &TypeRef) -> bool {
    let mut stack = Vec::new();
    direct_targets(api, ty, &mut stack);
    let mut seen = vec![false; api.types.len()];
    while let Some(id) = stack.pop() {
        if id == owner {
            return true;
        }
        if std::mem::replace(&mut seen[id.0], true) {
            continue;
        }
        match &api.types[id.0].kind {
            TypeKind::Struct(fields) => {
                for field in fields {
                    direct_targets(api, &field.ty, &mut stack);
                }
            }
            TypeKind::Union { variants, .. } => {
                for variant in variants {
                    direct_targets(api, &variant.ty, &mut stack);
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether the struct `id` can derive `Default`: every field is optional or of a type that
/// has a default (enums and date-times have none).
pub fn derives_default(api: &Api, id: TypeId) -> bool {
    fn has_default(api: &Api, ty: &TypeRef, visiting: &mut Vec<TypeId>) -> bool {
        match ty {
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::Int(_)
            | TypeRef::Float(_)
            | TypeRef::Json
            | TypeRef::Binary
            | TypeRef::Array(_)
            | TypeRef::Map(_)
            | TypeRef::Nullable(_) => true,
            TypeRef::DateTime | TypeRef::Date => false,
            TypeRef::Named(id) => {
                if visiting.contains(id) {
                    return false;
                }
                visiting.push(*id);
                let result = match &api.types[id.0].kind {
                    TypeKind::Struct(fields) => fields
                        .iter()
                        .all(|f| !f.required || f.nullable || has_default(api, &f.ty, visiting)),
                    TypeKind::StringEnum { .. }
                    | TypeKind::IntEnum { .. }
                    | TypeKind::Union { .. } => false,
                    TypeKind::Alias(inner) => has_default(api, inner, visiting),
                };
                visiting.pop();
                result
            }
        }
    }
    has_default(api, &TypeRef::Named(id), &mut Vec::new())
}
