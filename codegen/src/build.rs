//! Generating a client from a build script, in the manner of `prost-build`.
//!
//! ```no_run
//! // build.rs, in `fn main() -> Result<(), Box<dyn std::error::Error>>`
//! let mut settings = forge_codegen::Settings::new("dialpad"); // writes $OUT_DIR/dialpad.rs
//! settings.select_tag("sms-subscriptions");
//! forge_codegen::build::Builder::new("spec/dialpad.yaml")
//!     .settings(settings)
//!     .generate()?; // the error names the spec, the JSON pointer, the line and column
//! # Ok::<(), forge_codegen::build::BuildError>(())
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! pub mod dialpad {
//!     include!(concat!(env!("OUT_DIR"), "/dialpad.rs"));
//! }
//! ```
//!
//! [`Builder::generate`] reads the spec, prints `cargo:rerun-if-changed=<spec>` (so editing
//! the spec regenerates on the next build), runs the same steps as
//! [`generate_module`](crate::generate_module) (or [`generate`](crate::generate) with
//! [`Layout::Crate`]) and writes the result into `OUT_DIR`, touching only files whose
//! contents changed (so an unchanged spec does not recompile the crate). Lossy mappings the
//! generator made are printed as `cargo:warning=` lines. The including crate depends on `forge-runtime` (or whatever
//! [`Settings::runtime_path`] names) and on `serde` with its `derive` feature.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::{Diagnostic, Error, File, Settings};

/// How the generated code is laid out on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// One file, [`Settings::module_file`], to `include!` (see [`crate::emit_module`]).
    #[default]
    Module,
    /// Every file of the client crate ([`generate`](crate::generate)), under the output
    /// directory: `Cargo.toml`, `src/lib.rs`, ...
    Crate,
}

/// Generates a client from a spec file into `OUT_DIR` (or another directory).
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    settings: Settings,
    layout: Layout,
    out_dir: Option<PathBuf>,
    cargo_instructions: bool,
}

/// What [`Builder::generate`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Every file of the output, in generation order (the module file alone for
    /// [`Layout::Module`]).
    pub files: Vec<PathBuf>,
    /// The files whose contents changed and were written.
    pub changed: Vec<PathBuf>,
}

impl Builder {
    /// A builder for the spec at `spec` (JSON or YAML; a relative path is relative to the
    /// current directory, which in a build script is the package root). The settings
    /// default to [`Settings::new`] with the spec's file stem as the name, so the module
    /// file is `<stem with _ for ->.rs`, and the spec's path in the `@generated` header.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        let spec = spec.into();
        let stem = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "client".to_owned());
        let mut settings = Settings::new(stem);
        settings.provenance(
            spec.to_string_lossy().replace('\\', "/"),
            "forge_codegen::build",
        );
        Builder {
            spec,
            settings,
            layout: Layout::Module,
            out_dir: None,
            cargo_instructions: true,
        }
    }

    /// Replaces the settings (name, filter, type names, runtime path, ...).
    pub fn settings(&mut self, settings: Settings) -> &mut Self {
        self.settings = settings;
        self
    }

    /// The settings, to change one in place.
    pub fn settings_mut(&mut self) -> &mut Settings {
        &mut self.settings
    }

    /// One includable file ([`Layout::Module`], the default) or a whole crate.
    pub fn layout(&mut self, layout: Layout) -> &mut Self {
        self.layout = layout;
        self
    }

    /// Writes into `dir` instead of `OUT_DIR`.
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Whether to print `cargo:rerun-if-changed=<spec>`, and a `cargo:warning=` for each
    /// lossy mapping the generator made (on by default; off outside build scripts).
    pub fn cargo_instructions(&mut self, enabled: bool) -> &mut Self {
        self.cargo_instructions = enabled;
        self
    }

    /// Reads the spec, generates, and writes the files whose contents changed.
    pub fn generate(&self) -> Result<Output, BuildError> {
        if self.cargo_instructions {
            println!("cargo:rerun-if-changed={}", self.spec.display());
        }
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(BuildError::NoOutDir)?,
        };
        let (files, warnings) = self.run().map_err(|error| BuildError::Spec {
            spec: self.spec.clone(),
            error,
        })?;
        if self.cargo_instructions {
            for warning in &warnings {
                let text = format!("{}: {warning}", self.spec.display());
                println!("cargo:warning={}", text.replace(['\n', '\r'], " "));
            }
        }
        write_changed(&out_dir, &files)
    }

    /// The files [`generate`](Self::generate) would write, without writing them.
    pub fn files(&self) -> Result<Vec<File>, Error> {
        Ok(self.run()?.0)
    }

    fn run(&self) -> Result<(Vec<File>, Vec<Diagnostic>), Error> {
        let text = fs::read_to_string(&self.spec).map_err(|source| Error::Io {
            path: self.spec.display().to_string(),
            source,
        })?;
        crate::limits::with_stack(|| {
            let document = crate::load::parse(&text)?;
            crate::run(&document, &self.settings, self.layout)
        })
    }
}

