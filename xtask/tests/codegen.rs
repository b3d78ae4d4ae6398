//! `cargo xtask codegen` and `--check` on the real tree and on scratch copies of it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    xtask::project_root()
}

/// A scratch copy of what codegen reads and writes: the spec, the overlay and `generated/`.
fn scratch_copy(name: &str) -> PathBuf {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&scratch);
    for dir in ["spec", "xtask/overlay", "generated"] {
        copy_dir(&root().join(dir), &scratch.join(dir));
    }
    scratch
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read_dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy");
        }
    }
}

fn xtask(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("XTASK_PROJECT_ROOT", root)
        .output()
        .expect("xtask runs")
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = fs::read(&path).expect("read");
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn checked_in_generated_crate_is_up_to_date() {
    let expected = xtask::expected_files(&root()).expect("the spec generates");
    let stale = xtask::stale_files(&root(), &expected);
    assert!(
        stale.is_empty(),
        "generated/ is stale ({stale:?}); run `cargo xtask codegen` and commit the result"
    );
}

#[test]
fn editing_a_description_is_caught_and_regenerating_fixes_it() {
    let scratch = scratch_copy("edit-description");
    let spec = scratch.join(xtask::SPEC);
    let text = fs::read_to_string(&spec).expect("spec");
    let edited = text.replacen(
        "Whether the subscription is currently active.",
        "Whether events flow.",
        1,
    );
    assert_ne!(text, edited, "the description to edit exists");
    fs::write(&spec, edited).expect("write spec");
    // A file in generated/ that the generator does not own must survive regeneration.
    fs::write(scratch.join("generated/NOTES.md"), "hand-written").expect("write notes");

    let check = xtask(&scratch, &["codegen", "--check"]);
    assert!(
        !check.status.success(),
        "the check must fail on a stale tree"
    );
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        stderr.contains("generated/src/types.rs"),
        "names the stale file: {stderr}"
    );
    assert!(
        stderr.contains("cargo xtask codegen"),
        "says what to run: {stderr}"
    );

    let write = xtask(&scratch, &["codegen"]);
    assert!(
        write.status.success(),
        "{}",
        String::from_utf8_lossy(&write.stderr)
    );
    let stdout = String::from_utf8_lossy(&write.stdout);
    assert!(
        stdout.contains("wrote generated/src/types.rs") && stdout.contains("1 of"),
        "only the changed file: {stdout}"
    );
    assert!(fs::read_to_string(scratch.join("generated/src/types.rs"))
        .expect("types")
        .contains("Whether events flow."));
    assert_eq!(
        fs::read_to_string(scratch.join("generated/NOTES.md")).expect("notes"),
        "hand-written"
    );

    let check = xtask(&scratch, &["codegen", "--check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn a_failed_generation_leaves_generated_untouched() {
    let scratch = scratch_copy("failed-generation");
    let spec = scratch.join(xtask::SPEC);
    let text = fs::read_to_string(&spec).expect("spec");
    // A `not` schema: the generator must refuse, naming where.
    let broken = text.replacen(
        "$ref: '#/components/schemas/Webhook'",
        "not: {type: string}",
        1,
    );
    assert_ne!(text, broken);
    fs::write(&spec, broken).expect("write spec");
    let before = snapshot(&scratch.join("generated"));

    let run = xtask(&scratch, &["codegen"]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("/paths/~1api~1v2~1webhooks/post/responses/200")
            && stderr.contains("`not`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line "),
        "the error carries a line number: {stderr}"
    );
    assert!(stderr.contains("left untouched"), "{stderr}");
    assert_eq!(before, snapshot(&scratch.join("generated")));
}

#[test]
fn orphaned_generated_files_are_removed_and_others_kept() {
    let scratch = scratch_copy("orphans");
    let header = "// @generated by cargo xtask codegen from spec/dialpad-sms-subscriptions.yaml; do not edit.\n";
    fs::write(
        scratch.join("generated/src/old.rs"),
        format!("{header}pub struct Old;\n"),
    )
    .expect("write");
    fs::write(scratch.join("generated/src/mine.rs"), "// no marker\n").expect("write");
    let check = xtask(&scratch, &["codegen", "--check"]);
    assert!(String::from_utf8_lossy(&check.stderr).contains("generated/src/old.rs"));
    assert!(xtask(&scratch, &["codegen"]).status.success());
    assert!(!scratch.join("generated/src/old.rs").exists());
    assert!(scratch.join("generated/src/mine.rs").exists());
}

#[test]
fn a_run_killed_before_the_swap_leaves_generated_intact_and_the_next_run_recovers() {
    let scratch = scratch_copy("killed-run");
    let spec = scratch.join(xtask::SPEC);
    let text = fs::read_to_string(&spec).expect("spec");
    fs::write(
        &spec,
        text.replacen(
            "Whether the subscription is currently active.",
            "Edited.",
            1,
        ),
    )
    .expect("write spec");
    let before = snapshot(&scratch.join("generated"));

    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen"])
        .env("XTASK_PROJECT_ROOT", &scratch)
        .env("XTASK_PAUSE_BEFORE_SWAP_MS", "20000")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("xtask starts");
    // Wait until the complete new tree sits in the staging directory, then kill the run.
    let staging = |scratch: &Path| {
        fs::read_dir(scratch)
            .expect("scratch lists")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(".generated.staging-"))
            })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let staged = loop {
        if let Some(dir) = staging(&scratch) {
            if fs::read_to_string(dir.join("src/types.rs")).is_ok_and(|t| t.contains("Edited.")) {
                break dir;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the run never staged its output"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    child.kill().expect("kill");
    let _ = child.wait();
    assert!(staged.exists(), "killed with the staging tree in place");
    assert_eq!(
        before,
        snapshot(&scratch.join("generated")),
        "generated/ is untouched"
    );

    // The next run clears the leftover and swaps in the new tree.
    let run = xtask(&scratch, &["codegen"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        staging(&scratch).is_none(),
        "the leftover staging tree is gone"
    );
    assert!(fs::read_to_string(scratch.join("generated/src/types.rs"))
        .expect("types")
        .contains("Edited."));
    assert!(xtask(&scratch, &["codegen", "--check"]).status.success());
}
