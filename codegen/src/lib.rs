//! forge-codegen turns an OpenAPI 3.0 document into a typed, documented async Rust client.
//!
//! The data flows one way, one module per step:
//!
//! 1. [`load`]: spec text (JSON or YAML) to an `openapiv3::OpenAPI` plus a source map;
//! 2. [`lower`]: the document to the plain-data [`ir`], resolving references and names;
//! 3. [`emit`]: the IR to token streams with `quote!`;
//! 4. [`render`]: token streams to formatted files (`syn` + prettyplease).
//!
//! [`generate`] runs steps 2 to 4 ([`lower_document`], [`refine_api`], [`emit_files`],
//! [`render_files`], each public so they can be timed apart) and returns every file of the
//! client crate; callers decide where the files go (`cargo xtask codegen` writes them into
//! `generated/`). [`generate_module`] runs the same steps but renders one file to
//! `include!` from a build script; [`build::Builder`] does that from `build.rs`, prost-build
//! style. Everything that produces code goes through these functions, so the same spec and
//! [`Settings`] give byte-identical output whichever way it is produced.
//!
//! Limits ([`limits`]): a document may nest objects and arrays at most
//! [`limits::MAX_NESTING`] (100) levels deep, in JSON and YAML alike; a deeper one is refused
//! with one diagnostic at the pointer and line where the limit is crossed. Every entry point
//! runs on a stack of its own ([`limits::STACK_BYTES`]), so any document within the limit is
//! processed whatever thread calls in.
//!
//! ```
//! let spec = r#"{
//!   "openapi": "3.0.3",
//!   "info": {"title": "Pets", "version": "1"},
//!   "paths": {"/pets/{id}": {"get": {
//!     "operationId": "getPet",
//!     "parameters": [{"name": "id", "in": "path", "required": true,
//!                     "schema": {"type": "integer", "format": "int64"}}],
//!     "responses": {"200": {"description": "A pet", "content": {"application/json": {
//!       "schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}}}
//!   }}}
//! }"#;
//! let document = forge_codegen::load::parse(spec)?;
//! let files = forge_codegen::generate(&document, &forge_codegen::Settings::new("pets"))?;
//! let client = files.iter().find(|f| f.path == "src/client.rs").unwrap();
//! assert!(client.contents.contains("pub async fn get_pet("));
//! assert!(client.contents.contains("id: i64"));
//! # Ok::<(), forge_codegen::Error>(())
//! ```

#![deny(missing_docs)]

mod adjust;
pub mod build;
pub mod emit;
pub mod error;
pub mod filter;
pub mod ir;
pub mod limits;
pub mod load;
pub mod lower;
pub mod naming;
pub mod render;

pub use error::{Diagnostic, Error};
pub use load::Document;

use quote::quote;

/// What to generate: crate or module name, version, how the code finds the runtime, which
/// operations and how types are named and derived.
///
/// Every setter returns `&mut Self`, so settings chain:
///
/// ```
/// let mut settings = forge_codegen::Settings::new("dialpad");
/// settings
///     .select_tag("sms-subscriptions")
///     .type_name("SmsSubscriptionPage", "SubscriptionPage")
///     .derive("Eq")
///     .runtime_path("crate::runtime");
/// ```
#[derive(Debug, Clone)]
pub struct Settings {
    crate_name: String,
    crate_version: String,
    runtime_dependency: String,
    source_label: String,
    command: String,
    dev_dependencies: Vec<(String, String)>,
    extra_files: Vec<File>,
    example_tests: bool,
    serde_both_ways: bool,
    response_twins: bool,
    deny_warnings: bool,
    module_name: Option<String>,
    runtime_path: Option<syn::Path>,
    lenient_numbers: bool,
    derives: Vec<syn::Path>,
    derives_for: Vec<(String, syn::Path)>,
    type_names: Vec<(String, String)>,
    selection: filter::Selection,
}

