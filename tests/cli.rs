//! End-to-end tests of the `exchange-auth-lint` binary against the fixture
//! projects in `fixtures/`: exact findings (rule, severity, path, line,
//! column), exit codes, options, commands, and bad input. Assertions read
//! the JSON output only.

use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod support;

/// Every check runs with a fixed date so messages and severities are stable.
const AS_OF: &str = "2026-11-24";
/// A run that takes longer than this is a hang (the tool never blocks on
/// input); the test fails instead of waiting forever.
const HANG: Duration = Duration::from_secs(20);

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .canonicalize()
        .expect("fixtures folder")
}

fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs the binary in `dir` with a clean locale, failing on a hang.
fn run_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_exchange-auth-lint"));
    cmd.args(args);
    // The fixtures sit inside this repository's git work tree, whose root
    // would be the path base; these tests read paths relative to the
    // folder they run in (`tests/ci.rs` tests the path base itself).
    if args.first() == Some(&"check") && !args.contains(&"--path-base") {
        cmd.args(["--path-base", "."]);
    }
    cmd.current_dir(dir)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn exchange-auth-lint");
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out_pipe.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("exchange-auth-lint {args:?} in {} hung", dir.display());
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        code: status.code().expect("exit code, not a signal"),
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

fn exec(dir: &Path, args: &[&str]) -> Run {
    run_with(dir, args, &[])
}

/// `check <paths> --format json --as-of AS_OF <extra>` in `dir`.
fn check_in(dir: &Path, paths: &[&str], extra: &[&str]) -> Run {
    let mut args = vec!["check"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&["--format", "json"]);
    if !extra.contains(&"--as-of") {
        args.extend_from_slice(&["--as-of", AS_OF]);
    }
    args.extend_from_slice(extra);
    exec(dir, &args)
}

/// Checks a fixture from inside it; paths come out relative to it.
fn check(name: &str, extra: &[&str]) -> Run {
    check_in(&fixture(name), &["."], extra)
}

const DEFAULT_DIR: &str = "force-app/main/default/";

/// `"RULE severity path:line:col"` per finding, with the usual package
/// folder left out of the path.
fn summary(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            format!(
                "{} {} {}:{}:{}",
                f["rule"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                path.strip_prefix(DEFAULT_DIR).unwrap_or(path),
                f["line"],
                f["column"]
            )
        })
        .collect()
}

fn findings(name: &str, extra: &[&str]) -> Vec<String> {
    summary(&check(name, extra).json())
}

fn messages(v: &Value, rule: &str) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect()
}

/// `"path:line"` of each related location of a finding.
fn related_lines(finding: &Value) -> Vec<String> {
    finding["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let path = r["path"].as_str().unwrap();
            format!(
                "{}:{}",
                path.strip_prefix(DEFAULT_DIR).unwrap_or(path),
                r["line"]
            )
        })
        .collect()
}

fn problems(v: &Value) -> Vec<String> {
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}: {}",
                p["path"].as_str().unwrap(),
                p["message"].as_str().unwrap()
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------
// One scenario per fixture: exact findings and exit code.

