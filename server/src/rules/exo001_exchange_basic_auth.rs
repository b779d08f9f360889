use super::lightning_sync::basic_auth_status;
use super::rule::Fixer;
use super::rule::{Context, Rule};
use super::support::{self, CLIENT_ID_PLACEHOLDER, TENANT_PLACEHOLDER};
use crate::diagnostic::{Finding, Related, Severity};
use crate::domain::Cloud;
use crate::edit::xml_edit::{line_ending, new_file, NewElement, XmlEditor};
use crate::edit::{Draft, FileChange, Offer};
use crate::facts::Credential;
use crate::facts::{password_evidence, Auth};
use crate::metadata::{AuthProvider, MetadataKind};
use crate::metadata::{ExternalCredential, NamedCredential};
use crate::source::FileId;
use crate::tr;

pub static RULE: Rule = Rule {
    id: "EXO001",
    name: "exchange-basic-auth",
    default_severity: Severity::Error,
    escalation: None,
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
  parameter is an Exchange Online host.

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
- **Convert to OAuth 2.0 (External Credential, client credentials)**
  (preferred): the legacy named credential becomes a `SecuredEndpoint` with a
  `Url` parameter (the old endpoint, byte for byte) and an `Authentication`
  parameter referencing a **new** external credential
  (`externalCredentials/<NC>_OAuth…`, never overwriting a file; `_2`, `_3`…
  when the name is taken) with `authenticationProtocol` Oauth,
  `AuthProtocolVariant` ClientCredentialsClientSecret, `AuthProviderUrl` =
  `https://<login host>/<tenant>/oauth2/v2.0/token` of the same cloud, the
  scope `https://<exchange host>/.default` and one named principal. `username`,
  `password`, `principalType`, `protocol` and `endpoint` are removed; every
  other element (and comment) stays. An existing basic external credential is
  rewritten in place the same way (its `Basic` header parameters removed, its
  principals kept). Tenant: the declared `tenant`, else the domain of the old
  `username`, else the placeholder `TENANT-ID-OR-DOMAIN`, named in the fix's
  message.
- **Switch to OAuth 2.0 with a Microsoft auth provider** (legacy named
  credentials only): `protocol` Oauth, `authProvider` = an existing auth
  provider of type Microsoft (else a new `authproviders/Microsoft_Exchange…`
  file with the v2.0 URLs and a client-id placeholder), `oauthScope` = the
  delegated EWS scope plus `offline_access`; `username` and `password` removed.

Safety: the credential keeps failing until the app is registered in Entra ID
(application permission `full_access_as_app` with admin consent for client
credentials; delegated `EWS.AccessAsUser.All` for the auth provider), its
client id and secret are entered in Setup and users get access to the
principal through a permission set; it fails already. Apex that calls
`callout:<NC>` keeps working unchanged. Review the diff (`check --diff`)
before deploying.
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
        let message = tr!(
            lang,
            "{object} sends a password (basic authentication) to {cloud} ({host}). {status}, so every callout through it fails. Convert it to OAuth 2.0.",
            "{object} は {cloud}（{host}）にパスワード（基本認証）を送信しています。{status}。この指定ログイン情報を使うコールアウトはすべて失敗します。OAuth 2.0 に変更してください。"
        );
        let mut finding = ctx.finding(&RULE, evidence.file, evidence.range.clone(), message);
        finding.related = super::apex::callers(ctx, cred.file);
        out.push(finding);
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
        let message = tr!(
            lang,
            "{object} authenticates with a password (basic authentication) and is used to call {cloud}. {status}, so these callouts fail. Convert it to OAuth 2.0 client credentials.",
            "{object} はパスワード（基本認証）で認証し、{cloud} の呼び出しに使われています。{status}。これらのコールアウトは失敗します。OAuth 2.0 クライアントクレデンシャルに変更してください。"
        );
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

const CONVERT: &str = "oauth-external-credential";
const LEGACY_OAUTH: &str = "oauth-auth-provider";

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

fn fix_offers(ctx: &Context, finding: &Finding) -> Vec<Offer> {
    let lang = ctx.lang;
    let Ok((file, _)) = support::parsed(ctx, finding.file) else {
        return Vec::new();
    };
    if cloud_of(ctx, finding.file).is_none() {
        return Vec::new();
    }
    let mut out = vec![Offer {
        id: CONVERT.into(),
        title: tr!(
            lang,
            "Convert to OAuth 2.0 (External Credential, client credentials)",
            "OAuth 2.0 に変換する（外部ログイン情報、クライアントクレデンシャル）"
        ),
        preferred: true,
    }];
    if NamedCredential::of(file).is_some_and(|nc| nc.is_legacy()) {
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
    match (offer.id.as_str(), NamedCredential::of(file)) {
        (CONVERT, Some(_)) => convert_named(ctx, finding.file, cloud),
        (CONVERT, None) => convert_external(ctx, finding.file, cloud),
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
fn oauth_parameters(cloud: Cloud, tenant: &str) -> [(&'static str, &'static str, String); 3] {
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
            format!("https://{}/.default", cloud.exchange_host()),
        ),
    ]
}

fn setup_note(ctx: &Context, ec: &str, principal: &str, placeholder: bool) -> String {
    let lang = ctx.lang;
    let mut note = tr!(
        lang,
        "Register an app in Microsoft Entra ID with the Exchange application permission full_access_as_app (admin consent); in Setup, enter its client id and secret on the principal {principal} of the external credential {ec}, and give the users who make the callouts access to that principal through a permission set.",
        "Microsoft Entra ID にアプリを登録して Exchange のアプリケーション権限 full_access_as_app を付与（管理者の同意）し、設定画面で外部ログイン情報 {ec} のプリンシパル {principal} にクライアント ID とシークレットを入力して、コールアウトを行うユーザーに権限セットでそのプリンシパルへのアクセスを付与してください。"
    );
    if placeholder {
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

fn convert_named(ctx: &Context, id: FileId, cloud: Cloud) -> Result<Draft, String> {
    let (file, tree) = support::parsed(ctx, id)?;
    let nc = NamedCredential::of(file).ok_or_else(|| "not a named credential".to_owned())?;
    let text = file.text.as_str();
    let root = nc.root.id;
    let endpoint = nc
        .endpoint()
        .ok_or_else(|| "the named credential has no endpoint".to_owned())?;
    let raw_url = tree
        .value_range(text, endpoint.element)
        .map(|r| text[r].to_owned())
        .ok_or_else(|| "the endpoint has no value".to_owned())?;
    let username = nc.username().map(|u| u.value.into_owned());
    let (tenant, placeholder) = support::tenant(ctx, username.as_deref());
    let api = file.api_name();
    let dir = support::folder_for(ctx, MetadataKind::ExternalCredential, &file.path);
    let ec_name = support::unique_name(
        ctx,
        &format!("{api}_OAuth"),
        MetadataKind::ExternalCredential,
        &dir,
        file.format,
    );
    let ec_path = dir.join(MetadataKind::ExternalCredential.file_name(&ec_name, file.format));
    let label = nc
        .label()
        .map(|l| l.value.into_owned())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| api.to_owned());
    let principal_name = support::api_name(&format!("{api}_Principal"));

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
    ed.insert(
        root,
        NewElement::parent(
            "namedCredentialParameters",
            vec![
                text_el("parameterName", "Url"),
                text_el("parameterType", "Url"),
                NewElement::raw("parameterValue", &raw_url),
            ],
        ),
    );
    ed.insert(
        root,
        NewElement::parent(
            "namedCredentialParameters",
            vec![
                text_el("externalCredential", &ec_name),
                text_el("parameterName", "ExternalCredential"),
                text_el("parameterType", "Authentication"),
            ],
        ),
    );
    let mut children = vec![text_el("authenticationProtocol", "Oauth")];
    for (kind, name, value) in oauth_parameters(cloud, &tenant) {
        children.push(ec_parameter(name, kind, &value));
    }
    children.push(principal(&principal_name));
    children.push(text_el("label", &format!("{label} (OAuth)")));
    let ec_text = new_file(
        MetadataKind::ExternalCredential.root_element(),
        children,
        line_ending(text),
    );
    let note = setup_note(ctx, &ec_name, &principal_name, placeholder);
    Ok(support::draft(
        Some(note),
        vec![
            support::edit_of(file, ed.finish()),
            FileChange::Create {
                path: ec_path,
                text: ec_text,
            },
        ],
    ))
}

fn convert_external(ctx: &Context, id: FileId, cloud: Cloud) -> Result<Draft, String> {
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
    for (kind, name, value) in oauth_parameters(cloud, &tenant) {
        let existing = params.iter().find(|p| {
            p.is_kind(kind)
                && (kind != "AuthParameter" || p.name.as_ref().is_some_and(|n| n.is(name)))
        });
        match existing {
            Some(p) => ed.set_child(p.element, "parameterValue", &value),
            None => ed.insert(root, ec_parameter(name, kind, &value)),
        }
    }
    let api = file.api_name();
    let principal_name = match params
        .iter()
        .find(|p| p.is_kind("NamedPrincipal"))
        .and_then(|p| p.name.as_ref())
    {
        Some(n) => n.value.clone().into_owned(),
        None => {
            let name = support::api_name(&format!("{api}_Principal"));
            ed.insert(root, principal(&name));
            name
        }
    };
    let note = setup_note(ctx, api, &principal_name, placeholder);
    Ok(support::draft(
        Some(note),
        vec![support::edit_of(file, ed.finish())],
    ))
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
