use super::rule::Fixer;
use super::rule::{headed, Context, Rule};
use super::support;
use crate::diagnostic::{Finding, Severity};
use crate::edit::xml_edit::XmlEditor;
use crate::edit::{Draft, Offer};
use crate::hosts::{HostClass, UrlInfo};
use crate::metadata::{Field, RemoteSiteSetting};
use crate::tr;

pub static RULE: Rule = Rule {
    id: "SEC002",
    name: "insecure-remote-site",
    default_severity: Severity::Warning,
    escalation: None,
    breaks_on: None,
    fixer: Some(&FIXER),
    summary: "A remote site for a Microsoft host allows plain HTTP",
    doc: r#"## What it does
Reports a remote site setting for a Microsoft 365 host of any of the four
clouds (commercial/GCC, GCC High, DoD, China) that has
`disableProtocolSecurity` true or an `http://` URL: Exchange Online
(`outlook.office365.com`, `*.outlook.com`, …), Entra ID login
(`login.microsoftonline.com`, …), Microsoft Graph, SharePoint and OneDrive
(`*.sharepoint.com`, `*.sharepoint.us`, `*.sharepoint.cn`), Teams incoming
webhooks (`*.webhook.office.com`) and the other Office hosts (`*.office.com`,
`*.office365.com`, `*.office365.us`, `*.onmicrosoft.com`). Hosts are matched
by domain, never by the remote site's name. A remote site with `isActive`
false allows no callout and is not reported.

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
**Require HTTPS** (preferred): sets `disableProtocolSecurity` to false and
rewrites `http://` to `https://` (either finding's fix does both). Safe: the
hosts only serve HTTPS; only those two values change.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let lang = ctx.lang;
    for (id, file) in ctx.project.files.iter().enumerate() {
        // An inactive site allows no callout, insecure or not.
        let Some(site) = RemoteSiteSetting::of(file).filter(|s| !s.is_inactive()) else {
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
            let detail = tr!(
                lang,
                "{object} disables protocol security for the Microsoft host {host}, so callouts may go over plain HTTP. Require HTTPS.",
                "{object} は Microsoft のホスト {host} に対してプロトコルセキュリティを無効にしており、コールアウトが暗号化されない HTTP で送られる可能性があります。HTTPS を必須にしてください。"
            );
            let problem = lang.pick(
                "Protocol security off for a Microsoft host",
                "Microsoft のホストでプロトコルセキュリティが無効",
            );
            let message = headed(lang, problem, &detail);
            out.push(ctx.finding(&RULE, id, flag.range, message));
        }
        if info.scheme.as_deref() == Some("http") {
            let detail = tr!(
                lang,
                "{object} uses http:// for the Microsoft host {host}; Microsoft serves it only over HTTPS. Use https://.",
                "{object} は Microsoft のホスト {host} に http:// を使っています。このホストは HTTPS でのみ提供されています。https:// を使ってください。"
            );
            let problem = lang.pick(
                "Plain HTTP to a Microsoft host",
                "Microsoft のホストへの HTTP 接続",
            );
            let message = headed(lang, problem, &detail);
            out.push(ctx.finding(&RULE, id, url.range, message));
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
        "require-https",
        tr!(ctx.lang, "Require HTTPS", "HTTPS を必須にする"),
    )
}

fn fix_build(ctx: &Context, finding: &Finding, _: &Offer) -> Result<Draft, String> {
    let (file, tree) = support::parsed(ctx, finding.file)?;
    let site = RemoteSiteSetting::of(file).ok_or_else(|| "not a remote site setting".to_owned())?;
    let text = file.text.as_str();
    let mut editor = XmlEditor::new(text, tree);
    if let Some(flag) = site.disable_protocol_security().filter(Field::is_true) {
        editor.set_value(flag.element, "false");
    }
    if let Some(url) = site.url() {
        if let Some(range) = tree.value_range(text, url.element) {
            let raw = &text[range.clone()];
            if raw
                .get(..7)
                .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
            {
                let scheme = range.start..range.start + 4;
                editor.set_raw_range(scheme, "https");
            }
        }
    }
    Ok(support::draft(
        None,
        vec![support::edit_of(file, editor.finish())],
    ))
}
