//! Hover: the rule's documentation on a flagged element, and what a field
//! means (with the Microsoft cloud and service of a URL's host).

use super::position::Encoding;
use super::state::Snapshot;
use crate::docs::{field_doc, is_url_field, url_doc};
use crate::hosts::UrlInfo;
use crate::i18n::Lang;
use crate::rules::{self, Rule};
use std::path::Path;
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

/// The rule's documentation in `lang` (the one place hover reads it).
fn rule_doc(rule: &Rule, lang: Lang) -> &'static str {
    rule.doc_for(lang)
}

pub fn hover(
    snapshot: &Snapshot,
    path: &Path,
    pos: Position,
    enc: Encoding,
    lang: Lang,
) -> Option<Hover> {
    let analysis = &snapshot.analysis;
    let (file_id, file) = analysis.file(path)?;
    let offset = enc.offset_in(&file.lines, &file.text, pos);
    let mut sections: Vec<String> = Vec::new();
    let mut range = None;
    let mut shown = Vec::new();
    for f in analysis.findings_at(file_id, offset) {
        if shown.contains(&f.rule) {
            continue;
        }
        shown.push(f.rule);
        if let Some(rule) = rules::by_id(f.rule) {
            sections.push(format!(
                "**{}** `{}`\n\n{}",
                rule.id,
                rule.name,
                rule_doc(rule, lang)
            ));
            range.get_or_insert(f.range.clone());
        }
    }
    if let Some(tree) = file.tree() {
        let text = &file.text;
        let inner = tree
            .elements()
            .filter(|(_, e)| e.start_tag.start <= offset && offset <= e.range().end)
            .max_by_key(|(_, e)| e.depth);
        if let Some((id, element)) = inner {
            let name = tree.local_name(text, id);
            if let Some(doc) = field_doc(file.kind, name, lang) {
                sections.push(doc.to_string());
                range.get_or_insert(element.range());
            }
            let url_param = name.eq_ignore_ascii_case("parameterValue")
                && element.parent.is_some_and(|p| {
                    tree.child_named(text, p, "parameterType")
                        .and_then(|t| tree.value(text, t))
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case("Url"))
                });
            if is_url_field(file.kind, name) || url_param {
                if let Some(info) = tree.value(text, id).and_then(|v| UrlInfo::parse(&v)) {
                    sections.push(url_doc(&info, lang));
                    range.get_or_insert(element.range());
                }
            }
        }
    }
    if sections.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: range.map(|r| enc.range(&file.lines, &file.text, r)),
    })
}
