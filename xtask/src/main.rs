//! `cargo xtask <command>`: project automation.
//!
//! - `cargo xtask codegen` regenerates `generated/` from the spec.
//! - `cargo xtask codegen --check` fails, naming the stale files, when `generated/` is not
//!   what the spec produces.
//! - `cargo xtask codegen --out DIR [--spec FILE] [--name CRATE] [--runtime-version V]
//!   [--tag T] [--path-prefix P] [--operation ID] [--check]` generates a client crate into `DIR` instead (from our spec
//!   unless `--spec`), with only the operations the repeatable `--tag`, `--path-prefix` and
//!   `--operation` select, and exactly the types they use.
//! - `cargo xtask corpus [--keep DIR] [--json FILE] [--no-check] [--examples] [--timeout SECS] PATH...` generates and compiles a client
//!   for every spec under the paths, and ends with the line
//!   `corpus: N specs, C compiled, R rejected, B broken, P panicked, A aborted, T timed out`.
//! - `cargo xtask conformance [--jobs N] [--json FILE] [--keep DIR] PATH...` calls every
//!   operation of every spec through its generated client against Prism mocking the spec.
//! - `cargo xtask bench [--json FILE] [--quick]` measures performance.
//!
//! Every command takes `--help` (see [`xtask::help`]); exit status 2 is a usage error.

use std::process::ExitCode;

use xtask::help;

/// The generator builds and drops many small values; mimalloc makes that a fraction of the
/// run it is with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen", rest @ ..] if help::wanted(rest) => print_help(help::CODEGEN),
        ["corpus", rest @ ..] if help::wanted(rest) => print_help(help::CORPUS),
        ["bench", rest @ ..] if help::wanted(rest) => print_help(help::BENCH),
        ["conformance", rest @ ..] if help::wanted(rest) => print_help(help::CONFORMANCE),
        ["conformance", rest @ ..] => conformance(rest),
        ["codegen", rest @ ..] => codegen(rest),
        ["corpus", rest @ ..] => corpus(rest),
        ["corpus-generate", rest @ ..] => xtask::corpus::generate_child(rest),
        ["bench", rest @ ..] => xtask::bench::main(rest),
        ["--help" | "-h" | "help"] | ["help", ..] => print_help(help::MAIN),
        [] => usage_error("a command is needed", help::MAIN),
        [other, ..] => usage_error(&format!("unknown command {other}"), help::MAIN),
    }
}

fn print_help(text: &str) -> ExitCode {
    use std::io::Write;
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = writeln!(std::io::stdout(), "{text}");
    ExitCode::SUCCESS
}

