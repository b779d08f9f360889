//! Applying preferred fixes to a whole project in memory, pass after pass,
//! until nothing fixable is left: what `check --fix` writes and
//! `check --diff` prints.
//!
//! Fixes whose files overlap are applied one at a time: a pass applies the
//! preferred fix of every finding whose files no earlier fix of the same
//! pass touched, then the project is checked again. Passes are bounded.

use super::{apply, preferred_for, FileChange, Fix, Refusal};
use crate::analysis::Analysis;
use crate::check::CheckOptions;
use crate::diagnostic::Finding;
use crate::edit::Edit;
use crate::metadata::MetadataKind;
use crate::project::config::parse_manifest;
use crate::project::Project;
use crate::rules::Context;
use crate::source::SourceFile;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// More passes than any chain of overlapping fixes needs.
pub const MAX_PASSES: usize = 10;

/// A fix that was applied.
#[derive(Clone, Debug)]
pub struct Applied {
    pub rule: &'static str,
    pub title: String,
    /// The finding's file, relative to the project root.
    pub file: String,
    pub note: Option<String>,
    /// Files it changed (relative), and whether each is new.
    pub files: Vec<(String, bool)>,
}

/// A preferred fix that was not applied, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotApplied {
    pub file: String,
    pub refusal: Refusal,
}

/// One file's change over all passes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The text before any fix; `None` for a file a fix creates.
    pub original: Option<String>,
    pub text: String,
}

pub struct Outcome {
    /// The project as the fixes left it (in memory).
    pub project: Project,
    /// Absolute path → change, for every file a fix touched.
    pub changes: BTreeMap<PathBuf, Change>,
    pub applied: Vec<Applied>,
    pub refused: Vec<NotApplied>,
    pub passes: usize,
    /// False when fixable findings were left after [`MAX_PASSES`].
    pub converged: bool,
}

