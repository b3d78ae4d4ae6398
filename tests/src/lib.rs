//! Setup shared by the workspace tests in `tests/tests/`: the fixture specs and how each is
//! generated ([`fixture`]), the checked-in snapshots they are compared with ([`snapshot`]),
//! and the Dialpad client as the end-to-end tests drive it ([`dialpad`]). Test files import these instead of keeping their own copies, so a fixture
//! is generated the same way by every test that reads it.

pub mod dialpad;
pub mod fixture;
pub mod snapshot;

use std::path::{Path, PathBuf};

/// The workspace root (the parent of this package's `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}
