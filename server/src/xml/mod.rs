//! A small, lossless view of an XML document: every element with the byte
//! ranges of its tags, its text and its children.
//!
//! Metadata files are tiny and rules need exact positions (for diagnostics)
//! and exact byte ranges (for fixes), so we keep ranges into the original
//! text instead of building an owned DOM. The parser never panics and never
//! expands entities: on input that is not well-formed it returns an
//! [`XmlError`] with the byte offset the problem was found at.

mod edit;

use quick_xml::events::Event;
use quick_xml::Reader;
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

/// Index of an element inside its [`XmlTree`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ElementId(u32);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    /// The qualified name in the start tag, e.g. `protocol` or `sf:protocol`.
    pub name: Range<usize>,
    /// Where the name without its prefix starts (`protocol` in
    /// `sf:protocol`): rules look children up by local name, often.
    local_start: usize,
    /// `<name ...>` or, for an empty element, the whole `<name/>`.
    pub start_tag: Range<usize>,
    /// `</name>`; `None` for `<name/>`.
    pub end_tag: Option<Range<usize>>,
    pub parent: Option<ElementId>,
    pub children: Vec<ElementId>,
    pub depth: u32,
    /// Set when the text content needs decoding (entities, CDATA, comments
    /// between text pieces); otherwise the value is the raw content.
    decoded: Option<Box<str>>,
}

impl Element {
    /// The name without its prefix (`protocol` in `sf:protocol`).
    pub fn local_name(&self) -> Range<usize> {
        self.local_start..self.name.end
    }

    /// From `<` of the start tag to `>` of the end tag.
    pub fn range(&self) -> Range<usize> {
        let end = self.end_tag.as_ref().map_or(self.start_tag.end, |r| r.end);
        self.start_tag.start..end
    }

    /// Between the start and the end tag (empty for `<name/>`).
    pub fn content(&self) -> Range<usize> {
        let end = self
            .end_tag
            .as_ref()
            .map_or(self.start_tag.end, |r| r.start);
        self.start_tag.end..end
    }
}

