//! `cargo xtask corpus [--keep DIR] [--json FILE] PATH...`: runs the generator over many
//! real-world specs and compiles what it produces.
//!
//! Every spec lands in exactly one bucket: compiled; rejected (the generator returned an
//! error naming a JSON pointer); broken (generated, but `cargo check` fails); panicked (the
//! generator panicked). Generation runs in-process under `catch_unwind`; the generated
//! crates are checked one by one with a shared target directory, so dependencies build once.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use forge_codegen::{Error, File, Settings};

/// Options of one corpus run.
#[derive(Debug, Default)]
pub struct Options {
    /// Where to leave the generated crates (one folder per spec stem).
    pub keep: Option<PathBuf>,
    /// Where to write the rows as JSON.
    pub json: Option<PathBuf>,
    /// Spec files or folders of them.
    pub paths: Vec<PathBuf>,
    /// Generate only; skip `cargo check` (a quick look at what is rejected).
    pub no_check: bool,
    /// Also build and run each compiled crate's example tests, counting the examples that
    /// decode (slow: it builds every crate's test target).
    pub examples: bool,
}

/// What happened to one spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Generated and `cargo check` passed.
    Compiled,
    /// The generator refused the spec; the message names the pointer.
    Rejected(String),
    /// Generated, but the crate does not compile; the first compiler error.
    Broken(String),
    /// The generator panicked.
    Panicked(String),
}

impl Outcome {
    fn label(&self) -> &'static str {
        match self {
            Outcome::Compiled => "compiled",
            Outcome::Rejected(_) => "rejected",
            Outcome::Broken(_) => "broken",
            Outcome::Panicked(_) => "panicked",
        }
    }

    fn detail(&self) -> &str {
        match self {
            Outcome::Compiled => "",
            Outcome::Rejected(d) | Outcome::Broken(d) | Outcome::Panicked(d) => d,
        }
    }
}

/// One row of the report.
#[derive(Debug, Clone)]
pub struct Row {
    /// The spec file's name.
    pub name: String,
    /// Operations in the document (counted from the raw JSON, so also for rejected specs).
    pub operations: usize,
    /// Component schemas in the document.
    pub schemas: usize,
    /// Lines of Rust generated (0 when nothing was generated).
    pub lines: usize,
    /// JSON examples in the spec that have a generated type.
    pub examples: usize,
    /// Of those, how many decode and encode back (when `--examples` ran them).
    pub examples_ok: Option<usize>,
    /// Names and messages of the examples that failed (when run).
    pub example_failures: Vec<String>,
    /// The bucket.
    pub outcome: Outcome,
    /// Time spent generating.
    pub generate: Duration,
    /// Time spent in `cargo check` of this crate alone.
    pub check: Duration,
}

/// Spec files under `paths`, sorted by name within each argument.
pub fn spec_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = fs::read_dir(path)
                .map_err(|e| format!("cannot list {}: {e}", path.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && is_spec(p))
                .collect();
            found.sort();
            out.extend(found);
        } else if path.is_file() {
            out.push(path.clone());
        } else {
            return Err(format!("{} does not exist", path.display()));
        }
    }
    Ok(out)
}

fn is_spec(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("json" | "yaml" | "yml")
    )
}

/// Counts operations and component schemas in the raw document, whatever its version.
fn counts(text: &str) -> (usize, usize) {
    let value: Option<serde_json::Value> = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).ok()
    } else {
        serde_yaml::from_str(text).ok()
    };
    let Some(value) = value else { return (0, 0) };
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let operations = value
        .get("paths")
        .and_then(|p| p.as_object())
        .map(|paths| {
            paths
                .values()
                .filter_map(|item| item.as_object())
                .map(|item| {
                    item.keys()
                        .filter(|k| METHODS.contains(&k.as_str()))
                        .count()
                })
                .sum()
        })
        .unwrap_or(0);
    let schemas = value
        .pointer("/components/schemas")
        .and_then(|s| s.as_object())
        .map_or(0, |s| s.len());
    (operations, schemas)
}

/// The crate (package) name for a spec stem.
fn crate_name(stem: &str) -> String {
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("corpus-{}", cleaned.trim_matches('-'))
}

enum Generated {
    Files(Vec<File>),
    Rejected(String),
    Panicked(String),
}

