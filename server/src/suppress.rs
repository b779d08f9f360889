//! Inline suppression comments (RULES.md, "Config and suppression"):
//! `<!-- exchange-auth-lint-disable-next-line ID[, ID][; reason] -->` for the
//! next element, `<!-- exchange-auth-lint-disable ID[, ID][; reason] -->` for
//! the whole file.

use crate::source::SourceFile;
use std::ops::Range;

pub const NEXT_LINE: &str = "exchange-auth-lint-disable-next-line";
pub const FILE: &str = "exchange-auth-lint-disable";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The comment.
    pub comment: Range<usize>,
    /// The ids as written, each with its range in the file.
    pub ids: Vec<(String, Range<usize>)>,
    /// The element it covers; `None` for a file-wide suppression.
    pub scope: Option<Range<usize>>,
}

pub fn parse(file: &SourceFile) -> Vec<Suppression> {
    let Some(tree) = file.tree() else {
        return Vec::new();
    };
    let text = &file.text;
    let mut out = Vec::new();
    for comment in tree.comments() {
        let body = &text[comment.body.clone()];
        let trimmed = body.trim_start();
        let lead = body.len() - trimmed.len();
        let (rest, next_line) = if let Some(rest) = trimmed.strip_prefix(NEXT_LINE) {
            (rest, true)
        } else if let Some(rest) = trimmed.strip_prefix(FILE) {
            (rest, false)
        } else {
            continue;
        };
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let ids_start = comment.body.start + lead + (trimmed.len() - rest.len());
        let ids_text = rest.split(';').next().unwrap_or("");
        let mut ids = Vec::new();
        let mut offset = 0;
        for piece in ids_text.split(|c: char| c == ',' || c.is_whitespace()) {
            if !piece.is_empty() {
                let start = ids_start + offset;
                ids.push((piece.to_owned(), start..start + piece.len()));
            }
            offset += piece.len() + 1;
        }
        let scope = if next_line {
            let next = tree
                .elements()
                .find(|(_, el)| el.start_tag.start >= comment.range.end)
                .map(|(_, el)| el.range());
            match next {
                Some(r) => Some(r),
                None => Some(comment.range.end..comment.range.end),
            }
        } else {
            None
        };
        out.push(Suppression {
            comment: comment.range.clone(),
            ids,
            scope,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::{Format, MetadataKind};

    #[test]
    fn parses_both_forms() {
        let text = "<A>\n  <!-- exchange-auth-lint-disable-next-line EXO001, SEC001; legacy -->\n  <b>x</b>\n  <!-- exchange-auth-lint-disable EXO002 -->\n  <!-- exchange-auth-lint-disabled X -->\n</A>";
        let file = SourceFile::new(
            "x".into(),
            "x".into(),
            MetadataKind::NamedCredential,
            Format::Source,
            text.as_bytes().to_vec(),
        );
        let s = parse(&file);
        assert_eq!(s.len(), 2);
        let ids: Vec<&str> = s[0].ids.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["EXO001", "SEC001"]);
        assert_eq!(&text[s[0].ids[1].1.clone()], "SEC001");
        assert_eq!(&text[s[0].scope.clone().unwrap()], "<b>x</b>");
        assert_eq!(s[1].scope, None);
        assert_eq!(s[1].ids[0].0, "EXO002");
    }
}
