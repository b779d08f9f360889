use super::lightning_sync::{basic_auth_status, basic_auth_to};
use super::rule::Fixer;
use super::rule::{headed, Context, Rule};
use super::support::{self, CLIENT_ID_PLACEHOLDER, TENANT_PLACEHOLDER};
use crate::diagnostic::{Finding, Related, Severity};
use crate::domain::Cloud;
use crate::edit::xml_edit::{line_ending, new_file, NewElement, XmlEditor};
use crate::edit::{Draft, FileChange, Offer};
use crate::facts::Credential;
use crate::facts::{password_evidence, Auth};
use crate::metadata::{AuthProvider, MetadataKind};
use crate::metadata::{ExternalCredential, NamedCredential};
use crate::source::{FileId, SourceFile};
use crate::timeline;
use crate::tr;
use crate::xml::XmlTree;

pub static RULE: Rule = Rule {
    id: "EXO001",
    name: "exchange-basic-auth",
    default_severity: Severity::Error,
    escalation: None,
    breaks_on: Some(&timeline::BASIC_AUTH_BLOCKED),
    fixer: Some(&FIXER),
    summary: "A credential sends a password (basic authentication) to Exchange Online",
    doc: r#"## What it does
Reports credentials that authenticate to an Exchange Online host with a
password:
- a legacy named credential with `protocol` Password (any case) whose
  `endpoint` is an Exchange Online host;
- an external credential with `authenticationProtocol` Basic or Password, or
  Custom with an `AuthHeader` parameter that sends `Basic …` (literally or
  built with `BASE64ENCODE`), referenced by a named credential whose `Url`
  parameter is an Exchange Online host;
- a secured-endpoint named credential whose `Url` is an Exchange Online host
  and which sends an `HttpHeader` parameter named `Authorization` with a
  `Basic …` value (literal, or a formula with `BASE64ENCODE`): reported on
  the parameter's value. A literal `Basic <base64>` there is also SEC001.

Exchange Online hosts: `outlook.office365.com`, `outlook.office.com`,
`*.outlook.com`, `smtp.office365.com` (commercial/GCC),
`outlook.office365.us` (GCC High), `outlook-dod.office365.us` (DoD),
`partner.outlook.cn` (21Vianet).

In Apex classes and triggers it reports the `setHeader` / `put` call that
sends an `Authorization: Basic` header to Exchange Online: built by hand
(`'Basic ' + EncodingUtil.base64Encode(Blob.valueOf(user + ':' + pass))`,
followed through local variables), put in a WSDL2Apex stub's
`inputHttpHeaders_x` (the stub's EWS endpoint is the related location when
another class fills the header), or sent through `{!$Credential.Password}`
or, for a password named credential, `{!$Credential.AuthorizationHeaderValue}`.
The class must call Exchange Online (a URL, a `callout:` through an Exchange
Online credential, or EWS whose host the project does not rule out); a
credential's finding lists the Apex that calls it (`callout:NAME`).

## Why is this bad?
Exchange Online blocked basic authentication for EWS, EAS, POP, IMAP, Remote
PowerShell, MAPI and OAB on 2022-10-01 (Microsoft, "Deprecation of Basic
authentication in Exchange Online", MC424238). Every callout through such a
credential fails with 401. SMTP AUTH basic authentication is disabled by
default from the end of December 2026 (Tech Community 4489835).

## Example
```xml
<NamedCredential xmlns="http://soap.sforce.com/2006/04/metadata">
    <endpoint>https://outlook.office365.com/EWS/Exchange.asmx</endpoint>
    <label>Exchange Service Account</label>
    <principalType>NamedUser</principalType>
    <protocol>Password</protocol>
    <username>svc-sync@contoso.com</username>
</NamedCredential>
```

## Fix
- **Convert to OAuth 2.0 for Microsoft Graph (External Credential, client
  credentials)** (preferred from 2026-10-01, when EWS in Exchange Online
  became blocked by default): the legacy named credential becomes a
  `SecuredEndpoint` whose `Url` parameter is the Microsoft Graph host of the
  same cloud (`https://graph.microsoft.com`, `https://graph.microsoft.us`,
  `https://dod-graph.microsoft.us`, `https://microsoftgraph.chinacloudapi.cn`)
  with an `Authentication` parameter referencing a **new** external
  credential (`externalCredentials/<NC>_Graph…`, never overwriting a file;
  `_2`, `_3`… when the name is taken) with `authenticationProtocol` Oauth,
  `AuthProtocolVariant` ClientCredentialsClientSecret, `AuthProviderUrl` =
  `https://<login host>/<tenant>/oauth2/v2.0/token` of the same cloud, the
  scope `https://<graph host>/.default` and one named principal. `username`,
  `password`, `principalType`, `protocol` and `endpoint` are removed; every
  other element (and comment) stays. An existing basic external credential
  is rewritten in place the same way (its `Basic` header parameters removed,
  its principals kept), and the `Url` of each named credential that uses it
  for Exchange Online moves to the Graph host of its cloud. Tenant: the
  declared `tenant`, else the domain of the old `username`, else the
  placeholder `TENANT-ID-OR-DOMAIN`, named in the fix's note.
  The note (printed by `--fix`, shown after the editor's code action) lists
  what remains: the Graph **application** permissions to grant with admin
  consent (from the EWS operations of the Apex that calls the credential,
  e.g. `CreateItem` → `Mail.Send` and `Calendars.ReadWrite`, `FindItem` →
  `Mail.Read` and `Calendars.Read`; else typical ones such as `Mail.Send`,
  `Calendars.ReadWrite`, `Contacts.ReadWrite`), **RBAC for Applications** in
  Exchange Online to scope the app to its mailboxes (Application Access
  Policies are superseded), the client id and secret to enter on the
  principal in Setup, and the Apex classes that call the credential and must
  move from EWS SOAP to Graph REST.
- **Convert to OAuth 2.0 for EWS (External Credential, client credentials)**:
  the same shape, but the `Url` keeps the old endpoint byte for byte and the
  scope is `https://<exchange host>/.default` (application permission
  `full_access_as_app`). Offered only while the as-of date is before
  2027-04-01, preferred only before 2026-10-01; its note says that from
  2026-10-01 it works only when a tenant admin puts the app on the
  `EWSAllowedAppIDs` allow list, and not at all from 2027-04-01.
- **Switch to OAuth 2.0 with a Microsoft auth provider** (legacy named
  credentials only, never preferred, only before 2027-04-01: legacy named
  credentials are deprecated and delegated EWS goes with EWS): `protocol`
  Oauth, `authProvider` = an existing auth provider of type Microsoft (else
  a new `authproviders/Microsoft_Exchange…` file with the v2.0 URLs and a
  client-id placeholder), `oauthScope` = the delegated EWS scope plus
  `offline_access`; `username` and `password` removed.

Safety: the credential keeps failing until the app is registered in Entra ID
with its permissions and admin consent, its client id and secret are entered
in Setup and users get access to the principal through a permission set; it
fails already. With the Graph fix, Apex that sends EWS SOAP through
`callout:<NC>` must be rewritten for Graph REST (EXO002 keeps reporting it);
with the EWS variants it keeps working until EWS goes. Review the diff
(`check --diff`) before deploying.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    super::apex::basic_header_findings(ctx, &RULE, out);
    let lang = ctx.lang;
    let status = basic_auth_status(ctx.as_of, lang);
    // Legacy named credentials.
    for cred in &ctx.facts.credentials {
        let Some((_, url)) = &cred.url else { continue };
        let Some(cloud) = url.class.exchange_online() else {
            continue;
        };
        let Auth::Password {
            evidence,
            external: None,
            ..
        } = &cred.auth
        else {
            continue;
        };
        let object = ctx.object_name(cred.file);
        let cloud = cloud.display();
        let host = &url.host;
        let detail = tr!(
            lang,
            "{object} sends a password to {host}. {status}, so every callout through it fails. Convert it to OAuth 2.0.",
            "{object} は {host} にパスワードを送信しています。{status}。この指定ログイン情報を使うコールアウトはすべて失敗します。OAuth 2.0 に変更してください。"
        );
        let message = headed(lang, &basic_auth_to(cloud, lang), &detail);
        let mut finding = ctx.finding(&RULE, evidence.file, evidence.range.clone(), message);
        finding.related = super::apex::callers(ctx, cred.file);
        out.push(finding);
    }
    // Named credentials that send a Basic `Authorization` header parameter
    // (unless an external credential's password is reported already).
    for cred in &ctx.facts.credentials {
        let Some((_, url)) = &cred.url else { continue };
        let Some(cloud) = url.class.exchange_online() else {
            continue;
        };
        if matches!(cred.auth, Auth::Password { .. }) {
            continue;
        }
        let Some(nc) = NamedCredential::of(ctx.file(cred.file)) else {
            continue;
        };
        let object = ctx.object_name(cred.file);
        let cloud = cloud.display();
        let host = &url.host;
        for header in nc.basic_auth_headers() {
            let range = header
                .value
                .as_ref()
                .map_or(header.range.clone(), |v| v.range.clone());
            let detail = tr!(
                lang,
                "{object} sends an Authorization: Basic header parameter (a user name and password) to {host}. {status}, so every callout through it fails. Convert it to OAuth 2.0.",
                "{object} は Authorization: Basic ヘッダーのパラメーター（ユーザー名とパスワード）を {host} に送信しています。{status}。この指定ログイン情報を使うコールアウトはすべて失敗します。OAuth 2.0 に変更してください。"
            );
            let message = headed(lang, &basic_auth_to(cloud, lang), &detail);
            let mut finding = ctx.finding(&RULE, cred.file, range, message);
            finding.related = super::apex::callers(ctx, cred.file);
            out.push(finding);
        }
    }
    // External credentials, via the named credentials that reference them.
    for (id, file) in ctx.project.files.iter().enumerate() {
        let Some(ec) = ExternalCredential::of(file) else {
            continue;
        };
        let Some(range) = password_evidence(&ec) else {
            continue;
        };
        let mut related = Vec::new();
        let mut callers = Vec::new();
        let mut cloud = None;
        for cred in ctx.facts.referencing(id) {
            let Some((loc, url)) = &cred.url else {
                continue;
            };
            let Some(c) = url.class.exchange_online() else {
                continue;
            };
            cloud.get_or_insert(c);
            callers.extend(super::apex::callers(ctx, cred.file));
            let nc = ctx.object_name(cred.file);
            let host = &url.host;
            related.push(Related {
                file: loc.file,
                range: loc.range.clone(),
                message: tr!(
                    lang,
                    "used by {nc}, which calls {host}",
                    "{nc} が使用（接続先 {host}）"
                ),
            });
        }
        let Some(cloud) = cloud else { continue };
        let object = ctx.object_name(id);
        let cloud = cloud.display();
        let detail = tr!(
            lang,
            "{object} authenticates with a password, and named credentials call {cloud} with it. {status}, so these callouts fail. Convert it to OAuth 2.0 client credentials.",
            "{object} はパスワードで認証し、指定ログイン情報がこれを使って {cloud} を呼び出しています。{status}。これらのコールアウトは失敗します。OAuth 2.0 クライアントクレデンシャルに変更してください。"
        );
        let message = headed(lang, &basic_auth_to(cloud, lang), &detail);
        let mut f = ctx.finding(&RULE, id, range, message);
        f.related = related;
        f.related.extend(callers);
        out.push(f);
    }
}

pub static FIXER: Fixer = Fixer {
    offers: fix_offers,
    build: fix_build,
};

const GRAPH: &str = "oauth-graph";
const CONVERT: &str = "oauth-external-credential";
const LEGACY_OAUTH: &str = "oauth-auth-provider";

/// The API a converted credential calls: Microsoft Graph, or EWS (only
/// until it shuts down, and only for allow-listed apps from 2026-10-01).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Api {
    Graph,
    Ews,
}

impl Api {
    /// The host of the scope (`https://<host>/.default`).
    fn host(self, cloud: Cloud) -> &'static str {
        match self {
            Api::Graph => cloud.graph_host(),
            Api::Ews => cloud.exchange_host(),
        }
    }

    /// The suffix of a new external credential's name.
    fn suffix(self) -> &'static str {
        match self {
            Api::Graph => "_Graph",
            Api::Ews => "_OAuth",
        }
    }
}

