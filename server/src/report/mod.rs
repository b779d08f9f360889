//! Writers for `check`'s output formats. They receive findings with byte
//! ranges and convert positions themselves (characters for people, UTF-16
//! for SARIF); every source excerpt and message goes through
//! [`crate::redact`] first.

mod github;
mod human;
mod json;
mod junit;
pub mod sarif;

use crate::check::CheckResult;
use crate::diagnostic::{Finding, Severity};
use crate::i18n::Lang;
use crate::project::Project;
use crate::source::SourceFile;
use crate::timeline::AsOf;
use std::borrow::Cow;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
}

/// One checked project and what was found in it.
pub struct ProjectReport<'a> {
    pub project: &'a Project,
    pub result: &'a CheckResult,
}

pub struct Report<'a> {
    pub projects: Vec<ProjectReport<'a>>,
    /// Paths are shown relative to this folder when below it.
    pub cwd: PathBuf,
    pub as_of: AsOf,
    pub lang: Lang,
    pub elapsed: Duration,
    /// Values to mask besides those of the projects' files (the files as
    /// they were before `--fix` rewrote them).
    pub secrets: crate::redact::Secrets,
}

impl Report<'_> {
    pub fn findings(&self) -> impl Iterator<Item = (&Project, &Finding)> {
        self.projects
            .iter()
            .flat_map(|p| p.result.findings.iter().map(move |f| (p.project, f)))
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings()
            .filter(|(_, f)| f.severity == severity)
            .count()
    }

    pub fn files_checked(&self) -> usize {
        self.projects.iter().map(|p| p.project.files.len()).sum()
    }

    /// How a file's path is shown: relative to the working directory when
    /// below it, else absolute; always with `/`.
    pub fn display_path(&self, path: &Path) -> String {
        display_path(&self.cwd, path)
    }

    /// Masks, for each project, every secret value of its files.
    pub fn scrubber(&self) -> Scrubber<'_> {
        Scrubber {
            projects: self
                .projects
                .iter()
                .map(|p| {
                    let mut secrets = crate::redact::Secrets::of_files(&p.project.files);
                    secrets.extend(&self.secrets);
                    (p.project, secrets)
                })
                .collect(),
        }
    }
}

/// Masks secrets in text that may quote file content (messages of findings,
/// of related places and of load problems).
pub struct Scrubber<'a> {
    projects: Vec<(&'a Project, crate::redact::Secrets)>,
}

impl Scrubber<'_> {
    /// `file`'s text with its secrets, and those of its project, masked.
    pub fn redacted(&self, project: &Project, file: &SourceFile) -> crate::redact::Redacted {
        match self
            .projects
            .iter()
            .find(|(p, _)| std::ptr::eq(*p, project))
        {
            Some((_, secrets)) => crate::redact::Redacted::masking(file, secrets),
            None => crate::redact::Redacted::new(file),
        }
    }

    pub fn scrub(&self, project: &Project, s: &str) -> String {
        match self
            .projects
            .iter()
            .find(|(p, _)| std::ptr::eq(*p, project))
        {
            Some((_, secrets)) => secrets.scrub(s),
            // Not one of the report's projects: mask the secrets of all.
            None => self
                .projects
                .iter()
                .fold(s.to_owned(), |acc, (_, secrets)| secrets.scrub(&acc)),
        }
    }
}

/// Text for a terminal or a log, where control characters act: line
/// breaks (a file name holding `\n::error …` would start a GitHub workflow
/// command), escape sequences, C0 and C1 controls, DEL and the bidirectional
/// overrides are written as `\n`, `\u{1b}`… ; a backslash stays itself.
pub fn printable(s: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
    };
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if bad(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`display_path`] made [`printable`], for text outputs.
pub fn shown_path(cwd: &Path, path: &Path) -> String {
    printable(&display_path(cwd, path)).into_owned()
}

pub fn display_path(cwd: &Path, path: &Path) -> String {
    let shown = path.strip_prefix(cwd).unwrap_or(path);
    let s = shown.to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        ".".into()
    } else {
        s
    }
}

/// 1-based line and column (in characters) of a byte offset, as people and
/// most tools count them.
pub fn human_position(file: &SourceFile, offset: usize) -> (usize, usize) {
    let lc = file.lines.chars(&file.text, offset);
    (lc.line + 1, lc.col + 1)
}

/// The one-line summary of the human report (for standard error when the
/// report goes to a file).
pub fn write_summary(report: &Report<'_>, out: &mut dyn Write, color: bool) -> io::Result<()> {
    human::write_summary(report, out, color)
}

pub fn write(
    format: Format,
    report: &Report<'_>,
    out: &mut dyn Write,
    color: bool,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, out, color),
        Format::Json => json::write(report, out),
        Format::Github => github::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Junit => junit::write(report, out),
    }
}
