//! Fixes: titled sets of text edits across one or more files, computed by
//! the rule that found the problem, from the span tree. Rules never write
//! files; front ends (the CLI's `check --fix`/`--diff`, the language
//! server's code actions) apply them.
//!
//! The API is split so an editor can stay cheap:
//! - [`offers_for`] lists the fixes of a finding (id, title, preferred)
//!   without computing edits (code-action titles);
//! - [`resolve`] computes and validates one offer's edits (code-action
//!   resolve);
//! - [`fixes_for`] does both for every offer.
//!
//! Every fix is validated before anyone sees it: files with XML001 are
//! never rewritten, new files never overwrite existing ones, and a result
//! that is not well-formed is refused.

pub mod json_edit;
pub mod session;
pub mod support;
pub mod xml_edit;

use crate::diagnostic::Finding;
use crate::rules::Context;
use crate::source::SourceFile;
use crate::tr;
use crate::xml::XmlTree;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Replace `range` (bytes of the file's current text) with `new_text`. An
/// empty range inserts; an empty `new_text` deletes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub new_text: String,
}

impl Edit {
    pub fn replace(range: Range<usize>, new_text: impl Into<String>) -> Edit {
        Edit {
            range,
            new_text: new_text.into(),
        }
    }

    pub fn insert(at: usize, new_text: impl Into<String>) -> Edit {
        Edit::replace(at..at, new_text)
    }

    pub fn delete(range: Range<usize>) -> Edit {
        Edit::replace(range, "")
    }
}

/// One file's part of a fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileChange {
    /// Edits to an existing file, in its text as the project holds it
    /// (sorted, non-overlapping once validated).
    Edit { path: PathBuf, edits: Vec<Edit> },
    /// A new file. Never overwrites: refused when `path` exists.
    Create { path: PathBuf, text: String },
}

impl FileChange {
    pub fn path(&self) -> &Path {
        match self {
            FileChange::Edit { path, .. } | FileChange::Create { path, .. } => path,
        }
    }
}

/// Like LSP's `WorkspaceEdit` with document changes: edits and file
/// creations, in order, paths absolute.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkspaceEdit {
    pub changes: Vec<FileChange>,
}

impl WorkspaceEdit {
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.changes.iter().map(FileChange::path)
    }

    pub fn is_empty(&self) -> bool {
        self.changes.iter().all(|c| match c {
            FileChange::Edit { edits, .. } => edits.is_empty(),
            FileChange::Create { .. } => false,
        })
    }
}

/// A fix a rule offers for a finding, before its edits are computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    /// Stable within the rule (`eac-user`, `declare:online:oauth2`); what a
    /// language server keeps in a code action's `data` to resolve it later.
    pub id: String,
    pub title: String,
    /// The fix `check --fix` applies (at most one per finding).
    pub preferred: bool,
}

/// A fix with its edits, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub rule: &'static str,
    pub id: String,
    pub title: String,
    pub preferred: bool,
    /// What remains to do by hand (Setup steps, placeholders to fill in).
    pub note: Option<String>,
    pub edit: WorkspaceEdit,
}

/// What a rule's builder returns: the edits and the note.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    pub note: Option<String>,
    pub edit: WorkspaceEdit,
}

/// A fix that was offered but is not safe to apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub rule: &'static str,
    pub title: String,
    pub reason: String,
}

/// How a rule fixes its findings.
pub struct Fixer {
    /// Cheap: the offers for a finding (no edits computed).
    pub offers: fn(&Context, &Finding) -> Vec<Offer>,
    /// The edits of one offer; `Err` says why it cannot be built.
    pub build: fn(&Context, &Finding, &Offer) -> Result<Draft, String>,
}

/// The fixer of a rule, if it has one.
pub fn fixer(rule: &str) -> Option<&'static Fixer> {
    crate::rules::by_id(rule)?.fixer
}

/// The fixes offered for `finding`, without their edits.
pub fn offers_for(ctx: &Context, finding: &Finding) -> Vec<Offer> {
    fixer(finding.rule).map_or_else(Vec::new, |f| (f.offers)(ctx, finding))
}

/// Builds and validates one offer.
pub fn resolve(ctx: &Context, finding: &Finding, offer: &Offer) -> Result<Fix, Refusal> {
    let refuse = |reason: String| Refusal {
        rule: finding.rule,
        title: offer.title.clone(),
        reason,
    };
    let fixer = fixer(finding.rule).ok_or_else(|| refuse("the rule has no fixes".into()))?;
    let draft = (fixer.build)(ctx, finding, offer).map_err(refuse)?;
    validate(ctx, &draft.edit).map_err(refuse)?;
    Ok(Fix {
        rule: finding.rule,
        id: offer.id.clone(),
        title: offer.title.clone(),
        preferred: offer.preferred,
        note: draft.note,
        edit: draft.edit,
    })
}

/// Every fix for `finding`, and the ones refused with the reason.
pub fn compute(ctx: &Context, finding: &Finding) -> (Vec<Fix>, Vec<Refusal>) {
    let mut fixes = Vec::new();
    let mut refused = Vec::new();
    for offer in offers_for(ctx, finding) {
        match resolve(ctx, finding, &offer) {
            Ok(fix) => fixes.push(fix),
            Err(r) => refused.push(r),
        }
    }
    (fixes, refused)
}