/// An XML comment: `range` covers `<!--` to `-->`, `body` what is between.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub range: Range<usize>,
    pub body: Range<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlError {
    /// Byte offset into the text the tree was parsed from.
    pub offset: usize,
    /// Human-readable reason. Quotes element names at most, never text
    /// content (text content may be a secret).
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct XmlTree {
    elements: Vec<Element>,
    comments: Vec<Comment>,
    root: Option<ElementId>,
    has_doctype: bool,
}

/// Deeper nesting than this is not metadata; refusing it keeps recursion
/// in consumers bounded.
pub const MAX_DEPTH: usize = 512;

/// More attributes on one element than this is not metadata (an element
/// has one or two); the limit is the JDK parser's default
/// (`jdk.xml.elementAttributeLimit`).
pub const MAX_ATTRIBUTES: usize = 10_000;

impl XmlTree {
    /// Parses `text`. A leading byte order mark is skipped; offsets stay
    /// relative to `text`.
    pub fn parse(text: &str) -> Result<XmlTree, XmlError> {
        Parser::new(text, Vec::new()).checked_run()
    }

    /// [`XmlTree::parse`], reusing the memory of a tree it replaces (a
    /// large document's element list is megabytes; allocating it afresh
    /// for every edit costs page faults).
    pub fn parse_reusing(text: &str, old: XmlTree) -> Result<XmlTree, XmlError> {
        let mut elements = old.elements;
        elements.clear();
        Parser::new(text, elements).checked_run()
    }

    pub fn root(&self) -> Option<ElementId> {
        self.root
    }

    pub fn element(&self, id: ElementId) -> &Element {
        &self.elements[id.0 as usize]
    }

    pub fn elements(&self) -> impl Iterator<Item = (ElementId, &Element)> {
        self.elements
            .iter()
            .enumerate()
            .map(|(i, e)| (ElementId(i as u32), e))
    }

    pub fn comments(&self) -> &[Comment] {
        &self.comments
    }

    pub fn has_doctype(&self) -> bool {
        self.has_doctype
    }

    /// The element's name without a namespace prefix.
    pub fn local_name<'t>(&self, text: &'t str, id: ElementId) -> &'t str {
        &text[self.element(id).local_name()]
    }

    /// Children whose local name equals `name`, ignoring ASCII case
    /// (real files contain `<Protocol>` and the like).
    pub fn children_named<'s>(
        &'s self,
        text: &'s str,
        parent: ElementId,
        name: &'s str,
    ) -> impl Iterator<Item = ElementId> + 's {
        self.element(parent)
            .children
            .iter()
            .copied()
            .filter(move |&c| {
                // Lengths first: most children of a large file are the
                // same repeated element, and this skips them without
                // slicing the text.
                let local = self.element(c).local_name();
                local.len() == name.len()
                    && text.as_bytes()[local].eq_ignore_ascii_case(name.as_bytes())
            })
    }

    pub fn child_named(&self, text: &str, parent: ElementId, name: &str) -> Option<ElementId> {
        self.children_named(text, parent, name).next()
    }

    /// The element's text value, decoded and trimmed. Elements with child
    /// elements have no value.
    pub fn value<'t>(&'t self, text: &'t str, id: ElementId) -> Option<Cow<'t, str>> {
        let el = self.element(id);
        if !el.children.is_empty() {
            return None;
        }
        Some(match &el.decoded {
            Some(decoded) => Cow::Borrowed(decoded.trim()),
            None => Cow::Borrowed(text[el.content()].trim()),
        })
    }

    /// Byte range of the trimmed raw text content (what a fix replaces to
    /// change the value). For `<a/>` an empty range inside the tag is not
    /// possible, so `None`.
    pub fn value_range(&self, text: &str, id: ElementId) -> Option<Range<usize>> {
        let el = self.element(id);
        el.end_tag.as_ref()?;
        if !el.children.is_empty() {
            return None;
        }
        let content = el.content();
        let raw = &text[content.clone()];
        let lead = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        Some(content.start + lead..content.start + lead + trimmed.len())
    }
}

struct Parser<'a> {
    text: &'a str,
    base: usize,
    reader: Reader<&'a [u8]>,
    elements: Vec<Element>,
    comments: Vec<Comment>,
    stack: Vec<ElementId>,
    root: Option<ElementId>,
    has_doctype: bool,
    /// The value of the innermost open element, while it has no children.
    pending_text: Option<PendingText>,
}

/// A value being read. One plain piece of text is all most values are: it
/// is read from the document when asked for, never copied. Values with
/// references, CDATA, comments or processing instructions are assembled.
#[derive(Default)]
struct PendingText {
    /// The plain piece seen before anything needed decoding.
    raw: Range<usize>,
    /// The value so far, once something needed decoding.
    decoded: Option<String>,
}

impl PendingText {
    /// The value, assembled from here on (starting with the plain piece).
    fn decoding(&mut self, text: &str) -> &mut String {
        self.decoded
            .get_or_insert_with(|| text[self.raw.clone()].to_owned())
    }