fn generate(text: &str, settings: &Settings) -> Generated {
    let result = std::panic::catch_unwind(|| {
        let document = forge_codegen::load::parse(text)?;
        forge_codegen::generate(&document, settings)
    });
    match result {
        Ok(Ok(files)) => Generated::Files(files),
        Ok(Err(err)) => Generated::Rejected(first_line(&rejection(&err))),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "(non-string panic payload)".to_owned());
            Generated::Panicked(first_line(&message))
        }
    }
}

fn rejection(err: &Error) -> String {
    match err {
        Error::Unsupported(diagnostics) => match diagnostics.first() {
            Some(first) if diagnostics.len() > 1 => {
                format!("{first} (+{} more)", diagnostics.len() - 1)
            }
            Some(first) => first.to_string(),
            None => err.to_string(),
        },
        other => other.to_string(),
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    let mut out: String = line.chars().take(220).collect();
    if line.chars().count() > 220 {
        out.push('…');
    }
    out
}

/// Runs the whole corpus; returns the rows and whether it passed (no broken, no panicked).
pub fn run(options: &Options, root: &Path) -> Result<(Vec<Row>, bool), String> {
    let specs = spec_files(&options.paths)?;
    if specs.is_empty() {
        return Err("no .json, .yaml or .yml spec files found".to_owned());
    }
    let work = match &options.keep {
        Some(dir) => dir.clone(),
        None => root.join("target").join("corpus"),
    };
    let crates_dir = work.join("crates");
    let _ = fs::remove_dir_all(&crates_dir);
    fs::create_dir_all(&crates_dir)
        .map_err(|e| format!("cannot create {}: {e}", crates_dir.display()))?;
    let runtime = root.join("runtime");

    // Silence the default panic message; the row reports it.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut rows = Vec::new();
    let mut members = Vec::new();
    for spec in &specs {
        let name = spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = spec
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text =
            fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
        let (operations, schemas) = counts(&text);
        let mut settings = Settings::new(crate_name(&stem));
        settings
            .runtime_dependency(format!("{{ path = {:?} }}", runtime.display().to_string()))
            .provenance(name.clone(), "cargo xtask corpus")
            .example_tests(true);
        let started = Instant::now();
        let generated = generate(&text, &settings);
        let generate_time = started.elapsed();
        let (outcome, lines, examples) = match generated {
            Generated::Rejected(message) => (Outcome::Rejected(message), 0, 0),
            Generated::Panicked(message) => (Outcome::Panicked(message), 0, 0),
            Generated::Files(files) => {
                let dir = crates_dir.join(&stem);
                write_crate(&dir, &files)?;
                members.push((rows.len(), stem.clone()));
                let lines = files
                    .iter()
                    .filter(|f| f.path.ends_with(".rs"))
                    .filter(|f| f.path.starts_with("src/"))
                    .map(|f| f.contents.lines().count())
                    .sum();
                let examples = files
                    .iter()
                    .find(|f| f.path == "tests/examples.rs")
                    .map_or(0, |f| f.contents.matches("#[test]").count());
                (Outcome::Compiled, lines, examples)
            }
        };
        let verdict = match &outcome {
            Outcome::Compiled => "generated",
            Outcome::Rejected(_) => "rejected",
            _ => "panicked",
        };
        // Progress on stderr, one line per spec as it finishes; the report goes to stdout.
        eprintln!(
            "[{}/{}] {name}: {verdict} in {:.2} s",
            rows.len() + 1,
            specs.len(),
            generate_time.as_secs_f64()
        );
        rows.push(Row {
            name,
            operations,
            schemas,
            lines,
            examples,
            examples_ok: None,
            example_failures: Vec::new(),
            outcome,
            generate: generate_time,
            check: Duration::ZERO,
        });
    }
    std::panic::set_hook(previous_hook);

    if !members.is_empty() && !options.no_check {
        let list: Vec<String> = members
            .iter()
            .map(|(_, stem)| format!("\"crates/{stem}\""))
            .collect();
        let manifest = format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            list.join(", ")
        );
        fs::write(work.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        let _ = fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock"));
        for (position, (index, stem)) in members.iter().enumerate() {
            let started = Instant::now();
            let result = cargo_check(&work, &crate_name(stem));
            rows[*index].check = started.elapsed();
            eprintln!(
                "[check {}/{}] {}: {} in {:.1} s",
                position + 1,
                members.len(),
                rows[*index].name,
                if result.is_ok() { "compiles" } else { "broken" },
                rows[*index].check.as_secs_f64()
            );
            if let Err(first_error) = result {
                rows[*index].outcome = Outcome::Broken(first_error);
            } else if options.examples && rows[*index].examples > 0 {
                let (ok, failures) = run_examples(&work, &crate_name(stem));
                rows[*index].examples_ok = Some(ok);
                rows[*index].example_failures = failures;
            }
        }
    }
    let passed = !rows
        .iter()
        .any(|r| matches!(r.outcome, Outcome::Broken(_) | Outcome::Panicked(_)));
    Ok((rows, passed))
}

fn write_crate(dir: &Path, files: &[File]) -> Result<(), String> {
    for file in files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        fs::write(&path, &file.contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// `cargo check -p NAME` in the corpus workspace; on failure, the first error message.
fn cargo_check(work: &Path, package: &str) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "check",
            "--quiet",
            "--message-format",
            "short",
            "-p",
            package,
        ])
        .current_dir(work)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr
        .lines()
        .find(|line| line.contains("error"))
        .unwrap_or("cargo check failed without an error line");
    Err(first_line(first))
}

