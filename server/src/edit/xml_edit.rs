//! Minimal edits to a metadata file's span tree that look hand-made:
//! new elements go where a Salesforce retrieve puts them (alphabetical
//! order within their parent), indented like their siblings, with the
//! file's line ending; removed elements take their now-empty line with
//! them. Every byte outside the edited ranges stays as it was.

use super::{escape, Edit};
use crate::text::line_break_at;
pub use crate::text::line_ending;
use crate::xml::{ElementId, XmlTree};

/// A new element: a value, or child elements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewElement {
    pub name: String,
    pub content: Content,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// Unescaped text (escaped when written).
    Text(String),
    /// Already escaped text, copied from another element.
    Raw(String),
    Children(Vec<NewElement>),
}

impl NewElement {
    pub fn text(name: &str, value: &str) -> NewElement {
        NewElement {
            name: name.to_owned(),
            content: Content::Text(value.to_owned()),
        }
    }

    pub fn raw(name: &str, raw: &str) -> NewElement {
        NewElement {
            name: name.to_owned(),
            content: Content::Raw(raw.to_owned()),
        }
    }

    /// Children are put in alphabetical order, like a retrieve.
    pub fn parent(name: &str, mut children: Vec<NewElement>) -> NewElement {
        children.sort_by(|a, b| order(&a.name, &b.name));
        NewElement {
            name: name.to_owned(),
            content: Content::Children(children),
        }
    }
}

/// Salesforce writes elements in alphabetical order of their names.
fn order(a: &str, b: &str) -> std::cmp::Ordering {
    a.to_ascii_lowercase()
        .cmp(&b.to_ascii_lowercase())
        .then_with(|| a.cmp(b))
}

/// The bytes to delete to remove `r` from `text`: with its line when
/// nothing else is on it (and one line break), else with the blanks that
/// follow it when it starts its line.
pub fn removal_with_line(text: &str, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let start = line_start(text, r.start);
    let end = line_end(text, r.end);
    if is_blank(&text[start..r.start]) && is_blank(&text[r.end..end]) {
        let after = end + break_len(text, end);
        if after > end || start > 0 {
            // Take the line break that ends the line (or, on the
            // last line, the one before it).
            if after > end {
                return start..after;
            }
            let prev = if text[..start].ends_with("\r\n") {
                start - 2
            } else {
                start - 1
            };
            return prev..end;
        }
        return start..end;
    }
    if is_blank(&text[start..r.start]) {
        // Something follows on the line (a comment): keep it where the
        // element was.
        let rest = &text[r.end..end];
        let ws = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        return r.start..r.end + ws;
    }
    r
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// The end of the line holding `at`, before its line break.
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i)
}

/// The length of the line break at `at` (0 when there is none).
fn break_len(text: &str, at: usize) -> usize {
    if text[at..].starts_with("\r\n") {
        2
    } else if text[at..].starts_with(['\n', '\r']) {
        1
    } else {
        0
    }
}

fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c == ' ' || c == '\t')
}

/// Collects changes to one file and turns them into edits.
pub struct XmlEditor<'a> {
    text: &'a str,
    tree: &'a XmlTree,
    eol: &'static str,
    unit: String,
    edits: Vec<Edit>,
    removed: Vec<ElementId>,
    inserts: Vec<(ElementId, NewElement)>,
}

impl<'a> XmlEditor<'a> {
    pub fn new(text: &'a str, tree: &'a XmlTree) -> Self {
        let mut editor = XmlEditor {
            text,
            tree,
            eol: line_ending(text),
            unit: String::new(),
            edits: Vec::new(),
            removed: Vec::new(),
            inserts: Vec::new(),
        };
        editor.unit = editor.detect_unit();
        editor
    }

    /// One level of indentation, from an element that starts its line under
    /// a parent that starts its own; Salesforce's four spaces otherwise.
    fn detect_unit(&self) -> String {
        // A few elements tell; looking at all of them in a huge one-line
        // file would cost a scan of the line each.
        for (_, el) in self.tree.elements().take(64) {
            let Some(parent) = el.parent else { continue };
            let (Some(child), Some(outer)) = (
                self.indent_of(el.start_tag.start),
                self.indent_of(self.tree.element(parent).start_tag.start),
            ) else {
                continue;
            };
            if let Some(unit) = child.strip_prefix(outer.as_str()) {
                if !unit.is_empty() {
                    return unit.to_owned();
                }
            }
        }
        "    ".to_owned()
    }

