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
//! - A write of several files (a fix that creates an external credential
//!   and edits the named credential, or edits both) is made whole by a
//!   recovery record, [`Journal`]: written before the first file, removed
//!   after the last. A run killed in between leaves it, and the next
//!   `check --fix` finishes the writes it lists ([`recover`]) before it
//!   reads the project.

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
    replace_noting(path, bytes).map(|_| ())
}

/// [`replace`], returning what of the original could not be kept on the
/// new file (its owner, an extended attribute), in words: empty when all
/// was kept.
pub fn replace_noting(path: &Path, bytes: &[u8]) -> std::io::Result<Vec<String>> {
    let path = resolve(path)?;
    fault_point();
    let mut tmp = temp_in(folder_of(&path))?;
    tmp.write_all(bytes)?;
    let mut lost = Vec::new();
    if let Ok(meta) = std::fs::metadata(&path) {
        std::fs::set_permissions(tmp.path(), meta.permissions())?;
        lost = keep_owner_and_attributes(&path, tmp.as_file(), &meta);
    }
    tmp.as_file().sync_all()?;
    fault_point();
    tmp.persist(&path).map_err(|e| e.error)?;
    Ok(lost)
}

/// Writes `bytes` to `path` whole (see [`replace`]). A path
/// that is (or links to) something other than a regular file — a device
/// such as `/dev/null`, a FIFO, `/dev/stdout` on a pipe — is written into
/// as it is, as a shell's `>` would: replacing it would put a regular file
/// in place of the device for every other process.
///
/// A symbolic link to a regular file, or a path below the working folder
/// that a folder link leads out of it, is refused: a repository can commit
/// `exchange-auth-lint.sarif -> ~/.bashrc` where CI writes its report
/// (fourth adversarial run, D10).
pub fn write_output(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            use std::io::Write as _;
            let mut special = std::fs::OpenOptions::new().write(true).open(path)?;
            special.write_all(bytes)?;
            special.flush()
        }
        _ => {
            let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            let below_cwd = path.is_relative()
                && path.components().all(|c| {
                    matches!(
                        c,
                        std::path::Component::Normal(_) | std::path::Component::CurDir
                    )
                });
            let leads_out = below_cwd
                && std::env::current_dir()
                    .ok()
                    .is_some_and(|cwd| created_outside(&cwd, &cwd.join(path)).is_some());
            if link || leads_out {
                return Err(std::io::Error::other(
                    "a symbolic link; a report is not written through one (remove the link or name another file)",
                ));
            }
            replace(path, bytes)
        }
    }
}

/// Whether creating `path` would put a file outside `root` through a
/// symbolic link (a folder of the project that links out of it, or a
/// link that leads nowhere): then the link that leads out (the one
/// nearest `root`), else the nearest existing folder. `None` when the file
/// stays in the project, or `root` cannot be resolved.
pub fn created_outside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real_root = root.canonicalize().ok()?;
    let mut dir = folder_of(path);
    while std::fs::symlink_metadata(dir).is_err() {
        dir = dir.parent()?;
    }
    let inside = dir
        .canonicalize()
        .is_ok_and(|real| real.starts_with(&real_root));
    if inside {
        return None;
    }
    let is_link = |a: &Path| std::fs::symlink_metadata(a).is_ok_and(|m| m.file_type().is_symlink());
    let link = dir
        .ancestors()
        .take_while(|a| a.starts_with(root) && *a != root)
        .filter(|a| is_link(a))
        .last()
        .unwrap_or(dir);
    Some(link.to_path_buf())
}

/// Creates `path` with `bytes`, failing if it exists.
pub fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = folder_of(path);
    std::fs::create_dir_all(dir)?;
    fault_point();
    // A new file gets the mode any new file gets (0666 less the umask),
    // not the temporary file's 0600.
    let mut tmp = temp_with_mode(dir, 0o666)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    fault_point();
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// For tests only: `EXCHANGE_AUTH_LINT_TEST_KILL_AT=N` makes the process
/// kill itself with `SIGKILL` at the N-th (from 0) point of its write
/// phase: before and after each file's temporary file is written, before
/// the recovery record appears and before it goes. `tests/faults.rs`
/// walks N over every point. Debug builds only: a variable a CI job
/// inherits never makes a release build kill itself (fourth adversarial
/// run, D9).
#[cfg(not(debug_assertions))]
fn fault_point() {}

