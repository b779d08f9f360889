//! The generated org is what the benchmarks claim it is: the linter reads
//! exactly its candidate files, flags the ones written to be flagged and
//! nothing else.

use exchange_auth_lint::check::{check, CheckOptions};
use exchange_auth_lint::project::{find_root, LoadOptions, Project};
use exchange_auth_lint::redact::Secrets;
use exchange_auth_lint::timeline::AsOf;
use exchange_auth_lint_bench::gen::generate;
use std::collections::BTreeSet;

#[test]
fn the_linter_flags_exactly_the_files_written_to_be_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let stats = generate(dir.path(), 2_000, 3).unwrap();
    let (root, manifest) = find_root(dir.path());
    let project = Project::load(&root, manifest, &LoadOptions::default());
    assert!(project.problems.is_empty(), "{:?}", project.problems);
    assert!(project.config_errors.is_empty());
    assert_eq!(project.files.len(), stats.candidates.len());

    let options = CheckOptions {
        as_of: AsOf::parse("2026-11-24").unwrap(),
        ..CheckOptions::default()
    };
    let result = check(&project, &options);
    let with_findings: BTreeSet<&str> = result
        .findings
        .iter()
        .map(|f| project.files[f.file].rel_path.as_str())
        .collect();
    for rel in &stats.flagged {
        assert!(with_findings.contains(rel.as_str()), "{rel} not flagged");
    }
    for rel in &stats.clean {
        assert!(!with_findings.contains(rel.as_str()), "{rel} flagged");
    }
    assert!(stats.clean.len() > stats.flagged.len());
}

/// The command line's load (`drop_unread_text`) keeps no text of the
/// classes nothing can use, and says all the same: the same files, the
/// same findings, the same secrets to mask. A class rejected by the
/// pre-filter that holds a `Basic` token or a URL password keeps its text.
#[test]
fn a_one_shot_load_keeps_no_unused_text_and_finds_the_same() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 2_000, 3).unwrap();
    let classes = dir.path().join("force-app/main/default/classes");
    std::fs::create_dir_all(&classes).unwrap();
    let kept = [
        (
            "LegacyAuth.cls",
            "public class LegacyAuth { String h = 'Basic dXNlcjpwYXNzd29yZA=='; }",
        ),
        (
            "Mirror.cls",
            "public class Mirror { String u = 'https://svc:Pa55w0rd77@files.example.com'; }",
        ),
    ];
    for (name, text) in kept {
        std::fs::write(classes.join(name), text).unwrap();
    }
    let (root, manifest) = find_root(dir.path());
    let load = |drop_unread_text| {
        let options = LoadOptions {
            drop_unread_text,
            ..LoadOptions::default()
        };
        Project::load(&root, manifest.clone(), &options)
    };
    let (whole, lean) = (load(false), load(true));
    let paths = |p: &Project| {
        p.files
            .iter()
            .map(|f| f.rel_path.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(paths(&whole), paths(&lean));
    let options = CheckOptions {
        as_of: AsOf::parse("2026-11-24").unwrap(),
        ..CheckOptions::default()
    };
    assert_eq!(
        format!("{:?}", check(&whole, &options).findings),
        format!("{:?}", check(&lean, &options).findings)
    );
    let secrets = |p: &Project| Secrets::of_files(p.files.iter().map(|f| &**f));
    assert_eq!(
        format!("{:?}", secrets(&whole)),
        format!("{:?}", secrets(&lean))
    );
    let masked = secrets(&lean).scrub("dXNlcjpwYXNzd29yZA== Pa55w0rd77");
    assert_eq!(masked, "******** ********");

    let apex: Vec<_> = lean.files.iter().filter(|f| f.kind.is_apex()).collect();
    let empty = apex.iter().filter(|f| f.text.is_empty()).count();
    assert!(
        empty * 2 > apex.len(),
        "{empty} of {} classes without text",
        apex.len()
    );
    for (name, _) in kept {
        let f = apex.iter().find(|f| f.rel_path.ends_with(name)).unwrap();
        assert!(!f.text.is_empty(), "{name}");
    }
    assert!(whole.files.iter().all(|f| !f.text.is_empty()));
}
