//! Invariants of the parser, the line table and the rules on any input,
//! shared by the property tests (`tests/hostile.rs`, every test run) and
//! the fuzz targets (`fuzz/`, long runs).

use exchange_auth_lint::check::{check, CheckOptions};
use exchange_auth_lint::facts::Facts;
use exchange_auth_lint::fix::{self, session, FileChange};
use exchange_auth_lint::i18n::Lang;
use exchange_auth_lint::metadata::{Format, MetadataKind};
use exchange_auth_lint::project::config::parse_manifest;
use exchange_auth_lint::project::{PathFilter, Project};
use exchange_auth_lint::report::{self, Format as ReportFormat, ProjectReport, Report};
use exchange_auth_lint::rules::Context;
use exchange_auth_lint::source::SourceFile;
use exchange_auth_lint::text::{LineCol, LineIndex};
use exchange_auth_lint::timeline::AsOf;
use exchange_auth_lint::xml::XmlTree;
use std::path::PathBuf;
use std::time::Duration;

pub fn assert_tree_invariants(text: &str) {
    let Ok(tree) = XmlTree::parse(text) else {
        return;
    };
    let in_bounds = |r: &std::ops::Range<usize>| {
        r.start <= r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    };
    for (id, el) in tree.elements() {
        for r in [&el.name, &el.start_tag, &el.range(), &el.content()] {
            assert!(in_bounds(r), "{r:?} in {text:?}");
        }
        if let Some(end) = &el.end_tag {
            assert!(in_bounds(end) && el.start_tag.end <= end.start);
        }
        assert!(el.start_tag.start < el.name.start && el.name.end <= el.start_tag.end);
        if let Some(p) = el.parent {
            let pe = tree.element(p);
            assert!(pe.content().start <= el.range().start && el.range().end <= pe.content().end);
            assert_eq!(pe.depth + 1, el.depth);
            assert!(pe.children.contains(&id));
        }
        // Siblings are ordered and disjoint.
        for w in el.children.windows(2) {
            assert!(tree.element(w[0]).range().end <= tree.element(w[1]).range().start);
        }
        if let Some(v) = tree.value_range(text, id) {
            assert!(in_bounds(&v));
            assert!(el.content().start <= v.start && v.end <= el.content().end);
        }
        let _ = tree.value(text, id);
        let _ = tree.local_name(text, id);
    }
    for c in tree.comments() {
        assert!(in_bounds(&c.range) && in_bounds(&c.body));
    }
}

pub fn assert_line_index_round_trips(text: &str) {
    let idx = LineIndex::new(text);
    // Every offset of short texts, a sample of long ones (each check walks
    // its line).
    let step = (text.len() / 512).max(1);
    for (offset, _) in text.char_indices().step_by(step).chain([(text.len(), ' ')]) {
        let u8pos = idx.utf8(offset);
        let u16pos = idx.utf16(text, offset);
        let chars = idx.chars(text, offset);
        assert_eq!(u8pos.line, u16pos.line);
        assert_eq!(u8pos.line, chars.line);
        let line = idx.line_range(text, u8pos.line);
        // Columns of the first line start after a byte order mark.
        if offset < line.start {
            assert_eq!(u8pos, LineCol { line: 0, col: 0 });
            continue;
        }
        if offset <= line.end {
            assert_eq!(idx.offset_utf8(text, u8pos), offset, "{text:?} @{offset}");
            assert_eq!(idx.offset_utf16(text, u16pos), offset, "{text:?} @{offset}");
        }
    }
    // Out-of-range positions clamp instead of panicking.
    let far = LineCol {
        line: usize::MAX / 2,
        col: usize::MAX / 2,
    };
    assert_eq!(idx.offset_utf8(text, far), text.len());
    assert_eq!(idx.offset_utf16(text, far), text.len());
    let _ = idx.utf16(text, usize::MAX);
}

/// A value the generators put only inside secret elements: it must never
/// reach any output.
pub const SECRET_MARKER: &str = "S3cr3t-Marker-Value";

/// An in-memory project (nothing on disk) holding `bytes` as each
/// metadata type, in a package directory with a manifest.
pub fn in_memory_project(bytes: &[u8]) -> Project {
    let root = PathBuf::from("/nonexistent-hostile-project");
    let (filter, _) = PathFilter::new(&root, &[]);
    let manifest_text =
        "{\n  \"packageDirectories\": [{ \"path\": \"force-app\", \"default\": true }]\n}\n";
    let (manifest, config_errors) = parse_manifest(manifest_text);
    assert!(config_errors.is_empty());
    let mut project = Project {
        root: root.clone(),
        manifest_path: Some(root.join("sfdx-project.json")),
        manifest_text: manifest_text.to_owned(),
        manifest,
        config_errors,
        filter,
        files: Vec::new(),
        problems: Vec::new(),
        skipped: Vec::new(),
        unchecked_secrets: Default::default(),
        replaced_secrets: Default::default(),
    };
    for (kind, name) in [
        (
            MetadataKind::NamedCredential,
            "namedCredentials/X.namedCredential-meta.xml",
        ),
        (
            MetadataKind::ExternalCredential,
            "externalCredentials/X.externalCredential-meta.xml",
        ),
        (
            MetadataKind::AuthProvider,
            "authproviders/X.authprovider-meta.xml",
        ),
        (
            MetadataKind::RemoteSiteSetting,
            "remoteSiteSettings/X.remoteSite-meta.xml",
        ),
        (
            MetadataKind::EmailIntegrationSettings,
            "settings/EmailIntegration.settings-meta.xml",
        ),
        (MetadataKind::EacSettings, "settings/EAC.settings-meta.xml"),
        (MetadataKind::ApexClass, "classes/X.cls"),
        (MetadataKind::ApexTrigger, "triggers/X.trigger"),
    ] {
        let rel = format!("force-app/main/default/{name}");
        let file = SourceFile::new(root.join(&rel), rel, kind, Format::Source, bytes.to_vec());
        project.upsert(file);
    }
    project
}

