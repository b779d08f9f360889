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
    /// The secret values the fix removes that it may remove only while
    /// another file keeps them secret (a copy of them is shown elsewhere):
    /// two fixes of one pass must not both remove one (see
    /// [`crate::fix::session`]).
    pub removes: crate::redact::Secrets,
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

/// `text` escaped for XML character data. Control characters XML allows
/// (CR, C1, DEL) and the line and bidirectional formatting characters are
/// written as character references, so that the text re-parses the same
/// (a raw CR would become LF) and a diff or a terminal shows no raw
/// control; tab and LF stay. A C0 control XML forbids even as a reference
/// (ESC, BEL) cannot be written: it becomes U+FFFD. The first `#` of
/// `##vso[` or `##[` is written `&#35;`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' => out.push(c),
            '\u{0}'..='\u{1f}' if c != '\r' => out.push('\u{fffd}'),
            c if c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}') =>
            {
                out.push_str(&format!("&#{};", c as u32))
            }
            c => out.push(c),
        }
    }
    // Nor an Azure Pipelines command when a diff of the file is logged.
    crate::text::defuse_azure(&out, "&#35;").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_writes_controls_as_references_that_parse_back() {
        let label = "A&B <x>\r\u{9b}\u{7f}\u{202e}\u{2028}\tz";
        let escaped = escape(label);
        assert_eq!(
            escaped,
            "A&amp;B &lt;x&gt;&#13;&#155;&#127;&#8238;&#8232;\tz"
        );
        let doc = format!("<label>{escaped}</label>");
        let tree = crate::xml::XmlTree::parse(&doc).unwrap();
        let root = tree.root().unwrap();
        assert_eq!(tree.value(&doc, root).unwrap(), label);
        assert_eq!(escape("a\u{1b}[2J\u{7}"), "a\u{fffd}[2J\u{fffd}");
        assert_eq!(escape("x ##vso[y]"), "x &#35;#vso[y]");
    }

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
