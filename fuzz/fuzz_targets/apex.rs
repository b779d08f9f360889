//! The Apex path: any bytes as a class and a trigger (`SourceFile::new`,
//! the pre-filter, the tree-sitter parse, the view) through every rule and
//! the reports (`invariants::check_in_memory`): no panic, findings in
//! bounds and on character boundaries, no planted secret in a report. Then an edit: the class updated in
//! place (`set_text`, an incremental re-parse) equals the new text loaded
//! fresh.
//!
//! Input: two bytes of edit position, one of removed length, one of
//! inserted length, then the inserted bytes, then the class.
#![no_main]

use exchange_auth_lint::metadata::{Format, MetadataKind};
use exchange_auth_lint::source::SourceFile;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

#[path = "../../tests/invariants.rs"]
#[allow(dead_code)]
mod invariants;

fn class(bytes: &[u8]) -> SourceFile {
    SourceFile::new(
        PathBuf::from("/org/classes/Fuzz.cls"),
        "classes/Fuzz.cls".into(),
        MetadataKind::ApexClass,
        Format::Source,
        bytes.to_vec(),
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_first_chunk::<4>() else {
        return;
    };
    let (inserted, doc) = rest.split_at((head[3] as usize).min(rest.len()));

    // The class (and the same bytes as every metadata type) through
    // every rule and the reports.
    invariants::check_in_memory(doc);
    let old = class(doc).text;

    // An edit, in place, equals a fresh load.
    let inserted = String::from_utf8_lossy(inserted);
    let (new, at, end) = invariants::fuzz_edit(head, &inserted, &old);
    let mut edited = class(old.as_bytes());
    edited.set_text(new.clone());
    let fresh = class(new.as_bytes());
    assert_eq!(edited.text, fresh.text);
    assert_eq!(edited.lines, fresh.lines, "line table after {at}..{end}");
    assert_eq!(edited.apex(), fresh.apex(), "view after {at}..{end}");
});
