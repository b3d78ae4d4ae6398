//! Emission of the client as a whole: the crate layout (`Cargo.toml`, `src/lib.rs` and one
//! file per module, plus example tests and extra files) and the module layout (one file to
//! `include!`, each module nested as `pub mod name { ... }`).
//!
//! Both layouts hold the same modules, emitted once; only where each module's
//! doc and items go differs. This module decides the files; rendering them is `render`'s job.

use proc_macro2::TokenStream;
use quote::quote;

use super::{
    builders, client, conformance, docs, events, examples, ident, types, Context, Options,
};
use crate::ir::{Api, AuthKind, Operation, ParamLocation, TypeRef};
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
    /// Present when the API has operations.
    builders: Option<Module>,
    /// Present when the spec declares callbacks or webhooks.
    events: Option<Module>,
    /// The `pub use` items at the top level.
    exports: TokenStream,
}

fn modules(cx: &Context) -> Modules {
    let runtime = cx.runtime();
    let server = (!cx.api.servers.is_empty()).then(|| quote! { , Server });
    // What the `events` functions name.
    let events = (!cx.api.events.is_empty()).then(|| {
        quote! {
            #[doc(no_inline)]
            pub use #runtime::webhook::{EventError, InvalidSecret, Verifier};
        }
    });
    let exports = quote! {
        // rustfmt orders `use` items: `::` paths sort before plain ones.
        // Everything a public signature of the crate names, so callers need no direct
        // runtime dependency; `StreamExt` reads the items of the builders' `stream`s.
        // `no_inline`: inlined, their docs' links (relative to the runtime) would not resolve
        // here and would show as literal brackets; listed as re-exports, they link to the
        // runtime's pages.
        // In the order rustfmt keeps: `webhook::` paths, then modules, then short lists by
        // first name.
        #events
        #[doc(no_inline)]
        pub use #runtime::{reqwest, serde_json, sse};
        #[doc(no_inline)]
        pub use #runtime::{ApiResponse, ApiResult, BoxFuture, BuildError, ClientCore};
        #[doc(no_inline)]
        pub use #runtime::{Binary, Date, DateTime, Error, ErrorBody, ErrorKind};
        #[doc(no_inline)]
        pub use #runtime::{HeaderMap, Nullable, SuccessBody};
        #[doc(no_inline)]
        pub use #runtime::{Paged, RateLimit, RequestOptions, RetryPolicy};
        #[doc(no_inline)]
        pub use #runtime::{StatusCode, StreamExt};
        pub use client::{Client, ClientBuilder #server};
    };
    Modules {
        types: types::module(cx),
        client: client::module(cx),
        builders: builders::module(cx),
        events: events::module(cx),
        exports,
    }
}

/// Every file of the client crate: the manifest, `src/lib.rs`, one file per module, then
/// the example tests and the extra files when the options ask for them.
pub fn files(api: &Api, options: &Options) -> Vec<Emitted> {
    let cx = Context::new(api, options).with_serde_feature();
    let package = &options.package;
    let crate_ident = package.name.replace('-', "_");
    let example_tests = package
        .example_tests
        .then(|| examples::test_file(&cx, &crate_ident))
        .flatten();
    let mut files = vec![Emitted::Text(File {
        path: "Cargo.toml".to_owned(),
        contents: manifest(api, package, example_tests.is_some()),
    })];
    let rust = |path: &str, tokens| Emitted::Rust {
        path: path.to_owned(),
        tokens,
    };
    let modules = modules(&cx);
    files.push(rust("src/lib.rs", lib_module(&cx, &modules)));
    files.push(rust("src/types.rs", modules.types.file()));
    files.push(rust("src/client.rs", modules.client.file()));
    if let Some(builders) = &modules.builders {
        files.push(rust("src/builders.rs", builders.file()));
    }
    if let Some(events) = &modules.events {
        files.push(rust("src/events.rs", events.file()));
    }
    if let Some(tests) = example_tests {
        files.push(rust("tests/examples.rs", tests));
        files.push(Emitted::Text(File {
            path: "tests/examples.json".to_owned(),
            contents: examples::data_file(api),
        }));
    }
    if package.conformance_tests {
        let crate_ident = package.name.replace('-', "_");
        if let Some(tests) = conformance::test_file(&cx, &crate_ident) {
            files.push(rust("tests/conformance.rs", tests));
            files.push(Emitted::Text(File {
                path: "tests/conformance.json".to_owned(),
                contents: conformance::data_file(api),
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
    let builders = modules.builders.map(|builders| builders.nested("builders"));
    let client = modules.client.nested("client");
    let events = modules.events.map(|events| events.nested("events"));
    let types = modules.types.nested("types");
    let exports = modules.exports;
    Emitted::Rust {
        path: options.package.module_file.clone(),
        tokens: quote! {
            #builders
            #client
            #events
            #types
            #exports
        },
    }
}

fn lib_module(cx: &Context, modules: &Modules) -> TokenStream {
    let doc = lib_doc(cx);
    let events_mod = modules.events.is_some().then(|| quote! { pub mod events; });
    let builders_mod = modules
        .builders
        .is_some()
        .then(|| quote! { pub mod builders; });
    let exports = &modules.exports;
    quote! {
        #doc
        #![deny(missing_docs)]

        #builders_mod
        pub mod client;
        #events_mod
        pub mod types;

        #exports
    }
}

/// The crate doc: the API's title and description, what the crate holds, then a quick start
/// that compiles as a doctest.
fn lib_doc(cx: &Context) -> TokenStream {
    let api = cx.api;
    let mut text = format!("# {}\n\n", api.title);
    if let Some(description) = &api.description {
        text.push_str(description.trim());
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "A typed async client for version {} of this API: [`Client`] has one method per \
         operation, taking the required inputs and returning a request builder (module \
         `builders`) that takes the optional ones; `.await` it to send it. [`types`] holds \
         the request and response bodies. Every call fails with an [`Error`] (see its \
         [`ErrorKind`]); the `stream` of a paginated operation's builder is a [`Paged`] \
         stream, read with `StreamExt` (re-exported here).",
        api.version
    ));
    let spec_text = docs::inner(&text);
    let quick_start = docs::inner_verbatim(&quick_start(cx));
    quote! { #spec_text #![doc = ""] #quick_start }
}

/// The crate doc's quick start: build a client for the first server with the spec's first
/// credential, then make the first call whose arguments can be written without knowing the
/// API (no body, path parameters of plain types, parameters that all have defaults).
/// Generated identifiers and fixed words only, so the lines are kept verbatim.
fn quick_start(cx: &Context) -> Vec<String> {
    let api = cx.api;
    let krate = cx.options.package.name.replace('-', "_");
    let mut lines = vec!["# Quick start".to_owned(), String::new()];
    let server = match api.servers.first() {
        // No spec text here: these lines are not sanitized.
        Some(_) => "Build a client for the spec's first [`Server`], then call the API:".to_owned(),
        None => {
            "The spec names no server: give the client a base URL, then call the API:".to_owned()
        }
    };
    lines.push(server);
    lines.push(String::new());
    lines.push("```no_run".to_owned());
    lines.push("# async fn quick_start() -> Result<(), Box<dyn std::error::Error>> {".to_owned());
    lines.push(format!("let client = {krate}::Client::builder()"));
    if api.servers.is_empty() {
        lines.push("    .base_url(\"https://api.example.com\")".to_owned());
    }
    let credential = |scheme: &crate::ir::SecurityScheme| match scheme.kind {
        AuthKind::Bearer => "\"TOKEN\"",
        AuthKind::Basic => "\"USER\", Some(\"PASSWORD\".to_owned())",
        AuthKind::ApiKeyQuery(_) | AuthKind::ApiKeyHeader(_) => "\"KEY\"",
    };
    // The spec's first top-level requirement, when it names several schemes, is what every
    // request needs (a client with one of them is refused); else the first scheme.
    let combined = api
        .security_requirements
        .first()
        .filter(|requirement| requirement.pointer == "/security/0");
    if let Some(requirement) = combined {
        let credentials: Vec<&str> = requirement
            .schemes
            .iter()
            .filter_map(|key| api.security.iter().find(|s| s.key == *key))
            .map(credential)
            .collect();
        lines.push(format!(
            "    .{}({})",
            requirement.method,
            credentials.join(", ")
        ));
    } else if let Some(scheme) = api.security.first() {
        lines.push(format!("    .{}({})", scheme.method, credential(scheme)));
    }
    lines.push("    .build()?;".to_owned());
    if let Some((op, args)) = api
        .operations
        .iter()
        .filter(|op| !op.deprecated)
        .find_map(|op| first_call_args(op).map(|args| (op, args)))
    {
        lines.push(format!(
            "let answer = client.{}({}).await?;",
            op.method_name,
            args.join(", ")
        ));
        lines.push("println!(\"{answer:?}\");".to_owned());
    }
    lines.push("# Ok(())".to_owned());
    lines.push("# }".to_owned());
    lines.push("```".to_owned());
    lines
}

/// The arguments of a call to `op` written without knowing the API, or `None` when some
/// argument needs real data (a body, a path parameter of a generated type, a required query
/// parameter).
fn first_call_args(op: &Operation) -> Option<Vec<String>> {
    // A call that is awaited: not a body to build, not an event stream.
    if op.body.is_some() || matches!(op.success, crate::ir::Success::EventStream(_)) {
        return None;
    }
    let mut args = Vec::new();
    for param in op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        args.push(
            match param.ty {
                TypeRef::String => "\"id\"",
                TypeRef::Int(_) => "1",
                TypeRef::Float(_) => "1.0",
                TypeRef::Bool => "true",
                _ => return None,
            }
            .to_owned(),
        );
    }
    if op.struct_params().any(|p| p.required) {
        return None;
    }
    Some(args)
}

/// `Cargo.toml`: the package, what generated code depends on, and the
/// [`super::SERDE_BOTH_WAYS_FEATURE`] feature. With `example_tests`, a dev-dependency of the
/// crate on itself turns the feature on for its tests only (cargo's resolver 2 keeps
/// dev-dependency features out of `cargo check` and `cargo build`), so that the shipped
/// library compiles only the serde code its API uses.
fn manifest(api: &Api, package: &super::Package, example_tests: bool) -> String {
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
    let feature = super::SERDE_BOTH_WAYS_FEATURE;
    out.push_str(&format!(
        "\n[features]\n# `Serialize` and `Deserialize` on every type, not only in the directions the API uses.\n{feature} = []\n"
    ));
    if example_tests || !package.dev_dependencies.is_empty() {
        out.push_str("\n[dev-dependencies]\n");
    }
    if example_tests {
        out.push_str(&format!(
            "# The example tests decode and re-encode every example.\n{} = {{ path = \".\", features = [\"{feature}\"] }}\n",
            package.name
        ));
    }
    for (name, value) in &package.dev_dependencies {
        out.push_str(&format!("{name} = {value}\n"));
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
        - {name: fields, in: query, schema: {type: string, description: Which fields to return.}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Jar'}
components:
  securitySchemes:
    Token Auth: {type: http, scheme: bearer}
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
        assert!(
            types.contains("crate::rt::object::lenient_value("),
            "{types}"
        );
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
        let builders = contents(&files, "src/builders.rs");
        for (text, setter) in [
            ("Sent as the `session` cookie.", "session"),
            ("Sent as the `trace` header.", "trace"),
            ("Sent as the `fields` query parameter.", "fields"),
        ] {
            assert!(
                builders.contains(&format!("    /// {text}\n    pub fn {setter}(mut self")),
                "{text}: {builders}"
            );
        }
    }

    #[test]
    fn a_parameter_without_description_takes_its_schemas() {
        let document = load::parse(SPEC).unwrap();
        let files = generate(&document, &Settings::new("jars")).unwrap();
        let builders = contents(&files, "src/builders.rs");
        assert!(
            builders.contains(
                "    /// Which fields to return.\n    ///\n    /// Sent as the `fields` query parameter."
            ),
            "{builders}"
        );
    }

    #[test]
    fn the_quick_start_sets_every_credential_a_combined_requirement_needs() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n\
                    security: [{key: [], secret: []}, {bearer: []}]\n\
                    paths: {/ping: {get: {operationId: ping, responses: {'204': {description: ok}}}}}\n\
                    components:\n  securitySchemes:\n    \
                    bearer: {type: http, scheme: bearer}\n    \
                    key: {type: apiKey, in: query, name: api_key}\n    \
                    secret: {type: apiKey, in: header, name: X-Secret}\n";
        let files = generate(&load::parse(spec).unwrap(), &Settings::new("t")).unwrap();
        let lib = contents(&files, "src/lib.rs");
        assert!(
            lib.contains("//!     .api_key_query_and_header(\"KEY\", \"KEY\")\n"),
            "{lib}"
        );
    }

    #[test]
    fn the_crate_doc_has_a_quick_start_that_builds_a_client_and_calls() {
        let document = load::parse(SPEC).unwrap();
        let files = generate(&document, &Settings::new("jars")).unwrap();
        let lib = contents(&files, "src/lib.rs");
        let expected = "//! # Quick start\n\
             //!\n\
             //! Build a client for the spec's first [`Server`], then call the API:\n\
             //!\n\
             //! ```no_run\n\
             //! # async fn quick_start() -> Result<(), Box<dyn std::error::Error>> {\n\
             //! let client = jars::Client::builder()\n\
             //!     .bearer_auth(\"TOKEN\")\n\
             //!     .build()?;\n\
             //! let answer = client.get_jar(1).await?;\n\
             //! println!(\"{answer:?}\");\n\
             //! # Ok(())\n\
             //! # }\n\
             //! ```\n";
        assert!(lib.contains(expected), "{lib}");
        // What the quick start and the signatures name is at the root.
        for export in [
            "ApiResult",
            "StreamExt",
            "ErrorBody",
            "ClientCore",
            "StatusCode",
        ] {
            assert!(lib.contains(export), "{export}: {lib}");
        }
    }

    #[test]
    fn runtime_re_exports_are_not_inlined() {
        // Inlined into this crate's docs, a runtime item's doc links (written relative to the
        // runtime) resolve nowhere and render as literal brackets, without a rustdoc warning.
        let document = load::parse(SPEC).unwrap();
        let files = generate(&document, &Settings::new("jars")).unwrap();
        let lib = contents(&files, "src/lib.rs");
        let runtime_uses: Vec<&str> = lib
            .lines()
            .filter(|line| line.starts_with("pub use ::forge_runtime::"))
            .collect();
        assert!(runtime_uses.len() >= 3, "{lib}");
        for line in runtime_uses {
            assert!(
                lib.contains(&format!("#[doc(no_inline)]\n{line}")),
                "{line}: {lib}"
            );
        }
    }

    #[test]
    fn every_method_says_how_it_fails() {
        let document = load::parse(SPEC).unwrap();
        let files = generate(&document, &Settings::new("jars")).unwrap();
        let client = contents(&files, "src/client.rs");
        let methods = client.matches(" -> super::builders::").count()
            + client.matches("    pub fn build(").count();
        assert!(methods >= 2, "{client}");
        assert_eq!(
            client.matches("    /// # Errors\n").count(),
            methods,
            "{client}"
        );
        // And every way a request builder is sent.
        let builders = contents(&files, "src/builders.rs");
        let sends = builders.matches("    pub fn send(").count()
            + builders.matches("    pub fn send_with_response(").count()
            + builders.matches("    pub fn stream(").count();
        assert!(sends >= 2, "{builders}");
        assert_eq!(
            builders.matches("    /// # Errors\n").count(),
            sends,
            "{builders}"
        );
        for kind in ["Status", "Transport", "Decode", "InvalidRequest"] {
            assert!(
                client.contains(&format!("[`{kind}`](super::ErrorKind::{kind})")),
                "{kind}: {client}"
            );
        }
    }
}
