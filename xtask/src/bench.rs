//! `cargo xtask bench [--json FILE] [--quick] [--peers]`: the performance figures of the
//! generator, of the code it generates, and of the runtime, each next to its target; with
//! `--peers`, instead, the same kinds of figures side by side with the peer generators'
//! ([`peers`]).
//!
//! What it measures (every figure is the median of several runs):
//!
//! - generation time per spec (the full Dialpad spec and the three largest OpenAPI 3.0.x
//!   corpus specs), split into parse, lower, emit and format, plus the whole and the ratio
//!   whole/parse, in-process ([`generation`]); and the size of what is generated (lines,
//!   top-level items counted with syn, bytes);
//! - own-code `cargo check` and `cargo build` time of the crate generated from the full
//!   Dialpad spec, in a scratch workspace whose dependencies are built first ([`compile`]);
//! - peak memory (max RSS) of generating the Stripe client, and of the rustc that compiles
//!   the Dialpad crate ([`rusage`]);
//! - the client's overhead per request: the generated `get_sms_subscription` against a
//!   hand-written reqwest GET plus serde_json decode, over loopback ([`client`]).
//!
//! Timings must be of optimized code, but `cargo xtask` runs the dev profile: a debug build
//! of this command only re-runs itself as `cargo run --release -p xtask -- bench ...`.
//!
//! Standard output holds one summary line per figure and a closing `bench:` line; progress
//! goes to standard error. The exit status is 1 when a target fails or a measurement could
//! not be made. Nothing here runs in CI or in `cargo test`.
//!
//! Internal entry points used by the release run on itself (not for people):
//! `bench --inner-generate SPEC` (one generation, then the process's peak RSS) and
//! `bench --inner-rusage LOG PROGRAM ARGS...` (the rustc wrapper that logs rustc's peak RSS).

pub mod client;
pub mod compile;
pub mod generation;
pub mod peers;
pub mod report;
pub mod rusage;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use report::{Figure, Target, Unit};

/// Usage of `cargo xtask bench`.
pub const USAGE: &str = "usage: cargo xtask bench [--json FILE] [--quick] [--peers]";

/// Set on the release re-run, so that it never re-runs itself again.
const REEXEC_ENV: &str = "FORGE_BENCH_RELEASE_CHILD";

/// The full Dialpad spec, relative to the workspace root.
pub const DIALPAD_SPEC: &str = "../shared/specs/dialpad-api-v2.json";
/// The corpus folder, relative to the workspace root.
pub const CORPUS_DIR: &str = "../shared/corpus/specs";
/// The three largest OpenAPI 3.0.x specs of the corpus (by bytes; see its MANIFEST.tsv).
pub const CORPUS_SPECS: [&str; 3] = ["stripe.yaml", "sentry-derefed.json", "github-v3-rest.json"];
/// The spec whose generation's peak memory is measured (one of [`CORPUS_SPECS`]).
pub const RSS_SPEC: &str = "stripe.yaml";
/// The crate name the full Dialpad spec is generated as.
pub const DIALPAD_CRATE: &str = "bench-dialpad-api";

/// Options of one bench run.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// Where to write the figures as JSON.
    pub json: Option<PathBuf>,
    /// One or two runs per figure: a smoke test, not a measurement.
    pub quick: bool,
    /// Compare with the peer generators instead of measuring the figures with targets of
    /// our own.
    pub peers: bool,
}

impl Options {
    /// Measured runs per generation figure (after one unmeasured warm-up run when not quick).
    pub fn generation_runs(&self) -> usize {
        if self.quick {
            2
        } else {
            9
        }
    }

    /// Measured `cargo check` / `cargo build` runs.
    pub fn compile_runs(&self) -> usize {
        if self.quick {
            1
        } else {
            5
        }
    }

    /// Requests per client variant.
    pub fn client_requests(&self) -> usize {
        if self.quick {
            100
        } else {
            2000
        }
    }
}

