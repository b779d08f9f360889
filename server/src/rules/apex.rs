//! Apex findings of EXO001, EXO002 and SEC001 (RULES.md, "Changes of
//! 2026-12-01"): the view's endpoints resolved against the project (a
//! `callout:NAME` through its named credential, a host-less EWS path
//! through the project's Exchange fact), and the cross-file evidence
//! between named credentials and the classes that call them.

use super::lightning_sync::{basic_auth_status, basic_auth_to, ews_problem};
use super::rule::{headed, Context, Rule};
use crate::apex::ews::Operation;
use crate::apex::scan::{Endpoint, HeaderKind, Target};
use crate::diagnostic::{Finding, Related};
use crate::facts::{Auth, Loc};
use crate::hosts::{Cloud, HostClass, UrlInfo};
use crate::metadata::MetadataKind;
use crate::project::config::Exchange;
use crate::source::FileId;
use crate::tr;
use std::ops::Range;

/// Where an Apex endpoint leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    Online(Cloud),
    OnPremises,
    NotExchange,
    /// EWS, but the host is not in the project (a host-less path, a named
    /// credential the project does not have) and the project does not say
    /// where its mailboxes are.
    Unknown,
}

impl Reach {
    fn may_be_online(self) -> bool {
        matches!(self, Reach::Online(_) | Reach::Unknown)
    }
}

/// An endpoint of a class, resolved.
pub struct Resolved {
    pub endpoint: Endpoint,
    pub reach: Reach,
    pub ews: bool,
    /// The host, when known.
    pub host: Option<String>,
    /// The named credential a `callout:` goes through, and its URL element.
    pub credential: Option<(FileId, Option<Loc>)>,
}

/// What one class or trigger does with Exchange.
pub struct ApexExchange {
    pub file: FileId,
    pub endpoints: Vec<Resolved>,
    pub namespaces: Vec<Range<usize>>,
    pub operations: Vec<&'static Operation>,
}

impl ApexExchange {
    /// The class speaks EWS (an EWS path or the EWS namespace).
    fn speaks_ews(&self) -> bool {
        !self.namespaces.is_empty() || self.endpoints.iter().any(|e| e.ews)
    }
}

/// The Exchange fact, for endpoints whose host the class does not show.
fn project_reach(ctx: &Context) -> Reach {
    match ctx.facts.exchange.as_ref().map(|k| k.value()) {
        Some(Exchange::Online(cloud)) => Reach::Online(cloud),
        Some(Exchange::OnPremises) => Reach::OnPremises,
        // Declared `none`: the org's mail is not on Exchange.
        Some(Exchange::NotExchange) => Reach::NotExchange,
        None => Reach::Unknown,
    }
}

fn reach_of(class: HostClass) -> Reach {
    match class {
        HostClass::OnPremisesExchange => Reach::OnPremises,
        c => c
            .exchange_online()
            .map_or(Reach::NotExchange, Reach::Online),
    }
}

/// The named credential file called `name` (API names ignore case).
pub fn credential_named(ctx: &Context, name: &str) -> Option<FileId> {
    ctx.project.files.iter().position(|f| {
        f.kind == MetadataKind::NamedCredential && f.api_name().eq_ignore_ascii_case(name)
    })
}

