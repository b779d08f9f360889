//! `--format markdown`: the summary of the `html` report as GitHub-flavoured
//! Markdown, for `$GITHUB_STEP_SUMMARY` and merge-request comments: counts,
//! the one thing to do first, the next deadline, a table of findings with
//! links to the rule documentation, and the checklist.
//!
//! Text from the project (messages, paths, labels) never becomes markup:
//! paths go in code spans, other text is escaped (HTML characters as
//! entities, Markdown punctuation with a backslash, `|` for tables), and
//! line breaks become spaces so a table row stays one row.

use super::html::{date_label, severity_label};
use super::plan::{self, Item, Plan};
use super::{plural, Report};
use crate::tr;
use std::fmt::Write as _;
use std::io::{self, Write};

pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let plan = Plan::new(report);
    out.write_all(document(&plan).as_bytes())
}

/// Escapes text for inline Markdown, a table cell included.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' | '\n' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' | '@' | '$' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push('\u{FFFD}'),
            // Shown, never acting (Trojan Source): `\u{202e}`.
            c if is_format_control(c) => out.push_str(&escape(&visible(c))),
            c => out.push(c),
        }
    }
    out
}

/// The bidirectional controls and the line and paragraph separators: a
/// renderer acts on them (text reads backwards, a line breaks).
fn is_format_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// How such a character is shown: `\u{202e}`, as in the human format.
fn visible(c: char) -> String {
    format!("\\u{{{:x}}}", c as u32)
}

/// A code span holding `s` literally: a fence longer than any run of
/// backticks inside, `|` escaped for tables (GFM unescapes it), line
/// breaks as spaces.
pub fn code(s: &str) -> String {
    // An Azure Pipelines command (`##vso[`) cannot be broken inside a code
    // span without showing the break: escaped text reads the same.
    if crate::text::holds_azure_command(s) {
        return escape(s);
    }
    let s: String = s
        .chars()
        .map(|c| match c {
            '\r' | '\n' | '\t' => " ".to_owned(),
            c if c.is_control() => '\u{FFFD}'.to_string(),
            c if is_format_control(c) => visible(c),
            c => c.to_string(),
        })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.starts_with(' ') && s.ends_with(' ') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", s.replace('|', "\\|"))
}

fn rule_link(item: &Item<'_>, plan: &Plan<'_>) -> String {
    format!(
        "[{}]({})",
        item.rule.id,
        plan::doc_link(item.rule, plan.lang)
    )
}

