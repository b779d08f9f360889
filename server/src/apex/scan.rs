//! What the view says about Exchange, before the project is consulted:
//! endpoints (URLs and `callout:` strings), `Authorization: Basic` headers,
//! the EWS namespace and operations, and committed client secrets.
//! Only hosts, paths and the EWS namespace count, never names
//! (`ExchangeRateService` is a currency service).

use super::ews::{self, contains_ignore_case, Operation};
use super::{ApexView, Call, Expr, ExprKind, UNKNOWN};
use crate::hosts::{HostClass, UrlInfo};
use crate::secrets::entra_secrets;
use std::collections::HashSet;
use std::ops::Range;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// An absolute URL.
    Url(UrlInfo),
    /// `callout:NAME/path`: the named credential holds the host (and
    /// maybe a path). `name` is empty when it is not a constant.
    Callout { name: String, path: String },
    /// `/EWS/…` after a host that is not a constant (`base + '/EWS/…'`).
    EwsPath,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The literal, or the whole concatenation that builds the value.
    pub range: Range<usize>,
    pub target: Target,
    /// Passed to `setEndpoint` or assigned to a WSDL2Apex `endpoint_x`
    /// (directly or through a variable): a callout, not a link.
    pub called: bool,
}

impl Endpoint {
    /// The path part, for `/EWS/` checks.
    pub fn is_ews_path(&self) -> bool {
        match &self.target {
            Target::Url(info) => info.is_ews_path(),
            Target::Callout { path, .. } => is_ews(path),
            Target::EwsPath => true,
        }
    }
}

fn is_ews(path: &str) -> bool {
    let p = path.trim_start_matches(UNKNOWN);
    p.len() >= 4
        // Bytes: the 4th byte may be inside a character (found by the
        // `apex` fuzz target: a path `<p>\u{fffc}` panicked).
        && p.as_bytes()[..4].eq_ignore_ascii_case(b"/ews")
        && matches!(p.as_bytes().get(4), None | Some(b'/' | b'?'))
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &s[prefix.len()..])
}