#[cfg(debug_assertions)]
fn fault_point() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static AT: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();
    static SEEN: AtomicUsize = AtomicUsize::new(0);
    let at = AT.get_or_init(|| {
        std::env::var("EXCHANGE_AUTH_LINT_TEST_KILL_AT")
            .ok()
            .and_then(|v| v.parse().ok())
    });
    if let Some(at) = *at {
        if SEEN.fetch_add(1, Ordering::SeqCst) == at {
            #[cfg(unix)]
            // SAFETY: sends a signal to this process; no memory is touched.
            unsafe {
                libc::kill(libc::getpid(), libc::SIGKILL);
            }
            std::process::abort();
        }
    }
}

/// Name of the recovery record in a project's root: its writer's pid, so
/// that a live run's record is never taken for an interrupted one.
const JOURNAL_PREFIX: &str = ".exchange-auth-lint-fix-";
const JOURNAL_SUFFIX: &str = ".journal";

/// One file of a write of several: its path, its content as read (`None`
/// for a file the write creates) and what is written.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Planned {
    pub path: PathBuf,
    pub original: Option<String>,
    pub text: String,
}

/// The recovery record of a write of several files, in the project's root.
/// [`Journal::begin`] writes it whole (a temporary file renamed) before
/// the first file is touched; [`Journal::end`] removes it after the last.
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    /// Records `planned` in `root`. Fewer than two files need no record
    /// (one file is written whole anyway): `Ok(None)`.
    pub fn begin(root: &Path, planned: &[Planned]) -> std::io::Result<Option<Journal>> {
        if planned.len() < 2 {
            return Ok(None);
        }
        let path = root.join(format!(
            "{JOURNAL_PREFIX}{}{JOURNAL_SUFFIX}",
            std::process::id()
        ));
        let bytes = serde_json::to_vec(planned).map_err(std::io::Error::other)?;
        // It holds the files' new contents (other secrets of theirs, say):
        // readable by its owner only, from its creation on.
        let mut tmp = temp_with_mode(root, 0o600)?;
        tmp.write_all(&bytes)?;
        tmp.as_file().sync_all()?;
        fault_point();
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(Some(Journal { path }))
    }

    /// Every file is written (or its failure reported): the record goes.
    pub fn end(self) {
        fault_point();
        let _ = std::fs::remove_file(&self.path);
    }
}

/// What [`recover`] did with one file of an interrupted write.
#[derive(Debug, PartialEq, Eq)]
pub enum Recovered {
    /// Written now, as the interrupted run would have.
    Written(PathBuf),
    /// Changed by someone since that run read it: left as it is.
    Changed(PathBuf),
    /// Could not be written now: the reason.
    Failed(PathBuf, String),
}

/// The recovery records in `root` that a killed `check --fix` left (their
/// writer's process is gone), sorted: what [`recover`] would finish.
/// Records of live runs are not listed.
pub fn pending_records(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut journals: Vec<PathBuf> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name();
            let pid = name
                .to_str()?
                .strip_prefix(JOURNAL_PREFIX)?
                .strip_suffix(JOURNAL_SUFFIX)?
                .parse::<u32>()
                .ok()?;
            (pid != std::process::id() && !process_alive(pid) && own_record(&e.path()))
                .then(|| e.path())
        })
        .collect();
    journals.sort();
    journals
}

/// Whether `journal` is a record that this user's own run wrote: a
/// regular file (no link), owned by this user and readable by its owner
/// only, as [`Journal::begin`] makes it. Git checks files out as 0644 or
/// 0755, so a record committed to the repository (a pull request can add
/// one) is never taken for ours (fourth adversarial run, D7).
#[cfg(unix)]
fn own_record(journal: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::symlink_metadata(journal) else {
        return false;
    };
    // SAFETY: geteuid has no preconditions and touches no memory.
    let uid = unsafe { libc::geteuid() };
    meta.file_type().is_file() && meta.uid() == uid && meta.mode() & 0o777 == 0o600
}

#[cfg(not(unix))]
fn own_record(journal: &Path) -> bool {
    std::fs::symlink_metadata(journal).is_ok_and(|m| m.file_type().is_file())
}

