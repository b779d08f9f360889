//! End-to-end tests of `check`'s output formats, run against the built
//! binary: snapshots of every format on `fixtures/demo-org`, SARIF checked
//! against the official SARIF 2.1.0 JSON schema, JUnit parsed as XML, no
//! secret in any output, colour only when asked.
//!
//! Snapshots live in `tests/snapshots/`. On a mismatch the test fails (and,
//! outside CI, insta writes a `.snap.new` to review with `cargo insta
//! review`); with `CI=true` or `INSTA_UPDATE=no` nothing is written.

use exchange_auth_lint::check::{check, CheckOptions};
use exchange_auth_lint::i18n::Lang;
use exchange_auth_lint::project::{find_root, LoadOptions, Project};
use exchange_auth_lint::report::{self, sarif, Format, ProjectReport, Report};
use exchange_auth_lint::rules::RULES;
use exchange_auth_lint::timeline::AsOf;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

mod support;
use support::copy_dir;

const BIN: &str = env!("CARGO_BIN_EXE_exchange-auth-lint");
const AS_OF: &str = "2026-11-24";
/// The password committed in `fixtures/demo-org`.
const DEMO_SECRET: &str = "Winter2021!";
/// The password of the project made by [`odd_project`].
const ODD_SECRET: &str = "Autumn#2025";
const FORMATS: [&str; 9] = [
    "human", "json", "sarif", "github", "junit", "html", "markdown", "gitlab", "azure",
];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("repository root")
}

fn demo_root() -> PathBuf {
    repo_root().join("fixtures/demo-org")
}

/// Runs `exchange-auth-lint check <args> --as-of … --lang en` from `cwd`.
fn lint_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    lint_lang(cwd, args, env, "en")
}

/// Same, in `lang`.
fn lint_lang(cwd: &Path, args: &[&str], env: &[(&str, &str)], lang: &str) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(cwd)
        .arg("check")
        .args(args)
        .args(["--as-of", AS_OF, "--lang", lang])
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run exchange-auth-lint")
}

/// `check fixtures/demo-org --format <format>` from the repository root.
fn demo(format: &str) -> Output {
    lint_in(
        &repo_root(),
        &["fixtures/demo-org", "--format", format],
        &[],
    )
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Replaces what differs between runs and machines: the timing in the
/// human summary ("(3 ms)") and the repository's absolute `file:` URI.
fn normalize(text: &str) -> String {
    let repo_uri = sarif::folder_uri(&repo_root());
    let text = text.replace(&repo_uri, "file:///[REPO]/");
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        match body
            .strip_suffix(" ms)")
            .and_then(|b| b.rfind('(').map(|i| (b, i)))
        {
            Some((b, i)) if b.len() > i + 1 && b[i + 1..].bytes().all(|c| c.is_ascii_digit()) => {
                out.push_str(&b[..=i]);
                out.push_str("[TIME] ms)");
                out.push_str(ending);
            }
            _ => out.push_str(line),
        }
    }
    out
}

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(repo_root().join("tests/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

fn assert_demo_snapshot(format: &str) {
    assert_demo_snapshot_in(format, "en", &format!("demo-org.{format}"));
}

fn assert_demo_snapshot_in(format: &str, lang: &str, name: &str) {
    let out = lint_lang(
        &repo_root(),
        &["fixtures/demo-org", "--format", format],
        &[],
        lang,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "errors in the demo org exit 1; stderr: {}",
        stderr(&out)
    );
    assert_eq!(stderr(&out), "", "nothing on stderr for {format}");
    let text = normalize(&stdout(&out));
    snapshot_settings().bind(|| insta::assert_snapshot!(name.to_owned(), text));
}

#[test]
fn snapshot_human() {
    assert_demo_snapshot("human");
}

#[test]
fn snapshot_json() {
    assert_demo_snapshot("json");
}

#[test]
fn snapshot_sarif() {
    assert_demo_snapshot("sarif");
}

#[test]
fn snapshot_github() {
    assert_demo_snapshot("github");
}

#[test]
fn snapshot_junit() {
    assert_demo_snapshot("junit");
}

#[test]
fn snapshot_gitlab() {
    assert_demo_snapshot("gitlab");
}

#[test]
fn snapshot_azure() {
    assert_demo_snapshot("azure");
}

#[test]
fn snapshot_html() {
    assert_demo_snapshot("html");
}

#[test]
fn snapshot_html_ja() {
    assert_demo_snapshot_in("html", "ja", "demo-org.ja.html");
}

#[test]
fn snapshot_markdown() {
    assert_demo_snapshot("markdown");
}

#[test]
fn snapshot_markdown_ja() {
    assert_demo_snapshot_in("markdown", "ja", "demo-org.ja.markdown");
}

#[test]
fn normalize_only_touches_timing_and_root() {
    assert_eq!(
        normalize("1 error in 2 files (13 ms)\nkeep (x ms)\n(ms)\n"),
        "1 error in 2 files ([TIME] ms)\nkeep (x ms)\n(ms)\n"
    );
}

// ---------------------------------------------------------------------------
// SARIF and the official schema

fn schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json")
}

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(schema_path()).expect("read the SARIF schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles offline")
}

