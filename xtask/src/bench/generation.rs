//! Generation time per spec, phase by phase, in this (optimized) process; the size of what
//! is generated; and the peak memory of one generation in a fresh process.
//!
//! A run times `load::parse`, `lower_document`, `emit_files` and `render_files` one after the
//! other, then the whole (`load::parse` + `generate`) from scratch. Dropping the results is
//! left out of both. A spec the generator rejects is reported and its later phases skipped.

use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use forge_codegen::{File, Settings};

use super::report::{self, Figure, Target, Unit};
use super::{median, rusage, Options};

/// One spec to time.
#[derive(Debug, Clone)]
pub struct SpecInput {
    /// Short name in figure ids and labels (`dialpad`, `stripe`).
    pub label: String,
    /// The spec file.
    pub path: PathBuf,
    /// The crate name it is generated as.
    pub crate_name: String,
}

impl SpecInput {
    /// A spec input.
    pub fn new(label: &str, path: PathBuf, crate_name: &str) -> Self {
        SpecInput {
            label: label.to_owned(),
            path,
            crate_name: crate_name.to_owned(),
        }
    }
}

/// The settings every bench generation uses: the runtime by path, the default options.
pub fn settings(crate_name: &str, source: &str, root: &Path) -> Settings {
    let runtime = root.join("runtime");
    let mut settings = Settings::new(crate_name);
    settings
        .runtime_dependency(format!("{{ path = {:?} }}", runtime.display().to_string()))
        .provenance(source, "cargo xtask bench");
    settings
}

/// Seconds per run of each phase.
#[derive(Debug, Default, Clone)]
pub struct Times {
    /// `load::parse`.
    pub parse: Vec<f64>,
    /// `lower_document`.
    pub lower: Vec<f64>,
    /// `emit_files`.
    pub emit: Vec<f64>,
    /// `render_files`.
    pub format: Vec<f64>,
    /// `load::parse` + `generate`, timed separately.
    pub whole: Vec<f64>,
}

/// What measuring one spec gave.
#[derive(Debug, Default)]
pub struct Measured {
    /// The timings (only the phases that ran).
    pub times: Times,
    /// Why the spec could not be measured (absent, unreadable) or which phase rejected it.
    pub problem: Option<Problem>,
    /// The generated files, when generation succeeded.
    pub files: Option<Vec<File>>,
}

/// Why a spec's figures are incomplete.
#[derive(Debug, Clone)]
pub enum Problem {
    /// The spec file is not there: its figures are skipped.
    Absent(String),
    /// The generator refused it in `phase`.
    Rejected {
        /// `parse`, `lower` or `format`.
        phase: &'static str,
        /// The first line of the error.
        message: String,
    },
}

/// Times `spec`: a warm-up run (unless quick), then `options.generation_runs()` runs.
pub fn measure(spec: &SpecInput, root: &Path, options: &Options) -> Measured {
    let mut measured = Measured::default();
    if !spec.path.is_file() {
        let message = format!("{} is absent; skipped", spec.path.display());
        eprintln!("bench: {message}");
        measured.problem = Some(Problem::Absent(message));
        return measured;
    }
    let text = match fs::read_to_string(&spec.path) {
        Ok(text) => text,
        Err(err) => {
            let message = format!("cannot read {}: {err}", spec.path.display());
            measured.problem = Some(Problem::Absent(message));
            return measured;
        }
    };
    let name = file_name(&spec.path);
    eprintln!(
        "bench: generating {name} ({} KiB), {} runs",
        text.len() / 1024,
        options.generation_runs()
    );
    let settings = settings(&spec.crate_name, &name, root);
    let warmup = usize::from(!options.quick);
    for run in 0..warmup + options.generation_runs() {
        let keep = run >= warmup;
        match run_once(&text, &settings) {
            Ok((phases, files)) => {
                let whole = time_whole(&text, &settings);
                if keep {
                    measured.times.parse.push(phases[0]);
                    measured.times.lower.push(phases[1]);
                    measured.times.emit.push(phases[2]);
                    measured.times.format.push(phases[3]);
                    measured.times.whole.push(whole);
                }
                measured.files = Some(files);
            }
            Err((phase, message, completed)) => {
                // The phases before the refusal still count; the later ones are skipped.
                let phases = [
                    &mut measured.times.parse,
                    &mut measured.times.lower,
                    &mut measured.times.emit,
                ];
                if keep {
                    for (seconds, list) in completed.into_iter().zip(phases) {
                        list.push(seconds);
                    }
                }
                if measured.problem.is_none() {
                    eprintln!("bench: {name} rejected in {phase}: {message}");
                    measured.problem = Some(Problem::Rejected { phase, message });
                }
            }
        }
    }
    measured
}

