//! Own-code `cargo check` / `cargo build` time of the crate generated from the full Dialpad
//! spec, and the peak memory of the rustc that compiles it.
//!
//! The crate goes into a scratch workspace (`target/bench/dialpad`) with the root
//! `Cargo.lock`, so its dependencies resolve to the versions the project uses. Dependencies
//! are built once, untimed; each timed run then removes the crate's own artifacts (`cargo
//! clean -p`, which also drops its incremental state) and rebuilds only it, in the dev
//! profile. `RUSTC_WRAPPER` from the environment (sccache and the like) is ignored, so
//! nothing comes from a cache.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use forge_codegen::File;

use super::generation::first_line;
use super::report::{label, Figure, Target, Unit};
use super::{median, rusage, Options, DIALPAD_CRATE, MIB};

const CHECK_TARGET: f64 = 4.5;
const BUILD_TARGET: f64 = 5.5;
const RUSTC_RSS_TARGET: f64 = 600.0 * MIB;

/// The figures of this section; `files` is the generated Dialpad crate, if it generated.
pub fn measure(root: &Path, files: Option<&[File]>, options: &Options) -> Vec<Figure> {
    let skeleton = skeleton();
    let Some(files) = files else {
        return skeleton
            .into_iter()
            .map(|(id, label, unit, target)| {
                let figure = Figure::skipped(
                    id,
                    label,
                    unit,
                    "the full Dialpad spec is absent or was rejected".to_owned(),
                );
                with_target(figure, target)
            })
            .collect();
    };
    match measure_crate(root, files, options) {
        Ok(figures) => figures,
        Err(message) => {
            eprintln!("bench: compile section failed: {message}");
            skeleton
                .into_iter()
                .map(|(id, label, unit, target)| {
                    with_target(Figure::missing(id, label, unit, message.clone()), target)
                })
                .collect()
        }
    }
}

type Slot = (&'static str, String, Unit, Option<Target>);

fn skeleton() -> Vec<Slot> {
    vec![
        (
            "compile/dialpad/check",
            label("compile", "dialpad", "own-code cargo check"),
            Unit::Seconds,
            Some(Target::below(CHECK_TARGET)),
        ),
        (
            "compile/dialpad/build",
            label("compile", "dialpad", "own-code cargo build (dev)"),
            Unit::Seconds,
            Some(Target::below(BUILD_TARGET)),
        ),
        (
            "memory/dialpad/rustc_check",
            label("memory", "dialpad", "rustc peak RSS, check"),
            Unit::Bytes,
            None,
        ),
        (
            "memory/dialpad/rustc_build",
            label("memory", "dialpad", "rustc peak RSS, build"),
            Unit::Bytes,
            Some(Target::below(RUSTC_RSS_TARGET)),
        ),
    ]
}

fn with_target(figure: Figure, target: Option<Target>) -> Figure {
    match target {
        Some(target) => figure.target(target),
        None => figure,
    }
}

fn measure_crate(root: &Path, files: &[File], options: &Options) -> Result<Vec<Figure>, String> {
    let work = super::scratch(root).join("dialpad");
    let crate_dir = work.join("crates").join(DIALPAD_CRATE);
    let _ = fs::remove_dir_all(work.join("crates"));
    for file in files {
        let path = crate_dir.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        fs::write(&path, &file.contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let manifest = format!(
        "# Written by cargo xtask bench.\n[workspace]\nresolver = \"2\"\nmembers = [\"crates/{DIALPAD_CRATE}\"]\n"
    );
    fs::write(work.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;

    eprintln!("bench: building the dependencies of the generated Dialpad crate (untimed)");
    cargo(&work, &["build", "-p", DIALPAD_CRATE], None)?;
    cargo(&work, &["check", "-p", DIALPAD_CRATE], None)?;

    let runs = options.compile_runs();
    eprintln!("bench: own-code check and build of the Dialpad crate, {runs} runs each");
    let mut check = Vec::new();
    let mut build = Vec::new();
    for _ in 0..runs {
        cargo(&work, &["clean", "-p", DIALPAD_CRATE], None)?;
        check.push(cargo(&work, &["check", "-p", DIALPAD_CRATE], None)?);
        cargo(&work, &["clean", "-p", DIALPAD_CRATE], None)?;
        build.push(cargo(&work, &["build", "-p", DIALPAD_CRATE], None)?);
    }

    // Peak memory, in separate runs so the wrapper adds nothing to the timings.
    eprintln!("bench: peak memory of rustc on the Dialpad crate");
    let log = work.join("rustc-rusage.tsv");
    let _ = fs::remove_file(&log);
    let wrapper = rusage::write_wrapper(&work, &log)?;
    for command in ["check", "build"] {
        cargo(&work, &["clean", "-p", DIALPAD_CRATE], None)?;
        cargo(&work, &[command, "-p", DIALPAD_CRATE], Some(&wrapper))?;
    }
    let runs_logged = rusage::read_log(&log);
    let own = DIALPAD_CRATE.replace('-', "_");
    let peak_of = |kind: &str| {
        runs_logged
            .iter()
            .filter(|run| run.crate_name == own && run.kind == kind)
            .max_by_key(|run| run.peak)
    };
    let others = runs_logged
        .iter()
        .filter(|run| run.crate_name != own && run.crate_name != "-")
        .count();
    if others > 0 {
        eprintln!("bench: note: {others} other crates were rebuilt under the rustc wrapper");
    }

    let mut figures = Vec::new();
    for ((id, label, unit, target), values) in skeleton().into_iter().zip([&check, &build]) {
        let figure = match median(values) {
            Some(value) => Figure::new(id, label, value, unit, values.len()),
            None => Figure::missing(id, label, unit, "no run".to_owned()),
        };
        figures.push(with_target(figure, target));
    }
    for ((id, label, unit, target), kind) in skeleton().into_iter().skip(2).zip(["check", "build"])
    {
        let figure = match peak_of(kind) {
            Some(run) => Figure::new(id, label, run.peak as f64, unit, 1)
                .note(format!("(that rustc run took {:.2} s)", run.seconds)),
            None => Figure::missing(
                id,
                label,
                unit,
                "the rustc wrapper logged no peak (getrusage unavailable?)".to_owned(),
            ),
        };
        figures.push(with_target(figure, target));
    }
    Ok(figures)
}

/// Runs cargo in `work` with its own target folder; returns the wall time in seconds.
fn cargo(work: &Path, args: &[&str], wrapper: Option<&Path>) -> Result<f64, String> {
    let mut command: Command = super::cargo();
    command
        .args(args)
        .arg("--quiet")
        .current_dir(work)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env_remove("RUSTC_WRAPPER")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("CARGO_BUILD_RUSTC_WRAPPER")
        .env_remove("CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER");
    if let Some(wrapper) = wrapper {
        command.env("RUSTC_WRAPPER", wrapper);
    }
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|line| line.contains("error"))
            .unwrap_or(&stderr);
        return Err(format!(
            "cargo {} failed: {}",
            args.join(" "),
            first_line(first)
        ));
    }
    Ok(seconds)
}