/// The Exchange Online cloud the credential in `file` calls: a legacy
/// named credential's own URL, or the URLs of the named credentials that
/// reference an external credential.
fn cloud_of(ctx: &Context, file: FileId) -> Option<Cloud> {
    ctx.facts
        .credentials
        .iter()
        .filter(|c: &&Credential| {
            c.file == file
                || matches!(c.auth, Auth::Password { external: Some(e), .. } if e == file)
        })
        .find_map(|c| c.url.as_ref()?.1.class.exchange_online())
}

/// The fixes by as-of date (RULES.md, "Changes of 2026-12-01"): Graph is
/// preferred from 2026-10-01, when EWS became blocked by default; the EWS
/// variants are offered only until EWS shuts down on 2027-04-01, and the
/// legacy delegated one is never preferred.
fn fix_offers(ctx: &Context, finding: &Finding) -> Vec<Offer> {
    let lang = ctx.lang;
    let Ok((file, _)) = support::parsed(ctx, finding.file) else {
        return Vec::new();
    };
    if cloud_of(ctx, finding.file).is_none() {
        return Vec::new();
    }
    let blocked = ctx.as_of.reached(&timeline::EWS_BLOCKED_BY_DEFAULT);
    let shut = ctx.as_of.reached(&timeline::EWS_SHUTDOWN);
    let graph = Offer {
        id: GRAPH.into(),
        title: tr!(
            lang,
            "Convert to OAuth 2.0 for Microsoft Graph (External Credential, client credentials)",
            "Microsoft Graph 用の OAuth 2.0 に変換する（外部ログイン情報、クライアントクレデンシャル）"
        ),
        preferred: blocked,
    };
    let mut out = Vec::new();
    if blocked {
        out.push(graph.clone());
    }
    if !shut {
        out.push(Offer {
            id: CONVERT.into(),
            title: tr!(
                lang,
                "Convert to OAuth 2.0 for EWS (External Credential, client credentials)",
                "EWS 用の OAuth 2.0 に変換する（外部ログイン情報、クライアントクレデンシャル）"
            ),
            preferred: !blocked,
        });
    }
    if !blocked {
        out.push(graph);
    }
    if !shut && NamedCredential::of(file).is_some_and(|nc| nc.is_legacy()) {
        out.push(Offer {
            id: LEGACY_OAUTH.into(),
            title: tr!(
                lang,
                "Switch to OAuth 2.0 with a Microsoft auth provider (legacy named credential)",
                "Microsoft 認証プロバイダーを使う OAuth 2.0 に切り替える（従来の指定ログイン情報）"
            ),
            preferred: false,
        });
    }
    out
}

