//! End-to-end tests of what `check` does for CI, on real temporary git
//! repositories: paths relative to the work tree's root whichever folder
//! the tool runs from, `--path-base`, and the same paths in every format.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod support;
use support::copy_dir;

const BIN: &str = env!("CARGO_BIN_EXE_exchange-auth-lint");
const AS_OF: &str = "2026-11-24";
const FORMATS: [&str; 5] = ["human", "json", "sarif", "github", "junit"];

fn demo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/demo-org")
        .canonicalize()
        .unwrap()
}

/// A git repository in a temporary folder, with git's configuration kept
/// out of the test (no global or system file, a fixed identity).
struct Repo {
    dir: tempfile::TempDir,
}

fn git_cmd(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_AUTHOR_DATE", "2026-11-20T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-20T10:00:00Z");
    cmd
}

impl Repo {
    /// A repository whose SFDX project (a copy of `fixtures/demo-org`) is
    /// in the sub-folder `salesforce/`, all committed.
    fn with_project_in_subfolder() -> Repo {
        let repo = Repo::empty();
        copy_dir(&demo_root(), &repo.root().join("salesforce"));
        repo.commit_all("initial");
        repo
    }

    fn empty() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo { dir };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    fn root(&self) -> PathBuf {
        self.dir.path().canonicalize().unwrap()
    }