#[test]
fn every_fixture_reports_exactly_its_findings() {
    let cases: &[(&str, i32, &[&str])] = &[
        (
            "ls001-service-account",
            1,
            &[
                "EXO002 error namedCredentials/Exchange_Sync.namedCredential-meta.xml:3:5",
                "EXO001 error namedCredentials/Exchange_Sync.namedCredential-meta.xml:6:5",
                "LS001 error settings/EmailIntegration.settings-meta.xml:3:5",
            ],
        ),
        (
            "ls002-exchange-unknown",
            0,
            &["LS002 warning settings/EmailIntegration.settings-meta.xml:3:5"],
        ),
        (
            "ls002-connection-unknown",
            0,
            &["LS002 warning settings/EmailIntegration.settings-meta.xml:3:5"],
        ),
        (
            "ls003-oauth",
            1,
            &["LS003 error settings/EmailIntegration.settings-meta.xml:3:5"],
        ),
        // On-premises Exchange: a password to mail.contoso.com/EWS is not EXO001.
        (
            "ls004-on-premises",
            0,
            &["LS004 info settings/EmailIntegration.settings-meta.xml:3:5"],
        ),
        (
            "eac001",
            0,
            &["EAC001 warning settings/EAC.settings-meta.xml:5:5"],
        ),
        (
            "exo001-legacy",
            1,
            &["EXO001 error namedCredentials/Exchange_Mail.namedCredential-meta.xml:6:5"],
        ),
        (
            "exo001-ec-basic",
            1,
            &["EXO001 error externalCredentials/Exchange_Basic.externalCredential-meta.xml:3:5"],
        ),
        (
            "exo001-ec-custom",
            1,
            &["EXO001 error externalCredentials/Exchange.externalCredential-meta.xml:3:5"],
        ),
        // Named credential HttpHeader parameters: a Basic Authorization
        // formula or literal to Exchange Online is EXO001 (the literal is
        // SEC001 too); a Bearer header, a `Basic-…` mailbox header, a Basic
        // formula to a currency service and template tokens are nothing.
        (
            "exo001-nc-header",
            1,
            &[
                "EXO002 error namedCredentials/Mail_Formula.namedCredential-meta.xml:11:9",
                "EXO001 error namedCredentials/Mail_Formula.namedCredential-meta.xml:22:9",
                "EXO001 error namedCredentials/Mail_Literal.namedCredential-meta.xml:13:9",
                "SEC001 error namedCredentials/Mail_Literal.namedCredential-meta.xml:13:9",
            ],
        ),
        // Custom metadata records: an EWS URL (EXO002, and evidence that
        // the org is on Exchange Online for LS002), an Entra secret
        // (SEC001), `changeme` (SEC003); a Graph URL, a CI token, a nil
        // value, a token endpoint, a currency "exchange" service and a
        // feature flag report nothing.
        (
            "custom-metadata",
            1,
            &[
                "SEC001 error customMetadata/Mailbox_Integration.Production.md-meta.xml:11:9",
                "EXO002 error customMetadata/Mailbox_Integration.Production.md-meta.xml:15:9",
                "SEC003 info customMetadata/Mailbox_Integration.Staging.md-meta.xml:19:9",
                "LS002 warning settings/EmailIntegration.settings-meta.xml:3:5",
            ],
        ),
        // Metadata API format (`customMetadata/Type.Record.md`); Markdown
        // beside it (`README.md`, `release-notes.v2.md`) is never read.
        (
            "custom-metadata-mdapi",
            1,
            &["EXO002 error src/customMetadata/Mailbox_Integration.Production.md:11:9"],
        ),
        // The credentials-only project of docs/migrating-to-graph.md.
        (
            "migrate-credentials-only",
            1,
            &[
                "EXO001 error externalCredentials/Shared_Inbox_Basic.externalCredential-meta.xml:3:5",
                "EXO002 error namedCredentials/Room_Booking.namedCredential-meta.xml:5:5",
                "SEC001 error namedCredentials/Room_Booking.namedCredential-meta.xml:8:5",
                "EXO001 error namedCredentials/Room_Booking.namedCredential-meta.xml:10:5",
                "EXO002 error namedCredentials/Shared_Inbox.namedCredential-meta.xml:11:9",
                "EXO002 error remoteSiteSettings/Exchange_EWS.remoteSite-meta.xml:6:5",
            ],
        ),
        // Google mail with Lightning Sync for Google; Entra ID only for
        // sign-in, Teams, Graph and SharePoint sites: nothing about
        // mailboxes, so no Exchange finding (a false alarm before).
        ("mail-gmail-entra-sso", 0, &[]),
        // An inactive remote site allows no callout: neither EXO002 nor
        // SEC002 (a false alarm before); the active one still counts.
        (
            "remote-site-inactive",
            1,
            &["EXO002 error remoteSiteSettings/EWS_Still_On.remoteSite-meta.xml:6:5"],
        ),
        // OAuth to Exchange Online: EWS retirement only, no EXO001 (an
        // error since 2026-10-01, when EWS became blocked by default).
        (
            "exo002-ews",
            1,
            &[
                "EXO002 error namedCredentials/Exchange_OAuth.namedCredential-meta.xml:3:5",
                "EXO002 error remoteSiteSettings/EWS.remoteSite-meta.xml:5:5",
            ],
        ),
        // A password to a non-Microsoft host is SEC001 (committed) but not EXO001.
        (
            "sec001-secrets",
            1,
            &[
                "SEC001 error authproviders/Entra.authprovider-meta.xml:6:5",
                "SEC001 error externalCredentials/Legacy_Header.externalCredential-meta.xml:7:9",
                "SEC001 error namedCredentials/ERP.namedCredential-meta.xml:7:5",
                "SEC001 error namedCredentials/Tokens.namedCredential-meta.xml:7:5",
                "SEC001 error namedCredentials/Tokens.namedCredential-meta.xml:8:5",
            ],
        ),
        // http:// and disableProtocolSecurity on Microsoft hosts; the
        // intranet site does the same and is not reported.
        (
            "sec002-insecure",
            0,
            &[
                "SEC002 warning remoteSiteSettings/Login_NoTls.remoteSite-meta.xml:3:5",
                "SEC002 warning remoteSiteSettings/Outlook_Http.remoteSite-meta.xml:5:5",
            ],
        ),
        (
            "ap001-acs",
            1,
            &["AP001 error authproviders/SharePoint_ACS.authprovider-meta.xml:5:5"],
        ),
        // The broken file is reported where the parser stopped; the other
        // file is still checked.
        (
            "xml001-malformed",
            1,
            &[
                "AP001 error authproviders/SharePoint_ACS.authprovider-meta.xml:5:5",
                "XML001 error namedCredentials/Broken.namedCredential-meta.xml:3:62",
            ],
        ),
        (
            "sup001-unused",
            0,
            &[
                "SUP001 info namedCredentials/ERP.namedCredential-meta.xml:3:47",
                "SUP001 info namedCredentials/ERP.namedCredential-meta.xml:6:47",
            ],
        ),
        // Salesforce's mask, pipeline tokens, template markers and blanks
        // are not secrets; well-known defaults are an info note (SEC003).
        (
            "sec001-placeholders",
            0,
            &[
                "SEC003 info authproviders/Dummy_Secret.authprovider-meta.xml:5:5",
                "SEC003 info namedCredentials/ERP_Template.namedCredential-meta.xml:8:5",
            ],
        ),
        // Apex: EWS endpoint literals and `callout:` strings (the named
        // credential holds only the host), Basic headers built by hand,
        // through a WSDL2Apex stub and through `$Credential`, a committed
        // Entra secret (the CI token next to it is not one), a broken class,
        // a suppressed trigger line and a stale suppression.
        (
            "apex-ews",
            1,
            &[
                "EXO001 error classes/DirectoryLookup.cls:7:9",
                "SEC001 error classes/EntraTokenClient.cls:4:49",
                "EXO002 error classes/EwsCalendarService.cls:10:25",
                "EXO001 error classes/EwsCalendarService.cls:13:9",
                "EXO002 error classes/ExchangeServices.cls:5:36",
                "EXO002 error classes/HalfTyped.cls:4:25",
                "EXO002 error classes/MailRelay.cls:5:25",
                "EXO001 error classes/MailRelay.cls:8:9",
                "EXO001 error namedCredentials/Exchange_Online.namedCredential-meta.xml:7:5",
                "SUP001 info triggers/ContactSync.trigger:7:45",
            ],
        ),
        // Real-shaped Apex that must report nothing: Graph through a named
        // credential, a currency "exchange" service, on-premises EWS with
        // Basic, CI-token and REPLACE placeholders, an Outlook deep link.
        ("apex-clean", 0, &[]),
        // Apex Basic credentials committed in the class that sends them to
        // Exchange: a password constant, the literal after `':' +`, a
        // ready-made `Basic <base64>` literal, on-premises EWS too, a
        // WSDL2Apex header set with a map initializer → SEC001 on the
        // literal (masked); the same shapes to Jira, a test class's
        // password and a header built from a custom setting → no SEC001.
        (
            "sec001-apex-basic",
            1,
            &[
                "EXO002 error classes/EwsRoomsStub.cls:5:36",
                "EXO002 error classes/ExchangeCalendarClient.cls:6:43",
                "SEC001 error classes/ExchangeCalendarClient.cls:8:52",
                "EXO001 error classes/ExchangeCalendarClient.cls:16:9",
                "EXO002 error classes/FreeBusyService.cls:4:25",
                "EXO001 error classes/FreeBusyService.cls:8:9",
                "SEC001 error classes/FreeBusyService.cls:9:67",
                "EXO002 error classes/FreeBusyService.cls:16:25",
                "EXO001 error classes/FreeBusyService.cls:17:9",
                "SEC001 error classes/FreeBusyService.cls:17:40",
                "EXO002 error classes/MailboxSettings.cls:6:25",
                "EXO001 error classes/MailboxSettings.cls:9:9",
                "SEC001 error classes/OnPremMailboxReader.cls:7:26",
                "EXO001 error classes/RoomDirectory.cls:5:13",
                "SEC001 error classes/RoomDirectory.cls:5:82",
            ],
        ),
        // Gmail on, Outlook off, nothing Microsoft: no Exchange finding,
        // not even EAC001 on a set s2XSvcAccEmail.
        ("mail-gmail-only", 0, &[]),
        // Gmail and Outlook both on: LS002 asks which (see its message test).
        (
            "mail-both",
            0,
            &["LS002 warning settings/EmailIntegration.settings-meta.xml:5:5"],
        ),
        // An EAC settings file without enableActivityCapture (a real
        // retrieve shape) says nothing about EAC: unknown, not off.
        (
            "eac-unstated",
            0,
            &["LS002 warning settings/EmailIntegration.settings-meta.xml:5:5"],
        ),
        // On-premises with the connection method unknown: LS004 only.
        (
            "ls004-connection-unknown",
            0,
            &["LS004 info settings/EmailIntegration.settings-meta.xml:5:5"],
        ),
        // Every Microsoft 365 host of the four clouds, by domain: SharePoint
        // (.com, .us, .cn), Teams webhooks, the tenant domain; not a
        // lookalike domain, not an intranet, not Graph over HTTPS.
        (
            "sec002-microsoft365",
            0,
            &[
                "SEC002 warning remoteSiteSettings/SharePoint_CN.remoteSite-meta.xml:6:5",
                "SEC002 warning remoteSiteSettings/SharePoint_GCCH.remoteSite-meta.xml:4:5",
                "SEC002 warning remoteSiteSettings/SharePoint_Sales.remoteSite-meta.xml:6:5",
                "SEC002 warning remoteSiteSettings/Teams_Webhook.remoteSite-meta.xml:4:5",
                "SEC002 warning remoteSiteSettings/Tenant_Domain.remoteSite-meta.xml:4:5",
            ],
        ),
        // Names never classify: Exchange_Rate_API (a password credential,
        // `/EWS` in its path), "Outlook Exchange" labels and an http://
        // currency site are not Microsoft; the org is Gmail only.
        ("names-not-hosts", 0, &[]),
        // Placeholders a fix left, in the fields it writes (any ASCII
        // case, `.onmicrosoft.com` after it too) → FIX001; the same words
        // in labels, a description, a comment or a principal's name, a
        // real tenant GUID and domain, a near miss → nothing.
        (
            "fix001-placeholders",
            1,
            &[
                "FIX001 error authproviders/Microsoft_Exchange.authprovider-meta.xml:4:5",
                "FIX001 error authproviders/Microsoft_Exchange.authprovider-meta.xml:5:5",
                "FIX001 error authproviders/Microsoft_Exchange.authprovider-meta.xml:15:5",
                "FIX001 error externalCredentials/Room_Finder_Graph.externalCredential-meta.xml:17:9",
                "FIX001 error namedCredentials/Entra_Token.namedCredential-meta.xml:11:9",
            ],
        ),
        ("fix001-clean", 0, &[]),
        ("clean", 0, &[]),
        ("oauth-exchange-online", 0, &[]),
        ("password-non-microsoft", 0, &[]),
        // EAC on: no Lightning Sync rule, whatever the declared answers.
        ("eac-enabled", 0, &[]),
        // `.forceignore` drops the settings folder and one credential; the
        // dotfile credential is skipped by default.
        (
            "forceignored",
            1,
            &["EXO001 error namedCredentials/Checked.namedCredential-meta.xml:6:5"],
        ),
        (
            "config-exclude",
            1,
            &["EXO001 error namedCredentials/Current.namedCredential-meta.xml:6:5"],
        ),
        // Next-line and file-wide suppressions (with reasons after `;`);
        // a next-line suppression covers only the next element.
        (
            "suppressions",
            0,
            &["SEC002 warning remoteSiteSettings/Login.remoteSite-meta.xml:6:5"],
        ),
        (
            "gcc-high",
            1,
            &[
                "EXO002 error namedCredentials/Exchange_GCCH.namedCredential-meta.xml:3:5",
                "EXO001 error namedCredentials/Exchange_GCCH.namedCredential-meta.xml:6:5",
                "LS001 error settings/EmailIntegration.settings-meta.xml:3:5",
            ],
        ),
        (
            "china",
            1,
            &[
                "EXO002 error namedCredentials/Exchange_CN.namedCredential-meta.xml:3:5",
                "EXO001 error namedCredentials/Exchange_CN.namedCredential-meta.xml:6:5",
                "LS001 error settings/EmailIntegration.settings-meta.xml:3:5",
            ],
        ),
        (
            "mdapi-format",
            1,
            &[
                "EXO002 error src/namedCredentials/Exchange_Sync.namedCredential:3:5",
                "EXO001 error src/namedCredentials/Exchange_Sync.namedCredential:6:5",
                "LS001 error src/settings/EmailIntegration.settings:3:5",
            ],
        ),
        // Declared `exchange: on-premises` wins over the Exchange Online
        // host: LS004, not LS001 (the credential itself is still EXO001).
        (
            "declared-exchange",
            1,
            &[
                "EXO001 error namedCredentials/Exchange_Sync.namedCredential-meta.xml:6:5",
                "LS004 info settings/EmailIntegration.settings-meta.xml:3:5",
            ],
        ),
        // Declared `lightningSyncConnection: oauth2` wins over the inferred
        // service account: LS003, not LS001.
        (
            "declared-connection",
            1,
            &[
                "EXO001 error namedCredentials/Exchange_Sync.namedCredential-meta.xml:6:5",
                "LS003 error settings/EmailIntegration.settings-meta.xml:3:5",
            ],
        ),
        // <Protocol>password</Protocol>, ` True `, `TRUE`, ` FALSE `.
        (
            "miscased",
            1,
            &[
                "EXO001 error namedCredentials/Exchange_Sync.namedCredential-meta.xml:5:5",
                "SEC002 warning remoteSiteSettings/Login.remoteSite-meta.xml:3:5",
                "LS001 error settings/EmailIntegration.settings-meta.xml:3:5",
            ],
        ),
        // Config levels: EXO002 off, EXO001 and SEC002 info, AP001 warning
        // (its date-based default would be error).
        (
            "severities",
            0,
            &[
                "AP001 warning authproviders/SharePoint_ACS.authprovider-meta.xml:5:5",
                "EXO001 info namedCredentials/Exchange.namedCredential-meta.xml:6:5",
                "SEC002 info remoteSiteSettings/Outlook_Http.remoteSite-meta.xml:5:5",
            ],
        ),
    ];
    let mut failures = Vec::new();
    for (name, code, expected) in cases {
        let run = check(name, &[]);
        let got = summary(&run.json());
        if got != *expected || run.code != *code {
            failures.push(format!(
                "{name}: exit {} (expected {code})\n  got:      {got:#?}\n  expected: {expected:#?}\n  stderr: {}",
                run.code, run.stderr
            ));
        }
        let v = run.json();
        if !problems(&v).is_empty() {
            failures.push(format!("{name}: unexpected problems {:?}", problems(&v)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_positive_fixture() {
    let all: Vec<String> = [
        "ls001-service-account",
        "ls002-exchange-unknown",
        "ls003-oauth",
        "ls004-on-premises",
        "eac001",
        "exo001-legacy",
        "exo002-ews",
        "sec001-secrets",
        "sec002-insecure",
        "sec001-placeholders",
        "ap001-acs",
        "fix001-placeholders",
        "xml001-malformed",
        "sup001-unused",
    ]
    .iter()
    .flat_map(|f| findings(f, &[]))
    .collect();
    let rules = exec(&fixtures(), &["rules", "--json"]).stdout;
    let rules: Value = serde_json::from_str(&rules).unwrap();
    for rule in rules.as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        assert!(
            all.iter().any(|f| f.starts_with(&format!("{id} "))),
            "no fixture triggers {id}"
        );
    }
}

/// No EAC settings (or none that states enableActivityCapture): messages say
/// the project does not tell, and how to make it tell; with EAC stated off
/// they say Lightning Sync.
#[test]
fn unknown_eac_is_not_off() {
    let unknown = "does not tell whether sync runs on Lightning Sync";
    let how = "sf project retrieve start --metadata Settings:EAC";
    for (name, rule) in [
        ("ls002-exchange-unknown", "LS002"),
        ("eac-unstated", "LS002"),
        ("gcc-high", "LS001"),
        ("ls003-oauth", "LS003"),
    ] {
        let m = messages(&check(name, &[]).json(), rule);
        assert_eq!(m.len(), 1, "{name}");
        assert!(
            m[0].contains(unknown) && m[0].contains(how),
            "{name}: {m:?}"
        );
        assert!(
            !m[0].contains("so this org syncs with Lightning Sync"),
            "{name}: {m:?}"
        );
    }
    for (name, rule) in [
        ("ls002-connection-unknown", "LS002"),
        ("ls001-service-account", "LS001"),
    ] {
        let m = messages(&check(name, &[]).json(), rule);
        assert!(
            !m[0].contains(unknown) && !m[0].contains(how),
            "{name}: {m:?}"
        );
    }
}

/// Gmail and Outlook both on: the question names Google and Exchange.
#[test]
fn ls002_names_google_and_exchange_when_both_are_on() {
    let m = messages(&check("mail-both", &[]).json(), "LS002");
    assert!(
        m[0].contains("may sync with Google or with Exchange"),
        "{m:?}"
    );
    let ja = check("mail-both", &["--lang", "ja"]).json();
    assert!(messages(&ja, "LS002")[0].contains("Google"), "{ja}");
}

#[test]
fn ls002_names_what_is_unknown() {
    let v = check("ls002-exchange-unknown", &[]).json();
    let m = messages(&v, "LS002");
    assert!(
        m[0].contains("which Exchange the mailboxes are on"),
        "{m:?}"
    );
    assert!(!m[0].contains("how Lightning Sync connects"), "{m:?}");
    let v = check("ls002-connection-unknown", &[]).json();
    let m = messages(&v, "LS002");
    assert!(m[0].contains("how Lightning Sync connects"), "{m:?}");
    assert!(!m[0].contains("which Exchange"), "{m:?}");
}

#[test]
fn ls001_lists_its_evidence() {
    let v = check("ls001-service-account", &["--select", "LS001"]).json();
    let f = &v["findings"][0];
    let related: Vec<String> = f["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}:{}:{} {}",
                r["path"].as_str().unwrap().trim_start_matches(DEFAULT_DIR),
                r["line"],
                r["column"],
                r["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        related,
        [
            "namedCredentials/Exchange_Sync.namedCredential-meta.xml:3:5 named credential \"Exchange Sync\" (Exchange_Sync) points at Exchange Online",
            "namedCredentials/Exchange_Sync.namedCredential-meta.xml:6:5 named credential \"Exchange Sync\" (Exchange_Sync) signs in with a shared user name and password",
        ]
    );
}

#[test]
fn exo001_external_credential_points_at_the_named_credential() {
    for fx in ["exo001-ec-basic", "exo001-ec-custom"] {
        let v = check(fx, &[]).json();
        let related = v["findings"][0]["related"].as_array().unwrap();
        assert_eq!(related.len(), 1, "{fx}");
        assert_eq!(related[0]["line"], 7, "{fx}");
        assert!(
            related[0]["message"]
                .as_str()
                .unwrap()
                .contains("which calls outlook.office365.com"),
            "{fx}: {related:?}"
        );
    }
}

#[test]
fn sovereign_clouds_are_named() {
    let v = check("gcc-high", &[]).json();
    assert!(messages(&v, "LS001")[0].contains("Exchange Online (GCC High)"));
    assert!(messages(&v, "EXO001")[0]
        .starts_with("Basic authentication to Exchange Online (GCC High): "));
    assert!(messages(&v, "EXO001")[0].contains("sends a password to outlook.office365.us."));
    assert!(messages(&v, "EXO002")[0].contains("graph.microsoft.us"));
    let v = check("china", &[]).json();
    assert!(messages(&v, "LS001")[0].contains("Exchange Online (operated by 21Vianet)"));
    assert!(messages(&v, "EXO002")[0].contains("microsoftgraph.chinacloudapi.cn"));
}

// ---------------------------------------------------------------------------
// Exact positions: CRLF, BOM, wide characters before the finding.

#[test]
fn positions_in_crlf_bom_and_japanese_files() {
    let dir = fixture("encodings");
    let v = check("encodings", &[]).json();
    let got: Vec<(String, u64, u64, u64, u64, usize, usize)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            (
                path.trim_start_matches(DEFAULT_DIR).to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
                f["endColumn"].as_u64().unwrap(),
                f["byteRange"]["start"].as_u64().unwrap() as usize,
                f["byteRange"]["end"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    let nc = "namedCredentials/";
    assert_eq!(
        got,
        [
            // The BOM is not a column: the element starts after 116 characters.
            (
                format!("{nc}Bom.namedCredential-meta.xml"),
                1,
                117,
                1,
                146,
                119,
                148
            ),
            // CRLF: line 5, bytes count both line-end bytes of each line.
            (
                format!("{nc}Crlf.namedCredential-meta.xml"),
                5,
                5,
                5,
                34,
                193,
                222
            ),
            // `    <!-- 共有アカウント𝄞 -->` is 21 characters (𝄞 is one
            // character, two UTF-16 units, four bytes) and 38 bytes.
            (
                format!("{nc}Japanese.namedCredential-meta.xml"),
                5,
                22,
                5,
                51,
                228,
                257
            ),
        ]
    );
    for (path, .., start, end) in &got {
        let bytes = std::fs::read(dir.join(DEFAULT_DIR).join(path)).unwrap();
        assert_eq!(
            &bytes[*start..*end],
            b"<protocol>Password</protocol>",
            "{path}"
        );
    }
}

// ---------------------------------------------------------------------------
// Exit codes and options.

#[test]
fn fail_on_thresholds() {
    // (fixture, worst severity) → expected exit per --fail-on
    let cases: &[(&str, [i32; 4])] = &[
        ("ap001-acs", [1, 1, 1, 0]),              // error
        ("ls002-exchange-unknown", [0, 1, 1, 0]), // warning
        ("ls004-on-premises", [0, 0, 1, 0]),      // info
        ("clean", [0, 0, 0, 0]),
    ];
    for (fx, codes) in cases {
        for (level, code) in ["error", "warning", "info", "never"].iter().zip(codes) {
            let run = check(fx, &["--fail-on", level]);
            assert_eq!(run.code, *code, "{fx} --fail-on {level}: {}", run.stderr);
        }
    }
    // The default is `error`.
    assert_eq!(check("ls002-exchange-unknown", &[]).code, 0);
}

#[test]
fn select_and_ignore() {
    let fx = "ls001-service-account";
    assert_eq!(
        findings(fx, &["--select", "EXO001"]),
        ["EXO001 error namedCredentials/Exchange_Sync.namedCredential-meta.xml:6:5"]
    );
    // Ids are case-insensitive; names work too; lists are comma-separated
    // or repeated.
    assert_eq!(
        findings(fx, &["--select", "exo001,lightning-sync-service-account"]),
        [
            "EXO001 error namedCredentials/Exchange_Sync.namedCredential-meta.xml:6:5",
            "LS001 error settings/EmailIntegration.settings-meta.xml:3:5",
        ]
    );
    assert_eq!(
        findings(fx, &["--ignore", "EXO001", "--ignore", "EXO002"]),
        ["LS001 error settings/EmailIntegration.settings-meta.xml:3:5"]
    );
    // --ignore wins over --select; facts still come from every file.
    assert_eq!(
        findings(fx, &["--select", "LS001,EXO001", "--ignore", "EXO001"]),
        ["LS001 error settings/EmailIntegration.settings-meta.xml:3:5"]
    );
    let run = check(fx, &["--select", "LS001", "--fail-on", "never"]);
    assert_eq!(run.code, 0);
    let run = check(fx, &["--select", "EXO002", "--as-of", "2026-09-30"]);
    assert_eq!(run.code, 0, "only a warning is left");
}

#[test]
fn config_levels_off_and_info() {
    let v = check("severities", &[]).json();
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(v["summary"]["warnings"], 1);
    assert_eq!(v["summary"]["infos"], 2);
    assert_eq!(check("severities", &["--fail-on", "warning"]).code, 1);
    // A rule turned off in the config stays off under --select.
    assert_eq!(
        findings("severities", &["--select", "EXO002"]),
        Vec::<String>::new()
    );
}

#[test]
fn as_of_changes_severities() {
    let sev = |fx: &str, rule: &str, date: &str| -> String {
        let v = check(fx, &["--select", rule, "--as-of", date]).json();
        let f = v["findings"].as_array().unwrap();
        assert!(!f.is_empty(), "{fx} {rule} {date}");
        let first = f[0]["severity"].as_str().unwrap().to_owned();
        assert!(f.iter().all(|f| f["severity"] == first.as_str()));
        first
    };
    assert_eq!(sev("ls003-oauth", "LS003", "2026-08-31"), "warning");
    assert_eq!(sev("ls003-oauth", "LS003", "2026-09-01"), "error");
    assert_eq!(sev("ap001-acs", "AP001", "2026-04-01"), "warning");
    assert_eq!(sev("ap001-acs", "AP001", "2026-04-02"), "error");
    assert_eq!(sev("exo002-ews", "EXO002", "2026-09-30"), "warning");
    assert_eq!(sev("exo002-ews", "EXO002", "2026-10-01"), "error");
    assert_eq!(sev("exo002-ews", "EXO002", "2027-04-01"), "error");
    assert_eq!(check("ls003-oauth", &["--as-of", "2026-08-31"]).code, 0);
    assert_eq!(check("ls003-oauth", &["--as-of", "2026-09-01"]).code, 1);
    let v = check("ls003-oauth", &["--as-of", "2026-08-31"]).json();
    assert_eq!(v["asOf"], "2026-08-31");
    assert!(messages(&v, "LS003")[0].contains("must move"));
    let v = check("ls003-oauth", &["--as-of", "2026-09-01"]).json();
    assert!(messages(&v, "LS003")[0].contains("had to move"));
    // OAuth Lightning Sync is EWS too: its message follows the EWS dates and
    // names the second step of the move to EAC.
    for (date, ews) in [
        ("2026-09-30", "EWS in Exchange Online will be blocked from 2026-10-01"),
        ("2026-10-01", "since 2026-10-01 EWS in Exchange Online is blocked unless the tenant allow-lists this app"),
        ("2027-04-01", "EWS in Exchange Online was shut down on 2027-04-01"),
    ] {
        let v = check("ls003-oauth", &["--as-of", date]).json();
        let m = &messages(&v, "LS003")[0];
        assert!(m.contains("which still uses Exchange Web Services"), "{m}");
        assert!(m.contains(ews), "{date}: {m}");
        assert!(m.contains("then run \"Upgrade to Microsoft Graph\" in its settings"), "{m}");
    }
}

/// EXO002 by as-of date, on both sides of 2026-10-01 (blocked by default)
/// and 2027-04-01 (shut down), in both languages, for credentials, remote
/// sites and Apex alike: exact severities, exit codes and the tense.
#[test]
fn exo002_follows_the_ews_dates() {
    // The problem the message leads with, and the sentence after the object.
    let cases: &[(&str, &str, i32, [&str; 4])] = &[
        (
            "2026-09-30",
            "warning",
            0,
            [
                "EWS on Exchange Online, blocked from 2026-10-01",
                " From then only apps on the tenant's allow list (EWSAllowedAppIDs) get through, and EWS shuts down on 2027-04-01.",
                "Exchange Online の EWS（2026年10月1日からブロック予定）：",
                "その日からテナントの許可リスト（EWSAllowedAppIDs）に登録されたアプリだけが通り、EWS は 2027年4月1日に停止します。",
            ],
        ),
        (
            "2026-10-01",
            "error",
            1,
            [
                "EWS on Exchange Online, blocked since 2026-10-01",
                " Only apps on the tenant's allow list (EWSAllowedAppIDs) still get through, and EWS shuts down on 2027-04-01.",
                "Exchange Online の EWS（2026年10月1日からブロック）：",
                "テナントの許可リスト（EWSAllowedAppIDs）に登録されたアプリだけが通り、EWS は 2027年4月1日に停止します。",
            ],
        ),
        (
            "2027-03-31",
            "error",
            1,
            [
                "EWS on Exchange Online, blocked since 2026-10-01",
                " Only apps on the tenant's allow list (EWSAllowedAppIDs) still get through, and EWS shuts down on 2027-04-01.",
                "Exchange Online の EWS（2026年10月1日からブロック）：",
                "テナントの許可リスト（EWSAllowedAppIDs）に登録されたアプリだけが通り、EWS は 2027年4月1日に停止します。",
            ],
        ),
        (
            "2027-04-01",
            "error",
            1,
            [
                "EWS on Exchange Online, shut down on 2027-04-01",
                " It answers no app any more.",
                "Exchange Online の EWS（2027年4月1日に停止）：",
                "どのアプリからも使えません。",
            ],
        ),
    ];
    for (date, severity, code, [problem, note, ja_problem, ja_note]) in cases {
        let run = check("exo002-ews", &["--as-of", date]);
        assert_eq!(run.code, *code, "{date}");
        let v = run.json();
        assert_eq!(
            summary(&v),
            [
                format!("EXO002 {severity} namedCredentials/Exchange_OAuth.namedCredential-meta.xml:3:5"),
                format!("EXO002 {severity} remoteSiteSettings/EWS.remoteSite-meta.xml:5:5"),
            ],
            "{date}"
        );
        let m = messages(&v, "EXO002");
        assert_eq!(
            m[0],
            format!("{problem}: named credential \"Exchange OAuth\" (Exchange_OAuth) calls Exchange Web Services on outlook.office365.com.{note} Move the integration to Microsoft Graph (graph.microsoft.com)."),
            "{date}"
        );
        let v = check("exo002-ews", &["--as-of", date, "--lang", "ja"]).json();
        assert!(
            messages(&v, "EXO002")
                .iter()
                .all(|m| m.starts_with(ja_problem) && m.contains(ja_note)),
            "{date}: {:?}",
            messages(&v, "EXO002")
        );
        // Apex says the same, in the same tense.
        let v = check("apex-ews", &["--as-of", date, "--select", "EXO002"]).json();
        let apex = messages(&v, "EXO002");
        assert!(!apex.is_empty());
        assert!(
            apex.iter()
                .all(|m| m.starts_with(&format!("{problem}: ")) && m.contains(note)),
            "{date}: {apex:?}"
        );
        assert!(v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["severity"] == *severity));
    }
}

#[test]
fn as_of_changes_the_ls001_alternatives() {
    let user_level = "connect with user-level OAuth 2.0";
    let service_account = "with service-account OAuth 2.0";
    let switch = "switch Lightning Sync's connection method to OAuth 2.0";
    let cases: &[(&str, [bool; 3], &str)] = &[
        (
            "2022-09-30",
            [true, true, true],
            "rejects basic authentication from 2022-10-01",
        ),
        (
            "2022-10-01",
            [true, true, true],
            "has rejected basic authentication since 2022-10-01",
        ),
        ("2025-01-31", [true, true, true], "has rejected"),
        ("2025-02-01", [true, false, true], "has rejected"),
        ("2026-08-31", [true, false, true], "has rejected"),
        ("2026-09-01", [true, false, false], "has rejected"),
    ];
    for (date, offered, tense) in cases {
        let v = check(
            "ls001-service-account",
            &["--select", "LS001", "--as-of", date],
        )
        .json();
        let m = &messages(&v, "LS001")[0];
        let got = [
            m.contains(user_level),
            m.contains(service_account),
            m.contains(switch),
        ];
        assert_eq!(got, *offered, "{date}: {m}");
        assert!(m.contains(tense), "{date}: {m}");
    }
}

#[test]
fn japanese_messages() {
    let v = check("ls001-service-account", &["--lang", "ja"]).json();
    let m = messages(&v, "LS001");
    assert!(m[0].contains("サービスアカウントのパスワード"), "{m:?}");
    assert!(m[0].contains("2022年10月1日"), "{m:?}");
    let related = v["findings"][2]["related"][0]["message"].as_str().unwrap();
    assert!(
        related.contains("指定ログイン情報「Exchange Sync」"),
        "{related}"
    );
    // From the locale when --lang is not given; --lang wins over it.
    let dir = fixture("ap001-acs");
    let args = ["check", ".", "--format", "json", "--as-of", AS_OF];
    let v = run_with(&dir, &args, &[("LANG", "ja_JP.UTF-8")]).json();
    assert!(messages(&v, "AP001")[0].contains("廃止"));
    let mut en = args.to_vec();
    en.extend(["--lang", "en"]);
    let v = run_with(&dir, &en, &[("LANG", "ja_JP.UTF-8")]).json();
    assert!(messages(&v, "AP001")[0].contains("retired for all tenants"));
}

#[test]
fn secrets_never_appear_in_output() {
    let secrets = [
        "Summer2019!",
        "5Aep861TSESvWeug_xvFHRBTTbf",
        "00D5g000004abcd!AQ0AQH3kz",
        "Qx8Q~s3cr3tV4lu3",
        "dXNlcjpodW50ZXIy",
    ];
    let dir = fixture("sec001-secrets");
    for format in ["json", "human", "github"] {
        for lang in ["en", "ja"] {
            let run = exec(
                &dir,
                &[
                    "check", ".", "--format", format, "--as-of", AS_OF, "--lang", lang,
                ],
            );
            assert_eq!(run.code, 1);
            for s in secrets {
                assert!(!run.stdout.contains(s), "{format}/{lang} prints {s}");
                assert!(!run.stderr.contains(s), "{format}/{lang} prints {s}");
            }
        }
    }
}

/// `check --fix` on the demo org cannot know its tenant (no `tenant`
/// declared, no service-account domain for the ACS provider and the Basic
/// external credential): it writes TENANT-ID-OR-DOMAIN, and the report it
/// prints after fixing, like the next `check`, shows exactly those
/// placeholders (FIX001, errors) and nothing else. Declaring the tenant
/// and replacing them leaves nothing.
#[test]
fn check_after_fix_reports_the_placeholders_the_fix_left() {
    let tmp = tempfile::tempdir().unwrap();
    support::copy_dir(&fixture("demo-org"), tmp.path());
    let dir = tmp.path();
    let fixed = exec(dir, &["check", "--fix", "--as-of", AS_OF]);
    assert_eq!(fixed.code, 1, "{}{}", fixed.stdout, fixed.stderr);
    assert!(
        fixed.stdout.contains("error[FIX001] Tenant placeholder left by a fix: the AuthProviderUrl parameter of external credential \"Room Finder (Basic)\" (Room_Finder_Basic) still holds TENANT-ID-OR-DOMAIN"),
        "{}",
        fixed.stdout
    );
    let run = check_in(dir, &["."], &[]);
    assert_eq!(run.code, 1);
    let v = run.json();
    let expected = [
        "FIX001 error authproviders/SharePoint_ACS.authprovider-meta.xml:3:5",
        "FIX001 error authproviders/SharePoint_ACS.authprovider-meta.xml:13:5",
        "FIX001 error externalCredentials/Room_Finder_Basic.externalCredential-meta.xml:17:9",
    ];
    assert_eq!(summary(&v), expected, "{}", run.stdout);
    let m = messages(&v, "FIX001");
    assert!(
        m.iter()
            .all(|m| m.starts_with("Tenant placeholder left by a fix: ")
                && m.contains("Directory (tenant) ID")
                && m.contains("Microsoft Entra admin center → App registrations")),
        "{m:?}"
    );
    let v = check_in(dir, &["."], &["--lang", "ja"]).json();
    assert!(
        messages(&v, "FIX001")
            .iter()
            .all(|m| m.starts_with("修正が残したテナントのプレースホルダー：")),
        "{v}"
    );
    // The admin fills in the tenant: nothing is left.
    for file in [
        "force-app/main/default/authproviders/SharePoint_ACS.authprovider-meta.xml",
        "force-app/main/default/externalCredentials/Room_Finder_Basic.externalCredential-meta.xml",
    ] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace("TENANT-ID-OR-DOMAIN", "contoso.onmicrosoft.com"),
        )
        .unwrap();
    }
    let run = check_in(dir, &["."], &[]);
    assert_eq!(summary(&run.json()), Vec::<String>::new(), "{}", run.stdout);
    assert_eq!(run.code, 0);
}

/// A new user follows docs/migrating-to-graph.md (English and Japanese: the
/// same steps) on the credentials-only project: declare the tenant, `check
/// --diff`, `check --fix`, point the remote site at Graph; then `check
/// --as-of 2027-05-01` reports nothing.
#[test]
fn following_the_migration_guide_passes_after_the_shutdown() {
    let repo = fixtures().join("..");
    let old_url = "<url>https://outlook.office365.com/EWS/Exchange.asmx</url>";
    let new_url = "<url>https://graph.microsoft.com</url>";
    let tenant = r#""plugins": { "exchangeAuthLint": { "tenant": "fabrikam.example" } }"#;
    let steps = [
        "exchange-auth-lint check --diff",
        "exchange-auth-lint check --fix",
        "exchange-auth-lint check --as-of 2027-05-01",
        "fixtures/migrate-credentials-only",
        "remoteSiteSettings/Exchange_EWS.remoteSite-meta.xml",
        old_url,
        new_url,
        tenant,
    ];
    for doc in [
        "docs/migrating-to-graph.md",
        "docs/migrating-to-graph.ja.md",
    ] {
        let text = std::fs::read_to_string(repo.join(doc)).unwrap();
        for step in steps {
            assert!(text.contains(step), "{doc} lacks {step}");
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    support::copy_dir(&fixture("migrate-credentials-only"), tmp.path());
    let dir = tmp.path();
    assert_eq!(check_in(dir, &["."], &["--as-of", "2027-05-01"]).code, 1);
    // 1. The tenant, in sfdx-project.json.
    let manifest = dir.join("sfdx-project.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let text = text.replacen('{', &format!("{{\n  {tenant},"), 1);
    std::fs::write(&manifest, text).unwrap();
    // 2. Review, then fix (as of the day the guide was written).
    let diff = exec(dir, &["check", "--diff", "--as-of", "2026-12-02"]);
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    assert!(diff.stdout.contains("https://graph.microsoft.com/.default"));
    assert!(!diff.stdout.contains("Autumn2024!"));
    let fixed = exec(dir, &["check", "--fix", "--as-of", "2026-12-02"]);
    assert_ne!(fixed.code, 2, "{}", fixed.stderr);
    assert!(fixed
        .stdout
        .contains("Convert to OAuth 2.0 for Microsoft Graph"));
    // 3. The remote site points at Graph.
    let site =
        dir.join("force-app/main/default/remoteSiteSettings/Exchange_EWS.remoteSite-meta.xml");
    let text = std::fs::read_to_string(&site).unwrap();
    assert!(text.contains(old_url));
    std::fs::write(&site, text.replace(old_url, new_url)).unwrap();
    // 4. Nothing left after the shutdown.
    let run = check_in(dir, &["."], &["--as-of", "2027-05-01"]);
    let v = run.json();
    assert_eq!(summary(&v), Vec::<String>::new(), "{}", run.stdout);
    assert!(problems(&v).is_empty());
    assert_eq!(run.code, 0);
    // The tenant went into both token URLs; no password is left.
    let ec = std::fs::read_to_string(dir.join(
        "force-app/main/default/externalCredentials/Shared_Inbox_Basic.externalCredential-meta.xml",
    ))
    .unwrap();
    assert!(
        ec.contains("https://login.microsoftonline.com/fabrikam.example/oauth2/v2.0/token"),
        "{ec}"
    );
    let nc = std::fs::read_to_string(
        dir.join("force-app/main/default/namedCredentials/Room_Booking.namedCredential-meta.xml"),
    )
    .unwrap();
    assert!(
        !nc.contains("password") && nc.contains("https://graph.microsoft.com"),
        "{nc}"
    );
}

/// `secret` (or its first 6 characters) in no output format, language or
/// diff of the fixture `name`, which has errors.
fn never_printed(name: &str, secret: &str) {
    let dir = fixture(name);
    let head = &secret[..6];
    for format in [
        "json", "human", "github", "sarif", "junit", "html", "markdown",
    ] {
        for lang in ["en", "ja"] {
            let run = exec(
                &dir,
                &[
                    "check", ".", "--format", format, "--as-of", AS_OF, "--lang", lang,
                ],
            );
            assert_eq!(run.code, 1, "{format}");
            assert!(
                !run.stdout.contains(head),
                "{format}/{lang} prints the secret"
            );
            assert!(
                !run.stderr.contains(head),
                "{format}/{lang} prints the secret"
            );
        }
    }
    let run = exec(&dir, &["check", ".", "--diff", "--as-of", AS_OF]);
    assert!(!run.stdout.contains(head), "the diff prints the secret");
}

#[test]
fn custom_metadata_follows_the_dates_and_never_prints_its_secret() {
    never_printed(
        "custom-metadata",
        "Vx83Q~kT2mNp7.Rw_Lz4Hb9Yc1Fd6Gs0Ja5Ue3Oi",
    );
    for (date, severity, tense) in [
        (
            "2026-09-30",
            "warning",
            "EWS on Exchange Online, blocked from 2026-10-01: ",
        ),
        (
            "2026-10-01",
            "error",
            "EWS on Exchange Online, blocked since 2026-10-01: ",
        ),
        (
            "2027-04-01",
            "error",
            "EWS on Exchange Online, shut down on 2027-04-01: ",
        ),
    ] {
        let v = check("custom-metadata", &["--as-of", date, "--select", "EXO002"]).json();
        assert_eq!(
            summary(&v),
            [format!(
                "EXO002 {severity} customMetadata/Mailbox_Integration.Production.md-meta.xml:15:9"
            )]
        );
        let m = &messages(&v, "EXO002")[0];
        assert!(
            m.contains(
                "holds an Exchange Web Services URL on outlook.office365.com in Ews_Endpoint__c"
            ),
            "{m}"
        );
        assert!(m.starts_with(tense), "{date}: {m}");
    }
    let v = check("custom-metadata", &["--lang", "ja", "--select", "EXO002"]).json();
    assert!(messages(&v, "EXO002")[0].contains("カスタムメタデータレコード「Production mailbox」"));
}

#[test]
fn header_parameter_secrets_never_appear_in_output() {
    never_printed(
        "exo001-nc-header",
        "c3ZjLW1haWxAY29udG9zby5jb206V2ludGVyMjAyNiE=",
    );
    let v = check("exo001-nc-header", &[]).json();
    let m = messages(&v, "EXO001");
    assert!(
        m[0].starts_with("Basic authentication to Exchange Online: named credential \"Mail (formula header)\"")
            && m[0].contains("sends an Authorization: Basic header parameter (a user name and password) to outlook.office365.com."),
        "{m:?}"
    );
}

#[test]
fn quoted_header_secrets_are_found_and_never_appear_in_output() {
    // Formula strings `'Basic …'`, `"Basic …"`, `{!'Basic …'}`: SEC001 and
    // masked; merge fields and a pipeline token inside quotes: nothing.
    assert_eq!(
        summary(&check("sec001-quoted-header", &[]).json()),
        [
            "SEC001 error externalCredentials/Quoted_Auth_Header.externalCredential-meta.xml:7:9",
            "SEC001 error namedCredentials/Quoted_Double.namedCredential-meta.xml:13:9",
            "SEC001 error namedCredentials/Quoted_Formula.namedCredential-meta.xml:13:9",
            "SEC001 error namedCredentials/Quoted_Single.namedCredential-meta.xml:13:9",
        ]
    );
    // Every token starts with `ZXJwL` (base64 of `erp-`).
    never_printed("sec001-quoted-header", "ZXJwLXN2YzpTcHJpbmcyMDI2IQ==");
    let human = exec(
        &fixture("sec001-quoted-header"),
        &["check", ".", "--as-of", AS_OF, "--lang", "en"],
    )
    .stdout;
    assert!(
        human.contains("13 |         <parameterValue>********</parameterValue>"),
        "{human}"
    );
}

#[test]
fn apex_findings_name_graph_and_link_the_credential() {
    let v = check("apex-ews", &[]).json();
    let ews = messages(&v, "EXO002");
    let calendar = ews
        .iter()
        .find(|m| m.contains("EwsCalendarService"))
        .unwrap();
    assert!(
        calendar.contains("through named credential \"Exchange Online\""),
        "{calendar}"
    );
    assert!(
        calendar.contains("FindItem → GET /users/{id}/messages"),
        "{calendar}"
    );
    assert!(
        calendar.contains("GET /users/{id}/calendarView"),
        "{calendar}"
    );
    let stub = ews.iter().find(|m| m.contains("ExchangeServices")).unwrap();
    assert!(
        stub.contains("GetUserAvailability → POST /users/{id}/calendar/getSchedule"),
        "{stub}"
    );
    assert!(
        stub.contains("ResolveNames → GET /users/{id}/people"),
        "{stub}"
    );
    assert!(!stub.contains("FindItem"), "{stub}");
    let related = |path_end: &str, rule: &str| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule && f["path"].as_str().unwrap().ends_with(path_end))
            .flat_map(related_lines)
            .collect()
    };
    // The credential lists the Apex that calls it; the Apex points back.
    assert_eq!(
        related("Exchange_Online.namedCredential-meta.xml", "EXO001"),
        [
            "classes/EwsCalendarService.cls:10",
            "triggers/ContactSync.trigger:6"
        ]
    );
    assert_eq!(
        related("EwsCalendarService.cls", "EXO002"),
        ["namedCredentials/Exchange_Online.namedCredential-meta.xml:3"]
    );
    // The stub's caller is linked to the stub's endpoint.
    assert_eq!(
        related("DirectoryLookup.cls", "EXO001"),
        ["classes/ExchangeServices.cls:5"]
    );
    assert_eq!(v["summary"]["suppressed"], 1);
}

#[test]
fn apex_secrets_never_appear_in_output() {
    let secret = "Wq48Q~rTz0Hk2vNw.Lb5yXc_Jd7Pe9SfAu3Gm1Kq";
    let dir = fixture("apex-ews");
    for format in ["json", "human", "github", "sarif", "junit"] {
        let run = exec(&dir, &["check", ".", "--format", format, "--as-of", AS_OF]);
        assert_eq!(run.code, 1, "{format}");
        assert!(!run.stdout.contains(secret), "{format} prints the secret");
        assert!(
            !run.stdout.contains("Wq48Q~"),
            "{format} prints part of the secret"
        );
        assert!(!run.stderr.contains(secret), "{format} prints the secret");
    }
}

/// The Basic credentials of `sec001-apex-basic` (a constant, a literal
/// after `':' +`, a ready-made token, one with escapes) show in no format.
#[test]
fn apex_basic_credentials_never_appear_in_output() {
    let dir = fixture("sec001-apex-basic");
    let shown = [
        "Rooms#Calendar-2019",
        "Autumn",
        "c3ZjLXJlcG9ydHNAY29udG9zby5jb206U3VtbWVyMjAyNiE",
        "Winter-Frost-42",
        "jira-Api-Token-9X",
        "Test1234!",
        "Stub#Pass-5",
    ];
    for format in [
        "json", "human", "github", "gitlab", "sarif", "junit", "html", "markdown",
    ] {
        let run = exec(&dir, &["check", ".", "--format", format, "--as-of", AS_OF]);
        assert_eq!(run.code, 1, "{format}");
        for value in shown {
            assert!(!run.stdout.contains(value), "{format} prints {value}");
            assert!(!run.stderr.contains(value), "{format} prints {value}");
        }
    }
}

#[test]
fn suppressions_are_counted() {
    let v = check("suppressions", &[]).json();
    assert_eq!(v["summary"]["suppressed"], 7);
    // Turning a rule off removes its findings before suppressions apply,
    // and its now-idle suppressions are not reported.
    assert_eq!(
        findings("suppressions", &["--ignore", "SEC002"]),
        Vec::<String>::new()
    );
}

// ---------------------------------------------------------------------------
// Paths: explicit files, ignored files, several arguments, default path.

#[test]
fn explicit_files() {
    let dir = fixture("forceignored");
    let nc = "force-app/main/default/namedCredentials/";
    // Named explicitly, a .forceignore'd file stays ignored, and says so
    // (JSON `skipped`, a note on stderr).
    let ignored = format!("{nc}Ignored.namedCredential-meta.xml");
    let run = check_in(&dir, &[&ignored], &[]);
    assert_eq!((run.code, summary(&run.json())), (0, vec![]));
    assert_eq!(
        run.json()["skipped"],
        serde_json::json!([{
            "path": ignored,
            "reason": "forceignore",
            "message": "excluded by .forceignore; not checked",
        }])
    );
    assert_eq!(
        run.stderr,
        format!("note: {ignored} is excluded by .forceignore; not checked\n")
    );
    // Also when a parent folder is what .forceignore lists.
    let settings = "force-app/main/default/settings/EmailIntegration.settings-meta.xml";
    let run = check_in(&dir, &[settings], &[]);
    assert_eq!((run.code, summary(&run.json())), (0, vec![]));
    assert_eq!(run.json()["skipped"][0]["path"], settings);
    // A dotfile named explicitly is checked.
    let draft = format!("{nc}.Draft.namedCredential-meta.xml");
    let run = check_in(&dir, &[&draft], &[]);
    assert_eq!(
        summary(&run.json()),
        ["EXO001 error namedCredentials/.Draft.namedCredential-meta.xml:6:5"]
    );
    assert_eq!(run.code, 1);
    // Only the named files are reported.
    let checked = format!("{nc}Checked.namedCredential-meta.xml");
    let run = check_in(&dir, &[&checked, &draft], &[]);
    assert_eq!(
        summary(&run.json()),
        [
            "EXO001 error namedCredentials/.Draft.namedCredential-meta.xml:6:5",
            "EXO001 error namedCredentials/Checked.namedCredential-meta.xml:6:5",
        ]
    );
    // The project itself and a file in it: the whole project is reported
    // (and the named dotfile is checked), in either order.
    for args in [[".", &draft], [&draft, "."]] {
        let run = check_in(&dir, &args, &[]);
        assert_eq!(
            summary(&run.json()),
            [
                "EXO001 error namedCredentials/.Draft.namedCredential-meta.xml:6:5",
                "EXO001 error namedCredentials/Checked.namedCredential-meta.xml:6:5",
            ],
            "{args:?}"
        );
    }
    let run = check_in(
        &fixtures(),
        &["forceignored", &format!("forceignored/{checked}")],
        &[],
    );
    assert_eq!(summary(&run.json()).len(), 1);
    // A folder of projects and a file in one of them: that project is
    // still reported whole, in either order.
    let settings =
        "ls001-service-account/force-app/main/default/settings/EmailIntegration.settings-meta.xml";
    for args in [[settings, "."], [".", settings]] {
        let run = check_in(&fixtures(), &args, &[]);
        let ls001 = summary(&run.json())
            .into_iter()
            .filter(|f| f.contains(" ls001-service-account/"))
            .count();
        assert_eq!(ls001, 3, "{args:?}");
    }
    // A file excluded by the config stays excluded when named.
    let dir = fixture("config-exclude");
    let old = "force-app/main/default/legacy/namedCredentials/Old.namedCredential-meta.xml";
    let run = check_in(&dir, &[old], &[]);
    assert_eq!((run.code, summary(&run.json())), (0, vec![]));
    assert_eq!(
        run.json()["skipped"],
        serde_json::json!([{
            "path": old,
            "reason": "exclude",
            "message": "excluded by `plugins.exchangeAuthLint.exclude` in sfdx-project.json; not checked",
        }])
    );
}

/// Human output of a run on paths the project ignores: the report on
/// stdout as always, one note per path on stderr, exit 0; a whole project
/// run names nothing as skipped.
#[test]
fn skipped_paths_in_human_output() {
    let dir = fixture("forceignored");
    let nc = "force-app/main/default/namedCredentials/Ignored.namedCredential-meta.xml";
    // A folder whose metadata files are all ignored (`**/settings/**`
    // does not match the folder itself), a hidden folder (it holds a
    // credential that would be an error), a file.
    let run = exec(
        &dir,
        &[
            "check",
            "force-app/main/default/settings",
            "force-app/.drafts",
            nc,
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "note: force-app/.drafts is a hidden folder (ignored by default); not checked\n\
         note: force-app/main/default/namedCredentials/Ignored.namedCredential-meta.xml is excluded by .forceignore; not checked\n\
         note: force-app/main/default/settings is excluded by .forceignore; not checked\n"
    );
    assert!(
        run.stdout
            .starts_with("0 errors, 0 warnings, 0 info in 1 metadata file ("),
        "{}",
        run.stdout
    );
    // The notes are not findings: `--fail-on info` still passes.
    let run = exec(&dir, &["check", nc, "--fail-on", "info", "--as-of", AS_OF]);
    assert_eq!(run.code, 0);
    // The whole project: nothing is named, nothing reported as skipped.
    let run = check_in(&dir, &["."], &[]);
    assert_eq!(
        (run.stderr.as_str(), &run.json()["skipped"]),
        ("", &serde_json::json!([]))
    );
    // A named folder with some checked files is not skipped.
    let run = check_in(&dir, &["force-app/main/default/namedCredentials"], &[]);
    assert_eq!(run.json()["skipped"], serde_json::json!([]));
}

/// SARIF gets a `note` notification per skipped path (the run stays valid
/// SARIF: `tests/formats.rs` checks the schema); JUnit a skipped test case.
#[test]
fn skipped_paths_in_sarif_and_junit() {
    let dir = fixture("forceignored");
    let nc = "force-app/main/default/namedCredentials/Ignored.namedCredential-meta.xml";
    let run = exec(&dir, &["check", nc, "--format", "sarif", "--as-of", AS_OF]);
    assert_eq!(run.code, 0);
    let sarif = run.json();
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"],
        serde_json::json!([{
            "level": "note",
            "message": { "text": "excluded by .forceignore; not checked" },
            "locations": [{ "physicalLocation": { "artifactLocation": {
                "uri": nc, "uriBaseId": "SRCROOT",
            } } }],
            "properties": { "reason": "forceignore" },
        }])
    );
    let run = exec(&dir, &["check", nc, "--format", "junit", "--as-of", AS_OF]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains(r#"tests="2" failures="0" errors="0" skipped="1">"#),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(
            "    <testcase classname=\"force-app/main/default/namedCredentials\" name=\"{nc}\">\n      <skipped message=\"excluded by .forceignore; not checked\"/>\n    </testcase>\n"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn explicit_file_keeps_project_facts() {
    // Only the settings file is reported, but LS001 still sees the
    // credential in the rest of the project.
    let dir = fixture("ls001-service-account");
    let run = check_in(
        &dir,
        &["force-app/main/default/settings/EmailIntegration.settings-meta.xml"],
        &[],
    );
    assert_eq!(
        summary(&run.json()),
        ["LS001 error settings/EmailIntegration.settings-meta.xml:3:5"]
    );
}

#[test]
fn several_projects_in_one_run() {
    let run = check_in(&fixtures(), &["ap001-acs", "exo001-legacy", "clean"], &[]);
    assert_eq!(run.code, 1);
    let v = run.json();
    assert_eq!(
        summary(&v),
        [
            "AP001 error ap001-acs/force-app/main/default/authproviders/SharePoint_ACS.authprovider-meta.xml:5:5",
            "EXO001 error exo001-legacy/force-app/main/default/namedCredentials/Exchange_Mail.namedCredential-meta.xml:6:5",
        ]
    );
    assert_eq!(v["summary"]["errors"], 2);
    // The same project twice is checked once.
    let run = check_in(&fixtures(), &["ap001-acs", "ap001-acs/force-app"], &[]);
    assert_eq!(summary(&run.json()).len(), 1);
}

#[test]
fn default_path_is_the_working_directory() {
    let run = exec(
        &fixture("ap001-acs"),
        &["check", "--format", "json", "--as-of", AS_OF],
    );
    assert_eq!(
        summary(&run.json()),
        ["AP001 error authproviders/SharePoint_ACS.authprovider-meta.xml:5:5"]
    );
    // From a subfolder, the project is found above it.
    let run = exec(
        &fixture("ap001-acs").join("force-app/main"),
        &["check", "--format", "json", "--as-of", AS_OF],
    );
    assert_eq!(summary(&run.json()).len(), 1);
}

#[test]
fn output_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report.json");
    let out_s = out.to_str().unwrap();
    let run = check("ap001-acs", &["--output", out_s]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    // People still see the one-line summary on stderr, never the report
    // (which may quote what a CI log must not hold).
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("1 error, 0 warnings"),
        "{}",
        run.stderr
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        summary(&v),
        ["AP001 error authproviders/SharePoint_ACS.authprovider-meta.xml:5:5"]
    );
    // Into a folder that does not exist: a tool error.
    let bad = tmp.path().join("missing/report.json");
    let run = check("ap001-acs", &["--output", bad.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

/// A report or a baseline is never written through a symbolic link to a
/// file (a repository can commit `exchange-auth-lint.sarif -> ~/.bashrc`
/// where CI writes its report), nor through a folder link that leads out
/// of the working folder: a tool error naming it, the target untouched
/// (fourth adversarial run, D10). A device is still written into.
#[test]
fn reports_are_never_written_through_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("proj");
    support::copy_dir(&fixture("ap001-acs"), &project);
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "precious\n").unwrap();
    std::os::unix::fs::symlink(&victim, project.join("exchange-auth-lint.sarif")).unwrap();
    std::os::unix::fs::symlink(outside.path(), project.join("reports")).unwrap();
    for args in [
        &["--format", "sarif", "-o", "exchange-auth-lint.sarif"][..],
        &["--format", "json", "-o", "reports/report.json"],
        &["--write-baseline", "exchange-auth-lint.sarif"],
    ] {
        let mut all = vec!["check", "."];
        all.extend(args);
        let run = exec(&project, &all);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("symbolic link"),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
        assert!(!outside.path().join("report.json").exists(), "{args:?}");
    }
    let run = exec(&project, &["check", ".", "-o", "/dev/null"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

/// Flag values at their limits are answers, never a crash: `--threads`
/// above 256 is a usage error (4294967295 aborted on a 137 GB allocation,
/// 10,000 threads never ended), and the HTML report draws an as-of date in
/// the year 9999, which has no next year (it panicked: fourth adversarial
/// run, D12 and D13).
#[test]
fn flag_values_at_their_limits_are_answers_not_crashes() {
    for threads in ["257", "4294967295", "18446744073709551615"] {
        let run = check("ap001-acs", &["--threads", threads]);
        assert_eq!(run.code, 2, "{threads}: {}", run.stderr);
        assert!(run.stderr.contains("--threads"), "{}", run.stderr);
    }
    assert_eq!(check("ap001-acs", &["--threads", "256"]).code, 1);
    for as_of in ["9999-12-31", "9999-01-01", "0001-01-01"] {
        let run = exec(
            &fixture("ap001-acs"),
            &["check", ".", "--format", "html", "--as-of", as_of],
        );
        // Findings (1) or none yet (0: nothing retired in year 1).
        assert!(matches!(run.code, 0 | 1), "{as_of}: {}", run.stderr);
        assert!(run.stdout.contains("<svg"), "{as_of}");
    }
}

// ---------------------------------------------------------------------------
// Commands other than check.

#[test]
fn rules_and_explain() {
    let run = exec(&fixtures(), &["rules", "--json"]);
    assert_eq!(run.code, 0);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "LS001", "LS002", "LS003", "LS004", "EAC001", "EXO001", "EXO002", "SEC001", "SEC002",
            "SEC003", "AP001", "FIX001", "XML001", "SUP001"
        ]
    );
    let human = exec(&fixtures(), &["rules"]).stdout;
    for id in ids {
        assert!(human.contains(id), "{id} missing from `rules`");
        let explain = exec(&fixtures(), &["explain", id]);
        assert_eq!(explain.code, 0, "{id}");
        assert!(explain.stdout.starts_with(&format!("# {id} ")), "{id}");
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Fix",
        ] {
            assert!(explain.stdout.contains(heading), "{id}: {heading}");
        }
    }
    let by_name = exec(&fixtures(), &["explain", "exchange-basic-auth"]);
    assert!(by_name.stdout.starts_with("# EXO001 exchange-basic-auth"));
    let lower = exec(&fixtures(), &["explain", "ls003"]);
    assert!(
        lower.stdout.contains("error from 2026-09-01"),
        "{}",
        lower.stdout
    );
    // Where the values a fix left as placeholders come from, and what
    // remains in Setup, in both languages.
    let words = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let fix001 = words(exec(&fixtures(), &["explain", "FIX001"]).stdout);
    for needle in [
        "TENANT-ID-OR-DOMAIN",
        "ENTRA-APPLICATION-CLIENT-ID",
        "Microsoft Entra admin center → App registrations → the app registered for this integration → Overview",
        "**Directory (tenant) ID**",
        "**Application (client) ID**",
        "Setup → Named Credentials → External Credentials → the credential → Principals",
    ] {
        assert!(fix001.contains(needle), "{needle}: {fix001}");
    }
    let fix001 = words(exec(&fixtures(), &["explain", "FIX001", "--lang", "ja"]).stdout);
    for needle in [
        "Microsoft Entra 管理センター → アプリの登録",
        "**ディレクトリ（テナント）ID**",
        "**アプリケーション（クライアント）ID**",
        "設定 → 指定ログイン情報 → 外部ログイン情報",
    ] {
        assert!(fix001.contains(needle), "{needle}: {fix001}");
    }
    let unknown = exec(&fixtures(), &["explain", "EXO999"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("EXO999"));
}

// ---------------------------------------------------------------------------
// Tool errors: exit 2 with a message naming the problem.

fn tool_error(dir: &Path, args: &[&str], needles: &[&str]) {
    let run = exec(dir, args);
    assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout, "", "{args:?}");
    for n in needles {
        assert!(
            run.stderr.contains(n),
            "{args:?}: {n:?} not in {}",
            run.stderr
        );
    }
}

#[test]
fn bad_arguments() {
    let dir = fixture("clean");
    tool_error(
        &dir,
        &["check", ".", "--select", "EXO999"],
        &["--select", "`EXO999`"],
    );
    tool_error(
        &dir,
        &["check", ".", "--ignore", "LS001,NOPE"],
        &["--ignore", "`NOPE`"],
    );
    for date in ["2026-13-01", "2026-02-30", "26-1-1", "tomorrow", ""] {
        tool_error(&dir, &["check", ".", "--as-of", date], &["--as-of"]);
    }
    tool_error(
        &dir,
        &["check", "no/such/path"],
        &["no/such/path", "no such file"],
    );
    // One bad path fails the run even when others are fine.
    tool_error(&dir, &["check", ".", "missing"], &["missing"]);
    tool_error(
        &dir,
        &["check", ".", "--fail-on", "sometimes"],
        &["sometimes"],
    );
    tool_error(&dir, &["check", ".", "--format", "yaml"], &["yaml"]);
}

/// A throwaway SFDX project with one metadata file that has a finding.
fn temp_project(manifest: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("sfdx-project.json"), manifest).unwrap();
    let nc = tmp.path().join("force-app/namedCredentials");
    std::fs::create_dir_all(&nc).unwrap();
    std::fs::write(
        nc.join("Good.namedCredential-meta.xml"),
        "<NamedCredential><endpoint>https://outlook.office.com/x</endpoint><protocol>Password</protocol></NamedCredential>\n",
    )
    .unwrap();
    tmp
}

#[test]
fn bad_project_config() {
    let cases: &[(&str, &[&str])] = &[
        (
            "{\n  \"packageDirectories\": [\n    { \"path\": \"force-app\" }\n",
            &["sfdx-project.json:2:25: invalid JSON"],
        ),
        (
            "{\n  \"packageDirectories\": [{ \"path\": \"force-app\" }],\n  \"plugins\": { \"exchangeAuthLint\": { \"colour\": true } }\n}\n",
            &["sfdx-project.json:3:38:", "unknown key `colour`"],
        ),
        (
            "{\n  \"packageDirectories\": [{ \"path\": \"force-app\" }],\n  \"plugins\": { \"exchangeAuthLint\": {\n    \"rules\": { \"EXO999\": \"off\", \"AP001\": \"loud\" } } }\n}\n",
            &[
                "sfdx-project.json:4:16: unknown rule id `EXO999`",
                "sfdx-project.json:4:42: level of `AP001`",
            ],
        ),
        (
            "{\n  \"packageDirectories\": [{ \"path\": \"force-app\" }],\n  \"plugins\": { \"exchangeAuthLint\": { \"exchange\": \"cloud\" } }\n}\n",
            &["sfdx-project.json:3:50:", "`exchange` must be one of"],
        ),
        // Missing commas are not JSON (the Salesforce CLI rejects them).
        (
            "{\n  \"packageDirectories\": [\n    { \"path\": \"force-app\" }\n    { \"path\": \"other\" }\n  ]\n}\n",
            &["sfdx-project.json:4:5: invalid JSON"],
        ),
        (
            "{\n  \"packageDirectories\": [{ \"path\": \"force-app\" }]\n  \"name\": \"x\"\n}\n",
            &["sfdx-project.json:3:3: invalid JSON"],
        ),
        ("[]\n", &["sfdx-project.json:1:1:", "JSON object"]),
        ("{}\n", &["sfdx-project.json:1:1:", "`packageDirectories` is missing"]),
    ];
    for (manifest, needles) in cases {
        let tmp = temp_project(manifest);
        tool_error(tmp.path(), &["check", ".", "--format", "json"], needles);
    }
    // Comments and trailing commas are tolerated.
    let tmp = temp_project(
        "{\n  // the app\n  \"packageDirectories\": [{ \"path\": \"force-app\" },],\n}\n",
    );
    let run = check_in(tmp.path(), &["."], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        summary(&run.json()),
        ["EXO001 error force-app/namedCredentials/Good.namedCredential-meta.xml:1:67"]
    );
}

// ---------------------------------------------------------------------------
// Bad files: each is reported (XML001 or a problem) and every other file is
// still checked.

#[test]
fn bad_files_are_reported_and_the_rest_is_checked() {
    let tmp = temp_project("{ \"packageDirectories\": [{ \"path\": \"force-app\" }] }");
    let nc = tmp.path().join("force-app/namedCredentials");
    let write = |name: &str, bytes: &[u8]| std::fs::write(nc.join(name), bytes).unwrap();
    write(
        "Binary.namedCredential-meta.xml",
        b"\x7fELF\x02\x01\x01\x00\x00\x00",
    );
    write("Empty.namedCredential-meta.xml", b"");
    // Latin-1 `é` (0xE9) in a label: not UTF-8.
    write(
        "Latin1.namedCredential-meta.xml",
        b"<NamedCredential>\n  <label>Caf\xe9</label>\n  <protocol>Password</protocol>\n</NamedCredential>\n",
    );
    write(
        "Utf16.namedCredential-meta.xml",
        b"\xff\xfe<\x00N\x00/\x00>\x00",
    );
    // A folder that looks like a metadata file is walked, not read.
    std::fs::create_dir(nc.join("Folder.namedCredential-meta.xml")).unwrap();
    // What really fails to read when running as root: a symbolic link to
    // nowhere, and a named pipe (reading it would block forever).
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            tmp.path().join("gone.xml"),
            nc.join("Dangling.namedCredential-meta.xml"),
        )
        .unwrap();
        let fifo = nc.join("Pipe.namedCredential-meta.xml");
        let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(status.success());
    }
    let run = check_in(tmp.path(), &["."], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v = run.json();
    let p = "force-app/namedCredentials/";
    assert_eq!(
        summary(&v),
        [
            format!("XML001 error {p}Binary.namedCredential-meta.xml:1:8"),
            format!("XML001 error {p}Empty.namedCredential-meta.xml:1:1"),
            format!("EXO001 error {p}Good.namedCredential-meta.xml:1:67"),
            format!("XML001 error {p}Latin1.namedCredential-meta.xml:2:13"),
            format!("XML001 error {p}Utf16.namedCredential-meta.xml:1:1"),
        ]
    );
    // Byte ranges are offsets into the file on disk.
    let latin1 = &v["findings"][3];
    assert_eq!(latin1["byteRange"]["start"], 30);
    assert_eq!(latin1["byteRange"]["end"], 31);
    assert!(latin1["message"].as_str().unwrap().contains("UTF-8"));
    let empty = &v["findings"][1];
    assert!(empty["message"]
        .as_str()
        .unwrap()
        .contains("no root element"));
    #[cfg(unix)]
    {
        assert_eq!(
            problems(&v),
            [
                format!("{p}Dangling.namedCredential-meta.xml: cannot read: broken symbolic link"),
                format!("{p}Pipe.namedCredential-meta.xml: not a regular file; not checked"),
            ]
        );
        assert!(
            run.stderr.contains("Pipe.namedCredential-meta.xml"),
            "{}",
            run.stderr
        );
        // Named explicitly, a file that cannot be read is a tool error
        // (exit 2), and a pipe is never opened.
        let pipe = format!("{p}Pipe.namedCredential-meta.xml");
        tool_error(
            tmp.path(),
            &["check", &pipe, "--format", "json"],
            &[&format!("{pipe}: not a regular file")],
        );
        let dangling = format!("{p}Dangling.namedCredential-meta.xml");
        tool_error(tmp.path(), &["check", &dangling], &["no such file"]);
    }
}

#[test]
fn malformed_xml_cases() {
    let tmp = temp_project("{ \"packageDirectories\": [{ \"path\": \"force-app\" }] }");
    let nc = tmp.path().join("force-app/namedCredentials");
    let cases: &[(&str, &str, &str)] = &[
        ("Unclosed", "<NamedCredential>\n  <endpoint>x\n", "2:3"),
        (
            "Mismatch",
            "<NamedCredential>\n  <a>x</b>\n</NamedCredential>",
            "2:7",
        ),
        (
            "Entity",
            "<NamedCredential>&bogus;</NamedCredential>",
            "1:18",
        ),
        ("TwoRoots", "<a/>\n<b/>", "2:1"),
        ("Text", "hello", "1:1"),
        ("Comment", "<a><!-- a -- b --></a>", "1:11"),
        ("Japanese", "<a>\n<label>日本語</labl></a>", "2:11"),
    ];
    for (name, text, _) in cases {
        std::fs::write(nc.join(format!("{name}.namedCredential-meta.xml")), text).unwrap();
    }
    let got = findings_in(tmp.path());
    let mut expected: Vec<String> = cases
        .iter()
        .map(|(name, _, pos)| {
            format!("XML001 error force-app/namedCredentials/{name}.namedCredential-meta.xml:{pos}")
        })
        .collect();
    expected
        .push("EXO001 error force-app/namedCredentials/Good.namedCredential-meta.xml:1:67".into());
    expected.sort_by_key(|s| s.split(' ').nth(2).unwrap().to_owned());
    assert_eq!(got, expected);
}

fn findings_in(dir: &Path) -> Vec<String> {
    summary(&check_in(dir, &["."], &[]).json())
}

#[test]
fn suppression_ids_after_wide_spaces() {
    // An ideographic space (three bytes) between ids, as Japanese input
    // methods type it: the unused id's range must still be the id.
    let tmp = temp_project("{ \"packageDirectories\": [{ \"path\": \"force-app\" }] }");
    let file = tmp
        .path()
        .join("force-app/namedCredentials/Good.namedCredential-meta.xml");
    let text = "<NamedCredential>\n<!-- exchange-auth-lint-disable-next-line EXO001\u{3000}SEC001 -->\n<protocol>Password</protocol><endpoint>https://outlook.office.com/x</endpoint>\n</NamedCredential>\n";
    std::fs::write(&file, text).unwrap();
    let run = check_in(tmp.path(), &["."], &[]);
    let v = run.json();
    assert_eq!(
        summary(&v),
        ["SUP001 info force-app/namedCredentials/Good.namedCredential-meta.xml:2:50"]
    );
    let r = &v["findings"][0]["byteRange"];
    let (start, end) = (
        r["start"].as_u64().unwrap() as usize,
        r["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "SEC001");
    assert_eq!(v["findings"][0]["endColumn"], 56);
    // The human report quotes the line without breaking a character.
    let human = exec(tmp.path(), &["check", ".", "--as-of", AS_OF]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(human.stdout.contains("SUP001"), "{}", human.stdout);
}

#[test]
fn nested_package_directories_are_read_once() {
    let tmp = temp_project(
        "{ \"packageDirectories\": [{ \"path\": \"force-app\" }, { \"path\": \"force-app/namedCredentials\" }, { \"path\": \"./force-app/\" }] }",
    );
    let v = check_in(tmp.path(), &["."], &[]).json();
    assert_eq!(
        summary(&v),
        ["EXO001 error force-app/namedCredentials/Good.namedCredential-meta.xml:1:67"]
    );
    assert_eq!(v["summary"]["filesChecked"], 1);
}

#[test]
fn a_folder_of_projects_checks_each_with_its_own_config() {
    // `fixtures/` is no project itself: every fixture below it is checked
    // as its own project (its facts, config and .forceignore), exactly as
    // when checked alone; the metadata-API tree without a manifest is
    // checked too.
    let all = summary(&check_in(&fixtures(), &["."], &[]).json());
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() > 25);
    for name in &names {
        let prefix = format!("{name}/");
        let mine: Vec<String> = all
            .iter()
            .filter(|f| f.split(' ').nth(2).unwrap().starts_with(&prefix))
            .map(|f| {
                f.replacen(&format!("{prefix}{DEFAULT_DIR}"), "", 1)
                    .replacen(&prefix, "", 1)
            })
            .collect();
        assert_eq!(mine, findings(name, &[]), "{name}");
    }
    assert_eq!(
        all.len(),
        names.iter().map(|n| findings(n, &[]).len()).sum::<usize>()
    );
}

#[test]
fn demo_org() {
    // The walkthrough project: an external credential with Basic and a
    // legacy named credential both feed LS001's evidence.
    let run = check("demo-org", &[]);
    assert_eq!(run.code, 1);
    let v = run.json();
    assert_eq!(
        summary(&v),
        [
            "AP001 error authproviders/SharePoint_ACS.authprovider-meta.xml:7:5",
            "EXO002 error classes/RoomFinder.cls:4:25",
            "EXO001 error externalCredentials/Room_Finder_Basic.externalCredential-meta.xml:3:5",
            "EXO002 error namedCredentials/Calendar_Room_Finder.namedCredential-meta.xml:11:9",
            "EXO002 error namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml:5:5",
            "SEC001 error namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml:8:5",
            "EXO001 error namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml:10:5",
            "SEC002 warning remoteSiteSettings/Exchange_Online.remoteSite-meta.xml:4:5",
            "LS001 error settings/EmailIntegration.settings-meta.xml:4:5",
        ]
    );
    let ls001 = &v["findings"][8];
    let related = related_lines(ls001);
    assert_eq!(
        related,
        [
            "namedCredentials/Calendar_Room_Finder.namedCredential-meta.xml:11",
            "namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml:5",
            "remoteSiteSettings/Exchange_Online.remoteSite-meta.xml:6",
            "externalCredentials/Room_Finder_Basic.externalCredential-meta.xml:3",
            "namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml:10",
        ]
    );
    assert!(!run.stdout.contains("Winter2021!"));
    assert_eq!(v["summary"]["filesChecked"], 10);
}