impl Settings {
    /// Settings for a crate called `crate_name`, version 0.1.0, depending on the published
    /// `forge-runtime`.
    pub fn new(crate_name: impl Into<String>) -> Self {
        Settings {
            crate_name: crate_name.into(),
            crate_version: "0.1.0".to_owned(),
            runtime_dependency: "\"0.1\"".to_owned(),
            source_label: "an OpenAPI document".to_owned(),
            command: "forge-codegen".to_owned(),
            dev_dependencies: Vec::new(),
            extra_files: Vec::new(),
            example_tests: false,
            serde_both_ways: false,
            response_twins: true,
            deny_warnings: false,
            module_name: None,
            runtime_path: None,
            lenient_numbers: true,
            derives: Vec::new(),
            derives_for: Vec::new(),
            type_names: Vec::new(),
            selection: filter::Selection::default(),
        }
    }

    /// The generated crate's name (the `[package] name`).
    pub fn crate_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.crate_name = name.into();
        self
    }

    /// The name of the single file the module layout writes ([`generate_module`],
    /// [`build::Builder`]), without `.rs`; made snake case. Defaults to the crate name with
    /// `-` as `_`.
    pub fn module_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.module_name = Some(name.into());
        self
    }

    /// The generated crate's version.
    pub fn crate_version(&mut self, version: impl Into<String>) -> &mut Self {
        self.crate_version = version.into();
        self
    }

    /// The TOML value of the `forge-runtime` dependency, e.g. `{ path = "../runtime" }`.
    pub fn runtime_dependency(&mut self, toml_value: impl Into<String>) -> &mut Self {
        self.runtime_dependency = toml_value.into();
        self
    }

    /// The path generated code uses for the runtime crate: `::forge_runtime` by default.
    /// Set it to a re-export (`crate::runtime`, `::my_crate::runtime`) when the crate that
    /// compiles the code should not name `forge_runtime` itself. Every use changes: types,
    /// `serde(with = "...")` strings and doc links. (Generated code also names `::serde`
    /// for its derives, so that crate stays a dependency.)
    ///
    /// # Panics
    ///
    /// When `path` is not a Rust path.
    pub fn runtime_path(&mut self, path: &str) -> &mut Self {
        let parsed: syn::Path = syn::parse_str(path)
            .unwrap_or_else(|err| panic!("runtime_path({path:?}) is not a Rust path: {err}"));
        let is_default = quote!(#parsed).to_string().replace(' ', "") == adjust::DEFAULT_RUNTIME;
        self.runtime_path = (!is_default).then_some(parsed);
        self
    }

    /// Whether integer and number fields of the generated types also accept strings of
    /// digits (`"42"` for `42`), as Dialpad sends 64-bit ids: on by default. Off, they take
    /// JSON numbers only. Dates and date-times stay lenient either way (no offset reads as
    /// UTC).
    pub fn lenient_numbers(&mut self, enabled: bool) -> &mut Self {
        self.lenient_numbers = enabled;
        self
    }

    /// Adds a derive (`"Eq"`, `"Hash"`, `"::schemars::JsonSchema"`) to every struct and enum
    /// of the `types` module. A type that already derives it (same last path segment) is
    /// left alone. The derive must hold for every type: `Eq` and `Hash` do not hold for
    /// types with `f64` fields, for example; use [`derive_for`](Self::derive_for) for those.
    /// Parameter structs and the client are not affected.
    ///
    /// # Panics
    ///
    /// When `path` is not a Rust path.
    pub fn derive(&mut self, path: &str) -> &mut Self {
        self.derives.push(derive_path(path));
        self
    }

    /// Adds a derive to the type generated for one schema: a key of `components.schemas`, or
    /// the JSON pointer of an inline schema (starting with `/`). The schema must exist and
    /// become a struct or enum (not a `type` alias); a type a filter removed is skipped.
    ///
    /// # Panics
    ///
    /// When `path` is not a Rust path.
    pub fn derive_for(&mut self, schema: impl Into<String>, path: &str) -> &mut Self {
        self.derives_for.push((schema.into(), derive_path(path)));
        self
    }

    /// Names the type generated for a schema: a key of `components.schemas`, or the JSON
    /// pointer of an inline schema (starting with `/`). `name` must be a PascalCase name the
    /// generator could have chosen itself (not a keyword or prelude name) and must stay
    /// unique among all the spec's types (checked before any operation filter, so a slice is
    /// named like the whole); generation fails naming the override otherwise. Only that type
    /// changes: inline types named after it keep their names.
    pub fn type_name(&mut self, schema: impl Into<String>, name: impl Into<String>) -> &mut Self {
        self.type_names.push((schema.into(), name.into()));
        self
    }

    /// Generates the operations with this tag (and exactly the types they use). Selectors
    /// add up: an operation is generated when it matches any `select_*` call; with none,
    /// every operation is. A selector that matches no operation fails generation.
    pub fn select_tag(&mut self, tag: impl Into<String>) -> &mut Self {
        self.selection.tags.push(tag.into());
        self
    }

    /// Generates the operations whose path is `prefix` or lies below it, in whole segments
    /// (`/api/v2/subscriptions/sms` selects `/api/v2/subscriptions/sms/{id}`); see
    /// [`select_tag`](Self::select_tag).
    pub fn select_path_prefix(&mut self, prefix: impl Into<String>) -> &mut Self {
        self.selection.path_prefixes.push(prefix.into());
        self
    }

    /// Generates the operation with this `operationId`; see [`select_tag`](Self::select_tag).
    pub fn select_operation(&mut self, operation_id: impl Into<String>) -> &mut Self {
        self.selection.operations.push(operation_id.into());
        self
    }

    /// Names the spec and the command in the `@generated` header of every file.
    pub fn provenance(
        &mut self,
        source: impl Into<String>,
        command: impl Into<String>,
    ) -> &mut Self {
        self.source_label = source.into();
        self.command = command.into();
        self
    }

    /// Adds a `[dev-dependencies]` entry (for examples shipped with the crate).
    pub fn dev_dependency(
        &mut self,
        name: impl Into<String>,
        toml_value: impl Into<String>,
    ) -> &mut Self {
        self.dev_dependencies.push((name.into(), toml_value.into()));
        self
    }

    /// Adds a file that is written with the generated ones, verbatim after the header.
    pub fn extra_file(
        &mut self,
        path: impl Into<String>,
        contents: impl Into<String>,
    ) -> &mut Self {
        self.extra_files.push(File {
            path: path.into(),
            contents: contents.into(),
        });
        self
    }

    /// Derives both `Serialize` and `Deserialize` on every type (off by default: types the
    /// client only sends get `Serialize`, types it only reads get `Deserialize`, which keeps
    /// the generated crate's compile time and memory down). Example tests turn it on.
    pub fn serde_both_ways(&mut self, enabled: bool) -> &mut Self {
        self.serde_both_ways = enabled;
        self
    }

    /// Whether each JSON or empty-answer operation also gets an `<operation>_with_response`
    /// method returning the status and headers with the value (on by default; turning it off
    /// saves compile time when nobody needs them).
    pub fn response_twins(&mut self, enabled: bool) -> &mut Self {
        self.response_twins = enabled;
        self
    }

    /// Makes lossy mappings (see [`generate_with_warnings`]) errors (off by default).
    pub fn deny_warnings(&mut self, deny: bool) -> &mut Self {
        self.deny_warnings = deny;
        self
    }

    /// Also writes `tests/examples.rs`: a test per JSON example of the spec that decodes it
    /// into its generated type and encodes it back (off by default).
    pub fn example_tests(&mut self, enabled: bool) -> &mut Self {
        self.example_tests = enabled;
        self
    }

    /// The file the module layout writes: `<module name>.rs`.
    pub fn module_file(&self) -> String {
        let name = match &self.module_name {
            Some(name) => name.clone(),
            None => self.crate_name.replace('-', "_"),
        };
        format!("{}.rs", naming::snake(&name))
    }

    fn header(&self, comment: &str) -> String {
        let source = self.source_label.replace(['\n', '\r'], " ");
        let command = self.command.replace(['\n', '\r'], " ");
        format!("{comment} @generated by {command} from {source}; do not edit.\n")
    }
}

