//! Client overhead per request: the generated client against hand-written reqwest code.
//!
//! The measuring program ([`PROGRAM`], `client_program.rs` beside this file) cannot be part
//! of xtask: it depends on the generated client, which `cargo xtask codegen` must be able to
//! rewrite even when it does not compile. So it goes into a scratch crate
//! (`target/bench/client`, with the root `Cargo.lock`), is built with `--release`, and runs
//! as a child process that prints its statistics as JSON.

use std::fs;
use std::path::Path;

use super::generation::first_line;
use super::report::{self, Figure, Target, Unit};
use super::Options;

/// The source of the measuring program.
pub const PROGRAM: &str = include_str!("client_program.rs");

/// The goal for both ratios, median and 90th percentile: at most 5% slower than hand-written
/// reqwest + serde_json.
const RATIO_TARGET: f64 = 1.05;

/// The figures of this section.
pub fn measure(root: &Path, options: &Options) -> Vec<Figure> {
    let slots = [
        ("client/generated", "generated get_sms_subscription"),
        ("client/handwritten", "hand-written reqwest+serde_json"),
        ("client/ratio", "generated / hand-written, median"),
        ("client/ratio-p90", "generated / hand-written, p90"),
    ];
    let result = run(root, options);
    if let Err(message) = &result {
        eprintln!("bench: client section failed: {message}");
    }
    slots
        .into_iter()
        .enumerate()
        .map(|(index, (id, what))| {
            let label = report::label("client", "dialpad-sms", what);
            let ratio = index >= 2;
            let unit = if ratio { Unit::Ratio } else { Unit::Seconds };
            let figure = match &result {
                Ok(numbers) => {
                    let value = [
                        numbers.generated,
                        numbers.handwritten,
                        numbers.ratio(),
                        numbers.ratio_p90(),
                    ][index];
                    let figure = Figure::new(id, label, value, unit, numbers.requests);
                    match index {
                        2 => figure.note(format!(
                            "medians {} vs {}",
                            Unit::Seconds.format(numbers.generated),
                            Unit::Seconds.format(numbers.handwritten)
                        )),
                        3 => figure.note(format!(
                            "p90 {} vs {}",
                            Unit::Seconds.format(numbers.generated_p90),
                            Unit::Seconds.format(numbers.handwritten_p90)
                        )),
                        _ => figure,
                    }
                }
                Err(message) => Figure::missing(id, label, unit, message.clone()),
            };
            if ratio {
                figure.target(Target::at_most(RATIO_TARGET))
            } else {
                figure
            }
        })
        .collect()
}

/// Medians (seconds per request) of one run of the program.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Numbers {
    /// Requests per client.
    pub requests: usize,
    /// Median latency of the generated client.
    pub generated: f64,
    /// Median latency of the hand-written client.
    pub handwritten: f64,
    /// 90th percentile of the generated client.
    pub generated_p90: f64,
    /// 90th percentile of the hand-written client.
    pub handwritten_p90: f64,
}

impl Numbers {
    /// generated / hand-written, medians.
    pub fn ratio(&self) -> f64 {
        self.generated / self.handwritten
    }

    /// generated / hand-written, 90th percentiles.
    pub fn ratio_p90(&self) -> f64 {
        self.generated_p90 / self.handwritten_p90
    }

    /// Reads the program's JSON output.
    pub fn parse(stdout: &str) -> Result<Self, String> {
        let line = stdout
            .lines()
            .rev()
            .find(|l| l.starts_with('{'))
            .ok_or("the client program printed no JSON")?;
        let value: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| format!("bad JSON from the client program: {e}"))?;
        let get = |client: &str, field: &str| {
            value[client][field]
                .as_f64()
                .map(|ns| ns / 1e9)
                .ok_or_else(|| format!("no {client}.{field} in the client program's output"))
        };
        Ok(Numbers {
            requests: value["requests"].as_u64().unwrap_or(0) as usize,
            generated: get("generated", "median_ns")?,
            handwritten: get("handwritten", "median_ns")?,
            generated_p90: get("generated", "p90_ns")?,
            handwritten_p90: get("handwritten", "p90_ns")?,
        })
    }
}

fn run(root: &Path, options: &Options) -> Result<Numbers, String> {
    let work = super::scratch(root).join("client");
    fs::create_dir_all(work.join("src")).map_err(|e| e.to_string())?;
    let path = |relative: &str| format!("{:?}", root.join(relative).display().to_string());
    let manifest = format!(
        r#"# Written by cargo xtask bench.
[package]
name = "forge-bench-client"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
dialpad-sms-subscriptions = {{ path = {generated} }}
forge-runtime = {{ path = {runtime} }}
tokio = {{ version = "1.45", features = ["rt", "net", "time"] }}
hyper = {{ version = "1", features = ["server", "http1"] }}
hyper-util = {{ version = "0.1", features = ["tokio"] }}
http-body-util = "0.1"

[workspace]
"#,
        generated = path(crate::OUTPUT),
        runtime = path("runtime"),
    );
    write_if_changed(&work.join("Cargo.toml"), &manifest)?;
    write_if_changed(&work.join("src").join("main.rs"), PROGRAM)?;
    if !work.join("Cargo.lock").exists() {
        fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock"))
            .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    }

    eprintln!("bench: building the client program with --release (untimed)");
    let output = super::cargo()
        .args(["build", "--release", "--quiet"])
        .current_dir(&work)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env_remove("RUSTC_WRAPPER")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|l| l.contains("error"))
            .unwrap_or(&stderr);
        return Err(format!(
            "building the client program failed: {}",
            first_line(first)
        ));
    }

    let requests = options.client_requests();
    eprintln!("bench: client overhead, {requests} requests per client over loopback");
    let exe = work.join("target").join("release").join(format!(
        "forge-bench-client{}",
        std::env::consts::EXE_SUFFIX
    ));
    let warmup = if options.quick { 20 } else { 200 };
    let output = std::process::Command::new(&exe)
        .args(["--requests", &requests.to_string()])
        .args(["--warmup", &warmup.to_string()])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    if !output.status.success() {
        return Err(format!(
            "the client program failed: {}",
            first_line(&String::from_utf8_lossy(&output.stderr))
        ));
    }
    Numbers::parse(&String::from_utf8_lossy(&output.stdout))
}

/// Rewrites `path` only when its text changes, so cargo does not rebuild for nothing.
fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_program_output() {
        let out = r#"{"requests":10,"generated":{"median_ns":110000.0,"p90_ns":150000.0},"handwritten":{"median_ns":100000.0,"p90_ns":140000.0}}"#;
        let numbers = Numbers::parse(out).unwrap();
        assert_eq!(numbers.requests, 10);
        assert!((numbers.ratio() - 1.1).abs() < 1e-9);
        assert!(Numbers::parse("nothing").is_err());
    }
}
