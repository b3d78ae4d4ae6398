//! `cargo xtask conformance [--jobs N] [--json FILE] [--keep DIR] SPEC...`: calls every
//! operation of every spec through its generated client against Prism mocking that spec,
//! and reports whether the requests were valid and the answers decoded.
//!
//! The steps: generate every spec like `cargo xtask corpus` does (one child process each),
//! with the generator's conformance tests (`tests/conformance.rs` and `.json`, see
//! `forge_codegen::emit::conformance`); build all those test programs with one `cargo test
//! --no-run` in a scratch workspace sharing one target directory, so dependencies build once;
//! as soon as a spec's program is built (while cargo goes on with the others), and `--jobs`
//! specs at a time, start `prism mock --errors --seed 1` on the spec's served copy
//! ([`served`]) and run
//! its test program twice: once for the spec's examples, once with `Prefer: dynamic=true`
//! for answers Prism makes up from the schemas. Each call is classified by
//! [`classify`](classify::classify); an operation passes when both runs decoded its answer.
//! Calls whose answer Prism refused as contradicting its schema are made again to a Prism
//! without `--errors` and pass when the client reads the answer as it is; the contradiction
//! is kept as a fault read through ([`SpecRow::read_through`]).

pub mod annotate;
pub mod bounds;
pub mod classify;
pub mod examples;
pub mod prism;
pub mod served;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::corpus::{self, Outcome};
use classify::{classify, Cause, Failure};

/// Options of one conformance run.
#[derive(Debug, Default)]
pub struct Options {
    /// Spec files or folders of them.
    pub paths: Vec<PathBuf>,
    /// Where to build (default `target/conformance`).
    pub keep: Option<PathBuf>,
    /// Also write the JSON report here (it is always written to `<work>/report.json`).
    pub json: Option<PathBuf>,
    /// How many specs run against Prism at once (default 2).
    pub jobs: Option<usize>,
}

/// How often Prism is started again for one spec after it stopped during a run.
const MAX_RESTARTS: usize = 20;

/// How long one run of a spec's test program may take before it is killed.
const RUN_TIMEOUT: Duration = Duration::from_secs(600);

/// The two runs per spec: the spec's examples, then answers made up from the schemas.
const MODES: [(&str, Option<&str>); 2] = [("examples", None), ("dynamic", Some("dynamic=true"))];

/// One failed call.
#[derive(Debug, Clone)]
pub struct CallFailure {
    /// The operation id.
    pub operation: String,
    /// `examples` or `dynamic`.
    pub mode: &'static str,
    /// Why.
    pub failure: Failure,
}

/// One spec's row.
#[derive(Debug, Clone)]
pub struct SpecRow {
    /// The spec file's name.
    pub name: String,
    /// `compiled` when its conformance program ran; else what stopped it.
    pub outcome: String,
    /// Operations of the generated client.
    pub operations: usize,
    /// Operations whose requests Prism accepted in both runs.
    pub requests_valid: usize,
    /// Operations whose answers decoded in both runs (they pass).
    pub decoded: usize,
    /// The failed calls.
    pub failures: Vec<CallFailure>,
    /// Faults of the spec (or of Prism's made-up answers) that calls went on past: an answer
    /// that contradicts its schema and still decoded (the call passes), an example argument
    /// replaced by a synthesized value (the call is judged as usual).
    pub read_through: Vec<CallFailure>,
    /// Time spent with Prism (start and both runs).
    pub seconds: f64,
}

