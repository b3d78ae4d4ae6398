//! `cargo xtask <command>`: project automation.
//!
//! - `cargo xtask codegen` regenerates `generated/` from the spec.
//! - `cargo xtask codegen --check` fails, naming the stale files, when `generated/` is not
//!   what the spec produces.
//! - `cargo xtask corpus [--keep DIR] [--json FILE] PATH...` generates and compiles a client
//!   for every spec under the paths, and ends with the line
//!   `corpus: N specs, C compiled, R rejected, B broken, P panicked`.

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]\n       cargo xtask corpus [--keep DIR] [--json FILE] PATH...";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["corpus", rest @ ..] => corpus(rest),
        ["--help" | "-h" | "help"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn codegen(check: bool) -> ExitCode {
    let root = xtask::project_root();
    let started = std::time::Instant::now();
    // Everything is generated in memory first: a spec that fails leaves generated/ untouched.
    let expected = match xtask::expected_files(&root) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!("generated/ was left untouched.");
            return ExitCode::FAILURE;
        }
    };
    if check {
        let stale = xtask::stale_files(&root, &expected);
        if stale.is_empty() {
            println!("generated/ is up to date with {}.", xtask::SPEC);
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "generated/ is stale; these files differ from what {} produces:",
            xtask::SPEC
        );
        for path in stale {
            eprintln!("  generated/{path}");
        }
        eprintln!("Run `cargo xtask codegen` and commit the result.");
        return ExitCode::FAILURE;
    }
    match xtask::write_files(&root, &expected) {
        Ok(changed) if changed.is_empty() => {
            println!(
                "generated/ already up to date ({} files, {:.0?}).",
                expected.len(),
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Ok(changed) => {
            for path in &changed {
                println!("wrote generated/{path}");
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
            eprintln!("error: writing generated/ failed: {err}");
            ExitCode::FAILURE
        }
    }
}

fn corpus(args: &[&str]) -> ExitCode {
    let mut options = xtask::corpus::Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--keep" | "--json" => {
                let Some(value) = args.next() else {
                    eprintln!("{arg} needs a value\n{USAGE}");
                    return ExitCode::from(2);
                };
                let value = std::path::PathBuf::from(value);
                if *arg == "--keep" {
                    options.keep = Some(value);
                } else {
                    options.json = Some(value);
                }
            }
            flag if flag.starts_with("--") => {
                eprintln!("unknown option {flag}\n{USAGE}");
                return ExitCode::from(2);
            }
            path => options.paths.push(path.into()),
        }
    }
    if options.paths.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
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