/// Parses `bytes` as each metadata type, runs every rule over the files and
/// writes the human and JSON reports: no panic, findings inside their file
/// on character boundaries, and [`SECRET_MARKER`] in no report.
pub fn check_in_memory(bytes: &[u8]) {
    let project = in_memory_project(bytes);
    for file in &project.files {
        if file.tree.is_ok() {
            assert_tree_invariants(&file.text);
        }
    }
    let root = project.root.clone();
    let as_of = AsOf::parse("2026-11-24").unwrap();
    for lang in [Lang::En, Lang::Ja] {
        let result = check(
            &project,
            &CheckOptions {
                as_of,
                lang,
                ..CheckOptions::default()
            },
        );
        for f in &result.findings {
            let text = &project.files[f.file].text;
            assert!(
                f.range.start <= f.range.end && f.range.end <= text.len(),
                "{f:?}"
            );
            assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
        }
        let report = Report {
            projects: vec![ProjectReport {
                project: &project,
                result: &result,
            }],
            base: root.clone(),
            as_of,
            lang,
            elapsed: Duration::ZERO,
            secrets: Default::default(),
            ci: Default::default(),
        };
        for format in [
            ReportFormat::Human,
            ReportFormat::Json,
            ReportFormat::Github,
        ] {
            let mut out = Vec::new();
            report::write(format, &report, &mut out, true).unwrap();
            let out = String::from_utf8(out).expect("reports are UTF-8");
            assert!(!out.contains(SECRET_MARKER), "{format:?} leaks:\n{out}");
        }
    }
}

fn assert_well_formed(path: &std::path::Path, text: &str) {
    if path.ends_with("sfdx-project.json") {
        let (_, errors) = parse_manifest(text);
        assert!(errors.is_empty(), "{path:?}: {errors:?}\n{text}");
    } else {
        let tree = XmlTree::parse(text);
        assert!(tree.is_ok(), "{path:?}: {tree:?}\n{text}");
        assert_tree_invariants(text);
    }
}

/// Every fix offered on the in-memory project, applied alone, leaves
/// well-formed files; applying all preferred fixes (as `check --fix` does)
/// leaves well-formed files, and fixing the result again changes nothing.
/// Returns how many fixes were checked.
pub fn fix_in_memory(bytes: &[u8]) -> usize {
    let mut checked = 0;
    let project = in_memory_project(bytes);
    let options = CheckOptions {
        as_of: AsOf::parse("2026-11-24").unwrap(),
        ..CheckOptions::default()
    };
    {
        let result = check(&project, &options);
        let facts = Facts::compute(&project);
        let ctx = Context::new(&project, &facts, options.as_of, options.lang);
        for finding in result.findings.iter().filter(|f| f.fixable) {
            for fix in fix::fixes_for(&ctx, finding) {
                for change in &fix.edit.changes {
                    let (path, text) = match change {
                        FileChange::Edit { path, edits } => {
                            let (current, _) = fix::current_text(&ctx, path)
                                .unwrap_or_else(|| panic!("{path:?} is not in the project"));
                            fix::check_edits(current, edits).unwrap();
                            (path, fix::apply(current, edits))
                        }
                        FileChange::Create { path, text } => (path, text.clone()),
                    };
                    assert_well_formed(path, &text);
                }
                checked += 1;
            }
        }
    }
    let outcome = session::run(project, &options, |_, _| true, session::MAX_PASSES);
    for (path, change) in &outcome.changes {
        assert_well_formed(path, &change.text);
    }
    if outcome.converged {
        let again = session::run(outcome.project, &options, |_, _| true, session::MAX_PASSES);
        let changed: Vec<_> = again.changed().map(|(p, _)| p).collect();
        assert!(changed.is_empty(), "fixing again changed {changed:?}");
    }
    checked + outcome.applied.len()
}

#[allow(dead_code)] // used by the fuzz targets
/// The edit a fuzz input describes: two bytes of position and one of
/// removed length in `head` (on character boundaries of `old`), replaced by
/// `inserted`. Returns the new text and the replaced range.
pub fn fuzz_edit(head: &[u8; 4], inserted: &str, old: &str) -> (String, usize, usize) {
    let mut at = u16::from_le_bytes([head[0], head[1]]) as usize % (old.len() + 1);
    while !old.is_char_boundary(at) {
        at -= 1;
    }
    let mut end = (at + head[2] as usize % 16).min(old.len());
    while !old.is_char_boundary(end) {
        end += 1;
    }
    let mut new = old.to_owned();
    new.replace_range(at..end, inserted);
    (new, at, end)
}
