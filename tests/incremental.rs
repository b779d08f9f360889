//! After edits of Apex classes, the analysis the workspace keeps up to
//! date (which keeps what did not depend on the edited text) equals an
//! analysis of the same text from scratch: findings, related information,
//! fixable flags, offers and the fixes they build. The edits are random
//! (a fixed seed) and include ones that change cross-file evidence: the
//! named credential a class calls, EWS paths and namespaces, Basic
//! headers, a WSDL2Apex stub's endpoint, suppression comments, secrets.
//! The secrets each file keeps for its version equal those found again.

mod support;

use exchange_auth_lint::analysis::Analysis;
use exchange_auth_lint::check::CheckOptions;
use exchange_auth_lint::redact::{secret_ranges, MASK};
use exchange_auth_lint::timeline::AsOf;
use exchange_auth_lint::workspace::{Change, Member};
use std::path::{Path, PathBuf};
use support::copy_dir;

const CLASSES: &[&str] = &[
    "force-app/main/default/classes/EwsCalendarService.cls",
    "force-app/main/default/classes/ExchangeServices.cls",
    "force-app/main/default/classes/MailRelay.cls",
    "force-app/main/default/classes/GraphMailService.cls",
];

/// What an edit inserts: pieces that matter to the rules, and plain code.
const PIECES: &[&str] = &[
    "callout:Exchange_Online",
    "callout:Graph_Mail",
    "callout:Graph_Mail/EWS/Exchange.asmx",
    "/EWS/Exchange.asmx",
    "'https://outlook.office365.com/EWS/Exchange.asmx'",
    "\n        req.setEndpoint('callout:Exchange_Online/EWS/Exchange.asmx');\n",
    "\n        req.setHeader('Authorization', 'Basic ' + EncodingUtil.base64Encode(Blob.valueOf(u + ':' + p)));\n",
    "\n        this.inputHttpHeaders_x.put('Authorization', 'Basic ' + token);\n",
    "\n        public String endpoint_x = 'callout:Exchange_Online/EWS/Exchange.asmx';\n",
    "\n    // exchange-auth-lint-disable-next-line EXO002; moving in Q1\n",
    "\n    // exchange-auth-lint-disable EXO001\n",
    "'<m:FindItem xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\"/>'",
    "\n        String clientSecret = 'Zx81Q~abcdefghijklmnopqrstuvwxyz01234567';\n",
    "'",
    "{",
    "}",
    "(",
    ";",
    "\n",
    " + ",
    "x",
];

/// A deterministic xorshift generator.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One random edit of `text`: an insertion, a deletion, or a replacement.
fn edit(rng: &mut Rng, text: &str) -> String {
    let at = boundary(text, rng.below(text.len() + 1));
    let mut out = text.to_owned();
    match rng.below(4) {
        0 | 1 => out.insert_str(at, PIECES[rng.below(PIECES.len())]),
        2 => {
            let end = boundary(text, (at + 1 + rng.below(40)).min(text.len()));
            out.replace_range(at..end, "");
        }
        _ => {
            let end = boundary(text, (at + rng.below(12)).min(text.len()));
            out.replace_range(at..end, PIECES[rng.below(PIECES.len())]);
        }
    }
    out
}

fn options() -> CheckOptions {
    CheckOptions {
        as_of: AsOf::parse("2026-12-02").unwrap(),
        ..CheckOptions::default()
    }
}

/// Everything an analysis says, with the project's root written as `<root>`.
fn said(analysis: &Analysis, root: &Path) -> Vec<String> {
    let root = root.display().to_string();
    analysis
        .findings()
        .iter()
        .map(|f| {
            let fixes = analysis.fixes(f);
            format!("{f:?}\noffers {:?}\nfixes {fixes:?}", analysis.offers(f))
                .replace(&root, "<root>")
        })
        .collect()
}

fn from_scratch(root: &Path) -> Analysis {
    Member::around(root).analyse(&options())
}