/// Every Apex file that does something with Exchange, resolved.
pub fn analyse(ctx: &Context) -> Vec<ApexExchange> {
    let fallback = project_reach(ctx);
    let mut out = Vec::new();
    for (file, source) in ctx.project.files.iter().enumerate() {
        let Some(apex) = source.apex_source().filter(|a| a.view().parsed) else {
            continue;
        };
        let mut endpoints = Vec::new();
        for endpoint in apex.endpoints().iter().cloned() {
            let (reach, ews, host, credential) = match &endpoint.target {
                Target::Url(info) => (
                    reach_of(info.class),
                    info.is_ews_path(),
                    Some(info.host.clone()),
                    None,
                ),
                Target::EwsPath => (fallback, true, None, None),
                Target::Callout { name, path } => {
                    let nc = (!name.is_empty())
                        .then(|| credential_named(ctx, name))
                        .flatten();
                    let url = nc
                        .and_then(|id| ctx.facts.credentials.iter().find(|c| c.file == id))
                        .and_then(|c| c.url.clone());
                    match &url {
                        Some((_, info)) => {
                            let joined = format!(
                                "https://{}{}{}",
                                info.host,
                                info.path.trim_end_matches('/'),
                                path
                            );
                            let full = UrlInfo::parse(&joined);
                            let ews = endpoint.is_ews_path() || info.is_ews_path();
                            let class = full.map_or(info.class, |f| f.class);
                            (
                                reach_of(class),
                                ews,
                                Some(info.host.clone()),
                                nc.map(|id| (id, url.as_ref().map(|(l, _)| l.clone()))),
                            )
                        }
                        None => (
                            fallback,
                            endpoint.is_ews_path(),
                            None,
                            nc.map(|id| (id, None)),
                        ),
                    }
                }
            };
            endpoints.push(Resolved {
                endpoint,
                reach,
                ews,
                host,
                credential,
            });
        }
        let (namespaces, operations) = apex.ews_usage();
        let found = ApexExchange {
            file,
            endpoints,
            namespaces: namespaces.to_vec(),
            operations: operations.to_vec(),
        };
        if !found.endpoints.is_empty() || !found.namespaces.is_empty() {
            out.push(found);
        }
    }
    out
}

/// The graph host for a reach (the commercial one when the cloud is unknown).
fn graph_host(reach: Reach) -> &'static str {
    match reach {
        Reach::Online(cloud) => cloud.graph_host(),
        _ => Cloud::Commercial.graph_host(),
    }
}

fn operations_sentence(ctx: &Context, ops: &[&Operation]) -> String {
    if ops.is_empty() {
        return String::new();
    }
    let list = ops
        .iter()
        .map(|o| format!("{} → {}", o.name, o.graph))
        .collect::<Vec<_>>()
        .join("; ");
    tr!(
        ctx.lang,
        " EWS operations here and their Microsoft Graph equivalents: {list}.",
        " ここで使われている EWS 操作と対応する Microsoft Graph: {list}。"
    )
}

/// `on outlook.office365.com`, `through named credential "X"`, or nothing.
fn target_phrase(ctx: &Context, e: &Resolved) -> String {
    let lang = ctx.lang;
    match (&e.credential, &e.host) {
        (Some((nc, _)), Some(host)) => {
            let nc = ctx.object_name(*nc);
            tr!(lang, " on {host} through {nc}", "（{nc} 経由で {host}）")
        }
        (Some((nc, _)), None) => {
            let nc = ctx.object_name(*nc);
            tr!(lang, " through {nc}", "（{nc} 経由）")
        }
        (None, Some(host)) => tr!(lang, " on {host}", "（{host}）"),
        (None, None) => String::new(),
    }
}

fn credential_related(ctx: &Context, e: &Resolved) -> Option<Related> {
    let (nc, url) = e.credential.as_ref()?;
    let (file, range) = match url {
        Some(loc) => (loc.file, loc.range.clone()),
        None => (*nc, 0..0),
    };
    let name = ctx.object_name(*nc);
    Some(Related {
        file,
        range,
        message: tr!(
            ctx.lang,
            "the callout goes through {name}",
            "このコールアウトは {name} を経由"
        ),
    })
}

