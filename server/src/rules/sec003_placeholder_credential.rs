use super::rule::{headed, Context, Rule};
use super::sec001_secret_in_metadata::secret_findings;
use crate::diagnostic::{Finding, Severity};
use crate::secrets::SecretClass;
use crate::tr;

pub static RULE: Rule = Rule {
    id: "SEC003",
    name: "placeholder-credential",
    default_severity: Severity::Info,
    escalation: None,
    breaks_on: None,
    fixer: None,
    summary: "A secret field holds a well-known default value that would deploy as a guessable credential",
    doc: r#"## What it does
Notes a secret field (a named credential's `password`, `oauthToken` or
`oauthRefreshToken`, an auth provider's `consumerSecret`, a literal `Basic`
`AuthHeader`) whose value is a well-known default: `changeme`, `change_me`,
`changeit`, `dummy`, `password`, `secret`, `test`, `placeholder` (case,
`_`, `-` and spaces ignored). The value is never printed.

Markers that are never deployed as they are (`Placeholder_Value`,
substitution tokens such as `${X}`, `REPLACE…`, `<…>`, `TODO`, `xxx`) are
not reported at all; see SEC001 for the full list.

## Why is this bad?
It is not a leak (SEC001 does not report it and nobody needs to rotate it),
but unlike a mask or a pipeline token it deploys: the org would then hold a
guessable credential, or a credential that simply fails to sign in. Make
sure the pipeline or an admin replaces it before it reaches an org that
matters.

## Example
```xml
<NamedCredential xmlns="http://soap.sforce.com/2006/04/metadata">
    <username>change</username>
    <password>changeme</password>
</NamedCredential>
```

## Fix
None: nothing in the file is wrong to keep, and deleting the value would
break a template or pipeline that relies on it. Turn the note off with
`"rules": { "SEC003": "off" }` if the project uses such values on purpose.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let lang = ctx.lang;
    let keep = |class| class == SecretClass::DeployablePlaceholder;
    secret_findings(ctx, &RULE, keep, out, |element, object| {
        let detail = tr!(
            lang,
            "the {element} of {object} is a well-known default value, not a leaked secret; if it is deployed as it is, the org holds a guessable credential. Make sure the real value is entered in Setup or supplied by the deploy.",
            "{object} の {element} はよく知られた初期値で、漏えいしたシークレットではありません。このままデプロイすると推測しやすい認証情報になります。本当の値を設定画面で入力するか、デプロイ時に与えてください。"
        );
        let problem = lang.pick(
            "Guessable default credential",
            "推測しやすい初期値の認証情報",
        );
        headed(lang, problem, &detail)
    });
}