fn document(plan: &Plan<'_>) -> String {
    let lang = plan.lang;
    let mut m = String::new();
    let names: Vec<String> = plan.checklists.iter().map(|c| code(&c.name)).collect();
    let _ = writeln!(
        m,
        "## {} {}\n",
        lang.pick("Exchange migration report:", "Exchange 移行レポート:"),
        names.join(", ")
    );
    let as_of = date_label(plan.as_of.0, lang);
    let (e, w, i, files) = (plan.errors, plan.warnings, plan.infos, plan.files_checked);
    let _ = writeln!(
        m,
        "{}\n",
        match lang {
            crate::i18n::Lang::En => format!(
                "As of {as_of}: **{e} {}, {w} {}, {i} info** in {files} metadata {}.",
                plural(e, "error", "errors"),
                plural(w, "warning", "warnings"),
                plural(files, "file", "files")
            ),
            crate::i18n::Lang::Ja => format!(
                "{as_of}時点: **エラー {e} 件、警告 {w} 件、情報 {i} 件**（メタデータ {files} ファイル）。"
            ),
        }
    );
    if plan.suppressed > 0 {
        let n = plan.suppressed;
        let _ = writeln!(
            m,
            "{}\n",
            tr!(
                lang,
                "{n} {} suppressed by comments.",
                "コメントで抑制された指摘が {n} 件あります。{}",
                lang.pick(plural(n, "finding is", "findings are"), "")
            )
        );
    }
    if plan.items.is_empty() {
        let _ = writeln!(
            m,
            "{}\n",
            lang.pick(
                "Nothing to do: no finding in the checked files.",
                "対応は不要です。チェックしたファイルに指摘はありません。"
            )
        );
    }
    if let Some(first) = plan.first() {
        let what = first
            .fix
            .as_ref()
            .filter(|f| f.refused.is_none())
            .map_or(first.action.title(lang), |f| f.title.as_str());
        let _ = writeln!(
            m,
            "**{}** {} {} {} — {}\n",
            lang.pick("Do this first:", "最初に行うこと:"),
            rule_link(first, plan),
            code(&format!("{}:{}", first.path, first.line)),
            escape(&first.message),
            escape(what)
        );
    }
    if let Some((event, due)) = plan.next_deadline() {
        let mut ids: Vec<String> = Vec::new();
        for item in &due {
            let name = item.path.rsplit('/').next().unwrap_or(&item.path);
            ids.push(format!(
                "{} {}",
                rule_link(item, plan),
                code(&format!("{name}:{}", item.line))
            ));
        }
        let _ = writeln!(
            m,
            "**{}** {}: {}{}{}{}\n",
            lang.pick("Next deadline:", "次の期限:"),
            escape(&plan::relative(plan.as_of, event, lang)),
            escape(event.what(lang)),
            lang.pick(" (", "（"),
            tr!(
                lang,
                "{} {}: {}",
                "指摘 {} 件{}: {}",
                due.len(),
                lang.pick(plural(due.len(), "finding", "findings"), ""),
                ids.join(", ")
            ),
            lang.pick(")", "）")
        );
    } else if !plan.items.is_empty() {
        let _ = writeln!(
            m,
            "**{}** {}\n",
            lang.pick("Next deadline:", "次の期限:"),
            lang.pick(
                "none still to come: every dated finding is past its date.",
                "ありません。期限のある指摘はすべて期限を過ぎています。"
            )
        );
    }
    if !plan.items.is_empty() {
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|",
            lang.pick("Severity", "重大度"),
            lang.pick("Rule", "ルール"),
            lang.pick("Where", "場所"),
            lang.pick("Finding", "指摘"),
            lang.pick("Deadline", "期限"),
            lang.pick("To do", "対応")
        );
        for item in &plan.items {
            let deadline = match item.breaks_on {
                Some(e) => escape(&plan::relative(plan.as_of, e, lang)),
                None => lang.pick("now", "今すぐ").to_owned(),
            };
            let todo = match &item.fix {
                Some(f) if f.refused.is_none() => {
                    format!("{}: {}", escape(item.action.title(lang)), escape(&f.title))
                }
                _ => escape(item.action.title(lang)),
            };
            let _ = writeln!(
                m,
                "| {} | {} | {} | {} | {deadline} | {todo} |",
                severity_label(item.severity, lang),
                rule_link(item, plan),
                code(&format!("{}:{}", item.path, item.line)),
                escape(&item.message)
            );
        }
        m.push('\n');
    }
    for c in &plan.checklists {
        let _ = writeln!(
            m,
            "<details><summary>{}</summary>\n",
            escape(&tr!(lang, "Checklist: {}", "チェックリスト: {}", c.name))
        );
        let _ = writeln!(
            m,
            "| {} |\n|---|---|---|",
            plan::checklist_headings(lang).join(" | ")
        );
        for a in &c.answers {
            let mut how = a.basis.label(lang).to_owned();
            for p in &a.evidence {
                let _ = write!(
                    how,
                    "<br>{} {}",
                    code(&format!("{}:{}", p.path, p.line)),
                    escape(&p.message)
                );
            }
            if let Some((key, values)) = &a.declare {
                let _ = write!(
                    how,
                    "<br>{} {} ({})",
                    lang.pick("declare", "宣言:"),
                    code(&format!(
                        "plugins.{}.{key}",
                        crate::project::config::PLUGIN_KEY
                    )),
                    values
                        .iter()
                        .map(|v| code(v))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            let _ = writeln!(
                m,
                "| {} | {} | {how} |",
                escape(&a.question),
                escape(&a.answer)
            );
        }
        let _ = writeln!(m, "\n</details>\n");
    }
    for (path, message) in &plan.problems {
        let _ = writeln!(
            m,
            "- {} {}: {}",
            lang.pick("Not checked:", "チェックできませんでした:"),
            code(path),
            escape(message)
        );
    }
    if !plan.problems.is_empty() {
        m.push('\n');
    }
    let _ = writeln!(
        m,
        "<sub>{}</sub>",
        escape(&tr!(
            lang,
            "exchange-auth-lint {}. The full report with the timeline: check --format html -o report.html",
            "exchange-auth-lint {}。タイムライン付きの完全なレポート: check --format html -o report.html",
            env!("CARGO_PKG_VERSION")
        ))
    );
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(
            escape("**x** [y](z) @team #1"),
            "\\*\\*x\\*\\* \\[y\\](z) \\@team \\#1"
        );
        assert_eq!(escape("a\nb"), "a b");
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("x`y"), "``x`y``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("<b>"), "`<b>`");
        assert_eq!(
            escape("a\u{202e}b\u{2028}"),
            "a\\\\u\\{202e\\}b\\\\u\\{2028\\}"
        );
        assert_eq!(code("a\u{2066}b"), "`a\\u{2066}b`");
        assert_eq!(code("x/##vso[y]"), "x/\\#\\#vso\\[y\\]");
    }
}
