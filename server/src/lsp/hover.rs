//! Hover: a short card on a flagged element (what is wrong, since or until
//! when, what to do, where the full documentation is), and the first line
//! of what a field means (with the Microsoft cloud and service of a URL's
//! host). The whole rule documentation stays in `explain` and the
//! reference pages; the hover never grows past [`MAX_LINES`].

use super::position::Encoding;
use super::state::Snapshot;
use crate::diagnostic::{Finding, Severity};
use crate::docs::{field_doc, is_url_field, url_doc};
use crate::hosts::UrlInfo;
use crate::i18n::Lang;
use crate::rules::docs::HEADINGS;
use crate::rules::{self, Rule};
use crate::timeline::AsOf;
use crate::tr;
use std::path::Path;
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

/// The most lines a hover has (every rule, every language; a test holds it).
pub const MAX_LINES: usize = 12;

/// The client command that opens a rule's full documentation (the VS Code
/// extension's "Explain Rule"); hover links to it for clients that list it
/// among their `experimental.commands`.
pub const EXPLAIN_COMMAND: &str = "exchangeAuthLint.explainRule";

/// The rules a hover names beside the first one's card, one line each.
const MAX_OTHER_RULES: usize = 2;

// A card (five lines), the other rules with "and N more", then a blank line
// and a line for the field, a blank line and a line for the URL.
const _: () = assert!(5 + MAX_OTHER_RULES + 1 + 2 + 2 <= MAX_LINES);

/// How long a one-line excerpt of the documentation may be, in characters.
const MAX_EXCERPT_CHARS: usize = 160;

/// What a card says about the fix: the finding's offers.
pub struct FixHint {
    /// The preferred offer's title (else the first one's).
    pub title: String,
    /// How many other fixes there are.
    pub more: usize,
}

/// What the card of one finding depends on.
pub struct CardFacts<'a> {
    pub rule: &'a Rule,
    /// The finding's severity (configuration included).
    pub severity: Severity,
    pub as_of: AsOf,
    pub lang: Lang,
    pub fix: Option<FixHint>,
    /// The client runs [`EXPLAIN_COMMAND`] from a link.
    pub command_links: bool,
}

/// The rule's reference page, at its Japanese half for `Lang::Ja`.
pub fn docs_url(rule: &Rule, lang: Lang) -> String {
    match lang {
        Lang::En => rule.doc_url(),
        Lang::Ja => format!("{}#ja", rule.doc_url()),
    }
}

/// A `command:` link that runs [`EXPLAIN_COMMAND`] with the rule id.
pub fn explain_link(rule: &Rule) -> String {
    // `["EXO001"]`, percent-encoded (rule ids are ASCII letters and digits).
    format!("command:{EXPLAIN_COMMAND}?%5B%22{}%22%5D", rule.id)
}

/// The card of one finding: five lines.
pub fn card(facts: &CardFacts) -> String {
    let CardFacts { rule, lang, .. } = *facts;
    let severity = severity_text(facts);
    let heading = format!("**{}** `{}` · {severity}", rule.id, rule.name);
    let problem = tr!(
        lang,
        "- **Problem:** {}",
        "- **問題:** {}",
        rule.summary_for(lang)
    );
    let when = format!("- {}", when_line(rule, facts.as_of, lang));
    let todo = match &facts.fix {
        Some(FixHint { title, more: 0 }) => tr!(
            lang,
            "- **To do:** {} (quick fix)",
            "- **対処:** {}（クイックフィックス）",
            title
        ),
        Some(FixHint { title, more }) => tr!(
            lang,
            "- **To do:** {} (quick fix; {} more)",
            "- **対処:** {}（クイックフィックス、ほか {} 件）",
            title,
            more
        ),
        None => tr!(
            lang,
            "- **To do:** {}",
            "- **対処:** {}",
            fix_excerpt(rule, lang)
        ),
    };
    format!("{heading}\n{problem}\n{when}\n{todo}\n{}", docs_line(facts))
}

fn severity_text(facts: &CardFacts) -> String {
    let (rule, lang) = (facts.rule, facts.lang);
    let now = facts.severity.to_string();
    // The dated upgrade still ahead, when the configuration left the
    // rule's own severity in place.
    match rule.escalation {
        Some((event, to))
            if !facts.as_of.reached(event)
                && facts.severity == rule.severity(facts.as_of)
                && to != facts.severity =>
        {
            match lang {
                Lang::En => format!("{now} ({to} from {})", event.date),
                Lang::Ja => format!("{now}（{} 以降は {to}）", event.date),
            }
        }
        _ => now,
    }
}

