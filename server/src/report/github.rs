//! `--format github`: GitHub Actions workflow commands, one per finding,
//! shown as annotations on the pull request's diff.

use super::{human_position, printable, Report};
use crate::diagnostic::Severity;
use std::io::{self, Write};

/// Workflow-command escaping for the message part.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// …and for property values, where `:` and `,` separate properties.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let scrubber = report.scrubber();
    for (project, f) in report.findings() {
        let file = &project.files[f.file];
        let (line, col) = human_position(file, f.range.start);
        let (end_line, end_col) = human_position(file, f.range.end);
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        // Every piece made printable first: escaping keeps a line break
        // from ending the command, but ESC, BEL and C1 controls would reach
        // the log viewer as they are.
        let mut message = printable(&scrubber.scrub(project, &f.message)).into_owned();
        for r in &f.related {
            let rf = &project.files[r.file];
            let (rl, rc) = human_position(rf, r.range.start);
            message.push_str(&format!(
                "\n{}:{rl}:{rc}: {}",
                printable(&report.display_path(&rf.path)),
                printable(&scrubber.scrub(project, &r.message))
            ));
        }
        let mut props = format!(
            "file={},line={line},col={col},endLine={end_line}",
            escape_property(&printable(&report.display_path(&file.path)))
        );
        if end_line == line {
            props.push_str(&format!(",endColumn={end_col}"));
        }
        props.push_str(&format!(",title={}", escape_property(f.rule)));
        writeln!(out, "::{command} {props}::{}", escape_data(&message))?;
    }
    super::ci_summary(report, out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes() {
        assert_eq!(super::escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(super::escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