/// EXO002 in Apex: each EWS endpoint literal or `callout:` string that may
/// be Exchange Online; a class that builds EWS SOAP without showing its
/// endpoint gets it on its first EWS namespace literal.
pub fn ews_findings(ctx: &Context, rule: &Rule, out: &mut Vec<Finding>) {
    let lang = ctx.lang;
    let (problem, status) = ews_problem(ctx.as_of, ctx.lang);
    for class in analyse(ctx) {
        let object = ctx.object_name(class.file);
        let ops = operations_sentence(ctx, &class.operations);
        let mut reported = false;
        let mut on_premises = false;
        for e in class.endpoints.iter().filter(|e| e.ews) {
            if !e.reach.may_be_online() {
                on_premises |= e.reach == Reach::OnPremises;
                continue;
            }
            let graph = graph_host(e.reach);
            let target = target_phrase(ctx, e);
            let detail = tr!(lang,
                "{object} calls Exchange Web Services{target}.{status}{ops} Rewrite the callout for Microsoft Graph ({graph}) with OAuth 2.0.",
                "{object} は Exchange Web Services を呼び出しています{target}。{status}{ops}Microsoft Graph（{graph}）と OAuth 2.0 で書き直してください。");
            let message = headed(lang, &problem, &detail);
            let mut f = ctx.finding(rule, class.file, e.endpoint.range.clone(), message);
            f.related.extend(credential_related(ctx, e));
            out.push(f);
            reported = true;
        }
        let reach = project_reach(ctx);
        if !reported && !on_premises && reach.may_be_online() {
            if let Some(ns) = class.namespaces.first() {
                let graph = graph_host(reach);
                let detail = tr!(lang,
                    "{object} builds Exchange Web Services SOAP requests.{status}{ops} Rewrite it for Microsoft Graph ({graph}) with OAuth 2.0.",
                    "{object} は Exchange Web Services の SOAP 要求を組み立てています。{status}{ops}Microsoft Graph（{graph}）と OAuth 2.0 で書き直してください。");
                let message = headed(lang, &problem, &detail);
                out.push(ctx.finding(rule, class.file, ns.clone(), message));
            }
        }
    }
}

/// A WSDL2Apex stub: it assigns `endpoint_x`.
fn is_stub(ctx: &Context, file: FileId) -> bool {
    ctx.file(file).apex().is_some_and(|v| {
        v.assignments.iter().any(|a| {
            a.target
                .last()
                .is_some_and(|t| t.eq_ignore_ascii_case("endpoint_x"))
        })
    })
}

