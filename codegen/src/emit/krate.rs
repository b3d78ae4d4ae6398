//! Emission of the client as a whole: the crate layout (`Cargo.toml`, `src/lib.rs` and one
//! file per module, plus example tests and extra files) and the module layout (one file to
//! `include!`, each module nested as `pub mod name { ... }`).
//!
//! Both layouts hold the same modules, emitted once; only where each module's
//! doc and items go differs. This module decides the files; rendering them is `render`'s job.

use proc_macro2::TokenStream;
use quote::quote;

use super::{client, docs, events, examples, ident, params, types, Context, Options};
use crate::ir::Api;
use crate::render::File;

/// One file before rendering: Rust tokens, or finished text (manifest, extra files).
#[derive(Debug, Clone)]
pub enum Emitted {
    /// A Rust file, still as tokens.
    Rust {
        /// Path relative to the crate root.
        path: String,
        /// Its items.
        tokens: TokenStream,
    },
    /// A file whose text is final.
    Text(File),
}

/// A generated module: its doc text and its items, so that each layout places the doc
/// where it may go (inner attributes in a file of its own, outer ones on a nested `mod`).
#[derive(Debug, Clone)]
pub struct Module {
    /// The module doc, as generator-written text.
    pub doc: String,
    /// The module's items.
    pub items: TokenStream,
}

