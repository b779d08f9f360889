//! Fixes end to end: every fixable rule's fix applied to a copy of a
//! fixture (`fixtures/fix-*/input`), compared byte for byte with the
//! expected files (`fixtures/fix-*/expected*/`, only the files that
//! change, each named `<file>.expected`), re-parsed, re-checked, and fixed again without change; `--diff`
//! applied with `git apply` and `patch -p1`; refusals; and a property test
//! over generated metadata files.
//!
//! `FIXES_UPDATE=1 cargo test --test fixes` rewrites the expected files
//! (review the result before committing).

use exchange_auth_lint::check::{check, CheckOptions};
use exchange_auth_lint::facts::Facts;
use exchange_auth_lint::fix::{self, session, Edit, FileChange, WorkspaceEdit};
use exchange_auth_lint::i18n::Lang;
use exchange_auth_lint::metadata::MetadataKind;
use exchange_auth_lint::project::{find_root, LoadOptions, Project};
use exchange_auth_lint::rules::Context;
use exchange_auth_lint::timeline::AsOf;
use exchange_auth_lint::xml::XmlTree;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

mod support;
use support::copy_dir;

const BIN: &str = env!("CARGO_BIN_EXE_exchange-auth-lint");
const TODAY: &str = "2026-11-24";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("fixtures")
}

fn copy_input(name: &str) -> TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join(name).join("input"), tmp.path());
    tmp
}

/// Every file under `dir`, by relative path with `/`.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        if !dir.exists() {
            return;
        }
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                if entry.file_name() != ".git" {
                    walk(root, &path, out);
                }
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Expected files carry a `.expected` suffix, so that checking the
/// `fixtures/` folder never reads them as metadata (or as a project).
const SUFFIX: &str = ".expected";

fn expected_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|(rel, bytes)| {
            let rel = rel
                .strip_suffix(SUFFIX)
                .expect("expected files end in .expected");
            (rel.to_owned(), bytes)
        })
        .collect()
}

/// `result` = the fixture's input with the files of `expected/` replacing
/// (or adding to) it, byte for byte.
fn assert_matches(result: &Path, name: &str, expected: &str) {
    let input = files(&fixtures().join(name).join("input"));
    let expected_dir = fixtures().join(name).join(expected);
    let got = files(result);
    if std::env::var_os("FIXES_UPDATE").is_some() {
        let _ = std::fs::remove_dir_all(&expected_dir);
        for (rel, bytes) in &got {
            if input.get(rel) != Some(bytes) {
                let path = expected_dir.join(format!("{rel}{SUFFIX}"));
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, bytes).unwrap();
            }
        }
    }
    let mut want = input.clone();
    let expected_files = expected_files(&expected_dir);
    assert!(
        !expected_files.is_empty(),
        "{name}/{expected} has no expected files"
    );
    want.extend(expected_files);
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&got), names(&want), "{name}: files differ");
    for (rel, bytes) in &want {
        assert!(
            got[rel] == *bytes,
            "{name}/{rel} differs from {expected}:\n--- got ---\n{}\n--- want ---\n{}",
            text(&got[rel]),
            text(bytes)
        );
    }
}

/// Every metadata file under `dir` parses.
fn assert_well_formed(dir: &Path) {
    for (rel, bytes) in files(dir) {
        let name = rel.rsplit('/').next().unwrap();
        let xml = MetadataKind::from_file_name(name).is_some_and(|(k, _)| {
            !matches!(k, MetadataKind::ApexClass | MetadataKind::ApexTrigger)
        });
        if xml {
            let t = std::str::from_utf8(&bytes).unwrap();
            XmlTree::parse(t).unwrap_or_else(|e| panic!("{rel}: {}", e.message));
        }
    }
}

fn options(as_of: &str) -> CheckOptions {
    CheckOptions {
        as_of: AsOf::parse(as_of).unwrap(),
        lang: Lang::En,
        ..CheckOptions::default()
    }
}

fn load(dir: &Path) -> Project {
    let (root, manifest) = find_root(dir);
    Project::load(&root, manifest, &LoadOptions::default())
}

/// Rule ids of the findings in `dir`.
fn rules_found(dir: &Path, as_of: &str) -> Vec<&'static str> {
    let project = load(dir);
    check(&project, &options(as_of))
        .findings
        .iter()
        .map(|f| f.rule)
        .collect()
}

/// Writes a workspace edit the way an editor would.
fn write_edit(edit: &WorkspaceEdit) {
    for change in &edit.changes {
        match change {
            FileChange::Edit { path, edits } => {
                let old = std::fs::read_to_string(path).unwrap();
                std::fs::write(path, fix::apply(&old, edits)).unwrap();
            }
            FileChange::Create { path, text } => {
                assert!(!path.exists(), "{} exists", path.display());
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
        }
    }
}

/// Offers for the first finding of `rule` in `dir`: (id, title, preferred).
fn offers(dir: &Path, as_of: &str, rule: &str) -> Vec<(String, bool)> {
    let project = load(dir);
    let opts = options(as_of);
    let result = check(&project, &opts);
    let facts = Facts::compute(&project);
    let ctx = Context::new(&project, &facts, opts.as_of, Lang::En);
    let finding = result
        .findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("no {rule} finding"));
    let offers = fix::offers_for(&ctx, finding);
    assert_eq!(finding.fixable, !offers.is_empty());
    offers.into_iter().map(|o| (o.id, o.preferred)).collect()
}

/// Applies the fix `id` of the first finding of `rule` through the library.
fn apply_offer(dir: &Path, as_of: &str, rule: &str, id: &str) {
    let project = load(dir);
    let opts = options(as_of);
    let result = check(&project, &opts);
    let facts = Facts::compute(&project);
    let ctx = Context::new(&project, &facts, opts.as_of, Lang::En);
    let finding = result.findings.iter().find(|f| f.rule == rule).unwrap();
    let offer = fix::offers_for(&ctx, finding)
        .into_iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("{rule} offers no {id}"));
    let fix = fix::resolve(&ctx, finding, &offer).unwrap_or_else(|r| panic!("{}", r.reason));
    assert!(!fix.title.is_empty());
    write_edit(&fix.edit);
}

/// The `--fix` contract for one fixture: expected bytes, well-formed, the
/// rule's findings gone, a second `--fix` changes nothing.
fn fix_case(name: &str, as_of: &str, rule: &str) -> TempDir {
    fix_case_in(name, as_of, rule, "expected")
}

/// [`fix_case`] against the expected files of `expected/` (the preferred
/// fix can depend on the as-of date).
fn fix_case_in(name: &str, as_of: &str, rule: &str, expected: &str) -> TempDir {
    let tmp = copy_input(name);
    assert!(
        rules_found(tmp.path(), as_of).contains(&rule),
        "{name}: no {rule} before"
    );
    let out = run(tmp.path(), &["check", ".", "--as-of", as_of, "--fix"]);
    assert_ne!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains(&format!("{rule} ")), "{stdout}");
    assert_matches(tmp.path(), name, expected);
    assert_well_formed(tmp.path());
    assert!(
        !rules_found(tmp.path(), as_of).contains(&rule),
        "{name}: {rule} left"
    );
    let before = files(tmp.path());
    let again = run(tmp.path(), &["check", ".", "--as-of", as_of, "--fix"]);
    assert!(
        text(&again.stdout).contains("Nothing to fix."),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(
        files(tmp.path()),
        before,
        "{name}: second --fix changed files"
    );
    tmp
}

