//! Emission of the example tests: `tests/examples.json` holds every JSON example of the spec
//! by name, and `tests/examples.rs` has one test per example that decodes it into its
//! generated type and encodes it back (`forge_runtime::examples::assert_example`). Keeping
//! the JSON out of the Rust file keeps every Rust line short.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, type_tokens, Context};
use crate::ir::Api;

/// The examples as one JSON object: name to `{"pointer": ..., "value": ...}`.
pub fn data_file(api: &Api) -> String {
    let mut map = serde_json::Map::new();
    for example in &api.examples {
        let value: serde_json::Value = serde_json::from_str(&example.json).unwrap_or_default();
        map.insert(
            example.name.clone(),
            serde_json::json!({ "pointer": example.pointer, "value": value }),
        );
    }
    let mut text =
        serde_json::to_string_pretty(&serde_json::Value::Object(map)).unwrap_or_default();
    text.push('\n');
    text
}

/// The test file, or `None` when the spec has no examples.
pub fn test_file(cx: &Context, crate_ident: &str) -> Option<TokenStream> {
    let api = cx.api;
    let runtime = cx.runtime();
    if api.examples.is_empty() {
        return None;
    }
    let krate = ident(crate_ident);
    let prefix = quote! { types:: };
    let tests = api.examples.iter().map(|example| {
        let name = ident(&example.name);
        let ty = type_tokens(cx, &example.ty, &prefix);
        let key = &example.name;
        quote! {
            #[test]
            fn #name() {
                check::<#ty>(EXAMPLES, #key);
            }
        }
    });
    let doc = docs::inner(
        "Every JSON example of the spec, decoded into its generated type and encoded back.",
    );
    Some(quote! {
        #doc
        use #runtime::examples::assert_example as check;
        use #krate::types;
        const EXAMPLES: &str = include_str!("examples.json");
        #(#tests)*
    })
}
