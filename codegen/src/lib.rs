//! forge-codegen turns an OpenAPI 3.0 document into a typed, documented async Rust client.
//!
//! The data flows one way, one module per step:
//!
//! 1. [`load`]: spec text (JSON or YAML) to a typed [`Document`] plus a source map;
//! 2. [`lower`]: the document to the plain-data [`ir`], resolving references and names
//!    (the last step that reads the document);
//! 3. [`filter`]: what the [`Settings`] change in the IR (type names, operation filter);
//! 4. [`emit`]: the IR to token streams, shaped by the settings' options;
//! 5. [`render`]: token streams to formatted files (`syn` + prettyplease).
//!
//! This file is the facade that runs them in order; each decision lives in its step.
//!
//! [`generate`] runs steps 2 to 5 ([`lower_document`], [`refine_api`], [`emit_files`],
//! [`render_files`], each public so they can be timed apart) and returns every file of the
//! client crate; callers decide where the files go (`cargo xtask codegen` writes them into
//! `generated/`). [`generate_module`] runs the same steps but renders one file to
//! `include!` from a build script; [`build::Builder`] does that from `build.rs`, prost-build
//! style. Everything that produces code goes through these functions, so the same spec and
//! [`Settings`] give byte-identical output whichever way it is produced (the project's
//! `cargo xtask codegen` also runs `rustfmt` over the crate it checks in).
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
//! assert!(client.contents.contains("pub fn get_pet<'a>(&'a self, id: i64)"));
//! # Ok::<(), forge_codegen::Error>(())
//! ```

#![deny(missing_docs)]

pub mod build;
pub mod emit;
pub mod error;
pub mod filter;
pub mod ir;
pub mod limits;
pub mod load;
pub mod lower;
pub mod naming;
pub mod normalize;
pub mod render;
mod settings;

pub use emit::krate::Emitted;
pub use error::{Diagnostic, Error};
pub use load::Document;
pub use render::File;
pub use settings::Settings;

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
            document.source.relocate(diagnostic);
        }
        Error::Unsupported(diagnostics)
    })?;
    for warning in &mut api.warnings {
        document.source.relocate(warning);
    }
    api.warnings.splice(0..0, document.warnings.iter().cloned());
    Ok(api)
}

/// Step 3: what the settings change in the IR: the type name overrides
/// ([`filter::rename_types`], checked against the whole spec), then the operation filter
/// ([`filter::select`]). Also checks that per-type derives name schemas that become structs
/// or enums ([`filter::check_derive_targets`]). With default settings, `api` is returned as
/// it is. The document serves only to locate errors.
pub fn refine_api(
    mut api: ir::Api,
    document: &Document,
    settings: &Settings,
) -> Result<ir::Api, Error> {
    filter::rename_types(&mut api, &document.source, &settings.type_names)?;
    let derive_targets = settings
        .derives_for
        .iter()
        .map(|(schema, _)| schema.as_str());
    filter::check_derive_targets(&api, &document.source, derive_targets)?;
    filter::select(api, &document.source, &settings.selection)
}

/// Step 4: the IR as token streams (and the manifest), one per file of the crate; see
/// [`emit::krate::files`].
pub fn emit_files(api: &ir::Api, settings: &Settings) -> Vec<Emitted> {
    emit::krate::files(api, &settings.emit_options(api))
}

/// Step 4, module layout: the same modules as [`emit_files`] in one file to `include!`:
/// `pub mod client { ... }`, `pub mod params { ... }` (when any operation has query, header
/// or cookie parameters), `pub mod types { ... }` and the crate's re-exports. No inner
/// attributes (they are invalid in an included file): module docs are outer `#[doc]`s on
/// the `mod` items, and there is no crate doc or `#![deny(missing_docs)]`. Generated code
/// reaches its sibling modules through `super::`, so the file works nested in any module
/// of the including crate. The manifest, example tests and extra files are not part of it.
pub fn emit_module(api: &ir::Api, settings: &Settings) -> Emitted {
    emit::krate::module(api, &settings.emit_options(api))
}

/// Step 5: formats the Rust files (syn + prettyplease) and adds the `@generated` header.
pub fn render_files(emitted: Vec<Emitted>, settings: &Settings) -> Result<Vec<File>, Error> {
    render::files(emitted, &settings.header("//"))
}
