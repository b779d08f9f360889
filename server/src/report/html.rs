//! `--format html`: one self-contained page for the people who act on the
//! findings (admins and their managers): the summary, a timeline picture
//! (inline SVG) with every finding on the date it breaks or broke, the seed
//! article's checklist answered for the project, and the findings grouped
//! by what to do. No script, no font, no image or style from elsewhere: a
//! Content-Security-Policy forbids every request, and print CSS lays the
//! page out on A4.

use super::junit;
use super::plan::{self, Action, Basis, Item, Place, Plan};
use super::{plural, Report};
use crate::diagnostic::Severity;
use crate::i18n::Lang;
use crate::timeline::AsOf;
use crate::tr;
use std::fmt::Write as _;
use std::io::{self, Write};
use unicode_width::UnicodeWidthChar;

pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let plan = Plan::new(report);
    out.write_all(shown_format_controls(&page(&plan)).as_bytes())
}

/// The bidirectional controls and line separators of the project's text
/// (labels, names) shown as `\u{202e}`, never acting on the page
/// (Trojan Source): the page's own markup holds none.
fn shown_format_controls(page: &str) -> String {
    page.chars()
        .map(|c| match c {
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' => {
                format!("\\u{{{:x}}}", c as u32)
            }
            c => c.to_string(),
        })
        .collect()
}

/// Escaped element content that stays on its line of the page: line
/// breaks (CR, LF, NEL, U+2028/9 are shown by [`shown_format_controls`])
/// and C1 controls become character references, which a browser renders
/// exactly as the raw character, and `::` becomes `&#58;:`, so no line
/// of a page printed in a CI log starts with a workflow command.
fn text(s: &str) -> String {
    log_safe(&junit::text(s))
}

/// An attribute value, under the same rule as [`text`].
fn attr(s: &str) -> String {
    log_safe(&junit::attr(s))
}

fn log_safe(escaped: &str) -> String {
    if !escaped
        .chars()
        .any(|c| matches!(c, '\n' | '\r' | ':' | '\u{80}'..='\u{9f}'))
    {
        return escaped.to_owned();
    }
    let mut out = String::with_capacity(escaped.len() + 8);
    let mut chars = escaped.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\r' | '\u{80}'..='\u{9f}' => {
                let _ = write!(out, "&#{};", c as u32);
            }
            ':' if chars.peek() == Some(&':') => out.push_str("&#58;"),
            c => out.push(c),
        }
    }
    out
}

/// A date as people write it: `2026-11-24`, `2026年11月24日`.
pub fn date_label(date: jiff::civil::Date, lang: Lang) -> String {
    match lang {
        Lang::En => date.to_string(),
        Lang::Ja => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
    }
}

/// Escaped text where `code` between backticks (as the messages and
/// notes write commands and keys) becomes `<code>`; an unpaired backtick
/// stays as it is.
pub fn inline(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() % 2 == 0 {
        return text(s);
    }
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 && !part.is_empty() {
            let _ = write!(out, "<code>{}</code>", text(part));
        } else if i % 2 == 1 {
            out.push_str("``");
        } else {
            out.push_str(&text(part));
        }
    }
    out
}

pub fn severity_label(s: Severity, lang: Lang) -> &'static str {
    match s {
        Severity::Error => lang.pick("error", "エラー"),
        Severity::Warning => lang.pick("warning", "警告"),
        Severity::Info => lang.pick("info", "情報"),
    }
}

