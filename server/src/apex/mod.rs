//! Apex classes and triggers (`.cls`, `.trigger`): parsed with the
//! tree-sitter Apex grammar into a typed, read-only [`ApexView`] that the
//! rules read (they never see the tree or the text's syntax).
//!
//! Most classes of an org never mention Exchange: a byte pre-filter
//! ([`worth_parsing`]) decides which files are parsed at all. Broken Apex
//! (syntax errors, code half typed in the editor) still yields the view of
//! what parsed. In the editor, [`ApexSource::set_text`] re-parses
//! incrementally (the old tree is edited and reused).

pub mod ews;
mod prefilter;
pub mod scan;
mod view;

pub use prefilter::{
    calls_any_credential, may_hold_credentials, relevance, survey, worth_parsing, Relevance,
};
pub use view::{unescape, ApexView, Assignment, Call, Comment, Expr, ExprKind, StringLit, UNKNOWN};

use crate::text::Change;
use std::cell::{Cell, RefCell};
use std::ops::Range;
use std::sync::OnceLock;
use tree_sitter::{InputEdit, Parser, Point, Tree};

/// Larger files are not parsed (no real class comes close: Salesforce's
/// limit for one class is 1 MB of source); the pre-filter still runs.
pub const MAX_PARSED_BYTES: usize = 8 * 1024 * 1024;

/// A parsed Apex file: the syntax tree (kept for incremental re-parsing)
/// and the view built from it.
#[derive(Clone, Default)]
pub struct ApexSource {
    tree: Option<Tree>,
    view: ApexView,
    /// The view's units, for [`view::update`].
    units: Vec<view::Unit>,
    /// Not parsed yet: only weak needles (`callout:`); the project parses
    /// it ([`ApexSource::resolve`]) when it calls one of its credentials.
    pending: bool,
    /// What the rules asked of this version of the view.
    memo: Memo,
}

/// The [`scan`] results of one version of a view, each computed on first
/// use: the rules ask them of every class several times per analysis
/// (each named credential lists its callers), and an edit of one class
/// leaves the others' in place.
#[derive(Default)]
struct Memo {
    endpoints: OnceLock<Vec<scan::Endpoint>>,
    ews_usage: OnceLock<(Vec<Range<usize>>, Vec<&'static ews::Operation>)>,
    basic_headers: OnceLock<Vec<scan::BasicHeader>>,
    microsoft_secrets: OnceLock<Vec<scan::Secret>>,
}

/// A copy starts empty (it is filled again on first use).
impl Clone for Memo {
    fn clone(&self) -> Memo {
        Memo::default()
    }
}

thread_local! {
    static READS: Cell<u64> = const { Cell::new(0) };
}

/// How many times this thread has read an Apex view (or what the rules
/// ask of one). The rules pass compares it before and after each rule:
/// the findings of a rule that read no Apex are kept, not made again,
/// after an edit that changed only Apex text ([`crate::check`]).
pub fn reads() -> u64 {
    READS.with(Cell::get)
}

/// Counts a read of Apex-derived data (see [`reads`]).
pub(crate) fn note_read() {
    READS.with(|r| r.set(r.get().wrapping_add(1)));
}

impl std::fmt::Debug for ApexSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApexSource")
            .field("has_tree", &self.tree.is_some())
            .field("pending", &self.pending)
            .field("view", &self.view)
            .finish()
    }
}

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

fn with_parser<T>(f: impl FnOnce(&mut Parser) -> T) -> Option<T> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_sfapex::apex::LANGUAGE.into())
                .ok()?;
            *slot = Some(parser);
        }
        slot.as_mut().map(f)
    })
}

impl ApexSource {
    /// Parses `text` when the pre-filter says it may matter.
    pub fn parse(text: &str) -> ApexSource {
        ApexSource::parse_as(text, capped_relevance(text.as_bytes()))
    }

    /// [`ApexSource::parse`] when the caller already knows the text's
    /// relevance (from [`survey_class`]).
    pub fn parse_as(text: &str, relevance: Relevance) -> ApexSource {
        let mut source = ApexSource::default();
        source.apply(text, relevance, None);
        source
    }

    pub fn view(&self) -> &ApexView {
        note_read();
        &self.view
    }

    /// [`scan::endpoints`] of the view, computed once.
    pub fn endpoints(&self) -> &[scan::Endpoint] {
        note_read();
        self.memo
            .endpoints
            .get_or_init(|| scan::endpoints(&self.view))
    }

