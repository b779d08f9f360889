//! Edits to `sfdx-project.json` that keep its formatting: values are set
//! in `plugins.exchangeAuthLint`, creating the objects on the way when
//! missing, indented like the neighbouring properties, with the file's
//! line ending. Comments (JSONC) and everything else stay as they were.

use super::xml_edit::line_ending;
use super::Edit;
use crate::project::config::PLUGIN_KEY;
use jsonc_parser::ast::{Object, Value};
use jsonc_parser::common::Ranged;

/// Edits that set each `(key, string value)` in `plugins.exchangeAuthLint`.
/// `None` when the manifest is not a JSON object or `plugins` (or the
/// plugin's entry) is not an object.
pub fn set_plugin_strings(text: &str, values: &[(&str, &str)]) -> Option<Vec<Edit>> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - body.len();
    let ast = jsonc_parser::parse_to_ast(
        body,
        &jsonc_parser::CollectOptions::default(),
        &jsonc_parser::ParseOptions::default(),
    )
    .ok()?;
    let Some(Value::Object(root)) = ast.value else {
        return None;
    };
    let w = Writer {
        text,
        bom,
        eol: line_ending(text),
        unit: detect_unit(text, bom, &root),
    };
    let props: Vec<(String, Json)> = values
        .iter()
        .map(|(k, v)| (k.to_string(), Json::Str(v.to_string())))
        .collect();
    let mut edits = Vec::new();
    match root.get("plugins") {
        None => w.add_props(
            &root,
            vec![(
                "plugins".into(),
                Json::Obj(vec![(PLUGIN_KEY.into(), Json::Obj(props))]),
            )],
            &mut edits,
        ),
        Some(p) => {
            let Value::Object(plugins) = &p.value else {
                return None;
            };
            match plugins.get(PLUGIN_KEY) {
                None => w.add_props(
                    plugins,
                    vec![(PLUGIN_KEY.into(), Json::Obj(props))],
                    &mut edits,
                ),
                Some(e) => {
                    let Value::Object(ours) = &e.value else {
                        return None;
                    };
                    let mut missing = Vec::new();
                    for (k, v) in props {
                        match ours.get(&k) {
                            Some(existing) => {
                                let r = existing.value.range();
                                let new = v.render("", "", "");
                                if body[r.start..r.end] != new {
                                    edits.push(Edit::replace(r.start + bom..r.end + bom, new));
                                }
                            }
                            None => missing.push((k, v)),
                        }
                    }
                    if !missing.is_empty() {
                        w.add_props(ours, missing, &mut edits);
                    }
                }
            }
        }
    }
    Some(edits)
}

enum Json {
    Str(String),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn render(&self, indent: &str, unit: &str, eol: &str) -> String {
        match self {
            Json::Str(s) => serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()),
            Json::Obj(props) => {
                let inner = format!("{indent}{unit}");
                let mut s = String::from("{");
                for (i, (k, v)) in props.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push_str(eol);
                    s.push_str(&inner);
                    s.push_str(&format!("{}: {}", quote(k), v.render(&inner, unit, eol)));
                }
                s.push_str(eol);
                s.push_str(indent);
                s.push('}');
                s
            }
        }
    }
}

fn quote(k: &str) -> String {
    serde_json::to_string(k).unwrap_or_else(|_| "\"\"".into())
}

/// The indentation of the root's first property, else two spaces.
fn detect_unit(text: &str, bom: usize, root: &Object) -> String {
    root.properties
        .first()
        .and_then(|p| indent_at(text, p.range.start + bom))
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "  ".into())
}

fn indent_at(text: &str, at: usize) -> Option<String> {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[start..at];
    before
        .chars()
        .all(|c| c == ' ' || c == '\t')
        .then(|| before.to_owned())
}

struct Writer<'a> {
    text: &'a str,
    bom: usize,
    eol: &'static str,
    unit: String,
}

