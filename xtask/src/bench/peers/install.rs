//! Installing the pinned peer generators into the bench's scratch folder
//! (`target/bench/peers/tools`), through the registries' own clients.
//!
//! - `cargo-progenitor` 0.15.1: `cargo install --locked --root <scratch>`; a second run finds
//!   it installed and returns at once.
//! - `openapi-generator-cli` 7.26.0: `pip install` into a virtual environment. The Python
//!   package bundles the generator's jar (`openapi_generator_cli/openapi-generator.jar`), so
//!   nothing is downloaded at its first run; it needs Java 11 or newer (`java -version`),
//!   and is skipped with a message without it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The pinned version of `cargo-progenitor`.
pub const PROGENITOR_VERSION: &str = "0.15.1";
/// The pinned version of `openapi-generator-cli` (the Python package).
pub const OPENAPI_GENERATOR_VERSION: &str = "7.26.0";
/// The oldest Java that openapi-generator 7 runs on.
const MIN_JAVA: u32 = 11;

/// A peer generator ready to run, or why it is not.
pub type Installed = Result<PathBuf, String>;

/// Installs `cargo-progenitor` under `tools`; returns its binary.
pub fn progenitor(tools: &Path) -> Installed {
    let root = tools.join("progenitor");
    eprintln!(
        "bench: installing cargo-progenitor {PROGENITOR_VERSION} into {}",
        root.display()
    );
    let output = super::super::cargo()
        .args([
            "install",
            "cargo-progenitor",
            "--version",
            PROGENITOR_VERSION,
        ])
        .args(["--locked", "--quiet", "--root"])
        .arg(&root)
        .env_remove("RUSTC_WRAPPER")
        .output()
        .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo install cargo-progenitor {PROGENITOR_VERSION} failed: {}",
            last_error_line(&output.stderr)
        ));
    }
    let binary = root.join("bin").join("cargo-progenitor");
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!("cargo install left no {}", binary.display()))
    }
}

/// Installs `openapi-generator-cli` into a virtual environment under `tools` when Java 11+
/// is present; returns the `openapi-generator-cli` script.
pub fn openapi_generator(tools: &Path) -> Installed {
    let java = java_major()?;
    if java < MIN_JAVA {
        return Err(format!(
            "openapi-generator {OPENAPI_GENERATOR_VERSION} needs Java {MIN_JAVA} or newer; \
             `java -version` reports {java}"
        ));
    }
    let venv = tools.join("openapi-generator");
    let bin = venv.join("bin");
    if !bin.join("python").is_file() {
        eprintln!(
            "bench: creating a Python virtual environment in {}",
            venv.display()
        );
        run(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "python3 -m venv",
        )?;
    }
    let script = bin.join("openapi-generator-cli");
    let pinned = format!("openapi-generator-cli=={OPENAPI_GENERATOR_VERSION}");
    if !script.is_file() || !installed_version_is(&bin, OPENAPI_GENERATOR_VERSION) {
        eprintln!("bench: installing {pinned} (Java {java})");
        run(
            Command::new(bin.join("pip")).args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                &pinned,
            ]),
            "pip install",
        )?;
    }
    // The package must carry its jar: the Maven repository it would otherwise come from is
    // not one of the registries the bench may reach.
    let probe = Command::new(bin.join("python"))
        .args([
            "-c",
            "import importlib.resources as r; print(r.files('openapi_generator_cli') / 'openapi-generator.jar')",
        ])
        .output()
        .map_err(|e| format!("cannot run the virtual environment's python: {e}"))?;
    let jar = PathBuf::from(String::from_utf8_lossy(&probe.stdout).trim());
    if !jar.is_file() {
        return Err(format!(
            "{pinned} does not bundle openapi-generator.jar, and the bench does not download it"
        ));
    }
    Ok(script)
}

/// The major version `java -version` reports (8 for `1.8.0_x`, 17 for `17.0.15`).
fn java_major() -> Result<u32, String> {
    let output = Command::new("java")
        .arg("-version")
        .output()
        .map_err(|_| "java is not installed (openapi-generator needs Java 11+)".to_owned())?;
    // `java -version` writes to standard error.
    let text = String::from_utf8_lossy(&output.stderr);
    parse_java_major(&text).ok_or_else(|| format!("cannot read the Java version from {text:?}"))
}

/// The major version in `java -version` output: the first quoted version string.
pub fn parse_java_major(text: &str) -> Option<u32> {
    let quoted = text.split('"').nth(1)?;
    let mut parts = quoted.split(['.', '_', '-', '+']);
    let first: u32 = parts.next()?.parse().ok()?;
    if first == 1 {
        parts.next()?.parse().ok()
    } else {
        Some(first)
    }
}

fn installed_version_is(bin: &Path, version: &str) -> bool {
    Command::new(bin.join("pip"))
        .args([
            "show",
            "--disable-pip-version-check",
            "openapi-generator-cli",
        ])
        .output()
        .is_ok_and(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .any(|line| line.trim() == format!("Version: {version}"))
        })
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}",
            last_error_line(&output.stderr)
        ))
    }
}

/// The last non-empty line of a tool's standard error (where the reason usually is).
pub fn last_error_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    text.lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("no message")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_versions() {
        let modern = "openjdk version \"17.0.15\" 2025-04-15\nOpenJDK Runtime Environment";
        assert_eq!(parse_java_major(modern), Some(17));
        assert_eq!(parse_java_major("java version \"1.8.0_392\""), Some(8));
        assert_eq!(
            parse_java_major("openjdk version \"21\" 2023-09-19"),
            Some(21)
        );
        assert_eq!(parse_java_major("no java here"), None);
    }
}
