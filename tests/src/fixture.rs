//! The fixture specs: every `*.yaml`, `*.yml` or `*.json` file in `tests/fixtures/`, each a
//! small OpenAPI document about one family of constructs.
//!
//! This module owns how a fixture is generated (crate name `snapshot-<name>`, the runtime
//! by relative path, the `@generated` header) and which files its snapshot in
//! `tests/snapshots/<name>/` holds: the generated crate plus `ir.txt`, the lowered IR's
//! `Debug` dump. Tests that read generated fixture code call [`Fixture::generate`], so what
//! they inspect is byte for byte what the snapshot holds and the workspace compiles.

use std::fs;
use std::path::{Path, PathBuf};

use forge_codegen::{Document, File, Settings};

use crate::snapshot::BLESS_COMMAND;

/// The extensions a fixture spec may have.
const EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// The file next to the generated crate that holds the lowered IR.
pub const IR_FILE: &str = "ir.txt";

/// One fixture spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// The file name without its extension: lowercase ASCII letters, digits, `_` and `-`.
    pub name: String,
    /// The spec's file name inside `tests/fixtures/`.
    pub file_name: String,
}

/// The root of the `forge-tests` package (`tests/` in the workspace).
pub fn package_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/`.
pub fn fixtures_dir() -> PathBuf {
    package_root().join("fixtures")
}

/// `tests/snapshots/`: one generated crate per fixture, members of the workspace.
pub fn snapshots_dir() -> PathBuf {
    package_root().join("snapshots")
}

/// Every fixture spec, sorted by name.
///
/// # Panics
///
/// When the folder cannot be read, a name is not usable as part of a crate name, or two
/// specs share a name.
pub fn all() -> Vec<Fixture> {
    let dir = fixtures_dir();
    let mut fixtures: Vec<Fixture> = fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| {
            path.extension()
                .and_then(|ext| ext.to_str())
                .is_some_and(|ext| EXTENSIONS.contains(&ext))
        })
        .map(|path| fixture_at(&path))
        .collect();
    fixtures.sort_by(|a, b| a.name.cmp(&b.name));
    for pair in fixtures.windows(2) {
        assert_ne!(
            pair[0].name, pair[1].name,
            "two fixture specs are called `{}`: {} and {}",
            pair[0].name, pair[0].file_name, pair[1].file_name
        );
    }
    fixtures
}

fn fixture_at(path: &Path) -> Fixture {
    let name = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .expect("a UTF-8 file name")
        .to_owned();
    assert!(
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'),
        "fixture `{}`: name it with lowercase letters, digits, `_` and `-` (it becomes the crate `snapshot-<name>`)",
        path.display()
    );
    Fixture {
        name,
        file_name: path
            .file_name()
            .and_then(|name| name.to_str())
            .expect("a UTF-8 file name")
            .to_owned(),
    }
}

/// The fixture called `name` (its file name without extension).
///
/// # Panics
///
/// When there is none.
pub fn named(name: &str) -> Fixture {
    all()
        .into_iter()
        .find(|fixture| fixture.name == name)
        .unwrap_or_else(|| panic!("no fixture spec called `{name}` in tests/fixtures"))
}

/// Snapshot directories whose fixture spec is gone.
pub fn orphan_snapshots(fixtures: &[Fixture]) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(snapshots_dir()) else {
        return Vec::new();
    };
    let mut orphans: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.is_dir())
        .filter(|path| {
            let name = path.file_name().and_then(|name| name.to_str());
            !fixtures
                .iter()
                .any(|fixture| Some(fixture.name.as_str()) == name)
        })
        .collect();
    orphans.sort();
    orphans
}

impl Fixture {
    /// The spec's path relative to the workspace root, as the `@generated` header names it.
    pub fn source(&self) -> String {
        format!("tests/fixtures/{}", self.file_name)
    }

    /// The spec's text.
    pub fn text(&self) -> String {
        let path = fixtures_dir().join(&self.file_name);
        fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
    }

    /// The parsed spec.
    ///
    /// # Panics
    ///
    /// When the spec does not parse.
    pub fn document(&self) -> Document {
        forge_codegen::load::parse(&self.text())
            .unwrap_or_else(|err| panic!("{}: {err}", self.source()))
    }

    /// The settings the snapshot crate is generated with: crate `snapshot-<name>`, the
    /// runtime by its path relative to `tests/snapshots/<name>/`.
    pub fn settings(&self) -> Settings {
        let mut settings = Settings::new(format!("snapshot-{}", self.name));
        settings
            .runtime_dependency("{ path = \"../../../runtime\" }")
            .provenance(self.source(), BLESS_COMMAND);
        settings
    }

    /// The generated crate's files, as the snapshot holds them (without `ir.txt`).
    ///
    /// # Panics
    ///
    /// When the generator refuses the spec.
    pub fn generate(&self) -> Vec<File> {
        forge_codegen::generate(&self.document(), &self.settings())
            .unwrap_or_else(|err| panic!("{}: {err}", self.source()))
    }

    /// The lowered IR's pretty `Debug` dump, before any setting refines it.
    ///
    /// # Panics
    ///
    /// When the generator refuses the spec.
    pub fn ir(&self) -> String {
        let api = forge_codegen::lower_document(&self.document())
            .unwrap_or_else(|err| panic!("{}: {err}", self.source()));
        format!("{api:#?}\n")
    }

    /// Every file of the snapshot: the generated crate and [`IR_FILE`].
    pub fn snapshot_files(&self) -> Vec<File> {
        let mut files = self.generate();
        files.push(File {
            path: IR_FILE.to_owned(),
            contents: self.ir(),
        });
        files
    }

    /// `tests/snapshots/<name>/`.
    pub fn snapshot_dir(&self) -> PathBuf {
        snapshots_dir().join(&self.name)
    }
}