/// Every value that addresses an endpoint the rules may care about.
pub fn endpoints(view: &ApexView) -> Vec<Endpoint> {
    // Names handed to `setEndpoint`: what they are assigned is called.
    let mut called_names: Vec<&str> = Vec::new();
    let mut called_ranges: Vec<Range<usize>> = Vec::new();
    for call in &view.calls {
        if call.is("setEndpoint") {
            if let Some(arg) = call.args.first() {
                match &arg.kind {
                    ExprKind::Name(chain) => called_names.extend(chain.last().map(String::as_str)),
                    _ => called_ranges.push(arg.range.clone()),
                }
            }
        }
    }
    for a in &view.assignments {
        let Some(last) = a.target.last() else {
            continue;
        };
        if last.eq_ignore_ascii_case("endpoint_x")
            || called_names.iter().any(|n| n.eq_ignore_ascii_case(last))
        {
            called_ranges.push(a.value.range.clone());
        }
    }
    let mut out = Vec::new();
    for value in &view.values {
        let folded = view.fold(value);
        let text = folded.trim();
        let target = if let Some(rest) = strip_prefix_ci(text, "callout:") {
            let end = rest.find(['/', '?', UNKNOWN]).unwrap_or(rest.len());
            Target::Callout {
                name: rest[..end].to_owned(),
                path: rest[end..].to_owned(),
            }
        } else if strip_prefix_ci(text, "https://")
            .or_else(|| strip_prefix_ci(text, "http://"))
            .is_some()
        {
            match UrlInfo::parse(text) {
                Some(info) if info.host.contains(UNKNOWN) => {
                    if is_ews(&info.path) {
                        Target::EwsPath
                    } else {
                        continue;
                    }
                }
                Some(info) if info.class != HostClass::Other => Target::Url(info),
                _ => continue,
            }
        } else if is_ews(text) && text.starts_with(UNKNOWN) {
            // `base + '/EWS/…'`. A path constant alone is not an endpoint:
            // the value that uses it is (folded through the constant).
            Target::EwsPath
        } else {
            continue;
        };
        out.push(Endpoint {
            range: value.range.clone(),
            target,
            called: called_ranges.contains(&value.range),
        });
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderKind {
    /// `'Basic ' + EncodingUtil.base64Encode(…)` or a literal `Basic …`.
    HandBuilt,
    /// The same, put in a WSDL2Apex stub's `inputHttpHeaders_x`.
    Wsdl2Apex,
    /// `{!$Credential.Password}` in the header.
    CredentialPassword,
    /// `{!$Credential.AuthorizationHeaderValue}`: basic when the named
    /// credential authenticates with a password.
    CredentialHeaderValue,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BasicHeader {
    /// The `setHeader(…)` / `put(…)` call.
    pub range: Range<usize>,
    pub kind: HeaderKind,
}

/// `Authorization` headers that carry (or may carry) a user name and password.
pub fn basic_headers(view: &ApexView) -> Vec<BasicHeader> {
    view.calls
        .iter()
        .filter(|c| (c.is("setHeader") || c.is("put")) && c.args.len() == 2)
        .filter(|c| {
            view.fold(&c.args[0])
                .trim()
                .eq_ignore_ascii_case("authorization")
        })
        .filter_map(|c| {
            Some(BasicHeader {
                range: c.range.clone(),
                kind: header_kind(view, c)?,
            })
        })
        .collect()
}

fn header_kind(view: &ApexView, call: &Call) -> Option<HeaderKind> {
    let value = view.fold(&call.args[1]);
    let v = value.trim_start();
    let stub = call.is("put")
        && call
            .receiver_last()
            .is_some_and(|r| r.to_ascii_lowercase().ends_with("inputhttpheaders_x"));
    // A value made by a call (`String.format('Basic {0}', …)`,
    // `('Basic ' + token).trim()`): its first literal says the scheme.
    let made = matches!(call.args[1].kind, ExprKind::Call(_)) && v.starts_with(UNKNOWN);
    let first_literal = || {
        let r = &call.args[1].range;
        view.strings
            .iter()
            .filter(|s| r.start <= s.range.start && s.range.end <= r.end)
            .min_by_key(|s| s.range.start)
            .map(|s| s.value.trim_start().to_owned())
    };
    let scheme = |v: &str| {
        strip_prefix_ci(v, "basic").is_some_and(|rest| {
            rest.starts_with(|c: char| c.is_ascii_whitespace() || c == UNKNOWN || c == '{')
        })
    };
    if scheme(v) || (made && first_literal().is_some_and(|l| scheme(&l))) {
        return Some(if stub {
            HeaderKind::Wsdl2Apex
        } else {
            HeaderKind::HandBuilt
        });
    }
    if contains_ignore_case(v, "$Credential.Password") {
        return Some(HeaderKind::CredentialPassword);
    }
    if contains_ignore_case(v, "$Credential.AuthorizationHeaderValue") {
        return Some(HeaderKind::CredentialHeaderValue);
    }
    None
}

/// Literals in the EWS namespaces, and the EWS operations the file's
/// literals name (only meaningful when the file speaks EWS).
pub fn ews_usage(view: &ApexView) -> (Vec<Range<usize>>, Vec<&'static Operation>) {
    let namespaces: Vec<Range<usize>> = view
        .values
        .iter()
        .filter(|v| value_strings(view, v).any(ews::has_namespace))
        .map(|v| v.range.clone())
        .collect();
    let mut ops = Vec::new();
    for s in &view.strings {
        ews::operations_in(&s.value, &mut ops);
    }
    ops.sort_by_key(|o| ews::OPERATIONS.iter().position(|x| x.name == o.name));
    (namespaces, ops)
}

/// The literals written in `e`, in order (names are not followed).
fn value_strings<'a>(view: &'a ApexView, e: &'a Expr) -> impl Iterator<Item = &'a str> {
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Str(i) => out.push(view.strings[*i].value.as_str()),
            // In order: `'Ba' + 'sic …'` reads `Basic …`.
            ExprKind::Concat(parts) => stack.extend(parts.iter().rev()),
            _ => {}
        }
    }
    out.into_iter()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Secret {
    /// The literal holding it.
    pub literal: Range<usize>,
    /// The secret's own bytes in the file (what outputs mask).
    pub range: Range<usize>,
    /// Its shape is a Microsoft Entra client secret (`…8Q~…`), whatever
    /// the file calls.
    pub entra_shape: bool,
}

/// Client secrets committed in literals: the Entra ID secret shape
/// anywhere, and a `client_secret` value (a form body, an assignment to a
/// `clientSecret` constant, a map entry) that is not a placeholder.
pub fn secrets(view: &ApexView, text: &str, is_placeholder: impl Fn(&str) -> bool) -> Vec<Secret> {
    let mut out: Vec<Secret> = Vec::new();
    let mut push = |s: Secret| {
        if !out.iter().any(|o| o.range == s.range) {
            out.push(s);
        }
    };
    for lit in &view.strings {
        let raw = text.get(lit.range.clone()).unwrap_or("");
        // Offsets into the value are offsets into the literal only when
        // nothing was escaped; otherwise the whole literal is masked.
        let plain = raw.len() == lit.value.len() + 2;
        let inner = lit.range.start + 1..lit.range.end.saturating_sub(1).max(lit.range.start + 1);
        let at = |r: Range<usize>| {
            if plain {
                lit.range.start + 1 + r.start..lit.range.start + 1 + r.end
            } else {
                inner.clone()
            }
        };
        for r in entra_secrets(&lit.value) {
            push(Secret {
                literal: lit.range.clone(),
                range: at(r),
                entra_shape: true,
            });
        }
        // `…&client_secret=VALUE&…` in a form body.
        let lower = lit.value.to_ascii_lowercase();
        for (i, _) in lower.match_indices("client_secret=") {
            let start = i + "client_secret=".len();
            let end = lit.value[start..]
                .find(['&', '\'', '"', ' '])
                .map_or(lit.value.len(), |e| start + e);
            let value = &lit.value[start..end];
            if !value.is_empty() && !is_placeholder(value) {
                push(Secret {
                    literal: lit.range.clone(),
                    range: at(start..end),
                    entra_shape: false,
                });
            }
        }
    }
    // `String CLIENT_SECRET = '…'` and `params.put('client_secret', '…')`.
    let secret_name = |n: &str| {
        let n: String = n
            .chars()
            .filter(|c| *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        n.ends_with("clientsecret")
    };
    let mut named: Vec<&Expr> = view
        .assignments
        .iter()
        .filter(|a| a.target.last().is_some_and(|t| secret_name(t)))
        .map(|a| &a.value)
        .collect();
    named.extend(
        view.calls
            .iter()
            .filter(|c| c.is("put") && c.args.len() == 2 && secret_name(&view.fold(&c.args[0])))
            .map(|c| &c.args[1]),
    );
    for e in named {
        if let ExprKind::Str(i) = e.kind {
            let lit = &view.strings[i];
            let value = lit.value.trim();
            if value.len() >= 8 && !is_placeholder(value) {
                let r =
                    lit.range.start + 1..lit.range.end.saturating_sub(1).max(lit.range.start + 1);
                push(Secret {
                    literal: lit.range.clone(),
                    range: r,
                    entra_shape: false,
                });
            }
        }
    }
    out.sort_by_key(|s| s.range.start);
    out
}

/// The secrets of [`secrets`] that SEC001 reports and outputs mask: an
/// Entra-shaped one anywhere; a `client_secret` value only in a class
/// that talks to a Microsoft host (the rule is about Microsoft secrets).
pub fn microsoft_secrets(view: &ApexView, text: &str) -> Vec<Secret> {
    let mut found = secrets(view, text, is_placeholder);
    let microsoft = view.strings.iter().any(|s| {
        [
            "microsoftonline",
            "graph.microsoft",
            "office365",
            "outlook.",
            "callout:",
        ]
        .iter()
        .any(|h| contains_ignore_case(&s.value, h))
    });
    if !microsoft {
        found.retain(|s| s.entra_shape);
    }
    found
}

/// Basic credentials committed in literals, masked in every output and
/// reported (SEC001) in a class that sends Basic to Exchange:
///
/// - the token of a `Basic <token>` header value, in one literal or
///   split over several (`'Basic ' + 'c3Zj' + 'OlpxN…'`, `'Ba' + 'sic …'`,
///   a long literal wrapped over lines), or one variable, constant or
///   method away (`'Basic ' + t`, `String t = 'c3Zj…';`): every literal
///   holding a part of the token ([`basic_token_ranges`]);
/// - the password of the `user:password` handed to `Blob.valueOf` in a
///   class that builds a `Basic` header: what follows the first colon of
///   the value, through variables, constants and methods that return a
///   constant (`'svc:' + pw()`), and the elements after the first of
///   `String.join(new List<String>{'svc', 'PW'}, ':')`;
/// - a literal assigned to (or returned by) a password-named variable,
///   constant, method or map key ([`password_name`]).
///
/// Placeholders, merge fields and empty values are not credentials.
pub fn basic_credentials(view: &ApexView, text: &str) -> Vec<Range<usize>> {
    let inner = |i: usize| inner_range(&view.strings[i]);
    let mut out = Vec::new();
    let builds_basic = view.strings.iter().any(|s| basic_after(&s.value).is_some());
    // `Basic <token>`, whole or in parts.
    let mut exprs: Vec<&Expr> = view.values.iter().collect();
    exprs.extend(view.calls.iter().flat_map(|c| c.args.iter()));
    exprs.extend(view.assignments.iter().map(|a| &a.value));
    for e in exprs {
        if literals_mention(view, e, "basic") {
            out.extend(basic_token_ranges(view, text, e));
        }
    }
    // `Blob.valueOf('user:password')`.
    if builds_basic {
        for c in view.calls.iter().filter(|c| {
            c.is("valueOf")
                && c.receiver_last()
                    .is_some_and(|r| r.eq_ignore_ascii_case("blob"))
        }) {
            let Some(arg) = c.args.first() else { continue };
            // `String.join(new List<String>{'svc', 'PW'}, ':')`: the
            // elements after the user name.
            if let ExprKind::Call(j) = arg.kind {
                let join = &view.calls[j];
                if join.is("join")
                    && join.args.len() == 2
                    && join
                        .receiver_last()
                        .is_some_and(|r| r.eq_ignore_ascii_case("string"))
                    && view.fold(&join.args[1]).contains(':')
                {
                    // The list written there, or assigned to the name
                    // written there.
                    let list = match &join.args[0].kind {
                        ExprKind::Name(chain) => view.assigned(chain).unwrap_or(&join.args[0]),
                        _ => &join.args[0],
                    };
                    let list = &list.range;
                    let mut elements: Vec<usize> = (0..view.strings.len())
                        .filter(|&i| {
                            let r = &view.strings[i].range;
                            list.start <= r.start && r.end <= list.end
                        })
                        .collect();
                    elements.sort_by_key(|&i| view.strings[i].range.start);
                    for &i in elements.iter().skip(1) {
                        if credential(&view.strings[i].value) {
                            out.push(inner(i));
                        }
                    }
                    continue;
                }
            }
            // `'user:pw'`, `user + ':' + pw`, `USER + ':pw'`, `'svc:' +
            // pw()`: what follows the first colon is the password.
            let p = pieces(view, arg);
            let Some(colon) = p.text.find(':') else {
                continue;
            };
            for (at, lit) in &p.at {
                if lit.is_none() {
                    continue;
                }
                let from = at.start.max(colon + 1);
                if from < at.end && credential(&p.text[from..at.end]) {
                    out.extend(p.file_ranges(view, text, from..at.end));
                }
            }
        }
    }
    // `String password = '…'`, `svcPass`, `getPassword() { return '…'; }`,
    // `put('password', '…')`.
    let mut named: Vec<&Expr> = view
        .assignments
        .iter()
        .filter(|a| a.target.last().is_some_and(|t| password_name(t)))
        .map(|a| &a.value)
        .collect();
    named.extend(
        view.calls
            .iter()
            .filter(|c| c.is("put") && c.args.len() == 2 && password_name(&view.fold(&c.args[0])))
            .map(|c| &c.args[1]),
    );
    for e in named {
        if let ExprKind::Str(i) = e.kind {
            if credential(&view.strings[i].value) {
                out.push(inner(i));
            }
        }
    }
    out.retain(|r| r.end > r.start);
    out.sort_by_key(|r| (r.start, r.end));
    out.dedup();
    out
}

/// Credentials masked in every output but never reported (they are not
/// the Basic credentials SEC001 is about, or not surely an Exchange
/// account's):
///
/// - URL user info split over literals (`'https://svc:' + 'PW' +
///   '@outlook.office365.com/…'`, `'https://svc:PW' + '@host'`): the
///   password part of every literal the folded value's user info covers
///   (user info in one literal is the byte scanner's, [`crate::redact`]);
/// - a literal that is base64 of printable `user:password` text (a
///   ready-made Basic token kept apart from its header).
pub fn other_credentials(view: &ApexView, text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for e in &view.values {
        if matches!(e.kind, ExprKind::Concat(_)) && literals_mention(view, e, "@") {
            let p = pieces(view, e);
            for r in crate::redact::url_userinfo(&p.text) {
                out.extend(p.file_ranges(view, text, r));
            }
        }
    }
    for lit in &view.strings {
        if crate::secrets::basic_token_colon(lit.value.trim()).is_some() {
            out.push(inner_range(lit));
        }
    }
    if view.strings.iter().any(|s| basic_after(&s.value).is_some()) {
        out.extend(unfolded_blob_literals(view));
    }
    out.extend(comment_passwords(view, text));
    out.retain(|r| r.end > r.start);
    out.sort_by_key(|r| (r.start, r.end));
    out.dedup();
    out
}

/// In a class that writes `Basic `: the literals inside a
/// `Blob.valueOf(…)` that [`pieces`] cannot follow (`String.format('{0}:{1}',
/// new List<String>{'svc', 'PW'})`, `'svc:X'.replace('X', 'PW')`, a
/// ternary, `'WP'.reverse()`), any of which may be the password. Format
/// patterns and separators (no letter or digit once `{0}` slots are gone)
/// and e-mail addresses (the user) are left.
fn unfolded_blob_literals(view: &ApexView) -> Vec<Range<usize>> {
    let mut by_start: Vec<(usize, usize)> = view
        .strings
        .iter()
        .enumerate()
        .map(|(i, s)| (s.range.start, i))
        .collect();
    by_start.sort_unstable();
    let mut out = Vec::new();
    for c in view.calls.iter().filter(|c| {
        c.is("valueOf")
            && c.receiver_last()
                .is_some_and(|r| r.eq_ignore_ascii_case("blob"))
    }) {
        let Some(arg) = c.args.first() else { continue };
        // What `basic_credentials` read after the colon of the folded
        // value; without one, nothing was read.
        let p = pieces(view, arg);
        let folded: HashSet<usize> = match p.text.contains(':') {
            true => p.at.iter().filter_map(|(_, l)| *l).collect(),
            false => HashSet::new(),
        };
        for range in reached(view, arg) {
            let first = by_start.partition_point(|&(start, _)| start < range.start);
            for &(start, i) in &by_start[first..] {
                if start >= range.end {
                    break;
                }
                let value = view.strings[i].value.trim();
                if !folded.contains(&i)
                    && credential(value)
                    && !format_pattern(value)
                    && !is_email(value)
                {
                    out.push(inner_range(&view.strings[i]));
                }
            }
        }
    }
    out
}

/// Where the text of `e` is written: its own range, and the values the
/// names in it are assigned (`c` in `Blob.valueOf(c)` after `String c =
/// String.format(…)`), a few hops deep as [`pieces`] follows them.
fn reached(view: &ApexView, e: &Expr) -> Vec<Range<usize>> {
    let mut out = vec![e.range.clone()];
    let mut stack = vec![(e, 0usize)];
    while let Some((e, hops)) = stack.pop() {
        match &e.kind {
            ExprKind::Concat(parts) => stack.extend(parts.iter().map(|p| (p, hops))),
            ExprKind::Name(chain) if hops < 4 => {
                if let Some(v) = view.assigned(chain) {
                    out.push(v.range.clone());
                    stack.push((v, hops + 1));
                }
            }
            _ => {}
        }
    }
    out
}

/// Words for a password: the last word of a password-named variable
/// ([`password_name`]), and the word a comment writes a password after
/// ([`comment_passwords`]).
const PASSWORD_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pw",
    "pass",
    "passphrase",
    "passwort",
    "kennwort",
    "secret",
];

/// A password written in a comment after a word for one (`// svc pw
/// Zq7…`, `/* password: Zq7… */`, `// pwd = Zq7…`, `// pw:Zq7…`): the word
/// after it, separators (`:`, `=`, `-`, `is`) skipped. Masked, never
/// reported: a comment says nothing else of what it holds (fourth
/// adversarial run, D2, on a line a finding shows).
fn comment_passwords(view: &ApexView, text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for c in &view.comments {
        let Some(body) = text.get(c.body.clone()) else {
            continue;
        };
        let words: Vec<(usize, &str)> = body
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - body.as_ptr() as usize, w))
            .collect();
        for (i, &(at, word)) in words.iter().enumerate() {
            let bare = word.trim_start_matches(|c: char| !c.is_alphanumeric());
            let lead = word.len() - bare.len();
            let name_len = bare
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(bare.len());
            if !PASSWORD_WORDS.contains(&bare[..name_len].to_ascii_lowercase().as_str()) {
                continue;
            }
            // `pw:Zq7…`, `pw=Zq7…`: the value in the same word.
            let rest = &bare[name_len..];
            let (value_at, value) = match rest.strip_prefix([':', '=']) {
                Some(v) if !v.is_empty() => (at + lead + name_len + 1, v),
                _ if !rest.is_empty() && rest != ":" && rest != "=" => continue,
                _ => match words[i + 1..].iter().find(|(_, w)| {
                    !matches!(
                        w.to_ascii_lowercase().as_str(),
                        ":" | "=" | "-" | "is" | "was"
                    )
                }) {
                    Some(&(next_at, next)) => (next_at, next),
                    None => continue,
                },
            };
            let value = value.trim_end_matches(['.', ',', ';', ')', '"', '\'']);
            // Not a word of prose (`the password is required`): masked, a
            // value would be searched for in every text of the project.
            let prose = value.chars().all(|c| c.is_ascii_lowercase());
            if value.chars().count() >= 3 && !prose && credential(value) {
                let start = c.body.start + value_at;
                out.push(start..start + value.len());
            }
        }
    }
    out
}

