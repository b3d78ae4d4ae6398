//! Emission of the `params` module: one struct per operation that takes query, header or
//! cookie parameters, each field documented with where it is sent.

use proc_macro2::TokenStream;
use quote::quote;

use super::krate::Module;
use super::{docs, ident, type_tokens, Context};
use crate::ir::{Operation, Param, ParamLocation};

/// The `params` module, or `None` when no operation has query, header or cookie params.
pub fn module(cx: &Context) -> Option<Module> {
    let with_params = || {
        cx.api
            .operations
            .iter()
            .filter(|op| op.struct_params().next().is_some())
    };
    let structs: Vec<TokenStream> = with_params().map(|op| params_struct(cx, op)).collect();
    if structs.is_empty() {
        return None;
    }
    let kinds = param_kinds(with_params().flat_map(Operation::struct_params));
    Some(Module {
        doc: format!("{kinds} parameters, one struct per operation that takes any."),
        items: quote! { #(#structs)* },
    })
}

/// What a parameters struct holds, for its docs: `Query and header` unless cookies are
/// among the parameters, then `Query, header and cookie`.
fn param_kinds<'a>(mut params: impl Iterator<Item = &'a Param>) -> &'static str {
    if params.any(|param| param.location == ParamLocation::Cookie) {
        "Query, header and cookie"
    } else {
        "Query and header"
    }
}

fn params_struct(cx: &Context, op: &Operation) -> TokenStream {
    let name = ident(&op.params_struct);
    let method = &op.method_name;
    let doc = docs::text(&format!(
        "{} parameters of [`Client::{method}`](super::client::Client::{method}), as its \
         request builder carries them.",
        param_kinds(op.struct_params())
    ));
    let all_optional = op.struct_params().all(|p| !p.required);
    let default_derive = all_optional.then(|| quote! { Default, });
    let fields = op.struct_params().map(|param| {
        let field = ident(&param.name);
        let mut ty = type_tokens(cx, &param.ty, &quote! { super::types:: });
        if !param.required {
            ty = quote! { Option<#ty> };
        }
        let doc = docs::outer(Some(&field_doc(param)), "");
        quote! { #doc pub #field: #ty, }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default_derive)]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// The doc of a parameter's field and setter: its description, then where it is sent.
pub(super) fn field_doc(param: &Param) -> String {
    let location = match param.location {
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::Query => "query parameter",
        ParamLocation::Path => "path parameter",
    };
    let mut text = param.doc.clone().unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "Sent as the `{}` {location}.",
        param.wire.replace('`', "'")
    ));
    if param.deprecated {
        text.push_str(" Deprecated.");
    }
    text
}
