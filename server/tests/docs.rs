//! The rule reference in `docs/rules/` is generated from the rule registry.
//! This test fails when a committed page differs from what the registry
//! renders; `UPDATE_DOCS=1 cargo test --test docs` rewrites the pages.

use exchange_auth_lint::rules::docs::REFERENCE_DIR;
use exchange_auth_lint::rules::RULES;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(REFERENCE_DIR)
}

#[test]
fn docs_rules_reference_is_up_to_date() {
    let dir = reference_dir();
    let update = std::env::var_os("UPDATE_DOCS").is_some_and(|v| !v.is_empty() && v != "0");
    if update {
        std::fs::create_dir_all(&dir).expect("create docs/rules");
    }
    let mut stale = Vec::new();
    let mut expected_files = BTreeSet::new();
    for rule in RULES {
        let name = format!("{}.md", rule.id);
        let path = dir.join(&name);
        let want = rule.reference_markdown();
        expected_files.insert(name.clone());
        let have = std::fs::read_to_string(&path).ok();
        if have.as_deref() == Some(want.as_str()) {
            continue;
        }
        if update {
            std::fs::write(&path, &want).expect("write reference page");
        } else {
            stale.push(format!(
                "{}/{name} ({})",
                REFERENCE_DIR,
                if have.is_some() { "differs" } else { "missing" }
            ));
        }
    }
    // Pages of rules that no longer exist.
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && name != "README.md" && !expected_files.contains(&name) {
            if update {
                std::fs::remove_file(entry.path()).expect("remove stale page");
            } else {
                stale.push(format!("{REFERENCE_DIR}/{name} (no such rule)"));
            }
        }
    }
    let index = dir.join("README.md");
    let want = render_index();
    if std::fs::read_to_string(&index).ok().as_deref() != Some(want.as_str()) {
        if update {
            std::fs::write(&index, &want).expect("write index");
        } else {
            stale.push(format!("{REFERENCE_DIR}/README.md"));
        }
    }
    assert!(
        stale.is_empty(),
        "the rule reference is out of date:\n  {}\nRegenerate it with `UPDATE_DOCS=1 cargo test --test docs` and commit the result.",
        stale.join("\n  ")
    );
}

/// `docs/rules/README.md`: one row per rule, English and Japanese summary.
fn render_index() -> String {
    use exchange_auth_lint::i18n::Lang;
    let mut out = String::from(
        "<!-- Generated from the rule registry (server/src/rules/). Do not edit: run `UPDATE_DOCS=1 cargo test --test docs`. -->\n\n# Rules / ルール\n\n| id | name | default severity | fix | summary | 概要 |\n|---|---|---|---|---|---|\n",
    );
    for rule in RULES {
        out.push_str(&format!(
            "| [{id}]({id}.md) | {name} | {sev} | {fix} | {en} | {ja} |\n",
            id = rule.id,
            name = rule.name,
            sev = rule.severity_note(Lang::En),
            fix = if rule.fixable() { "yes" } else { "—" },
            en = rule.summary_for(Lang::En).replace('|', "\\|"),
            ja = rule.summary_for(Lang::Ja).replace('|', "\\|"),
        ));
    }
    out
}

#[test]
fn every_page_links_to_its_rule_id() {
    for rule in RULES {
        assert_eq!(rule.doc_path(), format!("{REFERENCE_DIR}/{}.md", rule.id));
        assert!(rule
            .reference_markdown()
            .starts_with("<!-- Generated from the rule registry"));
    }
}

fn run(args: &[&str], lang_env: Option<&str>) -> (i32, String, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_exchange-auth-lint"));
    cmd.args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    if let Some(l) = lang_env {
        cmd.env("LANG", l);
    }
    let out = cmd.output().expect("run exchange-auth-lint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

#[test]
fn explain_honours_lang_flag_and_locale() {
    let (code, en, _) = run(&["explain", "EXO001"], None);
    assert_eq!(code, 0);
    assert!(en.contains("## What it does") && en.contains("Default severity: error;"));
    assert!(!en.contains("## 概要"));

    let (code, ja, _) = run(&["explain", "exchange-basic-auth", "--lang", "ja"], None);
    assert_eq!(code, 0);
    assert!(ja.starts_with("# EXO001 exchange-basic-auth\n"));
    assert!(ja.contains("## 概要") && ja.contains("## 問題点") && ja.contains("## 修正"));
    assert!(ja.contains("既定の重大度: error。") && ja.contains("自動修正: あり。"));
    assert!(!ja.contains("## What it does") && !ja.contains("Default severity"));

    // The locale decides when --lang is absent; --lang wins over it.
    let (_, from_env, _) = run(&["explain", "AP001"], Some("ja_JP.UTF-8"));
    assert!(from_env.contains("## 概要") && from_env.contains("2026-04-02 以降は error"));
    let (_, forced, _) = run(&["explain", "AP001", "--lang", "en"], Some("ja_JP.UTF-8"));
    assert!(forced.contains("## What it does"));

    let (code, _, err) = run(&["explain", "NOPE1", "--lang", "ja"], None);
    assert_eq!(code, 2);
    assert!(err.contains("不明なルール ID `NOPE1`"), "{err}");
}

#[test]
fn rules_honours_lang() {
    let (code, ja, _) = run(&["rules", "--lang", "ja"], None);
    assert_eq!(code, 0);
    assert!(ja.contains("ログイン情報が Exchange Online にパスワード（基本認証）を送信しています"));
    let (_, json, _) = run(&["rules", "--json"], Some("ja_JP.UTF-8"));
    let list: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), RULES.len());
    assert!(list.iter().all(|r| r["summary"]
        .as_str()
        .is_some_and(|s| s.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)))));
    let (_, en, _) = run(&["rules"], Some("C.UTF-8"));
    assert!(en.contains("A credential sends a password (basic authentication) to Exchange Online"));
}