/// The same contract for a fix that is not the preferred one, applied
/// through the library (as an editor would); the second run is
/// `--fix --select <rule>`.
fn variant_case(name: &str, as_of: &str, rule: &str, id: &str, expected: &str) {
    let tmp = copy_input(name);
    apply_offer(tmp.path(), as_of, rule, id);
    assert_matches(tmp.path(), name, expected);
    assert_well_formed(tmp.path());
    assert!(
        !rules_found(tmp.path(), as_of).contains(&rule),
        "{name}: {rule} left"
    );
    let before = files(tmp.path());
    run(
        tmp.path(),
        &["check", ".", "--as-of", as_of, "--fix", "--select", rule],
    );
    assert_eq!(files(tmp.path()), before);
}

/// From 2026-10-01 the preferred fix leads to Microsoft Graph: the named
/// credential calls `https://graph.microsoft.com`, the new external
/// credential asks for the Graph scope; EXO002 goes with the EWS URL.
#[test]
fn exo001_legacy_named_credential_to_graph() {
    let tmp = fix_case("fix-exo001-legacy", TODAY, "EXO001");
    // The tenant comes from the old user name's domain.
    let ec = std::fs::read_to_string(tmp.path().join(
        "force-app/main/default/externalCredentials/Exchange_EWS_Graph.externalCredential-meta.xml",
    ))
    .unwrap();
    assert!(ec.contains("https://login.microsoftonline.com/contoso.example/oauth2/v2.0/token"));
    assert!(ec.contains("<parameterValue>https://graph.microsoft.com/.default</parameterValue>"));
    assert_eq!(rules_found(tmp.path(), TODAY), Vec::<&str>::new());
}

/// The Graph fix's note lists what remains: the Graph application
/// permissions for the EWS operations the calling Apex uses, RBAC for
/// Applications, the secret in Setup, and the classes to rewrite.
#[test]
fn graph_fix_note_names_permissions_rbac_secret_and_classes() {
    let tmp = fix_case("fix-exo001-graph-apex", TODAY, "EXO001");
    // The Apex still builds EWS SOAP: it must be rewritten (no file fix).
    assert_eq!(rules_found(tmp.path(), TODAY), ["EXO002"]);
    let tmp = copy_input("fix-exo001-graph-apex");
    let en = fixes_in(tmp.path(), TODAY, Lang::En, "EXO001");
    assert_eq!(
        en[0].title,
        "Convert to OAuth 2.0 for Microsoft Graph (External Credential, client credentials)"
    );
    assert_eq!(
        en[0].note.as_deref().unwrap(),
        "Register an app in Microsoft Entra ID and grant it the Microsoft Graph application permissions \
         Calendars.ReadWrite, Mail.Read, Mail.Send (for the EWS operations FindItem, CreateItem found in Apex), \
         with admin consent. Limit it to the mailboxes it serves with RBAC for Applications in Exchange Online \
         (New-ManagementRoleAssignment -App <app id> -Role \"Application Mail.Send\" -CustomResourceScope <scope>, \
         one assignment per permission; Application Access Policies are superseded). In Setup, enter the app's \
         client id and secret on the principal Shared_Mailbox_Principal of the external credential \
         Shared_Mailbox_Graph, and give the users who make the callouts access to that principal through a \
         permission set. The named credential now calls Microsoft Graph: these Apex classes call it and must \
         move from EWS SOAP to Microsoft Graph REST (JSON, other item ids): OrderMailer."
    );
    // The EWS variant says it needs the allow list, and until when.
    let ews = en.iter().find(|f| f.title.contains("for EWS")).unwrap();
    let note = ews.note.as_deref().unwrap();
    assert!(
        note.contains("from 2026-10-01 it works only if a tenant admin puts the app's client id on the EWSAllowedAppIDs allow list"),
        "{note}"
    );
    assert!(
        note.contains("on 2027-04-01 EWS shuts down for every app"),
        "{note}"
    );
    let ja = fixes_in(tmp.path(), TODAY, Lang::Ja, "EXO001");
    let note = ja[0].note.as_deref().unwrap();
    for needle in [
        "Calendars.ReadWrite, Mail.Read, Mail.Send",
        "RBAC for Applications",
        "Shared_Mailbox_Principal",
        "OrderMailer",
    ] {
        assert!(note.contains(needle), "{note}");
    }
}

/// A secured-endpoint named credential that sends `Authorization: Basic`
/// as an `HttpHeader` parameter: the header goes, the credential
/// authenticates through a new Graph external credential, its Url is the
/// Graph host and Salesforce generates the Authorization header.
#[test]
fn exo001_basic_header_parameter_to_graph() {
    let tmp = fix_case("fix-exo001-nc-header", TODAY, "EXO001");
    // Nothing left but the tenant the fix could not know: the project
    // declares none and the header names no user (FIX001).
    assert_eq!(rules_found(tmp.path(), TODAY), ["FIX001"]);
    variant_case(
        "fix-exo001-nc-header",
        TODAY,
        "EXO001",
        "oauth-external-credential",
        "expected-ews",
    );
}

/// Before 2026-10-01 the EWS variant is still the preferred one; from then
/// on it is offered (not preferred) until EWS shuts down on 2027-04-01, and
/// the legacy delegated fix is never preferred.
#[test]
fn exo001_offers_follow_the_ews_dates() {
    let tmp = copy_input("fix-exo001-legacy");
    let graph = || ("oauth-graph".to_owned(), false);
    let ews = || ("oauth-external-credential".to_owned(), false);
    let legacy = ("oauth-auth-provider".to_owned(), false);
    let pref = |(id, _): (String, bool)| (id, true);
    assert_eq!(
        offers(tmp.path(), "2026-09-30", "EXO001"),
        [pref(ews()), graph(), legacy.clone()]
    );
    for date in ["2026-10-01", "2027-03-31"] {
        assert_eq!(
            offers(tmp.path(), date, "EXO001"),
            [pref(graph()), ews(), legacy.clone()],
            "{date}"
        );
    }
    assert_eq!(offers(tmp.path(), "2027-04-01", "EXO001"), [pref(graph())]);
    let tmp = copy_input("fix-exo001-external");
    assert_eq!(
        offers(tmp.path(), "2026-09-30", "EXO001"),
        [pref(ews()), graph()]
    );
    assert_eq!(offers(tmp.path(), TODAY, "EXO001"), [pref(graph()), ews()]);
    assert_eq!(offers(tmp.path(), "2027-04-01", "EXO001"), [pref(graph())]);
}

/// The EWS variant: the old endpoint kept byte for byte, the EWS scope; the
/// preferred fix before 2026-10-01, a variant until 2027-04-01.
#[test]
fn exo001_legacy_named_credential_to_ews_oauth() {
    fix_case_in("fix-exo001-legacy", "2026-09-30", "EXO001", "expected-ews");
    variant_case(
        "fix-exo001-legacy",
        TODAY,
        "EXO001",
        "oauth-external-credential",
        "expected-ews",
    );
    fix_case_in(
        "fix-exo001-external",
        "2026-09-30",
        "EXO001",
        "expected-ews",
    );
}

#[test]
fn exo001_legacy_oauth_with_auth_provider() {
    let tmp = copy_input("fix-exo001-legacy");
    let offered = offers(tmp.path(), TODAY, "EXO001");
    assert_eq!(
        offered,
        [
            ("oauth-graph".to_owned(), true),
            ("oauth-external-credential".to_owned(), false),
            ("oauth-auth-provider".to_owned(), false)
        ]
    );
    variant_case(
        "fix-exo001-legacy",
        TODAY,
        "EXO001",
        "oauth-auth-provider",
        "expected-auth-provider",
    );
}