    fn push_plain(&mut self, text: &str, range: Range<usize>) {
        if self.decoded.is_none() && self.raw.is_empty() {
            self.raw = range;
        } else {
            self.decoding(text).push_str(&text[range]);
        }
    }
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, mut elements: Vec<Element>) -> Self {
        let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut reader = Reader::from_reader(&text.as_bytes()[base..]);
        let config = reader.config_mut();
        // We match end tags ourselves to report the position of the start
        // tag that was left open.
        config.check_end_names = false;
        config.check_comments = true;
        config.trim_text(false);
        // Every element has a start tag: sizing the list from the number of
        // `<` (about two per element) saves growing it step by step.
        let tags = memchr::memchr_iter(b'<', text.as_bytes()).count();
        elements.reserve(tags / 2 + 1);
        Parser {
            text,
            base,
            reader,
            elements,
            comments: Vec::new(),
            stack: Vec::new(),
            root: None,
            has_doctype: false,
            pending_text: None,
        }
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> XmlError {
        XmlError {
            offset: offset.min(self.text.len()),
            message: message.into(),
        }
    }

    /// [`Parser::run`], then the characters XML forbids anywhere (quick-xml
    /// accepts them): the earlier of the two problems is the error.
    fn checked_run(self) -> Result<XmlTree, XmlError> {
        let text = self.text;
        let result = self.run();
        let Some((at, c)) = first_forbidden_char(text) else {
            return result;
        };
        match result {
            Err(err) if err.offset <= at => Err(err),
            _ => Err(XmlError {
                offset: at,
                message: format!("character U+{:04X} is not allowed in XML", c as u32),
            }),
        }
    }

    fn run(mut self) -> Result<XmlTree, XmlError> {
        if self.text[self.base..].starts_with('\u{feff}') {
            // A second U+FEFF is a character outside the root element (and
            // quick-xml would skip it as a BOM, shifting every offset).
            return Err(self.error(self.base, "text outside the root element"));
        }
        loop {
            let before = self.base + self.reader.buffer_position() as usize;
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(err) => {
                    let at = self.base + self.reader.error_position() as usize;
                    return Err(self.error(at, describe_error(&err)));
                }
            };
            let after = self.base + self.reader.buffer_position() as usize;
            match event {
                Event::Start(start) => {
                    self.check_attributes(&start, before)?;
                    let id = self.open(before, after, start.name().as_ref().len())?;
                    self.stack.push(id);
                    self.pending_text = Some(PendingText::default());
                }
                Event::Empty(start) => {
                    self.check_attributes(&start, before)?;
                    self.open(before, after, start.name().as_ref().len())?;
                    self.pending_text = None;
                }
                Event::End(end) => {
                    let Some(open) = self.stack.pop() else {
                        return Err(self.error(
                            before,
                            format!("end tag `</{}>` has no start tag", short(end.name().0)),
                        ));
                    };
                    let open_name = self.elements[open.0 as usize].name.clone();
                    if self.text.as_bytes()[open_name.clone()] != *end.name().as_ref() {
                        return Err(self.error(
                            before,
                            format!(
                                "end tag `</{}>` does not match start tag `<{}>`",
                                short(end.name().0),
                                short(self.text[open_name].as_bytes())
                            ),
                        ));
                    }
                    let el = &mut self.elements[open.0 as usize];
                    el.end_tag = Some(before..after);
                    if let Some(decoded) = self.pending_text.take().and_then(|p| p.decoded) {
                        el.decoded = Some(decoded.into_boxed_str());
                    }
                }
                Event::Text(_) => {
                    let raw = &self.text[before..after];
                    if let Some(i) = memchr::memmem::find(raw.as_bytes(), b"]]>") {
                        // Only a CDATA section may end with it (XML 1.0 §2.4).
                        return Err(self.error(
                            before + i,
                            "text holds ]]>, which only ends a CDATA section",
                        ));
                    }
                    if self.stack.is_empty() {
                        if !raw.trim().is_empty() {
                            return Err(self.error(
                                before + (raw.len() - raw.trim_start().len()),
                                "text outside the root element",
                            ));
                        }
                        continue;
                    }
                    let decoded = match quick_xml::escape::unescape(raw) {
                        Ok(decoded) => decoded,
                        Err(err) => {
                            if self.has_doctype && is_unknown_entity(&err) {
                                // Declared in the DTD; never expanded.
                                Cow::Borrowed(raw)
                            } else {
                                return Err(self.error(before, describe_escape(&err)));
                            }
                        }
                    };
                    if let Some(pending) = &mut self.pending_text {
                        match decoded {
                            Cow::Borrowed(_) => pending.push_plain(self.text, before..after),
                            Cow::Owned(decoded) => pending.decoding(self.text).push_str(&decoded),
                        }
                    }
                }
                Event::GeneralRef(r) => {
                    // Entity or character reference between text pieces.
                    let raw = &self.text[before..after];
                    if self.stack.is_empty() {
                        return Err(self.error(before, "reference outside the root element"));
                    }
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(ch)) if is_forbidden(ch) => {
                            return Err(self.error(
                                before,
                                format!(
                                    "character reference to U+{:04X}, which XML does not allow",
                                    ch as u32
                                ),
                            ));
                        }
                        Ok(Some(ch)) => Some(ch.to_string()),
                        Ok(None) => predefined_entity(&r).map(str::to_owned),
                        Err(_) => {
                            return Err(self.error(before, "invalid character reference"));
                        }
                    };
                    let piece = match resolved {
                        Some(s) => s,
                        None if self.has_doctype => raw.to_owned(),
                        None => {
                            return Err(
                                self.error(before, format!("undefined entity `{}`", short(&r[..])))
                            )
                        }
                    };
                    if let Some(pending) = &mut self.pending_text {
                        pending.decoding(self.text).push_str(&piece);
                    }
                }
                Event::CData(c) => {
                    if self.stack.is_empty() {
                        return Err(self.error(before, "CDATA outside the root element"));
                    }
                    if let Some(pending) = &mut self.pending_text {
                        pending
                            .decoding(self.text)
                            .push_str(&String::from_utf8_lossy(&c));
                    }
                }
                Event::Comment(_) => {
                    self.comments.push(Comment {
                        range: before..after,
                        body: before + 4..after.saturating_sub(3).max(before + 4),
                    });
                    if let Some(pending) = &mut self.pending_text {
                        // A comment splits the text: the value is the
                        // concatenation, so decode explicitly.
                        pending.decoding(self.text);
                    }
                }
                Event::DocType(_) => {
                    if self.root.is_some() {
                        return Err(self.error(before, "DOCTYPE after the root element"));
                    }
                    self.has_doctype = true;
                }
                Event::PI(_) => {
                    if let Some(pending) = &mut self.pending_text {
                        // Like a comment: not part of the value, and it
                        // splits the text around it.
                        pending.decoding(self.text);
                    }
                }
                Event::Decl(_) => {
                    // Only at the very start (after a byte order mark): a
                    // space, a comment or an element before it, or a second
                    // one, make a processing instruction named `xml`, which
                    // XML reserves.
                    if before != self.base {
                        return Err(
                            self.error(before, "XML declaration not at the start of the file")
                        );
                    }
                }
                Event::Eof => break,
            }
        }
        if let Some(&open) = self.stack.last() {
            let el = &self.elements[open.0 as usize];
            return Err(self.error(
                el.start_tag.start,
                format!(
                    "element `<{}>` is never closed",
                    short(self.text[el.name.clone()].as_bytes())
                ),
            ));
        }
        if self.root.is_none() {
            return Err(self.error(self.text.len(), "no root element"));
        }
        Ok(XmlTree {
            elements: self.elements,
            comments: self.comments,
            root: self.root,
            has_doctype: self.has_doctype,
        })
    }

    fn open(&mut self, start: usize, end: usize, name_len: usize) -> Result<ElementId, XmlError> {
        if self.elements.len() >= u32::MAX as usize {
            return Err(self.error(start, "too many elements"));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(
                start,
                format!("elements nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        let id = ElementId(self.elements.len() as u32);
        let parent = self.stack.last().copied();
        match parent {
            Some(p) => {
                self.elements[p.0 as usize].children.push(id);
            }
            None if self.root.is_some() => {
                return Err(self.error(start, "more than one root element"));
            }
            None => self.root = Some(id),
        }
        // Mixed content: the parent's text is no longer a value.
        self.pending_text = None;
        let name = start + 1..start + 1 + name_len;
        let local_start = memchr::memrchr(b':', &self.text.as_bytes()[name.clone()])
            .map_or(name.start, |colon| name.start + colon + 1);
        self.elements.push(Element {
            name,
            local_start,
            start_tag: start..end,
            end_tag: None,
            parent,
            children: Vec::new(),
            depth: self.stack.len() as u32,
            decoded: None,
        });
        Ok(id)
    }

    /// Syntax of every attribute, no name twice, at most [`MAX_ATTRIBUTES`].
    /// quick-xml's own duplicate check compares each name with all before
    /// it: 300,000 attributes on one element took over a minute. A set of
    /// the names seen is linear; the message stays quick-xml's, the offset
    /// is the attribute's.
    fn check_attributes(
        &self,
        start: &quick_xml::events::BytesStart<'_>,
        at: usize,
    ) -> Result<(), XmlError> {
        let tag: &[u8] = start;
        // `tag` is the start tag after its `<`.
        let offset_of = |pos: usize| at + 1 + pos;
        let mut seen: HashMap<&[u8], usize> = HashMap::new();
        for (count, attr) in start.attributes().with_checks(false).enumerate() {
            let attr = match attr {
                Ok(attr) => attr,
                Err(err) => return Err(self.error(at, format!("malformed attribute: {err}"))),
            };
            let key = attr.key.into_inner();
            let pos = (key.as_ptr() as usize).wrapping_sub(tag.as_ptr() as usize);
            if count == MAX_ATTRIBUTES {
                return Err(self.error(
                    offset_of(pos),
                    format!(
                        "element `<{}>` has more than {MAX_ATTRIBUTES} attributes",
                        short(start.name().as_ref())
                    ),
                ));
            }
            if let Some(prev) = seen.insert(key, pos) {
                let err = quick_xml::events::attributes::AttrError::Duplicated(pos, prev);
                return Err(self.error(offset_of(pos), format!("malformed attribute: {err}")));
            }
        }
        Ok(())
    }
}

/// An internal entity declaration of a document type
/// (`<!ENTITY pw "Winter2025!">`); the parser never expands them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityDecl {
    pub name: String,
    /// The value, without its quotes.
    pub value: Range<usize>,
    /// From `<!ENTITY` to the closing `>` (or the end of the value when
    /// there is none).
    pub whole: Range<usize>,
}

/// The internal entity declarations in `text`, found by bytes (the file
/// need not parse). Parameter entities (`<!ENTITY % x …>`) and external
/// ones (`SYSTEM`, `PUBLIC`) are left out: they hold no value of their own.
pub fn entity_declarations(text: &str) -> Vec<EntityDecl> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(b, b"<!ENTITY") {
        let mut i = at + "<!ENTITY".len();
        let skip_ws = |i: &mut usize| {
            while *i < b.len() && b[*i].is_ascii_whitespace() {
                *i += 1;
            }
        };
        skip_ws(&mut i);
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !b"\"'>".contains(&b[i]) {
            i += 1;
        }
        let name = &text[name_start..i];
        skip_ws(&mut i);
        let Some(&quote) = b.get(i).filter(|q| matches!(q, b'"' | b'\'')) else {
            continue;
        };
        let Some(len) = memchr::memchr(quote, &b[i + 1..]) else {
            continue;
        };
        let value = i + 1..i + 1 + len;
        if name.is_empty() || name == "%" || value.is_empty() {
            continue;
        }
        let mut end = value.end + 1;
        skip_ws(&mut end);
        let end = if b.get(end) == Some(&b'>') {
            end + 1
        } else {
            value.end + 1
        };
        out.push(EntityDecl {
            name: name.to_owned(),
            value,
            whole: at..end,
        });
    }
    out
}

