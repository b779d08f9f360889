use super::lightning_sync::{alternatives, basic_auth_status, sync_findings, unknown_eac_prefix};
use super::rule::{headed, Context, Rule};
use crate::diagnostic::{Finding, Severity};
use crate::domain::{Exchange, LsConnection};
use crate::timeline;
use crate::tr;

pub static RULE: Rule = Rule {
    id: "LS001",
    name: "lightning-sync-service-account",
    default_severity: Severity::Error,
    escalation: None,
    breaks_on: Some(&timeline::BASIC_AUTH_BLOCKED),
    fixer: Some(&FIXER),
    summary: "Lightning Sync connects to Exchange Online with a service account's password",
    doc: r#"## What it does
Reports contact and event sync (`enableContactAndEventSync` in
`EmailIntegration.settings`) that runs on Lightning Sync (Einstein Activity
Capture is off) against Exchange Online through a service account: one shared
mailbox identity that signs in with a password.

The connection method itself lives only in Setup (no metadata type records
it), so the rule reads it from the project: declared in `sfdx-project.json`
(`plugins.exchangeAuthLint.lightningSyncConnection: "service-account"`), or
inferred from a credential that sends a shared user name and password to an
Exchange endpoint. Where Exchange lives is declared (`exchange`) or inferred
from Exchange Online hosts in credentials and remote sites. Every piece of
evidence is listed with the finding.

## Why is this bad?
A service-account connection is HTTP basic authentication against Exchange Web
Services. Exchange Online blocked basic authentication on **2022-10-01**
(Microsoft, "Deprecation of Basic authentication in Exchange Online",
MC424238); the last day it could be re-enabled was 2022-12-31. Since then
such a Lightning Sync connection syncs nothing, and says so only in Setup.
Lightning Sync customers on Exchange Online also had to move to Einstein
Activity Capture (EAC) with Microsoft Graph by the end of August 2026
(Salesforce Help, `sales.lightning_sync_move_consider`), and Lightning Sync
retires for everyone in April 2027 (`sales.exchange_sync_sys_req`).

## Example
```xml
<!-- settings/EmailIntegration.settings-meta.xml -->
<EmailIntegrationSettings xmlns="http://soap.sforce.com/2006/04/metadata">
    <enableContactAndEventSync>true</enableContactAndEventSync>
</EmailIntegrationSettings>
```
with a named credential that sends `svc-sync@contoso.com`'s password to
`https://outlook.office365.com/EWS/Exchange.asmx`.

Use instead: Einstein Activity Capture connected with user-level OAuth 2.0
(`settings/EAC.settings-meta.xml` with `enableActivityCapture` true).

## Fix
- **Move sync to Einstein Activity Capture (user-level OAuth 2.0 over
  Microsoft Graph)** (preferred): sets `enableActivityCapture` and
  `provisionProductivityFeatures` to true in `settings/EAC.settings-meta.xml`
  of the same package directory, creating it if needed. What remains is in
  Setup: connect Exchange with user-level OAuth and assign users.
- Before 2025-02-01 only: move to EAC with service-account OAuth 2.0.
- Before 2026-09-01 only: switch Lightning Sync to OAuth 2.0 (records the
  choice in `sfdx-project.json`; the switch itself is made in Setup).

Files: the EAC settings of the EmailIntegration file's package directory
(`settings/EAC.settings-meta.xml`, or `settings/EAC.settings` in a metadata
API format tree); only `enableActivityCapture` and
`provisionProductivityFeatures` change, a missing file is created (never over
an existing one), a malformed one (XML001) is never rewritten. The switch to
OAuth 2.0 edits only `plugins.exchangeAuthLint.lightningSyncConnection` in
`sfdx-project.json`, keeping its formatting and comments.

Safety: enabling EAC changes how activities sync once deployed; review the
Setup steps the fix names before deploying.
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
    if conn.value() != LsConnection::ServiceAccount {
        return;
    }
    let lang = ctx.lang;
    let cloud = cloud.display();
    let status = basic_auth_status(ctx.as_of, lang);
    let alternatives = alternatives(ctx.as_of, lang);
    let problem = tr!(
        lang,
        "Basic authentication for Lightning Sync",
        "Lightning Sync の基本認証"
    );
    let detail = tr!(
        lang,
        "Lightning Sync connects to {cloud} with a service account's password. {status}, so contact and event sync stops working. {alternatives}",
        "Lightning Sync はサービスアカウントのパスワードで {cloud} に接続しています。{status}。このままでは取引先責任者と行動が同期されません。{alternatives}"
    );
    let mut related = ctx.related(exchange.evidence());
    for r in ctx.related(conn.evidence()) {
        if !related.contains(&r) {
            related.push(r);
        }
    }
    let message = headed(
        lang,
        &problem,
        &format!("{}{detail}", unknown_eac_prefix(ctx)),
    );
    sync_findings(ctx, &RULE, &message, &related, out);
}

pub static FIXER: super::rule::Fixer = super::rule::Fixer {
    offers: |ctx, finding| super::lightning_sync::ls_offers(ctx, finding, true),
    build: super::lightning_sync::ls_build,
};