#[test]
fn apex_edits_analyse_as_from_scratch() {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/apex-ews");
    let (live, fresh) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (live, fresh) = (
        live.path().canonicalize().unwrap(),
        fresh.path().canonicalize().unwrap(),
    );
    copy_dir(&fixture, &live);
    copy_dir(&fixture, &fresh);
    let options = options();
    let mut member = Member::around(&live);
    let first = member.analysis(&options);
    assert_eq!(said(&first, &live), said(&from_scratch(&fresh), &fresh));
    assert!(!first.findings().is_empty());
    drop(first);
    let mut texts: Vec<String> = CLASSES
        .iter()
        .map(|c| std::fs::read_to_string(live.join(c)).unwrap())
        .collect();
    let mut rng = Rng(0x5EED_A9E7);
    let mut version = 1;
    for step in 0..120 {
        // One to three edits (of one or more classes) between analyses.
        for _ in 0..1 + rng.below(3) {
            let which = rng.below(CLASSES.len());
            version += 1;
            texts[which] = edit(&mut rng, &texts[which]);
            member.apply(&Change::Buffer {
                path: live.join(CLASSES[which]),
                version,
                text: texts[which].clone(),
            });
            std::fs::write(fresh.join(CLASSES[which]), &texts[which]).unwrap();
        }
        let analysis = member.analysis(&options);
        let expected = from_scratch(&fresh);
        for (a, b) in analysis
            .project()
            .files
            .iter()
            .zip(&expected.project().files)
        {
            assert_eq!(a.rel_path, b.rel_path);
            assert_eq!(a.text, b.text, "step {step}: {}", a.rel_path);
            assert_eq!(
                a.apex(),
                b.apex(),
                "step {step}: the view of {}",
                a.rel_path
            );
            assert_eq!(
                secret_ranges(a),
                secret_ranges(b),
                "step {step}: the secrets of {}",
                a.rel_path
            );
        }
        assert_eq!(analysis.secrets(), expected.secrets(), "step {step}");
        let (got, want) = (said(&analysis, &live), said(&expected, &fresh));
        let only_got: Vec<&String> = got.iter().filter(|g| !want.contains(g)).collect();
        let only_want: Vec<&String> = want.iter().filter(|w| !got.contains(w)).collect();
        assert_eq!(
            got, want,
            "step {step}: only kept up to date:\n{only_got:#?}\nonly from scratch:\n{only_want:#?}"
        );
        assert_eq!(analysis.result().suppressed, expected.result().suppressed);
        // What reads no Apex was kept, what reads it was made again.
        let kept: Vec<&str> = analysis.result().kept_rules().collect();
        assert!(
            kept.contains(&"LS001") && kept.contains(&"SEC002"),
            "{kept:?}"
        );
        assert!(
            !kept.contains(&"EXO001") && !kept.contains(&"EXO002"),
            "{kept:?}"
        );
        assert_eq!(expected.result().kept_rules().count(), 0);
    }
}

/// An edit that adds, changes or removes a secret (in an Apex class and in
/// a named credential): the analysis kept up to date masks the new value
/// and no longer the old one, as one from scratch does.
#[test]
fn secrets_follow_edits_that_change_or_remove_them() {
    const CLASS: &str = "force-app/main/default/classes/GraphMailService.cls";
    const CREDENTIAL: &str =
        "force-app/main/default/namedCredentials/Exchange_Online.namedCredential-meta.xml";
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/apex-ews");
    let (live, fresh) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (live, fresh) = (
        live.path().canonicalize().unwrap(),
        fresh.path().canonicalize().unwrap(),
    );
    copy_dir(&fixture, &live);
    copy_dir(&fixture, &fresh);
    let options = options();
    let mut member = Member::around(&live);
    let class = std::fs::read_to_string(live.join(CLASS)).unwrap();
    let credential = std::fs::read_to_string(live.join(CREDENTIAL)).unwrap();
    let brace = class.find('{').unwrap() + 1;
    let with_secret = |value: &str| {
        let mut text = class.clone();
        text.insert_str(brace, &format!("\n    String clientSecret = '{value}';\n"));
        text
    };
    let label = credential.find("    <label>").unwrap();
    let with_password = |value: &str| {
        let mut text = credential.clone();
        text.insert_str(label, &format!("    <password>{value}</password>\n"));
        text
    };
    const OLD_ENTRA: &str = "Zx81Q~abcdefghijklmnopqrstuvwxyz01234567";
    const NEW_ENTRA: &str = "Yw72Q~abcdefghijklmnopqrstuvwxyz76543210";
    const OLD_PASSWORD: &str = "Wint3r-2026-Pw";
    const NEW_PASSWORD: &str = "Summ3r-2027-Pw";
    // (file, text, values that must be masked, values that must not)
    let steps: Vec<(&str, String, Vec<&str>, Vec<&str>)> = vec![
        (
            CLASS,
            with_secret(OLD_ENTRA),
            vec![OLD_ENTRA],
            vec![NEW_ENTRA],
        ),
        (
            CLASS,
            with_secret(NEW_ENTRA),
            vec![NEW_ENTRA],
            vec![OLD_ENTRA],
        ),
        (
            CREDENTIAL,
            with_password(OLD_PASSWORD),
            vec![NEW_ENTRA, OLD_PASSWORD],
            vec![],
        ),
        (
            CLASS,
            class.clone(),
            vec![OLD_PASSWORD],
            vec![OLD_ENTRA, NEW_ENTRA],
        ),
        (
            CREDENTIAL,
            with_password(NEW_PASSWORD),
            vec![NEW_PASSWORD],
            vec![OLD_PASSWORD],
        ),
        (
            CREDENTIAL,
            credential.clone(),
            vec![],
            vec![OLD_PASSWORD, NEW_PASSWORD],
        ),
    ];
    let _ = member.analysis(&options).secrets().clone();
    for (version, (rel, text, masked, plain)) in steps.into_iter().enumerate() {
        member.apply(&Change::Buffer {
            path: live.join(rel),
            version: version as i32 + 1,
            text: text.clone(),
        });
        std::fs::write(fresh.join(rel), &text).unwrap();
        let analysis = member.analysis(&options);
        let expected = from_scratch(&fresh);
        assert_eq!(analysis.secrets(), expected.secrets(), "step {version}");
        for (a, b) in analysis
            .project()
            .files
            .iter()
            .zip(&expected.project().files)
        {
            assert_eq!(
                secret_ranges(a),
                secret_ranges(b),
                "step {version}: {}",
                a.rel_path
            );
        }
        for value in masked {
            assert_eq!(analysis.scrub(value), MASK, "step {version}: {value}");
        }
        for value in plain {
            assert_eq!(analysis.scrub(value), value, "step {version}: {value}");
        }
    }
}