/// Every schema violation of `doc`, as "path: message" lines.
fn violations(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect()
}

/// Fails with every schema violation of `doc`.
fn assert_valid_sarif(doc: &Value) {
    let errors = violations(&sarif_validator(), doc);
    assert!(
        errors.is_empty(),
        "schema violations:\n{}",
        errors.join("\n")
    );
}

fn demo_sarif() -> Value {
    let out = demo("sarif");
    serde_json::from_str(&stdout(&out)).expect("SARIF output is JSON")
}

#[test]
fn sarif_schema_copy_matches_its_package() {
    let copy = std::fs::read(schema_path()).expect("read the SARIF schema");
    let schema: Value = serde_json::from_slice(&copy).unwrap();
    assert_eq!(
        schema["$id"],
        "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
    );
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["properties"]["version"]["enum"][0], "2.1.0");
    // Compare with the package it was copied from when Cargo has it.
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    let Some(src) = cargo_home.map(|h| h.join("registry/src")) else {
        return;
    };
    let mut compared = 0;
    for registry in std::fs::read_dir(&src).into_iter().flatten().flatten() {
        let original = registry.path().join("serde-sarif-0.8.0/src/schema.json");
        if let Ok(bytes) = std::fs::read(&original) {
            assert!(
                bytes == copy,
                "{} differs from {}",
                schema_path().display(),
                original.display()
            );
            compared += 1;
        }
    }
    if compared == 0 {
        eprintln!(
            "serde-sarif 0.8.0 is not in the Cargo registry; compared the pinned fields only"
        );
    }
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let validator = sarif_validator();
    let doc = demo_sarif();
    let errors = violations(&validator, &doc);
    assert!(
        errors.is_empty(),
        "schema violations:\n{}",
        errors.join("\n")
    );
}

#[test]
fn schema_validation_rejects_broken_sarif() {
    let validator = sarif_validator();
    let good = demo_sarif();
    assert!(validator.is_valid(&good));
    type Breakage = fn(&mut Value);
    let breakages: [(&str, Breakage); 6] = [
        ("no version", |d| {
            d.as_object_mut().unwrap().remove("version");
        }),
        ("wrong version", |d| d["version"] = "2.0.0".into()),
        ("unknown level", |d| {
            d["runs"][0]["results"][0]["level"] = "fatal".into();
        }),
        ("line 0", |d| {
            d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
                0.into();
        }),
        ("message without text", |d| {
            d["runs"][0]["results"][0]["message"] = serde_json::json!({});
        }),
        ("unknown property on a result", |d| {
            d["runs"][0]["results"][0]["severity"] = "error".into();
        }),
    ];
    for (what, break_it) in breakages {
        let mut bad = good.clone();
        break_it(&mut bad);
        assert_ne!(bad, good, "{what}: the breakage changed nothing");
        assert!(
            !validator.is_valid(&bad),
            "{what}: a broken document passed validation"
        );
    }
}

#[test]
fn sarif_describes_rules_results_and_roots() {
    let doc = demo_sarif();
    let run = &doc["runs"][0];
    assert_eq!(doc["runs"].as_array().unwrap().len(), 1);
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "exchange-auth-lint");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), RULES.len());
    for (descriptor, rule) in rules.iter().zip(RULES) {
        assert_eq!(descriptor["id"], rule.id);
        assert_eq!(descriptor["name"], rule.name);
        assert_eq!(descriptor["shortDescription"]["text"], rule.summary);
        assert_eq!(descriptor["help"]["markdown"], rule.doc);
        assert_eq!(descriptor["help"]["text"], rule.doc);
        assert!(!descriptor["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .is_empty());
        let level = descriptor["defaultConfiguration"]["level"]
            .as_str()
            .unwrap();
        assert!(["error", "warning", "note"].contains(&level), "{level}");
        assert!(!descriptor["properties"]["tags"]
            .as_array()
            .unwrap()
            .is_empty());
    }
    // Run from the repository root, inside its git work tree: URIs are
    // relative to the work tree's root, which is `SRCROOT`.
    let root = repo_root();
    assert_eq!(
        run["originalUriBaseIds"]["SRCROOT"]["uri"],
        sarif::folder_uri(&root)
    );
    assert!(run["originalUriBaseIds"]["SRCROOT"]["uri"]
        .as_str()
        .unwrap()
        .ends_with('/'));
    assert_eq!(
        run["properties"]["projectRoots"],
        serde_json::json!(["fixtures/demo-org"])
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 9, "5 errors and 4 warnings in the demo org");
    let mut fingerprints = HashSet::new();
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "SRCROOT");
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
        assert!(uri.starts_with("fixtures/demo-org/force-app/"), "{uri}");
        assert!(root.join(uri).is_file(), "{uri} is a file below the root");
        let region = &loc["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
        assert!(
            (region["endLine"].as_u64(), region["endColumn"].as_u64())
                >= (region["startLine"].as_u64(), region["startColumn"].as_u64())
        );
        let fp = r["partialFingerprints"][sarif::FINGERPRINT_KEY]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(fingerprints.insert(fp), "fingerprints are unique");
        for rel in r["relatedLocations"].as_array().into_iter().flatten() {
            assert!(!rel["message"]["text"].as_str().unwrap().is_empty());
            assert_eq!(
                rel["physicalLocation"]["artifactLocation"]["uriBaseId"],
                "SRCROOT"
            );
        }
    }
    // LS001 cites five places.
    let ls001 = results.iter().find(|r| r["ruleId"] == "LS001").unwrap();
    assert_eq!(ls001["relatedLocations"].as_array().unwrap().len(), 5);
}

