//! Starting and stopping `prism mock` (pinned in `tests/contract/`) for one spec: a free
//! loopback port, a fixed `--seed` (the schema-generated answers repeat from run to run) and,
//! when [`Checks::Strict`], `--errors` (violations become error answers). Prism leads its own
//! process group, so stopping it ends its children too.

use std::fs;
use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Prism may take to load a spec and listen (large specs take several seconds).
const START_TIMEOUT: Duration = Duration::from_secs(600);

/// The seed of Prism's schema-generated answers.
pub const SEED: &str = "1";

/// The Prism executable under `root`, if it is installed.
pub fn executable(root: &Path) -> Option<PathBuf> {
    let path = root.join("tests/contract/node_modules/.bin/prism");
    path.exists().then_some(path)
}

/// What Prism does with a violation it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checks {
    /// `--errors`: a request violation is answered 422 with the violations, an answer that
    /// contradicts its schema is replaced by a 500 listing them.
    Strict,
    /// Violations are only logged; the answer is served as it is (an example that
    /// contradicts its schema reaches the client).
    Lax,
}

/// A running Prism; dropping it kills its process group.
pub struct Prism {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    log: PathBuf,
}

impl Prism {
    /// Starts Prism on `spec` with `checks`, logging into `log`, and waits until it listens.
    ///
    /// # Errors
    ///
    /// Prism did not start, exited, or did not listen within `START_TIMEOUT` (600 s); the message
    /// ends with the last line of its log.
    pub fn start(
        executable: &Path,
        spec: &Path,
        log: &Path,
        checks: Checks,
    ) -> Result<Prism, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let out = fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let mut command = Command::new(executable);
        command
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--seed", SEED]);
        if checks == Checks::Strict {
            command.arg("--errors");
        }
        let child = command
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", executable.display()))?;
        let mut prism = Prism {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            log: log.to_path_buf(),
        };
        let banner = format!("Prism is listening on http://127.0.0.1:{port}");
        let started = Instant::now();
        loop {
            if fs::read_to_string(log).is_ok_and(|text| text.contains(&banner)) {
                return Ok(prism);
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(format!("Prism exited ({status}): {}", prism.last_line()));
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(format!(
                    "Prism did not listen within {} s: {}",
                    START_TIMEOUT.as_secs(),
                    prism.last_line()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Whether Prism has exited (it crashes on some requests).
    pub fn stopped(&mut self) -> bool {
        !matches!(self.child.try_wait(), Ok(None))
    }

    /// The last non-empty line of Prism's log that is not a request line.
    pub fn last_line(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let line = text
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("(no output)");
        crate::corpus::first_line(line)
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // The child leads its own process group (`process_group(0)`): end all of it.
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: `kill` has no memory effects; a group that is gone gives ESRCH.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.child.wait();
    }
}