/// Writes `files` under `dir`, each only when its contents differ from what is there (via
/// a temporary file and a rename).
fn write_changed(dir: &Path, files: &[File]) -> Result<Output, BuildError> {
    let mut output = Output {
        files: Vec::with_capacity(files.len()),
        changed: Vec::new(),
    };
    for file in files {
        let target = dir.join(&file.path);
        output.files.push(target.clone());
        if fs::read(&target).ok().as_deref() == Some(file.contents.as_bytes()) {
            continue;
        }
        let write = || -> io::Result<()> {
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            let temporary = target.with_extension(format!("tmp{}", std::process::id()));
            fs::write(&temporary, &file.contents)?;
            fs::rename(&temporary, &target)
        };
        write().map_err(|source| BuildError::Write {
            path: target.clone(),
            source,
        })?;
        output.changed.push(target);
    }
    Ok(output)
}

/// Why [`Builder::generate`] failed. `Debug` shows the same text as `Display`, so that
/// `fn main() -> Result<(), Box<dyn Error>>` in a build script prints a readable message.
pub enum BuildError {
    /// The spec could not be read, parsed or generated from. For a spec the generator
    /// refuses, the message names the JSON pointer and the line and column of each node.
    Spec {
        /// The spec file.
        spec: PathBuf,
        /// What went wrong.
        error: Error,
    },
    /// A generated file could not be written.
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// `OUT_DIR` is not set (not running as a build script) and no
    /// [`out_dir`](Builder::out_dir) was given.
    NoOutDir,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The I/O error already names the file.
            BuildError::Spec {
                error: error @ Error::Io { .. },
                ..
            } => write!(f, "{error}"),
            BuildError::Spec { spec, error } => write!(f, "{}: {error}", spec.display()),
            BuildError::Write { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            BuildError::NoOutDir => {
                f.write_str("OUT_DIR is not set: run from a build script, or call Builder::out_dir")
            }
        }
    }
}

impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Spec { error, .. } => Some(error),
            BuildError::Write { source, .. } => Some(source),
            BuildError::NoOutDir => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
  /owners:
    get:
      operationId: listOwners
      tags: [owners]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Owner'}}
components:
  schemas:
    Pet:
      type: object
      properties:
        id: {type: integer, format: int64}
        born: {type: string, format: date-time}
    Owner: {type: object, properties: {name: {type: string}}}
