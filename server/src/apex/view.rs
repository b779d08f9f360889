//! The typed, read-only view of an Apex file that rules read: string
//! literals (unescaped, with their byte ranges), `+` concatenations of
//! them, method calls with their receiver chains, assignments and
//! comments. It is built from a tree-sitter syntax tree that may contain
//! errors: whatever parsed is in the view, the rest is not.

use std::collections::HashSet;
use std::ops::Range;
use tree_sitter::{Node, Tree};

/// Expressions nested deeper than this (parentheses, concatenations,
/// calls) are kept as [`ExprKind::Other`]: the view is built without
/// unbounded recursion, whatever the input.
const MAX_DEPTH: usize = 48;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApexView {
    /// False when the pre-filter found nothing worth parsing: the view is
    /// then empty, and correct (no rule could report anything).
    pub parsed: bool,
    /// The tree has syntax errors (the view holds what parsed around them).
    pub has_errors: bool,
    /// Every string literal, in no particular order ([`ExprKind::Str`]
    /// indexes it).
    pub strings: Vec<StringLit>,
    /// String-valued expressions that are not part of a bigger one: a lone
    /// literal, or a `+` concatenation holding at least one literal.
    pub values: Vec<Expr>,
    pub calls: Vec<Call>,
    pub assignments: Vec<Assignment>,
    pub comments: Vec<Comment>,
    /// The last assignment of each target name, made on the first
    /// [`ApexView::assigned`] (once the view is built).
    last_assignment: LastAssignment,
}

/// Lower-case target name → index of its last assignment. Part of no
/// comparison: two views are equal by what they hold, whether or not one
/// was asked for a name yet.
#[derive(Clone, Debug, Default)]
struct LastAssignment(std::sync::OnceLock<std::collections::HashMap<String, usize>>);

impl PartialEq for LastAssignment {
    fn eq(&self, _: &LastAssignment) -> bool {
        true
    }
}

impl Eq for LastAssignment {}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringLit {
    /// The literal with its quotes.
    pub range: Range<usize>,
    /// The value, escapes resolved.
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    pub range: Range<usize>,
    pub kind: ExprKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExprKind {
    /// Index into [`ApexView::strings`].
    Str(usize),
    /// `a + b + c`, flattened.
    Concat(Vec<Expr>),
    /// `name` or `a.b.c` (a field access chain), as written.
    Name(Vec<String>),
    /// Index into [`ApexView::calls`].
    Call(usize),
    /// Anything else.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// The whole call expression.
    pub range: Range<usize>,
    /// The method name as written (`setHeader`).
    pub name: String,
    /// The receiver chain, outermost first: `["req"]` for
    /// `req.setHeader(…)`, `["this", "inputHttpHeaders_x"]` for
    /// `this.inputHttpHeaders_x.put(…)`, `["EncodingUtil"]`; a receiver that is
    /// itself a call ends with that call's name and `()`.
    pub receiver: Vec<String>,
    pub args: Vec<Expr>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    /// `endpoint_x`, `this.endpoint_x`, `String auth = …` (the name only);
    /// `pw()` for a `return` of a string value in method `pw`.
    pub target: Vec<String>,
    pub target_range: Range<usize>,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub range: Range<usize>,
    /// Without `//`, or `/*` and `*/`.
    pub body: Range<usize>,
    /// `// …` (ends at the line end) rather than `/* … */`.
    pub line: bool,
}

impl Call {
    /// `setHeader` on anything, ignoring case (Apex names are case-insensitive).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The last element of the receiver chain (`inputHttpHeaders_x`).
    pub fn receiver_last(&self) -> Option<&str> {
        self.receiver.last().map(String::as_str)
    }
}

impl ApexView {
    /// The constant text of `expr`: literals resolved, names resolved to
    /// what they are assigned in this file (the last assignment wins, at
    /// most a few hops), anything else as [`UNKNOWN`].
    pub fn fold(&self, expr: &Expr) -> String {
        let mut out = String::new();
        self.fold_into(expr, &mut out, 0);
        out
    }

