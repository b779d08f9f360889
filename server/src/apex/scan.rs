//! What the view says about Exchange, before the project is consulted:
//! endpoints (URLs and `callout:` strings), `Authorization: Basic` headers,
//! the EWS namespace and operations, and committed client secrets.
//! Only hosts, paths and the EWS namespace count, never names
//! (`ExchangeRateService` is a currency service).

use super::ews::{self, contains_ignore_case, Operation};
use super::{ApexView, Call, Expr, ExprKind, UNKNOWN};
use crate::hosts::{HostClass, UrlInfo};
use crate::secrets::entra_secrets;
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
    if strip_prefix_ci(v, "basic")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_whitespace() || c == UNKNOWN))
    {
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

fn value_strings<'a>(view: &'a ApexView, e: &'a Expr) -> impl Iterator<Item = &'a str> {
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Str(i) => out.push(view.strings[*i].value.as_str()),
            ExprKind::Concat(parts) => stack.extend(parts),
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

/// Basic credentials committed in literals, masked in every output
/// (not reported): the password of a `user:password` literal handed to
/// `Blob.valueOf` (directly or through a variable) in a class that builds
/// a `Basic` header, the token of a literal `'Basic <token>'` or of the
/// literal after `'Basic ' +`, and a literal assigned to a password-named
/// variable, constant or map key. Placeholders, merge fields and empty
/// values are not credentials.
pub fn basic_credentials(view: &ApexView, text: &str) -> Vec<Range<usize>> {
    let credential = |v: &str| {
        let v = v.trim();
        !v.is_empty() && !v.contains("{!") && !v.contains("${") && !is_placeholder(v)
    };
    let inner = |i: usize| {
        let r = &view.strings[i].range;
        r.start + 1..r.end.saturating_sub(1).max(r.start + 1)
    };
    // Offsets into a literal's value, when nothing in it was escaped.
    let part = |i: usize, from: usize| {
        let lit = &view.strings[i];
        let plain = text.get(lit.range.clone()).unwrap_or("").len() == lit.value.len() + 2;
        if plain {
            lit.range.start + 1 + from..lit.range.end - 1
        } else {
            inner(i)
        }
    };
    let mut out = Vec::new();
    let basic_after = |v: &str| {
        strip_prefix_ci(v.trim_start(), "basic")
            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_whitespace()))
            .map(|rest| v.len() - rest.trim_start().len())
    };
    let builds_basic = view.strings.iter().any(|s| basic_after(&s.value).is_some());
    // `'Basic <token>'` in one literal.
    for (i, lit) in view.strings.iter().enumerate() {
        if let Some(at) = basic_after(&lit.value) {
            if credential(&lit.value[at..]) {
                out.push(part(i, at));
            }
        }
    }
    // `'Basic ' + '<token>'`.
    let mut exprs: Vec<&Expr> = view.values.iter().collect();
    exprs.extend(view.calls.iter().flat_map(|c| c.args.iter()));
    exprs.extend(view.assignments.iter().map(|a| &a.value));
    for e in &exprs {
        if let ExprKind::Concat(parts) = &e.kind {
            for w in parts.windows(2) {
                if let (ExprKind::Str(a), ExprKind::Str(b)) = (&w[0].kind, &w[1].kind) {
                    let head = &view.strings[*a].value;
                    if basic_after(&format!("{head}x")).is_some_and(|at| at == head.len())
                        && credential(&view.strings[*b].value)
                    {
                        out.push(inner(*b));
                    }
                }
            }
        }
    }
    // The literal a name is assigned.
    let assigned = |name: &str| {
        view.assignments.iter().find_map(|a| match a.value.kind {
            ExprKind::Str(i)
                if a.target
                    .last()
                    .is_some_and(|t| t.eq_ignore_ascii_case(name)) =>
            {
                Some(i)
            }
            _ => None,
        })
    };
    // `Blob.valueOf('user:password')`.
    if builds_basic {
        for c in view.calls.iter().filter(|c| {
            c.is("valueOf")
                && c.receiver_last()
                    .is_some_and(|r| r.eq_ignore_ascii_case("blob"))
        }) {
            let Some(arg) = c.args.first() else { continue };
            let literal_of = |e: &Expr| match &e.kind {
                ExprKind::Str(i) => Some(*i),
                ExprKind::Name(chain) => chain.last().and_then(|n| assigned(n)),
                _ => None,
            };
            // `'user:pw'`, or the parts of `user + ':' + 'pw'` (and of
            // `user + ':pw'`): what follows the first colon is the password.
            let parts: Vec<&Expr> = match &arg.kind {
                ExprKind::Concat(parts) => parts.iter().collect(),
                _ => vec![arg],
            };
            let mut after_colon = false;
            for e in parts {
                let Some(i) = literal_of(e) else {
                    continue;
                };
                let v = &view.strings[i].value;
                if after_colon {
                    if credential(v) {
                        out.push(inner(i));
                    }
                } else if let Some(colon) = v.find(':') {
                    after_colon = true;
                    if credential(&v[colon + 1..]) {
                        out.push(part(i, colon + 1));
                    }
                }
            }
        }
    }
    // `String password = '…'`, `PASSWORD`, `put('password', '…')`.
    let password_name = |n: &str| {
        let n: String = n
            .chars()
            .filter(|c| *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        n.ends_with("password") || n.ends_with("passwd") || n == "pwd"
    };
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
                HeaderKind::CredentialHeaderValue
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