impl Writer<'_> {
    /// The indentation of the line an offset is on.
    fn line_indent(&self, at: usize) -> String {
        let start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        self.text[start..]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect()
    }

    fn add_props(&self, obj: &Object, props: Vec<(String, Json)>, edits: &mut Vec<Edit>) {
        let bom = self.bom;
        let text = self.text;
        let eol = self.eol;
        let open = obj.range.start + bom;
        let close = obj.range.end + bom - 1;
        let obj_indent = self.line_indent(open);
        let multiline = text[open..=close].contains('\n') || obj.properties.is_empty();
        let indent = obj
            .properties
            .first()
            .and_then(|p| indent_at(text, p.range.start + bom))
            .unwrap_or_else(|| format!("{obj_indent}{}", self.unit));
        let rendered: Vec<String> = props
            .iter()
            .map(|(k, v)| format!("{}: {}", quote(k), v.render(&indent, &self.unit, eol)))
            .collect();
        match obj.properties.last() {
            None => {
                let mut s = String::new();
                for (i, r) in rendered.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push_str(eol);
                    s.push_str(&indent);
                    s.push_str(r);
                }
                s.push_str(eol);
                s.push_str(&obj_indent);
                // Replace whatever whitespace is inside `{ }`.
                let inner = &text[open + 1..close];
                if inner.trim().is_empty() {
                    edits.push(Edit::replace(open + 1..close, s));
                } else {
                    // Only comments inside: keep them, add after.
                    edits.push(Edit::insert(close, s));
                }
            }
            Some(last) => {
                let end = last.range.end + bom;
                let comma = self.comma_after(end);
                let after = comma.map_or(end, |c| c + 1);
                if comma.is_none() {
                    edits.push(Edit::insert(end, ","));
                }
                if multiline {
                    // At the end of the line, after any line comment there.
                    let line_end = text[after..].find('\n').map_or(text.len(), |i| after + i);
                    let line_end = if text[..line_end].ends_with('\r') {
                        line_end - 1
                    } else {
                        line_end
                    };
                    let rest = text[after..line_end].trim();
                    let at = if rest.is_empty() || rest.starts_with("//") {
                        line_end
                    } else {
                        after
                    };
                    let s: String = rendered
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            let sep = if i + 1 < rendered.len() { "," } else { "" };
                            format!("{eol}{indent}{r}{sep}")
                        })
                        .collect();
                    edits.push(Edit::insert(at, s));
                } else {
                    let s: String = rendered.iter().map(|r| format!(" {r},")).collect();
                    let s = s.trim_end_matches(',').to_owned();
                    edits.push(Edit::insert(after, s));
                }
            }
        }
    }

    /// The offset of a `,` that follows `at` (after whitespace/comments).
    fn comma_after(&self, at: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut i = at;
        while i < bytes.len() {
            match bytes[i] {
                b' ' | b'\t' | b'\r' | b'\n' => i += 1,
                b',' => return Some(i),
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    i = self.text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    i = self.text[i + 2..]
                        .find("*/")
                        .map_or(bytes.len(), |n| i + 2 + n + 2);
                }
                _ => return None,
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;
    use crate::project::config::{parse_manifest, Exchange, LsConnection};

    fn set(text: &str) -> String {
        let edits = set_plugin_strings(
            text,
            &[
                ("exchange", "online"),
                ("lightningSyncConnection", "oauth2"),
            ],
        )
        .unwrap();
        let out = apply(text, &edits);
        let (m, errors) = parse_manifest(&out);
        assert!(errors.is_empty(), "{errors:?}\n{out}");
        assert_eq!(
            m.config.exchange,
            Some(Exchange::Online(crate::hosts::Cloud::Commercial))
        );
        assert_eq!(m.config.ls_connection, Some(LsConnection::OAuth2));
        out
    }

    #[test]
    fn adds_plugins_object() {
        let text = "{\r\n    \"packageDirectories\": [{ \"path\": \"force-app\" }],\r\n    \"sourceApiVersion\": \"62.0\" // api\r\n}\r\n";
        assert_eq!(
            set(text),
            "{\r\n    \"packageDirectories\": [{ \"path\": \"force-app\" }],\r\n    \"sourceApiVersion\": \"62.0\", // api\r\n    \"plugins\": {\r\n        \"exchangeAuthLint\": {\r\n            \"exchange\": \"online\",\r\n            \"lightningSyncConnection\": \"oauth2\"\r\n        }\r\n    }\r\n}\r\n"
        );
    }

    #[test]
    fn updates_and_adds_keys() {
        let text = "{\n  \"packageDirectories\": [{ \"path\": \"a\" }],\n  \"plugins\": {\n    \"exchangeAuthLint\": { \"exchange\": \"on-premises\", }\n  }\n}";
        assert_eq!(
            set(text),
            "{\n  \"packageDirectories\": [{ \"path\": \"a\" }],\n  \"plugins\": {\n    \"exchangeAuthLint\": { \"exchange\": \"online\", \"lightningSyncConnection\": \"oauth2\" }\n  }\n}"
        );
        let empty = "{\"packageDirectories\": [{\"path\": \"a\"}], \"plugins\": {}}";
        let out = set(empty);
        assert!(out.starts_with("{\"packageDirectories\": [{\"path\": \"a\"}], \"plugins\": {\n"));
        // Idempotent.
        let again = set_plugin_strings(&out, &[("exchange", "online")]).unwrap();
        assert!(again.is_empty());
    }
}
