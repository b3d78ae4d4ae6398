//! What the settings decide about emitted code, handed to every emitter: the runtime path,
//! extra derives, strict or lenient numbers, and serde directions.
//!
//! Emitters read these options and write the right tokens directly; nothing rewrites
//! emitted code afterwards. [`RuntimePath`] is the one place that writes the runtime
//! crate's path, as tokens for code and as text for `serde(with = "...")` and doc links.

use proc_macro2::TokenStream;
use quote::ToTokens;

use crate::ir::TypeId;
use crate::render::File;

/// How generated code names the runtime crate: `::forge_runtime` unless the settings name a
/// re-export. Spec text is never rewritten: only what emitters write through this type
/// names the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimePath(syn::Path);

impl RuntimePath {
    /// Parses `path` (`crate::runtime`, `::my_crate::runtime`). Refuses text that is not a
    /// path of plain segments (no generic arguments).
    pub fn parse(path: &str) -> Result<Self, String> {
        let parsed: syn::Path = syn::parse_str(path).map_err(|err| err.to_string())?;
        if parsed
            .segments
            .iter()
            .any(|segment| !segment.arguments.is_none())
        {
            return Err("a module path takes no generic arguments".to_owned());
        }
        Ok(RuntimePath(parsed))
    }

    /// The path as tokens, to put before `::Item` in code.
    pub fn tokens(&self) -> TokenStream {
        self.0.to_token_stream()
    }

    /// The path of `item` in the runtime as text (`::forge_runtime::lenient`), for string
    /// literals that name a path: `serde(with = "...")` and doc links.
    pub fn text(&self, item: &str) -> String {
        let mut text = String::new();
        if self.0.leading_colon.is_some() {
            text.push_str("::");
        }
        for segment in &self.0.segments {
            text.push_str(&segment.ident.to_string());
            text.push_str("::");
        }
        text.push_str(item);
        text
    }
}

impl Default for RuntimePath {
    fn default() -> Self {
        RuntimePath(syn::Path {
            leading_colon: Some(Default::default()),
            segments: std::iter::once(syn::PathSegment::from(proc_macro2::Ident::new(
                "forge_runtime",
                proc_macro2::Span::call_site(),
            )))
            .collect(),
        })
    }
}

/// The settings that shape emitted code, resolved against the API being emitted.
#[derive(Debug, Clone)]
pub struct Options {
    /// How the code names the runtime crate.
    pub runtime: RuntimePath,
    /// Whether integer and number fields also accept strings of digits (dates and
    /// date-times accept offset-less text either way).
    pub lenient_numbers: bool,
    /// Derives added to every struct and enum of the `types` module.
    pub derives: Vec<syn::Path>,
    /// Derives added to one type each.
    pub derives_for: Vec<(TypeId, syn::Path)>,
    /// Whether every type derives both `Serialize` and `Deserialize` (otherwise only the
    /// directions the client uses).
    pub serde_both_ways: bool,
    /// What the crate layout writes besides code.
    pub package: Package,
}

/// The manifest's fields and the files the crate layout adds.
#[derive(Debug, Clone)]
pub struct Package {
    /// `[package] name`.
    pub name: String,
    /// `[package] version`.
    pub version: String,
    /// The TOML value of the `forge-runtime` dependency.
    pub runtime_dependency: String,
    /// `[dev-dependencies]` entries, name and TOML value.
    pub dev_dependencies: Vec<(String, String)>,
    /// The `@generated ...` line every file starts with, without its comment marker.
    pub generated_by: String,
    /// Whether to write `tests/examples.rs` and `tests/examples.json`.
    pub example_tests: bool,
    /// Whether to write `tests/conformance.rs` and `tests/conformance.json`.
    pub conformance_tests: bool,
    /// Files written verbatim after the header.
    pub extra_files: Vec<File>,
    /// The file the module layout writes.
    pub module_file: String,
}

impl Package {
    /// The first line of every generated file, as a `comment` (`//`, `#`) line.
    pub fn header(&self, comment: &str) -> String {
        format!("{comment} {}\n", self.generated_by)
    }
}
