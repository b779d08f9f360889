//! `--format human`: `path:line:col: severity[ID] message`, the source line
//! with the range underlined, the evidence, and a summary. Colour only when
//! the caller asks for it (a terminal without `NO_COLOR`).

use super::{human_position, line_text, plural, Excerpt, Report};
use crate::diagnostic::Severity;
use crate::i18n::Lang;
use crate::redact::Redacted;
use crate::source::SourceFile;
use anstyle::{AnsiColor, Style};
use std::collections::HashMap;
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, style: Style, s: &str) -> String {
        if self.on {
            format!("{}{s}{}", style.render(), style.render_reset())
        } else {
            s.to_owned()
        }
    }
}

fn severity_style(s: Severity) -> Style {
    let color = match s {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

pub fn write(report: &Report<'_>, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let paint = Paint { on: color };
    let bold = Style::new().bold();
    let dim = Style::new().fg_color(Some(AnsiColor::BrightBlue.into()));
    let mut redacted: HashMap<*const SourceFile, Redacted> = HashMap::new();
    let scrubber = report.scrubber();
    for (project, f) in report.findings() {
        let file = &project.files[f.file];
        let (line, col) = human_position(file, f.range.start);
        let path = super::printable(&report.display_path(&file.path)).into_owned();
        let severity = paint.paint(
            severity_style(f.severity),
            &format!("{}[{}]", f.severity, f.rule),
        );
        let message = line_text(&scrubber.scrub(project, &f.message));
        writeln!(
            out,
            "{}: {severity} {message}",
            paint.paint(bold, &format!("{path}:{line}:{col}"))
        )?;
        let red = redacted
            .entry(&**file as *const SourceFile)
            .or_insert_with(|| scrubber.redacted(project, file));
        excerpt(
            out,
            &paint,
            dim,
            severity_style(f.severity),
            file,
            red,
            f.range.clone(),
        )?;
        for r in &f.related {
            let rf = &project.files[r.file];
            let (rl, rc) = human_position(rf, r.range.start);
            let label = report.lang.pick("related", "関連");
            writeln!(
                out,
                "   {} {label}: {}:{rl}:{rc}: {}",
                paint.paint(dim, "="),
                super::printable(&report.display_path(&rf.path)),
                line_text(&scrubber.scrub(project, &r.message))
            )?;
        }
        if report.evidence_only(project, f) {
            let note = report.lang.pick(
                "reported since its evidence changed (the file itself did not)",
                "根拠のファイルが変更されたため報告（このファイル自体は未変更）",
            );
            writeln!(out, "   {} {note}", paint.paint(dim, "="))?;
        }
        writeln!(out)?;
    }
    for p in &report.projects {
        for problem in &p.project.problems {
            let message = line_text(&scrubber.scrub(p.project, &problem.message));
            writeln!(
                out,
                "{}: {} {}",
                super::printable(&report.display_path(&problem.path)),
                paint.paint(severity_style(Severity::Warning), "warning:"),
                message
            )?;
        }
    }
    summary(report, out, &paint)
}

/// The finding's first line, underlined from the start of the range to the
/// end of that line's part of it.
fn excerpt(
    out: &mut dyn Write,
    paint: &Paint,
    gutter: Style,
    mark: Style,
    file: &SourceFile,
    red: &Redacted,
    range: std::ops::Range<usize>,
) -> io::Result<()> {
    let Excerpt {
        line,
        before,
        marked,
        after,
    } = Excerpt::of(file, red, range);
    let number = line.to_string();
    let pad = " ".repeat(number.len());
    let shown = format!("{before}{marked}{after}");
    let lead = UnicodeWidthStr::width(before.as_str());
    let width = UnicodeWidthStr::width(marked.as_str()).max(1);
    writeln!(out, "{pad} {}", paint.paint(gutter, "|"))?;
    writeln!(
        out,
        "{} {}",
        paint.paint(gutter, &format!("{number} |")),
        shown.trim_end()
    )?;
    writeln!(
        out,
        "{pad} {} {}{}",
        paint.paint(gutter, "|"),
        " ".repeat(lead),
        paint.paint(mark, &"^".repeat(width))
    )?;
    Ok(())
}

pub(super) fn write_summary(
    report: &Report<'_>,
    out: &mut dyn Write,
    color: bool,
) -> io::Result<()> {
    summary(report, out, &Paint { on: color })
}

fn summary(report: &Report<'_>, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
    let (e, w, i) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
    let files = report.files_checked();
    let ms = report.elapsed.as_secs_f64() * 1000.0;
    let suppressed: usize = report.projects.iter().map(|p| p.result.suppressed).sum();
    let line = match report.lang {
        Lang::En => {
            let mut s = format!(
                "{e} {}, {w} {}, {i} info in {files} metadata {} ({ms:.0} ms)",
                plural(e, "error", "errors"),
                plural(w, "warning", "warnings"),
                plural(files, "file", "files")
            );
            if suppressed > 0 {
                s.push_str(&format!("; {suppressed} suppressed"));
            }
            s
        }
        Lang::Ja => {
            let mut s = format!("エラー {e} 件、警告 {w} 件、情報 {i} 件（メタデータ {files} ファイル、{ms:.0} ms）");
            if suppressed > 0 {
                s.push_str(&format!("、抑制 {suppressed} 件"));
            }
            s
        }
    };
    let line = line + &super::ci_notes(report);
    let style = if e > 0 {
        severity_style(Severity::Error)
    } else if w > 0 {
        severity_style(Severity::Warning)
    } else {
        Style::new().bold()
    };
    writeln!(out, "{}", paint.paint(style, &line))
}
