//! `--format azure`: Azure Pipelines logging commands, one
//! `##vso[task.logissue …]` per error or warning (shown on the run's
//! summary and, for pull requests, on the code), then a summary line.

use super::{human_position, printable, Report};
use crate::diagnostic::Severity;
use std::io::{self, Write};

/// Escaping of a logging command's message: `%` first, then line breaks
/// (after [`printable`], which has already written every control
/// character as text, so nothing can end the command early, and the
/// first `#` of a `##vso[` or `##[` in the message as `\u{23}`: the agent
/// reads one command per line, ours, but a log viewer or a later step that
/// re-reads the message should find none either).
fn escape_data(s: &str) -> String {
    percent_escaped(&printable(s))
}

/// …and of a property value, where `;` ends the property and `]` the
/// property list. A `##vso[` in it is data, kept as it is: `sourcepath`
/// must name the file.
fn escape_property(s: &str) -> String {
    percent_escaped(&crate::text::controls_escaped(s))
        .replace(';', "%3B")
        .replace(']', "%5D")
}

fn percent_escaped(s: &str) -> String {
    s.replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let scrubber = report.scrubber();
    for (project, f) in report.findings() {
        let file = &project.files[f.file];
        let (line, col) = human_position(file, f.range.start);
        let path = report.display_path(&file.path);
        let mut message = scrubber.scrub(project, &f.message);
        for r in &f.related {
            let rf = &project.files[r.file];
            let (rl, rc) = human_position(rf, r.range.start);
            message.push_str(&format!(
                " (related: {}:{rl}:{rc}: {})",
                report.display_path(&rf.path),
                scrubber.scrub(project, &r.message)
            ));
        }
        let kind = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => {
                // Azure Pipelines has no info issue: a plain log line.
                writeln!(
                    out,
                    "info: {}:{line}:{col}: [{}] {}",
                    printable(&path),
                    f.rule,
                    printable(&message)
                )?;
                continue;
            }
        };
        writeln!(
            out,
            "##vso[task.logissue type={kind};sourcepath={};linenumber={line};columnnumber={col};code={};]{}",
            escape_property(&path),
            escape_property(f.rule),
            escape_data(&message)
        )?;
    }
    super::ci_summary(report, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50% a;b]c"), "50%AZP25 a;b]c");
        assert_eq!(escape_property("a;b]c%d"), "a%3Bb%5Dc%AZP25d");
        // A line break or ESC never reaches the log as itself.
        assert_eq!(
            escape_data("a\n##vso[task.complete] ##[error]x"),
            "a\\n\\u{23}#vso[task.complete] \\u{23}#[error]x"
        );
        assert_eq!(escape_property("a/##vso[x].xml"), "a/##vso[x%5D.xml");
        assert_eq!(escape_property("x\u{1b}[31m\r"), "x\\u{1b}[31m\\r");
    }
}
