//! The names the generated client writes itself come from one list
//! (`forge_codegen::naming::reserved`) that lowering reads: this test walks the client
//! generated from `tests/fixtures/reserved.yaml` (whose security scheme keys, operation ids,
//! parameter and property names are exactly those names) and checks that every fixed method,
//! argument and local of the client is on the list, and that the spec's items stepped aside
//! to the expected names. The fixtures test compiles the same client under clippy.

use std::collections::BTreeSet;
use std::path::Path;

use forge_codegen::naming::reserved;
use forge_codegen::Settings;
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

fn generate(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reserved.yaml");
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let document = forge_codegen::load::parse(&text).expect("fixture parses");
    let files = forge_codegen::generate(&document, &Settings::new("fixture-reserved"))
        .expect("fixture generates");
    files
        .into_iter()
        .find(|f| f.path == file)
        .unwrap_or_else(|| panic!("no {file}"))
        .contents
}

/// The methods of `impl <owner>` in `source`.
fn methods(source: &str, owner: &str) -> Vec<syn::ImplItemFn> {
    let file = syn::parse_file(source).expect("generated code parses");
    file.items
        .into_iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if block.self_ty.to_token_stream().to_string() == owner => {
                Some(block.items)
            }
            _ => None,
        })
        .flatten()
        .filter_map(|item| match item {
            syn::ImplItem::Fn(function) => Some(function),
            _ => None,
        })
        .collect()
}

fn names(methods: &[syn::ImplItemFn]) -> BTreeSet<String> {
    methods.iter().map(|m| m.sig.ident.to_string()).collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

/// Identifiers bound by `let` (after an optional `mut`) and by closure parameters
/// (`|name: T|`) anywhere in `tokens`.
fn bindings(tokens: TokenStream, out: &mut BTreeSet<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Group(group) => bindings(group.stream(), out),
            TokenTree::Ident(ident) if ident == "let" => {
                let mut next = index + 1;
                if matches!(&trees.get(next), Some(TokenTree::Ident(i)) if i == "mut") {
                    next += 1;
                }
                // `let Builder { client, .. } = self;` binds the builder's fields, checked
                // as fields.
                let destructures = matches!(
                    trees.get(next + 1),
                    Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Brace
                );
                if let (Some(TokenTree::Ident(name)), false) = (trees.get(next), destructures) {
                    out.insert(name.to_string());
                }
            }
            TokenTree::Punct(punct) if punct.as_char() == '|' => {
                if let (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(colon))) =
                    (trees.get(index + 1), trees.get(index + 2))
                {
                    if colon.as_char() == ':' {
                        out.insert(name.to_string());
                    }
                }
            }
            _ => {}
        }
    }
}

/// Argument names of a method (`self` included).
fn arguments(method: &syn::ImplItemFn) -> Vec<String> {
    method
        .sig
        .inputs
        .iter()
        .map(|input| match input {
            syn::FnArg::Receiver(_) => "self".to_owned(),
            syn::FnArg::Typed(typed) => typed.pat.to_token_stream().to_string(),
        })
        .collect()
}

/// The fixture's security schemes: each key is a builder method's name; by kind of credential.
const SCHEME_KEYS: &[(&str, &str)] = &[
    ("new", reserved::BEARER_AUTH),
    ("build", reserved::API_KEY),
    ("base_url", reserved::API_KEY),
    ("server", reserved::BASIC_AUTH),
    ("http_client", reserved::BEARER_AUTH),
    ("retry", reserved::API_KEY),
    ("rate_limit", reserved::API_KEY),
    ("no_rate_limit", reserved::BASIC_AUTH),
    ("timeout", reserved::BEARER_AUTH),
    ("connect_timeout", reserved::API_KEY),
    ("user_agent", reserved::API_KEY),
    ("builder", reserved::BASIC_AUTH),
    ("from_core", reserved::BEARER_AUTH),
    ("with_options", reserved::API_KEY),
    ("core", reserved::API_KEY),
];

