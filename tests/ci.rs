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