fn fix_build(ctx: &Context, finding: &Finding, offer: &Offer) -> Result<Draft, String> {
    let cloud = cloud_of(ctx, finding.file)
        .ok_or_else(|| "the credential no longer calls Exchange Online".to_owned())?;
    let (file, _) = support::parsed(ctx, finding.file)?;
    let api = match offer.id.as_str() {
        GRAPH => Api::Graph,
        _ => Api::Ews,
    };
    match (offer.id.as_str(), NamedCredential::of(file)) {
        (GRAPH | CONVERT, Some(nc)) if !nc.is_legacy() => {
            convert_header(ctx, finding.file, cloud, api)
        }
        (GRAPH | CONVERT, Some(_)) => convert_named(ctx, finding.file, cloud, api),
        (GRAPH | CONVERT, None) => convert_external(ctx, finding.file, cloud, api),
        (LEGACY_OAUTH, Some(_)) => legacy_oauth(ctx, finding.file, cloud),
        _ => Err("unknown fix".into()),
    }
}

fn token_url(cloud: Cloud, tenant: &str) -> String {
    format!("https://{}/{tenant}/oauth2/v2.0/token", cloud.login_host())
}

fn text_el(name: &str, value: &str) -> NewElement {
    NewElement::text(name, value)
}

fn ec_parameter(name: &str, kind: &str, value: &str) -> NewElement {
    NewElement::parent(
        "externalCredentialParameters",
        vec![
            text_el("parameterName", name),
            text_el("parameterType", kind),
            text_el("parameterValue", value),
        ],
    )
}

fn principal(name: &str) -> NewElement {
    NewElement::parent(
        "externalCredentialParameters",
        vec![
            text_el("parameterName", name),
            text_el("parameterType", "NamedPrincipal"),
            text_el("sequenceNumber", "1"),
        ],
    )
}

