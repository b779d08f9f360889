//! Writing files whole: a temporary file in the same folder, synced, with
//! the original's permissions, owner and extended attributes, renamed over
//! the original. A reader (or a crash, or a full disk) sees the old file or
//! the new one, never half of one.
//!
//! - A symbolic link is not replaced by a regular file: its target (inside
//!   the project, or it was never read) is rewritten, so every link to it
//!   sees the fix.
//! - Temporary files are named `.exchange-auth-lint-<pid>-XXXXXX.tmp`; one
//!   left by a run that was killed (its process is gone) is removed by the
//!   next write in that folder, and by the next `check --fix` in every
//!   folder of the project.

use std::io::Write;
use std::path::{Path, PathBuf};

const TEMP_PREFIX: &str = ".exchange-auth-lint-";
const TEMP_SUFFIX: &str = ".tmp";

/// Why an I/O operation on a path the user named failed, in words.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Where a write to `path` goes: the target of a link, else `path`.
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        path.canonicalize()
    } else {
        Ok(path.to_path_buf())
    }
}

/// Replaces `path` (or a link's target) with `bytes`.
pub fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let path = resolve(path)?;
    let mut tmp = temp_in(folder_of(&path))?;
    tmp.write_all(bytes)?;
    if let Ok(meta) = std::fs::metadata(&path) {
        std::fs::set_permissions(tmp.path(), meta.permissions())?;
        keep_owner_and_attributes(&path, tmp.as_file(), &meta);
    }
    tmp.as_file().sync_all()?;
    tmp.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

/// Creates `path` with `bytes`, failing if it exists.
pub fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = folder_of(path);
    std::fs::create_dir_all(dir)?;
    let mut tmp = temp_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

fn temp_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    remove_stale_temporaries(dir);
    tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
}

/// [`remove_stale_temporaries`] in each folder of `files` (once each):
/// `check --fix` runs it over every folder of the project, so a temporary
/// file of a killed run goes even where this run writes nothing.
pub fn remove_stale_temporaries_around<'a>(files: impl IntoIterator<Item = &'a Path>) {
    let folders: std::collections::BTreeSet<&Path> = files.into_iter().map(folder_of).collect();
    for dir in folders {
        remove_stale_temporaries(dir);
    }
}

/// Removes this tool's temporary files in `dir` whose process is gone.
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name
            .strip_prefix(TEMP_PREFIX)
            .filter(|_| name.ends_with(TEMP_SUFFIX))
        else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_alive(_: u32) -> bool {
    true
}

/// Owner and group (when allowed: root, or a group the user is in) and
/// extended attributes of `original` onto `tmp`. Best effort: a file we
/// may not give away keeps ours.
#[cfg(target_os = "linux")]
fn keep_owner_and_attributes(original: &Path, tmp: &std::fs::File, meta: &std::fs::Metadata) {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::io::AsRawFd;
    let fd = tmp.as_raw_fd();
    // SAFETY: fd is an open file descriptor owned by `tmp`.
    unsafe {
        if libc::fchown(fd, meta.uid(), meta.gid()) != 0 {
            libc::fchown(fd, u32::MAX, meta.gid());
        }
    }
    let Ok(cpath) = CString::new(original.as_os_str().as_bytes()) else {
        return;
    };
    // SAFETY: buffers are sized from the lengths the kernel returns, and
    // every pointer stays valid for the call.
    unsafe {
        let len = libc::listxattr(cpath.as_ptr(), std::ptr::null_mut(), 0);
        if len <= 0 {
            return;
        }
        let mut names = vec![0u8; len as usize];
        let len = libc::listxattr(cpath.as_ptr(), names.as_mut_ptr().cast(), names.len());
        if len <= 0 {
            return;
        }
        names.truncate(len as usize);
        for name in names.split(|&b| b == 0).filter(|n| !n.is_empty()) {
            let Ok(cname) = CString::new(name) else {
                continue;
            };
            let size = libc::getxattr(cpath.as_ptr(), cname.as_ptr(), std::ptr::null_mut(), 0);
            if size < 0 {
                continue;
            }
            let mut value = vec![0u8; size as usize];
            let size = libc::getxattr(
                cpath.as_ptr(),
                cname.as_ptr(),
                value.as_mut_ptr().cast(),
                value.len(),
            );
            if size < 0 {
                continue;
            }
            libc::fsetxattr(fd, cname.as_ptr(), value.as_ptr().cast(), size as usize, 0);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn keep_owner_and_attributes(_: &Path, _: &std::fs::File, _: &std::fs::Metadata) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_kept_and_its_target_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("shared.xml");
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("link.xml");
        std::os::unix::fs::symlink("shared.xml", &link).unwrap();
        replace(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn stale_temporaries_of_dead_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // No process has a pid above the kernel's maximum (2^22).
        let stale = dir.path().join(".exchange-auth-lint-4194400-abc123.tmp");
        let alive = dir.path().join(format!(
            ".exchange-auth-lint-{}-live.tmp",
            std::process::id()
        ));
        let other = dir.path().join(".tmpXYZ");
        for p in [&stale, &alive, &other] {
            std::fs::write(p, "partial").unwrap();
        }
        let file = dir.path().join("X.xml");
        std::fs::write(&file, "old").unwrap();
        replace(&file, b"new").unwrap();
        assert!(!stale.exists());
        assert!(alive.exists() && other.exists());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 3, "{left:?}");
    }
}
