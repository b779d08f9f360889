//! Engine-level, data-driven tests of the rules: every fixture folder is
//! opened as the command line opens a path, in-process (no binary), and
//! what the engine says about it is held against its expectation in
//! `tests/snapshots/rules/<fixture>.snap`: the findings (rule, severity,
//! place, message, fixable) and what fix-all does with them (the fixes
//! applied, their notes, the refusals and the diff).
//!
//! A new fixture gets its expectation with `INSTA_UPDATE=always cargo test
//! --test rules` (review the new file before committing it). The last test
//! checks that the fixtures cover the rules: every rule reports something
//! in some fixture, and every rule with a fixer offers a valid fix in one.

use exchange_auth_lint::check::CheckOptions;
use exchange_auth_lint::fix::session::{unified_diff, MAX_PASSES};
use exchange_auth_lint::i18n::Lang;
use exchange_auth_lint::rules::RULES;
use exchange_auth_lint::timeline::AsOf;
use exchange_auth_lint::workspace::Workspace;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-24";

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path().canonicalize().unwrap())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// What the engine says about one fixture, as the expectation holds it,
/// and the rules it saw report and offer a valid fix.
fn describe(dir: &Path) -> (String, BTreeSet<&'static str>, BTreeSet<&'static str>) {
    let options = CheckOptions {
        as_of: AsOf::parse(AS_OF).unwrap(),
        lang: Lang::En,
        ..CheckOptions::default()
    };
    let mut workspace = Workspace::open_paths(&[dir.to_path_buf()], 1).unwrap();
    let (mut reported, mut fixed) = (BTreeSet::new(), BTreeSet::new());
    let mut out = String::new();
    for member in workspace.members_mut() {
        let analysis = member.analysis(&options);
        let project = analysis.project();
        let root = &project.root;
        let shown = |p: &Path| {
            p.strip_prefix(dir)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/")
        };
        let _ = writeln!(out, "# project {}", shown(root));
        for f in analysis.findings() {
            reported.insert(f.rule);
            let file = &project.files[f.file];
            let at = file.lines.chars(&file.text, f.range.start);
            let fixable = if f.fixable { " (fixable)" } else { "" };
            let _ = writeln!(
                out,
                "{} {} {}:{}:{}{fixable}\n    {}",
                f.rule,
                f.severity,
                file.rel_path,
                at.line + 1,
                at.col + 1,
                f.message
            );
            if f.fixable {
                let (fixes, refused) = analysis.fixes(f);
                for fix in &fixes {
                    fixed.insert(f.rule);
                    let preferred = if fix.preferred { " (preferred)" } else { "" };
                    let _ = writeln!(out, "    fix {}{preferred}", fix.title);
                }
                for r in &refused {
                    let _ = writeln!(out, "    refused {}: {}", r.title, r.reason);
                }
            }
        }
        let outcome = analysis.fix_all(|_, _| true, |_| true, MAX_PASSES);
        let _ = writeln!(
            out,
            "## fix-all: {} pass(es), converged: {}",
            outcome.passes, outcome.converged
        );
        for a in &outcome.applied {
            let _ = writeln!(out, "applied {} {}: {}", a.rule, a.file, a.title);
            if let Some(note) = &a.note {
                let _ = writeln!(out, "    note: {note}");
            }
        }
        for r in &outcome.refused {
            let _ = writeln!(
                out,
                "refused {} {}: {}: {}",
                r.refusal.rule, r.file, r.refusal.title, r.refusal.reason
            );
        }
        out.push_str(&unified_diff(root, &outcome.changes));
    }
    (out, reported, fixed)
}

#[test]
fn every_fixture_gives_its_expected_findings_and_fixes() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/rules");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for dir in fixtures() {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let (text, _, _) = describe(&dir);
            insta::assert_snapshot!(name, text);
        }
    });
}

#[test]
fn the_fixtures_cover_every_rule_and_every_fixer() {
    let (mut reported, mut fixed) = (BTreeSet::new(), BTreeSet::new());
    for dir in fixtures() {
        let (_, r, f) = describe(&dir);
        reported.extend(r);
        fixed.extend(f);
    }
    for rule in RULES {
        assert!(
            reported.contains(rule.id),
            "no fixture makes {} report anything",
            rule.id
        );
        if rule.fixable() {
            assert!(
                fixed.contains(rule.id),
                "no fixture gets a valid fix of {}",
                rule.id
            );
        }
    }
}

/// Every message opens with its problem in a few words, before it names
/// any object (objects are always quoted: `named credential "X" (X)`,
/// `指定ログイン情報「X」`), so a Problems row or report line cut after a
/// few words still says what is wrong. English and Japanese, every fixture.
#[test]
fn every_message_leads_with_its_problem() {
    const MAX_PROBLEM_CHARS: usize = 64;
    for dir in fixtures() {
        for lang in [Lang::En, Lang::Ja] {
            let options = CheckOptions {
                as_of: AsOf::parse(AS_OF).unwrap(),
                lang,
                ..CheckOptions::default()
            };
            let mut workspace = Workspace::open_paths(std::slice::from_ref(&dir), 1).unwrap();
            for member in workspace.members_mut() {
                let analysis = member.analysis(&options);
                for f in analysis.findings() {
                    let separator = lang.pick(": ", "：");
                    let Some((problem, detail)) = f.message.split_once(separator) else {
                        panic!("{} {lang:?} has no problem first: {}", f.rule, f.message);
                    };
                    assert!(
                        problem.chars().count() <= MAX_PROBLEM_CHARS
                            && !problem.contains(['"', '「', '`'])
                            && !detail.trim().is_empty(),
                        "{} {lang:?}: the problem must come first, in a few words, naming no object: {}",
                        f.rule,
                        f.message
                    );
                }
            }
        }
    }
}
