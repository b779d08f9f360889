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

/// `run.automationDetails.id`: the category of the analysis (GitHub keeps
/// one set of alerts per category) and no run id, so that each upload
/// replaces the previous one.
pub const AUTOMATION_ID: &str = "exchange-auth-lint/";

/// `run.automationDetails`: [`AUTOMATION_ID`]; in an Azure Pipelines job
/// (`TF_BUILD=True`), the id and properties GitHub Advanced Security for
/// Azure DevOps requires, from the pipeline's predefined variables:
/// `azuredevops/pipeline/build/<org>/<project>/<definition id>/<phase
/// id>/<branch>/<build id>`.
pub fn automation_details(env: impl Fn(&str) -> Option<String>) -> Value {
    if !env("TF_BUILD").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return json!({ "id": AUTOMATION_ID });
    }
    let var = |k: &str| env(k).unwrap_or_default();
    // https://dev.azure.com/ORG/ or https://ORG.visualstudio.com/
    let collection = var("SYSTEM_COLLECTIONURI");
    let trimmed = collection.trim_end_matches('/');
    let org = match trimmed.split_once("://") {
        Some((_, rest)) => match rest.split_once('/') {
            Some((_, path)) => path.rsplit('/').next().unwrap_or(path).to_owned(),
            None => rest.split('.').next().unwrap_or(rest).to_owned(),
        },
        None => trimmed.to_owned(),
    };
    let prefix = "azuredevops/pipeline/build/";
    let id = format!(
        "{prefix}{org}/{}/{}/{}/{}/{}",
        var("SYSTEM_TEAMPROJECT"),
        var("SYSTEM_DEFINITIONID"),
        var("SYSTEM_PHASEID"),
        var("BUILD_SOURCEBRANCH"),
        var("BUILD_BUILDID"),
    );
    json!({
        "id": id,
        "properties": {
            format!("{prefix}buildDefinitionId"): var("SYSTEM_DEFINITIONID"),
            format!("{prefix}buildDefinitionName"): var("BUILD_DEFINITIONNAME"),
            format!("{prefix}phaseId"): var("SYSTEM_PHASEID"),
            format!("{prefix}phaseName"): var("SYSTEM_PHASENAME"),
        }
    })
}

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
        "FIX" => "unfinished-fix",
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

/// The project's home page (`tool.driver.informationUri`).
pub const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// Where a rule's documentation is read on the web (`helpUri`).
pub fn help_uri(rule: &Rule) -> String {
    format!("{INFORMATION_URI}/blob/main/docs/rules/{}.md", rule.id)
}

/// GitHub's `security-severity` (a CVSS-like score, 0.0–10.0, as a
/// string): from the rule's severity on the as-of date, critical (9.0) for
/// a secret in the repository, high (7.5) for other errors, medium (5.0)
/// for warnings, low (2.0) for info. `None` for the maintainability rules,
/// which are not security findings.
pub fn security_severity(rule: &Rule, as_of: crate::timeline::AsOf) -> Option<&'static str> {
    if tags(rule)[0] != "security" {
        return None;
    }
    Some(match (rule.id, rule.severity(as_of)) {
        ("SEC001", _) => "9.0",
        (_, Severity::Error) => "7.5",
        (_, Severity::Warning) => "5.0",
        (_, Severity::Info) => "2.0",
    })
}

