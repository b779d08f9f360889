//! What `check` does for continuous integration beyond finding things:
//! the folder paths are reported relative to, and (in their own modules)
//! git access, baselines and changed-files mode.

pub mod git;

use std::path::{Path, PathBuf};

/// The folder every output format reports paths relative to
/// (`docs/output-formats.md`, "Paths"):
/// 1. `--path-base DIR` when given;
/// 2. else the root of the git work tree around the working directory;
/// 3. else the root of the git work tree around the first checked path
///    (the tool run from outside the repository it checks);
/// 4. else the working directory.
pub fn path_base(
    explicit: Option<&Path>,
    cwd: &Path,
    first_path: Option<&Path>,
) -> Result<PathBuf, String> {
    if let Some(dir) = explicit {
        let abs = dir.canonicalize().map_err(|e| {
            format!(
                "--path-base {}: {}",
                dir.display(),
                crate::cli::args::io_reason(&e)
            )
        })?;
        if !abs.is_dir() {
            return Err(format!("--path-base {}: not a folder", dir.display()));
        }
        return Ok(abs);
    }
    if let Some(top) = git::toplevel(cwd) {
        return Ok(top);
    }
    if let Some(first) = first_path {
        let dir = if first.is_dir() {
            first
        } else {
            first.parent().unwrap_or(first)
        };
        if let Some(top) = git::toplevel(dir) {
            return Ok(top);
        }
    }
    Ok(cwd.to_path_buf())
}
