//! Rule documentation in every language, and the generated reference pages
//! (`docs/rules/<ID>.md`).
//!
//! English lives with each rule (`Rule::summary`, `Rule::doc`); Japanese
//! lives here, one Markdown file per rule in `docs/ja/`, registered by id
//! in [`JAPANESE`]. The Japanese documents keep the English structure with
//! Japanese headings (see [`HEADINGS`]).

use super::rule::Rule;
use crate::i18n::Lang;

/// The section headings every rule document has, in order, per language.
pub const HEADINGS: [(&str, &str); 4] = [
    ("## What it does", "## 概要"),
    ("## Why is this bad?", "## 問題点"),
    ("## Example", "## 例"),
    ("## Fix", "## 修正"),
];

/// Where the reference pages live, relative to the repository root.
pub const REFERENCE_DIR: &str = "docs/rules";

struct Japanese {
    id: &'static str,
    summary: &'static str,
    doc: &'static str,
}

macro_rules! japanese {
    ($($id:literal: $summary:literal;)*) => {
        &[$(Japanese {
            id: $id,
            summary: $summary,
            doc: include_str!(concat!("docs/ja/", $id, ".md")),
        }),*]
    };
}

static JAPANESE: &[Japanese] = japanese! {
    "LS001": "Lightning Sync がサービスアカウントのパスワードで Exchange Online に接続しています";
    "LS002": "Lightning Sync が有効ですが、Exchange の場所と接続方法がプロジェクトに記載されていません";
    "LS003": "Lightning Sync が OAuth 2.0 で Exchange Online に接続していますが、通信は今も EWS です";
    "LS004": "オンプレミス Exchange との Lightning Sync: 基本認証停止の影響はありませんが、廃止が予定されています";
    "EAC001": "Einstein 活動キャプチャが Exchange Online へのサービスアカウント OAuth を使っていると通知されています";
    "EXO001": "ログイン情報が Exchange Online にパスワード（基本認証）を送信しています";
    "EXO002": "URL が Exchange Online の Exchange Web Services を指しています（EWS は停止予定）";
    "SEC001": "シークレットの値がメタデータにコミットされています";
    "SEC002": "Microsoft のホストに対するリモートサイトの設定が HTTP を許可しています";
    "SEC003": "シークレットの欄に、推測しやすい認証情報としてデプロイされるよく知られた初期値があります";
    "AP001": "認証プロバイダーが廃止済みの Azure ACS（MicrosoftACS）を使っています";
    "FIX001": "修正が書き込んだプレースホルダー（TENANT-ID-OR-DOMAIN、ENTRA-APPLICATION-CLIENT-ID）がメタデータに残っています";
    "XML001": "メタデータファイルが整形式の XML でないか、UTF-8 ではありません";
    "SUP001": "何も抑制していない抑制コメントがあります";
};

fn japanese(id: &str) -> Option<&'static Japanese> {
    JAPANESE.iter().find(|j| j.id == id)
}

