use super::rule::{headed, Context, Rule};
use super::support::{CLIENT_ID_PLACEHOLDER, TENANT_PLACEHOLDER};
use crate::diagnostic::{Finding, Severity};
use crate::i18n::Lang;
use crate::metadata::{AuthProvider, ExternalCredential, Field, NamedCredential};
use crate::tr;

pub static RULE: Rule = Rule {
    id: "FIX001",
    name: "unfilled-fix-placeholder",
    default_severity: Severity::Error,
    escalation: None,
    breaks_on: None,
    fixer: None,
    summary: "A placeholder a fix wrote (TENANT-ID-OR-DOMAIN, ENTRA-APPLICATION-CLIENT-ID) is still in the metadata",
    doc: r#"## What it does
Reports the placeholders this tool's fixes write where they cannot know the
value, once they are still in a file:
- `TENANT-ID-OR-DOMAIN`: the tenant in a token or authorize URL
  (`https://login.microsoftonline.com/TENANT-ID-OR-DOMAIN/oauth2/v2.0/token`),
  written by the EXO001 conversions (external credential `AuthProviderUrl`
  parameter, new auth provider) and the AP001 fix (`authorizeUrl`,
  `tokenUrl`) when the project declares no `tenant` and no service-account
  user name gives the domain;
- `ENTRA-APPLICATION-CLIENT-ID`: the `consumerKey` of the auth provider the
  legacy-OAuth EXO001 fix creates.

Only the fields those fixes write are read: a named credential's `endpoint`,
`Url` parameter and `oauthScope`; an external credential's `AuthProviderUrl`,
`AuthParameter` and `AuthProviderUrlQueryParameter` parameter values; an auth
provider's `authorizeUrl`, `tokenUrl`, `consumerKey` and `defaultScopes`. The
placeholder must stand alone (ASCII case ignored), as the whole value or
between `/`, `.`, `=`, `?` or the like: a real tenant id (a GUID) or domain
(`contoso.onmicrosoft.com`) is never reported, and neither is the same word
in a label, description or comment.

Where the real values come from: Microsoft Entra admin center → App
registrations → the app registered for this integration → Overview. Its
**Directory (tenant) ID** (or one of the tenant's verified domains) replaces
`TENANT-ID-OR-DOMAIN`; its **Application (client) ID** replaces
`ENTRA-APPLICATION-CLIENT-ID`.

A rule of its own, not part of SEC003 (placeholder credential): SEC003 notes
well-known default values in *secret* fields at info level, values a
template may keep on purpose; these placeholders sit in fields that are not
secret (URLs, a client id) and are never right to deploy, so they are
errors, and turning SEC003 off for a template's default passwords does not
hide them.

## Why is this bad?
Whether or not the deploy accepts the file, nothing it configures works:
the token request names no tenant (Entra ID answers AADSTS90002, tenant not
found), and a sign-in with an unknown client id fails (AADSTS700016). The convert fixes
say so in their note, but the note is gone once the fix is applied; this
rule keeps the remaining step in the report until it is done, so a project
is not deployed with it.

## Example
```xml
<externalCredentialParameters>
    <parameterName>AuthProviderUrl</parameterName>
    <parameterType>AuthProviderUrl</parameterType>
    <parameterValue>https://login.microsoftonline.com/TENANT-ID-OR-DOMAIN/oauth2/v2.0/token</parameterValue>
</externalCredentialParameters>
```

## Fix
Replace the placeholder by hand with the value from the Microsoft Entra
admin center (App registrations → the app → Overview: Directory (tenant) ID,
Application (client) ID); no fix does it, since only the tenant's admins
know the values. Then finish the set-up in Setup: on the external credential's principal (Setup →
Named Credentials → External Credentials → the credential → Principals)
enter the app's client id and a client secret, and give the users who make
the callouts access to the principal through a permission set; for an auth
provider, enter the client secret in Setup → Auth. Providers. To get the
tenant written by the fix instead, declare `tenant` in
`plugins.exchangeAuthLint` of `sfdx-project.json` before fixing.
"#,
    check,
};

/// The placeholders, with the problem each message leads with.
const PLACEHOLDERS: [&str; 2] = [TENANT_PLACEHOLDER, CLIENT_ID_PLACEHOLDER];

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let lang = ctx.lang;
    for (id, file) in ctx.project.files.iter().enumerate() {
        let fields = fields_fixes_write(file, lang);
        if fields.is_empty() {
            continue;
        }
        let object = ctx.object_name(id);
        for (what, field) in fields {
            for placeholder in PLACEHOLDERS {
                if !holds(&field.value, placeholder) {
                    continue;
                }
                let message = message(lang, placeholder, &what, &object);
                out.push(ctx.finding(&RULE, id, field.range.clone(), message));
            }
        }
    }
}