#[test]
fn sarif_fingerprints_survive_moves_and_are_stable() {
    // The same project copied elsewhere and re-indented keeps its
    // fingerprints: they depend on rule, relative path and element only.
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&demo_root(), copy.path());
    let file = copy.path().join(
        "force-app/main/default/namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml",
    );
    let text = std::fs::read_to_string(&file).unwrap();
    // Two lines down (after the XML declaration: nothing may precede it)
    // and re-indented.
    let (decl, rest) = text.split_once('\n').unwrap();
    let moved = format!("{decl}\n\n\n{}", rest.replace("    <", "\t<"));
    std::fs::write(&file, moved).unwrap();
    let fingerprints = |doc: &Value| -> Vec<String> {
        doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                format!(
                    "{} {}",
                    r["ruleId"].as_str().unwrap(),
                    r["partialFingerprints"][sarif::FINGERPRINT_KEY]
                        .as_str()
                        .unwrap()
                )
            })
            .collect()
    };
    let out = lint_in(copy.path(), &[".", "--format", "sarif"], &[]);
    let moved: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut a = fingerprints(&demo_sarif());
    let mut b = fingerprints(&moved);
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

/// A project whose file name needs percent-encoding, whose finding sits
/// after a character outside the BMP (2 UTF-16 code units, 1 character),
/// whose label needs XML escaping and quotes its own password, and whose
/// `sfdx-project.json` names a missing package directory (a load problem).
fn odd_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("sfdx-project.json"),
        r#"{ "packageDirectories": [ { "path": "force-app", "default": true }, { "path": "missing-app" } ] }"#,
    )
    .unwrap();
    let nc = root.join("force-app/main/default/namedCredentials");
    std::fs::create_dir_all(&nc).unwrap();
    std::fs::write(
        nc.join("Sync #1 é.namedCredential-meta.xml"),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<NamedCredential xmlns="http://soap.sforce.com/2006/04/metadata">
    <!-- 🚀 --><endpoint>https://outlook.office365.com/EWS/Exchange.asmx</endpoint>
    <label>R&amp;D &lt;{ODD_SECRET}&gt; sync</label>
    <password>{ODD_SECRET}</password>
    <principalType>NamedUser</principalType>
    <protocol>Password</protocol>
    <username>svc@contoso.com</username>
</NamedCredential>
"#
        ),
    )
    .unwrap();
    dir
}

#[test]
fn sarif_several_projects_encoding_utf16_and_notifications() {
    let odd = odd_project();
    let odd_root = odd.path().canonicalize().unwrap();
    let args = [
        "fixtures/demo-org",
        odd_root.to_str().unwrap(),
        "--format",
        "sarif",
    ];
    let out = lint_in(&repo_root(), &args, &[]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_valid_sarif(&doc);
    let run = &doc["runs"][0];
    // One base, the repository's root; the second project is outside it,
    // so its files have absolute `file:` URIs and no base id.
    let bases = run["originalUriBaseIds"].as_object().unwrap();
    assert_eq!(bases.len(), 1);
    assert_eq!(bases["SRCROOT"]["uri"], sarif::folder_uri(&repo_root()));
    let odd_uri = format!(
        "{}force-app/main/default/namedCredentials/Sync%20%231%20%C3%A9.namedCredential-meta.xml",
        sarif::folder_uri(&odd_root)
    );

    let results = run["results"].as_array().unwrap();
    let odd_results: Vec<&Value> = results
        .iter()
        .filter(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == odd_uri.as_str()
        })
        .collect();
    assert!(!odd_results.is_empty());
    for r in &odd_results {
        assert!(r["locations"][0]["physicalLocation"]["artifactLocation"]
            .get("uriBaseId")
            .is_none());
    }
    // The EWS endpoint on line 3 follows `    <!-- 🚀 -->`: 14 characters,
    // 15 UTF-16 code units. JSON counts characters, SARIF code units.
    let ews = odd_results
        .iter()
        .find(|r| r["ruleId"] == "EXO002")
        .expect("EXO002 on the EWS endpoint");
    let region = &ews["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 3);
    assert_eq!(region["startColumn"], 16);
    assert_eq!(
        region["endColumn"],
        16 + "<endpoint>https://outlook.office365.com/EWS/Exchange.asmx</endpoint>".len() as u64
    );

    let json_out = lint_in(
        &repo_root(),
        &[odd_root.to_str().unwrap(), "--format", "json"],
        &[],
    );
    let json: Value = serde_json::from_str(&stdout(&json_out)).unwrap();
    let json_ews = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "EXO002")
        .unwrap();
    assert_eq!(json_ews["column"], 15);

    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(
        notes.iter().any(|n| {
            n["message"]["text"]
                .as_str()
                .unwrap()
                .contains("does not exist")
                && n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == format!("{}missing-app", sarif::folder_uri(&odd_root)).as_str()
        }),
        "{notes:?}"
    );
    assert!(!stdout(&out).contains(ODD_SECRET));
}

