//! What the CLI's commands share: arguments, exit codes, the tool error,
//! and writing a report or a file safely.

use crate::diagnostic::Severity;
use crate::i18n::Lang;
use crate::report::{self, Format, Report};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Exit codes (README, "Exit codes").
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_TOOL_ERROR: i32 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub(crate) fn fails(self, s: Severity) -> bool {
        match self {
            FailOn::Error => s >= Severity::Error,
            FailOn::Warning => s >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

pub struct CheckArgs {
    pub paths: Vec<PathBuf>,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub fail_on: FailOn,
    pub as_of: Option<String>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub lang: Option<Lang>,
    pub threads: usize,
    /// Apply each finding's preferred fix, then report what is left.
    pub fix: bool,
    /// Print the preferred fixes as a unified diff; write nothing.
    pub diff: bool,
    /// Report paths relative to this folder instead of the git work tree's
    /// root (or the working directory outside git).
    pub path_base: Option<PathBuf>,
    /// Hide the findings this baseline knows (`docs/ci.md`).
    pub baseline: Option<PathBuf>,
    /// Record the findings in this baseline file.
    pub write_baseline: Option<PathBuf>,
    /// Report only findings in files changed since the merge base with
    /// this git ref.
    pub changed_since: Option<String>,
}

/// A reason the tool could not run: one line on stderr, exit 2.
#[derive(Debug)]
pub struct ToolError(pub String);

/// Writes the report where `--output` says (atomically), else to standard
/// output (colour only for people on a terminal without `NO_COLOR`; a
/// closed pipe is not an error).
pub fn write_report(args: &CheckArgs, report: &Report<'_>) -> Result<(), ToolError> {
    match &args.output {
        Some(path) => {
            let mut buf = Vec::new();
            report::write(args.format, report, &mut buf, false)
                .map_err(|e| ToolError(e.to_string()))?;
            crate::write::write_output(path, &buf).map_err(|e| {
                ToolError(format!(
                    "{}: {}",
                    report::printable(&path.to_string_lossy()),
                    io_reason(&e)
                ))
            })
        }
        None => {
            let stdout = std::io::stdout();
            let color = args.format == Format::Human
                && stdout.is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let mut lock = stdout.lock();
            match report::write(args.format, report, &mut lock, color).and_then(|_| lock.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(ToolError(e.to_string()))
                }
                _ => Ok(()),
            }
        }
    }
}

pub use crate::write::io_reason;
