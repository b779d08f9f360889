//! Bringing a span tree and its line table up to date after an edit
//! without parsing the whole document again.
//!
//! An editor sends a new version of a buffer after every keystroke. The
//! change between two versions is one small region (found by comparing
//! them), and it nearly always lies inside one element: a value being
//! typed, a tag being renamed, an attribute. Only that element is parsed
//! again and spliced into the tree; offsets after it move (microseconds on
//! a 1 MB file, against milliseconds for a full parse). The line table
//! shifts likewise unless a line break came or went. When the change
//! reaches the root element's own tags or the document's prologue, or the
//! element does not parse alone, the caller parses everything, as before.
//! The same idea as rust-analyzer's block reparsing, at the scale of XML.

use super::{Comment, Element, ElementId, XmlTree};
use crate::text::Change;
#[cfg(test)]
use crate::text::LineIndex;

impl XmlTree {
    /// Applies `change` (the tree's text became `new_text`) by parsing
    /// again only the smallest element that encloses it — its first `<` and last
    /// `>` untouched — and splicing the result in; every offset after it
    /// moves. Returns `false`, leaving the tree untouched, when the whole
    /// document must be parsed instead: the change reaches the root
    /// element's own tags or the text around the root (nothing to gain),
    /// the document has a DOCTYPE (its entities are declared outside the
    /// element), the element no longer parses as exactly one element on
    /// its own, or the change adds a NUL byte (not text).
    pub fn apply_change(&mut self, new_text: &str, change: &Change) -> bool {
        if self.has_doctype || memchr::memchr(0, &new_text.as_bytes()[change.new.clone()]).is_some()
        {
            return false;
        }
        let Some(id) = self.enclosing(change) else {
            return false;
        };
        let e = id.0 as usize;
        let old = self.elements[e].range();
        let Some(parent) = self.elements[e].parent else {
            return false;
        };
        let new_end = change.shift(old.end);
        let Ok(fragment) = XmlTree::parse(&new_text[old.start..new_end]) else {
            return false;
        };
        let Some(root) = fragment.root.map(|r| fragment.element(r)) else {
            return false;
        };
        let base_depth = self.elements[e].depth;
        let too_deep = fragment
            .elements
            .iter()
            .any(|el| (el.depth + base_depth) as usize >= super::MAX_DEPTH);
        if root.range() != (0..new_end - old.start) || too_deep || fragment.has_doctype {
            return false;
        }

        // The element's subtree is `e..after` (elements are in document
        // order); the fragment's elements replace it.
        let after = e + self.elements[e..].partition_point(|el| el.start_tag.start < old.end);
        let (removed, added) = (after - e, fragment.elements.len());
        let renumber = |id: ElementId| {
            if id.0 as usize >= after {
                ElementId((id.0 as usize + added - removed) as u32)
            } else {
                id
            }
        };
        let moves = |offset: &mut usize| {
            if *offset >= old.end {
                *offset = change.shift(*offset);
            }
        };
        for (i, el) in self.elements.iter_mut().enumerate() {
            if (e..after).contains(&i) {
                continue;
            }
            el.shift_offsets(moves);
            if added != removed {
                el.parent = el.parent.map(renumber);
                for child in &mut el.children {
                    *child = renumber(*child);
                }
            }
        }
        let at = |id: ElementId| ElementId(id.0 + e as u32);
        let spliced = fragment.elements.into_iter().map(|mut el| {
            el.shift_offsets(|offset| *offset += old.start);
            el.parent = Some(el.parent.map_or(parent, at));
            el.children.iter_mut().for_each(|c| *c = at(*c));
            el.depth += base_depth;
            el
        });
        self.elements.splice(e..after, spliced);

        // Comments likewise: those inside the element are replaced.
        let first = self.comments.partition_point(|c| c.range.start < old.start);
        let last = first + self.comments[first..].partition_point(|c| c.range.start < old.end);
        for comment in &mut self.comments[last..] {
            comment.shift_offsets(moves);
        }
        let spliced = fragment.comments.into_iter().map(|mut c| {
            c.shift_offsets(|offset| *offset += old.start);
            c
        });
        self.comments.splice(first..last, spliced);
        true
    }

    /// The smallest element whose first `<` and last `>` are outside the
    /// changed region of the old text.
    fn enclosing(&self, change: &Change) -> Option<ElementId> {
        // The last element that starts before the change encloses it, or
        // one of its ancestors does.
        let last = self
            .elements
            .partition_point(|el| el.start_tag.start < change.old.start)
            .checked_sub(1)?;
        let mut id = ElementId(last as u32);
        loop {
            let el = self.element(id);
            if change.old.end < el.range().end {
                return Some(id);
            }
            id = el.parent?;
        }
    }
}