#[test]
fn builder_methods_are_the_reserved_ones_plus_renamed_schemes() {
    let client = generate("src/client.rs");
    let found = names(&methods(&client, "ClientBuilder"));
    // Every fixed method the emitter writes is on the list (`new` is kept free by
    // convention, not written).
    let fixed: BTreeSet<String> = reserved::BUILDER_METHODS
        .iter()
        .filter(|name| **name != reserved::NEW)
        .map(|name| (*name).to_owned())
        .collect();
    assert!(found.is_superset(&fixed), "{found:?}");
    let schemes: BTreeSet<String> = found.difference(&fixed).cloned().collect();
    // A setter is named for its kind of credential; with several of one kind (every kind
    // here, API keys several in each place) the scheme key tells them apart, so a key that
    // is a builder method's name never needs to step aside.
    let expected: BTreeSet<String> = SCHEME_KEYS
        .iter()
        .map(|(key, kind)| format!("{kind}_{key}"))
        .collect();
    assert_eq!(schemes, expected);
    assert!(schemes
        .iter()
        .all(|name| !reserved::BUILDER_METHODS.contains(&name.as_str())));
}

#[test]
fn client_methods_are_the_reserved_ones_plus_renamed_operations() {
    let client = generate("src/client.rs");
    let all = methods(&client, "Client");
    let found = names(&all);
    let fixed: BTreeSet<String> = reserved::CLIENT_METHODS
        .iter()
        .filter(|name| **name != reserved::CORE && **name != reserved::NEW)
        .map(|name| (*name).to_owned())
        .collect();
    assert!(found.is_superset(&fixed), "{found:?}");
    assert!(!found.contains(reserved::CORE), "`core` is the field");
    assert!(
        !found.contains(reserved::NEW),
        "`new` would be taken for a constructor"
    );
    // Operations named like the client's own methods step aside; `self` is a keyword; names
    // that were once companions (`_with_response`, `_stream`) are plain operation names.
    for expected in [
        "builder2",
        "from_core2",
        "base_url2",
        "with_options2",
        "core2",
        "new2",
        "retry",
        "self_",
        "params",
        "request",
        "fetch",
        "next",
        "more",
        "list_items",
        "list_items_with_response",
        "list_items_stream",
        "upload_item",
        "call_with_reserved_names",
        "send_with_reserved_names",
    ] {
        assert!(
            found.contains(expected),
            "{expected} missing from {found:?}"
        );
    }
    // Required query parameters are arguments, clear of `self` and `body`.
    let send = all
        .iter()
        .find(|m| m.sig.ident == "send_with_reserved_names")
        .expect("send_with_reserved_names");
    assert_eq!(
        arguments(send),
        ["self", "client2", "options2", "call2", "request2", "body2", "self_", "body"]
    );
}

/// The request builders, by name: their field names and their inherent methods.
fn request_builders(source: &str) -> Vec<(String, Vec<String>, Vec<syn::ImplItemFn>)> {
    let file = syn::parse_file(source).expect("generated code parses");
    let mut out = Vec::new();
    for item in &file.items {
        if let syn::Item::Struct(s) = item {
            let fields = s
                .fields
                .iter()
                .map(|f| f.ident.as_ref().expect("named").to_string())
                .collect();
            let name = s.ident.to_string();
            let owner = format!("{name} < 'a >");
            let methods = file
                .items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Impl(block)
                        if block.trait_.is_none()
                            && block.self_ty.to_token_stream().to_string() == owner =>
                    {
                        Some(block.items.clone())
                    }
                    _ => None,
                })
                .flatten()
                .filter_map(|item| match item {
                    syn::ImplItem::Fn(function) => Some(function),
                    _ => None,
                })
                .collect();
            out.push((name, fields, methods));
        }
    }
    out
}

