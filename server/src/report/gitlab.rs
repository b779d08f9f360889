//! `--format gitlab`: a GitLab Code Quality report (a JSON array of
//! issues), shown in merge requests when the job uploads it as
//! `artifacts:reports:codequality`.

use super::fingerprint::{self, stable_hash};
use super::{human_position, Report};
use crate::diagnostic::Severity;
use crate::text::controls_escaped;
use serde_json::{json, Value};
use std::io::{self, Write};

/// GitLab's severities: `info`, `minor`, `major`, `critical`, `blocker`.
fn severity(rule: &str, s: Severity) -> &'static str {
    match (rule, s) {
        ("SEC001", Severity::Error) => "blocker",
        (_, Severity::Error) => "critical",
        (_, Severity::Warning) => "major",
        (_, Severity::Info) => "info",
    }
}

pub fn document(report: &Report<'_>) -> Value {
    let scrubber = report.scrubber();
    let mut issues = Vec::new();
    for (pi, p) in report.projects.iter().enumerate() {
        // Fingerprints over every finding, the baseline's too: the same with
        // and without a baseline. Known findings are not reported.
        let all = report.all_findings(pi);
        let prints = fingerprint::of_project(p.project, all.iter().map(|(f, _)| *f));
        for (&(f, known), print) in all.iter().zip(prints) {
            if known {
                continue;
            }
            let file = &p.project.files[f.file];
            let (line, col) = human_position(file, f.range.start);
            let (end_line, end_col) = human_position(file, f.range.end);
            // The widget shows the description as text: a label's line
            // breaks, C1 and bidirectional controls are shown as `\n`,
            // `\u{202e}`…, never acting; its own lines stay lines.
            let shown = |s: &str| controls_escaped(s).into_owned();
            let mut description = shown(&scrubber.scrub(p.project, &f.message));
            for r in &f.related {
                let rf = &p.project.files[r.file];
                let (rl, rc) = human_position(rf, r.range.start);
                description.push_str(&format!(
                    "\nrelated: {}:{rl}:{rc}: {}",
                    shown(&report.display_path(&rf.path)),
                    shown(&scrubber.scrub(p.project, &r.message))
                ));
            }
            let category = if f.rule == "XML001" || f.rule == "SUP001" {
                "Style"
            } else {
                "Security"
            };
            issues.push(json!({
                "type": "issue",
                "check_name": f.rule,
                "description": description,
                "categories": [category],
                "severity": severity(f.rule, f.severity),
                // Unique per finding, stable across line shifts: the
                // finding's stable print, hashed with its project's path.
                "fingerprint": stable_hash(&[
                    &report.display_path(&p.project.root),
                    &print.stable,
                ]),
                "location": {
                    "path": report.display_path(&file.path),
                    "lines": { "begin": line, "end": end_line },
                    "positions": {
                        "begin": { "line": line, "column": col },
                        "end": { "line": end_line, "column": end_col },
                    },
                },
            }));
        }
    }
    Value::Array(issues)
}

pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(report))?;
    writeln!(out)
}