    fn fold_into(&self, expr: &Expr, out: &mut String, hops: usize) {
        match &expr.kind {
            ExprKind::Str(i) => out.push_str(&self.strings[*i].value),
            ExprKind::Concat(parts) => {
                for p in parts {
                    self.fold_into(p, out, hops);
                }
            }
            ExprKind::Name(chain) if hops < 4 => match self.assigned(chain) {
                Some(value) => self.fold_into(value, out, hops + 1),
                None => out.push(UNKNOWN),
            },
            _ => out.push(UNKNOWN),
        }
    }

    /// What `chain`'s last name is assigned, last assignment first.
    ///
    /// From an index made once: a search of every assignment per name
    /// made a class of 40,000 assignments take half a minute.
    pub fn assigned(&self, chain: &[String]) -> Option<&Expr> {
        let name = chain.last()?;
        let index = self.last_assignment.0.get_or_init(|| {
            let mut index = std::collections::HashMap::new();
            for (i, a) in self.assignments.iter().enumerate() {
                if let Some(t) = a.target.last() {
                    index.insert(t.to_ascii_lowercase(), i);
                }
            }
            index
        });
        index
            .get(&name.to_ascii_lowercase())
            .map(|&i| &self.assignments[i].value)
    }

    /// The calls made on the value of `expr` or inside it (`EncodingUtil.base64Encode`
    /// in `'Basic ' + EncodingUtil.base64Encode(…)`), following names as [`ApexView::fold`] does.
    pub fn calls_in<'a>(&'a self, expr: &'a Expr) -> Vec<&'a Call> {
        let mut out = Vec::new();
        let mut stack = vec![(expr, 0usize)];
        while let Some((e, hops)) = stack.pop() {
            match &e.kind {
                ExprKind::Call(i) => {
                    let call = &self.calls[*i];
                    out.push(call);
                    stack.extend(call.args.iter().map(|a| (a, hops)));
                }
                ExprKind::Concat(parts) => stack.extend(parts.iter().map(|p| (p, hops))),
                ExprKind::Name(chain) if hops < 4 => {
                    if let Some(v) = self.assigned(chain) {
                        stack.push((v, hops + 1));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The string literal whose range contains `offset`.
    pub fn string_at(&self, offset: usize) -> Option<&StringLit> {
        self.strings
            .iter()
            .find(|s| s.range.start <= offset && offset < s.range.end)
    }
}

/// Stands for a part of a folded value that is not a constant.
pub const UNKNOWN: char = '\u{FFFC}';

/// Nodes whose children are walked one by one, each child a [`Unit`]: the
/// structure of classes and interfaces, never part of an expression.
const CONTAINERS: &[&str] = &[
    "class_declaration",
    "class_body",
    "interface_declaration",
    "interface_body",
];

/// One child of the class structure (a member, a comment, a modifier
/// list) and how many items its walk added to each list of the view, in
/// order: strings, values, calls, assignments, comments. The view is the
/// units' blocks one after the other, so an edit builds again only the
/// units it touched ([`update`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Unit {
    range: Range<usize>,
    kind: u16,
    counts: [usize; 5],
}

/// The units of `tree`, in document order (without recursion).
fn unit_nodes(tree: &Tree) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![tree.root_node()];
    let mut root = true;
    while let Some(node) = stack.pop() {
        if root || CONTAINERS.contains(&node.kind()) {
            root = false;
            let mut c = node.walk();
            let children: Vec<Node> = node.children(&mut c).collect();
            stack.extend(children.into_iter().rev());
        } else {
            out.push(node);
        }
    }
    out
}

/// Builds the view of `text` from its syntax tree, with its units.
pub fn build(tree: &Tree, text: &str) -> (ApexView, Vec<Unit>) {
    let mut b = Builder::new(tree, text);
    let units = unit_nodes(tree).into_iter().map(|n| b.unit(n)).collect();
    (b.view, units)
}

/// The view of `text` from `tree`, a re-parse of the text `old` was built
/// from after one edit (`start`, old end, new end, in bytes), with
/// `changed` the ranges whose syntax changed (`Tree::changed_ranges`):
/// units whose bytes and syntax did not change are moved over from `old`
/// (their ranges shifted), the others are built again. Equal to
/// [`build`]'s.
pub fn update(
    old: (ApexView, Vec<Unit>),
    tree: &Tree,
    text: &str,
    edit: (usize, usize, usize),
    changed: &[Range<usize>],
) -> (ApexView, Vec<Unit>) {
    let (old_view, old_units) = old;
    let Some(mut blocks) = split(old_view, &old_units) else {
        return build(tree, text);
    };
    let (start, old_end, new_end) = edit;
    let mut b = Builder::new(tree, text);
    let mut units = Vec::new();
    let mut next = 0;
    for node in unit_nodes(tree) {
        let r = node.byte_range();
        // Where the unit was, and how far it moved.
        let delta = old_end as isize - new_end as isize;
        let (old_range, by) = if r.end <= start {
            (Some(r.clone()), 0)
        } else if r.start >= new_end {
            let mut or = r.clone();
            shift(&mut or, delta);
            (Some(or), -delta)
        } else {
            (None, 0)
        };
        let untouched = !changed.iter().any(|c| c.start < r.end && r.start < c.end);
        let reuse = old_range.filter(|_| untouched).and_then(|or| {
            while next < old_units.len() && old_units[next].range.start < or.start {
                next += 1;
            }
            let u = old_units.get(next)?;
            (u.range == or && u.kind == node.kind_id()).then_some(next)
        });
        match reuse {
            Some(i) => {
                next += 1;
                let block = std::mem::take(&mut blocks[i]);
                units.push(b.reuse(block, r, node.kind_id(), by));
            }
            None => units.push(b.unit(node)),
        }
    }
    (b.view, units)
}

/// The items of one unit, with where its strings and calls started in
/// the view it came from.
#[derive(Default)]
struct Block {
    strings: Vec<StringLit>,
    values: Vec<Expr>,
    calls: Vec<Call>,
    assignments: Vec<Assignment>,
    comments: Vec<Comment>,
    base: (usize, usize),
}

/// `view` cut into its units' blocks; `None` when the counts do not add up.
fn split(view: ApexView, units: &[Unit]) -> Option<Vec<Block>> {
    let total = |k: usize| units.iter().map(|u| u.counts[k]).sum::<usize>();
    if [
        view.strings.len(),
        view.values.len(),
        view.calls.len(),
        view.assignments.len(),
        view.comments.len(),
    ] != [total(0), total(1), total(2), total(3), total(4)]
    {
        return None;
    }
    let mut strings = view.strings.into_iter();
    let mut values = view.values.into_iter();
    let mut calls = view.calls.into_iter();
    let mut assignments = view.assignments.into_iter();
    let mut comments = view.comments.into_iter();
    let mut base = (0, 0);
    let mut out = Vec::with_capacity(units.len());
    for u in units {
        let [s, v, c, a, m] = u.counts;
        out.push(Block {
            strings: strings.by_ref().take(s).collect(),
            values: values.by_ref().take(v).collect(),
            calls: calls.by_ref().take(c).collect(),
            assignments: assignments.by_ref().take(a).collect(),
            comments: comments.by_ref().take(m).collect(),
            base,
        });
        base = (base.0 + s, base.1 + c);
    }
    Some(out)
}

fn shift(r: &mut Range<usize>, by: isize) {
    r.start = r.start.wrapping_add_signed(by);
    r.end = r.end.wrapping_add_signed(by);
}

/// Moves `e` by `by` bytes and its indexes by `strings` and `calls`.
fn move_expr(e: &mut Expr, by: isize, strings: isize, calls: isize) {
    shift(&mut e.range, by);
    match &mut e.kind {
        ExprKind::Str(i) => *i = i.wrapping_add_signed(strings),
        ExprKind::Call(i) => *i = i.wrapping_add_signed(calls),
        ExprKind::Concat(parts) => {
            for p in parts {
                move_expr(p, by, strings, calls);
            }
        }
        ExprKind::Name(_) | ExprKind::Other => {}
    }
}

struct Builder<'t> {
    text: &'t str,
    /// Nodes already in the view (as part of a bigger expression).
    taken: HashSet<usize>,
    view: ApexView,
}

impl<'t> Builder<'t> {
    fn new(tree: &Tree, text: &'t str) -> Builder<'t> {
        Builder {
            text,
            taken: HashSet::new(),
            view: ApexView {
                parsed: true,
                has_errors: tree.root_node().has_error(),
                ..ApexView::default()
            },
        }
    }

    fn counts(&self) -> [usize; 5] {
        let v = &self.view;
        [
            v.strings.len(),
            v.values.len(),
            v.calls.len(),
            v.assignments.len(),
            v.comments.len(),
        ]
    }

    /// Walks one unit, every node of it without recursion: comments,
    /// literals and the outermost expressions, which `expr` then takes
    /// apart.
    fn unit(&mut self, unit: Node) -> Unit {
        let before = self.counts();
        self.taken.clear();
        let mut cursor = unit.walk();
        'walk: loop {
            let node = cursor.node();
            match node.kind() {
                "line_comment" | "block_comment" => self.comment(node),
                // An expression that no bigger one took apart. Walking on
                // below it finds what sits in its `Other` parts (an array
                // initializer, an anonymous class); what `expr` took is
                // marked and skipped.
                "method_invocation"
                | "binary_expression"
                | "string_literal"
                | "assignment_expression"
                | "variable_declarator"
                    if !self.taken.contains(&node.id()) =>
                {
                    self.top(node)
                }
                "map_key_initializer" if !self.taken.contains(&node.id()) => self.map_entry(node),
                "array_initializer" => self.list_entries(node),
                "return_statement" => self.returned(node),
                _ => {}
            }
            if cursor.goto_first_child() || cursor.goto_next_sibling() {
                continue;
            }
            loop {
                if !cursor.goto_parent() {
                    break 'walk;
                }
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
            }
        }
        self.view.values[before[1]..].sort_by_key(|v| v.range.start);
        let after = self.counts();
        Unit {
            range: unit.byte_range(),
            kind: unit.kind_id(),
            counts: std::array::from_fn(|k| after[k] - before[k]),
        }
    }

    /// Appends a unit of an earlier view, moved by `by` bytes.
    fn reuse(&mut self, block: Block, range: Range<usize>, kind: u16, by: isize) -> Unit {
        let strings = self.view.strings.len() as isize - block.base.0 as isize;
        let calls = self.view.calls.len() as isize - block.base.1 as isize;
        let counts = [
            block.strings.len(),
            block.values.len(),
            block.calls.len(),
            block.assignments.len(),
            block.comments.len(),
        ];
        for mut s in block.strings {
            shift(&mut s.range, by);
            self.view.strings.push(s);
        }
        for mut v in block.values {
            move_expr(&mut v, by, strings, calls);
            self.view.values.push(v);
        }
        for mut c in block.calls {
            shift(&mut c.range, by);
            for a in &mut c.args {
                move_expr(a, by, strings, calls);
            }
            self.view.calls.push(c);
        }
        for mut a in block.assignments {
            shift(&mut a.target_range, by);
            move_expr(&mut a.value, by, strings, calls);
            self.view.assignments.push(a);
        }
        for mut c in block.comments {
            shift(&mut c.range, by);
            shift(&mut c.body, by);
            self.view.comments.push(c);
        }
        Unit {
            range,
            kind,
            counts,
        }
    }

    fn slice(&self, node: Node) -> &str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    fn comment(&mut self, node: Node) {
        let range = node.byte_range();
        let s = self.slice(node);
        let (line, start, end) = if s.starts_with("//") {
            (true, range.start + 2, range.end)
        } else {
            let end = if s.len() >= 4 && s.ends_with("*/") {
                range.end - 2
            } else {
                range.end
            };
            (false, (range.start + 2).min(end), end)
        };
        self.view.comments.push(Comment {
            range,
            body: start..end,
            line,
        });
    }

    /// An expression that no bigger one took apart.
    fn top(&mut self, node: Node) {
        match node.kind() {
            "assignment_expression" => {
                if let (Some(left), Some(right)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) {
                    let value = self.expr(right, 0);
                    self.push_assignment(left, value);
                }
            }
            "variable_declarator" => {
                if let (Some(name), Some(value)) = (
                    node.child_by_field_name("name"),
                    node.child_by_field_name("value"),
                ) {
                    let value = self.expr(value, 0);
                    self.push_assignment(name, value);
                }
            }
            _ => {
                let e = self.expr(node, 0);
                self.push_value(e);
            }
        }
    }

    /// `'key' => value` in `new Map<…>{…}`: read as the `put('key', value)`
    /// it stands for, on what the map is assigned to
    /// (`stub.inputHttpHeaders_x = new Map<String, String>{'Authorization'
    /// => 'Basic ' + …}` is a WSDL2Apex header like `…put(…)`).
    fn map_entry(&mut self, node: Node) {
        let mut c = node.walk();
        let parts: Vec<Node> = node
            .named_children(&mut c)
            .filter(|n| n.kind() != "line_comment" && n.kind() != "block_comment")
            .collect();
        let [key, value] = parts[..] else {
            return;
        };
        let receiver = node
            .parent()
            .and_then(|init| init.parent())
            .filter(|m| m.kind() == "map_creation_expression")
            .and_then(|m| m.parent())
            .and_then(|holder| match holder.kind() {
                "assignment_expression" => holder.child_by_field_name("left"),
                "variable_declarator" => holder.child_by_field_name("name"),
                _ => None,
            })
            .map(|target| self.chain(target, 0))
            .unwrap_or_default();
        let key = self.expr(key, 1);
        let value = self.expr(value, 1);
        self.push_value(key.clone());
        self.push_value(value.clone());
        if let ExprKind::Str(k) = key.kind {
            let entry = element(&receiver, &self.view.strings[k].value);
            self.push_entry(entry, key.range.clone(), value.clone());
        }
        self.view.calls.push(Call {
            range: node.byte_range(),
            name: "put".to_owned(),
            receiver,
            args: vec![key, value],
        });
    }

    /// `new List<String>{'svc', 'PW'}` (or `String[] parts = {…}`)
    /// assigned to `parts`: each element read as an assignment to
    /// `parts[i]`, which `parts[1]` and `parts.get(1)` name (see
    /// [`element`]).
    fn list_entries(&mut self, node: Node) {
        let holder = match node.parent() {
            Some(p) if p.kind() == "array_creation_expression" => p.parent(),
            other => other,
        };
        let Some(target) = holder.and_then(|h| match h.kind() {
            "assignment_expression" => h.child_by_field_name("left"),
            "variable_declarator" => h.child_by_field_name("name"),
            _ => None,
        }) else {
            return;
        };
        let receiver = self.chain(target, 0);
        if receiver.is_empty() {
            return;
        }
        let mut c = node.walk();
        let items: Vec<Node> = node
            .named_children(&mut c)
            .filter(|n| n.kind() != "line_comment" && n.kind() != "block_comment")
            .collect();
        for (i, item) in items.into_iter().enumerate() {
            if self.taken.contains(&item.id()) {
                continue;
            }
            let value = self.expr(item, 1);
            self.push_value(value.clone());
            self.push_entry(element(&receiver, &i.to_string()), item.byte_range(), value);
        }
    }

    /// An element of a collection literal, as an assignment to it.
    fn push_entry(&mut self, target: Vec<String>, target_range: Range<usize>, value: Expr) {
        if value_holds_string(&value) {
            self.view.assignments.push(Assignment {
                target,
                target_range,
                value,
            });
        }
    }

    /// `return <string value>;` in a method `name`: read as an assignment
    /// to `name()` (the receiver chains' spelling of a call), so that
    /// `pw()` folds and resolves like a constant (`static String pw() {
    /// return 'Zq7…'; }`). Other returns are walked as any expression.
    fn returned(&mut self, node: Node) {
        let Some(child) = named_child(node, 0) else {
            return;
        };
        if self.taken.contains(&child.id()) {
            return;
        }
        let mut method = node.parent();
        while let Some(m) = method {
            match m.kind() {
                "method_declaration" => break,
                "lambda_expression" | "class_body" | "constructor_declaration" => {
                    method = None;
                    break;
                }
                _ => method = m.parent(),
            }
        }
        let Some(name) = method.and_then(|m| m.child_by_field_name("name")) else {
            return;
        };
        let value = self.expr(child, 0);
        if value_holds_string(&value) {
            self.view.values.push(value.clone());
            self.view.assignments.push(Assignment {
                target: vec![format!("{}()", self.slice(name))],
                target_range: name.byte_range(),
                value,
            });
        }
    }

    fn push_assignment(&mut self, target: Node, value: Expr) {
        let chain = self.chain(target, 0);
        if value_holds_string(&value) {
            self.view.values.push(value.clone());
        }
        self.view.assignments.push(Assignment {
            target: chain,
            target_range: target.byte_range(),
            value,
        });
    }

    fn push_value(&mut self, e: Expr) {
        if value_holds_string(&e) {
            self.view.values.push(e);
        }
    }

    fn expr(&mut self, node: Node, depth: usize) -> Expr {
        let range = node.byte_range();
        if depth > MAX_DEPTH {
            return Expr {
                range,
                kind: ExprKind::Other,
            };
        }
        self.taken.insert(node.id());
        let kind = match node.kind() {
            "string_literal" => {
                let raw = self.slice(node);
                let value = unescape(raw);
                self.view.strings.push(StringLit {
                    range: range.clone(),
                    value,
                });
                ExprKind::Str(self.view.strings.len() - 1)
            }
            "parenthesized_expression" => match named_child(node, 0) {
                Some(inner) => return self.expr(inner, depth + 1),
                None => ExprKind::Other,
            },
            "binary_expression" if operator(node, self.text) == Some("+") => {
                // Left-nested chains (`a + b + c`) are flattened without
                // recursing on the left side.
                let mut rights = Vec::new();
                let mut left = node;
                while let Some(r) = left.child_by_field_name("right") {
                    rights.push(r);
                    match left.child_by_field_name("left") {
                        Some(l)
                            if l.kind() == "binary_expression"
                                && operator(l, self.text) == Some("+") =>
                        {
                            self.taken.insert(l.id());
                            left = l
                        }
                        Some(l) => {
                            rights.push(l);
                            break;
                        }
                        None => break,
                    }
                }
                let parts = rights
                    .into_iter()
                    .rev()
                    .map(|n| self.expr(n, depth + 1))
                    .collect();
                ExprKind::Concat(parts)
            }
            "identifier" | "field_access" | "this" => {
                let chain = self.chain(node, depth);
                if chain.is_empty() {
                    ExprKind::Other
                } else {
                    ExprKind::Name(chain)
                }
            }
            // `parts[1]`: the element a list literal assigned to `parts`
            // holds (see [`Builder::list_entries`]).
            "array_access" => {
                let chain = node
                    .child_by_field_name("array")
                    .map(|a| self.chain(a, depth))
                    .unwrap_or_default();
                match node.child_by_field_name("index").and_then(|i| self.key(i)) {
                    Some(key) if !chain.is_empty() => ExprKind::Name(element(&chain, &key)),
                    _ => ExprKind::Other,
                }
            }
            "method_invocation" => {
                let call = self.call(node, depth);
                // `parts.get(1)`, `m.get('pwd')`: the element, as
                // `parts[1]` names it; the call stays in the view.
                let entry = (call.is("get") && call.args.len() == 1 && !call.receiver.is_empty())
                    .then(|| node.child_by_field_name("arguments"))
                    .flatten()
                    .and_then(|list| named_child(list, 0))
                    .and_then(|arg| self.key(arg))
                    .map(|key| element(&call.receiver, &key));
                self.view.calls.push(call);
                match entry {
                    Some(chain) => ExprKind::Name(chain),
                    None => ExprKind::Call(self.view.calls.len() - 1),
                }
            }
            "assignment_expression" => {
                if let (Some(left), Some(right)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) {
                    let value = self.expr(right, depth + 1);
                    if value_holds_string(&value) {
                        self.view.values.push(value.clone());
                    }
                    let chain = self.chain(left, depth);
                    self.view.assignments.push(Assignment {
                        target: chain,
                        target_range: left.byte_range(),
                        value: value.clone(),
                    });
                    return value;
                }
                ExprKind::Other
            }
            _ => ExprKind::Other,
        };
        Expr { range, kind }
    }

    fn call(&mut self, node: Node, depth: usize) -> Call {
        let name = node
            .child_by_field_name("name")
            .map(|n| self.slice(n).to_owned())
            .unwrap_or_default();
        let receiver = node
            .child_by_field_name("object")
            .map(|o| self.chain(o, depth))
            .unwrap_or_default();
        let mut args = Vec::new();
        if let Some(list) = node.child_by_field_name("arguments") {
            let mut c = list.walk();
            let children: Vec<Node> = list.named_children(&mut c).collect();
            for a in children {
                if a.kind() == "line_comment" || a.kind() == "block_comment" {
                    continue;
                }
                let e = self.expr(a, depth + 1);
                if value_holds_string(&e) {
                    self.view.values.push(e.clone());
                }
                args.push(e);
            }
        }
        Call {
            range: node.byte_range(),
            name,
            receiver,
            args,
        }
    }

    /// The key an element is read by: an integer (`1`, `1L`) or a string
    /// literal's value.
    fn key(&self, node: Node) -> Option<String> {
        match node.kind() {
            "int" => Some(self.slice(node).trim_end_matches(['l', 'L']).to_owned()),
            "string_literal" => Some(unescape(self.slice(node))),
            _ => None,
        }
    }

    /// `a.b.c` → `["a", "b", "c"]`; a call in the chain adds `name()`.
    fn chain(&self, node: Node, depth: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = Some(node);
        let mut steps = 0;
        while let Some(n) = cur {
            steps += 1;
            if steps + depth > MAX_DEPTH * 4 {
                break;
            }
            match n.kind() {
                "identifier" | "this" | "super" | "type_identifier" => {
                    out.push(self.slice(n).to_owned());
                    cur = None;
                }
                "field_access" => {
                    if let Some(f) = n.child_by_field_name("field") {
                        out.push(self.slice(f).to_owned());
                    }
                    cur = n.child_by_field_name("object");
                }
                "method_invocation" => {
                    if let Some(f) = n.child_by_field_name("name") {
                        out.push(format!("{}()", self.slice(f)));
                    }
                    cur = n.child_by_field_name("object");
                }
                "parenthesized_expression" => cur = named_child(n, 0),
                _ => cur = None,
            }
        }
        out.reverse();
        out
    }
}

/// The name of element `key` of the collection `chain` names: its last
/// name becomes `name[key]` (`parts[1]`, `cfg[pwd]`), how an element of a
/// literal is assigned and looked up.
fn element(chain: &[String], key: &str) -> Vec<String> {
    let mut out = chain.to_vec();
    if let Some(last) = out.last_mut() {
        *last = format!("{last}[{key}]");
    }
    out
}

fn named_child(node: Node, i: usize) -> Option<Node> {
    let mut c = node.walk();
    let found = node
        .named_children(&mut c)
        .filter(|n| n.kind() != "line_comment" && n.kind() != "block_comment")
        .nth(i);
    found
}

fn operator<'t>(node: Node, text: &'t str) -> Option<&'t str> {
    node.child_by_field_name("operator")
        .and_then(|o| text.get(o.byte_range()))
}

fn value_holds_string(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Str(_) => true,
        ExprKind::Concat(parts) => parts.iter().any(value_holds_string),
        _ => false,
    }
}

/// `'it\'s'` → `it's`. Apex escapes: `\n \r \t \b \f \' \" \\ \uXXXX`
/// (and `\_ \%` for SOQL LIKE, kept as written).
pub fn unescape(raw: &str) -> String {
    let inner = raw.strip_prefix('\'').unwrap_or(raw);
    let inner = inner.strip_suffix('\'').unwrap_or(inner);
    if !inner.contains('\\') {
        return inner.to_owned();
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some('r' | 'R') => out.push('\r'),
            Some('t' | 'T') => out.push('\t'),
            Some('b' | 'B') => out.push('\u{8}'),
            Some('f' | 'F') => out.push('\u{c}'),
            Some('u' | 'U') => {
                let hex: String = chars.clone().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == 4 => {
                        out.push(ch);
                        for _ in 0..4 {
                            chars.next();
                        }
                    }
                    _ => out.push('u'),
                }
            }
            Some(c @ ('_' | '%')) => {
                out.push('\\');
                out.push(c);
            }
            Some(c) => out.push(c),
            None => out.push('\\'),
        }
    }
    out
}