/// No letter or digit once `{0}`-style slots are taken out: `'{0}:{1}'`, `':'`.
fn format_pattern(v: &str) -> bool {
    let mut rest = v;
    let mut plain = String::new();
    while let Some(open) = rest.find('{') {
        plain.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close)
                if rest[open + 1..open + close]
                    .bytes()
                    .all(|b| b.is_ascii_digit()) =>
            {
                rest = &rest[open + close + 1..];
            }
            _ => {
                plain.push('{');
                rest = &rest[open + 1..];
            }
        }
    }
    plain.push_str(rest);
    !plain.chars().any(char::is_alphanumeric)
}

/// `name@domain.tld`, nothing else: the user of `user:password`.
fn is_email(v: &str) -> bool {
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && v.chars()
            .all(|c| c.is_alphanumeric() || "@.-_+".contains(c))
}

/// A value that may be a credential: not empty, no merge field, no
/// placeholder.
fn credential(v: &str) -> bool {
    let v = v.trim();
    !v.is_empty() && !v.contains("{!") && !v.contains("${") && !is_placeholder(v)
}

/// A literal's value, without its quotes.
fn inner_range(lit: &super::StringLit) -> Range<usize> {
    let r = &lit.range;
    r.start + 1..r.end.saturating_sub(1).max(r.start + 1)
}

