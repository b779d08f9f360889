//! What the tool asks git, through the `git` command line: the work tree
//! around a folder, whether a revision exists, and which files changed.
//! No repository format is read by hand.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs `git -C dir args…` without a terminal or pager; its standard
/// output when it succeeds, else its standard error (or why it could not
/// start) as the error.
pub fn run<I, S>(dir: &Path, args: I) -> Result<Vec<u8>, String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "the `git` command was not found".to_owned(),
            _ => format!("cannot run git: {e}"),
        })?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let msg = String::from_utf8_lossy(&out.stderr);
        let msg = msg.trim();
        Err(if msg.is_empty() {
            format!("git exited with {}", out.status)
        } else {
            msg.to_owned()
        })
    }
}

/// The root of the git work tree that holds `dir`, canonicalized; `None`
/// outside a work tree (or without git).
pub fn toplevel(dir: &Path) -> Option<PathBuf> {
    let out = run(dir, ["rev-parse", "--show-toplevel"]).ok()?;
    let text = String::from_utf8(out).ok()?;
    let line = text.trim_end_matches(['\n', '\r']);
    if line.is_empty() {
        return None;
    }
    let path = PathBuf::from(line);
    Some(path.canonicalize().unwrap_or(path))
}
