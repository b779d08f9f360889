//! `--format json`: a stable, documented schema (`docs/output-formats.md`).
//! Lines and columns are 1-based, columns count Unicode characters; byte
//! offsets are 0-based and end-exclusive.

use super::{human_position, Report};
use crate::project::Project;
use crate::rules;
use serde_json::{json, Value};
use std::io::{self, Write};
use std::ops::Range;

pub const SCHEMA_VERSION: u32 = 1;

fn location(
    report: &Report<'_>,
    project: &Project,
    file: usize,
    range: &Range<usize>,
) -> serde_json::Map<String, Value> {
    let f = &project.files[file];
    let (line, column) = human_position(f, range.start);
    let (end_line, end_column) = human_position(f, range.end);
    let mut m = serde_json::Map::new();
    m.insert("path".into(), json!(report.display_path(&f.path)));
    m.insert("line".into(), json!(line));
    m.insert("column".into(), json!(column));
    m.insert("endLine".into(), json!(end_line));
    m.insert("endColumn".into(), json!(end_column));
    m.insert(
        "byteRange".into(),
        json!({ "start": range.start, "end": range.end }),
    );
    m
}

pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let scrubber = report.scrubber();
    let findings: Vec<Value> = report
        .findings()
        .map(|(project, f)| {
            let mut m = serde_json::Map::new();
            m.insert("rule".into(), json!(f.rule));
            m.insert("name".into(), json!(rules::by_id(f.rule).map(|r| r.name)));
            m.insert("severity".into(), json!(f.severity));
            m.insert("message".into(), json!(scrubber.scrub(project, &f.message)));
            m.extend(location(report, project, f.file, &f.range));
            m.insert("fixable".into(), json!(f.fixable));
            let related: Vec<Value> = f
                .related
                .iter()
                .map(|r| {
                    let mut m = location(report, project, r.file, &r.range);
                    m.insert("message".into(), json!(scrubber.scrub(project, &r.message)));
                    Value::Object(m)
                })
                .collect();
            m.insert("related".into(), Value::Array(related));
            if report.evidence_only(project, f) {
                m.insert("changedEvidenceOnly".into(), json!(true));
            }
            Value::Object(m)
        })
        .collect();
    let problems: Vec<Value> = report
        .projects
        .iter()
        .flat_map(|p| {
            p.project
                .problems
                .iter()
                .map(move |problem| (p.project, problem))
        })
        .map(|(project, p)| {
            json!({
                "path": report.display_path(&p.path),
                "message": scrubber.scrub(project, &p.message),
            })
        })
        .collect();
    let skipped: Vec<Value> = report
        .skipped()
        .map(|(_, s)| {
            json!({
                "path": report.display_path(&s.path),
                "reason": s.reason.as_str(),
                "message": s.message(),
            })
        })
        .collect();
    let mut doc = json!({
        "version": SCHEMA_VERSION,
        "tool": { "name": "exchange-auth-lint", "version": env!("CARGO_PKG_VERSION") },
        "asOf": report.as_of.to_string(),
        "findings": findings,
        "problems": problems,
        "skipped": skipped,
        "summary": {
            "errors": report.count(crate::diagnostic::Severity::Error),
            "warnings": report.count(crate::diagnostic::Severity::Warning),
            "infos": report.count(crate::diagnostic::Severity::Info),
            "filesChecked": report.files_checked(),
            "suppressed": report.projects.iter().map(|p| p.result.suppressed).sum::<usize>(),
        }
    });
    if let Some(b) = &report.ci.baseline {
        doc["baseline"] = json!({
            "file": b.file,
            "hidden": b.hidden(),
            "fixed": b.fixed.iter().map(|e| json!({
                "rule": e.rule, "path": e.path, "fingerprint": e.fingerprint,
            })).collect::<Vec<_>>(),
        });
    }
    if let Some(c) = &report.ci.changed {
        doc["changedSince"] = json!({
            "ref": c.since,
            "mergeBase": c.merge_base,
            "changedFiles": c.files,
            "wholeProjects": c.whole,
        });
    }
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
