//! `check --changed-since REF`: the files changed since the merge base of
//! REF and `HEAD` — committed, staged, unstaged and untracked, renames
//! followed to their new path — asked of the `git` command line.

use super::git;
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The files of one work tree changed since a ref's merge base.
#[derive(Debug)]
pub struct Changed {
    /// The work tree's root (canonical).
    pub toplevel: PathBuf,
    /// The ref as given.
    pub since: String,
    /// The merge base of `since` and `HEAD` (a full commit id).
    pub merge_base: String,
    /// Absolute paths below `toplevel`: added, modified, renamed (new path),
    /// deleted and untracked files.
    pub files: BTreeSet<PathBuf>,
}

/// How to get the history a shallow CI checkout lacks.
pub const HISTORY_HINT: &str = "fetch the history first (GitHub Actions: actions/checkout with `fetch-depth: 0`; GitLab CI: `GIT_DEPTH: 0`; Azure Pipelines: `fetchDepth: 0`)";

fn path_of(bytes: &[u8]) -> OsString {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        OsString::from_vec(bytes.to_vec())
    }
    #[cfg(not(unix))]
    {
        OsString::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

fn first_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_owned()
}

fn is_shallow(top: &Path) -> bool {
    git::run(top, ["rev-parse", "--is-shallow-repository"]).is_ok_and(|o| first_line(&o) == "true")
}

/// The files changed since `since` in the work tree around `dir`.
pub fn changed_since(dir: &Path, since: &str) -> Result<Changed, String> {
    let flag = format!(
        "--changed-since {}",
        crate::report::printable(since).into_owned()
    );
    let top = git::toplevel(dir).ok_or_else(|| {
        format!(
            "{flag}: {} is not in a git work tree",
            crate::report::printable(&dir.to_string_lossy())
        )
    })?;
    let shallow = || {
        if is_shallow(&top) {
            "this is a shallow clone: "
        } else {
            ""
        }
    };
    if since.is_empty() {
        return Err(format!("{flag}: an empty ref"));
    }
    git::run(&top, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
        .map_err(|_| format!("{flag}: the repository has no commit checked out (HEAD)"))?;
    let spec = format!("{since}^{{commit}}");
    git::run(
        &top,
        ["rev-parse", "--verify", "--quiet", "--end-of-options", &spec],
    )
    .map_err(|_| {
        format!(
            "{flag}: no such commit in the repository; {}{HISTORY_HINT}, or name an existing branch, tag or commit",
            shallow()
        )
    })?;
    let merge_base = git::run(&top, ["merge-base", "--end-of-options", since, "HEAD"])
        .map(|o| first_line(&o))
        .ok()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            format!(
                "{flag}: no common ancestor of it and HEAD; {}{HISTORY_HINT}",
                shallow()
            )
        })?;

    let mut files = BTreeSet::new();
    // The merge base against the work tree: committed, staged and unstaged.
    let diff = git::run(
        &top,
        [
            "-c",
            "diff.relative=false",
            "diff",
            "--name-status",
            "-z",
            "-M",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--ignore-submodules",
            &merge_base,
            "--",
        ],
    )
    .map_err(|e| format!("{flag}: git diff failed: {e}"))?;
    let mut fields = diff.split(|&b| b == 0).filter(|f| !f.is_empty());
    while let Some(status) = fields.next() {
        // Renames and copies have two paths: the old one, then the new.
        let paths = if matches!(status.first(), Some(b'R' | b'C')) {
            2
        } else {
            1
        };
        for _ in 0..paths {
            if let Some(p) = fields.next() {
                files.insert(top.join(path_of(p)));
            }
        }
    }
    let untracked = git::run(&top, ["ls-files", "-z", "--others", "--exclude-standard"])
        .map_err(|e| format!("{flag}: git ls-files failed: {e}"))?;
    for p in untracked.split(|&b| b == 0).filter(|f| !f.is_empty()) {
        files.insert(top.join(path_of(p)));
    }
    Ok(Changed {
        toplevel: top,
        since: since.to_owned(),
        merge_base,
        files,
    })
}
