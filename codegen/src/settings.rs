//! [`Settings`]: what the caller asks of a generation run, and how each setting reaches the
//! step that owns it: type names, the operation filter and derive targets go to [`filter`]
//! (through [`crate::refine_api`]); everything that shapes emitted code goes to emission as
//! [`Options`].

use crate::emit::{Options, Package, RuntimePath};
use crate::filter::{self, Selection};
use crate::ir::Api;
use crate::naming;
use crate::render::File;

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
    conformance_tests: bool,
    serde_both_ways: bool,
    pub(crate) deny_warnings: bool,
    module_name: Option<String>,
    runtime_path: RuntimePath,
    lenient_numbers: bool,
    derives: Vec<syn::Path>,
    pub(crate) derives_for: Vec<(String, syn::Path)>,
    pub(crate) type_names: Vec<(String, String)>,
    pub(crate) selection: Selection,
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
            conformance_tests: false,
            serde_both_ways: false,
            deny_warnings: false,
            module_name: None,
            runtime_path: RuntimePath::default(),
            lenient_numbers: true,
            derives: Vec::new(),
            derives_for: Vec::new(),
            type_names: Vec::new(),
            selection: Selection::default(),
        }
    }

    /// The generated crate's name (the `[package] name`).
    pub fn crate_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.crate_name = name.into();
        self
    }

    /// The name of the single file the module layout writes ([`generate_module`](crate::generate_module),
    /// [`build::Builder`](crate::build::Builder)), without `.rs`; made snake case. Defaults to the crate name with
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
    /// compiles the code should not name `forge_runtime` itself. Every use the generator
    /// writes changes: types, `serde(with = "...")` strings and doc links; text from the
    /// spec stays as written. (Generated code also names `::serde` for its derives, so that
    /// crate stays a dependency.)
    ///
    /// # Panics
    ///
    /// When `path` is not a Rust path of plain segments (no generic arguments).
    pub fn runtime_path(&mut self, path: &str) -> &mut Self {
        self.runtime_path = RuntimePath::parse(path)
            .unwrap_or_else(|err| panic!("runtime_path({path:?}) is not a Rust path: {err}"));
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
    /// the generated crate's compile time and memory down). Either way, a generated crate has
    /// a `serde-both-ways` cargo feature that adds the missing directions; its example tests
    /// turn that feature on for themselves, so the library as shipped does not pay for them.
    pub fn serde_both_ways(&mut self, enabled: bool) -> &mut Self {
        self.serde_both_ways = enabled;
        self
    }

    /// Makes lossy mappings (see [`generate_with_warnings`](crate::generate_with_warnings)) errors (off by default).
    pub fn deny_warnings(&mut self, deny: bool) -> &mut Self {
        self.deny_warnings = deny;
        self
    }

    /// Also writes `tests/examples.rs`: a test per JSON example of the spec that decodes it
    /// into its generated type and encodes it back (off by default). The manifest then has a
    /// dev-dependency of the crate on itself with the `serde-both-ways` feature, which the
    /// round trip needs and `cargo check`/`cargo build` of the library leave off.
    pub fn example_tests(&mut self, enabled: bool) -> &mut Self {
        self.example_tests = enabled;
        self
    }

    /// Also writes `tests/conformance.rs` and `tests/conformance.json`: a test that calls
    /// every operation through the client (event streams read to their end), with the spec's examples as
    /// arguments or values synthesized from the types, against the server whose base URL is
    /// in `FORGE_CONFORMANCE_URL` (skipped when unset), and fails when an answer does not
    /// decode (off by default). Adds a `tokio` dev-dependency unless one is given, and
    /// derives both serde directions on every type (the arguments are decoded from JSON).
    pub fn conformance_tests(&mut self, enabled: bool) -> &mut Self {
        self.conformance_tests = enabled;
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

    /// The `@generated` header line of every file, as a `comment` (`//`, `#`) line.
    pub(crate) fn header(&self, comment: &str) -> String {
        self.package().header(comment)
    }

    /// What the crate layout writes besides code.
    fn package(&self) -> Package {
        let source = self.source_label.replace(['\n', '\r'], " ");
        let command = self.command.replace(['\n', '\r'], " ");
        let mut dev_dependencies = self.dev_dependencies.clone();
        if self.conformance_tests && !dev_dependencies.iter().any(|(name, _)| name == "tokio") {
            dev_dependencies.push((
                "tokio".to_owned(),
                "{ version = \"1\", features = [\"rt\", \"time\"] }".to_owned(),
            ));
        }
        Package {
            name: self.crate_name.clone(),
            version: self.crate_version.clone(),
            runtime_dependency: self.runtime_dependency.clone(),
            dev_dependencies,
            generated_by: format!("@generated by {command} from {source}; do not edit."),
            example_tests: self.example_tests,
            conformance_tests: self.conformance_tests,
            extra_files: self.extra_files.clone(),
            module_file: self.module_file(),
        }
    }

    /// The options emission takes for `api` (the API after [`crate::refine_api`]): per-type
    /// derives are resolved to the types they name; a type a filter removed is skipped.
    pub(crate) fn emit_options(&self, api: &Api) -> Options {
        let derives_for = self
            .derives_for
            .iter()
            .filter_map(|(schema, path)| {
                Some((filter::type_for_schema(api, schema)?, path.clone()))
            })
            .collect();
        Options {
            runtime: self.runtime_path.clone(),
            lenient_numbers: self.lenient_numbers,
            derives: self.derives.clone(),
            derives_for,
            // Example tests decode and re-encode every example: the crate layout derives the
            // directions they need beyond the API's behind a feature that only they turn on.
            // Conformance tests decode the arguments they send: a crate made for them derives
            // both directions.
            serde_both_ways: self.serde_both_ways || self.conformance_tests,
            package: self.package(),
        }
    }
}

fn derive_path(path: &str) -> syn::Path {
    syn::parse_str(path).unwrap_or_else(|err| panic!("derive {path:?} is not a Rust path: {err}"))
}