impl Outcome {
    /// What remains to do by hand after the applied fixes, in order, each
    /// once: what `check --fix` prints under "to do" and the editor shows
    /// after its Fix All.
    pub fn notes(&self) -> Vec<&str> {
        let mut notes: Vec<&str> = Vec::new();
        for note in self.applied.iter().filter_map(|a| a.note.as_deref()) {
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
        notes
    }

    /// Files whose final text differs from the original.
    pub fn changed(&self) -> impl Iterator<Item = (&PathBuf, &Change)> {
        self.changes
            .iter()
            .filter(|(_, c)| c.original.as_deref() != Some(c.text.as_str()))
    }
}

/// Applies the preferred fix of every finding `keep` accepts, re-checking
/// between passes, until nothing fixable is left or `max_passes` ran.
/// `check --fix`, `check --diff` and the editor's Fix All all run this
/// ([`Analysis::fix_all`]).
pub fn run(
    project: Project,
    options: &CheckOptions,
    keep: impl Fn(&Project, &Finding) -> bool,
    max_passes: usize,
) -> Outcome {
    run_with(project, options, keep, |_| true, max_passes)
}

/// Like [`run`], leaving out fixes `usable` refuses (an editor that cannot
/// create files takes only the fixes that edit).
pub fn run_with(
    project: Project,
    options: &CheckOptions,
    keep: impl Fn(&Project, &Finding) -> bool,
    usable: impl Fn(&Fix) -> bool,
    max_passes: usize,
) -> Outcome {
    Analysis::new(project, options).fix_all(keep, usable, max_passes)
}

impl Analysis {
    /// Fix-all from this analysis: its findings are the first pass's (no
    /// check again); each later pass checks a copy of the project with the
    /// fixes applied (a cheap copy: unchanged files are shared). The
    /// analysis itself is left as it is.
    pub fn fix_all(
        &self,
        keep: impl Fn(&Project, &Finding) -> bool,
        usable: impl Fn(&Fix) -> bool,
        max_passes: usize,
    ) -> Outcome {
        let options = self.options();
        let mut changes: BTreeMap<PathBuf, Change> = BTreeMap::new();
        let mut applied = Vec::new();
        let mut refused: Vec<NotApplied> = Vec::new();
        let mut passes = 0;
        let mut converged = false;
        let mut later: Option<Analysis> = None;
        while passes < max_passes {
            let analysis = later.as_ref().unwrap_or(self);
            let project = analysis.project();
            let ctx = analysis.context();
            // What this pass writes per file: the edits of the fixes chosen
            // (fixes whose edits of a file do not meet share the pass: a
            // record of 17 secret fields took more passes than there are),
            // or a whole new file.
            let mut claimed: BTreeMap<PathBuf, Claim> = BTreeMap::new();
            let mut chosen = Vec::new();
            // The secret values the chosen fixes remove: a fix that removes
            // one of them too waits for the next pass, which checks it
            // against the project without them (two credentials of one
            // password, each fix allowed because the other still held it,
            // left its copy in a label unmasked: sixth adversarial run F6).
            let mut removing: Vec<crate::redact::Secrets> = Vec::new();
            for finding in analysis.findings() {
                if !finding.fixable || !keep(project, finding) {
                    continue;
                }
                let file = project.files[finding.file].rel_path.clone();
                let fix = match preferred_for(&ctx, finding) {
                    None => continue,
                    Some(Err(refusal)) => {
                        let r = NotApplied { file, refusal };
                        if !refused.contains(&r) {
                            refused.push(r);
                        }
                        continue;
                    }
                    Some(Ok(fix)) if usable(&fix) => fix,
                    Some(Ok(_)) => continue,
                };
                if fix.edit.changes.iter().any(|c| conflicts(&claimed, c))
                    || removing.iter().any(|r| r.shares_a_value(&fix.removes))
                {
                    continue;
                }
                let new_texts = new_texts(&ctx, &fix.edit.changes);
                let changes_something = new_texts
                    .iter()
                    .any(|(path, text, _)| current(project, path) != Some(text.as_str()));
                if !changes_something {
                    continue;
                }
                for change in &fix.edit.changes {
                    match change {
                        FileChange::Edit { path, edits } => {
                            if let Claim::Edits(mine) = claimed
                                .entry(path.clone())
                                .or_insert(Claim::Edits(Vec::new()))
                            {
                                mine.extend(edits.iter().cloned());
                            }
                        }
                        FileChange::Create { path, text } => {
                            claimed.insert(path.clone(), Claim::Created(text.clone()));
                        }
                    }
                }
                if !fix.removes.is_empty() {
                    removing.push(fix.removes.clone());
                }
                let files: Vec<(PathBuf, bool)> = new_texts
                    .into_iter()
                    .map(|(p, _, created)| (p, created))
                    .collect();
                chosen.push((fix, file, files));
            }
            if chosen.is_empty() {
                converged = true;
                break;
            }
            passes += 1;
            let mut next = project.clone();
            for (path, claim) in claimed {
                let text = match claim {
                    Claim::Created(text) => text,
                    Claim::Edits(edits) => apply(current(project, &path).unwrap_or(""), &edits),
                };
                let before = current(project, &path).map(str::to_owned);
                changes
                    .entry(path.clone())
                    .or_insert_with(|| Change {
                        original: before,
                        text: String::new(),
                    })
                    .text = text.clone();
                store(&mut next, &path, text);
            }
            for (fix, file, paths) in chosen {
                let files = paths
                    .into_iter()
                    .map(|(path, created)| (next.rel_path(&path), created))
                    .collect();
                applied.push(Applied {
                    rule: fix.rule,
                    title: fix.title,
                    file,
                    note: fix.note,
                    files,
                });
            }
            later = Some(Analysis::new(next, options));
        }
        let last = later.as_ref().unwrap_or(self);
        // Refusals for findings a later pass fixed anyway are moot.
        refused.retain(|r| {
            last.findings().iter().any(|f| {
                f.rule == r.refusal.rule && last.project().files[f.file].rel_path == r.file
            })
        });
        let project = match later {
            Some(analysis) => analysis.into_project(),
            None => self.project().clone(),
        };
        Outcome {
            project,
            changes,
            applied,
            refused,
            passes,
            converged,
        }
    }
}

/// The text of `path` as the project holds it now.
fn current<'a>(project: &'a Project, path: &Path) -> Option<&'a str> {
    if project.manifest_path.as_deref() == Some(path) {
        return Some(&project.manifest_text);
    }
    project.file(path).map(|(_, f)| f.text.as_str())
}

/// Each changed path with its new text, and whether the fix creates it.
/// What one pass of [`Analysis::fix_all`] writes to a file.
enum Claim {
    /// The edits of every fix chosen for it, in its text as the pass
    /// found it.
    Edits(Vec<Edit>),
    /// A new file.
    Created(String),
}