fn derive_path(path: &str) -> syn::Path {
    syn::parse_str(path).unwrap_or_else(|err| panic!("derive {path:?} is not a Rust path: {err}"))
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Path relative to the crate root, with `/` separators.
    pub path: String,
    /// Full contents.
    pub contents: String,
}

/// Generates every file of the client crate for `document`: [`lower_document`], then
/// [`refine_api`], [`emit_files`] and [`render_files`].
pub fn generate(document: &Document, settings: &Settings) -> Result<Vec<File>, Error> {
    Ok(limits::with_stack(|| run(document, settings, build::Layout::Crate))?.0)
}

/// [`generate`], also returning the lossy mappings made on the way (a dangling `$ref` typed
/// as any JSON value, an undeclared path variable taken as a string, ...), each located.
pub fn generate_with_warnings(
    document: &Document,
    settings: &Settings,
) -> Result<(Vec<File>, Vec<Diagnostic>), Error> {
    limits::with_stack(|| run(document, settings, build::Layout::Crate))
}

/// Generates the client as one file to `include!` (see [`emit_module`]), named
/// [`Settings::module_file`]: the same steps as [`generate`], the same code in another
/// layout.
pub fn generate_module(document: &Document, settings: &Settings) -> Result<File, Error> {
    let (mut files, _) = limits::with_stack(|| run(document, settings, build::Layout::Module))?;
    files.pop().ok_or_else(|| Error::Internal {
        file: settings.module_file(),
        message: "nothing was rendered".to_owned(),
    })
}

