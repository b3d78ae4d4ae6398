//! Parameter styles end to end. The `parameters_styles` fixture has one operation per
//! location, style and explode setting; its client is generated into a scratch crate with
//! `fixtures/parameters_styles_probe.rs` as an example program, which calls every operation
//! against a loopback server that records the raw request. Each request's path, query string,
//! header and cookie must be exactly what OpenAPI 3.0.3 "Style Values" says.

use std::path::{Path, PathBuf};
use std::process::Command;

use forge_codegen::{Diagnostic, Settings};

/// Operation, request target, `X-Color` header, `Cookie` header (`-`: absent).
const EXPECTED: &[(&str, &str, &str, &str)] = &[
    ("pathSimpleArray", "/path/simple/blue,black,brown", "-", "-"),
    (
        "pathSimpleObject",
        "/path/simple-object/R,100,G,200,B,150",
        "-",
        "-",
    ),
    (
        "pathSimpleExploded",
        "/path/simple-exploded/R=100,G=200,B=150",
        "-",
        "-",
    ),
    ("pathLabel", "/path/label.blue.black.brown", "-", "-"),
    (
        "pathLabelExploded",
        "/path/label-exploded.R=100.G=200.B=150",
        "-",
        "-",
    ),
    (
        "pathMatrix",
        "/path/matrix;color=blue,black,brown",
        "-",
        "-",
    ),
    (
        "pathMatrixExploded",
        "/path/matrix-exploded;R=100;G=200;B=150",
        "-",
        "-",
    ),
    (
        "pathMatrixString",
        "/path/matrix-string;color=blue",
        "-",
        "-",
    ),
    // `style: deepObject` in a path: warned about, sent in the default `simple` style.
    ("pathMisplacedStyle", "/path/misplaced/a%2Fb%20c", "-", "-"),
    // The issue's case: an object without a style is form-exploded, one pair per property.
    (
        "queryFormObject",
        "/query/form-object?status=open",
        "-",
        "-",
    ),
    (
        "queryFormArray",
        "/query/form-array?color=blue&color=black&color=brown",
        "-",
        "-",
    ),
    // A comma inside a value is encoded; the separator stays literal.
    (
        "queryFormJoined",
        "/query/form-joined?color=blue,a%2Cb",
        "-",
        "-",
    ),
    (
        "queryFormObjectJoined",
        "/query/form-object-joined?color=R,100,G,200,B,150",
        "-",
        "-",
    ),
    (
        "querySpaceDelimited",
        "/query/space-delimited?color=blue%20black%20brown",
        "-",
        "-",
    ),
    (
        "queryPipeDelimited",
        "/query/pipe-delimited?color=blue|black|brown",
        "-",
        "-",
    ),
    (
        "queryDeepObject",
        "/query/deep-object?filter[status]=open",
        "-",
        "-",
    ),
    // Reserved characters pass; `=` would change the query's structure and does not.
    (
        "queryAllowReserved",
        "/query/allow-reserved?next=/a/b?c%3Dd",
        "-",
        "-",
    ),
    (
        "headerSimpleArray",
        "/header/simple-array",
        "blue,black,brown",
        "-",
    ),
    (
        "headerSimpleExploded",
        "/header/simple-exploded",
        "R=100,G=200,B=150",
        "-",
    ),
    (
        "cookieFormArray",
        "/cookie/form-array",
        "-",
        "color=blue; color=black; color=brown",
    ),
    (
        "cookieFormJoined",
        "/cookie/form-joined",
        "-",
        "color=blue,black,brown",
    ),
    (
        "cookieFormObject",
        "/cookie/form-object",
        "-",
        "R=100; G=200; B=150",
    ),
];

fn tests_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn settings() -> Settings {
    let mut settings = Settings::new("param-styles-client");
    settings
        .runtime_dependency(format!(
            "{{ path = {:?} }}",
            tests_dir().parent().expect("workspace").join("runtime")
        ))
        .provenance(
            "tests/fixtures/parameters_styles.yaml",
            "the param_styles test",
        )
        // The probe builds values from JSON.
        .serde_both_ways(true);
    settings
}

fn generate(settings: &Settings) -> (Vec<forge_codegen::File>, Vec<Diagnostic>) {
    let text = std::fs::read_to_string(tests_dir().join("fixtures/parameters_styles.yaml"))
        .expect("fixture is readable");
    let document = forge_codegen::load::parse(&text).expect("fixture parses");
    forge_codegen::generate_with_warnings(&document, settings).expect("fixture generates")
}

#[test]
fn a_misplaced_style_is_a_located_warning_and_nothing_else_is() {
    let (files, warnings) = generate(&settings());
    let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    let warning = &warnings[0];
    assert!(
        warning.contains("/paths/~1path~1misplaced~1{color}/get/parameters/0/style"),
        "{warning}"
    );
    assert!(
        warning.contains("style `deepObject` is not defined for path"),
        "{warning}"
    );
    assert!(warning.contains("line 129"), "{warning}");
    // Default styles keep the short calls; the others name their style.
    let client = &files
        .iter()
        .find(|f| f.path == "src/builders.rs")
        .expect("builders")
        .contents;
    assert!(client.contains(r#"request.query("filter", &filter)"#));
    assert!(client.contains("::forge_runtime::Style::DeepObject"));
    assert!(client.contains(".with_allow_reserved(true)"));
    assert!(
        client.contains("::forge_runtime::path_param_styled(\n"),
        "{client}"
    );
}

/// Generates the client and the probe into a scratch workspace, runs the probe, and checks
/// every request it recorded.
#[test]
fn every_style_reaches_the_wire_exactly() {
    let probe = std::fs::read_to_string(tests_dir().join("fixtures/parameters_styles_probe.rs"))
        .expect("probe is readable");
    let mut settings = settings();
    settings
        .extra_file("examples/probe.rs", probe)
        .dev_dependency("serde_json", "\"1.0\"")
        .dev_dependency(
            "tokio",
            r#"{ version = "1.45", features = ["macros", "rt-multi-thread"] }"#,
        );
    let (files, _) = generate(&settings);

    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("param-styles");
    let _ = std::fs::remove_dir_all(scratch.join("client"));
    for file in &files {
        let path = scratch.join("client").join(&file.path);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        std::fs::write(&path, &file.contents).expect("write");
    }
    std::fs::write(
        scratch.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"client\"]\n",
    )
    .expect("write workspace");
    std::fs::copy(
        tests_dir().parent().expect("workspace").join("Cargo.lock"),
        scratch.join("Cargo.lock"),
    )
    .expect("copy lockfile");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["run", "--offline", "--quiet", "--example", "probe"])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", scratch_target())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the probe failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let seen: Vec<Vec<&str>> = stdout
        .lines()
        .map(|line| line.split('\t').collect())
        .collect();
    let expected: Vec<Vec<&str>> = EXPECTED
        .iter()
        .map(|(op, target, color, cookie)| vec![*op, *target, *color, *cookie])
        .collect();
    for (seen, expected) in seen.iter().zip(&expected) {
        assert_eq!(seen, expected);
    }
    assert_eq!(seen.len(), expected.len(), "{stdout}");
}

/// The scratch target the fixture crates use too, so their dependencies build once.
fn scratch_target() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("scratch-target")
}