impl Module {
    /// The module as a file of its own: `//!` doc, then the items.
    fn file(&self) -> TokenStream {
        let doc = docs::inner(&self.doc);
        let items = &self.items;
        quote! { #doc #items }
    }

    /// The module nested in another file as `pub mod name { ... }`, its doc an outer
    /// attribute (an included file may hold no inner attributes).
    fn nested(&self, name: &str) -> TokenStream {
        let doc = docs::text(&self.doc);
        let name = ident(name);
        let items = &self.items;
        quote! { #doc pub mod #name { #items } }
    }
}

/// The modules both layouts hold.
struct Modules {
    types: Module,
    client: Module,
    /// Present when some operation has query, header or cookie parameters.
    params: Option<Module>,
    /// Present when the spec declares callbacks or webhooks.
    events: Option<Module>,
    /// The `pub use` items at the top level.
    exports: TokenStream,
}

fn modules(cx: &Context) -> Modules {
    let runtime = cx.runtime();
    let server = (!cx.api.servers.is_empty()).then(|| quote! { , Server });
    let exports = quote! {
        // rustfmt orders `use` items: `::` paths sort before plain ones.
        // What callers name next to the client, so they need no direct runtime dependency.
        pub use #runtime::{ApiResponse, BuildError, Error, ErrorKind, Paged};
        pub use #runtime::{RateLimit, RequestOptions, RetryPolicy};
        pub use client::{Client, ClientBuilder #server};
    };
    Modules {
        types: types::module(cx),
        client: client::module(cx),
        params: params::module(cx),
        events: events::module(cx),
        exports,
    }
}

/// Every file of the client crate: the manifest, `src/lib.rs`, one file per module, then
/// the example tests and the extra files when the options ask for them.
pub fn files(api: &Api, options: &Options) -> Vec<Emitted> {
    let cx = Context::new(api, options);
    let package = &options.package;
    let mut files = vec![Emitted::Text(File {
        path: "Cargo.toml".to_owned(),
        contents: manifest(api, package),
    })];
    let rust = |path: &str, tokens| Emitted::Rust {
        path: path.to_owned(),
        tokens,
    };
    let modules = modules(&cx);
    files.push(rust("src/lib.rs", lib_module(api, &modules)));
    files.push(rust("src/types.rs", modules.types.file()));
    files.push(rust("src/client.rs", modules.client.file()));
    if let Some(params) = &modules.params {
        files.push(rust("src/params.rs", params.file()));
    }
    if let Some(events) = &modules.events {
        files.push(rust("src/events.rs", events.file()));
    }
    if package.example_tests {
        let crate_ident = package.name.replace('-', "_");
        if let Some(tests) = examples::test_file(&cx, &crate_ident) {
            files.push(rust("tests/examples.rs", tests));
            files.push(Emitted::Text(File {
                path: "tests/examples.json".to_owned(),
                contents: examples::data_file(api),
            }));
        }
    }
    let header = package.header("//");
    for extra in &package.extra_files {
        files.push(Emitted::Text(File {
            path: extra.path.clone(),
            contents: format!("{header}{}", extra.contents),
        }));
    }
    files
}

/// The module layout: the crate's modules in one file to `include!`, each as
/// `pub mod name { ... }`, then the crate's re-exports. No inner attributes (an included
/// file may hold none), so there is no crate doc and no `#![deny(missing_docs)]`.
pub fn module(api: &Api, options: &Options) -> Emitted {
    let cx = Context::new(api, options);
    let modules = modules(&cx);
    let client = modules.client.nested("client");
    let params = modules.params.map(|params| params.nested("params"));
    let events = modules.events.map(|events| events.nested("events"));
    let types = modules.types.nested("types");
    let exports = modules.exports;
    Emitted::Rust {
        path: options.package.module_file.clone(),
        tokens: quote! {
            #client
            #events
            #params
            #types
            #exports
        },
    }
}

fn lib_module(api: &Api, modules: &Modules) -> TokenStream {
    let doc = lib_doc(api);
    let params_mod = modules.params.is_some().then(|| quote! { pub mod params; });
    let events_mod = modules.events.is_some().then(|| quote! { pub mod events; });
    let exports = &modules.exports;
    quote! {
        #doc
        #![deny(missing_docs)]

        pub mod client;
        #events_mod
        #params_mod
        pub mod types;

        #exports
    }
}

/// The crate doc: the API's title and description, then what the crate holds.
fn lib_doc(api: &Api) -> TokenStream {
    let mut text = format!("# {}\n\n", api.title);
    if let Some(description) = &api.description {
        text.push_str(description.trim());
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "A typed async client for version {} of this API: [`Client`] has one method per \
         operation; [`types`] holds the request and response bodies.",
        api.version
    ));
    docs::inner(&text)
}

/// `Cargo.toml`: the package and what generated code depends on.
fn manifest(api: &Api, package: &super::Package) -> String {
    let description = format!("Typed async client for {}", api.title)
        .replace(['\n', '\r'], " ")
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    let mut out = package.header("#");
    out.push_str(&format!(
        "[package]\nname = \"{}\"\nversion = \"{}\"\nedition = \"2021\"\ndescription = \"{}\"\npublish = false\n\n",
        package.name, package.version, description
    ));
    out.push_str("[dependencies]\n");
    out.push_str(&format!("forge-runtime = {}\n", package.runtime_dependency));
    out.push_str("serde = { version = \"1.0.219\", features = [\"derive\"] }\n");
    if !package.dev_dependencies.is_empty() {
        out.push_str("\n[dev-dependencies]\n");
        for (name, value) in &package.dev_dependencies {
            out.push_str(&format!("{name} = {value}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::{generate, generate_module, load, File, Settings};

    const SPEC: &str = r#"
openapi: 3.0.3
info:
  title: Jars
  version: '1'
  description: 'Talks about `::forge_runtime::Foo` and [`::forge_runtime::Bar`].'
servers: [{url: 'https://jars.example'}]
x-rate-limit: {requests: 10, period: second}
paths:
  /jars/{id}:
    get:
      operationId: getJar
      description: 'Returns a jar; see `::forge_runtime::Jar`.'
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: session, in: cookie, schema: {type: string}}
        - {name: trace, in: header, schema: {type: string}}
        - {name: fields, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Jar'}
components:
  schemas:
    Jar:
      type: object
      description: 'A jar, not a `::forge_runtime::Jar`.'
      properties:
        id: {type: integer, format: int64}
        filled: {type: string, format: date-time}
"#;

    fn contents<'a>(files: &'a [File], path: &str) -> &'a str {
        &files.iter().find(|f| f.path == path).unwrap().contents
    }

    #[test]
    fn a_runtime_path_changes_what_the_generator_writes_and_no_spec_text() {
        let document = load::parse(SPEC).unwrap();
        let mut settings = Settings::new("jars");
        settings.runtime_path("crate::rt");
        let files = generate(&document, &settings).unwrap();
        let module = generate_module(&document, &settings).unwrap();
        for text in files.iter().map(|f| &f.contents).chain([&module.contents]) {
            // Spec text keeps its words; every other mention of the runtime moved.
            let spec_mentions = [
                "`::forge_runtime::Foo`",
                "`::forge_runtime::Bar`",
                "`::forge_runtime::Jar`",
            ]
            .iter()
            .map(|m| text.matches(m).count())
            .sum::<usize>();
            assert_eq!(
                text.matches("forge_runtime").count(),
                spec_mentions,
                "{text}"
            );
        }
        let lib = contents(&files, "src/lib.rs");
        assert!(
            lib.contains("//! Talks about `::forge_runtime::Foo` and [`::forge_runtime::Bar`]."),
            "{lib}"
        );
        assert!(lib.contains("pub use crate::rt::{ApiResponse,"), "{lib}");
        let types = contents(&files, "src/types.rs");
        assert!(
            types.contains("/// A jar, not a `::forge_runtime::Jar`."),
            "{types}"
        );
        assert!(types.contains("with = \"crate::rt::lenient\""), "{types}");
        assert!(types.contains("Option<crate::rt::DateTime>"), "{types}");
        let client = contents(&files, "src/client.rs");
        assert!(
            client.contains("/// Returns a jar; see `::forge_runtime::Jar`."),
            "{client}"
        );
        assert!(
            client.contains("[`crate::rt::RetryPolicy`]'s defaults say."),
            "{client}"
        );
        assert!(
            client.contains("crate::rt::ClientCoreBuilder::new("),
            "{client}"
        );
    }

    #[test]
    fn every_generated_doc_line_starts_with_a_space() {
        let document = load::parse(SPEC).unwrap();
        let files = generate(&document, &Settings::new("jars")).unwrap();
        for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
            for line in file.contents.lines() {
                let line = line.trim_start();
                for marker in ["///", "//!"] {
                    if let Some(rest) = line.strip_prefix(marker) {
                        assert!(
                            rest.is_empty() || rest.starts_with(' '),
                            "{}: {line}",
                            file.path
                        );
                    }
                }
            }
        }
        let client = contents(&files, "src/client.rs");
        assert!(
            client.contains("    /// Requests go to `https://jars.example` unless"),
            "{client}"
        );
        assert!(
            client.contains("    /// The spec states a rate limit of 10 requests per 1 s;"),
            "{client}"
        );
    }

    #[test]
    fn cookie_parameters_are_documented_as_cookies() {
        let document = load::parse(SPEC).unwrap();
        let files = generate(&document, &Settings::new("jars")).unwrap();
        let params = contents(&files, "src/params.rs");
        assert!(
            params.starts_with(
                "// @generated by forge-codegen from an OpenAPI document; do not edit.\n\n\
                 //! Query, header and cookie parameters, one struct per operation that takes any.\n"
            ),
            "{params}"
        );
        assert!(
            params.contains("/// Query, header and cookie parameters of [`Client::get_jar`]"),
            "{params}"
        );
        assert!(
            params.contains("/// Sent as the `session` cookie.\n    pub session:"),
            "{params}"
        );
        assert!(
            params.contains("/// Sent as the `trace` header.\n    pub trace:"),
            "{params}"
        );
        assert!(
            params.contains("/// Sent as the `fields` query parameter.\n    pub fields:"),
            "{params}"
        );
    }
}
