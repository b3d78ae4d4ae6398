//! Checked-in snapshots: a directory that must hold exactly a given set of files.
//!
//! [`compare`] lists how a directory differs from the files a run produced: a unified diff
//! for each file whose contents changed, and the files found on one side only. [`bless`]
//! makes the directory equal to the produced files, writing only those that differ and
//! removing those no longer produced. This module knows nothing about specs or the
//! generator; [`crate::fixture`] says which files a snapshot holds.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use forge_codegen::File;

/// The environment variable that makes the snapshot test rewrite the snapshots instead of
/// comparing them, when set to `1`.
pub const BLESS_VAR: &str = "FORGE_BLESS";

/// The command that rewrites every snapshot (it builds only the test package, so it also
/// works when an old snapshot no longer compiles).
pub const BLESS_COMMAND: &str = "FORGE_BLESS=1 cargo test -p forge-tests --test snapshots";

/// Whether this run blesses: [`BLESS_VAR`] is `1`.
pub fn blessing() -> bool {
    std::env::var(BLESS_VAR).is_ok_and(|value| value == "1")
}

/// How one file of a snapshot differs from what was produced. Paths are relative to the
/// snapshot directory, with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// On both sides with different contents: the unified diff from the snapshot (`-`) to
    /// the produced file (`+`), three lines of context.
    Differs {
        /// The file.
        path: String,
        /// The diff, with `---`/`+++` headers naming the file.
        diff: String,
    },
    /// Produced, but not in the snapshot.
    Added {
        /// The file.
        path: String,
    },
    /// In the snapshot, but no longer produced.
    Removed {
        /// The file.
        path: String,
    },
}

impl Change {
    /// The file this change is about.
    pub fn path(&self) -> &str {
        match self {
            Change::Differs { path, .. } | Change::Added { path } | Change::Removed { path } => {
                path
            }
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Differs { path, diff } => write!(f, "changed: {path}\n{diff}"),
            Change::Added { path } => write!(f, "new (not in the snapshot): {path}"),
            Change::Removed { path } => write!(f, "stale (no longer produced): {path}"),
        }
    }
}

