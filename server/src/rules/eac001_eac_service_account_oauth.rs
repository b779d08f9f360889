use super::rule::{headed, Context, Rule};
use crate::diagnostic::{Finding, Severity};
use crate::metadata::{EacSettings, Field};
use crate::timeline;
use crate::tr;

pub static RULE: Rule = Rule {
    id: "EAC001",
    name: "eac-service-account-oauth",
    default_severity: Severity::Warning,
    escalation: None,
    breaks_on: Some(&timeline::EAC_SERVICE_ACCOUNT_RETIRED),
    fixer: None,
    summary: "Einstein Activity Capture was flagged for service-account OAuth to Exchange Online",
    doc: r#"## What it does
Reports `s2XSvcAccEmail` set to true in `EAC.settings` (API 62+): Salesforce
sets it when it has warned the org that Einstein Activity Capture connects to
Exchange Online with a **service account** over OAuth. Not reported when
the project says the org's mail system is Google only (Gmail integration
on, Outlook off, nothing pointing at Microsoft, or `exchange: "none"`).

## Why is this bad?
Service-account OAuth from Einstein Activity Capture to Office 365 was retired
on 2025-02-01 (Salesforce Knowledge Article 002420794). Such a connection no
longer syncs email or events. Reconnect with user-level OAuth or
application-level OAuth over Microsoft Graph.

## Example
```xml
<EACSettings xmlns="http://soap.sforce.com/2006/04/metadata">
    <enableActivityCapture>true</enableActivityCapture>
    <s2XSvcAccEmail>true</s2XSvcAccEmail>
</EACSettings>
```

## Fix
None in files: the connection is changed in Setup → Einstein Activity Capture
→ Settings. Salesforce clears the flag itself.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    // Gmail only: the flag cannot be about Exchange.
    if !ctx.facts.exchange_in_play() {
        return;
    }
    for (id, file) in ctx.project.files.iter().enumerate() {
        let Some(eac) = EacSettings::of(file) else {
            continue;
        };
        let Some(flag) = eac.s2x_svc_acc_email().filter(Field::is_true) else {
            continue;
        };
        let lang = ctx.lang;
        let when = timeline::EAC_SERVICE_ACCOUNT_RETIRED.when(lang);
        let problem = if ctx.as_of.reached(&timeline::EAC_SERVICE_ACCOUNT_RETIRED) {
            tr!(
                lang,
                "EAC service-account OAuth, retired on {when}",
                "EAC のサービスアカウント OAuth（{when}に廃止）"
            )
        } else {
            tr!(
                lang,
                "EAC service-account OAuth, retiring on {when}",
                "EAC のサービスアカウント OAuth（{when}に廃止予定）"
            )
        };
        let detail = tr!(
            lang,
            "Salesforce flagged this org's Einstein Activity Capture settings for service-account OAuth to Exchange Online. Reconnect Exchange in Setup with user-level or application-level OAuth over Microsoft Graph.",
            "Salesforce はこの組織の Einstein 活動キャプチャの設定が Exchange Online にサービスアカウントの OAuth で接続していると通知しています。設定で、Microsoft Graph を使うユーザーレベルまたはアプリケーションレベルの OAuth で Exchange に再接続してください。"
        );
        let message = headed(lang, &problem, &detail);
        out.push(ctx.finding(&RULE, id, flag.range, message));
    }
}