impl Element {
    /// Applies `f` to every offset the element holds.
    fn shift_offsets(&mut self, mut f: impl FnMut(&mut usize)) {
        f(&mut self.name.start);
        f(&mut self.name.end);
        f(&mut self.local_start);
        f(&mut self.start_tag.start);
        f(&mut self.start_tag.end);
        if let Some(end) = &mut self.end_tag {
            f(&mut end.start);
            f(&mut end.end);
        }
    }
}

impl Comment {
    /// Applies `f` to every offset the comment holds.
    fn shift_offsets(&mut self, mut f: impl FnMut(&mut usize)) {
        f(&mut self.range.start);
        f(&mut self.range.end);
        f(&mut self.body.start);
        f(&mut self.body.end);
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
        let tree_applied = tree.apply_change(new, &change);
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
    fn value_edits_update_in_place() {
        let old = "<?xml version=\"1.0\"?>\n<A>\n  <label>Gate</label>\n  <!-- c -->\n  <sf:b x=\"1\">v</sf:b>\n</A>\n";
        assert_eq!(apply(old, &old.replace("Gate", "Gateway")), (true, true));
        assert_eq!(apply(old, &old.replace("Gate", "")), (true, true));
        assert_eq!(apply(old, &old.replace(">v<", ">日本<")), (true, true));
        // Into an empty element.
        let empty = "<A><b></b><c/></A>";
        assert_eq!(apply(empty, "<A><b>x</b><c/></A>"), (true, true));
    }

    #[test]
    fn markup_edits_inside_an_element_parse_only_that_element() {
        let old = "<A>\n  <label>Gate</label>\n  <p><!-- note --><n>x</n></p>\n  <c>&amp;</c>\n  <d> </d>\n</A>";
        for new in [
            // Markup, entities, tag names, comments and attributes, where
            // the element count changes and where it does not.
            old.replace("Gate", "Ga<b/>te"),
            old.replace("Gate", "G&amp;te"),
            old.replace("<label>", "<lab>")
                .replace("</label>", "</lab>"),
            old.replace("<label>", "<label >"),
            old.replace("note", "not"),
            old.replace("<!-- note -->", ""),
            old.replace("<n>x</n>", "<n>x</n><m><o/></m>"),
            old.replace("<n>x</n>", ""),
            old.replace("&amp;", "&amp;x"),
            old.replace("<d> </d>", "<d a=\"1\"/>"),
        ] {
            assert_eq!(apply(old, &new), (true, true), "{new:?}");
        }
    }

    #[test]
    fn other_edits_ask_for_a_parse() {
        let old = "<A>\n  <label>Gate</label>\n  <!-- note -->\n  <c>x</c>\n</A>";
        for new in [
            // Between the root's children, or in its own tags.
            old.replace("<A>\n  <label>", "<A>\n   <label>"),
            old.replace("note", "not"),
            old.replace("<A>", "<A x=\"1\">"),
            // The element no longer parses alone (the whole document
            // doesn't either), or becomes two elements.
            old.replace("Gate", "Ga<b>te"),
            old.replace("Gate", "Ga</label><label>te"),
            old.replace("Gate", "G&nope;"),
            // Not text.
            old.replace("Gate", "Ga\0te"),
        ] {
            assert!(!apply(old, &new).0, "{new:?}");
        }
        // Entities may be declared: every element depends on the DOCTYPE.
        let doctype = "<!DOCTYPE A [<!ENTITY e \"x\">]><A><b>&e;</b></A>";
        assert!(!apply(doctype, &doctype.replace("<b>", "<b >")).0);
    }

    #[test]
    fn line_breaks_are_counted_again() {
        let old = "<A>\n  <label>Gate</label>\n</A>";
        // The tree is updated, the lines are counted from scratch.
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

    /// Mostly well-formed documents: values (plain, with entities, with
    /// markup-like text) in nested elements, CRLF and comments.
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
                s.push_str(&format!("  <p{i}><e{i}>{a}</e{i}><!--{b}--></p{i}>\n"));
            }
            s.push_str("</A>");
            s
        })
    }

    /// Text to type: mostly plain, sometimes whole pieces of markup,
    /// sometimes broken markup.
    fn arb_insert() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => "[a-zé ]{0,3}",
            1 => prop::sample::select(vec!["<x/>", "<y>z</y>", "&amp;", "<!--c-->", " a=\"1\"", "</e0><e0>"])
                .prop_map(str::to_owned),
            1 => r"[a-z<&>\]\n\r/]{0,3}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Whatever the edit, an update in place equals a fresh parse (and
        /// a fresh line table); when it does not apply, nothing changed.
        /// Half the edits start inside a value, where typing happens; the
        /// rest anywhere.
        #[test]
        fn in_place_equals_fresh(
            old in arb_doc(),
            in_value in any::<bool>(),
            pick in 0usize..200,
            len in 0usize..4,
            insert in arb_insert(),
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
                if tree.apply_change(&new, &change) {
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
