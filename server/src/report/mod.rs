//! Writers for `check`'s output formats. They receive findings with byte
//! ranges and convert positions themselves (characters for people, UTF-16
//! for SARIF); every source excerpt and message goes through
//! [`crate::redact`] first.

mod azure;
pub mod fingerprint;
mod github;
pub mod gitlab;
pub mod html;
mod human;
mod json;
mod junit;
pub mod markdown;
pub mod plan;
pub mod sarif;

use crate::check::CheckResult;
use crate::diagnostic::{Finding, Severity};
use crate::i18n::Lang;
use crate::project::Project;
use crate::source::SourceFile;
use crate::timeline::AsOf;
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
    /// GitLab Code Quality JSON (`artifacts:reports:codequality`).
    Gitlab,
    /// Azure Pipelines logging commands (`##vso[task.logissue …]`).
    Azure,
    /// One self-contained page for people: summary, timeline, checklist.
    Html,
    /// The summary as GitHub-flavoured Markdown (step summaries, comments).
    Markdown,
}

/// One checked project and what was found in it.
pub struct ProjectReport<'a> {
    pub project: &'a Project,
    pub result: &'a CheckResult,
}

pub struct Report<'a> {
    pub projects: Vec<ProjectReport<'a>>,
    /// Paths are shown relative to this folder when below it: the git work
    /// tree's root, the working directory or `--path-base`
    /// ([`crate::ci::path_base`]).
    pub base: PathBuf,
    pub as_of: AsOf,
    pub lang: Lang,
    pub elapsed: Duration,
    /// Values to mask besides those of the projects' files (the files as
    /// they were before `--fix` rewrote them).
    pub secrets: crate::redact::Secrets,
    /// What `--baseline` and `--changed-since` left out.
    pub ci: CiView,
}

/// What a baseline or `--changed-since` did to a report
/// ([`crate::ci`]); empty without them.
#[derive(Debug, Default)]
pub struct CiView {
    pub baseline: Option<BaselineView>,
    pub changed: Option<ChangedView>,
}

#[derive(Debug, Default)]
pub struct BaselineView {
    /// The baseline file, as shown.
    pub file: String,
    /// Per project (in report order): the findings the baseline knows, each
    /// with its index among all the project's findings; they are not in the
    /// project's result.
    pub known: Vec<Vec<(usize, Finding)>>,
    /// Entries that match no finding any more.
    pub fixed: Vec<fingerprint::Entry>,
}

#[derive(Debug, Default)]
pub struct ChangedView {
    /// The ref as given.
    pub since: String,
    /// The merge base of the ref and `HEAD`.
    pub merge_base: String,
    /// Metadata files of the checked projects among the changed files.
    pub files: usize,
    /// Projects reported whole since their `sfdx-project.json` or
    /// `.forceignore` changed.
    pub whole: usize,
    /// The changed files (absolute paths), to tell which findings are
    /// reported only because their evidence changed.
    pub changed: std::collections::BTreeSet<PathBuf>,
    /// Roots of the projects reported whole.
    pub whole_roots: Vec<PathBuf>,
}

impl ChangedView {
    /// Whether `finding` (of `project`) is reported only because a file of
    /// its evidence changed, its own file being unchanged.
    pub fn evidence_only(&self, project: &Project, finding: &Finding) -> bool {
        let changed = |id: usize| self.changed.contains(&project.files[id].path);
        !self.whole_roots.contains(&project.root)
            && !changed(finding.file)
            && finding.related.iter().any(|r| changed(r.file))
    }
}

impl BaselineView {
    pub fn hidden(&self) -> usize {
        self.known.iter().map(Vec::len).sum()
    }
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

    /// Paths named on the command line that the projects keep out of the
    /// check (`.forceignore`, `exclude`), with their project.
    pub fn skipped(&self) -> impl Iterator<Item = (&Project, &crate::project::Skipped)> {
        self.projects
            .iter()
            .flat_map(|p| p.project.skipped.iter().map(move |s| (p.project, s)))
    }

    /// Every finding of project `i`, the new ones (its result) and those the
    /// baseline knows, in the order `check` found them, with whether the
    /// baseline knows it: what fingerprints are computed over.
    pub fn all_findings(&self, i: usize) -> Vec<(&Finding, bool)> {
        let new = &self.projects[i].result.findings;
        let known: &[(usize, Finding)] = self
            .ci
            .baseline
            .as_ref()
            .and_then(|b| b.known.get(i))
            .map_or(&[], Vec::as_slice);
        let mut out = Vec::with_capacity(new.len() + known.len());
        let (mut n, mut k) = (new.iter(), known.iter().peekable());
        while out.len() < new.len() + known.len() {
            match k.peek() {
                Some((at, f)) if *at == out.len() => {
                    out.push((f, true));
                    k.next();
                }
                _ => match n.next() {
                    Some(f) => out.push((f, false)),
                    None => {
                        out.extend(k.by_ref().map(|(_, f)| (f, true)));
                    }
                },
            }
        }
        out
    }