/// EXO001 in Apex: an `Authorization: Basic` header in a class that calls
/// Exchange Online (or EWS on a host the project does not rule out).
pub fn basic_header_findings(ctx: &Context, rule: &Rule, out: &mut Vec<Finding>) {
    let lang = ctx.lang;
    let status = basic_auth_status(ctx.as_of, lang);
    let fallback = project_reach(ctx);
    let classes = analyse(ctx);
    // A WSDL2Apex stub holds the endpoint; the class that fills its
    // `inputHttpHeaders_x` is often another one.
    let stub_endpoints: Vec<(FileId, &Resolved)> = classes
        .iter()
        .filter(|c| is_stub(ctx, c.file))
        .flat_map(|c| c.endpoints.iter().map(move |e| (c.file, e)))
        .filter(|(_, e)| e.ews && e.endpoint.called && e.reach.may_be_online())
        .collect();
    for (file, source) in ctx.project.files.iter().enumerate() {
        let Some(apex) = source.apex_source().filter(|a| a.view().parsed) else {
            continue;
        };
        let headers = apex.basic_headers();
        if headers.is_empty() {
            continue;
        }
        let own = classes.iter().find(|c| c.file == file);
        let empty = ApexExchange {
            file,
            endpoints: Vec::new(),
            namespaces: Vec::new(),
            operations: Vec::new(),
        };
        let class = own.unwrap_or(&empty);
        let exchange: Vec<&Resolved> = class
            .endpoints
            .iter()
            .filter(|e| match e.reach {
                Reach::Online(_) => e.ews || e.endpoint.called || e.credential.is_some(),
                Reach::Unknown => e.ews,
                _ => false,
            })
            .collect();
        let via_namespace = exchange.is_empty()
            && class.speaks_ews()
            && fallback.may_be_online()
            && !class
                .endpoints
                .iter()
                .any(|e| e.ews && e.reach == Reach::OnPremises);
        let object = ctx.object_name(class.file);
        let target = exchange
            .iter()
            .chain(stub_endpoints.iter().map(|(_, e)| e))
            .find_map(|e| e.host.clone())
            .unwrap_or_else(|| "Exchange Web Services".to_owned());
        for header in headers {
            let stub =
                header.kind == HeaderKind::Wsdl2Apex && exchange.is_empty() && !via_namespace;
            if exchange.is_empty() && !via_namespace && (!stub || stub_endpoints.is_empty()) {
                continue;
            }
            let how = match header.kind {
                HeaderKind::HandBuilt => tr!(
                    lang,
                    "a user name and password, base64-encoded in the class",
                    "クラス内で Base64 エンコードしたユーザー名とパスワード"
                ),
                HeaderKind::Wsdl2Apex => tr!(
                    lang,
                    "a user name and password, put in the WSDL2Apex stub's inputHttpHeaders_x",
                    "WSDL2Apex スタブの inputHttpHeaders_x に入れたユーザー名とパスワード"
                ),
                HeaderKind::CredentialPassword => tr!(
                    lang,
                    "the named credential's password, through {{!$Credential.Password}}",
                    "{{!$Credential.Password}} による指定ログイン情報のパスワード"
                ),
                HeaderKind::CredentialHeaderValue => {
                    let password = exchange.iter().any(|e| {
                        e.credential.as_ref().is_some_and(|(nc, _)| {
                            ctx.facts
                                .credentials
                                .iter()
                                .any(|c| c.file == *nc && matches!(c.auth, Auth::Password { .. }))
                        })
                    });
                    if !password {
                        continue;
                    }
                    tr!(lang, "the password-based header of the named credential, through {{!$Credential.AuthorizationHeaderValue}}", "{{!$Credential.AuthorizationHeaderValue}} によるパスワード方式のヘッダー")
                }
            };
            let detail = tr!(lang,
                "{object} sends an Authorization: Basic header ({how}) to {target}. {status}, so this callout fails. Call Microsoft Graph through a named credential with OAuth 2.0 (External Credential, client credentials) and remove the header.",
                "{object} は Authorization: Basic ヘッダー（{how}）を {target} に送信しています。{status}。このコールアウトは失敗します。OAuth 2.0 の指定ログイン情報（外部ログイン情報、クライアントクレデンシャル）で Microsoft Graph を呼び出し、ヘッダーを削除してください。");
            let message = headed(lang, &basic_auth_to("Exchange Online", lang), &detail);
            let mut f = ctx.finding(rule, class.file, header.range.clone(), message);
            let evidence: Vec<(FileId, &Resolved)> = if stub {
                stub_endpoints.clone()
            } else {
                exchange.iter().map(|e| (class.file, *e)).collect()
            };
            for (file, e) in evidence {
                f.related.push(Related {
                    file,
                    range: e.endpoint.range.clone(),
                    message: tr!(lang, "the Exchange endpoint", "Exchange のエンドポイント"),
                });
                f.related.extend(credential_related(ctx, e));
            }
            out.push(f);
        }
    }
}

/// SEC001 in Apex: a committed Microsoft client secret, on its literal.
/// `headline` is the rule's problem words, so the wording stays with the
/// rule and this module needs nothing from it.
pub fn secret_findings(ctx: &Context, rule: &Rule, headline: &str, out: &mut Vec<Finding>) {
    for (file, source) in ctx.project.files.iter().enumerate() {
        let Some(apex) = source.apex_source().filter(|a| a.view().parsed) else {
            continue;
        };
        for secret in apex.microsoft_secrets(&source.text) {
            let object = ctx.object_name(file);
            let what = if secret.entra_shape {
                ctx.lang.pick(
                    "a Microsoft Entra ID client secret",
                    "Microsoft Entra ID のクライアントシークレット",
                )
            } else {
                ctx.lang.pick("a client secret", "クライアントシークレット")
            };
            let detail = tr!(ctx.lang,
                "{object} holds {what}; anyone with access to the repository can read it. Move it to a named credential (External Credential) entered in Setup, and rotate it in Entra ID.",
                "{object} に {what}が含まれています。リポジトリにアクセスできる人は誰でも読めます。設定画面で入力する指定ログイン情報（外部ログイン情報）に移し、Entra ID で値を変更（ローテーション）してください。");
            let message = headed(ctx.lang, headline, &detail);
            out.push(ctx.finding(rule, file, secret.literal.clone(), message));
        }
    }
}