/// Whether a recovery record's `path` is one a fix may write: relative,
/// without `..`, not below `.git` or any hidden folder, a metadata file or
/// `sfdx-project.json`, and inside `root` once links are followed.
/// Anything else in a record is never written, whoever wrote it.
fn fixable_path(root: &Path, path: &Path) -> bool {
    use std::path::Component;
    let plain = path.components().all(|c| match c {
        Component::Normal(part) => !part.to_string_lossy().starts_with('.'),
        _ => false,
    });
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let kind = name == crate::project::MANIFEST
        || crate::metadata::MetadataKind::from_file_name(&name).is_some();
    plain && kind && crate::project::confined(root, &root.join(path))
}

/// Finishes the writes that a killed `check --fix` recorded in `root` (see
/// [`Journal`]): each file still as the run read it (or still missing, for
/// one it creates) gets the run's new content; a file that already has it
/// is left; a file changed since is left and named. The record then goes.
/// Records of live runs are not touched; an unreadable record is removed
/// (it was never renamed into place whole, or it is not ours).
pub fn recover(root: &Path) -> Vec<Recovered> {
    let mut out = Vec::new();
    for journal in pending_records(root) {
        let planned: Vec<Planned> = std::fs::read(&journal)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        for p in planned {
            let path = root.join(&p.path);
            if !fixable_path(root, &p.path) {
                out.push(Recovered::Failed(
                    path,
                    "no file a fix writes (outside the project, or not a metadata file): not written".into(),
                ));
                continue;
            }
            let now = std::fs::read(&path).ok();
            if now.as_deref() == Some(p.text.as_bytes()) {
                continue;
            }
            let result = match (&p.original, &now) {
                (None, None) => create_new(&path, p.text.as_bytes()),
                (Some(original), Some(now)) if original.as_bytes() == now.as_slice() => {
                    replace(&path, p.text.as_bytes())
                }
                _ => {
                    out.push(Recovered::Changed(path));
                    continue;
                }
            };
            out.push(match result {
                Ok(()) => Recovered::Written(path),
                Err(e) => Recovered::Failed(path, io_reason(&e)),
            });
        }
        let _ = std::fs::remove_file(&journal);
    }
    out
}

fn temp_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    temp_with_mode(dir, 0o600)
}

/// A temporary file in `dir` created with `mode` (less the umask).
fn temp_with_mode(dir: &Path, mode: u32) -> std::io::Result<tempfile::NamedTempFile> {
    remove_stale_temporaries(dir);
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    builder.tempfile_in(dir)
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
/// extended attributes of `original` onto `tmp`. A file we may not give
/// away keeps ours: what could not be kept is returned, in words.
#[cfg(target_os = "linux")]
fn keep_owner_and_attributes(
    original: &Path,
    tmp: &std::fs::File,
    meta: &std::fs::Metadata,
) -> Vec<String> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::io::AsRawFd;
    let mut lost = Vec::new();
    let fd = tmp.as_raw_fd();
    let (uid, gid) = (meta.uid(), meta.gid());
    // SAFETY: fd is an open file descriptor owned by `tmp`.
    let (owner_kept, group_kept) = unsafe {
        if libc::fchown(fd, uid, gid) == 0 {
            (true, true)
        } else {
            (false, libc::fchown(fd, u32::MAX, gid) == 0)
        }
    };
    if !owner_kept {
        // Ours already when we are the owner: nothing lost then.
        let ours = tmp
            .metadata()
            .map(|m| (m.uid(), m.gid()))
            .unwrap_or_default();
        if ours.0 != uid || (!group_kept && ours.1 != gid) {
            lost.push(format!(
                "its owner (uid {uid}, gid {gid}) could not be kept: the new file is owned by uid {}, gid {} (only root may give a file away)",
                ours.0, ours.1
            ));
        }
    }
    let Ok(cpath) = CString::new(original.as_os_str().as_bytes()) else {
        return lost;
    };
    // SAFETY: buffers are sized from the lengths the kernel returns, and
    // every pointer stays valid for the call.
    unsafe {
        let len = libc::listxattr(cpath.as_ptr(), std::ptr::null_mut(), 0);
        if len <= 0 {
            return lost;
        }
        let mut names = vec![0u8; len as usize];
        let len = libc::listxattr(cpath.as_ptr(), names.as_mut_ptr().cast(), names.len());
        if len <= 0 {
            return lost;
        }
        names.truncate(len as usize);
        for name in names.split(|&b| b == 0).filter(|n| !n.is_empty()) {
            let Ok(cname) = CString::new(name) else {
                continue;
            };
            let shown = crate::text::printable(&String::from_utf8_lossy(name)).into_owned();
            let size = libc::getxattr(cpath.as_ptr(), cname.as_ptr(), std::ptr::null_mut(), 0);
            let mut value = vec![0u8; size.max(0) as usize];
            let size = if size < 0 {
                size
            } else {
                libc::getxattr(
                    cpath.as_ptr(),
                    cname.as_ptr(),
                    value.as_mut_ptr().cast(),
                    value.len(),
                )
            };
            if size < 0
                || libc::fsetxattr(fd, cname.as_ptr(), value.as_ptr().cast(), size as usize, 0) != 0
            {
                let why = std::io::Error::last_os_error();
                lost.push(format!(
                    "its extended attribute {shown} could not be kept: {why}"
                ));
            }
        }
    }
    lost
}

