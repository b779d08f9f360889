//! `--format sarif`: one SARIF 2.1.0 run (`docs/output-formats.md`).
//!
//! Artifact URIs are relative to the path base (the git work tree's root,
//! see [`crate::ci::path_base`]), which is also the base id `SRCROOT` whose
//! absolute `file:` URI is in `originalUriBaseIds`: a viewer that honours
//! the base id and one that matches the plain `uri` against the
//! repository's files (GitHub code scanning) land on the same file; regions are 1-based with columns in UTF-16 code
//! units (`columnKind: utf16CodeUnits`), as GitHub code scanning and most
//! SARIF viewers expect.

use super::Report;
use crate::diagnostic::Severity;
use crate::redact::Redacted;
use crate::rules::{self, Rule, RULES};
use crate::source::SourceFile;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of our fingerprint in `partialFingerprints`; bump the version
/// when the way it is computed changes.
pub const FINGERPRINT_KEY: &str = "exchangeAuthLint/v1";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The base id of every relative URI: the path base.
pub const BASE_ID: &str = "SRCROOT";

/// Percent-encodes a path for use in a URI: everything but RFC 3986
/// unreserved characters and `/` (and `:` when `colon` is set, for a
/// Windows drive in an absolute `file:` URI) is encoded as UTF-8 bytes.
pub fn percent_encode_path(path: &str, colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b':' if colon => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `file:` URI of a folder, ending with `/`.
pub fn folder_uri(path: &Path) -> String {
    let mut s = path.to_string_lossy().replace('\\', "/");
    if !s.starts_with('/') {
        // `C:/dir` → `/C:/dir`
        s.insert(0, '/');
    }
    if !s.ends_with('/') {
        s.push('/');
    }
    format!("file://{}", percent_encode_path(&s, true))
}

/// `file:` URI of a file (no trailing `/`).
fn file_uri(path: &Path) -> String {
    let uri = folder_uri(path);
    uri.trim_end_matches('/').to_owned()
}

/// A stable 128-bit FNV-1a hash, hex-encoded (two 64-bit lanes with
/// different offsets). Not cryptographic: it only has to be stable across
/// runs, versions and machines.
fn stable_hash(parts: &[&str]) -> String {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x6c62_272e_07bb_0142;
    for part in parts {
        for &byte in part.as_bytes().iter().chain(std::iter::once(&0u8)) {
            a = (a ^ byte as u64).wrapping_mul(PRIME);
            b = (b ^ byte as u64).wrapping_mul(PRIME).rotate_left(5);
        }
    }
    format!("{a:016x}{b:016x}")
}

/// The finding's element as text, with secrets masked and whitespace
/// collapsed, so that re-indenting or moving it keeps its fingerprint.
fn normalized_snippet(red: &Redacted, range: &Range<usize>) -> String {
    let start = red.map(range.start).min(red.text.len());
    let end = red.map(range.end).clamp(start, red.text.len());
    let start = crate::text::floor_char_boundary(&red.text, start);
    let end = crate::text::floor_char_boundary(&red.text, end);
    red.text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first paragraph of the rule's "What it does" section, on one line.
fn full_description(rule: &Rule) -> String {
    let mut para = Vec::new();
    for line in rule.doc.lines() {
        let t = line.trim();
        if t.starts_with('#') {
            if para.is_empty() {
                continue;
            }
            break;
        }
        if t.is_empty() {
            if para.is_empty() {
                continue;
            }
            break;
        }
        para.push(t);
    }
    if para.is_empty() {
        rule.summary.to_owned()
    } else {
        para.join(" ")
    }
}

fn tags(rule: &Rule) -> Vec<&'static str> {
    let mut tags = vec!["security"];
    let area = match rule.id.trim_end_matches(|c: char| c.is_ascii_digit()) {
        "LS" => "lightning-sync",
        "EAC" => "einstein-activity-capture",
        "EXO" => "exchange-online",
        "SEC" => "secrets",
        "AP" => "auth-provider",
        "XML" => "metadata",
        "SUP" => "suppression",
        _ => "other",
    };
    tags.push(area);
    if rule.id == "XML001" || rule.id == "SUP001" {
        tags[0] = "maintainability";
    }
    if rule.fixable() {
        tags.push("fixable");
    }
    tags
}

fn rule_descriptor(rule: &Rule, report: &Report<'_>) -> Value {
    json!({
        "id": rule.id,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": full_description(rule) },
        "help": { "text": rule.doc, "markdown": rule.doc },
        "defaultConfiguration": { "level": level(rule.severity(report.as_of)) },
        "properties": {
            "tags": tags(rule),
            "fixable": rule.fixable(),
        },
    })
}

struct Ctx<'r> {
    base: &'r Path,
}