// ---------------------------------------------------------------------------
// JUnit

/// A `<failure>`: its type, message and text.
type Failure = (String, String, String);

#[derive(Debug, Default)]
struct Junit {
    suites_attrs: BTreeMap<String, String>,
    suite_attrs: BTreeMap<String, String>,
    /// (name, failures' (type, message, text)), in order.
    cases: Vec<(String, Vec<Failure>)>,
    system_out: Vec<String>,
    system_err: Vec<String>,
}

/// Parses the JUnit report with a real XML parser (so unescaped `&` or `<`
/// would fail here).
fn parse_junit(xml: &str) -> Junit {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut junit = Junit::default();
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut failure: Option<(String, String)> = None;
    let attrs = |e: &quick_xml::events::BytesStart<'_>| -> BTreeMap<String, String> {
        e.attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.unescape_value().expect("escaped attribute").into_owned(),
                )
            })
            .collect()
    };
    loop {
        let event = reader.read_event().expect("well-formed JUnit XML");
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                let a = attrs(e);
                match name.as_str() {
                    "testsuites" => junit.suites_attrs = a,
                    "testsuite" => junit.suite_attrs = a,
                    "testcase" => junit.cases.push((a["name"].clone(), Vec::new())),
                    "failure" => failure = Some((a["type"].clone(), a["message"].clone())),
                    _ => {}
                }
                text.clear();
                if matches!(event, Event::Start(_)) {
                    stack.push(name);
                }
            }
            Event::Text(t) => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => {
                let name = r.decode().unwrap();
                let resolved = match name.as_ref() {
                    "amp" => "&".to_owned(),
                    "lt" => "<".to_owned(),
                    "gt" => ">".to_owned(),
                    "quot" => "\"".to_owned(),
                    "apos" => "'".to_owned(),
                    other => match r.resolve_char_ref().expect("valid character reference") {
                        Some(c) => c.to_string(),
                        None => panic!("unknown entity &{other};"),
                    },
                };
                text.push_str(&resolved);
            }
            Event::End(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                assert_eq!(stack.pop().as_deref(), Some(name.as_str()));
                match name.as_str() {
                    "failure" => {
                        let (t, m) = failure.take().unwrap();
                        junit.cases.last_mut().unwrap().1.push((t, m, text.clone()));
                    }
                    "system-out" => junit.system_out.push(text.clone()),
                    "system-err" => junit.system_err.push(text.clone()),
                    _ => {}
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    junit
}

#[test]
fn junit_counts_files_and_failures() {
    let out = demo("junit");
    let junit = parse_junit(&stdout(&out));
    assert_eq!(junit.suite_attrs["name"], "exchange-auth-lint");
    assert_eq!(junit.cases.len(), 10, "one test case per checked file");
    assert_eq!(junit.suite_attrs["tests"], "10");
    let failed = junit.cases.iter().filter(|c| !c.1.is_empty()).count();
    assert_eq!(failed, 7);
    assert_eq!(junit.suite_attrs["failures"], failed.to_string());
    assert_eq!(junit.suites_attrs["failures"], failed.to_string());
    assert_eq!(junit.suite_attrs["errors"], "0");
    let failures: Vec<_> = junit.cases.iter().flat_map(|c| c.1.iter()).collect();
    assert_eq!(failures.len(), 9, "one failure per error or warning");
    for (rule, message, text) in failures {
        assert!(RULES.iter().any(|r| r.id == rule), "{rule}");
        assert!(!message.is_empty());
        assert!(text.contains(&format!("[{rule}] ")), "{text}");
        assert!(text.starts_with("fixtures/demo-org/"), "{text}");
    }
}

#[test]
fn junit_escapes_and_reports_infos_and_problems() {
    let odd = odd_project();
    let root = odd.path().canonicalize().unwrap();
    let out = lint_in(&root, &[".", "--format", "junit"], &[]);
    let xml = stdout(&out);
    assert!(!xml.contains(ODD_SECRET), "{xml}");
    let junit = parse_junit(&xml);
    assert_eq!(junit.cases.len(), 1);
    let (name, failures) = &junit.cases[0];
    assert_eq!(
        name,
        "force-app/main/default/namedCredentials/Sync #1 é.namedCredential-meta.xml"
    );
    let ews = failures
        .iter()
        .find(|f| f.0 == "EXO002")
        .expect("EXO002 failure");
    assert!(
        ews.1.contains("\"R&D <********> sync\""),
        "label unescaped and password masked: {}",
        ews.1
    );
    assert!(ews.2.contains(":3:15: error[EXO002]"), "{}", ews.2);
    assert_eq!(junit.system_err.len(), 1);
    assert!(junit.system_err[0].contains("missing-app"));
    assert!(junit.system_err[0].contains("does not exist"));
}

// ---------------------------------------------------------------------------
// Secrets and colour

#[test]
fn no_secret_in_any_format() {
    let fixture = std::fs::read_to_string(demo_root().join(
        "force-app/main/default/namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml",
    ))
    .unwrap();
    assert!(
        fixture.contains(&format!("<password>{DEMO_SECRET}</password>")),
        "the demo org must hold the secret this test looks for"
    );
    let odd = odd_project();
    let odd_root = odd.path().canonicalize().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    for format in FORMATS {
        // To standard output, both projects at once.
        let out = lint_in(
            &repo_root(),
            &[
                "fixtures/demo-org",
                odd_root.to_str().unwrap(),
                "--format",
                format,
            ],
            &[],
        );
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(out.status.code() == Some(1), "{format}: {all}");
        for secret in [DEMO_SECRET, ODD_SECRET] {
            assert!(!all.contains(secret), "{format} shows {secret}:\n{all}");
        }
        assert!(all.contains("********") || format != "human", "{format}");
        // To a file (`--output`), with the human summary on stderr.
        let file = out_dir.path().join(format!("report.{format}"));
        let out = lint_in(
            &repo_root(),
            &[
                "fixtures/demo-org",
                odd_root.to_str().unwrap(),
                "--format",
                format,
                "--output",
                file.to_str().unwrap(),
            ],
            &[],
        );
        let written = std::fs::read_to_string(&file).unwrap();
        assert!(!written.is_empty());
        let all = format!("{written}{}{}", stdout(&out), stderr(&out));
        for secret in [DEMO_SECRET, ODD_SECRET] {
            assert!(!all.contains(secret), "{format} --output shows {secret}");
        }
    }
}

fn demo_report_text(color: bool) -> String {
    let mut buf = Vec::new();
    with_report("demo-org", AS_OF, Lang::En, |report| {
        report::write(Format::Human, report, &mut buf, color).unwrap()
    });
    String::from_utf8(buf).unwrap()
}

#[test]
fn human_writer_colours_only_when_asked() {
    let plain = demo_report_text(false);
    assert!(!plain.contains('\x1b'), "{plain}");
    let coloured = demo_report_text(true);
    assert!(coloured.contains("\x1b["), "colour codes when asked");
    // Same text once the codes are gone.
    let mut stripped = String::new();
    let mut rest = coloured.as_str();
    while let Some(i) = rest.find('\x1b') {
        stripped.push_str(&rest[..i]);
        let end = rest[i..].find('m').expect("SGR sequence ends with m");
        rest = &rest[i + end + 1..];
    }
    stripped.push_str(rest);
    assert_eq!(stripped, plain);
}

#[test]
fn no_colour_codes_in_any_format_when_piped() {
    for format in FORMATS {
        let out = demo(format);
        assert!(!out.stdout.contains(&0x1b), "{format} wrote ESC to a pipe");
        assert!(!out.stderr.contains(&0x1b), "{format} wrote ESC to a pipe");
    }
}

/// Runs the human format on a pseudo-terminal (util-linux `script`, part
/// of every Debian system through `bsdutils`), with and without `NO_COLOR`.
#[test]
fn terminal_gets_colour_unless_no_color() {
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        eprintln!("skipped: /usr/bin/script (util-linux) is not installed");
        return;
    }
    let run = |no_color: Option<&str>| -> Vec<u8> {
        let command =
            format!("'{BIN}' check fixtures/demo-org --as-of {AS_OF} --lang en --format human");
        let mut cmd = Command::new(script);
        cmd.current_dir(repo_root())
            .args(["-qec", &command, "/dev/null"])
            .env_remove("NO_COLOR")
            .env("TERM", "xterm");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().expect("run script");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let tty = run(None);
    assert!(
        String::from_utf8_lossy(&tty).contains("error[AP001]"),
        "the report went through the terminal"
    );
    assert!(tty.contains(&0x1b), "a terminal gets colour");
    let no_color = run(Some("1"));
    assert!(String::from_utf8_lossy(&no_color).contains("error[AP001]"));
    assert!(!no_color.contains(&0x1b), "NO_COLOR=1 turns colour off");
    // An empty NO_COLOR does not count (no-color.org).
    assert!(run(Some("")).contains(&0x1b));
}

// ---------------------------------------------------------------------------
// Edge cases: nothing to check, broken files

#[test]
fn empty_project_gives_valid_empty_reports() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sfdx-project.json"),
        r#"{ "packageDirectories": [ { "path": "force-app", "default": true } ] }"#,
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("force-app")).unwrap();
    let sarif_out = lint_in(dir.path(), &[".", "--format", "sarif"], &[]);
    assert_eq!(sarif_out.status.code(), Some(0), "{}", stderr(&sarif_out));
    let doc: Value = serde_json::from_str(&stdout(&sarif_out)).unwrap();
    assert_valid_sarif(&doc);
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 0);
    assert_eq!(
        doc["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        RULES.len()
    );
    let junit_out = lint_in(dir.path(), &[".", "--format", "junit"], &[]);
    assert_eq!(junit_out.status.code(), Some(0));
    let junit = parse_junit(&stdout(&junit_out));
    assert!(junit.cases.is_empty());
    assert_eq!(junit.suite_attrs["tests"], "0");
    assert_eq!(junit.suite_attrs["failures"], "0");
}