type Rejection = (&'static str, String, Vec<f64>);

/// One run, phase by phase. On rejection: the phase, the message, and the times of the
/// phases that completed before it.
fn run_once(text: &str, settings: &Settings) -> Result<([f64; 4], Vec<File>), Rejection> {
    let mut times = Vec::with_capacity(4);
    let rejected = |phase, err: forge_codegen::Error, times: &Vec<f64>| {
        (phase, first_line(&err.to_string()), times.clone())
    };
    let started = Instant::now();
    let document = forge_codegen::load::parse(black_box(text));
    let elapsed = started.elapsed().as_secs_f64();
    let document = document.map_err(|e| rejected("parse", e, &times))?;
    times.push(elapsed);

    let started = Instant::now();
    let api = forge_codegen::lower_document(black_box(&document));
    let elapsed = started.elapsed().as_secs_f64();
    let api = api.map_err(|e| rejected("lower", e, &times))?;
    times.push(elapsed);

    let started = Instant::now();
    let emitted = forge_codegen::emit_files(black_box(&api), settings);
    times.push(started.elapsed().as_secs_f64());

    let started = Instant::now();
    let files = forge_codegen::render_files(black_box(emitted), settings);
    let elapsed = started.elapsed().as_secs_f64();
    let files = files.map_err(|e| rejected("format", e, &times))?;
    times.push(elapsed);
    drop((document, api));
    Ok(([times[0], times[1], times[2], times[3]], files))
}

/// `load::parse` + `generate`, from the text; only called on specs that generate.
fn time_whole(text: &str, settings: &Settings) -> f64 {
    let started = Instant::now();
    let result = forge_codegen::load::parse(black_box(text))
        .and_then(|document| forge_codegen::generate(&document, settings).map(|f| (document, f)));
    let seconds = started.elapsed().as_secs_f64();
    drop(black_box(result));
    seconds
}

/// Lines, top-level items (syn) and bytes of the generated Rust files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Size {
    /// Lines of Rust.
    pub lines: usize,
    /// Top-level items of the Rust files.
    pub items: usize,
    /// Bytes of Rust.
    pub bytes: usize,
}

/// Counts the Rust files of `files`.
pub fn size(files: &[File]) -> Result<Size, String> {
    let mut size = Size::default();
    for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
        size.lines += file.contents.lines().count();
        size.bytes += file.contents.len();
        let parsed = syn::parse_file(&file.contents)
            .map_err(|e| format!("{} does not parse: {e}", file.path))?;
        size.items += parsed.items.len();
    }
    Ok(size)
}