/// A class of many members, as the editor sees it while someone types in
/// it without breaking its syntax: after every edit its view equals the
/// view of a fresh file of the same text (the units the edit did not
/// touch are moved over, the others built again).
#[test]
fn apex_view_after_edits_equals_a_fresh_view() {
    use exchange_auth_lint::metadata::{Format, MetadataKind};
    use exchange_auth_lint::source::SourceFile;
    let file = |text: &str| {
        SourceFile::new(
            PathBuf::from("/p/classes/Gateway.cls"),
            "classes/Gateway.cls".into(),
            MetadataKind::ApexClass,
            Format::Source,
            text.as_bytes().to_vec(),
        )
    };
    let mut text = String::from(
        "/** Gateway. */\npublic class Gateway {\n    private static final String ENDPOINT = 'https://outlook.office365.com/EWS/Exchange.asmx';\n",
    );
    for i in 0..30 {
        text.push_str(&format!(
            "\n    // Call {i}.\n    public static HttpResponse call{i}(String box) {{\n        HttpRequest req = new HttpRequest();\n        req.setEndpoint(ENDPOINT);\n        String body = '<m:FindItem xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">' + box + '</m:FindItem>';\n        req.setBody(body);\n        return new Http().send(req);\n    }}\n"
        ));
    }
    text.push_str("}\n");
    const LINES: &[&str] = &[
        "        req.setHeader('Authorization', 'Basic ' + EncodingUtil.base64Encode(Blob.valueOf(u + ':' + p)));\n",
        "        String endpoint = 'callout:Exchange_Online' + '/EWS/Exchange.asmx';\n",
        "        // exchange-auth-lint-disable-next-line EXO002\n",
        "    private String other = 'https://example.com/api';\n",
        "    public void more() { req.setEndpoint('https://outlook.office365.com/ews/exchange.asmx'); }\n",
    ];
    let mut current = file(&text);
    let mut rng = Rng(0xA9E7_1A7E);
    for step in 0..300 {
        let lines: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&i| i < text.len())
            .collect();
        let at = lines[rng.below(lines.len())];
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        match rng.below(4) {
            // A letter typed or changed inside a string literal.
            0 => {
                let quotes: Vec<usize> = text.match_indices('\'').map(|(i, _)| i).collect();
                let q = quotes[rng.below(quotes.len())];
                let letter = text.as_bytes()[q + 1].is_ascii_alphabetic();
                match rng.below(3) {
                    0 => text.insert(q + 1, 'Q'),
                    1 if letter => text.replace_range(q + 1..q + 2, ""),
                    // The same length: only the text changed, not a range.
                    _ if letter => {
                        let c = if text.as_bytes()[q + 1] == b'Z' {
                            "Y"
                        } else {
                            "Z"
                        };
                        text.replace_range(q + 1..q + 2, c)
                    }
                    _ => {}
                }
            }
            // A line added.
            1 => text.insert_str(at, LINES[rng.below(LINES.len())]),
            // A statement removed.
            2 if text[at..line_end].trim_end().ends_with(';')
                && !text[at..line_end].contains("ENDPOINT =") =>
            {
                text.replace_range(at..line_end, "")
            }
            // An identifier renamed.
            _ => {
                if let Some(i) = text[at..line_end].find("req.") {
                    text.replace_range(at + i..at + i + 3, "rq");
                    text = text.replacen("HttpRequest req =", "HttpRequest rq =", 1);
                }
            }
        }
        current.set_text(text.clone());
        let fresh = file(&text);
        assert_eq!(current.apex(), fresh.apex(), "step {step}:\n{text}");
    }
}
