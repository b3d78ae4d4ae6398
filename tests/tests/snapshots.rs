//! The snapshot test: every fixture spec in `tests/fixtures/` is generated and compared,
//! file by file, with its checked-in crate in `tests/snapshots/<fixture>/` (plus `ir.txt`,
//! the lowered IR). A difference fails with a unified diff per file; `FORGE_BLESS=1`
//! rewrites the snapshots instead. The snapshot crates are workspace members, so
//! `cargo test --workspace` and `cargo clippy --workspace` compile what is blessed here.

use forge_tests::fixture;
use forge_tests::snapshot::{self, BLESS_COMMAND};

#[test]
fn every_fixture_matches_its_snapshot() {
    let bless = snapshot::blessing();
    let fixtures = fixture::all();
    assert!(!fixtures.is_empty(), "no fixture specs found");
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let dir = fixture.snapshot_dir();
        let heading = format!("tests/snapshots/{}", fixture.name);
        let expected = fixture.snapshot_files();
        if bless {
            let new_crate = !dir.exists();
            let changes = snapshot::bless(&dir, &expected)
                .unwrap_or_else(|err| panic!("cannot bless {heading}: {err}"));
            for change in &changes {
                eprintln!("blessed {heading}/{}", change.path());
            }
            if new_crate {
                eprintln!("{heading} is a new workspace member: commit Cargo.lock too");
            }
        } else if !dir.exists() {
            failures.push(format!(
                "fixture {} has no snapshot ({heading}/ is missing); write it with `{BLESS_COMMAND}`\n",
                fixture.source()
            ));
        } else {
            let changes = snapshot::compare(&dir, &expected)
                .unwrap_or_else(|err| panic!("cannot read {heading}: {err}"));
            if !changes.is_empty() {
                failures.push(snapshot::report(&heading, &changes));
            }
        }
    }
    for orphan in fixture::orphan_snapshots(&fixtures) {
        let name = orphan.file_name().unwrap_or_default().to_string_lossy();
        let heading = format!("tests/snapshots/{name}");
        if bless {
            snapshot::bless(&orphan, &[])
                .unwrap_or_else(|err| panic!("cannot remove {heading}: {err}"));
            eprintln!("removed {heading} (its fixture is gone)");
        } else {
            failures.push(format!(
                "{heading} has no fixture spec in tests/fixtures any more; remove it with `{BLESS_COMMAND}`\n"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "the generated code differs from the snapshots:\n\n{}\nIf the change is intended, accept it with `{BLESS_COMMAND}` and review the diff.",
        failures.join("\n")
    );
}