/// Where the token of `Basic <token>` starts in `v`.
fn basic_after(v: &str) -> Option<usize> {
    strip_prefix_ci(v.trim_start(), "basic")
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_whitespace()))
        .map(|rest| v.len() - rest.trim_start().len())
}

/// Whether the literals written in `e` (not followed through names),
/// joined, contain `needle` (ASCII, any case): a cheap test before
/// [`pieces`].
fn literals_mention(view: &ApexView, e: &Expr, needle: &str) -> bool {
    let joined: String = value_strings(view, e).collect::<Vec<_>>().concat();
    contains_ignore_case(&joined, needle)
}

/// The token of a `Basic <token>` value (the scheme first, as in a
/// header), built by any concatenation: each part of it in the file. The
/// token runs over base64 and base64url characters; a part that is no
/// constant ends it.
fn basic_token_ranges(view: &ApexView, text: &str, e: &Expr) -> Vec<Range<usize>> {
    let p = pieces(view, e);
    let Some(start) = basic_after(&p.text) else {
        return Vec::new();
    };
    let end = p.text[start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || "+/=-_".contains(c)))
        .map_or(p.text.len(), |e| start + e);
    if end == start || !credential(&p.text[start..end]) {
        return Vec::new();
    }
    p.file_ranges(view, text, start..end)
}