#[test]
fn new_files_never_overwrite_and_get_a_free_name() {
    let tmp = copy_input("fix-exo001-legacy");
    let dir = tmp
        .path()
        .join("force-app/main/default/externalCredentials");
    std::fs::create_dir_all(&dir).unwrap();
    // Taken by an unrelated (OAuth) external credential, and on disk only
    // in the other format.
    let other = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ExternalCredential xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <authenticationProtocol>Oauth</authenticationProtocol>\n    <label>Other</label>\n</ExternalCredential>\n";
    std::fs::write(
        dir.join("Exchange_EWS_Graph.externalCredential-meta.xml"),
        other,
    )
    .unwrap();
    std::fs::write(dir.join("Exchange_EWS_Graph_2.externalCredential"), other).unwrap();
    let out = run(tmp.path(), &["check", ".", "--as-of", TODAY, "--fix"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(
        std::fs::read_to_string(dir.join("Exchange_EWS_Graph.externalCredential-meta.xml"))
            .unwrap(),
        other
    );
    let created =
        std::fs::read_to_string(dir.join("Exchange_EWS_Graph_3.externalCredential-meta.xml"))
            .unwrap();
    assert!(created.contains("ClientCredentialsClientSecret"));
    let nc = std::fs::read_to_string(
        tmp.path()
            .join("force-app/main/default/namedCredentials/Exchange_EWS.namedCredential-meta.xml"),
    )
    .unwrap();
    assert!(nc.contains("<externalCredential>Exchange_EWS_Graph_3</externalCredential>"));
    assert!(!rules_found(tmp.path(), TODAY).contains(&"EXO001"));
}

#[test]
fn exo001_external_credential_rewritten_in_place() {
    let tmp = fix_case("fix-exo001-external", TODAY, "EXO001");
    // Only the in-place conversion: no legacy variant, no new file.
    for suffix in ["OAuth", "Graph"] {
        assert!(!tmp
            .path()
            .join(format!("force-app/main/default/externalCredentials/Mail_Header_{suffix}.externalCredential-meta.xml"))
            .exists());
    }
    // The GCC High named credential now calls Graph in its own cloud.
    let nc = std::fs::read_to_string(
        tmp.path()
            .join("force-app/main/default/namedCredentials/Mail_GCC.namedCredential-meta.xml"),
    )
    .unwrap();
    assert!(
        nc.contains("<parameterValue>https://graph.microsoft.us</parameterValue>"),
        "{nc}"
    );
    assert_eq!(rules_found(tmp.path(), TODAY), Vec::<&str>::new());
}

/// A secret in a custom metadata record goes with its `<values>` entry.
#[test]
fn sec001_removes_a_custom_metadata_secret() {
    let tmp = fix_case("fix-sec001-custom-metadata", TODAY, "SEC001");
    let record =
        std::fs::read_to_string(tmp.path().join(
            "force-app/main/default/customMetadata/Mailbox_Integration.Production.md-meta.xml",
        ))
        .unwrap();
    assert!(!record.contains("Client_Secret__c"), "{record}");
    assert!(record.contains("Client_Id__c"), "{record}");
}

#[test]
fn sec001_removes_secrets_in_a_metadata_api_tree() {
    fix_case("fix-sec001", TODAY, "SEC001");
}

/// Placeholders are not secrets: `check --fix` deletes no token, mask or
/// template marker (issue: `--fix` used to delete `Placeholder_Value` and
/// `${X}`, breaking the pipelines that fill them).
#[test]
fn fix_never_deletes_placeholders() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("sec001-placeholders"), tmp.path());
    let before = files(tmp.path());
    let out = run(tmp.path(), &["check", ".", "--fix", "--as-of", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(files(tmp.path()), before);
}

#[test]
fn sec002_requires_https() {
    fix_case("fix-sec002", TODAY, "SEC002");
}

#[test]
fn ap001_switches_to_entra_id_in_the_same_cloud() {
    fix_case("fix-ap001", TODAY, "AP001");
}

#[test]
fn ls001_moves_sync_to_eac_creating_the_settings_file() {
    fix_case("fix-ls001", TODAY, "LS001");
}

#[test]
fn ls001_switch_to_oauth_records_the_answer() {
    variant_case(
        "fix-ls001",
        "2026-08-01",
        "LS001",
        "switch-lightning-sync-oauth2",
        "expected-switch",
    );
}

#[test]
fn ls_fixes_follow_the_as_of_date() {
    let tmp = copy_input("fix-ls001");
    let ids = |as_of| -> Vec<String> {
        offers(tmp.path(), as_of, "LS001")
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    };
    assert_eq!(
        ids("2025-01-15"),
        [
            "eac-user-oauth",
            "eac-service-account-oauth",
            "switch-lightning-sync-oauth2"
        ]
    );
    assert_eq!(
        ids("2026-08-31"),
        ["eac-user-oauth", "switch-lightning-sync-oauth2"]
    );
    assert_eq!(ids("2026-09-01"), ["eac-user-oauth"]);
    // LS003 (already OAuth 2.0) never offers the switch.
    let ls003 = copy_input("fix-ls003");
    let ids: Vec<String> = offers(ls003.path(), "2025-01-15", "LS003")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, ["eac-user-oauth", "eac-service-account-oauth"]);
}

#[test]
fn ls003_enables_eac_in_metadata_api_settings() {
    fix_case("fix-ls003", TODAY, "LS003");
}

/// LS002's "Declare" ids when neither answer is known and Gmail is on too
/// (without Gmail, the last one is not offered).
const DECLARE_BOTH_UNKNOWN: [&str; 4] = [
    "declare:online:service-account",
    "declare:online:oauth2",
    "declare:on-premises",
    "declare:none",
];

fn offer_ids(offered: &[(String, bool)]) -> Vec<&str> {
    offered.iter().map(|(id, _)| id.as_str()).collect()
}

#[test]
fn ls002_declare_writes_the_answers() {
    let tmp = copy_input("fix-ls002");
    let offered = offers(tmp.path(), TODAY, "LS002");
    // On-premises is LS004 whatever the connection method.
    assert_eq!(offer_ids(&offered), DECLARE_BOTH_UNKNOWN[..3]);
    // Never guessed by --fix.
    assert!(offered.iter().all(|(_, preferred)| !preferred));
    let out = run(tmp.path(), &["check", ".", "--as-of", TODAY, "--fix"]);
    assert!(text(&out.stdout).contains("Nothing to fix."));
    variant_case(
        "fix-ls002",
        TODAY,
        "LS002",
        "declare:online:service-account",
        "expected-declare",
    );
    // With the answers declared, the real problem shows.
    let tmp = copy_input("fix-ls002");
    apply_offer(tmp.path(), TODAY, "LS002", "declare:online:service-account");
    assert!(rules_found(tmp.path(), TODAY).contains(&"LS001"));
}

/// Gmail and Outlook both on: declaring Google Workspace is one of the
/// answers, and it clears every Lightning Sync finding.
#[test]
fn ls002_offers_google_when_gmail_is_on_too() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("mail-both"), tmp.path());
    let offered = offers(tmp.path(), TODAY, "LS002");
    assert_eq!(offer_ids(&offered), DECLARE_BOTH_UNKNOWN);
    apply_offer(tmp.path(), TODAY, "LS002", "declare:none");
    let manifest = std::fs::read_to_string(tmp.path().join("sfdx-project.json")).unwrap();
    assert!(manifest.contains(r#""exchange": "none""#), "{manifest}");
    assert_eq!(rules_found(tmp.path(), TODAY), Vec::<&str>::new());
}

/// The fixes (titles, notes) of the first `rule` finding in the project at
/// `root`, as of `as_of`, in `lang`.
fn fixes_in(root: &Path, as_of: &str, lang: Lang, rule: &str) -> Vec<fix::Fix> {
    let project = load(root);
    let opts = CheckOptions {
        lang,
        ..options(as_of)
    };
    let result = check(&project, &opts);
    let facts = Facts::compute(&project);
    let ctx = Context::new(&project, &facts, opts.as_of, lang);
    let finding = result.findings.iter().find(|f| f.rule == rule).unwrap();
    fix::fixes_for(&ctx, finding)
}

#[test]
fn fix_titles_in_japanese() {
    let tmp = copy_input("fix-exo001-legacy");
    let fixes = fixes_in(tmp.path(), TODAY, Lang::Ja, "EXO001");
    assert_eq!(fixes.len(), 3);
    assert!(
        fixes[0]
            .title
            .contains("Microsoft Graph 用の OAuth 2.0 に変換"),
        "{}",
        fixes[0].title
    );
    assert!(fixes[0].note.as_deref().unwrap().contains("Entra ID"));
}

/// The move to EAC is two steps: its note says OAuth Lightning Sync also
/// uses EWS and that EAC needs "Upgrade to Microsoft Graph" afterwards.
#[test]
fn move_to_eac_note_names_the_graph_upgrade() {
    let tmp = copy_input("fix-ls003");
    for (lang, needles) in [
        (
            Lang::En,
            [
                "Upgrade to Microsoft Graph",
                "Lightning Sync's OAuth 2.0 method and older EAC connections use EWS",
                "blocks by default since 2026-10-01 and shuts down on 2027-04-01",
            ],
        ),
        (
            Lang::Ja,
            [
                "Microsoft Graph にアップグレード",
                "Lightning Sync の OAuth 2.0 方式と以前の EAC の接続は EWS を使います",
                "2026年10月1日から既定でブロック",
            ],
        ),
    ] {
        let fixes = fixes_in(tmp.path(), TODAY, lang, "LS003");
        let note = fixes[0].note.as_deref().unwrap();
        for needle in needles {
            assert!(note.contains(needle), "{lang:?}: {note}");
        }
    }
}

/// `--diff` prints exactly what `--fix` writes, as a patch that `git apply`
/// and `patch -p1` apply in the project root.
#[test]
fn diff_applies_with_git_apply_and_patch() {
    let have_patch = Command::new("patch").arg("--version").output().is_ok();
    for name in [
        "fix-exo001-legacy",
        "fix-exo001-external",
        "fix-sec002",
        "fix-ap001",
        "fix-ls001",
        "fix-ls003",
    ] {
        let fixed = copy_input(name);
        let out = run(fixed.path(), &["check", ".", "--as-of", TODAY, "--diff"]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out.stderr));
        let patch = out.stdout;
        assert!(!patch.is_empty());
        // --diff writes nothing.
        assert_eq!(
            files(fixed.path()),
            files(&fixtures().join(name).join("input"))
        );
        run(fixed.path(), &["check", ".", "--as-of", TODAY, "--fix"]);
        let want = files(fixed.path());

        let patch_file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(patch_file.path(), &patch).unwrap();
        let with_git = copy_input(name);
        let git = Command::new("git")
            .args(["apply", "--whitespace=nowarn"])
            .arg(patch_file.path())
            .current_dir(with_git.path())
            .output()
            .unwrap();
        assert!(
            git.status.success(),
            "{name}: git apply: {}",
            text(&git.stderr)
        );
        assert_eq!(files(with_git.path()), want, "{name}: git apply result");

        if have_patch {
            let with_patch = copy_input(name);
            let p = Command::new("patch")
                .args(["-p1", "--batch", "--no-backup-if-mismatch", "-i"])
                .arg(patch_file.path())
                .current_dir(with_patch.path())
                .output()
                .unwrap();
            assert!(p.status.success(), "{name}: patch: {}", text(&p.stdout));
            assert_eq!(files(with_patch.path()), want, "{name}: patch -p1 result");
        }

        // Nothing left: empty diff, exit 0.
        let again = run(fixed.path(), &["check", ".", "--as-of", TODAY, "--diff"]);
        assert_eq!(again.status.code(), Some(0));
        assert!(again.stdout.is_empty());
    }
}

