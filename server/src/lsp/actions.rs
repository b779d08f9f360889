//! Code actions, engine side: what to change, in byte offsets. The
//! protocol layer turns a [`ProposedFix`] into a `WorkspaceEdit`.

use crate::check::CheckOptions;
use crate::diagnostic::Finding;
use crate::facts::Facts;
use crate::fix;
use crate::project::Project;
use crate::rules::{Context, UNUSED_SUPPRESSION};
use crate::source::SourceFile;
use crate::suppress;
use std::ops::Range;
use std::path::PathBuf;

/// The command a fix's code action runs after its edit: shows the fix's
/// note (what remains to do in Setup).
pub const SHOW_NOTE_COMMAND: &str = "exchangeAuthLint.showFixNote";

/// The code action kind of "fix everything fixable in this file".
pub const FIX_ALL_KIND: &str = "source.fixAll.exchangeAuthLint";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileChange {
    /// Replace byte ranges of an existing file (ranges do not overlap).
    Edit {
        path: PathBuf,
        edits: Vec<(Range<usize>, String)>,
    },
    /// Create a file with this text (it must not exist yet).
    Create { path: PathBuf, text: String },
}

/// One action the user can pick for a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposedFix {
    pub title: String,
    /// The finding it fixes (rule and start of its range).
    pub rule: &'static str,
    pub finding_start: usize,
    /// The rule's fix id (`None` for the suppression).
    pub fix_id: Option<String>,
    pub preferred: bool,
    /// What remains to do by hand once applied (Setup steps…).
    pub note: Option<String>,
    pub changes: Vec<FileChange>,
}

impl ProposedFix {
    pub fn creates_files(&self) -> bool {
        self.changes
            .iter()
            .any(|c| matches!(c, FileChange::Create { .. }))
    }
}

/// Every action for `finding`: the rule's fixes first, then the
/// suppression. With `lazy`, rule fixes come without their changes (only
/// title and id: cheap); [`resolve_fix`] computes them later.
pub fn actions_for(
    project: &Project,
    facts: &Facts,
    finding: &Finding,
    options: &CheckOptions,
    lazy: bool,
) -> Vec<ProposedFix> {
    let ctx = context(project, facts, options);
    let mut out: Vec<ProposedFix> = if lazy {
        fix::offers_for(&ctx, finding)
            .into_iter()
            .map(|offer| ProposedFix {
                title: offer.title,
                rule: finding.rule,
                finding_start: finding.range.start,
                fix_id: Some(offer.id),
                preferred: offer.preferred,
                note: None,
                changes: Vec::new(),
            })
            .collect()
    } else {
        fix::fixes_for(&ctx, finding)
            .into_iter()
            .map(|f| proposed(finding, f))
            .collect()
    };
    if let Some(disable) = disable_for_element(&project.files[finding.file], finding) {
        out.push(disable);
    }
    out
}

/// The action titled `title` for `finding`, with its changes.
pub fn resolve_fix(
    project: &Project,
    facts: &Facts,
    finding: &Finding,
    options: &CheckOptions,
    fix_id: Option<&str>,
    title: &str,
) -> Option<ProposedFix> {
    match fix_id {
        Some(id) => {
            let ctx = context(project, facts, options);
            let offer = fix::offers_for(&ctx, finding)
                .into_iter()
                .find(|o| o.id == id && o.title == title)?;
            fix::resolve(&ctx, finding, &offer)
                .ok()
                .map(|f| proposed(finding, f))
        }
        None => {
            disable_for_element(&project.files[finding.file], finding).filter(|d| d.title == title)
        }
    }
}

fn context<'a>(project: &'a Project, facts: &'a Facts, options: &CheckOptions) -> Context<'a> {
    Context {
        project,
        facts,
        as_of: options.as_of,
        lang: options.lang,
    }
}