fn predefined_entity(r: &quick_xml::events::BytesRef<'_>) -> Option<&'static str> {
    quick_xml::escape::resolve_predefined_entity(std::str::from_utf8(&r[..]).ok()?)
}

fn is_unknown_entity(err: &quick_xml::escape::EscapeError) -> bool {
    matches!(err, quick_xml::escape::EscapeError::UnrecognizedEntity(..))
}

fn describe_escape(err: &quick_xml::escape::EscapeError) -> String {
    use quick_xml::escape::EscapeError::*;
    match err {
        UnrecognizedEntity(_, name) => format!("undefined entity `&{};`", short(name.as_bytes())),
        UnterminatedEntity(_) => "`&` not followed by an entity name and `;`".to_owned(),
        InvalidCharRef(_) => "invalid character reference".to_owned(),
    }
}

fn describe_error(err: &quick_xml::Error) -> String {
    use quick_xml::errors::{IllFormedError, SyntaxError};
    match err {
        quick_xml::Error::Syntax(e) => match e {
            SyntaxError::InvalidBangMarkup => "unknown markup after `<!`".to_owned(),
            SyntaxError::UnclosedPIOrXmlDecl => "processing instruction not closed by `?>`".into(),
            SyntaxError::UnclosedComment => "comment not closed by `-->`".into(),
            SyntaxError::UnclosedDoctype => "DOCTYPE not closed by `>`".into(),
            SyntaxError::UnclosedCData => "CDATA section not closed by `]]>`".into(),
            SyntaxError::UnclosedTag => "tag not closed by `>`".into(),
        },
        quick_xml::Error::IllFormed(e) => match e {
            IllFormedError::DoubleHyphenInComment => "`--` inside a comment".into(),
            IllFormedError::MissingDeclVersion(_) => "XML declaration without `version`".into(),
            IllFormedError::MissingDoctypeName => "DOCTYPE without a root name".into(),
            other => format!("not well-formed: {other}"),
        },
        quick_xml::Error::InvalidAttr(e) => format!("malformed attribute: {e}"),
        quick_xml::Error::Encoding(_) => "not valid UTF-8".into(),
        quick_xml::Error::Escape(e) => describe_escape(e),
        other => format!("not well-formed: {other}"),
    }
}

fn is_forbidden(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// The first character XML 1.0 forbids (§2.2): C0 controls other than tab,
/// line feed and carriage return, and U+FFFE, U+FFFF. Bytes, not chars:
/// every such character starts with a byte that cannot occur inside
/// another one's encoding.
fn first_forbidden_char(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') {
            return Some((i, b as char));
        }
        if b == 0xEF && bytes.get(i + 1) == Some(&0xBF) {
            if let Some(&last @ (0xBE | 0xBF)) = bytes.get(i + 2) {
                return Some((i, if last == 0xBE { '\u{fffe}' } else { '\u{ffff}' }));
            }
        }
        i += 1;
    }
    None
}