#[test]
fn diff_never_prints_secrets() {
    let tmp = copy_input("fix-sec001");
    let out = run(tmp.path(), &["check", ".", "--as-of", TODAY, "--diff"]);
    assert_eq!(out.status.code(), Some(1));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!all.contains("hunter2-not-real"), "{all}");
    assert!(!all.contains("s3cr3t-value-not-real"), "{all}");
    assert!(!all.contains("bm90OnJlYWwtc2VjcmV0"), "{all}");
    assert!(text(&out.stdout).contains("-    <password>********</password>"));
    assert!(text(&out.stderr).contains("********"));
    // --fix output does not print them either.
    let out = run(tmp.path(), &["check", ".", "--as-of", TODAY, "--fix"]);
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!all.contains("hunter2-not-real") && !all.contains("s3cr3t-value-not-real"));
}

#[test]
fn files_with_xml001_are_never_rewritten() {
    let tmp = copy_input("fix-ls001");
    let eac = tmp
        .path()
        .join("force-app/main/default/settings/EAC.settings-meta.xml");
    std::fs::write(
        &eac,
        "<EACSettings xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <enableActivityCapture>false</enableActivityCapture>\n",
    )
    .unwrap();
    let before = files(tmp.path());
    assert_eq!(offers(tmp.path(), TODAY, "LS001"), []);
    let out = run(tmp.path(), &["check", ".", "--as-of", TODAY, "--fix"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(files(tmp.path()), before);
    let found = rules_found(tmp.path(), TODAY);
    assert!(found.contains(&"XML001") && found.contains(&"LS001"));
}

#[test]
fn invalid_results_and_overwrites_are_refused() {
    let tmp = copy_input("fix-sec002");
    let project = load(tmp.path());
    let facts = Facts::compute(&project);
    let ctx = Context::new(&project, &facts, AsOf::parse(TODAY).unwrap(), Lang::En);
    let file = &project.files[0];
    let root = file.tree().unwrap().root().unwrap();
    let end_tag = file.tree().unwrap().element(root).end_tag.clone().unwrap();
    // Deleting the root's end tag would leave the file not well-formed.
    let broken = WorkspaceEdit {
        changes: vec![FileChange::Edit {
            path: file.path.clone(),
            edits: vec![Edit::delete(end_tag)],
        }],
    };
    let err = fix::validate(&ctx, &broken).unwrap_err();
    assert!(err.contains("would not be well-formed"), "{err}");
    let overwrite = WorkspaceEdit {
        changes: vec![FileChange::Create {
            path: file.path.clone(),
            text: "<a/>".into(),
        }],
    };
    assert!(fix::validate(&ctx, &overwrite)
        .unwrap_err()
        .contains("already exists"));
    let overlapping = WorkspaceEdit {
        changes: vec![FileChange::Edit {
            path: file.path.clone(),
            edits: vec![Edit::delete(0..10), Edit::delete(5..12)],
        }],
    };
    assert!(fix::validate(&ctx, &overlapping).is_err());
}

#[test]
fn a_failed_write_reports_the_files_and_writes_nothing() {
    let tmp = copy_input("fix-exo001-legacy");
    // A file where the new external credential's folder should be.
    std::fs::write(
        tmp.path()
            .join("force-app/main/default/externalCredentials"),
        "not a folder",
    )
    .unwrap();
    let before = files(tmp.path());
    let out = run(tmp.path(), &["check", ".", "--as-of", TODAY, "--fix"]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Not fixed (could not write):"), "{stdout}");
    assert!(
        stdout.contains("Exchange_EWS_Graph.externalCredential-meta.xml"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Exchange_EWS.namedCredential-meta.xml"),
        "{stdout}"
    );
    assert_eq!(files(tmp.path()), before);
}

#[test]
fn overlapping_fixes_take_several_passes() {
    // The demo org's service-account credential has SEC001 and EXO001 on
    // the same file: two passes, one result.
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("demo-org"), tmp.path());
    let project = load(tmp.path());
    let outcome = session::run(project, &options(TODAY), |_, _| true, session::MAX_PASSES);
    assert!(outcome.converged);
    assert_eq!(outcome.passes, 2);
    let rules: Vec<&str> = outcome.applied.iter().map(|a| a.rule).collect();
    for rule in ["LS001", "EXO001", "SEC001", "SEC002", "AP001"] {
        assert!(rules.contains(&rule), "{rules:?}");
    }
    // Every finding's fixable flag matches its offers, and no fixable
    // finding is left.
    let result = check(&outcome.project, &options(TODAY));
    assert!(
        result.findings.iter().all(|f| !f.fixable),
        "{:?}",
        result.findings
    );
    let again = session::run(outcome.project, &options(TODAY), |_, _| true, 10);
    assert_eq!(again.changed().count(), 0);
}

mod properties {
    //! Generated metadata files: random whitespace, comments, CRLF/LF,
    //! element order, unknown elements and non-ASCII text.
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    struct Style {
        eol: &'static str,
        indent: &'static str,
        decl: bool,
        final_newline: bool,
        comments: Vec<Option<String>>,
        extra_blank: Vec<bool>,
    }

    fn style() -> impl Strategy<Value = Style> {
        (
            prop_oneof![Just("\n"), Just("\r\n")],
            prop_oneof![Just("    "), Just("  "), Just("\t")],
            any::<bool>(),
            any::<bool>(),
            proptest::collection::vec(
                proptest::option::weighted(0.3, "[a-zA-Z0-9 äöü日本語]{0,12}"),
                16,
            ),
            proptest::collection::vec(proptest::bool::weighted(0.2), 16),
        )
            .prop_map(
                |(eol, indent, decl, final_newline, comments, extra_blank)| Style {
                    eol,
                    indent,
                    decl,
                    final_newline,
                    comments,
                    extra_blank,
                },
            )
    }

    /// A document with `children` (name, value) in the given order.
    fn document(root: &str, children: &[(String, String)], s: &Style) -> String {
        let mut out = String::new();
        if s.decl {
            out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
            out.push_str(s.eol);
        }
        out.push_str(&format!(
            "<{root} xmlns=\"http://soap.sforce.com/2006/04/metadata\">{}",
            s.eol
        ));
        for (i, (name, value)) in children.iter().enumerate() {
            if let Some(Some(c)) = s.comments.get(i) {
                out.push_str(&format!("{}<!-- {c} -->{}", s.indent, s.eol));
            }
            if s.extra_blank.get(i) == Some(&true) {
                out.push_str(s.eol);
            }
            out.push_str(&format!("{}<{name}>{value}</{name}>{}", s.indent, s.eol));
        }
        out.push_str(&format!("</{root}>"));
        if s.final_newline {
            out.push_str(s.eol);
        }
        out
    }

    fn shuffled(mut v: Vec<(String, String)>, seed: &[usize]) -> Vec<(String, String)> {
        for (i, &k) in seed.iter().enumerate() {
            if v.len() > 1 {
                let a = i % v.len();
                let b = k % v.len();
                v.swap(a, b);
            }
        }
        v
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[derive(Debug, Clone)]
    struct Case {
        files: Vec<(String, String)>,
    }

    fn case() -> impl Strategy<Value = Case> {
        (
            style(),
            style(),
            style(),
            style(),
            proptest::collection::vec(0usize..20, 12),
            "[a-zA-Z äöüé日本語（）]{1,16}",
            prop_oneof![Just("Password"), Just("password"), Just("PASSWORD")],
            prop_oneof![
                Just("https://outlook.office365.com/EWS/Exchange.asmx"),
                Just("https://outlook.office365.us/EWS/Exchange.asmx"),
                Just("https://partner.outlook.cn/EWS/Exchange.asmx?x=1&amp;y=2"),
            ],
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(
                |(s1, s2, s3, s4, seed, label, protocol, url, secret, inner)| {
                    // Comments inside values that a fix rewrites must survive.
                    let (dps, acs) = if inner {
                        ("tr<!-- d -->ue", "Microsoft<!-- acs -->ACS")
                    } else {
                        ("true", "MicrosoftACS")
                    };
                    let label = label.trim().to_owned();
                    let label = if label.is_empty() { "x".into() } else { label };
                    let mut nc = vec![
                        ("allowMergeFieldsInBody", "false"),
                        ("endpoint", url),
                        ("label", label.as_str()),
                        ("principalType", "NamedUser"),
                        ("protocol", protocol),
                        ("username", "svc@contoso.com"),
                        ("zzUnknownElement", "ünknown"),
                    ];
                    if secret {
                        nc.push(("password", "pw-Σ-not-real"));
                    }
                    let nc = document("NamedCredential", &shuffled(pairs(&nc), &seed), &s1);
                    let site = document(
                        "RemoteSiteSetting",
                        &shuffled(
                            pairs(&[
                                ("disableProtocolSecurity", dps),
                                ("isActive", "true"),
                                ("url", "http://graph.microsoft.com"),
                                ("description", "Ärger"),
                            ]),
                            &seed[3..],
                        ),
                        &s2,
                    );
                    let ap = document(
                        "AuthProvider",
                        &shuffled(
                            pairs(&[
                                ("friendlyName", label.as_str()),
                                ("providerType", acs),
                                ("consumerKey", "k"),
                                ("customMetadataTypeRecord", "日本"),
                            ]),
                            &seed[5..],
                        ),
                        &s3,
                    );
                    let email = document(
                        "EmailIntegrationSettings",
                        &pairs(&[("enableContactAndEventSync", "true")]),
                        &s4,
                    );
                    let eac = document(
                        "EACSettings",
                        &shuffled(
                            pairs(&[
                                ("enableActivityMetrics", "false"),
                                ("zzFuture", "1"),
                                ("s2XSvcAccEmail", "false"),
                            ]),
                            &seed[7..],
                        ),
                        &s1,
                    );
                    let d = "force-app/main/default";
                    Case {
                        files: vec![
                            (
                                format!("{d}/namedCredentials/Gen.namedCredential-meta.xml"),
                                nc,
                            ),
                            (
                                format!("{d}/remoteSiteSettings/Gen.remoteSite-meta.xml"),
                                site,
                            ),
                            (format!("{d}/authproviders/Gen.authprovider-meta.xml"), ap),
                            (
                                format!("{d}/settings/EmailIntegration.settings-meta.xml"),
                                email,
                            ),
                            (format!("{d}/settings/EAC.settings-meta.xml"), eac),
                        ],
                    }
                },
            )
    }

    /// Ranges an edit must never touch: comments, unknown elements and the
    /// prolog (XML declaration).
    fn protected(text: &str) -> Vec<std::ops::Range<usize>> {
        let tree = XmlTree::parse(text).unwrap();
        let mut out: Vec<_> = tree.comments().iter().map(|c| c.range.clone()).collect();
        for (id, el) in tree.elements() {
            let name = tree.local_name(text, id);
            if name.starts_with("zz") || name == "customMetadataTypeRecord" {
                out.push(el.range());
            }
        }
        out.push(0..tree.element(tree.root().unwrap()).start_tag.start);
        out.sort_by_key(|r| r.start);
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn fixes_are_minimal_well_formed_and_idempotent(case in case()) {
            let tmp = tempfile::tempdir().unwrap();
            std::fs::write(
                tmp.path().join("sfdx-project.json"),
                "{\n  \"packageDirectories\": [{ \"path\": \"force-app\" }],\n  \"plugins\": { \"exchangeAuthLint\": { \"lightningSyncConnection\": \"service-account\" } }\n}\n",
            ).unwrap();
            for (rel, text) in &case.files {
                let path = tmp.path().join(rel);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            let project = load(tmp.path());
            let opts = options(TODAY);

            // Every offered fix of every finding: edits never touch
            // protected bytes, and its result parses.
            {
                let result = check(&project, &opts);
                let facts = Facts::compute(&project);
                let ctx = Context::new(&project, &facts, opts.as_of, Lang::En);
                let mut offered = 0;
                for finding in &result.findings {
                    for fix in fix::fixes_for(&ctx, finding) {
                        offered += 1;
                        for change in &fix.edit.changes {
                            let FileChange::Edit { path, edits } = change else { continue };
                            let Some(file) = project.files.iter().find(|f| &f.path == path) else { continue };
                            let guard = protected(&file.text);
                            for e in edits {
                                for g in &guard {
                                    let overlaps = e.range.start < g.end && g.start < e.range.end;
                                    // A rewritten value carries its comments along.
                                    let carried = e.range.start <= g.start
                                        && g.end <= e.range.end
                                        && e.new_text.contains(&file.text[g.clone()]);
                                    prop_assert!(!overlaps || carried, "{} edit {:?} touches {:?} in\n{}", fix.rule, e.range, g, file.text);
                                }
                            }
                            // Bytes outside the edited ranges are unchanged.
                            let out = fix::apply(&file.text, edits);
                            let mut sorted = edits.clone();
                            sorted.sort_by_key(|e| (e.range.start, e.range.end));
                            let mut at = 0;
                            let mut pos = 0;
                            for e in &sorted {
                                let keep = &file.text[at..e.range.start];
                                prop_assert_eq!(&out[pos..pos + keep.len()], keep);
                                pos += keep.len() + e.new_text.len();
                                at = e.range.end;
                            }
                            prop_assert_eq!(&out[pos..], &file.text[at..]);
                            prop_assert!(XmlTree::parse(&out).is_ok());
                        }
                    }
                }
                prop_assert!(offered >= 4, "only {offered} fixes offered");
            }

            // All preferred fixes, pass after pass.
            let originals: BTreeMap<PathBuf, String> =
                project.files.iter().map(|f| (f.path.clone(), f.text.clone())).collect();
            let outcome = session::run(project, &opts, |_, _| true, session::MAX_PASSES);
            prop_assert!(outcome.converged);
            for (path, change) in outcome.changed() {
                let out = &change.text;
                prop_assert!(XmlTree::parse(out).is_ok(), "{}", out);
                let Some(orig) = originals.get(path) else { continue };
                // Comments and unknown elements survive, in order.
                let mut from = 0;
                for g in protected(orig) {
                    if g.start == 0 { continue; }
                    let piece = &orig[g.clone()];
                    if piece.contains("<password") { continue; }
                    let found = out[from..].find(piece);
                    prop_assert!(found.is_some(), "lost {:?} in\n{}", piece, out);
                    from += found.unwrap() + piece.len();
                }
                // The prolog, line endings and final newline convention.
                let root_start = XmlTree::parse(orig).unwrap().element(
                    XmlTree::parse(orig).unwrap().root().unwrap()).start_tag.start;
                prop_assert!(out.starts_with(&orig[..root_start]));
                if orig.contains("\r\n") {
                    prop_assert!(!out.replace("\r\n", "").contains('\n'), "bare LF in\n{}", out);
                } else {
                    prop_assert!(!out.contains('\r'));
                }
                prop_assert_eq!(orig.ends_with('\n'), out.ends_with('\n'));
                prop_assert!(!out.contains("pw-Σ-not-real"));
            }
            // Nothing fixable left, and a second run is a no-op.
            let result = check(&outcome.project, &opts);
            prop_assert!(result.findings.iter().all(|f| !f.fixable || f.rule == "LS002"));
            let again = session::run(outcome.project, &opts, |_, _| true, session::MAX_PASSES);
            prop_assert_eq!(again.changed().count(), 0);
        }
    }
}

mod manifest_properties {
    //! `sfdx-project.json` edits over generated manifests: indentation,
    //! CRLF/LF, comments, trailing commas, with or without `plugins`.
    use exchange_auth_lint::fix::{self, json_edit::set_plugin_strings};
    use exchange_auth_lint::project::config::{parse_manifest, LsConnection};
    use proptest::prelude::*;

    fn manifest() -> impl Strategy<Value = String> {
        (
            prop_oneof![Just("\n"), Just("\r\n")],
            prop_oneof![Just("  "), Just("    "), Just("\t")],
            0usize..4,
            any::<bool>(),
            any::<bool>(),
            "[a-zA-Z0-9 äö日本]{0,10}",
        )
            .prop_map(|(eol, ind, shape, comment, trailing, name)| {
                let c = if comment { " // note" } else { "" };
                let t = if trailing { "," } else { "" };
                let dirs = format!("{ind}\"packageDirectories\": [{{ \"path\": \"force-app\" }}]");
                let name = format!("{ind}\"name\": \"{name}\"");
                let body = match shape {
                    0 => format!("{dirs},{c}{eol}{name}{t}{eol}"),
                    1 => format!("{dirs},{eol}{ind}\"plugins\": {{}}{t}{c}{eol}"),
                    2 => format!(
                        "{dirs},{eol}{ind}\"plugins\": {{{eol}{ind}{ind}\"other\": {{ \"x\": 1 }}{t}{eol}{ind}}}{eol}"
                    ),
                    _ => format!(
                        "{dirs},{eol}{ind}\"plugins\": {{{eol}{ind}{ind}\"exchangeAuthLint\": {{{eol}{ind}{ind}{ind}\"exchange\": \"on-premises\"{t}{c}{eol}{ind}{ind}}}{eol}{ind}}}{eol}"
                    ),
                };
                format!("{{{eol}{body}}}{eol}")
            })
    }

    proptest! {
        #[test]
        fn declarations_keep_the_manifest(text in manifest()) {
            let (_, errors) = parse_manifest(&text);
            prop_assert!(errors.is_empty(), "{errors:?}\n{text}");
            let values = [("exchange", "online"), ("lightningSyncConnection", "oauth2")];
            let edits = set_plugin_strings(&text, &values).unwrap();
            prop_assert!(fix::check_edits(&text, &edits).is_ok());
            let out = fix::apply(&text, &edits);
            let (m, errors) = parse_manifest(&out);
            prop_assert!(errors.is_empty(), "{errors:?}\n{out}");
            prop_assert_eq!(m.config.ls_connection, Some(LsConnection::OAuth2));
            prop_assert_eq!(m.package_dirs, vec!["force-app".to_owned()]);
            if text.contains("\r\n") {
                prop_assert!(!out.replace("\r\n", "").contains('\n'), "bare LF in\n{}", out);
            }
            if text.contains("// note") {
                prop_assert!(out.contains("// note"));
            }
            // Every byte outside the edits is kept: deleting the inserted
            // and replaced text gives back the original's kept bytes.
            let mut sorted = edits.clone();
            sorted.sort_by_key(|e| (e.range.start, e.range.end));
            let (mut at, mut pos) = (0, 0);
            for e in &sorted {
                let keep = &text[at..e.range.start];
                prop_assert_eq!(&out[pos..pos + keep.len()], keep);
                pos += keep.len() + e.new_text.len();
                at = e.range.end;
            }
            prop_assert_eq!(&out[pos..], &text[at..]);
            // Idempotent.
            prop_assert!(set_plugin_strings(&out, &values).unwrap().is_empty());
        }
    }
}

/// A project holding one legacy basic-auth named credential `Mail` with
/// `label` (already escaped) and `password`.
fn legacy_credential_project(label: &str, password: &str) -> TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("sfdx-project.json"),
        r#"{"packageDirectories":[{"path":"force-app","default":true}]}"#,
    )
    .unwrap();
    let dir = tmp.path().join("force-app/main/default/namedCredentials");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Mail.namedCredential-meta.xml"),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<NamedCredential xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <endpoint>https://outlook.office365.com/EWS/Exchange.asmx</endpoint>\n    <label>{label}</label>\n    <password>{password}</password>\n    <principalType>NamedUser</principalType>\n    <protocol>Password</protocol>\n    <username>svc@contoso.com</username>\n</NamedCredential>\n"
        ),
    )
    .unwrap();
    tmp
}

const NEW_EC: &str =
    "force-app/main/default/externalCredentials/Mail_Graph.externalCredential-meta.xml";

/// A label that repeats a password held in another file (an Apex class
/// sending it in a Basic header) is not copied into the new external
/// credential either: fixes write no secret value of any file of the
/// project.
#[test]
fn a_label_repeating_an_apex_password_is_never_copied() {
    let tmp = legacy_credential_project("Zq9ApexPw", "Zq9Other");
    let classes = tmp.path().join("force-app/main/default/classes");
    std::fs::create_dir_all(&classes).unwrap();
    std::fs::write(
        classes.join("Mailer.cls"),
        "public class Mailer {\n    static final String SERVICE_PASSWORD = 'Zq9ApexPw';\n    public static void send() {\n        HttpRequest r = new HttpRequest();\n        r.setEndpoint('https://outlook.office365.com/EWS/Exchange.asmx');\n        r.setHeader('Authorization', 'Basic ' + EncodingUtil.base64Encode(Blob.valueOf('svc:' + SERVICE_PASSWORD)));\n    }\n}\n",
    )
    .unwrap();
    let out = run(tmp.path(), &["check", "--fix", "--as-of", TODAY]);
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("Zq9ApexPw"), "{stdout}");
    let ec = std::fs::read_to_string(tmp.path().join(NEW_EC)).unwrap();
    assert!(ec.contains("<label>Mail (Microsoft Graph)</label>"), "{ec}");
}

/// The label of the new external credential: a label that repeats the
/// password is not copied (the API name is used, and the note says so),
/// in the engine's fix (what the editor gets) and in `--fix`.
#[test]
fn a_label_repeating_a_secret_is_never_copied_into_a_new_file() {
    let tmp = legacy_credential_project("uses Zq9Secret", "Zq9Secret");
    for fix in fixes_in(tmp.path(), TODAY, Lang::En, "EXO001") {
        for change in &fix.edit.changes {
            let written = match change {
                FileChange::Create { text, .. } => text.clone(),
                FileChange::Edit { edits, .. } => {
                    edits.iter().map(|e| e.new_text.as_str()).collect()
                }
            };
            assert!(!written.contains("Zq9Secret"), "{}: {written}", fix.title);
        }
    }
    let graph = &fixes_in(tmp.path(), TODAY, Lang::En, "EXO001")[0];
    assert!(
        graph.note.as_deref().unwrap().contains(
            "The label of Mail repeats one of its secret values: Mail_Graph is labelled with the API name Mail instead"
        ),
        "{:?}",
        graph.note
    );
    let out = run(tmp.path(), &["check", "--fix", "--as-of", TODAY]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("labelled with the API name Mail instead"),
        "{stdout}"
    );
    let ec = std::fs::read_to_string(tmp.path().join(NEW_EC)).unwrap();
    assert!(ec.contains("<label>Mail (Microsoft Graph)</label>"), "{ec}");
    // Not even the named credential's own label holds it any more: the
    // fix that removed the password masked the copy.
    for (path, bytes) in files(tmp.path()) {
        assert_eq!(text(&bytes).matches("Zq9Secret").count(), 0, "{path}");
    }
    let nc = std::fs::read_to_string(
        tmp.path()
            .join("force-app/main/default/namedCredentials/Mail.namedCredential-meta.xml"),
    )
    .unwrap();
    assert!(nc.contains("<label>uses ********</label>"), "{nc}");
    assert!(stdout.contains("each copy is now ********"), "{stdout}");
    // A label without a secret is still copied.
    let plain = legacy_credential_project("Room mail", "Zq9Secret");
    run(plain.path(), &["check", "--fix", "--as-of", TODAY]);
    let ec = std::fs::read_to_string(plain.path().join(NEW_EC)).unwrap();
    assert!(
        ec.contains("<label>Room mail (Microsoft Graph)</label>"),
        "{ec}"
    );
}

/// The engine refuses any fix whose edits would write a secret value of
/// the files it touches where it was not.
#[test]
fn validate_refuses_an_edit_that_writes_a_secret() {
    let tmp = legacy_credential_project("Mail", "Zq9Secret");
    let project = load(tmp.path());
    let facts = Facts::compute(&project);
    let ctx = Context::new(&project, &facts, AsOf::parse(TODAY).unwrap(), Lang::En);
    let file = &project.files[0];
    let at = file.text.find("</label>").unwrap();
    let edit = |text: &str| WorkspaceEdit {
        changes: vec![FileChange::Edit {
            path: file.path.clone(),
            edits: vec![Edit::insert(at, text)],
        }],
    };
    let err = fix::validate(&ctx, &edit(" Zq9Secret")).unwrap_err();
    assert!(err.contains("would write a secret value"), "{err}");
    assert!(fix::validate(&ctx, &edit(" two")).is_ok());
    let mut create = edit(" two");
    create.changes.push(FileChange::Create {
        path: tmp.path().join("force-app/main/default/x.xml"),
        text: "<a>Zq9Secret</a>".into(),
    });
    assert!(fix::validate(&ctx, &create).is_err());
}

/// The created label fits Salesforce's 80 characters with its suffix: the
/// old label is cut at a character (never inside a multi-byte character
/// nor a character reference).
#[test]
fn a_long_label_is_cut_so_that_the_suffix_fits() {
    let label = format!("{}&amp;{}", "A".repeat(61), "é".repeat(40));
    let tmp = legacy_credential_project(&label, "Zq9Secret");
    run(tmp.path(), &["check", "--fix", "--as-of", TODAY]);
    let ec = std::fs::read_to_string(tmp.path().join(NEW_EC)).unwrap();
    let expected = format!("<label>{}&amp; (Microsoft Graph)</label>", "A".repeat(61));
    assert!(ec.contains(&expected), "{ec}");
    let tree = XmlTree::parse(&ec).unwrap();
    let root = tree.root().unwrap();
    let el = tree.child_named(&ec, root, "label").unwrap();
    assert_eq!(tree.value(&ec, el).unwrap().chars().count(), 80);
    // Multi-byte characters at the cut.
    let tmp = legacy_credential_project(&"é".repeat(100), "Zq9Secret");
    run(tmp.path(), &["check", "--fix", "--as-of", TODAY]);
    let ec = std::fs::read_to_string(tmp.path().join(NEW_EC)).unwrap();
    let expected = format!("<label>{} (Microsoft Graph)</label>", "é".repeat(62));
    assert!(ec.contains(&expected), "{ec}");
    // A short label is kept whole.
    let tmp = legacy_credential_project(&"B".repeat(62), "Zq9Secret");
    run(tmp.path(), &["check", "--fix", "--as-of", TODAY]);
    let ec = std::fs::read_to_string(tmp.path().join(NEW_EC)).unwrap();
    assert!(ec.contains(&format!(
        "<label>{} (Microsoft Graph)</label>",
        "B".repeat(62)
    )));
}

/// A project holding the one named credential `Mail` with `body` (the
/// children of its root element).
fn named_credential_project(body: &str) -> TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("sfdx-project.json"),
        r#"{"packageDirectories":[{"path":"force-app","default":true}]}"#,
    )
    .unwrap();
    let dir = tmp.path().join("force-app/main/default/namedCredentials");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Mail.namedCredential-meta.xml"),
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<NamedCredential xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n{body}</NamedCredential>\n"),
    )
    .unwrap();
    tmp
}

