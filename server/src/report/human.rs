//! `--format human`: `path:line:col: severity[ID] message`, the source line
//! with the range underlined, the evidence, and a summary. Colour only when
//! the caller asks for it (a terminal without `NO_COLOR`).

use super::{human_position, Report};
use crate::diagnostic::Severity;
use crate::i18n::Lang;
use crate::redact::Redacted;
use crate::source::SourceFile;
use crate::xml::floor_char_boundary;
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
        let message = printable(&scrubber.scrub(project, &f.message));
        writeln!(
            out,
            "{}: {severity} {message}",
            paint.paint(bold, &format!("{path}:{line}:{col}"))
        )?;
        let red = redacted
            .entry(file as *const _)
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
                printable(&scrubber.scrub(project, &r.message))
            )?;
        }
        writeln!(out)?;
    }
    for p in &report.projects {
        for problem in &p.project.problems {
            let message = printable(&scrubber.scrub(p.project, &problem.message));
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
    let line = file.lines.line_of(range.start);
    let line_range = file.lines.line_range(&file.text, line);
    let (start, end) = (red.map(line_range.start), red.map(line_range.end));
    let text = &red.text[start..end];
    let mark_start = floor_char_boundary(text, red.map(range.start).clamp(start, end) - start);
    let mark_end = floor_char_boundary(text, red.map(range.end).clamp(start, end) - start);
    let number = (line + 1).to_string();
    let pad = " ".repeat(number.len());
    // A window around the mark: a minified or generated file can have one
    // line of megabytes.
    let from = floor_char_boundary(text, mark_start.saturating_sub(EXCERPT_BEFORE));
    let to = floor_char_boundary(text, (from + EXCERPT_BYTES).max(mark_start));
    let mark_end = mark_end.clamp(mark_start, to.max(mark_start));
    let before = format!(
        "{}{}",
        if from > 0 { "…" } else { "" },
        printable(&text[from..mark_start])
    );
    let marked = printable(&text[mark_start..mark_end]);
    let after = format!(
        "{}{}",
        printable(&text[mark_end..to]),
        if to < text.len() { "…" } else { "" }
    );
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

const EXCERPT_BEFORE: usize = 80;
const EXCERPT_BYTES: usize = 240;

/// Tabs become spaces and other control characters (NULs of a UTF-16
/// file, escape sequences…) `?`, so a file can neither misalign the
/// underline nor send escape sequences to a terminal.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '?',
            c => c,
        })
        .collect()
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
    let style = if e > 0 {
        severity_style(Severity::Error)
    } else if w > 0 {
        severity_style(Severity::Warning)
    } else {
        Style::new().bold()
    };
    writeln!(out, "{}", paint.paint(style, &line))
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}