/// A usage error: the message, then where to read more; exit status 2.
fn usage_error(message: &str, help: &str) -> ExitCode {
    let usage = help
        .lines()
        .skip_while(|line| !line.starts_with("usage:"))
        .take_while(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    eprintln!("error: {message}\n{usage}\nRun with --help for every flag.");
    ExitCode::from(2)
}

fn codegen(args: &[&str]) -> ExitCode {
    let options = match xtask::CodegenOptions::parse(args) {
        Ok(options) => options,
        Err(message) => return usage_error(&message, help::CODEGEN),
    };
    let check = options.check;
    let root = xtask::project_root();
    let target = xtask::codegen_target(&root, &options);
    // Messages name the spec as the user gave it.
    let spec = match &options.spec {
        Some(path) => path.display().to_string(),
        None => target.spec.clone(),
    };
    let (dir, out) = (&target.dir, &target.label);
    let started = std::time::Instant::now();
    // Everything is generated in memory first: a spec that fails leaves the output untouched.
    let expected = match xtask::codegen_files_and_warnings(&root, &options) {
        Ok((files, warnings)) => {
            for warning in &warnings {
                eprintln!("warning: {warning}");
            }
            files
        }
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!("{out} was left untouched.");
            return ExitCode::FAILURE;
        }
    };
    if check {
        let stale = xtask::stale_files_in(dir, &expected);
        if stale.is_empty() {
            println!("{out} is up to date with {spec}.");
            return ExitCode::SUCCESS;
        }
        eprintln!("{out} is stale; these files differ from what {spec} produces:");
        for path in stale {
            eprintln!("  {out}{path}");
        }
        if options.out.is_none() {
            eprintln!("Run `cargo xtask codegen` and commit the result.");
        } else {
            eprintln!("Run the same command without --check to update it.");
        }
        return ExitCode::FAILURE;
    }
    match xtask::write_files_to(dir, &expected) {
        Ok(changed) if changed.is_empty() => {
            println!(
                "{out} already up to date ({} files, {:.0?}).",
                expected.len(),
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Ok(changed) => {
            for path in &changed {
                println!("wrote {out}{path}");
            }
            println!(
                "{} of {} files changed ({:.0?}).",
                changed.len(),
                expected.len(),
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: writing {out} failed: {err}");
            ExitCode::FAILURE
        }
    }
}

fn corpus(args: &[&str]) -> ExitCode {
    let mut options = xtask::corpus::Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--timeout" => {
                let Some(seconds) = args
                    .next()
                    .and_then(|v| v.parse::<f64>().ok())
                    .filter(|s| s.is_finite() && *s > 0.0)
                else {
                    return usage_error("--timeout needs a number of seconds", help::CORPUS);
                };
                options.timeout = Some(std::time::Duration::from_secs_f64(seconds));
            }
            "--keep" | "--json" => {
                let Some(value) = args.next() else {
                    return usage_error(&format!("{arg} needs a value"), help::CORPUS);
                };
                let value = std::path::PathBuf::from(value);
                if *arg == "--keep" {
                    options.keep = Some(value);
                } else {
                    options.json = Some(value);
                }
            }
            "--no-check" => options.no_check = true,
            "--examples" => options.examples = true,
            flag if flag.starts_with("--") => {
                return usage_error(&format!("unknown option {flag}"), help::CORPUS);
            }
            path => options.paths.push(path.into()),
        }
    }
    if options.paths.is_empty() {
        return usage_error("corpus needs at least one PATH", help::CORPUS);
    }
    let started = std::time::Instant::now();
    let (rows, passed) = match xtask::corpus::run(&options, &xtask::project_root()) {
        Ok(result) => result,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &options.json {
        if let Err(err) = std::fs::write(path, xtask::corpus::json(&rows)) {
            eprintln!("error: cannot write {}: {err}", path.display());
            return ExitCode::FAILURE;
        }
    }
    eprintln!("(corpus run took {:.1} s)", started.elapsed().as_secs_f64());
    println!("{}", xtask::corpus::report(&rows));
    if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn conformance(args: &[&str]) -> ExitCode {
    let mut options = xtask::conformance::Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--jobs" => {
                let Some(jobs) = args
                    .next()
                    .and_then(|v| v.parse::<usize>().ok())
                    .filter(|n| *n > 0)
                else {
                    return usage_error("--jobs needs a positive number", help::CONFORMANCE);
                };
                options.jobs = Some(jobs);
            }
            "--keep" | "--json" => {
                let Some(value) = args.next() else {
                    return usage_error(&format!("{arg} needs a value"), help::CONFORMANCE);
                };
                let value = std::path::PathBuf::from(value);
                if *arg == "--keep" {
                    options.keep = Some(value);
                } else {
                    options.json = Some(value);
                }
            }
            flag if flag.starts_with("--") => {
                return usage_error(&format!("unknown option {flag}"), help::CONFORMANCE);
            }
            path => options.paths.push(path.into()),
        }
    }
    if options.paths.is_empty() {
        return usage_error("conformance needs at least one PATH", help::CONFORMANCE);
    }
    let root = xtask::project_root();
    let started = std::time::Instant::now();
    let rows = match xtask::conformance::run(&options, &root) {
        Ok(rows) => rows,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    let json = xtask::conformance::json(&rows);
    let work = options
        .keep
        .clone()
        .unwrap_or_else(|| root.join("target").join("conformance"));
    for path in std::iter::once(work.join("report.json")).chain(options.json.clone()) {
        if let Err(err) = std::fs::write(&path, &json) {
            eprintln!("error: cannot write {}: {err}", path.display());
            return ExitCode::FAILURE;
        }
    }
    println!("{}", xtask::conformance::report(&rows, seconds));
    ExitCode::SUCCESS
}