#[cfg(not(target_os = "linux"))]
fn keep_owner_and_attributes(_: &Path, _: &std::fs::File, _: &std::fs::Metadata) -> Vec<String> {
    Vec::new()
}

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
    fn recover_finishes_what_it_can_and_leaves_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let plan = |path: &str, original: Option<&str>, text: &str| Planned {
            path: path.into(),
            original: original.map(str::to_owned),
            text: text.to_owned(),
        };
        std::fs::write(root.join("A.namedCredential-meta.xml"), "old a").unwrap();
        std::fs::write(root.join("B.namedCredential-meta.xml"), "new b").unwrap();
        std::fs::write(root.join("C.namedCredential-meta.xml"), "edited by hand").unwrap();
        let planned = [
            plan("A.namedCredential-meta.xml", Some("old a"), "new a"),
            plan("B.namedCredential-meta.xml", Some("old b"), "new b"),
            plan("C.namedCredential-meta.xml", Some("old c"), "new c"),
            plan("sub/D.namedCredential-meta.xml", None, "created d"),
        ];
        let journal = Journal::begin(root, &planned).unwrap().unwrap();
        // A live run's record (this process) is not touched…
        assert!(recover(root).is_empty());
        // …one of a dead run is.
        let dead = root.join(format!("{JOURNAL_PREFIX}4194400{JOURNAL_SUFFIX}"));
        std::fs::rename(&journal.path, &dead).unwrap();
        let done = recover(root);
        assert_eq!(
            done,
            [
                Recovered::Written(root.join("A.namedCredential-meta.xml")),
                Recovered::Changed(root.join("C.namedCredential-meta.xml")),
                Recovered::Written(root.join("sub/D.namedCredential-meta.xml")),
            ]
        );
        assert_eq!(
            std::fs::read_to_string(root.join("A.namedCredential-meta.xml")).unwrap(),
            "new a"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("B.namedCredential-meta.xml")).unwrap(),
            "new b"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("C.namedCredential-meta.xml")).unwrap(),
            "edited by hand"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("sub/D.namedCredential-meta.xml")).unwrap(),
            "created d"
        );
        assert!(!dead.exists());
        assert!(recover(root).is_empty());
        // One file needs no record.
        assert!(Journal::begin(root, &planned[..1]).unwrap().is_none());
    }

    #[test]
    fn the_record_is_its_owners_only_and_new_files_get_the_usual_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let planned = [
            Planned {
                path: "a.xml".into(),
                original: None,
                text: "a".into(),
            },
            Planned {
                path: "b.xml".into(),
                original: None,
                text: "b".into(),
            },
        ];
        let journal = Journal::begin(root, &planned).unwrap().unwrap();
        assert_eq!(mode(&journal.path), 0o600);
        // A file made the ordinary way, for the umask.
        std::fs::write(root.join("plain"), "x").unwrap();
        create_new(&root.join("a.xml"), b"a").unwrap();
        assert_eq!(mode(&root.join("a.xml")), mode(&root.join("plain")));
        let path = journal.path.clone();
        journal.end();
        assert!(!path.exists());
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