/// Where a class sends its `Authorization: Basic` header.
struct BasicTarget {
    /// The host, when the class or the stub shows it.
    host: Option<String>,
    on_premises: bool,
}

/// Whether the class `file` sends its `Authorization: Basic` header to
/// Exchange, Online or on-premises: an Exchange endpoint of its own, the
/// EWS namespace, or (for a WSDL2Apex header) a stub's EWS endpoint.
fn basic_exchange_target(
    ctx: &Context,
    classes: &[ApexExchange],
    file: FileId,
) -> Option<BasicTarget> {
    let headers = ctx.file(file).apex_source()?.basic_headers();
    if headers.is_empty() {
        return None;
    }
    let exchange = |e: &Resolved| match e.reach {
        Reach::Online(_) | Reach::OnPremises => {
            e.ews || e.endpoint.called || e.credential.is_some()
        }
        Reach::Unknown => e.ews,
        Reach::NotExchange => false,
    };
    let target = |e: &Resolved| BasicTarget {
        host: e.host.clone(),
        on_premises: e.reach == Reach::OnPremises,
    };
    if let Some(class) = classes.iter().find(|c| c.file == file) {
        if let Some(e) = class.endpoints.iter().find(|e| exchange(e)) {
            return Some(target(e));
        }
        if !class.namespaces.is_empty() {
            return Some(BasicTarget {
                host: None,
                on_premises: project_reach(ctx) == Reach::OnPremises,
            });
        }
    }
    if headers.iter().any(|h| h.kind == HeaderKind::Wsdl2Apex) {
        return classes
            .iter()
            .filter(|c| is_stub(ctx, c.file))
            .flat_map(|c| &c.endpoints)
            .find(|e| e.ews && e.endpoint.called && e.reach != Reach::NotExchange)
            .map(target);
    }
    None
}

/// SEC001 in Apex for Basic credentials: a password (or a ready-made
/// `Basic` token) committed in a literal of a class that sends it to
/// Exchange, on that literal. Masked in every output wherever it is
/// ([`crate::apex::scan::basic_credentials`]); reported only here, where it
/// is an Exchange account's password.
pub fn basic_credential_findings(
    ctx: &Context,
    rule: &Rule,
    headline: &str,
    out: &mut Vec<Finding>,
) {
    let lang = ctx.lang;
    let classes = analyse(ctx);
    for (file, source) in ctx.project.files.iter().enumerate() {
        let Some(apex) = source.apex_source().filter(|a| a.view().parsed) else {
            continue;
        };
        let Some(target) = basic_exchange_target(ctx, &classes, file) else {
            continue;
        };
        let view = apex.view();
        let mut literals: Vec<Range<usize>> =
            crate::apex::scan::basic_credentials(view, &source.text)
                .into_iter()
                .filter_map(|r| {
                    view.strings
                        .iter()
                        .find(|s| s.range.start <= r.start && r.end <= s.range.end)
                        .map(|s| s.range.clone())
                })
                .collect();
        literals.dedup();
        // A token split over literals (`'Basic ' + 'c3Zj' + 'OlpxN…'`,
        // wrapped over lines) is one credential: reported on its first
        // literal, the ones joined to it by `+` are masked only.
        let mut kept: Vec<Range<usize>> = Vec::new();
        let mut chain_end = None;
        for literal in literals {
            let joined = chain_end
                .and_then(|end| source.text.get(end..literal.start))
                .is_some_and(|between| between.trim() == "+");
            chain_end = Some(literal.end);
            if !joined {
                kept.push(literal);
            }
        }
        let literals = kept;
        let object = ctx.object_name(file);
        let host = target
            .host
            .unwrap_or_else(|| "Exchange Web Services".to_owned());
        let instead = if target.on_premises {
            tr!(
                lang,
                "keep it in a named credential entered in Setup instead",
                "代わりに設定画面で入力する指定ログイン情報に保管してください"
            )
        } else {
            tr!(lang,
                "call Microsoft Graph through a named credential with OAuth 2.0 (External Credential, client credentials) instead",
                "代わりに OAuth 2.0 の指定ログイン情報（外部ログイン情報、クライアントクレデンシャル）で Microsoft Graph を呼び出してください")
        };
        for literal in literals {
            if out
                .iter()
                .any(|f| f.rule == rule.id && f.file == file && f.range == literal)
            {
                continue;
            }
            let detail = tr!(lang,
                "{object} holds a password that it sends to {host} in an Authorization: Basic header (base64 is an encoding, not encryption); anyone with access to the repository can read it. Change that account's password, and {instead}.",
                "{object} に、Authorization: Basic ヘッダーで {host} に送るパスワードが含まれています（Base64 は暗号化ではなくエンコードです）。リポジトリにアクセスできる人は誰でも読めます。そのアカウントのパスワードを変更し、{instead}。");
            let message = headed(lang, headline, &detail);
            out.push(ctx.finding(rule, file, literal, message));
        }
    }
}

