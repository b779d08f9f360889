use super::{Context, Rule};
use crate::diagnostic::{Finding, Severity};
use crate::metadata::{
    is_literal_basic_credential, AuthProvider, ExternalCredential, Field, NamedCredential,
};
use crate::tr;

pub static RULE: Rule = Rule {
    id: "SEC001",
    name: "secret-in-metadata",
    default_severity: Severity::Error,
    escalation: None,
    fixable: true,
    summary: "A secret value is committed in metadata",
    doc: r#"## What it does
Reports non-empty secret values in metadata files: a named credential's
`password`, `oauthToken` or `oauthRefreshToken`; an auth provider's
`consumerSecret`; an external credential `AuthHeader` parameter holding a
literal `Basic <base64>` value (user name and password, merely encoded).

The value itself is never printed, in any output format.

## Why is this bad?
Everyone who can read the repository (and its history, CI logs and forks)
can read the secret. A Salesforce retrieve never returns these values; a file
that has them was edited by hand. For Exchange, a service account's password
often opens a mailbox with access to every user's calendar.

## Example
```xml
<NamedCredential xmlns="http://soap.sforce.com/2006/04/metadata">
    <password>…</password>
</NamedCredential>
```

## Fix
**Remove the secret**: deletes the element (and its line when it is alone on
it). Enter the value in Setup instead. Rotate the secret: it stays in the
repository's history.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let lang = ctx.lang;
    for (id, file) in ctx.project.files.iter().enumerate() {
        let mut secrets: Vec<(Field<'_>, &str)> = Vec::new();
        if let Some(nc) = NamedCredential::of(file) {
            secrets.extend(nc.password().map(|f| (f, "password")));
            secrets.extend(nc.oauth_token().map(|f| (f, "oauthToken")));
            secrets.extend(nc.oauth_refresh_token().map(|f| (f, "oauthRefreshToken")));
        }
        if let Some(ap) = AuthProvider::of(file) {
            secrets.extend(ap.consumer_secret().map(|f| (f, "consumerSecret")));
        }
        if let Some(ec) = ExternalCredential::of(file) {
            for p in ec.parameters() {
                if p.is_kind("AuthHeader") {
                    if let Some(v) = p.value.filter(|v| is_literal_basic_credential(&v.value)) {
                        secrets.push((v, "AuthHeader"));
                    }
                }
            }
        }
        for (field, element) in secrets {
            if field.value.is_empty() {
                continue;
            }
            let object = ctx.object_name(id);
            let message = tr!(
                lang,
                "The {element} of {object} is committed in the file: anyone with access to the repository can read it. Remove it, enter it in Setup, and rotate it.",
                "{object} の {element} がファイルに含まれています。リポジトリにアクセスできる人は誰でも読めます。ファイルから削除して設定画面で入力し、値を変更（ローテーション）してください。"
            );
            out.push(ctx.finding(&RULE, id, field.range, message));
        }
    }
}
