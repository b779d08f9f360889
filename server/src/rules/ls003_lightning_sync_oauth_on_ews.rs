use super::lightning_sync::{ews_status, sync_findings, unknown_eac_prefix};
use super::rule::{headed, Context, Rule};
use crate::diagnostic::{Finding, Severity};
use crate::domain::{Exchange, LsConnection};
use crate::timeline;
use crate::tr;

pub static RULE: Rule = Rule {
    id: "LS003",
    name: "lightning-sync-oauth-on-ews",
    default_severity: Severity::Warning,
    escalation: Some((&timeline::LS_EXO_MOVE_DEADLINE, Severity::Error)),
    breaks_on: Some(&timeline::LS_EXO_MOVE_DEADLINE),
    fixer: Some(&FIXER),
    summary: "Lightning Sync connects to Exchange Online with OAuth 2.0, still over EWS",
    doc: r#"## What it does
Reports contact and event sync on Lightning Sync against Exchange Online when
Lightning Sync connects with OAuth 2.0 (declared as
`lightningSyncConnection: "oauth2"`).

## Why is this bad?
OAuth 2.0 kept Lightning Sync working after the 2022-10-01 basic-auth block,
but it still talks to Exchange Web Services. Salesforce required Lightning
Sync customers on Exchange Online to move to Einstein Activity Capture with
Microsoft Graph by the end of August 2026 (Salesforce Help,
`sales.lightning_sync_move_consider`, `sales.eac_graph_migration`). Lightning
Sync's OAuth 2.0 method also reads and writes over EWS (Salesforce KB
000382000), and EWS in Exchange Online is blocked by default since
2026-10-01 (only apps on the tenant's `EWSAllowedAppIDs` allow list keep
working) and shuts down on 2027-04-01 (MC1227454); Lightning Sync itself
retires in April 2027.
Severity: warning before 2026-09-01, error from then on.

## Example
```json
{ "plugins": { "exchangeAuthLint": { "exchange": "online", "lightningSyncConnection": "oauth2" } } }
```
with `enableContactAndEventSync` true and no Einstein Activity Capture.

## Fix
**Move sync to Einstein Activity Capture (user-level OAuth 2.0 over Microsoft
Graph)** (preferred): sets `enableActivityCapture` and
`provisionProductivityFeatures` to true in the EAC settings of the same
package directory as the EmailIntegration file (`settings/EAC.settings-meta.xml`,
or `settings/EAC.settings` in a metadata API format tree), creating the file
if it is missing (never over an existing one) and editing only those two
values otherwise. `enableContactAndEventSync` stays on. Before 2025-02-01 the
same change is also offered as the move to EAC with service-account OAuth 2.0
(different Setup steps). The fix's message lists what remains in Setup:
connect Exchange with user-level OAuth, add users to an activity capture
configuration. Moving to EAC is two steps: after the migration, run
"Upgrade to Microsoft Graph" in the Einstein Activity Capture settings
(`sales.eac_graph_migration`); an EAC connection still on EWS stops with
EWS. Neither step shows in metadata.

Safety: changes how activities sync once deployed; review the Setup steps the
fix names before deploying. An EAC settings file that is not well-formed
(XML001) is never rewritten: no fix is offered.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let facts = ctx.facts;
    if !facts.lightning_sync_with_exchange() {
        return;
    }
    let (Some(exchange), Some(conn)) = (&facts.exchange, &facts.ls_connection) else {
        return;
    };
    let Exchange::Online(cloud) = exchange.value() else {
        return;
    };
    if conn.value() != LsConnection::OAuth2 {
        return;
    }
    let lang = ctx.lang;
    let cloud = cloud.display();
    let deadline = timeline::LS_EXO_MOVE_DEADLINE.when(lang);
    let ews = ews_status(ctx.as_of, lang);
    let detail = if ctx.as_of.reached(&timeline::LS_EXO_MOVE_DEADLINE) {
        tr!(
            lang,
            "Lightning Sync connects to {cloud} with OAuth 2.0, which still uses Exchange Web Services: {ews}. Lightning Sync customers on Exchange Online had to move to Einstein Activity Capture with Microsoft Graph by {deadline}. Move sync to Einstein Activity Capture with user-level OAuth 2.0, then run \"Upgrade to Microsoft Graph\" in its settings.",
            "Lightning Sync は OAuth 2.0 で {cloud} に接続していますが、通信には引き続き Exchange Web Services（EWS）を使っています。{ews}。Exchange Online の Lightning Sync 利用者は {deadline}までに Microsoft Graph を使う Einstein 活動キャプチャへ移行する必要がありました。ユーザーレベルの OAuth 2.0 で Einstein 活動キャプチャに移行し、その設定で「Microsoft Graph にアップグレード」を実行してください。"
        )
    } else {
        tr!(
            lang,
            "Lightning Sync connects to {cloud} with OAuth 2.0, which still uses Exchange Web Services: {ews}. Lightning Sync customers on Exchange Online must move to Einstein Activity Capture with Microsoft Graph by {deadline}. Move sync to Einstein Activity Capture with user-level OAuth 2.0, then run \"Upgrade to Microsoft Graph\" in its settings.",
            "Lightning Sync は OAuth 2.0 で {cloud} に接続していますが、通信には引き続き Exchange Web Services（EWS）を使っています。{ews}。Exchange Online の Lightning Sync 利用者は {deadline}までに Microsoft Graph を使う Einstein 活動キャプチャへ移行する必要があります。ユーザーレベルの OAuth 2.0 で Einstein 活動キャプチャに移行し、その設定で「Microsoft Graph にアップグレード」を実行してください。"
        )
    };
    let related = ctx.related(exchange.evidence());
    let problem = lang.pick(
        "Lightning Sync over EWS (OAuth 2.0)",
        "EWS を使う Lightning Sync（OAuth 2.0）",
    );
    let message = headed(
        lang,
        problem,
        &format!("{}{detail}", unknown_eac_prefix(ctx)),
    );
    sync_findings(ctx, &RULE, &message, &related, out);
}

pub static FIXER: super::rule::Fixer = super::rule::Fixer {
    offers: |ctx, finding| super::lightning_sync::ls_offers(ctx, finding, false),
    build: super::lightning_sync::ls_build,
};
