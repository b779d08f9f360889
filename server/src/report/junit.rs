//! `--format junit`: JUnit XML for CI systems that show test reports
//! (`docs/output-formats.md`).
//!
//! One `<testsuite name="exchange-auth-lint">`, one `<testcase>` per checked
//! metadata file. Every error or warning in a file is a `<failure>` of its
//! test case, so CI marks the file as failed; infos go to the test case's
//! `<system-out>` and leave it passing. Problems loading the project (an
//! unreadable file, a bad `.forceignore`) go to the suite's `<system-err>`:
//! like in the other formats they are warnings, not findings.

use super::{human_position, Report, Scrubber};
use crate::diagnostic::{Finding, Severity};
use crate::project::Project;
use std::borrow::Cow;
use std::io::{self, Write};

/// Characters XML 1.0 cannot carry at all (most C0 controls, lone
/// surrogates can't occur in a `str`, U+FFFE/U+FFFF) become U+FFFD.
fn xml_chars(s: &str) -> Cow<'_, str> {
    let bad = |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}');
    if s.chars().any(bad) {
        Cow::Owned(
            s.chars()
                .map(|c| if bad(c) { '\u{FFFD}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// Escapes element content.
pub fn text(s: &str) -> String {
    quick_xml::escape::escape(xml_chars(s)).into_owned()
}

/// Escapes an attribute value; line breaks and tabs become character
/// references so that attribute-value normalisation keeps them.
pub fn attr(s: &str) -> String {
    quick_xml::escape::escape(xml_chars(s))
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

/// `path:line:col: severity[RULE] message`, then one line per related place.
fn describe(
    report: &Report<'_>,
    scrubber: &Scrubber<'_>,
    project: &Project,
    f: &Finding,
) -> String {
    let file = &project.files[f.file];
    let (line, col) = human_position(file, f.range.start);
    let mut s = format!(
        "{}:{line}:{col}: {}[{}] {}",
        super::printable(&report.display_path(&file.path)),
        f.severity,
        f.rule,
        super::printable(&scrubber.scrub(project, &f.message))
    );
    for r in &f.related {
        let rf = &project.files[r.file];
        let (rl, rc) = human_position(rf, r.range.start);
        s.push_str(&format!(
            "\n  related: {}:{rl}:{rc}: {}",
            super::printable(&report.display_path(&rf.path)),
            super::printable(&scrubber.scrub(project, &r.message))
        ));
    }
    s
}

struct Case {
    classname: String,
    name: String,
    failures: Vec<String>,
    infos: Vec<String>,
    /// Named on the command line but ignored by the project.
    skipped: Option<&'static str>,
}

impl Case {
    fn new(name: String) -> Case {
        let classname = match name.rfind('/') {
            Some(i) => name[..i].to_owned(),
            None => ".".to_owned(),
        };
        Case {
            classname,
            name,
            failures: Vec::new(),
            infos: Vec::new(),
            skipped: None,
        }
    }
}

pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let scrubber = report.scrubber();
    let mut cases = Vec::new();
    for p in &report.projects {
        let mut by_file: Vec<Vec<&Finding>> = vec![Vec::new(); p.project.files.len()];
        for f in &p.result.findings {
            if let Some(v) = by_file.get_mut(f.file) {
                v.push(f);
            }
        }
        let mut project_cases: Vec<Case> = p
            .project
            .files
            .iter()
            .zip(by_file)
            .map(|(file, findings)| {
                let mut case = Case::new(report.display_path(&file.path));
                for f in findings {
                    let d = describe(report, &scrubber, p.project, f);
                    if f.severity == Severity::Info {
                        case.infos.push(d);
                    } else {
                        case.failures.push(format!(
                            "    <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                            attr(f.rule),
                            attr(&scrubber.scrub(p.project, &f.message)),
                            text(&d)
                        ));
                    }
                }
                case
            })
            .collect();
        project_cases.extend(p.project.skipped.iter().map(|s| Case {
            skipped: Some(s.message()),
            ..Case::new(report.display_path(&s.path))
        }));
        project_cases.sort_by(|a, b| a.name.cmp(&b.name));
        cases.extend(project_cases);
    }
    let tests = cases.len();
    let failures = cases.iter().filter(|c| !c.failures.is_empty()).count();
    let skipped = cases.iter().filter(|c| c.skipped.is_some()).count();
    let counts = format!("tests=\"{tests}\" failures=\"{failures}\" errors=\"0\"");

    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="exchange-auth-lint" {counts}>"#)?;
    writeln!(
        out,
        r#"  <testsuite name="exchange-auth-lint" {counts} skipped="{skipped}">"#
    )?;
    writeln!(out, "    <properties>")?;
    writeln!(
        out,
        r#"      <property name="version" value="{}"/>"#,
        attr(env!("CARGO_PKG_VERSION"))
    )?;
    writeln!(
        out,
        r#"      <property name="asOf" value="{}"/>"#,
        attr(&report.as_of.to_string())
    )?;
    for (severity, name) in [
        (Severity::Error, "errors"),
        (Severity::Warning, "warnings"),
        (Severity::Info, "infos"),
    ] {
        writeln!(
            out,
            r#"      <property name="{name}" value="{}"/>"#,
            report.count(severity)
        )?;
    }
    writeln!(out, "    </properties>")?;
    for case in &cases {
        let open = format!(
            r#"    <testcase classname="{}" name="{}""#,
            attr(&case.classname),
            attr(&case.name)
        );
        if let Some(message) = case.skipped {
            writeln!(out, "{open}>")?;
            writeln!(out, r#"      <skipped message="{}"/>"#, attr(message))?;
            writeln!(out, "    </testcase>")?;
            continue;
        }
        if case.failures.is_empty() && case.infos.is_empty() {
            writeln!(out, "{open}/>")?;
            continue;
        }
        writeln!(out, "{open}>")?;
        for f in &case.failures {
            // Already indented and escaped.
            write!(out, "  {f}")?;
        }
        if !case.infos.is_empty() {
            writeln!(
                out,
                "      <system-out>{}</system-out>",
                text(&case.infos.join("\n"))
            )?;
        }
        writeln!(out, "    </testcase>")?;
    }
    let problems: Vec<String> = report
        .projects
        .iter()
        .flat_map(|p| {
            p.project
                .problems
                .iter()
                .map(move |problem| (p.project, problem))
        })
        .map(|(project, p)| {
            format!(
                "warning: {}: {}",
                super::printable(&report.display_path(&p.path)),
                scrubber.scrub(project, &p.message)
            )
        })
        .collect();
    if !problems.is_empty() {
        writeln!(
            out,
            "    <system-err>{}</system-err>",
            text(&problems.join("\n"))
        )?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(text("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(attr("x\ny\t\"z\""), "x&#10;y&#9;&quot;z&quot;");
        assert_eq!(text("bell\u{7}"), "bell\u{FFFD}");
        assert_eq!(text("keep\ttab\nline"), "keep\ttab\nline");
    }
}
