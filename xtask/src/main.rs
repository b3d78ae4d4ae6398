//! `cargo xtask <command>`: project automation.
//!
//! - `cargo xtask codegen` regenerates `generated/` from the spec.
//! - `cargo xtask codegen --check` fails, naming the stale files, when `generated/` is not
//!   what the spec produces.

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
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