impl Rule {
    /// The rule's Markdown documentation in `lang` (English when a
    /// translation is missing, which the tests forbid).
    pub fn doc_for(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.doc,
            Lang::Ja => japanese(self.id).map_or(self.doc, |j| j.doc),
        }
    }

    /// The rule's one-line summary in `lang`.
    pub fn summary_for(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.summary,
            Lang::Ja => japanese(self.id).map_or(self.summary, |j| j.summary),
        }
    }

    /// The reference page, relative to the repository root
    /// (`docs/rules/EXO001.md`).
    pub fn doc_path(&self) -> String {
        format!("{REFERENCE_DIR}/{}.md", self.id)
    }

    /// A link to the reference page for editors (`codeDescription.href`)
    /// and SARIF (`helpUri`): the package's `repository` URL (Cargo.toml),
    /// else [`DEFAULT_REPOSITORY`], followed by the page's path on the
    /// default branch.
    pub fn doc_url(&self) -> String {
        doc_url_in(env!("CARGO_PKG_REPOSITORY"), self)
    }

    /// The default severity and its date-driven upgrade, e.g.
    /// `warning (error from 2026-04-02)`.
    pub fn severity_note(&self, lang: Lang) -> String {
        match (self.escalation, lang) {
            (Some((event, to)), Lang::En) => {
                format!("{} ({to} from {})", self.default_severity, event.date)
            }
            (Some((event, to)), Lang::Ja) => {
                format!("{}（{} 以降は {to}）", self.default_severity, event.date)
            }
            (None, _) => self.default_severity.to_string(),
        }
    }

    /// The generated reference page: the English documentation, then the
    /// Japanese one. `docs/rules/<ID>.md` must equal this (a test checks).
    pub fn reference_markdown(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "<!-- Generated from the rule registry (server/src/rules/). Do not edit: run `UPDATE_DOCS=1 cargo test --test docs`. -->\n\n",
        );
        for lang in [Lang::En, Lang::Ja] {
            let (title, other, severity, fix, yes_no) = match lang {
                Lang::En => (
                    format!("# {} {}", self.id, self.name),
                    "[日本語](#ja)",
                    "Default severity",
                    "Fix available",
                    if self.fixable() { "yes" } else { "no" },
                ),
                Lang::Ja => (
                    format!("<a id=\"ja\"></a>\n\n# {} {}（日本語）", self.id, self.name),
                    "[English](#top)",
                    "既定の重大度",
                    "自動修正",
                    if self.fixable() { "あり" } else { "なし" },
                ),
            };
            if lang == Lang::En {
                out.push_str("<a id=\"top\"></a>\n\n");
            } else {
                out.push_str("\n---\n\n");
            }
            out.push_str(&title);
            out.push_str("\n\n");
            out.push_str(other);
            out.push_str("\n\n");
            out.push_str(self.summary_for(lang));
            out.push_str("\n\n");
            out.push_str(&format!(
                "| | |\n|---|---|\n| {severity} | {} |\n| {fix} | {yes_no} |\n\n",
                self.severity_note(lang)
            ));
            out.push_str(self.doc_for(lang).trim_end());
            out.push('\n');
        }
        out
    }
}

/// The repository the reference pages are published from, while the
/// package does not name one.
pub const DEFAULT_REPOSITORY: &str = "https://github.com/exchange-auth-lint/exchange-auth-lint";