#[test]
fn every_fixed_field_method_and_local_of_a_request_builder_is_on_the_reserved_lists() {
    let builders = request_builders(&generate("src/builders.rs"));
    let locals = set(reserved::METHOD_LOCALS);
    let builder_methods = set(reserved::REQUEST_BUILDER_METHODS);
    let fixed_fields = set(&["client", "body", "options"]);
    assert!(fixed_fields.is_subset(&locals));
    let mut bound = BTreeSet::new();
    let mut sending = BTreeSet::new();
    for (name, fields, methods) in &builders {
        // A field is one the builder always writes, or a parameter clear of the names the
        // builder's request function binds and of its methods.
        for field in fields {
            assert!(
                fixed_fields.contains(field) || !builder_methods.contains(field),
                "{name}: field {field}"
            );
        }
        for method in methods {
            let method_name = method.sig.ident.to_string();
            // A setter takes `value`; the builder's own methods are on the list, and no
            // setter takes a name from it.
            if arguments(method) == ["self", "value"] {
                assert!(
                    !builder_methods.contains(&method_name),
                    "{name}: {method_name}"
                );
            } else {
                assert!(
                    builder_methods.contains(&method_name),
                    "{name}: {method_name}"
                );
                sending.insert(method_name);
            }
            bindings(method.block.to_token_stream(), &mut bound);
        }
    }
    assert_eq!(
        sending,
        set(&["options", "send", "send_with_response", "stream"])
    );
    // The private functions that turn each builder into a request bind the rest.
    let source = generate("src/builders.rs");
    for item in syn::parse_file(&source).expect("parses").items {
        if let syn::Item::Fn(function) = item {
            bindings(function.block.to_token_stream(), &mut bound);
        }
    }
    // `if let Some(options) = options` binds `options` (listed), not the constructor.
    bound.remove("Some");
    assert!(
        bound.contains("sent") && bound.contains("form") && bound.contains("call"),
        "{bound:?}"
    );
    let unlisted: Vec<&String> = bound.difference(&locals).collect();
    assert!(
        unlisted.is_empty(),
        "locals missing from the list: {unlisted:?}"
    );
    // Path parameters named like the builder's fields and locals, and optional parameters
    // named like its methods, took the next free names.
    let (_, fields, methods) = builders
        .iter()
        .find(|(name, _, _)| name == "CallWithReservedNames")
        .expect("the builder");
    assert_eq!(
        fields,
        &[
            "client",
            "client2",
            "options2",
            "call2",
            "request2",
            "send2",
            "send_with_response2",
            "stream2",
            "options3",
            "into_future2",
            "client3",
            "options"
        ]
    );
    let setters: Vec<String> = methods
        .iter()
        .filter(|m| arguments(m) == ["self", "value"])
        .map(|m| m.sig.ident.to_string())
        .collect();
    assert_eq!(
        setters,
        [
            "send2",
            "send_with_response2",
            "stream2",
            "options3",
            "into_future2"
        ]
    );
}

#[test]
fn parameters_in_every_location_keep_distinct_names() {
    let builders = generate("src/builders.rs");
    let file = syn::parse_file(&builders).expect("parses");
    let fields: Vec<String> = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == "ListItems" => Some(s),
            _ => None,
        })
        .expect("ListItems")
        .fields
        .iter()
        .map(|f| f.ident.as_ref().expect("named").to_string())
        .collect();
    // Query parameters keep the plain names, headers and cookies take the next free
    // numbers, and all step aside for the path arguments (`self_`, `params`, `body2`,
    // `path2`) and the builder's own fields and locals (`body`, `path`, `request`).
    for expected in [
        "page", "page2", "page3", "self_2", "self_3", "cursor", "params2", "body3", "path3",
        "request2", "fetch",
    ] {
        assert!(
            fields.contains(&expected.to_owned()),
            "{expected} missing from {fields:?}"
        );
    }
    let types = generate("src/types.rs");
    let file = syn::parse_file(&types).expect("parses");
    let reserved_fields: Vec<String> = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == "Reserved" => Some(s),
            _ => None,
        })
        .expect("Reserved")
        .fields
        .iter()
        .map(|f| f.ident.as_ref().expect("named").to_string())
        .collect();
    // A property named like the map of unnamed properties keeps its name; the map steps
    // aside.
    assert!(
        reserved_fields.contains(&"additional_properties".to_owned())
            && reserved_fields.contains(&"additional_properties2".to_owned()),
        "{reserved_fields:?}"
    );
}