#[test]
fn broken_files_give_valid_reports() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("sfdx-project.json"),
        r#"{ "packageDirectories": [ { "path": "force-app", "default": true } ] }"#,
    )
    .unwrap();
    let nc = root.join("force-app/main/default/namedCredentials");
    std::fs::create_dir_all(&nc).unwrap();
    // Cut off in the middle of a tag, on the line of a secret (which the
    // human excerpt shows).
    std::fs::write(
        nc.join("Cut.namedCredential-meta.xml"),
        format!(
            "<?xml version=\"1.0\"?>\n<NamedCredential xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <endpoint>https://outlook.office365.com/EWS/Exchange.asmx</endpoint>\n    <password>{ODD_SECRET}</passw"
        ),
    )
    .unwrap();
    // Not UTF-8, with a control character.
    std::fs::write(
        nc.join("Latin1.namedCredential-meta.xml"),
        b"<?xml version=\"1.0\"?>\n<NamedCredential>\x01<label>Caf\xe9</label></NamedCredential>\n"
            .as_slice(),
    )
    .unwrap();
    for format in FORMATS {
        let out = lint_in(root, &[".", "--format", format], &[]);
        assert_ne!(out.status.code(), Some(2), "{format}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(!text.contains(ODD_SECRET), "{format}: {text}");
        assert!(text.contains("XML001"), "{format}: {text}");
        match format {
            "json" => {
                serde_json::from_str::<Value>(&text).unwrap();
            }
            "sarif" => {
                let doc: Value = serde_json::from_str(&text).unwrap();
                assert_valid_sarif(&doc);
            }
            "junit" => {
                let junit = parse_junit(&text);
                assert_eq!(junit.cases.len(), 2);
            }
            _ => {}
        }
    }
}