    /// [`scan::ews_usage`] of the view, computed once.
    pub fn ews_usage(&self) -> (&[Range<usize>], &[&'static ews::Operation]) {
        note_read();
        let (namespaces, operations) = self
            .memo
            .ews_usage
            .get_or_init(|| scan::ews_usage(&self.view));
        (namespaces, operations)
    }

    /// [`scan::basic_headers`] of the view, computed once.
    pub fn basic_headers(&self) -> &[scan::BasicHeader] {
        note_read();
        self.memo
            .basic_headers
            .get_or_init(|| scan::basic_headers(&self.view))
    }

    /// [`scan::microsoft_secrets`] of the view, computed once; `text` is
    /// the text the view was built from (the file's).
    pub fn microsoft_secrets(&self, text: &str) -> &[scan::Secret] {
        note_read();
        self.memo
            .microsoft_secrets
            .get_or_init(|| scan::microsoft_secrets(&self.view, text))
    }

    /// Only weak needles were found, and the class is not parsed yet.
    pub fn is_pending(&self) -> bool {
        self.pending
    }

    /// Parses a pending class (the project found that it calls one of its
    /// named credentials).
    pub fn resolve(&mut self, text: &str) {
        if self.pending {
            self.parse_now(text, None);
        }
    }

    /// Moves from `old` (the text this source was built from) to `new`,
    /// reusing the syntax tree for the unchanged parts: one edit spanning
    /// everything between the common prefix and the common suffix.
    pub fn set_text(&mut self, old: &str, new: &str) {
        if old == new {
            return;
        }
        let Some(mut tree) = self.tree.take() else {
            self.reparse(new, None);
            return;
        };
        let edit = input_edit(old, new);
        tree.edit(&edit);
        self.reparse(new, Some((tree, edit)));
    }

    fn reparse(&mut self, text: &str, old_tree: Option<(Tree, InputEdit)>) {
        self.memo = Memo::default();
        self.apply(text, capped_relevance(text.as_bytes()), old_tree);
    }

    fn apply(&mut self, text: &str, relevance: Relevance, old_tree: Option<(Tree, InputEdit)>) {
        // A weak class is pending again after any edit, as a fresh one
        // would be; the project resolves it again (`Project::resolve_apex_file`).
        if relevance != Relevance::Strong {
            self.tree = None;
            self.view = ApexView::default();
            self.units = Vec::new();
            self.pending = relevance == Relevance::Weak;
            return;
        }
        self.parse_now(text, old_tree);
    }

    /// Parses `text`; with the tree of the text before (edited to match)
    /// and the edit, incrementally, building again only the view's units
    /// the edit touched.
    fn parse_now(&mut self, text: &str, old_tree: Option<(Tree, InputEdit)>) {
        self.pending = false;
        self.memo = Memo::default();
        let mut tree = with_parser(|p| p.parse(text, old_tree.as_ref().map(|(t, _)| t))).flatten();
        let mut old_tree = old_tree;
        // Error recovery may go another way when subtrees are reused: a
        // tree with errors is made again from scratch, so that the view
        // is always the one a fresh parse gives (half-typed code costs a
        // whole parse; code that parses keeps the incremental one).
        if old_tree.is_some() && tree.as_ref().is_some_and(|t| t.root_node().has_error()) {
            tree = with_parser(|p| p.parse(text, None)).flatten();
            old_tree = None;
        }
        let Some(tree) = tree else {
            self.tree = None;
            self.view = ApexView::default();
            self.units = Vec::new();
            return;
        };
        let old_view = std::mem::take(&mut self.view);
        let old_units = std::mem::take(&mut self.units);
        let (view, units) = match old_tree {
            Some((old, edit)) if old_view.parsed => {
                let mut changed: Vec<Range<usize>> = old
                    .changed_ranges(&tree)
                    .map(|r| r.start_byte..r.end_byte)
                    .collect();
                changed.push(edit.start_byte..edit.new_end_byte);
                view::update(
                    (old_view, old_units),
                    &tree,
                    text,
                    (edit.start_byte, edit.old_end_byte, edit.new_end_byte),
                    &changed,
                )
            }
            _ => view::build(&tree, text),
        };
        self.view = view;
        self.units = units;
        self.tree = Some(tree);
    }
}

/// The [`relevance`] of a class, [`Relevance::None`] for one too large to
/// parse.
fn capped_relevance(bytes: &[u8]) -> Relevance {
    cap(bytes, relevance(bytes))
}

/// [`survey`] of a class, [`Relevance::None`] for one too large to parse:
/// the pre-filter's one pass over a file read from disk.
pub fn survey_class(bytes: &[u8]) -> (Relevance, bool) {
    let (relevance, secret_like) = survey(bytes);
    (cap(bytes, relevance), secret_like)
}

fn cap(bytes: &[u8], relevance: Relevance) -> Relevance {
    if bytes.len() > MAX_PARSED_BYTES {
        Relevance::None
    } else {
        relevance
    }
}

/// The edit that turns `old` into `new`: everything between their common
/// prefix and common suffix (on character boundaries).
fn input_edit(old: &str, new: &str) -> InputEdit {
    let change = Change::between(old, new).unwrap_or(Change {
        old: old.len()..old.len(),
        new: new.len()..new.len(),
    });
    let (a, b) = (old.as_bytes(), new.as_bytes());
    InputEdit {
        start_byte: change.old.start,
        old_end_byte: change.old.end,
        new_end_byte: change.new.end,
        start_position: point(a, change.old.start),
        old_end_position: point(a, change.old.end),
        new_end_position: point(b, change.new.end),
    }
}

fn point(bytes: &[u8], offset: usize) -> Point {
    let before = &bytes[..offset];
    let row = memchr::memchr_iter(b'\n', before).count();
    let column = offset - memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    Point { row, column }
}

#[cfg(test)]
mod tests;