/// Runs the whole thing; returns the rows.
pub fn run(options: &Options, root: &Path) -> Result<Vec<SpecRow>, String> {
    let prism_exe = prism::executable(root).ok_or_else(|| {
        "Prism is not installed: run `npm ci --prefix tests/contract --no-audit --no-fund`"
            .to_owned()
    })?;
    let work = options
        .keep
        .clone()
        .unwrap_or_else(|| root.join("target").join("conformance"));
    fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    // Cargo and the test programs run in other directories: the path must not be relative.
    let work = fs::canonicalize(&work).map_err(|e| e.to_string())?;
    let corpus_options = corpus::Options {
        keep: Some(work.clone()),
        paths: options.paths.clone(),
        no_check: true,
        ..corpus::Options::default()
    };
    let started = Instant::now();
    let (corpus_rows, _) = corpus::run(&corpus_options, root)?;
    eprintln!("(generated in {:.1} s)", started.elapsed().as_secs_f64());
    let specs = corpus::spec_files(&options.paths)?;

    let mut rows = Vec::new();
    let mut members = Vec::new();
    for (spec, row) in specs.iter().zip(&corpus_rows) {
        let stem = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = work.join("crates").join(&stem);
        let outcome = match &row.outcome {
            Outcome::Compiled if dir.join("tests/conformance.rs").exists() => {
                members.push((rows.len(), stem.clone(), spec.clone()));
                "compiled".to_owned()
            }
            Outcome::Compiled => "no operation to call".to_owned(),
            other => format!("{other:?}"),
        };
        rows.push(SpecRow {
            name: row.name.clone(),
            outcome,
            operations: 0,
            requests_valid: 0,
            decoded: 0,
            failures: Vec::new(),
            read_through: Vec::new(),
            seconds: 0.0,
        });
    }
    if members.is_empty() {
        return Ok(rows);
    }

    // Each spec runs as soon as its test program is built, while cargo goes on with the
    // others: a large crate compiles alone on one core for minutes, and Prism uses the other.
    let started = Instant::now();
    let jobs = options.jobs.unwrap_or(2).max(1);
    let (sender, receiver) =
        mpsc::channel::<(&(usize, String, PathBuf), Result<PathBuf, String>)>();
    let receiver = Mutex::new(receiver);
    let results = Mutex::new(Vec::new());
    let total = members.len();
    let built = std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                // The receiver's lock is taken and released inside `next`, never held while
                // a spec runs.
                let next = || {
                    receiver
                        .lock()
                        .ok()
                        .and_then(|receiver| receiver.recv().ok())
                };
                while let Some(((index, stem, spec), exe)) = next() {
                    let crate_dir = work.join("crates").join(stem);
                    let row = match exe {
                        Ok(exe) => run_spec(&prism_exe, spec, &crate_dir, &exe, &work),
                        Err(error) => Err(format!("broken conformance test: {error}")),
                    };
                    if let Ok(mut results) = results.lock() {
                        results.push((*index, row));
                        eprintln!(
                            "[{}/{total}] {}",
                            results.len(),
                            spec.file_name().unwrap_or_default().to_string_lossy()
                        );
                    }
                }
            });
        }
        let by_package: BTreeMap<String, &(usize, String, PathBuf)> = members
            .iter()
            .map(|member| (corpus::crate_name(&member.1), member))
            .collect();
        let built = build(&work, &members, |package, exe| {
            if let Some(member) = by_package.get(package) {
                let _ = sender.send((member, exe));
            }
        });
        eprintln!("(built in {:.1} s)", started.elapsed().as_secs_f64());
        // Dropping the sender ends the workers once the queue is empty.
        drop(sender);
        built
    });
    built?;
    for (index, result) in results.into_inner().unwrap_or_default() {
        let row = &mut rows[index];
        match result {
            Ok(done) => {
                row.operations = done.operations;
                row.requests_valid = done.requests_valid;
                row.decoded = done.decoded;
                row.failures = done.failures;
                row.read_through = done.read_through;
                row.seconds = done.seconds;
            }
            Err(error) => row.outcome = corpus::first_line(&error),
        }
    }
    Ok(rows)
}

/// What one cargo message says about a member's test program: built (its path), or the
/// first line of a compiler error of its package.
fn built_program(message: &Value) -> Option<(String, Result<PathBuf, String>)> {
    let package = package_name(message);
    match message["reason"].as_str() {
        Some("compiler-artifact") if message["target"]["name"] == "conformance" => {
            let exe = message["executable"].as_str()?;
            Some((package, Ok(PathBuf::from(exe))))
        }
        Some("compiler-message") if message["message"]["level"] == "error" => {
            let text = message["message"]["message"].as_str().unwrap_or("error");
            Some((package, Err(corpus::first_line(text))))
        }
        _ => None,
    }
}