/// Whether `change` cannot share a pass with what is `claimed`: a new
/// file where anything is claimed, an edit of a new file, or an edit that
/// meets a claimed one (they overlap, or an insertion sits where the other
/// starts or ends; two edits that only touch are applied in order).
fn conflicts(claimed: &BTreeMap<PathBuf, Claim>, change: &FileChange) -> bool {
    match (change, claimed.get(change.path())) {
        (_, None) => false,
        (FileChange::Create { .. }, Some(_)) | (_, Some(Claim::Created(_))) => true,
        (FileChange::Edit { edits, .. }, Some(Claim::Edits(mine))) => edits.iter().any(|a| {
            mine.iter().any(|b| {
                let (a, b) = (&a.range, &b.range);
                let overlap = a.start < b.end && b.start < a.end;
                let insertion_at = |i: &Range<usize>, o: &Range<usize>| {
                    i.is_empty() && (i.start == o.start || i.start == o.end)
                };
                overlap || a == b || insertion_at(a, b) || insertion_at(b, a)
            })
        }),
    }
}

fn new_texts(ctx: &Context, changes: &[FileChange]) -> Vec<(PathBuf, String, bool)> {
    changes
        .iter()
        .filter_map(|c| match c {
            FileChange::Edit { path, edits } => {
                let (text, _) = super::current_text(ctx, path)?;
                Some((path.clone(), apply(text, edits), false))
            }
            FileChange::Create { path, text } => Some((path.clone(), text.clone(), true)),
        })
        .collect()
}

/// Puts a new text into the in-memory project, as a reload from disk
/// would see it.
fn store(project: &mut Project, path: &Path, text: String) {
    if project.manifest_path.as_deref() == Some(path) {
        let (manifest, errors) = parse_manifest(&text);
        project.manifest = manifest;
        project.config_errors = errors;
        project.manifest_text = text;
        return;
    }
    let existing = project.files.iter().find(|f| f.path == path);
    if let Some(f) = existing {
        let old = crate::redact::Secrets::of_files([&**f]);
        project.replaced_secrets.extend(&old);
    }
    let (kind, format) = match existing {
        Some(f) => (f.kind, f.format),
        None => {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let Some(kf) = MetadataKind::from_file_name(name) else {
                return;
            };
            if project.filter.check(path, false).is_some() {
                return;
            }
            kf
        }
    };
    let rel = project.rel_path(path);
    project.upsert(SourceFile::new(
        path.to_path_buf(),
        rel,
        kind,
        format,
        text.into_bytes(),
    ));
}

/// A unified diff of every changed file, with `a/` and `b/` paths relative
/// to `root` (new files from `/dev/null`), for `git apply` or `patch -p1`
/// run in `root`.
pub fn unified_diff(root: &Path, changes: &BTreeMap<PathBuf, Change>) -> String {
    file_diffs(root, changes)
        .into_iter()
        .map(|d| d.patch)
        .collect()
}

/// One changed file's part of a unified diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileDiff {
    /// The path relative to the root, `/`-separated.
    pub rel: String,
    /// Its `---`/`+++` headers and hunks, as `git apply` reads them.
    pub patch: String,
    /// The first line of the patch a CI runner or a terminal would read as
    /// more than text ([`crate::text::interpreted_in_a_log`]); such a
    /// patch must not be printed.
    pub unsafe_line: Option<UnsafeLine>,
    /// Every line break of the file is a lone CR (classic Mac): the patch
    /// holds raw CRs, which `git apply` needs and a terminal acts on (each
    /// returns the cursor, so a later piece overwrites an earlier one).
    pub lone_cr_breaks: bool,
}

/// A line of a file's patch that is unsafe to print as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsafeLine {
    /// 1-based, in the file as it is (context and removed lines) or in
    /// its fixed text (added lines, `fixed`).
    pub line: usize,
    pub fixed: bool,
    /// The line's text without its diff marker, escaped
    /// ([`crate::text::printable`]) and cut to 160 characters.
    pub shown: String,
}

