//! What `build.rs` generated: only the selected operations and exactly the types they use.
//! The checks read the generated files from `OUT_DIR` and look at them with `syn`, without
//! the generator's own reachability code.

use std::collections::{BTreeMap, BTreeSet};

use tokens::idents;

/// `build.rs`'s output for `select_tag("sms-subscriptions")` of our spec.
const SMS: &str = include_str!(concat!(env!("OUT_DIR"), "/sms.rs"));
/// The checked-in crate generated from the whole of the same spec.
const FULL_TYPES: &str = include_str!("../../../generated/src/types.rs");

fn file(source: &str) -> syn::File {
    syn::parse_file(source).expect("generated code parses")
}

/// The items of `pub mod name { ... }` of an included file.
fn module<'a>(file: &'a syn::File, name: &str) -> &'a [syn::Item] {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|c| &c.1[..]),
            _ => None,
        })
        .unwrap_or(&[])
}

/// `item` with its serde derives taken out, and those derives as a set, counting the ones
/// behind the `serde-both-ways` feature (`cfg_attr`) as derived.
fn serde_derives_apart(item: &syn::Item) -> (syn::Item, BTreeSet<String>) {
    let mut item = item.clone();
    let attrs = match &mut item {
        syn::Item::Struct(s) => &mut s.attrs,
        syn::Item::Enum(e) => &mut e.attrs,
        _ => return (item, BTreeSet::new()),
    };
    let mut serde = BTreeSet::new();
    let mut kept = Vec::new();
    for attr in attrs.drain(..) {
        let text = quote::ToTokens::to_token_stream(&attr).to_string();
        let is_derive = attr.path().is_ident("derive");
        let is_feature = attr.path().is_ident("cfg_attr") && text.contains("\"serde-both-ways\"");
        if !is_derive && !is_feature {
            kept.push(attr);
            continue;
        }
        for name in ["Serialize", "Deserialize"] {
            if text.contains(&format!(":: serde :: {name}")) {
                serde.insert(name.to_owned());
            }
        }
        if is_derive {
            let paths = attr
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )
                .expect("a derive list");
            let others: Vec<&syn::Path> = paths
                .iter()
                .filter(|p| p.segments.first().is_none_or(|s| s.ident != "serde"))
                .collect();
            kept.push(syn::parse_quote!(#[derive(#(#others),*)]));
        }
    }
    *attrs = kept;
    // A field's `serde` attribute that only the feature's derive reads counts as present.
    if let syn::Item::Struct(s) = &mut item {
        for field in s.fields.iter_mut() {
            for attr in &mut field.attrs {
                let text = quote::ToTokens::to_token_stream(&*attr).to_string();
                if !(attr.path().is_ident("cfg_attr") && text.contains("\"serde-both-ways\"")) {
                    continue;
                }
                let parts = attr
                    .parse_args_with(
                        syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                    )
                    .expect("a cfg_attr list");
                let serde = parts.iter().nth(1).expect("cfg_attr(feature, serde(...))");
                *attr = syn::parse_quote!(#[#serde]);
            }
        }
    }
    (item, serde)
}

/// Structs, enums and aliases by name.
fn types(items: &[syn::Item]) -> BTreeMap<String, &syn::Item> {
    items
        .iter()
        .filter_map(|item| {
            let name = match item {
                syn::Item::Struct(s) => &s.ident,
                syn::Item::Enum(e) => &e.ident,
                syn::Item::Type(t) => &t.ident,
                _ => return None,
            };
            Some((name.to_string(), item))
        })
        .collect()
}

/// Type names of the `types` module that no operation reaches: roots are the names the
/// `client` and `params` modules mention, and a type reaches every name its items mention
/// (its impls and default functions included).
fn unreachable_types(source: &str) -> Vec<String> {
    let file = file(source);
    let items = module(&file, "types");
    let defined = types(items);
    let mut mentions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in items {
        let owner = match item {
            syn::Item::Impl(i) => idents(&i.self_ty).into_iter().next_back(),
            _ => types(std::slice::from_ref(item)).into_keys().next(),
        };
        if let Some(owner) = owner {
            mentions.entry(owner).or_default().extend(idents(item));
        }
    }
    // What the client sends and reads, and the payloads of the events its operations register.
    let mut stack: Vec<String> = ["builders", "client", "events"]
        .iter()
        .flat_map(|name| module(&file, name))
        .flat_map(idents)
        .filter(|name| defined.contains_key(name))
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if seen.insert(name.clone()) {
            stack.extend(
                mentions
                    .get(&name)
                    .into_iter()
                    .flatten()
                    .filter(|n| defined.contains_key(*n))
                    .cloned(),
            );
        }
    }
    defined
        .into_keys()
        .filter(|name| !seen.contains(name))
        .collect()
}

#[test]
fn webhook_operations_and_types_are_not_generated() {
    for absent in [
        "CreateWebhook",
        "WebhookPage",
        "ListWebhooks<",
        "create_webhook",
        "list_webhooks",
        "get_webhook",
        "delete_webhook",
        "/api/v2/webhooks",
    ] {
        assert!(!SMS.contains(absent), "{absent} is generated");
    }
    // What the subscriptions return is kept, webhook included.
    for present in [
        "pub struct Webhook {",
        "pub struct Websocket {",
        "pub struct Signature {",
    ] {
        assert!(SMS.contains(present), "{present} is missing");
    }
}

#[test]
fn the_slice_holds_exactly_the_full_crates_types_that_its_operations_use() {
    let full = file(FULL_TYPES);
    let full = types(&full.items);
    let slice = file(SMS);
    let slice = types(module(&slice, "types"));
    let removed: Vec<&String> = full.keys().filter(|n| !slice.contains_key(*n)).collect();
    assert_eq!(removed, ["CreateWebhook", "WebhookPage"]);
    // Same generator, same code: every type of the slice (built with both serde directions)
    // is the full crate's item verbatim, with the serde derives that the checked-in crate
    // puts behind its `serde-both-ways` feature counted as derived (a crate layout's
    // manifest declares the feature; an included module has none).
    for (name, item) in &slice {
        let full = full
            .get(name)
            .map(|item| serde_derives_apart(item))
            .unwrap_or_else(|| panic!("{name} is not in generated/"));
        assert_eq!(
            serde_derives_apart(item),
            full,
            "{name} differs from generated/"
        );
    }
    assert_eq!(unreachable_types(SMS), Vec::<String>::new());
}

#[test]
fn the_included_file_has_no_inner_attributes() {
    assert!(
        !SMS.contains("#!["),
        "inner attributes are invalid in include!"
    );
    let file = file(SMS);
    let mods: Vec<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(mods, ["builders", "client", "events", "types"]);
}

#[cfg(dialpad_full_spec)]
mod full_spec {
    use forge_build_consumer::dialpad_sms::types::{SmsSubscription, SubscriptionTargetType};
    use forge_build_consumer::dialpad_sms::Client;
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// `build.rs`'s output for `select_path_prefix("/api/v2/subscriptions/sms")` of the full
    /// Dialpad spec.
    const SLICE: &str = include_str!(concat!(env!("OUT_DIR"), "/dialpad_sms.rs"));
    const FULL_SPEC: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/specs/dialpad-api-v2.json"
    );

    #[test]
    fn the_slice_has_five_operations_and_only_their_types() {
        let text = std::fs::read_to_string(FULL_SPEC).expect("build.rs saw the spec");
        let document = forge_codegen::load::parse(&text).expect("parses");
        let full = forge_codegen::lower_document(&document).expect("lowers");
        let slice = super::file(SLICE);
        let types = super::types(super::module(&slice, "types"));
        println!(
            "full Dialpad spec: {} operations, {} types; /api/v2/subscriptions/sms slice: 5 \
             operations, {} types ({} lines)",
            full.operations.len(),
            full.types.len(),
            types.len(),
            SLICE.lines().count()
        );
        assert!(types.len() * 10 < full.types.len(), "{}", types.len());
        assert_eq!(super::unreachable_types(SLICE), Vec::<String>::new());
        // Five operations, each a method and a request builder.
        let methods = SLICE.matches(" -> super::builders::").count();
        assert_eq!(methods, 5);
        assert_eq!(
            SLICE.matches("pub fn send_with_response(").count(),
            5,
            "five builders that send"
        );
        // The overrides took, and the runtime is reached through the crate's re-export.
        assert!(types.contains_key("SmsSubscription"));
        assert!(types.contains_key("SubscriptionTargetType"));
        assert!(!SLICE.contains("forge_runtime"));
        assert!(SLICE.contains("crate::runtime::object::lenient_value"));
    }

    #[tokio::test]
    async fn the_slice_client_works() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/api/v2/subscriptions/sms/77"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "id": "77",
                "target_type": "office"
            })))
            .expect(1)
            .mount(&server)
            .await;
        let client = Client::builder()
            .base_url(server.uri())
            .build()
            .expect("builds");
        let got: SmsSubscription = client
            .webhook_sms_event_subscription_get(77)
            .await
            .expect("get succeeds");
        assert_eq!(got.id, Some(77));
        assert_eq!(got.target_type, Some(SubscriptionTargetType::Office));
    }
}

#[cfg(not(dialpad_full_spec))]
#[test]
fn the_full_spec_slice() {
    println!(
        "skipped: ../shared/specs/dialpad-api-v2.json (next to the workspace) is absent, so \
         build.rs did not generate the Dialpad slice"
    );
}

/// Identifier collection over syn nodes, through their tokens.
mod tokens {
    use quote::ToTokens;

    /// Every identifier in `node`, in order.
    pub fn idents(node: &impl ToTokens) -> Vec<String> {
        fn walk(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
            for tree in tokens {
                match tree {
                    proc_macro2::TokenTree::Ident(ident) => out.push(ident.to_string()),
                    proc_macro2::TokenTree::Group(group) => walk(group.stream(), out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(node.to_token_stream(), &mut out);
        out
    }
}
