//! Bringing a span tree and its line table up to date after an edit,
//! without parsing the document again when the edit cannot change its
//! structure.
//!
//! Typing in an editor mostly changes one value: a label, a URL, a user
//! name. Such an edit only moves every offset after it, so the tree and
//! the line table are shifted in place (microseconds on a 1 MB file)
//! instead of re-parsed (milliseconds). Anything else — an edit touching
//! markup, an entity, a comment, a CDATA section, a line break — reports
//! that it could not apply, and the caller parses from scratch. The same
//! idea as rust-analyzer's token-level reparsing, at the scale of XML.

use super::{LineIndex, XmlTree};
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
    fn shift(&self, offset: usize) -> usize {
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

/// Bytes whose insertion or removal can change how a text parses as XML
/// (markup, references, the end of a CDATA section) or that make it
/// invalid (NUL).
fn is_structural(b: u8) -> bool {
    matches!(b, b'<' | b'>' | b'&' | b']' | b'\0')
}

impl XmlTree {
    /// Applies `change` (from `old_text` to `new_text`) in place when it
    /// lies inside the plain-text value of one element — no markup,
    /// entity, comment or CDATA in the value before or after. Returns
    /// `false`, leaving the tree untouched, when the document must be
    /// parsed again instead.
    pub fn apply_text_change(&mut self, old_text: &str, new_text: &str, change: &Change) -> bool {
        let removed = &old_text.as_bytes()[change.old.clone()];
        let inserted = &new_text.as_bytes()[change.new.clone()];
        if removed.iter().chain(inserted).copied().any(is_structural) {
            return false;
        }
        // The last element that starts at or before the change: if the
        // change is inside a leaf's value, this is the leaf.
        let at = self
            .elements
            .partition_point(|e| e.start_tag.start <= change.old.start);
        let Some(leaf) = at.checked_sub(1).map(|i| &self.elements[i]) else {
            return false;
        };
        let Some(end_tag) = &leaf.end_tag else {
            return false;
        };
        let content = leaf.start_tag.end..end_tag.start;
        let inside = content.start <= change.old.start && change.old.end <= content.end;
        if !inside || !leaf.children.is_empty() || leaf.decoded.is_some() {
            return false;
        }
        // Everything from the leaf's end tag on moves; nothing before it
        // does (the value has no positions of its own).
        let moves = content.end;
        let shift = |offset: &mut usize| {
            if *offset >= moves {
                *offset = change.shift(*offset);
            }
        };
        let shift_range = |range: &mut Range<usize>| {
            shift(&mut range.start);
            shift(&mut range.end);
        };
        let leaf = at - 1;
        for (i, el) in self.elements.iter_mut().enumerate() {
            if i != leaf {
                // (The leaf's start tag is before its value, even when an
                // empty value makes the tag end where the value ends.)
                shift_range(&mut el.name);
                shift(&mut el.local_start);
                shift_range(&mut el.start_tag);
            }
            if let Some(end) = &mut el.end_tag {
                shift_range(end);
            }
        }
        for comment in &mut self.comments {
            shift_range(&mut comment.range);
            shift_range(&mut comment.body);
        }
        true
    }
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
    use proptest::prelude::*;

    fn apply(old: &str, new: &str) -> (bool, bool) {
        let change = Change::between(old, new).expect("texts differ");
        let mut tree = XmlTree::parse(old).unwrap();
        let mut lines = LineIndex::new(old);
        let tree_applied = tree.apply_text_change(old, new, &change);
        if tree_applied {
            assert_eq!(Ok(&tree), XmlTree::parse(new).as_ref(), "{old:?} → {new:?}");
        }
        let lines_applied = lines.apply_text_change(old, new, &change);
        if lines_applied {
            assert_eq!(lines, LineIndex::new(new), "{old:?} → {new:?}");
        }
        (tree_applied, lines_applied)
    }

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

    #[test]
    fn value_edits_shift_in_place() {
        let old = "<?xml version=\"1.0\"?>\n<A>\n  <label>Gate</label>\n  <!-- c -->\n  <sf:b x=\"1\">v</sf:b>\n</A>\n";
        assert_eq!(apply(old, &old.replace("Gate", "Gateway")), (true, true));
        assert_eq!(apply(old, &old.replace("Gate", "")), (true, true));
        assert_eq!(apply(old, &old.replace(">v<", ">日本<")), (true, true));
        // Into an empty element.
        let empty = "<A><b></b><c/></A>";
        assert_eq!(apply(empty, "<A><b>x</b><c/></A>"), (true, true));
    }

    #[test]
    fn structural_edits_ask_for_a_parse() {
        let old = "<A>\n  <label>Gate</label>\n  <!-- note -->\n  <c>&amp;</c>\n  <d> </d>\n</A>";
        // Markup, an entity, a tag name, a comment, an element with a
        // decoded value, text between elements.
        for new in [
            old.replace("Gate", "Ga<b/>te"),
            old.replace("Gate", "G&amp;te"),
            old.replace("<label>", "<lab>")
                .replace("</label>", "</lab>"),
            old.replace("note", "not"),
            old.replace("&amp;", "&amp;x"),
            old.replace("<A>\n  <label>", "<A>\n   <label>"),
        ] {
            assert!(!apply(old, &new).0, "{new:?}");
        }
        assert_eq!(
            apply(old, &old.replace("<d> </d>", "<d>x</d>")),
            (true, true)
        );
        // A line break typed into a value: the tree moves, the lines are
        // counted again.
        assert_eq!(apply(old, &old.replace("Gate", "Ga\nte")), (true, false));
        let two_lines = "<A><b>x\ny</b></A>";
        assert_eq!(apply(two_lines, "<A><b>x\nzy</b></A>"), (true, true));
        assert_eq!(
            apply("<A><b>x\r\ny</b></A>", "<A><b>x\r\n</b></A>"),
            (true, true)
        );
        assert_eq!(
            apply("<A><b>x\rQ\ny</b></A>", "<A><b>x\r\ny</b></A>"),
            (true, false)
        );
    }

    /// Mostly well-formed documents: plain values, a few with entities,
    /// markup-like text, CRLF and comments around them.
    fn arb_doc() -> impl Strategy<Value = String> {
        let value = prop_oneof![
            4 => "[a-zA-Z0-9 é日-]{0,6}",
            1 => "[a-z&;<>\n\r]{0,4}",
            1 => Just("&amp;x".to_owned()),
        ];
        let comment = "[a-z ]{0,4}";
        proptest::collection::vec((value, comment), 1..5).prop_map(|values| {
            let mut s = String::from("<A>\r\n");
            for (i, (a, b)) in values.iter().enumerate() {
                s.push_str(&format!("  <e{i}>{a}</e{i}><!--{b}-->\n"));
            }
            s.push_str("</A>");
            s
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Whatever the edit, an in-place update equals a fresh parse (and
        /// a fresh line table); when it does not apply, nothing changed.
        /// Half the edits start inside a value, where in-place updates
        /// happen; the rest anywhere.
        #[test]
        fn in_place_equals_fresh(
            old in arb_doc(),
            in_value in any::<bool>(),
            pick in 0usize..200,
            len in 0usize..4,
            insert in prop_oneof![3 => "[a-zé ]{0,3}", 1 => r"[a-z<&>\]\n\r]{0,3}"],
        ) {
            // Where each `<eN>` value starts.
            let values: Vec<usize> = old
                .match_indices("<e")
                .map(|(i, _)| i + old[i..].find('>').unwrap() + 1)
                .collect();
            let mut at = if in_value { values[pick % values.len()] + pick % 3 } else { pick };
            at = at.min(old.len());
            while !old.is_char_boundary(at) { at -= 1; }
            let mut end = (at + len).min(old.len());
            while !old.is_char_boundary(end) { end += 1; }
            let mut new = old.clone();
            new.replace_range(at..end, &insert);
            let Some(change) = Change::between(&old, &new) else { return Ok(()) };
            if let Ok(mut tree) = XmlTree::parse(&old) {
                let before = tree.clone();
                if tree.apply_text_change(&old, &new, &change) {
                    let fresh = XmlTree::parse(&new);
                    prop_assert_eq!(Ok(&tree), fresh.as_ref());
                } else {
                    prop_assert_eq!(&tree, &before);
                }
            }
            let mut lines = LineIndex::new(&old);
            if lines.apply_text_change(&old, &new, &change) {
                prop_assert_eq!(lines, LineIndex::new(&new));
            }
        }
    }
}
