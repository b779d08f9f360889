//! The real-shapes corpus (`fixtures/real-shapes/`, `docs/precision.md`):
//! full-org-shaped projects checked through the binary, each against the
//! exact findings and exit code (default `--fail-on error`) committed in
//! `fixtures/real-shapes/expected.json`, where every finding is judged a
//! true alarm. A new false alarm, a lost true finding or a project that
//! starts failing CI fails this test.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/real-shapes")
        .canonicalize()
        .expect("fixtures/real-shapes")
}

fn expected() -> Value {
    let text = std::fs::read_to_string(corpus().join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json is JSON")
}

fn lint(dir: &Path, args: &[&str]) -> Output {
    let as_of = expected()["asOf"].as_str().unwrap().to_owned();
    Command::new(env!("CARGO_BIN_EXE_exchange-auth-lint"))
        .arg("check")
        .args(args)
        .args(["--as-of", &as_of, "--path-base", "."])
        .current_dir(dir)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run exchange-auth-lint")
}

/// `RULE severity PREFIXpath:line:col` of one finding (of a report or of
/// expected.json).
fn line(f: &Value, prefix: &str) -> String {
    format!(
        "{} {} {prefix}{}:{}:{}",
        f["rule"].as_str().unwrap(),
        f["severity"].as_str().unwrap(),
        f["path"].as_str().unwrap(),
        f["line"],
        f["column"]
    )
}

/// [`line`] of each finding of a JSON report.
fn found(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| line(f, ""))
        .collect()
}

fn projects() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_project_reports_exactly_its_true_findings() {
    let expected = expected();
    let table = expected["projects"].as_object().unwrap();
    let names = projects();
    assert_eq!(
        names,
        table.keys().cloned().collect::<Vec<_>>(),
        "every corpus project has an entry in expected.json, and only those"
    );
    for name in &names {
        let want = &table[name.as_str()];
        let out = lint(&corpus().join(name), &[".", "--format", "json"]);
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{name}: not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let want_findings: Vec<String> = want["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                assert_eq!(
                    f["alarm"], "true",
                    "{name}: the corpus holds no accepted false alarm"
                );
                line(f, "")
            })
            .collect();
        assert_eq!(found(&report), want_findings, "{name}");
        assert_eq!(
            out.status.code(),
            want["exitCode"].as_i64().map(|c| c as i32),
            "{name}: exit code under the default --fail-on error"
        );
        assert_eq!(report["problems"], serde_json::json!([]), "{name}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{name}: stderr");
    }
}

#[test]
fn the_corpus_checked_at_once_equals_each_project_alone() {
    let out = lint(&corpus(), &[".", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut want = Vec::new();
    for (name, p) in expected()["projects"].as_object().unwrap() {
        for f in p["findings"].as_array().unwrap() {
            want.push(line(f, &format!("{name}/")));
        }
    }
    let mut got = found(&report);
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(out.status.code(), Some(1), "two projects fail CI");
}

/// The corpus is large enough to stand for a retrieve: hundreds of files,
/// most of which no rule reads.
#[test]
fn the_corpus_is_full_org_shaped() {
    fn count(dir: &Path) -> usize {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| {
                if e.file_type().unwrap().is_dir() {
                    count(&e.path())
                } else {
                    1
                }
            })
            .sum()
    }
    for name in projects() {
        let n = count(&corpus().join(&name));
        assert!(n >= 70, "{name}: {n} files");
    }
    assert!(corpus().join("mdapi-org/src/package.xml").is_file());
}

/// The one committed secret of the corpus (fake, shaped like an Entra
/// client secret) never appears in any output format, nor on stderr.
#[test]
fn the_corpus_secret_is_masked_in_every_format() {
    const SECRET: &str = "FkE8Q~FAKE.secret-for-tests_0nly.0000000";
    let dir = corpus().join("lightning-sync-org");
    let file =
        dir.join("force-app/main/default/authproviders/Entra_Calendar_Admin.authprovider-meta.xml");
    assert!(std::fs::read_to_string(file).unwrap().contains(SECRET));
    for format in [
        "human", "json", "sarif", "github", "junit", "gitlab", "azure", "html", "markdown",
    ] {
        let out = lint(&dir, &[".", "--format", format]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        for text in [&stdout, &stderr] {
            assert!(!text.contains(SECRET), "{format} prints the secret");
            assert!(!text.contains("FkE8Q~"), "{format} prints part of it");
        }
    }
    // Also in the diff a fix would make (it removes the element).
    let out = lint(&dir, &[".", "--diff"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("FkE8Q~"));
}
