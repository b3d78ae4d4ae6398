//! Emission of the `Deserialize` impl of a struct (an object schema), written out instead of
//! derived.
//!
//! serde's derive expands, per struct, a field enum with three visitors, a sequence visitor
//! and a map visitor; the written-out impls are the runtime's `object::Object` (the struct's
//! name, its wire names and a `read` that fills one slot per field) and a `Deserialize` that
//! hands over to `object::deserialize`. The property lookup, the duplicate check and the
//! missing-property rule are the runtime module's, compiled once. It decodes as the derive did (the runtime module lists the rules)
//! at well under half the cost to check and build. Structs that need serde's attributes to
//! read (`flatten`) keep the derive.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{ident, Context};

/// What a struct field takes when its property is absent.
pub(super) enum Absent {
    /// A required property: an error, unless the field's type reads "nothing" (`Option`).
    Required,
    /// The type's `Default` (`None`, `Nullable::Absent`).
    Default,
    /// The value of this function (the schema's `default`).
    DefaultFn(Ident),
}

/// How one struct field is read.
pub(super) struct Read {
    /// The field's (Rust) name.
    pub name: String,
    /// The property's name in JSON.
    pub wire: String,
    /// Whether the value is read with the runtime's `lenient` rules.
    pub lenient: bool,
    /// What the field takes when the property is absent.
    pub absent: Absent,
}

/// `impl Object for #name` (its name, wire names and `read`, reading the fields `reads` in
/// declaration order) and `impl Deserialize for #name` through it: two items, which the
/// caller gates alike.
pub(super) fn deserialize_impls(cx: &Context, name: &Ident, reads: &[Read]) -> [TokenStream; 2] {
    let runtime = cx.runtime();
    let struct_name = name.to_string();
    let wires = reads.iter().map(|read| read.wire.as_str());
    let slots = slot_names(reads);
    let properties = if reads.is_empty() {
        quote! {
            while map.next_key_seed(#runtime::object::Property(Self::PROPERTIES))?.is_some() {
                #runtime::object::skip(&mut map)?;
            }
        }
    } else {
        let arms = reads
            .iter()
            .zip(&slots)
            .enumerate()
            .map(|(index, (read, slot))| {
                let index = Literal::usize_unsuffixed(index);
                let wire = &read.wire;
                let read_value = if read.lenient {
                    quote! { lenient_value }
                } else {
                    quote! { value }
                };
                quote! {
                    Some(#index) => #runtime::object::#read_value(&mut map, &mut #slot, #wire)?,
                }
            });
        quote! {
            while let Some(property) = map.next_key_seed(#runtime::object::Property(Self::PROPERTIES))? {
                match property {
                    #(#arms)*
                    _ => #runtime::object::skip(&mut map)?,
                }
            }
        }
    };
    let inits = reads.iter().zip(&slots).map(|(read, slot)| {
        let field = ident(&read.name);
        let wire = &read.wire;
        let value = match &read.absent {
            Absent::Default => quote! { #slot.unwrap_or_default() },
            Absent::DefaultFn(function) => quote! { #slot.unwrap_or_else(#function) },
            // serde reads a `deserialize_with` field's absence as an error, whatever its type.
            Absent::Required if read.lenient => quote! {
                #slot.ok_or_else(|| <A::Error as ::serde::de::Error>::missing_field(#wire))?
            },
            Absent::Required => quote! {
                match #slot {
                    Some(value) => value,
                    None => #runtime::object::missing(#wire)?,
                }
            },
        };
        quote! { #field: #value }
    });
    [
        quote! {
            impl #runtime::object::Object for #name {
                const NAME: &'static str = #struct_name;
                const PROPERTIES: &'static [&'static str] = &[#(#wires),*];
                fn read<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                    #(let mut #slots = None;)*
                    #properties
                    Ok(#name { #(#inits),* })
                }
            }
        },
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    #runtime::object::deserialize(deserializer)
                }
            }
        },
    ]
}

/// The local variable that holds each field's value while the object is read: `field_` and
/// the field's name without leading or trailing underscores (so never two underscores in a
/// row), numbered when two fields would share one.
fn slot_names(reads: &[Read]) -> Vec<Ident> {
    let mut taken = std::collections::BTreeSet::new();
    reads
        .iter()
        .enumerate()
        .map(|(index, read)| {
            let base: Vec<&str> = read.name.split('_').filter(|w| !w.is_empty()).collect();
            let base = base.join("_");
            let mut name = match base.is_empty() {
                true => format!("field_{index}"),
                false => format!("field_{base}"),
            };
            while !taken.insert(name.clone()) {
                name = format!("{name}_{index}");
            }
            ident(&name)
        })
        .collect()
}