fn rule_descriptor(rule: &Rule, report: &Report<'_>) -> Value {
    let mut properties = json!({
        "tags": tags(rule),
        "fixable": rule.fixable(),
    });
    if let Some(score) = security_severity(rule, report.as_of) {
        properties["security-severity"] = json!(score);
    }
    json!({
        "id": rule.id,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": full_description(rule) },
        "help": { "text": rule.doc, "markdown": rule.doc },
        "helpUri": help_uri(rule),
        "defaultConfiguration": { "level": level(rule.severity(report.as_of)) },
        "properties": properties,
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
    let baseline = report.ci.baseline.as_ref();
    for (pi, p) in report.projects.iter().enumerate() {
        project_roots.push(report.display_path(&p.project.root));
        // Fingerprints over every finding, the baseline's too, so that they
        // are the same with and without a baseline.
        let all = report.all_findings(pi);
        let prints = super::fingerprint::of_project(p.project, all.iter().map(|(f, _)| *f));
        for (&(f, known), print) in all.iter().zip(prints) {
            let file = &p.project.files[f.file];
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
                json!({
                    FINGERPRINT_KEY: print.stable,
                    "primaryLocationLineHash": print.line_hash,
                }),
            );
            r.insert(
                "properties".into(),
                json!({
                    "fixable": f.fixable,
                    "name": rules::by_id(f.rule).map(|r| r.name),
                }),
            );
            if report.evidence_only(p.project, f) {
                r["properties"]["changedEvidenceOnly"] = json!(true);
            }
            if let Some(b) = baseline {
                r.insert(
                    "baselineState".into(),
                    json!(if known { "unchanged" } else { "new" }),
                );
                if known {
                    r.insert("suppressions".into(), baseline_suppression(&b.file));
                }
            }
            results.push(Value::Object(r));
        }
        for problem in &p.project.problems {
            notifications.push(json!({
                "level": "warning",
                "message": { "text": scrubber.scrub(p.project, &problem.message) },
                "locations": [{ "physicalLocation": { "artifactLocation": ctx.artifact(&problem.path) } }],
            }));
        }
        // A named path the project ignores: not a problem, but never
        // silent (a run that checked nothing says why).
        for s in &p.project.skipped {
            notifications.push(json!({
                "level": "note",
                "message": { "text": s.message() },
                "locations": [{ "physicalLocation": { "artifactLocation": ctx.artifact(&s.path) } }],
                "properties": { "reason": s.reason.as_str() },
            }));
        }
    }
    // Baseline entries no longer found: results that pass.
    for e in baseline.iter().flat_map(|b| b.fixed.iter()) {
        let mut r = Map::new();
        r.insert("ruleId".into(), json!(e.rule));
        if let Some(i) = rule_index.get(e.rule.as_str()) {
            r.insert("ruleIndex".into(), json!(i));
        }
        r.insert("kind".into(), json!("pass"));
        r.insert("level".into(), json!("none"));
        r.insert(
            "message".into(),
            json!({ "text": format!("Fixed: no longer found (recorded in the baseline {}).", baseline.map_or("", |b| b.file.as_str())) }),
        );
        r.insert(
            "locations".into(),
            // The entry has no position: the start of its file.
            json!([{ "physicalLocation": {
                "artifactLocation": ctx.artifact(&report.base.join(&e.path)),
                "region": { "startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1 },
            } }]),
        );
        r.insert("baselineState".into(), json!("absent"));
        r.insert(
            "partialFingerprints".into(),
            json!({ FINGERPRINT_KEY: e.fingerprint }),
        );
        results.push(Value::Object(r));
    }
    let mut properties = json!({
        "asOf": report.as_of.to_string(),
        "filesChecked": report.files_checked(),
        "suppressed": report.projects.iter().map(|p| p.result.suppressed).sum::<usize>(),
        "projectRoots": project_roots,
    });
    if let Some(b) = baseline {
        properties["baseline"] =
            json!({ "file": b.file, "hidden": b.hidden(), "fixed": b.fixed.len() });
    }
    if let Some(c) = &report.ci.changed {
        properties["changedSince"] =
            json!({ "ref": c.since, "mergeBase": c.merge_base, "changedFiles": c.files });
    }
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "exchange-auth-lint",
                    "fullName": concat!("exchange-auth-lint ", env!("CARGO_PKG_VERSION")),
                    "informationUri": INFORMATION_URI,
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
            "automationDetails": automation_details(|k| std::env::var(k).ok()),
            "columnKind": "utf16CodeUnits",
            "results": results,
            "properties": properties,
        }]
    })
}

/// Known findings are suppressed externally, by the baseline: SARIF viewers
/// hide them by default and show the new ones.
fn baseline_suppression(file: &str) -> Value {
    json!([{
        "kind": "external",
        "status": "accepted",
        "justification": format!("Recorded in the baseline {file}."),
    }])
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
    fn automation_details_outside_and_inside_azure_pipelines() {
        assert_eq!(
            automation_details(|_| None),
            json!({ "id": "exchange-auth-lint/" })
        );
        let vars = [
            ("TF_BUILD", "True"),
            ("SYSTEM_COLLECTIONURI", "https://dev.azure.com/contoso/"),
            ("SYSTEM_TEAMPROJECT", "Sales"),
            ("SYSTEM_DEFINITIONID", "12"),
            ("BUILD_DEFINITIONNAME", "org-lint"),
            ("SYSTEM_PHASEID", "3a2b"),
            ("SYSTEM_PHASENAME", "Lint"),
            ("BUILD_SOURCEBRANCH", "refs/heads/main"),
            ("BUILD_BUILDID", "981"),
        ];
        let env = |k: &str| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        assert_eq!(
            automation_details(env),
            json!({
                "id": "azuredevops/pipeline/build/contoso/Sales/12/3a2b/refs/heads/main/981",
                "properties": {
                    "azuredevops/pipeline/build/buildDefinitionId": "12",
                    "azuredevops/pipeline/build/buildDefinitionName": "org-lint",
                    "azuredevops/pipeline/build/phaseId": "3a2b",
                    "azuredevops/pipeline/build/phaseName": "Lint",
                }
            })
        );
        let old = |k: &str| match k {
            "SYSTEM_COLLECTIONURI" => Some("https://fabrikam.visualstudio.com/".to_owned()),
            _ => env(k),
        };
        assert!(automation_details(old)["id"]
            .as_str()
            .unwrap()
            .starts_with("azuredevops/pipeline/build/fabrikam/Sales/"));
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