/// The one code path of every way to generate: the files in `layout`, and the lowering
/// warnings about what is generated.
pub(crate) fn run(
    document: &Document,
    settings: &Settings,
    layout: build::Layout,
) -> Result<(Vec<File>, Vec<Diagnostic>), Error> {
    let api = lower_document(document)?;
    let mut api = refine_api(api, document, settings)?;
    let warnings = std::mem::take(&mut api.warnings);
    if settings.deny_warnings && !warnings.is_empty() {
        return Err(Error::Unsupported(
            warnings
                .into_iter()
                .map(|mut warning| {
                    warning.message = format!("{} (a warning, denied)", warning.message);
                    warning
                })
                .collect(),
        ));
    }
    let emitted = match layout {
        build::Layout::Crate => emit_files(&api, settings),
        build::Layout::Module => vec![emit_module(&api, settings)],
    };
    Ok((render_files(emitted, settings)?, warnings))
}

/// Step 2: the document as IR; refusals and warnings carry pointers and source positions.
pub fn lower_document(document: &Document) -> Result<ir::Api, Error> {
    let mut api = lower::lower(&document.api, &document.raw).map_err(|mut diagnostics| {
        for diagnostic in &mut diagnostics {
            diagnostic.location = document.source.locate(&diagnostic.pointer);
        }
        Error::Unsupported(diagnostics)
    })?;
    api.warnings.extend(document.warnings.iter().cloned());
    for warning in &mut api.warnings {
        if warning.location.is_none() {
            warning.location = document.source.locate(&warning.pointer);
        }
    }
    Ok(api)
}

/// Step 2½: what the settings change in the IR: the type name overrides
/// ([`filter::rename_types`], checked against the whole spec), then the operation filter
/// ([`filter::select`]). Also checks that per-type derives name schemas that become structs
/// or enums. With default settings, `api` is returned as it is.
pub fn refine_api(
    mut api: ir::Api,
    document: &Document,
    settings: &Settings,
) -> Result<ir::Api, Error> {
    filter::rename_types(&mut api, document, &settings.type_names)?;
    for (schema, _) in &settings.derives_for {
        let pointer = schema_pointer(schema);
        let fail = |message: String| {
            Err(Error::Parse(Diagnostic {
                location: document.source.locate(&pointer),
                pointer: pointer.clone(),
                message: format!("derive for `{schema}`: {message}"),
            }))
        };
        match api.types.iter().find(|def| def.pointer == pointer) {
            None => return fail("the spec has no schema that becomes a named type there".into()),
            Some(ir::TypeDef {
                kind: ir::TypeKind::Alias(_),
                name,
                ..
            }) => {
                return fail(format!(
                    "its type `{name}` is an alias; derive on its target"
                ))
            }
            Some(_) => {}
        }
    }
    filter::select(api, document, &settings.selection)
}

