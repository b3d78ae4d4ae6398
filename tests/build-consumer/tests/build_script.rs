//! `cargo build` of a scratch crate whose `build.rs` generates from a spec with
//! `forge_codegen::build::Builder`: editing the spec regenerates on the next build (and only
//! then), and a spec the generator refuses fails the build with the spec's path, the JSON
//! pointer and the line and column of the offending node.
//!
//! The scratch crate depends only on forge-codegen (its lib holds the generated text, not the
//! compiled client), builds `--offline` with a copy of the workspace's `Cargo.lock`, and
//! keeps its target directory under `target/tmp`, so only the first run compiles anything.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SPEC: &str = "openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
        born: {type: string, format: date-time}
";

const BUILD_RS: &str = r#"fn main() -> Result<(), Box<dyn std::error::Error>> {
    forge_codegen::build::Builder::new("spec.yaml").generate()?;
    Ok(())
}
"#;

const LIB_RS: &str = r#"//! The generated client's text (compiling it is the consumer crate's job).
pub const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/spec.rs"));
"#;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn scratch_crate() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-script-crate");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("src")).expect("mkdir");
    let manifest = format!(
        "[package]\nname = \"forge-build-scratch\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[build-dependencies]\nforge-codegen = {{ path = {:?} }}\n\n\
         [workspace]\n",
        workspace().join("codegen").display().to_string()
    );
    fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock file");
    fs::write(dir.join("build.rs"), BUILD_RS).expect("build.rs");
    fs::write(dir.join("src/lib.rs"), LIB_RS).expect("lib.rs");
    fs::write(dir.join("spec.yaml"), SPEC).expect("spec");
    dir
}

fn cargo_build(dir: &Path) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    Command::new(cargo)
        .args(["build", "--offline", "-v", "--color", "never"])
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-script-target"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The generated file in the scratch crate's `OUT_DIR` (there is one build-script output
/// directory, as the build script never changes).
fn generated() -> String {
    let build = Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-script-target/debug/build");
    let mut found: Vec<PathBuf> = fs::read_dir(&build)
        .expect("build dir")
        .filter_map(|entry| entry.ok().map(|e| e.path().join("out/spec.rs")))
        .filter(|path| path.is_file())
        .collect();
    found.sort_by_key(|path| fs::metadata(path).and_then(|m| m.modified()).ok());
    fs::read_to_string(found.last().expect("a generated spec.rs")).expect("read")
}

fn ran_build_script(output: &Output) -> bool {
    stderr(output).lines().any(|line| {
        line.contains("Running")
            && line.contains("forge-build-scratch")
            && line.contains("build-script-build")
    })
}

#[test]
fn editing_the_spec_regenerates_and_a_refused_spec_fails_the_build_with_its_location() {
    let dir = scratch_crate();

    let first = cargo_build(&dir);
    assert!(first.status.success(), "first build: {}", stderr(&first));
    assert!(generated().contains("pub fn list_pets<'a>("));

    // Nothing changed: the build script does not run again.
    let again = cargo_build(&dir);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        !ran_build_script(&again),
        "reran without a change: {}",
        stderr(&again)
    );

    // An edited spec regenerates.
    let edited = SPEC.replace("operationId: listPets", "operationId: listAllPets");
    fs::write(dir.join("spec.yaml"), edited).expect("edit spec");
    let rebuilt = cargo_build(&dir);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    assert!(ran_build_script(&rebuilt), "{}", stderr(&rebuilt));
    let text = generated();
    assert!(text.contains("pub async fn list_all_pets("), "{text}");
    assert!(!text.contains("pub async fn list_pets("), "{text}");

    // A construct the generator refuses: the build fails and says where.
    let refused = SPEC.replace("{type: string, format: date-time}", "{not: {type: string}}");
    fs::write(dir.join("spec.yaml"), refused).expect("break spec");
    let failed = cargo_build(&dir);
    let message = stderr(&failed);
    assert!(
        !failed.status.success(),
        "a refused spec must fail the build"
    );
    assert!(
        message.contains("spec.yaml: the spec uses 1 construct(s) the generator cannot represent"),
        "{message}"
    );
    assert!(
        message.contains("/components/schemas/Pet/properties/born (line 19, column 9): `not`"),
        "{message}"
    );

    // A document that does not parse: same, with the parser's position.
    let broken = SPEC.replace("name: {type: string}", "name: {type: [string}");
    fs::write(dir.join("spec.yaml"), broken).expect("break spec");
    let failed = cargo_build(&dir);
    let message = stderr(&failed);
    assert!(!failed.status.success());
    assert!(
        message.contains("spec.yaml: (document root) (line 18"),
        "{message}"
    );
    assert!(message.contains("not valid YAML"), "{message}");

    // Fixing it builds again.
    fs::write(dir.join("spec.yaml"), SPEC).expect("fix spec");
    let fixed = cargo_build(&dir);
    assert!(fixed.status.success(), "{}", stderr(&fixed));
    assert!(generated().contains("pub async fn list_pets("));
}
