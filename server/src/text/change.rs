//! The one region where two versions of a buffer differ, and bringing a
//! line table up to date after it without counting lines again (the span
//! tree's side is in `xml::edit`).

use super::LineIndex;
use std::ops::Range;

/// The one region where two versions of a text differ: `old` in the old
/// text became `new` in the new one; both start at the same offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub old: Range<usize>,
    pub new: Range<usize>,
}

impl Change {
    /// The smallest single change that turns `old` into `new` (common
    /// prefix and suffix removed, both on character boundaries); `None`
    /// when they are equal.
    pub fn between(old: &str, new: &str) -> Option<Change> {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let mut prefix = common_prefix(a, b);
        while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
            prefix -= 1;
        }
        if prefix == a.len() && prefix == b.len() {
            return None;
        }
        let limit = a.len().min(b.len()) - prefix;
        let mut suffix = common_suffix(&a[a.len() - limit..], &b[b.len() - limit..]);
        while !old.is_char_boundary(a.len() - suffix) || !new.is_char_boundary(b.len() - suffix) {
            suffix -= 1;
        }
        Some(Change {
            old: prefix..a.len() - suffix,
            new: prefix..b.len() - suffix,
        })
    }

    /// How much every offset after the change moves.
    pub(crate) fn shift(&self, offset: usize) -> usize {
        offset - self.old.end + self.new.end
    }
}

/// Compares in blocks (`memcmp`) before looking at single bytes: the
/// common prefix of two versions of a 1 MB document is usually almost all
/// of it.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Length of the common suffix of two slices of the same length.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let n = a.len();
    let mut i = 0;
    while i + BLOCK <= n && a[n - i - BLOCK..n - i] == b[n - i - BLOCK..n - i] {
        i += BLOCK;
    }
    while i < n && a[n - i - 1] == b[n - i - 1] {
        i += 1;
    }
    i
}

impl LineIndex {
    /// Applies `change` (from `old_text` to `new_text`) in place when it
    /// adds and removes no line break; returns `false`, leaving the table
    /// untouched, when it must be built again instead.
    pub fn apply_text_change(&mut self, old_text: &str, new_text: &str, change: &Change) -> bool {
        let removed = &old_text.as_bytes()[change.old.clone()];
        let inserted = &new_text.as_bytes()[change.new.clone()];
        let is_break = |b: &u8| matches!(b, b'\n' | b'\r');
        // A `\r` just before the change could pair with a `\n` just after
        // it once the bytes between are gone (or stop pairing when bytes
        // come between): count lines again.
        let after_cr = change.old.start > 0 && old_text.as_bytes()[change.old.start - 1] == b'\r';
        // A change in the first three bytes can make or unmake a byte
        // order mark, which the first line's columns skip.
        let near_bom = change.old.start < 3;
        if after_cr || near_bom || removed.iter().chain(inserted).any(is_break) {
            return false;
        }
        // Line starts are the bytes after a break, so a start at the
        // change's offset belongs to the text before it.
        for start in &mut self.line_starts {
            if *start > change.old.start {
                *start = change.shift(*start);
            }
        }
        self.len = new_text.len();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_between_two_texts() {
        assert_eq!(Change::between("abc", "abc"), None);
        let c = Change::between("<a>x</a>", "<a>xyz</a>").unwrap();
        assert_eq!((c.old, c.new), (4..4, 4..6));
        let c = Change::between("aaaa", "aa").unwrap();
        assert_eq!((c.old, c.new), (2..4, 2..2));
        // Character boundaries: é (c3 a9) → è (c3 a8) is one whole char.
        let c = Change::between("<a>é</a>", "<a>è</a>").unwrap();
        assert_eq!((c.old, c.new), (3..5, 3..5));
        let long = "x".repeat(1000);
        let c = Change::between(&format!("{long}a{long}"), &format!("{long}{long}")).unwrap();
        assert_eq!((c.old, c.new), (1000..1001, 1000..1000));
    }
}