/// The three OAuth client-credentials parameters: (type, name, value).
fn oauth_parameters(
    cloud: Cloud,
    tenant: &str,
    api: Api,
) -> [(&'static str, &'static str, String); 3] {
    [
        (
            "AuthProtocolVariant",
            "Oauth",
            "ClientCredentialsClientSecret".to_owned(),
        ),
        (
            "AuthProviderUrl",
            "AuthProviderUrl",
            token_url(cloud, tenant),
        ),
        (
            "AuthParameter",
            "Scope",
            format!("https://{}/.default", api.host(cloud)),
        ),
    ]
}

/// `url` without its user info (`https://svc:pw@host/p` →
/// `https://host/p`), when it has some: a fix never writes a URL's user
/// name or password again. The authority is read as [`crate::redact`]
/// reads it: to the first `/`, `\\`, `?` or `#`, the user info to its
/// last `@`.
fn without_userinfo(url: &str) -> Option<String> {
    if !crate::redact::has_url_userinfo(url) {
        return None;
    }
    // A scheme is what comes before `://`; in a bare `user:pw@host/…`
    // the colon is the user info's own.
    let start = match url.find(':') {
        Some(c)
            if url[..c]
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || "+-.".contains(ch)) =>
        {
            let slashes = url[c + 1..]
                .chars()
                .take_while(|&ch| ch == '/' || ch == '\\')
                .count();
            if slashes == 0 {
                0
            } else {
                c + 1 + slashes
            }
        }
        _ => 0,
    };
    let end = url[start..]
        .find(['/', '\\', '?', '#'])
        .map_or(url.len(), |e| start + e);
    let at = url[start..end].rfind('@')? + start;
    let stripped = format!("{}{}", &url[..start], &url[at + 1..]);
    // Whatever is left, nothing that reads as user info is written.
    (!crate::redact::has_url_userinfo(&stripped)).then_some(stripped)
}

/// Sets the URL of `element` (value `url`) to the URL without user info,
/// when it has some.
fn strip_userinfo(ed: &mut XmlEditor, element: crate::xml::ElementId, url: &str) {
    if let Some(stripped) = without_userinfo(url) {
        ed.set_value(element, &stripped);
    }
}

/// The Graph base URL a converted named credential calls.
fn graph_url(cloud: Cloud) -> String {
    format!("https://{}", cloud.graph_host())
}

/// What remains after a conversion: the Entra app and its permissions,
/// the secret in Setup, and (Graph) the code that must change.
struct Remains<'a> {
    ec: &'a str,
    principal: &'a str,
    placeholder: bool,
    /// The named credentials the converted credential serves (their Apex
    /// callers and EWS operations go into the note).
    named: Vec<FileId>,
}

