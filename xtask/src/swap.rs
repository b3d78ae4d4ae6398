//! Replacing an output directory all at once.
//!
//! The new tree is built complete in a staging directory beside the old one, then the two
//! are exchanged in one `renameat2(RENAME_EXCHANGE)` call (Linux), so a run that fails or is
//! killed at any point leaves either the whole old tree or the whole new one, never a mix.
//! Elsewhere the exchange is two renames with a short window in which the directory is
//! missing; a later run finishes or undoes what such a run left.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Staging and retired directories of `dir` that an interrupted run left behind.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return Vec::new();
    };
    let prefixes = [
        format!(".{}.staging-", name.to_string_lossy()),
        format!(".{}.old-", name.to_string_lossy()),
    ];
    fs::read_dir(parent)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| {
                    path.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .is_some_and(|n| prefixes.iter().any(|p| n.starts_with(p.as_str())))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Rebuilds `dir` as its current contents changed by `edit` (called on a staging copy), and
/// swaps the result in. If `dir` is missing but a retired copy of it exists (a run died
/// between the two renames of the fallback), that copy is put back first.
pub fn replace_dir(dir: &Path, edit: impl FnOnce(&Path) -> io::Result<()>) -> io::Result<()> {
    let parent = dir
        .parent()
        .ok_or_else(|| io::Error::other("the output directory has no parent"))?;
    let name = dir
        .file_name()
        .ok_or_else(|| io::Error::other("the output directory has no name"))?
        .to_string_lossy()
        .into_owned();
    if !dir.exists() {
        if let Some(old) = leftovers(dir)
            .into_iter()
            .find(|p| p.to_string_lossy().contains(".old-"))
        {
            fs::rename(old, dir)?;
        }
    }
    for leftover in leftovers(dir) {
        fs::remove_dir_all(leftover)?;
    }
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    if dir.exists() {
        copy_tree(dir, &staging)?;
    } else {
        fs::create_dir_all(&staging)?;
    }
    let result = edit(&staging).and_then(|()| {
        pause_for_tests();
        if dir.exists() {
            exchange(&staging, dir)
        } else {
            fs::rename(&staging, dir)
        }
    });
    // After an exchange the staging path holds the old tree; after a failure, the new one.
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    result
}

/// Lets a test kill the process while the staging tree is complete but not yet swapped in.
fn pause_for_tests() {
    if let Some(ms) = std::env::var("XTASK_PAUSE_BEFORE_SWAP_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let b = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let status = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if status == 0 {
        Ok(())
    } else {
        let err = io::Error::last_os_error();
        // Filesystems without RENAME_EXCHANGE: fall back to two renames.
        match err.raw_os_error() {
            Some(libc::EINVAL | libc::ENOSYS) => exchange_by_renames(a_path(&a), a_path(&b)),
            _ => Err(err),
        }
    }
}

#[cfg(target_os = "linux")]
fn a_path(c: &std::ffi::CStr) -> &Path {
    use std::os::unix::ffi::OsStrExt;
    Path::new(std::ffi::OsStr::from_bytes(c.to_bytes()))
}

#[cfg(not(target_os = "linux"))]
fn exchange(staging: &Path, dir: &Path) -> io::Result<()> {
    exchange_by_renames(staging, dir)
}

/// `dir` to a retired name, `staging` to `dir`, the retired tree to `staging`.
fn exchange_by_renames(staging: &Path, dir: &Path) -> io::Result<()> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let retired = dir.with_file_name(format!(".{name}.old-{}", std::process::id()));
    fs::rename(dir, &retired)?;
    fs::rename(staging, dir)?;
    fs::rename(&retired, staging)
}
