//! The `cargo xtask` command line through its binary: help texts, refused overwrites, crate
//! names, the runtime dependency of a `--out` crate, and how errors name the spec.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The spec of the checked-in client, as a `--spec` argument.
fn spec() -> PathBuf {
    xtask::project_root().join(xtask::SPEC)
}

/// A fresh, empty scratch directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("mkdir");
    dir
}

fn xtask_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("xtask runs")
}

fn xtask(args: &[&str]) -> Output {
    xtask_in(&xtask::project_root(), args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn every_command_has_a_help_with_every_flag_its_default_and_the_exit_codes() {
    let cases: [(&[&str], &[&str]); 4] = [
        (&["--help"], &["codegen", "corpus", "bench"]),
        (
            &["codegen", "--help"],
            &[
                "--check",
                "--deny-warnings",
                "--out DIR",
                "--spec FILE",
                "--name CRATE",
                "--runtime-version",
                "--tag T",
                "--path-prefix P",
                "--operation ID",
            ],
        ),
        (
            &["corpus", "--help"],
            &[
                "--keep DIR",
                "--json FILE",
                "--no-check",
                "--examples",
                "PATH",
            ],
        ),
        (&["bench", "-h"], &["--json FILE", "--quick", "--peers"]),
    ];
    for (args, flags) in cases {
        let output = xtask(args);
        let text = stdout(&output);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        for flag in flags {
            assert!(
                text.contains(flag),
                "{args:?} does not mention {flag}:\n{text}"
            );
        }
        assert!(text.contains("exit codes: 0"), "{args:?}:\n{text}");
        if args.len() > 1 {
            assert!(text.contains("default"), "{args:?}:\n{text}");
        }
    }
    // A wrong flag is a usage error (2) that points to --help.
    let output = xtask(&["codegen", "--bogus"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unknown codegen argument --bogus"));
    assert!(stderr(&output).contains("--help"));
}

#[test]
fn out_never_overwrites_a_file_without_the_generated_header() {
    let dir = scratch("hand-written");
    let handwritten = "[package]\nname = \"mine\"\n";
    fs::write(dir.join("Cargo.toml"), handwritten).expect("write");
    let spec = spec();
    let output = xtask(&[
        "codegen",
        "--out",
        dir.to_str().expect("utf-8"),
        "--spec",
        spec.to_str().expect("utf-8"),
        "--name",
        "mine",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let err = stderr(&output);
    assert!(err.contains("refusing to overwrite"), "{err}");
    assert!(
        err.contains(&dir.join("Cargo.toml").display().to_string()),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(dir.join("Cargo.toml")).expect("kept"),
        handwritten
    );
    assert!(!dir.join("src").exists(), "nothing was written");
}

#[test]
fn crate_names_are_validated() {
    let dir = scratch("bad-name");
    let out = dir.join("out");
    let output = xtask(&[
        "codegen",
        "--out",
        out.to_str().expect("utf-8"),
        "--name",
        "My Crate",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("\"My Crate\" is not a valid crate name"),
        "{err}"
    );
    assert!(err.contains("ASCII letters, digits, `-` and `_`"), "{err}");
    assert!(!out.exists());

    // A name from a spec file name is checked too.
    let spec = dir.join("my api.yaml");
    fs::copy(self::spec(), &spec).expect("copy");
    let output = xtask(&[
        "codegen",
        "--out",
        out.to_str().expect("utf-8"),
        "--spec",
        spec.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("pass --name"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_runtime_is_referred_to_by_a_relative_path_or_by_version() {
    let dir = scratch("relative");
    let out = dir.join("client");
    let output = xtask(&["codegen", "--out", out.to_str().expect("utf-8")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest = fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    let line = manifest
        .lines()
        .find(|l| l.starts_with("forge-runtime"))
        .expect("a runtime dependency");
    let relative = xtask::relative_path(&out, &xtask::project_root().join("runtime"));
    assert!(relative.starts_with("../"), "{relative}");
    assert_eq!(line, format!("forge-runtime = {{ path = \"{relative}\" }}"));
    assert!(
        out.join(&relative).join("Cargo.toml").is_file(),
        "{relative} from the output dir is the runtime"
    );

    let versioned = dir.join("versioned");
    let output = xtask(&[
        "codegen",
        "--out",
        versioned.to_str().expect("utf-8"),
        "--runtime-version",
        "0.1.0",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest = fs::read_to_string(versioned.join("Cargo.toml")).expect("manifest");
    assert!(manifest.contains("forge-runtime = \"0.1.0\""), "{manifest}");
}

#[test]
fn messages_name_the_spec_as_given_say_when_it_is_empty_and_locate_once() {
    let dir = scratch("messages");
    let out = dir.join("out");
    fs::create_dir_all(dir.join("specs")).expect("mkdir");
    let run = |spec: &str| {
        let output = xtask_in(
            &dir,
            &["codegen", "--out", "out", "--spec", spec, "--name", "x"],
        );
        assert_eq!(output.status.code(), Some(1), "{spec}");
        stderr(&output)
    };

    let err = run("specs/missing.yaml");
    assert!(err.contains("cannot read specs/missing.yaml"), "{err}");

    fs::write(dir.join("specs/empty.yaml"), "\n  \n").expect("write");
    let err = run("specs/empty.yaml");
    assert!(err.contains("specs/empty.yaml"), "{err}");
    assert!(err.contains("the file is empty"), "{err}");
    assert!(!err.contains("openapi version"), "{err}");

    fs::write(dir.join("specs/broken.yaml"), "openapi: 3.0.3\ninfo: [a\n").expect("write");
    let err = run("specs/broken.yaml");
    assert!(err.contains("not valid YAML"), "{err}");
    // The error's own location once (serde_yaml may add where the enclosing node started).
    assert!(err.contains("(line 3, column 1)"), "{err}");
    assert_eq!(err.matches("line 3").count(), 1, "the location once: {err}");
    assert!(!out.exists());
}

#[test]
fn corpus_prints_a_progress_line_per_spec() {
    let dir = scratch("corpus");
    fs::create_dir_all(dir.join("specs")).expect("mkdir");
    fs::copy(spec(), dir.join("specs/a-good.yaml")).expect("copy");
    fs::write(dir.join("specs/b-empty.yaml"), "").expect("write");
    let output = xtask(&[
        "corpus",
        "--no-check",
        "--keep",
        dir.join("work").to_str().expect("utf-8"),
        dir.join("specs").to_str().expect("utf-8"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    let progress: Vec<&str> = err.lines().filter(|l| l.starts_with('[')).collect();
    assert_eq!(progress.len(), 2, "{err}");
    assert!(
        progress[0].starts_with("[1/2] a-good.yaml: generated in "),
        "{err}"
    );
    assert!(
        progress[1].starts_with("[2/2] b-empty.yaml: rejected in "),
        "{err}"
    );
    assert!(
        stdout(&output).contains("corpus: 2 specs"),
        "{}",
        stdout(&output)
    );
}
