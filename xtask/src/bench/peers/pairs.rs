//! Paired measurements of our crate (A) and a peer's (B) for one spec: A B A B ..., one
//! unmeasured warm-up pair first, so that a change in the machine's load hits both sides.
//!
//! - Generation: the whole process, from start to exit, into an emptied folder.
//! - Own-code `cargo check` / dev `cargo build`: both crates are members of one scratch
//!   workspace (its own `[workspace]` table, outside the project's), each built with
//!   `-p` so that features are resolved for it alone. Dependencies are built first,
//!   untimed; each timed run touches the crate's `src/lib.rs` and rebuilds it with
//!   `CARGO_INCREMENTAL=0`, so only its own code is compiled. The time is cargo's wall time
//!   (its freshness checks of the dependencies included, as a user waits for them).
//! - rustc peak memory and CPU time: every cargo run goes through the `RUSTC_WRAPPER` of
//!   [`rusage`], which logs the max RSS and the user + system CPU time
//!   (`getrusage(RUSAGE_CHILDREN)`) of each rustc process; the figures are the crate's own
//!   rustc's (the linker it spawns included). CPU time does not grow when other work
//!   competes for the cores, so its ratio is the steadier one on a busy machine.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use super::super::rusage;
use super::install::last_error_line;

/// One run's measurements.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Wall seconds.
    pub seconds: f64,
    /// Peak RSS in bytes of the crate's own rustc, when logged.
    pub peak: Option<u64>,
    /// CPU seconds (user + system) of the crate's own rustc, when logged.
    pub cpu: Option<f64>,
}

impl Sample {
    /// A sample of wall time only.
    pub fn wall(seconds: f64) -> Self {
        Sample {
            seconds,
            ..Sample::default()
        }
    }
}

/// One side of a pair's measurements.
#[derive(Debug, Default, Clone)]
pub struct Series {
    /// Wall seconds per measured run.
    pub seconds: Vec<f64>,
    /// Peak RSS in bytes of the crate's own rustc, per measured run where it was logged.
    pub peaks: Vec<f64>,
    /// CPU seconds of the crate's own rustc, per measured run where it was logged.
    pub cpu: Vec<f64>,
}

/// Runs `a` and `b` alternately: `warmup` unmeasured pairs, then `runs` measured ones.
pub fn alternate<F, G>(
    warmup: usize,
    runs: usize,
    mut a: F,
    mut b: G,
) -> Result<(Series, Series), String>
where
    F: FnMut() -> Result<Sample, String>,
    G: FnMut() -> Result<Sample, String>,
{
    let (mut first, mut second) = (Series::default(), Series::default());
    for run in 0..warmup + runs {
        let measured = [a()?, b()?];
        if run < warmup {
            continue;
        }
        for (sample, series) in measured.into_iter().zip([&mut first, &mut second]) {
            series.seconds.push(sample.seconds);
            series.peaks.extend(sample.peak.map(|p| p as f64));
            series.cpu.extend(sample.cpu);
        }
    }
    Ok((first, second))
}

/// Runs a generator once into an emptied `out`; the wall time of the whole process.
pub fn generate_once(mut command: Command, out: &Path) -> Result<Sample, String> {
    let _ = fs::remove_dir_all(out);
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    let seconds = started.elapsed().as_secs_f64();
    if !output.status.success() {
        let stderr = if output.stderr.is_empty() {
            &output.stdout
        } else {
            &output.stderr
        };
        return Err(format!(
            "{} failed: {}",
            command.get_program().to_string_lossy(),
            last_error_line(stderr)
        ));
    }
    Ok(Sample::wall(seconds))
}

/// The scratch workspace holding both crates of a comparison, with its own target folder.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Its folder (`target/bench/peers/<spec>-<peer>`).
    pub dir: PathBuf,
    /// The rustc wrapper script.
    pub wrapper: PathBuf,
}