/// The fix engine's fix as an action: one seam between the two.
fn proposed(finding: &Finding, f: fix::Fix) -> ProposedFix {
    ProposedFix {
        title: f.title,
        rule: finding.rule,
        finding_start: finding.range.start,
        fix_id: Some(f.id),
        preferred: f.preferred,
        note: f.note,
        changes: f
            .edit
            .changes
            .into_iter()
            .map(|c| match c {
                fix::FileChange::Edit { path, edits } => FileChange::Edit {
                    path,
                    edits: edits.into_iter().map(|e| (e.range, e.new_text)).collect(),
                },
                fix::FileChange::Create { path, text } => FileChange::Create { path, text },
            })
            .collect(),
    }
}

/// "Disable ID for this element": a `disable-next-line` comment on its own
/// line above the element the finding is in, indented like it, with the
/// file's line ending.
pub fn disable_for_element(file: &SourceFile, finding: &Finding) -> Option<ProposedFix> {
    if finding.rule == UNUSED_SUPPRESSION.id {
        return None;
    }
    let tree = file.tree()?;
    let text = &file.text;
    let at = finding.range.start;
    // The innermost element the finding starts in.
    let (_, element) = tree
        .elements()
        .filter(|(_, e)| e.start_tag.start <= at && at < e.range().end.max(e.start_tag.start + 1))
        .max_by_key(|(_, e)| e.depth)?;
    let tag = element.start_tag.start;
    let line_start = text[..tag].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = &text[line_start..tag];
    let indent_len = before.len() - before.trim_start_matches([' ', '\t']).len();
    let indent = &before[..indent_len];
    let eol = line_ending(text);
    let comment = format!("<!-- {} {} -->", suppress::NEXT_LINE, finding.rule);
    let edit = if before.trim().is_empty() {
        (line_start..line_start, format!("{indent}{comment}{eol}"))
    } else {
        (tag..tag, format!("{comment}{eol}{indent}"))
    };
    Some(ProposedFix {
        title: format!("Disable {} for this element", finding.rule),
        rule: finding.rule,
        finding_start: finding.range.start,
        fix_id: None,
        preferred: false,
        note: None,
        changes: vec![FileChange::Edit {
            path: file.path.clone(),
            edits: vec![edit],
        }],
    })
}

/// The file's line ending: that of its first line break (`\n` if none).
fn line_ending(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(i) if text[i..].starts_with("\r\n") => "\r\n",
        Some(i) if text[i..].starts_with('\r') => "\r",
        _ => "\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::metadata::{Format, MetadataKind};

    fn file(text: &str) -> SourceFile {
        SourceFile::new(
            "/p/x.namedCredential-meta.xml".into(),
            "x.namedCredential-meta.xml".into(),
            MetadataKind::NamedCredential,
            Format::Source,
            text.as_bytes().to_vec(),
        )
    }

    fn finding(at: usize) -> Finding {
        Finding {
            rule: "EXO001",
            severity: Severity::Error,
            file: 0,
            range: at..at + 1,
            message: String::new(),
            related: Vec::new(),
            fixable: false,
        }
    }

    fn apply(text: &str, fix: &ProposedFix) -> String {
        let FileChange::Edit { edits, .. } = &fix.changes[0] else {
            panic!()
        };
        let (r, s) = &edits[0];
        format!("{}{}{}", &text[..r.start], s, &text[r.end..])
    }

    #[test]
    fn inserts_above_with_indent_and_crlf() {
        let text = "<NamedCredential>\r\n\t<protocol>Password</protocol>\r\n</NamedCredential>\r\n";
        let at = text.find("Password").unwrap();
        let fix = disable_for_element(&file(text), &finding(at)).unwrap();
        assert_eq!(
            apply(text, &fix),
            "<NamedCredential>\r\n\t<!-- exchange-auth-lint-disable-next-line EXO001 -->\r\n\t<protocol>Password</protocol>\r\n</NamedCredential>\r\n"
        );
    }

    #[test]
    fn splits_a_shared_line() {
        let text = "<NamedCredential>  <protocol>Password</protocol></NamedCredential>";
        let at = text.find("<protocol>").unwrap();
        let fix = disable_for_element(&file(text), &finding(at)).unwrap();
        assert_eq!(
            apply(text, &fix),
            "<NamedCredential>  <!-- exchange-auth-lint-disable-next-line EXO001 -->\n<protocol>Password</protocol></NamedCredential>"
        );
    }
}