fn doc_url_in(repository: &str, rule: &Rule) -> String {
    let repository = repository.trim().trim_end_matches('/');
    let repository = repository.strip_suffix(".git").unwrap_or(repository);
    let repository = if repository.is_empty() {
        DEFAULT_REPOSITORY
    } else {
        repository
    };
    format!("{repository}/blob/main/{}", rule.doc_path())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{by_id, RULES};

    #[test]
    fn every_rule_has_a_japanese_doc_and_summary() {
        for rule in RULES {
            let ja = japanese(rule.id).unwrap_or_else(|| panic!("{}: no Japanese doc", rule.id));
            assert!(!ja.summary.trim().is_empty(), "{}", rule.id);
            assert_ne!(ja.summary, rule.summary, "{}", rule.id);
            assert_eq!(rule.doc_for(Lang::Ja), ja.doc);
            assert_eq!(rule.summary_for(Lang::Ja), ja.summary);
            assert_eq!(rule.doc_for(Lang::En), rule.doc);
            assert_eq!(rule.summary_for(Lang::En), rule.summary);
        }
        // And nothing registered for a rule that does not exist.
        for ja in JAPANESE {
            assert!(by_id(ja.id).is_some_and(|r| r.id == ja.id), "{}", ja.id);
        }
        assert_eq!(JAPANESE.len(), RULES.len());
    }

    /// Both languages have the same sections in the same order, with the
    /// same number of code examples, and the Japanese text keeps the
    /// English text's dates and sources.
    #[test]
    fn japanese_docs_mirror_the_english_structure() {
        for rule in RULES {
            let (en, ja) = (rule.doc_for(Lang::En), rule.doc_for(Lang::Ja));
            let mut last = (0, 0);
            for (h_en, h_ja) in HEADINGS {
                let at_en = en
                    .find(&format!("{h_en}\n"))
                    .unwrap_or_else(|| panic!("{}: no {h_en}", rule.id));
                let at_ja = ja
                    .find(&format!("{h_ja}\n"))
                    .unwrap_or_else(|| panic!("{}: no {h_ja}", rule.id));
                assert!(at_en >= last.0 && at_ja >= last.1, "{}: order", rule.id);
                last = (at_en, at_ja);
            }
            let headings = |s: &str| s.lines().filter(|l| l.starts_with('#')).count();
            assert_eq!(headings(en), headings(ja), "{}: headings", rule.id);
            assert_eq!(
                en.matches("```").count(),
                ja.matches("```").count(),
                "{}: code blocks",
                rule.id
            );
            for token in tokens_to_keep(en) {
                assert!(ja.contains(&token), "{}: Japanese lacks `{token}`", rule.id);
            }
        }
    }

    /// ISO dates, Microsoft message-center ids, knowledge-article numbers,
    /// Salesforce Help page ids, and rule-relevant XML values.
    fn tokens_to_keep(en: &str) -> Vec<String> {
        let mut out = Vec::new();
        for word in en.split(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c))) {
            let word = word.trim_end_matches('.');
            let is_date = word.len() == 10
                && word.as_bytes()[4] == b'-'
                && word.as_bytes()[7] == b'-'
                && word.bytes().filter(u8::is_ascii_digit).count() == 8;
            let is_source = (word.starts_with("MC")
                && word[2..].bytes().all(|b| b.is_ascii_digit())
                && word.len() > 4)
                || (word.len() >= 7 && word.bytes().all(|b| b.is_ascii_digit()))
                || word.starts_with("sales.");
            if is_date || is_source {
                out.push(word.to_owned());
            }
        }
        out
    }

    #[test]
    fn token_extraction() {
        let t = tokens_to_keep(
            "on 2022-10-01 (MC424238, KB 002420794, `sales.eac_graph_migration`); MCP 2027.",
        );
        assert_eq!(
            t,
            [
                "2022-10-01",
                "MC424238",
                "002420794",
                "sales.eac_graph_migration"
            ]
        );
    }

    #[test]
    fn japanese_summaries_are_one_line() {
        for ja in JAPANESE {
            assert!(!ja.summary.contains('\n'), "{}", ja.id);
        }
    }

    #[test]
    fn severity_notes() {
        let ap = by_id("AP001").unwrap();
        assert_eq!(
            ap.severity_note(Lang::En),
            "warning (error from 2026-04-02)"
        );
        assert_eq!(
            ap.severity_note(Lang::Ja),
            "warning（2026-04-02 以降は error）"
        );
        assert_eq!(by_id("SEC001").unwrap().severity_note(Lang::Ja), "error");
    }

    #[test]
    fn doc_links() {
        let rule = by_id("EXO001").unwrap();
        assert_eq!(rule.doc_path(), "docs/rules/EXO001.md");
        assert_eq!(
            doc_url_in("", rule),
            format!("{DEFAULT_REPOSITORY}/blob/main/docs/rules/EXO001.md")
        );
        assert_eq!(
            doc_url_in("https://github.com/example/exchange-auth-lint.git", rule),
            "https://github.com/example/exchange-auth-lint/blob/main/docs/rules/EXO001.md"
        );
        assert_eq!(
            doc_url_in("https://github.com/example/exchange-auth-lint/", rule),
            "https://github.com/example/exchange-auth-lint/blob/main/docs/rules/EXO001.md"
        );
        // Every rule's link ends in its committed reference page.
        for rule in crate::rules::RULES {
            assert!(rule.doc_url().ends_with(&format!("/{}", rule.doc_path())));
        }
    }

    #[test]
    fn reference_has_both_languages() {
        for rule in RULES {
            let page = rule.reference_markdown();
            let en_at = page.find(rule.doc.trim_end()).expect("English doc");
            let ja_at = page
                .find(rule.doc_for(Lang::Ja).trim_end())
                .expect("Japanese doc");
            assert!(en_at < ja_at, "{}", rule.id);
            assert!(page.contains(rule.summary) && page.contains(rule.summary_for(Lang::Ja)));
            assert!(page.ends_with('\n') && !page.ends_with("\n\n"));
        }
    }
}
