use super::{Context, Rule};
use crate::diagnostic::{Finding, Severity};
use crate::metadata::AuthProvider;
use crate::timeline;
use crate::tr;

pub static RULE: Rule = Rule {
    id: "AP001",
    name: "microsoft-acs-auth-provider",
    default_severity: Severity::Warning,
    escalation: Some((&timeline::ACS_RETIRED, Severity::Error)),
    fixable: true,
    summary: "An auth provider uses Azure ACS (MicrosoftACS), which is retired",
    doc: r#"## What it does
Reports an auth provider with `providerType` MicrosoftACS.

## Why is this bad?
Azure Access Control Service was no longer available to new Microsoft 365
tenants from 2024-11-01 and was retired for all tenants on 2026-04-02, with no
extension (Microsoft 365 message center MC693863). Sign-ins through such a
provider fail. Severity: warning, error from 2026-04-02.

## Example
```xml
<AuthProvider xmlns="http://soap.sforce.com/2006/04/metadata">
    <friendlyName>SharePoint ACS</friendlyName>
    <providerType>MicrosoftACS</providerType>
</AuthProvider>
```

## Fix
**Switch to the Microsoft (Entra ID) provider type**: `providerType` Microsoft
with the v2.0 authorize and token URLs of the same cloud. Register the app in
Entra ID and update the consumer key and secret in Setup.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let lang = ctx.lang;
    for (id, file) in ctx.project.files.iter().enumerate() {
        let Some(ap) = AuthProvider::of(file) else {
            continue;
        };
        let Some(kind) = ap.provider_type().filter(|t| t.is("MicrosoftACS")) else {
            continue;
        };
        let object = ctx.object_name(id);
        let when = timeline::ACS_RETIRED.when(lang);
        let message = if ctx.as_of.reached(&timeline::ACS_RETIRED) {
            tr!(lang, "{object} uses Azure ACS (MicrosoftACS), retired for all tenants on {when}; sign-ins through it fail. Switch to the Microsoft (Entra ID) provider type.",
                "{object} は Azure ACS（MicrosoftACS）を使っています。ACS は {when}に全テナントで廃止され、この認証プロバイダーでのサインインは失敗します。Microsoft（Entra ID）プロバイダー種別に切り替えてください。")
        } else {
            tr!(lang, "{object} uses Azure ACS (MicrosoftACS), which is retired for all tenants on {when}. Switch to the Microsoft (Entra ID) provider type.",
                "{object} は Azure ACS（MicrosoftACS）を使っています。ACS は {when}に全テナントで廃止されます。Microsoft（Entra ID）プロバイダー種別に切り替えてください。")
        };
        out.push(ctx.finding(&RULE, id, kind.range, message));
    }
}