impl Ctx<'_> {
    fn physical(&self, file: &SourceFile, range: &Range<usize>) -> Value {
        let start = file.lines.utf16(&file.text, range.start);
        let end = file.lines.utf16(&file.text, range.end.max(range.start));
        json!({
            "artifactLocation": self.artifact(&file.path),
            "region": {
                "startLine": start.line + 1,
                "startColumn": start.col + 1,
                "endLine": end.line + 1,
                "endColumn": end.col + 1,
            }
        })
    }

    /// Where a file is: relative to the path base (`SRCROOT`) when below
    /// it, else an absolute `file:` URI.
    fn artifact(&self, path: &Path) -> Value {
        match path.strip_prefix(self.base) {
            Ok(rel) if !rel.as_os_str().is_empty() => json!({
                "uri": percent_encode_path(&rel.to_string_lossy().replace('\\', "/"), false),
                "uriBaseId": BASE_ID,
            }),
            _ => json!({ "uri": file_uri(path) }),
        }
    }
}

pub fn document(report: &Report<'_>) -> Value {
    let rule_index: HashMap<&str, usize> =
        RULES.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    let mut bases = Map::new();
    bases.insert(BASE_ID.into(), json!({ "uri": folder_uri(&report.base) }));
    let scrubber = report.scrubber();
    let ctx = Ctx { base: &report.base };
    let mut project_roots = Vec::new();
    for p in &report.projects {
        project_roots.push(report.display_path(&p.project.root));
        let mut redacted: HashMap<usize, Redacted> = HashMap::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for f in &p.result.findings {
            let file = &p.project.files[f.file];
            let red = redacted
                .entry(f.file)
                .or_insert_with(|| Redacted::new(file));
            let hash = stable_hash(&[f.rule, &file.rel_path, &normalized_snippet(red, &f.range)]);
            let occurrence = seen.entry(hash.clone()).or_insert(0);
            *occurrence += 1;
            let fingerprint = format!("{hash}:{occurrence}");

            let mut r = Map::new();
            r.insert("ruleId".into(), json!(f.rule));
            if let Some(i) = rule_index.get(f.rule) {
                r.insert("ruleIndex".into(), json!(i));
            }
            r.insert("level".into(), json!(level(f.severity)));
            r.insert(
                "message".into(),
                json!({ "text": scrubber.scrub(p.project, &f.message) }),
            );
            r.insert(
                "locations".into(),
                json!([{ "physicalLocation": ctx.physical(file, &f.range) }]),
            );
            if !f.related.is_empty() {
                let related: Vec<Value> = f
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, rel)| {
                        let rf = &p.project.files[rel.file];
                        let text = scrubber.scrub(p.project, &rel.message);
                        json!({
                            "id": i + 1,
                            "physicalLocation": ctx.physical(rf, &rel.range),
                            "message": { "text": text },
                        })
                    })
                    .collect();
                r.insert("relatedLocations".into(), Value::Array(related));
            }
            r.insert(
                "partialFingerprints".into(),
                json!({ FINGERPRINT_KEY: fingerprint }),
            );
            r.insert(
                "properties".into(),
                json!({
                    "fixable": f.fixable,
                    "name": rules::by_id(f.rule).map(|r| r.name),
                }),
            );
            results.push(Value::Object(r));
        }
        for problem in &p.project.problems {
            notifications.push(json!({
                "level": "warning",
                "message": { "text": scrubber.scrub(p.project, &problem.message) },
                "locations": [{ "physicalLocation": { "artifactLocation": ctx.artifact(&problem.path) } }],
            }));
        }
    }
    let suppressed: usize = report.projects.iter().map(|p| p.result.suppressed).sum();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "exchange-auth-lint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": RULES.iter().map(|r| rule_descriptor(r, report)).collect::<Vec<_>>(),
                }
            },
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": bases,
            "columnKind": "utf16CodeUnits",
            "results": results,
            "properties": {
                "asOf": report.as_of.to_string(),
                "filesChecked": report.files_checked(),
                "suppressed": suppressed,
                "projectRoots": project_roots,
            },
        }]
    })
}

pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(report))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding() {
        assert_eq!(
            percent_encode_path("force-app/main/a b#c%d?é.xml", false),
            "force-app/main/a%20b%23c%25d%3F%C3%A9.xml"
        );
        assert_eq!(percent_encode_path("a:b", false), "a%3Ab");
        assert_eq!(
            folder_uri(Path::new("/home/me/My Org")),
            "file:///home/me/My%20Org/"
        );
        assert_eq!(folder_uri(Path::new("/")), "file:///");
        assert_eq!(
            folder_uri(Path::new("C:\\work\\org")),
            "file:///C:/work/org/"
        );
    }

    #[test]
    fn hash_is_stable_and_separates_parts() {
        assert_eq!(stable_hash(&["a", "b"]), stable_hash(&["a", "b"]));
        assert_ne!(stable_hash(&["ab", ""]), stable_hash(&["a", "b"]));
        assert_eq!(stable_hash(&["a", "b"]).len(), 32);
        // Pinned: the value must not change between versions, or every
        // code-scanning alert would be reopened.
        assert_eq!(
            stable_hash(&[
                "EXO001",
                "force-app/a b.xml",
                "<protocol>Password</protocol>"
            ]),
            "d7a0b773671c75643a91a4c2f02fa5e3"
        );
    }

    #[test]
    fn full_description_is_first_paragraph() {
        for r in RULES {
            let d = full_description(r);
            assert!(!d.is_empty(), "{}", r.id);
            assert!(!d.contains('\n'), "{}", r.id);
            assert!(!d.starts_with('#'), "{}", r.id);
        }
    }
}