";

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("forge-codegen-build-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn builder(dir: &Path, spec: &str) -> Builder {
        let path = dir.join("pets.yaml");
        fs::write(&path, spec).unwrap();
        let mut builder = Builder::new(path);
        builder.out_dir(dir.join("out")).cargo_instructions(false);
        builder
    }

    #[test]
    fn crate_layout_writes_exactly_what_generate_returns() {
        let dir = scratch("crate");
        let mut settings = Settings::new("pets");
        settings.example_tests(true).derive("Eq");
        let mut builder = builder(&dir, SPEC);
        builder.settings(settings.clone()).layout(Layout::Crate);
        let output = builder.generate().unwrap();
        let document = crate::load::parse(SPEC).unwrap();
        let expected = crate::generate(&document, &settings).unwrap();
        assert_eq!(output.files.len(), expected.len());
        for file in &expected {
            let written = fs::read_to_string(dir.join("out").join(&file.path)).unwrap();
            assert_eq!(written, file.contents, "{}", file.path);
        }
        // A second run finds nothing to write.
        assert!(builder.generate().unwrap().changed.is_empty());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn module_layout_holds_the_crate_modules_without_inner_attributes() {
        let dir = scratch("module");
        let output = builder(&dir, SPEC).generate().unwrap();
        assert_eq!(output.files, [dir.join("out").join("pets.rs")]);
        let text = fs::read_to_string(&output.files[0]).unwrap();
        assert!(
            text.starts_with("// @generated by forge_codegen::build from "),
            "{text}"
        );
        assert!(!text.contains("#!["), "{text}");
        let module: syn::File = syn::parse_file(&text).unwrap();
        let document = crate::load::parse(SPEC).unwrap();
        let files = crate::generate(&document, &Settings::new("pets")).unwrap();
        // Each `pub mod` holds the items of the crate file of the same name, and carries the
        // module doc as an outer attribute.
        for name in ["builders", "client", "types"] {
            let crate_file: syn::File = syn::parse_file(
                &files
                    .iter()
                    .find(|f| f.path == format!("src/{name}.rs"))
                    .unwrap()
                    .contents,
            )
            .unwrap();
            let nested = module
                .items
                .iter()
                .find_map(|item| match item {
                    syn::Item::Mod(m) if m.ident == name => Some(m),
                    _ => None,
                })
                .unwrap_or_else(|| panic!("no mod {name}"));
            let items = &nested.content.as_ref().unwrap().1;
            // The crate layout adds, behind its manifest's `serde-both-ways` feature, the
            // serde derives and impls the API does not use; an included module has no
            // manifest, so it has neither.
            let gated = |attrs: &[syn::Attribute]| {
                attrs.iter().any(|attr| {
                    quote::ToTokens::to_token_stream(attr)
                        .to_string()
                        .contains("\"serde-both-ways\"")
                        && attr.path().is_ident("cfg")
                })
            };
            let crate_items: Vec<syn::Item> = crate_file
                .items
                .iter()
                .filter(|item| match item {
                    syn::Item::Impl(i) => !gated(&i.attrs),
                    _ => true,
                })
                .cloned()
                .map(|mut item| {
                    let feature_derive = |attr: &syn::Attribute| {
                        attr.path().is_ident("cfg_attr")
                            && quote::ToTokens::to_token_stream(attr)
                                .to_string()
                                .contains("\"serde-both-ways\"")
                    };
                    match &mut item {
                        syn::Item::Struct(s) => {
                            s.attrs.retain(|a| !feature_derive(a));
                            // Field attributes that only the feature's derive reads.
                            for field in s.fields.iter_mut() {
                                field.attrs.retain(|a| !feature_derive(a));
                            }
                        }
                        syn::Item::Enum(e) => e.attrs.retain(|a| !feature_derive(a)),
                        _ => {}
                    }
                    item
                })
                .collect();
            // Compared as printed at the top level: a layout decision of the printer (a
            // trailing comma where a long signature breaks inside the module) is not a
            // difference.
            let print = |items: &[syn::Item]| {
                prettyplease::unparse(&syn::File {
                    shebang: None,
                    attrs: Vec::new(),
                    items: items.to_vec(),
                })
            };
            assert_eq!(print(items), print(&crate_items), "{name}");
            let outer: Vec<_> = crate_file
                .attrs
                .iter()
                .cloned()
                .map(|mut attr| {
                    attr.style = syn::AttrStyle::Outer;
                    attr
                })
                .collect();
            assert_eq!(nested.attrs, outer, "{name}");
        }
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn settings_shape_the_module() {
        let dir = scratch("settings");
        let mut builder = builder(&dir, SPEC);
        builder
            .settings_mut()
            .module_name("zoo")
            .select_tag("pets")
            .type_name("Pet", "Animal")
            .lenient_numbers(false)
            .runtime_path("crate::rt");
        let output = builder.generate().unwrap();
        let text = fs::read_to_string(dir.join("out/zoo.rs")).unwrap();
        assert_eq!(output.files, [dir.join("out/zoo.rs")]);
        assert!(text.contains("pub struct Animal"), "{text}");
        assert!(
            !text.contains("Owner") && !text.contains("list_owners"),
            "{text}"
        );
        assert!(!text.contains("forge_runtime"), "{text}");
        assert!(text.contains("crate::rt::DateTime"), "{text}");
        // Strict numbers: the id reads numbers only; the date-time stays lenient.
        assert_eq!(
            text.matches("crate::rt::object::lenient_value(").count(),
            1,
            "{text}"
        );
    }

    #[test]
    fn errors_name_the_spec_pointer_and_line() {
        let dir = scratch("errors");
        let broken = SPEC.replace("{type: string, format: date-time}", "{oneOf: 3}");
        let err = builder(&dir, &broken).generate().unwrap_err().to_string();
        assert!(err.contains("pets.yaml: "), "{err}");
        assert!(
            err.contains("/components/schemas/Pet (line 28, column 5): not a valid OpenAPI"),
            "{err}"
        );
        let refused = SPEC.replace("{type: string, format: date-time}", "{not: {type: string}}");
        let err = builder(&dir, &refused).generate().unwrap_err().to_string();
        assert!(
            err.contains("pets.yaml: the spec uses 1 construct(s)"),
            "{err}"
        );
        assert!(
            err.contains("/components/schemas/Pet/properties/born (line 32, column 9)"),
            "{err}"
        );
        let mut unknown = builder(&dir, SPEC);
        unknown.settings_mut().select_tag("cats");
        let err = unknown.generate().unwrap_err();
        assert!(
            format!("{err:?}").contains("/paths (line 3, column 1): the operation filter"),
            "{err:?}"
        );
        let err = Builder::new(dir.join("missing.yaml"))
            .out_dir(&dir)
            .cargo_instructions(false)
            .generate()
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("cannot read "), "{err}");
        let _ = fs::remove_dir_all(&dir);
    }
}