// Readable reports (html, markdown)

/// Loads `fixtures/<name>`, checks it as of `as_of` in `lang` and hands the
/// report (paths relative to the repository root) to `f`.
fn with_report(name: &str, as_of: &str, lang: Lang, f: impl FnOnce(&Report<'_>)) {
    let (root, manifest) = find_root(&repo_root().join("fixtures").join(name));
    let project = Project::load(
        &root,
        manifest,
        &LoadOptions {
            threads: 1,
            ..LoadOptions::default()
        },
    );
    let as_of = AsOf::parse(as_of).unwrap();
    let result = check(
        &project,
        &CheckOptions {
            as_of,
            lang,
            select: None,
            ignore: Vec::new(),
            overrides: BTreeMap::new(),
        },
    );
    f(&Report {
        projects: vec![ProjectReport {
            project: &project,
            result: &result,
        }],
        base: repo_root(),
        as_of,
        lang,
        elapsed: Duration::from_millis(3),
        secrets: Default::default(),
        ci: Default::default(),
    });
}

/// The same, handing the readable reports' plan.
fn with_plan(name: &str, as_of: &str, lang: Lang, f: impl FnOnce(&report::plan::Plan<'_>)) {
    with_report(name, as_of, lang, |report| {
        f(&report::plan::Plan::new(report))
    });
}

fn event_when(e: Option<&exchange_auth_lint::timeline::Event>) -> &'static str {
    e.map_or("none", |e| e.when_en)
}

#[test]
fn plan_groups_dates_and_orders_the_demo_findings() {
    use report::plan::Action;
    with_plan("demo-org", AS_OF, Lang::En, |plan| {
        let rows: Vec<(&str, Action, &str)> = plan
            .items
            .iter()
            .map(|i| (i.rule.id, i.action, event_when(i.breaks_on)))
            .collect();
        assert_eq!(
            rows,
            [
                ("AP001", Action::Repository, "2026-04-02"),
                ("EXO002", Action::Rewrite, "2027-04-01"),
                ("EXO001", Action::Repository, "2022-10-01"),
                ("EXO002", Action::Rewrite, "2027-04-01"),
                ("EXO002", Action::Rewrite, "2027-04-01"),
                ("SEC001", Action::Repository, "none"),
                ("EXO001", Action::Repository, "2022-10-01"),
                ("SEC002", Action::Repository, "none"),
                ("LS001", Action::Setup, "2022-10-01"),
            ]
        );
        // A committed secret is due now: it comes first among the errors.
        assert_eq!(plan.first().unwrap().rule.id, "SEC001");
        let (event, due) = plan.next_deadline().unwrap();
        assert_eq!(event.when_en, "2027-04-01");
        assert_eq!(
            event.what_en,
            "EWS in Exchange Online permanently shut down, for every app (the allow list stops mattering)"
        );
        assert_eq!(due.len(), 3);
        assert_eq!(plan.broken(), 6);
        assert_eq!(plan.days_to(event), 128);
        // The timeline: the core events and the dates of the findings.
        let events: Vec<&str> = plan.events.iter().map(|e| e.when_en).collect();
        assert_eq!(
            events,
            [
                "2022-10-01",
                "2025-02-01",
                "2026-04-02",
                "end of August 2026",
                "2026-10-01",
                "2027-04-01",
                "April 2027"
            ]
        );
        // The seed checklist, inferred from the files, with the evidence.
        let answers: Vec<(&str, usize, bool)> = plan.checklists[0]
            .answers
            .iter()
            .map(|a| {
                (
                    a.basis.label(Lang::En),
                    a.evidence.len(),
                    a.declare.is_some(),
                )
            })
            .collect();
        assert_eq!(
            answers,
            [
                ("inferred", 2, false),
                ("inferred", 3, false),
                ("inferred", 1, false),
                ("inferred", 4, false),
                ("inferred", 0, false),
            ]
        );
        // The mail system, from EmailIntegrationSettings: Outlook on, Gmail off.
        let mail = &plan.checklists[0].answers[0];
        assert!(
            mail.answer.starts_with("Outlook / Exchange"),
            "{}",
            mail.answer
        );
        let evidence: Vec<&str> = mail.evidence.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            evidence,
            ["Outlook integration is on", "Gmail integration is off"]
        );
        assert!(plan.checklists[0].answers[1]
            .answer
            .starts_with("Exchange Online (Microsoft 365)"));
        assert!(plan.checklists[0].answers[3]
            .answer
            .starts_with("Service account"));
    });
    // After the shutdown nothing is still to come; before 2022 the first
    // date is the end of basic authentication.
    with_plan("demo-org", "2027-05-01", Lang::En, |plan| {
        assert!(plan.next_deadline().is_none());
        assert_eq!(plan.broken(), plan.items.len());
    });
    with_plan("demo-org", "2022-06-01", Lang::En, |plan| {
        let (event, due) = plan.next_deadline().unwrap();
        assert_eq!(event.when_en, "2022-10-01");
        let ids: Vec<&str> = due.iter().map(|i| i.rule.id).collect();
        assert_eq!(ids, ["EXO001", "EXO001", "LS001"]);
    });
}