/// Since or until when, in the tense of the as-of date.
fn when_line(rule: &Rule, as_of: AsOf, lang: Lang) -> String {
    match rule.breaks_on {
        Some(event) if as_of.reached(event) => tr!(
            lang,
            "**Since {}:** {}",
            "**{}から:** {}",
            event.when(lang),
            event.what(lang)
        ),
        Some(event) => tr!(
            lang,
            "**From {}:** {}",
            "**{}以降:** {}",
            event.when(lang),
            event.what(lang)
        ),
        None => tr!(
            lang,
            "**When:** now, whatever the date",
            "**時期:** 日付に関係なく、今すぐ"
        ),
    }
}

fn docs_line(facts: &CardFacts) -> String {
    let (rule, lang) = (facts.rule, facts.lang);
    let url = docs_url(rule, lang);
    if facts.command_links {
        tr!(
            lang,
            "- [Full documentation of {}]({}) · [online]({})",
            "- [{} の詳しい説明]({}) · [Web 版]({})",
            rule.id,
            explain_link(rule),
            url
        )
    } else {
        tr!(
            lang,
            "- **Full documentation:** <{}>",
            "- **詳しい説明:** <{}>",
            url
        )
    }
}

/// The first sentence of the rule's "Fix" section, on one line.
fn fix_excerpt(rule: &Rule, lang: Lang) -> String {
    let doc = rule.doc_for(lang);
    let heading = lang.pick(HEADINGS[3].0, HEADINGS[3].1);
    let section = doc
        .split_once(&format!("{heading}\n"))
        .map_or("", |(_, rest)| rest);
    let paragraph = section
        .trim_start()
        .split("\n\n")
        .next()
        .unwrap_or("")
        .trim_start_matches("- ");
    let joined = paragraph
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(lang.pick(" ", ""));
    // Sentences until the line says something (a bare "None." does not).
    let end = |from: usize| match lang {
        Lang::En => joined[from..].find(". ").map(|i| from + i + 1),
        Lang::Ja => joined[from..]
            .find('。')
            .map(|i| from + i + '。'.len_utf8()),
    };
    let enough = lang.pick(60, 30);
    let mut cut = 0;
    while cut < joined.len() && joined[..cut].chars().count() < enough {
        cut = end(cut).unwrap_or(joined.len());
    }
    let sentence = joined[..cut].trim();
    shorten(sentence.replace("**", ""), MAX_EXCERPT_CHARS)
}

/// `text` cut to `max` characters (at a space when there is one) with `…`.
fn shorten(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    // An unbalanced backtick would swallow the rest of the card.
    let mut out = cut.trim_end().to_owned();
    if out.matches('`').count() % 2 == 1 {
        out.push('`');
    }
    out.push('…');
    out
}