fn setup_note(ctx: &Context, api: Api, r: &Remains) -> String {
    let lang = ctx.lang;
    let (ec, principal) = (r.ec, r.principal);
    let mut note = match api {
        Api::Graph => {
            let ops: Vec<_> = r
                .named
                .iter()
                .flat_map(|&nc| super::apex::caller_operations(ctx, nc))
                .collect();
            let perms = super::graph::application_permissions(&ops);
            let perms = if perms.is_empty() {
                let typical = super::graph::TYPICAL.join(", ");
                tr!(
                    lang,
                    "the Microsoft Graph application permissions for what the integration does (for example {typical})",
                    "連携が行う操作に必要な Microsoft Graph のアプリケーション権限（例: {typical}）"
                )
            } else {
                let list = perms.join(", ");
                let names: Vec<&str> = ops.iter().map(|o| o.name).collect();
                let names = names.join(", ");
                tr!(
                    lang,
                    "the Microsoft Graph application permissions {list} (for the EWS operations {names} found in Apex)",
                    "Microsoft Graph のアプリケーション権限 {list}（Apex で見つかった EWS 操作 {names} の分）"
                )
            };
            tr!(
                lang,
                "Register an app in Microsoft Entra ID and grant it {perms}, with admin consent. Limit it to the mailboxes it serves with RBAC for Applications in Exchange Online (New-ManagementRoleAssignment -App <app id> -Role \"Application Mail.Send\" -CustomResourceScope <scope>, one assignment per permission; Application Access Policies are superseded). In Setup, enter the app's client id and secret on the principal {principal} of the external credential {ec}, and give the users who make the callouts access to that principal through a permission set.",
                "Microsoft Entra ID にアプリを登録し、{perms}を付与して管理者の同意を与えてください。Exchange Online の RBAC for Applications で対象のメールボックスに限定してください（New-ManagementRoleAssignment -App <アプリ ID> -Role \"Application Mail.Send\" -CustomResourceScope <スコープ>、権限ごとに 1 つ。アプリケーション アクセス ポリシーは後継の RBAC for Applications に置き換えられています）。設定画面で外部ログイン情報 {ec} のプリンシパル {principal} にアプリのクライアント ID とシークレットを入力し、コールアウトを行うユーザーに権限セットでそのプリンシパルへのアクセスを付与してください。"
            )
        }
        Api::Ews => {
            let begin = timeline::EWS_BLOCKED_BY_DEFAULT.when(lang);
            let end = timeline::EWS_SHUTDOWN.when(lang);
            tr!(
                lang,
                "Register an app in Microsoft Entra ID with the Exchange application permission full_access_as_app (admin consent); in Setup, enter its client id and secret on the principal {principal} of the external credential {ec}, and give the users who make the callouts access to that principal through a permission set. This keeps EWS: from {begin} it works only if a tenant admin puts the app's client id on the EWSAllowedAppIDs allow list (Set-OrganizationConfig -EWSEnabled $true -EWSAllowedAppIDs …), and on {end} EWS shuts down for every app; plan the move to Microsoft Graph.",
                "Microsoft Entra ID にアプリを登録して Exchange のアプリケーション権限 full_access_as_app を付与（管理者の同意）し、設定画面で外部ログイン情報 {ec} のプリンシパル {principal} にクライアント ID とシークレットを入力して、コールアウトを行うユーザーに権限セットでそのプリンシパルへのアクセスを付与してください。この修正は EWS のままです。{begin}以降は、テナント管理者がアプリのクライアント ID を EWSAllowedAppIDs の許可リストに登録した場合のみ動作し（Set-OrganizationConfig -EWSEnabled $true -EWSAllowedAppIDs …）、{end}にはすべてのアプリで EWS が停止します。Microsoft Graph への移行を計画してください。"
            )
        }
    };
    if api == Api::Graph {
        let mut classes: Vec<String> = r
            .named
            .iter()
            .flat_map(|&nc| super::apex::caller_names(ctx, nc))
            .collect();
        classes.sort();
        classes.dedup();
        note.push(' ');
        if classes.is_empty() {
            let names: Vec<String> = r
                .named
                .iter()
                .map(|&nc| format!("callout:{}", ctx.file(nc).api_name()))
                .collect();
            let names = names.join(", ");
            note.push_str(&tr!(
                lang,
                "The named credential now calls Microsoft Graph: any code that calls {names} must move from EWS SOAP to Microsoft Graph REST (JSON, other item ids).",
                "指定ログイン情報の接続先は Microsoft Graph になりました。{names} を呼び出すコードは、EWS の SOAP から Microsoft Graph の REST（JSON、アイテム ID も異なる）に書き換える必要があります。"
            ));
        } else {
            let list = classes.join(", ");
            note.push_str(&tr!(
                lang,
                "The named credential now calls Microsoft Graph: these Apex classes call it and must move from EWS SOAP to Microsoft Graph REST (JSON, other item ids): {list}.",
                "指定ログイン情報の接続先は Microsoft Graph になりました。これを呼び出す次の Apex は、EWS の SOAP から Microsoft Graph の REST（JSON、アイテム ID も異なる）に書き換える必要があります: {list}。"
            ));
        }
    }
    if r.placeholder {
        let p = TENANT_PLACEHOLDER;
        note.push(' ');
        note.push_str(&tr!(
            lang,
            "The tenant is unknown: replace {p} in the token URL with your tenant id or verified domain (or declare `tenant` in sfdx-project.json before fixing).",
            "テナントが不明です。トークン URL の {p} をテナント ID または検証済みドメインに置き換えてください（修正前に sfdx-project.json で `tenant` を宣言することもできます）。"
        ));
    }
    note
}

/// A new OAuth 2.0 client-credentials external credential file for `api`.
fn external_credential_text(
    cloud: Cloud,
    tenant: &str,
    api: Api,
    principal_name: &str,
    label: &str,
    like: &str,
) -> String {
    let mut children = vec![text_el("authenticationProtocol", "Oauth")];
    for (kind, name, value) in oauth_parameters(cloud, tenant, api) {
        children.push(ec_parameter(name, kind, &value));
    }
    children.push(principal(principal_name));
    let label = match api {
        Api::Graph => capped_label(label, " (Microsoft Graph)"),
        Api::Ews => capped_label(label, " (OAuth)"),
    };
    children.push(text_el("label", &label));
    new_file(
        MetadataKind::ExternalCredential.root_element(),
        children,
        line_ending(like),
    )
}

/// The longest label Salesforce accepts, in characters: the Label field of
/// Setup's credential pages takes 80 (the Metadata API reference gives no
/// length for `label`).
const LABEL_MAX: usize = 80;

/// `label` followed by `suffix`, `label` cut (at a character, never inside
/// one; the cut is on the value, so no character reference is split when
/// it is escaped) so that the whole fits in [`LABEL_MAX`] characters.
fn capped_label(label: &str, suffix: &str) -> String {
    let room = LABEL_MAX.saturating_sub(suffix.chars().count());
    if label.chars().count() <= room {
        return format!("{label}{suffix}");
    }
    let cut: String = label.chars().take(room).collect();
    format!("{}{suffix}", cut.trim_end())
}

/// The new external credential a named credential converts to.
struct NewEc {
    name: String,
    path: std::path::PathBuf,
    principal: String,
    text: String,
    /// The file is already there, as this fix writes it, and unused: an
    /// earlier `--fix` was killed after writing it and before the named
    /// credential. It is used, not created again.
    reused: bool,
}

/// Where a converted credential leads, for the new file and the note.
struct Target {
    cloud: Cloud,
    api: Api,
    tenant: String,
    placeholder: bool,
    label: String,
    /// The named credential's label repeats one of its secret values: the
    /// API name was used instead (the note says so).
    label_replaced: bool,
}