impl Workspace {
    /// Writes the workspace manifest over `members` (folders under `dir`) and seeds its
    /// `Cargo.lock` from the project's, so our crate's dependencies have the project's
    /// versions; cargo adds what a peer needs.
    pub fn create(dir: &Path, members: &[&str], project_lock: &Path) -> Result<Self, String> {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
        let manifest = format!(
            "# Written by cargo xtask bench --peers.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        );
        fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        fs::copy(project_lock, dir.join("Cargo.lock"))
            .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
        let log = dir.join("rustc-rusage.tsv");
        let wrapper = rusage::write_wrapper(dir, &log)?;
        Ok(Workspace {
            dir: dir.to_path_buf(),
            wrapper,
        })
    }

    fn log(&self) -> PathBuf {
        self.dir.join("rustc-rusage.tsv")
    }

    /// Builds and checks `package` once, untimed, so that its dependencies are compiled.
    pub fn prepare(&self, package: &str) -> Result<(), String> {
        self.cargo("build", package)?;
        self.cargo("check", package)?;
        Ok(())
    }

    /// One timed own-code run of `cargo <command> -p <package>` (`check` or `build`), whose
    /// library's own code lives in `<member>/src/lib.rs`: the wall time and its rustc's peak.
    pub fn own_code(&self, command: &str, package: &str, member: &str) -> Result<Sample, String> {
        let lib = self.dir.join(member).join("src").join("lib.rs");
        fs::File::options()
            .write(true)
            .open(&lib)
            .and_then(|file| file.set_modified(SystemTime::now()))
            .map_err(|e| format!("cannot touch {}: {e}", lib.display()))?;
        let _ = fs::remove_file(self.log());
        let seconds = self.cargo(command, package)?;
        let own = package.replace('-', "_");
        let run = rusage::read_log(&self.log())
            .into_iter()
            .filter(|run| run.crate_name == own && run.kind == command)
            .max_by_key(|run| run.peak);
        Ok(Sample {
            seconds,
            peak: run.as_ref().map(|run| run.peak),
            cpu: run.and_then(|run| run.cpu),
        })
    }

    /// `cargo <command> -p <package>` in the workspace; its wall time.
    fn cargo(&self, command: &str, package: &str) -> Result<f64, String> {
        let mut cargo = super::super::cargo();
        cargo
            .args([command, "--quiet", "-p", package])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .env("CARGO_INCREMENTAL", "0")
            .env("RUSTC_WRAPPER", &self.wrapper)
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            .env_remove("CARGO_BUILD_RUSTC_WRAPPER")
            .env_remove("CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER");
        let started = Instant::now();
        let output = cargo
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let seconds = started.elapsed().as_secs_f64();
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr
                .lines()
                .find(|line| line.starts_with("error"))
                .unwrap_or("no message");
            return Err(format!("cargo {command} -p {package} failed: {first}"));
        }
        Ok(seconds)
    }
}

/// Lines of Rust under `dir/src`.
pub fn rust_lines(dir: &Path) -> usize {
    fn walk(dir: &Path, total: &mut usize) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, total);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                *total += fs::read_to_string(&path).map_or(0, |text| text.lines().count());
            }
        }
    }
    let mut total = 0;
    walk(&dir.join("src"), &mut total);
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_alternate_and_skip_the_warmup() {
        let order = std::cell::RefCell::new(Vec::new());
        let mut n = 0.0;
        let (a, b) = alternate(
            1,
            3,
            || {
                order.borrow_mut().push('A');
                n += 1.0;
                Ok(Sample {
                    seconds: n,
                    peak: Some(10),
                    cpu: Some(n / 2.0),
                })
            },
            || {
                order.borrow_mut().push('B');
                Ok(Sample::wall(0.5))
            },
        )
        .unwrap();
        assert_eq!(order.borrow().iter().collect::<String>(), "ABABABAB");
        assert_eq!(a.seconds, vec![2.0, 3.0, 4.0]);
        assert_eq!(a.peaks, vec![10.0; 3]);
        assert_eq!(a.cpu, vec![1.0, 1.5, 2.0]);
        assert_eq!(b.seconds, vec![0.5; 3]);
        assert!(b.peaks.is_empty());
        let failing = alternate(0, 2, || Ok(Sample::wall(1.0)), || Err("broken".to_owned()));
        assert_eq!(failing.unwrap_err(), "broken");
    }
}
