//! `cargo xtask corpus [--keep DIR] [--json FILE] [--timeout SECS] PATH...`: runs the
//! generator over many real-world specs and compiles what it produces.
//!
//! Every spec lands in exactly one bucket: compiled; rejected (the generator returned an
//! error naming a JSON pointer); broken (generated, but `cargo check` fails); panicked (the
//! generator panicked); aborted (the generating process died, e.g. of a stack overflow);
//! timed out (it took longer than `--timeout`). Each spec is generated in a child process
//! (this binary again, with the hidden `corpus-generate` subcommand), so that nothing one spec
//! does to its process ends the run; the generated crates are checked one by one with a
//! shared target directory, so dependencies build once.

use std::fmt::Write as _;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use forge_codegen::ir::Coverage;
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
    /// How long one spec's generation may take before its process is killed (default
    /// [`DEFAULT_TIMEOUT`]).
    pub timeout: Option<Duration>,
    /// The executable that generates one spec (`<exe> corpus-generate ...`); this process's
    /// own executable when `None`.
    pub generator: Option<PathBuf>,
}

/// How long one spec's generation may take by default: 5 minutes (the largest specs of the
/// corpus take seconds).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// The environment variable that makes the `corpus-generate` child misbehave on purpose, for
/// the tests of the corpus run itself: `<spec file name>=abort|hang|panic`, several separated
/// by commas.
pub const FAULT_VAR: &str = "FORGE_CORPUS_TEST_FAULT";

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
    /// The generating process died without an answer (a stack overflow, an abort, a signal).
    Aborted(String),
    /// The generating process took longer than the timeout and was killed.
    TimedOut(String),
}

impl Outcome {
    fn label(&self) -> &'static str {
        match self {
            Outcome::Compiled => "compiled",
            Outcome::Rejected(_) => "rejected",
            Outcome::Broken(_) => "broken",
            Outcome::Panicked(_) => "panicked",
            Outcome::Aborted(_) => "aborted",
            Outcome::TimedOut(_) => "timed out",
        }
    }

    fn detail(&self) -> &str {
        match self {
            Outcome::Compiled => "",
            Outcome::Rejected(d)
            | Outcome::Broken(d)
            | Outcome::Panicked(d)
            | Outcome::Aborted(d)
            | Outcome::TimedOut(d) => d,
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
    /// Typed coverage of the spec's schema positions (when it was generated).
    pub coverage: Option<Coverage>,
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
    // Swagger 2.0 keeps its schemas in `definitions`.
    let schemas = value
        .pointer("/components/schemas")
        .or_else(|| value.get("definitions"))
        .and_then(|s| s.as_object())
        .map_or(0, |s| s.len());
    (operations, schemas)
}

/// The crate (package) name for a spec stem.
pub(crate) fn crate_name(stem: &str) -> String {
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

/// What the child process reports on its standard output: one JSON object, `{"outcome":
/// "generated", "lines": N, "examples": M}`, `{"outcome": "rejected", "message": ...}` or
/// `{"outcome": "panicked", "message": ...}`.
enum Generated {
    Files {
        lines: usize,
        examples: usize,
        coverage: Coverage,
    },
    Failed(Outcome),
}

/// The settings every spec is generated with.
fn settings(stem: &str, name: &str, runtime: &Path) -> Settings {
    let mut settings = Settings::new(crate_name(stem));
    settings
        .runtime_dependency(format!("{{ path = {:?} }}", runtime.display().to_string()))
        .provenance(name.to_owned(), "cargo xtask corpus")
        .example_tests(true)
        // Only `cargo xtask conformance` builds this test; `cargo check` leaves it alone.
        .conformance_tests(true);
    settings
}

/// `corpus-generate SPEC CRATE_DIR RUNTIME_DIR`, the child side of a corpus run: generates
/// one spec, writes its crate into `CRATE_DIR`, and prints the JSON line [`Generated`]
/// describes. Panics are caught and reported; anything worse ends this process, which is the
/// point of running it apart.
pub fn generate_child(args: &[&str]) -> ExitCode {
    let [spec, crate_dir, runtime] = args else {
        eprintln!("usage: xtask corpus-generate SPEC CRATE_DIR RUNTIME_DIR");
        return ExitCode::from(2);
    };
    let spec = Path::new(spec);
    let name = spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = spec
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = match fs::read_to_string(spec) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("cannot read {}: {err}", spec.display());
            return ExitCode::FAILURE;
        }
    };
    let settings = settings(&stem, &name, Path::new(runtime));
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| {
        test_fault(&name);
        let document = forge_codegen::load::parse(&text)?;
        let coverage = forge_codegen::lower_document(&document)?.coverage;
        Ok::<_, Error>((forge_codegen::generate(&document, &settings)?, coverage))
    });
    let answer = match result {
        Ok(Ok((files, coverage))) => {
            if let Err(err) = write_crate(Path::new(crate_dir), &files) {
                eprintln!("{err}");
                return ExitCode::FAILURE;
            }
            let lines: usize = files
                .iter()
                .filter(|f| f.path.ends_with(".rs"))
                .filter(|f| f.path.starts_with("src/"))
                .map(|f| f.contents.lines().count())
                .sum();
            let examples = files
                .iter()
                .find(|f| f.path == "tests/examples.rs")
                .map_or(0, |f| f.contents.matches("#[test]").count());
            serde_json::json!({
                "outcome": "generated",
                "lines": lines,
                "examples": examples,
                "coverage": coverage_json(&coverage),
            })
        }
        Ok(Err(err)) => {
            serde_json::json!({"outcome": "rejected", "message": first_line(&rejection(&err))})
        }
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "(non-string panic payload)".to_owned());
            serde_json::json!({"outcome": "panicked", "message": first_line(&message)})
        }
    };
    println!("{answer}");
    ExitCode::SUCCESS
}