const NC: &str = "force-app/main/default/namedCredentials/Mail.namedCredential-meta.xml";

/// Every EXO001 fix variant of `body`, applied to a fresh project: the
/// named credential's text after each, by offer id.
fn each_variant(body: &str) -> Vec<(String, String)> {
    let ids: Vec<String> = offers(named_credential_project(body).path(), TODAY, "EXO001")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    ids.into_iter()
        .map(|id| {
            let tmp = named_credential_project(body);
            apply_offer(tmp.path(), TODAY, "EXO001", &id);
            for (path, bytes) in files(tmp.path()) {
                let t = text(&bytes);
                assert!(!t.contains("Pw2025"), "{id}: {path}:\n{t}");
                assert!(!t.contains("svc:"), "{id}: {path}:\n{t}");
            }
            let nc = std::fs::read_to_string(tmp.path().join(NC)).unwrap();
            (id, nc)
        })
        .collect()
}

/// The converted named credential `Mail`: `head` first, then its Url
/// parameter (`url`) and its authentication through `ec`.
fn converted(head: &str, url: &str, ec: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<NamedCredential xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n{head}    <label>Mail</label>\n    <namedCredentialParameters>\n        <parameterName>Url</parameterName>\n        <parameterType>Url</parameterType>\n        <parameterValue>{url}</parameterValue>\n    </namedCredentialParameters>\n    <namedCredentialParameters>\n        <externalCredential>{ec}</externalCredential>\n        <parameterName>ExternalCredential</parameterName>\n        <parameterType>Authentication</parameterType>\n    </namedCredentialParameters>\n    <namedCredentialType>SecuredEndpoint</namedCredentialType>\n</NamedCredential>\n")
}