/// The JSON pointer of a schema given by `components.schemas` key or by pointer.
fn schema_pointer(schema: &str) -> String {
    if schema.starts_with('/') {
        schema.to_owned()
    } else {
        error::pointer_push("/components/schemas", schema)
    }
}

/// One file before rendering: Rust tokens, or finished text (manifest, extra files).
#[derive(Debug, Clone)]
pub enum Emitted {
    /// A Rust file, still as tokens.
    Rust {
        /// Path relative to the crate root.
        path: String,
        /// Its items.
        tokens: proc_macro2::TokenStream,
    },
    /// A file whose text is final.
    Text(File),
}

/// The generated modules, each as finished tokens, shared by both layouts.
struct Modules {
    /// The crate's doc text (crate layout only: an included file has no crate).
    doc: proc_macro2::TokenStream,
    types: proc_macro2::TokenStream,
    client: proc_macro2::TokenStream,
    params: Option<proc_macro2::TokenStream>,
    /// The `pub use` items at the top level.
    exports: proc_macro2::TokenStream,
}

fn emit_modules(api: &ir::Api, settings: &Settings) -> Modules {
    let named = |schema: &String| {
        let pointer = schema_pointer(schema);
        api.types
            .iter()
            .find(|def| def.pointer == pointer)
            .map(|def| def.name.clone())
    };
    let derives_for: Vec<(String, syn::Path)> = settings
        .derives_for
        .iter()
        .filter_map(|(schema, path)| Some((named(schema)?, path.clone())))
        .collect();
    let tweaks = adjust::TypeTweaks {
        lenient_numbers: settings.lenient_numbers,
        derives: &settings.derives,
        derives_for: &derives_for,
    };
    let needs = emit::SerdeNeeds::new(api, settings.serde_both_ways || settings.example_tests);
    let types = adjust::types_module(emit::types::module(api, &needs), &tweaks);
    let server = (!api.servers.is_empty()).then(|| quote! { , Server });
    let exports = quote! {
        // rustfmt orders `use` items: `::` paths sort before plain ones.
        // What callers name next to the client, so they need no direct runtime dependency.
        pub use ::forge_runtime::{ApiResponse, BuildError, Error, ErrorKind, Paged};
        pub use ::forge_runtime::{RateLimit, RequestOptions, RetryPolicy};
        pub use client::{Client, ClientBuilder #server};
    };
    let finish = |tokens| runtime_tokens(tokens, settings);
    Modules {
        doc: lib_doc(api),
        types: finish(types),
        client: finish(emit::client::module(api, settings.response_twins)),
        params: emit::client::params_module(api).map(finish),
        exports: finish(exports),
    }
}

/// Retargets `::forge_runtime` when the settings name another runtime path.
fn runtime_tokens(
    tokens: proc_macro2::TokenStream,
    settings: &Settings,
) -> proc_macro2::TokenStream {
    match &settings.runtime_path {
        Some(path) => adjust::retarget_runtime(tokens, path),
        None => tokens,
    }
}

/// Step 3: the IR as token streams (and the manifest), one per file of the crate.
pub fn emit_files(api: &ir::Api, settings: &Settings) -> Vec<Emitted> {
    let header = settings.header("//");
    let mut files = vec![Emitted::Text(File {
        path: "Cargo.toml".to_owned(),
        contents: manifest(api, settings),
    })];
    let rust = |path: &str, tokens| Emitted::Rust {
        path: path.to_owned(),
        tokens,
    };
    let modules = emit_modules(api, settings);
    files.push(rust("src/lib.rs", lib_module(&modules)));
    files.push(rust("src/types.rs", modules.types));
    files.push(rust("src/client.rs", modules.client));
    if let Some(params) = modules.params {
        files.push(rust("src/params.rs", params));
    }
    if settings.example_tests {
        let crate_ident = settings.crate_name.replace('-', "_");
        if let Some(tests) = emit::examples::test_file(api, &crate_ident) {
            files.push(rust("tests/examples.rs", runtime_tokens(tests, settings)));
            files.push(Emitted::Text(File {
                path: "tests/examples.json".to_owned(),
                contents: emit::examples::data_file(api),
            }));
        }
    }
    for extra in &settings.extra_files {
        files.push(Emitted::Text(File {
            path: extra.path.clone(),
            contents: format!("{header}{}", extra.contents),
        }));
    }
    files
}

/// Step 3, module layout: the same modules as [`emit_files`] in one file to `include!`:
/// `pub mod client { ... }`, `pub mod params { ... }` (when any operation has query or
/// header parameters), `pub mod types { ... }` and the crate's re-exports. No inner
/// attributes (they are invalid in an included file): module docs are outer `#[doc]`s on
/// the `mod` items, and there is no crate doc or `#![deny(missing_docs)]`. Generated code
/// reaches its sibling modules through `super::`, so the file works nested in any module
/// of the including crate. The manifest, example tests and extra files are not part of it.
pub fn emit_module(api: &ir::Api, settings: &Settings) -> Emitted {
    let modules = emit_modules(api, settings);
    let client = adjust::nested_module("client", modules.client);
    let params = modules
        .params
        .map(|params| adjust::nested_module("params", params));
    let types = adjust::nested_module("types", modules.types);
    let exports = modules.exports;
    Emitted::Rust {
        path: settings.module_file(),
        tokens: quote! {
            #client
            #params
            #types
            #exports
        },
    }
}

/// Step 4: formats the Rust files (syn + prettyplease) and adds the `@generated` header.
pub fn render_files(emitted: Vec<Emitted>, settings: &Settings) -> Result<Vec<File>, Error> {
    let header = settings.header("//");
    emitted
        .into_iter()
        .map(|file| match file {
            Emitted::Rust { path, tokens } => rust(&path, &header, tokens),
            Emitted::Text(file) => Ok(file),
        })
        .collect()
}

fn rust(path: &str, header: &str, tokens: proc_macro2::TokenStream) -> Result<File, Error> {
    Ok(File {
        path: path.to_owned(),
        contents: render::rust_file(path, header, tokens)?,
    })
}

fn lib_doc(api: &ir::Api) -> proc_macro2::TokenStream {
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
    emit::docs::inner(&text)
}

fn lib_module(modules: &Modules) -> proc_macro2::TokenStream {
    let doc = &modules.doc;
    let params_mod = modules.params.is_some().then(|| quote! { pub mod params; });
    let exports = &modules.exports;
    quote! {
        #doc
        #![deny(missing_docs)]

        pub mod client;
        #params_mod
        pub mod types;

        #exports
    }
}

fn manifest(api: &ir::Api, settings: &Settings) -> String {
    let description = format!("Typed async client for {}", api.title)
        .replace(['\n', '\r'], " ")
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    let mut out = settings.header("#");
    out.push_str(&format!(
        "[package]\nname = \"{}\"\nversion = \"{}\"\nedition = \"2021\"\ndescription = \"{}\"\npublish = false\n\n",
        settings.crate_name, settings.crate_version, description
    ));
    out.push_str("[dependencies]\n");
    out.push_str(&format!(
        "forge-runtime = {}\n",
        settings.runtime_dependency
    ));
    out.push_str("serde = { version = \"1.0.219\", features = [\"derive\"] }\n");
    if !settings.dev_dependencies.is_empty() {
        out.push_str("\n[dev-dependencies]\n");
        for (name, value) in &settings.dev_dependencies {
            out.push_str(&format!("{name} = {value}\n"));
        }
    }
    out
}
