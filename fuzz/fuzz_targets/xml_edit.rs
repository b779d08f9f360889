//! Editing a buffer: whatever the document and the edit, a file updated in
//! place (`SourceFile::set_text`: only the element around the change parsed
//! again, the line table shifted) equals the same text loaded fresh — its
//! span tree, line table and text.
//!
//! Input: two bytes of edit position, one of removed length, one of
//! inserted length, then the inserted bytes, then the document.
#![no_main]

use exchange_auth_lint::metadata::{Format, MetadataKind};
use exchange_auth_lint::source::SourceFile;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

#[path = "../../tests/invariants.rs"]
#[allow(dead_code)]
mod invariants;

fn file(text: &str) -> SourceFile {
    SourceFile::new(
        PathBuf::from("/org/x.namedCredential-meta.xml"),
        "x.namedCredential-meta.xml".into(),
        MetadataKind::NamedCredential,
        Format::Source,
        text.as_bytes().to_vec(),
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_first_chunk::<4>() else {
        return;
    };
    let (inserted, doc) = rest.split_at((head[3] as usize).min(rest.len()));
    let old = String::from_utf8_lossy(doc).into_owned();
    let inserted = String::from_utf8_lossy(inserted);
    let (new, at, end) = invariants::fuzz_edit(head, &inserted, &old);

    let mut edited = file(&old);
    edited.set_text(new.clone());
    let fresh = file(&new);
    assert_eq!(edited.text, fresh.text);
    assert_eq!(edited.lines, fresh.lines, "line table after {at}..{end}");
    assert_eq!(edited.tree, fresh.tree, "span tree after {at}..{end}");
});