const EWS: &str = "https://outlook.office365.com/EWS/Exchange.asmx";

/// No fix writes a URL's user info: the EWS variants keep the endpoint
/// without `svc:Pw2025!@`, the legacy one strips it from the endpoint it
/// keeps, the Graph one writes the Graph host; nothing of it is in any
/// file after any variant.
#[test]
fn no_fix_writes_url_user_info() {
    let legacy = "    <endpoint>https://svc:Pw2025!@outlook.office365.com/EWS/Exchange.asmx</endpoint>\n    <label>Mail</label>\n    <principalType>NamedUser</principalType>\n    <protocol>Password</protocol>\n";
    let want = [
        (
            "oauth-graph",
            converted("", "https://graph.microsoft.com", "Mail_Graph"),
        ),
        ("oauth-external-credential", converted("", EWS, "Mail_OAuth")),
        (
            "oauth-auth-provider",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<NamedCredential xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <authProvider>Microsoft_Exchange</authProvider>\n    <endpoint>https://outlook.office365.com/EWS/Exchange.asmx</endpoint>\n    <label>Mail</label>\n    <oauthScope>https://outlook.office365.com/EWS.AccessAsUser.All offline_access</oauthScope>\n    <principalType>NamedUser</principalType>\n    <protocol>Oauth</protocol>\n</NamedCredential>\n".to_owned(),
        ),
    ];
    let want: Vec<(String, String)> = want.into_iter().map(|(i, t)| (i.into(), t)).collect();
    assert_eq!(each_variant(legacy), want);
    // A secured-endpoint credential whose Url parameter has user info.
    let header = "    <generateAuthorizationHeader>false</generateAuthorizationHeader>\n    <label>Mail</label>\n    <namedCredentialParameters>\n        <parameterName>Url</parameterName>\n        <parameterType>Url</parameterType>\n        <parameterValue>https://svc:Pw2025!@outlook.office365.com/EWS/Exchange.asmx</parameterValue>\n    </namedCredentialParameters>\n    <namedCredentialParameters>\n        <parameterName>Authorization</parameterName>\n        <parameterType>HttpHeader</parameterType>\n        <parameterValue>Basic c3ZjOlB3MjAyNSE=</parameterValue>\n    </namedCredentialParameters>\n    <namedCredentialType>SecuredEndpoint</namedCredentialType>\n";
    let head = "    <generateAuthorizationHeader>true</generateAuthorizationHeader>\n";
    let want = vec![
        (
            "oauth-graph".to_owned(),
            converted(head, "https://graph.microsoft.com", "Mail_Graph"),
        ),
        (
            "oauth-external-credential".to_owned(),
            converted(head, EWS, "Mail_OAuth"),
        ),
    ];
    assert_eq!(each_variant(header), want);
}

