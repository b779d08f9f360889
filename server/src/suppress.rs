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
    if let Some(view) = file.apex() {
        return parse_apex(file, view);
    }
    let Some(tree) = file.tree() else {
        return Vec::new();
    };
    let text = &file.text;
    let mut out = Vec::new();
    for comment in tree.comments() {
        let Some((ids, next_line)) = directive(text, comment.body.clone()) else {
            continue;
        };
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

/// Apex: `// exchange-auth-lint-disable-next-line ID[, ID][; reason]` covers
/// the line after the comment; `// exchange-auth-lint-disable ID` (or the
/// same in a `/* … */` comment) the whole file.
fn parse_apex(file: &SourceFile, view: &crate::apex::ApexView) -> Vec<Suppression> {
    let text = &file.text;
    let mut out = Vec::new();
    for comment in &view.comments {
        let Some((ids, next_line)) = directive(text, comment.body.clone()) else {
            continue;
        };
        let scope = next_line.then(|| {
            let line_end = |from: usize| {
                memchr::memchr(b'\n', &text.as_bytes()[from..]).map_or(text.len(), |i| from + i)
            };
            let end_of_comment_line = line_end(comment.range.end);
            let start = (end_of_comment_line + 1).min(text.len());
            start..line_end(start)
        });
        out.push(Suppression {
            comment: comment.range.clone(),
            ids,
            scope,
        });
    }
    out
}

/// Rule ids as written, each with its range in the file.
type Ids = Vec<(String, Range<usize>)>;

/// The ids of a suppression comment's body (with their ranges) and
/// whether it is the next-line form; `None` when it is no directive.
fn directive(text: &str, body: Range<usize>) -> Option<(Ids, bool)> {
    let body_text = text.get(body.clone())?;
    let trimmed = body_text.trim_start();
    let lead = body_text.len() - trimmed.len();
    let (rest, next_line) = if let Some(rest) = trimmed.strip_prefix(NEXT_LINE) {
        (rest, true)
    } else if let Some(rest) = trimmed.strip_prefix(FILE) {
        (rest, false)
    } else {
        return None;
    };
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let ids_start = body.start + lead + (trimmed.len() - rest.len());
    let ids_text = rest.split(';').next().unwrap_or("");
    // Separators may be wider than one byte (an ideographic space).
    let mut ids = Vec::new();
    let mut piece_start = None;
    let ends = ids_text.char_indices().chain([(ids_text.len(), ' ')]);
    for (i, c) in ends {
        if c == ',' || c.is_whitespace() {
            if let Some(s) = piece_start.take() {
                ids.push((ids_text[s..i].to_owned(), ids_start + s..ids_start + i));
            }
        } else if piece_start.is_none() {
            piece_start = Some(i);
        }
    }
    Some((ids, next_line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::{Format, MetadataKind};

    fn named_credential(text: &str) -> SourceFile {
        SourceFile::new(
            "x".into(),
            "x".into(),
            MetadataKind::NamedCredential,
            Format::Source,
            text.as_bytes().to_vec(),
        )
    }

    #[test]
    fn parses_both_forms() {
        let text = "<A>\n  <!-- exchange-auth-lint-disable-next-line EXO001, SEC001; legacy -->\n  <b>x</b>\n  <!-- exchange-auth-lint-disable EXO002 -->\n  <!-- exchange-auth-lint-disabled X -->\n</A>";
        let file = named_credential(text);
        let s = parse(&file);
        assert_eq!(s.len(), 2);
        let ids: Vec<&str> = s[0].ids.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["EXO001", "SEC001"]);
        assert_eq!(&text[s[0].ids[1].1.clone()], "SEC001");
        assert_eq!(&text[s[0].scope.clone().unwrap()], "<b>x</b>");
        assert_eq!(s[1].scope, None);
        assert_eq!(s[1].ids[0].0, "EXO002");
    }

    #[test]
    fn apex_comments_cover_the_next_line_or_the_file() {
        let text = "public class A {\n  // exchange-auth-lint-disable-next-line EXO002; moving to Graph\n  String u = 'callout:X/EWS/';\n  /* exchange-auth-lint-disable SEC001, EXO001 */\n  // exchange-auth-lint-disabled X\n}\n";
        let file = SourceFile::new(
            "A.cls".into(),
            "A.cls".into(),
            MetadataKind::ApexClass,
            Format::Source,
            text.as_bytes().to_vec(),
        );
        let s = parse(&file);
        assert_eq!(s.len(), 2);
        assert_eq!(
            &text[s[0].scope.clone().unwrap()],
            "  String u = 'callout:X/EWS/';"
        );
        assert_eq!(&text[s[0].ids[0].1.clone()], "EXO002");
        let ids: Vec<&str> = s[1].ids.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["SEC001", "EXO001"]);
        assert_eq!(s[1].scope, None);
    }

    #[test]
    fn wide_separators_keep_id_ranges() {
        let text = "<A><!-- exchange-auth-lint-disable EXO001\u{3000}SEC001,\u{3000}AP001 --></A>";
        let file = named_credential(text);
        let s = parse(&file);
        let ids: Vec<&str> = s[0].ids.iter().map(|(_, r)| &text[r.clone()]).collect();
        assert_eq!(ids, ["EXO001", "SEC001", "AP001"]);
    }
}
