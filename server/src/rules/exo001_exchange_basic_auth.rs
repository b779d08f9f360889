use super::lightning_sync::basic_auth_status;
use super::{Context, Rule};
use crate::diagnostic::{Finding, Related, Severity};
use crate::facts::{password_evidence, Auth};
use crate::metadata::{ExternalCredential, NamedCredential};
use crate::tr;

pub static RULE: Rule = Rule {
    id: "EXO001",
    name: "exchange-basic-auth",
    default_severity: Severity::Error,
    escalation: None,
    fixable: true,
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
  (preferred): the named credential becomes a `SecuredEndpoint` with the old
  URL, authenticating through a new external credential with OAuth 2.0 client
  credentials against the token endpoint of the same cloud and the scope
  `https://<exchange host>/.default`. An existing basic external credential is
  rewritten in place. Tenant: the declared `tenant`, else the old user name's
  domain, else a placeholder.
- **Switch to OAuth 2.0 with a Microsoft auth provider** (legacy named
  credentials): `protocol` Oauth with a Microsoft (Entra ID) auth provider and
  the delegated EWS scope.

Safety: the credential stops working until the app registration and its
secret are set up in Entra ID and Setup; the finding is broken already.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
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
        out.push(ctx.finding(&RULE, evidence.file, evidence.range.clone(), message));
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
        let mut cloud = None;
        for cred in ctx.facts.referencing(id) {
            let Some((loc, url)) = &cred.url else {
                continue;
            };
            let Some(c) = url.class.exchange_online() else {
                continue;
            };
            cloud.get_or_insert(c);
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
        out.push(f);
    }
    let _ = NamedCredential::of;
}
