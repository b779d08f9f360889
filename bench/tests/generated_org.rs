//! The generated org is what the benchmarks claim it is: the linter reads
//! exactly its candidate files, flags the ones written to be flagged and
//! nothing else.

use exchange_auth_lint::check::{check, CheckOptions};
use exchange_auth_lint::project::{find_root, LoadOptions, Project};
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