/// Every valid fix for `finding`.
pub fn fixes_for(ctx: &Context, finding: &Finding) -> Vec<Fix> {
    compute(ctx, finding).0
}

/// The fix `check --fix` would apply for `finding`.
pub fn preferred_for(ctx: &Context, finding: &Finding) -> Option<Result<Fix, Refusal>> {
    let offer = offers_for(ctx, finding).into_iter().find(|o| o.preferred)?;
    Some(resolve(ctx, finding, &offer))
}

/// Applies `edits` to `text`. Edits are taken in start order (insertions
/// before replacements at the same offset, otherwise in the given order);
/// an edit that overlaps an earlier one, is out of bounds or splits a
/// character is skipped (validated fixes have none).
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        let Range { start, end } = e.range;
        if start < at
            || end < start
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(&e.new_text);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// Checks that `edits` are sorted-able without overlap and in bounds.
pub fn check_edits(text: &str, edits: &[Edit]) -> Result<(), String> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut at = 0;
    for e in sorted {
        let Range { start, end } = e.range;
        if end < start || end > text.len() {
            return Err(format!("edit {start}..{end} is out of bounds"));
        }
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(format!("edit {start}..{end} splits a character"));
        }
        if start < at {
            return Err(format!("edit {start}..{end} overlaps another edit"));
        }
        at = end;
    }
    Ok(())
}

/// The text a fix starts from for `path`: a project file, or the manifest.
pub fn current_text<'a>(
    ctx: &'a Context,
    path: &Path,
) -> Option<(&'a str, Option<&'a SourceFile>)> {
    if let Some(f) = ctx.project.files.iter().find(|f| f.path == path) {
        return Some((&f.text, Some(f)));
    }
    if ctx.project.manifest_path.as_deref() == Some(path) {
        return Some((&ctx.project.manifest_text, None));
    }
    None
}

/// Checks a workspace edit before anyone applies it: edits in bounds and
/// not overlapping, no file with XML001 rewritten, every result well-formed
/// (XML re-parsed; `sfdx-project.json` re-read without errors), no new file
/// over an existing one.
pub fn validate(ctx: &Context, edit: &WorkspaceEdit) -> Result<(), String> {
    let lang = ctx.lang;
    let mut seen: Vec<&Path> = Vec::new();
    for change in &edit.changes {
        let path = change.path();
        if seen.contains(&path) {
            return Err(format!("{} is changed twice", path.display()));
        }
        seen.push(path);
        let shown = ctx.project.rel_path(path);
        match change {
            FileChange::Edit { edits, .. } => {
                let Some((text, file)) = current_text(ctx, path) else {
                    return Err(tr!(
                        lang,
                        "{shown} is not part of the project",
                        "{shown} はプロジェクトに含まれていません"
                    ));
                };
                check_edits(text, edits)?;
                let result = apply(text, edits);
                match file {
                    Some(file) => {
                        if file.tree.is_err() {
                            return Err(tr!(
                                lang,
                                "{shown} is not well-formed XML (XML001); files with XML001 are never rewritten",
                                "{shown} は整形式の XML ではありません（XML001）。XML001 のファイルは書き換えません"
                            ));
                        }
                        if let Err(err) = XmlTree::parse(&result) {
                            let reason = err.message;
                            return Err(tr!(
                                lang,
                                "the result in {shown} would not be well-formed XML ({reason}); nothing was written",
                                "{shown} の修正結果が整形式の XML になりません（{reason}）。何も書き込んでいません"
                            ));
                        }
                    }
                    None => {
                        let (_, errors) = crate::project::config::parse_manifest(&result);
                        if let Some(e) = errors.first() {
                            let reason = &e.message;
                            return Err(tr!(
                                lang,
                                "the result in {shown} would not be valid ({reason}); nothing was written",
                                "{shown} の修正結果が正しくありません（{reason}）。何も書き込んでいません"
                            ));
                        }
                    }
                }
            }
            FileChange::Create { text, .. } => {
                if path.exists() || current_text(ctx, path).is_some() {
                    return Err(tr!(
                        lang,
                        "{shown} already exists; fixes never overwrite files",
                        "{shown} は既に存在します。修正でファイルを上書きすることはありません"
                    ));
                }
                if let Err(err) = XmlTree::parse(text) {
                    let reason = err.message;
                    return Err(tr!(
                        lang,
                        "the new file {shown} would not be well-formed XML ({reason})",
                        "新しいファイル {shown} が整形式の XML になりません（{reason}）"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// `text` escaped for XML character data.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_in_order() {
        let text = "abcdef";
        let edits = [
            Edit::replace(4..6, "X"),
            Edit::insert(0, ">"),
            Edit::delete(1..2),
            Edit::insert(4, "+"),
        ];
        assert_eq!(apply(text, &edits), ">acd+X");
        assert!(check_edits(text, &edits).is_ok());
        assert!(check_edits(text, &[Edit::delete(0..3), Edit::delete(2..4)]).is_err());
        assert!(check_edits(text, &[Edit::delete(0..9)]).is_err());
        // Bad edits are skipped, never a panic.
        assert_eq!(apply("é", &[Edit::delete(0..1)]), "é");
        assert_eq!(apply("ab", &[Edit::delete(0..2), Edit::delete(1..2)]), "");
    }
}
