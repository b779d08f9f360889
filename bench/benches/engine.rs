//! Micro-benchmarks of the engine: span-tree parsing (throughput in MB/s),
//! bringing an edited buffer up to date, and the full rule pass over a
//! small project (files/s).
//!
//! `cargo bench -p exchange-auth-lint-bench --bench engine`

use divan::counter::{BytesCount, ItemsCount};
use divan::{black_box, Bencher};
use exchange_auth_lint::check::{check, CheckOptions};
use exchange_auth_lint::metadata::MetadataKind;
use exchange_auth_lint::project::{find_root, LoadOptions, Project};
use exchange_auth_lint::source::SourceFile;
use exchange_auth_lint::timeline::AsOf;
use exchange_auth_lint::xml::XmlTree;
use exchange_auth_lint_bench::gen::{generate, LARGE_CREDENTIAL, SMALL_CREDENTIAL};
use std::path::Path;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

/// A small generated org (kept for the whole run).
fn org() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        generate(dir.path(), 1_000, 1).expect("generate");
        dir
    })
    .path()
}

fn text(rel: &str) -> String {
    std::fs::read_to_string(org().join(rel)).expect("generated file")
}

#[divan::bench(args = ["small credential (0.5 KB)", "large credential (1 MB)"])]
fn xml_parse(bencher: Bencher, which: &str) {
    let text = if which.starts_with("small") {
        text(SMALL_CREDENTIAL)
    } else {
        text(LARGE_CREDENTIAL)
    };
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| XmlTree::parse(black_box(&text)).expect("well-formed"));
}

/// What the language server does with each `didChange` of the 1 MB
/// credential before the rules run: find the changed region, then parse
/// again only the element around it (a value or a tag being typed), or the
/// whole document (a change to the root element's own tag). Edits
/// alternate between the two versions.
#[divan::bench(args = [
    "in a value (element re-parsed)",
    "in a tag (element re-parsed)",
    "in the root tag (document re-parsed)",
])]
fn edit_large_credential(bencher: Bencher, which: &str) {
    let original = text(LARGE_CREDENTIAL);
    let edited = if which.starts_with("in a value") {
        original.replacen("</label>", "X</label>", 1)
    } else if which.starts_with("in a tag") {
        original.replacen("<label>", "<label >", 1)
    } else {
        original.replacen("metadata\">", "metadata\" >", 1)
    };
    assert_ne!(edited, original);
    let name = LARGE_CREDENTIAL.rsplit('/').next().expect("file name");
    let (kind, format) = MetadataKind::from_file_name(name).expect("metadata file");
    let mut file = SourceFile::new(
        org().join(LARGE_CREDENTIAL),
        LARGE_CREDENTIAL.to_owned(),
        kind,
        format,
        original.clone().into_bytes(),
    );
    let mut flip = false;
    bencher
        .counter(BytesCount::of_str(&original))
        .with_inputs(|| {
            flip = !flip;
            if flip {
                edited.clone()
            } else {
                original.clone()
            }
        })
        .bench_local_values(|text| file.set_text(text));
}

fn options() -> CheckOptions {
    CheckOptions {
        as_of: AsOf::parse("2026-11-24").expect("date"),
        ..CheckOptions::default()
    }
}

fn load(root: &Path) -> Project {
    let (root, manifest) = find_root(root);
    Project::load(&root, manifest, &LoadOptions::default())
}

/// The rule pass alone (facts, every rule, suppressions) over the demo
/// project, counted per metadata file.
#[divan::bench]
fn check_demo_org(bencher: Bencher) {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/demo-org");
    let project = load(&demo);
    let options = options();
    bencher
        .counter(ItemsCount::new(project.files.len()))
        .bench(|| check(black_box(&project), &options));
}

/// The rule pass over the candidates of a 1k-file generated org (one of
/// them the 1 MB credential).
#[divan::bench]
fn check_generated_1k(bencher: Bencher) {
    let project = load(org());
    let options = options();
    bencher
        .counter(ItemsCount::new(project.files.len()))
        .bench(|| check(black_box(&project), &options));
}

/// Loading (walk, read, decode, parse) plus the rule pass, as `check` does.
#[divan::bench(sample_count = 20)]
fn load_and_check_generated_1k(bencher: Bencher) {
    let options = options();
    bencher.bench(|| check(&load(org()), &options));
}