/// The first paragraph of a field's or URL's documentation, on one line.
fn first_paragraph(doc: &str) -> String {
    doc.split("\n\n")
        .next()
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The card's fix line for `finding`: its offers' titles (cheap: no edits).
fn fix_hint(snapshot: &Snapshot, finding: &Finding) -> Option<FixHint> {
    let offers = snapshot.analysis.offers(finding);
    let first = offers.iter().find(|o| o.preferred).or(offers.first())?;
    Some(FixHint {
        title: first.title.clone(),
        more: offers.len() - 1,
    })
}

pub fn hover(
    snapshot: &Snapshot,
    path: &Path,
    pos: Position,
    enc: Encoding,
    lang: Lang,
    command_links: bool,
) -> Option<Hover> {
    let analysis = &snapshot.analysis;
    let (file_id, file) = analysis.file(path)?;
    let offset = enc.offset_in(&file.lines, &file.text, pos);
    let mut sections: Vec<String> = Vec::new();
    let mut range = None;
    let mut shown: Vec<&str> = Vec::new();
    let mut findings: Vec<&Finding> = analysis.findings_at(file_id, offset).collect();
    // The most severe first (a stable sort keeps the rules' order).
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let mut others = Vec::new();
    for f in findings {
        if shown.contains(&f.rule) {
            continue;
        }
        let Some(rule) = rules::by_id(f.rule) else {
            continue;
        };
        shown.push(f.rule);
        if range.is_none() {
            range = Some(f.range.clone());
            sections.push(card(&CardFacts {
                rule,
                severity: f.severity,
                as_of: analysis.options().as_of,
                lang,
                fix: fix_hint(snapshot, f),
                command_links,
            }));
        } else {
            others.push(rule);
        }
    }
    if !others.is_empty() {
        let mut lines: Vec<String> = others
            .iter()
            .take(MAX_OTHER_RULES)
            .map(|rule| {
                format!(
                    "- **{}** {} ([…]({}))",
                    rule.id,
                    rule.summary_for(lang),
                    docs_url(rule, lang)
                )
            })
            .collect();
        if others.len() > MAX_OTHER_RULES {
            let rest = others.len() - MAX_OTHER_RULES;
            lines.push(tr!(
                lang,
                "- and {} more rules",
                "- ほか {} 件のルール",
                rest
            ));
        }
        // Right under the card's list.
        if let Some(card) = sections.last_mut() {
            card.push('\n');
            card.push_str(&lines.join("\n"));
        }
    }
    if let Some(tree) = file.tree() {
        let text = &file.text;
        let inner = tree
            .elements()
            .filter(|(_, e)| e.start_tag.start <= offset && offset <= e.range().end)
            .max_by_key(|(_, e)| e.depth);
        if let Some((id, element)) = inner {
            let name = tree.local_name(text, id);
            if let Some(doc) = field_doc(file.kind, name, lang) {
                sections.push(first_paragraph(doc));
                range.get_or_insert(element.range());
            }
            let url_param = name.eq_ignore_ascii_case("parameterValue")
                && element.parent.is_some_and(|p| {
                    tree.child_named(text, p, "parameterType")
                        .and_then(|t| tree.value(text, t))
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case("Url"))
                });
            if is_url_field(file.kind, name) || url_param {
                if let Some(info) = tree.value(text, id).and_then(|v| UrlInfo::parse(&v)) {
                    sections.push(first_paragraph(&url_doc(&info, lang)));
                    range.get_or_insert(element.range());
                }
            }
        }
    }
    if sections.is_empty() {
        return None;
    }
    let value = sections.join("\n\n");
    // By construction: a card of five lines, up to three more for the other
    // rules, and a line each (after a blank one) for the field and the URL.
    debug_assert!(value.lines().count() <= MAX_LINES, "{value}");
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: range.map(|r| enc.range(&file.lines, &file.text, r)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline;

    fn all_cards(rule: &Rule, lang: Lang, as_of: AsOf) -> Vec<String> {
        let fixes = [
            None,
            Some(FixHint {
                title: "A title as long as the longest fix title of any rule in the registry, which is long".into(),
                more: 3,
            }),
        ];
        let mut out = Vec::new();
        for fix in fixes {
            for command_links in [false, true] {
                out.push(card(&CardFacts {
                    rule,
                    severity: rule.severity(as_of),
                    as_of,
                    lang,
                    fix: fix.as_ref().map(|f| FixHint {
                        title: f.title.clone(),
                        more: f.more,
                    }),
                    command_links,
                }));
            }
        }
        out
    }

    /// Every rule's card, in both languages, on every date of the
    /// timeline, with and without a fix and command links: five lines, each
    /// the one thing it names (the rest of the hover's bound is a constant
    /// assertion above).
    #[test]
    fn every_card_is_five_lines() {
        let dates = timeline::ALL
            .iter()
            .map(|e| AsOf(e.date))
            .chain([AsOf(jiff::civil::date(2020, 1, 1))]);
        for as_of in dates {
            for rule in rules::RULES {
                for lang in [Lang::En, Lang::Ja] {
                    for card in all_cards(rule, lang, as_of) {
                        let lines: Vec<&str> = card.lines().collect();
                        assert_eq!(lines.len(), 5, "{}: {card}", rule.id);
                        assert!(lines.iter().all(|l| !l.trim().is_empty()), "{card}");
                        assert!(lines[0].starts_with(&format!("**{}**", rule.id)));
                        assert!(lines[4].contains(&rule.doc_url()), "{card}");
                        // The to-do line is one sentence, never empty.
                        let todo = lines[3].split_once(":** ").unwrap().1;
                        assert!(todo.chars().count() > 10, "{}: {card}", rule.id);
                    }
                }
            }
        }
    }

    /// The real hover at the start, middle and end of every finding of
    /// every fixture, in both languages, with and without command links:
    /// at most [`MAX_LINES`] lines, a card for every rule that reports.
    #[test]
    fn every_hover_on_every_fixture_fits_in_twelve_lines() {
        use crate::lsp::state::ProjectRecord;
        use crate::workspace::Member;
        let fixtures = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        let mut carded = std::collections::BTreeSet::new();
        let mut roots: Vec<_> = std::fs::read_dir(&fixtures)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        roots.sort();
        for root in roots {
            let root = root.canonicalize().unwrap();
            let (mut member, mut record) = (Member::around(&root), ProjectRecord::default());
            for lang in [Lang::En, Lang::Ja] {
                let options = crate::check::CheckOptions {
                    lang,
                    ..Default::default()
                };
                let snapshot = record.snapshot(&mut member, &[], &options);
                let analysis = &snapshot.analysis;
                for f in analysis.findings() {
                    let file = &analysis.project().files[f.file];
                    let mid = crate::text::floor_char_boundary(
                        &file.text,
                        (f.range.start + f.range.end) / 2,
                    );
                    for at in [f.range.start, mid, f.range.end] {
                        let pos = Encoding::Utf16.position(&file.lines, &file.text, at);
                        for links in [false, true] {
                            let hover =
                                hover(&snapshot, &file.path, pos, Encoding::Utf16, lang, links)
                                    .unwrap();
                            let HoverContents::Markup(m) = hover.contents else {
                                panic!()
                            };
                            let n = m.value.lines().count();
                            assert!(
                                n <= MAX_LINES,
                                "{} lines at {}:{at}:\n{}",
                                n,
                                file.path.display(),
                                m.value
                            );
                            assert!(
                                m.value.contains("**Problem:**") || m.value.contains("**問題:**")
                            );
                            carded.insert(f.rule);
                        }
                    }
                }
            }
        }
        let missing: Vec<_> = rules::RULES
            .iter()
            .map(|r| r.id)
            .filter(|id| !carded.contains(id))
            .collect();
        assert!(missing.is_empty(), "no fixture hovers {missing:?}");
    }

    #[test]
    fn tense_and_escalation_follow_the_as_of_date() {
        let exo002 = rules::by_id("EXO002").unwrap();
        let card_on = |date, lang| {
            let as_of = AsOf(date);
            card(&CardFacts {
                rule: exo002,
                severity: exo002.severity(as_of),
                as_of,
                lang,
                fix: None,
                command_links: false,
            })
        };
        let before = card_on(jiff::civil::date(2026, 9, 30), Lang::En);
        let after = card_on(jiff::civil::date(2027, 4, 1), Lang::En);
        let lines = |s: &str| s.lines().map(str::to_owned).collect::<Vec<_>>();
        let when = exo002.breaks_on.unwrap();
        assert_eq!(
            lines(&before)[2],
            format!("- **From {}:** {}", when.when_en, when.what_en)
        );
        assert_eq!(
            lines(&after)[2],
            format!("- **Since {}:** {}", when.when_en, when.what_en)
        );
        let ja = card_on(jiff::civil::date(2027, 4, 1), Lang::Ja);
        assert_eq!(
            lines(&ja)[2],
            format!("- **{}から:** {}", when.when_ja, when.what_ja)
        );
        assert_eq!(
            lines(&ja)[4],
            format!("- **詳しい説明:** <{}#ja>", exo002.doc_url())
        );
        if let Some((event, to)) = exo002.escalation {
            let early = card_on(event.date.yesterday().unwrap(), Lang::En);
            assert!(
                lines(&early)[0].ends_with(&format!("({to} from {})", event.date)),
                "{early}"
            );
            let late = card_on(event.date, Lang::En);
            assert!(lines(&late)[0].ends_with(&format!("· {to}")), "{late}");
        }
    }

    #[test]
    fn command_links_run_explain_with_the_rule_id() {
        let rule = rules::by_id("SEC001").unwrap();
        let as_of = AsOf(jiff::civil::date(2026, 12, 2));
        let c = card(&CardFacts {
            rule,
            severity: rule.severity(as_of),
            as_of,
            lang: Lang::En,
            fix: Some(FixHint {
                title: "Remove the secret".into(),
                more: 0,
            }),
            command_links: true,
        });
        let lines: Vec<&str> = c.lines().collect();
        assert_eq!(lines[1], format!("- **Problem:** {}", rule.summary));
        assert_eq!(lines[2], "- **When:** now, whatever the date");
        assert_eq!(lines[3], "- **To do:** Remove the secret (quick fix)");
        assert_eq!(
            lines[4],
            format!(
                "- [Full documentation of SEC001](command:exchangeAuthLint.explainRule?%5B%22SEC001%22%5D) · [online]({})",
                rule.doc_url()
            )
        );
    }

    #[test]
    fn fix_excerpts_say_something_on_one_line() {
        let xml001 = rules::by_id("XML001").unwrap();
        assert_eq!(
            fix_excerpt(xml001, Lang::En),
            "None: the intended content is unknown. Fix the file by hand; files with this finding are never rewritten by other fixes."
        );
        let sup001 = rules::by_id("SUP001").unwrap();
        assert_eq!(
            fix_excerpt(sup001, Lang::En),
            "None yet: delete the comment or the id."
        );
        assert!(fix_excerpt(sup001, Lang::Ja).ends_with('。'));
        assert_eq!(
            shorten("a `b c` d".repeat(40), 20).matches('`').count() % 2,
            0
        );
    }
}