impl NewEc {
    /// A free name (`<NC>_Graph`, `<NC>_OAuth`, `_2`…), or the name of
    /// what an interrupted run left, and its path and text.
    fn for_named(ctx: &Context, file: &crate::source::SourceFile, t: &Target) -> NewEc {
        let name = file.api_name();
        let dir = support::folder_for(ctx, MetadataKind::ExternalCredential, &file.path);
        let principal = support::api_name(&format!("{name}_Principal"));
        let text =
            external_credential_text(t.cloud, &t.tenant, t.api, &principal, &t.label, &file.text);
        let base = format!("{name}{}", t.api.suffix());
        let reused = support::orphan_to_reuse(
            ctx,
            &base,
            MetadataKind::ExternalCredential,
            &dir,
            &text,
            |ec| external_credential_in_use(ctx, ec),
        );
        let ec_name = reused.clone().unwrap_or_else(|| {
            support::unique_name(
                ctx,
                &base,
                MetadataKind::ExternalCredential,
                &dir,
                file.format,
            )
        });
        NewEc {
            path: dir.join(MetadataKind::ExternalCredential.file_name(&ec_name, file.format)),
            name: ec_name,
            principal,
            text,
            reused: reused.is_some(),
        }
    }

    /// The named credential `id`'s edits plus the new file, with the note.
    fn draft(self, ctx: &Context, id: FileId, edits: Vec<crate::edit::Edit>, t: &Target) -> Draft {
        let file = ctx.file(id);
        let remains = Remains {
            ec: &self.name,
            principal: &self.principal,
            placeholder: t.placeholder,
            named: vec![id],
        };
        let mut note = setup_note(ctx, t.api, &remains);
        if t.label_replaced {
            let lang = ctx.lang;
            let (nc, ec) = (file.api_name(), &self.name);
            note.push(' ');
            note.push_str(&tr!(
                lang,
                "The label of {nc} repeats one of its secret values: {ec} is labelled with the API name {nc} instead, so that the value is not copied.",
                "{nc} のラベルにはシークレットの値が含まれているため、値を写さないように {ec} のラベルには API 名 {nc} を使いました。"
            ));
        }
        let mut changes = vec![support::edit_of(file, edits)];
        if self.reused {
            let lang = ctx.lang;
            let ec = &self.name;
            note.push(' ');
            note.push_str(&tr!(
                lang,
                "The external credential {ec} was already there as this fix writes it, used by no named credential (an earlier run stopped before changing this one): it is used, not created again.",
                "外部ログイン情報 {ec} は、この修正が書き込む内容のまま、どの指定ログイン情報にも使われずに既に存在していました（前回の実行がこのファイルを変更する前に停止しました）。新しく作らずにそれを使います。"
            ));
        } else {
            changes.push(FileChange::Create {
                path: self.path,
                text: self.text,
            });
        }
        support::draft(Some(note), changes)
    }
}

/// Whether a named credential of the project references the external
/// credential `name`.
fn external_credential_in_use(ctx: &Context, name: &str) -> bool {
    ctx.project.files.iter().any(|f| {
        NamedCredential::of(f)
            .is_some_and(|nc| nc.external_credentials().iter().any(|ec| ec.is(name)))
    })
}

fn authentication_parameter(ec: &str) -> NewElement {
    NewElement::parent(
        "namedCredentialParameters",
        vec![
            text_el("externalCredential", ec),
            text_el("parameterName", "ExternalCredential"),
            text_el("parameterType", "Authentication"),
        ],
    )
}

/// A secured-endpoint named credential that sends a Basic `Authorization`
/// header parameter: the header goes, the credential authenticates through
/// a new OAuth 2.0 external credential (and, for Graph, calls the Graph
/// host), and Salesforce generates the Authorization header.
fn convert_header(ctx: &Context, id: FileId, cloud: Cloud, api: Api) -> Result<Draft, String> {
    let prep = prepare(ctx, id, cloud, api, false)?;
    let (text, tree, nc) = (prep.file.text.as_str(), prep.tree, &prep.nc);
    let root = nc.root.id;
    let mut ed = XmlEditor::new(text, tree);
    for header in nc.basic_auth_headers() {
        ed.remove(header.element);
    }
    if let Some(url) = nc.url() {
        match api {
            Api::Graph => ed.set_value(url.element, &graph_url(cloud)),
            Api::Ews => strip_userinfo(&mut ed, url.element, &url.value),
        }
    }
    let auth = nc
        .parameters()
        .into_iter()
        .find(|p| p.is_kind("Authentication"));
    match auth {
        Some(p) => ed.set_child(p.element, "externalCredential", &prep.new_ec.name),
        None => ed.insert(root, authentication_parameter(&prep.new_ec.name)),
    }
    match tree.child_named(text, root, "generateAuthorizationHeader") {
        Some(g)
            if tree
                .value(text, g)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) => {}
        Some(g) => ed.set_value(g, "true"),
        None => ed.insert(root, text_el("generateAuthorizationHeader", "true")),
    }
    Ok(prep.new_ec.draft(ctx, id, ed.finish(), &prep.target))
}

/// The named credential's label, or its API name when it has none: what
/// the new external credential's label is made from. The API name too when
/// the label repeats a secret value of the file (`<label>uses Zq9…</label>`
/// beside `<password>Zq9…</password>`), which must not be copied: then
/// `true`.
fn label_of(ctx: &Context, nc: &NamedCredential, file: &SourceFile) -> (String, bool) {
    let label = nc
        .label()
        .map(|l| l.value.into_owned())
        .filter(|l| !l.is_empty());
    // Its own password even when it is too short to be searched for
    // elsewhere (`redact::MIN_REPEATED`): `Mail [Qz]` beside `Qz`.
    let own_password = nc
        .password()
        .map(|p| p.value.trim().to_owned())
        .filter(|p| p.len() >= 2);
    match label {
        Some(l)
            if ctx.secrets().found_in(&l)
                || own_password.as_deref().is_some_and(|p| l.contains(p))
                // A copy that a fix masked (`fix::secure_removed_secrets`).
                || l.contains(crate::redact::MASK) =>
        {
            (file.api_name().to_owned(), true)
        }
        Some(l) => (l, false),
        None => (file.api_name().to_owned(), false),
    }
}

