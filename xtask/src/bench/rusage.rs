//! Peak memory (max RSS) through `getrusage`: of this process, and of rustc runs.
//!
//! rustc's peak is taken by a wrapper (`RUSTC_WRAPPER`, a two-line shell script that calls
//! `xtask bench --inner-rusage LOG rustc ARGS...`): it runs rustc, waits for it, reads
//! `getrusage(RUSAGE_CHILDREN)` (its only child, so rustc's own peak, with the linker it
//! may spawn), and appends one `crate<TAB>kind<TAB>peak bytes<TAB>seconds<TAB>CPU seconds`
//! line to LOG. No external tool (`/usr/bin/time`) is needed.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// Peak resident memory of this process so far, in bytes.
pub fn self_peak() -> Option<u64> {
    peak(Who::Myself)
}

/// Peak resident memory of the largest terminated and waited-for child (or descendant).
pub fn children_peak() -> Option<u64> {
    peak(Who::Children)
}

enum Who {
    Myself,
    Children,
}

/// CPU time (user + system) of the terminated and waited-for children, in seconds: unlike
/// wall time, it does not grow when other work on the machine competes for the cores.
#[cfg(unix)]
pub fn children_cpu() -> Option<f64> {
    // SAFETY: as in `peak`: `getrusage` only writes the zero-initialized struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) != 0 {
            return None;
        }
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Some(seconds(usage.ru_utime) + seconds(usage.ru_stime))
}

/// CPU time of the children; unknown off Unix.
#[cfg(not(unix))]
pub fn children_cpu() -> Option<f64> {
    None
}

#[cfg(unix)]
fn peak(who: Who) -> Option<u64> {
    let who = match who {
        Who::Myself => libc::RUSAGE_SELF,
        Who::Children => libc::RUSAGE_CHILDREN,
    };
    // SAFETY: `getrusage` only writes the struct it is given, which is zero-initialized
    // plain data owned by this frame.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(who, &mut usage) != 0 {
            return None;
        }
        usage
    };
    let max = u64::try_from(usage.ru_maxrss).ok()?;
    // Linux reports KiB; macOS reports bytes.
    Some(if cfg!(target_os = "macos") {
        max
    } else {
        max * 1024
    })
}

#[cfg(not(unix))]
fn peak(_who: Who) -> Option<u64> {
    None
}

/// `bench --inner-rusage LOG PROGRAM ARGS...`: runs the program with inherited stdio, logs
/// its peak memory and wall time, and exits with its status.
pub fn inner_rusage(log: &Path, program: &str, args: &[&str]) -> ExitCode {
    let started = Instant::now();
    let status = match Command::new(program).args(args).status() {
        Ok(status) => status,
        Err(err) => {
            eprintln!("bench rustc wrapper: cannot run {program}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    let crate_name = args
        .windows(2)
        .find(|pair| pair[0] == "--crate-name")
        .map_or("-", |pair| pair[1]);
    // `--emit=metadata` alone is `cargo check`; anything else produces code.
    let kind = if args.contains(&"--emit=dep-info,metadata") {
        "check"
    } else {
        "build"
    };
    if let Some(peak) = children_peak() {
        let cpu = children_cpu().map_or_else(|| "-".to_owned(), |cpu| format!("{cpu:.3}"));
        let line = format!("{crate_name}\t{kind}\t{peak}\t{seconds:.3}\t{cpu}\n");
        let written = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .and_then(|mut file| file.write_all(line.as_bytes()));
        if let Err(err) = written {
            eprintln!("bench rustc wrapper: cannot write {}: {err}", log.display());
        }
    }
    match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    }
}

/// One line of the wrapper's log.
#[derive(Debug, Clone, PartialEq)]
pub struct RustcRun {
    /// `--crate-name` of the run (`-` for `rustc -vV` and the like).
    pub crate_name: String,
    /// `check` (metadata only) or `build`.
    pub kind: String,
    /// Peak resident memory in bytes.
    pub peak: u64,
    /// Wall time of the rustc process.
    pub seconds: f64,
    /// CPU time (user + system) of the rustc process and what it spawned, when known.
    pub cpu: Option<f64>,
}

/// Parses the wrapper's log.
pub fn read_log(log: &Path) -> Vec<RustcRun> {
    fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            Some(RustcRun {
                crate_name: fields.next()?.to_owned(),
                kind: fields.next()?.to_owned(),
                peak: fields.next()?.parse().ok()?,
                seconds: fields.next()?.parse().ok()?,
                cpu: fields.next().and_then(|cpu| cpu.parse().ok()),
            })
        })
        .collect()
}

/// Writes the `RUSTC_WRAPPER` script into `dir`, calling this very binary; returns its path.
pub fn write_wrapper(dir: &Path, log: &Path) -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find own binary: {e}"))?;
    let script = dir.join("rustc-rusage.sh");
    let quote = |p: &Path| format!("'{}'", p.display().to_string().replace('\'', r"'\''"));
    let text = format!(
        "#!/bin/sh\n# Written by cargo xtask bench: logs the peak memory of each rustc run.\nexec {} bench --inner-rusage {} \"$@\"\n",
        quote(&exe),
        quote(log)
    );
    fs::write(&script, text).map_err(|e| format!("cannot write {}: {e}", script.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("cannot make {} executable: {e}", script.display()))?;
    }
    Ok(script)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_parse() {
        let dir = std::env::temp_dir().join(format!("xtask-rusage-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let log = dir.join("log.tsv");
        fs::write(
            &log,
            "-\tbuild\t1024\t0.010\nbench_x\tcheck\t2048\t1.500\t1.250\nbroken\n",
        )
        .unwrap();
        let runs = read_log(&log);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[1].crate_name, "bench_x");
        assert_eq!(runs[1].kind, "check");
        assert_eq!(runs[1].peak, 2048);
        assert_eq!(runs[0].cpu, None);
        assert_eq!(runs[1].cpu, Some(1.25));
        let _ = fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn own_peak_is_known() {
        assert!(self_peak().is_some_and(|bytes| bytes > 0));
    }
}