    /// Whether `finding` is reported by `--changed-since` only because its
    /// evidence changed.
    pub fn evidence_only(&self, project: &Project, finding: &Finding) -> bool {
        self.ci
            .changed
            .as_ref()
            .is_some_and(|c| c.evidence_only(project, finding))
    }

    pub fn files_checked(&self) -> usize {
        self.projects.iter().map(|p| p.project.files.len()).sum()
    }

    /// How a file's path is shown: relative to the path base when below
    /// it, else absolute; always with `/`.
    pub fn display_path(&self, path: &Path) -> String {
        display_path(&self.base, path)
    }

    /// Masks, for each project, every secret value of its files.
    pub fn scrubber(&self) -> Scrubber<'_> {
        Scrubber {
            projects: self
                .projects
                .iter()
                .map(|p| {
                    let mut secrets = p.project.secrets();
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

pub use crate::text::printable;

/// [`display_path`] made [`printable`], for text outputs.
pub fn shown_path(base: &Path, path: &Path) -> String {
    printable(&display_path(base, path)).into_owned()
}

pub fn display_path(base: &Path, path: &Path) -> String {
    let shown = path.strip_prefix(base).unwrap_or(path);
    let s = shown.to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        ".".into()
    } else if s.trim_start().starts_with("::") {
        // A folder or file named `::error …` must not start a line of a
        // CI log as a workflow command (the human format and the fix
        // notes start lines with the path): the same path, as `./…`.
        format!("./{s}")
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

/// `note: PATH is excluded by .forceignore; not checked`: the line for
/// standard error, whatever the format, for a path named on the command
/// line that its project keeps out of the check (never dropped silently).
pub fn skipped_note(base: &Path, s: &crate::project::Skipped) -> String {
    format!("note: {} is {}", shown_path(base, &s.path), s.message())
}

/// A finding's first line, masked, cut to a window around the range: a
/// minified or generated file can have one line of megabytes. `before`,
/// `marked` and `after` are [`line_text`].
pub struct Excerpt {
    /// 1-based line number.
    pub line: usize,
    pub before: String,
    pub marked: String,
    pub after: String,
}

const EXCERPT_BEFORE: usize = 80;
const EXCERPT_BYTES: usize = 240;

impl Excerpt {
    /// The excerpt of `range` of `file`, taken from its masked copy `red`.
    pub fn of(
        file: &SourceFile,
        red: &crate::redact::Redacted,
        range: std::ops::Range<usize>,
    ) -> Excerpt {
        use crate::text::floor_char_boundary;
        let line = file.lines.line_of(range.start);
        let line_range = file.lines.line_range(&file.text, line);
        let (start, end) = (red.map(line_range.start), red.map(line_range.end));
        let text = &red.text[start..end];
        let mark_start = floor_char_boundary(text, red.map(range.start).clamp(start, end) - start);
        let mark_end = floor_char_boundary(text, red.map(range.end).clamp(start, end) - start);
        let from = floor_char_boundary(text, mark_start.saturating_sub(EXCERPT_BEFORE));
        let to = floor_char_boundary(text, (from + EXCERPT_BYTES).max(mark_start));
        let mark_end = mark_end.clamp(mark_start, to.max(mark_start));
        Excerpt {
            line: line + 1,
            before: format!(
                "{}{}",
                if from > 0 { "…" } else { "" },
                line_text(&text[from..mark_start])
            ),
            marked: line_text(&text[mark_start..mark_end]),
            after: format!(
                "{}{}",
                line_text(&text[mark_end..to]),
                if to < text.len() { "…" } else { "" }
            ),
        }
    }
}

/// `one` or `many` by `n` (English).
pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Tabs become spaces and other control characters (NULs of a UTF-16
/// file, escape sequences, C1 controls…) and the bidirectional overrides
/// and line separators `?`, so a file can neither misalign the underline,
/// nor send escape sequences to a terminal, nor make a label read
/// backwards (U+202E in a label reached the human report).
pub fn line_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}') =>
            {
                '?'
            }
            c => c,
        })
        .collect()
}

/// Writes the report. A report is often printed in a CI job's log (`cat
/// report.json`), where Azure Pipelines runs `##vso[…` and `##[…` anywhere
/// in a line: whatever the format, the first `#` of such a sequence is
/// written so that the format's reader still reads `#` and the log shows
/// no command — `\u0023` in JSON, SARIF and GitLab, `&#35;` in JUnit, HTML
/// and Markdown, `\u{23}` in the human and GitHub formats. Azure's own
/// logging commands start its lines and are left as they are. JSON,
/// SARIF, GitLab and JUnit write C1 controls, U+2028/U+2029 and the
/// bidirectional controls as escapes (`\u0085`, `&#x85;`): the parsed
/// values are the same, the text holds none of them raw.
pub fn write(
    format: Format,
    report: &Report<'_>,
    out: &mut dyn Write,
    color: bool,
) -> io::Result<()> {
    let mut buf = Vec::new();
    let hash = match format {
        Format::Human => {
            human::write(report, &mut buf, color)?;
            "\\u{23}"
        }
        Format::Github => {
            github::write(report, &mut buf)?;
            "\\u{23}"
        }
        Format::Json => {
            json::write(report, &mut buf)?;
            "\\u0023"
        }
        Format::Sarif => {
            sarif::write(report, &mut buf)?;
            "\\u0023"
        }
        Format::Gitlab => {
            gitlab::write(report, &mut buf)?;
            "\\u0023"
        }
        Format::Junit => {
            junit::write(report, &mut buf)?;
            "&#35;"
        }
        Format::Html => {
            html::write(report, &mut buf)?;
            "&#35;"
        }
        Format::Markdown => {
            markdown::write(report, &mut buf)?;
            "&#35;"
        }
        Format::Azure => return azure::write(report, out),
    };
    let text = String::from_utf8_lossy(&buf);
    let text = match format {
        Format::Json | Format::Sarif | Format::Gitlab => {
            crate::text::invisible_escaped(&text, |c| format!("\\u{c:04x}"))
        }
        Format::Junit => crate::text::invisible_escaped(&text, |c| format!("&#x{c:x};")),
        _ => std::borrow::Cow::Borrowed(&*text),
    };
    out.write_all(crate::text::defuse_azure(&text, hash).as_bytes())
}

/// What the summary lines add for `--baseline` and `--changed-since`,
/// each part starting with `; ` (empty without them).
pub fn ci_notes(report: &Report<'_>) -> String {
    let mut s = String::new();
    if let Some(b) = &report.ci.baseline {
        let (hidden, fixed) = (b.hidden(), b.fixed.len());
        match report.lang {
            Lang::En => {
                s.push_str(&format!(
                    "; {hidden} known {} hidden by baseline",
                    plural(hidden, "finding", "findings")
                ));
                if fixed > 0 {
                    s.push_str(&format!(", {fixed} fixed"));
                }
            }
            Lang::Ja => {
                s.push_str(&format!("、ベースラインの既知の指摘 {hidden} 件を非表示"));
                if fixed > 0 {
                    s.push_str(&format!("、修正済み {fixed} 件"));
                }
            }
        }
    }
    if let Some(c) = &report.ci.changed {
        let since = printable(&c.since);
        let short = &c.merge_base[..c.merge_base.len().min(12)];
        let n = c.files;
        match report.lang {
            Lang::En => s.push_str(&format!(
                "; {n} {} changed since {since} (merge base {short})",
                plural(n, "file", "files")
            )),
            Lang::Ja => s.push_str(&format!(
                "、{since} 以降に変更されたファイル {n} 個（マージベース {short}）"
            )),
        }
        if c.whole > 0 {
            s.push_str(match report.lang {
                Lang::En => ", whole project reported (sfdx-project.json or .forceignore changed)",
                Lang::Ja => {
                    "、sfdx-project.json または .forceignore が変更されたためプロジェクト全体を報告"
                }
            });
        }
    }
    s
}

/// The last line of the CI log formats (github, azure): the counts, since
/// a CI system shows only the first annotations (GitHub: 10 of each kind
/// per step). Plain text that no CI system reads as a command.
pub fn ci_summary(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let (e, w, i) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
    let files = report.files_checked();
    writeln!(
        out,
        "exchange-auth-lint: {e} error(s), {w} warning(s), {i} info in {files} metadata file(s){}; every finding is listed above (a CI system may show only the first annotations)",
        ci_notes(report)
    )
}

#[cfg(test)]
mod line_text_tests {
    #[test]
    fn controls_and_bidirectional_overrides_become_question_marks() {
        assert_eq!(
            super::line_text("a\tb\u{1b}[2J\u{9b}31m\u{202e}cba\u{2066}x\u{2028}"),
            "a b?[2J?31m?cba?x?"
        );
    }
}
