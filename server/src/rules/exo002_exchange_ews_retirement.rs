use super::lightning_sync::ews_problem;
use super::rule::{headed, Context, Rule};
use crate::diagnostic::{Finding, Severity};
use crate::hosts::UrlInfo;
use crate::metadata::custom_metadata::CustomMetadataRecord;
use crate::metadata::RemoteSiteSetting;
use crate::timeline;
use crate::tr;

pub static RULE: Rule = Rule {
    id: "EXO002",
    name: "exchange-ews-retirement",
    default_severity: Severity::Warning,
    escalation: Some((&timeline::EWS_BLOCKED_BY_DEFAULT, Severity::Error)),
    breaks_on: Some(&timeline::EWS_SHUTDOWN),
    fixer: None,
    summary: "A URL addresses Exchange Web Services in Exchange Online, blocked by default since 2026-10-01 and shut down on 2027-04-01",
    doc: r#"## What it does
Reports every named-credential URL (`endpoint` or the `Url` parameter),
remote site URL and custom metadata record value
(`customMetadata/Type.Record.md-meta.xml`, `<values><value>…</value>`) that
addresses Exchange Web Services on an Exchange Online host (a path starting
with `/EWS/`), whatever the authentication. Records with Graph URLs, and
currency "exchange" services, report nothing: only hosts and paths count.
A remote site with `isActive` false allows no callout and is not reported.
Record URLs are evidence for the project's `exchange` fact too (the LS
rules read it).

In Apex classes and triggers (`.cls`, `.trigger`) it reports the string that
addresses EWS: an Exchange Online URL with `/EWS/` (a `setEndpoint`
argument, a WSDL2Apex stub's `endpoint_x`, a constant, or a `+`
concatenation of them), or a `callout:NAME/EWS/…` string — the named
credential may hold only the host, and a callout through a credential whose
URL is EWS counts too; the finding points at the credential. A class that
builds EWS SOAP (the namespace
`http://schemas.microsoft.com/exchange/services/2006/messages`) without
showing its endpoint is reported on its first namespace literal. A host-less
`base + '/EWS/…'` follows the project's `exchange` fact (nothing is
reported for on-premises Exchange). Links such as
`https://outlook.office.com/calendar/0/deeplink/compose` are not callouts,
and names never count (`ExchangeRateService` is a currency service).

The message names the EWS operations the class uses (in SOAP bodies,
SOAP actions and WSDL2Apex stubs) with their Microsoft Graph equivalents,
from Microsoft's "EWS to Microsoft Graph API mappings" (the calendar rows
are by analogy; the table has none):

| EWS operation | Microsoft Graph |
|---|---|
| `FindItem` | GET /users/{id}/messages (mail); GET /users/{id}/calendarView (a calendar FindItem with CalendarView) |
| `GetItem` | GET /users/{id}/messages/{id} (mail); GET /users/{id}/events/{id} (calendar) |
| `CreateItem` | POST /users/{id}/sendMail (mail); POST /users/{id}/events (CalendarItem) |
| `SendItem` | POST /users/{id}/messages/{id}/send |
| `UpdateItem` | PATCH /users/{id}/messages/{id}; PATCH /users/{id}/events/{id} |
| `DeleteItem` | DELETE /users/{id}/messages/{id}; DELETE /users/{id}/events/{id} |
| `MoveItem` | POST /users/{id}/messages/{id}/move |
| `CopyItem` | POST /users/{id}/messages/{id}/copy |
| `FindFolder` | GET /users/{id}/mailFolders |
| `GetFolder` | GET /users/{id}/mailFolders/{id} |
| `CreateFolder` | POST /users/{id}/mailFolders |
| `GetAttachment` | GET /users/{id}/messages/{id}/attachments/{id} |
| `CreateAttachment` | POST /users/{id}/messages/{id}/attachments |
| `GetUserAvailability` | POST /users/{id}/calendar/getSchedule |
| `ResolveNames` | GET /users/{id}/people?$search= or GET /users |
| `FindPeople` | GET /users/{id}/people |
| `ExpandDL` | GET /groups/{id}/members |
| `ConvertId` | POST /users/{id}/translateExchangeIds |
| `Subscribe` | POST /subscriptions |
| `GetStreamingEvents` | POST /subscriptions (change notifications) |
| `SyncFolderItems` | GET /users/{id}/mailFolders/{id}/messages/delta; GET /users/{id}/calendarView/delta |
| `SyncFolderHierarchy` | GET /users/{id}/mailFolders/delta |
| `GetUserOofSettings` | GET /users/{id}/mailboxSettings/automaticRepliesSetting |
| `SetUserOofSettings` | PATCH /users/{id}/mailboxSettings |
| `GetRoomLists` | GET /places/microsoft.graph.roomlist |
| `GetRooms` | GET /places/{room list}/microsoft.graph.roomlist/rooms |
| `GetUserPhoto` | GET /users/{id}/photo/$value |
| `ExchangeImpersonation` | no header: Graph application permissions scoped with RBAC for Applications |

