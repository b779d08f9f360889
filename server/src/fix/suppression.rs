//! The suppressions every finding offers besides its rule's fixes: a
//! `disable-next-line` comment above the element the finding is in, and a
//! file-wide `disable` comment at the top of the file.

use crate::diagnostic::Finding;
use crate::edit::{Edit, FileChange, Fix, WorkspaceEdit};
use crate::i18n::Lang;
use crate::rules::UNUSED_SUPPRESSION;
use crate::source::SourceFile;
use crate::suppress;
use crate::text::{line_break_at, line_ending};

/// The id of the suppression among a finding's fixes.
pub const SUPPRESS_ID: &str = "suppress";

/// "Disable ID for this element": a `disable-next-line` comment on its own
/// line above the element the finding is in, indented like it, with the
/// file's line ending.
pub fn disable_for_element(file: &SourceFile, finding: &Finding, lang: Lang) -> Option<Fix> {
    if finding.rule == UNUSED_SUPPRESSION.id {
        return None;
    }
    if let Some(view) = file.apex() {
        return disable_for_line(file, view, finding, lang);
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
    let eol = line_break_at(text, line_start);
    let comment = format!("<!-- {} {} -->", suppress::NEXT_LINE, finding.rule);
    let edit = if before.trim().is_empty() {
        Edit::insert(line_start, format!("{indent}{comment}{eol}"))
    } else {
        Edit::insert(tag, format!("{comment}{eol}{indent}"))
    };
    Some(comment_fix(file, finding, Scope::Element, edit, lang))
}

/// What a suppression comment covers, for its title.
#[derive(Clone, Copy)]
enum Scope {
    Element,
    Line,
    File,
}

/// "Disable ID for this {scope}": the one edit that inserts the comment.
fn comment_fix(file: &SourceFile, finding: &Finding, scope: Scope, edit: Edit, lang: Lang) -> Fix {
    let rule = finding.rule;
    let title = match scope {
        Scope::Element => crate::tr!(
            lang,
            "Disable {rule} for this element",
            "この要素で {rule} を無効にする"
        ),
        Scope::Line => crate::tr!(
            lang,
            "Disable {rule} for this line",
            "この行で {rule} を無効にする"
        ),
        Scope::File => crate::tr!(
            lang,
            "Disable {rule} for this file",
            "このファイルで {rule} を無効にする"
        ),
    };
    Fix {
        removes: Default::default(),
        rule,
        id: SUPPRESS_ID.into(),
        title,
        preferred: false,
        note: None,
        edit: WorkspaceEdit {
            changes: vec![FileChange::Edit {
                path: file.path.clone(),
                edits: vec![edit],
            }],
        },
    }
}

/// Apex, "Disable ID for this line": a `// …-disable-next-line ID` comment
/// on its own line above the line the finding starts on, indented like it
/// (not offered inside a `/* … */` comment, where it would be no comment).
fn disable_for_line(
    file: &SourceFile,
    view: &crate::apex::ApexView,
    finding: &Finding,
    lang: Lang,
) -> Option<Fix> {
    let text = &file.text;
    let at = finding.range.start.min(text.len());
    let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    if view
        .comments
        .iter()
        .any(|c| c.range.start < line_start && line_start < c.range.end)
    {
        return None;
    }
    let rest = &text[line_start..];
    let indent = &rest[..rest.len() - rest.trim_start_matches([' ', '\t']).len()];
    let eol = line_break_at(text, line_start);
    let comment = format!("{indent}// {} {}{eol}", suppress::NEXT_LINE, finding.rule);
    Some(comment_fix(
        file,
        finding,
        Scope::Line,
        Edit::insert(line_start, comment),
        lang,
    ))
}

/// "Disable ID for this file": an `exchange-auth-lint-disable ID` comment
/// on its own line: in XML as the root element's first child (indented like
/// its children), in Apex as the file's first line.
pub fn disable_for_file(file: &SourceFile, finding: &Finding, lang: Lang) -> Option<Fix> {
    if finding.rule == UNUSED_SUPPRESSION.id {
        return None;
    }
    let text = &file.text;
    let eol = line_ending(text);
    let edit = if file.apex().is_some() {
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Edit::insert(
            start,
            format!("// {} {}{eol}", suppress::FILE, finding.rule),
        )
    } else {
        let tree = file.tree()?;
        let root = tree.element(tree.root()?);
        // An empty root (`<A/>`) has no inside to hold the comment.
        root.end_tag.as_ref()?;
        let indent = root
            .children
            .first()
            .and_then(|&child| {
                let tag = tree.element(child).start_tag.start;
                let line_start = text[..tag].rfind(['\n', '\r']).map_or(0, |i| i + 1);
                let before = &text[line_start..tag];
                before.trim().is_empty().then_some(before)
            })
            .unwrap_or("    ");
        Edit::insert(
            root.start_tag.end,
            format!("{eol}{indent}<!-- {} {} -->", suppress::FILE, finding.rule),
        )
    };
    Some(comment_fix(file, finding, Scope::File, edit, lang))
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

    fn apply(text: &str, fix: &Fix) -> String {
        let FileChange::Edit { edits, .. } = &fix.edit.changes[0] else {
            panic!()
        };
        crate::edit::apply(text, edits)
    }

    #[test]
    fn inserts_above_with_indent_and_crlf() {
        let text = "<NamedCredential>\r\n\t<protocol>Password</protocol>\r\n</NamedCredential>\r\n";
        let at = text.find("Password").unwrap();
        let fix = disable_for_element(&file(text), &finding(at), Lang::En).unwrap();
        assert_eq!(
            apply(text, &fix),
            "<NamedCredential>\r\n\t<!-- exchange-auth-lint-disable-next-line EXO001 -->\r\n\t<protocol>Password</protocol>\r\n</NamedCredential>\r\n"
        );
    }

    /// A file with mixed line breaks: the comment takes the break of the
    /// line it goes above, not the file's first.
    #[test]
    fn a_comment_takes_the_line_break_of_its_line() {
        let text = "<NamedCredential>\n\t<label>x</label>\r\n\t<protocol>Password</protocol>\r\n</NamedCredential>\n";
        let at = text.find("Password").unwrap();
        let fix = disable_for_element(&file(text), &finding(at), Lang::En).unwrap();
        assert_eq!(
            apply(text, &fix),
            "<NamedCredential>\n\t<label>x</label>\r\n\t<!-- exchange-auth-lint-disable-next-line EXO001 -->\r\n\t<protocol>Password</protocol>\r\n</NamedCredential>\n"
        );
    }

    #[test]
    fn file_wide_comment_is_the_roots_first_child() {
        let text = "<?xml version=\"1.0\"?>\r\n<NamedCredential>\r\n\t<protocol>Password</protocol>\r\n</NamedCredential>\r\n";
        let at = text.find("Password").unwrap();
        let fix = disable_for_file(&file(text), &finding(at), Lang::En).unwrap();
        assert_eq!(fix.title, "Disable EXO001 for this file");
        assert_eq!(
            disable_for_file(&file(text), &finding(at), Lang::Ja)
                .unwrap()
                .title,
            "このファイルで EXO001 を無効にする"
        );
        let fixed = apply(text, &fix);
        assert_eq!(
            fixed,
            "<?xml version=\"1.0\"?>\r\n<NamedCredential>\r\n\t<!-- exchange-auth-lint-disable EXO001 -->\r\n\t<protocol>Password</protocol>\r\n</NamedCredential>\r\n"
        );
        // The comment is a file-wide suppression of that rule.
        let s = suppress::parse(&file(&fixed));
        assert_eq!(s.len(), 1);
        assert_eq!(
            (s[0].ids[0].0.as_str(), s[0].scope.clone()),
            ("EXO001", None)
        );
        // No children: four spaces; an empty root: nothing offered.
        let fixed = apply(
            "<A></A>",
            &disable_for_file(&file("<A></A>"), &finding(1), Lang::En).unwrap(),
        );
        assert_eq!(
            fixed,
            "<A>\n    <!-- exchange-auth-lint-disable EXO001 --></A>"
        );
        assert!(disable_for_file(&file("<A/>"), &finding(1), Lang::En).is_none());
    }

    fn apex(text: &str) -> SourceFile {
        SourceFile::new(
            "/p/A.cls".into(),
            "A.cls".into(),
            MetadataKind::ApexClass,
            Format::Source,
            text.as_bytes().to_vec(),
        )
    }

    #[test]
    fn apex_gets_a_next_line_comment_above_the_line() {
        let text = "public class A {\r\n    void f() {\r\n        req.setEndpoint('https://outlook.office365.com/EWS/Exchange.asmx');\r\n    }\r\n}\r\n";
        let at = text.find("'https").unwrap();
        let fix = disable_for_element(&apex(text), &finding(at), Lang::En).unwrap();
        assert_eq!(fix.title, "Disable EXO001 for this line");
        let fixed = apply(text, &fix);
        assert_eq!(
            fixed,
            "public class A {\r\n    void f() {\r\n        // exchange-auth-lint-disable-next-line EXO001\r\n        req.setEndpoint('https://outlook.office365.com/EWS/Exchange.asmx');\r\n    }\r\n}\r\n"
        );
        let s = suppress::parse(&apex(&fixed));
        assert_eq!(s.len(), 1);
        let scope = s[0].scope.clone().unwrap();
        assert!(scope.contains(&fixed.find("req.").unwrap()), "{scope:?}");
        // Inside a block comment a `//` line would be no comment at all.
        let text = "/* old:\n   String u = 'https://outlook.office365.com/EWS/Exchange.asmx';\n*/\npublic class A {}\n";
        let at = text.find("'https").unwrap();
        assert!(disable_for_element(&apex(text), &finding(at), Lang::En).is_none());
    }

    #[test]
    fn file_wide_comment_in_apex_is_the_first_line() {
        let text = "\u{feff}public class A {\n  String u = 'https://outlook.office365.com/EWS/Exchange.asmx';\n}\n";
        let apex = SourceFile::new(
            "/p/A.cls".into(),
            "A.cls".into(),
            MetadataKind::ApexClass,
            Format::Source,
            text.as_bytes().to_vec(),
        );
        let fix = disable_for_file(&apex, &finding(text.find("https").unwrap()), Lang::En).unwrap();
        let fixed = apply(text, &fix);
        assert_eq!(
            fixed,
            "\u{feff}// exchange-auth-lint-disable EXO001\npublic class A {\n  String u = 'https://outlook.office365.com/EWS/Exchange.asmx';\n}\n"
        );
        let reparsed = SourceFile::new(
            "/p/A.cls".into(),
            "A.cls".into(),
            MetadataKind::ApexClass,
            Format::Source,
            fixed.as_bytes().to_vec(),
        );
        let s = suppress::parse(&reparsed);
        assert_eq!((s.len(), s[0].scope.clone()), (1, None));
    }

    #[test]
    fn splits_a_shared_line() {
        let text = "<NamedCredential>  <protocol>Password</protocol></NamedCredential>";
        let at = text.find("<protocol>").unwrap();
        let fix = disable_for_element(&file(text), &finding(at), Lang::En).unwrap();
        assert_eq!(
            apply(text, &fix),
            "<NamedCredential>  <!-- exchange-auth-lint-disable-next-line EXO001 -->\n<protocol>Password</protocol></NamedCredential>"
        );
    }
}