    fn git(&self, args: &[&str]) -> String {
        let out = git_cmd(&self.root()).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn commit_all(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }
}

/// Runs `check <args> --as-of … --lang en` in `cwd`.
fn lint(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(cwd)
        .arg("check")
        .args(args)
        .args(["--as-of", AS_OF, "--lang", "en"])
        .env_remove("NO_COLOR")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The primary path of every finding, in order, as the format shows it.
fn finding_paths(format: &str, text: &str) -> Vec<String> {
    match format {
        "json" => {
            let doc: Value = serde_json::from_str(text).unwrap();
            doc["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["path"].as_str().unwrap().to_owned())
                .collect()
        }
        "sarif" => {
            let doc: Value = serde_json::from_str(text).unwrap();
            doc["runs"][0]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    let loc = &r["locations"][0]["physicalLocation"]["artifactLocation"];
                    assert_eq!(loc["uriBaseId"], "SRCROOT");
                    loc["uri"].as_str().unwrap().to_owned()
                })
                .collect()
        }
        "github" => text
            .lines()
            .filter(|l| l.starts_with("::error ") || l.starts_with("::warning "))
            .map(|l| {
                let file = l.split_once("file=").unwrap().1;
                file.split(',').next().unwrap().to_owned()
            })
            .collect(),
        "junit" => text
            .match_indices("\">")
            .filter_map(|(i, _)| {
                let rest = &text[i + 2..];
                let end = rest.find(':')?;
                let path = &rest[..end];
                (path.contains("force-app/") && !path.contains('<')).then(|| path.to_owned())
            })
            .collect(),
        _ => text
            .lines()
            .filter(|l| l.contains(": error[") || l.contains(": warning["))
            .map(|l| l.split(':').next().unwrap().to_owned())
            .collect(),
    }
}

/// Where the nine findings of the demo org are, relative to its root.
const DEMO_FILES: [&str; 9] = [
    "force-app/main/default/authproviders/SharePoint_ACS.authprovider-meta.xml",
    "force-app/main/default/classes/RoomFinder.cls",
    "force-app/main/default/externalCredentials/Room_Finder_Basic.externalCredential-meta.xml",
    "force-app/main/default/namedCredentials/Calendar_Room_Finder.namedCredential-meta.xml",
    "force-app/main/default/namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml",
    "force-app/main/default/namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml",
    "force-app/main/default/namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml",
    "force-app/main/default/remoteSiteSettings/Exchange_Online.remoteSite-meta.xml",
    "force-app/main/default/settings/EmailIntegration.settings-meta.xml",
];

fn demo_paths(prefix: &str) -> Vec<String> {
    DEMO_FILES.iter().map(|f| format!("{prefix}{f}")).collect()
}

/// The human report without its timing, to compare two runs.
fn without_timing(text: &str) -> String {
    text.lines()
        .map(|l| match l.rfind(" (") {
            Some(i) if l.ends_with(" ms)") => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn paths_are_relative_to_the_repository_root_from_any_folder() {
    let repo = Repo::with_project_in_subfolder();
    let root = repo.root();
    for format in FORMATS {
        let from_root = lint(&root, &["salesforce", "--format", format]);
        assert_eq!(from_root.status.code(), Some(1), "{format}");
        let text = stdout(&from_root);
        assert_eq!(
            finding_paths(format, &text),
            demo_paths("salesforce/"),
            "{format} from the root:\n{text}"
        );
        // From inside the project, with the project named relatively or
        // not at all: the same report, byte for byte.
        for (cwd, args) in [
            (root.join("salesforce"), vec!["--format", format]),
            (
                root.join("salesforce/force-app/main"),
                vec!["../..", "--format", format],
            ),
        ] {
            let out = lint(&cwd, &args);
            assert_eq!(out.status.code(), Some(1), "{format} in {}", cwd.display());
            assert_eq!(
                without_timing(&stdout(&out)),
                without_timing(&text),
                "{format} run in {}",
                cwd.display()
            );
        }
    }
    // SARIF: the base id is the repository root; related places too.
    let out = lint(&root.join("salesforce"), &["--format", "sarif"]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let run = &doc["runs"][0];
    assert_eq!(
        run["originalUriBaseIds"]["SRCROOT"]["uri"],
        format!("file://{}/", root.display())
    );
    assert_eq!(
        run["properties"]["projectRoots"],
        serde_json::json!(["salesforce"])
    );
    for r in run["results"].as_array().unwrap() {
        for rel in r["relatedLocations"].as_array().into_iter().flatten() {
            let uri = rel["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(uri.starts_with("salesforce/force-app/"), "{uri}");
            assert!(root.join(uri).is_file(), "{uri}");
        }
    }
}

#[test]
fn outside_git_paths_are_relative_to_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path().canonicalize().unwrap();
    copy_dir(&demo_root(), &top.join("org"));
    for format in FORMATS {
        let out = lint(&top, &["org", "--format", format]);
        assert_eq!(
            finding_paths(format, &stdout(&out)),
            demo_paths("org/"),
            "{format}"
        );
        let out = lint(&top.join("org"), &["--format", format]);
        assert_eq!(
            finding_paths(format, &stdout(&out)),
            demo_paths(""),
            "{format}"
        );
    }
}

#[test]
fn path_base_overrides_the_repository_root() {
    let repo = Repo::with_project_in_subfolder();
    let root = repo.root();
    for format in FORMATS {
        let out = lint(
            &root,
            &[
                "salesforce",
                "--path-base",
                "salesforce",
                "--format",
                format,
            ],
        );
        assert_eq!(
            finding_paths(format, &stdout(&out)),
            demo_paths(""),
            "{format}"
        );
    }
    // A base that does not exist is a usage error.
    let out = lint(&root, &["salesforce", "--path-base", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "exchange-auth-lint: --path-base nowhere: no such file or directory\n"
    );
}

#[test]
fn run_from_outside_the_repository_uses_its_root() {
    // The tool run from a folder outside any work tree, on a project inside
    // one: paths are relative to that work tree's root.
    let repo = Repo::with_project_in_subfolder();
    let outside = tempfile::tempdir().unwrap();
    let project = repo.root().join("salesforce");
    let out = lint(
        outside.path(),
        &[project.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(
        finding_paths("json", &stdout(&out)),
        demo_paths("salesforce/")
    );
}

/// (rule, exchangeAuthLint/v1, primaryLocationLineHash, startLine) of each
/// SARIF result.
fn sarif_prints(text: &str) -> Vec<(String, String, String, u64)> {
    let doc: Value = serde_json::from_str(text).unwrap();
    doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let fp = &r["partialFingerprints"];
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                fp["exchangeAuthLint/v1"].as_str().unwrap().to_owned(),
                fp["primaryLocationLineHash"].as_str().unwrap().to_owned(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect()
}

#[test]
fn sarif_fingerprints_survive_line_shifts_and_never_see_secrets() {
    let repo = Repo::with_project_in_subfolder();
    let root = repo.root();
    let before = sarif_prints(&stdout(&lint(&root, &["salesforce", "--format", "sarif"])));
    assert_eq!(before.len(), 9);
    // Lines added above every finding of a file, and the password changed:
    // the same fingerprints, on other lines.
    let nc = root.join(
        "salesforce/force-app/main/default/namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml",
    );
    let text = std::fs::read_to_string(&nc).unwrap();
    assert!(text.contains("Winter2021!"));
    let shifted = text
        .replacen("?>\n", "?>\n<!-- moved -->\n\n", 1)
        .replace("Winter2021!", "Spring2027?");
    std::fs::write(&nc, shifted).unwrap();
    let after = sarif_prints(&stdout(&lint(&root, &["salesforce", "--format", "sarif"])));
    assert_eq!(after.len(), 9);
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((&b.0, &b.1, &b.2), (&a.0, &a.1, &a.2));
    }
    let moved: Vec<u64> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| a.3 != b.3)
        .map(|(b, a)| a.3 - b.3)
        .collect();
    assert_eq!(
        moved,
        [2, 2, 2],
        "the three findings of the file moved down"
    );
}

#[test]
fn gitlab_code_quality_has_the_required_fields_and_repository_paths() {
    let repo = Repo::with_project_in_subfolder();
    let out = lint(&repo.root().join("salesforce"), &["--format", "gitlab"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let issues = doc.as_array().unwrap();
    let mut prints = std::collections::HashSet::new();
    for i in issues {
        // GitLab's documented required fields, with their types.
        assert!(!i["description"].as_str().unwrap().is_empty());
        assert!(i["check_name"].as_str().unwrap().len() >= 5);
        assert!(prints.insert(i["fingerprint"].as_str().unwrap().to_owned()));
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&i["severity"].as_str().unwrap()));
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(!i["description"].as_str().unwrap().contains("Winter2021!"));
    }
    let paths: Vec<String> = issues
        .iter()
        .map(|i| i["location"]["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paths, demo_paths("salesforce/"));
    let sec = issues.iter().find(|i| i["check_name"] == "SEC001").unwrap();
    assert_eq!(sec["severity"], "blocker");
}

#[test]
fn ci_log_formats_never_start_a_command_from_a_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path().canonicalize().unwrap();
    copy_dir(&demo_root(), &top.join("org"));
    let nc = top.join("org/force-app/main/default/namedCredentials");
    std::fs::rename(
        nc.join("Exchange_Sync_Service.namedCredential-meta.xml"),
        nc.join("a;b]c%d\n##vso[task.complete result=Succeeded]\u{1b}[2J::error::x.namedCredential-meta.xml"),
    )
    .unwrap();
    for format in ["azure", "github"] {
        let out = lint(&top, &["org", "--format", format]);
        let text = stdout(&out);
        assert!(!text.contains('\u{1b}'), "{format}: no raw ESC");
        let lines: Vec<&str> = text.lines().collect();
        let summary = lines.last().unwrap();
        assert!(
            summary.starts_with(
                "exchange-auth-lint: 8 error(s), 1 warning(s), 0 info in 10 metadata file(s)"
            ),
            "{summary}"
        );
        for line in &lines[..lines.len() - 1] {
            match format {
                "azure" => assert!(line.starts_with("##vso[task.logissue type="), "{line}"),
                _ => assert!(
                    line.starts_with("::error ") || line.starts_with("::warning "),
                    "{line}"
                ),
            }
        }
        assert_eq!(lines.len(), 10, "{format}:\n{text}");
        if format == "azure" {
            let hostile = lines.iter().find(|l| l.contains("code=SEC001")).unwrap();
            assert_eq!(
                hostile.split("linenumber").next().unwrap(),
                "##vso[task.logissue type=error;sourcepath=org/force-app/main/default/namedCredentials/a%3Bb%5Dc%AZP25d\\n##vso[task.complete result=Succeeded%5D\\u{1b}[2J::error::x.namedCredential-meta.xml;"
            );
        }
    }
}

/// The findings of a JSON report as `RULE path:line`.
fn json_findings(o: &Output) -> Vec<String> {
    let doc: Value = serde_json::from_str(&stdout(o)).unwrap();
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f["rule"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
                f["line"]
            )
        })
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// The human report's summary line, without its timing.
fn summary_line(o: &Output) -> String {
    let text = stdout(o);
    let last = text.lines().last().unwrap_or("").to_owned();
    match (last.find(" ("), last.find(" ms)")) {
        (Some(a), Some(b)) => format!("{}{}", &last[..a], &last[b + 4..]),
        _ => last,
    }
}

const NC: &str = "salesforce/force-app/main/default/namedCredentials";

#[test]
fn baseline_hides_known_findings_survives_edits_and_fails_on_new_ones() {
    let repo = Repo::with_project_in_subfolder();
    let root = repo.root();
    let out = lint(&root, &["salesforce", "--write-baseline", "base.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "exchange-auth-lint: baseline base.json: 9 findings written\n"
    );
    assert_eq!(
        summary_line(&out),
        "0 errors, 0 warnings, 0 info in 10 metadata files; 9 known findings hidden by baseline"
    );
    let text = std::fs::read_to_string(root.join("base.json")).unwrap();
    // No secret value of the demo org, in any form.
    for secret in ["Winter2021!", "V2ludGVyMjAyMSE", "s3cr3t"] {
        assert!(!text.contains(secret), "{secret} in\n{text}");
    }
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["tool"], "exchange-auth-lint");
    let entries = doc["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 9);
    let paths: Vec<&str> = entries
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "entries are sorted by path");
    assert_eq!(entries[0]["rule"], "AP001");
    assert_eq!(
        entries[0].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["rule", "path", "fingerprint"]
    );

    // Lines added above, re-indented, the password changed: all known.
    let nc = root
        .join(NC)
        .join("Exchange_Sync_Service.namedCredential-meta.xml");
    let old = std::fs::read_to_string(&nc).unwrap();
    let edited = old
        .replacen("?>\n", "?>\n<!-- moved -->\n\n", 1)
        .replace("    <", "\t\t<")
        .replace("Winter2021!", "Spring2027?");
    std::fs::write(&nc, &edited).unwrap();
    let out = lint(&root, &["salesforce", "--baseline", "base.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        stdout(&out).lines().count(),
        1,
        "only the summary:\n{}",
        stdout(&out)
    );
    assert_eq!(
        summary_line(&out),
        "0 errors, 0 warnings, 0 info in 10 metadata files; 9 known findings hidden by baseline"
    );

    // A new file with the same problems: new findings, exit 1.
    std::fs::write(
        root.join(NC).join("Sync Copy é.namedCredential-meta.xml"),
        &old,
    )
    .unwrap();
    let out = lint(
        &root,
        &["salesforce", "--baseline", "base.json", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        json_findings(&out),
        [
            format!("EXO002 {NC}/Sync Copy é.namedCredential-meta.xml:5"),
            format!("SEC001 {NC}/Sync Copy é.namedCredential-meta.xml:8"),
            format!("EXO001 {NC}/Sync Copy é.namedCredential-meta.xml:10"),
        ]
    );
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["baseline"]["hidden"], 9);
    assert_eq!(doc["baseline"]["fixed"], serde_json::json!([]));
    // --fail-on never: the same report, exit 0.
    let out = lint(
        &root,
        &[
            "salesforce",
            "--baseline",
            "base.json",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        summary_line(&out),
        "3 errors, 0 warnings, 0 info in 11 metadata files; 9 known findings hidden by baseline"
    );
    std::fs::remove_file(root.join(NC).join("Sync Copy é.namedCredential-meta.xml")).unwrap();

    // A fixed finding (the remote site removed): reported as fixed, and
    // dropped by --write-baseline.
    let site =
        "salesforce/force-app/main/default/remoteSiteSettings/Exchange_Online.remoteSite-meta.xml";
    std::fs::remove_file(root.join(site)).unwrap();
    let out = lint(&root, &["salesforce", "--baseline", "base.json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        summary_line(&out),
        "0 errors, 0 warnings, 0 info in 9 metadata files; 8 known findings hidden by baseline, 1 fixed"
    );
    let out = lint(
        &root,
        &["salesforce", "--baseline", "base.json", "--format", "json"],
    );
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let fixed = &doc["baseline"]["fixed"];
    assert_eq!(fixed.as_array().unwrap().len(), 1);
    assert_eq!(fixed[0]["rule"], "SEC002");
    assert_eq!(fixed[0]["path"], site);
    let out = lint(&root, &["salesforce", "--write-baseline", "base.json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        "exchange-auth-lint: baseline base.json: 8 findings written, 1 fixed one dropped\n"
    );
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("base.json")).unwrap()).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 8);
    assert!(!std::fs::read_to_string(root.join("base.json"))
        .unwrap()
        .contains("Spring2027?"));
}

/// Fingerprints hash the rule, the path and the finding's masked source
/// text, never its message: a baseline written before the messages were
/// reworded (problem first) still hides every finding of the demo org.
/// `server/tests/data/demo-org.baseline.json` was written by that earlier
/// version (`--path-base .` from inside the fixture); keep it as it is.
#[test]
fn a_baseline_from_before_the_wording_changed_still_matches() {
    let baseline = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/demo-org.baseline.json")
        .canonicalize()
        .unwrap();
    let baseline = baseline.to_str().unwrap();
    let out = lint(
        &demo_root(),
        &[".", "--path-base", ".", "--baseline", baseline],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        summary_line(&out),
        "0 errors, 0 warnings, 0 info in 10 metadata files; 9 known findings hidden by baseline"
    );
}

#[test]
fn baseline_works_from_any_folder_and_for_named_files_only() {
    let repo = Repo::with_project_in_subfolder();
    let root = repo.root();
    assert_eq!(
        lint(&root, &["salesforce", "--write-baseline", "base.json"])
            .status
            .code(),
        Some(0)
    );
    // From inside the project: the same paths (the repository root is the base).
    let out = lint(&root.join("salesforce"), &["--baseline", "../base.json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        summary_line(&out),
        "0 errors, 0 warnings, 0 info in 10 metadata files; 9 known findings hidden by baseline"
    );
    // One file named: the other files' entries are neither fixed nor dropped.
    let one = format!("{NC}/Exchange_Sync_Service.namedCredential-meta.xml");
    let out = lint(&root, &[&one, "--baseline", "base.json"]);
    assert_eq!(
        summary_line(&out),
        "0 errors, 0 warnings, 0 info in 10 metadata files; 3 known findings hidden by baseline"
    );
    let out = lint(&root, &[&one, "--write-baseline", "base.json"]);
    assert_eq!(
        stderr(&out),
        "exchange-auth-lint: baseline base.json: 9 findings written\n"
    );
}

#[test]
fn bad_baselines_are_usage_errors_naming_the_file() {
    let repo = Repo::with_project_in_subfolder();
    let root = repo.root();
    std::fs::write(root.join("bad.json"), "{ not json").unwrap();
    std::fs::write(
        root.join("v9.json"),
        r#"{ "version": 9, "tool": "exchange-auth-lint", "findings": [] }"#,
    )
    .unwrap();
    std::fs::write(
        root.join("sarif.json"),
        r#"{ "version": "2.1.0", "runs": [] }"#,
    )
    .unwrap();
    // A baseline may come from an artifact: one that is a FIFO, a device or
    // huge is refused before it is read, never read without end.
    let fifo = root.join("fifo.json");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    std::fs::File::create(root.join("huge.json"))
        .unwrap()
        .set_len(65 << 20)
        .unwrap();
    for (args, want) in [
        (
            vec!["--baseline", "/dev/zero"],
            "--baseline /dev/zero: not a regular file",
        ),
        (
            vec!["--baseline", "fifo.json"],
            "--baseline fifo.json: not a regular file",
        ),
        (
            vec!["--baseline", "huge.json"],
            "--baseline huge.json: larger than 64 MiB",
        ),
        (
            vec!["--baseline", "missing.json"],
            "--baseline missing.json: no such file or directory",
        ),
        (
            vec!["--baseline", "bad.json"],
            "--baseline bad.json: not a baseline file (invalid JSON: key must be a string at line 1 column 3)",
        ),
        (
            vec!["--baseline", "v9.json"],
            "--baseline v9.json: baseline version 9 is not supported (this version of exchange-auth-lint reads version 1); write it again with --write-baseline",
        ),
        (
            vec!["--baseline", "sarif.json"],
            "--baseline sarif.json: not a baseline file (no \"version\" number)",
        ),
        (
            vec!["--write-baseline", "bad.json"],
            "--write-baseline bad.json: not a baseline file (invalid JSON: key must be a string at line 1 column 3) (remove it to write a new baseline)",
        ),
        (
            vec!["--write-baseline", "no/such/folder/base.json"],
            "--write-baseline no/such/folder/base.json: no such file or directory",
        ),
    ] {
        let mut all = vec!["salesforce"];
        all.extend(&args);
        let out = lint(&root, &all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&out), format!("exchange-auth-lint: {want}\n"), "{args:?}");
        assert_eq!(stdout(&out), "", "{args:?}: no report");
    }
    // --write-baseline with --fix is refused by the argument parser.
    let out = lint(
        &root,
        &["salesforce", "--write-baseline", "b.json", "--fix"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!root.join("b.json").exists());
}

#[test]
fn sarif_marks_baseline_states() {
    let repo = Repo::with_project_in_subfolder();
    let root = repo.root();
    let plain = stdout(&lint(&root, &["salesforce", "--format", "sarif"]));
    assert!(!plain.contains("baselineState"));
    lint(&root, &["salesforce", "--write-baseline", "base.json"]);
    std::fs::copy(
        root.join(NC)
            .join("Exchange_Sync_Service.namedCredential-meta.xml"),
        root.join(NC).join("Copy.namedCredential-meta.xml"),
    )
    .unwrap();
    std::fs::remove_file(root.join(
        "salesforce/force-app/main/default/remoteSiteSettings/Exchange_Online.remoteSite-meta.xml",
    ))
    .unwrap();
    let out = lint(
        &root,
        &["salesforce", "--baseline", "base.json", "--format", "sarif"],
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let states: Vec<(String, String)> = results
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                r["baselineState"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let count = |s: &str| states.iter().filter(|(_, b)| b == s).count();
    assert_eq!(
        (count("new"), count("unchanged"), count("absent")),
        (3, 8, 1),
        "{states:?}"
    );
    for r in results {
        match r["baselineState"].as_str().unwrap() {
            "unchanged" => assert_eq!(
                r["suppressions"],
                serde_json::json!([{ "kind": "external", "status": "accepted", "justification": "Recorded in the baseline base.json." }])
            ),
            "absent" => {
                assert_eq!(r["ruleId"], "SEC002");
                assert_eq!(
                    r["locations"][0]["physicalLocation"]["region"],
                    serde_json::json!({ "startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1 })
                );
                assert_eq!(
                    (&r["kind"], &r["level"]),
                    (&serde_json::json!("pass"), &serde_json::json!("none"))
                );
            }
            _ => assert!(r.get("suppressions").is_none()),
        }
    }
    // The fingerprints of known results are those of a run without baseline.
    let before: Vec<_> = sarif_prints(&plain).into_iter().map(|p| p.1).collect();
    for r in results.iter().filter(|r| r["baselineState"] == "unchanged") {
        let fp = r["partialFingerprints"]["exchangeAuthLint/v1"]
            .as_str()
            .unwrap();
        assert!(before.iter().any(|b| b == fp), "{fp}");
    }
    assert_eq!(
        doc["runs"][0]["properties"]["baseline"],
        serde_json::json!({ "file": "base.json", "hidden": 8, "fixed": 1 })
    );
}

/// Runs git in `dir`, which must succeed.
fn git_ok(dir: &Path, args: &[&str]) {
    let out = git_cmd(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Repo {
    fn branch(&self, name: &str) {
        self.git(&["checkout", "-q", "-b", name]);
    }
}

#[test]
fn changed_since_reports_only_changed_files_with_whole_project_facts() {
    let repo = Repo::with_project_in_subfolder();
    let root = repo.root();
    repo.branch("feature");
    // Committed: a renamed named credential (new path, spaces and unicode).
    repo.git(&[
        "mv",
        &format!("{NC}/Exchange_Sync_Service.namedCredential-meta.xml"),
        &format!("{NC}/Sync Service é.namedCredential-meta.xml"),
    ]);
    repo.commit_all("rename");
    // Unstaged: the remote site edited.
    let site = root.join(
        "salesforce/force-app/main/default/remoteSiteSettings/Exchange_Online.remoteSite-meta.xml",
    );
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, text.replacen("?>\n", "?>\n<!-- edited -->\n", 1)).unwrap();
    let out = lint(
        &root,
        &["salesforce", "--changed-since", "main", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        json_findings(&out),
        [
            format!("EXO002 {NC}/Sync Service é.namedCredential-meta.xml:5"),
            format!("SEC001 {NC}/Sync Service é.namedCredential-meta.xml:8"),
            format!("EXO001 {NC}/Sync Service é.namedCredential-meta.xml:10"),
            "SEC002 salesforce/force-app/main/default/remoteSiteSettings/Exchange_Online.remoteSite-meta.xml:5".to_owned(),
            // Unchanged, but its evidence (the named credential) changed.
            "LS001 salesforce/force-app/main/default/settings/EmailIntegration.settings-meta.xml:4".to_owned(),
        ]
    );
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    // Marked: only LS001, reported for its evidence.
    let marked: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("changedEvidenceOnly") == Some(&Value::Bool(true)))
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(marked, ["LS001"]);
    let human = stdout(&lint(&root, &["salesforce", "--changed-since", "main"]));
    assert_eq!(
        human
            .matches("   = reported since its evidence changed (the file itself did not)\n")
            .count(),
        1,
        "{human}"
    );
    let merge_base = repo.git(&["rev-parse", "main"]).trim().to_owned();
    assert_eq!(
        doc["changedSince"],
        serde_json::json!({ "ref": "main", "mergeBase": merge_base, "changedFiles": 2, "wholeProjects": 0 })
    );
    let out = lint(&root.join("salesforce"), &["--changed-since", "main"]);
    assert_eq!(
        summary_line(&out),
        format!("4 errors, 1 warning, 0 info in 10 metadata files; 2 files changed since main (merge base {})", &merge_base[..12])
    );

    // Untracked, and staged: a credential's evidence changed reports the
    // finding that cites it (EXO001 of the external credential is used by
    // this named credential).
    repo.git(&["checkout", "-q", "--", "."]);
    let calendar = root
        .join(NC)
        .join("Calendar_Room_Finder.namedCredential-meta.xml");
    let text = std::fs::read_to_string(&calendar).unwrap();
    std::fs::write(&calendar, text.replacen("?>\n", "?>\n<!-- staged -->\n", 1)).unwrap();
    repo.git(&["add", "-A"]);
    let out = lint(
        &root,
        &["salesforce", "--changed-since", "main", "--format", "json"],
    );
    let found = json_findings(&out);
    assert!(
        found.iter().any(|f| f.starts_with("EXO001 salesforce/force-app/main/default/externalCredentials/")),
        "{found:?}"
    );
    assert!(
        found.iter().all(|f| !f.contains("remoteSiteSettings")),
        "{found:?}"
    );
}

#[test]
fn changed_since_with_nothing_changed_says_so_and_a_changed_manifest_reports_everything() {
    let repo = Repo::with_project_in_subfolder();
    let root = repo.root();
    let out = lint(&root, &["salesforce", "--changed-since", "HEAD"]);
    assert_eq!(out.status.code(), Some(0));
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    assert_eq!(
        summary_line(&out),
        format!("0 errors, 0 warnings, 0 info in 10 metadata files; 0 files changed since HEAD (merge base {})", &head[..12])
    );
    let manifest = root.join("salesforce/sfdx-project.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("62.0", "63.0")).unwrap();
    let out = lint(
        &root,
        &["salesforce", "--changed-since", "HEAD", "--format", "json"],
    );
    assert_eq!(json_findings(&out).len(), 9);
    let out = lint(&root, &["salesforce", "--changed-since", "HEAD"]);
    assert_eq!(
        summary_line(&out),
        format!("8 errors, 1 warning, 0 info in 10 metadata files; 10 files changed since HEAD (merge base {}), whole project reported (sfdx-project.json or .forceignore changed)", &head[..12])
    );
}

#[test]
fn changed_since_fails_clearly_without_the_history() {
    let repo = Repo::with_project_in_subfolder();
    let root = repo.root();
    let hint = "fetch the history first (GitHub Actions: actions/checkout with `fetch-depth: 0`; GitLab CI: `GIT_DEPTH: 0`; Azure Pipelines: `fetchDepth: 0`)";
    let out = lint(&root, &["salesforce", "--changed-since", "origin/main"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!("exchange-auth-lint: --changed-since origin/main: no such commit in the repository; {hint}, or name an existing branch, tag or commit\n")
    );
    assert_eq!(stdout(&out), "");
    // A shallow clone of a branch two commits ahead: main is not there.
    repo.branch("feature");
    for i in 0..2 {
        std::fs::write(root.join(format!("note{i}.txt")), "x").unwrap();
        repo.commit_all("more");
    }
    let clones = tempfile::tempdir().unwrap();
    let shallow = clones.path().join("shallow");
    let url = format!("file://{}", root.display());
    git_ok(
        clones.path(),
        &[
            "clone", "-q", "--depth", "1", "--branch", "feature", &url, "shallow",
        ],
    );
    let error = |why: &str| {
        let out = lint(&shallow, &["salesforce", "--changed-since", "origin/main"]);
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            stderr(&out),
            format!("exchange-auth-lint: --changed-since origin/main: {why}\n")
        );
    };
    error(&format!("no such commit in the repository; this is a shallow clone: {hint}, or name an existing branch, tag or commit"));
    // The ref fetched, but not the history down to the merge base.
    git_ok(
        &shallow,
        &[
            "fetch",
            "-q",
            "--depth",
            "1",
            "origin",
            "main:refs/remotes/origin/main",
        ],
    );
    error(&format!(
        "no common ancestor of it and HEAD; this is a shallow clone: {hint}"
    ));
    // A repository without a commit yet.
    let fresh = Repo::empty();
    copy_dir(&demo_root(), &fresh.root().join("salesforce"));
    let out = lint(&fresh.root(), &["salesforce", "--changed-since", "main"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "exchange-auth-lint: --changed-since main: the repository has no commit checked out (HEAD)\n"
    );
    // Outside git.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&demo_root(), &dir.path().join("org"));
    let out = lint(dir.path(), &["org", "--changed-since", "main"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).ends_with("/org is not in a git work tree\n"),
        "{}",
        stderr(&out)
    );
}