/// Builds every member's conformance test with one `cargo test --no-run --no-fail-fast`
/// (which keeps going past a crate that fails), calling `done` once per member package as
/// soon as its test program is built, or, once cargo has finished, with the first compiler
/// error of a package whose test did not build.
///
/// # Errors
///
/// Cargo could not be run.
fn build(
    work: &Path,
    members: &[(usize, String, PathBuf)],
    mut done: impl FnMut(&str, Result<PathBuf, String>),
) -> Result<(), String> {
    let list: Vec<String> = members
        .iter()
        .map(|(_, stem, _)| format!("\"crates/{stem}\""))
        .collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        list.join(", ")
    );
    fs::write(work.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    let root = crate::project_root();
    let _ = fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .args([
            "test",
            "--no-run",
            "--no-fail-fast",
            "--message-format",
            "json",
        ])
        .args(["--test", "conformance"])
        .current_dir(work)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    // No debug information (unless the caller's environment says otherwise): it would only
    // slow down compiling and linking some fifty large test programs whose failures are
    // reported as data.
    if std::env::var_os("CARGO_PROFILE_DEV_DEBUG").is_none() {
        command.env("CARGO_PROFILE_DEV_DEBUG", "0");
    }
    for (_, stem, _) in members {
        command.args(["-p", &corpus::crate_name(stem)]);
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    let mut reported = std::collections::BTreeSet::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let Ok(message) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            match built_program(&message) {
                Some((package, Ok(exe))) if !reported.contains(&package) => {
                    reported.insert(package.clone());
                    done(&package, Ok(exe));
                }
                Some((package, Err(error))) => {
                    errors.entry(package).or_insert(error);
                }
                _ => {}
            }
        }
    }
    let _ = child.wait();
    for (_, stem, _) in members {
        let package = corpus::crate_name(stem);
        if !reported.contains(&package) {
            let error = errors
                .remove(&package)
                .unwrap_or_else(|| "cargo built no test program".to_owned());
            done(&package, Err(error));
        }
    }
    Ok(())
}

/// The package name in a cargo message's `package_id` (`path+file:///...#name@version`).
fn package_name(message: &Value) -> String {
    let id = message["package_id"].as_str().unwrap_or("");
    let tail = id.rsplit('#').next().unwrap_or(id);
    tail.split('@').next().unwrap_or(tail).to_owned()
}

/// What one spec's runs gave.
pub struct Done {
    /// Operations (called or not).
    pub operations: usize,
    /// Operations whose requests Prism accepted in both runs.
    pub requests_valid: usize,
    /// Operations whose answers decoded in both runs.
    pub decoded: usize,
    /// The failed calls.
    pub failures: Vec<CallFailure>,
    /// The faults passing calls read through (see [`SpecRow::read_through`]).
    pub read_through: Vec<CallFailure>,
    /// Time spent with Prism.
    pub seconds: f64,
}