/// A value's constant text and where each piece of it comes from: the
/// literals of a concatenation, followed through names (as
/// [`ApexView::fold`] does) and zero-argument calls of methods that
/// return a constant (`pw()`, read as an assignment to `pw()`).
struct Pieces {
    text: String,
    /// Each piece's range in `text` and its literal; `None` for a part
    /// that is no constant (one [`UNKNOWN`]).
    at: Vec<(Range<usize>, Option<usize>)>,
}

fn pieces(view: &ApexView, e: &Expr) -> Pieces {
    let mut p = Pieces {
        text: String::new(),
        at: Vec::new(),
    };
    let mut stack = vec![(e, 0usize)];
    while let Some((e, hops)) = stack.pop() {
        let next = match &e.kind {
            ExprKind::Str(i) => {
                let from = p.text.len();
                p.text.push_str(&view.strings[*i].value);
                p.at.push((from..p.text.len(), Some(*i)));
                continue;
            }
            ExprKind::Concat(parts) => {
                stack.extend(parts.iter().rev().map(|x| (x, hops)));
                continue;
            }
            ExprKind::Name(chain) if hops < 4 => view.assigned(chain),
            ExprKind::Call(i) if hops < 4 => {
                let call = &view.calls[*i];
                let own = call.receiver.is_empty()
                    || (call.receiver.len() == 1 && call.receiver[0].eq_ignore_ascii_case("this"));
                if own && call.args.is_empty() {
                    view.assigned(&[format!("{}()", call.name)])
                } else {
                    None
                }
            }
            _ => None,
        };
        match next {
            Some(v) => stack.push((v, hops + 1)),
            None => {
                let from = p.text.len();
                p.text.push(UNKNOWN);
                p.at.push((from..p.text.len(), None));
            }
        }
    }
    p
}

impl Pieces {
    /// The bytes of the file that `r` (a range of [`Pieces::text`])
    /// comes from: the part of each literal it covers, or the literal's
    /// whole value when something in it was escaped.
    fn file_ranges(&self, view: &ApexView, text: &str, r: Range<usize>) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        // The pieces are in order: start at the first that ends after
        // `r.start` (a scan from the first made a value of 80,000 pieces
        // quadratic).
        let first = self.at.partition_point(|(at, _)| at.end <= r.start);
        for (at, lit) in &self.at[first..] {
            if at.start >= r.end {
                break;
            }
            let Some(i) = *lit else { continue };
            let (from, to) = (at.start.max(r.start), at.end.min(r.end));
            if from >= to {
                continue;
            }
            let lit = &view.strings[i];
            let plain = text.get(lit.range.clone()).unwrap_or("").len() == lit.value.len() + 2;
            out.push(if plain {
                let base = lit.range.start + 1 - at.start;
                base + from..base + to
            } else {
                inner_range(lit)
            });
        }
        out
    }
}