## Why is this bad?
Since 2026-10-01 EWS in Exchange Online is blocked by default: it works only
for apps whose Entra app id a tenant admin put on the `EWSAllowedAppIDs`
allow list (with `EWSEnabled` set to True); on 2027-04-01 it shuts down
permanently for every app, allow list or not (Microsoft 365 message center
MC1227454; Microsoft Tech Community 4492361). Mailboxes licensed only with
Exchange Online Kiosk or F1/F3 lost EWS on 2026-06-30 (MC1191578). OAuth does
not help: the API itself goes away. Severity: warning before 2026-10-01,
error from then on. The message follows the as-of date: "will be blocked"
before 2026-10-01, "blocked unless the tenant allow-lists this app; shuts
down 2027-04-01" from then, "shut down" from 2027-04-01.

## Example
```xml
<RemoteSiteSetting xmlns="http://soap.sforce.com/2006/04/metadata">
    <isActive>true</isActive>
    <url>https://outlook.office365.com/EWS/Exchange.asmx</url>
</RemoteSiteSetting>
```

```apex
HttpRequest req = new HttpRequest();
req.setEndpoint('callout:Exchange_Online' + '/EWS/Exchange.asmx');
req.setBody('<m:FindItem xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" …>');
```

Suppress one line of Apex with
`// exchange-auth-lint-disable-next-line EXO002; reason` above it.

## Fix
None in files: moving from EWS to Microsoft Graph (`graph.microsoft.com`, or
the Graph host of your cloud) rewrites the integration's code, not only its
configuration. In Apex, replace the SOAP request with the Graph call of the
table above, through a named credential with OAuth 2.0 client credentials
(External Credential, scope `https://graph.microsoft.com/.default`).
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    super::apex::ews_findings(ctx, &RULE, out);
    let mut urls: Vec<(usize, std::ops::Range<usize>, UrlInfo)> = ctx
        .facts
        .credentials
        .iter()
        .filter_map(|c| {
            c.url
                .as_ref()
                .map(|(loc, info)| (loc.file, loc.range.clone(), info.clone()))
        })
        .collect();
    for (id, file) in ctx.project.files.iter().enumerate() {
        if let Some(site) = RemoteSiteSetting::of(file).filter(|s| !s.is_inactive()) {
            if let Some(url) = site.url() {
                if let Some(info) = UrlInfo::parse(&url.value) {
                    urls.push((id, url.range, info));
                }
            }
        }
    }
    let lang = ctx.lang;
    let (problem, status) = ews_problem(ctx.as_of, lang);
    // Custom metadata records that hold an EWS URL for an integration.
    for (id, file) in ctx.project.files.iter().enumerate() {
        let Some(record) = CustomMetadataRecord::of(file) else {
            continue;
        };
        for (value, range, info) in record.urls() {
            let Some(cloud) = info.class.exchange_online() else {
                continue;
            };
            if !info.is_ews_path() {
                continue;
            }
            let object = ctx.object_name(id);
            let graph = cloud.graph_host();
            let host = &info.host;
            let field = value.field_name();
            let detail = tr!(lang, "{object} holds an Exchange Web Services URL on {host} in {field}.{status} Move the integration that reads it to Microsoft Graph ({graph}).",
                "{object} の {field} に {host} の Exchange Web Services の URL があります。{status}これを読む連携を Microsoft Graph（{graph}）に移行してください。");
            let message = headed(lang, &problem, &detail);
            out.push(ctx.finding(&RULE, id, range, message));
        }
    }
    for (file, range, info) in urls {
        let Some(cloud) = info.class.exchange_online() else {
            continue;
        };
        if !info.is_ews_path() {
            continue;
        }
        let object = ctx.object_name(file);
        let graph = cloud.graph_host();
        let host = &info.host;
        let detail = tr!(lang, "{object} calls Exchange Web Services on {host}.{status} Move the integration to Microsoft Graph ({graph}).",
            "{object} は {host} の Exchange Web Services を呼び出しています。{status}連携を Microsoft Graph（{graph}）に移行してください。");
        let message = headed(lang, &problem, &detail);
        let mut finding = ctx.finding(&RULE, file, range, message);
        if ctx.file(file).kind == crate::metadata::MetadataKind::NamedCredential {
            finding.related = super::apex::callers(ctx, file);
        }
        out.push(finding);
    }
}
