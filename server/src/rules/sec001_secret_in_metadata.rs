use super::{Context, Rule};
use crate::diagnostic::{Finding, Severity};
use crate::fix::xml_edit::XmlEditor;
use crate::fix::{support, Draft, Fixer, Offer};
use crate::metadata::{
    is_literal_basic_credential, AuthProvider, ExternalCredential, Field, NamedCredential,
};
use crate::tr;

pub static RULE: Rule = Rule {
    id: "SEC001",
    name: "secret-in-metadata",
    default_severity: Severity::Error,
    escalation: None,
    fixer: Some(&FIXER),
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
**Remove the secret** (preferred): deletes the element (and its line when it
is alone on it); for an `AuthHeader` parameter, the whole
`externalCredentialParameters` entry, since a header without its value is
not deployable. Enter the value in Setup instead. Rotate the secret: it stays
in the repository's history.

Safety: safe for the file (nothing else changes, the result is re-parsed
before it is written); a deploy of the file no longer sets the value, which
Salesforce never retrieves anyway.
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

pub static FIXER: Fixer = Fixer {
    offers: fix_offers,
    build: fix_build,
};

fn fix_offers(ctx: &Context, finding: &Finding) -> Vec<Offer> {
    support::single_offer(
        ctx,
        finding,
        "remove-secret",
        tr!(ctx.lang, "Remove the secret", "シークレットを削除"),
    )
}

fn fix_build(ctx: &Context, finding: &Finding, _: &Offer) -> Result<Draft, String> {
    let lang = ctx.lang;
    let (file, tree) = support::parsed(ctx, finding.file)?;
    let text = file.text.as_str();
    let id = support::element_at(tree, &finding.range).ok_or_else(|| {
        lang.pick("the element is gone", "要素が見つかりません")
            .to_owned()
    })?;
    // A header parameter without its value does not deploy: remove the
    // whole parameter.
    let target = match tree.element(id).parent {
        Some(p)
            if tree
                .local_name(text, id)
                .eq_ignore_ascii_case("parameterValue")
                && tree
                    .local_name(text, p)
                    .eq_ignore_ascii_case("externalCredentialParameters") =>
        {
            p
        }
        _ => id,
    };
    let mut editor = XmlEditor::new(text, tree);
    editor.remove(target);
    let note = tr!(
        lang,
        "Enter the value in Setup instead, and rotate it: it stays in the repository's history.",
        "値は設定画面で入力し、変更（ローテーション）してください。リポジトリの履歴には残っています。"
    );
    Ok(support::draft(
        Some(note),
        vec![support::edit_of(file, editor.finish())],
    ))
}