    /// The whitespace before `at` on its line, if only whitespace is there.
    fn indent_of(&self, at: usize) -> Option<String> {
        let before = &self.text[line_start(self.text, at)..at];
        is_blank(before).then(|| before.to_owned())
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Sets an element's value (raw: already escaped). No edit when it
    /// already has that value.
    pub fn set_raw_value(&mut self, id: ElementId, raw: &str) {
        let el = self.tree.element(id);
        match self.tree.value_range(self.text, id) {
            Some(range) if self.text[range.clone()] != *raw => {
                // Comments inside the old value stay, after the new one.
                let comments = self.tree.comments();
                let first = comments.partition_point(|c| c.range.start < range.start);
                let kept: String = comments[first..]
                    .iter()
                    .take_while(|c| c.range.end <= range.end)
                    .map(|c| &self.text[c.range.clone()])
                    .collect();
                self.edits
                    .push(Edit::replace(range, format!("{raw}{kept}")));
            }
            Some(_) => {}
            None if el.end_tag.is_none() => {
                // `<name/>` → `<name>value</name>`
                let name = &self.text[el.name.clone()];
                self.edits
                    .push(Edit::replace(el.range(), format!("<{name}>{raw}</{name}>")));
            }
            // An element with children has no value to set.
            None => {}
        }
    }

    /// Replaces raw bytes inside a value (e.g. a URL's scheme).
    pub fn set_raw_range(&mut self, range: std::ops::Range<usize>, raw: &str) {
        if self.text[range.clone()] != *raw {
            self.edits.push(Edit::replace(range, raw));
        }
    }

    pub fn set_value(&mut self, id: ElementId, value: &str) {
        if self.tree.value(self.text, id).as_deref() != Some(value) {
            self.set_raw_value(id, &escape(value));
        }
    }

    /// Sets the child `name` of `parent`, inserting it when missing.
    pub fn set_child(&mut self, parent: ElementId, name: &str, value: &str) {
        match self.tree.child_named(self.text, parent, name) {
            Some(id) => self.set_value(id, value),
            None => self.insert(parent, NewElement::text(name, value)),
        }
    }

    pub fn remove(&mut self, id: ElementId) {
        if !self.removed.contains(&id) {
            self.removed.push(id);
        }
    }

    pub fn insert(&mut self, parent: ElementId, element: NewElement) {
        self.inserts.push((parent, element));
    }

    /// The edits, sorted.
    pub fn finish(mut self) -> Vec<Edit> {
        for id in std::mem::take(&mut self.removed) {
            let range = self.removal_range(id);
            self.edits.push(Edit::delete(range));
        }
        // Group insertions by parent, in alphabetical order.
        let mut inserts = std::mem::take(&mut self.inserts);
        inserts.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| order(&a.1.name, &b.1.name)));
        let mut i = 0;
        while i < inserts.len() {
            let parent = inserts[i].0;
            let mut j = i;
            while j < inserts.len() && inserts[j].0 == parent {
                j += 1;
            }
            let group: Vec<NewElement> = inserts[i..j].iter().map(|(_, e)| e.clone()).collect();
            self.insert_group(parent, group);
            i = j;
        }
        self.edits.sort_by_key(|e| (e.range.start, e.range.end));
        self.edits
    }

    /// The element, and its line when nothing else is on it.
    fn removal_range(&self, id: ElementId) -> std::ops::Range<usize> {
        removal_with_line(self.text, self.tree.element(id).range())
    }

    fn survivors(&self, parent: ElementId) -> Vec<ElementId> {
        self.tree
            .element(parent)
            .children
            .iter()
            .copied()
            .filter(|c| !self.removed_or_pending(*c))
            .collect()
    }

    fn removed_or_pending(&self, id: ElementId) -> bool {
        self.edits.iter().any(|e| {
            e.new_text.is_empty() && {
                let r = self.tree.element(id).range();
                e.range.start <= r.start && r.end <= e.range.end
            }
        })
    }

    fn prefix(&self, parent: ElementId) -> &'a str {
        let name = &self.text[self.tree.element(parent).name.clone()];
        name.rfind(':').map_or("", |i| &name[..=i])
    }

    fn render(&self, el: &NewElement, indent: &str, prefix: &str) -> String {
        render(el, indent, &self.unit, self.eol, prefix)
    }

    /// Where a new child goes: before the first surviving sibling that sorts
    /// after it (and before the comments right above that sibling, which
    /// belong to it), else after the last sibling.
    fn insert_group(&mut self, parent: ElementId, group: Vec<NewElement>) {
        let text = self.text;
        let survivors = self.survivors(parent);
        let prefix = self.prefix(parent);
        let p = self.tree.element(parent);
        // New lines take the break of the lines they go among (a file
        // may mix them).
        let near = survivors
            .first()
            .map_or(p.start_tag.start, |&c| self.tree.element(c).start_tag.start);
        self.eol = line_break_at(text, near);
        let parent_indent = self.indent_of(p.start_tag.start).unwrap_or_default();
        let sibling_indent = survivors
            .iter()
            .take(64)
            .find_map(|&c| self.indent_of(self.tree.element(c).start_tag.start))
            .unwrap_or_else(|| format!("{parent_indent}{}", self.unit));
        // Each new element with the sibling it goes before (None = at the end).
        let mut slots: Vec<(Option<ElementId>, String)> = Vec::new();
        for el in &group {
            let anchor = survivors.iter().copied().find(|&c| {
                order(self.tree.local_name(text, c), &el.name) == std::cmp::Ordering::Greater
            });
            slots.push((anchor, self.render(el, &sibling_indent, prefix)));
        }
        let mut by_anchor: Vec<(Option<ElementId>, Vec<String>)> = Vec::new();
        for (anchor, s) in slots {
            match by_anchor.iter_mut().find(|(a, _)| *a == anchor) {
                Some((_, v)) => v.push(s),
                None => by_anchor.push((anchor, vec![s])),
            }
        }
        for (anchor, rendered) in by_anchor {
            match anchor {
                Some(a) => {
                    let at = self.before_leading_comments(parent, a);
                    if self.indent_of(at).is_some() {
                        let mut s = String::new();
                        for r in &rendered {
                            s.push_str(&sibling_indent);
                            s.push_str(r);
                            s.push_str(self.eol);
                        }
                        self.edits.push(Edit::insert(line_start(text, at), s));
                    } else {
                        self.edits.push(Edit::insert(at, rendered.concat()));
                    }
                }
                None => match survivors.last() {
                    Some(&last) => {
                        let l = self.tree.element(last);
                        let end = l.range().end;
                        let own_line = self.indent_of(l.start_tag.start).is_some();
                        let at = if own_line {
                            let le = line_end(text, end);
                            if self.only_comments(end, le) {
                                le
                            } else {
                                end
                            }
                        } else {
                            end
                        };
                        let s = if own_line {
                            rendered
                                .iter()
                                .map(|r| format!("{}{sibling_indent}{r}", self.eol))
                                .collect()
                        } else {
                            rendered.concat()
                        };
                        self.edits.push(Edit::insert(at, s));
                    }
                    None => {
                        self.insert_into_empty(parent, &rendered, &sibling_indent, &parent_indent)
                    }
                },
            }
        }
    }

    fn insert_into_empty(
        &mut self,
        parent: ElementId,
        rendered: &[String],
        indent: &str,
        parent_indent: &str,
    ) {
        let eol = self.eol;
        let mut body = String::new();
        for r in rendered {
            body.push_str(eol);
            body.push_str(indent);
            body.push_str(r);
        }
        let p = self.tree.element(parent);
        match &p.end_tag {
            None => {
                // `<P …/>` → `<P …>` + children + `</P>`
                let tag = &self.text[p.start_tag.clone()];
                let open = tag.strip_suffix("/>").map(str::trim_end).unwrap_or(tag);
                let name = &self.text[p.name.clone()];
                self.edits.push(Edit::replace(
                    p.start_tag.clone(),
                    format!("{open}>{body}{eol}{parent_indent}</{name}>"),
                ));
            }
            Some(_) => {
                let content = &self.text[p.content()];
                if content.contains(['\n', '\r']) {
                    self.edits.push(Edit::insert(p.start_tag.end, body));
                } else {
                    self.edits.push(Edit::insert(
                        p.start_tag.end,
                        format!("{body}{eol}{parent_indent}"),
                    ));
                }
            }
        }
    }

    /// Whether `text[from..to]` holds only whitespace and whole comments.
    fn only_comments(&self, from: usize, to: usize) -> bool {
        let mut at = from;
        loop {
            let rest = &self.text[at..to];
            let trimmed = rest.trim_start();
            if trimmed.is_empty() {
                return true;
            }
            let start = at + (rest.len() - trimmed.len());
            match self
                .comment_starting_at(start)
                .filter(|c| c.range.end <= to)
            {
                Some(c) => at = c.range.end,
                None => return false,
            }
        }
    }

    // Comments are in document order: binary searches keep long runs of
    // comments linear.
    fn comment_starting_at(&self, at: usize) -> Option<&'a crate::xml::Comment> {
        let comments = self.tree.comments();
        let i = comments.partition_point(|c| c.range.start < at);
        comments.get(i).filter(|c| c.range.start == at)
    }

    fn comment_ending_at(&self, at: usize) -> Option<&'a crate::xml::Comment> {
        let comments = self.tree.comments();
        let i = comments.partition_point(|c| c.range.end < at);
        comments.get(i).filter(|c| c.range.end == at)
    }

    /// The start of the comments (each on its own line) directly above
    /// `sibling`, or the sibling's start.
    fn before_leading_comments(&self, parent: ElementId, sibling: ElementId) -> usize {
        let floor = self.tree.element(parent).start_tag.end;
        let mut at = self.tree.element(sibling).start_tag.start;
        if self.indent_of(at).is_none() {
            return at;
        }
        loop {
            let before = self.text[..at].trim_end();
            let end = before.len();
            let Some(c) = self
                .comment_ending_at(end)
                .filter(|c| c.range.start >= floor)
            else {
                return at;
            };
            if self.indent_of(c.range.start).is_none() {
                return at;
            }
            // Only whitespace (no blank line break rules) between them.
            at = c.range.start;
        }
    }
}

