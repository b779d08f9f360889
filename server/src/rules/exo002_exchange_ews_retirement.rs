use super::{Context, Rule};
use crate::diagnostic::{Finding, Severity};
use crate::metadata::hosts::UrlInfo;
use crate::metadata::RemoteSiteSetting;
use crate::timeline;
use crate::tr;

pub static RULE: Rule = Rule {
    id: "EXO002",
    name: "exchange-ews-retirement",
    default_severity: Severity::Warning,
    escalation: Some((&timeline::EWS_SHUTDOWN, Severity::Error)),
    fixer: None,
    summary: "A URL addresses Exchange Web Services in Exchange Online, which is being shut down",
    doc: r#"## What it does
Reports every named-credential URL (`endpoint` or the `Url` parameter) and
remote site URL that addresses Exchange Web Services on an Exchange Online
host (a path starting with `/EWS/`), whatever the authentication.

## Why is this bad?
Microsoft began a phased disablement of EWS in Exchange Online on 2026-10-01
(only allow-listed apps keep working) and shuts it down permanently on
2027-04-01 (Microsoft 365 message center MC1227454). OAuth does not help: the
API itself goes away. Severity: warning, error from 2027-04-01.

## Example
```xml
<RemoteSiteSetting xmlns="http://soap.sforce.com/2006/04/metadata">
    <isActive>true</isActive>
    <url>https://outlook.office365.com/EWS/Exchange.asmx</url>
</RemoteSiteSetting>
```

## Fix
None in files: moving from EWS to Microsoft Graph (`graph.microsoft.com`, or
the Graph host of your cloud) rewrites the integration's code, not only its
configuration.
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
        if let Some(site) = RemoteSiteSetting::of(file) {
            if let Some(url) = site.url() {
                if let Some(info) = UrlInfo::parse(&url.value) {
                    urls.push((id, url.range, info));
                }
            }
        }
    }
    let lang = ctx.lang;
    let begin = timeline::EWS_DISABLEMENT_BEGINS.when(lang);
    let end = timeline::EWS_SHUTDOWN.when(lang);
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
        let message = if ctx.as_of.reached(&timeline::EWS_SHUTDOWN) {
            tr!(lang, "{object} calls Exchange Web Services on {host}, which was shut down on {end}. Move the integration to Microsoft Graph ({graph}).",
                "{object} は {host} の Exchange Web Services を呼び出していますが、EWS は {end}に停止しました。連携を Microsoft Graph（{graph}）に移行してください。")
        } else if ctx.as_of.reached(&timeline::EWS_DISABLEMENT_BEGINS) {
            tr!(lang, "{object} calls Exchange Web Services on {host}: EWS in Exchange Online has been disabled in phases since {begin} and shuts down on {end}. Move the integration to Microsoft Graph ({graph}).",
                "{object} は {host} の Exchange Web Services を呼び出しています。Exchange Online の EWS は {begin}から段階的に無効化されており、{end}に停止します。連携を Microsoft Graph（{graph}）に移行してください。")
        } else {
            tr!(lang, "{object} calls Exchange Web Services on {host}: EWS in Exchange Online will be disabled in phases from {begin} and shut down on {end}. Move the integration to Microsoft Graph ({graph}).",
                "{object} は {host} の Exchange Web Services を呼び出しています。Exchange Online の EWS は {begin}から段階的に無効化され、{end}に停止します。連携を Microsoft Graph（{graph}）に移行してください。")
        };
        let mut finding = ctx.finding(&RULE, file, range, message);
        if ctx.file(file).kind == crate::metadata::MetadataKind::NamedCredential {
            finding.related = super::apex::callers(ctx, file);
        }
        out.push(finding);
    }
}
