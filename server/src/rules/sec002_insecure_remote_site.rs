use super::{Context, Rule};
use crate::diagnostic::{Finding, Severity};
use crate::metadata::hosts::{HostClass, UrlInfo};
use crate::metadata::{Field, RemoteSiteSetting};
use crate::tr;

pub static RULE: Rule = Rule {
    id: "SEC002",
    name: "insecure-remote-site",
    default_severity: Severity::Warning,
    escalation: None,
    fixable: true,
    summary: "A remote site for a Microsoft host allows plain HTTP",
    doc: r#"## What it does
Reports a remote site setting for a Microsoft host (Exchange Online, Entra ID
login, or Microsoft Graph, any cloud) that has `disableProtocolSecurity` true
or an `http://` URL.

## Why is this bad?
Credentials and mail data sent to Microsoft would travel unencrypted, and
Microsoft's endpoints do not serve plain HTTP anyway: such a setting is a
leftover or a typo. Salesforce Code Analyzer has similar PMD rules
(AvoidInsecureHttpRemoteSiteSetting,
AvoidDisableProtocolSecurityRemoteSiteSetting).

## Example
```xml
<RemoteSiteSetting xmlns="http://soap.sforce.com/2006/04/metadata">
    <disableProtocolSecurity>true</disableProtocolSecurity>
    <isActive>true</isActive>
    <url>http://outlook.office365.com</url>
</RemoteSiteSetting>
```

## Fix
**Require HTTPS**: sets `disableProtocolSecurity` to false and rewrites
`http://` to `https://`. Safe: the hosts only serve HTTPS.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let lang = ctx.lang;
    for (id, file) in ctx.project.files.iter().enumerate() {
        let Some(site) = RemoteSiteSetting::of(file) else {
            continue;
        };
        let Some(url) = site.url() else { continue };
        let Some(info) = UrlInfo::parse(&url.value) else {
            continue;
        };
        if !matches!(info.class, HostClass::Microsoft(..)) {
            continue;
        }
        let object = ctx.object_name(id);
        let host = &info.host;
        if let Some(flag) = site.disable_protocol_security().filter(Field::is_true) {
            let message = tr!(
                lang,
                "{object} disables protocol security for the Microsoft host {host}, so callouts may go over plain HTTP. Require HTTPS.",
                "{object} は Microsoft のホスト {host} に対してプロトコルセキュリティを無効にしており、コールアウトが暗号化されない HTTP で送られる可能性があります。HTTPS を必須にしてください。"
            );
            out.push(ctx.finding(&RULE, id, flag.range, message));
        }
        if info.scheme.as_deref() == Some("http") {
            let message = tr!(
                lang,
                "{object} uses http:// for the Microsoft host {host}; Microsoft serves it only over HTTPS. Use https://.",
                "{object} は Microsoft のホスト {host} に http:// を使っています。このホストは HTTPS でのみ提供されています。https:// を使ってください。"
            );
            out.push(ctx.finding(&RULE, id, url.range, message));
        }
    }
}