/// The Apex classes that call the named credential `nc` (`callout:NAME`),
/// as related information for the credential's own findings.
pub fn callers(ctx: &Context, nc: FileId) -> Vec<Related> {
    let name = ctx.file(nc).api_name();
    ctx.callouts()
        .iter()
        .filter(|c| c.name.eq_ignore_ascii_case(name))
        .map(|c| {
            let object = ctx.object_name(c.file);
            let called = &c.name;
            Related {
                file: c.file,
                range: c.range.clone(),
                message: tr!(
                    ctx.lang,
                    "{object} calls this credential (callout:{called})",
                    "{object} がこの指定ログイン情報を呼び出し（callout:{called}）"
                ),
            }
        })
        .collect()
}

/// The EWS operations of the Apex classes and triggers that call `nc`, in
/// table order, each once.
pub fn caller_operations(ctx: &Context, nc: FileId) -> Vec<&'static Operation> {
    let files: Vec<FileId> = callers(ctx, nc).iter().map(|r| r.file).collect();
    let mut ops: Vec<&'static Operation> = analyse(ctx)
        .into_iter()
        .filter(|c| files.contains(&c.file))
        .flat_map(|c| c.operations)
        .collect();
    ops.sort_by_key(|o| {
        crate::apex::ews::OPERATIONS
            .iter()
            .position(|t| t.name == o.name)
    });
    ops.dedup_by_key(|o| o.name);
    ops
}

/// The API names of the Apex classes and triggers that call `nc`, for fix notes.
pub fn caller_names(ctx: &Context, nc: FileId) -> Vec<String> {
    let mut names: Vec<String> = callers(ctx, nc)
        .iter()
        .map(|r| ctx.file(r.file).api_name().to_owned())
        .collect();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use crate::apex::ews::OPERATIONS;
    use crate::i18n::Lang;

    /// The EWS → Graph table in EXO002's documentation (both languages)
    /// is the one the messages use.
    #[test]
    fn exo002_docs_carry_the_whole_mapping_table() {
        let rule = crate::rules::by_id("EXO002").unwrap();
        for lang in [Lang::En, Lang::Ja] {
            let doc = rule.doc_for(lang);
            for op in OPERATIONS {
                let row = format!("| `{}` | {} |", op.name, op.graph.replace('|', "\\|"));
                assert!(doc.contains(&row), "{lang:?} lacks {row}");
            }
        }
    }
}
