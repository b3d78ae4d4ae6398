//! Emission of `tests/examples.rs`: one test per JSON example in the spec, decoding it into
//! its generated type and encoding it back (`forge_runtime::examples::assert_round_trip`).

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, type_tokens};
use crate::ir::Api;

/// The test file, or `None` when the spec has no examples.
pub fn test_file(api: &Api, crate_ident: &str) -> Option<TokenStream> {
    if api.examples.is_empty() {
        return None;
    }
    let krate = ident(crate_ident);
    let prefix = quote! { #krate::types:: };
    let tests = api.examples.iter().map(|example| {
        let name = ident(&example.name);
        let ty = type_tokens(api, &example.ty, &prefix);
        let json = &example.json;
        let label = format!("{} ({})", example.name, example.pointer);
        quote! {
            #[test]
            fn #name() {
                let json = #json;
                check::<#ty>(#label, json);
            }
        }
    });
    let doc = docs::inner(
        "Every JSON example of the spec, decoded into its generated type and encoded back.",
    );
    Some(quote! {
        #doc
        use ::forge_runtime::examples::assert_round_trip as check;
        #(#tests)*
    })
}