#[test]
fn checklist_says_what_to_declare_where_the_project_cannot_tell() {
    with_plan("ls002-exchange-unknown", AS_OF, Lang::En, |plan| {
        let a = &plan.checklists[0].answers;
        assert_eq!(a[1].basis.label(Lang::En), "unknown");
        assert_eq!(a[1].declare.as_ref().unwrap().0, "exchange");
        assert_eq!(a[3].basis.label(Lang::En), "declared");
        assert!(a[3].declare.is_none());
        assert!(a[3].answer.starts_with("Service account"));
    });
    with_plan("ls002-connection-unknown", AS_OF, Lang::Ja, |plan| {
        let a = &plan.checklists[0].answers;
        assert_eq!(a[1].basis.label(Lang::Ja), "推定");
        assert!(a[1].declare.is_none());
        assert_eq!(a[3].basis.label(Lang::Ja), "不明");
        let (key, values) = a[3].declare.as_ref().unwrap();
        assert_eq!(*key, "lightningSyncConnection");
        assert_eq!(values, &["service-account", "oauth2"]);
        assert!(a[3].answer.contains("[設定] > [メール]"), "{}", a[3].answer);
    });
    // The mail system: Gmail only, both, or nothing said.
    for (fixture, lang, want) in [
        ("mail-gmail-only", Lang::En, "Gmail only (Google Workspace)"),
        ("mail-both", Lang::En, "Both Gmail and Outlook / Exchange"),
        ("mail-both", Lang::Ja, "Gmail と Outlook / Exchange の両方"),
        (
            "clean",
            Lang::En,
            "Outlook / Exchange (Gmail integration is not on)",
        ),
    ] {
        with_plan(fixture, AS_OF, lang, |plan| {
            let mail = &plan.checklists[0].answers[0];
            assert!(mail.answer.starts_with(want), "{fixture}: {}", mail.answer);
            let gmail = mail.evidence.iter().any(|p| p.message.contains("Gmail"));
            assert_eq!(gmail, fixture != "clean", "{fixture}");
        });
    }
    // Nothing found: nothing to do, nothing to declare.
    with_plan("clean", AS_OF, Lang::En, |plan| {
        assert!(plan.items.is_empty());
        assert!(plan.first().is_none() && plan.next_deadline().is_none());
        assert!(plan.checklists[0]
            .answers
            .iter()
            .all(|a| a.declare.is_none()));
    });
}