const STYLE: &str = r#"
:root { color-scheme: light; --fg: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --bg-soft: #f3f4f6;
  --error: #b00020; --warning: #8a4b00; --info: #005a9e; --ok: #1b6e20; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 62rem; padding: 1.5rem; color: var(--fg); background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic UI", Meiryo, sans-serif; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 .75rem; border-bottom: 2px solid var(--fg); padding-bottom: .2rem; }
h3 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
h4 { font-size: 1rem; margin: 0 0 .4rem; }
p { margin: .4rem 0; }
a { color: #0b4f9c; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK JP", monospace; font-size: .9em; }
.meta { color: var(--muted); margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--bg-soft); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.counts { width: auto; min-width: 16rem; }
table.fixed { table-layout: fixed; }
td, th, dd { overflow-wrap: anywhere; }
figure svg text { paint-order: stroke; stroke: #fff; stroke-width: 5px; stroke-linejoin: round; }
col.q { width: 27%; } col.a { width: 30%; } col.how { width: 43%; }
col.date { width: 17%; } col.event { width: 38%; } col.due { width: 17%; } col.src { width: 28%; }
.sev { display: inline-block; min-width: 4.5em; padding: 0 .4em; border-radius: .25em; color: #fff; font-weight: 600; font-size: .85em; text-align: center; }
.sev.error { background: var(--error); } .sev.warning { background: var(--warning); } .sev.info { background: var(--info); }
.basis { font-weight: 600; } .basis.unknown { color: var(--error); } .basis.declared { color: var(--ok); } .basis.inferred { color: var(--info); }
.callout { border-left: .35rem solid var(--error); background: var(--bg-soft); padding: .6rem .9rem; margin: .75rem 0; }
.callout.next { border-left-color: var(--warning); }
figure { margin: 0; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .9rem; }
article.finding { border: 1px solid var(--line); border-left: .35rem solid var(--line); border-radius: .25rem; padding: .75rem 1rem; margin: .75rem 0; }
article.finding.error { border-left-color: var(--error); } article.finding.warning { border-left-color: var(--warning); } article.finding.info { border-left-color: var(--info); }
pre.excerpt { background: var(--bg-soft); padding: .4rem .6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; margin: .4rem 0; }
pre.excerpt .ln { color: var(--muted); user-select: none; }
pre.excerpt mark { background: #ffe08a; color: var(--fg); }
pre.note, pre.declare { white-space: pre-wrap; background: var(--bg-soft); padding: .4rem .6rem; margin: .3rem 0; font-family: inherit; font-size: .95em; }
pre.declare { font-family: ui-monospace, Menlo, Consolas, monospace; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .9rem; margin: .4rem 0 0; }
dt { font-weight: 600; } dd { margin: 0; }
ul { margin: .2rem 0; padding-left: 1.2rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); padding-top: .5rem; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  article.finding { padding: .5rem .75rem; margin: .5rem 0; }
  h2 { break-after: avoid; } h3, h4 { break-after: avoid; }
  article.finding, .callout, figure, tr { break-inside: avoid; }
  pre.excerpt, pre.note { white-space: pre-wrap; overflow: visible; }
  a { color: inherit; }
  .sev, pre.excerpt mark, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

fn page(plan: &Plan<'_>) -> String {
    let lang = plan.lang;
    let as_of = date_label(plan.as_of.0, lang);
    let names: Vec<&str> = plan.checklists.iter().map(|c| c.name.as_str()).collect();
    let title = tr!(
        lang,
        "Exchange migration report: {}",
        "Exchange 移行レポート: {}",
        names.join(", ")
    );
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<meta name=\"generator\" content=\"exchange-auth-lint {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        lang.pick("en", "ja"),
        env!("CARGO_PKG_VERSION"),
        text(&title)
    );
    let _ = writeln!(h, "<header>\n<h1>{}</h1>", text(&title));
    let _ = writeln!(
        h,
        "<p class=\"meta\">{}</p>\n</header>\n<main>",
        text(&tr!(
            lang,
            "As of {as_of} · exchange-auth-lint {} · {} metadata {} checked",
            "{as_of}時点 · exchange-auth-lint {} · チェックしたメタデータファイル {} 件{}",
            env!("CARGO_PKG_VERSION"),
            plan.files_checked,
            lang.pick(plural(plan.files_checked, "file", "files"), "")
        ))
    );
    summary(&mut h, plan);
    timeline(&mut h, plan);
    checklist(&mut h, plan);
    findings(&mut h, plan);
    problems(&mut h, plan);
    let _ = writeln!(
        h,
        "</main>\n<footer><p>{}</p></footer>\n</body>\n</html>",
        inline(lang.pick(
            "Generated by exchange-auth-lint. Dates and sources: `exchange-auth-lint explain RULE` and the rule documentation linked from each finding. Secret values are masked.",
            "exchange-auth-lint で作成。日付と出典は `exchange-auth-lint explain ルールID` と、各指摘からリンクしているルールのドキュメントを参照してください。シークレットの値は伏せ字にしています。"
        ))
    );
    h
}

fn summary(h: &mut String, plan: &Plan<'_>) {
    let lang = plan.lang;
    let _ = writeln!(
        h,
        "<section aria-labelledby=\"summary\">\n<h2 id=\"summary\">{}</h2>",
        lang.pick("Summary", "概要")
    );
    let _ = writeln!(
        h,
        "<table class=\"counts\">\n<caption class=\"meta\">{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
        text(lang.pick("Findings by severity", "重大度別の指摘件数")),
        lang.pick("Severity", "重大度"),
        lang.pick("Findings", "件数")
    );
    for (s, n) in [
        (Severity::Error, plan.errors),
        (Severity::Warning, plan.warnings),
        (Severity::Info, plan.infos),
    ] {
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\"><span class=\"sev {}\">{}</span></th><td class=\"num\">{n}</td></tr>",
            s.as_str(),
            severity_label(s, lang)
        );
    }
    let _ = writeln!(h, "</tbody>\n</table>");
    if plan.suppressed > 0 {
        let _ = writeln!(
            h,
            "<p>{}</p>",
            text(&tr!(
                lang,
                "{} {} suppressed by comments in the files.",
                "{} 件の指摘がファイル内のコメントで抑制されています。{}",
                plan.suppressed,
                lang.pick(plural(plan.suppressed, "finding is", "findings are"), "")
            ))
        );
    }
    if plan.items.is_empty() {
        let _ = writeln!(
            h,
            "<p>{}</p>\n</section>",
            text(lang.pick(
                "Nothing to do: no finding in the checked files.",
                "対応は不要です。チェックしたファイルに指摘はありません。"
            ))
        );
        return;
    }
    let broken = plan.broken();
    if broken > 0 {
        let _ = writeln!(
            h,
            "<p>{}</p>",
            text(&tr!(
                lang,
                "{broken} of {} {} already past their date (or have none): what they report does not work, or is exposed, now.",
                "{} 件の指摘のうち {broken} 件は期限を過ぎている（または期限がない）ため、今すでに動作していないか、危険にさらされています。{}",
                plan.items.len(),
                lang.pick(plural(broken, "finding is", "findings are"), "")
            ))
        );
    }
    if let Some(first) = plan.first() {
        let what = first
            .fix
            .as_ref()
            .filter(|f| f.refused.is_none())
            .map(|f| f.title.clone())
            .unwrap_or_else(|| first.action.title(lang).to_owned());
        let _ = writeln!(
            h,
            "<div class=\"callout\"><p><strong>{}</strong> <a href=\"#{}\">{} {}:{}</a>: {}</p><p>{} — {}</p></div>",
            text(lang.pick("Do this first:", "最初に行うこと:")),
            first.anchor,
            first.rule.id,
            text(&first.path),
            first.line,
            inline(&first.message),
            text(first.action.title(lang)),
            text(&what)
        );
    }
    match plan.next_deadline() {
        Some((event, due)) => {
            let ids: Vec<String> = due.iter().map(|i| finding_link(i)).collect();
            let _ = writeln!(
                h,
                "<div class=\"callout next\"><p><strong>{}</strong> {}: {}</p><p>{} {}</p></div>",
                text(lang.pick("Next deadline:", "次の期限:")),
                text(&plan::relative(plan.as_of, event, lang)),
                text(event.what(lang)),
                text(&tr!(
                    lang,
                    "Findings due then ({}):",
                    "この日が期限の指摘（{} 件）:",
                    due.len()
                )),
                ids.join(", ")
            );
        }
        None => {
            let _ = writeln!(
                h,
                "<p>{}</p>",
                text(lang.pick(
                    "No date still to come: every dated finding is already past its date.",
                    "今後の期限はありません。期限のある指摘はすべて期限を過ぎています。"
                ))
            );
        }
    }
    let _ = writeln!(h, "</section>");
}

/// Display width of `s` in an SVG at `px` pixels per em (estimate: wide
/// characters one em, others a little more than half).
fn text_width(s: &str, px: f64) -> f64 {
    s.chars()
        .map(|c| match c.width() {
            Some(2) => px,
            _ => px * 0.56,
        })
        .sum()
}

/// `s` in lines of at most `max` units at `px` (by [`text_width`]):
/// breaks at spaces, and between wide (CJK) characters, never before
/// closing punctuation. A word longer than `max` keeps its own line.
fn wrap(s: &str, max: f64, px: f64) -> Vec<String> {
    let lines = wrap_greedy(s, max, px);
    if lines.len() < 2 {
        return lines;
    }
    // As many lines, of even lengths: no one-word last line.
    let even = text_width(s, px) / lines.len() as f64 * 1.08;
    let balanced = wrap_greedy(s, even.min(max), px);
    if balanced.len() == lines.len() {
        balanced
    } else {
        lines
    }
}

fn wrap_greedy(s: &str, max: f64, px: f64) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for c in s.chars() {
        let wide = c.width() == Some(2);
        let closing = "、。，．）」』】・：".contains(c);
        match tokens.last_mut() {
            Some(t) if closing || t.ends_with(['（', '「', '『', '【', '(']) => t.push(c),
            Some(t)
                if !wide
                    && c != ' '
                    && !t.ends_with(' ')
                    && t.chars().last().is_none_or(|l| l.width() != Some(2)) =>
            {
                t.push(c)
            }
            _ => tokens.push(c.to_string()),
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for t in tokens {
        let candidate = format!("{line}{t}");
        if !line.trim().is_empty() && text_width(candidate.trim_end(), px) > max {
            lines.push(line.trim_end().to_owned());
            line = t.trim_start().to_owned();
        } else {
            line = candidate;
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    lines
}

fn severity_colour(s: Severity) -> &'static str {
    match s {
        Severity::Error => "#b00020",
        Severity::Warning => "#8a4b00",
        Severity::Info => "#005a9e",
    }
}

/// The findings of one rule due on one date.
struct Mark {
    rule: &'static str,
    severity: Severity,
    count: usize,
}

/// A mark's label, placed: its text position and the span it covers.
struct Label {
    rule: &'static str,
    count: usize,
    text: String,
    severity: Severity,
    x: f64,
    anchor: &'static str,
    extent: (f64, f64),
}

/// The timeline picture: the events of [`Plan::events`] below the axis,
/// the findings above it on the date each breaks or broke (findings with
/// no date at the as-of date: they are due now), the past shaded and the
/// as-of date marked.
pub fn timeline_svg(plan: &Plan<'_>) -> String {
    use jiff::civil::date;
    let lang = plan.lang;
    // About the width the page gives it on screen (and a little more than
    // on A4), so that the 12-unit text stays near 12 px.
    const W: f64 = 900.0;
    const LEFT: f64 = 28.0;
    const RIGHT: f64 = 28.0;
    const ROW: f64 = 20.0;
    let first_year = plan
        .events
        .iter()
        .map(|e| e.date.year())
        .chain([plan.as_of.0.year()])
        .min()
        .unwrap_or(2022);
    let last_year = plan
        .events
        .iter()
        .map(|e| e.date.year())
        .chain([plan.as_of.0.year()])
        .max()
        .unwrap_or(2027);
    let start = date(first_year, 1, 1);
    // The end of the last year; an as-of date in 9999 has no next year
    // (`date` panicked: fourth adversarial run, D13).
    let end =
        jiff::civil::Date::new(last_year.saturating_add(1), 1, 1).unwrap_or(jiff::civil::Date::MAX);
    let span = plan::days_between(start, end).max(1) as f64;
    let x = |d: jiff::civil::Date| -> f64 {
        LEFT + (plan::days_between(start, d) as f64 / span) * (W - LEFT - RIGHT)
    };

    // Findings stacked by date, one mark per rule.
    let mut stacks: Vec<(jiff::civil::Date, Vec<Mark>)> = Vec::new();
    for item in &plan.items {
        let d = item.breaks_on.map_or(plan.as_of.0, |e| e.date);
        let stack = match stacks.iter_mut().position(|(sd, _)| *sd == d) {
            Some(i) => &mut stacks[i].1,
            None => {
                stacks.push((d, Vec::new()));
                &mut stacks.last_mut().expect("pushed").1
            }
        };
        match stack.iter_mut().find(|m| m.rule == item.rule.id) {
            Some(m) => {
                m.severity = m.severity.max(item.severity);
                m.count += 1;
            }
            None => stack.push(Mark {
                rule: item.rule.id,
                severity: item.severity,
                count: 1,
            }),
        }
    }
    stacks.sort_by_key(|(d, _)| *d);
    for (_, s) in &mut stacks {
        s.sort_by_key(|m| (std::cmp::Reverse(m.severity), m.rule));
    }
    // Lay the finding labels out in rows above the axis: each date's stack
    // starts at the lowest row where none of its labels overlaps a label
    // already placed (labels are right of the marker, or left of it at
    // the right edge).
    let mut rows: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut placed: Vec<(jiff::civil::Date, f64, usize, Vec<Label>)> = Vec::new();
    for (d, stack) in &stacks {
        let fx = x(*d);
        let labels: Vec<Label> = stack
            .iter()
            .map(|m| {
                let text = if m.count > 1 {
                    format!("{} ×{}", m.rule, m.count)
                } else {
                    m.rule.to_owned()
                };
                let width = text_width(&text, 12.0) * 1.15;
                let (x, anchor, extent) = if fx + 10.0 + width <= W - 4.0 {
                    (fx + 10.0, "start", (fx - 8.0, fx + 10.0 + width))
                } else {
                    (fx - 10.0, "end", (fx - 10.0 - width, fx + 8.0))
                };
                Label {
                    rule: m.rule,
                    count: m.count,
                    text,
                    severity: m.severity,
                    x,
                    anchor,
                    extent,
                }
            })
            .collect();
        let free = |row: usize, (a, b): (f64, f64)| {
            rows.get(row)
                .is_none_or(|r| r.iter().all(|&(c, e)| b + 6.0 <= c || e + 6.0 <= a))
        };
        let base = (0..)
            .find(|&r| {
                labels
                    .iter()
                    .enumerate()
                    .all(|(k, l)| free(r + k, l.extent))
            })
            .unwrap_or(0);
        for (k, l) in labels.iter().enumerate() {
            if rows.len() <= base + k {
                rows.resize(base + k + 1, Vec::new());
            }
            rows[base + k].push(l.extent);
        }
        placed.push((*d, fx, base, labels));
    }
    let tallest = rows.len() as f64;
    let axis = 48.0 + tallest * ROW + 8.0;
    let events_top = axis + 40.0;
    // Events below the axis, one row each, or more when the label is too
    // long for either side of its date: then it wraps on the wider side.
    let mut rows_below = 0.0;
    let event_rows: Vec<(f64, f64, &'static str, Vec<String>)> = plan
        .events
        .iter()
        .map(|e| {
            let ex = x(e.date);
            let y = events_top + rows_below * ROW;
            let label = format!("{}  {}", e.when(lang), e.what(lang));
            let width = text_width(&label, 12.0) * 1.03;
            let right = W - 4.0 - (ex + 8.0);
            let left = ex - 8.0 - 4.0;
            let (tx, anchor, lines) = if width <= right {
                (ex + 8.0, "start", vec![label])
            } else if width <= left {
                (ex - 8.0, "end", vec![label])
            } else if right >= left {
                (ex + 8.0, "start", wrap(&label, right / 1.03, 12.0))
            } else {
                (ex - 8.0, "end", wrap(&label, left / 1.03, 12.0))
            };
            rows_below += lines.len() as f64;
            (y, tx, anchor, lines)
        })
        .collect();
    let height = events_top + rows_below * ROW + 12.0;

    let as_of_label = tr!(lang, "As of {}", "{}時点", date_label(plan.as_of.0, lang));
    let desc = {
        let mut d = String::new();
        for e in &plan.events {
            let n = plan
                .items
                .iter()
                .filter(|i| i.breaks_on.is_some_and(|b| plan::same_event(b, e)))
                .count();
            let _ = write!(
                d,
                "{}: {}{}. ",
                e.when(lang),
                e.what(lang),
                if n > 0 {
                    tr!(
                        lang,
                        " ({n} {})",
                        "（指摘 {n} 件）{}",
                        lang.pick(plural(n, "finding", "findings"), "")
                    )
                } else {
                    String::new()
                }
            );
        }
        format!("{as_of_label}. {d}")
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {height}\" width=\"{W}\" height=\"{height}\" role=\"img\" aria-labelledby=\"tl-title tl-desc\" font-family=\"system-ui, 'Segoe UI', 'Hiragino Sans', 'Noto Sans CJK JP', Meiryo, sans-serif\" font-size=\"12\">\n<title id=\"tl-title\">{}</title>\n<desc id=\"tl-desc\">{}</desc>",
        text(lang.pick(
            "Timeline of the dates that matter for this project",
            "このプロジェクトに関係する日付のタイムライン"
        )),
        text(desc.trim_end())
    );
    // The past, shaded.
    let now = x(plan.as_of.0).clamp(LEFT, W - RIGHT);
    let _ = writeln!(
        s,
        "<rect x=\"{LEFT}\" y=\"24\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#eef0f3\"/>",
        now - LEFT,
        height - 30.0
    );
    // Axis and years.
    let _ = writeln!(
        s,
        "<line x1=\"{LEFT}\" y1=\"{axis}\" x2=\"{:.1}\" y2=\"{axis}\" stroke=\"#1a1a1a\" stroke-width=\"2\"/>",
        W - RIGHT
    );
    for year in first_year..=last_year + 1 {
        let Ok(start_of_year) = jiff::civil::Date::new(year, 1, 1) else {
            continue;
        };
        let yx = x(start_of_year);
        let _ = writeln!(
            s,
            "<line x1=\"{yx:.1}\" y1=\"{:.1}\" x2=\"{yx:.1}\" y2=\"{:.1}\" stroke=\"#1a1a1a\"/>",
            axis - 5.0,
            axis + 5.0
        );
        if year <= last_year {
            let _ = writeln!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#4a4a4a\">{year}</text>",
                yx + 4.0,
                axis + 18.0
            );
        }
    }
    // Lines first, text last: each label has a white halo (the page's
    // CSS), which only hides what is drawn before it.
    // The events' leaders to the axis, ending in a dot on the event's row.
    for (e, (y, ..)) in plan.events.iter().zip(&event_rows) {
        let ex = x(e.date);
        let _ = writeln!(
            s,
            "<line x1=\"{ex:.1}\" y1=\"{axis}\" x2=\"{ex:.1}\" y2=\"{:.1}\" stroke=\"#8a8a8a\" stroke-dasharray=\"2 2\"/>\n\
<circle cx=\"{ex:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#1a1a1a\"/>",
            y - 4.0,
            y - 4.0
        );
    }
    // The as-of line.
    let (lx, lanchor) = if now > W / 2.0 {
        (now - 6.0, "end")
    } else {
        (now + 6.0, "start")
    };
    let _ = writeln!(
        s,
        "<g class=\"as-of\" data-date=\"{}\">\n\
<line x1=\"{now:.1}\" y1=\"20\" x2=\"{now:.1}\" y2=\"{:.1}\" stroke=\"#0b4f9c\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\n\
<text x=\"{lx:.1}\" y=\"16\" text-anchor=\"{lanchor}\" fill=\"#0b4f9c\" font-weight=\"700\">{}</text>\n</g>",
        plan.as_of.0,
        height - 4.0,
        text(&as_of_label)
    );
    // The findings' stems down to the axis.
    for (_, fx, base, labels) in &placed {
        let top = axis - 14.0 - (base + labels.len() - 1) as f64 * ROW;
        let _ = writeln!(
            s,
            "<line x1=\"{fx:.1}\" y1=\"{top:.1}\" x2=\"{fx:.1}\" y2=\"{axis}\" stroke=\"#4a4a4a\"/>"
        );
    }
    // The events' markers and labels.
    for (e, (y, tx, anchor, lines)) in plan.events.iter().zip(&event_rows) {
        let ex = x(e.date);
        let mut label = String::new();
        for (k, line) in lines.iter().enumerate() {
            if k == 0 {
                label.push_str(&text(line));
            } else {
                let _ = write!(
                    label,
                    "<tspan x=\"{tx:.1}\" dy=\"{ROW}\">{}</tspan>",
                    text(line)
                );
            }
        }
        let past = plan.as_of.reached(e);
        let _ = writeln!(
            s,
            "<g class=\"event\" data-date=\"{}\">\n\
<path d=\"M {ex:.1} {:.1} l 6 6 l -6 6 l -6 -6 z\" fill=\"{}\" stroke=\"#1a1a1a\"/>\n\
<text x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" fill=\"#1a1a1a\">{}</text>\n</g>",
            e.date,
            axis - 6.0,
            if past { "#1a1a1a" } else { "#ffffff" },
            y,
            label
        );
    }
    // Findings above the axis, on their dates.
    for (d, fx, base, labels) in &placed {
        for (k, l) in labels.iter().enumerate() {
            let y = axis - 14.0 - (base + k) as f64 * ROW;
            let _ = writeln!(
                s,
                "<g class=\"mark\" data-rule=\"{}\" data-count=\"{}\" data-date=\"{d}\">\n\
<circle cx=\"{fx:.1}\" cy=\"{y:.1}\" r=\"6\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"1.5\"><title>{}</title></circle>\n\
<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{}\" fill=\"#1a1a1a\" font-weight=\"600\">{}</text>\n</g>",
                l.rule,
                l.count,
                severity_colour(l.severity),
                text(&format!("{}: {}", l.text, severity_label(l.severity, lang))),
                l.x,
                y + 4.0,
                l.anchor,
                text(&l.text)
            );
        }
    }
    s.push_str("</svg>");
    s
}

fn timeline(h: &mut String, plan: &Plan<'_>) {
    let lang = plan.lang;
    let _ = writeln!(
        h,
        "<section aria-labelledby=\"timeline\">\n<h2 id=\"timeline\">{}</h2>\n<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>",
        lang.pick("Timeline", "タイムライン"),
        timeline_svg(plan),
        text(lang.pick(
            "Above the line: the findings, on the date each breaks or broke (findings without a date sit at the as-of date: they are due now). Below: the dated events. The shaded part is the past.",
            "線の上は指摘で、それぞれ動作しなくなる（なった）日に置いています（期限のない指摘は基準日に置いています。今すぐ対応が必要です）。線の下は日付のある出来事です。網掛けの部分は過去です。"
        ))
    );
    let _ = writeln!(
        h,
        "<table class=\"fixed\">\n<caption class=\"meta\">{}</caption>\n<colgroup><col class=\"date\"><col class=\"event\"><col class=\"due\"><col class=\"src\"></colgroup>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
        text(lang.pick("The dates in the picture", "図の日付")),
        lang.pick("Date", "日付"),
        lang.pick("Event", "出来事"),
        lang.pick("Findings", "指摘"),
        lang.pick("Source", "出典")
    );
    for e in &plan.events {
        let due: Vec<String> = plan
            .items
            .iter()
            .filter(|i| i.breaks_on.is_some_and(|b| plan::same_event(b, e)))
            .map(|i| format!("<a href=\"#{}\">{}</a>", i.anchor, i.rule.id))
            .collect();
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            text(&plan::relative(plan.as_of, e, lang)),
            text(e.what(lang)),
            if due.is_empty() {
                "—".to_owned()
            } else {
                due.join(", ")
            },
            text(e.source)
        );
    }
    let _ = writeln!(h, "</tbody>\n</table>\n</section>");
}

/// `EXO002 Exchange_Sync_Service.namedCredential-meta.xml:5`, linked to
/// the finding.
fn finding_link(item: &Item<'_>) -> String {
    let name = item.path.rsplit('/').next().unwrap_or(&item.path);
    format!(
        "<a href=\"#{}\">{} {}:{}</a>",
        item.anchor,
        item.rule.id,
        text(name),
        item.line
    )
}

/// A piece of evidence: the file's name (its metadata type is in the
/// suffix; the full path is the title), the position and the sentence.
/// The finding's heading carries the full path.
fn place_html(p: &Place) -> String {
    let name = p.path.rsplit('/').next().unwrap_or(&p.path);
    format!(
        "<code title=\"{}\">{}:{}:{}</code> {}",
        attr(&p.path),
        text(name),
        p.line,
        p.column,
        text(&p.message)
    )
}

fn checklist(h: &mut String, plan: &Plan<'_>) {
    let lang = plan.lang;
    let _ = writeln!(
        h,
        "<section aria-labelledby=\"checklist\">\n<h2 id=\"checklist\">{}</h2>\n<p>{}</p>",
        lang.pick("Checklist", "チェックリスト"),
        text(lang.pick(
            "The checks Salesforce asks of Lightning Sync customers, answered from this project: declared (written in sfdx-project.json), inferred (read from the metadata; the evidence says where) or unknown.",
            "Salesforce が Lightning Sync を利用中のお客様に求めている確認事項を、このプロジェクトから回答したものです。「宣言済み」は sfdx-project.json に記載された内容、「推定」はメタデータから読み取った内容（根拠の場所を示します）、「不明」は分からない項目です。"
        ))
    );
    let [q, a, how] = plan::checklist_headings(lang);
    for c in &plan.checklists {
        if plan.checklists.len() > 1 {
            let _ = writeln!(h, "<h3>{}</h3>", text(&c.name));
        }
        let _ = writeln!(
            h,
            "<table class=\"fixed\">\n<colgroup><col class=\"q\"><col class=\"a\"><col class=\"how\"></colgroup>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
            q, a, how
        );
        for a in &c.answers {
            let mut how = format!(
                "<span class=\"basis {}\">{}</span>",
                match a.basis {
                    Basis::Declared => "declared",
                    Basis::Inferred => "inferred",
                    Basis::Unknown => "unknown",
                },
                a.basis.label(lang)
            );
            if !a.evidence.is_empty() {
                how.push_str("<ul>");
                for p in &a.evidence {
                    let _ = write!(how, "<li>{}</li>", place_html(p));
                }
                how.push_str("</ul>");
            }
            let _ = writeln!(
                h,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{how}</td></tr>",
                text(&a.question),
                inline(&a.answer)
            );
        }
        let _ = writeln!(h, "</tbody>\n</table>");
        let unknown: Vec<&(&str, Vec<&str>)> = c
            .answers
            .iter()
            .filter_map(|a| a.declare.as_ref())
            .collect();
        if !unknown.is_empty() {
            let _ = writeln!(
                h,
                "<h3>{}</h3>\n<p>{}</p>",
                text(lang.pick(
                    "What to declare where the project cannot tell",
                    "プロジェクトから分からない項目の宣言"
                )),
                text(lang.pick(
                    "Ask the administrator, then write the answers in sfdx-project.json so that the findings use them (one of the values listed):",
                    "システム管理者に確認し、回答を sfdx-project.json に記載してください（記載した内容が指摘に使われます）。値は次のいずれかです:"
                ))
            );
            let mut json = format!(
                "\"plugins\": {{\n  \"{}\": {{\n",
                crate::project::config::PLUGIN_KEY
            );
            for (i, (key, values)) in unknown.iter().enumerate() {
                let comma = if i + 1 < unknown.len() { "," } else { "" };
                let _ = writeln!(json, "    \"{key}\": \"{}\"{comma}", values[0]);
            }
            json.push_str("  }\n}");
            let _ = writeln!(
                h,
                "<pre class=\"declare\"><code>{}</code></pre>\n<ul>",
                text(&json)
            );
            for (key, values) in &unknown {
                let quoted: Vec<String> = values
                    .iter()
                    .map(|v| format!("<code>{}</code>", text(v)))
                    .collect();
                let _ = writeln!(h, "<li><code>{key}</code>: {}</li>", quoted.join(", "));
            }
            let _ = writeln!(h, "</ul>");
        }
    }
    let _ = writeln!(h, "</section>");
}

fn deadline_html(item: &Item<'_>, as_of: AsOf, lang: Lang) -> String {
    match item.breaks_on {
        Some(e) => {
            let state = if as_of.reached(e) {
                lang.pick(
                    "passed: this does not work now",
                    "期限切れ: 現在は動作していません",
                )
            } else {
                lang.pick("still to come", "これから")
            };
            format!(
                "{} — {}{}",
                text(&plan::relative(as_of, e, lang)),
                text(e.what(lang)),
                text(&tr!(lang, " ({state})", "（{state}）"))
            )
        }
        None => text(lang.pick(
            "now: this is wrong whatever the date",
            "今すぐ: 日付にかかわらず問題があります",
        )),
    }
}

fn item_html(h: &mut String, item: &Item<'_>, plan: &Plan<'_>) {
    let lang = plan.lang;
    let sev = item.severity.as_str();
    let _ = writeln!(
        h,
        "<article class=\"finding {sev}\" id=\"{}\" aria-labelledby=\"{}-h\">\n<h4 id=\"{}-h\"><span class=\"sev {sev}\">{}</span> <a href=\"{}\">{}</a> {} — <code>{}:{}</code></h4>\n<p>{}</p>",
        item.anchor,
        item.anchor,
        item.anchor,
        severity_label(item.severity, lang),
        attr(&plan::doc_link(item.rule, lang)),
        item.rule.id,
        text(item.rule.name),
        text(&item.path),
        item.line,
        inline(&item.message)
    );
    let e = &item.excerpt;
    let _ = writeln!(
        h,
        "<pre class=\"excerpt\" aria-label=\"{}\"><span class=\"ln\">{} | </span>{}<mark>{}</mark>{}</pre>",
        attr(&tr!(lang, "line {}", "{} 行目", e.line)),
        e.line,
        text(&e.before),
        text(&e.marked),
        text(e.after.trim_end())
    );
    let _ = writeln!(
        h,
        "<dl>\n<dt>{}</dt><dd>{}</dd>",
        lang.pick("Deadline", "期限"),
        deadline_html(item, plan.as_of, lang)
    );
    match &item.fix {
        Some(fix) => {
            let _ = write!(
                h,
                "<dt>{}</dt><dd>{}",
                lang.pick("Fix", "修正"),
                text(&fix.title)
            );
            match &fix.refused {
                Some(reason) => {
                    let _ = write!(
                        h,
                        " — {}",
                        text(&tr!(
                            lang,
                            "cannot be applied to this project: {reason}",
                            "このプロジェクトには適用できません: {reason}"
                        ))
                    );
                }
                None => {
                    let _ = write!(
                        h,
                        " <span class=\"meta\">{}</span>",
                        inline(lang.pick(
                            "(applied by `exchange-auth-lint check --fix`)",
                            "（`exchange-auth-lint check --fix` で適用できます）"
                        ))
                    );
                }
            }
            if let Some(note) = &fix.note {
                let _ = write!(
                    h,
                    "<p>{}</p><pre class=\"note\">{}</pre>",
                    text(lang.pick("Then, by hand:", "その後、手作業で行うこと:")),
                    inline(note)
                );
            }
            let _ = writeln!(h, "</dd>");
        }
        None => {
            let _ = writeln!(
                h,
                "<dt>{}</dt><dd>{}</dd>",
                lang.pick("Fix", "修正"),
                text(&tr!(
                    lang,
                    "no automatic fix: do what the message says; the rule's documentation ({}) explains how.",
                    "自動修正はありません。メッセージの内容に従ってください。手順はルールのドキュメント（{}）にあります。",
                    item.rule.id
                ))
            );
        }
    }
    if !item.related.is_empty() {
        let _ = write!(h, "<dt>{}</dt><dd><ul>", lang.pick("Evidence", "根拠"));
        for p in &item.related {
            let _ = write!(h, "<li>{}</li>", place_html(p));
        }
        let _ = writeln!(h, "</ul></dd>");
    }
    let _ = writeln!(h, "</dl>\n</article>");
}

fn findings(h: &mut String, plan: &Plan<'_>) {
    let lang = plan.lang;
    let _ = writeln!(
        h,
        "<section aria-labelledby=\"todo\">\n<h2 id=\"todo\">{}</h2>",
        lang.pick("What to do", "対応内容")
    );
    if plan.items.is_empty() {
        let _ = writeln!(
            h,
            "<p>{}</p>",
            text(lang.pick("No finding.", "指摘はありません。"))
        );
    }
    for action in Action::ALL {
        let items: Vec<&Item<'_>> = plan.group(action).collect();
        if items.is_empty() {
            continue;
        }
        let id = match action {
            Action::Repository => "repository",
            Action::Setup => "setup",
            Action::Rewrite => "rewrite",
        };
        let _ = writeln!(
            h,
            "<section aria-labelledby=\"{id}\">\n<h3 id=\"{id}\">{} ({})</h3>\n<p>{}</p>",
            text(action.title(lang)),
            items.len(),
            inline(action.intro(lang))
        );
        for item in items {
            item_html(h, item, plan);
        }
        let _ = writeln!(h, "</section>");
    }
    let _ = writeln!(h, "</section>");
}

fn problems(h: &mut String, plan: &Plan<'_>) {
    if plan.problems.is_empty() {
        return;
    }
    let lang = plan.lang;
    let _ = writeln!(
        h,
        "<section aria-labelledby=\"problems\">\n<h2 id=\"problems\">{}</h2>\n<p>{}</p>\n<ul>",
        lang.pick("Files that could not be checked", "チェックできなかったファイル"),
        text(lang.pick(
            "These files or settings could not be read or used; the rest of the project was checked.",
            "次のファイルまたは設定は読み込めないか使用できませんでした。プロジェクトの残りの部分はチェックしています。"
        ))
    );
    for (path, message) in &plan.problems {
        let _ = writeln!(h, "<li><code>{}</code>: {}</li>", text(path), text(message));
    }
    let _ = writeln!(h, "</ul>\n</section>");
}