/// A name for an error message: printable, and short enough for one line.
fn short(name: &[u8]) -> String {
    let s = String::from_utf8_lossy(name);
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(tree: &XmlTree, text: &str) -> Vec<String> {
        tree.elements()
            .map(|(id, _)| tree.local_name(text, id).to_owned())
            .collect()
    }

    #[test]
    fn keeps_ranges_and_values() {
        let text = "\u{feff}<?xml version=\"1.0\"?>\n<A xmlns=\"x\">\n  <!-- c -->\n  <b> x &amp; y </b>\n  <sf:C/>\n</A>\n";
        let tree = XmlTree::parse(text).unwrap();
        assert_eq!(names(&tree, text), ["A", "b", "C"]);
        let root = tree.root().unwrap();
        let b = tree.child_named(text, root, "B").unwrap();
        assert_eq!(&text[tree.element(b).range()], "<b> x &amp; y </b>");
        assert_eq!(tree.value(text, b).unwrap(), "x & y");
        assert_eq!(&text[tree.value_range(text, b).unwrap()], "x &amp; y");
        assert_eq!(tree.comments().len(), 1);
        assert_eq!(&text[tree.comments()[0].body.clone()], " c ");
        let c = tree.child_named(text, root, "c").unwrap();
        assert_eq!(&text[tree.element(c).range()], "<sf:C/>");
        assert_eq!(tree.value(text, root), None);
    }

    #[test]
    fn cdata_and_char_refs() {
        let text = "<a><b><![CDATA[<x>]]>&#65;</b></a>";
        let tree = XmlTree::parse(text).unwrap();
        let b = tree.child_named(text, tree.root().unwrap(), "b").unwrap();
        assert_eq!(tree.value(text, b).unwrap(), "<x>A");
    }

    #[test]
    fn errors_have_positions() {
        let cases: &[(&str, usize, &str)] = &[
            ("<a><b></a>", 6, "does not match"),
            ("<a><b>", 3, "never closed"),
            ("<a></a><b/>", 7, "more than one root"),
            ("", 0, "no root"),
            ("<a>&nope;</a>", 3, "undefined entity"),
            ("<a><!-- x -- y --></a>", 10, "`--`"),
            ("x<a/>", 0, "outside the root"),
            (
                "<a b=\"1\" b=\"2\"/>",
                9,
                "malformed attribute: position 8: duplicated attribute, previous declaration at position 2",
            ),
        ];
        for (text, offset, needle) in cases {
            let err = XmlTree::parse(text).unwrap_err();
            assert!(err.message.contains(needle), "{text}: {}", err.message);
            assert_eq!(err.offset, *offset, "{text}: {}", err.message);
        }
    }

    #[test]
    fn doctype_entities_are_never_expanded() {
        let text = "<!DOCTYPE a [<!ENTITY x \"yyyy\">]><a>&x;</a>";
        let tree = XmlTree::parse(text).unwrap();
        assert_eq!(tree.value(text, tree.root().unwrap()).unwrap(), "&x;");
    }

    #[test]
    fn processing_instructions_are_not_part_of_the_value() {
        let text = "<a><b> <?pi x?>Pass<?y?>word </b></a>";
        let tree = XmlTree::parse(text).unwrap();
        let b = tree.child_named(text, tree.root().unwrap(), "b").unwrap();
        assert_eq!(tree.value(text, b).unwrap(), "Password");
        assert_eq!(
            &text[tree.value_range(text, b).unwrap()],
            "<?pi x?>Pass<?y?>word"
        );
    }

    #[test]
    fn billion_laughs_and_external_entities_stay_references() {
        let mut text = String::from("<!DOCTYPE a [<!ENTITY l0 \"lol\">");
        for i in 1..10 {
            text.push_str(&format!(
                "<!ENTITY l{i} \"{}\">",
                format!("&l{};", i - 1).repeat(10)
            ));
        }
        text.push_str("<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a><b>&l9;</b><c>&x;</c></a>");
        let tree = XmlTree::parse(&text).unwrap();
        let root = tree.root().unwrap();
        let b = tree.child_named(&text, root, "b").unwrap();
        let c = tree.child_named(&text, root, "c").unwrap();
        assert_eq!(tree.value(&text, b).unwrap(), "&l9;");
        assert_eq!(tree.value(&text, c).unwrap(), "&x;");
    }

    #[test]
    fn a_second_byte_order_mark_is_an_error_not_a_panic() {
        // Found by the property test: quick-xml skipped the second mark
        // too and every offset was off by three bytes.
        let err = XmlTree::parse("\u{feff}\u{feff}<a>&#x1F600;</a>").unwrap_err();
        assert_eq!(err.offset, 3);
        assert!(err.message.contains("outside the root"));
        let text = "\u{feff}<a>\u{feff}</a>";
        let tree = XmlTree::parse(text).unwrap();
        assert_eq!(&text[tree.element(tree.root().unwrap()).name.clone()], "a");
    }

    #[test]
    fn what_xml_forbids_but_quick_xml_accepts_is_an_error() {
        // (text, offset, message): found by an adversarial run.
        let cases: &[(&str, usize, &str)] = &[
            ("<a><b>x]]>y</b></a>", 7, "text holds ]]>"),
            ("<a>\n]]></a>", 4, "text holds ]]>"),
            (
                " <?xml version=\"1.0\"?><a/>",
                1,
                "declaration not at the start",
            ),
            (
                "\n<?xml version=\"1.0\"?><a/>",
                1,
                "declaration not at the start",
            ),
            (
                "<a/><?xml version=\"1.0\"?>",
                4,
                "declaration not at the start",
            ),
            (
                "\u{feff} <?xml version=\"1.0\"?><a/>",
                4,
                "declaration not at the start",
            ),
            ("<a><b>x\u{1}y</b></a>", 7, "U+0001"),
            ("<a b=\"\u{1b}[2J\"/>", 6, "U+001B"),
            ("<a><!-- \u{7} --></a>", 8, "U+0007"),
            ("<a><![CDATA[\u{c}]]></a>", 12, "U+000C"),
            ("<a>\u{ffff}</a>", 3, "U+FFFF"),
            ("<a>&#1;</a>", 3, "U+0001"),
            ("<a>&#x1F;</a>", 3, "U+001F"),
            // The earlier problem is the one reported.
            ("<a><b></a>\u{1}", 6, "does not match"),
            ("<a>\u{2}<b></a>", 3, "U+0002"),
        ];
        for (text, offset, needle) in cases {
            let err = XmlTree::parse(text).unwrap_err();
            assert!(err.message.contains(needle), "{text:?}: {}", err.message);
            assert_eq!(err.offset, *offset, "{text:?}: {}", err.message);
        }
        // Still allowed: tab, line breaks, `]]>` in CDATA and attributes,
        // `]]` alone, the declaration right after a byte order mark.
        for text in [
            "<a>\t\r\n</a>",
            "<a><![CDATA[x]]]]><![CDATA[>]]></a>",
            "<a b=\"]]>\">]]</a>",
            "\u{feff}<?xml version=\"1.0\"?><a>&#9;&#xA;&#x10FFFF;</a>",
        ] {
            XmlTree::parse(text).unwrap_or_else(|e| panic!("{text:?}: {}", e.message));
        }
    }

    #[test]
    fn duplicate_attributes_are_found_with_quick_xmls_message() {
        for text in [
            "<a b=\"1\" b=\"2\"/>",
            "<r><sf:a x='1' y=\"2\"\n  z='3' y='4'>t</sf:a></r>",
            "<a xmlns=\"n\" xmlns:x=\"m\" xmlns=\"n\"></a>",
        ] {
            let err = XmlTree::parse(text).unwrap_err();
            // What quick-xml's own (quadratic) check says about the tag.
            let tag_at = text.rfind("<a").or(text.find("<sf:a")).unwrap();
            let mut reader = Reader::from_str(&text[tag_at..]);
            let (Ok(Event::Start(start)) | Ok(Event::Empty(start))) = reader.read_event() else {
                panic!("{text}")
            };
            let expected = start
                .attributes()
                .with_checks(true)
                .find_map(Result::err)
                .unwrap();
            let quick_xml::events::attributes::AttrError::Duplicated(pos, _) = expected else {
                panic!("{expected}")
            };
            assert_eq!(err.message, format!("malformed attribute: {expected}"));
            assert_eq!(err.offset, tag_at + 1 + pos, "{text}");
        }
        // The same name under another prefix is another name.
        XmlTree::parse("<a x:b=\"1\" y:b=\"2\" b=\"3\"/>").unwrap();
    }

    #[test]
    fn more_attributes_than_the_limit_is_an_error_at_the_first_one_past_it() {
        let attrs = |n: usize| (0..n).map(|i| format!(" a{i}=\"v\"")).collect::<String>();
        let at_limit = format!("<r><e{}/></r>", attrs(MAX_ATTRIBUTES));
        XmlTree::parse(&at_limit).unwrap();
        let over = format!("<r>\n<e{}>x</e></r>", attrs(300_000));
        let err = XmlTree::parse(&over).unwrap_err();
        assert_eq!(err.message, "element `<e>` has more than 10000 attributes");
        let past = format!(" a{MAX_ATTRIBUTES}=");
        assert_eq!(err.offset, over.find(&past).unwrap() + 1);
        // A duplicate before the limit is still the duplicate.
        let dup = format!("<r><e{} a5=\"w\"{}/></r>", attrs(9_000), attrs(0));
        let err = XmlTree::parse(&dup).unwrap_err();
        assert!(
            err.message.contains("duplicated attribute"),
            "{}",
            err.message
        );
        assert_eq!(err.offset, dup.find(" a5=\"w\"").unwrap() + 1);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "<a>".repeat(MAX_DEPTH + 1);
        let err = XmlTree::parse(&text).unwrap_err();
        assert!(err.message.contains("nested deeper"));
    }
}