/// The engine refuses any edit or new file that writes URL user info, even
/// where the same URL was removed (an endpoint moved with its password).
#[test]
fn validate_refuses_url_user_info() {
    let tmp = legacy_credential_project("Mail", "Zq9Secret");
    let project = load(tmp.path());
    let facts = Facts::compute(&project);
    let ctx = Context::new(&project, &facts, AsOf::parse(TODAY).unwrap(), Lang::En);
    let file = &project.files[0];
    let at = file.text.find("</label>").unwrap();
    let edit = |text: &str| WorkspaceEdit {
        changes: vec![FileChange::Edit {
            path: file.path.clone(),
            edits: vec![Edit::insert(at, text)],
        }],
    };
    for leak in [
        " https://a:Other9@host/x",
        " https://a&#58;Other9&#64;host/x",
    ] {
        let err = fix::validate(&ctx, &edit(leak)).unwrap_err();
        assert!(err.contains("would write a secret value"), "{err}");
    }
    assert!(fix::validate(&ctx, &edit(" https://host/x")).is_ok());
    let mut create = edit(" two");
    create.changes.push(FileChange::Create {
        path: tmp.path().join("force-app/main/default/x.xml"),
        text: "<a>https://svc:Other9@host/</a>".into(),
    });
    assert!(fix::validate(&ctx, &create).is_err());
}