/// Misbehaves as [`FAULT_VAR`] asks when it names this spec (tests of the run only).
fn test_fault(name: &str) {
    let Ok(fault) = std::env::var(FAULT_VAR) else {
        return;
    };
    for entry in fault.split(',') {
        match entry.split_once('=') {
            Some((spec, "abort")) if spec == name => std::process::abort(),
            Some((spec, "hang")) if spec == name => loop {
                std::thread::sleep(Duration::from_secs(60));
            },
            Some((spec, "panic")) if spec == name => panic!("{FAULT_VAR} asked for a panic"),
            _ => {}
        }
    }
}

/// Runs the child for one spec, waiting at most `timeout`; a child that dies, answers
/// nothing, or outlives the timeout becomes an outcome instead of ending the run.
fn generate(
    generator: &Path,
    spec: &Path,
    crate_dir: &Path,
    runtime: &Path,
    timeout: Duration,
) -> Result<Generated, String> {
    let mut child = Command::new(generator)
        .arg("corpus-generate")
        .arg(spec)
        .arg(crate_dir)
        .arg(runtime)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", generator.display()))?;
    // Read both pipes on their own threads, so that a chatty child never blocks on a full
    // pipe while this thread waits for it to exit.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let started = Instant::now();
    let status = loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => break Some(status),
            None if started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    let Some(status) = status else {
        return Ok(Generated::Failed(Outcome::TimedOut(format!(
            "no answer after {:.0} s; killed",
            timeout.as_secs_f64()
        ))));
    };
    let answer: Option<serde_json::Value> = stdout
        .lines()
        .last()
        .and_then(|line| serde_json::from_str(line).ok());
    let message =
        |answer: &serde_json::Value| answer["message"].as_str().unwrap_or_default().to_owned();
    Ok(match answer {
        Some(answer) if status.success() => match answer["outcome"].as_str() {
            Some("generated") => Generated::Files {
                lines: answer["lines"].as_u64().unwrap_or(0) as usize,
                examples: answer["examples"].as_u64().unwrap_or(0) as usize,
                coverage: coverage_from_json(&answer["coverage"]),
            },
            Some("rejected") => Generated::Failed(Outcome::Rejected(message(&answer))),
            _ => Generated::Failed(Outcome::Panicked(message(&answer))),
        },
        _ => {
            let last = stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            Generated::Failed(Outcome::Aborted(first_line(&format!(
                "the generating process ended with {status}: {last}"
            ))))
        }
    })
}

/// A spec's typed coverage as JSON (the child's answer, and the `--json` rows).
fn coverage_json(coverage: &Coverage) -> serde_json::Value {
    serde_json::json!({
        "precise": coverage.precise,
        "asked_any": coverage.asked_any,
        "fallback": coverage.fallback,
        "fallback_reasons": coverage.fallback_reasons,
    })
}