/// Runs a crate's example tests; the number that passed and one line per failure.
fn run_examples(work: &Path, package: &str) -> (usize, Vec<String>) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "test",
            "--quiet",
            "-p",
            package,
            "--test",
            "examples",
            "--",
            "--test-threads",
            "2",
        ])
        .current_dir(work)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .output();
    let Ok(output) = output else {
        return (0, vec!["cannot run cargo test".to_owned()]);
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let passed = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("test result: "))
        .filter_map(|rest| {
            rest.split("; ").find_map(|part| {
                part.split_once(" passed").map(|(n, _)| {
                    n.trim_start_matches(|c: char| !c.is_ascii_digit())
                        .to_owned()
                })
            })
        })
        .filter_map(|n| n.parse::<usize>().ok())
        .sum();
    // Each failure prints `example <name> (<pointer>): <reason>` from assert_example.
    let failures = stdout
        .lines()
        .filter(|line| line.starts_with("example "))
        .map(first_line)
        .collect();
    (passed, failures)
}

/// The report: one row per spec, then the summary line (always last).
pub fn report(rows: &[Row]) -> String {
    let mut out = String::new();
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
    let _ = writeln!(
        out,
        "{:<width$}  {:>5}  {:>5}  {:>7}  {:>9}  {:<8}  {:>6}  {:>6}  detail",
        "spec", "ops", "types", "lines", "examples", "outcome", "gen s", "chk s"
    );
    for row in rows {
        let _ = writeln!(
            out,
            "{:<width$}  {:>5}  {:>5}  {:>7}  {:>9}  {:<8}  {:>6.2}  {:>6.2}  {}",
            row.name,
            row.operations,
            row.schemas,
            row.lines,
            match row.examples_ok {
                Some(ok) => format!("{ok}/{}", row.examples),
                None => format!("-/{}", row.examples),
            },
            row.outcome.label(),
            row.generate.as_secs_f64(),
            row.check.as_secs_f64(),
            row.outcome.detail()
        );
    }
    for row in rows.iter().filter(|r| !r.example_failures.is_empty()) {
        for failure in &row.example_failures {
            let _ = writeln!(out, "{}: {failure}", row.name);
        }
    }
    let count = |label: &str| rows.iter().filter(|r| r.outcome.label() == label).count();
    let _ = write!(
        out,
        "corpus: {} specs, {} compiled, {} rejected, {} broken, {} panicked",
        rows.len(),
        count("compiled"),
        count("rejected"),
        count("broken"),
        count("panicked")
    );
    out
}

/// The rows as a JSON array.
pub fn json(rows: &[Row]) -> String {
    let values: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| {
            serde_json::json!({
                "name": row.name,
                "operations": row.operations,
                "schemas": row.schemas,
                "lines": row.lines,
                "examples": row.examples,
                "examples_decoded": row.examples_ok,
                "example_failures": row.example_failures,
                "outcome": row.outcome.label(),
                "detail": row.outcome.detail(),
                "generate_seconds": row.generate.as_secs_f64(),
                "check_seconds": row.check.as_secs_f64(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&values).unwrap_or_else(|_| "[]".to_owned())
}
