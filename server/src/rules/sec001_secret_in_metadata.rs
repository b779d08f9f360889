use super::rule::Fixer;
use super::rule::{headed, Context, Rule};
use super::support;
use crate::diagnostic::{Finding, Severity};
use crate::edit::xml_edit::XmlEditor;
use crate::edit::{Draft, Offer};
use crate::i18n::Lang;
use crate::metadata::secret::secret_fields;
use crate::secrets::SecretClass;
use crate::tr;

pub static RULE: Rule = Rule {
    id: "SEC001",
    name: "secret-in-metadata",
    default_severity: Severity::Error,
    escalation: None,
    breaks_on: None,
    fixer: Some(&FIXER),
    summary: "A secret value is committed in metadata",
    doc: r#"## What it does
Reports non-empty secret values in metadata files: a named credential's
`password`, `oauthToken`, `oauthRefreshToken` or `awsAccessSecret`; an
auth provider's `consumerSecret`; an external credential `AuthParameter`
named like a secret (`Password`, `ClientSecret`) holding a written-out
value; an external credential `AuthHeader` parameter or a named
credential `HttpHeader` parameter holding a literal `Basic <base64>` value
(user name and password, merely encoded), bare or written as a formula
string: `'Basic <base64>'`, `"Basic <base64>"`, `{!'Basic <base64>'}`
(the whole value is masked), or a formula that writes the password out
(`{!'Basic ' & BASE64ENCODE(BLOB('svc:…'))}`, `BLOB('svc' & ':' & '…')`).
Merge fields and formulas that take the credential from them
(`{!$Credential.Password}`, `{!'Basic ' &
BASE64ENCODE(BLOB($Credential.UserName & ':' & $Credential.Password))}`)
are not secrets: Salesforce fills them at callout time; neither is a merge
field or a pipeline token inside the quotes (`'Basic {!$Credential.X.Token}'`,
`'Basic ${X}'`). The password a `Basic` token encodes is masked wherever
it is repeated in clear (a label, another file).

In custom metadata records (`customMetadata/Type.Record.md-meta.xml`) it
reports the `<value>` of a field named like a secret (`Client_Secret__c`,
`Password__c`, `Api_Key__c`, `Refresh_Token__c`, and names whose parts
are short or translated words for a password: `Pass__c`, `PW__c`,
`Svc_Pwd__c`, `Passphrase__c`, `Passcode__c`, `Kennwort__c`,
`Mot_de_passe__c`, `Wachtwoord__c`, `Parola__c`, `Haslo__c`,
`Basic_Auth__c`; not `Token_Endpoint__c`, `Secret_Name__c` or
`Passenger__c`) unless it is a URL, a flag or a number, and an Entra
ID client secret (40 characters with `Q~` after the fourth) in any field.
A field whose name only may hold a credential (`Key__c`, `Auth__c`,
`Authorization__c`, `EWS_Login__c`, `Credential__c`, `Bearer__c`,
`Pin__c`) is masked in every output but not reported.
Records that mention no secret-like name, Microsoft host or EWS are not
even parsed.

The value itself is never printed, in any output format.

Not every value in a secret field is a secret. These are **not** reported
(the same list holds for every rule that looks for secrets):

| value | why it is not a secret |
|---|---|
| `Placeholder_Value`, `********` | what a Salesforce retrieve writes instead of an auth provider's `consumerSecret`: a mask, the secret never left the org |
| `${X}`, `$X`, `{{X}}`, `%X%`, `#{X}`, `#{X}#`, `$(X)`, `__X__` | substitution tokens that a CI pipeline fills at deploy time; deleting one breaks that deploy |
| `REPLACE…`, `YOUR_…`, `<…>`, `TODO`, `TBD`, `FIXME`, `xxx` | template markers, never meant to be deployed as they are |
| empty or whitespace only | nothing is committed |

A well-known default password (`changeme`, `change_me`, `changeit`,
`dummy`, `password`, `secret`, `test`, `placeholder`) is not a leak either,
so SEC001 does not report it, never tells you to rotate it and no fix deletes
it; it *would* deploy as a guessable credential, which SEC003
(placeholder-credential, info) notes. For an `AuthHeader` or `HttpHeader`,
what follows `Basic ` is classified.

In Apex classes and triggers it reports the string literal holding a
Microsoft client secret: the Entra ID secret shape (40 characters with `Q~`
after the fourth) anywhere, and, in a class that talks to a Microsoft host,
a `client_secret=` value in a form body, a `clientSecret` constant or a
`put('client_secret', …)` value, classified as above (a `${TOKEN}` or
`REPLACE_ME` is not a secret). It also reports Basic credentials committed
in a class that sends an `Authorization: Basic` header to Exchange (Online
or on-premises): the literal after the colon of `Blob.valueOf(user + ':' +
'…')`, `Blob.valueOf('user:…')` or `Blob.valueOf('user:' + pw())`, the
password of `String.join(new List<String>{user, '…'}, ':')`, a ready-made
`'Basic <base64>'` token (in one literal, split over several, or in a
variable, constant or method the header adds), and a literal assigned to
(or returned by) a password-named variable, constant, method or map key
(`SERVICE_PASSWORD`, `svcPass`, `getPassword()`, `put('password', …)`),
once per credential. The same shapes in a class that calls another
service (Jira, say) or in a test class are masked in every output but not
reported, and so are URL user info split over literals, a literal that is
base64 of `user:password`, and a `password=` field of a form body or query. The fix is by hand: move the secret into an External Credential in Setup (for
Exchange Online, OAuth 2.0 for Microsoft Graph), and change the password.

## Why is this bad?
Everyone who can read the repository (and its history, CI logs and forks)
can read the secret. A Salesforce retrieve never returns these values (an
auth provider's `consumerSecret` comes back as `Placeholder_Value`); a file
that has a real one was edited by hand. For Exchange, a service account's password
often opens a mailbox with access to every user's calendar.

## Example
```xml
<NamedCredential xmlns="http://soap.sforce.com/2006/04/metadata">
    <password>…</password>
</NamedCredential>
```

## Fix
**Remove the secret** (preferred): deletes the element (and its line when it
is alone on it); for an `AuthHeader` or `HttpHeader` parameter, the whole
`externalCredentialParameters` / `namedCredentialParameters` entry, since a
header without its value is not deployable; for a custom metadata value,
its `<values>` entry (the field is then unset). Enter the value in Setup instead. Rotate the secret: it stays
in the repository's history.

Safety: safe for the file (nothing else changes, the result is re-parsed
before it is written); a deploy of the file no longer sets the value, which
Salesforce never retrieves anyway.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let lang = ctx.lang;
    super::apex::secret_findings(ctx, &RULE, &committed_secret(lang), out);
    super::apex::basic_credential_findings(ctx, &RULE, &committed_secret(lang), out);
    secret_findings(
        ctx,
        &RULE,
        SecretClass::is_secret,
        out,
        |element, object| {
            let detail = tr!(
                lang,
                "the {element} of {object} is in the file; anyone with access to the repository can read it. Remove it, enter it in Setup, and rotate it.",
                "{object} の {element} がファイルに含まれています。リポジトリにアクセスできる人は誰でも読めます。ファイルから削除して設定画面で入力し、値を変更（ローテーション）してください。"
            );
            headed(lang, &committed_secret(lang), &detail)
        },
    );
}

/// What SEC001 leads with.
pub(super) fn committed_secret(lang: Lang) -> String {
    lang.pick(
        "Secret committed in metadata",
        "メタデータにコミットされたシークレット",
    )
    .to_owned()
}

/// One finding of `rule` per secret field whose class `keep` accepts;
/// `message` gets the element's name and the object's.
pub(super) fn secret_findings(
    ctx: &Context,
    rule: &'static Rule,
    keep: fn(SecretClass) -> bool,
    out: &mut Vec<Finding>,
    message: impl Fn(&str, &str) -> String,
) {
    for (id, file) in ctx.project.files.iter().enumerate() {
        for secret in secret_fields(file) {
            if keep(secret.class) {
                let text = message(secret.element, &ctx.object_name(id));
                out.push(ctx.finding(rule, id, secret.field.range, text));
            }
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
        // A custom metadata value goes with its `<values>` entry (the
        // field is then unset).
        Some(p)
            if tree.local_name(text, id).eq_ignore_ascii_case("value")
                && tree.local_name(text, p).eq_ignore_ascii_case("values") =>
        {
            p
        }
        Some(p)
            if tree
                .local_name(text, id)
                .eq_ignore_ascii_case("parameterValue")
                && ["externalCredentialParameters", "namedCredentialParameters"]
                    .iter()
                    .any(|n| tree.local_name(text, p).eq_ignore_ascii_case(n)) =>
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