/// How the files under `dir` differ from `expected`, sorted by path. A missing `dir` is an
/// empty snapshot (every file is [`Change::Added`]).
///
/// # Errors
///
/// When `dir` exists but cannot be read.
pub fn compare(dir: &Path, expected: &[File]) -> io::Result<Vec<Change>> {
    let mut changes = Vec::new();
    for file in expected {
        match fs::read(dir.join(&file.path)) {
            Ok(bytes) => {
                let old = String::from_utf8_lossy(&bytes);
                if old != file.contents {
                    changes.push(Change::Differs {
                        path: file.path.clone(),
                        diff: unified_diff(&file.path, &old, &file.contents),
                    });
                }
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => changes.push(Change::Added {
                path: file.path.clone(),
            }),
            Err(err) => return Err(err),
        }
    }
    for path in files_under(dir)? {
        if !expected.iter().any(|file| file.path == path) {
            changes.push(Change::Removed { path });
        }
    }
    changes.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(changes)
}

/// Makes `dir` hold exactly `expected`: writes the files that differ or are missing,
/// removes the ones not expected (and directories left empty, `dir` included), and leaves
/// every other file untouched. Returns what it changed, as [`compare`] saw it.
///
/// # Errors
///
/// When a file cannot be read, written or removed.
pub fn bless(dir: &Path, expected: &[File]) -> io::Result<Vec<Change>> {
    let changes = compare(dir, expected)?;
    for change in &changes {
        let target = dir.join(change.path());
        match change {
            Change::Differs { path, .. } | Change::Added { path } => {
                let file = expected
                    .iter()
                    .find(|file| &file.path == path)
                    .expect("a change names an expected file");
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::write(&target, &file.contents)?;
            }
            Change::Removed { .. } => {
                fs::remove_file(&target)?;
                remove_empty_dirs(dir, target.parent())?;
            }
        }
    }
    if dir.exists() && fs::read_dir(dir)?.next().is_none() {
        fs::remove_dir(dir)?;
    }
    Ok(changes)
}

/// Every change of a snapshot under a heading, for a test failure message.
pub fn report(heading: &str, changes: &[Change]) -> String {
    let mut out = format!("{heading}: {} file(s) differ\n", changes.len());
    for change in changes {
        out.push_str(&change.to_string());
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("snapshot/{path}"), &format!("generated/{path}"))
        .to_string()
}

/// The files below `dir` as sorted relative paths with `/` separators; none when `dir` does
/// not exist.
fn files_under(dir: &Path) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = match fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(err) if err.kind() == io::ErrorKind::NotFound && current == dir => break,
            Err(err) => return Err(err),
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("below dir");
                let parts: Vec<String> = relative
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Removes `from` and its ancestors while they are empty, stopping at `root`.
fn remove_empty_dirs(root: &Path, from: Option<&Path>) -> io::Result<()> {
    let mut current = from;
    while let Some(dir) = current {
        if dir == root || !dir.starts_with(root) || fs::read_dir(dir)?.next().is_some() {
            break;
        }
        fs::remove_dir(dir)?;
        current = dir.parent();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    fn file(path: &str, contents: &str) -> File {
        File {
            path: path.to_owned(),
            contents: contents.to_owned(),
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("forge-snapshot-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn write(dir: &Path, path: &str, contents: &str) {
        let target = dir.join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, contents).unwrap();
    }

    #[test]
    fn compare_reports_diffs_and_one_sided_files_and_bless_touches_only_those() {
        let dir = scratch("bless");
        write(&dir, "same.rs", "fn a() {}\n");
        write(&dir, "src/changed.rs", "one\ntwo\nthree\n");
        write(&dir, "old/stale.rs", "gone\n");
        // An old time on the unchanged file shows whether blessing rewrote it.
        let long_ago = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        fs::File::options()
            .write(true)
            .open(dir.join("same.rs"))
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        let expected = [
            file("same.rs", "fn a() {}\n"),
            file("src/changed.rs", "one\n2\nthree\n"),
            file("src/new.rs", "new\n"),
        ];

        let changes = compare(&dir, &expected).unwrap();
        let summary: Vec<(&str, &str)> = changes
            .iter()
            .map(|change| {
                let kind = match change {
                    Change::Differs { .. } => "differs",
                    Change::Added { .. } => "added",
                    Change::Removed { .. } => "removed",
                };
                (change.path(), kind)
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("old/stale.rs", "removed"),
                ("src/changed.rs", "differs"),
                ("src/new.rs", "added")
            ]
        );
        let Change::Differs { diff, .. } = &changes[1] else {
            unreachable!()
        };
        assert_eq!(
            diff,
            "--- snapshot/src/changed.rs\n+++ generated/src/changed.rs\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n"
        );

        assert_eq!(bless(&dir, &expected).unwrap(), changes);
        assert!(compare(&dir, &expected).unwrap().is_empty());
        assert!(!dir.join("old").exists(), "an emptied directory goes");
        let modified = fs::metadata(dir.join("same.rs"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(modified, long_ago, "an unchanged file is not rewritten");
        assert_eq!(fs::read_to_string(dir.join("src/new.rs")).unwrap(), "new\n");

        // Blessing nothing removes the snapshot altogether.
        bless(&dir, &[]).unwrap();
        assert!(!dir.exists());
    }

    #[test]
    fn a_missing_snapshot_is_all_new_files() {
        let dir = scratch("missing");
        let changes = compare(&dir, &[file("Cargo.toml", "[package]\n")]).unwrap();
        assert_eq!(
            changes,
            [Change::Added {
                path: "Cargo.toml".to_owned()
            }]
        );
        assert!(report("snapshots/x", &changes).contains("new (not in the snapshot): Cargo.toml"));
    }
}