fn message(lang: Lang, placeholder: &str, what: &str, object: &str) -> String {
    if placeholder == TENANT_PLACEHOLDER {
        let problem = lang.pick(
            "Tenant placeholder left by a fix",
            "修正が残したテナントのプレースホルダー",
        );
        let detail = tr!(
            lang,
            "the {what} of {object} still holds {placeholder}, so requests to it reach no tenant and every sign-in or callout through it fails. Replace it with the Directory (tenant) ID or a verified domain (Microsoft Entra admin center → App registrations → the app → Overview).",
            "{object} の {what} に {placeholder} が残っています。要求の宛先テナントがなく、これを使うサインインやコールアウトはすべて失敗します。ディレクトリ（テナント）ID または検証済みドメインに置き換えてください（Microsoft Entra 管理センター → アプリの登録 → 対象のアプリ → 概要）。"
        );
        headed(lang, problem, &detail)
    } else {
        let problem = lang.pick(
            "Client id placeholder left by a fix",
            "修正が残したクライアント ID のプレースホルダー",
        );
        let detail = tr!(
            lang,
            "the {what} of {object} still holds {placeholder}, so sign-ins through it fail. Replace it with the app's Application (client) ID (Microsoft Entra admin center → App registrations → the app → Overview) and enter its client secret in Setup.",
            "{object} の {what} に {placeholder} が残っています。これを使うサインインは失敗します。アプリのアプリケーション（クライアント）ID に置き換え（Microsoft Entra 管理センター → アプリの登録 → 対象のアプリ → 概要）、クライアントシークレットを設定画面で入力してください。"
        );
        headed(lang, problem, &detail)
    }
}

/// The fields of `file` that the fixes write a placeholder into, each with
/// how messages name it. Labels, descriptions and comments are not among
/// them.
fn fields_fixes_write<'a>(
    file: &'a crate::source::SourceFile,
    lang: Lang,
) -> Vec<(String, Field<'a>)> {
    let mut out: Vec<(String, Field<'a>)> = Vec::new();
    let parameter = |name: &str| match lang {
        Lang::En => format!("{name} parameter"),
        Lang::Ja => format!("{name} パラメーター"),
    };
    if let Some(nc) = NamedCredential::of(file) {
        if let Some(f) = nc.endpoint() {
            out.push(("endpoint".to_owned(), f));
        }
        if let Some(f) = nc
            .url()
            .filter(|u| out.iter().all(|(_, f)| f.element != u.element))
        {
            out.push((parameter("Url"), f));
        }
        if let Some(f) = nc.oauth_scope() {
            out.push(("oauthScope".to_owned(), f));
        }
    } else if let Some(ec) = ExternalCredential::of(file) {
        const KINDS: [&str; 3] = [
            "AuthProviderUrl",
            "AuthParameter",
            "AuthProviderUrlQueryParameter",
        ];
        for p in ec.parameters() {
            let Some(kind) = KINDS.into_iter().find(|k| p.is_kind(k)) else {
                continue;
            };
            let Some(value) = p.value else { continue };
            // The parameter's own name (`Scope`) when it is a plain word,
            // else its type: the name is the file's text.
            let name = p
                .name
                .as_ref()
                .map(|n| n.value.trim())
                .filter(|n| {
                    !n.is_empty()
                        && n.len() <= 40
                        && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                })
                .unwrap_or(kind);
            out.push((parameter(name), value));
        }
    } else if let Some(ap) = AuthProvider::of(file) {
        for (name, f) in [
            ("authorizeUrl", ap.authorize_url()),
            ("tokenUrl", ap.token_url()),
            ("consumerKey", ap.consumer_key()),
            ("defaultScopes", ap.default_scopes()),
        ] {
            if let Some(f) = f {
                out.push((name.to_owned(), f));
            }
        }
    }
    out
}

/// `value` holds `placeholder` on its own (ASCII case ignored): the whole
/// value, or bounded by characters that are not part of a name (`/`, `.`,
/// `=`, spaces), so `MY-TENANT-ID-OR-DOMAIN-2` is not it.
fn holds(value: &str, placeholder: &str) -> bool {
    let (v, p) = (value.as_bytes(), placeholder.as_bytes());
    let part_of_name = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    v.len() >= p.len()
        && (0..=v.len() - p.len()).any(|i| {
            v[i..i + p.len()].eq_ignore_ascii_case(p)
                && (i == 0 || !part_of_name(v[i - 1]))
                && v.get(i + p.len()).is_none_or(|&b| !part_of_name(b))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_placeholder_on_its_own() {
        let url = "https://login.microsoftonline.com/TENANT-ID-OR-DOMAIN/oauth2/v2.0/token";
        assert!(holds(url, TENANT_PLACEHOLDER));
        assert!(holds("tenant-id-or-domain", TENANT_PLACEHOLDER));
        assert!(holds(" ENTRA-APPLICATION-CLIENT-ID", CLIENT_ID_PLACEHOLDER));
        assert!(holds(
            "TENANT-ID-OR-DOMAIN.onmicrosoft.com",
            TENANT_PLACEHOLDER
        ));
        for real in [
            "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token",
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
            "https://login.microsoftonline.com/MY-TENANT-ID-OR-DOMAIN/oauth2/v2.0/token",
            "TENANT-ID-OR-DOMAIN2",
            "X_TENANT-ID-OR-DOMAIN",
            "TENANT-ID",
            "",
        ] {
            assert!(!holds(real, TENANT_PLACEHOLDER), "{real}");
        }
        assert!(!holds(
            "ENTRA-APPLICATION-CLIENT-ID-2",
            CLIENT_ID_PLACEHOLDER
        ));
        assert!(!holds(
            "00000000-0000-0000-0000-000000000000",
            CLIENT_ID_PLACEHOLDER
        ));
    }
}