/// `cargo xtask bench ARGS`.
pub fn main(args: &[&str]) -> ExitCode {
    match args {
        ["--inner-generate", spec] => return generation::inner_generate(Path::new(spec)),
        ["--inner-rusage", log, program, rest @ ..] => {
            return rusage::inner_rusage(Path::new(log), program, rest)
        }
        ["--help" | "-h"] => {
            println!("{}", crate::help::BENCH);
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let options = match parse_options(args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let root = crate::project_root();
    if cfg!(debug_assertions) {
        if std::env::var_os(REEXEC_ENV).is_none() {
            return rerun_in_release(&root, args);
        }
        eprintln!("bench: warning: this is a debug build; the timings are not of optimized code");
    }
    run(&options, &root)
}

fn parse_options(args: &[&str]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--quick" => options.quick = true,
            "--peers" => options.peers = true,
            "--json" => {
                let value = args.next().ok_or("--json needs a value")?;
                options.json = Some(PathBuf::from(value));
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

/// Re-runs `bench` from an optimized build of xtask, passing the arguments through.
fn rerun_in_release(root: &Path, args: &[&str]) -> ExitCode {
    eprintln!("bench: building xtask with --release to time optimized code");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // A relative --json path must keep meaning what it meant to the caller.
    let cwd = std::env::current_dir().unwrap_or_else(|_| root.to_path_buf());
    let mut passed: Vec<String> = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        passed.push((*arg).to_owned());
        if *arg == "--json" {
            if let Some(value) = args.next() {
                passed.push(cwd.join(value).display().to_string());
            }
        }
    }
    let status = Command::new(cargo)
        .args(["run", "--release", "--quiet", "-p", "xtask", "--", "bench"])
        .args(&passed)
        .current_dir(root)
        .env(REEXEC_ENV, "1")
        .status();
    match status {
        Ok(status) => match status.code() {
            Some(0) => ExitCode::SUCCESS,
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::FAILURE,
        },
        Err(err) => {
            eprintln!("error: cannot run cargo: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Runs every section, prints the figures, writes the JSON; fails on a failed target.
pub fn run(options: &Options, root: &Path) -> ExitCode {
    let started = std::time::Instant::now();
    let figures = if options.peers {
        peers::measure(root, options)
    } else {
        own_figures(options, root)
    };
    finish(&figures, options, root, started)
}

/// The figures with targets of our own: generation, memory, compile time, client overhead.
fn own_figures(options: &Options, root: &Path) -> Vec<Figure> {
    let mut figures: Vec<Figure> = Vec::new();

    // 1. Generation, in this process.
    let mut specs = vec![generation::SpecInput::new(
        "dialpad",
        root.join(DIALPAD_SPEC),
        DIALPAD_CRATE,
    )];
    for name in CORPUS_SPECS {
        let label = name.split('.').next().unwrap_or(name);
        specs.push(generation::SpecInput::new(
            label,
            root.join(CORPUS_DIR).join(name),
            &format!("bench-{label}"),
        ));
    }
    let mut dialpad_files = None;
    for spec in &specs {
        let result = generation::measure(spec, root, options);
        figures.extend(generation::figures(spec, &result));
        if spec.label == "dialpad" {
            dialpad_files = result.files;
        }
    }

    // 2. Peak memory of generating Stripe, in a fresh process of this binary.
    let stripe = root.join(CORPUS_DIR).join(RSS_SPEC);
    let rss_target = Target::below(300.0 * MIB);
    let label = report::label("memory", "stripe", "generation peak RSS");
    figures.push(if stripe.is_file() {
        eprintln!("bench: peak memory of generating {RSS_SPEC}");
        match generation::peak_rss_of_generation(&stripe) {
            Ok(bytes) => Figure::new("memory/stripe/generate", label, bytes, Unit::Bytes, 1)
                .target(rss_target),
            Err(message) => Figure::missing("memory/stripe/generate", label, Unit::Bytes, message)
                .target(rss_target),
        }
    } else {
        Figure::missing(
            "memory/stripe/generate",
            label,
            Unit::Bytes,
            format!("{} is absent", stripe.display()),
        )
        .target(rss_target)
    });

    // 3. Compile time and rustc memory of the full Dialpad crate.
    figures.extend(compile::measure(root, dialpad_files.as_deref(), options));

    // 4. Client overhead per request.
    figures.extend(client::measure(root, options));
    figures
}

/// Prints the figures and the summary line, writes the JSON; fails on a failed target.
fn finish(
    figures: &[Figure],
    options: &Options,
    root: &Path,
    started: std::time::Instant,
) -> ExitCode {
    for figure in figures {
        println!("{}", figure.line());
    }
    let summary = report::Summary::of(figures);
    println!(
        "bench: {} figures, {} targets: {} pass, {} fail, {} skipped; {} not measured ({:.0} s{})",
        figures.len(),
        summary.targets,
        summary.pass,
        summary.fail,
        summary.skipped,
        summary.missing,
        started.elapsed().as_secs_f64(),
        if options.quick { ", --quick" } else { "" }
    );
    if let Some(path) = &options.json {
        let json = report::json(figures, options, started.elapsed(), root);
        if let Err(err) = std::fs::write(path, json) {
            eprintln!("error: cannot write {}: {err}", path.display());
            return ExitCode::FAILURE;
        }
        eprintln!("bench: wrote {}", path.display());
    }
    if summary.fail > 0 || summary.missing > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Bytes in a MiB.
pub const MIB: f64 = 1024.0 * 1024.0;

/// The median of `values` (the mean of the middle two for an even count); `None` if empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    })
}

/// The workspace's `cargo` (the one that runs us), for nested builds.
pub(crate) fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// The scratch folder of the bench, under the workspace's target folder.
pub(crate) fn scratch(root: &Path) -> PathBuf {
    root.join("target").join("bench")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn options_parse() {
        let options = parse_options(&["--quick", "--json", "out.json"]).unwrap();
        assert!(options.quick);
        assert!(!options.peers);
        assert!(parse_options(&["--peers"]).unwrap().peers);
        assert_eq!(options.json, Some(PathBuf::from("out.json")));
        assert!(parse_options(&["--json"]).is_err());
        assert!(parse_options(&["--fast"]).is_err());
    }
}