fn html_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[test]
fn html_is_self_contained_and_shows_every_finding() {
    let json: Value = serde_json::from_str(&stdout(&demo("json"))).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 9);
    for lang in ["en", "ja"] {
        let out = lint_lang(
            &repo_root(),
            &["fixtures/demo-org", "--format", "html"],
            &[],
            lang,
        );
        let html = stdout(&out);
        assert!(html.starts_with("<!DOCTYPE html>\n"));
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        assert!(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""));
        for banned in [
            "<script",
            "<link",
            "<img",
            "<iframe",
            "<object",
            "<embed",
            " src=",
            "url(",
            "@import",
            "@font-face",
        ] {
            assert!(!html.contains(banned), "{lang}: {banned}");
        }
        // Links go to the page's own anchors or the rule documentation.
        for href in html.split("href=\"").skip(1) {
            let href = &href[..href.find('"').unwrap()];
            assert!(
                href.starts_with('#')
                    || href.starts_with(
                        "https://github.com/exchange-auth-lint/exchange-auth-lint/blob/main/docs/rules/"
                    ),
                "{href}"
            );
        }
        assert!(html.contains("<svg ") && html.contains("role=\"img\""));
        assert!(html.contains("<mark>&lt;password&gt;********&lt;/password&gt;</mark>"));
        assert!(!html.contains(DEMO_SECRET));
        for heading in [
            "<h1>",
            "<h2 id=\"summary\">",
            "<h2 id=\"timeline\">",
            "<h2 id=\"checklist\">",
            "<h2 id=\"todo\">",
        ] {
            assert!(html.contains(heading), "{lang}: {heading}");
        }
        if lang == "en" {
            for f in findings {
                let message = f["message"].as_str().unwrap();
                assert!(html.contains(&html_text(message)), "{message}");
                let place = format!("{}:{}", f["path"].as_str().unwrap(), f["line"]);
                assert!(html.contains(&html_text(&place)), "{place}");
            }
        }
    }
}

#[test]
fn markdown_shows_every_finding_with_a_link_to_its_rule() {
    let json: Value = serde_json::from_str(&stdout(&demo("json"))).unwrap();
    let md = stdout(&demo("markdown"));
    for f in json["findings"].as_array().unwrap() {
        let rule = f["rule"].as_str().unwrap();
        let row = format!(
            "[{rule}](https://github.com/exchange-auth-lint/exchange-auth-lint/blob/main/docs/rules/{rule}.md) | `{}:{}` | {} |",
            f["path"].as_str().unwrap(),
            f["line"],
            report::markdown::escape(f["message"].as_str().unwrap())
        );
        assert!(md.contains(&row), "{row}\n{md}");
    }
    assert!(md.contains("**Next deadline:** 2027-04-01, in 128 days"));
}

#[test]
fn readable_reports_escape_labels_and_paths() {
    let odd = odd_project();
    let out = lint_in(odd.path(), &[".", "--format", "markdown"], &[]);
    let md = stdout(&out);
    assert!(!md.contains(ODD_SECRET), "{md}");
    // The label `R&D <secret> sync` is text, never markup.
    assert!(
        md.contains(r"R&amp;D &lt;\*\*\*\*\*\*\*\*&gt; sync"),
        "{md}"
    );
    let mut rest = md.as_str();
    while let Some(i) = rest.find('<') {
        let tag = &rest[i..];
        assert!(
            [
                "<details>",
                "</details>",
                "<summary>",
                "</summary>",
                "<br>",
                "<sub>",
                "</sub>"
            ]
            .iter()
            .any(|t| tag.starts_with(t)),
            "raw markup: {}",
            &tag[..tag.len().min(40)]
        );
        rest = &rest[i + 1..];
    }
    // The path with `#` and spaces stays literal in a code span.
    assert!(
        md.contains("`force-app/main/default/namedCredentials/Sync #1 é.namedCredential-meta.xml:")
    );
    let out = lint_in(odd.path(), &[".", "--format", "html"], &[]);
    let html = stdout(&out);
    assert!(html.contains("R&amp;D &lt;********&gt; sync"));
    assert!(html.contains("Sync #1 é.namedCredential-meta.xml"));
    assert!(!html.contains(ODD_SECRET));
}

#[test]
fn sarif_with_skipped_paths_is_valid() {
    // A file and a folder named on the command line that `.forceignore`
    // excludes: `note` notifications, still valid SARIF.
    let args = [
        "fixtures/forceignored/force-app/main/default/namedCredentials/Ignored.namedCredential-meta.xml",
        "fixtures/forceignored/force-app/main/default/settings",
        "--format",
        "sarif",
    ];
    let out = lint_in(&repo_root(), &args, &[]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_valid_sarif(&doc);
    let notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    let levels: Vec<&str> = notes.iter().map(|n| n["level"].as_str().unwrap()).collect();
    assert_eq!(levels, ["note", "note"]);
}