/// The inverse of [`coverage_json`]; missing numbers count as 0.
fn coverage_from_json(value: &serde_json::Value) -> Coverage {
    let count = |key: &str| value[key].as_u64().unwrap_or(0) as usize;
    Coverage {
        precise: count("precise"),
        asked_any: count("asked_any"),
        fallback: count("fallback"),
        fallback_reasons: value["fallback_reasons"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(reason, n)| (reason.clone(), n.as_u64().unwrap_or(0) as usize))
            .collect(),
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

pub(crate) fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    let mut out: String = line.chars().take(220).collect();
    if line.chars().count() > 220 {
        out.push('…');
    }
    out
}

/// Runs the whole corpus; returns the rows and whether it passed (nothing broken, panicked,
/// aborted or timed out).
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

    let generator = match &options.generator {
        Some(path) => path.clone(),
        None => std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?,
    };
    let timeout = options.timeout.unwrap_or(DEFAULT_TIMEOUT);
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
        let dir = crates_dir.join(&stem);
        let started = Instant::now();
        let generated = generate(&generator, spec, &dir, &runtime, timeout)?;
        let generate_time = started.elapsed();
        let (outcome, lines, examples, coverage) = match generated {
            Generated::Failed(outcome) => (outcome, 0, 0, None),
            Generated::Files {
                lines,
                examples,
                coverage,
            } => {
                members.push((rows.len(), stem.clone()));
                (Outcome::Compiled, lines, examples, Some(coverage))
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
            coverage,
        });
    }

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
    let passed = !rows.iter().any(|r| {
        matches!(
            r.outcome,
            Outcome::Broken(_) | Outcome::Panicked(_) | Outcome::Aborted(_) | Outcome::TimedOut(_)
        )
    });
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
        "{:<width$}  {:>5}  {:>5}  {:>7}  {:>7}  {:>6}  {:>6}  {:>9}  {:<9}  {:>6}  {:>6}  detail",
        "spec",
        "ops",
        "types",
        "lines",
        "precise",
        "any",
        "fallbk",
        "examples",
        "outcome",
        "gen s",
        "chk s"
    );
    let coverage_cell = |row: &Row, count: fn(&Coverage) -> usize| match &row.coverage {
        Some(coverage) => count(coverage).to_string(),
        None => "-".to_owned(),
    };
    for row in rows {
        let _ = writeln!(
            out,
            "{:<width$}  {:>5}  {:>5}  {:>7}  {:>7}  {:>6}  {:>6}  {:>9}  {:<9}  {:>6.2}  {:>6.2}  {}",
            row.name,
            row.operations,
            row.schemas,
            row.lines,
            coverage_cell(row, |c| c.precise),
            coverage_cell(row, |c| c.asked_any),
            coverage_cell(row, |c| c.fallback),
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
    let mut total = Coverage::default();
    for coverage in rows.iter().filter_map(|r| r.coverage.as_ref()) {
        total.precise += coverage.precise;
        total.asked_any += coverage.asked_any;
        total.fallback += coverage.fallback;
        for (reason, count) in &coverage.fallback_reasons {
            *total.fallback_reasons.entry(reason.clone()).or_default() += count;
        }
    }
    let reasons: Vec<String> = total
        .fallback_reasons
        .iter()
        .map(|(reason, count)| format!("{reason}: {count}"))
        .collect();
    let count = |label: &str| rows.iter().filter(|r| r.outcome.label() == label).count();
    let _ = write!(
        out,
        "corpus: {} specs, {} compiled, {} rejected, {} broken, {} panicked, {} aborted, {} timed out; \
         typed positions of generated specs: {} precise, {} any asked for, {} fallback{}",
        rows.len(),
        count("compiled"),
        count("rejected"),
        count("broken"),
        count("panicked"),
        count("aborted"),
        count("timed out"),
        total.precise,
        total.asked_any,
        total.fallback,
        if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", reasons.join(", "))
        }
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
                "coverage": row.coverage.as_ref().map(coverage_json),
            })
        })
        .collect();
    serde_json::to_string_pretty(&values).unwrap_or_else(|_| "[]".to_owned())
}