/// `--fix` never creates a file outside the project through a folder that
/// is a symbolic link to a folder outside: the fix is refused, naming the
/// new file and the link, and nothing is written anywhere.
#[test]
fn a_new_file_is_never_created_through_a_link_out_of_the_project() {
    let tmp = legacy_credential_project("Mail", "Zq9Secret");
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        outside.path(),
        tmp.path()
            .join("force-app/main/default/externalCredentials"),
    )
    .unwrap();
    let out = run(tmp.path(), &["check", "--fix", "--as-of", TODAY]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("\nNot fixed:\n  force-app/main/default/namedCredentials/Mail.namedCredential-meta.xml: EXO001 Convert to OAuth 2.0 for Microsoft Graph (External Credential, client credentials): force-app/main/default/externalCredentials/Mail_Graph.externalCredential-meta.xml would be created outside the project: force-app/main/default/externalCredentials is a symbolic link that leads out of it\n"),
        "{stdout}"
    );
    assert!(std::fs::read_dir(outside.path()).unwrap().next().is_none());
    // The named credential keeps its old authentication (only SEC001's
    // removal of the password applies): it never names a missing file.
    let nc = std::fs::read_to_string(tmp.path().join(NC)).unwrap();
    assert!(nc.contains("<protocol>Password</protocol>"), "{nc}");
    assert!(!nc.contains("Mail_Graph"), "{nc}");
}