/// [`unified_diff`], file by file, each with the first line unsafe to print.
pub fn file_diffs(root: &Path, changes: &BTreeMap<PathBuf, Change>) -> Vec<FileDiff> {
    let mut entries: Vec<(String, &Change)> = changes
        .iter()
        .filter(|(_, c)| c.original.as_deref() != Some(c.text.as_str()))
        .map(|(path, c)| (rel(root, path), c))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    for (rel, change) in entries {
        let old = change.original.as_deref().unwrap_or("");
        // Lines as `git apply` counts them: a lone CR ends no line (similar
        // would split at it, and the patch would be corrupt). Lone CRs are
        // hidden behind a character neither text holds while diffing.
        let hide = lone_cr_stand_in(old, &change.text);
        let (old_text, new_text) = match hide {
            Some(c) => (hide_lone_cr(old, c), hide_lone_cr(&change.text, c)),
            None => (old.to_owned(), change.text.clone()),
        };
        let diff = similar::TextDiff::from_lines(old_text.as_str(), new_text.as_str());
        // Quoted as git quotes a name that needs it (a line break in a
        // file name must not start a line of the log).
        let from = match change.original {
            Some(_) => crate::text::git_quoted(&format!("a/{rel}")).into_owned(),
            None => "/dev/null".to_owned(),
        };
        let to = crate::text::git_quoted(&format!("b/{rel}")).into_owned();
        let patch = diff
            .unified_diff()
            .context_radius(3)
            .header(&from, &to)
            .to_string()
            .replace(hide.unwrap_or('\r'), "\r");
        // In a file whose lines all end with a lone CR, the CR is its line
        // break: a runner splits there, so each piece is a line of the log.
        let lone_cr_lines = !old.contains('\n') && !change.text.contains('\n') && hide.is_some();
        let unsafe_line = first_unsafe_line(&patch, lone_cr_lines);
        out.push(FileDiff {
            rel,
            patch,
            unsafe_line,
            lone_cr_breaks: lone_cr_lines,
        });
    }
    out
}

/// The first line of `patch` that [`crate::text::interpreted_in_a_log`]
/// flags, with its line number in the old or the new text.
fn first_unsafe_line(patch: &str, lone_cr_lines: bool) -> Option<UnsafeLine> {
    let (mut old, mut new) = (0usize, 0usize);
    let mut in_hunk = false;
    for raw in patch.split('\n') {
        // The CR of a CRLF line break is no part of the line.
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(range) = line.strip_prefix("@@ -") {
            let number = |s: &str| {
                s.split(|c: char| !c.is_ascii_digit())
                    .next()
                    .and_then(|n| n.parse::<usize>().ok())
                    .unwrap_or(0)
            };
            old = number(range);
            new = range.split_once(" +").map_or(0, |(_, n)| number(n));
            in_hunk = true;
            continue;
        }
        let marker = line.chars().next();
        let body = in_hunk && matches!(marker, Some(' ' | '+' | '-'));
        let pieces: Vec<&str> = if lone_cr_lines {
            line.split('\r').collect()
        } else {
            vec![line]
        };
        for (k, piece) in pieces.iter().enumerate() {
            if crate::text::interpreted_in_a_log(piece) {
                let fixed = marker == Some('+');
                let text = if k == 0 && body { &piece[1..] } else { piece };
                let mut shown = crate::text::printable(text).into_owned();
                if let Some((cut, _)) = shown.char_indices().nth(160) {
                    shown.truncate(cut);
                    shown.push('…');
                }
                let at = if fixed { new } else { old };
                return Some(UnsafeLine {
                    line: if body { at.max(1) + k } else { 0 },
                    fixed,
                    shown,
                });
            }
        }
        if body {
            let n = pieces.len();
            match marker {
                Some('+') => new += n,
                Some('-') => old += n,
                _ => {
                    old += n;
                    new += n;
                }
            }
        }
    }
    None
}

/// A character for lone CRs while diffing, when either text has one.
fn lone_cr_stand_in(a: &str, b: &str) -> Option<char> {
    let lone = |t: &str| {
        t.match_indices('\r')
            .any(|(i, _)| !t[i + 1..].starts_with('\n'))
    };
    if !lone(a) && !lone(b) {
        return None;
    }
    ('\u{e000}'..='\u{f8ff}').find(|c| !a.contains(*c) && !b.contains(*c))
}

fn hide_lone_cr(text: &str, stand_in: char) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push(stand_in);
        } else {
            out.push(c);
        }
    }
    out
}

fn rel(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