/// The figures of one spec: phases, whole, ratio, sizes (with the targets that apply).
pub fn figures(spec: &SpecInput, measured: &Measured) -> Vec<Figure> {
    let label = &spec.label;
    let id = |what: &str| format!("generate/{label}/{what}");
    let text = |what: &str| report::label("generate", label, what);
    let (whole_target, ratio_target) = match label.as_str() {
        "dialpad" => (Some(Target::below(0.2)), Some(Target::at_most(10.0))),
        "stripe" => (Some(Target::below(2.0)), None),
        _ => (None, None),
    };
    let unmeasured = |what: &str, unit: Unit| match &measured.problem {
        Some(Problem::Absent(why)) => Figure::skipped(id(what), text(what), unit, why.clone()),
        // Some specs are still refused: reported, not counted as a failed measurement.
        Some(Problem::Rejected { phase, message }) => Figure::skipped(
            id(what),
            text(what),
            unit,
            format!("spec rejected in {phase}: {message}"),
        ),
        None => Figure::missing(id(what), text(what), unit, "no run".to_owned()),
    };
    let mut out = Vec::new();
    let times = &measured.times;
    let phases: [(&str, &Vec<f64>, Option<Target>); 5] = [
        ("parse", &times.parse, None),
        ("lower", &times.lower, None),
        ("emit", &times.emit, None),
        ("format", &times.format, None),
        ("whole", &times.whole, whole_target),
    ];
    for (what, values, target) in phases {
        let mut figure = match median(values) {
            Some(value) => Figure::new(id(what), text(what), value, Unit::Seconds, values.len()),
            None => unmeasured(what, Unit::Seconds),
        };
        if let Some(target) = target {
            figure = figure.target(target);
        }
        out.push(figure);
    }
    let ratio = median(&times.whole)
        .zip(median(&times.parse))
        .map(|(whole, parse)| whole / parse);
    let mut figure = match ratio {
        Some(ratio) => Figure::new(
            id("whole_over_parse"),
            text("whole/parse"),
            ratio,
            Unit::Ratio,
            times.whole.len(),
        ),
        None => unmeasured("whole_over_parse", Unit::Ratio),
    };
    if let Some(target) = ratio_target {
        figure = figure.target(target);
    }
    out.push(figure);

    let size = measured.files.as_deref().map(size);
    for (what, unit) in [
        ("lines", Unit::Count),
        ("items", Unit::Count),
        ("bytes", Unit::Bytes),
    ] {
        let size_label = report::label("size", label, &format!("generated Rust {what}"));
        out.push(match &size {
            Some(Ok(size)) => {
                let value = match what {
                    "lines" => size.lines,
                    "items" => size.items,
                    _ => size.bytes,
                };
                Figure::new(id(what), size_label, value as f64, unit, 1)
            }
            Some(Err(message)) => Figure::missing(id(what), size_label, unit, message.clone()),
            None => Figure {
                label: size_label,
                ..unmeasured(what, unit)
            },
        });
    }
    out
}

/// Peak RSS of a fresh process of this binary that generates `spec` once.
pub fn peak_rss_of_generation(spec: &Path) -> Result<f64, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find own binary: {e}"))?;
    let output = Command::new(exe)
        .args(["bench", "--inner-generate"])
        .arg(spec)
        .output()
        .map_err(|e| format!("cannot run own binary: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let peak = stdout
        .lines()
        .find_map(|line| line.strip_prefix("peak_rss_bytes "))
        .and_then(|value| value.trim().parse::<u64>().ok());
    match peak {
        Some(bytes) if output.status.success() => Ok(bytes as f64),
        _ => Err(format!(
            "generation process failed: {}",
            first_line(&String::from_utf8_lossy(&output.stderr))
        )),
    }
}

/// `bench --inner-generate SPEC`: reads, parses and generates once, then prints
/// `peak_rss_bytes N` (this process's max RSS).
pub fn inner_generate(spec: &Path) -> ExitCode {
    let root = crate::project_root();
    let text = match fs::read_to_string(spec) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("cannot read {}: {err}", spec.display());
            return ExitCode::FAILURE;
        }
    };
    let settings = settings("bench-rss", &file_name(spec), &root);
    let files = forge_codegen::load::parse(&text)
        .and_then(|document| forge_codegen::generate(&document, &settings));
    let files = match files {
        Ok(files) => files,
        Err(err) => {
            eprintln!("rejected: {}", first_line(&err.to_string()));
            return ExitCode::FAILURE;
        }
    };
    let Some(peak) = rusage::self_peak() else {
        eprintln!("getrusage is not available here");
        return ExitCode::FAILURE;
    };
    println!("files {}", black_box(files).len());
    println!("peak_rss_bytes {peak}");
    ExitCode::SUCCESS
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub(crate) fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut out: String = line.chars().take(200).collect();
    if line.chars().count() > 200 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_counts_rust_files_only() {
        let files = vec![
            File {
                path: "src/lib.rs".into(),
                contents: "// header\npub mod a {}\npub struct B;\n".into(),
            },
            File {
                path: "Cargo.toml".into(),
                contents: "[package]\n".into(),
            },
        ];
        let size = size(&files).unwrap();
        assert_eq!(
            size,
            Size {
                lines: 3,
                items: 2,
                bytes: 37
            }
        );
    }
}