/// Named like a password: the name (without `_`, any case) ends with
/// `password` or `passwd`, or its last word (camelCase or snake_case) is
/// one of [`PASSWORD_WORDS`] (`svcPass`, `SVC_PW`, `secret`,
/// `KENNWORT`); a method's `()` is left out
/// (`getPassword()`). `bypass`, `compass`, `passenger` and `secretName`
/// are not.
fn password_name(name: &str) -> bool {
    let name = name.strip_suffix("()").unwrap_or(name);
    let joined: String = name
        .chars()
        .filter(|c| *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    if joined.ends_with("password") || joined.ends_with("passwd") {
        return true;
    }
    // The last word: after the last `_`, or from the last lower-to-upper
    // step (`svcPass`), or the trailing upper-case run (`svcPWD`).
    let last = name.trim_end_matches(|c: char| c == '_' || c.is_ascii_digit());
    let last = last.rsplit('_').next().unwrap_or(last);
    let b = last.as_bytes();
    let mut from = 0;
    for k in 1..b.len() {
        if b[k].is_ascii_uppercase() && b[k - 1].is_ascii_lowercase() {
            from = k;
        }
    }
    let word = last[from..].to_ascii_lowercase();
    PASSWORD_WORDS.contains(&word.as_str())
}

/// Not a secret (RULES.md, "Placeholders are not secrets"): the one
/// classifier every secret check uses.
fn is_placeholder(value: &str) -> bool {
    !crate::secrets::classify(value).is_secret()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apex::ApexSource;

    fn no_placeholder(_: &str) -> bool {
        false
    }

    #[test]
    fn endpoints_and_links() {
        let text = r#"public class C {
            String base = 'https://outlook.office365.com';
            void m() {
                req.setEndpoint(base + '/EWS/Exchange.asmx');
                req.setEndpoint('callout:Exchange_Online/EWS/Exchange.asmx');
                req.setEndpoint('callout:' + nc + '/ews/exchange.asmx');
                String compose = 'https://outlook.office.com/calendar/0/deeplink/compose?subject=' + s;
                String rates = 'https://api.exchangerate.host/latest';
                req.setEndpoint(host + '/EWS/Exchange.asmx');
                String path = '/EWS/Exchange.asmx';
            }
        }"#;
        let source = ApexSource::parse(text);
        let found: Vec<(&str, bool, bool)> = endpoints(source.view())
            .iter()
            .map(|e| (&text[e.range.clone()], e.is_ews_path(), e.called))
            .collect();
        assert_eq!(
            found,
            [
                ("'https://outlook.office365.com'", false, false),
                ("base + '/EWS/Exchange.asmx'", true, true),
                ("'callout:Exchange_Online/EWS/Exchange.asmx'", true, true),
                ("'callout:' + nc + '/ews/exchange.asmx'", true, true),
                (
                    "'https://outlook.office.com/calendar/0/deeplink/compose?subject=' + s",
                    false,
                    false
                ),
                ("host + '/EWS/Exchange.asmx'", true, true),
            ]
        );
        let e = endpoints(source.view());
        assert_eq!(
            e[2].target,
            Target::Callout {
                name: "Exchange_Online".into(),
                path: "/EWS/Exchange.asmx".into()
            }
        );
        assert_eq!(
            e[3].target,
            Target::Callout {
                name: String::new(),
                path: format!("{UNKNOWN}/ews/exchange.asmx")
            }
        );
        assert_eq!(e[5].target, Target::EwsPath);
    }

    #[test]
    fn basic_headers_of_every_kind() {
        let text = r#"public class C {
            void m(String u, String p) {
                String auth = 'Basic ' + EncodingUtil.base64Encode(Blob.valueOf(u + ':' + p));
                req.setHeader('Authorization', auth);
                req.setHeader('authorization', 'Bearer ' + token);
                stub.inputHttpHeaders_x.put('Authorization', 'BASIC ' + creds);
                req.setHeader('Authorization', 'Basic\t' + creds);
                stub.inputHttpHeaders_x = new Map<String, String>{
                    'Authorization' => 'Basic ' + EncodingUtil.base64Encode(Blob.valueOf(u + ':' + p)),
                    'X-AnchorMailbox' => u
                };
                req.setHeader('Authorization', 'Basic {!$Credential.UserName}:{!$Credential.Password}');
                req.setHeader('Authorization', '{!$Credential.AuthorizationHeaderValue}');
                req.setHeader('X-AnchorMailbox', 'Basic x');
                req.setHeader('Authorization', String.format('Basic {0}', new List<String>{token}));
                req.setHeader('Authorization', ('Basic ' + token).trim());
                req.setHeader('Authorization', String.format('Bearer {0}', new List<String>{token}));
            }
        }"#;
        let source = ApexSource::parse(text);
        let kinds: Vec<HeaderKind> = basic_headers(source.view())
            .iter()
            .map(|h| h.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                HeaderKind::HandBuilt,
                HeaderKind::Wsdl2Apex,
                HeaderKind::HandBuilt,
                HeaderKind::Wsdl2Apex,
                HeaderKind::HandBuilt,
                HeaderKind::CredentialHeaderValue,
                HeaderKind::HandBuilt,
                HeaderKind::HandBuilt,
            ]
        );
    }

    #[test]
    fn secrets_by_shape_and_by_name() {
        let text = "public class C {\n  static final String CLIENT_SECRET = 'abc8Q~0123456789abcdefghijABCDEFGHIJ.-_xy';\n  String clientSecret = '${ENTRA_SECRET}';\n  String body = 'grant_type=client_credentials&client_secret=s3cr3tValue&scope=x';\n  String other = 'token=' + x;\n  String id = '0000Q~short';\n}\n";
        let source = ApexSource::parse(text);
        let placeholder = |v: &str| v.starts_with("${");
        let found: Vec<&str> = secrets(source.view(), text, placeholder)
            .iter()
            .map(|s| &text[s.range.clone()])
            .collect();
        assert_eq!(
            found,
            ["abc8Q~0123456789abcdefghijABCDEFGHIJ.-_xy", "s3cr3tValue"]
        );
        assert!(secrets(source.view(), text, no_placeholder)
            .iter()
            .any(|s| &text[s.range.clone()] == "${ENTRA_SECRET}"));
    }

    #[test]
    fn basic_credentials_are_masked_and_placeholders_are_not() {
        let text = "public class C {\n  private static final String PASSWORD = 'Zq1Const!';\n  String password = '';\n  String pw2Password = 'changeme';\n  String userPassword = '${PW}';\n  String apiPassword = Label.X;\n  String mergePassword = '{!$Credential.Password}';\n  void m() {\n    req.setEndpoint('https://outlook.office365.com/EWS/Exchange.asmx');\n    Blob headerValue = Blob.valueOf('svc@contoso.com:Zq2Blob!');\n    req.setHeader('Authorization', 'Basic ' + EncodingUtil.base64Encode(headerValue));\n    req.setHeader('Authorization', 'Basic ' + 'c3ZjOlpxM0NvbmNhdA==');\n    req.setHeader('Authorization', 'Basic c3ZjOlpxNFNpbmdsZQ==');\n    creds.put('password', 'Zq5Map');\n    creds.put('Password', '');\n  }\n}\n";
        let source = ApexSource::parse(text);
        let found: Vec<&str> = basic_credentials(source.view(), text)
            .iter()
            .map(|r| &text[r.clone()])
            .collect();
        assert_eq!(
            found,
            [
                "Zq1Const!",
                "Zq2Blob!",
                "c3ZjOlpxM0NvbmNhdA==",
                "c3ZjOlpxNFNpbmdsZQ==",
                "Zq5Map"
            ]
        );
    }

    #[test]
    fn basic_credentials_after_the_colon_of_a_concatenation() {
        let text = "public class C {\n  static final String USER = 'svc@contoso.com';\n  static final String SECRET = 'Zq6Const';\n  void m(String u) {\n    req.setHeader('Authorization', 'Basic ' + EncodingUtil.base64Encode(Blob.valueOf(u + ':' + 'Zq7Part')));\n    Blob a = Blob.valueOf(USER + ':Zq8Tail');\n    Blob b = Blob.valueOf(USER + ':' + SECRET);\n    Blob c = Blob.valueOf(u + ':' + p);\n    Blob d = Blob.valueOf('Bearer' + u);\n  }\n}\n";
        let source = ApexSource::parse_as(text, crate::apex::Relevance::Strong);
        let found: Vec<&str> = basic_credentials(source.view(), text)
            .iter()
            .map(|r| &text[r.clone()])
            .collect();
        assert_eq!(found, ["Zq6Const", "Zq7Part", "Zq8Tail"]);
    }

    fn masked(text: &str, f: fn(&ApexView, &str) -> Vec<Range<usize>>) -> Vec<&str> {
        let source = ApexSource::parse_as(text, crate::apex::Relevance::Strong);
        f(source.view(), text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn a_basic_token_one_name_away_is_masked() {
        let text = "public class C {\n  static final String TOKEN = 'c3ZjOlpxMUNvbnN0';\n  static String token() { return 'c3ZjOlpxMk1ldGhvZA=='; }\n  void m() {\n    String t = 'c3ZjQGNvbnRvc28uY29tOlpxM1Zhcg=='; req.setHeader('Authorization', 'Basic ' + t);\n    String h = 'Basic ' + TOKEN; req.setHeader('Authorization', h);\n    req.setHeader('Authorization', 'Basic ' + token());\n    String u = UserInfo.getName(); req.setHeader('Authorization', 'Basic ' + u);\n  }\n}\n";
        assert_eq!(
            masked(text, basic_credentials),
            [
                "c3ZjOlpxMUNvbnN0",
                "c3ZjOlpxMk1ldGhvZA==",
                "c3ZjQGNvbnRvc28uY29tOlpxM1Zhcg=="
            ]
        );
    }

    #[test]
    fn every_part_of_a_split_basic_token_is_masked() {
        let text = "public class C {\n  void m() {\n    req.setHeader('Authorization', 'Basic ' + 'c3ZjQGNvbnRv' + 'c28uY29tOlpxMQ==');\n    r2.setHeader('Authorization', 'Ba' + 'sic c3ZjOlpxMlNwbGl0');\n    r3.setHeader('Authorization', 'Basic c3ZjQGNvbnRvc28uY29t'\n        + 'OlpxM1dyYXBwZWQ=');\n    r4.setHeader('Authorization', 'Basic ' + EncodingUtil.base64Encode(b) + 'x');\n    r5.setHeader('Authorization', 'Basic {!$Credential.UserName}');\n  }\n}\n";
        assert_eq!(
            masked(text, basic_credentials),
            [
                "c3ZjQGNvbnRv",
                "c28uY29tOlpxMQ==",
                "c3ZjOlpxMlNwbGl0",
                "c3ZjQGNvbnRvc28uY29t",
                "OlpxM1dyYXBwZWQ="
            ]
        );
    }

    #[test]
    fn url_user_info_split_over_literals_is_masked() {
        let text = "public class C {\n  static final String PW = 'Zq3Const';\n  void m() {\n    req.setEndpoint('https://svc:' + 'Zq1Middle' + '@outlook.office365.com/EWS/Exchange.asmx');\n    r2.setEndpoint('https://svc:Zq2Head' + '@outlook.office365.com/EWS/Exchange.asmx');\n    r3.setEndpoint('https://svc:' + PW + '@outlook.office365.com/EWS/Exchange.asmx');\n    r4.setEndpoint('https://' + u + ':' + p + '@outlook.office365.com/EWS/Exchange.asmx');\n    String note = 'Mail: ' + name + '@contoso.com';\n  }\n}\n";
        assert_eq!(
            masked(text, other_credentials),
            ["Zq3Const", "Zq1Middle", "Zq2Head"]
        );
    }

    #[test]
    fn a_literal_that_is_base64_of_user_and_password_is_masked() {
        let text = "public class C {\n  void m() {\n    String t = 'c3ZjQGNvbnRvc28uY29tOlpxN1NFQ1JFVGMxMjA='; req.setHeader('X-Old', t);\n    String id = 'SGVsbG8gV29ybGQh';\n    String word = 'Administrator';\n  }\n}\n";
        assert_eq!(
            masked(text, other_credentials),
            ["c3ZjQGNvbnRvc28uY29tOlpxN1NFQ1JFVGMxMjA="]
        );
    }

    #[test]
    fn passwords_under_other_names_are_masked() {
        let text = "public class C {\n  static String pw() { return 'Zq1Method'; }\n  String getPassword() { return 'Zq2Getter'; }\n  static final String svcPass = 'Zq3SvcPass';\n  static final String secret = 'Zq4Secret';\n  static final String pw = 'Zq5Pw';\n  static final String SVC_PWD = 'Zq6Pwd';\n  String bypass = 'Zz1Bypass'; String compass = 'Zz2Compass'; String passenger = 'Zz3Passenger'; String secretName = 'Zz4Name';\n  static String ep() { return 'https://outlook.office365.com/EWS/Exchange.asmx'; }\n  void m() {\n    req.setHeader('Authorization', 'Basic ' + EncodingUtil.base64Encode(Blob.valueOf('svc@contoso.com:' + pw())));\n    Blob b = Blob.valueOf(String.join(new List<String>{'svc@contoso.com', 'Zq7Join'}, ':'));\n    Blob c = Blob.valueOf(String.join(new List<String>{'a', 'b'}, ','));\n  }\n}\n";
        assert_eq!(
            masked(text, basic_credentials),
            [
                "Zq1Method",
                "Zq2Getter",
                "Zq3SvcPass",
                "Zq4Secret",
                "Zq5Pw",
                "Zq6Pwd",
                "Zq7Join"
            ]
        );
    }

    #[test]
    fn passwords_held_in_collections_are_masked() {
        let text = "public class C {\n  static final List<String> PARTS = new List<String>{'svc@contoso.com', 'Zq1List'};\n  static final String[] ARR = new String[]{'svc', 'Zq2Array'};\n  static final Map<String, String> CFG = new Map<String, String>{'u' => 'svc', 'p' => 'Zq3Map'};\n  void m() {\n    List<String> both = new List<String>{'svc', 'Zq4Join'};\n    List<String> other = new List<String>{'Zz1', 'Zz2'};\n    Map<String, String> labels = new Map<String, String>{'k' => 'Zz3'};\n    req.setHeader('Authorization', 'Basic ' + EncodingUtil.base64Encode(Blob.valueOf(PARTS[0] + ':' + PARTS[1])));\n    Blob a = Blob.valueOf(ARR.get(0) + ':' + ARR.get(1L));\n    Blob b = Blob.valueOf(CFG.get('u') + ':' + CFG.get('p'));\n    Blob c = Blob.valueOf(String.join(both, ':'));\n    Blob d = Blob.valueOf(other[0] + ',' + labels.get('k'));\n  }\n}\n";
        assert_eq!(
            masked(text, basic_credentials),
            ["Zq1List", "Zq2Array", "Zq3Map", "Zq4Join"]
        );
    }

    #[test]
    fn passwords_written_in_comments_are_masked() {
        let text = "public class C {\n  // svc pw Zq1Pw\n  /* password: Zq2Colon. */\n  // pwd = Zq3Eq\n  // Pw:Zq4Joined\n  // the password is Zq5Is\n  // bypass Zz1 compass Zz2 passenger Zz3\n  // password\n  // the password is required\n}\n";
        assert_eq!(
            masked(text, other_credentials),
            ["Zq1Pw", "Zq2Colon", "Zq3Eq", "Zq4Joined", "Zq5Is"]
        );
    }

    #[test]
    fn password_names_are_whole_words() {
        for n in [
            "password",
            "PASSWORD",
            "userPassword",
            "svc_passwd",
            "PWD",
            "pw",
            "svcPass",
            "SVC_PASS",
            "secret",
            "apiSecret",
            "svcPW",
            "getPassword()",
            "pass2",
        ] {
            assert!(password_name(n), "{n}");
        }
        for n in [
            "bypass",
            "compass",
            "passenger",
            "secretName",
            "isPassed",
            "pwReset",
            "passport",
            "ep()",
        ] {
            assert!(!password_name(n), "{n}");
        }
    }

    #[test]
    fn ews_namespace_and_operations() {
        let text = r#"public class C {
            String b = '<soap:Body><m:GetUserAvailabilityRequest/><m:ResolveNames ReturnFullContactData="true">'
                + '</m:ResolveNames></soap:Body>';
            String ns = 'http://schemas.microsoft.com/exchange/services/2006/messages';
            String a = 'FindItem';
        }"#;
        let source = ApexSource::parse(text);
        let (ns, ops) = ews_usage(source.view());
        assert_eq!(ns.len(), 1);
        let names: Vec<&str> = ops.iter().map(|o| o.name).collect();
        assert_eq!(names, ["FindItem", "ResolveNames"]);
    }
}

#[cfg(test)]
mod is_ews_tests {
    #[test]
    fn a_path_with_a_character_across_byte_4_is_not_a_panic() {
        assert!(!super::is_ews("<p>\u{fffc}"));
        assert!(!super::is_ews("/e\u{e9}s/x"));
        assert!(super::is_ews("/EWS/Exchange.asmx"));
        assert!(super::is_ews("/ews"));
    }
}
