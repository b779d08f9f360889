//! Edits: titled sets of text edits across one or more files (creations
//! included), applied in memory, and the editors that compute them from a
//! span tree (`xml_edit`) or `sfdx-project.json` (`json_edit`). Nothing
//! here knows a rule: rules build [`Draft`]s with these, and `fix/`
//! validates and applies them.

pub mod json_edit;
pub mod xml_edit;

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