fn render(el: &NewElement, indent: &str, unit: &str, eol: &str, prefix: &str) -> String {
    let name = format!("{prefix}{}", el.name);
    match &el.content {
        Content::Text(v) => format!("<{name}>{}</{name}>", escape(v)),
        Content::Raw(v) => format!("<{name}>{v}</{name}>"),
        Content::Children(children) => {
            let inner = format!("{indent}{unit}");
            let mut s = format!("<{name}>");
            for c in children {
                s.push_str(eol);
                s.push_str(&inner);
                s.push_str(&render(c, &inner, unit, eol, prefix));
            }
            s.push_str(eol);
            s.push_str(indent);
            s.push_str(&format!("</{name}>"));
            s
        }
    }
}

/// A new metadata file the way Salesforce writes one (four-space indent),
/// with the line ending `eol` (that of the file the fix starts from).
pub fn new_file(root: &str, mut children: Vec<NewElement>, eol: &str) -> String {
    children.sort_by(|a, b| order(&a.name, &b.name));
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>{eol}<{root} xmlns=\"http://soap.sforce.com/2006/04/metadata\">{eol}"
    );
    for c in &children {
        s.push_str("    ");
        s.push_str(&render(c, "    ", "    ", eol, ""));
        s.push_str(eol);
    }
    s.push_str(&format!("</{root}>{eol}"));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn edit(text: &str, f: impl FnOnce(&mut XmlEditor, &XmlTree)) -> String {
        let tree = XmlTree::parse(text).unwrap();
        let mut ed = XmlEditor::new(text, &tree);
        f(&mut ed, &tree);
        let edits = ed.finish();
        let out = apply(text, &edits);
        XmlTree::parse(&out).unwrap();
        out
    }

    fn child(tree: &XmlTree, text: &str, name: &str) -> ElementId {
        tree.child_named(text, tree.root().unwrap(), name).unwrap()
    }

    #[test]
    fn inserts_in_order_with_indent_and_eol() {
        let text = "<A>\r\n\t<b>1</b>\r\n\t<!-- about d -->\r\n\t<d>2</d>\r\n</A>";
        let out = edit(text, |ed, tree| {
            ed.insert(tree.root().unwrap(), NewElement::text("c", "x&y"));
            ed.insert(tree.root().unwrap(), NewElement::text("e", "z"));
            ed.insert(tree.root().unwrap(), NewElement::text("a", "0"));
        });
        assert_eq!(
            out,
            "<A>\r\n\t<a>0</a>\r\n\t<b>1</b>\r\n\t<c>x&amp;y</c>\r\n\t<!-- about d -->\r\n\t<d>2</d>\r\n\t<e>z</e>\r\n</A>"
        );
    }

    /// A file whose first line ends in LF and whose elements in CRLF (an
    /// editor that normalised only the header): new lines take CRLF, the
    /// break of the lines they go among.
    #[test]
    fn inserts_with_the_line_break_of_the_siblings() {
        let text = "<?xml version=\"1.0\"?>\n<A>\r\n\t<b>1</b>\r\n\t<d>2</d>\r\n</A>\r\n";
        let out = edit(text, |ed, tree| {
            ed.insert(
                tree.root().unwrap(),
                NewElement::parent("c", vec![NewElement::text("x", "1")]),
            );
        });
        assert_eq!(
            out,
            "<?xml version=\"1.0\"?>\n<A>\r\n\t<b>1</b>\r\n\t<c>\r\n\t\t<x>1</x>\r\n\t</c>\r\n\t<d>2</d>\r\n</A>\r\n"
        );
    }

    #[test]
    fn removes_lines_and_sets_values() {
        let text = "<A>\n  <b>1</b>\n  <c>2</c> <!-- keep -->\n  <d/>\n</A>\n";
        let out = edit(text, |ed, tree| {
            ed.remove(child(tree, text, "b"));
            ed.remove(child(tree, text, "c"));
            ed.set_value(child(tree, text, "d"), "v");
        });
        assert_eq!(out, "<A>\n  <!-- keep -->\n  <d>v</d>\n</A>\n");
    }

    #[test]
    fn comments_inside_a_value_stay() {
        let text = "<A><p> Pass<!-- why -->word </p></A>";
        let out = edit(text, |ed, tree| {
            ed.set_value(child(tree, text, "p"), "Oauth")
        });
        assert_eq!(out, "<A><p> Oauth<!-- why --> </p></A>");
        // Already the value: no edit.
        let out = edit(text, |ed, tree| {
            ed.set_value(child(tree, text, "p"), "Password")
        });
        assert_eq!(out, text);
    }

    #[test]
    fn nested_and_empty_parents() {
        let text = "<A xmlns=\"x\"/>";
        let out = edit(text, |ed, tree| {
            ed.insert(
                tree.root().unwrap(),
                NewElement::parent(
                    "p",
                    vec![NewElement::text("z", "1"), NewElement::text("y", "2")],
                ),
            );
        });
        assert_eq!(
            out,
            "<A xmlns=\"x\">\n    <p>\n        <y>2</y>\n        <z>1</z>\n    </p>\n</A>"
        );
        let inline = edit("<A><b>1</b><d>2</d></A>", |ed, tree| {
            ed.insert(tree.root().unwrap(), NewElement::text("c", "3"));
        });
        assert_eq!(inline, "<A><b>1</b><c>3</c><d>2</d></A>");
    }

    #[test]
    fn prefixes_quotes_and_last_line() {
        // A prefixed root gets prefixed children; attribute quoting and the
        // declaration stay; a suppression comment stays with its element.
        let text = "<?xml version='1.0'?>\n<sf:A xmlns:sf='x'>\n  <sf:b>1</sf:b>\n  <!-- exchange-auth-lint-disable-next-line X -->\n  <sf:d>2</sf:d>\n</sf:A>";
        let out = edit(text, |ed, tree| {
            ed.insert(tree.root().unwrap(), NewElement::text("c", "3"));
        });
        assert_eq!(
            out,
            "<?xml version='1.0'?>\n<sf:A xmlns:sf='x'>\n  <sf:b>1</sf:b>\n  <sf:c>3</sf:c>\n  <!-- exchange-auth-lint-disable-next-line X -->\n  <sf:d>2</sf:d>\n</sf:A>"
        );
        // Removing the only element on the last line before the end tag.
        let out = edit("<A>\n  <b>1</b></A>", |ed, tree| {
            ed.remove(child(tree, "<A>\n  <b>1</b></A>", "b"));
        });
        assert_eq!(out, "<A>\n  </A>");
    }

    #[test]
    fn insertion_skips_removed_siblings() {
        let text = "<A>\n  <a>1</a>\n  <m>2</m>\n  <z>3</z>\n</A>";
        let out = edit(text, |ed, tree| {
            ed.remove(child(tree, text, "m"));
            ed.remove(child(tree, text, "z"));
            ed.insert(tree.root().unwrap(), NewElement::text("n", "4"));
        });
        assert_eq!(out, "<A>\n  <a>1</a>\n  <n>4</n>\n</A>");
    }
}