/// What converting the named credential `id` starts from: its file, tree
/// and view, where the new external credential leads (the tenant taken
/// from the credential's username when `tenant_from_username`), and that
/// new credential.
struct Prepared<'a> {
    file: &'a SourceFile,
    tree: &'a XmlTree,
    nc: NamedCredential<'a>,
    target: Target,
    new_ec: NewEc,
}

fn prepare<'a>(
    ctx: &'a Context,
    id: FileId,
    cloud: Cloud,
    api: Api,
    tenant_from_username: bool,
) -> Result<Prepared<'a>, String> {
    let (file, tree) = support::parsed(ctx, id)?;
    let nc = NamedCredential::of(file).ok_or_else(|| "not a named credential".to_owned())?;
    let username = nc
        .username()
        .filter(|_| tenant_from_username)
        .map(|u| u.value.into_owned());
    let (tenant, placeholder) = support::tenant(ctx, username.as_deref());
    let (label, label_replaced) = label_of(ctx, &nc, file);
    let target = Target {
        cloud,
        api,
        tenant,
        placeholder,
        label,
        label_replaced,
    };
    let new_ec = NewEc::for_named(ctx, file, &target);
    Ok(Prepared {
        file,
        tree,
        nc,
        target,
        new_ec,
    })
}

fn convert_named(ctx: &Context, id: FileId, cloud: Cloud, api: Api) -> Result<Draft, String> {
    let prep = prepare(ctx, id, cloud, api, true)?;
    let (text, tree, nc) = (prep.file.text.as_str(), prep.tree, &prep.nc);
    let root = nc.root.id;
    let endpoint = nc
        .endpoint()
        .ok_or_else(|| "the named credential has no endpoint".to_owned())?;
    let raw_url = tree
        .value_range(text, endpoint.element)
        .map(|r| text[r].to_owned())
        .ok_or_else(|| "the endpoint has no value".to_owned())?;

    let mut ed = XmlEditor::new(text, tree);
    for name in [
        "username",
        "password",
        "principalType",
        "protocol",
        "endpoint",
    ] {
        for el in tree.children_named(text, root, name).collect::<Vec<_>>() {
            ed.remove(el);
        }
    }
    match nc.named_credential_type() {
        Some(t) => ed.set_value(t.element, "SecuredEndpoint"),
        None => ed.insert(root, text_el("namedCredentialType", "SecuredEndpoint")),
    }
    let url = match api {
        // The old endpoint without its user info.
        Api::Ews => match without_userinfo(&endpoint.value) {
            Some(stripped) => text_el("parameterValue", &stripped),
            // Else byte for byte (entities included).
            None => NewElement::raw("parameterValue", &raw_url),
        },
        Api::Graph => text_el("parameterValue", &graph_url(cloud)),
    };
    ed.insert(
        root,
        NewElement::parent(
            "namedCredentialParameters",
            vec![
                text_el("parameterName", "Url"),
                text_el("parameterType", "Url"),
                url,
            ],
        ),
    );
    ed.insert(root, authentication_parameter(&prep.new_ec.name));
    Ok(prep.new_ec.draft(ctx, id, ed.finish(), &prep.target))
}

fn convert_external(ctx: &Context, id: FileId, cloud: Cloud, api: Api) -> Result<Draft, String> {
    let (file, tree) = support::parsed(ctx, id)?;
    let ec = ExternalCredential::of(file).ok_or_else(|| "not an external credential".to_owned())?;
    let text = file.text.as_str();
    let root = ec.root.id;
    let (tenant, placeholder) = support::tenant(ctx, None);
    let mut ed = XmlEditor::new(text, tree);
    if let Some(p) = ec.authentication_protocol() {
        ed.set_value(p.element, "Oauth");
    }
    for header in ec.basic_auth_headers() {
        ed.remove(header.element);
    }
    let params = ec.parameters();
    for (kind, name, value) in oauth_parameters(cloud, &tenant, api) {
        let existing = params.iter().find(|p| {
            p.is_kind(kind)
                && (kind != "AuthParameter" || p.name.as_ref().is_some_and(|n| n.is(name)))
        });
        match existing {
            Some(p) => ed.set_child(p.element, "parameterValue", &value),
            None => ed.insert(root, ec_parameter(name, kind, &value)),
        }
    }
    let name = file.api_name();
    let principal_name = match params
        .iter()
        .find(|p| p.is_kind("NamedPrincipal"))
        .and_then(|p| p.name.as_ref())
    {
        Some(n) => n.value.clone().into_owned(),
        None => {
            let name = support::api_name(&format!("{name}_Principal"));
            ed.insert(root, principal(&name));
            name
        }
    };
    let mut changes = vec![support::edit_of(file, ed.finish())];
    // The named credentials that call Exchange Online through it.
    let named: Vec<FileId> = ctx
        .facts
        .referencing(id)
        .filter(|c| {
            c.url
                .as_ref()
                .is_some_and(|(_, u)| u.class.exchange_online().is_some())
        })
        .map(|c| c.file)
        .collect();
    if api == Api::Graph {
        // Each named credential's Url moves to Graph, in its own cloud.
        for &nc_id in &named {
            let (nc_file, nc_tree) = support::parsed(ctx, nc_id)?;
            let Some(nc) = NamedCredential::of(nc_file) else {
                continue;
            };
            let Some(url) = nc.url() else { continue };
            let Some(nc_cloud) =
                crate::hosts::UrlInfo::parse(&url.value).and_then(|u| u.class.exchange_online())
            else {
                continue;
            };
            let mut nc_ed = XmlEditor::new(&nc_file.text, nc_tree);
            nc_ed.set_value(url.element, &graph_url(nc_cloud));
            changes.push(support::edit_of(nc_file, nc_ed.finish()));
        }
    }
    let remains = Remains {
        ec: name,
        principal: &principal_name,
        placeholder,
        named,
    };
    let note = setup_note(ctx, api, &remains);
    Ok(support::draft(Some(note), changes))
}