/// Starts Prism (`prism_exe`) on `spec`, runs the built test program `exe` of the crate in
/// `crate_dir` in both modes, and classifies every call; Prism's log goes to
/// `work/logs/prism-<crate folder>.log`. Calls whose answer Prism refused because it
/// contradicts its schema are made again to a second Prism, started when first needed, that
/// serves answers as they are ([`prism::Checks::Lax`], log `prism-<crate folder>-lax.log`):
/// the call passes when the client reads that answer ([`classify::served_as_is`]).
///
/// # Errors
///
/// The crate has no readable `tests/conformance.json`, Prism did not start, or the program
/// could not be run.
pub fn run_spec(
    prism_exe: &Path,
    spec: &Path,
    crate_dir: &Path,
    exe: &Path,
    work: &Path,
) -> Result<Done, String> {
    let started = Instant::now();
    let mut data: Value = fs::read_to_string(crate_dir.join("tests/conformance.json"))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .ok_or("tests/conformance.json is missing or not JSON")?;
    let stem = crate_dir
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let log = work.join("logs").join(format!("prism-{stem}.log"));
    fs::create_dir_all(work.join("logs")).map_err(|e| e.to_string())?;
    let spec = fs::canonicalize(spec).map_err(|e| e.to_string())?;
    let served = served::for_prism(&spec, work);
    let spec = served.path;
    annotate::annotate(&mut data, &spec);
    let mut prism = prism::Prism::start(prism_exe, &spec, &log, prism::Checks::Strict)?;
    let mut restarts = 0;
    // operation id -> (request valid in every run, decoded in every run)
    let mut verdicts: BTreeMap<String, (bool, bool)> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut read_through = Vec::new();
    let mut lax: Option<prism::Prism> = None;
    for (mode, prefer) in MODES {
        let mut seen = BTreeMap::new();
        let mut only: Option<String> = None;
        loop {
            if prism.stopped() && restarts < MAX_RESTARTS {
                restarts += 1;
                drop(prism);
                let log = work
                    .join("logs")
                    .join(format!("prism-{stem}-restart{restarts}.log"));
                prism = prism::Prism::start(prism_exe, &spec, &log, prism::Checks::Strict)?;
            }
            let lines = run_program(exe, crate_dir, &prism.base_url, prefer, only.as_deref())?;
            // Prism stopped during the run (a request it cannot handle crashes it): the
            // first call without an answer is the one that stopped it and keeps its "no
            // answer" (a Prism fault); the calls after it run again on a new Prism.
            let unanswered: Vec<String> = lines
                .iter()
                .filter(|line| line["result"] == "error")
                .filter_map(|line| line["operation"].as_str().map(str::to_owned))
                .collect();
            for line in lines {
                if let Some(operation) = line["operation"].as_str() {
                    seen.insert(operation.to_owned(), line.clone());
                }
            }
            if !prism.stopped() || unanswered.len() < 2 || restarts >= MAX_RESTARTS {
                break;
            }
            only = Some(unanswered[1..].join(","));
        }
        let refused: Vec<&str> = seen
            .iter()
            .filter(|(_, line)| classify::answer_refused(line))
            .map(|(id, _)| id.as_str())
            .collect();
        let mut as_is = BTreeMap::new();
        if !refused.is_empty() {
            if lax.as_mut().is_none_or(prism::Prism::stopped) {
                drop(lax.take());
                let log = work.join("logs").join(format!("prism-{stem}-lax.log"));
                lax = prism::Prism::start(prism_exe, &spec, &log, prism::Checks::Lax).ok();
            }
            if let Some(lax) = &lax {
                let only = refused.join(",");
                for line in run_program(exe, crate_dir, &lax.base_url, prefer, Some(&only))? {
                    if let Some(operation) = line["operation"].as_str() {
                        as_is.insert(operation.to_owned(), line.clone());
                    }
                }
            }
        }
        let ids: Vec<String> = data
            .as_object()
            .into_iter()
            .flatten()
            .map(|(id, _)| id.clone())
            .collect();
        for id in ids {
            let outcome = seen
                .get(&id)
                .cloned()
                .unwrap_or_else(|| json!({"result": "missing"}));
            let verdict = classify(&outcome, &data[&id], mode == "dynamic");
            let (verdict, contradiction) = if classify::answer_refused(&outcome) {
                classify::served_as_is(verdict, as_is.get(&id))
            } else {
                (verdict, None)
            };
            // An example replaced by a synthesized value is the same fault in both runs.
            let faults = if mode == "examples" {
                let answered = as_is.get(&id).unwrap_or(&outcome);
                classify::example_faults(answered, &data[&id])
            } else {
                Vec::new()
            };
            for failure in contradiction.into_iter().chain(faults) {
                read_through.push(CallFailure {
                    operation: id.clone(),
                    mode,
                    failure,
                });
            }
            let entry = verdicts.entry(id.clone()).or_insert((true, true));
            entry.0 &= verdict.request_valid == Some(true);
            entry.1 &= verdict.decoded;
            if let Some(failure) = verdict.failure {
                failures.push(CallFailure {
                    operation: id,
                    mode,
                    failure,
                });
            }
        }
    }
    drop(prism);
    drop(lax);
    for rewritten in served.examples {
        read_through.push(CallFailure {
            operation: operation_at(&data, &rewritten.pointer),
            mode: "examples",
            failure: classify::rewritten_example(rewritten),
        });
    }
    Ok(Done {
        operations: verdicts.len(),
        requests_valid: verdicts.values().filter(|v| v.0).count(),
        decoded: verdicts.values().filter(|v| v.1).count(),
        failures,
        read_through,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// What [`CallFailure::operation`] names for a fault outside every operation (under
/// `components`, say).
pub const NO_OPERATION: &str = "(components)";

/// The id of the operation (in `conformance.json`, `data`) whose part of the spec holds
/// `pointer`: under the operation itself or among its path's parameters; else
/// [`NO_OPERATION`].
fn operation_at(data: &Value, pointer: &str) -> String {
    let within = |operation: &Value| {
        let Some(own) = operation["pointer"].as_str() else {
            return false;
        };
        let path_parameters = own
            .rsplit_once('/')
            .map(|(path, _)| format!("{path}/parameters/"));
        pointer.starts_with(&format!("{own}/"))
            || path_parameters.is_some_and(|prefix| pointer.starts_with(&prefix))
    };
    data.as_object()
        .into_iter()
        .flatten()
        .find(|(_, operation)| within(operation))
        .map_or_else(|| NO_OPERATION.to_owned(), |(id, _)| id.clone())
}

/// Runs the test program once; its `conformance {json}` lines.
fn run_program(
    exe: &Path,
    crate_dir: &Path,
    base_url: &str,
    prefer: Option<&str>,
    only: Option<&str>,
) -> Result<Vec<Value>, String> {
    let mut command = Command::new(exe);
    command
        .args([
            "conformance",
            "--exact",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .current_dir(crate_dir)
        .env("FORGE_CONFORMANCE_URL", base_url)
        .env_remove("FORGE_CONFORMANCE_PREFER")
        .env_remove("FORGE_CONFORMANCE_ONLY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(prefer) = prefer {
        command.env("FORGE_CONFORMANCE_PREFER", prefer);
    }
    if let Some(only) = only {
        command.env("FORGE_CONFORMANCE_ONLY", only);
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(pipe) = stdout.as_mut() {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    });
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > RUN_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(e.to_string()),
        }
    }
    let text = reader.join().unwrap_or_default();
    Ok(text
        .lines()
        // libtest may print `test conformance ... ` before the first line, on the same line.
        .filter_map(|line| Some(&line[line.find("conformance {")? + "conformance ".len()..]))
        .filter_map(|json| serde_json::from_str(json).ok())
        .collect())
}

/// The report: one row per spec, the failures (spec faults apart), then the summary line
/// (always last).
pub fn report(rows: &[SpecRow], seconds: f64) -> String {
    let mut out = String::new();
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
    let _ = writeln!(
        out,
        "{:<width$}  {:>5}  {:>9}  {:>7}  {:>6}  outcome",
        "spec", "ops", "req valid", "decoded", "s"
    );
    for row in rows {
        let _ = writeln!(
            out,
            "{:<width$}  {:>5}  {:>9}  {:>7}  {:>6.1}  {}",
            row.name, row.operations, row.requests_valid, row.decoded, row.seconds, row.outcome
        );
    }
    let failures = || {
        rows.iter()
            .flat_map(|row| row.failures.iter().map(move |f| (row, f)))
    };
    let _ = writeln!(out, "\nfailures (generator, synthesis, Prism):");
    for (row, call) in failures().filter(|(_, c)| c.failure.cause != Cause::Spec) {
        let _ = writeln!(
            out,
            "  {} {} [{}] {}: {}",
            row.name,
            call.operation,
            call.mode,
            call.failure.cause.label(),
            call.failure.reason
        );
    }
    let _ = writeln!(out, "\nspec faults (the spec contradicts itself):");
    for (row, call) in failures().filter(|(_, c)| c.failure.cause == Cause::Spec) {
        let _ = writeln!(
            out,
            "  {} {} [{}] at {}: {}",
            row.name,
            call.operation,
            call.mode,
            call.failure.pointer.as_deref().unwrap_or("?"),
            call.failure.reason
        );
    }
    let _ = writeln!(
        out,
        "\nfaults read through (answers that contradict their schema and still decode, \
         examples replaced by synthesized values, examples rewritten in the served copy):"
    );
    for row in rows {
        for call in &row.read_through {
            let _ = writeln!(
                out,
                "  {} {} [{}] {} at {}: {}",
                row.name,
                call.operation,
                call.mode,
                call.failure.cause.label(),
                call.failure.pointer.as_deref().unwrap_or("?"),
                call.failure.reason
            );
        }
    }
    let mut causes: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, call) in failures() {
        *causes.entry(call.failure.cause.label()).or_default() += 1;
    }
    let operations: usize = rows.iter().map(|r| r.operations).sum();
    let valid: usize = rows.iter().map(|r| r.requests_valid).sum();
    let decoded: usize = rows.iter().map(|r| r.decoded).sum();
    let ran = rows.iter().filter(|r| r.operations > 0).count();
    let percent = if operations == 0 {
        0.0
    } else {
        100.0 * decoded as f64 / operations as f64
    };
    let causes: Vec<String> = causes.iter().map(|(c, n)| format!("{c}: {n}")).collect();
    // Passing operations that went on past a fault of the spec or of Prism.
    let past_faults: usize = rows
        .iter()
        .map(|row| {
            let failed: BTreeSet<&str> =
                row.failures.iter().map(|c| c.operation.as_str()).collect();
            row.read_through
                .iter()
                .map(|c| c.operation.as_str())
                .filter(|operation| *operation != NO_OPERATION && !failed.contains(operation))
                .collect::<BTreeSet<_>>()
                .len()
        })
        .sum();
    let _ = write!(
        out,
        "conformance: {} specs, {ran} run, {operations} operations, {valid} requests valid, \
         {decoded} answers decoded ({percent:.1}%; {past_faults} past a fault read through); \
         failed calls by cause: {}; {seconds:.0} s",
        rows.len(),
        if causes.is_empty() {
            "none".to_owned()
        } else {
            causes.join(", ")
        }
    );
    out
}

/// The rows as JSON.
pub fn json(rows: &[SpecRow]) -> String {
    let values: Vec<Value> = rows
        .iter()
        .map(|row| {
            json!({
                "name": row.name,
                "outcome": row.outcome,
                "operations": row.operations,
                "requests_valid": row.requests_valid,
                "decoded": row.decoded,
                "seconds": row.seconds,
                "failures": calls_json(&row.failures),
                "read_through": calls_json(&row.read_through),
            })
        })
        .collect();
    serde_json::to_string_pretty(&values).unwrap_or_else(|_| "[]".to_owned())
}

fn calls_json(calls: &[CallFailure]) -> Vec<Value> {
    calls
        .iter()
        .map(|call| {
            json!({
                "operation": call.operation,
                "mode": call.mode,
                "cause": call.failure.cause.label(),
                "reason": call.failure.reason,
                "pointer": call.failure.pointer,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_messages_name_the_built_test_program_or_the_first_error() {
        let artifact = json!({
            "reason": "compiler-artifact",
            "package_id": "path+file:///w/crates/figma#corpus-figma@0.1.0",
            "target": {"name": "conformance", "kind": ["test"]},
            "executable": "/w/target/debug/deps/conformance-0123"
        });
        assert_eq!(
            built_program(&artifact),
            Some((
                "corpus-figma".to_owned(),
                Ok(PathBuf::from("/w/target/debug/deps/conformance-0123"))
            ))
        );

        let library = json!({
            "reason": "compiler-artifact",
            "package_id": "path+file:///w/crates/figma#corpus-figma@0.1.0",
            "target": {"name": "corpus_figma", "kind": ["lib"]},
            "executable": null
        });
        assert_eq!(built_program(&library), None);

        let error = json!({
            "reason": "compiler-message",
            "package_id": "path+file:///w/crates/xero#corpus-xero@0.1.0",
            "message": {"level": "error", "message": "mismatched types\nexpected `i64`"}
        });
        assert_eq!(
            built_program(&error),
            Some(("corpus-xero".to_owned(), Err("mismatched types".to_owned())))
        );

        let warning = json!({
            "reason": "compiler-message",
            "package_id": "path+file:///w/crates/xero#corpus-xero@0.1.0",
            "message": {"level": "warning", "message": "unused import"}
        });
        assert_eq!(built_program(&warning), None);
    }
}