fn legacy_oauth(ctx: &Context, id: FileId, cloud: Cloud) -> Result<Draft, String> {
    let lang = ctx.lang;
    let (file, tree) = support::parsed(ctx, id)?;
    let nc = NamedCredential::of(file).ok_or_else(|| "not a named credential".to_owned())?;
    let text = file.text.as_str();
    let root = nc.root.id;
    let scope = format!(
        "https://{}/EWS.AccessAsUser.All offline_access",
        cloud.exchange_host()
    );
    let mut changes = Vec::new();
    let mut note = String::new();
    let existing = ctx.project.files.iter().find(|f| {
        AuthProvider::of(f)
            .and_then(|ap| ap.provider_type())
            .is_some_and(|t| t.is("Microsoft"))
    });
    let provider = match existing {
        Some(f) => f.api_name().to_owned(),
        None => {
            let username = nc.username().map(|u| u.value.into_owned());
            let (tenant, placeholder) = support::tenant(ctx, username.as_deref());
            let dir = support::folder_for(ctx, MetadataKind::AuthProvider, &file.path);
            let name = support::unique_name(
                ctx,
                "Microsoft_Exchange",
                MetadataKind::AuthProvider,
                &dir,
                file.format,
            );
            let login = cloud.login_host();
            let path = dir.join(MetadataKind::AuthProvider.file_name(&name, file.format));
            let ap = new_file(
                MetadataKind::AuthProvider.root_element(),
                vec![
                    text_el(
                        "authorizeUrl",
                        &format!("https://{login}/{tenant}/oauth2/v2.0/authorize"),
                    ),
                    text_el("consumerKey", CLIENT_ID_PLACEHOLDER),
                    text_el("defaultScopes", &scope),
                    text_el("friendlyName", "Microsoft Exchange"),
                    text_el("includeOrgIdInIdentifier", "false"),
                    text_el("isPluginIncluded", "false"),
                    text_el("providerType", "Microsoft"),
                    text_el("requireMfa", "false"),
                    text_el("sendAccessTokenInHeader", "true"),
                    text_el("sendClientCredentialsInHeader", "false"),
                    text_el("sendSecretInApis", "true"),
                    text_el("tokenUrl", &token_url(cloud, &tenant)),
                ],
                line_ending(text),
            );
            changes.push(FileChange::Create { path, text: ap });
            let c = CLIENT_ID_PLACEHOLDER;
            note.push_str(&tr!(
                lang,
                "New auth provider {name}: replace {c} with the client id of an app registered in Microsoft Entra ID (delegated permission EWS.AccessAsUser.All) and enter its secret in Setup.",
                "新しい認証プロバイダー {name}: {c} を Microsoft Entra ID に登録したアプリ（委任されたアクセス許可 EWS.AccessAsUser.All）のクライアント ID に置き換え、シークレットを設定画面で入力してください。"
            ));
            if placeholder {
                let p = TENANT_PLACEHOLDER;
                note.push(' ');
                note.push_str(&tr!(
                    lang,
                    "Replace {p} in its URLs with your tenant id or verified domain.",
                    "URL の {p} をテナント ID または検証済みドメインに置き換えてください。"
                ));
            }
            note.push(' ');
            name
        }
    };
    let mut ed = XmlEditor::new(text, tree);
    if let Some(p) = nc.protocol() {
        ed.set_value(p.element, "Oauth");
    }
    for name in ["username", "password"] {
        for el in tree.children_named(text, root, name).collect::<Vec<_>>() {
            ed.remove(el);
        }
    }
    if let Some(endpoint) = nc.endpoint() {
        strip_userinfo(&mut ed, endpoint.element, &endpoint.value);
    }
    ed.set_child(root, "authProvider", &provider);
    ed.set_child(root, "oauthScope", &scope);
    note.push_str(&tr!(
        lang,
        "Then authenticate the named credential in Setup (Named Credentials → Edit → Start Authentication Flow on Save) as the mailbox user.",
        "その後、設定画面で指定ログイン情報を編集し「保存時に認証フローを開始」でメールボックスのユーザーとして認証してください。"
    ));
    changes.insert(0, support::edit_of(file, ed.finish()));
    Ok(support::draft(Some(note), changes))
}

#[cfg(test)]
mod tests {
    use super::without_userinfo;

    #[test]
    fn user_info_is_cut_whatever_the_url_starts_with() {
        for (url, stripped) in [
            (
                "https://svc:Pw2025!@outlook.office365.com/EWS/Exchange.asmx",
                "https://outlook.office365.com/EWS/Exchange.asmx",
            ),
            (
                "svc:Pw2025!@outlook.office365.com/EWS/Exchange.asmx",
                "outlook.office365.com/EWS/Exchange.asmx",
            ),
            (
                "svc@contoso.com:Pw@outlook.office365.com",
                "outlook.office365.com",
            ),
            ("https://a:b@c:443/x?y=@z", "https://c:443/x?y=@z"),
        ] {
            assert_eq!(without_userinfo(url).as_deref(), Some(stripped), "{url}");
        }
        assert_eq!(
            without_userinfo("https://outlook.office365.com/EWS/Exchange.asmx"),
            None
        );
    }
}
